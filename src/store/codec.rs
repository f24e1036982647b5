//! Records cross into Automerge as JSON-shaped values: objects become maps,
//! scalars become scalars. Updates write only the fields that changed, so a
//! concurrent edit of another field on another peer merges cleanly and an
//! edit of the same field shows as a conflict.

use automerge::{hydrate, transaction::Transactable, AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};
use serde_json::{Map as JsonMap, Number, Value as Json};
use std::collections::HashMap;

/// Deepest nesting accepted when reading; peers could send deeper values.
const MAX_DEPTH: usize = 8;

pub fn to_hydrate(json: &Json) -> hydrate::Value {
    match json {
        Json::Object(map) => {
            let m: HashMap<String, hydrate::Value> = map.iter().map(|(k, v)| (k.clone(), to_hydrate(v))).collect();
            hydrate::Value::Map(m.into())
        }
        Json::Array(items) => items.iter().map(to_hydrate).collect::<Vec<_>>().into(),
        other => hydrate::Value::Scalar(to_scalar(other)),
    }
}

pub fn to_scalar(json: &Json) -> ScalarValue {
    match json {
        Json::Null => ScalarValue::Null,
        Json::Bool(b) => ScalarValue::Boolean(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => ScalarValue::Int(i),
            (None, Some(u)) => ScalarValue::Uint(u),
            _ => ScalarValue::F64(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => ScalarValue::Str(s.as_str().into()),
        Json::Array(_) | Json::Object(_) => ScalarValue::Null,
    }
}

pub fn scalar_to_json(s: &ScalarValue) -> Json {
    match s {
        ScalarValue::Str(t) => Json::String(t.to_string()),
        ScalarValue::Int(i) => Json::Number((*i).into()),
        ScalarValue::Uint(u) => Json::Number((*u).into()),
        ScalarValue::F64(f) => Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null),
        ScalarValue::Counter(c) => Json::Number(i64::from(c).into()),
        ScalarValue::Timestamp(t) => Json::Number((*t).into()),
        ScalarValue::Boolean(b) => Json::Bool(*b),
        ScalarValue::Bytes(b) => Json::String(hex::encode(b)),
        ScalarValue::Unknown { .. } | ScalarValue::Null => Json::Null,
    }
}

/// Reads an object (map, list or text) as JSON.
pub fn read_object(doc: &AutoCommit, obj: &ObjId, depth: usize) -> Json {
    if depth > MAX_DEPTH {
        return Json::Null;
    }
    match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => {
            let mut out = JsonMap::new();
            for item in doc.map_range(obj, ..) {
                let value = match item.value {
                    automerge::ValueRef::Object(_) => read_object(doc, &item.id(), depth + 1),
                    automerge::ValueRef::Scalar(s) => scalar_to_json(&ScalarValue::from(s)),
                };
                out.insert(item.key.to_string(), value);
            }
            Json::Object(out)
        }
        Ok(ObjType::List) => {
            let len = doc.length(obj);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                out.push(read_value(doc, obj, i, depth + 1));
            }
            Json::Array(out)
        }
        Ok(ObjType::Text) => Json::String(doc.text(obj).unwrap_or_default()),
        Err(_) => Json::Null,
    }
}

fn read_value<P: Into<automerge::Prop>>(doc: &AutoCommit, obj: &ObjId, prop: P, depth: usize) -> Json {
    match doc.get(obj, prop) {
        Ok(Some((Value::Object(_), id))) => read_object(doc, &id, depth),
        Ok(Some((Value::Scalar(s), _))) => scalar_to_json(&s),
        _ => Json::Null,
    }
}

/// Every value currently visible at `obj[key]`: more than one after
/// concurrent writes.
pub fn read_all(doc: &AutoCommit, obj: &ObjId, key: &str) -> Vec<Json> {
    doc.get_all(obj, key)
        .unwrap_or_default()
        .into_iter()
        .map(|(v, id)| match v {
            Value::Object(_) => read_object(doc, &id, 1),
            Value::Scalar(s) => scalar_to_json(&s),
        })
        .collect()
}

/// Writes `new` over the map `obj`, whose current content is `old`:
/// changed scalars are put, removed keys deleted, nested maps diffed.
pub fn update_map(
    doc: &mut AutoCommit,
    obj: &ObjId,
    old: &JsonMap<String, Json>,
    new: &JsonMap<String, Json>,
) -> Result<usize, automerge::AutomergeError> {
    let mut writes = 0;
    for (key, value) in new {
        match (old.get(key), value) {
            (Some(o), n) if o == n => {}
            (Some(Json::Object(o)), Json::Object(n)) => {
                if let Some((Value::Object(ObjType::Map), child)) = doc.get(obj, key.as_str())? {
                    writes += update_map(doc, &child, o, n)?;
                } else {
                    doc.batch_create_object(obj, key.as_str(), &to_hydrate(value), false)?;
                    writes += 1;
                }
            }
            (_, Json::Object(_)) | (_, Json::Array(_)) => {
                doc.batch_create_object(obj, key.as_str(), &to_hydrate(value), false)?;
                writes += 1;
            }
            (_, scalar) => {
                doc.put(obj, key.as_str(), to_scalar(scalar))?;
                writes += 1;
            }
        }
    }
    for key in old.keys() {
        if !new.contains_key(key) {
            doc.delete(obj, key.as_str())?;
            writes += 1;
        }
    }
    Ok(writes)
}

/// Keys of a map whose value has concurrent alternatives, with all of them.
pub fn conflicts_in(doc: &AutoCommit, obj: &ObjId, prefix: &str, out: &mut Vec<(String, Vec<Json>)>) {
    for item in doc.map_range(obj, ..) {
        let path = if prefix.is_empty() { item.key.to_string() } else { format!("{prefix}.{}", item.key) };
        if item.conflict {
            // Two peers writing the same value (two laptops logging one
            // person's hours alike) agree: nothing for anyone to choose.
            let values = read_all(doc, obj, &item.key);
            if values.windows(2).any(|w| w[0] != w[1]) {
                out.push((path.clone(), values));
            }
        }
        if let automerge::ValueRef::Object(ObjType::Map) = item.value {
            if prefix.split('.').count() < MAX_DEPTH {
                conflicts_in(doc, &item.id(), &path, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_nested_json() {
        let mut doc = AutoCommit::new();
        let value =
            json!({"name": "阳光", "n": 3, "f": 1.5, "b": true, "nested": {"2024": {"basic": 20}}, "list": [1, "x"]});
        let id = doc.batch_create_object(automerge::ROOT, "r", &to_hydrate(&value), false).unwrap();
        assert_eq!(read_object(&doc, &id, 0), value);
    }

    #[test]
    fn update_writes_only_changes() {
        let mut doc = AutoCommit::new();
        let old = json!({"a": "1", "b": "2", "gone": 1, "m": {"x": 1}});
        let id = doc.batch_create_object(automerge::ROOT, "r", &to_hydrate(&old), false).unwrap();
        doc.commit();
        let new = json!({"a": "1", "b": "3", "m": {"x": 2}, "added": true});
        let writes = update_map(&mut doc, &id, old.as_object().unwrap(), new.as_object().unwrap()).unwrap();
        assert_eq!(writes, 4, "b, m.x, added, gone");
        assert_eq!(read_object(&doc, &id, 0), new);
    }

    #[test]
    fn concurrent_puts_show_as_conflicts() {
        let mut a = AutoCommit::new();
        let id = a.batch_create_object(automerge::ROOT, "r", &to_hydrate(&json!({"name": "x"})), false).unwrap();
        a.commit();
        let mut b = a.fork();
        a.put(&id, "name", "甲").unwrap();
        b.put(&id, "name", "乙").unwrap();
        a.merge(&mut b).unwrap();
        let mut found = Vec::new();
        conflicts_in(&a, &id, "", &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "name");
        let mut values: Vec<String> = found[0].1.iter().map(|v| v.as_str().unwrap().to_string()).collect();
        values.sort();
        assert_eq!(values, vec!["乙", "甲"]);
    }

    #[test]
    fn concurrent_equal_values_are_not_conflicts() {
        let mut a = AutoCommit::new();
        let id = a.batch_create_object(automerge::ROOT, "r", &to_hydrate(&json!({"p": {}})), false).unwrap();
        a.commit();
        let p = match a.get(&id, "p").unwrap() {
            Some((Value::Object(_), p)) => p,
            other => panic!("{other:?}"),
        };
        let mut b = a.fork();
        a.put(&p, "x", 2.0).unwrap();
        b.put(&p, "x", 2.0).unwrap();
        a.put(&p, "y", 1.0).unwrap();
        b.put(&p, "y", 1.5).unwrap();
        a.merge(&mut b).unwrap();
        let mut found = Vec::new();
        conflicts_in(&a, &id, "", &mut found);
        assert_eq!(found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), vec!["p.y"]);
    }
}

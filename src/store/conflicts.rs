//! Conflicts across the store: which records hold concurrent values after a
//! merge (the marks and counts of the terminal UI), and who wrote each value
//! and when (the conflict view). The per-document list is kept with the heads
//! it was computed at, so a load after a local edit rescans one document.

use super::{codec, DocId, Store};
use crate::domain::{Collection, Lang, RecordId};
use automerge::{ChangeHash, ObjType, ReadDoc, Value, ROOT};
use std::collections::HashMap;

/// Who wrote one of a conflict's values, and when the writer's clock said.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ValueOrigin {
    /// The writing Automerge actor, hex. A node's actors start with the
    /// first 16 bytes of its node id (sync::authorship), which names it.
    pub actor: String,
    /// The change's timestamp: the writer's local wall-clock time, in
    /// seconds, as its (possibly wrong) clock said; None when not recorded
    /// (changes written before timestamps were kept).
    pub time: Option<i64>,
    /// The node or federation the actor belongs to, as this node knows it;
    /// filled by ops (which reads the peers and the authors lists).
    #[serde(skip_serializing_if = "Writer::is_untraced")]
    pub by: Writer,
}

/// Who wrote a value, as data: the front ends name it (`label`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Writer {
    /// Not named yet: the store leaves naming to ops.
    #[default]
    Untraced,
    ThisDevice,
    /// A peer, by its name in the peer list.
    Peer {
        name: String,
    },
    /// A node on `federation`'s authors list, by its short node id.
    Device {
        federation: FedName,
        node: String,
    },
    /// An actor of no node known here: its first 7 hex digits.
    Unknown {
        actor: String,
    },
}

/// A federation as this node can name it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum FedName {
    /// Ours, or one a peer is pinned to: by name.
    Named(String),
    /// Known only by its id.
    Id(String),
}

impl Writer {
    pub fn is_untraced(&self) -> bool {
        *self == Writer::Untraced
    }

    /// The writer in `lang`. The Chinese keeps its English gloss, as the
    /// conflict views have always shown it.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Writer::Untraced => String::new(),
            Writer::ThisDevice => lang.pick("本机 (this device)", "this device").to_string(),
            Writer::Peer { name } => name.clone(),
            Writer::Device { federation, node } => {
                let fed = match federation {
                    FedName::Named(name) => name.clone(),
                    FedName::Id(id) => lang.pick(format!("联合会 {id}"), format!("federation {id}")),
                };
                lang.pick(format!("{fed} 的设备 {node} (a device of it)"), format!("a device of {fed} {node}"))
            }
            Writer::Unknown { actor } => {
                lang.pick(format!("未知节点 {actor} (unknown node)"), format!("unknown node {actor}"))
            }
        }
    }
}

/// One record with conflicts: its collection, id, and how many fields (a
/// record created twice concurrently counts as one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflicted {
    pub kind: Collection,
    pub id: RecordId,
    pub fields: usize,
}

/// A document's conflicted records (id, fields in conflict).
type Found = Vec<(RecordId, usize)>;

/// Each document's conflicted records, with the heads they were found at.
#[derive(Default)]
pub(crate) struct ConflictCache {
    per_doc: HashMap<DocId, (Vec<ChangeHash>, Found)>,
}

/// Collections whose documents hold records a secretary can resolve.
fn scanned(c: Collection) -> bool {
    !matches!(c, Collection::Meta | Collection::Settings | Collection::Private)
}

impl Store {
    /// Every record holding conflicting values, in document then record order.
    pub fn conflicted(&mut self) -> Vec<Conflicted> {
        let ids: Vec<DocId> = self.docs.keys().filter(|d| scanned(d.collection())).cloned().collect();
        let mut out = Vec::new();
        for doc_id in ids {
            let state = self.docs.get_mut(&doc_id).expect("listed above");
            let heads = state.doc.get_heads();
            let cached = self.conflict_cache.per_doc.get(&doc_id).filter(|(h, _)| *h == heads);
            let records = match cached {
                Some((_, list)) => list.clone(),
                None => {
                    let list = scan(&state.doc);
                    self.conflict_cache.per_doc.insert(doc_id.clone(), (heads, list.clone()));
                    list
                }
            };
            let kind = doc_id.collection();
            out.extend(records.into_iter().map(|(id, fields)| Conflicted { kind, id, fields }));
        }
        out
    }

    /// Fills in who wrote each value of `conflicts` (of record `id` in
    /// `kind`) and when their clock said, from the values' operation ids
    /// and the changes that made them.
    pub fn trace_conflicts(
        &mut self,
        kind: Collection,
        id: &RecordId,
        conflicts: &mut [super::FieldConflict],
    ) -> super::Result<()> {
        if conflicts.is_empty() {
            return Ok(());
        }
        let Some(doc_id) = self.locate(kind, id) else { return Ok(()) };
        let doc = &mut self.docs.get_mut(&doc_id).expect("located").doc;
        // (actor, counter) of each value's operation.
        let mut wanted: Vec<Vec<(automerge::ActorId, u64)>> = Vec::new();
        for c in conflicts.iter() {
            let (obj, key) = match c.field.rsplit_once('.') {
                _ if c.field.is_empty() => (ROOT.into(), id.as_str().to_string()),
                Some((parents, last)) => (path_obj(doc, id, parents), last.to_string()),
                None => (super::records::record_obj(doc, id.as_str()), c.field.clone()),
            };
            let ops = obj
                .map(|obj| {
                    doc.get_all(&obj, key.as_str())
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|(_, op)| match op {
                            automerge::ObjId::Id(counter, actor, _) => Some((actor, counter)),
                            automerge::ObjId::Root => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            wanted.push(ops);
        }
        // The change holding an operation: same actor, counter within its ops.
        let mut spans: HashMap<automerge::ActorId, Vec<(u64, u64, i64)>> = HashMap::new();
        for m in doc.get_changes_meta(&[]) {
            spans.entry(m.actor.into_owned()).or_default().push((m.start_op, m.max_op, m.timestamp));
        }
        for (c, ops) in conflicts.iter_mut().zip(wanted) {
            c.origins = ops
                .into_iter()
                .map(|(actor, counter)| {
                    let time = spans
                        .get(&actor)
                        .and_then(|s| s.iter().find(|(start, max, _)| (*start..=*max).contains(&counter)))
                        .map(|(_, _, t)| *t)
                        .filter(|t| *t != 0);
                    ValueOrigin { actor: actor.to_hex_string(), time, by: Writer::Untraced }
                })
                .collect();
        }
        Ok(())
    }

    /// This node's id, when it has an identity.
    pub fn node_id(&self) -> Option<crate::sync::NodeId> {
        self.signer.as_ref().map(|s| s.node)
    }

    /// The timestamp a change committed now carries: the wall-clock time
    /// (local, in seconds) by this store's clock.
    pub(crate) fn commit_time(&self) -> i64 {
        self.clock.now().and_utc().timestamp()
    }
}

/// The map at a dotted path inside a record.
fn path_obj(doc: &automerge::AutoCommit, id: &RecordId, path: &str) -> Option<automerge::ObjId> {
    let mut obj = super::records::record_obj(doc, id.as_str())?;
    for key in path.split('.') {
        obj = match doc.get(&obj, key).ok()?? {
            (Value::Object(_), child) => child,
            _ => return None,
        };
    }
    Some(obj)
}

/// The records of one document with conflicts, and how many fields each.
fn scan(doc: &automerge::AutoCommit) -> Found {
    let mut out = Vec::new();
    for item in doc.map_range(ROOT, ..) {
        if item.key.starts_with('_') {
            continue;
        }
        let automerge::ValueRef::Object(ObjType::Map) = item.value else { continue };
        let mut found = Vec::new();
        codec::conflicts_in(doc, &item.id(), "", &mut found);
        // A record created twice alike (a walk-in logged on two laptops) is no conflict.
        let twice = item.conflict && {
            let versions = codec::read_all(doc, &ROOT, &item.key);
            versions.windows(2).any(|w| w[0] != w[1])
        };
        let fields = found.len() + usize::from(twice);
        if fields > 0 {
            out.push((RecordId(item.key.to_string()), fields));
        }
    }
    out
}

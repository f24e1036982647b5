//! Output: tables aligned in display columns (CJK characters are two
//! columns wide) for people, and the machine contract (`--format json|csv`)
//! for scripts: stable field codes as keys, enumeration codes as values,
//! numbers as numbers, whatever `--lang` says.

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

/// Pads `text` with spaces to `width` display columns.
pub fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// Cuts `text` to at most `width` display columns, marking the cut with '…'.
pub fn truncate(text: &str, width: usize) -> String {
    if UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// One cell: what a person reads (localized, formatted) and what a script
/// gets (a code, a number, a date string, null).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    shown: String,
    value: Value,
}

impl Cell {
    pub fn new(shown: impl Into<String>, value: impl Into<Value>) -> Cell {
        Cell { shown: shown.into(), value: value.into() }
    }

    /// What scripts get.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Free text (a name, an address): the same for both.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell { value: Value::String(text.clone()), shown: text }
    }

    /// Absent: blank for people, null for scripts.
    pub fn none() -> Cell {
        Cell { shown: String::new(), value: Value::Null }
    }

    /// Absent, shown as `shown` (`—`, "无") but null for scripts.
    pub fn none_shown(shown: impl Into<String>) -> Cell {
        Cell { shown: shown.into(), value: Value::Null }
    }

    /// A count or other whole number.
    pub fn int<N: Into<Value> + std::fmt::Display>(n: N) -> Cell {
        Cell { shown: n.to_string(), value: n.into() }
    }

    pub fn opt_int<N: Into<Value> + std::fmt::Display>(n: Option<N>) -> Cell {
        n.map_or_else(Cell::none, Cell::int)
    }

    /// A measure shown with `decimals` places (and given to scripts rounded
    /// the same way, so 2.1 is 2.1 and not 2.0999999999999996).
    pub fn decimal(x: f64, decimals: usize) -> Cell {
        let scale = 10f64.powi(decimals as i32);
        let rounded = (x * scale).round() / scale;
        // -0.0 from an empty sum reads as 0.
        let rounded = if rounded == 0.0 { 0.0 } else { rounded };
        Cell {
            shown: format!("{rounded:.decimals$}"),
            value: serde_json::Number::from_f64(rounded).map_or(Value::Null, Value::Number),
        }
    }

    /// An enumeration: its label for people, its code for scripts.
    pub fn code(code: &str, label: impl Into<String>) -> Cell {
        Cell { shown: label.into(), value: Value::String(code.to_string()) }
    }

    pub fn date(d: chrono::NaiveDate) -> Cell {
        Cell::text(d.to_string())
    }

    pub fn opt_date(d: Option<chrono::NaiveDate>) -> Cell {
        d.map_or_else(Cell::none, Cell::date)
    }

    /// A timestamp: minutes for people, `YYYY-MM-DDTHH:MM:SS` for scripts.
    pub fn timestamp(t: Option<chrono::NaiveDateTime>) -> Cell {
        match t {
            Some(t) => Cell::new(t.format("%Y-%m-%d %H:%M").to_string(), t.format("%Y-%m-%dT%H:%M:%S").to_string()),
            None => Cell::none(),
        }
    }

    pub fn flag(b: bool, shown: impl Into<String>) -> Cell {
        Cell { shown: shown.into(), value: Value::Bool(b) }
    }

    /// Several values (ids, codes): a JSON array for scripts, `shown` for people.
    pub fn list<S: ToString>(values: &[S], shown: impl Into<String>) -> Cell {
        Cell { shown: shown.into(), value: Value::Array(values.iter().map(|v| Value::String(v.to_string())).collect()) }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::text(text)
    }
}

/// A table with, for each column, its stable field code (the key in JSON,
/// the CSV header) and its localized header. A column with an empty code is
/// for people only (the same fact is in typed columns of its own); one with
/// an empty header is for scripts only.
pub struct Table {
    columns: Vec<(&'static str, String)>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[(&'static str, &str)]) -> Table {
        Table { columns: columns.iter().map(|(c, h)| (*c, h.to_string())).collect(), rows: Vec::new() }
    }

    /// A table only people read (`render_text`): its machine form, where
    /// the command has one, is the records themselves (`machine`).
    pub fn for_people(headers: &[&str]) -> Table {
        Table { columns: headers.iter().map(|h| ("", h.to_string())).collect(), rows: Vec::new() }
    }

    pub fn push<C: Into<Cell>>(&mut self, row: Vec<C>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.render_text(),
            Format::Csv => self.render_csv(),
            Format::Json => self.render_json(),
        }
    }

    fn text_columns(&self) -> Vec<usize> {
        (0..self.columns.len()).filter(|&i| !self.columns[i].1.is_empty()).collect()
    }

    fn machine_columns(&self) -> Vec<usize> {
        let keep: Vec<usize> = (0..self.columns.len()).filter(|&i| !self.columns[i].0.is_empty()).collect();
        debug_assert!(!keep.is_empty(), "a table for people only has no machine form");
        keep
    }

    pub fn render_text(&self) -> String {
        const MAX_COL: usize = 40;
        let shown = self.text_columns();
        let mut widths: Vec<usize> =
            shown.iter().map(|&i| UnicodeWidthStr::width(self.columns[i].1.as_str())).collect();
        for row in &self.rows {
            for (w, &i) in widths.iter_mut().zip(&shown) {
                if let Some(cell) = row.get(i) {
                    *w = (*w).max(UnicodeWidthStr::width(cell.shown.as_str()).min(MAX_COL));
                }
            }
        }
        let line = |cells: Vec<&str>| {
            cells
                .iter()
                .enumerate()
                .map(|(k, c)| pad(&truncate(c, widths[k]), widths[k]))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        let mut out = line(shown.iter().map(|&i| self.columns[i].1.as_str()).collect());
        out.push('\n');
        out.push_str(&widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(shown.iter().map(|&i| row.get(i).map_or("", |c| c.shown.as_str())).collect()));
            out.push('\n');
        }
        out
    }

    fn render_csv(&self) -> String {
        let keep = self.machine_columns();
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(keep.iter().map(|&i| self.columns[i].0));
        for row in &self.rows {
            let _ = w.write_record(keep.iter().map(|&i| csv_field(row.get(i).map_or(&Value::Null, |c| &c.value))));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    fn render_json(&self) -> String {
        let keep = self.machine_columns();
        let items: Vec<serde_json::Map<String, Value>> = self
            .rows
            .iter()
            .map(|row| {
                keep.iter()
                    .map(|&i| (self.columns[i].0.to_string(), row.get(i).map_or(Value::Null, |c| c.value.clone())))
                    .collect()
            })
            .collect();
        serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
    }
}

/// A machine value in a CSV cell: text as is, absent empty, nested values
/// (lists, maps) as JSON text.
fn csv_field(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Records in the machine contract (`--format json|csv`), whatever the
/// display language: JSON is the records themselves (the field codes of
/// docs/DATA_MODEL.md as keys, enumeration codes as values, numbers as
/// numbers); CSV has the field codes as its header (`id` first, then in
/// alphabetical order: every field of the record type, so the header is the
/// same for any selection, an empty one included), nested values as JSON
/// text and absent ones empty. `adjust` masks or drops fields before they
/// leave (phones, PIPL).
pub fn machine<R: serde::Serialize + serde::de::DeserializeOwned>(
    records: &[&R],
    format: Format,
    adjust: &dyn Fn(&mut serde_json::Map<String, Value>),
) -> String {
    let objects: Vec<serde_json::Map<String, Value>> = records
        .iter()
        .filter_map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(mut m)) => {
                adjust(&mut m);
                Some(m)
            }
            _ => None,
        })
        .collect();
    if format != Format::Csv {
        return serde_json::to_string_pretty(&objects).unwrap_or_default() + "\n";
    }
    // Every field the type has, less those `adjust` drops, and any key a
    // record carries beyond them.
    let mut all: serde_json::Map<String, Value> =
        field_names::<R>().iter().map(|f| (f.to_string(), Value::Null)).collect();
    adjust(&mut all);
    let mut keys: std::collections::BTreeSet<&str> = all.keys().map(String::as_str).collect();
    keys.extend(objects.iter().flat_map(|m| m.keys().map(String::as_str)));
    let mut header: Vec<&str> = Vec::new();
    if keys.remove("id") {
        header.push("id");
    }
    header.extend(keys);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for m in &objects {
        let _ = w.write_record(header.iter().map(|k| csv_field(m.get(*k).unwrap_or(&Value::Null))));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The field names of a record type, as serde reads them: a deserializer
/// that stops at the struct and keeps the names it is told.
fn field_names<R: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    #[derive(Debug)]
    struct Stop(Option<&'static [&'static str]>);
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("not a struct")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<T: std::fmt::Display>(_: T) -> Stop {
            Stop(None)
        }
    }
    struct Names;
    impl<'de> serde::Deserializer<'de> for Names {
        type Error = Stop;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop(None))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            Err(Stop(Some(fields)))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    match R::deserialize(Names) {
        Err(Stop(Some(fields))) => fields,
        _ => &[],
    }
}

/// Replaces a phone field with its masked form (`138****5678`).
pub fn mask_field(m: &mut serde_json::Map<String, Value>, field: &str) {
    if let Some(Value::String(p)) = m.get_mut(field) {
        *p = crate::domain::validate::mask_phone(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_truncates_in_display_columns() {
        assert_eq!(pad("组织", 6), "组织  ");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(truncate("阳光志愿服务队", 7), "阳光志…");
    }

    #[test]
    fn people_read_labels_scripts_read_codes_and_numbers() {
        let mut t = Table::new(&[("name", "名称"), ("kind", "类型"), ("hours", "时长"), ("", "备注"), ("major", "")]);
        t.push(vec![
            Cell::text("阳光"),
            Cell::code("culture_sports", "文体活动"),
            Cell::decimal(2.1, 1),
            Cell::text("仅供阅读"),
            Cell::flag(true, ""),
        ]);
        t.push(vec![Cell::text("夕阳红"), Cell::none(), Cell::decimal(-0.0, 1), Cell::none(), Cell::flag(false, "")]);
        let text = t.render(Format::Table);
        assert!(text.starts_with("名称    类型      时长  备注\n"), "{text}");
        assert!(text.contains("阳光    文体活动  2.1   仅供阅读"), "{text}");
        assert!(text.contains("夕阳红            0.0"), "no -0.0: {text}");
        let json: Value = serde_json::from_str(&t.render(Format::Json)).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"name": "阳光", "kind": "culture_sports", "hours": 2.1, "major": true},
                {"name": "夕阳红", "kind": null, "hours": 0.0, "major": false},
            ])
        );
        assert_eq!(t.render(Format::Csv), "name,kind,hours,major\n阳光,culture_sports,2.1,true\n夕阳红,,0.0,false\n");
    }

    #[test]
    fn every_field_of_a_record_type_heads_its_csv_even_when_nothing_is_listed() {
        use crate::domain::{Organization, Person};
        let none: Vec<&Organization> = Vec::new();
        let csv = machine(&none, Format::Csv, &|_| {});
        let header: Vec<&str> = csv.trim_end().split(',').collect();
        assert_eq!(header[0], "id");
        for field in ["name", "category", "legal_status", "credit_code", "division", "founded", "party_status"] {
            assert!(header.contains(&field), "{field} in {csv}");
        }
        assert_eq!(machine(&none, Format::Json, &|_| {}), "[]\n");
        let drop_party = |m: &mut serde_json::Map<String, Value>| {
            m.remove("party_member");
        };
        let people: Vec<&Person> = Vec::new();
        let csv = machine(&people, Format::Csv, &drop_party);
        assert!(csv.starts_with("id,") && csv.contains("phone") && !csv.contains("party_member"), "{csv}");
    }
}

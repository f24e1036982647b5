//! Output: tables aligned in display columns (CJK characters are two
//! columns wide), CSV and JSON for scripts.

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

/// A table of strings with headers, printed in one of the formats.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.render_text(),
            Format::Csv => self.render_csv(),
            Format::Json => self.render_json(),
        }
    }

    fn render_text(&self) -> String {
        const MAX_COL: usize = 40;
        let mut widths: Vec<usize> = self.headers.iter().map(|h| UnicodeWidthStr::width(h.as_str())).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(UnicodeWidthStr::width(cell.as_str()).min(MAX_COL));
                }
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| pad(&truncate(c, widths[i]), widths[i]))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        let mut out = line(&self.headers);
        out.push('\n');
        out.push_str(&widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        out
    }

    fn render_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    fn render_json(&self) -> String {
        let items: Vec<serde_json::Map<String, serde_json::Value>> = self
            .rows
            .iter()
            .map(|row| {
                self.headers.iter().zip(row).map(|(h, c)| (h.clone(), serde_json::Value::String(c.clone()))).collect()
            })
            .collect();
        serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
    }
}

/// Records in the machine contract (`--format json|csv`), whatever the
/// display language: JSON is the records themselves (the field codes of
/// docs/DATA_MODEL.md as keys, enumeration codes as values, numbers as
/// numbers); CSV has the field codes as its header (`id` first, then in
/// alphabetical order), nested values as JSON text and absent ones empty.
/// `adjust` masks or drops fields before they leave (phones, PIPL).
pub fn machine<R: serde::Serialize>(
    records: &[&R],
    format: Format,
    adjust: &dyn Fn(&mut serde_json::Map<String, serde_json::Value>),
) -> String {
    use serde_json::Value;
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
    let mut keys: std::collections::BTreeSet<&str> =
        objects.iter().flat_map(|m| m.keys().map(String::as_str)).collect();
    let mut header: Vec<&str> = Vec::new();
    if keys.remove("id") {
        header.push("id");
    }
    header.extend(keys);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for m in &objects {
        let row = header.iter().map(|k| match m.get(*k) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Replaces a phone field with its masked form (`138****5678`).
pub fn mask_field(m: &mut serde_json::Map<String, serde_json::Value>, field: &str) {
    if let Some(serde_json::Value::String(p)) = m.get_mut(field) {
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
        let mut t = Table::new(&["名称", "n"]);
        t.push(vec!["阳光".into(), "1".into()]);
        let text = t.render(Format::Table);
        assert!(text.starts_with("名称  n\n"), "{text}");
        assert!(t.render(Format::Csv).contains("阳光,1"));
        assert!(t.render(Format::Json).contains("\"名称\": \"阳光\""));
    }
}

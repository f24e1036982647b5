//! Import plans: every row parsed and checked, nothing written. The caller
//! writes the plan in one atomic batch only when it has no errors, or when
//! the user chose to skip the invalid rows.

use crate::domain::input::{self, FieldSpec};
use crate::domain::validate::name_key;
use crate::domain::*;
use std::collections::HashMap;

/// One problem on one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    /// The column's header as written in the file, or empty for the whole row.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "第{}行 (line {}): {}", self.line, self.line, self.message)
        } else {
            write!(f, "第{}行 (line {}) [{}]: {}", self.line, self.line, self.column, self.message)
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportPlan<R> {
    pub encoding: &'static str,
    /// Valid rows, with their line numbers.
    #[serde(skip)]
    pub records: Vec<(usize, R)>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    /// Lines whose rows had errors (each counted once).
    pub invalid_lines: Vec<usize>,
}

/// Problems with the file as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("文件为空或没有表头 (the file is empty or has no header row)")]
    Empty,
    #[error("缺少必需的列: {0} (required columns missing)")]
    MissingColumns(String),
    #[error("第{line}行无法解析为 CSV: {detail} (malformed CSV)")]
    Csv { line: usize, detail: String },
}

/// What the plan needs to know of the store.
#[derive(Default)]
pub struct Existing {
    /// name_key -> id of organizations already stored.
    pub orgs: HashMap<String, RecordId>,
    /// name_key -> id of people already stored (people may share names: only a warning).
    pub people: HashMap<String, RecordId>,
    /// name_key -> id of venues already stored.
    pub venues: HashMap<String, RecordId>,
    /// Division used for organizations whose row has none (the federation's).
    pub default_division: String,
}

struct Parsed {
    line: usize,
    cells: Vec<(usize, String)>,
}

/// A read file: which spec each column maps to, the headers as written,
/// the non-blank rows and the headers no spec knows.
struct ReadFile {
    mapping: Vec<Option<usize>>,
    headers: Vec<String>,
    rows: Vec<Parsed>,
    unknown: Vec<String>,
}

/// Reads the header and rows; maps each header to a field spec.
fn read(text: &str, specs: &[FieldSpec]) -> Result<ReadFile, ImportError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Csv { line: 1, detail: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ImportError::Empty);
    }
    let mapping: Vec<Option<usize>> = headers.iter().map(|h| specs.iter().position(|s| s.matches_header(h))).collect();
    let unknown: Vec<String> = headers
        .iter()
        .zip(&mapping)
        .filter(|(h, m)| m.is_none() && !h.is_empty() && !is_ignorable(h))
        .map(|(h, _)| h.clone())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv {
            line: e.position().map_or(0, |p| p.line() as usize),
            detail: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(Parsed { line, cells: record.iter().enumerate().map(|(i, c)| (i, c.to_string())).collect() });
    }
    Ok(ReadFile { mapping, headers, rows, unknown })
}

/// Serial-number columns that every ledger has and no record needs.
fn is_ignorable(header: &str) -> bool {
    matches!(input::header_key(header).as_str(), "序号" | "编号" | "no" | "no." | "#" | "id")
}

fn check_required(specs: &[FieldSpec], mapping: &[Option<usize>], optional: &[&str]) -> Result<(), ImportError> {
    let missing: Vec<&str> = specs
        .iter()
        .enumerate()
        .filter(|(i, s)| s.required && !optional.contains(&s.key) && !mapping.contains(&Some(*i)))
        .map(|(_, s)| s.zh)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ImportError::MissingColumns(missing.join("、")))
    }
}

/// Shared row loop: sets every mapped cell, collects errors per line.
fn plan<R: Record>(
    bytes: &[u8],
    specs: &[FieldSpec],
    optional_required: &[&str],
    mut new_record: impl FnMut() -> R,
    mut set: impl FnMut(&mut R, &str, &str) -> Result<(), String>,
    mut finish: impl FnMut(&mut R, usize, &HashMap<&str, String>, &mut Vec<RowError>, &mut Vec<RowError>),
) -> Result<ImportPlan<R>, ImportError> {
    let (text, encoding) = super::decode(bytes);
    let ReadFile { mapping, headers, rows, unknown } = read(&text, specs)?;
    check_required(specs, &mapping, optional_required)?;
    let mut out = ImportPlan {
        encoding,
        records: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        invalid_lines: Vec::new(),
    };
    if !unknown.is_empty() {
        out.warnings.push(RowError {
            line: 1,
            column: String::new(),
            message: format!("忽略未识别的列: {} (unknown columns ignored)", unknown.join("、")),
        });
    }
    for row in rows {
        let mut rec = new_record();
        let mut errors = Vec::new();
        let mut values: HashMap<&str, String> = HashMap::new();
        for (i, cell) in &row.cells {
            let Some(Some(spec_i)) = mapping.get(*i) else { continue };
            let spec = &specs[*spec_i];
            values.insert(spec.key, cell.trim().to_string());
            if let Err(m) = set(&mut rec, spec.key, cell) {
                errors.push(RowError { line: row.line, column: headers[*i].clone(), message: m });
            }
        }
        let mut warnings = Vec::new();
        finish(&mut rec, row.line, &values, &mut errors, &mut warnings);
        if errors.is_empty() {
            for p in rec.validate() {
                let target = if p.severity == Severity::Error { &mut errors } else { &mut warnings };
                let column = specs
                    .iter()
                    .position(|s| s.key == p.field)
                    .and_then(|si| mapping.iter().position(|m| *m == Some(si)));
                target.push(RowError {
                    line: row.line,
                    column: column.map(|c| headers[c].clone()).unwrap_or_else(|| p.field.to_string()),
                    message: p.message,
                });
            }
        }
        out.warnings.extend(warnings);
        if errors.is_empty() {
            out.records.push((row.line, rec));
        } else {
            out.invalid_lines.push(row.line);
            out.errors.extend(errors);
        }
    }
    Ok(out)
}

/// Organizations: duplicates inside the file and against the store are errors.
pub fn plan_orgs(bytes: &[u8], existing: &Existing) -> Result<ImportPlan<Organization>, ImportError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    plan(
        bytes,
        input::ORG_FIELDS,
        &["division"],
        || Organization::new("", Category::Other, LegalStatus::Filed, &existing.default_division),
        input::set_org_field,
        |o, line, values, errors, _| {
            if !values.contains_key("legal_status") {
                o.legal_status = if !o.credit_code.is_empty() {
                    LegalStatus::Registered
                } else if o.filing_number.is_empty() {
                    LegalStatus::Incubating
                } else {
                    LegalStatus::Filed
                };
            }
            if o.name.is_empty() {
                errors
                    .push(RowError { line, column: String::new(), message: "组织名称为空 (empty name)".into() });
                return;
            }
            let key = name_key(&o.name);
            if let Some(first) = seen.get(&key) {
                errors.push(RowError {
                    line,
                    column: String::new(),
                    message: format!("与第{first}行「{}」重复 (duplicate of line {first})", o.name),
                });
            } else if let Some(id) = existing.orgs.get(&key) {
                errors.push(RowError {
                    line,
                    column: String::new(),
                    message: format!("组织「{}」已存在 (编号 {id}) (already in the store)", o.name),
                });
            } else {
                seen.insert(key, line);
            }
        },
    )
}

/// People: the organization column is resolved by name.
pub fn plan_people(bytes: &[u8], existing: &Existing) -> Result<ImportPlan<Person>, ImportError> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    plan(
        bytes,
        input::PERSON_FIELDS,
        &[],
        || Person::new(""),
        input::set_person_field,
        |p, line, values, errors, warnings| {
            if p.name.is_empty() {
                errors.push(RowError { line, column: String::new(), message: "姓名为空 (empty name)".into() });
                return;
            }
            if let Some(org) = values.get("organization").filter(|o| !o.is_empty()) {
                match existing.orgs.get(&name_key(org)) {
                    Some(id) => p.organization = Some(id.clone()),
                    None => errors.push(RowError {
                        line,
                        column: "所属组织".into(),
                        message: format!("找不到组织「{org}」 (no such organization)"),
                    }),
                }
            }
            let key = (name_key(&p.name), p.phone.clone());
            if let Some(first) = seen.get(&key) {
                errors.push(RowError {
                    line,
                    column: String::new(),
                    message: format!("与第{first}行重复 (duplicate of line {first})"),
                });
            } else {
                seen.insert(key, line);
            }
            if existing.people.contains_key(&name_key(&p.name)) {
                warnings.push(RowError {
                    line,
                    column: String::new(),
                    message: format!("已有同名人员「{}」 (a person with this name exists)", p.name),
                });
            }
        },
    )
}

/// Venues: names unique like organizations.
pub fn plan_venues(bytes: &[u8], existing: &Existing) -> Result<ImportPlan<Venue>, ImportError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let blank = || Venue::new("");
    plan(bytes, input::VENUE_FIELDS, &[], blank, input::set_venue_field, |v, line, _, errors, _| {
        if v.name.is_empty() {
            errors.push(RowError { line, column: String::new(), message: "场地名称为空 (empty name)".into() });
            return;
        }
        let key = name_key(&v.name);
        if let Some(first) = seen.get(&key) {
            errors.push(RowError {
                line,
                column: String::new(),
                message: format!("与第{first}行重复 (duplicate of line {first})"),
            });
        } else if existing.venues.contains_key(&key) {
            errors.push(RowError {
                line,
                column: String::new(),
                message: format!("场地「{}」已存在 (already in the store)", v.name),
            });
        } else {
            seen.insert(key, line);
        }
    })
}

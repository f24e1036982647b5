//! Import plans: every row parsed and checked, nothing written. The caller
//! writes the plan in one atomic batch only when it has no errors, or when
//! the user chose to skip the invalid rows.

use super::table::{self, Table, TableRow};
use super::workbook;
use crate::domain::input::{self, FieldSpec};
use crate::domain::validate::name_key;
use crate::domain::*;
use std::collections::HashMap;

/// One problem on one line of the file (line 1 is the first line; in a
/// workbook, the Excel row of the named sheet).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The sheet's name for workbooks; empty for CSV.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sheet: String,
    pub line: usize,
    /// The column's header as written in the file, or empty for the whole row.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.sheet.is_empty() {
            write!(f, "第{}行 (line {})", self.line, self.line)?;
        } else {
            write!(f, "工作表「{}」第{}行 (sheet {}, row {})", self.sheet, self.line, self.sheet, self.line)?;
        }
        if !self.column.is_empty() {
            write!(f, " [{}]", self.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A column holding data that no field takes. The import refuses until the
/// user says to ignore it (`--ignore-column`), so nothing is dropped unseen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmappedColumn {
    pub header: String,
    /// The first non-blank value below the header.
    pub sample: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportPlan<R> {
    /// CSV: the encoding detected; workbooks: the format (XLSX, XLS…).
    pub encoding: &'static str,
    /// The sheet read, for workbooks.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sheet: String,
    /// Line (or Excel row) of the header: title rows above it are skipped.
    pub header_line: usize,
    /// Valid rows, with their line numbers.
    #[serde(skip)]
    pub records: Vec<(usize, R)>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    /// Lines whose rows had errors (each counted once).
    pub invalid_lines: Vec<usize>,
    /// Columns with data that map to no field and were not ignored: nothing may be written.
    pub unmapped: Vec<UnmappedColumn>,
}

impl<R> ImportPlan<R> {
    /// The import may not write anything while a data column would be dropped unseen.
    pub fn blocked(&self) -> bool {
        !self.unmapped.is_empty()
    }
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
    #[error("{0}")]
    Workbook(String),
    #[error("工作簿中没有工作表「{wanted}」,现有: {sheets} (no sheet named {wanted})")]
    NoSuchSheet { wanted: String, sheets: String },
    #[error("工作簿中没有表头含「{required}」的工作表(已查看: {sheets});请用 --sheet 指定 (no sheet has a {required} header)")]
    NoMatchingSheet { required: String, sheets: String },
}

/// How to read the file: which sheet, which data columns the user chose to drop.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// Workbooks: the sheet to read (default: the first whose header matches).
    pub sheet: Option<String>,
    /// Headers of columns to leave out, as written (compared like headers).
    pub ignore_columns: Vec<String>,
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
    /// Credit code -> name of the stored organization holding it.
    pub credit_codes: HashMap<String, String>,
    /// (township key, filing number) -> name of the stored organization holding it.
    pub filing_numbers: HashMap<(String, String), String>,
}

/// A read file: which spec each column maps to, the headers as written,
/// the non-blank data rows.
struct ReadFile {
    sheet: String,
    source: &'static str,
    header_line: usize,
    mapping: Vec<Option<usize>>,
    headers: Vec<String>,
    rows: Vec<TableRow>,
    /// The text of the title rows above the header ("2025年度…考核结果").
    title: String,
}

/// Picks the table (the CSV, or the sheet asked for or the first whose header
/// matches), finds its header row below any title rows and maps each header.
fn read(bytes: &[u8], specs: &[FieldSpec], options: &ImportOptions) -> Result<ReadFile, ImportError> {
    // Each cell normalized once, the fields' labels once per file.
    let keys = input::HeaderKeys::new(specs);
    let known = |c: &str| keys.field_of(c).is_some();
    // The first required field is the one that tells this kind of sheet apart.
    let anchor = specs.iter().position(|s| s.required);
    let required = |c: &str| anchor.is_some_and(|i| keys.names(i, c));
    let table = if table::is_workbook(bytes) {
        let sheets = workbook::read_sheets(bytes)?;
        let names = || sheets.iter().map(|t| t.sheet.as_str()).collect::<Vec<_>>().join("、");
        match &options.sheet {
            Some(wanted) => {
                let found = sheets.iter().position(|t| t.sheet.trim() == wanted.trim());
                let Some(i) = found else {
                    return Err(ImportError::NoSuchSheet { wanted: wanted.clone(), sheets: names() });
                };
                sheets.into_iter().nth(i).expect("index found above")
            }
            None => {
                let matching = sheets.iter().position(|t| {
                    let h = table::find_header(&t.rows, known, required);
                    t.rows.get(h).is_some_and(|r| r.cells.iter().any(|c| required(c)))
                });
                match matching {
                    Some(i) => sheets.into_iter().nth(i).expect("index found above"),
                    None if sheets.len() == 1 => sheets.into_iter().next().expect("one sheet"),
                    None => {
                        let required = specs.iter().find(|s| s.required).map_or("", |s| s.zh).to_string();
                        return Err(ImportError::NoMatchingSheet { required, sheets: names() });
                    }
                }
            }
        }
    } else {
        table::read_csv(bytes)?
    };
    let Table { sheet, source, rows } = table;
    let rows: Vec<TableRow> = rows.into_iter().filter(|r| r.cells.iter().any(|c| !c.trim().is_empty())).collect();
    if rows.is_empty() {
        return Err(ImportError::Empty);
    }
    let h = table::find_header(&rows, known, required);
    let mut rows = rows;
    let data = rows.split_off(h + 1);
    let header_row = rows.pop().expect("header row exists");
    let title: Vec<&str> = rows.iter().flat_map(|r| &r.cells).map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    let title = title.join(" ");
    let headers: Vec<String> = header_row.cells.iter().map(|h| h.trim().to_string()).collect();
    let mut mapping: Vec<Option<usize>> = headers.iter().map(|h| keys.field_of(h)).collect();
    phone_follows_contact(specs, &headers, &mut mapping);
    Ok(ReadFile { sheet, source, header_line: header_row.line, mapping, headers, rows: data, title })
}

/// "联系人" with "联系电话" and no "负责人": the phone is the contact's, not the head's.
fn phone_follows_contact(specs: &[FieldSpec], headers: &[String], mapping: &mut [Option<usize>]) {
    let index = |key: &str| specs.iter().position(|s| s.key == key);
    let (Some(head), Some(head_phone), Some(contact), Some(contact_phone)) =
        (index("head_name"), index("head_phone"), index("contact_name"), index("contact_phone"))
    else {
        return;
    };
    if mapping.contains(&Some(contact)) && !mapping.contains(&Some(head)) && !mapping.contains(&Some(contact_phone)) {
        for (m, h) in mapping.iter_mut().zip(headers) {
            if *m == Some(head_phone) && matches!(input::header_key(h).as_str(), "联系电话" | "联系方式" | "电话")
            {
                *m = Some(contact_phone);
            }
        }
    }
}

/// Serial-number columns that every ledger has and no record needs.
fn is_ignorable(header: &str) -> bool {
    matches!(input::header_key(header).as_str(), "序号" | "编号" | "no" | "no." | "#" | "id")
}

/// Columns our own export writes as a summary of records kept elsewhere
/// (the latest evaluation as "2025 80 良好": four dimensions a total cannot
/// give back). Named once in the check, never blocking a re-import.
fn is_summary(header: &str) -> bool {
    matches!(input::header_key(header).as_str(), "最近考核" | "latestevaluation")
}

/// The name a column goes by in messages: its header, or its position when blank.
fn column_name(headers: &[String], i: usize) -> String {
    match headers.get(i).filter(|h| !h.is_empty()) {
        Some(h) => h.clone(),
        None => format!("第{}列", i + 1),
    }
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

/// What the per-row callback sees beside the record.
pub(crate) struct RowContext<'a> {
    pub line: usize,
    pub sheet: &'a str,
    /// Field key -> the trimmed cell text.
    pub values: &'a HashMap<&'static str, String>,
    /// Field key -> the header as written, for messages.
    pub columns: &'a HashMap<&'static str, String>,
    /// The title rows' text, for a year written only there.
    pub title: &'a str,
}

impl RowContext<'_> {
    pub fn problem(&self, key: &str, message: impl Into<String>) -> RowError {
        RowError {
            sheet: self.sheet.to_string(),
            line: self.line,
            column: self.columns.get(key).cloned().unwrap_or_default(),
            message: message.into(),
        }
    }
}

/// What the row loop asks of a planned row: the rules on it alone. A
/// record's are its `validate`; an evaluation row (kept inside its
/// organization) has its own.
pub(crate) trait Planned {
    fn problems(&self) -> Vec<Problem>;
}

impl<R: Record> Planned for R {
    fn problems(&self) -> Vec<Problem> {
        self.validate()
    }
}

/// Shared row loop: sets every mapped cell, collects errors per line.
pub(crate) fn plan<R: Planned>(
    bytes: &[u8],
    options: &ImportOptions,
    (specs, optional_required): (&'static [FieldSpec], &[&str]),
    mut new_record: impl FnMut() -> R,
    mut set: impl FnMut(&mut R, &str, &str) -> Result<(), String>,
    warn: impl Fn(&str, &str) -> Option<String>,
    mut finish: impl FnMut(&mut R, &RowContext, &mut Vec<RowError>, &mut Vec<RowError>),
) -> Result<ImportPlan<R>, ImportError> {
    let ReadFile { sheet, source, header_line, mapping, headers, rows, title } = read(bytes, specs, options)?;
    check_required(specs, &mapping, optional_required)?;
    let mut out = ImportPlan {
        encoding: source,
        sheet: sheet.clone(),
        header_line,
        records: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        invalid_lines: Vec::new(),
        unmapped: Vec::new(),
    };
    let at = |line: usize, column: String, message: String| RowError { sheet: sheet.clone(), line, column, message };
    // Columns no field takes: blocking when they hold data, unless the user ignored them.
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(headers.len());
    let (mut empty, mut ignored, mut summaries) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..width {
        let header = headers.get(i).map(String::as_str).unwrap_or("");
        if mapping.get(i).copied().flatten().is_some() || is_ignorable(header) {
            continue;
        }
        let name = column_name(&headers, i);
        let sample = rows.iter().filter_map(|r| r.cells.get(i)).map(|c| c.trim()).find(|c| !c.is_empty());
        let wanted_out = options.ignore_columns.iter().any(|c| input::header_key(c) == input::header_key(&name));
        match sample {
            None if !header.is_empty() => empty.push(name),
            None => {}
            Some(_) if wanted_out => ignored.push(name),
            Some(_) if is_summary(header) => summaries.push(name),
            Some(sample) => out.unmapped.push(UnmappedColumn { header: name, sample: sample.to_string() }),
        }
    }
    if !empty.is_empty() {
        let message = format!("未识别的空列,已忽略: {} (unknown empty columns ignored)", empty.join("、"));
        out.warnings.push(at(header_line, String::new(), message));
    }
    if !ignored.is_empty() {
        let message = format!("按要求忽略的列: {} (columns ignored as asked)", ignored.join("、"));
        out.warnings.push(at(header_line, String::new(), message));
    }
    if !summaries.is_empty() {
        let message = format!(
            "{} 是考核摘要(年份 总分 结果),不导入;考核请用 hubsync eval set 录入 (a summary column, not imported: an evaluation has four dimensions; use eval set)",
            summaries.join("、")
        );
        out.warnings.push(at(header_line, String::new(), message));
    }
    let columns: HashMap<&'static str, String> =
        mapping.iter().enumerate().filter_map(|(i, m)| Some((specs[(*m)?].key, headers[i].clone()))).collect();
    for row in rows {
        let mut rec = new_record();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut values: HashMap<&'static str, String> = HashMap::new();
        for (i, message) in &row.bad_cells {
            errors.push(at(row.line, column_name(&headers, *i), message.clone()));
        }
        for (i, cell) in row.cells.iter().enumerate() {
            let Some(Some(spec_i)) = mapping.get(i) else { continue };
            let spec = &specs[*spec_i];
            values.insert(spec.key, cell.trim().to_string());
            if let Err(m) = set(&mut rec, spec.key, cell) {
                errors.push(at(row.line, headers[i].clone(), m));
            } else if let Some(w) = warn(spec.key, cell) {
                warnings.push(at(row.line, headers[i].clone(), w));
            }
        }
        let context = RowContext { line: row.line, sheet: &sheet, values: &values, columns: &columns, title: &title };
        finish(&mut rec, &context, &mut errors, &mut warnings);
        if errors.is_empty() {
            for p in rec.problems() {
                let target = if p.severity == Severity::Error { &mut errors } else { &mut warnings };
                let column = columns.get(p.field).cloned().unwrap_or_else(|| p.field.to_string());
                target.push(at(row.line, column, p.message));
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

/// The township an organization's filing number is unique in: the 9-digit
/// division prefix when the division is that fine, else the county and the
/// township's name as written, else the division itself.
pub fn filing_scope(o: &Organization) -> String {
    filing_scope_of(&o.division, &o.township)
}

pub fn filing_scope_of(division: &str, township: &str) -> String {
    match division.get(..9) {
        Some(prefix) => prefix.to_string(),
        None if !township.trim().is_empty() => format!("{division}/{}", validate::name_key(township)),
        None => division.to_string(),
    }
}

/// Organizations: names, credit codes and filing numbers (per township) unique
/// inside the file and against the store.
pub fn plan_orgs(bytes: &[u8], existing: &Existing) -> Result<ImportPlan<Organization>, ImportError> {
    plan_orgs_with(bytes, existing, &ImportOptions::default())
}

pub fn plan_orgs_with(
    bytes: &[u8],
    existing: &Existing,
    options: &ImportOptions,
) -> Result<ImportPlan<Organization>, ImportError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    let mut seen_filings: HashMap<(String, String), usize> = HashMap::new();
    plan(
        bytes,
        options,
        (input::org_import_fields(), &["division"]),
        || Organization::new("", Category::Other, LegalStatus::Filed, &existing.default_division),
        input::set_org_field,
        input::org_field_warning,
        |o, row, errors, warnings| {
            let line = row.line;
            match row.values.get("legal_status").filter(|v| !v.is_empty()) {
                Some(text) => {
                    if let Ok(reading) = input::legal_reading(text) {
                        let (status, warning) = input::resolve_legal_status(reading, &o.credit_code, &o.filing_number);
                        o.legal_status = status;
                        if let Some(w) = warning {
                            warnings.push(row.problem("legal_status", w));
                        }
                    }
                }
                None => input::set_org_field(o, "legal_status", "").expect("an empty legal status is inferred"),
            }
            if o.name.is_empty() {
                errors.push(row.problem("", "组织名称为空 (empty name)"));
                return;
            }
            let key = name_key(&o.name);
            if let Some(first) = seen.get(&key) {
                errors.push(row.problem("", format!("与第{first}行「{}」重复 (duplicate of line {first})", o.name)));
            } else if let Some(id) = existing.orgs.get(&key) {
                let message = format!("组织「{}」已存在 (编号 {id}) (already in the store)", o.name);
                errors.push(row.problem("", message));
            } else {
                seen.insert(key, line);
            }
            let code_column = if row.columns.contains_key("credit_code") { "credit_code" } else { "code_or_filing" };
            if !o.credit_code.is_empty() {
                let code = o.credit_code.clone();
                if let Some(first) = seen_codes.get(&code) {
                    let message =
                        format!("统一社会信用代码 {code} 与第{first}行重复 (credit code already on line {first})");
                    errors.push(row.problem(code_column, message));
                } else if let Some(holder) = existing.credit_codes.get(&code) {
                    errors.push(row.problem(code_column, validate::credit_code_held(&code, holder)));
                } else {
                    seen_codes.insert(code, line);
                }
            }
            let filing_column =
                if row.columns.contains_key("filing_number") { "filing_number" } else { "code_or_filing" };
            if !o.filing_number.is_empty() {
                let key = (filing_scope(o), o.filing_number.clone());
                let number = &o.filing_number;
                if let Some(first) = seen_filings.get(&key) {
                    let message = format!(
                        "备案编号 {number} 在同一乡镇(街道)与第{first}行重复 (filing number already on line {first} in this township)"
                    );
                    errors.push(row.problem(filing_column, message));
                } else if let Some(holder) = existing.filing_numbers.get(&key) {
                    errors.push(row.problem(filing_column, validate::filing_number_held(number, holder)));
                } else {
                    seen_filings.insert(key, line);
                }
            }
            if let Some(w) = validate::division_outside(&o.division, &existing.default_division) {
                warnings.push(row.problem("division", w));
            }
        },
    )
}

/// People: the organization column is resolved by name.
pub fn plan_people(bytes: &[u8], existing: &Existing) -> Result<ImportPlan<Person>, ImportError> {
    plan_people_with(bytes, existing, &ImportOptions::default())
}

pub fn plan_people_with(
    bytes: &[u8],
    existing: &Existing,
    options: &ImportOptions,
) -> Result<ImportPlan<Person>, ImportError> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    plan(
        bytes,
        options,
        (input::PERSON_FIELDS, &[]),
        || Person::new(""),
        input::set_person_field,
        |_, _| None,
        |p, row, errors, warnings| {
            let (line, values) = (row.line, row.values);
            if p.name.is_empty() {
                errors.push(row.problem("", "姓名为空 (empty name)"));
                return;
            }
            if let Some(org) = values.get("organization").filter(|o| !o.is_empty()) {
                match existing.orgs.get(&name_key(org)) {
                    Some(id) => p.organization = Some(id.clone()),
                    None => {
                        errors.push(row.problem("organization", format!("找不到组织「{org}」 (no such organization)")))
                    }
                }
            }
            let key = (name_key(&p.name), p.phone.clone());
            if let Some(first) = seen.get(&key) {
                errors.push(row.problem("", format!("与第{first}行重复 (duplicate of line {first})")));
            } else {
                seen.insert(key, line);
            }
            if existing.people.contains_key(&name_key(&p.name)) {
                let message = format!("已有同名人员「{}」 (a person with this name exists)", p.name);
                warnings.push(row.problem("", message));
            }
        },
    )
}

/// Venues: names unique like organizations.
pub fn plan_venues(bytes: &[u8], existing: &Existing) -> Result<ImportPlan<Venue>, ImportError> {
    plan_venues_with(bytes, existing, &ImportOptions::default())
}

pub fn plan_venues_with(
    bytes: &[u8],
    existing: &Existing,
    options: &ImportOptions,
) -> Result<ImportPlan<Venue>, ImportError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let blank = || Venue::new("");
    plan(
        bytes,
        options,
        (input::VENUE_FIELDS, &[]),
        blank,
        input::set_venue_field,
        |_, _| None,
        |v, row, errors, _| {
            let line = row.line;
            if v.name.is_empty() {
                errors.push(row.problem("", "场地名称为空 (empty name)"));
                return;
            }
            let key = name_key(&v.name);
            if let Some(first) = seen.get(&key) {
                errors.push(row.problem("", format!("与第{first}行重复 (duplicate of line {first})")));
            } else if existing.venues.contains_key(&key) {
                errors.push(row.problem("", format!("场地「{}」已存在 (already in the store)", v.name)));
            } else {
                seen.insert(key, line);
            }
        },
    )
}

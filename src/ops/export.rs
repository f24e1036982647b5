//! Exporting records (the filing ledger above all) and the report's figures
//! to a file or to bytes. The CLI's `export` and `report` and the TUI's
//! export forms (F12 on the organizations and statistics tabs) call these, so
//! which organizations a ledger takes and what a workbook holds is decided once.

use super::{Env, OpError, OpResult};
use crate::domain::query::OrgSelection;
use crate::domain::report::Report;
use crate::domain::*;
use crate::io::export::{self, Names, Sheet};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Orgs,
    People,
    Liaisons,
    Venues,
    Bookings,
    Trainings,
    Attendance,
    Activities,
    WorkReports,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// UTF-8 with a BOM, or GB18030 for old Excel versions.
    Csv {
        gbk: bool,
    },
    /// The records themselves, stable field codes.
    Json,
    Xlsx,
}

impl Format {
    /// The format a file name asks for (`.xlsx`, `.csv`, `.json`), or None.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv { gbk: false }),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub kind: Kind,
    pub format: Format,
    /// Which organizations (orgs only): a township's ledger, a legal status, a lifecycle.
    pub selection: OrgSelection,
    /// Activities and work reports only: an organization, a division, a period.
    pub activities: super::activities::Selection,
    /// People only: include Party membership (sensitive personal information).
    pub with_party_membership: bool,
    /// The language of the sheet's headers and labels (JSON keeps codes).
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// Records exported.
    pub rows: usize,
}

/// Names of the records exports refer to by id.
pub fn names(store: &crate::store::Store) -> Names {
    let scan = |c: Collection, f: &str| {
        store.scan(c, &[f]).into_iter().map(|r| (r.id, r.values[0].clone().unwrap_or_default())).collect()
    };
    Names {
        orgs: scan(Collection::Orgs, "name"),
        people: scan(Collection::People, "name"),
        venues: scan(Collection::Venues, "name"),
        trainings: scan(Collection::Trainings, "title"),
    }
}

fn json_of<R: serde::Serialize>(records: &[R]) -> OpResult<Vec<u8>> {
    serde_json::to_vec_pretty(records).map_err(|e| OpError::Io(e.into()))
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> OpError {
    OpError::Io(anyhow::anyhow!("XLSX: {e}"))
}

/// The records as the format asks: JSON is the records, CSV and XLSX a sheet with labels.
pub fn export(env: &mut Env, cmd: &Export) -> OpResult<Exported> {
    export_with_progress(env, cmd, &mut |_, _| {})
}

/// `export`, telling `progress` its two steps: the records read and laid
/// out as a sheet, then the file's bytes (a workbook of a province's
/// organizations takes a while).
pub fn export_with_progress(env: &mut Env, cmd: &Export, progress: super::Progress) -> OpResult<Exported> {
    let per_org = matches!(cmd.kind, Kind::Activities | Kind::WorkReports);
    let s = &cmd.selection;
    if cmd.kind != Kind::Orgs && (s.legal_status.is_some() || s.lifecycle.is_some()) {
        return Err(OpError::invalid(
            "legal_status",
            "法律状态/状态筛选只用于导出组织 (--legal-status/--lifecycle are for `export orgs` only)",
        ));
    }
    if cmd.kind != Kind::Orgs && !per_org && (s.division.is_some() || cmd.activities.division.is_some()) {
        return Err(OpError::invalid(
            "division",
            "--division 只用于导出组织、活动和工作报告 (only for `export orgs|activities|work-reports`)",
        ));
    }
    let a = &cmd.activities;
    if !per_org && (a.org.is_some() || a.period.is_some()) {
        return Err(OpError::invalid(
            "period",
            "--org/--period 只用于导出活动和工作报告 (only for `export activities|work-reports`)",
        ));
    }
    progress(0, 2);
    let lang = cmd.lang;
    let n = names(env.store);
    let (sheet, json): (Sheet, Vec<u8>) = match cmd.kind {
        Kind::Activities => {
            let v = super::activities::select_activities(env, a)?;
            (crate::io::activity_export::activities_sheet(&v, &n, lang), json_of(&v)?)
        }
        Kind::WorkReports => {
            let v = super::activities::select_work_reports(env, a)?;
            (crate::io::activity_export::work_reports_sheet(&v, &n, lang), json_of(&v)?)
        }
        Kind::Orgs => {
            let mut v = env.store.all::<Organization>()?;
            if let Some(t) = &s.township {
                let key = crate::domain::validate::name_key(t);
                if !v.iter().any(|o| crate::domain::validate::name_key(&o.township) == key) {
                    return Err(OpError::invalid(
                        "township",
                        format!("没有组织属于乡镇(街道)「{t}」 (no organization in a township of that name)"),
                    ));
                }
            }
            v.retain(|o| s.matches(o));
            (export::orgs_sheet(&v, &env.store.evaluation_settings(), lang), json_of(&v)?)
        }
        Kind::People => {
            let mut v = env.store.all::<Person>()?;
            let sheet = export::people_sheet(&v, &n, lang, cmd.with_party_membership);
            if !cmd.with_party_membership {
                v.iter_mut().for_each(|p| p.party_member = false);
            }
            (sheet, json_of(&v)?)
        }
        Kind::Liaisons => {
            let v = env.store.all::<LiaisonAssignment>()?;
            (export::liaisons_sheet(&v, &n, lang), json_of(&v)?)
        }
        Kind::Venues => {
            let v = env.store.all::<Venue>()?;
            (export::venues_sheet(&v, lang), json_of(&v)?)
        }
        Kind::Bookings => {
            let v = env.store.all::<Booking>()?;
            (export::bookings_sheet(&v, &n, lang), json_of(&v)?)
        }
        Kind::Trainings => {
            let v = env.store.all::<Training>()?;
            (export::trainings_sheet(&v, &n, lang), json_of(&v)?)
        }
        Kind::Attendance => {
            let v = env.store.all::<Attendance>()?;
            (export::attendance_sheet(&v, &n, lang), json_of(&v)?)
        }
    };
    progress(1, 2);
    let rows = sheet.rows.len();
    let bytes = match cmd.format {
        Format::Csv { gbk } => export::to_csv(&sheet, gbk),
        Format::Json => json,
        Format::Xlsx => export::to_xlsx(&sheet).map_err(xlsx)?,
    };
    progress(2, 2);
    Ok(Exported { bytes, rows })
}

/// The report at a date; records a peer broke are named, not fatal.
pub fn report(env: &Env, as_of: NaiveDate) -> (Report, Vec<String>) {
    let (report, problems) = env.store.report(as_of);
    (report, problems.iter().map(ToString::to_string).collect())
}

/// How much of the report a file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportPart {
    /// Everything: the indicator workbook, the long CSV, the whole JSON.
    #[default]
    All,
    /// One line per township (the statistics tab's township view).
    Townships,
    /// Each instructor and liaison with the organizations assigned (the liaison view).
    LiaisonLoad,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportFile {
    /// The reporting date; None: the clock's today.
    pub as_of: Option<NaiveDate>,
    /// All: CSV the long table of stable codes, JSON the whole report, XLSX
    /// the indicator workbook. A part: its one sheet (XLSX, or CSV as the
    /// sheet shows it), or its records (JSON).
    pub format: Format,
    /// The workbook's sheet names and headers (the long CSV and JSON keep codes).
    pub lang: Lang,
    pub part: ReportPart,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportBytes {
    pub bytes: Vec<u8>,
    pub as_of: NaiveDate,
    /// Records that could not be read (a peer's damage), named.
    pub problems: Vec<String>,
}

/// The report in a machine format: the bureau's workbook, or the stable-code CSV/JSON.
pub fn report_bytes(env: &Env, cmd: &ReportFile) -> OpResult<ReportBytes> {
    let as_of = cmd.as_of.unwrap_or_else(|| env.today());
    let (report, problems) = report(env, as_of);
    if cmd.part != ReportPart::All {
        let federation = env.store.federation();
        let book = crate::io::figures::Book { report: &report, federation: federation.as_ref(), lang: cmd.lang };
        let (sheet, json) = match cmd.part {
            ReportPart::Townships => (crate::io::figures::townships(&book), serde_json::to_value(&report.townships)),
            _ => (crate::io::figures::liaison_load(&book), serde_json::to_value(&report.liaison_load)),
        };
        let bytes = match cmd.format {
            Format::Json => {
                let mut text = serde_json::to_string_pretty(&json.map_err(|e| OpError::Io(e.into()))?)
                    .map_err(|e| OpError::Io(e.into()))?;
                text.push('\n');
                text.into_bytes()
            }
            Format::Csv { .. } => crate::io::figures::sheet_csv(&sheet),
            Format::Xlsx => crate::io::figures::to_xlsx(std::slice::from_ref(&sheet)).map_err(xlsx)?,
        };
        return Ok(ReportBytes { bytes, as_of, problems });
    }
    let bytes = match cmd.format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&report).map_err(|e| OpError::Io(e.into()))?;
            text.push('\n');
            text.into_bytes()
        }
        Format::Csv { .. } => crate::io::figures::to_csv(&report),
        Format::Xlsx => {
            let federation = env.store.federation();
            let sheets = crate::io::figures::sheets(&report, federation.as_ref(), cmd.lang);
            crate::io::figures::to_xlsx(&sheets).map_err(xlsx)?
        }
    };
    Ok(ReportBytes { bytes, as_of, problems })
}

/// What a file is to hold: a ledger (any export) or the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Records(Export),
    Report(ReportFile),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SaveFile {
    pub content: Content,
    pub path: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileSaved {
    pub path: PathBuf,
    /// Records in a ledger; figures sheets are not counted (0).
    pub rows: usize,
    pub problems: Vec<String>,
}

/// Writes the export or the report to a file, named in the error when it cannot.
pub fn save_file(env: &mut Env, cmd: SaveFile) -> OpResult<FileSaved> {
    let (bytes, rows, problems) = match &cmd.content {
        Content::Records(e) => {
            let done = export(env, e)?;
            (done.bytes, done.rows, Vec::new())
        }
        Content::Report(r) => {
            let done = report_bytes(env, r)?;
            (done.bytes, 0, done.problems)
        }
    };
    write(&cmd.path, &bytes)?;
    Ok(FileSaved { path: cmd.path, rows, problems })
}

/// Writes a file whole: to a temporary name beside it, then renamed, so a
/// full disk or a crash never leaves half a workbook under the real name.
pub fn write(path: &Path, bytes: &[u8]) -> OpResult<()> {
    let fail =
        |e: std::io::Error| OpError::Io(anyhow::anyhow!("无法写入 {}: {e} (cannot write the file)", path.display()));
    if path.as_os_str().is_empty() {
        return Err(OpError::invalid("path", "请填写文件路径 (a file path is required)"));
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        fail(e)
    })?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        fail(e)
    })
}

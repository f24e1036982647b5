//! Exporting records (the filing ledger above all) and the report's figures
//! to a file or to bytes. The CLI's `export` and `report` and the TUI's
//! export forms (F12 on the organizations and statistics tabs) call these, so
//! which organizations a ledger takes and what a workbook holds is decided once.

use super::network::{Arrives, FedRow};
use super::{Env, OpError, OpResult, Unreadable};
use crate::domain::query::OrgSelection;
use crate::domain::report::Report;
use crate::domain::*;
use crate::io::export::{self, Names, Sheet};
use crate::store::DocId;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// The records an export holds, serialized as their bare list (the JSON
/// export) or inside a scoped export's object.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Records {
    Orgs(Vec<Organization>),
    People(Vec<Person>),
    Liaisons(Vec<LiaisonAssignment>),
    Venues(Vec<Venue>),
    Bookings(Vec<Booking>),
    Trainings(Vec<Training>),
    Attendance(Vec<Attendance>),
    Activities(Vec<Activity>),
    WorkReports(Vec<WorkReport>),
}

fn json_of<T: serde::Serialize + ?Sized>(value: &T) -> OpResult<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| OpError::Io(e.into()))
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> OpError {
    OpError::Io(anyhow::anyhow!("XLSX: {e}"))
}

/// Which documents an export reads: all held, or a subtree's.
type Keep<'k> = Option<&'k dyn Fn(&DocId) -> bool>;

/// The records as the format asks: JSON is the records, CSV and XLSX a sheet with labels.
pub fn export(env: &mut Env, cmd: &Export) -> OpResult<Exported> {
    export_with_progress(env, cmd, &mut |_, _| {})
}

/// `export`, telling `progress` its two steps: the records read and laid
/// out as a sheet, then the file's bytes (a workbook of a province's
/// organizations takes a while).
pub fn export_with_progress(env: &mut Env, cmd: &Export, progress: super::Progress) -> OpResult<Exported> {
    let (sheet, records) = select(env, cmd, None, progress)?;
    progress(1, 2);
    let rows = sheet.rows.len();
    let bytes = match cmd.format {
        Format::Csv { gbk } => export::to_csv(&sheet, gbk),
        Format::Json => json_of(&records)?,
        Format::Xlsx => export::to_xlsx(&sheet).map_err(xlsx)?,
    };
    progress(2, 2);
    Ok(Exported { bytes, rows })
}

/// The sheet and the records of an export, from the documents `keep`
/// admits; `progress` hears the start once the command is checked.
fn select(env: &mut Env, cmd: &Export, keep: Keep, progress: super::Progress) -> OpResult<(Sheet, Records)> {
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
    fn all<R: Record>(env: &Env, keep: Keep) -> OpResult<Vec<R>> {
        Ok(match keep {
            None => env.store.all::<R>()?,
            Some(keep) => env.store.all_in::<R>(keep)?,
        })
    }
    Ok(match cmd.kind {
        Kind::Activities => {
            let mut v = super::activities::select_activities(env, a)?;
            if let Some(keep) = keep {
                let ids: HashSet<RecordId> = env.store.activity_rows_within(keep).into_iter().map(|r| r.id).collect();
                v.retain(|x| ids.contains(&x.id));
            }
            (crate::io::activity_export::activities_sheet(&v, &n, lang), Records::Activities(v))
        }
        Kind::WorkReports => {
            let mut v = super::activities::select_work_reports(env, a)?;
            if keep.is_some() {
                let ids: HashSet<RecordId> = all::<WorkReport>(env, keep)?.into_iter().map(|w| w.id).collect();
                v.retain(|x| ids.contains(&x.id));
            }
            (crate::io::activity_export::work_reports_sheet(&v, &n, lang), Records::WorkReports(v))
        }
        Kind::Orgs => {
            let mut v = all::<Organization>(env, keep)?;
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
            (export::orgs_sheet(&v, &env.store.evaluation_settings(), lang), Records::Orgs(v))
        }
        Kind::People => {
            let mut v = all::<Person>(env, keep)?;
            let sheet = export::people_sheet(&v, &n, lang, cmd.with_party_membership);
            if !cmd.with_party_membership {
                v.iter_mut().for_each(|p| p.party_member = false);
            }
            (sheet, Records::People(v))
        }
        Kind::Liaisons => {
            let v = all::<LiaisonAssignment>(env, keep)?;
            (export::liaisons_sheet(&v, &n, lang), Records::Liaisons(v))
        }
        Kind::Venues => {
            let v = all::<Venue>(env, keep)?;
            (export::venues_sheet(&v, lang), Records::Venues(v))
        }
        Kind::Bookings => {
            let v = all::<Booking>(env, keep)?;
            (export::bookings_sheet(&v, &n, lang), Records::Bookings(v))
        }
        Kind::Trainings => {
            let v = all::<Training>(env, keep)?;
            (export::trainings_sheet(&v, &n, lang), Records::Trainings(v))
        }
        Kind::Attendance => {
            let v = all::<Attendance>(env, keep)?;
            (export::attendance_sheet(&v, &n, lang), Records::Attendance(v))
        }
    })
}

/// An export restricted to a subtree of the network, saying what it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopedExport {
    pub bytes: Vec<u8>,
    /// Records exported.
    pub rows: usize,
    /// The federations whose records it holds, in tree order.
    pub covers: Vec<FedRow>,
    /// When the export was made (our clock).
    pub as_of: NaiveDateTime,
    /// How current the data is: the oldest last change received of the
    /// federations covered (ours counts as `as_of`); None when a covered
    /// federation's arrival was never recorded.
    pub data_as_of: Option<NaiveDateTime>,
}

/// `export KIND --under CODE`: the records of the federations at and below
/// a federation (its id or division code), or inside a division, as
/// `export` selects them. The file says what it covers (docs/REPORTS.md,
/// "Coverage"): CSV a title row above the header, JSON an object with
/// `as_of`, `data_as_of`, `under`, `covers` and `records`, XLSX a second
/// sheet 涵盖范围 listing each federation.
pub fn export_under(env: &mut Env, cmd: &Export, under: &str) -> OpResult<ScopedExport> {
    export_under_with_progress(env, cmd, under, &mut |_, _| {})
}

/// `export_under`, telling `progress` the same two steps as `export`.
pub fn export_under_with_progress(
    env: &mut Env,
    cmd: &Export,
    under: &str,
    progress: super::Progress,
) -> OpResult<ScopedExport> {
    let peers = crate::sync::Peers::load(env.dir())?;
    let as_of = env.clock.now();
    let scope = super::network::Scope::new(env.store, &peers.peers, as_of, under)?;
    // As the subtree was found: a division typed in fullwidth digits, folded.
    let under = crate::domain::validate::check_division(under.trim()).unwrap_or_else(|_| under.trim().to_string());
    let under = under.as_str();
    let keep = |d: &DocId| scope.holds(d);
    let (sheet, records) = select(env, cmd, Some(&keep), progress)?;
    let covers = scope.covers;
    progress(1, 2);
    let data_as_of = covers
        .iter()
        .map(|r| if r.arrives == Arrives::Home { Some(as_of) } else { r.last_received })
        .try_fold(as_of, |oldest, at| at.map(|at| oldest.min(at)));
    let lang = cmd.lang;
    let bytes = match cmd.format {
        Format::Csv { gbk } => {
            export::to_csv_titled(&sheet, Some(&coverage_title(under.trim(), &covers, data_as_of, lang)), gbk)
        }
        Format::Json => json_of(&serde_json::json!({
            "under": under.trim(),
            "as_of": as_of,
            "data_as_of": data_as_of,
            "covers": covers,
            "records": records,
        }))?,
        Format::Xlsx => export::to_xlsx_sheets(&[sheet.clone(), coverage_sheet(&covers, lang)]).map_err(xlsx)?,
    };
    progress(2, 2);
    Ok(ScopedExport { bytes, rows: sheet.rows.len(), covers, as_of, data_as_of })
}

/// The title row of a scoped CSV: what it covers and how current it is
/// ("涵盖范围: 成都市联合会(510100)及下级 2 个联合会,数据截至 2026-11-01").
fn coverage_title(under: &str, covers: &[FedRow], data_as_of: Option<NaiveDateTime>, lang: Lang) -> String {
    let top = covers.iter().find(|r| r.id == under || (!r.division.is_empty() && r.division == under));
    let scope = match top {
        Some(t) if covers.len() == 1 => format!("{}({})", t.name, t.division),
        Some(t) => {
            let below = covers.len() - 1;
            lang.pick(
                format!("{}({})及下级 {below} 个联合会", t.name, t.division),
                format!("{} ({}) and {below} federations below it", t.name, t.division),
            )
        }
        None => lang.pick(
            format!("行政区划 {under} 内的 {} 个联合会", covers.len()),
            format!("{} federations within division {under}", covers.len()),
        ),
    };
    let when = match data_as_of {
        Some(t) => format!("{} {}", lang.pick("数据截至", "data as of"), t.format("%Y-%m-%d")),
        None => lang.pick("部分联合会数据时间未记录", "data time not recorded for some").to_string(),
    };
    format!("{}: {scope}{}{when}", lang.pick("涵盖范围", "Covers"), lang.pick(",", ", "))
}

/// The 涵盖范围 sheet: each federation covered, its level and division, how
/// its data arrives and when a change of it last did.
fn coverage_sheet(covers: &[FedRow], lang: Lang) -> Sheet {
    let p = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let rows = covers
        .iter()
        .map(|r| {
            let arrives = match &r.arrives {
                Arrives::Home => p("本联合会", "ours"),
                Arrives::Direct { peer } => format!("{} {peer}", lang.pick("直接自", "directly from")),
                Arrives::Via { peer } => format!("{} {peer}", lang.pick("经由", "through")),
                Arrives::NotRecorded => p("未记录", "not recorded"),
            };
            let last = match (&r.arrives, r.last_received) {
                (Arrives::Home, _) => p("即时", "current"),
                (_, Some(t)) => t.format("%Y-%m-%d %H:%M").to_string(),
                (_, None) => p("未记录", "not recorded"),
            };
            let name = format!("{}{}", "  ".repeat(r.depth), r.name);
            vec![
                name,
                r.level.map(|l| l.label(lang).to_string()).unwrap_or_default(),
                r.division.clone(),
                arrives,
                last,
            ]
        })
        .collect();
    Sheet {
        name: p("涵盖范围", "Coverage"),
        headers: vec![
            p("联合会", "Federation"),
            p("层级", "Level"),
            p("行政区划", "Division"),
            p("数据来源", "Arrives"),
            p("最后收到变更", "Last change received"),
        ],
        rows,
    }
}

/// The report at a date, shared with the store's kept one; records a peer
/// broke are named, not fatal.
pub fn report(env: &Env, as_of: NaiveDate) -> (Arc<Report>, Vec<Unreadable>) {
    let (report, problems) = env.store.report(as_of);
    (report, problems.iter().map(Unreadable::from).collect())
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
    /// Only the federations at and below this one (its id or division
    /// code), as `report --under`; None: everything held.
    pub under: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportBytes {
    pub bytes: Vec<u8>,
    pub as_of: NaiveDate,
    /// Records that could not be read (a peer's damage), named.
    pub problems: Vec<Unreadable>,
    /// The federations a report `under` one covers, in tree order; empty
    /// for the whole report.
    pub covers: Vec<FedRow>,
}

/// The report in a machine format: the bureau's workbook, or the stable-code CSV/JSON.
pub fn report_bytes(env: &Env, cmd: &ReportFile) -> OpResult<ReportBytes> {
    let as_of = cmd.as_of.unwrap_or_else(|| env.today());
    // A subtree's report is totalled and titled under its top federation
    // (the first in tree order), and its JSON says what it covers.
    let (report, problems, covers, federation) = match &cmd.under {
        None => {
            let (report, problems) = report(env, as_of);
            (report, problems, Vec::new(), env.store.federation())
        }
        Some(under) => {
            let peers = crate::sync::Peers::load(env.dir())?;
            let scoped = super::network::report_under(env.store, &peers.peers, env.clock.now(), under, as_of)?;
            let top = env.store.federation_record(&RecordId(scoped.covers[0].id.clone()));
            (Arc::new(scoped.report), scoped.problems, scoped.covers, top)
        }
    };
    let report: &Report = &report;
    let json_text = |mut value: serde_json::Value| -> OpResult<Vec<u8>> {
        if let (serde_json::Value::Object(map), false) = (&mut value, covers.is_empty()) {
            map.insert("covers".into(), serde_json::to_value(&covers).map_err(|e| OpError::Io(e.into()))?);
        }
        let mut text = serde_json::to_string_pretty(&value).map_err(|e| OpError::Io(e.into()))?;
        text.push('\n');
        Ok(text.into_bytes())
    };
    let to_value = |v: Result<serde_json::Value, serde_json::Error>| v.map_err(|e| OpError::Io(e.into()));
    let bytes = if cmd.part != ReportPart::All {
        let book = crate::io::figures::Book { report, federation: federation.as_ref(), lang: cmd.lang };
        let (sheet, json) = match cmd.part {
            ReportPart::Townships => (crate::io::figures::townships(&book), serde_json::to_value(&report.townships)),
            _ => (crate::io::figures::liaison_load(&book), serde_json::to_value(&report.liaison_load)),
        };
        match cmd.format {
            // A part's records stay a list; what it covers goes beside them.
            Format::Json if covers.is_empty() => json_text(to_value(json)?)?,
            Format::Json => json_text(serde_json::json!({ "records": to_value(json)? }))?,
            Format::Csv { .. } => crate::io::figures::sheet_csv(&sheet),
            Format::Xlsx => crate::io::figures::to_xlsx(std::slice::from_ref(&sheet)).map_err(xlsx)?,
        }
    } else {
        match cmd.format {
            Format::Json => json_text(to_value(serde_json::to_value(report))?)?,
            Format::Csv { .. } => crate::io::figures::to_csv(report),
            Format::Xlsx => {
                let sheets = crate::io::figures::sheets(report, federation.as_ref(), cmd.lang);
                crate::io::figures::to_xlsx(&sheets).map_err(xlsx)?
            }
        }
    };
    Ok(ReportBytes { bytes, as_of, problems, covers })
}

/// What a file is to hold: a ledger (any export) or the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Records(Export),
    /// A ledger of the federations at and below one (its id or division
    /// code), as `export --under`.
    RecordsUnder(Export, String),
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
    /// Records a report file leaves out, unreadable.
    pub problems: Vec<Unreadable>,
    /// The federations a file made `under` one covers; empty otherwise.
    pub covers: Vec<FedRow>,
}

/// Writes the export or the report to a file, named in the error when it cannot.
pub fn save_file(env: &mut Env, cmd: SaveFile) -> OpResult<FileSaved> {
    let (bytes, rows, problems, covers) = match &cmd.content {
        Content::Records(e) => {
            let done = export(env, e)?;
            (done.bytes, done.rows, Vec::new(), Vec::new())
        }
        Content::RecordsUnder(e, under) => {
            let done = export_under(env, e, under)?;
            (done.bytes, done.rows, Vec::new(), done.covers)
        }
        Content::Report(r) => {
            let done = report_bytes(env, r)?;
            (done.bytes, 0, done.problems, done.covers)
        }
    };
    write(&cmd.path, &bytes)?;
    Ok(FileSaved { path: cmd.path, rows, problems, covers })
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

//! Exporting from the UI (issue 9 point 7): F12 on the organizations tab
//! writes the filing ledger (a township's, a legal status, a lifecycle), F12
//! on the statistics tab the report (the bureau's indicator workbook, or its
//! CSV/JSON). A path prompt with a default file name beside the data
//! directory; the file's ending picks the format; a federation id or
//! division code limits either to that federation and those below it, as
//! `--under` does on the command line. Both call
//! `ops::export::save_file`, as the CLI's `export` and `report` do.

use super::app::Effect;
use super::forms::{vocab, Choice, Form, FormField, FormKind};
use super::i18n::T;
use crate::domain::query::OrgSelection;
use crate::domain::{validate, Lang, LegalStatus, Lifecycle};
use crate::ops::export::{Content, Export, Format, Kind, ReportFile, ReportPart, SaveFile};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

pub const LEDGER_TITLE: T = T("导出备案台账", "Export the filing ledger");
pub const REPORT_TITLE: T = T("导出统计报表", "Export the report");
pub const TOWNSHIPS_TITLE: T = T("导出各乡镇统计", "Export the township figures");
pub const LIAISONS_TITLE: T = T("导出联络员负荷", "Export the liaison load");
const FIELD_PATH: T = T("文件(.xlsx/.csv)", "File (.xlsx/.csv)");
const FIELD_REPORT_PATH: T = T("文件(.xlsx/.csv/.json)", "File (.xlsx/.csv/.json)");
const FIELD_TOWNSHIP: T = T("乡镇(街道)代码或名称", "Township code or name");
const FIELD_LEGAL: T = T("法律状态", "Legal status");
const FIELD_LIFECYCLE: T = T("状态", "Status");
const FIELD_AS_OF: T = T("统计截止日期", "As of");
const FIELD_UNDER: T = T("所辖范围(区划或编号)", "Under (division or id)");
const ALL_CHOICE: T = T("全部", "all");

/// What an export form writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Ledger,
    /// The whole report, or the part the statistics tab shows.
    Report(ReportPart),
}

/// A file name beside the data directory (its parent), else in the working
/// directory: 备案管理台账-2026-12-02.xlsx.
pub fn default_path(dir: Option<&Path>, stem: &str, today: NaiveDate) -> String {
    let name = format!("{stem}-{today}.xlsx");
    match dir {
        Some(d) => d.join(name).display().to_string(),
        None => name,
    }
}

fn with_all(v: Vec<Choice>) -> Vec<Choice> {
    std::iter::once(ALL_CHOICE.into()).chain(v).collect()
}

pub fn ledger_form(lang: Lang, dir: Option<&Path>, today: NaiveDate) -> Form {
    let stem = T("备案管理台账", "filing-ledger").get(lang);
    let all = ALL_CHOICE.get(lang);
    let fields = vec![
        FormField::text("path", FIELD_PATH, &default_path(dir, stem, today), true),
        FormField::text("township", FIELD_TOWNSHIP, "", false),
        FormField::select("legal_status", FIELD_LEGAL, all, false, with_all(vocab::<LegalStatus>())),
        FormField::select("lifecycle", FIELD_LIFECYCLE, all, false, with_all(vocab::<Lifecycle>())),
        FormField::text("under", FIELD_UNDER, "", false),
    ];
    Form::new(FormKind::Export(Target::Ledger), LEDGER_TITLE, fields)
}

/// The report, or the part of it the statistics tab shows (its township or
/// liaison view): the same figures, one sheet.
pub fn report_form(lang: Lang, dir: Option<&Path>, today: NaiveDate, part: ReportPart) -> Form {
    let (stem, title) = match part {
        ReportPart::All => (T("统计报表", "report"), REPORT_TITLE),
        ReportPart::Townships => (T("各乡镇统计", "townships"), TOWNSHIPS_TITLE),
        ReportPart::LiaisonLoad => (T("联络员负荷", "liaison-load"), LIAISONS_TITLE),
    };
    let fields = vec![
        FormField::text("path", FIELD_REPORT_PATH, &default_path(dir, stem.get(lang), today), true),
        FormField::text("as_of", FIELD_AS_OF, &today.to_string(), true),
        FormField::text("under", FIELD_UNDER, "", false),
    ];
    Form::new(FormKind::Export(Target::Report(part)), title, fields)
}

/// A choice field's value, None for "all".
fn chosen(form: &Form, key: &str) -> Option<String> {
    let v = form.value(key).trim();
    (!v.is_empty() && v != ALL_CHOICE.0 && v != ALL_CHOICE.1).then(|| v.to_string())
}

/// The file a filled-in form asks for, or None with its fields marked.
pub fn effect(form: &mut Form, target: Target, lang: Lang) -> Option<Effect> {
    form.clear_errors();
    let typed = form.value("path").trim().trim_matches('"').to_string();
    let path = PathBuf::from(&typed);
    let format = match Format::of_path(&path) {
        Some(Format::Json) if target == Target::Ledger => None,
        other => other,
    };
    if typed.is_empty() {
        form.mark("path", T("请填写文件路径", "a file path is required").get(lang).into());
    } else if format.is_none() {
        let accepted = if target == Target::Ledger { ".xlsx、.csv" } else { ".xlsx、.csv、.json" };
        form.mark("path", format!("文件名应以 {accepted} 结尾 (the file name must end in {accepted}): {typed}"));
    }
    // Blank: everything this node holds; else the subtree `export --under`
    // and `report --under` cover (an unknown one is named at the field).
    let under = Some(form.value("under").trim().to_string()).filter(|u| !u.is_empty());
    let content = match target {
        Target::Ledger => {
            let township = Some(form.value("township").trim().to_string()).filter(|t| !t.is_empty());
            let legal = chosen(form, "legal_status");
            let lifecycle = chosen(form, "lifecycle");
            match OrgSelection::parse(township.as_deref(), legal.as_deref(), lifecycle.as_deref()) {
                Ok(selection) => {
                    let export = Export {
                        kind: Kind::Orgs,
                        format: format.unwrap_or(Format::Xlsx),
                        selection,
                        activities: Default::default(),
                        with_party_membership: false,
                        lang,
                    };
                    Some(match under {
                        Some(under) => Content::RecordsUnder(export, under),
                        None => Content::Records(export),
                    })
                }
                Err(m) => {
                    form.mark("township", m);
                    None
                }
            }
        }
        Target::Report(part) => match validate::parse_date(form.value("as_of")) {
            Ok(day) => Some(Content::Report(ReportFile {
                as_of: Some(day),
                format: format.unwrap_or(Format::Xlsx),
                lang,
                part,
                under,
            })),
            Err(e) => {
                form.mark("as_of", e.0);
                None
            }
        },
    };
    if !form.complete(lang) {
        return None;
    }
    Some(Effect::Export(Box::new(SaveFile { content: content?, path })))
}

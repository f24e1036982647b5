//! Activity exports: activities and work reports per organization and
//! period, and the volunteer-service certificate (志愿服务证明).

use super::export::{to_csv, to_xlsx, Names, Sheet};
use crate::domain::*;
use crate::ops::activities::Certificate;
use std::path::Path;

fn headers(lang: Lang, cols: &[(&str, &str)]) -> Vec<String> {
    cols.iter().map(|(zh, en)| lang.pick(*zh, *en).to_string()).collect()
}

fn name(map: &std::collections::HashMap<RecordId, String>, id: &RecordId) -> String {
    map.get(id).cloned().unwrap_or_else(|| id.to_string())
}

fn yes(b: bool, lang: Lang) -> String {
    match (b, lang) {
        (true, Lang::Zh) => "是".into(),
        (false, Lang::Zh) => "否".into(),
        (true, Lang::En) => "yes".into(),
        (false, Lang::En) => "no".into(),
    }
}

/// Hours without a needless ".0": 2, 2.5.
fn hours_text(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h}")
    }
}

/// One row per activity, oldest first; the headers read back by `import activities`.
pub fn activities_sheet(list: &[Activity], names: &Names, lang: Lang) -> Sheet {
    let mut sorted: Vec<&Activity> = list.iter().collect();
    sorted.sort_by(|a, b| (a.date, &a.start, &a.title).cmp(&(b.date, &b.start, &b.title)));
    let rows = sorted
        .iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                a.organizations.iter().map(|o| name(&names.orgs, o)).collect::<Vec<_>>().join("、"),
                a.date.to_string(),
                a.start.clone().unwrap_or_default(),
                a.end.clone().unwrap_or_default(),
                a.title.clone(),
                a.kind.label(lang).to_string(),
                code_list::labels(&a.targets, lang),
                a.venue.as_ref().map(|v| name(&names.venues, v)).unwrap_or_default(),
                a.place.clone(),
                a.headcount.map(|n| n.to_string()).unwrap_or_default(),
                a.beneficiaries.map(|n| n.to_string()).unwrap_or_default(),
                // Each volunteer with the hours credited, as `import activities` reads them.
                a.participants
                    .iter()
                    .map(|(p, h)| format!("{}:{}", name(&names.people, p), hours_text(*h)))
                    .collect::<Vec<_>>()
                    .join("、"),
                format!("{:.1}", a.volunteer_hours()),
                yes(a.major, lang),
                if a.major {
                    a.report_status.unwrap_or(ReportStatus::Due).label(lang).to_string()
                } else {
                    String::new()
                },
                a.reported_to.clone(),
                a.reported_on.map(|d| d.to_string()).unwrap_or_default(),
                a.reported_via.map(|v| v.label(lang).to_string()).unwrap_or_default(),
                a.notes.clone(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("活动台账", "Activities").into(),
        headers: headers(
            lang,
            &[
                ("序号", "No."),
                ("组织名称", "Organization"),
                ("活动日期", "Date"),
                ("开始时间", "Start"),
                ("结束时间", "End"),
                ("活动名称", "Title"),
                ("活动类型", "Type"),
                ("服务对象", "Target groups"),
                ("场地", "Venue"),
                ("地点", "Place"),
                ("参与人数", "Headcount"),
                ("受益人数", "Beneficiaries"),
                ("志愿者", "Volunteers"),
                ("志愿服务时长", "Volunteer hours"),
                ("重大活动", "Major"),
                ("报告状态", "Report status"),
                ("报告对象", "Reported to"),
                ("报告日期", "Reported on"),
                ("报告方式", "Report channel"),
                ("备注", "Notes"),
            ],
        ),
        rows,
    }
}

pub fn work_reports_sheet(list: &[WorkReport], names: &Names, lang: Lang) -> Sheet {
    let mut sorted: Vec<&WorkReport> = list.iter().collect();
    sorted.sort_by(|a, b| (a.period, a.reported_on, &a.id).cmp(&(b.period, b.reported_on, &b.id)));
    let rows = sorted
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                name(&names.orgs, &r.organization),
                r.period.label(lang),
                r.reported_on.to_string(),
                code_list::labels(&r.committees, lang),
                r.reported_to.clone(),
                r.summary.clone(),
                r.review.map(|x| x.label(lang).to_string()).unwrap_or_default(),
                r.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
                r.reviewed_by.clone(),
                r.review_notes.clone(),
            ]
        })
        .collect();
    Sheet {
        name: lang.pick("工作报告", "Work reports").into(),
        headers: headers(
            lang,
            &[
                ("序号", "No."),
                ("组织名称", "Organization"),
                ("报告期间", "Period"),
                ("报告日期", "Reported on"),
                ("报告对象", "Recipients"),
                ("接收单位", "Reported to"),
                ("报告内容", "Summary"),
                ("评议结果", "Review"),
                ("评议日期", "Reviewed on"),
                ("评议人", "Reviewed by"),
                ("评议意见", "Review notes"),
            ],
        ),
        rows,
    }
}

/// The certificate as a sheet: one line per activity and a total line.
pub fn certificate_sheet(c: &Certificate, lang: Lang) -> Sheet {
    let mut rows: Vec<Vec<String>> = c
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                e.date.to_string(),
                e.title.clone(),
                e.kind.map(|k| k.label(lang).to_string()).unwrap_or_default(),
                e.organization.clone(),
                format!("{:.1}", e.hours),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        String::new(),
        lang.pick("合计", "Total").into(),
        String::new(),
        String::new(),
        format!("{:.1}", c.total_hours),
    ]);
    Sheet {
        name: lang.pick("志愿服务证明", "Volunteer service").into(),
        headers: headers(
            lang,
            &[
                ("序号", "No."),
                ("日期", "Date"),
                ("活动名称", "Activity"),
                ("活动类型", "Type"),
                ("组织", "Organization"),
                ("服务时长(小时)", "Hours"),
            ],
        ),
        rows,
    }
}

/// The certificate as text for the terminal.
pub fn certificate_text(c: &Certificate, lang: Lang) -> String {
    let mut out = String::new();
    let period = c.period.clone().unwrap_or_default();
    match lang {
        Lang::Zh => out.push_str(&format!(
            "志愿服务证明\n兹证明 {} 同志{}参加志愿服务 {} 次,累计服务时长 {:.1} 小时。\n",
            c.name,
            if period.is_empty() { String::new() } else { format!("在 {period} 期间") },
            c.entries.len(),
            c.total_hours
        )),
        Lang::En => out.push_str(&format!(
            "Volunteer service certificate\n{} served in {} activities{}, {:.1} hours in all.\n",
            c.name,
            c.entries.len(),
            if period.is_empty() { String::new() } else { format!(" in {period}") },
            c.total_hours
        )),
    }
    for e in &c.entries {
        out.push_str(&format!("  {} {} {} {:.1} h\n", e.date, e.title, e.organization, e.hours));
    }
    out.push_str(&format!("{} {}\n", c.federation, c.issued_on));
    out
}

/// Writes the certificate as .xlsx or CSV (UTF-8 with BOM), by extension.
pub fn write_certificate(c: &Certificate, path: &Path, lang: Lang) -> anyhow::Result<()> {
    let sheet = certificate_sheet(c, lang);
    let xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if xlsx { to_xlsx(&sheet).map_err(|e| anyhow::anyhow!("XLSX: {e}"))? } else { to_csv(&sheet, false) };
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("无法写入 {} (cannot write): {e}", path.display()))
}

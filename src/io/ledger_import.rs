//! The funding and cultivation ledgers from spreadsheets (issue 12.1, 12.2):
//! the yearly evaluation summary (考核评价结果汇总表) and the project ledger
//! (项目台账), by the roster import's rules: CSV (UTF-8 or GBK, any line
//! ends) or a workbook, title rows above the header, `序号`, every bad line
//! named with its sheet and row, nothing written unless the caller chooses.
//! Organizations are found by name or credit code; namesakes are reported,
//! never guessed. A year written only in the title row ("2025年度…考核结果")
//! is the year of every row.

use super::activity_import::OrgEntry;
use super::import::{plan, ImportError, ImportOptions, ImportPlan, Planned, RowContext, RowError};
use crate::domain::activity::ReviewResult;
use crate::domain::evaluation::DIMENSION_MAX;
use crate::domain::input::FieldSpec;
use crate::domain::projects::parse_yuan;
use crate::domain::validate::{self, name_key};
use crate::domain::*;
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

macro_rules! spec {
    ($key:literal, $zh:literal, $en:literal, [$($a:literal),*], $req:literal) => {
        FieldSpec { key: $key, zh: $zh, en: $en, aliases: &[$($a),*], required: $req }
    };
}

/// Columns of an evaluation summary. 基本条件 tells it from a roster.
pub const EVALUATION_FIELDS: &[FieldSpec] = &[
    spec!("basic", "基本条件", "Basic conditions", ["基本条件得分", "基本条件(25分)", "basic"], true),
    spec!(
        "organization",
        "组织名称",
        "Organization",
        ["社会组织名称", "社区社会组织名称", "被考核组织", "单位名称", "组织", "organization"],
        true
    ),
    spec!("credit_code", "统一社会信用代码", "Credit code", ["信用代码", "社会信用代码"], false),
    spec!("township", "所属街道/乡镇", "Township", ["所属街道", "街道", "乡镇", "街道(乡镇)", "所属乡镇"], false),
    spec!("year", "考核年度", "Year", ["年度", "评价年度", "考核年份", "年份", "year"], false),
    spec!(
        "activities",
        "活动情况",
        "Activities",
        ["活动开展情况", "活动情况得分", "活动开展", "活动情况(25分)", "activities"],
        true
    ),
    spec!("contribution", "社会贡献", "Contribution", ["社会贡献得分", "社会贡献(25分)", "contribution"], true),
    spec!(
        "influence",
        "社区影响力",
        "Influence",
        ["社区影响", "影响力", "社区影响力得分", "社区影响力(25分)", "influence"],
        true
    ),
    spec!("total", "总分", "Total", ["考核得分", "合计", "得分", "综合得分", "total"], false),
    spec!("result", "考核结果", "Result", ["评定等次", "等次", "评价结果", "考核等次", "结果", "result"], false),
    spec!("evaluator", "考评人", "Evaluator", ["考评单位", "评价单位", "评估机构", "考核单位", "evaluator"], false),
    spec!("date", "考核日期", "Date", ["评价日期", "考评日期", "考核时间", "评价时间", "date"], false),
    spec!("committee_review", "两委评议", "Committee review", ["村(社区)两委评议", "两委意见", "社区两委评议"], false),
    spec!("residents_review", "居民评议", "Residents' review", ["群众评议", "居民满意度", "居民意见"], false),
    spec!(
        "national_grade",
        "等级评估",
        "National grade",
        ["评估等级", "社会组织等级", "等级", "社会组织评估等级"],
        false
    ),
    spec!("notes", "备注", "Notes", ["说明"], false),
];

/// Columns of a project ledger. 项目名称 tells it from a roster.
pub const PROJECT_FIELDS: &[FieldSpec] = &[
    spec!("name", "项目名称", "Project", ["项目", "project"], true),
    spec!("kind", "项目类型", "Kind", ["项目类别", "资金类型", "资金性质", "kind"], false),
    spec!("funder", "资助方", "Funder", ["资助单位", "资金来源", "购买方", "出资单位", "购买主体", "funder"], false),
    spec!("year", "项目年度", "Year", ["年度", "立项年度", "year"], false),
    spec!(
        "amount",
        "金额",
        "Amount",
        [
            "项目金额",
            "资助金额",
            "合同金额",
            "购买金额",
            "金额(元)",
            "项目金额(元)",
            "资助金额(元)",
            "金额(万元)",
            "项目金额(万元)",
            "资助金额(万元)",
            "合同金额(万元)",
            "amount"
        ],
        false
    ),
    spec!("domains", "服务领域", "Domains", ["领域", "项目领域", "服务类别", "domains"], false),
    spec!(
        "lead",
        "承接组织",
        "Lead",
        ["承接单位", "实施单位", "执行机构", "申报单位", "项目承接方", "承接方", "lead"],
        false
    ),
    spec!("credit_code", "统一社会信用代码", "Credit code", ["信用代码", "承接组织统一社会信用代码"], false),
    spec!("township", "所属街道/乡镇", "Township", ["所属街道", "街道", "乡镇", "街道(乡镇)", "所属乡镇"], false),
    spec!("partners", "合作组织", "Partners", ["合作单位", "协作组织", "partners"], false),
    spec!("status", "项目状态", "Status", ["状态", "进展", "项目进展", "status"], false),
    spec!("applied", "申报日期", "Applied on", ["申报时间"], false),
    spec!("approved", "立项日期", "Approved on", ["立项时间"], false),
    spec!("running", "实施日期", "Started on", ["开始日期", "实施时间", "启动日期"], false),
    spec!("closed", "结项日期", "Closed on", ["结项时间"], false),
    spec!("evaluated", "评估日期", "Evaluated on", ["评估时间"], false),
    spec!("beneficiaries", "受益人数", "Beneficiaries", ["服务人数", "受益人次", "服务人次"], false),
    spec!("beneficiary_groups", "受益对象", "Beneficiary groups", ["服务对象"], false),
    spec!("notes", "备注", "Notes", ["说明"], false),
];

/// The year the title rows give: "2025年度…" first, else a "2024年…" that
/// is not a date the form was filled in ("填报日期:2026年1月").
pub fn title_year(title: &str) -> Option<i32> {
    let t: Vec<char> = validate::fold_width(title).chars().collect();
    let years = (0..t.len().saturating_sub(4)).filter_map(|i| {
        let digits: String = t[i..i + 4].iter().collect();
        let year: i32 = digits.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let starts_number = i == 0 || !t[i - 1].is_ascii_digit();
        (starts_number && t[i + 4] == '年').then_some((i, year))
    });
    let mut plain = None;
    for (i, year) in years {
        if t.get(i + 5) == Some(&'度') {
            return Some(year);
        }
        let before: String = t[i.saturating_sub(6)..i].iter().collect();
        if plain.is_none() && !before.contains("日期") && !before.contains("时间") {
            plain = Some(year);
        }
    }
    plain
}

/// A day, or a month as ledgers often write it ("2025年3月", "2025-03",
/// "2025/3"): the first of that month, and true when only the month was written.
pub fn day_or_month(text: &str) -> Result<(NaiveDate, bool), String> {
    let t = validate::fold_width(text.trim());
    if let Ok(d) = validate::parse_date(&t) {
        return Ok((d, false));
    }
    let parts: Vec<&str> = t.split(['/', '-', '.', '年', '月']).filter(|p| !p.trim().is_empty()).collect();
    let month = match parts.as_slice() {
        [y, m] if y.len() == 4 => y.trim().parse::<i32>().ok().zip(m.trim().parse::<u32>().ok()),
        _ => None,
    };
    month
        .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1).filter(|_| (1900..=2100).contains(&y)))
        .map(|d| (d, true))
        .ok_or_else(|| {
            format!("日期 '{}' 无法识别,请用 2025-03-05、2025年3月5日 或 2025年3月 (unrecognized date)", text.trim())
        })
}

/// A score of one dimension: 0–25, written "20", "20分", "２０"; blank is None.
fn parse_score(text: &str) -> Result<Option<u8>, String> {
    let t = validate::fold_width(text.trim());
    let t = t.trim_end_matches('分').trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u8>() {
        Ok(s) if s <= DIMENSION_MAX => Ok(Some(s)),
        _ => Err(format!("得分 '{}' 应为0–25的整数 (each dimension scores a whole number 0–25)", text.trim())),
    }
}

/// A blank, "无" or "未评估" cell means no value.
fn is_none_word(t: &str) -> bool {
    matches!(t.trim(), "" | "无" | "—" | "-" | "/" | "未评估" | "未评" | "暂无")
}

/// The roster as the imports look organizations up: by folded name, credit
/// code or id, each in one step (a province holds 31,000).
pub struct OrgIndex {
    orgs: Vec<OrgEntry>,
    by_name: HashMap<String, Vec<usize>>,
    by_code: HashMap<String, usize>,
    by_id: HashMap<RecordId, usize>,
}

impl OrgIndex {
    pub fn new(orgs: Vec<OrgEntry>) -> OrgIndex {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_code = HashMap::new();
        let mut by_id = HashMap::new();
        for (i, o) in orgs.iter().enumerate() {
            by_name.entry(name_key(&o.name)).or_default().push(i);
            if !o.credit_code.is_empty() {
                by_code.insert(o.credit_code.clone(), i);
            }
            by_id.insert(o.id.clone(), i);
        }
        OrgIndex { orgs, by_name, by_code, by_id }
    }

    /// Organizations with this name (folded), or the one with this id.
    fn named(&self, name: &str) -> Vec<&OrgEntry> {
        if let Some(i) = self.by_id.get(&RecordId::from(name)) {
            return vec![&self.orgs[*i]];
        }
        self.by_name.get(&name_key(name)).map_or_else(Vec::new, |v| v.iter().map(|i| &self.orgs[*i]).collect())
    }
}

/// The organization a row names: by credit code, else by name (an id is
/// accepted too); namesakes narrowed by the township column, else an error
/// listing them. `Ok(None)`: the name is on no record.
fn find_org<'a>(
    index: &'a OrgIndex,
    row: &RowContext,
    name_column: &'static str,
) -> Result<Option<&'a OrgEntry>, (String, &'static str)> {
    let name = row.values.get(name_column).map(|s| s.trim()).unwrap_or("");
    let code = row.values.get("credit_code").map(|c| validate::fold_width(c.trim()).to_uppercase()).unwrap_or_default();
    let township = row.values.get("township").map(|t| name_key(t)).unwrap_or_default();
    if !code.is_empty() {
        return match index.by_code.get(&code).map(|i| &index.orgs[*i]) {
            Some(o) if name.is_empty() || name_key(name) == name_key(&o.name) => Ok(Some(o)),
            Some(o) => Err((
                format!(
                    "统一社会信用代码 {code} 属于「{}」,与「{name}」不符 (the credit code belongs to {})",
                    o.name, o.name
                ),
                "credit_code",
            )),
            None => Err((
                format!("没有统一社会信用代码为 {code} 的组织 (no organization holds this credit code)"),
                "credit_code",
            )),
        };
    }
    let mut same = index.named(name);
    if same.len() > 1 && !township.is_empty() {
        same.retain(|o| name_key(&o.township) == township || o.division.starts_with(township.as_str()));
    }
    match same.len() {
        0 => Ok(None),
        1 => Ok(Some(same[0])),
        n => {
            let which: Vec<String> = same
                .iter()
                .map(|o| {
                    let place = if o.township.is_empty() { &o.division } else { &o.township };
                    let code = if o.credit_code.is_empty() { o.id.as_str() } else { &o.credit_code };
                    format!("{place} {code}")
                })
                .collect();
            Err((
                format!(
                    "「{name}」有 {n} 个同名组织({}),请加统一社会信用代码或所属街道/乡镇列 (namesakes: add a credit code or township column)",
                    which.join(";")
                ),
                name_column,
            ))
        }
    }
}

/// The year of a row: its column, else the title's.
fn row_year(row: &RowContext, errors: &mut Vec<RowError>) -> Option<i32> {
    let text = row.values.get("year").map(|s| s.trim()).unwrap_or("");
    if text.is_empty() {
        return title_year(row.title);
    }
    let t = validate::fold_width(text);
    let digits = t.trim_end_matches("年度").trim_end_matches('年');
    match digits.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Some(y),
        _ => {
            errors.push(row.problem("year", format!("年度 '{text}' 应为 2025 或 2025年度 (year)")));
            None
        }
    }
}

// ------------------------------------------------------------- evaluations

/// One evaluation as planned: the organization, the year, what it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationRow {
    pub organization: RecordId,
    pub org_name: String,
    pub year: i32,
    pub evaluation: Evaluation,
    /// An evaluation of that year already stored, different: it is replaced.
    pub replaces: bool,
    /// The same evaluation is stored already: nothing to write.
    pub unchanged: bool,
}

impl Planned for EvaluationRow {
    fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        self.evaluation.validate(&self.year.to_string(), &mut out);
        out
    }
}

/// What an evaluation import checks against.
pub struct EvaluationContext<'a> {
    pub orgs: OrgIndex,
    /// The stored organization (its evaluations and checklists), by id.
    pub stored: &'a dyn Fn(&RecordId) -> Option<Organization>,
    pub settings: EvaluationSettings,
}

fn set_evaluation_field(r: &mut EvaluationRow, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    let e = &mut r.evaluation;
    match key {
        "basic" => e.basic = parse_score(t)?.unwrap_or(0),
        "activities" => e.activities = parse_score(t)?.unwrap_or(0),
        "contribution" => e.contribution = parse_score(t)?.unwrap_or(0),
        "influence" => e.influence = parse_score(t)?.unwrap_or(0),
        "result" if !is_none_word(t) => e.result = Some(EvalResult::parse(t).map_err(|x| x.to_string())?),
        "evaluator" => e.evaluator = t.to_string(),
        "date" if !t.is_empty() => e.date = Some(day_or_month(t)?.0),
        "committee_review" if !is_none_word(t) => {
            e.committee_review = Some(ReviewResult::parse(t).map_err(|x| x.to_string())?)
        }
        "residents_review" if !is_none_word(t) => {
            e.residents_review = Some(ReviewResult::parse(t).map_err(|x| x.to_string())?)
        }
        "national_grade" if !is_none_word(t) => {
            e.national_grade = Some(NationalGrade::parse(t.trim_end_matches('级')).map_err(|x| x.to_string())?)
        }
        "notes" => e.notes = t.to_string(),
        "total" if !t.is_empty() => {
            validate::fold_width(t)
                .trim_end_matches('分')
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("总分 '{t}' 应为数字 (total must be a number)"))?;
        }
        _ => {}
    }
    Ok(())
}

/// Checks an evaluation summary against what is stored; writes nothing.
pub fn plan_evaluations(
    bytes: &[u8],
    ctx: &EvaluationContext,
    options: &ImportOptions,
) -> Result<ImportPlan<EvaluationRow>, ImportError> {
    let mut seen: HashMap<(RecordId, i32), usize> = HashMap::new();
    let blank = || EvaluationRow {
        organization: RecordId::default(),
        org_name: String::new(),
        year: 0,
        evaluation: Evaluation::default(),
        replaces: false,
        unchanged: false,
    };
    plan(
        bytes,
        options,
        // 基本条件 may be left to the year's checklist.
        (EVALUATION_FIELDS, &["basic"]),
        blank,
        set_evaluation_field,
        |key, text| {
            let month_only = key == "date" && day_or_month(text).is_ok_and(|(_, month)| month);
            month_only.then(|| {
                format!("「{}」只写到月,记为该月1日 (only the month written: recorded as its first day)", text.trim())
            })
        },
        |r, row, errors, warnings| {
            let value = |k: &str| row.values.get(k).map(String::as_str).unwrap_or("").trim();
            if value("organization").is_empty() && value("credit_code").is_empty() {
                errors.push(row.problem("organization", "组织名称为空 (no organization named)"));
                return;
            }
            let org = match find_org(&ctx.orgs, row, "organization") {
                Ok(Some(o)) => o,
                Ok(None) => {
                    let name = value("organization");
                    errors.push(row.problem("organization", format!("找不到组织「{name}」 (no such organization)")));
                    return;
                }
                Err((m, column)) => {
                    errors.push(row.problem(column, m));
                    return;
                }
            };
            r.organization = org.id.clone();
            r.org_name = org.name.clone();
            let Some(year) = row_year(row, errors) else {
                if errors.is_empty() {
                    errors.push(row.problem(
                        "year",
                        "没有考核年度:请加「考核年度」列,或在标题写明「2025年度」 (no year: add a year column or put it in the title)",
                    ));
                }
                return;
            };
            r.year = year;
            let stored = (ctx.stored)(&org.id);
            // 基本条件 left blank: the year's standardization checklist gives it.
            if value("basic").is_empty() {
                match stored.as_ref().and_then(|o| o.standardization.get(&year.to_string())) {
                    Some(c) => {
                        r.evaluation.basic = c.basic_score();
                        warnings.push(row.problem(
                            "basic",
                            format!(
                                "基本条件未填,按{year}年规范化建设自查记为 {} 分 (basic conditions taken from the checklist)",
                                r.evaluation.basic
                            ),
                        ));
                    }
                    None => errors.push(row.problem(
                        "basic",
                        format!(
                            "基本条件未填,且{year}年没有规范化建设自查 (no basic-conditions score and no checklist)"
                        ),
                    )),
                }
            }
            for key in ["activities", "contribution", "influence"] {
                if value(key).is_empty() && row.columns.contains_key(key) {
                    let column = row.columns[key].clone();
                    errors.push(row.problem(key, format!("{column}未填 (score missing)")));
                }
            }
            if !errors.is_empty() {
                return;
            }
            let e = &r.evaluation;
            if !value("total").is_empty() {
                let written: f64 =
                    validate::fold_width(value("total")).trim_end_matches('分').trim().parse().unwrap_or(f64::NAN);
                let (sum, weighted) = (e.total() as f64, e.weighted(&ctx.settings));
                if (written - sum).abs() > 0.05 && (written - weighted).abs() > 0.05 {
                    warnings.push(row.problem(
                        "total",
                        format!(
                            "总分 {written} 与四项之和 {sum} 不符,按四项得分记录 (the total differs from the four scores; the scores are kept)"
                        ),
                    ));
                }
            }
            if let Some(written) = e.result {
                let by_score = ctx.settings.result_for(e.weighted(&ctx.settings));
                if written != by_score {
                    warnings.push(row.problem(
                        "result",
                        format!(
                            "考核结果写作「{}」,按本会分档应为「{}」;按表记录 (the written result differs from the cut-offs; kept as written)",
                            written.zh(),
                            by_score.zh()
                        ),
                    ));
                }
            }
            let key = (org.id.clone(), year);
            if let Some(first) = seen.get(&key) {
                errors.push(row.problem(
                    "organization",
                    format!("与第{first}行是同一组织同一年度的考核 (same organization and year as line {first})"),
                ));
                return;
            }
            seen.insert(key, row.line);
            if let Some(old) = stored.as_ref().and_then(|o| o.evaluations.get(&year.to_string())) {
                if old == &r.evaluation {
                    r.unchanged = true;
                    warnings.push(row.problem(
                        "",
                        format!("「{}」{year}年考核已登记且相同,不重复写入 (already recorded)", org.name),
                    ));
                } else {
                    r.replaces = true;
                    warnings.push(row.problem(
                        "",
                        format!(
                            "将替换「{}」已登记的{year}年考核(原四项 {}/{}/{}/{}) (replaces the stored evaluation of the year)",
                            org.name, old.basic, old.activities, old.contribution, old.influence
                        ),
                    ));
                }
            }
        },
    )
}

// ---------------------------------------------------------------- projects

/// What a project import checks against.
pub struct ProjectContext {
    pub orgs: OrgIndex,
    /// (name_key, year) of projects stored.
    pub existing: HashSet<(String, i32)>,
}

fn set_project_field(p: &mut Project, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    match key {
        "name" => p.name = validate::normalize_name(t),
        "kind" if !t.is_empty() => p.kind = ProjectKind::parse(t).map_err(|e| e.to_string())?,
        "funder" => p.funder = t.to_string(),
        "domains" => p.domains = code_list::parse(t).map_err(|e| e.to_string())?,
        "status" if !t.is_empty() => p.status = ProjectStatus::parse(t).map_err(|e| e.to_string())?,
        "beneficiaries" if !t.is_empty() => {
            p.beneficiaries = Some(validate::parse_count(t).map_err(|e| e.0)?);
        }
        "beneficiary_groups" => p.beneficiary_groups = t.to_string(),
        "notes" => p.notes = t.to_string(),
        // Dates and amounts are read with the row (the header's unit, the flow's order).
        "applied" | "approved" | "running" | "closed" | "evaluated" if !t.is_empty() => {
            day_or_month(t)?;
        }
        _ => {}
    }
    Ok(())
}

/// Where a status stands in 申报 → 立项 → 实施 → 结项 → 评估.
fn step(s: ProjectStatus) -> usize {
    ProjectStatus::all().iter().position(|x| *x == s).unwrap_or(0)
}

/// An amount as written, in a column whose header may say 万元: a bare
/// number there is in 万 ("5" is 50,000 元); "5万元" or "50,000元" say their unit.
fn amount_in_column(text: &str, header: &str) -> Result<i64, String> {
    let t = validate::fold_width(text.trim());
    let says_unit = t.contains('万') || t.contains('元');
    let written = if header.contains("万元") && !says_unit { format!("{t}万") } else { t };
    parse_yuan(&written).map_err(|p| p.message)
}

/// Checks a project ledger against what is stored; writes nothing.
pub fn plan_projects(
    bytes: &[u8],
    ctx: &ProjectContext,
    options: &ImportOptions,
) -> Result<ImportPlan<Project>, ImportError> {
    let mut seen: HashMap<(String, i32), usize> = HashMap::new();
    plan(
        bytes,
        options,
        (PROJECT_FIELDS, &[]),
        || {
            let mut p = Project::new("", ProjectKind::Other, 2000, 0);
            p.status = ProjectStatus::Applied;
            p
        },
        set_project_field,
        |_, _| None,
        |p, row, errors, warnings| {
            let value = |k: &str| row.values.get(k).map(String::as_str).unwrap_or("").trim();
            if p.name.is_empty() {
                errors.push(row.problem("name", "项目名称为空 (empty project name)"));
                return;
            }
            if value("kind").is_empty() {
                warnings.push(row.problem("kind", "未填项目类型,记为「其他」 (no kind: recorded as Other)"));
            }
            // The milestones written, each a step of the flow, in order.
            let mut dated: Vec<(ProjectStatus, NaiveDate)> = Vec::new();
            for status in ProjectStatus::all() {
                let text = value(status.code());
                if text.is_empty() {
                    continue;
                }
                if let Ok((d, month_only)) = day_or_month(text) {
                    if month_only {
                        warnings.push(row.problem(
                            status.code(),
                            format!("「{text}」只写到月,记为 {d} (only the month written: recorded as its first day)"),
                        ));
                    }
                    if let Some((before, at)) = dated.last().filter(|(_, at)| *at > d) {
                        errors.push(row.problem(
                            status.code(),
                            format!(
                                "{}日期 {d} 早于{}日期 {at} (a step dated before the one it follows)",
                                status.zh(),
                                before.zh()
                            ),
                        ));
                    }
                    dated.push((*status, d));
                }
            }
            // The status written, else the last step dated.
            if value("status").is_empty() {
                if let Some((last, _)) = dated.last() {
                    p.status = *last;
                }
            } else if let Some((last, _)) = dated.iter().rev().find(|(s, _)| step(*s) > step(p.status)) {
                errors.push(row.problem(
                    "status",
                    format!(
                        "状态为「{}」,却有{}日期 (a later step is dated than the status says)",
                        p.status.zh(),
                        last.zh()
                    ),
                ));
            }
            p.milestones = dated.iter().map(|(s, d)| (s.code().to_string(), *d)).collect();
            // The year: its column, else the title's, else the first dated step's.
            p.year = match row_year(row, errors) {
                Some(y) => y,
                None if value("year").is_empty() => match dated.first() {
                    Some((_, d)) => d.year(),
                    None => {
                        errors.push(row.problem(
                            "year",
                            "没有项目年度:请加「项目年度」列、立项日期,或在标题写明「2025年度」 (no year)",
                        ));
                        return;
                    }
                },
                None => return,
            };
            let amount = value("amount");
            if amount.is_empty() {
                warnings.push(row.problem("amount", "未填金额,记为0 (no amount: recorded as 0)"));
            } else {
                let header = row.columns.get("amount").map(String::as_str).unwrap_or("");
                match amount_in_column(amount, header) {
                    Ok(fen) => p.amount_fen = fen,
                    Err(m) => errors.push(row.problem("amount", m)),
                }
            }
            // The lead: on the roster by name or credit code, else kept by name.
            if !value("lead").is_empty() || !value("credit_code").is_empty() {
                match find_org(&ctx.orgs, row, "lead") {
                    Ok(Some(o)) => {
                        p.lead = Some(o.id.clone());
                        p.lead_name = o.name.clone();
                    }
                    Ok(None) => {
                        p.lead_name = validate::normalize_name(value("lead"));
                        warnings.push(row.problem(
                            "lead",
                            format!(
                                "「{}」不在本会名册中,按名称记录承接方 (lead not on the roster: kept by name)",
                                p.lead_name
                            ),
                        ));
                    }
                    Err((m, column)) => errors.push(row.problem(column, m)),
                }
            }
            // Partners must be on the roster to be linked; the others go to the notes.
            let mut outside = Vec::new();
            for name in
                value("partners").split(['、', ',', '，', ';', '；', '\n']).map(str::trim).filter(|n| !n.is_empty())
            {
                let same = ctx.orgs.named(name);
                match same.as_slice() {
                    [o] if p.lead.as_ref() != Some(&o.id) => {
                        if !p.partners.contains(&o.id) {
                            p.partners.push(o.id.clone())
                        }
                    }
                    [_] => {}
                    [] => outside.push(name.to_string()),
                    _ => errors.push(row.problem(
                        "partners",
                        format!("合作组织「{name}」有 {} 个同名组织,请改用编号 (namesakes: use the id)", same.len()),
                    )),
                }
            }
            if !outside.is_empty() {
                let list = outside.join("、");
                warnings.push(row.problem(
                    "partners",
                    format!("合作方 {list} 不在本会名册中,记入备注 (partners not on the roster: kept in the notes)"),
                ));
                let note = format!("合作方: {list}");
                p.notes = if p.notes.is_empty() { note } else { format!("{};{note}", p.notes) };
            }
            if !errors.is_empty() {
                return;
            }
            let key = (name_key(&p.name), p.year);
            if let Some(first) = seen.get(&key) {
                errors.push(
                    row.problem("name", format!("与第{first}行是同一年度的同名项目 (same project as line {first})")),
                );
            } else if ctx.existing.contains(&key) {
                errors.push(
                    row.problem("name", format!("{}年项目「{}」已登记,未重复导入 (already recorded)", p.year, p.name)),
                );
            } else {
                seen.insert(key, row.line);
            }
            p.id = RecordId::random();
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_months_as_ledgers_write_them() {
        assert_eq!(title_year("锦江区2025年度社区社会组织考核评价结果汇总表"), Some(2025));
        assert_eq!(title_year("２０２４年公益创投项目台账"), Some(2024));
        assert_eq!(title_year("联系电话13812025年"), None, "digits inside a longer number are no year");
        assert_eq!(title_year("考核结果"), None);
        assert_eq!(title_year("填报日期:2026年1月 2025年度考核结果"), Some(2025), "年度 first");
        assert_eq!(title_year("考核结果 填报日期:2026年1月"), None, "the date the form was filled in");
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(day_or_month("2025年3月").unwrap(), (d(2025, 3, 1), true));
        assert_eq!(day_or_month("2025-03").unwrap(), (d(2025, 3, 1), true));
        assert_eq!(day_or_month("2025年3月15日").unwrap(), (d(2025, 3, 15), false));
        assert!(day_or_month("2025年13月").is_err());
        assert!(day_or_month("三月").is_err());
    }

    #[test]
    fn scores_and_amounts_in_their_columns() {
        assert_eq!(parse_score("20分").unwrap(), Some(20));
        assert_eq!(parse_score("２２").unwrap(), Some(22));
        assert_eq!(parse_score(" ").unwrap(), None);
        assert!(parse_score("26").is_err());
        assert!(parse_score("18.5").is_err(), "half points are not kept silently");
        assert_eq!(amount_in_column("5", "资助金额(万元)").unwrap(), 5_000_000);
        assert_eq!(amount_in_column("5.5", "金额(万元)").unwrap(), 5_500_000);
        assert_eq!(amount_in_column("50,000.00元", "金额(万元)").unwrap(), 5_000_000, "a unit written wins");
        assert_eq!(amount_in_column("50,000.00", "金额(元)").unwrap(), 5_000_000);
        assert_eq!(amount_in_column("5万元", "金额").unwrap(), 5_000_000);
        assert!(amount_in_column("约5万", "金额").is_err());
    }
}

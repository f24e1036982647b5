//! Activities from a spreadsheet (issue 11.7), by the roster import's rules:
//! CSV (UTF-8 or GBK, any line ends) or a workbook, title rows above the
//! header, every bad line named with its sheet and row, nothing written
//! unless the caller chooses. Organizations are found by name or credit
//! code (namesakes are reported, never guessed); participants by name and
//! phone, with their volunteer hours. The sheet `export activities` writes
//! reads back here.

use super::import::{plan, ImportError, ImportOptions, ImportPlan, RowContext, RowError};
use crate::domain::input::FieldSpec;
use crate::domain::validate::{self, name_key};
use crate::domain::*;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

macro_rules! spec {
    ($key:literal, $zh:literal, $en:literal, [$($a:literal),*], $req:literal) => {
        FieldSpec { key: $key, zh: $zh, en: $en, aliases: &[$($a),*], required: $req }
    };
}

/// Columns of an activity ledger. The title comes first: it is the header
/// that tells an activity sheet from a roster in the same workbook.
pub const ACTIVITY_FIELDS: &[FieldSpec] = &[
    spec!("title", "活动名称", "Title", ["活动主题", "活动项目", "主题", "title"], true),
    spec!(
        "organizations",
        "组织名称",
        "Organization",
        [
            "组织",
            "举办组织",
            "主办组织",
            "开展组织",
            "承办组织",
            "社会组织名称",
            "组织名称(联合举办用顿号分隔)",
            "organizations"
        ],
        true
    ),
    spec!("credit_code", "统一社会信用代码", "Credit code", ["信用代码", "社会信用代码"], false),
    spec!("township", "所属街道/乡镇", "Township", ["所属街道", "街道", "乡镇", "街道(乡镇)", "所属乡镇"], false),
    spec!("date", "活动日期", "Date", ["日期", "活动时间", "开展时间", "举办时间", "时间", "date"], true),
    spec!("start", "开始时间", "Start", ["起始时间", "开始"], false),
    spec!("end", "结束时间", "End", ["结束"], false),
    spec!("kind", "活动类型", "Type", ["类型", "活动类别", "类别", "type"], false),
    spec!("targets", "服务对象", "Target groups", ["对象", "参与对象", "受益对象", "服务人群"], false),
    spec!("venue", "场地", "Venue", ["活动场地", "阵地"], false),
    spec!("place", "地点", "Place", ["活动地点", "活动地址", "地址"], false),
    spec!("headcount", "参与人数", "Headcount", ["参加人数", "参与人次", "人数"], false),
    spec!("beneficiaries", "受益人数", "Beneficiaries", ["服务人数", "受益人次", "服务人次"], false),
    spec!(
        "participants",
        "志愿者",
        "Volunteers",
        ["志愿者名单", "参与志愿者", "参与人员", "参加人员", "参与者", "participants"],
        false
    ),
    spec!(
        "volunteer_hours",
        "志愿服务时长",
        "Volunteer hours",
        ["志愿服务时长(小时)", "服务时长", "服务时长(小时)", "志愿时长", "志愿服务时数"],
        false
    ),
    spec!("major", "重大活动", "Major", ["是否重大活动"], false),
    spec!("report_status", "报告状态", "Report status", ["报告情况"], false),
    spec!("reported_to", "报告对象", "Reported to", ["报告单位", "报告给"], false),
    spec!("reported_on", "报告日期", "Reported on", ["报告时间"], false),
    spec!("reported_via", "报告方式", "Report channel", [], false),
    spec!("outside_community", "社区外举办", "Outside the community", ["跨社区", "在本社区以外举办"], false),
    spec!("fundraising", "涉及募捐", "Fundraising", ["募捐筹款", "涉及募捐筹款"], false),
    spec!("outside_speakers", "外请讲者", "Outside speakers", ["邀请外部讲者", "外部嘉宾"], false),
    spec!("notes", "备注", "Notes", ["说明"], false),
];

/// An organization as the import matches it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgEntry {
    pub id: RecordId,
    pub name: String,
    pub division: String,
    pub township: String,
    pub credit_code: String,
}

/// A person as the import matches participants.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonEntry {
    pub id: RecordId,
    pub name: String,
    pub phone: String,
    pub organization: Option<RecordId>,
}

/// What an activity import checks against.
#[derive(Default)]
pub struct ActivityContext {
    pub orgs: Vec<OrgEntry>,
    pub people: Vec<PersonEntry>,
    /// name_key -> venue id.
    pub venues: HashMap<String, RecordId>,
    /// (lead organization, date, name_key of the title) of activities stored.
    pub existing: HashSet<(RecordId, NaiveDate, String)>,
    pub rule: MajorActivityRule,
}

/// The plan, and the people it would add (volunteers named in the file who
/// are not on record), each with the line that named them first.
pub struct ActivityPlan {
    pub plan: ImportPlan<Activity>,
    pub new_people: Vec<(usize, Person)>,
}

impl ActivityPlan {
    /// The new people the valid rows need (a person first named on a bad line
    /// and again on a good one is still needed).
    pub fn people_for_valid_rows(&self) -> Vec<Person> {
        let used: HashSet<&RecordId> = self.plan.records.iter().flat_map(|(_, a)| a.participants.keys()).collect();
        self.new_people.iter().filter(|(_, p)| used.contains(&p.id)).map(|(_, p)| p.clone()).collect()
    }
}

/// One participant as written: 张秀英, 张秀英(13812345678), 张秀英:2.5, 张秀英 2.5小时.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub name: String,
    pub phone: Option<String>,
    pub hours: Option<f64>,
}

/// Hours as written: 2.5, 2.5小时, 2.5h, 3个小时.
pub fn parse_hours(text: &str) -> Result<f64, String> {
    let t = validate::fold_width(text);
    let t = t.trim().trim_end_matches("个小时").trim_end_matches("小时").trim_end_matches(['h', 'H', '时']).trim();
    match t.parse::<f64>() {
        Ok(h) if h.is_finite() && h >= 0.0 => Ok(h),
        _ => Err(format!("时长 '{}' 应为小时数,如 2.5 (hours must be a number)", text.trim())),
    }
}

fn is_phone_like(t: &str) -> bool {
    t.chars().filter(|c| c.is_ascii_digit()).count() >= 7 && t.chars().all(|c| c.is_ascii_digit() || "-+ ".contains(c))
}

fn is_hours_like(t: &str) -> bool {
    parse_hours(t).is_ok() && !is_phone_like(t)
}

/// Splits a participants cell into people; a phone or hours written as a
/// separate word belongs to the name before it.
pub fn parse_participants(cell: &str) -> Result<Vec<Written>, String> {
    let text = validate::fold_width(cell).replace(['：'], ":");
    let mut out: Vec<Written> = Vec::new();
    for token in text.split(['、', ',', ';', '\n', '\r', '\t', ' ', '/', '|']).map(str::trim).filter(|t| !t.is_empty())
    {
        let (body, hours) = match token.rsplit_once(':') {
            Some((b, h)) => (b.trim(), Some(parse_hours(h)?)),
            None => (token, None),
        };
        // A word that is only a phone or only hours goes to the person before it.
        if is_phone_like(body) || (hours.is_none() && is_hours_like(body)) {
            let Some(last) = out.last_mut() else {
                return Err(format!("「{token}」前面没有姓名 (a phone or hours without a name)"));
            };
            if is_phone_like(body) {
                last.phone = Some(body.to_string());
                if hours.is_some() {
                    last.hours = hours;
                }
            } else {
                last.hours = Some(parse_hours(body)?);
            }
            continue;
        }
        let (name, phone) = match body.split_once('(') {
            Some((n, rest)) => {
                let inner = rest.trim_end_matches(')').trim();
                (n.trim(), (!inner.is_empty()).then(|| inner.to_string()))
            }
            None => {
                // 张秀英13812345678: the digits run at the end is the phone.
                let digits = body.len() - body.trim_end_matches(|c: char| c.is_ascii_digit()).len();
                if digits >= 7 {
                    let (n, p) = body.split_at(body.len() - digits);
                    (n.trim(), Some(p.to_string()))
                } else {
                    (body, None)
                }
            }
        };
        if name.is_empty() {
            return Err(format!("「{token}」没有姓名 (no name)"));
        }
        out.push(Written { name: validate::normalize_name(name), phone, hours });
    }
    Ok(out)
}

/// A date cell, with the times when it holds them: 2025-05-10,
/// 2025年5月10日 9:00-11:30, 2025/5/10 14:00～16:30, an Excel date-time.
fn parse_when(text: &str) -> Result<(NaiveDate, Option<String>, Option<String>), String> {
    let t = validate::fold_width(text).replace(['～', '~', '—', '至', '到'], "-").replace('：', ":");
    let t = t.trim();
    // The date ends where the first time begins (a digit run followed by ':').
    let split = t.find(':').map(|colon| {
        let before = &t[..colon];
        before.trim_end_matches(|c: char| c.is_ascii_digit()).len()
    });
    let (date_part, time_part) = match split {
        Some(at) => (t[..at].trim(), t[at..].trim()),
        None => (t, ""),
    };
    let mut date_part = date_part.trim_end_matches(['上', '下', '午', '晚', ' ']).to_string();
    let afternoon = t.contains("下午") || t.contains("晚上");
    if date_part.ends_with('日') {
        date_part.pop();
    }
    let date = validate::parse_date(date_part.trim()).map_err(|e| e.0)?;
    if time_part.is_empty() {
        return Ok((date, None, None));
    }
    let mut times = time_part.split('-').map(str::trim).filter(|p| !p.is_empty());
    let one = |p: Option<&str>| -> Result<Option<String>, String> {
        let Some(p) = p else { return Ok(None) };
        let parsed = validate::parse_time(p).map_err(|e| e.0)?;
        Ok(Some(if afternoon && validate::minutes_of(&parsed) < 12 * 60 {
            let m = validate::minutes_of(&parsed) + 12 * 60;
            format!("{:02}:{:02}", m / 60, m % 60)
        } else {
            parsed
        }))
    };
    let start = one(times.next())?;
    let end = one(times.next())?;
    Ok((date, start, end))
}

/// A time cell: 09:00, 9点, or an Excel time (read as "1899-12-31 09:00").
fn parse_clock(text: &str) -> Result<String, String> {
    let t = text.trim();
    let t = t.rsplit_once(' ').map_or(t, |(_, time)| time);
    validate::parse_time(t).map_err(|e| e.0)
}

fn set_field(a: &mut Activity, key: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    let opt_count = |t: &str| -> Result<Option<u32>, String> {
        if t.is_empty() {
            Ok(None)
        } else {
            validate::parse_count(t).map(Some).map_err(|e| e.0)
        }
    };
    let flag = |t: &str| validate::parse_bool(t).map_err(|e| e.0);
    match key {
        "title" => a.title = validate::normalize_name(t),
        "date" if !t.is_empty() => {
            let (date, start, end) = parse_when(t)?;
            a.date = date;
            a.start = a.start.take().or(start);
            a.end = a.end.take().or(end);
        }
        "start" if !t.is_empty() => a.start = Some(parse_clock(t)?),
        "end" if !t.is_empty() => a.end = Some(parse_clock(t)?),
        "kind" if !t.is_empty() => a.kind = ActivityKind::parse(t).map_err(|e| e.to_string())?,
        "targets" => a.targets = code_list::parse(t).map_err(|e| e.to_string())?,
        "place" => a.place = t.to_string(),
        "headcount" => a.headcount = opt_count(t)?,
        "beneficiaries" => a.beneficiaries = opt_count(t)?,
        "outside_community" => a.outside_community = flag(t)?,
        "fundraising" => a.fundraising = flag(t)?,
        "outside_speakers" => a.outside_speakers = flag(t)?,
        "reported_to" => a.reported_to = t.to_string(),
        "reported_on" if !t.is_empty() => a.reported_on = Some(validate::parse_date(t).map_err(|e| e.0)?),
        "reported_via" if !t.is_empty() => a.reported_via = Some(ReportChannel::parse(t).map_err(|e| e.to_string())?),
        "notes" => a.notes = t.to_string(),
        // Checked with the row as a whole: organizations, participants, venue, major.
        "volunteer_hours" if !t.is_empty() => {
            parse_hours(t)?;
        }
        "major" if !t.is_empty() => {
            flag(t)?;
        }
        "report_status" if !t.is_empty() => {
            ReportStatus::parse(t).map_err(|e| e.to_string())?;
        }
        _ => {}
    }
    Ok(())
}

/// The organizations named in a row: several for a joint activity, the
/// lead first; the credit code (when given) names the lead.
fn resolve_orgs<'a>(
    ctx: &'a ActivityContext,
    row: &RowContext,
    errors: &mut Vec<RowError>,
) -> Option<Vec<&'a OrgEntry>> {
    let cell = row.values.get("organizations").cloned().unwrap_or_default();
    let code = row.values.get("credit_code").map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty());
    let township = row.values.get("township").map(|t| name_key(t)).filter(|t| !t.is_empty());
    let names: Vec<&str> =
        cell.split(['、', ',', '，', ';', '；', '\n']).map(str::trim).filter(|n| !n.is_empty()).collect();
    if names.is_empty() && code.is_none() {
        errors.push(row.problem("organizations", "组织名称为空 (no organization named)"));
        return None;
    }
    let mut found: Vec<&OrgEntry> = Vec::new();
    let mut failed = false;
    if let Some(code) = &code {
        match ctx.orgs.iter().find(|o| &o.credit_code == code) {
            Some(o) => {
                if let Some(first) = names.first().filter(|n| name_key(n) != name_key(&o.name)) {
                    let message = format!(
                        "统一社会信用代码 {code} 属于「{}」,与组织名称「{first}」不符 (the credit code belongs to {}, not {first})",
                        o.name, o.name
                    );
                    errors.push(row.problem("credit_code", message));
                    failed = true;
                }
                found.push(o);
            }
            None => {
                let message = format!("没有统一社会信用代码为 {code} 的组织 (no organization holds this credit code)");
                errors.push(row.problem("credit_code", message));
                failed = true;
            }
        }
    }
    for (i, name) in names.iter().enumerate() {
        if i == 0 && code.is_some() {
            continue;
        }
        let key = name_key(name);
        let by_id: Vec<&OrgEntry> = ctx.orgs.iter().filter(|o| o.id.as_str() == *name).collect();
        let mut same: Vec<&OrgEntry> =
            if by_id.is_empty() { ctx.orgs.iter().filter(|o| name_key(&o.name) == key).collect() } else { by_id };
        if same.len() > 1 {
            if let Some(t) = &township {
                same.retain(|o| name_key(&o.township) == *t || o.division.starts_with(t.as_str()));
            }
        }
        match same.len() {
            0 => {
                errors.push(row.problem("organizations", format!("找不到组织「{name}」 (no such organization)")));
                failed = true;
            }
            1 => {
                if !found.iter().any(|o| o.id == same[0].id) {
                    found.push(same[0]);
                }
            }
            n => {
                let which: Vec<String> = same
                    .iter()
                    .map(|o| {
                        let place = if o.township.is_empty() { o.division.clone() } else { o.township.clone() };
                        if o.credit_code.is_empty() {
                            format!("{place} {}", o.id)
                        } else {
                            format!("{place} {}", o.credit_code)
                        }
                    })
                    .collect();
                let message = format!(
                    "「{name}」有 {n} 个同名组织({}),请加统一社会信用代码或所属街道/乡镇列 (namesakes: add a credit code or township column)",
                    which.join(";")
                );
                errors.push(row.problem("organizations", message));
                failed = true;
            }
        }
    }
    (!failed).then_some(found)
}

/// Who a participant is: a stored person, one already added by this file, or
/// a new volunteer of the lead organization.
enum Match {
    Known(RecordId),
    New(Person),
}

struct People<'a> {
    ctx: &'a ActivityContext,
    /// (name_key, phone) -> a person this file adds, and the line naming them first.
    added: HashMap<(String, String), (usize, Person)>,
}

impl People<'_> {
    fn find(&mut self, w: &Written, orgs: &[RecordId], line: usize) -> Result<(RecordId, Option<String>), String> {
        let key = name_key(&w.name);
        let phone = match &w.phone {
            Some(p) => Some(validate::normalize_phone(p).map_err(|e| format!("{}: {}", w.name, e.0))?),
            None => None,
        };
        let named: Vec<&PersonEntry> = self.ctx.people.iter().filter(|p| name_key(&p.name) == key).collect();
        let found = match &phone {
            Some(ph) => match named.iter().find(|p| &p.phone == ph) {
                Some(p) => Match::Known(p.id.clone()),
                None => self.new_person(w, phone.clone(), orgs, line),
            },
            None => {
                let mine: Vec<&&PersonEntry> =
                    named.iter().filter(|p| p.organization.as_ref().is_some_and(|o| orgs.contains(o))).collect();
                match (named.len(), mine.len()) {
                    (0, _) => self.new_person(w, None, orgs, line),
                    (1, _) => Match::Known(named[0].id.clone()),
                    (_, 1) => Match::Known(mine[0].id.clone()),
                    (n, _) => {
                        return Err(format!(
                            "「{}」有 {n} 位同名人员,请在姓名后注明电话,如 {}(138…) (namesakes: add the phone)",
                            w.name, w.name
                        ))
                    }
                }
            }
        };
        Ok(match found {
            Match::Known(id) => (id, None),
            Match::New(p) => {
                let note = format!(
                    "「{}」不在人员名单中,将登记为志愿者 (not on record: will be added as a volunteer)",
                    p.name
                );
                (p.id, Some(note))
            }
        })
    }

    fn new_person(&mut self, w: &Written, phone: Option<String>, orgs: &[RecordId], line: usize) -> Match {
        let key = (name_key(&w.name), phone.clone().unwrap_or_default());
        let (_, p) = self.added.entry(key).or_insert_with(|| {
            let mut p = Person::new(&w.name);
            p.phone = phone.unwrap_or_default();
            p.roles = vec![Role::Volunteer];
            p.organization = orgs.first().cloned();
            (line, p)
        });
        Match::New(p.clone())
    }
}

/// Checks an activity ledger against what is stored; writes nothing.
pub fn plan_activities(
    bytes: &[u8],
    ctx: &ActivityContext,
    options: &ImportOptions,
) -> Result<ActivityPlan, ImportError> {
    let placeholder = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date");
    let mut seen: HashMap<(RecordId, NaiveDate, String), usize> = HashMap::new();
    let mut people = People { ctx, added: HashMap::new() };
    let plan = plan(
        bytes,
        options,
        // A credit code column can name the organization instead.
        (ACTIVITY_FIELDS, &["organizations"]),
        || Activity::new(RecordId::default(), "", placeholder, "", ActivityKind::Other),
        set_field,
        |_, _| None,
        |a, row, errors, warnings| {
            a.id = RecordId::random();
            a.organizations.clear();
            let value = |k: &str| row.values.get(k).map(String::as_str).unwrap_or("").trim();
            if a.title.is_empty() {
                errors.push(row.problem("title", "活动名称为空 (empty title)"));
            }
            if value("date").is_empty() {
                errors.push(row.problem("date", "活动日期为空 (empty date)"));
            }
            if value("kind").is_empty() {
                warnings.push(row.problem("kind", "未填活动类型,记为「其他」 (no type: recorded as Other)"));
            }
            let Some(orgs) = resolve_orgs(ctx, row, errors) else { return };
            a.organizations = orgs.iter().map(|o| o.id.clone()).collect();
            a.division = orgs[0].division.clone();
            if errors.is_empty() {
                let key = (a.organizations[0].clone(), a.date, name_key(&a.title));
                if let Some(first) = seen.get(&key) {
                    let message =
                        format!("与第{first}行是同一活动(组织、日期、名称相同) (same activity as line {first})");
                    errors.push(row.problem("", message));
                } else if ctx.existing.contains(&key) {
                    let message =
                        format!("「{}」{} {} 已登记,未重复导入 (already recorded)", orgs[0].name, a.date, a.title);
                    errors.push(row.problem("", message));
                } else {
                    seen.insert(key, row.line);
                }
            }
            // The venue on record, else the text is the place.
            let venue = value("venue");
            if !venue.is_empty() {
                match ctx.venues.get(&name_key(venue)) {
                    Some(id) => a.venue = Some(id.clone()),
                    None if a.place.is_empty() => a.place = venue.to_string(),
                    None => a.place = format!("{venue} {}", a.place),
                }
            }
            participants(a, row, &mut people, errors, warnings);
            major(a, row, &ctx.rule, errors, warnings);
        },
    )?;
    let mut new_people: Vec<(usize, Person)> = people.added.into_values().collect();
    new_people.sort_by_key(|(line, _)| *line);
    Ok(ActivityPlan { plan, new_people })
}

/// Named participants and their hours. Hours not written per person come
/// from the row's total (shared out evenly), else the activity's length.
fn participants(
    a: &mut Activity,
    row: &RowContext,
    people: &mut People,
    errors: &mut Vec<RowError>,
    warnings: &mut Vec<RowError>,
) {
    let value = |k: &str| row.values.get(k).map(String::as_str).unwrap_or("").trim();
    let total = parse_hours(value("volunteer_hours")).ok().filter(|_| !value("volunteer_hours").is_empty());
    let written = match parse_participants(value("participants")) {
        Ok(w) => w,
        Err(m) => {
            errors.push(row.problem("participants", m));
            return;
        }
    };
    if written.is_empty() {
        if let Some(t) = total.filter(|t| *t > 0.0) {
            warnings.push(row.problem(
                "volunteer_hours",
                format!("志愿服务时长 {t} 小时未登记到人,记入备注,不计入时长统计 (hours with no named volunteer: kept in the notes, not counted)"),
            ));
            let note = format!("志愿服务时长合计 {t} 小时(未登记到人)");
            a.notes = if a.notes.is_empty() { note } else { format!("{}；{note}", a.notes) };
        }
        return;
    }
    let explicit: f64 = written.iter().filter_map(|w| w.hours).sum();
    let without = written.iter().filter(|w| w.hours.is_none()).count();
    let share = match total {
        Some(t) if without > 0 => ((t - explicit) / without as f64).max(0.0),
        _ => a.hours().unwrap_or(0.0),
    };
    if let Some(t) = total {
        if without == 0 && (t - explicit).abs() > 0.05 {
            warnings.push(row.problem(
                "volunteer_hours",
                format!("合计 {t} 小时与每人时长之和 {explicit} 小时不符,按每人时长登记 (total differs from the sum; per-person hours kept)"),
            ));
        }
    }
    let mut entries = Vec::new();
    for w in &written {
        match people.find(w, &a.organizations, row.line) {
            Ok((id, note)) => {
                if let Some(n) = note {
                    warnings.push(row.problem("participants", n));
                }
                entries.push((id, w.hours.unwrap_or(share)));
            }
            Err(m) => errors.push(row.problem("participants", m)),
        }
    }
    if let Err(e) = a.log_participants(&entries) {
        errors.push(row.problem("participants", e.to_string()));
    }
}

/// The major flag as written, else the federation's rule; the report's stage.
fn major(
    a: &mut Activity,
    row: &RowContext,
    rule: &MajorActivityRule,
    errors: &mut Vec<RowError>,
    warnings: &mut Vec<RowError>,
) {
    let value = |k: &str| row.values.get(k).map(String::as_str).unwrap_or("").trim();
    let decided = validate::parse_bool(value("major")).ok().filter(|_| !value("major").is_empty());
    let suggested = rule.reasons(a);
    a.set_major(decided.unwrap_or(!suggested.is_empty()));
    if decided == Some(false) && !suggested.is_empty() {
        let why: Vec<&str> = suggested.iter().map(|r| r.zh()).collect();
        warnings.push(row.problem(
            "major",
            format!(
                "按本会规则应为重大活动({}),表中写作否,按表登记 (the rule suggests major; kept as written)",
                why.join("、")
            ),
        ));
    }
    let status = ReportStatus::parse(value("report_status")).ok().filter(|_| !value("report_status").is_empty());
    match status {
        None if a.reported_on.is_some() && a.major => a.report_status = Some(ReportStatus::Reported),
        None => {}
        Some(_) if !a.major => errors
            .push(row.problem("report_status", "非重大活动不应有报告状态 (report status on an activity not major)")),
        Some(s) => a.report_status = Some(s),
    }
    if matches!(a.report_status, Some(ReportStatus::Reported | ReportStatus::Acknowledged)) {
        if a.reported_via.is_none() {
            a.reported_via = Some(ReportChannel::Written);
            warnings.push(
                row.problem("reported_via", "未填报告方式,按「书面」登记 (no channel given: recorded as in writing)"),
            );
        }
        if a.report_status == Some(ReportStatus::Acknowledged) && a.acknowledged_on.is_none() {
            a.acknowledged_on = a.reported_on;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_as_people_write_them() {
        let w = parse_participants("张秀英(13812345678):2.5、李建国 1.5小时,王芳 13900001111 2;赵六").unwrap();
        let got: Vec<(&str, Option<&str>, Option<f64>)> =
            w.iter().map(|w| (w.name.as_str(), w.phone.as_deref(), w.hours)).collect();
        assert_eq!(
            got,
            vec![
                ("张秀英", Some("13812345678"), Some(2.5)),
                ("李建国", None, Some(1.5)),
                ("王芳", Some("13900001111"), Some(2.0)),
                ("赵六", None, None),
            ]
        );
        assert_eq!(parse_participants("陈静13812345678：3").unwrap()[0].phone.as_deref(), Some("13812345678"));
        assert!(parse_participants("2.5、张三").is_err(), "hours before any name");
        assert!(parse_participants("张三:两小时").is_err());
    }

    #[test]
    fn dates_with_times_in_one_cell() {
        let d = NaiveDate::from_ymd_opt(2025, 5, 10).unwrap();
        assert_eq!(parse_when("2025-05-10").unwrap(), (d, None, None));
        assert_eq!(parse_when("2025年5月10日 9:00-11:30").unwrap(), (d, Some("09:00".into()), Some("11:30".into())));
        assert_eq!(parse_when("2025/5/10 下午2:00～4:30").unwrap(), (d, Some("14:00".into()), Some("16:30".into())));
        assert_eq!(parse_when("2025-05-10 14:00").unwrap(), (d, Some("14:00".into()), None));
        assert!(parse_when("五月十日").is_err());
        assert_eq!(parse_clock("1899-12-31 09:30").unwrap(), "09:30");
    }
}

//! Activity list rows, filters and signals (issue 11, point 5): reports due
//! and overdue, organizations gone quiet, activities per organization per
//! quarter, counts per township by type and target group, volunteer hours
//! per organization, community, township and type, one person's service
//! history. Rows hold what lists and figures need, read from the documents
//! without hydrating every activity.

use super::activity::{Activity, ActivityKind, MajorActivityRule, Period, ReportStatus, TargetGroup, WorkReport};
use super::enums::{code_list, Lifecycle, Vocabulary};
use super::ids::RecordId;
use super::query::{pinyin_initials, OrgRow};
use super::text_index::Keys;
use super::validate::fold_width;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub id: RecordId,
    pub organizations: Vec<RecordId>,
    pub division: String,
    pub date: NaiveDate,
    pub start: String,
    pub title: String,
    pub kind: Option<ActivityKind>,
    pub targets: Vec<TargetGroup>,
    pub headcount: u32,
    pub beneficiaries: u32,
    /// Named participants with their hours.
    pub participants: Vec<(RecordId, f64)>,
    pub major: bool,
    pub report_status: Option<ReportStatus>,
    pub training: Option<RecordId>,
    /// Lower-case title, place and the title's pinyin initials.
    pub search_key: String,
}

/// Scalar fields `ActivityRow::from_fields` expects, in order.
pub const ACTIVITY_ROW_FIELDS: [&str; 12] = [
    "organizations",
    "division",
    "date",
    "start",
    "title",
    "kind",
    "targets",
    "headcount",
    "beneficiaries",
    "major",
    "report_status",
    "training",
];

impl ActivityRow {
    /// From stored field texts in `ACTIVITY_ROW_FIELDS` order and the
    /// participants map. None when the date is unreadable (a peer's bad value).
    pub fn from_fields(id: RecordId, values: &[Option<String>], participants: Vec<(RecordId, f64)>) -> Option<Self> {
        let get = |i: usize| values.get(i).cloned().flatten().unwrap_or_default();
        let date = NaiveDate::parse_from_str(&get(2), "%Y-%m-%d").ok()?;
        let title = get(4);
        let headcount: u32 = get(7).parse().unwrap_or(0);
        Some(ActivityRow {
            search_key: title_key(&title),
            organizations: super::activity::id_list::parse(&get(0)),
            division: get(1),
            date,
            start: get(3),
            kind: ActivityKind::parse(&get(5)).ok(),
            targets: code_list::parse(&get(6)).unwrap_or_default(),
            headcount: headcount.max(participants.len() as u32),
            beneficiaries: get(8).parse().unwrap_or(0),
            participants,
            major: get(9) == "true",
            report_status: ReportStatus::parse(&get(10)).ok(),
            training: Some(get(11)).filter(|t| !t.is_empty()).map(RecordId),
            title,
            id,
        })
    }

    pub fn from_activity(a: &Activity) -> Self {
        ActivityRow {
            id: a.id.clone(),
            organizations: a.organizations.clone(),
            division: a.division.clone(),
            date: a.date,
            start: a.start.clone().unwrap_or_default(),
            title: a.title.clone(),
            kind: Some(a.kind),
            targets: a.targets.clone(),
            headcount: a.participant_count(),
            beneficiaries: a.beneficiaries.unwrap_or(0),
            participants: a.participants.iter().map(|(p, h)| (p.clone(), *h)).collect(),
            major: a.major,
            report_status: a.report_status,
            training: a.training.clone(),
            search_key: title_key(&a.title),
        }
    }

    pub fn volunteer_hours(&self) -> f64 {
        self.participants.iter().fold(0.0, |a, (_, h)| a + h)
    }

    pub fn lead(&self) -> Option<&RecordId> {
        self.organizations.first()
    }

    pub fn township(&self) -> &str {
        self.division.get(..9).unwrap_or(&self.division)
    }

    pub fn community(&self) -> &str {
        &self.division
    }
}

/// An activity title's search key: lower-case title and its pinyin initials.
pub fn title_key(title: &str) -> String {
    format!("{}\u{1}{}", title.to_lowercase(), pinyin_initials(title))
}

/// The newest-first order of the activity list (the store's order).
fn newer_first(a: &ActivityRow, b: &ActivityRow) -> std::cmp::Ordering {
    (b.date, &b.start, &b.title).cmp(&(a.date, &a.start, &a.title))
}

/// What the activity list shows: every condition must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFilter {
    /// Typed text: title words or pinyin initials.
    pub text: String,
    pub organization: Option<RecordId>,
    /// A division code prefix: county, township or community.
    pub division: Option<String>,
    pub kind: Option<ActivityKind>,
    pub target: Option<TargetGroup>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub major_only: bool,
}

impl ActivityFilter {
    pub fn matches(&self, r: &ActivityRow, needle: &str) -> bool {
        (needle.is_empty() || r.search_key.contains(needle))
            && self.organization.as_ref().is_none_or(|o| r.organizations.contains(o))
            && self.division.as_deref().is_none_or(|d| r.division.starts_with(d))
            && self.kind.is_none_or(|k| r.kind == Some(k))
            && self.target.is_none_or(|t| r.targets.contains(&t))
            && self.from.is_none_or(|f| r.date >= f)
            && self.to.is_none_or(|t| r.date <= t)
            && (!self.major_only || r.major)
    }

    /// Matching rows, newest first.
    pub fn apply<'a>(&self, rows: &'a [ActivityRow]) -> Vec<&'a ActivityRow> {
        let needle = fold_width(self.text.trim()).to_lowercase();
        let mut out: Vec<&ActivityRow> = rows.iter().filter(|r| self.matches(r, &needle)).collect();
        out.sort_by(|a, b| newer_first(a, b));
        out
    }
}

/// The activity list's text filter at province scale, built once per load
/// of the rows: each distinct title key held once in `Keys`, the
/// newest-first order computed once. A keystroke is then one search over
/// the distinct keys and one pass over the rows with a lookup each.
#[derive(Debug, Clone, Default)]
pub struct ActivityIndex {
    keys: Keys,
    /// Each row's title key in `keys`.
    key_of: Vec<u32>,
    /// Row indexes, newest first (as `ActivityFilter::apply` orders).
    newest_first: Vec<u32>,
}

impl ActivityIndex {
    pub fn new(rows: &[ActivityRow]) -> ActivityIndex {
        let mut keys = Keys::new();
        let key_of = rows.iter().map(|r| keys.intern(&r.search_key)).collect();
        let mut newest_first: Vec<u32> = (0..rows.len() as u32).collect();
        // The store's rows come sorted: then the order costs one pass.
        if !rows.is_sorted_by(|a, b| newer_first(a, b).is_le()) {
            newest_first.sort_by(|a, b| newer_first(&rows[*a as usize], &rows[*b as usize]));
        }
        ActivityIndex { keys, key_of, newest_first }
    }

    /// How many rows it was built from.
    pub fn len(&self) -> usize {
        self.key_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.key_of.is_empty()
    }

    /// Which title keys hold `needle` (folded, lower-cased text): pass the
    /// result to `title_holds` for each row.
    pub fn titles_holding(&self, needle: &str) -> Vec<bool> {
        self.keys.holding(needle)
    }

    /// Whether row `row`'s title key is among `hits` (`titles_holding`).
    pub fn title_holds(&self, hits: &[bool], row: usize) -> bool {
        self.key_of.get(row).is_some_and(|k| hits[*k as usize])
    }

    /// `filter.apply(rows)` as row indexes: the same rows in the same order.
    /// `rows` are the rows the index was built from.
    pub fn apply(&self, rows: &[ActivityRow], filter: &ActivityFilter) -> Vec<usize> {
        debug_assert_eq!(rows.len(), self.len(), "the index is of these rows");
        let needle = fold_width(filter.text.trim()).to_lowercase();
        let hits = self.titles_holding(&needle);
        self.newest_first
            .iter()
            .map(|i| *i as usize)
            .filter(|i| self.title_holds(&hits, *i) && filter.matches(&rows[*i], ""))
            .collect()
    }
}

/// A major activity whose report has not been made.
#[derive(Debug, Clone, PartialEq)]
pub struct DueReport {
    pub activity: RecordId,
    pub title: String,
    pub organization: Option<RecordId>,
    pub date: NaiveDate,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// Major activities not yet reported, overdue first, then by due date.
pub fn reports_due(rows: &[ActivityRow], rule: &MajorActivityRule, today: NaiveDate) -> Vec<DueReport> {
    let mut out: Vec<DueReport> = rows
        .iter()
        .filter(|r| r.major && matches!(r.report_status, None | Some(ReportStatus::Due)))
        .map(|r| {
            let due = r.date - chrono::Duration::days(rule.report_days_before as i64);
            DueReport {
                activity: r.id.clone(),
                title: r.title.clone(),
                organization: r.lead().cloned(),
                date: r.date,
                due,
                overdue: due < today,
            }
        })
        .collect();
    out.sort_by(|a, b| (!a.overdue, a.due, &a.title).cmp(&(!b.overdue, b.due, &b.title)));
    out
}

/// Latest activity date up to `today` per organization (any organization
/// of a joint activity).
pub fn last_activity(rows: &[ActivityRow], today: NaiveDate) -> HashMap<&RecordId, NaiveDate> {
    let mut out: HashMap<&RecordId, NaiveDate> = HashMap::new();
    for r in rows.iter().filter(|r| r.date <= today) {
        for o in &r.organizations {
            let e = out.entry(o).or_insert(r.date);
            if r.date > *e {
                *e = r.date;
            }
        }
    }
    out
}

/// An active organization with no activity in the window: a suggestion to
/// mark it dormant, never applied automatically.
#[derive(Debug, Clone, PartialEq)]
pub struct QuietOrg {
    pub id: RecordId,
    pub name: String,
    pub township: String,
    pub last: Option<NaiveDate>,
}

/// Months without an activity after which an organization is listed as
/// quiet, unless the user asks for another span.
pub const QUIET_MONTHS: u32 = 6;

/// Active organizations with no activity since `months` months before
/// `today`, in roster order. Planned activities (after `today`) are not
/// evidence of activity: the report's quiet list counts the same way.
pub fn quiet_orgs(orgs: &[OrgRow], rows: &[ActivityRow], today: NaiveDate, months: u32) -> Vec<QuietOrg> {
    let since = today.checked_sub_months(Months::new(months)).unwrap_or(today);
    let last = last_activity(rows, today);
    orgs.iter()
        .filter(|o| o.lifecycle == Some(Lifecycle::Active))
        .filter_map(|o| {
            let l = last.get(&o.id).copied();
            l.is_none_or(|d| d < since).then(|| QuietOrg {
                id: o.id.clone(),
                name: o.name.clone(),
                township: o.township.clone(),
                last: l,
            })
        })
        .collect()
}

/// Activities per organization per quarter of `year` (evaluation's 活动情况);
/// a joint activity counts for each of its organizations.
pub fn per_org_quarter(rows: &[ActivityRow], year: i32) -> BTreeMap<RecordId, [u32; 4]> {
    let mut out: BTreeMap<RecordId, [u32; 4]> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.date.year() == year) {
        let q = (r.date.month0() / 3) as usize;
        for o in &r.organizations {
            out.entry(o.clone()).or_default()[q] += 1;
        }
    }
    out
}

/// Counts for one township (or any group).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityCounts {
    pub activities: u32,
    pub participants: u64,
    pub beneficiaries: u64,
    pub volunteer_hours: f64,
    pub by_kind: BTreeMap<ActivityKind, u32>,
    pub by_target: BTreeMap<TargetGroup, u32>,
    pub major: u32,
}

impl ActivityCounts {
    fn add(&mut self, r: &ActivityRow, hours: f64) {
        self.activities += 1;
        self.participants += r.headcount as u64;
        self.beneficiaries += r.beneficiaries as u64;
        self.volunteer_hours += hours;
        if let Some(k) = r.kind {
            *self.by_kind.entry(k).or_default() += 1;
        }
        for t in &r.targets {
            *self.by_target.entry(*t).or_default() += 1;
        }
        if r.major {
            self.major += 1;
        }
    }
}

/// Training sign-ins that credited hours, as (training, person): an
/// activity linked to a training does not count those people's hours again.
pub type TrainedPairs = HashSet<(RecordId, RecordId)>;

/// Volunteer hours of one activity that are not already training hours.
pub fn countable_hours(r: &ActivityRow, trained: &TrainedPairs) -> f64 {
    r.participants
        .iter()
        .filter(|(p, _)| r.training.as_ref().is_none_or(|t| !trained.contains(&(t.clone(), p.clone()))))
        .fold(0.0, |a, (_, h)| a + h)
}

/// How activities are grouped in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The lead organization (hours are not split among joint organizers).
    Organization,
    Community,
    Township,
    Kind,
}

/// Activity counts and volunteer hours per group, within `period` when given.
/// Each activity is counted once, in the group of its lead organization.
pub fn counts_by(
    rows: &[ActivityRow],
    by: GroupBy,
    period: Option<Period>,
    trained: &TrainedPairs,
) -> BTreeMap<String, ActivityCounts> {
    let mut out: BTreeMap<String, ActivityCounts> = BTreeMap::new();
    for r in rows.iter().filter(|r| period.is_none_or(|p| p.contains(r.date))) {
        let key = match by {
            GroupBy::Organization => r.lead().map(|o| o.to_string()).unwrap_or_default(),
            GroupBy::Community => r.community().to_string(),
            GroupBy::Township => r.township().to_string(),
            GroupBy::Kind => r.kind.map(|k| k.code().to_string()).unwrap_or_default(),
        };
        out.entry(key).or_default().add(r, countable_hours(r, trained));
    }
    out
}

/// One line of a person's volunteer-service history.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEntry {
    pub activity: RecordId,
    pub date: NaiveDate,
    pub title: String,
    pub kind: Option<ActivityKind>,
    pub organization: Option<RecordId>,
    pub hours: f64,
}

/// Everything one person served in, oldest first, within `period` when given
/// (志愿服务证明). Activities where they were credited no hours are left out.
pub fn service_history(rows: &[ActivityRow], person: &RecordId, period: Option<Period>) -> Vec<ServiceEntry> {
    let mut out: Vec<ServiceEntry> = rows
        .iter()
        .filter(|r| period.is_none_or(|p| p.contains(r.date)))
        .filter_map(|r| {
            let hours = r.participants.iter().find(|(p, _)| p == person).map(|(_, h)| *h)?;
            (hours > 0.0).then(|| ServiceEntry {
                activity: r.id.clone(),
                date: r.date,
                title: r.title.clone(),
                kind: r.kind,
                organization: r.lead().cloned(),
                hours,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.date, &a.title).cmp(&(b.date, &b.title)));
    out
}

/// Active organizations with no work report covering `period`.
pub fn missing_work_reports<'a>(orgs: &'a [OrgRow], reports: &[WorkReport], period: Period) -> Vec<&'a OrgRow> {
    let reported: HashSet<&RecordId> = reports
        .iter()
        .filter(|r| r.period.covers(period) || period.covers(r.period))
        .map(|r| &r.organization)
        .collect();
    orgs.iter().filter(|o| o.lifecycle == Some(Lifecycle::Active) && !reported.contains(&o.id)).collect()
}

/// The latest work report of each organization.
pub fn last_work_reports(reports: &[WorkReport]) -> HashMap<&RecordId, &WorkReport> {
    let mut out: HashMap<&RecordId, &WorkReport> = HashMap::new();
    for r in reports {
        let e = out.entry(&r.organization).or_insert(r);
        if (r.period.last_day(), r.reported_on) > (e.period.last_day(), e.reported_on) {
            *e = r;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, LegalStatus, Organization};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn act(org: &str, division: &str, date: NaiveDate, kind: ActivityKind) -> Activity {
        Activity::new(org.into(), division, date, "活动", kind)
    }

    fn org_row(id: &str, lifecycle: Lifecycle) -> OrgRow {
        let mut o = Organization::new(&format!("组织{id}"), Category::Other, LegalStatus::Filed, "510104001002");
        o.id = id.into();
        o.lifecycle = lifecycle;
        OrgRow::from_org(&o)
    }

    #[test]
    fn filters_by_text_place_kind_target_and_dates() {
        let mut a = act("o1", "510104001002", day(2025, 3, 1), ActivityKind::Patrol);
        a.title = "夜间治安巡逻".into();
        let mut b = act("o2", "510105002001", day(2025, 4, 1), ActivityKind::Care);
        b.title = "重阳节慰问老人".into();
        b.targets = vec![TargetGroup::Elderly];
        b.major = true;
        let rows: Vec<ActivityRow> = [&a, &b].iter().map(|x| ActivityRow::from_activity(x)).collect();
        let f = |f: ActivityFilter| f.apply(&rows).iter().map(|r| r.title.clone()).collect::<Vec<_>>();
        assert_eq!(f(ActivityFilter::default()), vec!["重阳节慰问老人", "夜间治安巡逻"], "newest first");
        assert_eq!(f(ActivityFilter { text: "zaxl".into(), ..Default::default() }), vec!["夜间治安巡逻"]);
        assert_eq!(f(ActivityFilter { text: "慰问".into(), ..Default::default() }), vec!["重阳节慰问老人"]);
        assert_eq!(f(ActivityFilter { division: Some("510104".into()), ..Default::default() }), vec!["夜间治安巡逻"]);
        assert_eq!(f(ActivityFilter { target: Some(TargetGroup::Elderly), ..Default::default() }).len(), 1);
        assert_eq!(f(ActivityFilter { kind: Some(ActivityKind::Patrol), ..Default::default() }).len(), 1);
        assert_eq!(f(ActivityFilter { from: Some(day(2025, 3, 2)), ..Default::default() }).len(), 1);
        assert_eq!(f(ActivityFilter { major_only: true, ..Default::default() }), vec!["重阳节慰问老人"]);
        assert_eq!(f(ActivityFilter { organization: Some("o1".into()), ..Default::default() }).len(), 1);
    }

    #[test]
    fn the_index_gives_what_the_filter_gives_in_the_same_order() {
        let titles = ["夜间治安巡逻", "垃圾分类宣传引导", "夜间治安巡逻", "Yoga 课", "重阳节慰问老人", "巡逻"];
        let mut rows = Vec::new();
        for (i, title) in titles.iter().cycle().take(40).enumerate() {
            let kind = if i % 3 == 0 { ActivityKind::Patrol } else { ActivityKind::Care };
            // Unsorted, with ties on the date (kept in their order, as the sort keeps them).
            let mut a = act(&format!("o{}", i % 4), "510104001002", day(2025, 1 + (i as u32 * 7) % 12, 1), kind);
            a.title = title.to_string();
            a.major = i % 5 == 0;
            rows.push(ActivityRow::from_activity(&a));
        }
        let index = ActivityIndex::new(&rows);
        assert_eq!(index.len(), rows.len());
        let at = |r: &ActivityRow| rows.iter().position(|x| std::ptr::eq(x, r)).unwrap();
        for text in ["", "夜", "夜间治安巡逻", "yjza", "YJ", "ｙｊ", " 巡逻 ", "xl", "yoga", "逻y", "zzz", "治安 巡逻"]
        {
            for filter in [
                ActivityFilter { text: text.into(), ..Default::default() },
                ActivityFilter { text: text.into(), kind: Some(ActivityKind::Patrol), ..Default::default() },
                ActivityFilter {
                    text: text.into(),
                    major_only: true,
                    from: Some(day(2025, 5, 1)),
                    ..Default::default()
                },
                ActivityFilter { text: text.into(), organization: Some("o1".into()), ..Default::default() },
            ] {
                let plain: Vec<usize> = filter.apply(&rows).into_iter().map(at).collect();
                assert_eq!(index.apply(&rows, &filter), plain, "{filter:?}");
            }
        }
    }

    #[test]
    fn reports_due_and_overdue() {
        let rule = MajorActivityRule::standard();
        let mut soon = act("o1", "510104001002", day(2025, 6, 20), ActivityKind::Other);
        soon.set_major(true);
        let mut late = act("o1", "510104001002", day(2025, 6, 5), ActivityKind::Other);
        late.set_major(true);
        let mut done = act("o1", "510104001002", day(2025, 6, 5), ActivityKind::Other);
        done.set_major(true);
        done.record_report("街道", day(2025, 6, 1), crate::domain::ReportChannel::Phone).unwrap();
        let plain = act("o1", "510104001002", day(2025, 6, 5), ActivityKind::Other);
        let rows: Vec<ActivityRow> =
            [&soon, &late, &done, &plain].iter().map(|x| ActivityRow::from_activity(x)).collect();
        let due = reports_due(&rows, &rule, day(2025, 6, 10));
        assert_eq!(due.len(), 2);
        assert_eq!((due[0].activity.clone(), due[0].overdue), (late.id.clone(), true));
        assert_eq!((due[1].activity.clone(), due[1].overdue, due[1].due), (soon.id.clone(), false, day(2025, 6, 17)));
    }

    #[test]
    fn quiet_organizations_and_quarters() {
        let orgs =
            vec![org_row("o1", Lifecycle::Active), org_row("o2", Lifecycle::Active), org_row("o3", Lifecycle::Dormant)];
        let mut joint = act("o1", "510104001002", day(2025, 2, 1), ActivityKind::Other);
        joint.organizations.push("o2".into());
        let recent = act("o1", "510104001002", day(2025, 8, 1), ActivityKind::Other);
        let rows: Vec<ActivityRow> = [&joint, &recent].iter().map(|x| ActivityRow::from_activity(x)).collect();
        let quiet = quiet_orgs(&orgs, &rows, day(2025, 9, 1), 6);
        assert_eq!(quiet.len(), 1, "dormant ones are not suggested again");
        assert_eq!((quiet[0].id.as_str(), quiet[0].last), ("o2", Some(day(2025, 2, 1))));
        // Only planned (after today) is not evidence of activity.
        let mut planned = act("o2", "510104001002", day(2025, 10, 1), ActivityKind::Other);
        planned.title = "计划中的活动".into();
        let with_plan: Vec<ActivityRow> =
            [&joint, &recent, &planned].iter().map(|x| ActivityRow::from_activity(x)).collect();
        let quiet = quiet_orgs(&orgs, &with_plan, day(2025, 9, 1), 6);
        assert_eq!(quiet.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), vec!["o2"]);
        assert_eq!(quiet[0].last, Some(day(2025, 2, 1)), "the last activity held, not the planned one");
        let q = per_org_quarter(&rows, 2025);
        assert_eq!(q[&RecordId::from("o1")], [1, 0, 1, 0]);
        assert_eq!(q[&RecordId::from("o2")], [1, 0, 0, 0]);
    }

    #[test]
    fn counts_and_hours_never_count_training_hours_twice() {
        let mut a = act("o1", "510104001002", day(2025, 5, 1), ActivityKind::VolunteerService);
        a.targets = vec![TargetGroup::Elderly, TargetGroup::Children];
        a.participants = [("p1".into(), 2.0), ("p2".into(), 1.5)].into();
        let mut b = act("o2", "510104001003", day(2025, 5, 2), ActivityKind::Lecture);
        b.training = Some("t1".into());
        b.participants = [("p1".into(), 3.0), ("p3".into(), 3.0)].into();
        let c = act("o3", "510104002001", day(2024, 5, 2), ActivityKind::Lecture);
        let rows: Vec<ActivityRow> = [&a, &b, &c].iter().map(|x| ActivityRow::from_activity(x)).collect();
        // p1 signed in to training t1: those 3 hours are training hours.
        let trained: TrainedPairs = [("t1".into(), "p1".into())].into();
        let by_town = counts_by(&rows, GroupBy::Township, Some(Period::Year(2025)), &trained);
        let t = &by_town["510104001"];
        assert_eq!(t.activities, 2);
        assert_eq!(t.volunteer_hours, 6.5, "2 + 1.5 + 3 (p3), not p1's training hours");
        assert_eq!(t.by_kind[&ActivityKind::Lecture], 1);
        assert_eq!(t.by_target[&TargetGroup::Children], 1);
        assert!(!by_town.contains_key("510104002"), "outside the period");
        let by_kind = counts_by(&rows, GroupBy::Kind, None, &trained);
        assert_eq!(by_kind["lecture"].activities, 2);
        let history = service_history(&rows, &"p1".into(), None);
        assert_eq!(history.iter().map(|e| e.hours).collect::<Vec<_>>(), vec![2.0, 3.0]);
    }

    #[test]
    fn missing_and_last_work_reports() {
        let orgs =
            vec![org_row("o1", Lifecycle::Active), org_row("o2", Lifecycle::Active), org_row("o3", Lifecycle::Exited)];
        let h1 = WorkReport::new("o1".into(), "510104001002", Period::Half(2025, 1), day(2025, 7, 1));
        let year = WorkReport::new("o2".into(), "510104001002", Period::Year(2024), day(2025, 1, 5));
        let reports = vec![h1.clone(), year.clone()];
        let missing = missing_work_reports(&orgs, &reports, Period::Half(2025, 1));
        assert_eq!(missing.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), vec!["o2"]);
        assert!(missing_work_reports(&orgs, &reports, Period::Quarter(2025, 2)).iter().all(|o| o.id.as_str() != "o1"));
        let last = last_work_reports(&reports);
        assert_eq!(last[&RecordId::from("o1")].period, Period::Half(2025, 1));
    }
}

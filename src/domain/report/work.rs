//! What organizations do and how they are funded, evaluated and honoured,
//! for the report and the indicator workbook (issues 11 and 12): activity
//! counts by type and target group per township, major-activity reports due
//! and overdue, volunteer hours per organization, community, township and
//! type (never counting training hours twice), organizations with no
//! activity in N months, funds, evaluation ranking with the change on the
//! year before, honours, new and exited per year, standardization gaps.
//! Each figure's base is defined in docs/REPORTS.md.

use super::parts::{OrgIndex, OrgJoin};
use super::work_parts::{ActivityContext, ActivityWork, OrgWork, WorkContext, HOURS_BY};
use super::Counts;
use super::FastMap;
use crate::domain::activity::{ActivityKind, MajorActivityRule, TargetGroup};
use crate::domain::activity_query::{ActivityRow, TrainedPairs};
use crate::domain::ids::RecordId;
use crate::domain::ledger_report::{self, Funding, HonourLine, Lead, Ranked, TownshipGaps, YearFlow};
use crate::domain::projects::{Honour, Project};
use crate::domain::records::{Organization, Person};
use crate::domain::EvaluationSettings;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::sync::Arc;

/// Everything the work figures read, borrowed.
pub struct WorkInputs<'a> {
    pub orgs: &'a [Organization],
    pub people: &'a [Person],
    pub activities: &'a [ActivityRow],
    /// (training, person) sign-ins that credited hours.
    pub trained: &'a TrainedPairs,
    pub projects: &'a [Project],
    pub honours: &'a [Honour],
    pub rule: &'a MajorActivityRule,
    pub evaluation: &'a EvaluationSettings,
    pub as_of: NaiveDate,
    /// Months without an activity after which an organization is listed as quiet.
    pub quiet_months: u32,
}

/// Activities of one township (or of everything) in the reporting year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActivityTotals {
    /// The township's 9-digit code; empty for the total.
    pub code: String,
    pub activities: usize,
    pub major: usize,
    /// Headcounts as recorded (never fewer than the people named).
    pub participants: u64,
    pub beneficiaries: u64,
    /// Volunteer hours not already counted as training hours.
    pub volunteer_hours: f64,
    pub by_kind: Counts<ActivityKind>,
    /// An activity for several groups counts once for each.
    pub by_target: Counts<TargetGroup>,
}

impl ActivityTotals {
    pub(super) fn new(code: &str) -> Self {
        ActivityTotals {
            code: code.to_string(),
            activities: 0,
            major: 0,
            participants: 0,
            beneficiaries: 0,
            volunteer_hours: 0.0,
            by_kind: Counts::zero(),
            by_target: Counts::zero(),
        }
    }

    pub(super) fn add(&mut self, r: &ActivityRow, hours: f64) {
        self.activities += 1;
        self.major += r.major as usize;
        self.participants += r.headcount as u64;
        self.beneficiaries += r.beneficiaries as u64;
        self.volunteer_hours += hours;
        self.by_kind.add(r.kind.unwrap_or(ActivityKind::Other));
        for t in &r.targets {
            self.by_target.add(*t);
        }
    }

    /// The sum of several (a county's townships).
    pub fn sum<'a>(code: &str, parts: impl Iterator<Item = &'a ActivityTotals>) -> ActivityTotals {
        let mut out = ActivityTotals::new(code);
        for p in parts {
            out.merge(p);
        }
        out
    }

    pub(super) fn merge(&mut self, p: &ActivityTotals) {
        self.activities += p.activities;
        self.major += p.major;
        self.participants += p.participants;
        self.beneficiaries += p.beneficiaries;
        self.volunteer_hours += p.volunteer_hours;
        self.by_kind.merge(&p.by_kind);
        self.by_target.merge(&p.by_target);
    }
}

/// A major activity whose report is not made, at the as-of date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DueLine {
    pub activity: RecordId,
    pub title: String,
    pub organization: String,
    pub division: String,
    pub date: NaiveDate,
    /// The day the report is due (the activity's date less the rule's days).
    pub due: NaiveDate,
    pub overdue: bool,
}

/// How volunteer hours are grouped.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum HoursBy {
    Township,
    Community,
    Kind,
    /// The lead organization (a joint activity's hours are not split).
    Organization,
}

/// Volunteer hours of one group.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HoursLine {
    pub by: HoursBy,
    /// Division code, activity-type code or organization id.
    pub key: String,
    /// The organization's, community's or township's name (a type's label is the front end's).
    pub name: String,
    pub activities: usize,
    pub hours: f64,
}

/// An active organization with no activity in the window.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuietLine {
    pub id: RecordId,
    pub name: String,
    pub division: String,
    pub township: String,
    pub last: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct WorkFigures {
    /// False when the report was computed without activities and the ledger
    /// (the figures below are then empty, not zero).
    pub computed: bool,
    /// Per township, in code order.
    pub activities: Vec<ActivityTotals>,
    pub activities_total: Option<ActivityTotals>,
    pub reports_due: Vec<DueLine>,
    /// Volunteer hours of the year by township, community, type and lead organization.
    pub hours: Vec<HoursLine>,
    /// Hours logged on activities that are also trainings and already counted as training hours.
    pub hours_counted_as_training: f64,
    pub quiet_months: u32,
    pub quiet: Vec<QuietLine>,
    /// Funds, ranking, honours, flows and gaps: the figures that read no
    /// activity, shared with the next report while what they read is equal
    /// (`Store::report`); serialized in place, as fields of this one.
    #[serde(flatten)]
    pub ledger: Arc<LedgerFigures>,
}

/// What the work figures read besides the organizations' and the
/// activities' parts, borrowed.
pub struct WorkShared<'a> {
    pub people: &'a [Person],
    pub projects: &'a [Project],
    pub honours: &'a [Honour],
    pub as_of: NaiveDate,
    pub quiet_months: u32,
}

/// The work figures that read no activity (`WorkFigures::ledger_from_parts`).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct LedgerFigures {
    /// Funds of the reporting year.
    pub funding: Option<Funding>,
    /// The latest year with evaluations, up to the reporting year.
    pub ranking_year: Option<i32>,
    /// Per township (9 digits), best first, with the change on the year before.
    pub ranking: Vec<(String, Vec<Ranked>)>,
    /// Honours up to the reporting year, newest first.
    pub honours: Vec<HonourLine>,
    /// New, upgraded and exited per year, the five years to the reporting year.
    pub flows: Vec<YearFlow>,
    /// The latest year with a checklist, up to the reporting year.
    pub gaps_year: i32,
    pub gaps: Vec<TownshipGaps>,
}

impl WorkFigures {
    /// The work figures over every record at once: one part of each kind, merged.
    pub fn compute(i: &WorkInputs) -> WorkFigures {
        let ctx = WorkContext { as_of: i.as_of, evaluation: i.evaluation.clone(), quiet_months: i.quiet_months };
        let mut orgs = OrgWork::of(i.orgs, &ctx);
        let (ranking_year, gaps_year) = WorkFigures::years([&orgs], i.as_of);
        orgs.settle(i.orgs, &ctx, ranking_year, gaps_year);
        let actx = ActivityContext { as_of: i.as_of, trained: i.trained.clone(), rule: i.rule.clone() };
        let activities = ActivityWork::of(i.activities, &actx);
        let shared = WorkShared {
            people: i.people,
            projects: i.projects,
            honours: i.honours,
            as_of: i.as_of,
            quiet_months: i.quiet_months,
        };
        // One part is its own merge (`ActivityWork::merge`).
        let joins = OrgJoin::of(i.orgs, i.as_of);
        WorkFigures::from_parts(&shared, &[&orgs], &activities, &OrgIndex::of(&joins))
    }

    /// The years every `OrgWork` is to be settled to: the latest with an
    /// evaluation, and the latest with a checklist (else the reporting year).
    pub fn years<'a>(parts: impl IntoIterator<Item = &'a OrgWork>, as_of: NaiveDate) -> (Option<i32>, i32) {
        let (mut ranking, mut gaps) = (None, None);
        for p in parts {
            ranking = ranking.max(p.ranking_year);
            gaps = gaps.max(p.gaps_year);
        }
        (ranking, gaps.unwrap_or(as_of.year()))
    }

    /// The work figures from the organizations' parts, in document order
    /// (each `OrgWork` settled to `WorkFigures::years`), the activities'
    /// parts merged (`ActivityWork::merge`), and an index of the organizations.
    pub fn from_parts(i: &WorkShared, orgs: &[&OrgWork], activities: &ActivityWork, index: &OrgIndex) -> WorkFigures {
        let ledger = Arc::new(WorkFigures::ledger_from_parts(i, orgs, index));
        WorkFigures::with_activities(i, orgs, activities, index, ledger)
    }

    /// The figures `from_parts` gives that read no activity (funds,
    /// ranking, honours, flows, gaps), from the same inputs: a store keeps
    /// them while those are equal, so an activity added merges only the
    /// activity figures again (`with_activities`).
    pub fn ledger_from_parts(i: &WorkShared, orgs: &[&OrgWork], index: &OrgIndex) -> LedgerFigures {
        let year = i.as_of.year();
        let (ranking_year, gaps_year) = WorkFigures::years(orgs.iter().copied(), i.as_of);
        // A part left at other years would leave its organizations out.
        assert!(
            orgs.iter()
                .all(|o| o.ranking.as_ref().map(|r| r.0) == ranking_year
                    && o.gaps.as_ref().map(|g| g.0) == Some(gaps_year)),
            "every OrgWork settled to WorkFigures::years"
        );
        let ranking = ranking_year
            .map(|_| ledger_report::merge_ranking(orgs.iter().filter_map(|o| o.ranking.as_ref()).map(|r| &r.1)))
            .unwrap_or_default()
            .into_iter()
            .collect();
        let gaps = ledger_report::merge_gaps(orgs.iter().filter_map(|o| o.gaps.as_ref()).map(|g| g.1.as_slice()));
        let honours = ledger_report::honour_lines(i.honours, |id| index.name(id.as_str()), i.projects, i.people, None)
            .into_iter()
            .map(|(_, l)| l)
            .filter(|h| h.year <= year)
            .collect();
        LedgerFigures {
            funding: Some(ledger_report::funding_by(
                i.projects,
                |id| index.get(id.as_str()).map(|o| Lead { id: &o.id, name: &o.name, division: &o.division }),
                Some(year),
            )),
            ranking_year,
            ranking,
            honours,
            flows: ledger_report::merge_flows(orgs.iter().map(|o| o.flows.as_slice())),
            gaps_year,
            gaps,
        }
    }

    /// `from_parts` with the figures that read no activity given
    /// (`ledger_from_parts` of the same organizations' parts, index and
    /// shared records).
    pub fn with_activities(
        i: &WorkShared,
        orgs: &[&OrgWork],
        activities: &ActivityWork,
        index: &OrgIndex,
        ledger: Arc<LedgerFigures>,
    ) -> WorkFigures {
        let as_of = i.as_of;
        let org_name = |id: &str| index.name(id).map_or_else(|| id.to_string(), str::to_string);
        let last = &activities.last;
        let activities_total = ActivityTotals::sum("", activities.per_township.values());
        // Community and township names as the organizations there write them.
        let mut place: FastMap<&str, &str> = FastMap::default();
        for o in orgs {
            for (key, name) in &o.places {
                place.entry(key.as_str()).or_insert(name.as_str());
            }
        }
        let mut hours: Vec<HoursLine> = HOURS_BY
            .iter()
            .zip(&activities.hours)
            .flat_map(|(by, m)| m.iter().map(move |(key, v)| (*by, key.as_str(), *v)))
            .map(|(by, key, (activities, h))| HoursLine {
                by,
                name: match by {
                    HoursBy::Organization => org_name(key),
                    HoursBy::Kind => String::new(),
                    HoursBy::Township | HoursBy::Community => place.get(key).unwrap_or(&"").to_string(),
                },
                key: key.to_string(),
                activities,
                hours: h,
            })
            .collect();
        // Within each grouping, most hours first; keys are distinct within a
        // grouping, so no two lines compare equal and the order depends
        // neither on the map's nor on the sort's stability.
        hours.sort_unstable_by(|a, b| a.by.cmp(&b.by).then(b.hours.total_cmp(&a.hours)).then(a.key.cmp(&b.key)));

        // Due and overdue at the as-of date, in the merge's order; an
        // activity's report made since is not known here.
        let reports_due = activities
            .due
            .iter()
            .map(|d| {
                let org = d.organization.as_ref().and_then(|o| index.get(o.as_str()));
                DueLine {
                    title: d.title.clone(),
                    organization: d.organization.as_ref().map(|o| org_name(o.as_str())).unwrap_or_default(),
                    division: org.map(|o| o.division.clone()).unwrap_or_default(),
                    date: d.date,
                    due: d.due,
                    overdue: d.overdue,
                    activity: d.activity.clone(),
                }
            })
            .collect();

        let since = as_of.checked_sub_months(Months::new(i.quiet_months)).unwrap_or(as_of);
        let mut quiet: Vec<QuietLine> = orgs
            .iter()
            .flat_map(|o| &o.quiet)
            .filter_map(|q| {
                let l = last.get(&q.id).copied();
                l.is_none_or(|d| d < since).then(|| QuietLine { last: l, ..q.clone() })
            })
            .collect();
        quiet.sort_by(|a, b| (&a.division, a.last, &a.name).cmp(&(&b.division, b.last, &b.name)));

        WorkFigures {
            computed: true,
            activities: activities.per_township.values().cloned().collect(),
            activities_total: Some(activities_total),
            reports_due,
            hours,
            hours_counted_as_training: activities.as_training,
            quiet_months: i.quiet_months,
            quiet,
            ledger,
        }
    }

    /// Activities of the townships under a code prefix (a county), or all.
    pub fn activities_under(&self, prefix: &str) -> ActivityTotals {
        ActivityTotals::sum(prefix, self.activities.iter().filter(|t| t.code.starts_with(prefix)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::activity::Activity;
    use crate::domain::{Category, LegalStatus};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn activities_hours_reports_and_quiet_organizations_at_a_date() {
        let mut a = Organization::new("玉林巡逻队", Category::Other, LegalStatus::Filed, "510104016001");
        a.id = "o1".into();
        let mut b = Organization::new("双楠文体队", Category::Other, LegalStatus::Filed, "510104017002");
        b.id = "o2".into();
        b.founded = Some(day(2020, 1, 1));
        let mut patrol = Activity::new("o1".into(), "510104016001", day(2026, 3, 1), "夜间巡逻", ActivityKind::Patrol);
        patrol.targets = vec![TargetGroup::AllResidents, TargetGroup::Elderly];
        patrol.participants = [("p1".into(), 2.0), ("p2".into(), 2.0)].into();
        patrol.headcount = Some(12);
        let mut lecture =
            Activity::new("o1".into(), "510104016001", day(2026, 4, 1), "急救培训", ActivityKind::Lecture);
        lecture.training = Some("t1".into());
        lecture.participants = [("p1".into(), 3.0), ("p3".into(), 3.0)].into();
        let mut major =
            Activity::new("o2".into(), "510104017002", day(2026, 5, 20), "广场展演", ActivityKind::CultureSports);
        major.set_major(true);
        let last_year = Activity::new("o2".into(), "510104017002", day(2025, 5, 1), "旧活动", ActivityKind::Other);
        let after = Activity::new("o2".into(), "510104017002", day(2026, 7, 1), "以后的", ActivityKind::Other);
        let rows: Vec<ActivityRow> =
            [&patrol, &lecture, &major, &last_year, &after].iter().map(|x| ActivityRow::from_activity(x)).collect();
        let trained: TrainedPairs = [("t1".into(), "p1".into())].into();
        let mut c = Organization::new("文明劝导队", Category::Other, LegalStatus::Filed, "510104017002");
        c.founded = Some(day(2019, 6, 1));
        let mut new = Organization::new("新成立的队", Category::Other, LegalStatus::Filed, "510104017002");
        new.founded = Some(day(2026, 3, 1));
        let orgs = vec![a, b, c, new];
        let w = WorkFigures::compute(&WorkInputs {
            orgs: &orgs,
            people: &[],
            activities: &rows,
            trained: &trained,
            projects: &[],
            honours: &[],
            rule: &MajorActivityRule::standard(),
            evaluation: &EvaluationSettings::default(),
            as_of: day(2026, 6, 30),
            quiet_months: 6,
        });
        let total = w.activities_total.as_ref().unwrap();
        assert_eq!(total.activities, 3, "this year up to the as-of date only");
        assert_eq!(total.volunteer_hours, 7.0, "p1's 3 training hours are counted once, as training");
        assert_eq!(w.hours_counted_as_training, 3.0);
        assert_eq!(total.by_target.get(TargetGroup::Elderly), 1);
        assert_eq!(total.by_kind.get(ActivityKind::Lecture), 1);
        assert_eq!(w.activities.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), vec!["510104016", "510104017"]);
        assert_eq!(w.activities_under("510104016").major, 0);
        assert_eq!(w.activities_under("510104").activities, 3);
        let yulin = w.hours.iter().find(|h| h.by == HoursBy::Township && h.key == "510104016").unwrap();
        assert_eq!((yulin.activities, yulin.hours), (2, 7.0));
        let org = w.hours.iter().find(|h| h.by == HoursBy::Organization).unwrap();
        assert_eq!(org.name, "玉林巡逻队");
        assert_eq!(w.reports_due.len(), 1);
        assert!(w.reports_due[0].overdue, "due 2026-05-17, before the as-of date");
        // No activity since 2025-12-30; one founded within the window is not listed.
        assert_eq!(w.quiet.iter().map(|q| (q.name.as_str(), q.last)).collect::<Vec<_>>(), vec![("文明劝导队", None)]);
    }
}

use super::*;
use crate::domain::divisions::CommunityKind;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn org(name: &str, division: &str, party: PartyStatus) -> Organization {
    let mut o = Organization::new(name, Category::Charity, LegalStatus::Filed, division);
    o.party_status = party;
    o.founded = Some(day(2020, 1, 1));
    o
}

fn assignment(o: &Organization, from: NaiveDate, to: Option<NaiveDate>) -> LiaisonAssignment {
    LiaisonAssignment {
        id: RecordId::random(),
        person: "p1".into(),
        organization: o.id.clone(),
        role: AssignmentRole::Liaison,
        dispatched_by: String::new(),
        from,
        to,
        end_reason: String::new(),
    }
}

struct World {
    orgs: Vec<Organization>,
    liaisons: Vec<LiaisonAssignment>,
    people: Vec<Person>,
    venues: Vec<Venue>,
    bookings: Vec<Booking>,
    trainings: Vec<Training>,
    attendance: Vec<Attendance>,
}

impl World {
    fn new(orgs: Vec<Organization>) -> World {
        World {
            orgs,
            liaisons: vec![],
            people: vec![],
            venues: vec![],
            bookings: vec![],
            trainings: vec![],
            attendance: vec![],
        }
    }
    fn report(&self, as_of: NaiveDate) -> Report {
        Report::compute(&Inputs {
            federation: None,
            orgs: &self.orgs,
            people: &self.people,
            liaisons: &self.liaisons,
            venues: &self.venues,
            bookings: &self.bookings,
            trainings: &self.trainings,
            attendance: &self.attendance,
            as_of,
            evaluation: &Default::default(),
        })
    }
}

#[test]
fn ending_an_assignment_lowers_work_coverage() {
    // Reported: `liaison end` left the organization "dispatched" and coverage only rose.
    let o = org("阳光志愿服务队", "510104001002", PartyStatus::Uncovered);
    let mut w = World::new(vec![o.clone()]);
    w.liaisons.push(assignment(&o, day(2024, 1, 1), None));
    let r = w.report(day(2025, 6, 30));
    assert_eq!((r.coverage.work_covered, r.coverage.dispatched_only), (1, 1));
    assert_eq!(r.coverage.organization_covered, 0, "a liaison is not a Party organization");
    assert_eq!(r.coverage.work_rate, Some(1.0));
    w.liaisons[0].to = Some(day(2025, 3, 31));
    let r = w.report(day(2025, 6, 30));
    assert_eq!(r.coverage.work_covered, 0);
    assert_eq!(r.coverage.work_rate, Some(0.0));
    assert_eq!(r.uncovered.len(), 1);
    // As of a day the assignment was still in force, it counts.
    assert_eq!(w.report(day(2025, 3, 31)).coverage.work_covered, 1);
}

#[test]
fn a_dispatched_status_without_an_assignment_in_force_is_not_coverage() {
    // What `liaison assign` used to write, then the assignment ended.
    let o = org("夕阳红舞蹈队", "510104001002", PartyStatus::Dispatched);
    let mut w = World::new(vec![o.clone()]);
    w.liaisons.push(assignment(&o, day(2024, 1, 1), Some(day(2024, 12, 31))));
    let r = w.report(day(2025, 6, 30));
    assert_eq!(r.coverage.work_covered, 0);
    assert_eq!(r.dispatched_unrecorded.len(), 1, "named for the secretary to check");
    assert_eq!(r.uncovered.len(), 1);
}

#[test]
fn a_joint_branch_and_a_liaison_at_once_count_once_in_each_figure() {
    let joint = org("联合支部队", "510104001002", PartyStatus::Joint);
    let own = org("自有支部队", "510104001002", PartyStatus::Own);
    let none = org("未覆盖队", "510104001002", PartyStatus::Uncovered);
    let mut w = World::new(vec![joint.clone(), own, none]);
    w.liaisons.push(assignment(&joint, day(2024, 1, 1), None));
    w.liaisons.push(assignment(&joint, day(2024, 2, 1), None));
    let c = w.report(day(2025, 6, 30)).coverage;
    assert_eq!((c.base, c.own, c.joint, c.organization_covered), (3, 1, 1, 2));
    assert_eq!((c.dispatched, c.dispatched_only, c.work_covered), (1, 0, 2));
    assert_eq!(c.organization_rate, Some(2.0 / 3.0));
    assert_eq!(c.work_rate, Some(2.0 / 3.0));
}

#[test]
fn totals_and_coverage_share_one_base_and_exits_are_apart() {
    // Reported: totals included exited organizations while coverage excluded them.
    let mut exited = org("已退出队", "510104001002", PartyStatus::Own);
    exited.lifecycle = Lifecycle::Exited;
    exited.exit_date = Some(day(2025, 3, 1));
    exited.exit_reason = "长期不开展活动".into();
    let mut dormant = org("休眠队", "510104001002", PartyStatus::Uncovered);
    dormant.lifecycle = Lifecycle::Dormant;
    let mut later = org("明年队", "510104001002", PartyStatus::Own);
    later.founded = Some(day(2026, 2, 1));
    let mut new = org("新队", "510104001003", PartyStatus::Own);
    new.founded = Some(day(2025, 5, 1));
    let w = World::new(vec![exited, dormant, later, new, org("老队", "510104001003", PartyStatus::Joint)]);
    let r = w.report(day(2025, 12, 31));
    let b = &r.base;
    assert_eq!((b.surviving, b.active, b.dormant, b.exited, b.founded_later), (3, 2, 1, 1, 1));
    assert_eq!((b.new_in_year, b.exited_in_year), (1, 1));
    assert_eq!(r.coverage.base, b.surviving, "coverage is over the same base");
    assert_eq!(r.by_category.total(), b.surviving);
    assert_eq!(r.by_legal_status.total(), b.surviving);
    assert_eq!(r.by_lifecycle.get(Lifecycle::Exited), 1);
    assert_eq!(r.coverage.organization_covered, 2, "the exited branch is not counted");
    // Before its exit it was surviving; the later one did not exist yet.
    let r = w.report(day(2024, 12, 31));
    assert_eq!((r.base.surviving, r.base.exited, r.base.founded_later), (3, 0, 2));
    assert_eq!((r.base.new_in_year, r.base.exited_in_year), (0, 0));
}

#[test]
fn an_empty_report_prints_dashes_not_negative_zero() {
    let r = World::new(vec![]).report(day(2025, 12, 31));
    assert_eq!(r.coverage.work_rate, None);
    assert_eq!(r.coverage.organization_rate, None);
    assert_eq!(percent(r.coverage.work_rate), "—");
    assert_eq!(decimal(r.density.average), "—");
    assert!(r.training.hours.is_sign_positive(), "an empty sum starts at +0.0");
    assert_eq!(format!("{:.1}", r.training.hours), "0.0");
    assert_eq!(percent(Some(-0.0)), "0.0%");
    assert!(r.total.coverage.work_rate.is_none() && r.counties.is_empty());
}

#[test]
fn density_per_township_counts_400_codes_as_urban() {
    let mut orgs = Vec::new();
    // Urban community 001: 12 organizations; 居委会-like 401: 4; village 201: 5; village 202: 1.
    for (code, n) in [("510104001001", 12), ("510104001401", 4), ("510104001201", 5), ("510104001202", 1)] {
        for k in 0..n {
            let mut o = org(&format!("{code}-{k}"), code, PartyStatus::Uncovered);
            o.township = "春熙路街道".into();
            o.community = format!("社区{}", &code[9..]);
            orgs.push(o);
        }
    }
    let r = World::new(orgs).report(day(2025, 12, 31));
    let d = &r.density;
    assert_eq!((d.communities, d.urban, d.rural, d.organizations), (4, 2, 2, 22));
    assert_eq!(d.average, Some(5.5));
    assert_eq!(d.median, Some(4.5));
    assert_eq!(d.target, Some(7.5), "(10 + 10 + 5 + 5) / 4");
    assert_eq!(d.meets_target, Some(false));
    let below: Vec<(&str, CommunityKind, usize)> =
        r.below_density.iter().map(|c| (c.code.as_str(), c.kind, c.organizations)).collect();
    assert_eq!(below, vec![("510104001202", CommunityKind::Rural, 1), ("510104001401", CommunityKind::Urban, 4)]);
    let t = &r.townships[0];
    assert_eq!((t.code.as_str(), t.name.as_str()), ("510104001", "春熙路街道"));
    assert_eq!(t.density, r.density);
    assert_eq!(r.counties[0].name, "锦江区", "names, not codes");
}

#[test]
fn areas_break_down_every_figure_with_their_own_base() {
    let a = org("甲", "510104001002", PartyStatus::Own);
    let b = org("乙", "510104002003", PartyStatus::Uncovered);
    let mut c = org("丙", "510121100201", PartyStatus::Uncovered);
    c.lifecycle = Lifecycle::Exited;
    c.exit_date = Some(day(2025, 2, 1));
    c.exit_reason = "解散".into();
    let mut w = World::new(vec![a, b.clone(), c]);
    w.liaisons.push(assignment(&b, day(2025, 1, 1), None));
    let r = w.report(day(2025, 12, 31));
    assert_eq!(r.counties.len(), 2);
    assert_eq!(r.townships.len(), 3);
    let jinjiang = &r.counties[0];
    assert_eq!((jinjiang.base.surviving, jinjiang.coverage.work_covered, jinjiang.assignments), (2, 2, 1));
    let jintang = &r.counties[1];
    assert_eq!((jintang.base.surviving, jintang.base.exited, jintang.base.exited_in_year), (0, 1, 1));
    assert_eq!(jintang.coverage.work_rate, None);
    assert_eq!(r.total.base, r.base);
    assert_eq!(r.total.coverage, r.coverage);
    let township = r.townships.iter().find(|t| t.code == "510104002").unwrap();
    assert_eq!((township.county.as_str(), township.coverage.dispatched_only), ("510104", 1));
}

#[test]
fn json_uses_codes_and_numbers() {
    let w = World::new(vec![org("甲", "510104001002", PartyStatus::Own)]);
    let v = serde_json::to_value(w.report(day(2025, 12, 31))).unwrap();
    assert_eq!(v["as_of"], "2025-12-31");
    assert_eq!(v["by_category"]["charity"], 1);
    assert_eq!(v["by_legal_status"]["filed"], 1);
    assert_eq!(v["coverage"]["organization_rate"], 1.0);
    assert_eq!(v["counties"][0]["level"], "county");
    assert_eq!(v["density"]["average"], 1.0);
    assert_eq!(v["below_density"][0]["kind"], "urban");
}

#[test]
fn a_liaisons_load_leaves_out_organizations_that_exited() {
    // Reported: the load counted assignments to organizations that had exited
    // (an exit does not end its assignments by itself).
    let mut exited = org("已注销队", "510104001002", PartyStatus::Uncovered);
    exited.lifecycle = Lifecycle::Exited;
    exited.exit_date = Some(day(2025, 3, 1));
    let kept = org("在册队", "510104001002", PartyStatus::Uncovered);
    let mut w = World::new(vec![exited.clone(), kept.clone()]);
    w.liaisons.push(assignment(&exited, day(2024, 1, 1), None));
    w.liaisons.push(assignment(&kept, day(2024, 1, 1), None));
    let load = |r: &Report| {
        let x = r.liaison_load.iter().find(|x| x.person == RecordId::from("p1")).expect("listed");
        (x.organizations, x.assigned.iter().map(|o| o.name.clone()).collect::<Vec<_>>())
    };
    assert_eq!(load(&w.report(day(2025, 12, 31))), (1, vec!["在册队".to_string()]));
    // Before the exit it was part of the load.
    assert_eq!(load(&w.report(day(2024, 12, 31))).0, 2);
}

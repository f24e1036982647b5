//! The funding and cultivation actions (src/ops: projects, evaluations,
//! registration) at fixed dates, as both front ends call them.

use chrono::NaiveDate;
use hubsync::domain::activity::ReviewResult;
use hubsync::domain::*;
use hubsync::ops::{self, evaluations, projects, registration, Env, FixedClock, OpError};
use hubsync::store::Store;
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn world() -> (TempDir, Store, Organization) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .init_federation(&Federation {
            id: RecordId::random(),
            name: "锦江区社区社会组织联合会".into(),
            level: Level::County,
            division: "510104".into(),
            parent: String::new(),
            contact_name: String::new(),
            contact_phone: String::new(),
        })
        .unwrap();
    let mut o = Organization::new("玉林社区为老服务队", Category::ResidentServices, LegalStatus::Filed, "510104001002");
    o.filing_number = "锦江备2019-012".into();
    store.insert(&o).unwrap();
    (dir, store, o)
}

fn add_cmd(name: &str) -> projects::AddProject {
    projects::AddProject {
        name: name.into(),
        kind: ProjectKind::Purchase,
        funder: "锦江区民政局".into(),
        year: 2026,
        amount_fen: projects_amount("6.5万"),
        domains: vec![ProjectDomain::ElderlyCare],
        lead: Some("玉林社区为老服务队".into()),
        lead_name: String::new(),
        partners: vec![],
        beneficiaries: Some(120),
        beneficiary_groups: "辖区独居老人".into(),
        status: None,
        date: None,
    }
}

fn projects_amount(text: &str) -> i64 {
    hubsync::domain::projects::parse_yuan(text).unwrap()
}

#[test]
fn a_project_is_added_by_lead_name_and_moves_forward_step_by_step() {
    let (_dir, mut store, o) = world();
    let clock = FixedClock::on(2026, 3, 2);
    let added = projects::add(&mut Env::new(&mut store, &clock), add_cmd("长者助餐服务")).unwrap();
    assert_eq!(added.project.lead, Some(o.id.clone()));
    assert_eq!(added.project.amount_fen, 6_500_000);
    assert_eq!(added.project.milestones["applied"], d(2026, 3, 2));
    let adv = projects::Advance { project: "长者助餐服务".into(), to: None, date: None };
    let done = projects::advance(&mut Env::new(&mut store, &clock), adv).unwrap();
    assert_eq!((done.from, done.project.status), (ProjectStatus::Applied, ProjectStatus::Approved));
    let skip =
        projects::Advance { project: "长者助餐服务".into(), to: Some(ProjectStatus::Evaluated), date: None };
    let err = projects::advance(&mut Env::new(&mut store, &clock), skip).unwrap_err();
    assert_eq!(err.fields(), vec!["status"]);
    // A ledger of past projects enters them at 结项.
    let mut past = add_cmd("去年的助餐");
    past.status = Some(ProjectStatus::Closed);
    past.date = Some(d(2025, 12, 20));
    let p = projects::add(&mut Env::new(&mut store, &clock), past).unwrap().project;
    assert_eq!(p.status, ProjectStatus::Closed);
    assert_eq!(p.milestones.len(), 4);
    // An unknown lead is named, not silently dropped.
    let mut unknown = add_cmd("没有承接方");
    unknown.lead = Some("不存在的组织".into());
    let err = projects::add(&mut Env::new(&mut store, &clock), unknown).unwrap_err();
    assert!(matches!(err, OpError::Invalid(ref f) if f[0].field == "lead"), "{err}");
    assert_eq!(store.all::<Project>().unwrap().len(), 2);
}

#[test]
fn evaluation_takes_basic_conditions_from_the_checklist_and_weights_from_settings() {
    let (_dir, mut store, _o) = world();
    let clock = FixedClock::on(2026, 1, 10);
    let cmd = |basic| evaluations::Evaluate {
        org: "玉林社区为老服务队".into(),
        year: 2025,
        basic,
        activities: 20,
        contribution: 20,
        influence: 20,
        result: None,
        evaluator: "联合会考评组".into(),
        date: None,
        committee_review: Some(ReviewResult::Satisfied),
        residents_review: Some(ReviewResult::Basically),
        national_grade: Some(NationalGrade::A4),
        notes: String::new(),
    };
    let err = evaluations::evaluate(&mut Env::new(&mut store, &clock), cmd(None)).unwrap_err();
    assert_eq!(err.fields(), vec!["basic"], "no checklist: 基本条件 must be given");
    let items = vec![ChecklistItem::Charter, ChecklistItem::Finance, ChecklistItem::Disclosure];
    let rc = evaluations::RecordChecklist { org: "玉林社区为老服务队".into(), year: 2025, met: items };
    let c = evaluations::record_checklist(&mut Env::new(&mut store, &clock), rc).unwrap();
    assert_eq!(c.basic_score, 12);
    let done = evaluations::evaluate(&mut Env::new(&mut store, &clock), cmd(None)).unwrap();
    assert!(done.basic_from_checklist);
    assert_eq!(done.evaluation.basic, 12);
    assert_eq!(done.score, 72.0);
    assert_eq!(done.result, EvalResult::Pass);
    assert_eq!(done.evaluation.date, Some(d(2026, 1, 10)));
    assert_eq!(done.evaluation.national_grade, Some(NationalGrade::A4));
    // The federation lowers its bar: the same scores now earn 良好.
    let lenient = EvaluationSettings { excellent_from: 85, good_from: 70, pass_from: 55, ..Default::default() };
    evaluations::set_settings(&mut Env::new(&mut store, &clock), lenient).unwrap();
    let again = evaluations::evaluate(&mut Env::new(&mut store, &clock), cmd(Some(12))).unwrap();
    assert!(again.replaced);
    assert_eq!(again.result, EvalResult::Good);
    let bad = EvaluationSettings { weight_influence: 40, ..Default::default() };
    let err = evaluations::set_settings(&mut Env::new(&mut store, &clock), bad).unwrap_err();
    assert_eq!(err.fields(), vec!["weights"], "the form marks the four weights");
    let over = evaluations::evaluate(&mut Env::new(&mut store, &clock), cmd(Some(26))).unwrap_err();
    assert_eq!(over.fields(), vec!["basic"]);
}

#[test]
fn upgrade_exit_membership_incubation_and_brand_honour() {
    let (_dir, mut store, o) = world();
    let clock = FixedClock::on(2026, 6, 3);
    let cmd = registration::ChangeStatus {
        org: "玉林社区为老服务队".into(),
        to: LegalStatus::Registered,
        date: None,
        authority: "锦江区民政局".into(),
        number: "51420000MJH2003664".into(),
    };
    let err = registration::change_status(&mut Env::new(&mut store, &clock), cmd.clone()).unwrap_err();
    assert_eq!(err.fields(), vec!["credit_code"], "a wrong check character is refused");
    let ok = registration::ChangeStatus { number: "52420000MJH233402K".into(), ..cmd };
    let changed = registration::change_status(&mut Env::new(&mut store, &clock), ok).unwrap();
    assert_eq!(changed.org.form(), Some(OrgForm::ServiceInstitution));
    assert_eq!(changed.change.from, Some(LegalStatus::Filed));

    let m = registration::SetMembership {
        org: "玉林社区为老服务队".into(),
        status: Some(MembershipStatus::Enrolled),
        since: None,
        types: Some(vec![OrgType::Platform]),
    };
    let org = registration::set_membership(&mut Env::new(&mut store, &clock), m).unwrap();
    assert_eq!(org.member_since, Some(d(2026, 6, 3)));

    let inc = registration::Incubate {
        org: "玉林社区为老服务队".into(),
        platform: "锦江区社会组织孵化基地".into(),
        level: Level::County,
        entered: Some(d(2026, 1, 5)),
    };
    let i = registration::incubate(&mut Env::new(&mut store, &clock), inc.clone()).unwrap().incubation;
    assert!(registration::incubate(&mut Env::new(&mut store, &clock), inc).is_err(), "already inside");
    let s = registration::AddService {
        incubation: (&i.id).into(),
        service: IncubationService::Planning,
        date: None,
        provider: "区社工站".into(),
    };
    registration::add_service(&mut Env::new(&mut store, &clock), s).unwrap();
    let left = registration::leave(&mut Env::new(&mut store, &clock), &(&i.id).into(), None).unwrap();
    assert_eq!(left.left, Some(d(2026, 6, 3)));
    assert_eq!(left.services.len(), 1);

    let h = projects::AddHonour {
        kind: HonourKind::BrandOrg,
        level: AwardLevel::City,
        year: 2026,
        awarded_by: "成都市民政局".into(),
        title: "2026年度成都市品牌社会组织".into(),
        organization: Some("玉林社区为老服务队".into()),
        project: None,
        person: None,
        recipient_name: String::new(),
        date: None,
    };
    let added = projects::add_honour(&mut Env::new(&mut store, &clock), h).unwrap();
    assert!(added.brand_marked);
    let stored: Organization = store.get(&o.id).unwrap().unwrap();
    assert_eq!(stored.brand_year, Some(2026));
    assert!(stored.org_types.contains(&OrgType::Brand) && stored.org_types.contains(&OrgType::Platform));

    let exit = ops::orgs::Exit {
        org: "玉林社区为老服务队".into(),
        date: d(2026, 9, 1),
        reason: "并入区老年协会".into(),
        kind: Some(ExitKind::Merged),
    };
    let gone = ops::orgs::exit(&mut Env::new(&mut store, &clock), exit).unwrap();
    assert_eq!(gone.org.exit_kind, Some(ExitKind::Merged));
    let stored: Organization = store.get(&o.id).unwrap().unwrap();
    assert_eq!((stored.lifecycle, stored.exit_kind), (Lifecycle::Exited, Some(ExitKind::Merged)));
}

/// Point 3: an honour edited changes only the fields given; a link moved
/// renames the holder; turned into a brand title it marks the organization;
/// a settings form's errors name the field (issue 12.2).
#[test]
fn an_honour_is_edited_field_by_field_and_settings_name_their_fields() {
    let (_dir, mut store, o) = world();
    let clock = FixedClock::on(2025, 11, 4);
    let add = projects::AddHonour {
        kind: HonourKind::QualityProject,
        level: AwardLevel::County,
        year: 2024,
        awarded_by: "锦江区民政局".into(),
        title: "优质项目".into(),
        organization: None,
        project: None,
        person: None,
        recipient_name: "长者助餐服务".into(),
        date: None,
    };
    let h = projects::add_honour(&mut Env::new(&mut store, &clock), add).unwrap().honour;
    let edit = projects::EditHonour {
        honour: (&h.id).into(),
        fields: projects::HonourFields {
            kind: Some(HonourKind::DemonstrationOrg),
            organization: Some("玉林社区为老服务队".into()),
            ..Default::default()
        },
    };
    let edited = projects::edit_honour(&mut Env::new(&mut store, &clock), edit).unwrap();
    assert_eq!((edited.recipient.as_str(), edited.brand_marked), ("玉林社区为老服务队", true));
    let stored: Honour = store.get(&h.id).unwrap().unwrap();
    assert_eq!((stored.awarded_by.as_str(), stored.title.as_str(), stored.year), ("锦江区民政局", "优质项目", 2024));
    assert_eq!(stored.organization, Some(o.id.clone()));
    let org: Organization = store.get(&o.id).unwrap().unwrap();
    assert_eq!(org.brand_year, Some(2024));

    // Unlinking the organization of an organization's honour leaves no holder: refused, nothing written.
    let unlink = projects::EditHonour {
        honour: (&h.id).into(),
        fields: projects::HonourFields {
            organization: Some(hubsync::ops::Ref(String::new())),
            recipient_name: Some(String::new()),
            ..Default::default()
        },
    };
    let err = projects::edit_honour(&mut Env::new(&mut store, &clock), unlink).unwrap_err();
    assert_eq!(err.fields(), vec!["organization"], "{err}");
    let missing = projects::EditHonour {
        honour: (&h.id).into(),
        fields: projects::HonourFields { person: Some("没有这个人".into()), ..Default::default() },
    };
    let err = projects::edit_honour(&mut Env::new(&mut store, &clock), missing).unwrap_err();
    assert_eq!(err.fields(), vec!["person"], "{err}");
    assert_eq!(store.get::<Honour>(&h.id).unwrap().unwrap(), stored);

    let bad = EvaluationSettings { weight_basic: 40, good_from: 95, ..Default::default() };
    let err = evaluations::set_settings(&mut Env::new(&mut store, &clock), bad).unwrap_err();
    assert_eq!(err.fields(), vec!["weights", "good_from"], "{err}");
}

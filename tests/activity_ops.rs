//! Activity actions (src/ops/activities) at a fixed date, and the command
//! line over them.

#[path = "support/cli.rs"]
mod command_line;
use chrono::NaiveDate;
use command_line::hubsync;
use hubsync::domain::activity_query::reports_due;
use hubsync::domain::*;
use hubsync::ops::activities::{self as act, ActivityFields, LogParticipants, Participant};
use hubsync::ops::{Env, FixedClock, OpError, Ref};
use hubsync::store::Store;
use tempfile::TempDir;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct World {
    _dir: TempDir,
    store: Store,
    org: Organization,
    partner: Organization,
}

fn world() -> World {
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
    let org =
        Organization::new("玉林社区平安巡逻队", Category::ResidentServices, LegalStatus::Incubating, "510104016001");
    let partner = Organization::new(
        "玉林社区银龄志愿服务队",
        Category::ResidentServices,
        LegalStatus::Incubating,
        "510104016001",
    );
    store.insert(&org).unwrap();
    store.insert(&partner).unwrap();
    World { _dir: dir, store, org, partner }
}

fn fields(partner: &Organization) -> ActivityFields {
    ActivityFields {
        organizations: vec![Ref::from(" 玉林社区 平安巡逻队"), Ref::from(&partner.id)],
        date: Some(day(2026, 3, 20)),
        start: Some("14:00".into()),
        end: Some("16点30".into()),
        title: Some("关爱留守儿童课后陪伴".into()),
        kind: Some(ActivityKind::Care),
        targets: Some(vec![TargetGroup::Children]),
        headcount: Some(40),
        ..Default::default()
    }
}

#[test]
fn adding_follows_the_rule_unless_the_user_decided() {
    let World { _dir, mut store, org, partner } = world();
    let clock = FixedClock::on(2026, 3, 10);
    let mut env = Env::new(&mut store, &clock);
    let s = act::add(&mut env, fields(&partner)).unwrap();
    assert_eq!(s.suggested, vec![MajorReason::Minors]);
    assert!(s.activity.major);
    assert_eq!(s.activity.report_status, Some(ReportStatus::Due));
    assert_eq!(s.activity.organizations, vec![org.id.clone(), partner.id.clone()], "joint, resolved by name");
    assert_eq!(s.activity.end.as_deref(), Some("16:30"));
    assert_eq!(s.activity.division, "510104016001");

    let mut decided = fields(&partner);
    decided.major = Some(false);
    let s = act::add(&mut env, decided).unwrap();
    assert_eq!(s.suggested, vec![MajorReason::Minors], "the suggestion is still shown");
    assert!(!s.activity.major && s.activity.report_status.is_none());

    // Every missing field at once, named.
    let err = act::add(&mut env, ActivityFields::default()).unwrap_err();
    assert_eq!(err.fields(), vec!["organizations", "title", "kind"]);
    let mut bad = fields(&partner);
    bad.start = Some("25:00".into());
    assert_eq!(act::add(&mut env, bad).unwrap_err().fields(), vec!["start"]);
    let mut unknown = fields(&partner);
    unknown.organizations = vec![Ref::from("不存在的组织")];
    assert!(matches!(act::add(&mut env, unknown), Err(OpError::NotFound { .. })));
}

#[test]
fn the_major_report_flow_and_the_due_list() {
    let World { _dir, mut store, partner, .. } = world();
    let clock = FixedClock::on(2026, 3, 18);
    let mut env = Env::new(&mut store, &clock);
    let id = act::add(&mut env, fields(&partner)).unwrap().activity.id;
    let rule = env.store.major_rule();
    let due = reports_due(&env.store.activity_rows(), &rule, clock.0.date());
    assert_eq!((due.len(), due[0].due, due[0].overdue), (1, day(2026, 3, 17), true));

    let err = act::acknowledge(&mut env, &id, "街道社会事务办", None).unwrap_err();
    assert_eq!(err.fields(), vec!["report_status"], "{err}");
    let cmd =
        act::ReportMajor {
            activity: id.clone(), to: "玉林街道党工委".into(), on: None, via: ReportChannel::Written
        };
    let a = act::report_major(&mut env, cmd).unwrap();
    assert_eq!((a.report_status, a.reported_on), (Some(ReportStatus::Reported), Some(day(2026, 3, 18))));
    assert!(reports_due(&env.store.activity_rows(), &rule, clock.0.date()).is_empty());
    let a = act::acknowledge(&mut env, &id, "李主任", Some(day(2026, 3, 19))).unwrap();
    assert_eq!(a.report_status, Some(ReportStatus::Acknowledged));
    let again = act::ReportMajor { activity: id.clone(), to: "别处".into(), on: None, via: ReportChannel::Phone };
    assert!(act::report_major(&mut env, again).is_err(), "acknowledged reports stay as they were");

    // A stricter rule, changed by the federation, applies to the next activity.
    let rule = MajorActivityRule { minors: false, participants_over: Some(30), ..MajorActivityRule::standard() };
    act::set_rule(&mut env, rule).unwrap();
    let s = act::add(&mut env, fields(&partner)).unwrap();
    assert_eq!(s.suggested, vec![MajorReason::ManyParticipants]);
}

#[test]
fn logging_participants_twice_updates_one_entry_and_new_people_are_volunteers() {
    let World { _dir, mut store, org, partner } = world();
    let clock = FixedClock::on(2026, 3, 20);
    let mut env = Env::new(&mut store, &clock);
    let id = act::add(&mut env, fields(&partner)).unwrap().activity.id;
    let log = |people: &[(&str, Option<f64>)], create: bool| LogParticipants {
        activity: id.clone(),
        participants: people.iter().map(|(p, h)| Participant { person: Ref::from(*p), hours: *h }).collect(),
        create_missing: create,
    };
    let err = act::log_participants(&mut env, log(&[("张秀英", None)], false)).unwrap_err();
    assert!(matches!(err, OpError::NotFound { .. }), "{err}");
    let done = act::log_participants(&mut env, log(&[("张秀英", None), ("李建华", Some(1.0))], true)).unwrap();
    assert_eq!(done.created_people.len(), 2);
    assert!(done
        .created_people
        .iter()
        .all(|p| p.roles == vec![Role::Volunteer] && p.organization == Some(org.id.clone())));
    assert_eq!(done.activity.volunteer_hours(), 3.5, "the activity's 2.5 h by default");
    let done = act::log_participants(&mut env, log(&[("张秀英", Some(2.0))], false)).unwrap();
    assert_eq!((done.added.len(), done.updated.len()), (0, 1));
    assert_eq!(done.activity.participants.len(), 2);
    // Too many hours: nothing written, not even the new person.
    let before = env.store.all::<Person>().unwrap().len();
    let err = act::log_participants(&mut env, log(&[("王芳", Some(3.0))], true)).unwrap_err();
    assert_eq!(err.fields(), vec!["participants"]);
    assert_eq!(env.store.all::<Person>().unwrap().len(), before);

    let c = act::certificate(&mut env, &Ref::from("张秀英"), Some("2026")).unwrap();
    assert_eq!((c.entries.len(), c.total_hours, c.issued_on), (1, 2.0, day(2026, 3, 20)));
    assert_eq!(c.entries[0].organization, "玉林社区平安巡逻队");
    assert!(act::certificate(&mut env, &Ref::from("张秀英"), Some("2025")).unwrap().entries.is_empty());
}

#[test]
fn work_reports_and_their_review() {
    let World { _dir, mut store, .. } = world();
    let clock = FixedClock::on(2026, 7, 6);
    let mut env = Env::new(&mut store, &clock);
    let cmd = act::AddWorkReport {
        org: Ref::from("玉林社区平安巡逻队"),
        period: "2026年上半年".into(),
        reported_on: None,
        committees: vec![],
        reported_to: "玉林街道、玉林社区两委".into(),
        summary: "上半年开展巡逻24次".into(),
    };
    let r = act::add_work_report(&mut env, cmd.clone()).unwrap();
    assert_eq!((r.period, r.reported_on), (Period::Half(2026, 1), day(2026, 7, 6)));
    assert_eq!(r.committees, vec![Committee::Township, Committee::Community]);
    let bad = act::AddWorkReport { period: "明年".into(), ..cmd };
    assert_eq!(act::add_work_report(&mut env, bad).unwrap_err().fields(), vec!["period"]);
    let review = act::Review {
        report: r.id.clone(),
        result: ReviewResult::Basically,
        on: None,
        by: String::new(),
        notes: String::new(),
    };
    assert_eq!(act::review(&mut env, review.clone()).unwrap_err().fields(), vec!["reviewed_by"]);
    let r = act::review(&mut env, act::Review { by: "社区两委、居民代表".into(), ..review }).unwrap();
    assert_eq!((r.review, r.reviewed_on), (Some(ReviewResult::Basically), Some(day(2026, 7, 6))));
    let orgs = env.store.org_rows();
    let missing =
        hubsync::domain::activity_query::missing_work_reports(&orgs, &env.store.work_reports(), Period::Half(2026, 1));
    assert_eq!(missing.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), vec!["玉林社区银龄志愿服务队"]);
}

// ------------------------------------------------------------ the command line

fn run(dir: &TempDir, args: &[&str]) -> String {
    let out = hubsync(dir).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_secretary_logs_reports_and_certifies_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    run(&dir, &["init", "--name", "锦江区联合会", "--level", "县", "--division", "510104"]);
    run(&dir, &["org", "add", "--name", "玉林社区平安巡逻队", "--division", "510104016001"]);
    let photo = dir.path().join("巡逻照片.jpg");
    std::fs::write(&photo, b"jpeg bytes").unwrap();
    let out = run(
        &dir,
        &[
            "activity",
            "add",
            "--org",
            "玉林社区平安巡逻队",
            "--date",
            "2026年3月5日",
            "--start",
            "19:00",
            "--end",
            "21:00",
            "--title",
            "夜间治安巡逻",
            "--kind",
            "治安巡逻",
            "--targets",
            "全体居民",
            "--headcount",
            "约150",
            "--attach",
            photo.to_str().unwrap(),
        ],
    );
    assert!(out.contains("参与人数较多"), "{out}");
    let id = out.split_whitespace().nth(1).unwrap().to_string();
    let out = run(&dir, &["activity", "log", &id, "张秀英:2", "李建华", "--create"]);
    assert!(out.contains("已新增志愿者") && out.contains("4.0 h"), "{out}");
    let out = run(&dir, &["activity", "show", &id]);
    assert!(out.contains("应报告") && out.contains("巡逻照片.jpg") && out.contains("张秀英"), "{out}");
    let out = run(&dir, &["activity", "report", &id, "--to", "玉林街道党工委", "--via", "微信", "--on", "2026-03-01"]);
    assert!(out.contains("已报告"), "{out}");
    run(&dir, &["activity", "ack", &id, "--by", "李主任", "--on", "2026-03-02"]);
    let list = run(&dir, &["activity", "list", "--kind", "patrol", "--format", "csv"]);
    assert!(list.contains("夜间治安巡逻") && list.contains(",acknowledged"), "codes for scripts: {list}");
    assert_eq!(run(&dir, &["activity", "list", "--kind", "mediation", "--format", "csv"]).lines().count(), 1);
    let cert = dir.path().join("证明.xlsx");
    let out = run(&dir, &["activity", "certificate", "张秀英", "--out", cert.to_str().unwrap()]);
    assert!(out.contains("2.0 h"), "{out}");
    assert_eq!(&std::fs::read(&cert).unwrap()[..2], b"PK");
    assert!(run(&dir, &["activity", "certificate", "张秀英"]).contains("累计服务时长 2.0 小时"));
    let err = hubsync(&dir).args(["activity", "log", &id, "王芳:9", "--create"]).assert().failure();
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("超过活动时长"), "{stderr}");
    run(&dir, &["work-report", "add", "玉林社区平安巡逻队", "--period", "2026-Q1", "--on", "2026-04-02"]);
    let reports = run(&dir, &["work-report", "list", "--format", "csv"]);
    assert!(reports.contains(",2026-Q1,"), "the period's code for scripts: {reports}");
    let rule = run(&dir, &["activity", "rule", "--participants-over", "200", "--days-before", "5"]);
    assert!(rule.contains("200") && rule.contains(": 5"), "{rule}");
}

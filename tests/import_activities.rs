//! Activity ledgers as townships send them (issue 11.7): GBK CSV from Excel
//! with CRLF, a title row and 序号, a combined 活动时间 cell, joint
//! activities, volunteers written with phones and hours, namesakes; an
//! .xlsx with a notes sheet, a merged title, date and time cells. Every bad
//! line is named; nothing is written while one is wrong; an export reads back.

use assert_cmd::Command;
use hubsync::domain::*;
use hubsync::io::activity_import::{plan_activities, ActivityContext, OrgEntry, PersonEntry};
use hubsync::io::export::{to_csv, Names};
use hubsync::io::import::ImportOptions;
use hubsync::ops::import::{import, Import, Kind, Mode, Outcome};
use hubsync::ops::{Env, FixedClock};
use hubsync::store::Store;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tempfile::TempDir;

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct World {
    dir: TempDir,
    store: Store,
    patrol: Organization,
    silver: Organization,
    dance: Organization,
}

fn org(name: &str, division: &str, township: &str) -> Organization {
    let mut o = Organization::new(name, Category::ResidentServices, LegalStatus::Incubating, division);
    o.township = township.into();
    o
}

fn person(name: &str, phone: &str, org: &Organization) -> Person {
    let mut p = Person::new(name);
    p.phone = phone.into();
    p.organization = Some(org.id.clone());
    p.roles = vec![Role::Volunteer];
    p
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
    let patrol = org("玉林社区平安巡逻队", "510104016001", "玉林街道");
    let silver = org("玉林社区银龄志愿服务队", "510104016001", "玉林街道");
    let mut dance = org("双楠社区文体队", "510104017002", "双楠街道");
    dance.credit_code = "51420000MJH200395N".into();
    dance.legal_status = LegalStatus::Registered;
    store.insert_many(&[patrol.clone(), silver.clone(), dance.clone()]).unwrap();
    store
        .insert_many(&[
            person("张秀英", "13812345678", &patrol),
            person("张伟", "13900001111", &patrol),
            person("张伟", "13900002222", &dance),
        ])
        .unwrap();
    World { dir, store, patrol, silver, dance }
}

fn gbk(text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    encoding_rs::GBK.encode(&crlf).0.into_owned()
}

fn run_import(w: &mut World, bytes: &[u8], mode: Mode) -> hubsync::ops::import::Imported {
    let file = w.dir.path().join("活动台账.csv");
    std::fs::write(&file, bytes).unwrap();
    let clock = FixedClock::on(2026, 4, 1);
    let mut env = Env::new(&mut w.store, &clock);
    import(&mut env, Import { kind: Kind::Activities, file, options: ImportOptions::default(), mode }).unwrap()
}

const TOWNSHIP_LEDGER: &str = "\
玉林街道社区社会组织活动台账(2026年第一季度),,,,,,,,,,
填报单位:玉林街道社会组织联合会,,,,,,,,,,
序号,组织名称,活动时间,活动名称,活动类型,服务对象,活动地点,参与人数,志愿者,志愿服务时长(小时),备注
1,玉林社区平安巡逻队、玉林社区银龄志愿服务队,2026年3月7日 9:00-11:30,邻里守望敲门行动,志愿服务,老年人、困难群众,玉林小区,25,张秀英:2.5、李建国(13700001234) 2,4.5,
2,双楠社区文体队,2026/3/14 下午2:00～4:30,社区广场舞展演,文体活动,全体居民,双楠广场,120人,张伟,2.5,外请老师指导
";

#[test]
fn a_township_ledger_in_gbk_is_checked_then_written_once() {
    let mut w = world();
    let bytes = gbk(TOWNSHIP_LEDGER);

    let checked = run_import(&mut w, &bytes, Mode::DryRun);
    assert_eq!(checked.outcome, Outcome::Checked);
    let r = &checked.report;
    assert_eq!(r.format, "GB18030/GBK");
    assert_eq!(r.header_line, 3, "two title rows above the header");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.valid, 2);
    assert_eq!(r.new_people, 1, "李建国 is not on record");
    assert!(
        r.warnings.iter().any(|w| w.line == 4 && w.message.contains("李建国")),
        "the new volunteer is announced on its line: {:?}",
        r.warnings
    );
    assert!(w.store.activity_rows().is_empty(), "a dry run writes nothing");

    let done = run_import(&mut w, &bytes, Mode::All);
    assert_eq!(done.outcome, Outcome::Written(2));
    let mut all = w.store.all::<Activity>().unwrap();
    all.sort_by_key(|a| a.date);
    let (knock, dance) = (&all[0], &all[1]);
    assert_eq!(knock.organizations, vec![w.patrol.id.clone(), w.silver.id.clone()], "joint, lead first");
    assert_eq!(knock.division, "510104016001");
    assert_eq!(
        (knock.date, knock.start.as_deref(), knock.end.as_deref()),
        (day(2026, 3, 7), Some("09:00"), Some("11:30"))
    );
    assert_eq!(knock.kind, ActivityKind::VolunteerService);
    assert_eq!(knock.targets, vec![TargetGroup::Elderly, TargetGroup::InNeed]);
    assert_eq!(knock.place, "玉林小区");
    assert_eq!(knock.volunteer_hours(), 4.5);
    assert!(!knock.major);
    let people = w.store.all::<Person>().unwrap();
    let li = people.iter().find(|p| p.name == "李建国").expect("added as a volunteer");
    assert_eq!((li.phone.as_str(), li.roles.as_slice()), ("13700001234", &[Role::Volunteer][..]));
    assert_eq!(li.organization.as_ref(), Some(&w.patrol.id), "of the lead organization");
    assert_eq!(knock.participants.get(&li.id), Some(&2.0));

    assert_eq!((dance.start.as_deref(), dance.end.as_deref()), (Some("14:00"), Some("16:30")), "下午 times");
    assert_eq!(dance.headcount, Some(120));
    assert!(dance.major, "over 100 participants: the rule makes it major");
    assert_eq!(dance.report_status, Some(ReportStatus::Due));
    let wei = people.iter().find(|p| p.name == "张伟" && p.phone == "13900002222").unwrap();
    assert_eq!(dance.participants.keys().collect::<Vec<_>>(), vec![&wei.id], "the namesake of this organization");
    assert_eq!(dance.notes, "外请老师指导");

    // The same file again: every line named as already recorded, nothing written.
    let again = run_import(&mut w, &bytes, Mode::All);
    assert_eq!(again.outcome, Outcome::RefusedInvalid);
    assert_eq!(again.report.invalid_lines, vec![4, 5]);
    assert!(again.report.errors.iter().all(|e| e.message.contains("已登记")), "{:?}", again.report.errors);
    assert_eq!(w.store.all::<Activity>().unwrap().len(), 2);
    assert_eq!(w.store.all::<Person>().unwrap().len(), 4, "no volunteer added twice");
}

#[test]
fn every_bad_line_is_named_and_nothing_is_written() {
    let mut w = world();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        "活动台账
序号,组织名称,活动日期,开始时间,结束时间,活动名称,活动类型,志愿者
1,不存在的组织,2026-03-01,09:00,10:00,巡逻,治安巡逻,
2,玉林社区平安巡逻队,2026-02-30,09:00,10:00,巡逻,治安巡逻,
3,玉林社区平安巡逻队,2026-03-02,09:00,10:00,夜间巡逻,巡逻,张秀英:3
4,玉林社区平安巡逻队,2026-03-03,09:00,10:00,巡逻,跳舞,
5,玉林社区平安巡逻队,2026-03-04,09:00,10:00,春季巡逻,治安巡逻,张秀英:1
6,玉林社区平安巡逻队,2026-03-04,09:00,10:00,春季巡逻,治安巡逻,
7,玉林社区平安巡逻队,2026-03-05,09:00,10:00,夜间巡逻,治安巡逻,张伟
"
        .as_bytes(),
    );
    let done = run_import(&mut w, &bytes, Mode::All);
    assert_eq!(done.outcome, Outcome::RefusedInvalid);
    let r = &done.report;
    assert_eq!(r.invalid_lines, vec![3, 4, 5, 6, 8], "{:?}", r.errors);
    let at =
        |line: usize| r.errors.iter().filter(|e| e.line == line).map(|e| e.to_string()).collect::<Vec<_>>().join(" | ");
    assert!(at(3).contains("找不到组织「不存在的组织」") && at(3).contains("[组织名称]"), "{}", at(3));
    assert!(at(4).contains("第4行") && at(4).contains("[活动日期]") && at(4).contains("不存在"), "{}", at(4));
    assert!(at(5).contains("超过活动时长"), "{}", at(5));
    assert!(at(6).contains("[活动类型]") && at(6).contains("跳舞"), "{}", at(6));
    assert!(at(8).contains("与第7行是同一活动"), "{}", at(8));
    assert!(w.store.all::<Activity>().unwrap().is_empty(), "all or nothing");
    // 张伟 on line 9: the organization's own 张伟 is taken.
    assert!(!r.invalid_lines.contains(&9));

    let some = run_import(&mut w, &bytes, Mode::ValidRows);
    assert_eq!(some.outcome, Outcome::Written(2), "lines 7 and 9");
}

#[test]
fn namesakes_are_reported_not_guessed() {
    let sunshine = |township: &str, division: &str, code: &str| OrgEntry {
        id: RecordId::random(),
        name: "阳光志愿服务队".into(),
        division: division.into(),
        township: township.into(),
        credit_code: code.into(),
    };
    let yulin = sunshine("玉林街道", "510104016001", "51420000MJH200395N");
    let shuangnan = sunshine("双楠街道", "510104017002", "");
    let zhang = |phone: &str, org: &OrgEntry| PersonEntry {
        id: RecordId::random(),
        name: "张伟".into(),
        phone: phone.into(),
        organization: Some(org.id.clone()),
    };
    let ctx = ActivityContext {
        orgs: vec![yulin.clone(), shuangnan.clone()],
        people: vec![zhang("13900001111", &yulin), zhang("13900002222", &yulin)],
        rule: MajorActivityRule::standard(),
        ..Default::default()
    };
    let plan = |csv: &str| plan_activities(csv.as_bytes(), &ctx, &ImportOptions::default()).unwrap().plan;

    let p = plan("组织名称,活动日期,活动名称,活动类型\n阳光志愿服务队,2026-03-01,敲门行动,志愿服务\n");
    assert_eq!(p.invalid_lines, vec![2]);
    let message = &p.errors[0].message;
    assert!(
        message.contains("2 个同名组织") && message.contains("玉林街道") && message.contains("双楠街道"),
        "{message}"
    );

    let p =
        plan("组织名称,所属街道,活动日期,活动名称,活动类型\n阳光志愿服务队,双楠街道,2026-03-01,敲门行动,志愿服务\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.records[0].1.organizations, vec![shuangnan.id.clone()]);

    let p = plan("组织名称,统一社会信用代码,活动日期,活动名称,活动类型\n阳光志愿服务队,51420000mjh200395n,2026-03-01,敲门行动,志愿服务\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.records[0].1.organizations, vec![yulin.id.clone()], "by credit code");

    // Two 张伟 in the same organization: the phone tells them apart.
    let p = plan(
        "统一社会信用代码,活动日期,活动名称,活动类型,志愿者\n51420000MJH200395N,2026-03-01,敲门行动,志愿服务,张伟:1\n",
    );
    assert!(p.errors[0].message.contains("2 位同名人员"), "{:?}", p.errors);
    let p = plan(
        "统一社会信用代码,活动日期,活动名称,活动类型,志愿者\n51420000MJH200395N,2026-03-01,敲门行动,志愿服务,张伟 139-0000-2222:1\n",
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.records[0].1.participants.get(&ctx.people[1].id), Some(&1.0));
}

#[test]
fn a_workbook_with_date_and_time_cells_names_sheet_and_row() {
    let mut w = world();
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "活动类型请从下拉列表选择").unwrap();
    let ws = book.add_worksheet();
    ws.set_name("一季度活动").unwrap();
    ws.merge_range(0, 0, 0, 6, "双楠街道社区社会组织活动台账", &Format::new().set_bold()).unwrap();
    for (c, h) in ["序号", "组织名称", "活动日期", "开始时间", "结束时间", "活动名称", "活动类型"].iter().enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy年m月d日");
    let time = Format::new().set_num_format("hh:mm");
    for (r, (d, title)) in [(12u8, "垃圾分类宣传"), (19, "消防应急演练")].iter().enumerate() {
        let r = r as u32 + 2;
        ws.write_number(r, 0, (r - 1) as f64).unwrap();
        ws.write_string(r, 1, "双楠社区文体队").unwrap();
        ws.write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(2026, 3, *d).unwrap(), &date).unwrap();
        ws.write_datetime_with_format(r, 3, ExcelDateTime::from_hms(9, 30, 0).unwrap(), &time).unwrap();
        ws.write_datetime_with_format(r, 4, ExcelDateTime::from_hms(11, 0, 0).unwrap(), &time).unwrap();
        ws.write_string(r, 5, *title).unwrap();
    }
    ws.write_string(2, 6, "垃圾分类").unwrap();
    ws.write_string(3, 6, "演习").unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let done = run_import(&mut w, &bytes, Mode::All);
    let r = &done.report;
    assert_eq!((r.format.as_str(), r.sheet.as_str(), r.header_line), ("XLSX", "一季度活动", 2));
    assert_eq!(done.outcome, Outcome::RefusedInvalid);
    assert_eq!(r.invalid_lines, vec![4], "Excel row 4");
    assert!(r.errors[0].to_string().starts_with("工作表「一季度活动」第4行"), "{}", r.errors[0]);

    let done = run_import(&mut w, &bytes, Mode::ValidRows);
    assert_eq!(done.outcome, Outcome::Written(1));
    let a = &w.store.all::<Activity>().unwrap()[0];
    assert_eq!((a.date, a.start.as_deref(), a.end.as_deref()), (day(2026, 3, 12), Some("09:30"), Some("11:00")));
    assert_eq!((a.kind, &a.organizations), (ActivityKind::WasteSorting, &vec![w.dance.id.clone()]));
}

#[test]
fn an_exported_ledger_reads_back_into_another_node() {
    let mut w = world();
    let clock = FixedClock::on(2026, 3, 1);
    let mut env = Env::new(&mut w.store, &clock);
    use hubsync::ops::activities::{self as act, ActivityFields, LogParticipants, Participant, ReportMajor};
    let added = act::add(
        &mut env,
        ActivityFields {
            organizations: vec!["玉林社区平安巡逻队".into(), "玉林社区银龄志愿服务队".into()],
            date: Some(day(2026, 3, 20)),
            start: Some("14:00".into()),
            end: Some("16:30".into()),
            title: Some("关爱留守儿童课后陪伴".into()),
            kind: Some(ActivityKind::Care),
            targets: Some(vec![TargetGroup::Children]),
            headcount: Some(40),
            beneficiaries: Some(30),
            place: Some("玉林社区活动室".into()),
            notes: Some("与学校合办".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let id = added.activity.id.clone();
    act::log_participants(
        &mut env,
        LogParticipants {
            activity: id.clone(),
            participants: vec![Participant { person: "张秀英".into(), hours: Some(2.5) }],
            create_missing: false,
        },
    )
    .unwrap();
    act::report_major(
        &mut env,
        ReportMajor {
            activity: id.clone(),
            to: "玉林街道党工委".into(),
            on: Some(day(2026, 3, 15)),
            via: ReportChannel::Phone,
        },
    )
    .unwrap();
    let original: Activity = w.store.get(&id).unwrap().unwrap();
    let names = Names {
        orgs: [(w.patrol.id.clone(), w.patrol.name.clone()), (w.silver.id.clone(), w.silver.name.clone())].into(),
        people: w.store.all::<Person>().unwrap().into_iter().map(|p| (p.id, p.name)).collect(),
        ..Default::default()
    };
    let sheet = hubsync::io::activity_export::activities_sheet(std::slice::from_ref(&original), &names, Lang::Zh);
    let bytes = to_csv(&sheet, true);

    let mut other = world();
    let done = run_import(&mut other, &bytes, Mode::All);
    assert_eq!(done.outcome, Outcome::Written(1), "{:?}", done.report);
    assert!(done.report.warnings.is_empty(), "{:?}", done.report.warnings);
    let back = &other.store.all::<Activity>().unwrap()[0];
    let zhang = other.store.all::<Person>().unwrap().into_iter().find(|p| p.name == "张秀英").unwrap();
    assert_eq!(back.organizations, vec![other.patrol.id.clone(), other.silver.id.clone()]);
    assert_eq!(back.participants.get(&zhang.id), Some(&2.5));
    let same = |a: &Activity| {
        (
            a.date,
            a.start.clone(),
            a.end.clone(),
            a.title.clone(),
            a.kind,
            a.targets.clone(),
            a.place.clone(),
            (a.headcount, a.beneficiaries),
            a.major,
            a.report_status,
            (a.reported_to.clone(), a.reported_on, a.reported_via),
            a.notes.clone(),
        )
    };
    assert_eq!(same(back), same(&original));
}

#[test]
fn the_command_line_imports_and_exports_per_organization_and_period() {
    let dir = TempDir::new().unwrap();
    let hubsync = || {
        let mut c = Command::cargo_bin("hubsync").unwrap();
        c.arg("--data-dir").arg(dir.path()).arg("--lang").arg("zh");
        c
    };
    hubsync().args(["init", "--name", "锦江区联合会", "--level", "县", "--division", "510104"]).assert().success();
    for (name, division) in [
        ("玉林社区平安巡逻队", "510104016001"),
        ("玉林社区银龄志愿服务队", "510104016001"),
        ("双楠社区文体队", "510104017002"),
    ] {
        hubsync().args(["org", "add", "--name", name, "--division", division]).assert().success();
    }
    let file = dir.path().join("台账.csv");
    std::fs::write(&file, gbk(TOWNSHIP_LEDGER)).unwrap();
    let out = hubsync().args(["import", "activities"]).arg(&file).arg("--dry-run").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("2 行有效") && stdout.contains("试运行"), "{stdout}");
    hubsync().args(["import", "activities"]).arg(&file).assert().success();

    let out = hubsync()
        .args(["export", "activities", "--org", "双楠社区文体队", "--period", "2026年第一季度"])
        .assert()
        .success();
    let csv = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(csv.lines().count(), 2, "header and the one activity of that organization: {csv}");
    assert!(csv.contains("社区广场舞展演") && csv.contains("张伟:2.5"), "{csv}");
    let out = hubsync().args(["export", "activities", "--period", "2026-Q2"]).assert().success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout).lines().count(), 1, "nothing in Q2");
    let xlsx = dir.path().join("玉林.xlsx");
    hubsync()
        .args(["export", "activities", "--division", "510104016", "--format", "xlsx", "-o"])
        .arg(&xlsx)
        .assert()
        .success();
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let err = hubsync().args(["export", "activities", "--period", "明年"]).assert().failure();
    let stderr = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(stderr.contains("报告期间 '明年' 无法识别"), "{stderr}");
    let err = hubsync().args(["export", "people", "--period", "2026"]).assert().failure();
    assert!(String::from_utf8_lossy(&err.get_output().stderr).contains("--org/--period"));
}

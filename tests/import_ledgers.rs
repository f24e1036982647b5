//! Evaluation summaries and project ledgers as offices send them (issue
//! 12.1, 12.2): GBK CSV from Excel with CRLF, title rows carrying the year,
//! 序号, scores written "20分", amounts as "5万元", "50,000.00" or bare numbers
//! under a 金额(万元) header, dates as text down to the month ("2025年3月") and
//! as date cells; namesakes; every bad line named; nothing written while one
//! is wrong; a second import of the same file changes nothing.

use hubsync::domain::activity::ReviewResult;
use hubsync::domain::*;
use hubsync::io::import::ImportOptions;
use hubsync::ops::import::{import, Import, Imported, Kind, Mode, Outcome};
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
    elder: Organization,
    neighbours: Organization,
    sunshine_yulin: Organization,
}

fn org(name: &str, division: &str, township: &str) -> Organization {
    let mut o = Organization::new(name, Category::ResidentServices, LegalStatus::Filed, division);
    o.township = township.into();
    o
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
    let elder = org("玉林社区为老服务队", "510104016001", "玉林街道");
    let mut neighbours = org("芳草社区邻里互助会", "510104017002", "芳草街道");
    neighbours.credit_code = "51420000MJH200395N".into();
    neighbours.legal_status = LegalStatus::Registered;
    // The 2025 checklist gives 基本条件 when the summary leaves it blank: 4 of 6 items → 16.
    neighbours.standardization.insert(
        "2025".into(),
        Checklist::from_items(&[
            ChecklistItem::Charter,
            ChecklistItem::Finance,
            ChecklistItem::Disclosure,
            ChecklistItem::Supervision,
        ]),
    );
    let sunshine_yulin = org("阳光志愿服务队", "510104016003", "玉林街道");
    store.insert_many(&[elder.clone(), neighbours.clone(), sunshine_yulin.clone()]).unwrap();
    // A namesake in another township arrives by sync from a peer's roster.
    let peer_dir = TempDir::new().unwrap();
    let mut peer = Store::open(peer_dir.path()).unwrap();
    peer.init_federation(&Federation {
        id: RecordId::random(),
        name: "芳草街道社区社会组织联合会".into(),
        level: Level::Township,
        division: "510104017".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    })
    .unwrap();
    let sunshine_fangcao = org("阳光志愿服务队", "510104017001", "芳草街道");
    peer.insert(&sunshine_fangcao).unwrap();
    let doc = peer.locate(Collection::Orgs, &sunshine_fangcao.id).unwrap();
    for _ in 0..20 {
        let mut quiet = true;
        if let Some(m) = peer.sync_generate("county", &doc).unwrap() {
            store.sync_receive("township", &doc, &m, true).unwrap();
            quiet = false;
        }
        if let Some(m) = store.sync_generate("township", &doc).unwrap() {
            peer.sync_receive("county", &doc, &m, true).unwrap();
            quiet = false;
        }
        if quiet {
            break;
        }
    }
    assert!(store.get::<Organization>(&sunshine_fangcao.id).unwrap().is_some(), "the namesake arrived");
    World { dir, store, elder, neighbours, sunshine_yulin }
}

fn gbk(text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    encoding_rs::GBK.encode(&crlf).0.into_owned()
}

fn run(w: &mut World, kind: Kind, name: &str, bytes: &[u8], mode: Mode) -> Imported {
    let file = w.dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let clock = FixedClock::on(2026, 1, 20);
    let mut env = Env::new(&mut w.store, &clock);
    import(&mut env, Import { kind, file, options: ImportOptions::default(), mode }).unwrap()
}

fn messages(list: &[hubsync::io::import::RowError]) -> String {
    list.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
}

/// The year is only in the title; 填报日期 below it is not the year.
const EVALUATION_SUMMARY: &str = "\
锦江区2025年度社区社会组织考核评价结果汇总表,,,,,,,,,,,,,
填报单位:锦江区社会组织联合会    填报日期:2026年1月,,,,,,,,,,,,,
序号,组织名称,所属街道,基本条件(25分),活动情况(25分),社会贡献(25分),社区影响力(25分),总分,评定等次,两委评议,居民评议,等级评估,考评单位,考核日期
1,玉林社区为老服务队,玉林街道,22,20分,18,20,80,良好,满意,基本满意,4A,联合会考评组,2025年12月
2,芳草社区邻里互助会,芳草街道,,18,15,12,,,满意,满意,无,联合会考评组,2025-12-20
3,阳光志愿服务队,玉林街道,20,24,23,23,90,良好,满意,满意,,联合会考评组,2025/12/22
4,阳光志愿服务队,,20,20,20,20,80,良好,,,,联合会考评组,2025-12-22
5,锦江区不存在的协会,玉林街道,20,20,20,20,80,良好,,,,联合会考评组,2025-12-22
6,玉林社区为老服务队,玉林街道,20,20,20,20,80,良好,,,,联合会考评组,2025-12-22
7,芳草社区邻里互助会,芳草街道,20,26,20,20,86,良好,,,,联合会考评组,2025-12-22
";

#[test]
fn an_evaluation_summary_in_gbk_is_checked_then_written_into_each_organization() {
    let mut w = world();
    let bytes = gbk(EVALUATION_SUMMARY);
    let checked = run(&mut w, Kind::Evaluations, "考核结果.csv", &bytes, Mode::DryRun);
    let r = &checked.report;
    assert_eq!(checked.outcome, Outcome::Checked);
    assert_eq!(r.format, "GB18030/GBK");
    assert_eq!(r.header_line, 3, "two title rows above the header");
    assert!(r.unmapped.is_empty(), "序号 and every column map: {:?}", r.unmapped);
    assert_eq!(r.valid, 3, "{}", messages(&r.errors));
    assert_eq!(r.invalid_lines, vec![7, 8, 9, 10], "{}", messages(&r.errors));
    let errors = messages(&r.errors);
    assert!(errors.contains("第7行 (line 7) [组织名称]: 「阳光志愿服务队」有 2 个同名组织"), "{errors}");
    assert!(errors.contains("第8行 (line 8) [组织名称]: 找不到组织「锦江区不存在的协会」"), "{errors}");
    assert!(errors.contains("第9行 (line 9) [组织名称]: 与第4行是同一组织同一年度"), "{errors}");
    assert!(errors.contains("第10行 (line 10) [活动情况(25分)]: 得分 '26' 应为0–25"), "{errors}");
    let warnings = messages(&r.warnings);
    assert!(warnings.contains("第4行 (line 4) [考核日期]: 「2025年12月」只写到月"), "{warnings}");
    assert!(
        warnings.contains("第5行 (line 5) [基本条件(25分)]: 基本条件未填,按2025年规范化建设自查记为 16 分"),
        "{warnings}"
    );
    assert!(warnings.contains("第6行 (line 6) [评定等次]: 考核结果写作「良好」,按本会分档应为「优秀」"), "{warnings}");

    // All or nothing: refused while a line is bad.
    let refused = run(&mut w, Kind::Evaluations, "考核结果.csv", &bytes, Mode::All);
    assert_eq!(refused.outcome, Outcome::RefusedInvalid);
    assert!(w.store.get::<Organization>(&w.elder.id).unwrap().unwrap().evaluations.is_empty());

    let written = run(&mut w, Kind::Evaluations, "考核结果.csv", &bytes, Mode::ValidRows);
    assert_eq!(written.outcome, Outcome::Written(3));
    let elder = w.store.get::<Organization>(&w.elder.id).unwrap().unwrap();
    let e = &elder.evaluations["2025"];
    assert_eq!((e.basic, e.activities, e.contribution, e.influence), (22, 20, 18, 20));
    assert_eq!(e.result, Some(EvalResult::Good));
    assert_eq!(e.committee_review, Some(ReviewResult::Satisfied));
    assert_eq!(e.residents_review, Some(ReviewResult::Basically));
    assert_eq!(e.national_grade, Some(NationalGrade::A4), "the grade is its own field");
    assert_eq!(e.evaluator, "联合会考评组");
    assert_eq!(e.date, Some(day(2025, 12, 1)), "a month written: its first day");
    let neighbours = w.store.get::<Organization>(&w.neighbours.id).unwrap().unwrap();
    let e = &neighbours.evaluations["2025"];
    assert_eq!(e.basic, 16, "from the checklist");
    assert_eq!((e.result, e.national_grade), (None, None), "blank result: the cut-offs decide; 无: no grade");
    let sunshine = w.store.get::<Organization>(&w.sunshine_yulin.id).unwrap().unwrap();
    assert_eq!(sunshine.evaluations["2025"].total(), 90, "the township column picked the namesake");

    // The same file again writes nothing and says so.
    let again = run(&mut w, Kind::Evaluations, "考核结果.csv", &bytes, Mode::ValidRows);
    assert_eq!(again.outcome, Outcome::Written(0));
    assert!(messages(&again.report.warnings).contains("考核已登记且相同"), "{}", messages(&again.report.warnings));

    // A corrected summary replaces the year's evaluation, and says what it replaces.
    let corrected =
        "2025年度考核结果\n组织名称,基本条件,活动情况,社会贡献,社区影响力\n玉林社区为老服务队,22,22,18,20\n";
    let done = run(&mut w, Kind::Evaluations, "更正.csv", corrected.as_bytes(), Mode::All);
    assert_eq!(done.outcome, Outcome::Written(1));
    assert!(
        messages(&done.report.warnings).contains("将替换「玉林社区为老服务队」已登记的2025年考核(原四项 22/20/18/20)")
    );
    let elder = w.store.get::<Organization>(&w.elder.id).unwrap().unwrap();
    assert_eq!(elder.evaluations["2025"].activities, 22);
    assert_eq!(elder.evaluations["2025"].national_grade, None, "replaced whole, as the summary says it");
}

#[test]
fn an_evaluation_workbook_with_year_and_date_cells_names_sheet_and_row() {
    let mut w = world();
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "各项满分25分,总分100分").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("考核结果").unwrap();
    let date = Format::new().set_num_format("yyyy年m月d日");
    ws.merge_range(0, 0, 0, 8, "社区社会组织年度考核评价结果", &Format::new().set_bold()).unwrap();
    let header = [
        "序号",
        "考核年度",
        "组织名称",
        "统一社会信用代码",
        "基本条件",
        "活动情况",
        "社会贡献",
        "社区影响力",
        "考核日期",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    // Row 3: named by credit code and name.
    ws.write_number(2, 0, 1.0).unwrap();
    ws.write_number(2, 1, 2024.0).unwrap();
    ws.write_string(2, 2, "芳草社区邻里互助会").unwrap();
    ws.write_string(2, 3, "51420000MJH200395N").unwrap();
    for (c, s) in [(4u16, 21.0), (5, 22.0), (6, 20.0), (7, 19.0)] {
        ws.write_number(2, c, s).unwrap();
    }
    ws.write_datetime_with_format(2, 8, ExcelDateTime::from_ymd(2025, 1, 15).unwrap(), &date).unwrap();
    // Row 4: a credit code belonging to another organization.
    ws.write_number(3, 0, 2.0).unwrap();
    ws.write_number(3, 1, 2024.0).unwrap();
    ws.write_string(3, 2, "玉林社区为老服务队").unwrap();
    ws.write_string(3, 3, "51420000MJH200395N").unwrap();
    for c in 4..8u16 {
        ws.write_number(3, c, 20.0).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let checked = run(&mut w, Kind::Evaluations, "考核.xlsx", &bytes, Mode::DryRun);
    let r = &checked.report;
    assert_eq!((r.format.as_str(), r.sheet.as_str(), r.header_line), ("XLSX", "考核结果", 2));
    let errors = messages(&r.errors);
    assert!(
        errors.contains("工作表「考核结果」第4行 (sheet 考核结果, row 4) [统一社会信用代码]: 统一社会信用代码 51420000MJH200395N 属于「芳草社区邻里互助会」"),
        "{errors}"
    );
    let done = run(&mut w, Kind::Evaluations, "考核.xlsx", &bytes, Mode::ValidRows);
    assert_eq!(done.outcome, Outcome::Written(1));
    let o = w.store.get::<Organization>(&w.neighbours.id).unwrap().unwrap();
    let e = &o.evaluations["2024"];
    assert_eq!((e.total(), e.date), (82, Some(day(2025, 1, 15))), "the year from its number cell, the date cell");
}

/// 资助金额 in 万元 as the header says; lead and partners on the roster or not.
const PROJECT_LEDGER: &str = "\
锦江区2025年度社区公益项目台账,,,,,,,,,,,
序号,项目名称,项目类型,资助方,承接组织,合作单位,服务领域,资助金额(万元),立项日期,结项日期,受益人数,项目状态
1,长者助餐服务,政府购买服务,锦江区民政局,玉林社区为老服务队,芳草社区邻里互助会、锦江区社工服务中心,为老、养老服务,5,2025年3月,2025-12-20,120人,
2,儿童之家四点半课堂,公益创投,锦江区慈善会,成都市爱有戏社区发展中心,,儿童保障,\"60,000.00元\",2025/4/1,,约80,实施
3,邻里节,社区基金,玉林社区基金,芳草社区邻里互助会,,社区治理,约5万,2025-05-01,,,立项
4,助残康复,福彩公益金,锦江区民政局,芳草社区邻里互助会,,助残,3.5,2025-03-01,2025-12-01,30,申报
5,长者助餐服务,政府购买服务,锦江区民政局,玉林社区为老服务队,,为老,5,2025-03-01,,,
6,反诈宣传,委托,锦江区公安分局,阳光志愿服务队,,社区治理,1,2025-09-01,2025-06-30,,
";

#[test]
fn a_project_ledger_in_gbk_reads_amounts_units_and_dates_as_written() {
    let mut w = world();
    let bytes = gbk(PROJECT_LEDGER);
    let checked = run(&mut w, Kind::Projects, "项目台账.csv", &bytes, Mode::DryRun);
    let r = &checked.report;
    assert_eq!((r.header_line, r.valid), (2, 2), "{}", messages(&r.errors));
    assert_eq!(r.invalid_lines, vec![5, 6, 7, 8]);
    let errors = messages(&r.errors);
    assert!(errors.contains("第5行 (line 5) [资助金额(万元)]: 金额 '约5万' 无法识别"), "{errors}");
    assert!(errors.contains("第6行 (line 6) [项目状态]: 状态为「申报」,却有结项日期"), "{errors}");
    assert!(errors.contains("第7行 (line 7) [项目名称]: 与第3行是同一年度的同名项目"), "{errors}");
    assert!(errors.contains("第8行 (line 8) [结项日期]: 结项日期 2025-06-30 早于立项日期 2025-09-01"), "{errors}");
    assert!(errors.contains("第8行 (line 8) [承接组织]: 「阳光志愿服务队」有 2 个同名组织"), "{errors}");
    let warnings = messages(&r.warnings);
    assert!(warnings.contains("第3行 (line 3) [立项日期]: 「2025年3月」只写到月,记为 2025-03-01"), "{warnings}");
    assert!(
        warnings.contains("第3行 (line 3) [合作单位]: 合作方 锦江区社工服务中心 不在本会名册中,记入备注"),
        "{warnings}"
    );
    assert!(warnings.contains("第4行 (line 4) [承接组织]: 「成都市爱有戏社区发展中心」不在本会名册中"), "{warnings}");

    assert_eq!(run(&mut w, Kind::Projects, "项目台账.csv", &bytes, Mode::All).outcome, Outcome::RefusedInvalid);
    assert!(w.store.all_readable::<Project>().0.is_empty(), "nothing written while a line is bad");
    let done = run(&mut w, Kind::Projects, "项目台账.csv", &bytes, Mode::ValidRows);
    assert_eq!(done.outcome, Outcome::Written(2));
    let projects = w.store.all_readable::<Project>().0;
    let named = |name: &str| projects.iter().find(|p| p.name == name).unwrap();
    let meals = named("长者助餐服务");
    assert_eq!(meals.name, "长者助餐服务");
    assert_eq!((meals.year, meals.amount_fen), (2025, 5_000_000), "5 under 万元 is 50,000 元; the year from the title");
    assert_eq!(meals.kind, ProjectKind::Purchase);
    assert_eq!(meals.lead, Some(w.elder.id.clone()));
    assert_eq!(meals.partners, vec![w.neighbours.id.clone()]);
    assert_eq!(meals.notes, "合作方: 锦江区社工服务中心");
    assert_eq!(meals.domains, vec![ProjectDomain::Elderly, ProjectDomain::ElderlyCare]);
    assert_eq!(meals.status, ProjectStatus::Closed, "no status written: the last step dated");
    assert_eq!(meals.milestones["approved"], day(2025, 3, 1));
    assert_eq!(meals.milestones["closed"], day(2025, 12, 20));
    assert_eq!(meals.beneficiaries, Some(120));
    let children = named("儿童之家四点半课堂");
    assert_eq!(children.amount_fen, 6_000_000, "60,000.00元 says its unit");
    assert_eq!((children.lead.clone(), children.lead_name.as_str()), (None, "成都市爱有戏社区发展中心"));
    assert_eq!(children.status, ProjectStatus::Running);
    assert_eq!(children.beneficiaries, Some(80));

    // Imported projects count in the funding figures like any other.
    let orgs = w.store.all_readable::<Organization>().0;
    let f = hubsync::domain::ledger_report::funding(&projects, &orgs, Some(2025));
    assert_eq!(f.total.fen, 11_000_000);

    // The same ledger again: every row already recorded, nothing written.
    let again = run(&mut w, Kind::Projects, "项目台账.csv", &bytes, Mode::ValidRows);
    assert!(messages(&again.report.errors).contains("第3行 (line 3) [项目名称]: 2025年项目「长者助餐服务」已登记"));
    assert_eq!(again.outcome, Outcome::Written(0));
}

#[test]
fn a_project_workbook_with_amount_numbers_and_date_cells() {
    let mut w = world();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2024年项目").unwrap();
    let date = Format::new().set_num_format("yyyy/m/d");
    let header = ["项目名称", "项目年度", "项目类型", "承接单位", "项目金额(元)", "申报日期", "立项日期", "服务对象"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "社区微更新议事").unwrap();
    ws.write_number(1, 1, 2024.0).unwrap();
    ws.write_string(1, 2, "公益创投").unwrap();
    ws.write_string(1, 3, "芳草社区邻里互助会").unwrap();
    ws.write_number(1, 4, 48000.5).unwrap();
    ws.write_datetime_with_format(1, 5, ExcelDateTime::from_ymd(2024, 2, 20).unwrap(), &date).unwrap();
    ws.write_datetime_with_format(1, 6, ExcelDateTime::from_ymd(2024, 4, 2).unwrap(), &date).unwrap();
    ws.write_string(1, 7, "辖区居民").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let done = run(&mut w, Kind::Projects, "项目.xlsx", &bytes, Mode::All);
    assert_eq!(done.outcome, Outcome::Written(1), "{}", messages(&done.report.errors));
    let p = &w.store.all_readable::<Project>().0[0];
    assert_eq!((p.year, p.amount_fen, p.status), (2024, 4_800_050, ProjectStatus::Approved));
    assert_eq!(p.milestones["applied"], day(2024, 2, 20));
    assert_eq!(p.beneficiary_groups, "辖区居民");
    assert_eq!(p.partition().as_deref(), Some("2024"), "stored in the year's document");
}

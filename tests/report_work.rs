//! The report and the indicator workbook over activities and the ledger
//! (issues 11.7 and 12): demo data at county scale, figures that add up,
//! every sheet with its base and as-of date, the workbook read back.

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use hubsync::domain::report::work::HoursBy;
use hubsync::domain::*;
use hubsync::io::figures::{self, Cell};
use hubsync::ops::demo::{load, LoadDemo};
use hubsync::ops::{Env, FixedClock};
use hubsync::store::Store;
use tempfile::TempDir;

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn demo() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let clock = FixedClock::on(2026, 6, 30);
    load(&mut Env::new(&mut store, &clock), LoadDemo { seed: 7, orgs: 400, today: Some(day(2026, 6, 30)) }).unwrap();
    (dir, store)
}

fn int(c: &Cell) -> usize {
    match c {
        Cell::Int(n) => *n,
        other => panic!("not a count: {other:?}"),
    }
}

fn num(c: &Cell) -> f64 {
    match c {
        Cell::Num(x) => *x,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn activity_hours_and_ledger_figures_add_up_in_the_workbook() {
    let (_dir, store) = demo();
    let as_of = day(2026, 6, 30);
    let (report, problems) = store.report(as_of);
    assert!(problems.is_empty(), "{problems:?}");
    let w = &report.work;
    assert!(w.computed);
    let total = w.activities_total.as_ref().unwrap();
    assert!(total.activities > 100, "half a year of a county's activities: {}", total.activities);

    // Hours: what the figure counts plus what training already counted is every hour logged this year.
    let activities = store.all::<Activity>().unwrap();
    let this_year: Vec<&Activity> =
        activities.iter().filter(|a| a.date >= day(2026, 1, 1) && a.date <= as_of).collect();
    assert_eq!(total.activities, this_year.len());
    let logged: f64 = this_year.iter().map(|a| a.volunteer_hours()).sum();
    assert!((total.volunteer_hours + w.hours_counted_as_training - logged).abs() < 1e-6);
    for by in [HoursBy::Township, HoursBy::Community, HoursBy::Kind, HoursBy::Organization] {
        let lines: Vec<_> = w.hours.iter().filter(|h| h.by == by).collect();
        let sum: f64 = lines.iter().map(|h| h.hours).sum();
        assert!((sum - total.volunteer_hours).abs() < 1e-6, "{by:?}: every hour counted once in each grouping");
        assert_eq!(lines.iter().map(|h| h.activities).sum::<usize>(), total.activities, "{by:?}");
    }
    assert!(w.hours.iter().any(|h| h.by == HoursBy::Township && !h.name.is_empty()), "townships by name");
    assert!(w.reports_due.iter().any(|d| d.overdue), "the demo has overdue major reports");
    assert!(w.ledger.funding.as_ref().unwrap().total.projects > 0);
    assert!(!w.ledger.honours.is_empty() && w.ledger.honours.iter().all(|h| h.year <= 2026));
    assert_eq!(w.ledger.flows.iter().map(|f| f.year).collect::<Vec<_>>(), vec![2022, 2023, 2024, 2025, 2026]);
    assert!(w.ledger.ranking_year.is_some() && !w.ledger.ranking.is_empty());
    // `report --format json` keeps these fields of `work` where they were
    // (the figures that read no activity are shared, serialized in place).
    let json = serde_json::to_value(&*report).unwrap();
    for key in ["funding", "ranking_year", "ranking", "honours", "flows", "gaps_year", "gaps", "quiet", "hours"] {
        assert!(json["work"].get(key).is_some(), "work.{key} in the JSON report");
    }
    assert!(json["work"].get("ledger").is_none(), "no nested ledger object");

    let fed = store.federation();
    let sheets = figures::sheets(&report, fed.as_ref(), Lang::Zh);
    let find = |name: &str| sheets.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("sheet {name}"));
    for name in [
        "活动(按类型)",
        "活动(按服务对象)",
        "重大活动报告",
        "志愿服务时长",
        "长期无活动",
        "项目资金",
        "考核排名",
        "荣誉名单",
        "新增与退出",
        "规范化短板",
    ] {
        let s = find(name);
        assert!(s.base.contains("统计口径") && s.base.contains("截至 2026-06-30"), "{name}: {}", s.base);
        assert!(s.rows.iter().all(|r| r.len() == s.headers.len()), "{name}: ragged rows");
    }
    // The total row of the activity sheet: the kinds sum to the activities.
    let kinds = find("活动(按类型)");
    let first_kind = kinds.headers.iter().position(|h| h == "志愿服务").unwrap();
    let row = &kinds.rows[0];
    assert_eq!(int(&row[4]), total.activities);
    assert_eq!(row[first_kind..].iter().map(int).sum::<usize>(), total.activities);
    // Each county row is the sum of its townships.
    let county_rows: Vec<&Vec<Cell>> = kinds.rows.iter().filter(|r| r[0] == Cell::Text("县(市、区)".into())).collect();
    assert_eq!(county_rows.iter().map(|r| int(&r[4])).sum::<usize>(), total.activities);
    let hours = find("志愿服务时长");
    let township_hours: f64 =
        hours.rows.iter().filter(|r| r[0] == Cell::Text("乡镇(街道)".into())).map(|r| num(&r[4])).sum();
    assert!((township_hours - total.volunteer_hours).abs() < 1e-6);
    let funds = find("项目资金");
    assert_eq!(funds.rows[0][0], Cell::Text("合计".into()));

    // The workbook as the bureau opens it.
    let bytes = figures::to_xlsx(&sheets).unwrap();
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("志愿服务时长").unwrap();
    let title = range.get_value((0, 0)).cloned();
    assert_eq!(title, Some(Data::String("志愿服务时长".into())));
    assert!(matches!(range.get_value((4, 4)), Some(Data::Float(_))), "hours stay numbers");
    let english = figures::sheets(&report, fed.as_ref(), Lang::En);
    assert!(english.iter().any(|s| s.name == "Volunteer hours"));
}

#[test]
fn a_store_without_activities_writes_empty_sheets_not_errors() {
    let dir = TempDir::new().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (report, _) = store.report(day(2026, 6, 30));
    assert_eq!(report.work.activities_total.as_ref().unwrap().activities, 0);
    let sheets = figures::sheets(&report, None, Lang::Zh);
    let kinds = sheets.iter().find(|s| s.name == "活动(按类型)").unwrap();
    assert_eq!(kinds.rows.len(), 1, "only the total");
    figures::to_xlsx(&sheets).unwrap();
}

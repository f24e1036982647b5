//! Ledgers as offices keep them (issue 9): CRLF line ends from Excel on
//! Windows, Party and legal status written as sentences, negatives that must
//! never read as their positives.

#[path = "support/cli.rs"]
mod command_line;
use hubsync::domain::*;
use hubsync::io::import::{plan_orgs, Existing};

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

fn fed() -> Existing {
    Existing { default_division: "510104".into(), ..Default::default() }
}

/// Lines with errors, in order.
fn bad_lines(text: &str) -> Vec<usize> {
    let plan = plan_orgs(text.as_bytes(), &fed()).unwrap();
    plan.errors.iter().map(|e| e.line).collect()
}

#[test]
fn line_numbers_are_physical_lines_with_crlf_lf_and_quoted_line_breaks() {
    let lf = "组织名称,联系电话\n甲,13812345678\n乙,12345\n丙,13812345679\n";
    assert_eq!(bad_lines(lf), vec![3]);
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(bad_lines(&crlf), vec![3], "CRLF: Excel on Windows");
    // A quoted cell with line breaks spans physical lines; the next row's number follows them.
    let quoted = "组织名称,业务范围,联系电话\n甲,\"跳舞\n唱歌\n健身\",13812345678\n乙,,12345\n";
    assert_eq!(bad_lines(quoted), vec![5]);
    assert_eq!(bad_lines(&quoted.replace('\n', "\r\n")), vec![5], "quoted line breaks with CRLF");
    // A blank line in the middle still counts as a line.
    assert_eq!(bad_lines("组织名称,联系电话\r\n\r\n甲,12345\r\n"), vec![3]);
}

fn party(text: &str) -> (Result<PartyStatus, String>, Vec<String>) {
    let csv = format!("组织名称,党组织情况\n甲,{text}\n");
    let plan = plan_orgs(csv.as_bytes(), &fed()).unwrap();
    let warnings = plan.warnings.iter().map(|w| w.message.clone()).collect();
    match plan.records.first() {
        Some((_, o)) => (Ok(o.party_status), warnings),
        None => (Err(plan.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" | ")), warnings),
    }
}

#[test]
fn party_status_as_ledgers_write_it() {
    for (text, want) in [
        ("单独建立党组织", PartyStatus::Own),
        ("联合组建党组织", PartyStatus::Joint),
        ("选派党建工作指导员", PartyStatus::Dispatched),
        ("选派党建联络员", PartyStatus::Dispatched),
        ("未建立", PartyStatus::Uncovered),
        ("未建立党组织", PartyStatus::Uncovered),
        ("无", PartyStatus::Uncovered),
        ("单独建立", PartyStatus::Own),
        ("joint", PartyStatus::Joint),
    ] {
        let (got, warnings) = party(text);
        assert_eq!(got, Ok(want), "{text}");
        assert!(warnings.is_empty(), "{text}: {warnings:?}");
    }
    // 有 / 已建立 say a party organization exists, not whether it is its own or joint.
    for text in ["有", "已建立"] {
        let (got, warnings) = party(text);
        assert_eq!(got, Ok(PartyStatus::Own), "{text}");
        assert!(warnings.iter().any(|w| w.contains("联合组建")), "{text}: {warnings:?}");
    }
    // A negative never reads as its positive; an unknown value names the accepted ones.
    for text in ["未单独建立", "未联合组建党组织", "不详"] {
        let (got, _) = party(text);
        let err = got.expect_err(text);
        assert!(err.contains(text) && err.contains("单独建立党组织") && err.contains("未建立"), "{err}");
    }
}

#[test]
fn legal_status_as_ledgers_write_it_and_negatives_stay_negative() {
    let csv = "\
组织名称,登记/备案,统一社会信用代码,备案编号
甲,已登记,51420000MJH200395N,
乙,未登记,,玉林备001
丙,已备案,,玉林备002
丁,已备案未登记,,玉林备003
戊,培育中,,
己,待备案,,
庚,未登记,,
辛,已注册,,
";
    let plan = plan_orgs(csv.as_bytes(), &fed()).unwrap();
    let status = |name: &str| plan.records.iter().find(|(_, o)| o.name == name).map(|(_, o)| o.legal_status);
    assert_eq!(status("甲"), Some(LegalStatus::Registered));
    assert_eq!(status("乙"), Some(LegalStatus::Filed), "未登记 with a filing number is filed, never registered");
    assert_eq!(status("丙"), Some(LegalStatus::Filed));
    assert_eq!(status("丁"), Some(LegalStatus::Filed), "已备案未登记 is filed");
    assert_eq!(status("戊"), Some(LegalStatus::Incubating));
    assert_eq!(status("己"), Some(LegalStatus::Incubating), "待备案: not filed yet");
    assert_eq!(status("庚"), Some(LegalStatus::Incubating), "未登记 and no filing number");
    assert!(plan.warnings.iter().any(|w| w.line == 8), "庚's inference is said: {:?}", plan.warnings);
    assert_eq!(plan.invalid_lines, vec![9]);
    let err = plan.errors[0].to_string();
    assert!(err.contains("已注册") && err.contains("已备案未登记") && err.contains("待备案"), "{err}");
    assert!(err.contains("[登记/备案]"), "{err}");
}

#[test]
fn a_registered_status_without_a_negative_reading_of_filing() {
    // 未备案 with a credit code is registered; without one it is incubating.
    let csv = "组织名称,法律状态,统一社会信用代码\n甲,未备案,51420000MJH200395N\n乙,未备案,\n";
    let plan = plan_orgs(gbk(csv).as_slice(), &fed()).unwrap();
    let s: Vec<LegalStatus> = plan.records.iter().map(|(_, o)| o.legal_status).collect();
    assert_eq!(s, vec![LegalStatus::Registered, LegalStatus::Incubating]);
}

/// A county ledger as saved by Excel on Chinese Windows: GBK, CRLF, 序号, the
/// combined columns, Party status as sentences, 联系人 beside 负责人.
const COUNTY_LEDGER: &str = "\
序号,组织名称,登记/备案,统一社会信用代码/备案编号,行政区划代码,所属街道,成立日期,备案日期,登记日期,负责人,联系人,联系电话,党组织情况
1,玉林社区夕阳红舞蹈队,已备案未登记,玉林备001,510104001002,玉林街道,2015/3/5,2019/3/5,,李红,王芳,138-1234-5678,联合组建党组织
2,锦江区阳光助老协会,已登记,51420000MJH200395N,510104001002,玉林街道,2010-01-01,,2012年6月1日,赵六,,028-8765 4321,单独建立党组织
3,望江社区邻里互助会,已备案,玉林备001,510104002001,望江街道,2018.1.1,2020.1.1,,张伟,,13900001111,选派党建联络员
4,望江社区读书会,已备案,玉林备001,510104002001,望江街道,,,,,,,未建立
5,锦江区助残服务中心,已登记,51420000MJH200395N,510104001003,玉林街道,,,,,,,无
6,北京来的协会,已登记,91110000600037341L,110101001001,,,,,,,,有
7,错码协会,已登记,51420000MJH2003664,510104001002,,,,,,,,
";

fn county_ledger_bytes() -> Vec<u8> {
    gbk(&COUNTY_LEDGER.replace('\n', "\r\n"))
}

#[test]
fn county_ledger_gbk_crlf_with_combined_columns_and_rules_across_records() {
    let mut existing = fed();
    existing.credit_codes.insert("52420000MJH233402K".into(), "已有的基金会".into());
    let plan = plan_orgs(&county_ledger_bytes(), &existing).unwrap();
    assert_eq!(plan.encoding, "GB18030/GBK");
    assert!(plan.unmapped.is_empty(), "{:?}", plan.unmapped);
    let org = |name: &str| plan.records.iter().find(|(_, o)| o.name == name).map(|(_, o)| o.clone());

    let dance = org("玉林社区夕阳红舞蹈队").unwrap();
    assert_eq!(dance.legal_status, LegalStatus::Filed);
    assert_eq!(dance.filing_number, "玉林备001");
    assert_eq!(dance.founded, chrono::NaiveDate::from_ymd_opt(2015, 3, 5));
    assert_eq!(dance.filing_date, chrono::NaiveDate::from_ymd_opt(2019, 3, 5));
    assert_eq!((dance.head_name.as_str(), dance.contact_name.as_str()), ("李红", "王芳"), "联系人 is not the head");
    assert_eq!(dance.party_status, PartyStatus::Joint);
    let elders = org("锦江区阳光助老协会").unwrap();
    assert_eq!(elders.credit_code, "51420000MJH200395N");
    assert_eq!(elders.registration_date, chrono::NaiveDate::from_ymd_opt(2012, 6, 1));
    // The same filing number in another township is fine.
    let neighbours = org("望江社区邻里互助会").unwrap();
    assert_eq!(neighbours.party_status, PartyStatus::Dispatched);

    let on = |line: usize| {
        plan.errors.iter().filter(|e| e.line == line).map(|e| e.to_string()).collect::<Vec<_>>().join(" | ")
    };
    // Line 5: the filing number is already on line 4 in the same township (望江 510104002).
    assert!(on(5).contains("第4行") && on(5).contains("备案编号"), "{}", on(5));
    // Line 6: the credit code is already on line 3.
    assert!(on(6).contains("第3行") && on(6).contains("[统一社会信用代码/备案编号]"), "{}", on(6));
    // Line 8: a code with a wrong check character is an error, never a filing number.
    assert!(on(8).contains("校验位"), "{}", on(8));
    assert_eq!(plan.invalid_lines, vec![5, 6, 8]);
    // Line 7: outside the federation's division, position 1 not civil affairs, 有 ambiguous: warnings.
    let warned: Vec<String> = plan.warnings.iter().filter(|w| w.line == 7).map(|w| w.message.clone()).collect();
    assert!(warned.iter().any(|w| w.contains("510104")), "{warned:?}");
    assert!(warned.iter().any(|w| w.contains("第1位")), "{warned:?}");
    assert!(warned.iter().any(|w| w.contains("联合组建")), "{warned:?}");
    assert!(org("北京来的协会").is_some(), "warnings do not block");
}

#[test]
fn a_stored_credit_code_or_filing_number_is_taken() {
    let mut existing = fed();
    existing.credit_codes.insert("51420000MJH200395N".into(), "老协会".into());
    existing.filing_numbers.insert(("510104001".into(), "玉林备001".into()), "老舞蹈队".into());
    let csv = "组织名称,统一社会信用代码,备案编号,行政区划代码\n甲,51420000MJH200395N,,510104001001\n乙,,玉林备001,510104001002\n丙,,玉林备001,510104002001\n";
    let plan = plan_orgs(csv.as_bytes(), &existing).unwrap();
    assert_eq!(plan.invalid_lines, vec![2, 3]);
    assert!(plan.errors[0].message.contains("老协会"), "{}", plan.errors[0]);
    assert!(plan.errors[1].message.contains("老舞蹈队"), "{}", plan.errors[1]);
}

#[test]
fn contact_phone_follows_the_contact_when_there_is_no_head() {
    let csv = "组织名称,联系人,联系电话\n甲,王芳,13812345678\n";
    let plan = plan_orgs(csv.as_bytes(), &fed()).unwrap();
    let o = &plan.records[0].1;
    assert_eq!((o.contact_name.as_str(), o.contact_phone.as_str(), o.head_phone.as_str()), ("王芳", "13812345678", ""));
}

mod cli {
    use tempfile::TempDir;

    use super::command_line::hubsync;

    fn output(dir: &TempDir, args: &[&str], ok: bool) -> String {
        let assert = hubsync(dir).args(args).assert();
        let assert = if ok { assert.success() } else { assert.failure() };
        let out = assert.get_output();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    }

    #[test]
    fn init_refuses_a_level_its_division_does_not_have() {
        let dir = TempDir::new().unwrap();
        let err = output(&dir, &["init", "--name", "x", "--level", "city", "--division", "510104"], false);
        assert!(err.contains("510104") && err.contains("county"), "{err}");
        output(&dir, &["init", "--name", "x", "--level", "county", "--division", "510104"], true);
    }

    #[test]
    fn a_data_column_mapping_to_nothing_blocks_until_ignored() {
        let dir = TempDir::new().unwrap();
        output(&dir, &["init", "--name", "锦江区联合会", "--level", "县", "--division", "510104"], true);
        let file = dir.path().join("台账.csv");
        let text = "序号,组织名称,统一社会信用代码/备案编号,微信群\r\n1,阳光志愿队,玉林备001,阳光群\r\n2,读书会,51420000MJH200395N,\r\n";
        std::fs::write(&file, encoding_rs::GBK.encode(text).0).unwrap();
        let f = file.to_str().unwrap();
        let dry = output(&dir, &["import", "orgs", f, "--dry-run"], true);
        assert!(dry.contains("微信群") && dry.contains("阳光群"), "{dry}");
        let err = output(&dir, &["import", "orgs", f, "--skip-invalid"], false);
        assert!(err.contains("微信群") && err.contains("--ignore-column"), "{err}");
        let done = output(&dir, &["import", "orgs", f, "--ignore-column", "微信群"], true);
        assert!(done.contains("已导入 2"), "{done}");
        let shown = output(&dir, &["org", "show", "读书会"], true);
        assert!(shown.contains("51420000MJH200395N") && shown.contains("登记"), "{shown}");
        let shown = output(&dir, &["org", "show", "阳光志愿队"], true);
        assert!(shown.contains("玉林备001") && shown.contains("备案日期"), "{shown}");
    }
}

/// The import action both front ends call: never half-applied.
mod action {
    use hubsync::domain::*;
    use hubsync::io::import::ImportOptions;
    use hubsync::ops::import::{import, Import, Kind, Mode, Outcome};
    use hubsync::ops::{Env, FixedClock};
    use hubsync::store::Store;

    fn run(store: &mut Store, file: &std::path::Path, mode: Mode, ignore: &[&str]) -> Outcome {
        let clock = FixedClock::on(2025, 3, 1);
        let options = ImportOptions { sheet: None, ignore_columns: ignore.iter().map(|s| s.to_string()).collect() };
        let cmd = Import { kind: Kind::Orgs, file: file.to_path_buf(), options, mode };
        import(&mut Env::new(store, &clock), cmd).unwrap().outcome
    }

    #[test]
    fn dry_run_refusals_and_valid_rows() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        let fed = Federation {
            id: RecordId::random(),
            name: "锦江区联合会".into(),
            level: Level::County,
            division: "510104".into(),
            parent: String::new(),
            contact_name: String::new(),
            contact_phone: String::new(),
        };
        store.init_federation(&fed).unwrap();
        let file = dir.path().join("台账.csv");
        let text = "序号,组织名称,登记/备案,联系电话,微信群\r\n1,甲,已登记,13812345678,群1\r\n2,乙,未登记,12345,\r\n3,丙,已备案,,\r\n";
        std::fs::write(&file, encoding_rs::GBK.encode(text).0).unwrap();
        let count = |s: &Store| s.all::<Organization>().unwrap().len();

        assert_eq!(run(&mut store, &file, Mode::DryRun, &[]), Outcome::Checked);
        assert_eq!(run(&mut store, &file, Mode::ValidRows, &[]), Outcome::RefusedUnmapped);
        assert_eq!(run(&mut store, &file, Mode::All, &["微信群"]), Outcome::RefusedInvalid);
        assert_eq!(count(&store), 0, "nothing written by a dry run or a refusal");
        assert_eq!(run(&mut store, &file, Mode::ValidRows, &["微信群"]), Outcome::Written(2));
        let orgs = store.all::<Organization>().unwrap();
        let status: Vec<(String, LegalStatus)> = orgs.iter().map(|o| (o.name.clone(), o.legal_status)).collect();
        assert!(status.contains(&("甲".into(), LegalStatus::Registered)), "{status:?}");
        assert!(status.contains(&("丙".into(), LegalStatus::Filed)), "{status:?}");
    }
}

fn hubsync(dir: &std::path::Path, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("hubsync")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// The ledger rows as cells, without the latest-evaluation summary (the
/// evaluations keep four dimensions a total cannot give back).
fn ledger_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = encoding_rs::GB18030.decode(&bytes).0.trim_start_matches('\u{feff}').to_string();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let summary = rows[0].iter().position(|h| h == "最近考核").expect("the export has the summary column");
    rows.into_iter()
        .map(|mut r| {
            r.remove(summary);
            r
        })
        .collect()
}

/// Issue 9 gap (d): a filing ledger exported by hubsync imports back into an
/// empty federation (dry run clean: no refused columns, no bad rows, exited
/// organizations with their date, reason and kind), and exporting again
/// gives the same ledger, as GBK CSV and as a workbook.
#[test]
fn an_exported_filing_ledger_imports_back_with_the_same_records() {
    let tmp = tempfile::TempDir::new().unwrap();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    hubsync(&a, &["demo", "--orgs", "150", "--today", "2026-11-30"]);
    let exported = tmp.path().join("台账.csv");
    let workbook = tmp.path().join("台账.xlsx");
    hubsync(&a, &["export", "orgs", "--gbk", "-o", exported.to_str().unwrap()]);
    hubsync(&a, &["export", "orgs", "--format", "xlsx", "-o", workbook.to_str().unwrap()]);
    let original = ledger_rows(&exported);
    assert!(original.iter().any(|r| r.contains(&"已退出".to_string())), "the demo has exited organizations");

    for (dir, file) in [(&b, &exported), (&c, &workbook)] {
        hubsync(dir, &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"]);
        let check = hubsync(dir, &["import", "orgs", file.to_str().unwrap(), "--dry-run"]);
        assert!(check.contains(&format!("{} 行有效, 0 行有错", original.len() - 1)), "{check}");
        assert!(!check.contains("错误"), "no refused column, no bad row: {check}");
        assert!(check.contains("最近考核"), "the summary column is named, not dropped silently: {check}");
        hubsync(dir, &["import", "orgs", file.to_str().unwrap()]);
        let again = tmp.path().join("again.csv");
        hubsync(dir, &["export", "orgs", "--gbk", "-o", again.to_str().unwrap()]);
        assert_eq!(ledger_rows(&again), original, "same records from {}", file.display());
    }
    // The English ledger reads back too ("Status" is the lifecycle, "Legal status" the legal status).
    let english = tmp.path().join("ledger.csv");
    hubsync(&a, &["--lang", "en", "export", "orgs", "-o", english.to_str().unwrap()]);
    let d = tmp.path().join("d");
    hubsync(&d, &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"]);
    let check = hubsync(&d, &["import", "orgs", english.to_str().unwrap(), "--dry-run"]);
    assert!(check.contains(&format!("{} 行有效, 0 行有错", original.len() - 1)), "{check}");
}

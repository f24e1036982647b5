//! The importer on messy real-world input: GBK, full-width digits, dashes,
//! four date forms, "30人", duplicates, empty names, wrong check characters.

use hubsync::domain::*;
use hubsync::io::import::{plan_orgs, plan_people, Existing};

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

const LEDGER: &str = "\
序号,组织名称,组织类别,统一社会信用代码,备案编号,行政区划代码,所属街道,所属社区,成立时间,负责人,联系电话,会员数,党组织情况,微信群
1,玉林社区夕阳红舞蹈队 ,文体娱乐,,玉林备001,510104001002,玉林街道,玉林社区,2019/3/5,李红,138-1234-5678,30人,联合组建,有
2,望江社区邻里互助会,邻里互助,,望江备002,５１０１０４００２００１,望江街道,望江社区,2019年3月5日,张伟,139 0000 1111,约50,未覆盖,
3,,公益慈善,,,510104001002,,,2020-01-01,,,,,
4,玉林社区夕阳红舞蹈队,文体娱乐,,玉林备003,510104001002,,,2019.3.5,,,,,
5,锦江公益协会,公益慈善,51420000MJH2003664,,510104,,,2018-02-30,王五,12345,很多,,

6,锦江区阳光助老协会,为民服务,51420000MJH200395N,,510104,,,2018-06-01,赵六,028-8765 4321,１２０人,单独建立,
";

#[test]
fn messy_gbk_ledger_reports_each_bad_line_with_its_reason() {
    let plan = plan_orgs(&gbk(LEDGER), &Existing::default()).unwrap();
    assert_eq!(plan.encoding, "GB18030/GBK");
    let names: Vec<&str> = plan.records.iter().map(|(_, o)| o.name.as_str()).collect();
    assert_eq!(names, vec!["玉林社区夕阳红舞蹈队", "望江社区邻里互助会", "锦江区阳光助老协会"]);
    let (line, first) = &plan.records[0];
    assert_eq!(*line, 2);
    assert_eq!(first.head_phone, "13812345678");
    assert_eq!(first.members, Some(30));
    assert_eq!(first.founded, chrono::NaiveDate::from_ymd_opt(2019, 3, 5));
    assert_eq!(first.party_status, PartyStatus::Joint);
    assert_eq!(first.legal_status, LegalStatus::Filed, "inferred from the filing number");
    let second = &plan.records[1].1;
    assert_eq!(second.division, "510104002001", "full-width digits folded");
    assert_eq!(second.members, Some(50));
    let last = &plan.records[2].1;
    assert_eq!(last.legal_status, LegalStatus::Registered);
    assert_eq!(last.members, Some(120));
    assert_eq!(last.head_phone, "02887654321");

    assert_eq!(plan.invalid_lines, vec![4, 5, 6]);
    let on = |line: usize| {
        plan.errors.iter().filter(|e| e.line == line).map(|e| e.to_string()).collect::<Vec<_>>().join(" | ")
    };
    assert!(on(4).contains("组织名称为空"), "{}", on(4));
    assert!(on(5).contains("与第2行"), "{}", on(5));
    let six = on(6);
    assert!(six.contains("[统一社会信用代码]") && six.contains("校验位"), "{six}");
    assert!(six.contains("[成立时间]") && six.contains("不存在"), "{six}");
    assert!(six.contains("[联系电话]"), "{six}");
    assert!(six.contains("[会员数]"), "{six}");
    // A column holding data that maps to nothing blocks the import until ignored, with a sample.
    assert_eq!(plan.unmapped.len(), 1);
    assert_eq!((plan.unmapped[0].header.as_str(), plan.unmapped[0].sample.as_str()), ("微信群", "有"));
    assert!(plan.blocked());
}

#[test]
fn utf8_with_bom_english_headers_and_store_duplicates() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("Name,Category,Division code,Filing number\nSunshine Volunteers,charity,510104001001,F-1\nOld Club,other,510104001001,F-2\n".as_bytes());
    let mut existing = Existing::default();
    existing.orgs.insert(validate::name_key("old club"), RecordId::from("0000000000000001"));
    let plan = plan_orgs(&bytes, &existing).unwrap();
    assert_eq!(plan.encoding, "UTF-8 (BOM)");
    assert_eq!(plan.records.len(), 1);
    assert_eq!(plan.records[0].1.category, Category::Charity);
    assert!(plan.errors[0].to_string().contains("已存在"), "{}", plan.errors[0]);
    assert_eq!(plan.errors[0].line, 3);
}

#[test]
fn file_level_problems_are_clear() {
    let err = plan_people("电话,角色\n138,志愿者\n".as_bytes(), &Existing::default()).unwrap_err();
    assert!(err.to_string().contains("姓名"), "{err}");
    assert!(plan_orgs(b"", &Existing::default()).is_err());
    // A division column may be absent: the federation's division is used.
    let existing = Existing { default_division: "510104".into(), ..Default::default() };
    let plan = plan_orgs("组织名称\n甲\n".as_bytes(), &existing).unwrap();
    assert_eq!(plan.records[0].1.division, "510104");
}

#[test]
fn people_reference_organizations_by_name() {
    let mut existing = Existing::default();
    existing.orgs.insert(validate::name_key("阳光志愿队"), RecordId::from("00000000000000aa"));
    let csv = "姓名,电话,政治面貌,角色,所属组织\n王芳,13900001111,中共党员,联络员、志愿者,阳光志愿队\n李四,,群众,志愿者,不存在的组织\n";
    let plan = plan_people(csv.as_bytes(), &existing).unwrap();
    assert_eq!(plan.records.len(), 1);
    let p = &plan.records[0].1;
    assert!(p.party_member);
    assert_eq!(p.roles, vec![Role::Liaison, Role::Volunteer]);
    assert_eq!(p.organization, Some(RecordId::from("00000000000000aa")));
    assert_eq!(plan.errors[0].line, 3);
    assert!(plan.errors[0].message.contains("不存在的组织"));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_bytes_give_a_plan_or_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = plan_orgs(&bytes, &Existing::default());
            let _ = plan_people(&bytes, &Existing::default());
        }

        #[test]
        fn csv_shaped_text_never_panics(rows in proptest::collection::vec(proptest::collection::vec("[^\\n]{0,12}", 0..6), 0..8)) {
            let mut text = String::from("组织名称,联系电话,成立日期,成员人数,行政区划代码\n");
            for r in rows {
                text.push_str(&r.join(","));
                text.push('\n');
            }
            let _ = plan_orgs(text.as_bytes(), &Existing::default());
        }
    }
}

/// Found by the coverage-guided fuzzer (tests/corpus/quotes-and-long-field.csv):
/// names of tens of thousands of characters were accepted, and the filing ledger exported from
/// it then failed as XLSX (a spreadsheet cell holds at most 32,767
/// characters). The importer now refuses such a cell, naming its line and
/// column, and nothing is accepted that cannot go back out.
#[test]
fn a_cell_longer_than_a_spreadsheet_holds_is_refused_naming_its_line() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/quotes-and-long-field.csv")).unwrap();
    let existing = Existing { default_division: "510104".into(), ..Default::default() };
    let plan = plan_orgs(&bytes, &existing).unwrap();
    assert!(plan.records.is_empty(), "accepted a name of {} characters", plan.records[0].1.name.chars().count());
    // Line 2 is a quoted field of escaped quotes (a name of nothing but quote
    // marks, refused as empty); line 3 a name of tens of thousands of x's.
    assert_eq!(plan.invalid_lines, vec![2, 3]);
    let error = plan.errors.iter().find(|e| e.line == 3).unwrap().to_string();
    assert!(error.contains("[组织名称]") && error.contains("过长"), "{error}");

    // A long name a real ledger might hold (and a long note) still goes in.
    let name = format!("成都市锦江区{}社区社会组织联合会", "春熙路街道".repeat(6));
    let notes = "居民说事".repeat(2000);
    let csv = format!("组织名称,业务范围\n{name},{notes}\n");
    let plan = plan_orgs(csv.as_bytes(), &existing).unwrap();
    assert_eq!(plan.records.len(), 1, "{:?}", plan.errors);
}

/// Records that reach the store another way (a peer, an older version) may
/// still hold a longer text: the XLSX export writes the cell cut at the
/// spreadsheet limit with a mark instead of failing the whole ledger.
#[test]
fn the_xlsx_export_survives_a_cell_over_the_spreadsheet_limit() {
    let sheet = hubsync::io::export::Sheet {
        name: "台账".into(),
        headers: vec!["组织名称".into(), "业务范围".into()],
        rows: vec![vec!["玉林社区夕阳红舞蹈队".into(), "广场舞".repeat(12_000)]],
    };
    let bytes = hubsync::io::export::to_xlsx(&sheet).expect("the ledger exports");
    let sheets = hubsync::io::workbook::read_sheets(&bytes).unwrap();
    let cell = &sheets[0].rows[1].cells[1];
    assert_eq!(cell.chars().count(), 32_767);
    assert!(cell.ends_with('…'));
}

//! The ledger as offices send it: an .xlsx with a notes sheet first, a merged
//! title row above the header, real date cells and phone numbers stored as
//! numbers. Built with rust_xlsxwriter, read back through calamine.

use hubsync::domain::*;
use hubsync::io::import::{plan_orgs, plan_orgs_with, Existing, ImportError, ImportOptions};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

fn fed() -> Existing {
    Existing { default_division: "510104".into(), ..Default::default() }
}

const HEADER: [&str; 10] = [
    "序号",
    "组织名称",
    "登记/备案",
    "统一社会信用代码/备案编号",
    "成立日期",
    "备案日期",
    "负责人",
    "联系电话",
    "成员人数",
    "党组织情况",
];

enum Cell {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
}
use Cell::*;

fn ledger_sheet(ws: &mut Worksheet, rows: &[Vec<Cell>]) {
    let date = Format::new().set_num_format("yyyy/m/d");
    ws.set_name("台账").unwrap();
    ws.merge_range(0, 0, 0, 9, "锦江区玉林街道社区社会组织备案管理台账", &Format::new().set_bold()).unwrap();
    ws.merge_range(1, 0, 1, 9, "填报单位:玉林街道办事处    填报日期:2025年3月", &Format::new()).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Text(t) => ws.write_string(r, c, *t).map(|_| ()).unwrap(),
                Number(n) => ws.write_number(r, c, *n).map(|_| ()).unwrap(),
                Date(y, m, d) => ws
                    .write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                    .map(|_| ())
                    .unwrap(),
            }
        }
    }
}

fn workbook(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "1. 组织名称须与备案证书一致").unwrap();
    notes.write_string(1, 0, "2. 日期请用日期格式").unwrap();
    ledger_sheet(wb.add_worksheet(), rows);
    wb.save_to_buffer().unwrap()
}

fn rows() -> Vec<Vec<Cell>> {
    vec![
        vec![
            Number(1.0),
            Text("玉林社区夕阳红舞蹈队"),
            Text("已备案未登记"),
            Text("玉林备001"),
            Date(2019, 3, 5),
            Date(2020, 6, 1),
            Text("李红"),
            Number(13812345678.0),
            Number(30.0),
            Text("联合组建党组织"),
        ],
        vec![
            Number(2.0),
            Text("锦江区阳光助老协会"),
            Text("已登记"),
            Text("51420000MJH200395N"),
            Date(2018, 6, 1),
            Text(""),
            Text("赵六"),
            Text("028-8765 4321"),
            Text("120人"),
            Text("单独建立党组织"),
        ],
        vec![
            Number(3.0),
            Text("望江社区邻里互助会"),
            Text("未登记"),
            Text("51420000MJH2003664"),
            Date(2021, 1, 9),
            Text(""),
            Text("张伟"),
            Number(12345.0),
            Number(50.0),
            Text("未建立"),
        ],
    ]
}

#[test]
fn xlsx_ledger_with_title_rows_date_cells_and_numeric_phones() {
    let plan = plan_orgs(&workbook(&rows()), &fed()).unwrap();
    assert_eq!(plan.encoding, "XLSX");
    assert_eq!(plan.sheet, "台账", "the notes sheet has no header and is passed over");
    assert_eq!(plan.header_line, 3, "two title rows above the header");
    assert!(plan.unmapped.is_empty(), "{:?}", plan.unmapped);

    let (line, dance) = &plan.records[0];
    assert_eq!(*line, 4, "Excel row number");
    assert_eq!(dance.legal_status, LegalStatus::Filed);
    assert_eq!(dance.filing_number, "玉林备001");
    assert_eq!(dance.credit_code, "");
    assert_eq!(dance.founded, chrono::NaiveDate::from_ymd_opt(2019, 3, 5), "a date cell");
    assert_eq!(dance.filing_date, chrono::NaiveDate::from_ymd_opt(2020, 6, 1), "备案日期 is not the founding date");
    assert_eq!(dance.head_phone, "13812345678", "a phone stored as a number");
    assert_eq!(dance.members, Some(30));
    assert_eq!(dance.party_status, PartyStatus::Joint);

    let (_, elders) = &plan.records[1];
    assert_eq!(elders.legal_status, LegalStatus::Registered);
    assert_eq!(elders.credit_code, "51420000MJH200395N", "the combined column holds a credit code");
    assert_eq!(elders.filing_number, "");

    // Row 6: a credit code with a wrong check character is neither a code nor a filing number.
    assert_eq!(plan.invalid_lines, vec![6]);
    let errors: Vec<String> = plan.errors.iter().map(|e| e.to_string()).collect();
    let text = errors.join("\n");
    assert!(text.contains("工作表「台账」第6行"), "{text}");
    assert!(text.contains("[统一社会信用代码/备案编号]") && text.contains("校验位"), "{text}");
    assert!(text.contains("[联系电话]"), "{text}");
}

#[test]
fn sheet_chosen_by_name_or_refused_with_the_sheets_named() {
    let bytes = workbook(&rows());
    let pick = |name: &str| ImportOptions { sheet: Some(name.into()), ..Default::default() };
    let plan = plan_orgs_with(&bytes, &fed(), &pick("台账")).unwrap();
    assert_eq!(plan.records.len(), 2);
    let err = plan_orgs_with(&bytes, &fed(), &pick("Sheet9")).unwrap_err();
    assert!(matches!(err, ImportError::NoSuchSheet { .. }), "{err}");
    assert!(err.to_string().contains("填表说明") && err.to_string().contains("台账"), "{err}");
    // Asked for the notes sheet: it has no 组织名称 header.
    let err = plan_orgs_with(&bytes, &fed(), &pick("填表说明")).unwrap_err();
    assert!(err.to_string().contains("组织名称"), "{err}");
}

#[test]
fn a_workbook_with_no_matching_sheet_names_them_all() {
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("说明").unwrap().write_string(0, 0, "无").unwrap();
    wb.add_worksheet().set_name("统计").unwrap().write_string(0, 0, "合计").unwrap();
    let err = plan_orgs(&wb.save_to_buffer().unwrap(), &fed()).unwrap_err();
    assert!(matches!(err, ImportError::NoMatchingSheet { .. }), "{err}");
    assert!(err.to_string().contains("说明") && err.to_string().contains("统计"), "{err}");
}

#[test]
fn unmapped_data_columns_in_a_workbook_block_until_ignored() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["组织名称", "微信群", "备注人"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "甲").unwrap();
    ws.write_string(1, 1, "玉林夕阳红群").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let plan = plan_orgs(&bytes, &fed()).unwrap();
    assert!(plan.blocked());
    assert_eq!(plan.unmapped[0].header, "微信群");
    assert_eq!(plan.unmapped[0].sample, "玉林夕阳红群");
    assert!(plan.warnings.iter().any(|w| w.message.contains("备注人")), "an empty unknown column is only mentioned");
    let ignore = ImportOptions { ignore_columns: vec!["微信群".into()], ..Default::default() };
    let plan = plan_orgs_with(&bytes, &fed(), &ignore).unwrap();
    assert!(!plan.blocked());
    assert_eq!(plan.records.len(), 1);
}

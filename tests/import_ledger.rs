//! Ledgers as offices keep them (issue 9): CRLF line ends from Excel on
//! Windows, Party and legal status written as sentences, negatives that must
//! never read as their positives.

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

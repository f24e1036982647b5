//! `hubsync report` and the ledger export, command by command: coverage that
//! follows the assignments, one base for every figure, the as-of date, the
//! machine contract (codes whatever the language), the bureau's workbook.

#[path = "support/cli.rs"]
mod command_line;
use command_line::hubsync;
use serde_json::Value;
use tempfile::TempDir;

fn run(dir: &TempDir, args: &[&str]) -> String {
    let out = hubsync(dir).args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn json(dir: &TempDir, args: &[&str]) -> Value {
    serde_json::from_str(&run(dir, args)).unwrap()
}

/// A county federation with three organizations as a secretary enters them.
fn county() -> TempDir {
    let dir = TempDir::new().unwrap();
    run(&dir, &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"]);
    for (name, division, party) in [
        ("玉林社区夕阳红舞蹈队", "510104001002", "未覆盖"),
        ("玉林社区邻里互助会", "510104001002", "联合组建"),
        ("望江社区志愿服务队", "510104002401", "单独建立"),
    ] {
        run(
            &dir,
            &[
                "org",
                "add",
                "--name",
                name,
                "--division",
                division,
                "--party-status",
                party,
                "--founded",
                "2019年3月5日",
            ],
        );
    }
    run(&dir, &["person", "add", "--name", "王芳", "--roles", "联络员"]);
    dir
}

#[test]
fn ending_an_assignment_lowers_work_coverage() {
    let dir = county();
    let out =
        run(&dir, &["liaison", "assign", "王芳", "玉林社区夕阳红舞蹈队", "--role", "联络员", "--from", "2025-01-01"]);
    let id = out
        .split_whitespace()
        .map(|w| w.trim_end_matches(':'))
        .find(|w| w.len() == 16 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap();
    let c = &json(&dir, &["report", "--format", "json", "--as-of", "2025-06-30"])["coverage"];
    assert_eq!((c["organization_covered"].as_u64(), c["work_covered"].as_u64()), (Some(2), Some(3)));
    // A joint branch and a liaison at once.
    run(&dir, &["liaison", "assign", "王芳", "玉林社区邻里互助会", "--role", "联络员", "--from", "2025-01-01"]);
    run(&dir, &["liaison", "end", id, "--to", "2025-09-30", "--reason", "工作调动"]);
    let c = &json(&dir, &["report", "--format", "json", "--as-of", "2025-12-31"])["coverage"];
    assert_eq!(c["work_covered"], 2, "the ended assignment no longer covers: {c}");
    assert_eq!(c["dispatched"], 1);
    assert_eq!(c["dispatched_only"], 0);
    assert_eq!(c["joint"], 1);
    let shown = run(&dir, &["org", "list", "--uncovered"]);
    assert!(shown.contains("夕阳红舞蹈队"), "{shown}");
    // As of a day it was in force, it still counts.
    assert_eq!(json(&dir, &["report", "--format", "json", "--as-of", "2025-09-30"])["coverage"]["work_covered"], 3);
}

#[test]
fn exited_organizations_are_counted_apart_at_the_as_of_date() {
    let dir = county();
    run(&dir, &["org", "exit", "望江社区志愿服务队", "--date", "2025-06-30", "--reason", "长期不开展活动"]);
    let r = json(&dir, &["report", "--format", "json", "--as-of", "2025-12-31"]);
    assert_eq!(r["base"]["surviving"], 2);
    assert_eq!(r["base"]["exited"], 1);
    assert_eq!(r["base"]["exited_in_year"], 1);
    assert_eq!(r["coverage"]["base"], 2, "coverage shares the base of the totals");
    assert_eq!(r["coverage"]["organization_covered"], 1);
    let before = json(&dir, &["report", "--format", "json", "--as-of", "2025-06-29"]);
    assert_eq!((before["base"]["surviving"].as_u64(), before["base"]["exited"].as_u64()), (Some(3), Some(0)));
    let text = run(&dir, &["report", "--as-of", "2025-12-31"]);
    assert!(text.contains("截至 2025-12-31") && text.contains("存续 2") && text.contains("已退出(另计) 1"), "{text}");
    let err = hubsync(&dir).args(["report", "--as-of", "2025-13-45"]).assert().failure().get_output().stderr.clone();
    assert!(String::from_utf8(err).unwrap().contains("--as-of"));
}

#[test]
fn an_empty_federation_reports_dashes() {
    let dir = TempDir::new().unwrap();
    run(&dir, &["init", "--name", "空联合会", "--level", "乡镇", "--division", "510104001"]);
    let text = run(&dir, &["report", "--as-of", "2025-12-31"]);
    assert!(!text.contains("-0.0") && !text.contains("NaN"), "{text}");
    assert!(text.contains("→ —"), "a rate over nothing is a dash: {text}");
    let r = json(&dir, &["report", "--format", "json"]);
    assert_eq!(r["coverage"]["work_rate"], Value::Null);
}

#[test]
fn machine_output_is_the_same_in_every_language() {
    let dir = county();
    let zh = run(&dir, &["report", "--format", "json", "--as-of", "2025-12-31"]);
    let en = run(&dir, &["--lang", "en", "report", "--format", "json", "--as-of", "2025-12-31"]);
    assert_eq!(zh, en);
    let r: Value = serde_json::from_str(&zh).unwrap();
    assert_eq!(r["by_category"]["other"], 3, "enumeration codes as keys");
    assert!(r["coverage"]["work_rate"].is_f64(), "numbers as numbers");
    let csv_zh = run(&dir, &["report", "--format", "csv", "--as-of", "2025-12-31"]);
    assert_eq!(csv_zh, run(&dir, &["--lang", "en", "report", "--format", "csv", "--as-of", "2025-12-31"]));
    assert!(csv_zh.starts_with("as_of,scope,code,name,figure,item,value\n"), "{csv_zh}");
    assert!(
        csv_zh.contains("2025-12-31,total,,锦江区社区社会组织联合会,coverage,organization_covered,2\n"),
        "{csv_zh}"
    );
    assert!(csv_zh.contains("2025-12-31,township,510104002,"), "{csv_zh}");
    let en_text = run(&dir, &["--lang", "en", "report", "--as-of", "2025-12-31"]);
    assert!(en_text.contains("Work coverage") || en_text.contains("work coverage"), "{en_text}");
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let dir = county();
    for args in [&["report"][..], &["org", "list"], &["export", "orgs"], &["report", "--format", "json"]] {
        // The reader is gone before the command writes a byte (`hubsync report | head -0`).
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("hubsync"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
    }
}

#[test]
fn the_indicator_workbook_and_a_township_ledger() {
    let dir = TempDir::new().unwrap();
    run(&dir, &["demo", "--orgs", "300"]);
    let book = dir.path().join("指标.xlsx");
    let out = run(&dir, &["report", "--format", "xlsx", "-o", book.to_str().unwrap()]);
    assert!(out.contains("指标.xlsx"), "{out}");
    assert_eq!(&std::fs::read(&book).unwrap()[..2], b"PK");
    // A fresh demo's report has figures for the current period.
    let r = json(&dir, &["report", "--format", "json"]);
    assert!(r["base"]["new_in_year"].as_u64().unwrap() > 0, "{}", r["base"]);
    assert!(r["training"]["hours"].as_f64().unwrap() > 0.0, "{}", r["training"]);
    assert!(r["venue_use"].as_array().unwrap().iter().any(|v| v["confirmed_bookings"].as_u64() > Some(0)));
    assert!(r["coverage"]["dispatched_only"].as_u64().unwrap() > 0);
    let township = r["townships"][0]["code"].as_str().unwrap().to_string();
    let all = run(&dir, &["export", "orgs", "--format", "json"]);
    let all: Vec<Value> = serde_json::from_str(&all).unwrap();
    let mine = run(
        &dir,
        &[
            "export",
            "orgs",
            "--format",
            "json",
            "--division",
            &township,
            "--legal-status",
            "备案",
            "--lifecycle",
            "活跃",
        ],
    );
    let mine: Vec<Value> = serde_json::from_str(&mine).unwrap();
    let expected = all
        .iter()
        .filter(|o| {
            o["division"].as_str().unwrap().starts_with(&township)
                && o["legal_status"] == "filed"
                && o["lifecycle"] == "active"
        })
        .count();
    assert!(expected > 0);
    assert_eq!(mine.len(), expected);
    let err =
        hubsync(&dir).args(["export", "people", "--division", "510104"]).assert().failure().get_output().stderr.clone();
    assert!(String::from_utf8(err).unwrap().contains("export orgs"));
    let err =
        hubsync(&dir).args(["export", "orgs", "--legal-status", "注册"]).assert().failure().get_output().stderr.clone();
    assert!(String::from_utf8(err).unwrap().contains("备案"), "names the accepted values");
}

#[test]
fn shows_and_lists_speak_codes_to_scripts_whatever_the_language() {
    let dir = county();
    run(&dir, &["org", "edit", "玉林社区夕阳红舞蹈队", "--head-phone", "138-1234-5678", "--members", "约50"]);
    let show = json(&dir, &["--lang", "en", "org", "show", "玉林社区夕阳红舞蹈队", "--format", "json"]);
    assert_eq!(show["party_status"], "uncovered");
    assert_eq!(show["category"], "other");
    assert_eq!(show["members"], 50, "numbers as numbers");
    assert_eq!(show["founded"], "2019-03-05");
    assert_eq!(show["head_phone"], "13812345678", "show gives every field in full");
    for field in ["credit_code", "filing_number", "township", "scope", "party_in_charter", "mass_orgs", "lifecycle"] {
        assert!(show.get(field).is_some(), "{field} in {show}");
    }
    let zh = run(&dir, &["org", "list", "--format", "json"]);
    assert_eq!(zh, run(&dir, &["--lang", "en", "org", "list", "--format", "json"]));
    let list: Value = serde_json::from_str(&zh).unwrap();
    let row = list.as_array().unwrap().iter().find(|o| o["name"] == "玉林社区夕阳红舞蹈队").unwrap();
    assert_eq!(row["head_phone"], "138****5678", "lists mask phones unless --show-phones");
    let csv = run(&dir, &["org", "list", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("id,") && header.contains(",party_status,"), "{header}");
    assert!(csv.contains(",uncovered,") && !csv.contains("未覆盖"), "{csv}");
    run(&dir, &["person", "edit", "王芳", "--phone", "139 0000 1111", "--party-member", "是"]);
    let people = json(&dir, &["person", "list", "--format", "json"]);
    assert!(people[0].get("party_member").is_none(), "party membership stays out of lists: {people}");
    assert_eq!(people[0]["roles"], "liaison");
    let person = json(&dir, &["person", "show", "王芳", "--format", "json"]);
    assert_eq!(person["party_member"], true, "show gives every field");
    let table = run(&dir, &["--lang", "en", "org", "list"]);
    assert!(table.contains("Not covered") || table.contains("Other"), "tables stay localized: {table}");
}

//! The `hubsync` binary, command by command, against temporary data directories.

#[path = "support/cli.rs"]
mod command_line;
use assert_cmd::Command;
use command_line::hubsync;
use predicates::prelude::*;
use tempfile::TempDir;

fn run(dir: &TempDir, args: &[&str]) -> String {
    let out = hubsync(dir).args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn fails(dir: &TempDir, args: &[&str]) -> String {
    let out = hubsync(dir).args(args).assert().failure().get_output().stderr.clone();
    String::from_utf8(out).unwrap()
}

fn federation() -> TempDir {
    let dir = TempDir::new().unwrap();
    run(&dir, &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"]);
    dir
}

#[test]
fn init_refuses_bad_division_and_a_second_federation() {
    let dir = TempDir::new().unwrap();
    let err = fails(&dir, &["init", "--name", "x", "--level", "county", "--division", "51010"]);
    assert!(err.contains("6、9或12位"), "{err}");
    let dir = federation();
    let err = fails(&dir, &["init", "--name", "y", "--level", "county", "--division", "510105"]);
    assert!(err.contains("已有联合会"), "{err}");
}

#[test]
fn organizations_add_edit_show_list_exit() {
    let dir = federation();
    run(
        &dir,
        &[
            "org",
            "add",
            "--name",
            "玉林社区夕阳红舞蹈队",
            "--category",
            "文体娱乐",
            "--legal-status",
            "备案",
            "--filing-number",
            "JJ-1",
            "--division",
            "510104001002",
            "--community",
            "玉林社区",
            "--head-name",
            "李红",
            "--head-phone",
            "138-1234-5678",
            "--members",
            "30人",
            "--founded",
            "2019年3月5日",
        ],
    );
    run(&dir, &["org", "edit", "玉林社区夕阳红舞蹈队", "--party-status", "联合组建", "--eval", "2024:20,22,18,20"]);
    let show = run(&dir, &["org", "show", "玉林社区夕阳红舞蹈队"]);
    assert!(show.contains("联合组建") && show.contains("2019-03-05") && show.contains("80 良好"), "{show}");
    let list = run(&dir, &["org", "list", "--filter", "玉林"]);
    assert!(list.contains("玉林社区夕阳红舞蹈队") && list.contains("138****5678"), "{list}");
    assert!(!list.contains("13812345678"), "phones masked by default");
    let csv = run(&dir, &["org", "list", "--format", "csv", "--show-phones"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    // Columns are field codes (issue 9 point 14), found by name, not position.
    let phone = reader.headers().unwrap().iter().position(|h| h == "head_phone").unwrap();
    assert_eq!(&rows[0][phone], "13812345678");
    run(&dir, &["org", "exit", "玉林社区夕阳红舞蹈队", "--date", "2025/6/30", "--reason", "长期不开展活动"]);
    let json = run(&dir, &["org", "list", "--lifecycle", "已退出", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_is_named() {
    let dir = federation();
    let err = fails(
        &dir,
        &["org", "add", "--name", "甲", "--division", "510104001001", "--credit-code", "51420000MJH2003664"],
    );
    assert!(err.contains("--credit-code") && err.contains("校验位错误,应为 'N'"), "{err}");
    let err = fails(
        &dir,
        &["org", "add", "--name", "甲", "--division", "510104001001", "--founded", "2019-02-30", "--head-phone", "123"],
    );
    assert!(err.contains("--founded") && err.contains("--head-phone"), "both reported: {err}");
    run(&dir, &["org", "add", "--name", "甲", "--division", "510104001001"]);
    let err = fails(&dir, &["org", "add", "--name", "甲 ", "--division", "510104001001"]);
    assert!(err.contains("已存在"), "{err}");
    let err = fails(&dir, &["org", "show", "不存在的组织"]);
    assert!(err.contains("找不到组织"), "{err}");
    let err = fails(&dir, &["org", "add", "--name", "乙", "--division", "510104001001", "--category", "爱好"]);
    assert!(err.contains("'爱好'") && err.contains("公益慈善"), "{err}");
}

#[test]
fn ambiguous_person_names_ask_for_an_id() {
    let dir = federation();
    run(&dir, &["person", "add", "--name", "王芳"]);
    run(&dir, &["person", "add", "--name", "王芳", "--phone", "13900001111"]);
    let err = fails(&dir, &["person", "show", "王芳"]);
    assert!(err.contains("有2个人员名为「王芳」"), "{err}");
}

#[test]
fn english_on_request() {
    let dir = federation();
    run(&dir, &["org", "add", "--name", "Sunshine", "--division", "510104001001", "--category", "charity"]);
    let out = run(&dir, &["--lang", "en", "org", "list"]);
    assert!(out.contains("name") && out.contains("Charity"), "{out}");
    let out =
        hubsync(&dir).env("LANG", "en_US.UTF-8").args(["org", "list"]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8(out).unwrap().contains("Charity"));
}

#[test]
fn liaisons_venues_bookings_trainings_attendance() {
    let dir = federation();
    run(&dir, &["org", "add", "--name", "望江社区邻里互助会", "--division", "510104002001"]);
    run(
        &dir,
        &["person", "add", "--name", "张伟", "--phone", "139 0000 1111", "--roles", "联络员", "--party-member", "是"],
    );
    run(&dir, &["liaison", "assign", "张伟", "望江社区邻里互助会", "--role", "联络员", "--from", "2024-01-01"]);
    assert!(run(&dir, &["liaison", "list", "--active"]).contains("张伟"));
    let shown = run(&dir, &["org", "show", "望江社区邻里互助会"]);
    assert!(shown.contains("党的工作覆盖(选派)"), "an assignment in force covers: {shown}");
    assert!(shown.contains("未覆盖"), "the recorded status itself is left alone: {shown}");

    run(&dir, &["venue", "add", "--name", "望江党群服务中心", "--kind", "党群服务中心", "--capacity", "80人"]);
    run(
        &dir,
        &[
            "booking",
            "add",
            "望江党群服务中心",
            "--date",
            "2025-03-01",
            "--start",
            "9:00",
            "--end",
            "11:00",
            "--status",
            "已确认",
        ],
    );
    run(
        &dir,
        &[
            "booking",
            "add",
            "望江党群服务中心",
            "--date",
            "2025-03-01",
            "--start",
            "10:00",
            "--end",
            "12:00",
            "--status",
            "confirmed",
        ],
    );
    let conflicts = run(&dir, &["booking", "list", "--conflicts"]);
    assert_eq!(conflicts.matches("⚠ 冲突").count(), 2, "{conflicts}");
    let id = conflicts.lines().nth(2).unwrap().split_whitespace().next().unwrap().to_string();
    run(&dir, &["booking", "cancel", &id]);
    assert!(run(&dir, &["booking", "list", "--conflicts"]).contains("没有冲突"));
    // A request over the booking left: warned when made and again when confirmed.
    let args = ["booking", "add", "望江党群服务中心", "--date", "2025-03-01", "--start", "10:30", "--end", "11:30"];
    let out = hubsync(&dir).args(args).assert().success().get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("时间与此预约重叠") && stderr.contains("[已确认]"), "{stderr}");
    let id = String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string();
    let out = hubsync(&dir).args(["booking", "confirm", &id]).assert().success().get_output().stderr.clone();
    assert!(String::from_utf8(out).unwrap().contains("时间与此预约重叠"));
    run(&dir, &["booking", "cancel", &id]);

    run(&dir, &["training", "add", "--title", "党建业务培训", "--format", "现场", "--topics", "党建"]);
    let out = run(
        &dir,
        &["training", "session", "党建业务培训", "--date", "2025-03-02", "--start", "14:00", "--end", "17:00"],
    );
    let session = out.split_whitespace().nth(1).unwrap().to_string();
    let err = fails(&dir, &["attendance", "sign", "党建业务培训", &session, "张伟", "--hours", "4"]);
    assert!(err.contains("超过课次时长"), "{err}");
    run(&dir, &["attendance", "sign", "党建业务培训", &session, "张伟"]);
    // A repeat is refused (exit code 1), saying so; --correct changes the hours.
    let err = fails(&dir, &["attendance", "sign", "党建业务培训", &session, "张伟", "--hours", "2"]);
    assert!(err.contains("已于") && err.contains("未重复签到") && err.contains("already signed in"), "{err}");
    let out = run(&dir, &["attendance", "sign", "党建业务培训", &session, "张伟", "--hours", "2", "--correct"]);
    assert!(out.contains("已更正签到"), "{out}");
    let list = run(&dir, &["attendance", "list", "--format", "csv"]);
    assert_eq!(list.lines().count(), 2, "signing in twice keeps one record: {list}");
    assert!(list.contains(",2.0"), "{list}");
}

#[test]
fn import_is_all_or_nothing_unless_asked() {
    let dir = federation();
    let file = dir.path().join("台账.csv");
    let text = "组织名称,类别,行政区划代码,备案编号,联系电话\n阳光志愿队,公益慈善,510104001001,A1,138-1234-5678\n,文体娱乐,510104001001,A2,\n读书会,其他,510104001001,A3,12345\n";
    std::fs::write(&file, encoding_rs::GBK.encode(text).0).unwrap();
    let f = file.to_str().unwrap();
    let out = hubsync(&dir).args(["import", "orgs", f, "--dry-run"]).assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("第3行") && stderr.contains("第4行 (line 4) [联系电话]"), "{stderr}");
    let err = fails(&dir, &["import", "orgs", f]);
    assert!(err.contains("nothing was written"), "{err}");
    assert!(run(&dir, &["org", "list"]).contains("共 0 / 0"));
    let out = run(&dir, &["import", "orgs", f, "--skip-invalid"]);
    assert!(out.contains("已导入 1") && out.contains("[3, 4]"), "{out}");
    // Importing the same file again: every row now duplicates a stored one.
    let out = hubsync(&dir).args(["import", "orgs", f, "--dry-run"]).assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("第2行") && stderr.contains("已存在"), "{stderr}");
}

#[test]
fn exports_in_three_formats_and_the_report() {
    let dir = TempDir::new().unwrap();
    let out = run(&dir, &["demo", "--orgs", "200"]);
    assert!(out.contains("200"), "{out}");
    let csv = hubsync(&dir).args(["export", "orgs"]).assert().success().get_output().stdout.clone();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("序号,组织名称,统一社会信用代码,备案编号"), "{}", &text[..80]);
    assert_eq!(text.lines().count(), 201);
    let xlsx = dir.path().join("台账.xlsx");
    run(&dir, &["export", "orgs", "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let json = run(&dir, &["export", "people", "--format", "json"]);
    let people: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(people.as_array().unwrap().iter().all(|p| p["party_member"] == false), "party membership withheld");
    let report = run(&dir, &["report", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    let surviving = r["base"]["surviving"].as_u64().unwrap();
    assert_eq!(surviving + r["base"]["exited"].as_u64().unwrap() + r["base"]["founded_later"].as_u64().unwrap(), 200);
    assert!(r["coverage"]["work_rate"].as_f64().unwrap() > 0.3);
    assert!(!r["booking_conflicts"].as_array().unwrap().is_empty());
    assert!(run(&dir, &["report"]).contains("党组织覆盖"));
}

#[test]
fn documents_list_export_import_compact() {
    let dir = federation();
    run(&dir, &["org", "add", "--name", "甲", "--division", "510104001001"]);
    let list = run(&dir, &["doc", "list", "--format", "csv"]);
    let doc = list.lines().find(|l| l.contains("/orgs/510104")).unwrap().split(',').next().unwrap().to_string();
    let file = dir.path().join("orgs.automerge");
    run(&dir, &["doc", "export", &doc, file.to_str().unwrap()]);
    let other = TempDir::new().unwrap();
    run(&other, &["doc", "import", file.to_str().unwrap()]);
    assert!(run(&other, &["doc", "list"]).contains(&doc));
    let bad = dir.path().join("bad.bin");
    std::fs::write(&bad, b"not a document").unwrap();
    let err = fails(&dir, &["doc", "import", bad.to_str().unwrap()]);
    assert!(err.contains("bad.bin") && err.contains("不是有效的"), "{err}");
    assert!(run(&dir, &["doc", "compact"]).contains("bytes"));
    assert!(run(&dir, &["org", "list"]).contains("甲"));
}

#[test]
fn the_data_dir_comes_from_the_environment_too() {
    let dir = TempDir::new().unwrap();
    Command::cargo_bin("hubsync")
        .unwrap()
        .env("HUBSYNC_DIR", dir.path())
        .args(["init", "--name", "测试", "--level", "community", "--division", "510104001001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("已创建联合会"));
    assert!(dir.path().join("db").exists());
}

#[test]
fn person_forget_shows_the_plan_then_clears_on_yes() {
    let dir = federation();
    run(
        &dir,
        &["person", "add", "--name", "赵敏", "--phone", "139-0000-1111", "--party-member", "是", "--notes", "住玉林"],
    );
    let out = hubsync(&dir).args(["person", "forget", "赵敏"]).assert().failure().get_output().clone();
    let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert!(stdout.contains("将删除个人信息") && stdout.contains("name, phone, notes"), "{stdout}");
    assert!(
        stdout.contains("party_member") && stdout.contains("修改历史"),
        "the note says what history keeps: {stdout}"
    );
    assert!(stderr.contains("--yes"), "{stderr}");
    let shown = run(&dir, &["person", "show", "赵敏"]);
    assert!(shown.contains("13900001111"), "nothing changed without --yes: {shown}");

    let out = run(&dir, &["person", "forget", "赵敏", "--yes"]);
    assert!(out.contains("已删除个人信息"), "{out}");
    let listed = run(&dir, &["person", "list", "--show-phones", "--format", "csv"]);
    assert!(!listed.contains("赵敏") && !listed.contains("13900001111") && listed.contains("已删除人员-"), "{listed}");
    let err = fails(&dir, &["person", "add", "--name", "钱多", "--phone", "12345"]);
    assert!(!err.contains("12345") && err.contains("电话"), "a bad phone is named masked: {err}");
}

#[test]
fn list_filters_by_category_status_division_and_coverage() {
    let dir = federation();
    for (name, category, status, division, party) in [
        ("玉林社区舞蹈队", "文体娱乐", "备案", "510104001002", "未覆盖"),
        ("玉林社区慈善会", "公益慈善", "登记", "510104001002", "单独建立"),
        ("水井坊社区互助会", "邻里互助", "备案", "510104002001", "联合组建"),
    ] {
        let mut args = vec![
            "org",
            "add",
            "--name",
            name,
            "--category",
            category,
            "--legal-status",
            status,
            "--division",
            division,
        ];
        args.extend(["--party-status", party]);
        if status == "登记" {
            args.extend(["--credit-code", "51420000MJH200395N"]);
        } else {
            args.extend(["--filing-number", name]);
        }
        run(&dir, &args);
    }
    let names = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["org", "list", "--format", "json"];
        full.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&run(&dir, &full)).unwrap();
        let mut n: Vec<String> =
            v.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect();
        n.sort();
        n
    };
    assert_eq!(names(&["--category", "charity"]), ["玉林社区慈善会"]);
    assert_eq!(names(&["--status", "备案"]), ["水井坊社区互助会", "玉林社区舞蹈队"]);
    assert_eq!(names(&["--division", "510104002"]), ["水井坊社区互助会"]);
    assert_eq!(names(&["--uncovered"]), ["玉林社区舞蹈队"]);
    assert_eq!(names(&["--division", "510104001", "--status", "registered"]), ["玉林社区慈善会"]);
    let err = fails(&dir, &["org", "list", "--category", "不存在的类别"]);
    assert!(err.contains("不存在的类别"), "an unknown category is named: {err}");
}

#[test]
fn venues_import_from_gbk_with_errors_named_by_line() {
    let dir = federation();
    let file = dir.path().join("场地.csv");
    let text = "阵地名称,阵地类型,容纳人数,开放时间\n\
                玉林社区党群服务中心,党群服务中心,80人,9:00-17:00\n\
                ,孵化基地,30,\n\
                玉林社区党群服务中心,其他,20,\n\
                水井坊社工站,社会工作服务站,约40,\n";
    std::fs::write(&file, encoding_rs::GB18030.encode(text).0).unwrap();
    let out = hubsync(&dir).args(["import", "venues", file.to_str().unwrap()]).assert().failure().get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("第3行") || err.contains("3"), "{err}");
    assert!(err.contains("场地名称为空") && err.contains("重复"), "{err}");
    assert!(!run(&dir, &["venue", "list"]).contains("水井坊社工站"), "nothing written while rows are bad");
    run(&dir, &["import", "venues", file.to_str().unwrap(), "--skip-invalid"]);
    let list = run(&dir, &["venue", "list"]);
    assert!(list.contains("玉林社区党群服务中心") && list.contains("水井坊社工站"), "{list}");
}

/// Issue 9 point 6 on `org add`/`org edit`: the flag of the clashing field is
/// named with the organization that holds the value.
#[test]
fn org_add_and_edit_refuse_a_credit_code_or_filing_number_already_held() {
    let dir = federation();
    run(
        &dir,
        &["org", "add", "--name", "玉林社区慈善会", "--legal-status", "登记", "--division", "510104020001"]
            .into_iter()
            .chain(["--credit-code", "51420000MJH200395N"])
            .collect::<Vec<_>>(),
    );
    run(
        &dir,
        &["org", "add", "--name", "玉林社区读书会", "--division", "510104020002", "--filing-number", "玉林备001"],
    );
    let err = fails(
        &dir,
        &["org", "add", "--name", "玉林社区互助会", "--legal-status", "登记", "--division", "510104020003"]
            .into_iter()
            .chain(["--credit-code", "51420000mjh200395n"])
            .collect::<Vec<_>>(),
    );
    assert!(err.contains("--credit-code") && err.contains("玉林社区慈善会"), "{err}");
    let err = fails(
        &dir,
        &["org", "add", "--name", "玉林社区书法队", "--division", "510104020004", "--filing-number", "玉林备001"],
    );
    assert!(err.contains("--filing-number") && err.contains("玉林社区读书会"), "{err}");
    // Another township numbers its own filings.
    run(&dir, &["org", "add", "--name", "水井坊书法队", "--division", "510104021004", "--filing-number", "玉林备001"]);
    let err = fails(&dir, &["org", "edit", "水井坊书法队", "--division", "510104020005"]);
    assert!(err.contains("--filing-number") && err.contains("玉林社区读书会"), "{err}");
    let list = run(&dir, &["org", "list", "--format", "json"]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&list).unwrap().as_array().unwrap().len(), 3);
}

/// Machine output of one listing under both languages: (JSON rows, CSV text).
fn machine_listing(dir: &TempDir, args: &[&str]) -> (Vec<serde_json::Map<String, serde_json::Value>>, String) {
    let mut outputs = Vec::new();
    for format in ["json", "csv"] {
        let zh = run(dir, &[&["--lang", "zh"], args, &["--format", format]].concat());
        let en = run(dir, &[&["--lang", "en"], args, &["--format", format]].concat());
        assert_eq!(zh, en, "{args:?} --format {format} follows --lang");
        outputs.push(zh);
    }
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&outputs[0])
        .unwrap_or_else(|e| panic!("{args:?}: not a JSON list of rows ({e}): {}", outputs[0]));
    let csv = outputs.pop().unwrap();
    let header: Vec<String> =
        csv::Reader::from_reader(csv.as_bytes()).headers().unwrap().iter().map(String::from).collect();
    for key in &header {
        assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{args:?}: key {key:?} is not a field code");
    }
    if let Some(first) = rows.first() {
        let json_keys: Vec<&String> = first.keys().collect();
        let mut csv_keys: Vec<&String> = header.iter().collect();
        let mut sorted = json_keys.clone();
        sorted.sort();
        csv_keys.sort();
        assert_eq!(sorted, csv_keys, "{args:?}: JSON and CSV have the same keys");
    }
    (rows, csv)
}

#[test]
fn listings_give_scripts_codes_and_numbers_whatever_the_language() {
    let dir = TempDir::new().unwrap();
    run(&dir, &["demo", "--orgs", "400", "--seed", "7", "--today", "2026-12-01"]);
    let number = |rows: &[serde_json::Map<String, serde_json::Value>], key: &str| {
        assert!(!rows.is_empty(), "{key}: rows to look at");
        for r in rows {
            assert!(r[key].is_number(), "{key} is a number: {r:?}");
        }
    };
    let code = |rows: &[serde_json::Map<String, serde_json::Value>], key: &str| {
        assert!(rows.iter().any(|r| r[key].is_string()), "{key}: some rows have one");
        for r in rows {
            let v = &r[key];
            assert!(v.is_null() || v.as_str().unwrap().bytes().all(|b| b.is_ascii()), "{key} is a code: {v}");
        }
    };

    let (docs, _) = machine_listing(&dir, &["doc", "list"]);
    number(&docs, "records");
    number(&docs, "bytes_on_disk");
    assert!(docs.iter().any(|d| d["collection"] == "orgs"), "{docs:?}");

    let (acts, csv) = machine_listing(&dir, &["activity", "list", "--limit", "30"]);
    assert_eq!(acts.len(), 30);
    number(&acts, "headcount");
    number(&acts, "volunteer_hours");
    code(&acts, "kind");
    assert!(acts.iter().all(|a| a["major"].is_boolean() && a["organizations"].is_array()), "{acts:?}");
    assert!(csv.starts_with("id,date,title,kind,organizations,"), "{csv}");

    let (due, _) = machine_listing(&dir, &["activity", "due"]);
    assert!(due.iter().all(|d| d["overdue"].is_boolean()), "{due:?}");
    let (quiet, _) = machine_listing(&dir, &["activity", "quiet", "--months", "1"]);
    assert!(quiet.iter().all(|q| q["last_activity"].is_null() || q["last_activity"].is_string()));

    let (reports, _) = machine_listing(&dir, &["work-report", "list"]);
    assert!(reports.iter().all(|r| r["period"].as_str().is_some_and(|p| p.starts_with("20"))), "{reports:?}");
    code(&reports, "review");
    machine_listing(&dir, &["work-report", "missing", "--period", "2026"]);

    let (projects, _) = machine_listing(&dir, &["project", "list"]);
    number(&projects, "amount_fen");
    number(&projects, "year");
    code(&projects, "kind");
    code(&projects, "status");
    let (candidates, _) = machine_listing(&dir, &["ledger", "candidates"]);
    number(&candidates, "score");
    code(&candidates, "result");
    let (ranking, _) = machine_listing(&dir, &["ledger", "ranking", "--year", "2024"]);
    number(&ranking, "rank");
    let (stays, _) = machine_listing(&dir, &["incubation", "list"]);
    code(&stays, "level");
    assert!(stays.iter().all(|s| s["services"].is_array()), "{stays:?}");
    let (honours, _) = machine_listing(&dir, &["ledger", "honours"]);
    number(&honours, "year");
    code(&honours, "level");
    code(&honours, "kind");

    // `network --format json` is an object (as of, stale days, federations);
    // its CSV is the federations' rows with the same keys and values.
    let csv = run(&dir, &["--lang", "zh", "network", "--format", "csv"]);
    assert_eq!(csv, run(&dir, &["--lang", "en", "network", "--format", "csv"]), "network csv follows --lang");
    let without_clock = |lang: &str| {
        let mut v: serde_json::Value =
            serde_json::from_str(&run(&dir, &["--lang", lang, "network", "--format", "json"])).unwrap();
        v.as_object_mut().unwrap().remove("as_of");
        v
    };
    assert_eq!(without_clock("zh"), without_clock("en"));
    let json = without_clock("en");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let fed = &json["federations"][0];
    for (key, value) in header.iter().zip(row.iter()) {
        let expected = match &fed[key] {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(value, expected, "network CSV {key} = JSON {key}");
    }

    // No peers: the header alone, in codes.
    let peers = run(&dir, &["--lang", "en", "peer", "list", "--format", "csv"]);
    assert_eq!(peers.trim_end(), "name,node_id,addr,grants,last_sync,last_error,home");
    assert_eq!(run(&dir, &["peer", "list", "--format", "json"]).trim_end(), "[]");
}

#[test]
fn an_empty_list_in_csv_is_its_header() {
    let dir = federation();
    for (args, fields) in [
        (&["org", "list"][..], &["id", "name", "category", "legal_status", "credit_code", "division"][..]),
        (&["person", "list"], &["id", "name", "phone", "roles"]),
        (&["venue", "list"], &["id", "name", "kind", "capacity"]),
    ] {
        let csv = run(&dir, &[args, &["--format", "csv"]].concat());
        assert_eq!(csv.lines().count(), 1, "{args:?}: {csv}");
        let header: Vec<&str> = csv.trim_end().split(',').collect();
        assert_eq!(header[0], "id", "{args:?}: {csv}");
        for f in fields {
            assert!(header.contains(f), "{args:?}: {f} in {csv}");
        }
        assert!(!header.contains(&"party_member"), "Party membership stays out of lists: {csv}");
    }
    // The header is the same with records as without.
    let empty = run(&dir, &["org", "list", "--format", "csv"]);
    run(&dir, &["org", "add", "--name", "甲", "--division", "510104001001"]);
    let one = run(&dir, &["--lang", "en", "org", "list", "--format", "csv"]);
    assert_eq!(one.lines().next(), empty.lines().next());
}

/// A city hub holds its own roster and a county's (brought on a USB stick
/// here; by forwarding in the field): `org list` says whose roster each
/// organization is on, as a column and as stable field codes (issue 10 point 3).
#[test]
fn a_hubs_organization_list_names_each_records_federation() {
    let city = TempDir::new().unwrap();
    run(&city, &["init", "--name", "成都市社区社会组织联合会", "--level", "市", "--division", "510100"]);
    run(&city, &["org", "add", "--name", "成都市志愿者协会服务队", "--division", "510100"]);
    let alone = run(&city, &["org", "list"]);
    assert!(!alone.contains("所属联合会"), "one roster needs no federation column: {alone}");
    let county = federation();
    run(&county, &["org", "add", "--name", "玉林社区夕阳红舞蹈队", "--division", "510104001002"]);
    let stick = TempDir::new().unwrap();
    let folder = stick.path().join("锦江区");
    run(&county, &["doc", "export", "--all", folder.to_str().unwrap()]);
    run(&city, &["doc", "import", folder.to_str().unwrap()]);

    let table = run(&city, &["org", "list"]);
    assert!(table.contains("所属联合会"), "{table}");
    let line = |name: &str| table.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name} in {table}"));
    assert!(line("玉林社区夕阳红舞蹈队").contains("锦江区"), "{table}");
    assert!(line("成都市志愿者协会服务队").contains("成都市"), "{table}");
    let en = run(&city, &["--lang", "en", "org", "list"]);
    assert!(en.lines().next().unwrap().contains("federation"), "{en}");

    let json: serde_json::Value = serde_json::from_str(&run(&city, &["org", "list", "--format", "json"])).unwrap();
    let net: serde_json::Value = serde_json::from_str(&run(&county, &["network", "--format", "json"])).unwrap();
    let county_id = net["federations"][0]["id"].as_str().unwrap().to_string();
    let dancer = json.as_array().unwrap().iter().find(|o| o["name"] == "玉林社区夕阳红舞蹈队").unwrap();
    assert_eq!(dancer["federation_name"], "锦江区社区社会组织联合会");
    assert_eq!(dancer["federation"], county_id.as_str());
    let own = json.as_array().unwrap().iter().find(|o| o["name"] == "成都市志愿者协会服务队").unwrap();
    assert_eq!(own["federation_name"], "成都市社区社会组织联合会");
    assert_ne!(own["federation"], dancer["federation"]);
    let csv = run(&city, &["org", "list", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == "federation_name").expect("a federation_name column");
    assert!(headers.iter().any(|h| h == "federation"), "{headers:?}");
    let named: Vec<String> = reader.records().map(|r| r.unwrap()[at].to_string()).collect();
    assert_eq!(named.len(), 2);
    assert!(named.contains(&"锦江区社区社会组织联合会".to_string()), "{named:?}");
}

//! Issue 12 through the `hubsync` binary: incubation and membership
//! commands, and the evaluation and project ledgers imported from
//! spreadsheets as offices write them.

#[path = "support/cli.rs"]
mod command_line;
use command_line::hubsync;
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
    for (name, division) in [("玉林社区为老服务队", "510104001002"), ("芳草社区邻里互助会", "510104002001")]
    {
        run(
            &dir,
            &["org", "add", "--name", name, "--category", "为民服务", "--legal-status", "备案", "--division", division],
        );
    }
    dir
}

/// Point 5 through the command line: 入壳, services with dates and
/// provider, 出壳; named by the organization when it has one open stay.
#[test]
fn incubation_enter_services_leave_and_list() {
    let dir = federation();
    let out = run(
        &dir,
        &[
            "incubation",
            "enter",
            "玉林社区为老服务队",
            "--platform",
            "锦江区社会组织孵化基地",
            "--level",
            "县",
            "--date",
            "2025年3月1日",
        ],
    );
    assert!(out.contains("已入壳") && out.contains("锦江区社会组织孵化基地") && out.contains("2025-03-01"), "{out}");
    // A second open stay at the same platform is refused.
    let err = fails(
        &dir,
        &["incubation", "enter", "玉林社区为老服务队", "--platform", "锦江区社会组织孵化基地", "--level", "县"],
    );
    assert!(err.contains("孵化中"), "{err}");
    // Services by organization name (its only open stay).
    run(
        &dir,
        &[
            "incubation",
            "service",
            "玉林社区为老服务队",
            "--service",
            "培训",
            "--date",
            "2025-04-10",
            "--provider",
            "锦江区社工中心",
        ],
    );
    let out = run(&dir, &["incubation", "service", "玉林社区为老服务队", "--service", "场地", "--date", "2025-03-20"]);
    assert!(out.contains("2025-03-20 场地, 2025-04-10 培训"), "services in date order: {out}");
    // An organization with no stay is named in the error.
    let err = fails(&dir, &["incubation", "service", "芳草社区邻里互助会", "--service", "场地"]);
    assert!(err.contains("没有在孵记录"), "{err}");
    let err = fails(&dir, &["incubation", "service", "玉林社区为老服务队", "--service", "送温暖"]);
    assert!(err.contains("送温暖"), "{err}");
    // 出壳 before 入壳 is refused; then left properly.
    let err = fails(&dir, &["incubation", "leave", "玉林社区为老服务队", "--date", "2025-02-01"]);
    assert!(err.contains("出壳日期早于入壳日期"), "{err}");
    let out = run(&dir, &["incubation", "leave", "玉林社区为老服务队", "--date", "2025-12-31"]);
    assert!(out.contains("已出壳") && out.contains("2025-12-31"), "{out}");
    assert!(run(&dir, &["incubation", "list", "--current", "--format", "csv"]).lines().count() == 1, "none current");
    let csv = run(&dir, &["incubation", "list", "--format", "csv"]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains("玉林社区为老服务队,锦江区社会组织孵化基地,county,2025-03-01,2025-12-31"), "{csv}");
    // Services as data for scripts: code, date, provider.
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let at = rows.headers().unwrap().iter().position(|h| h == "services").unwrap();
    let services: serde_json::Value = serde_json::from_str(&rows.records().next().unwrap().unwrap()[at]).unwrap();
    let training = serde_json::json!({"service": "training", "date": "2025-04-10", "provider": "锦江区社工中心"});
    assert!(services.as_array().unwrap().contains(&training), "{csv}");
    // The table follows the language: labels, not codes.
    let table = run(&dir, &["incubation", "list", "--org", "玉林社区为老服务队"]);
    assert!(table.contains("县") && table.contains("培训"), "{table}");
}

/// Point 5: membership 在册/暂停/退会 with the date joined, and the
/// 枢纽型/平台型/品牌型 flags; shown when nothing is asked to change.
#[test]
fn membership_status_and_type_flags() {
    let dir = federation();
    let out = run(
        &dir,
        &["member", "玉林社区为老服务队", "--status", "在册", "--since", "2024-05-01", "--types", "枢纽型、品牌型"],
    );
    assert!(out.contains("在册") && out.contains("2024-05-01") && out.contains("枢纽型、品牌型"), "{out}");
    run(&dir, &["member", "玉林社区为老服务队", "--status", "暂停"]);
    let shown = run(&dir, &["member", "玉林社区为老服务队"]);
    assert!(shown.contains("暂停") && shown.contains("2024-05-01") && shown.contains("品牌型"), "kept: {shown}");
    run(&dir, &["member", "玉林社区为老服务队", "--types", "无"]);
    let json = run(&dir, &["org", "show", "玉林社区为老服务队", "--format", "json"]);
    assert!(json.contains("\"membership\": \"suspended\"") || json.contains("\"membership\":\"suspended\""), "{json}");
    assert!(!json.contains("\"org_types\": \"hub"), "flags cleared: {json}");
    let en = run(&dir, &["--lang", "en", "member", "玉林社区为老服务队"]);
    assert!(en.contains("Suspended"), "{en}");
    let err = fails(&dir, &["member", "玉林社区为老服务队", "--status", "开除"]);
    assert!(err.contains("开除"), "{err}");
    let err = fails(&dir, &["member", "不存在的组织", "--status", "在册"]);
    assert!(err.contains("不存在的组织"), "{err}");
}

/// Issue 12.1 and 12.2 through the command line: `import projects` and
/// `import evaluations` check first (--dry-run), then write; a GBK file
/// with a title row naming the year.
#[test]
fn import_projects_and_evaluations_from_ledgers() {
    let dir = federation();
    let gbk = |text: &str| encoding_rs::GBK.encode(&text.replace('\n', "\r\n")).0.into_owned();
    let projects = dir.path().join("项目台账.csv");
    std::fs::write(
        &projects,
        gbk("锦江区2025年度社区公益项目台账,,,,\n序号,项目名称,项目类型,承接组织,资助金额(万元),立项日期\n1,长者助餐服务,政府购买服务,玉林社区为老服务队,6.5,2025年3月\n"),
    )
    .unwrap();
    let path = projects.to_str().unwrap();
    let out = run(&dir, &["import", "projects", path, "--dry-run"]);
    assert!(out.contains("1 行有效") && out.contains("未写入"), "{out}");
    assert!(run(&dir, &["project", "list", "--format", "csv"]).lines().count() == 1, "a dry run writes nothing");
    run(&dir, &["import", "projects", path]);
    let csv = run(&dir, &["project", "list", "--format", "csv"]);
    assert!(csv.contains("长者助餐服务,purchase,2025,6500000,玉林社区为老服务队,approved"), "{csv}");

    let summary = dir.path().join("考核.csv");
    std::fs::write(
        &summary,
        gbk("2025年度考核评价结果汇总表\n序号,组织名称,基本条件,活动情况,社会贡献,社区影响力,等级评估\n1,玉林社区为老服务队,22,20,18,20,4A\n2,芳草社区邻里互助会,20,30,18,20,\n"),
    )
    .unwrap();
    let path = summary.to_str().unwrap();
    let err = fails(&dir, &["import", "evaluations", path]);
    assert!(err.contains("第4行 (line 4) [活动情况]: 得分 '30' 应为0–25"), "{err}");
    let out = run(&dir, &["import", "evaluations", path, "--skip-invalid"]);
    assert!(out.contains("已导入 1"), "{out}");
    let ranking = run(&dir, &["ledger", "ranking", "--year", "2025", "--format", "csv"]);
    assert!(ranking.contains("玉林社区为老服务队,80.0"), "{ranking}");
}

/// Point 3 through the command line: `ledger honours` gives each honour's
/// id, `honour edit` changes only the options given (the TUI's Enter on an
/// honour is the same command).
#[test]
fn an_honour_is_edited_by_its_id() {
    let dir = federation();
    run(
        &dir,
        &[
            "honour",
            "add",
            "优质项目",
            "--level",
            "县",
            "--year",
            "2024",
            "--by",
            "锦江区民政局",
            "--recipient",
            "长者助餐",
        ],
    );
    let json = run(&dir, &["ledger", "honours", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let id = rows[0]["id"].as_str().unwrap().to_string();
    let out = run(&dir, &["honour", "edit", &id, "--kind", "品牌组织", "--org", "玉林社区为老服务队"]);
    assert!(out.contains("已修改荣誉") && out.contains("玉林社区为老服务队"), "{out}");
    let rows: serde_json::Value = serde_json::from_str(&run(&dir, &["ledger", "honours", "--format", "json"])).unwrap();
    assert_eq!(rows[0]["kind"], "brand_org");
    assert_eq!(
        (rows[0]["recipient"].as_str(), rows[0]["awarded_by"].as_str()),
        (Some("玉林社区为老服务队"), Some("锦江区民政局"))
    );
    // Unlinked with no published name left, it has no holder: refused.
    let err = fails(&dir, &["honour", "edit", &id, "--org", "", "--recipient", ""]);
    assert!(err.contains("organization"), "{err}");
}

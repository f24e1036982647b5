//! Progress of long work (import, export, demo, a folder of documents):
//! actions tell it as (done, total) and never print; the command line draws
//! a bar on a terminal only, so a script, a pipe or a log gets none.

#[path = "support/cli.rs"]
mod command_line;
use hubsync::domain::*;
use hubsync::io::import::ImportOptions;
use hubsync::ops::{self, Env, FixedClock};
use hubsync::store::Store;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

/// A roster as Excel saves it: GBK, CRLF, a title row above the header, 序号.
fn roster(orgs: usize) -> Vec<u8> {
    let mut text = String::from("锦江区社区社会组织名册\r\n序号,组织名称,组织类别,行政区划代码,成立时间\r\n");
    for i in 1..=orgs {
        text.push_str(&format!("{i},玉林社区第{i}志愿服务队,公益慈善,510104001002,2019/3/5\r\n"));
    }
    encoding_rs::GBK.encode(&text).0.into_owned()
}

fn hubsync(dir: &Path, args: &[&str]) -> Output {
    command_line::command(dir).current_dir(dir).args(args).output().unwrap()
}

/// Runs a command that must succeed with standard error not a terminal
/// (piped), and checks neither stream holds a bar: no escape codes, and no
/// carriage return redrawing a line. Standard output may be a CSV with CRLF.
fn without_bar(dir: &Path, args: &[&str]) -> (String, String) {
    let out = hubsync(dir, args);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{args:?}: {stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\r'), "{args:?} drew on stderr: {stderr:?}");
    assert!(!stdout.contains('\u{1b}'), "{args:?} drew on stdout: {stdout:?}");
    (stdout.into_owned(), stderr.into_owned())
}

#[test]
fn long_commands_draw_no_bar_when_standard_error_is_piped() {
    let node = TempDir::new().unwrap();
    let dir = node.path();
    without_bar(dir, &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"]);
    std::fs::write(dir.join("名册.csv"), roster(300)).unwrap();
    let (stdout, _) = without_bar(dir, &["import", "orgs", "名册.csv"]);
    assert!(stdout.contains("已导入 300"), "{stdout}");
    without_bar(dir, &["export", "orgs", "--format", "xlsx", "--output", "组织.xlsx"]);
    assert!(std::fs::metadata(dir.join("组织.xlsx")).unwrap().len() > 0);
    let (csv, _) = without_bar(dir, &["export", "orgs", "--gbk"]);
    assert!(!csv.is_empty());
    without_bar(dir, &["doc", "export", "--all", "U盘"]);

    let laptop = TempDir::new().unwrap();
    let stick = dir.join("U盘");
    without_bar(laptop.path(), &["doc", "import", stick.to_str().unwrap()]);
    let demo = TempDir::new().unwrap();
    let (stdout, _) = without_bar(demo.path(), &["demo", "--orgs", "300", "--seed", "7", "--today", "2026-12-01"]);
    assert!(stdout.contains("300 个组织"), "{stdout}");
}

fn federation() -> Federation {
    Federation {
        id: RecordId::random(),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    }
}

#[test]
fn an_import_tells_its_progress_up_to_every_record_written() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    let file = dir.path().join("名册.csv");
    // More than one commit's worth, so the bar moves more than once.
    std::fs::write(&file, roster(250)).unwrap();
    let clock = FixedClock::on(2026, 12, 1);
    let mut told = Vec::new();
    let cmd = ops::import::Import {
        kind: ops::import::Kind::Orgs,
        file,
        options: ImportOptions::default(),
        mode: ops::import::Mode::All,
    };
    let done = ops::import::import_with_progress(&mut Env::new(&mut store, &clock), cmd, &mut |d, n| told.push((d, n)))
        .unwrap();
    assert_eq!(done.outcome, ops::import::Outcome::Written(250));
    assert_eq!(told.first(), Some(&(0, 250)), "{told:?}");
    assert_eq!(told.last(), Some(&(250, 250)), "{told:?}");
    assert!(told.len() > 2, "moves as records go in: {told:?}");
    assert!(told.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 == w[1].1), "{told:?}");

    // A dry run writes nothing and has nothing to tell.
    let mut told = Vec::new();
    let cmd = ops::import::Import {
        kind: ops::import::Kind::Orgs,
        file: dir.path().join("名册.csv"),
        options: ImportOptions::default(),
        mode: ops::import::Mode::DryRun,
    };
    ops::import::import_with_progress(&mut Env::new(&mut store, &clock), cmd, &mut |d, n| told.push((d, n))).unwrap();
    assert!(told.is_empty(), "{told:?}");
}

#[test]
fn an_export_tells_its_steps() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    store.insert(&Organization::new("玉林社区舞蹈队", Category::Charity, LegalStatus::Filed, "510104")).unwrap();
    let clock = FixedClock::on(2026, 12, 1);
    let cmd = ops::export::Export {
        kind: ops::export::Kind::Orgs,
        format: ops::export::Format::Csv { gbk: false },
        selection: Default::default(),
        activities: Default::default(),
        with_party_membership: false,
        lang: Lang::Zh,
    };
    let mut told = Vec::new();
    let done =
        ops::export::export_with_progress(&mut Env::new(&mut store, &clock), &cmd, &mut |d, n| told.push((d, n)))
            .unwrap();
    assert_eq!(done.rows, 1);
    assert_eq!(told, vec![(0, 2), (1, 2), (2, 2)]);
}

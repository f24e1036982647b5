//! `hubsync doc export --all DIR` and `doc import DIR`: a whole node's
//! documents carried on a USB stick to a laptop with no network.

#[path = "support/cli.rs"]
mod command_line;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

fn hubsync(dir: &Path, cwd: &Path, args: &[&str]) -> Output {
    command_line::command(dir).current_dir(cwd).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(dir: &Path, cwd: &Path, args: &[&str]) -> String {
    let out = hubsync(dir, cwd, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// Document ids and heads, from `doc list --format csv`.
fn heads(dir: &Path) -> Vec<(String, String)> {
    let csv = ok(dir, dir, &["--lang", "en", "doc", "list", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} in {header:?}"));
    let (doc, head) = (col("document"), col("heads"));
    let mut out: Vec<(String, String)> =
        rows.records().map(|r| r.unwrap()).map(|r| (r[doc].to_string(), r[head].to_string())).collect();
    out.sort();
    out
}

#[test]
fn every_document_goes_to_a_folder_and_merges_back_and_a_bad_file_is_named() {
    let county = TempDir::new().unwrap();
    ok(county.path(), county.path(), &["demo", "--orgs", "200", "--seed", "7", "--today", "2026-12-01"]);
    let stick = TempDir::new().unwrap();
    // Relative to where the secretary typed it.
    let out = hubsync(county.path(), stick.path(), &["doc", "export", "--all", "U盘"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Not a terminal: no progress bar, nothing on stderr.
    assert_eq!(text(&out.stderr), "");
    let folder = stick.path().join("U盘");
    let files = std::fs::read_dir(&folder).unwrap().count();
    let held = heads(county.path());
    assert!(held.len() > 3, "{held:?}");
    assert_eq!(files, held.len());
    assert!(text(&out.stdout).contains(&format!("{} 个文档", held.len())), "{}", text(&out.stdout));

    // A roster saved over one of the files by mistake (GBK CSV from Excel).
    let (gbk, _, _) = encoding_rs::GBK.encode("序号,组织名称\r\n1,玉林社区舞蹈队\r\n");
    std::fs::write(folder.join("名册.automerge"), &gbk).unwrap();
    std::fs::write(folder.join("说明.txt"), "not a document").unwrap();

    let laptop = TempDir::new().unwrap();
    let out = hubsync(laptop.path(), stick.path(), &["doc", "import", "U盘"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("名册.automerge") && err.contains("未能合并"), "{err}");
    assert!(!err.contains("说明.txt"), "{err}");
    // Everything else merged: the laptop holds what the county held.
    assert_eq!(heads(laptop.path()), held);
    // Merging the same folder again changes nothing.
    std::fs::remove_file(folder.join("名册.automerge")).unwrap();
    ok(laptop.path(), stick.path(), &["doc", "import", "U盘"]);
    assert_eq!(heads(laptop.path()), held);
}

#[test]
fn an_empty_folder_and_a_missing_argument_are_explained() {
    let dir = TempDir::new().unwrap();
    let empty = TempDir::new().unwrap();
    let out = hubsync(dir.path(), dir.path(), &["doc", "import", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("没有 .automerge 文件"), "{}", text(&out.stderr));
    let out = hubsync(dir.path(), dir.path(), &["doc", "export"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("<DOC>"), "{}", text(&out.stderr));
}

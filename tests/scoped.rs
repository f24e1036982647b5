//! Read commands without a node open only the documents they read
//! (`Store::open_partial`), filtering the list rows kept on disk: their
//! output must be what a full open prints, also after the rows were made
//! stale by an edit, a peer's sync or damage.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/pair.rs"]
mod pair;

use cli::hubsync;
use hubsync::domain::*;
use hubsync::store::{Store, StoreError};
use std::path::Path;
use tempfile::TempDir;

/// (exit code, stdout, stderr) of one run, full or in part.
fn run(dir: &Path, full: bool, args: &[&str]) -> (Option<i32>, String, String) {
    let mut c = hubsync(dir);
    if full {
        c.env(hubsync::cli::FULL_OPEN_VAR, "1");
    }
    let out = c.args(args).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// Every command prints the same opened in part as opened in full.
fn same_both_ways(dir: &Path, commands: &[Vec<String>]) {
    for args in commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let full = run(dir, true, &args);
        let part = run(dir, false, &args);
        assert_eq!(part, full, "hubsync {}", args.join(" "));
    }
}

fn demo(orgs: usize) -> TempDir {
    let dir = TempDir::new().unwrap();
    hubsync(dir.path()).args(["demo", "--orgs", &orgs.to_string(), "--today", "2026-06-01"]).assert().success();
    dir
}

/// Some organizations of the store: (id, name, division), one per county.
fn samples(dir: &Path) -> Vec<(String, String, String)> {
    let store = Store::open(dir).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for o in store.all::<Organization>().unwrap() {
        if seen.insert(o.division[..6].to_string()) {
            out.push((o.id.to_string(), o.name.clone(), o.division.clone()));
        }
    }
    out
}

fn commands(samples: &[(String, String, String)]) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let mut out = vec![
        v(&["org", "list", "--filter", "和平社区", "--limit", "5"]),
        v(&["org", "list", "--filter", "hpsq", "--limit", "20", "--format", "json"]),
        v(&["org", "list", "--uncovered", "--limit", "7"]),
        v(&["org", "list", "--lifecycle", "休眠", "--format", "csv", "--show-phones"]),
        v(&["org", "list", "--lang", "en", "--limit", "3"]),
        v(&["org", "list"]),
        v(&["org", "show", "no-such-organization"]),
    ];
    for (id, name, division) in samples.iter().take(2) {
        out.push(v(&["org", "show", id]));
        out.push(v(&["org", "show", id, "--format", "json", "--lang", "en"]));
        out.push(v(&["org", "show", name]));
        out.push(v(&["org", "list", "--division", &division[..6]]));
    }
    out
}

fn org_docs(dir: &Path) -> usize {
    Store::open(dir).unwrap().doc_ids(Some(Collection::Orgs)).len()
}

fn valid_rows(dir: &Path) -> usize {
    Store::open_partial(dir).unwrap().valid_disk_rows()
}

#[test]
fn read_commands_print_the_same_opened_in_part_before_and_after_the_rows_are_kept() {
    let dir = demo(300);
    let samples = samples(dir.path());
    let commands = commands(&samples);
    assert_eq!(valid_rows(dir.path()), 0, "demo keeps no rows on disk");
    same_both_ways(dir.path(), &commands);
    let docs = org_docs(dir.path());
    assert!(docs >= 2, "{docs}");
    assert_eq!(valid_rows(dir.path()), docs, "a list kept every document's rows");
    // Opened in part with the rows on disk, `org show ID` loads one org document.
    let mut store = Store::open_partial(dir.path()).unwrap();
    assert!(store.is_partial());
    let (id, _, _) = &samples[0];
    hubsync::ops::orgs::prepare_read(&mut store, &hubsync::ops::orgs::Read::Show(id.as_str().into())).unwrap();
    assert_eq!(store.doc_ids(Some(Collection::Orgs)).len(), 1);
    assert_eq!(store.stored_doc_ids(Some(Collection::Orgs)).len(), docs);
    same_both_ways(dir.path(), &commands);
}

#[test]
fn an_edit_after_the_rows_were_kept_is_listed_and_shown() {
    let dir = demo(300);
    let samples = samples(dir.path());
    let (id, _, division) = samples[1].clone();
    hubsync(dir.path()).args(["org", "list", "--limit", "1"]).assert().success();
    let docs = org_docs(dir.path());
    assert_eq!(valid_rows(dir.path()), docs);
    hubsync(dir.path()).args(["org", "edit", &id, "--name", "和平社区新改名志愿服务队"]).assert().success();
    assert_eq!(valid_rows(dir.path()), docs - 1, "the edited county's rows are stale");
    let listed = run(dir.path(), false, &["org", "list", "--filter", "新改名", "--format", "json"]);
    assert!(listed.1.contains(&id) && listed.1.contains("和平社区新改名志愿服务队"), "{listed:?}");
    let mut commands = commands(&samples);
    commands.push(vec!["org".into(), "show".into(), "和平社区新改名志愿服务队".into()]);
    commands.push(vec!["org".into(), "list".into(), "--division".into(), division[..6].to_string()]);
    same_both_ways(dir.path(), &commands);
    assert_eq!(valid_rows(dir.path()), docs, "rewritten when read again");
}

#[test]
fn a_peers_sync_after_the_rows_were_kept_is_listed() {
    let a = demo(200);
    // The other laptop: a copy of the same store, its rows kept.
    let b = TempDir::new().unwrap();
    copy_dir(a.path(), b.path());
    hubsync(b.path()).args(["org", "list", "--limit", "1"]).assert().success();
    let samples = samples(a.path());
    let (id, _, _) = samples[0].clone();
    let doc = {
        let mut sa = Store::open(a.path()).unwrap();
        let mut org: Organization = sa.get(&RecordId::from(id.as_str())).unwrap().unwrap();
        org.name = "和平社区同步来的新名字".into();
        org.head_name = "同步者".into();
        sa.update(&org).unwrap();
        let doc = sa.locate(Collection::Orgs, &org.id).unwrap();
        let mut sb = Store::open(b.path()).unwrap();
        pair::sync_pair(&mut sa, "a", &mut sb, "b", &doc);
        doc
    };
    let docs = org_docs(b.path());
    assert_eq!(valid_rows(b.path()), docs - 1, "{doc} changed under its rows");
    let shown = run(b.path(), false, &["org", "list", "--filter", "同步者"]);
    assert!(shown.1.contains("和平社区同步来的新名字"), "{shown:?}");
    let mut commands = commands(&samples);
    commands.push(vec!["org".into(), "show".into(), "和平社区同步来的新名字".into()]);
    same_both_ways(b.path(), &commands);
}

#[test]
fn rows_of_a_damaged_document_are_never_served() {
    let dir = demo(200);
    let samples = samples(dir.path());
    hubsync(dir.path()).args(["org", "list", "--limit", "1"]).assert().success();
    let store = Store::open(dir.path()).unwrap();
    let (id, _, _) = &samples[0];
    let doc = store.locate(Collection::Orgs, &RecordId::from(id.as_str())).unwrap();
    drop(store);
    // The county's compacted state turns to garbage, in sled and (rewritten
    // from sled at the next open) in the change log: the document is damaged.
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        let keys: Vec<_> = tree.scan_prefix(format!("{doc}\0")).keys().map(Result::unwrap).collect();
        for k in keys {
            tree.remove(k).unwrap();
        }
        let mut key = doc.as_str().as_bytes().to_vec();
        key.extend_from_slice(b"\0b");
        tree.insert(key, b"\x85\x6f\x4a\x83garbage".to_vec()).unwrap();
        db.flush().unwrap();
    }
    std::fs::remove_file(dir.path().join("changes.log")).unwrap();
    for _ in 0..2 {
        let listed = run(dir.path(), false, &["org", "list", "--format", "json"]);
        assert_eq!(listed.0, Some(0), "{listed:?}");
        assert!(!listed.1.contains(id.as_str()), "a row of the damaged {doc} was listed");
        assert!(listed.2.contains(doc.as_str()), "the damage is named: {}", listed.2);
        let shown = run(dir.path(), false, &["org", "show", id]);
        assert_ne!(shown.0, Some(0), "{shown:?}");
    }
    same_both_ways(dir.path(), &commands(&samples[1..]));
}

#[test]
fn a_quarantined_change_leaves_the_rows_of_what_survived() {
    let dir = demo(200);
    let samples = samples(dir.path());
    let (id, name, _) = samples[0].clone();
    hubsync(dir.path()).args(["org", "edit", &id, "--name", "和平社区即将丢失的名字"]).assert().success();
    hubsync(dir.path()).args(["org", "list", "--limit", "1"]).assert().success();
    let doc = Store::open(dir.path()).unwrap().locate(Collection::Orgs, &RecordId::from(id.as_str())).unwrap();
    // The piece with the rename is cut in half, and no log restores it.
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        let (key, value) = tree.scan_prefix(format!("{doc}\0c")).last().unwrap().unwrap();
        tree.insert(key, &value[..value.len() / 2]).unwrap();
        db.flush().unwrap();
    }
    std::fs::remove_file(dir.path().join("changes.log")).unwrap();
    for _ in 0..2 {
        let listed = run(dir.path(), false, &["org", "list", "--format", "json"]);
        assert!(!listed.1.contains("即将丢失的名字"), "the lost rename was listed");
        assert!(listed.1.contains(&name), "the name before it is listed");
    }
    same_both_ways(dir.path(), &commands(&samples));
}

#[test]
fn a_store_opened_in_part_refuses_every_write_and_a_peers_changes() {
    let dir = demo(100);
    let samples = samples(dir.path());
    let mut store = Store::open_partial(dir.path()).unwrap();
    let (id, _, _) = &samples[0];
    let read = hubsync::ops::orgs::Read::Show(id.as_str().into());
    hubsync::ops::orgs::prepare_read(&mut store, &read).unwrap();
    let mut org: Organization = store.get(&RecordId::from(id.as_str())).unwrap().unwrap();
    org.members = Some(12);
    assert!(matches!(store.update(&org), Err(StoreError::Partial(_))));
    let new = Organization::new("部分打开时新增的组织", Category::Other, LegalStatus::Filed, &org.division);
    assert!(matches!(store.insert(&new), Err(StoreError::Partial(_))));
    let doc = store.locate(Collection::Orgs, &org.id).unwrap();
    assert!(matches!(store.compact(&doc), Err(StoreError::Partial(_))));
    // A peer's change to the document is refused as well.
    let peer = TempDir::new().unwrap();
    copy_dir(dir.path(), peer.path());
    drop(store);
    let mut other = Store::open(peer.path()).unwrap();
    org.members = Some(13);
    other.update(&org).unwrap();
    let mut store = Store::open_partial(dir.path()).unwrap();
    store.need_docs([&doc]).unwrap();
    let refused = pair::exchange(&mut other, "peer", &mut store, "me", &doc, true);
    assert!(matches!(refused, Err(StoreError::Partial(_))), "{refused:?}");
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_ne!(store.get::<Organization>(&org.id).unwrap().unwrap().members, Some(13), "nothing was written");
}

#[test]
fn a_refused_write_leaves_nothing_of_it_in_memory() {
    let dir = demo(100);
    let samples = samples(dir.path());
    let (id, _, _) = &samples[0];
    let mut store = Store::open_partial(dir.path()).unwrap();
    let read = hubsync::ops::orgs::Read::Show(id.as_str().into());
    hubsync::ops::orgs::prepare_read(&mut store, &read).unwrap();
    let id = RecordId::from(id.as_str());
    let before: Organization = store.get(&id).unwrap().unwrap();
    let mut org = before.clone();
    org.members = Some(before.members.unwrap_or(0) + 7);
    org.address = "部分打开时被拒绝的地址".into();
    assert!(matches!(store.update(&org), Err(StoreError::Partial(_))));
    // What the store reads after the refusal is what is stored, as a full
    // store reloads a document whose write was refused.
    assert_eq!(store.get::<Organization>(&id).unwrap().unwrap(), before, "the refused edit is still read");
}

#[test]
fn a_store_opened_in_part_makes_no_backup_of_what_it_did_not_load() {
    let dir = demo(100);
    let mut store = Store::open_partial(dir.path()).unwrap();
    hubsync::ops::orgs::prepare_read(&mut store, &hubsync::ops::orgs::Read::List).unwrap();
    let held = store.stored_doc_ids(None).len();
    match store.snapshot() {
        Err(StoreError::Partial(_)) => {}
        Ok(s) => panic!("a backup of {} documents of {held}", s.docs.len()),
        Err(e) => panic!("{e}"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name.to_string_lossy().contains("lock") {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

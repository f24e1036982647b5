//! The change log (src/store/changelog.rs): an independent, checksummed,
//! fsynced copy of every acknowledged change, from which the store rebuilds
//! itself when sled's files are damaged or lack changes. Each test damages a
//! real store the way a crash, a bad disk or sled's own bugs would, reopens
//! it and checks that every record is there and the repair is named.

use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use std::path::Path;
use tempfile::TempDir;

const ORGS_DOC: &str = "fed0000000000001/orgs/510104";

fn federation() -> Federation {
    Federation {
        id: RecordId::from("fed0000000000001"),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: "王秘书".into(),
        contact_phone: "028-8765 4321".into(),
    }
}

fn org(name: &str) -> Organization {
    let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, "510104001001");
    o.filing_number = format!("JJ-{name}");
    o
}

/// A store with a federation, an import of 200 organizations, 30 single
/// adds and 20 edits (so sled holds a base and many pieces): the names and
/// the last edit's member count.
fn filled(dir: &Path) -> (Vec<String>, RecordId) {
    let mut store = Store::open(dir).unwrap();
    store.init_federation(&federation()).unwrap();
    let batch: Vec<Organization> = (0..200).map(|i| org(&format!("导入组织{i}"))).collect();
    store.insert_many(&batch).unwrap();
    let mut names: Vec<String> = batch.iter().map(|o| o.name.clone()).collect();
    let mut edited = org("编辑组织");
    store.insert(&edited).unwrap();
    names.push(edited.name.clone());
    for i in 0..30 {
        let o = org(&format!("单个组织{i}"));
        store.insert(&o).unwrap();
        names.push(o.name);
    }
    for n in 1..=20 {
        edited.members = Some(n);
        store.update(&edited).unwrap();
    }
    (names, edited.id)
}

/// Every organization is there, the edit holds its last value.
fn check_all(store: &Store, names: &[String], edited: &RecordId) {
    assert!(store.damaged().is_empty(), "{:?}", store.damaged());
    assert_eq!(store.federation().unwrap().name, "锦江区社区社会组织联合会");
    let have: std::collections::HashSet<String> =
        store.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
    for n in names {
        assert!(have.contains(n), "{n} lost");
    }
    assert_eq!(store.get::<Organization>(edited).unwrap().unwrap().members, Some(20));
}

/// Reopens once more: the repair was written back, so nothing is left to say.
fn reopens_quietly(dir: &Path, names: &[String], edited: &RecordId) {
    let store = Store::open(dir).unwrap();
    check_all(&store, names, edited);
    assert!(store.warnings().is_empty(), "second open: {:?}", store.warnings());
}

fn sled_file(dir: &Path) -> std::path::PathBuf {
    dir.join("db").join("db")
}

#[test]
fn a_store_opens_quietly_when_both_copies_agree() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn flipped_bytes_in_sleds_file_are_repaired_from_the_log() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    let path = sled_file(dir.path());
    let mut bytes = std::fs::read(&path).unwrap();
    // A run of flipped bytes past sled's header, where the pieces are.
    let from = bytes.len() / 3;
    for b in &mut bytes[from..from + 64] {
        *b ^= 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(
        store.warnings().iter().any(|w| w.contains("修改日志") && w.contains("change log")),
        "the repair is named: {:?}",
        store.warnings()
    );
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn a_truncated_sled_file_is_repaired_from_the_log() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    let path = sled_file(dir.path());
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(len / 2).unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(store.warnings().iter().any(|w| w.contains("change log")), "{:?}", store.warnings());
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn a_sled_directory_that_does_not_open_is_moved_aside_and_rebuilt() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    // sled's config file replaced by garbage: sled refuses to open.
    std::fs::write(dir.path().join("db").join("conf"), b"\xff\xfe not a sled config").unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(
        store.warnings().iter().any(|w| w.contains("db.damaged.1") && w.contains("rebuilt")),
        "{:?}",
        store.warnings()
    );
    assert!(dir.path().join("db.damaged.1").exists(), "the damaged copy is kept, never deleted");
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn a_deleted_sled_directory_is_rebuilt_with_the_home_federation() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    std::fs::remove_dir_all(dir.path().join("db")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.home_id().map(|h| h.as_str()), Some("fed0000000000001"));
    check_all(&store, &names, &edited);
    assert!(store.warnings().iter().any(|w| w.contains(ORGS_DOC)), "{:?}", store.warnings());
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn pieces_missing_from_sled_are_restored_and_named() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    // The last five pieces of the organizations document vanish from sled
    // (as after sled lost its tail in a crash).
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        let keys: Vec<_> = tree.scan_prefix(ORGS_DOC.as_bytes()).keys().map(Result::unwrap).collect();
        for k in keys.iter().rev().take(5) {
            tree.remove(k).unwrap();
        }
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(
        store.warnings().iter().any(|w| w.contains(ORGS_DOC) && w.contains("restored 5 changes")),
        "{:?}",
        store.warnings()
    );
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn a_torn_tail_in_the_log_is_cut_off_and_sleds_copy_kept() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    let log = dir.path().join("changes.log");
    let len = std::fs::metadata(&log).unwrap().len();
    // A crash mid-append: the last record lost its last bytes.
    std::fs::OpenOptions::new().write(true).open(&log).unwrap().set_len(len - 7).unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(store.warnings().iter().any(|w| w.contains("torn")), "{:?}", store.warnings());
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn a_damaged_log_record_is_rewritten_from_sled() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    let log = dir.path().join("changes.log");
    let mut bytes = std::fs::read(&log).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x10;
    std::fs::write(&log, &bytes).unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(store.warnings().iter().any(|w| w.contains("checksum")), "{:?}", store.warnings());
    drop(store);
    reopens_quietly(dir.path(), &names, &edited);
}

#[test]
fn a_store_from_before_the_log_gets_one_quietly() {
    let dir = TempDir::new().unwrap();
    let (names, edited) = filled(dir.path());
    std::fs::remove_file(dir.path().join("changes.log")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
    assert!(store.warnings().is_empty(), "{:?}", store.warnings());
    drop(store);
    // The log now holds everything: sled can be lost.
    std::fs::remove_dir_all(dir.path().join("db")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    check_all(&store, &names, &edited);
}

#[test]
fn the_log_stays_compact_as_the_store_compacts() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    let batch: Vec<Organization> = (0..500).map(|i| org(&format!("压缩组织{i}"))).collect();
    store.insert_many(&batch).unwrap();
    let mut o = batch[0].clone();
    // Enough edits for several automatic compactions (one per 256 pieces),
    // each appending a new base of the 500-organization document.
    for i in 0..1500u32 {
        o.members = Some(i);
        store.update(&o).unwrap();
    }
    let log_len = std::fs::metadata(dir.path().join("changes.log")).unwrap().len();
    let doc = DocId::parse(ORGS_DOC).unwrap();
    let base_len = store.export_doc(&doc).unwrap().len() as u64;
    eprintln!("log {log_len} bytes, one base {base_len} bytes");
    // Without rewrites the log keeps every piece ever written (1,500 of
    // about 500 bytes: 750 KB). Compactions supersede them; the rewrite
    // keeps the live part (a base, the pieces since, our changes'
    // signatures) plus at most the 256 KiB of superseded bytes it waits for.
    assert!(log_len < 4 * base_len + (512 << 10), "log {log_len} bytes, one base {base_len} bytes");
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.warnings().is_empty(), "{:?}", store.warnings());
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap().members, Some(1499));
}

/// Found by the full-disk test: Automerge's `load` starts its incremental
/// save cursor empty, so the first write of every process saved the whole
/// document again as its "incremental" piece (each `hubsync org add` on a
/// 31,000-organization county wrote the county's full history once more).
#[test]
fn the_first_write_after_reopening_stores_only_the_new_change() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    let batch: Vec<Organization> = (0..500).map(|i| org(&format!("重开组织{i}"))).collect();
    store.insert_many(&batch).unwrap();
    let doc = DocId::parse(ORGS_DOC).unwrap();
    let whole = store.export_doc(&doc).unwrap().len() as u64;
    drop(store);
    let log = dir.path().join("changes.log");
    let mut store = Store::open(dir.path()).unwrap();
    let before = std::fs::metadata(&log).unwrap().len();
    let mut o = batch[7].clone();
    o.members = Some(12);
    store.update(&o).unwrap();
    let grew = std::fs::metadata(&log).unwrap().len() - before;
    assert!(grew < 2048, "one edit appended {grew} bytes (the whole document is {whole} bytes)");
}

#[test]
fn a_first_start_killed_while_sled_made_its_files_opens_anew() {
    // Killed within the first milliseconds of its first start (the crash
    // test's early kills found it): sled's files half made, the change log
    // not yet written, so no write was ever acknowledged. The directory
    // must not stay unopenable.
    let dir = TempDir::new().unwrap();
    drop(sled::open(dir.path().join("db")).unwrap());
    std::fs::write(dir.path().join("db").join("conf"), b"\xff\xfe not a sled config").unwrap();
    let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("a store never written to opens: {e}"));
    assert!(store.home_id().is_none());
    assert!(store.warnings().iter().any(|w| w.contains("db.damaged.1")), "{:?}", store.warnings());
    assert!(dir.path().join("db.damaged.1").exists(), "the damaged copy is kept, never deleted");
}

//! A full disk: writes are refused with a clear error, nothing acknowledged
//! is lost, reads and sync of what exists go on, and writes work again once
//! there is room.
//!
//! The disk is "filled" with a file-size limit (RLIMIT_FSIZE) in a child
//! process (this test binary run again in a hidden mode), so nothing else on
//! the machine notices: past the limit every write to a file fails with
//! EFBIG, as it fails with ENOSPC on a full disk, on the same paths. SIGXFSZ
//! is ignored so the write fails instead of the process dying. Raising the
//! limit again is the disk getting room. Unix only (Windows has no such
//! limit; the code paths are the same).
#![cfg(unix)]

use automerge::sync::{Message, State, SyncDoc};
use automerge::{AutoCommit, ReadDoc};
use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use std::path::Path;
use std::process::Command;

const CHILD_DIR: &str = "HUBSYNC_FULL_DISK_DIR";
const SWITCH_CHILD_DIR: &str = "HUBSYNC_FULL_DISK_SWITCH_DIR";
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

fn set_file_size_limit(bytes: u64) {
    let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: libc::RLIM_INFINITY };
    // SAFETY: plain system calls on this process's own limits and signal disposition.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0, "setrlimit");
    }
}

/// The hidden mode: on a filled store, fill the disk, try writes, read,
/// sync with an in-memory peer, make room, write again. Reports each step
/// on stdout for the parent to check.
#[test]
fn full_disk_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return; // an ordinary test run
    };
    let dir = Path::new(&dir);
    let mut store = Store::open(dir).expect("open");
    // The disk is full: no file may grow past what the change log holds now.
    let log_len = std::fs::metadata(dir.join("changes.log")).unwrap().len();
    set_file_size_limit(log_len);
    for i in 0..3 {
        match store.insert(&org(&format!("满盘时组织{i}"))) {
            Ok(_) => println!("ACCEPTED 满盘时组织{i}"),
            Err(e) => println!("REFUSED {e}"),
        }
    }
    let batch: Vec<Organization> = (0..50).map(|i| org(&format!("满盘时导入{i}"))).collect();
    match store.insert_many(&batch) {
        Ok(_) => println!("ACCEPTED batch"),
        Err(e) => println!("REFUSED {e}"),
    }
    println!("READ {}", store.all::<Organization>().unwrap().len());
    // Sync what exists to a peer that has nothing (an Automerge document in memory).
    let doc = DocId::parse(ORGS_DOC).unwrap();
    let mut peer = AutoCommit::new();
    let mut state = State::new();
    for _ in 0..20 {
        let mut quiet = true;
        if let Some(m) = store.sync_generate("peer", &doc).unwrap() {
            peer.sync().receive_sync_message(&mut state, Message::decode(&m).unwrap()).unwrap();
            quiet = false;
        }
        if let Some(m) = peer.sync().generate_sync_message(&mut state) {
            store.sync_receive("peer", &doc, &m.encode(), false).unwrap();
            quiet = false;
        }
        if quiet {
            break;
        }
    }
    let synced = peer.keys(automerge::ROOT).filter(|k| !k.starts_with('_')).count();
    println!("SYNCED {synced}");
    // Room again.
    set_file_size_limit(u64::MAX);
    store.insert(&org("有空间后组织")).expect("a write once there is room");
    println!("ACK 有空间后组织");
}

#[test]
fn a_full_disk_refuses_writes_keeps_everything_and_recovers() {
    let dir = tempfile::TempDir::new().unwrap();
    let names: Vec<String> = {
        let mut store = Store::open(dir.path()).unwrap();
        store.init_federation(&federation()).unwrap();
        let batch: Vec<Organization> = (0..100).map(|i| org(&format!("已保存组织{i}"))).collect();
        store.insert_many(&batch).unwrap();
        batch.into_iter().map(|o| o.name).collect()
    };
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["full_disk_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let refused: Vec<&str> = stdout.lines().filter_map(|l| l.split_once("REFUSED ").map(|(_, e)| e)).collect();
    assert_eq!(refused.len(), 4, "every write on the full disk refused:\n{stdout}");
    for e in &refused {
        assert!(e.contains("写入失败") && e.contains("write was refused"), "says what: {e}");
        assert!(e.contains("文件超过允许的大小") && e.contains("changes.log"), "says why and where: {e}");
    }
    assert!(stdout.contains("READ 100\n"), "reads go on:\n{stdout}");
    assert!(stdout.contains("SYNCED 100\n"), "sync of what exists goes on:\n{stdout}");
    assert!(stdout.contains("ACK 有空间后组织"), "{stdout}");
    // Reopened: everything acknowledged is there, nothing refused came back.
    let store = Store::open(dir.path()).unwrap();
    assert!(store.damaged().is_empty());
    let have: Vec<String> = store.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
    for n in &names {
        assert!(have.contains(n), "{n} lost");
    }
    assert!(have.contains(&"有空间后组织".to_string()));
    assert!(!have.iter().any(|n| n.starts_with("满盘时")), "a refused write came back");
    assert_eq!(have.len(), 101);
}

/// The hidden mode of the switched disk: the store was opened with
/// `HUBSYNC_FAULT_DISK_FULL` naming a switch file; the disk fills at sled,
/// after the change log took the record (the path a file-size limit cannot
/// aim at: sled preallocates its file), then at the log, then empties.
#[test]
fn switched_disk_child() {
    let Ok(dir) = std::env::var(SWITCH_CHILD_DIR) else {
        return; // an ordinary test run
    };
    let dir = Path::new(&dir);
    let switch = std::env::var_os(hubsync::store::DISK_FULL_SWITCH_VAR).expect("the switch");
    let mut store = Store::open(dir).expect("open");
    for at in ["sled", "log"] {
        std::fs::write(&switch, at).unwrap();
        for i in 0..2 {
            match store.insert(&org(&format!("满盘时{at}组织{i}"))) {
                Ok(_) => println!("ACCEPTED {at} {i}"),
                Err(e) => println!("REFUSED {e}"),
            }
        }
        println!("READ {}", store.all::<Organization>().unwrap().len());
    }
    std::fs::remove_file(&switch).unwrap();
    store.insert(&org("有空间后组织")).expect("a write once there is room");
    println!("ACK 有空间后组织");
}

#[test]
fn a_disk_full_at_sled_after_the_log_is_refused_with_the_reason_and_recovers() {
    let dir = tempfile::TempDir::new().unwrap();
    let switches = tempfile::TempDir::new().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.init_federation(&federation()).unwrap();
        let batch: Vec<Organization> = (0..100).map(|i| org(&format!("已保存组织{i}"))).collect();
        store.insert_many(&batch).unwrap();
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["switched_disk_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(SWITCH_CHILD_DIR, dir.path())
        .env(hubsync::store::DISK_FULL_SWITCH_VAR, switches.path().join("full"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let refused: Vec<&str> = stdout.lines().filter_map(|l| l.split_once("REFUSED ").map(|(_, e)| e)).collect();
    assert_eq!(refused.len(), 4, "every write on the full disk refused, at sled and at the log:\n{stdout}");
    for e in &refused {
        assert!(e.contains("写入失败") && e.contains("write was refused"), "says what: {e}");
        assert!(e.contains("磁盘已满") && e.contains("disk full"), "says why, in Chinese and English: {e}");
    }
    assert_eq!(stdout.matches("READ 100\n").count(), 2, "reads go on, nothing refused is read:\n{stdout}");
    assert!(stdout.contains("ACK 有空间后组织"), "sled reopened after its failure takes the next write:\n{stdout}");
    // Reopened: both copies agree (no repair), everything acknowledged is
    // there, nothing refused came back.
    let store = Store::open(dir.path()).unwrap();
    assert!(store.damaged().is_empty() && store.warnings().is_empty(), "{:?}", store.warnings());
    let have: Vec<String> = store.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
    assert_eq!(have.len(), 101);
    assert!(have.contains(&"有空间后组织".to_string()));
    assert!(!have.iter().any(|n| n.starts_with("满盘时")), "a refused write came back");
}

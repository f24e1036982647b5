//! Backup and restore of a whole node (issue 14, point 16): a laptop's
//! store with its own federation and one it holds for a peer goes into one
//! file; restored into a new directory it holds the same documents and
//! records, is the same node to its peer, gets back from the peer what
//! came after the backup, and its new changes reach the peer. Damaged
//! files are refused with nothing written; a backup taken through a
//! running node is consistent; daily backups rotate by the node's clock.

#[path = "support/cli.rs"]
mod command_line;
use chrono::NaiveDate;
use hubsync::domain::*;
use hubsync::ops::backup::{self, Backup, BackupError, Daily, Damage, Restore};
use hubsync::ops::{Env, FixedClock, OpError};
use hubsync::store::{Store, StoreHandle};
use hubsync::sync::{sync_once, Grant, Limits, Peers};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod support;
use support::{federation, heads, knows, orgs, people, serve_store, start, trust, Side};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn add_org(side: &Side, name: &str, division: &str) {
    let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, division);
    o.filing_number = format!("F-{name}");
    side.store.call(move |s| s.insert(&o).map(|_| ())).await.unwrap();
}

async fn add_activity(side: &Side, title: &str) {
    let org = orgs(side).await.remove(0);
    let a = Activity::new(org.id.clone(), &org.division, day(2025, 10, 8), title, ActivityKind::Patrol);
    side.store.call(move |s| s.insert(&a).map(|_| ())).await.unwrap();
}

async fn activities(side: &Side) -> Vec<Activity> {
    let mut v = side.store.call(|s| s.all::<Activity>().unwrap()).await;
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// A county federation serving, and a city laptop that holds the county's
/// documents beside its own (each lets the other read all of its own).
async fn county_and_city() -> (Side, Side) {
    let county =
        start(Some(federation("锦江区社区社会组织联合会", "510104")), &["甲组织", "乙组织"], Limits::default());
    let city = start(Some(federation("成都市社区社会组织联合会", "510100")), &["丙组织"], Limits::default());
    add_activity(&county, "夜间治安巡逻").await;
    add_activity(&city, "邻里节").await;
    trust(&county, city.node.identity.node_id, "成都市", Some(Grant::Read));
    knows(&city.node.dir, &county);
    Peers::update(&city.node.dir, |p| {
        p.find_mut("S")?.grants.insert("*".into(), Grant::Read);
        Ok(())
    })
    .unwrap();
    let s = sync_once(&city.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(s.errors.is_empty(), "{s:?}");
    let county_home = county.store.call(|s| s.home_id().unwrap().clone()).await;
    let held = city.store.call(move |s| s.doc_ids(None).iter().any(|d| d.federation() == county_home)).await;
    assert!(held, "the city holds the county's documents");
    (county, city)
}

/// Backs the node up into `file`, with the clock at `when`.
async fn backup_to(side: &Side, file: &Path) -> backup::BackedUp {
    let file = file.to_path_buf();
    side.store
        .call(move |s| {
            let clock = FixedClock::on(2026, 3, 1);
            backup::backup(&mut Env::new(s, &clock), Backup { file })
        })
        .await
        .unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_store_holds_every_document_with_the_same_heads_and_records() {
    let (_county, city) = county_and_city().await;
    // An invitation open at backup time may be used after it: restored, its
    // secret would let a second laptop join with the same code.
    let made = support::now(&city.node);
    hubsync::sync::invite::create(
        &city.node.dir,
        city.node.identity.node_id,
        "10.0.0.2:4433",
        Default::default(),
        24,
        made,
    )
    .unwrap();
    let files = TempDir::new().unwrap();
    let file = files.path().join("city.backup");
    let done = backup_to(&city, &file).await;
    assert_eq!(done.federations, 2, "own and held: {done:?}");
    assert!(done.signatures > 0 && done.left_out.is_empty(), "{done:?}");
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600, "the backup holds the identity key");

    let target = files.path().join("new-laptop");
    let restored = backup::restore(Restore { file: file.clone(), dir: target.clone() }).unwrap();
    assert_eq!(restored.node_id, city.node.identity.node_id.to_string(), "the same node");
    assert_eq!(restored.documents, done.documents);
    let before_heads = heads(&city, true).await;
    let (before_orgs, before_people, before_acts) = (orgs(&city).await, people(&city).await, activities(&city).await);
    let original_actor = city.store.call(|s| s.actor().clone()).await;
    let original_home = city.store.call(|s| s.home_id().cloned()).await;
    let peers_before = std::fs::read(city.node.dir.join("peers.json")).unwrap();
    drop(city);

    let mut store = Store::open(&target).unwrap();
    assert!(store.warnings().is_empty(), "{:?}", store.warnings());
    let mut after_heads: Vec<(String, Vec<String>)> = store
        .doc_ids(None)
        .into_iter()
        .map(|d| (d.to_string(), store.doc_heads(&d).unwrap().iter().map(|h| h.to_string()).collect()))
        .collect();
    after_heads.sort();
    let mut expected = before_heads.clone();
    expected.sort();
    assert_eq!(after_heads, expected, "every document, at the same heads");
    let mut o = store.all::<Organization>().unwrap();
    o.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(o, before_orgs);
    let mut p = store.all::<Person>().unwrap();
    p.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(p, before_people, "the Party member (private document) included");
    let mut a = store.all::<Activity>().unwrap();
    a.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(a, before_acts);
    assert_eq!(store.home_id().cloned(), original_home);
    assert_eq!(std::fs::read(target.join("peers.json")).unwrap(), peers_before);
    let now = hubsync::sync::short::clock_seconds(&hubsync::clock::SystemClock);
    assert!(!hubsync::sync::invite::pending(&target, now), "no invitation comes back from a backup");
    // The restored store writes under a fresh actor: its changes can never
    // reuse the (actor, sequence) pairs the old laptop wrote.
    assert_ne!(store.actor(), &original_actor);
    #[cfg(unix)]
    {
        assert_eq!(mode(&target), 0o700);
        assert_eq!(mode(&target.join("identity/key.der")), 0o600);
    }
    // Reopened again, nothing moves (the change log and sled agree).
    drop(store);
    let reopened = Store::open(&target).unwrap();
    assert!(reopened.warnings().is_empty(), "{:?}", reopened.warnings());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_laptop_is_the_same_node_to_its_peer_and_they_converge() {
    let (county, city) = county_and_city().await;
    let files = TempDir::new().unwrap();
    let file = files.path().join("city.backup");
    backup_to(&city, &file).await;
    // After the backup the old laptop writes once more and syncs, then dies.
    add_org(&city, "丁组织", "510100001001").await;
    let s = sync_once(&city.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(s.errors.is_empty(), "{s:?}");
    drop(city);

    let dir = TempDir::new().unwrap();
    backup::restore(Restore { file, dir: dir.path().to_path_buf() }).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let laptop = serve_store(dir, StoreHandle::spawn(store), Limits::default());
    assert!(!orgs(&laptop).await.iter().any(|o| o.name == "丁组织"), "not in the backup");
    // The new laptop's own edit, under its fresh actor.
    add_org(&laptop, "戊组织", "510100001001").await;
    for _ in 0..2 {
        let s = sync_once(&laptop.node, &[]).await.unwrap().remove(0).expect("the peer accepts the restored node");
        assert!(s.errors.is_empty(), "{s:?}");
    }
    let names = |v: Vec<Organization>| v.into_iter().map(|o| o.name).collect::<Vec<_>>();
    let on_laptop = names(orgs(&laptop).await);
    assert!(on_laptop.contains(&"丁组织".to_string()), "what came after the backup is back: {on_laptop:?}");
    let on_county = names(orgs(&county).await);
    assert!(on_county.contains(&"戊组织".to_string()), "the change after restore reached the peer: {on_county:?}");
    assert_eq!(on_laptop, on_county);
    assert_eq!(heads(&laptop, false).await, heads(&county, false).await, "converged");
}

/// `hubsync` in `cwd`, Chinese.
fn hubsync(dir: &Path, args: &[&str]) -> std::process::Output {
    command_line::command(dir).args(args).env("HUBSYNC_KEEP_BACKUPS", "0").output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = hubsync(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn county_dir() -> TempDir {
    let dir = TempDir::new().unwrap();
    ok(dir.path(), &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"]);
    ok(dir.path(), &["org", "add", "--name", "玉林社区夕阳红舞蹈队", "--division", "510104001002"]);
    dir
}

#[test]
fn damaged_truncated_and_foreign_files_are_refused_and_nothing_is_written() {
    let data = county_dir();
    let files = TempDir::new().unwrap();
    let good = files.path().join("good.backup");
    ok(data.path(), &["backup", good.to_str().unwrap()]);
    let bytes = std::fs::read(&good).unwrap();

    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    // A roster exported from Excel, given by mistake.
    let csv = "序号,组织名称,类别\r\n1,玉林社区夕阳红舞蹈队,文体\r\n".as_bytes().to_vec();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.backup", bytes[..bytes.len() - 100].to_vec(), "文件不完整"),
        ("half.backup", bytes[..bytes.len() / 2].to_vec(), "truncated"),
        ("flipped.backup", flipped, "校验和不符"),
        ("roster.csv", csv, "不是 hubsync 备份文件"),
        ("empty.backup", Vec::new(), "not a hubsync backup"),
    ];
    for (name, content, why) in cases {
        let file = files.path().join(name);
        std::fs::write(&file, &content).unwrap();
        let target = files.path().join(format!("restored-{name}"));
        let out = hubsync(data.path(), &["restore", file.to_str().unwrap(), target.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{name} accepted");
        assert!(err.contains(name) && err.contains(why), "{name}: {err}");
        assert!(err.contains("未写入任何内容") && err.contains("nothing was written"), "{err}");
        assert!(!target.exists(), "{name}: a directory was made");
    }
    // Only the files written above are there: no half-built directory.
    let left: Vec<String> = std::fs::read_dir(files.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(left.iter().all(|n| !n.starts_with('.') && !n.starts_with("restored")), "{left:?}");

    // The action says the same in types.
    let file = files.path().join("truncated.backup");
    match backup::restore(Restore { file: file.clone(), dir: files.path().join("x") }) {
        Err(OpError::Backup(BackupError::Unusable { file: f, damage: Damage::Truncated { .. } })) => {
            assert_eq!(f, file)
        }
        other => panic!("{other:?}"),
    }

    // A data directory in use (not empty) is never written over.
    let out = hubsync(data.path(), &["--lang", "en", "restore", good.to_str().unwrap(), data.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("not empty"), "{err}");
    // An empty directory is fine, and the good file restores.
    let empty = TempDir::new().unwrap();
    let out = ok(data.path(), &["restore", good.to_str().unwrap(), empty.path().to_str().unwrap()]);
    assert!(out.contains("已恢复到"), "{out}");
    assert!(ok(empty.path(), &["org", "list"]).contains("玉林社区夕阳红舞蹈队"));
}

/// `hubsync serve`, once its control channel answers.
struct Serving(std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path, keep: &str) -> Serving {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_hubsync"))
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--listen", "127.0.0.1:0", "--interval", "3600", "--keep-backups", keep])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let node = Serving(child);
    wait_until("the node listens", || hubsync::control::client::is_listening(dir));
    node
}

/// Polls `done` within a safety limit (never a measurement).
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < support::SAFETY, "{what}: not within the safety limit");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Every change a node signs has its signature in the backup: the
/// documents and the signatures are of one moment.
fn own_changes_are_signed(store: &mut Store, node: &hubsync::sync::NodeId) -> usize {
    let mut checked = 0;
    for doc in store.doc_ids(None) {
        let bytes = store.export_doc(&doc).unwrap();
        let mut loaded = automerge::AutoCommit::load(&bytes).unwrap();
        for change in loaded.get_changes(&[]) {
            if change.actor_id().to_bytes().starts_with(&node.0[..16]) {
                assert!(store.signature(&change.hash()).is_some(), "{doc}: change {} unsigned", change.hash());
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn a_backup_through_a_running_node_is_one_consistent_moment() {
    let data = county_dir();
    let node_id = hubsync::sync::Identity::load_or_create(data.path()).unwrap().node_id;
    let _node = serve(data.path(), "0");
    let files = TempDir::new().unwrap();
    // A writer keeps adding organizations through the node while backups are taken.
    let writer_dir = data.path().to_path_buf();
    let writer = std::thread::spawn(move || {
        for i in 0..12 {
            ok(&writer_dir, &["org", "add", "--name", &format!("第{i}支志愿服务队"), "--division", "510104001002"]);
        }
    });
    let mut taken: Vec<(PathBuf, usize, usize)> = Vec::new();
    for i in 0..4 {
        let before = ok(data.path(), &["org", "list", "--format", "csv"]).lines().count() - 1;
        let file = files.path().join(format!("b{i}.backup"));
        let out = ok(data.path(), &["backup", file.to_str().unwrap()]);
        assert!(out.contains("已备份到"), "{out}");
        let after = ok(data.path(), &["org", "list", "--format", "csv"]).lines().count() - 1;
        taken.push((file, before, after));
    }
    writer.join().unwrap();
    for (file, before, after) in taken {
        let dir = TempDir::new().unwrap();
        backup::restore(Restore { file: file.clone(), dir: dir.path().to_path_buf() }).unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        assert!(store.warnings().is_empty(), "{:?}", store.warnings());
        let n = store.all::<Organization>().unwrap().len();
        assert!(before <= n && n <= after, "{}: {n} organizations, {before}..={after} acknowledged", file.display());
        assert!(own_changes_are_signed(&mut store, &node_id) > 0);
    }
}

#[test]
fn a_running_node_writes_todays_backup_by_itself() {
    let data = county_dir();
    let _node = serve(data.path(), "3");
    let folder = data.path().join("backups");
    let found = || -> Option<PathBuf> {
        std::fs::read_dir(&folder).ok()?.flatten().map(|e| e.path()).find(|p| {
            p.extension().is_some_and(|e| e == "backup")
                && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("hubsync-"))
        })
    };
    wait_until("a daily backup appears", || found().is_some());
    let file = found().unwrap();
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let dir = TempDir::new().unwrap();
    backup::restore(Restore { file, dir: dir.path().to_path_buf() }).unwrap();
    assert!(ok(dir.path(), &["org", "list"]).contains("玉林社区夕阳红舞蹈队"));
}

#[test]
fn daily_backups_keep_the_newest_days_by_the_nodes_clock() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation("锦江区社区社会组织联合会", "510104")).unwrap();
    let folder = dir.path().join(backup::DAILY_DIR);
    let listed = || -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        v.sort();
        v
    };
    let mut run = |on: NaiveDate, keep: usize| {
        let clock = FixedClock(on.and_hms_opt(9, 0, 0).unwrap());
        backup::daily(&mut Env::new(&mut store, &clock), keep).unwrap()
    };
    for d in 1..=5 {
        assert!(matches!(run(day(2026, 3, d), 3), Daily::Written { .. }));
    }
    assert_eq!(
        listed(),
        ["hubsync-2026-03-03.backup", "hubsync-2026-03-04.backup", "hubsync-2026-03-05.backup"],
        "three days kept"
    );
    // At most one a day: the same day again writes nothing.
    match run(day(2026, 3, 5), 3) {
        Daily::AlreadyDone { pruned, .. } => assert!(pruned.is_empty()),
        other => panic!("{other:?}"),
    }
    // A fortnight off: the last ones are kept, not deleted as old.
    match run(day(2026, 3, 20), 3) {
        Daily::Written { pruned, .. } => assert_eq!(pruned.len(), 1, "{pruned:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(listed(), ["hubsync-2026-03-04.backup", "hubsync-2026-03-05.backup", "hubsync-2026-03-20.backup"]);
    // The clock jumps back a year: today's is written and kept.
    run(day(2025, 3, 20), 3);
    assert_eq!(listed(), ["hubsync-2025-03-20.backup", "hubsync-2026-03-05.backup", "hubsync-2026-03-20.backup"]);
    // A file of the secretary's own and a write cut off by a crash.
    std::fs::write(folder.join("说明.txt"), "手动备份").unwrap();
    std::fs::write(folder.join("hubsync-2026-03-21.backup.0123456789abcdef.tmp"), b"HUBSYNC").unwrap();
    // Keeping fewer days takes effect at the next look.
    run(day(2026, 3, 21), 1);
    assert_eq!(listed(), ["hubsync-2026-03-21.backup", "说明.txt"]);
    assert!(matches!(run(day(2026, 3, 22), 0), Daily::Off));
    assert_eq!(listed(), ["hubsync-2026-03-21.backup", "说明.txt"], "0: nothing written or deleted");
    #[cfg(unix)]
    {
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&folder.join("hubsync-2026-03-21.backup")), 0o600);
    }
    let restored = TempDir::new().unwrap();
    let done = backup::restore(Restore { file: folder.join("hubsync-2026-03-21.backup"), dir: restored.path().into() })
        .unwrap();
    assert_eq!(done.created, day(2026, 3, 21).and_hms_opt(9, 0, 0).unwrap(), "stamped by the injected clock");
}

//! The measurements, one function per row group.

use crate::measure::{dir_size, fmt, mib, rss_bytes, stats, timed, Table};
use hubsync::domain::*;
use hubsync::store::{Durability, Store};
use tempfile::TempDir;

pub struct Fixture {
    pub orgs: usize,
    pub dir: TempDir,
    pub records: Vec<Organization>,
}

impl Fixture {
    /// `hubsync demo --orgs N`'s data, written the way the demo command writes it.
    pub fn build(orgs: usize, table: &mut Table) -> Fixture {
        let dir = TempDir::new().expect("temp dir");
        let (d, generated) = timed(|| hubsync::domain::demo::DemoData::generate(2021, orgs));
        let (_, took) = timed(|| {
            let mut store = Store::open(dir.path()).expect("open");
            store.set_durability(Durability::Deferred);
            store.init_federation(&d.federation).expect("init");
            for chunk in d.orgs.chunks(5000) {
                store.insert_many(chunk).expect("orgs");
            }
            store.insert_many(&d.people).expect("people");
            store.insert_many(&d.liaisons).expect("liaisons");
            store.insert_many(&d.venues).expect("venues");
            store.insert_many(&d.bookings).expect("bookings");
            store.insert_many(&d.trainings).expect("trainings");
            store.insert_many(&d.attendance).expect("attendance");
            store.insert_many(&d.activities).expect("activities");
            store.insert_many(&d.work_reports).expect("work reports");
            store.insert_many(&d.projects).expect("projects");
            store.insert_many(&d.honours).expect("honours");
            store.insert_many(&d.incubations).expect("incubations");
            store.compact_all().expect("compact");
            drop(store);
            hubsync::store::vacuum(dir.path()).expect("vacuum");
        });
        table.add(
            orgs,
            "build the demo data (generate, write, compact, vacuum)",
            fmt(generated + took),
            fmt(generated + took),
            format!("generation {} of it; {} people, {} sign-ins", fmt(generated), d.people.len(), d.attendance.len()),
        );
        Fixture { orgs, dir, records: d.orgs }
    }
}

/// Opening the store against the bare `AutoCommit::load` of the same bytes.
pub fn open_store(f: &Fixture, runs: usize, table: &mut Table) {
    let raw = Store::read_raw(f.dir.path()).expect("raw");
    let mut bare = Vec::new();
    let mut open = Vec::new();
    for _ in 0..runs {
        let (_, t) = timed(|| {
            for (_, bytes) in &raw {
                automerge::AutoCommit::load(bytes).expect("load");
            }
        });
        bare.push(t);
        let (store, t) = timed(|| Store::open(f.dir.path()).expect("open"));
        drop(store);
        open.push(t);
    }
    let ratio = stats(&open).0.as_secs_f64() / stats(&bare).0.as_secs_f64();
    table.time(f.orgs, "bare AutoCommit::load of all documents (lower bound)", &bare, String::new());
    table.time(
        f.orgs,
        "open store (all documents loaded)",
        &open,
        format!("{ratio:.2}x the lower bound (target ≤ 1.3x)"),
    );
}

/// One field edited, committed and persisted: with fsync and without.
pub fn edit(f: &Fixture, runs: usize, table: &mut Table) {
    let mut store = Store::open(f.dir.path()).expect("open");
    let mut org = f.records[f.records.len() / 2].clone();
    let log = f.dir.path().join("changes.log");
    let log_len = || std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    let mut appended = (0, 0);
    for (mode, label, note) in [
        (Durability::Deferred, "written to sled and the change log, no fsync", "target < 5 ms"),
        (
            Durability::Flush,
            "written and fsynced (change log fdatasync, then sled batch and flush)",
            "target < 5 ms; the acknowledged-write path",
        ),
    ] {
        store.set_durability(mode);
        let mut samples = Vec::new();
        let before = log_len();
        let edits = runs.max(10);
        for i in 0..edits {
            org.members = Some(100 + i as u32);
            let (_, t) = timed(|| store.update(&org).expect("update"));
            samples.push(t);
        }
        if mode == Durability::Flush {
            appended = (log_len().saturating_sub(before), edits as u64);
        }
        table.time(f.orgs, &format!("one edit committed, {label}"), &samples, note.into());
    }
    let (bytes, edits) = appended;
    table.add(
        f.orgs,
        "changes.log bytes appended per edit (one record: piece, signature, length and CRC)",
        format!("{} B", bytes / edits.max(1)),
        format!("{} B", bytes / edits.max(1)),
        format!("{edits} edits, {bytes} bytes; compactions append a base and the log is rewritten past 256 KiB dead"),
    );
}

/// The first organization edit after a peer's change arrived, against the
/// edit right after it: the namesake check reads the organization-name
/// index, which a received change used to throw away (rebuilt over every
/// organization at the next edit) and now refreshes for that document.
pub fn edit_after_receive(f: &Fixture, runs: usize, table: &mut Table) {
    let mut store = Store::open(f.dir.path()).expect("open");
    store.set_durability(Durability::Deferred);
    let home = store.home().expect("home").clone();
    let theirs = f.records[0].clone();
    let mut ours = f.records[f.records.len() / 2].clone();
    let county = store.locate(Collection::Orgs, &theirs.id).expect("located");
    let meta = hubsync::store::DocId::parse(&format!("{home}/meta")).expect("meta");
    let peer_dir = TempDir::new().expect("temp");
    let mut peer = Store::open(peer_dir.path()).expect("open");
    peer.set_durability(Durability::Deferred);
    for doc in [&meta, &county] {
        exchange(&mut store, &mut peer, doc);
    }
    peer.set_home(&home).expect("home");
    // The index in use before the first change arrives, as in a session.
    ours.members = Some(1);
    store.update(&ours).expect("update");
    let (mut first, mut next) = (Vec::new(), Vec::new());
    for i in 0..runs.max(5) {
        let mut changed = theirs.clone();
        changed.members = Some(200 + i as u32);
        peer.update(&changed).expect("peer edit");
        exchange(&mut store, &mut peer, &county);
        ours.members = Some(300 + i as u32);
        first.push(timed(|| store.update(&ours).expect("update")).1);
        ours.members = Some(400 + i as u32);
        next.push(timed(|| store.update(&ours).expect("update")).1);
    }
    let ratio = stats(&first).0.as_secs_f64() / stats(&next).0.as_secs_f64();
    table.time(
        f.orgs,
        "first organization edit after a received change (no fsync)",
        &first,
        format!("{ratio:.2}x the edit after it (median {}); target < 5 ms", fmt(stats(&next).0)),
    );
}

/// Both ways until quiet; a side without the document answers from an empty one.
fn exchange(a: &mut Store, b: &mut Store, doc: &hubsync::store::DocId) {
    for _ in 0..20 {
        let mut quiet = true;
        if let Some(m) = a.sync_generate("B", doc).expect("generate") {
            b.sync_receive("A", doc, &m, true).expect("receive");
            quiet = false;
        }
        if let Some(m) = b.sync_generate("A", doc).expect("generate") {
            a.sync_receive("B", doc, &m, true).expect("receive");
            quiet = false;
        }
        if quiet {
            return;
        }
    }
    panic!("sync of {doc} did not settle");
}

/// 1,000 new records in one atomic batch.
pub fn bulk_insert(f: &Fixture, runs: usize, table: &mut Table) {
    let mut samples = Vec::new();
    for run in 0..runs {
        let copy = TempDir::new().expect("temp");
        copy_dir(f.dir.path(), copy.path());
        let mut store = Store::open(copy.path()).expect("open");
        let batch: Vec<Organization> = (0..1000)
            .map(|i| {
                let mut o = f.records[i % f.records.len()].clone();
                o.id = RecordId::random();
                o.name = format!("新导入组织{run}-{i}");
                o
            })
            .collect();
        let (_, t) = timed(|| store.insert_many(&batch).expect("insert"));
        samples.push(t);
    }
    table.time(f.orgs, "insert 1,000 records (one atomic batch, fsynced)", &samples, String::new());
}

/// `hubsync backup` and `hubsync restore` of the whole store, against the
/// bare `AutoCommit::save` of every document (what a backup must at least
/// do) measured in the same run.
pub fn backup_restore(f: &Fixture, runs: usize, table: &mut Table) {
    use hubsync::ops::backup::{backup, restore, Backup, Restore};
    let mut store = Store::open(f.dir.path()).expect("open");
    let files = TempDir::new().expect("temp");
    let file = files.path().join("bench.backup");
    let clock = hubsync::ops::SystemClock;
    let (mut bare, mut taken, mut restored) = (Vec::new(), Vec::new(), Vec::new());
    let mut size = 0;
    let docs = store.doc_ids(None);
    for _ in 0..runs {
        let (_, t) = timed(|| {
            for d in &docs {
                store.export_doc(d).expect("save");
            }
        });
        bare.push(t);
        let (done, t) = timed(|| {
            backup(&mut hubsync::ops::Env::new(&mut store, &clock), Backup { file: file.clone() }).expect("backup")
        });
        size = done.bytes;
        taken.push(t);
        let target = TempDir::new().expect("temp");
        let (_, t) =
            timed(|| restore(Restore { file: file.clone(), dir: target.path().to_path_buf() }).expect("restore"));
        restored.push(t);
    }
    let ratio = stats(&taken).0.as_secs_f64() / stats(&bare).0.as_secs_f64();
    table.time(f.orgs, "bare AutoCommit::save of all documents (lower bound for a backup)", &bare, String::new());
    table.time(
        f.orgs,
        "`hubsync backup` of the whole store (snapshot, encode, SHA-256, fsynced file)",
        &taken,
        format!("{ratio:.2}x the lower bound; file {}; the store thread is busy this long", mib(size)),
    );
    table.time(
        f.orgs,
        "`hubsync restore` into a new directory (check every document, write, fsync)",
        &restored,
        String::new(),
    );
}

/// Child mode: open the store in a fresh process and print its resident memory.
pub fn rss_child(dir: &std::path::Path) {
    let before = rss_bytes();
    let store = Store::open(dir).expect("open");
    let after = rss_bytes();
    println!("{before} {after} {}", store.counts().iter().map(|(_, n)| n).sum::<usize>());
}

/// Memory after opening (measured in a fresh process), and disk use against
/// the same data as JSON.
fn automerge_bytes(f: &Fixture) -> u64 {
    Store::read_raw(f.dir.path()).expect("raw").iter().map(|(_, b)| b.len() as u64).sum()
}

/// The same directory after the benchmark's edits: sled keeps their log
/// until its own cleanup or `hubsync doc compact` (which vacuums).
pub fn disk_after_edits(f: &Fixture, table: &mut Table) {
    let disk = dir_size(f.dir.path());
    table.add(
        f.orgs,
        "on disk after the benchmark's edits, before `doc compact`",
        mib(disk),
        mib(disk),
        format!("Automerge bytes {}", mib(automerge_bytes(f))),
    );
}

pub fn footprint(f: &Fixture, table: &mut Table) {
    let out = std::process::Command::new(std::env::current_exe().expect("exe"))
        .arg("--rss-child")
        .arg(f.dir.path())
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<u64> = text.split_whitespace().filter_map(|t| t.parse().ok()).collect();
    let (before, after) = (nums.first().copied().unwrap_or(0), nums.get(1).copied().unwrap_or(0));
    table.add(
        f.orgs,
        "resident memory after open (fresh process)",
        mib(after),
        mib(after),
        format!("{} before open; target < 300 MB", mib(before)),
    );
    let store = Store::open(f.dir.path()).expect("open");
    let all = store.all::<Organization>().expect("all");
    drop(store);
    let json = serde_json::to_vec(&all).expect("json").len() as u64;
    let disk = dir_size(f.dir.path());
    table.add(
        f.orgs,
        "on disk (sled directory)",
        mib(disk),
        mib(disk),
        format!("{:.2}x the JSON of the same records ({}); target ≤ 0.5x", disk as f64 / json as f64, mib(json)),
    );
    let raw = automerge_bytes(f);
    table.add(
        f.orgs,
        "Automerge bytes of all documents",
        mib(raw),
        mib(raw),
        format!("{:.2}x the JSON (sled's log and blobs make up the rest of the directory)", raw as f64 / json as f64),
    );
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

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
    for (mode, label) in [(Durability::Deferred, "written to sled"), (Durability::Flush, "written and fsynced")] {
        store.set_durability(mode);
        let mut samples = Vec::new();
        for i in 0..runs.max(10) {
            org.members = Some(100 + i as u32);
            let (_, t) = timed(|| store.update(&org).expect("update"));
            samples.push(t);
        }
        table.time(f.orgs, &format!("one edit committed, {label}"), &samples, "target < 5 ms".into());
    }
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

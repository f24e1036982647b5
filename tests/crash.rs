//! SIGKILL a writer at random moments, then reopen: every write it
//! acknowledged is there, a batch is all there or not at all, and the store
//! opens without error.
//!
//! Acknowledged means what a user sees: the writer prints `ack …` on stdout
//! only after the call that wrote returned. The writer is this test binary
//! run again in a hidden mode (`writer_process`, driven by environment
//! variables), a long-running process that keeps writing until it is killed;
//! the parent kills it right after a random acknowledgement. A second test
//! traces the writer's system calls and checks that an fsync of the data
//! comes before every acknowledgement: SIGKILL keeps what reached the
//! kernel's page cache, so it cannot show a missing fsync (power loss can).
//!
//! HUBSYNC_CRASH_ITERATIONS sets the number of kills (CI: a modest default).

use hubsync::domain::*;
use hubsync::store::Store;
use rand::Rng;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The writer's environment: its data directory, and how many writes to
/// make before it exits on its own (unset: until killed).
const WRITER_DIR: &str = "HUBSYNC_CRASH_WRITER_DIR";
const WRITER_LIMIT: &str = "HUBSYNC_CRASH_WRITER_LIMIT";
/// Rows in a batch write (an import's atomic batch).
const BATCH: usize = 120;

fn iterations() -> usize {
    std::env::var("HUBSYNC_CRASH_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20)
}

fn federation() -> Federation {
    Federation {
        id: RecordId::from("fedcrash00000001"),
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

/// The hidden mode: when run by `spawn_writer`, writes until killed (or its
/// limit), printing `ack single NAME` or `ack batch TAG` after each write
/// returned. Every run starts its names from a fresh random tag, so the
/// writes of successive runs on one directory never collide.
#[test]
fn writer_process() {
    let Ok(dir) = std::env::var(WRITER_DIR) else {
        return; // an ordinary test run: nothing to do
    };
    let limit: usize = std::env::var(WRITER_LIMIT).ok().and_then(|v| v.parse().ok()).unwrap_or(usize::MAX);
    let mut store = Store::open(Path::new(&dir)).expect("the writer opens the store");
    if store.home_id().is_none() {
        store.init_federation(&federation()).expect("init");
        println_ack("init");
    }
    let run: u32 = rand::rng().random();
    let mut out = std::io::stdout().lock();
    for i in 0..limit {
        if i % 5 == 4 {
            let tag = format!("{run:08x}-{i}");
            let orgs: Vec<Organization> = (0..BATCH).map(|r| org(&format!("批量{tag}组织{r}"))).collect();
            store.insert_many(&orgs).expect("batch write");
            writeln!(out, "ack batch {tag}").unwrap();
        } else {
            let name = format!("单个组织{run:08x}-{i}");
            store.insert(&org(&name)).expect("single write");
            writeln!(out, "ack single {name}").unwrap();
        }
        out.flush().unwrap();
    }
}

fn println_ack(what: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "ack {what}").unwrap();
    out.flush().unwrap();
}

/// Runs this test binary's `writer_process` on `dir`, stdout piped.
fn spawn_writer(dir: &Path, limit: Option<usize>, wrapper: Option<Vec<String>>) -> Child {
    let exe = std::env::current_exe().unwrap();
    let test_args = ["writer_process", "--exact", "--nocapture", "--test-threads=1"];
    let mut cmd = match &wrapper {
        Some(w) => {
            let mut c = Command::new(&w[0]);
            c.args(&w[1..]).arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    cmd.args(test_args).env(WRITER_DIR, dir);
    match limit {
        Some(n) => cmd.env(WRITER_LIMIT, n.to_string()),
        None => cmd.env_remove(WRITER_LIMIT),
    };
    cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap()
}

/// What a writer acknowledged before it died.
#[derive(Default)]
struct Acks {
    singles: Vec<String>,
    batches: Vec<String>,
}

impl Acks {
    /// Notes an acknowledgement line; false for any other line (the test
    /// harness's own, which may also share a line with the first ack).
    fn record(&mut self, line: &str) -> bool {
        let Some(at) = line.find("ack ") else { return false };
        let mut words = line[at + 4..].split_whitespace();
        match (words.next(), words.next()) {
            (Some("single"), Some(name)) => self.singles.push(name.to_string()),
            (Some("batch"), Some(tag)) => self.batches.push(tag.to_string()),
            (Some("init"), None) => {}
            _ => return false,
        }
        true
    }
}

#[test]
fn killed_writers_lose_no_acknowledged_write() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut rng = rand::rng();
    let mut acked = Acks::default();
    let (mut early_kills, mut kills) = (0, 0);
    for i in 0..iterations() {
        let mut child = spawn_writer(dir.path(), None, None);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // One kill in four lands early, while the store opens (sled's own
        // start-up writes: a run once found "Read corrupted data" on the
        // next open after such a kill); the rest right after an
        // acknowledgement, the moment a lost write would show.
        if i % 4 == 0 {
            std::thread::sleep(Duration::from_millis(rng.random_range(0..40)));
            early_kills += 1;
        } else {
            let target = rng.random_range(1..=25);
            let mut seen = 0;
            while seen < target {
                let Some(Ok(line)) = lines.next() else { break };
                if acked.record(&line) {
                    seen += 1;
                }
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix, TerminateProcess on Windows
        kills += 1;
        // Whatever the writer printed after the chosen ack and before it
        // died was acknowledged too.
        for line in lines.map_while(Result::ok) {
            acked.record(&line);
        }
        child.wait().unwrap();
        check(dir.path(), i, &acked);
    }
    eprintln!(
        "{} iterations, {kills} kills ({early_kills} early), {} single and {} batch writes acknowledged",
        iterations(),
        acked.singles.len(),
        acked.batches.len()
    );
}

/// After a kill: the store opens, nothing is damaged, every acknowledged
/// write is there and every batch is whole or absent.
fn check(dir: &Path, i: usize, acked: &Acks) {
    let store = Store::open(dir).unwrap_or_else(|e| panic!("iteration {i}: store does not open: {e}"));
    assert!(store.damaged().is_empty(), "iteration {i}: {:?}", store.damaged());
    if store.home_id().is_none() {
        assert!(acked.singles.is_empty() && acked.batches.is_empty(), "iteration {i}: the federation was lost");
        return;
    }
    let names: std::collections::HashSet<String> =
        store.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
    let mut batches: std::collections::HashMap<String, usize> = Default::default();
    for n in &names {
        if let Some(rest) = n.strip_prefix("批量") {
            if let Some((tag, _)) = rest.split_once("组织") {
                *batches.entry(tag.to_string()).or_default() += 1;
            }
        }
    }
    for (tag, count) in &batches {
        assert_eq!(*count, BATCH, "iteration {i}: half a batch {tag}");
    }
    for s in &acked.singles {
        assert!(names.contains(s), "iteration {i}: acknowledged {s} lost");
    }
    for b in &acked.batches {
        assert!(batches.contains_key(b), "iteration {i}: acknowledged batch {b} lost");
    }
}

/// Under strace: between two acknowledgements the writer fsyncs the data
/// (sled's files, or the change log) at least once, after it wrote. Skipped
/// where strace is not installed (Windows, macOS, minimal images).
#[test]
fn an_fsync_of_the_data_precedes_every_acknowledgement() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("strace not available: skipped");
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let trace = dir.path().join("trace.txt");
    let data = dir.path().join("data");
    let wrapper = vec![
        "strace".to_string(),
        "-f".into(),
        "-y".into(),
        "-e".into(),
        "trace=fsync,fdatasync,write,pwrite64,writev".into(),
        "-o".into(),
        trace.to_str().unwrap().into(),
    ];
    let child = spawn_writer(&data, Some(30), Some(wrapper));
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let acks = String::from_utf8_lossy(&out.stdout).lines().filter(|l| Acks::default().record(l)).count();
    assert_eq!(acks, 31, "init and 30 writes acknowledged");
    let text = std::fs::read_to_string(&trace).unwrap();
    let data_str = data.to_str().unwrap();
    // Each acknowledgement is a write to fd 1 (a pipe) starting with
    // "ack ", made by the thread that wrote; that thread must have finished
    // an fsync of a file under the data directory since its last one. With
    // -f, strace splits calls that other threads interrupt into
    // "<unfinished ...>" and "<... fsync resumed>" lines.
    let mut synced: std::collections::HashMap<&str, bool> = Default::default();
    let mut pending: std::collections::HashMap<&str, bool> = Default::default();
    let mut checked = 0;
    for line in text.lines() {
        let Some((pid, call)) = line.split_once(' ') else { continue };
        let call = call.trim_start();
        let is_sync = call.starts_with("fsync(") || call.starts_with("fdatasync(");
        if is_sync && call.contains(data_str) {
            if call.contains("<unfinished") {
                pending.insert(pid, true);
            } else if call.ends_with("= 0") {
                synced.insert(pid, true);
            }
        } else if (call.starts_with("<... fsync resumed>") || call.starts_with("<... fdatasync resumed>"))
            && pending.remove(pid).is_some()
            && call.ends_with("= 0")
        {
            synced.insert(pid, true);
        } else if call.starts_with("write(1") && call.contains("\"ack ") {
            assert!(
                synced.insert(pid, false).unwrap_or(false),
                "acknowledgement {checked} without an fsync of the data before it:\n{line}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 31, "every acknowledgement seen in the trace");
}

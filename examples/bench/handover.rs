//! The UI opened while `hubsync serve` holds the data directory
//! (`control::client::take_over`): from asking the node to hand the
//! directory over to the UI's store being open, against opening it with no
//! node in the same run; and from the UI closing it to the node answering
//! again. Needs the release binary beside the bench (`cargo build --release`).

use crate::measure::{stats, timed, Table};
use crate::sections::Fixture;
use hubsync::control::client::{is_listening, take_over};
use hubsync::store::Store;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn wait_listening(dir: &Path) -> Duration {
    let start = Instant::now();
    while !is_listening(dir) {
        assert!(start.elapsed() < Duration::from_secs(120), "the node never listened");
        std::thread::sleep(Duration::from_millis(5));
    }
    start.elapsed()
}

pub fn hand_over(f: &Fixture, runs: usize, table: &mut Table) {
    let exe = std::env::current_exe().expect("bench path");
    // target/release/examples/bench → target/release/hubsync
    let bin = exe.parent().and_then(Path::parent).map(|d| d.join(format!("hubsync{}", std::env::consts::EXE_SUFFIX)));
    let Some(bin) = bin.filter(|b| b.exists()) else {
        eprintln!("handover: no hubsync binary beside the bench; run `cargo build --release` first");
        return;
    };
    let dir = f.dir.path();
    let mut alone = Vec::new();
    for _ in 0..runs {
        let (store, t) = timed(|| Store::open(dir).expect("open"));
        drop(store);
        alone.push(t);
    }
    let mut node = Command::new(&bin)
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--listen", "127.0.0.1:0", "--interval", "3600", "--no-discovery"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    wait_listening(dir);
    let (mut taken, mut back) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (store, t) = timed(|| take_over(dir).expect("take over"));
        taken.push(t);
        drop(store);
        back.push(wait_listening(dir));
    }
    let _ = node.kill();
    let _ = node.wait();
    let ratio = stats(&taken).0.as_secs_f64() / stats(&alone).0.as_secs_f64();
    table.time(f.orgs, "open the store, no node running (baseline for the row below)", &alone, String::new());
    table.time(
        f.orgs,
        "open the store from a running `serve` (hand-over: the node closes its store, the UI opens it)",
        &taken,
        format!("{ratio:.2}x the row above, same run"),
    );
    table.time(f.orgs, "UI closed → the node answers again (it tries once a second, then opens)", &back, String::new());
}

//! SIGKILL `hubsync` at random moments while it writes, then reopen: every
//! write it acknowledged is there, an import is all there or not at all, and
//! the store opens without error.
//!
//! HUBSYNC_CRASH_ITERATIONS sets the number of kills (CI: a modest default).

use hubsync::domain::Organization;
use hubsync::store::Store;
use rand::Rng;
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_hubsync")
}

fn iterations() -> usize {
    std::env::var("HUBSYNC_CRASH_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20)
}

#[test]
fn killed_writers_lose_only_unacknowledged_writes() {
    let dir = tempfile::TempDir::new().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let ok = Command::new(bin())
        .args(["--data-dir", &d, "init", "--name", "测试联合会", "--level", "county", "--division", "510104"])
        .status()
        .unwrap();
    assert!(ok.success());
    // A 300-row ledger to import again and again under new names.
    let mut rng = rand::rng();
    let mut acknowledged = Vec::new();
    let mut imports_done = 0;
    let mut kills = 0;
    for i in 0..iterations() {
        let import = i % 3 == 2;
        let mut cmd = Command::new(bin());
        cmd.args(["--data-dir", &d]);
        if import {
            let file = dir.path().join(format!("ledger{i}.csv"));
            let mut text = String::from("组织名称,行政区划代码,备案编号\n");
            for r in 0..300 {
                text.push_str(&format!("批量{i}组织{r},510104002001,B{i}-{r}\n"));
            }
            std::fs::write(&file, text).unwrap();
            cmd.args(["import", "orgs", file.to_str().unwrap()]);
        } else {
            cmd.args([
                "org",
                "add",
                "--name",
                &format!("单个组织{i}"),
                "--division",
                "510104001001",
                "--filing-number",
                &format!("S{i}"),
            ]);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let window = if import { 600 } else { 40 };
        std::thread::sleep(Duration::from_millis(rng.random_range(0..window)));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap();
            kills += 1;
        }
        let out = child.wait_with_output().unwrap();
        // Acknowledged = the process finished and said so.
        if out.status.success() {
            if import {
                imports_done += 1;
                acknowledged.extend((0..300).map(|r| format!("批量{i}组织{r}")));
            } else {
                acknowledged.push(format!("单个组织{i}"));
            }
        }
        // After every kill the store opens and every batch is whole.
        let store = Store::open(dir.path()).unwrap_or_else(|e| panic!("iteration {i}: store does not open: {e}"));
        assert!(store.damaged().is_empty(), "iteration {i}: {:?}", store.damaged());
        let names: Vec<String> = store.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
        let batch = names.iter().filter(|n| n.starts_with(&format!("批量{i}组织"))).count();
        assert!(batch == 0 || batch == 300, "iteration {i}: half an import ({batch} rows)");
        for a in &acknowledged {
            assert!(names.contains(a), "iteration {i}: acknowledged {a} lost");
        }
    }
    eprintln!(
        "{} iterations, {kills} kills, {imports_done} imports acknowledged, {} records acknowledged",
        iterations(),
        acknowledged.len()
    );
}

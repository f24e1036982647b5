//! Two `hubsync` processes on 127.0.0.1: one serves, the other syncs.

use assert_cmd::Command;
use std::process::{Child, Stdio};
use tempfile::TempDir;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_hubsync")
}

fn run(dir: &TempDir, args: &[&str]) -> String {
    let out =
        Command::new(bin()).arg("--data-dir").arg(dir.path()).args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &TempDir, port: u16) -> Server {
    let child = std::process::Command::new(bin())
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--interval", "3600"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the port answers (the server has opened its store).
    std::thread::sleep(std::time::Duration::from_millis(500));
    Server(child)
}

fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn a_county_sends_its_roster_to_the_city_and_unknown_nodes_are_refused() {
    let county = TempDir::new().unwrap();
    let city = TempDir::new().unwrap();
    let stranger = TempDir::new().unwrap();
    run(&county, &["init", "--name", "锦江区联合会", "--level", "county", "--division", "510104"]);
    run(&county, &["org", "add", "--name", "甲组织", "--division", "510104001001"]);
    let county_id = run(&county, &["id"]).trim().to_string();
    let city_id = run(&city, &["id"]).trim().to_string();
    run(&county, &["peer", "add", &city_id, "--name", "成都市"]);
    run(&county, &["share", "all", "--with", "成都市", "--read"]);
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    run(&city, &["peer", "add", &county_id, "--name", "锦江区", "--addr", &addr]);
    run(&stranger, &["peer", "add", &county_id, "--name", "锦江区", "--addr", &addr]);
    let _server = serve(&county, port);

    let out = run(&city, &["sync"]);
    assert!(out.contains("锦江区") && out.contains("个文档已同步"), "{out}");
    assert!(run(&city, &["org", "list"]).contains("甲组织"));
    let list = run(&city, &["peer", "list", "--format", "csv"]);
    let row = csv::Reader::from_reader(list.as_bytes()).records().next().unwrap().unwrap();
    assert!(!row[4].is_empty(), "last sync recorded: {list}");
    assert!(row[5].is_empty(), "no error recorded: {list}");

    let err = Command::new(bin())
        .arg("--data-dir")
        .arg(stranger.path())
        .arg("sync")
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("同步失败: 锦江区: 拒绝了本节点:本节点不在其对等方列表中"), "{err}");
    assert!(!err.contains("refused"), "Chinese alone: {err}");
    let err = sync_failure(&stranger, "en");
    assert!(err.contains("sync failed: 锦江区: refused this node: not in its peer list"), "{err}");
    assert!(!run(&stranger, &["org", "list"]).contains("甲组织"));
}

/// `sync`'s stderr, which must fail, in `lang`.
fn sync_failure(dir: &TempDir, lang: &str) -> String {
    let out = Command::new(bin()).arg("--data-dir").arg(dir.path()).args(["--lang", lang, "sync"]).assert().failure();
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn a_peer_that_cannot_be_reached_is_told_in_the_users_language() {
    let city = TempDir::new().unwrap();
    let county = TempDir::new().unwrap();
    let county_id = run(&county, &["id"]).trim().to_string();
    // Nothing listens on this port.
    let addr = format!("127.0.0.1:{}", free_port());
    run(&city, &["peer", "add", &county_id, "--name", "锦江区", "--addr", &addr]);
    let zh = sync_failure(&city, "zh");
    assert!(zh.contains(&format!("同步失败: 锦江区: 无法连接 {addr}:对方未运行,或网络不通")), "{zh}");
    let en = sync_failure(&city, "en");
    assert!(en.contains(&format!("sync failed: 锦江区: cannot reach {addr}")), "{en}");
    assert!(!en.contains("无法") && !en.contains("握手"), "English alone: {en}");
    // The peer list keeps the whole error and its kind, and says it in the
    // language asked for.
    let list = run(&city, &["peer", "list"]);
    assert!(list.contains(&format!("无法连接 {addr}")), "{list}");
    let list = run(&city, &["--lang", "en", "peer", "list"]);
    assert!(list.contains(&format!("cannot reach {addr}")), "{list}");
    // Scripts keep the whole error, whatever the language.
    let list = run(&city, &["--lang", "en", "peer", "list", "--format", "csv"]);
    let row = csv::Reader::from_reader(list.as_bytes()).records().next().unwrap().unwrap();
    assert!(row[5].contains(&addr) && row[5].contains("握手超时"), "{list}");
    let kept = std::fs::read_to_string(city.path().join("peers.json")).unwrap();
    assert!(kept.contains("\"last_failure\": \"Unreachable\"") && kept.contains(&addr), "{kept}");

    // Another node now answers at that address: said so, not "not running".
    let other = TempDir::new().unwrap();
    let _other = serve(&other, addr.rsplit(':').next().unwrap().parse().unwrap());
    let en = sync_failure(&city, "en");
    assert!(en.contains(&format!("sync failed: 锦江区: another node answers at {addr}")), "{en}");
}

/// Every file and directory under `dir` that others could read or enter.
#[cfg(unix)]
fn readable_by_others(dir: &std::path::Path, out: &mut Vec<String>) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
    if mode != 0o700 {
        out.push(format!("{} {mode:o}", dir.display()));
    }
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let mode = e.metadata().unwrap().permissions().mode() & 0o777;
        if e.file_type().unwrap().is_dir() {
            readable_by_others(&e.path(), out);
        } else if mode != 0o600 {
            out.push(format!("{} {mode:o}", e.path().display()));
        }
    }
}

#[cfg(unix)]
#[test]
fn the_data_directory_is_the_owners_alone() {
    // A typical office umask (022) would leave everything world-readable.
    let home = TempDir::new().unwrap();
    let data = home.path().join("hubsync-data");
    let dir_arg = data.to_str().unwrap();
    let cmd = |args: &[&str]| {
        Command::new(bin()).arg("--data-dir").arg(dir_arg).args(args).assert().success();
    };
    cmd(&["id"]);
    cmd(&["init", "--name", "锦江区联合会", "--level", "county", "--division", "510104"]);
    cmd(&["org", "add", "--name", "甲组织", "--division", "510104001001", "--head-phone", "13812345678"]);
    let city = TempDir::new().unwrap();
    let city_id = run(&city, &["id"]).trim().to_string();
    cmd(&["peer", "add", &city_id, "--name", "成都市"]);
    cmd(&["invite", "orgs", "--addr", "127.0.0.1:4433", "--read"]);
    cmd(&["doc", "compact"]);
    for name in ["peers.json", "invites.json", "identity/key.der", "identity/cert.der", "db"] {
        assert!(data.join(name).exists(), "{name} missing");
    }
    let mut loose = Vec::new();
    readable_by_others(&data, &mut loose);
    assert!(loose.is_empty(), "readable by others: {loose:#?}");
}

/// `invite --short` prints ten digits and the address to read aloud; `join
/// ADDR DIGITS` on the laptop, typed in two groups, joins and brings the roster.
#[test]
fn a_short_code_read_over_the_phone_joins_from_the_command_line() {
    let county = TempDir::new().unwrap();
    let laptop = TempDir::new().unwrap();
    run(&county, &["init", "--name", "锦江区联合会", "--level", "county", "--division", "510104"]);
    run(&county, &["org", "add", "--name", "甲组织", "--division", "510104001001"]);
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let printed = run(&county, &["invite", "--short", "--write", "--addr", &addr]);
    let mut lines = printed.lines();
    let code = lines.next().unwrap().trim().to_string();
    assert!(code.len() == 11 && code.as_bytes()[5] == b'-', "{printed}");
    assert!(lines.next().unwrap().contains(&addr), "the address to give: {printed}");
    let _server = serve(&county, port);
    let (a, b) = code.split_once('-').unwrap();
    run(&laptop, &["join", &addr, a, b, "--name", "培训笔记本"]);
    assert!(run(&laptop, &["org", "list"]).contains("甲组织"));
    // The code was used: a second join is refused, with the reason.
    let other = TempDir::new().unwrap();
    let out = Command::new(bin()).arg("--data-dir").arg(other.path()).args(["join", &addr, &code]).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("没有待用的短码"), "{err}");
}

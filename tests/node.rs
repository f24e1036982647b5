//! The CLI against a running node (`hubsync serve`) and against none: the
//! same output and exit codes either way (issue 13 point 2). Runs on
//! Windows too, where the control channel is a named pipe.

#[path = "support/cli.rs"]
mod command_line;
#[path = "support/control.rs"]
mod control_client;
use control_client::{raw_connection, read_until_hangup};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_hubsync")
}

/// The binary as a secretary's shell starts it: Chinese, in `cwd`.
fn hubsync(dir: &Path, cwd: &Path, args: &[&str]) -> Output {
    command_line::command(dir).current_dir(cwd).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn ok(dir: &Path, cwd: &Path, args: &[&str]) -> String {
    let out = hubsync(dir, cwd, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hubsync serve`, once its control channel answers.
fn serve(dir: &Path) -> Node {
    serve_at(dir, "127.0.0.1:0")
}

fn serve_at(dir: &Path, listen: &str) -> Node {
    let child = Command::new(bin())
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--listen", listen, "--interval", "3600", "--no-discovery"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let node = Node(child);
    let start = Instant::now();
    while !hubsync::control::client::is_listening(dir) {
        assert!(start.elapsed() < Duration::from_secs(20), "the node never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    node
}

fn federation() -> TempDir {
    let dir = TempDir::new().unwrap();
    ok(
        dir.path(),
        dir.path(),
        &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"],
    );
    ok(
        dir.path(),
        dir.path(),
        &["org", "add", "--name", "玉林社区夕阳红舞蹈队", "--category", "文体娱乐", "--division", "510104001002"],
    );
    dir
}

#[test]
fn a_read_a_write_and_an_error_print_the_same_with_a_node_running_and_without() {
    let data = federation();
    let dir = data.path();
    let cwd = TempDir::new().unwrap();
    let read = ["org", "list", "--format", "csv"];
    let error = ["org", "show", "不存在的组织"];
    let alone_read = hubsync(dir, cwd.path(), &read);
    let alone_error = hubsync(dir, cwd.path(), &error);
    let alone_write = hubsync(dir, cwd.path(), &["person", "add", "--name", "李红", "--phone", "13800138000"]);
    assert!(alone_read.status.success() && alone_write.status.success());
    assert_eq!(alone_error.status.code(), Some(1));
    assert!(text(&alone_error.stderr).contains("不存在的组织"), "{}", text(&alone_error.stderr));

    let node = serve(dir);
    let read_via_node = hubsync(dir, cwd.path(), &read);
    assert_eq!(text(&read_via_node.stdout), text(&alone_read.stdout));
    assert_eq!(read_via_node.status.code(), Some(0));
    assert_eq!(text(&read_via_node.stderr), text(&alone_read.stderr));
    let error_via_node = hubsync(dir, cwd.path(), &error);
    assert_eq!(error_via_node.status.code(), Some(1));
    assert_eq!(text(&error_via_node.stderr), text(&alone_error.stderr));
    assert_eq!(text(&error_via_node.stdout), text(&alone_error.stdout));
    // A write through the node: the same sentence for a namesake, and kept.
    let write_via_node = hubsync(dir, cwd.path(), &["person", "add", "--name", "李红", "--phone", "13900139000"]);
    assert_eq!(write_via_node.status.code(), Some(0), "{}", text(&write_via_node.stderr));
    let shape = |o: &Output| text(&o.stdout).split_whitespace().next().map(str::to_string);
    assert_eq!(shape(&write_via_node), shape(&alone_write));
    let people = ok(dir, cwd.path(), &["person", "list", "--format", "csv"]);
    assert!(people.contains("139****9000") && people.contains("138****8000"), "{people}");
    // A relative path is the client's, not the node's.
    ok(dir, cwd.path(), &["export", "orgs", "--format", "csv", "--output", "台账.csv"]);
    assert!(cwd.path().join("台账.csv").exists(), "the export went to the node's directory");
    // A second node on the same directory is refused by the first.
    let twice = hubsync(dir, cwd.path(), &["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(text(&twice.stderr).contains("已在运行"), "{}", text(&twice.stderr));

    // Killed hard, the node leaves its socket behind (a named pipe goes with
    // its process): the next command runs on its own and sees what the node
    // wrote.
    drop(node);
    #[cfg(unix)]
    assert!(dir.join(hubsync::control::SOCKET).exists());
    let after = ok(dir, cwd.path(), &["person", "list", "--format", "csv"]);
    assert_eq!(after, people);
}

/// Waits for `serve` to answer on the control channel again.
fn listening_again(dir: &Path) {
    let start = Instant::now();
    while !hubsync::control::client::is_listening(dir) {
        assert!(start.elapsed() < Duration::from_secs(20), "the node never took the directory back");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The UI opened while `serve` holds the directory (issue 13 point 2): the
/// node hands it over rather than the UI refusing to start, and takes it
/// back when the UI closes it, serving the CLI again with the UI's writes.
#[test]
fn the_ui_takes_the_directory_over_from_a_running_node_and_gives_it_back() {
    use hubsync::domain::{Category, LegalStatus, Organization};
    let data = federation();
    let dir = data.path();
    let mut node = serve(dir);
    for (round, name) in ["界面里新建的读书会", "第二次打开界面新建的合唱团"].into_iter().enumerate()
    {
        // What `hubsync` (the UI) does when the directory is in use and a node answers.
        let mut store = hubsync::control::client::take_over(dir).unwrap();
        assert!(node.0.try_wait().unwrap().is_none(), "round {round}: the node still runs");
        assert!(!hubsync::control::client::is_listening(dir), "round {round}: the UI's store, not the node's");
        let org = Organization::new(name, Category::CultureSports, LegalStatus::Filed, "510104001002");
        store.insert(&org).unwrap();
        drop(store);
        listening_again(dir);
        let list = ok(dir, dir, &["org", "list", "--format", "csv"]);
        assert!(list.contains(name) && list.contains("玉林社区夕阳红舞蹈队"), "round {round}: {list}");
    }
    assert!(node.0.try_wait().unwrap().is_none(), "the same node throughout");
}

#[cfg(unix)]
#[test]
fn the_control_socket_is_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let data = federation();
    let dir = data.path();
    let _node = serve(dir);
    let socket = dir.join(hubsync::control::SOCKET);
    assert_eq!(std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn the_control_channel_refuses_an_oversized_request_and_garbage() {
    use std::io::Write;
    let data = federation();
    let dir = data.path();
    let _node = serve(dir);
    // A lying client announces 4 GiB: the node hangs up instead of allocating it.
    let mut s = raw_connection(dir);
    s.write_all(&u32::MAX.to_be_bytes()).unwrap();
    assert_eq!(read_until_hangup(&mut s), 0);
    // Garbage instead of JSON: the same, and the node keeps serving.
    let mut s = raw_connection(dir);
    s.write_all(&5u32.to_be_bytes()).unwrap();
    s.write_all(b"hello").unwrap();
    assert_eq!(read_until_hangup(&mut s), 0);
    let list = ok(dir, dir, &["org", "list", "--format", "csv"]);
    assert!(list.contains("玉林社区夕阳红舞蹈队"), "{list}");
}

#[test]
fn a_node_of_another_version_refuses_rather_than_guess() {
    let data = federation();
    let dir = data.path();
    let _node = serve(dir);
    let request = hubsync::control::Request {
        version: "0.0.0-old".into(),
        argv: vec!["hubsync".into(), "org".into(), "list".into()],
        lang: "zh".into(),
        cwd: dir.to_path_buf(),
        action: hubsync::control::Action::Run,
        progress: false,
    };
    let reply = hubsync::control::client::call(dir, &request).unwrap().expect("a node listens");
    assert_eq!(reply.code, 1);
    assert!(text(&reply.stderr).contains("0.0.0-old"), "{}", text(&reply.stderr));
    assert!(reply.stdout.is_empty());
}

/// `hubsync sync` through a running node, from a terminal (issue 13 point
/// 6): the node's sessions are drawn as the client's bar, before the same
/// output an unwatched client gets.
#[test]
fn a_sync_through_a_running_node_draws_the_nodes_bar() {
    use hubsync::control::client::Frame;
    use hubsync::control::{self, Request};
    let county = federation();
    let city = TempDir::new().unwrap();
    let id = |dir: &Path| ok(dir, dir, &["id"]).trim().to_string();
    let (county_id, city_id) = (id(county.path()), id(city.path()));
    ok(county.path(), county.path(), &["peer", "add", &city_id, "--name", "成都市"]);
    ok(county.path(), county.path(), &["share", "all", "--with", "成都市", "--read"]);
    let port = std::net::UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    ok(city.path(), city.path(), &["peer", "add", &county_id, "--name", "锦江区", "--addr", &addr]);
    let _county = serve_at(county.path(), &addr);
    let _city = serve(city.path());
    // The city's node syncs once as it starts; a change made after that is
    // what the watched round brings.
    let start = Instant::now();
    while !ok(city.path(), city.path(), &["org", "list"]).contains("玉林社区夕阳红舞蹈队") {
        assert!(start.elapsed() < Duration::from_secs(20), "the city's first round never came");
        std::thread::sleep(Duration::from_millis(100));
    }
    ok(county.path(), county.path(), &["org", "add", "--name", "望江楼社区读书会", "--division", "510104001003"]);

    let sync = |progress: bool| {
        let request = Request {
            version: control::version(),
            argv: ["hubsync", "sync"].map(String::from).to_vec(),
            lang: "zh".into(),
            cwd: city.path().to_path_buf(),
            action: control::Action::Run,
            progress,
        };
        let (mut updates, mut stdout, mut output_after_progress) = (Vec::new(), Vec::new(), true);
        let code = control::client::send(city.path(), &request, |frame| {
            match frame {
                Frame::Progress(update) => {
                    output_after_progress &= stdout.is_empty();
                    updates.push(update);
                }
                Frame::Stdout(bytes) => stdout.extend_from_slice(bytes),
                Frame::Stderr(_) => {}
            }
            Ok(())
        })
        .unwrap()
        .expect("the city's node listens");
        (code, updates, text(&stdout), output_after_progress)
    };
    let (code, updates, watched, in_order) = sync(true);
    assert_eq!(code, 0, "{watched}");
    assert!(watched.contains("锦江区") && watched.contains("个文档已同步"), "{watched}");
    assert!(in_order, "progress after the output");
    assert!(!updates.is_empty(), "no bar for a sync through the node");
    assert!(updates.iter().all(|u| u.label == "同步文档"), "{updates:?}");
    let widest = updates.iter().map(|u| u.total).max().unwrap();
    assert!(widest > 0, "the documents to sync are counted: {updates:?}");
    assert!(updates.last().is_some_and(|u| u.finished), "the bar is cleared: {updates:?}");
    assert!(ok(city.path(), city.path(), &["org", "list"]).contains("望江楼社区读书会"));

    let (code, quiet_updates, quiet, _) = sync(false);
    assert_eq!(code, 0, "{quiet}");
    assert!(quiet_updates.is_empty(), "progress unasked: {quiet_updates:?}");
    // The second round moves nothing new, but says it the same way.
    assert_eq!(quiet.lines().count(), watched.lines().count(), "{quiet}\n{watched}");
}

//! The control channel itself, with a node held in this process and no
//! network: on Unix a socket, on Windows a named pipe. tests/node.rs runs the
//! same through `hubsync serve`; this one needs no QUIC, so it also runs
//! where UDP sockets cannot be opened as quinn wants (Wine), which is how the
//! named pipe has been run at all on a Linux machine (docs/ARCHITECTURE.md).

#[path = "support/cli.rs"]
mod command_line;
#[path = "support/control.rs"]
mod control_client;
use control_client::{raw_connection, read_until_hangup};
use hubsync::control::client::Frame;
use hubsync::control::{self, NodeParts, ProgressUpdate, Request};
use hubsync::store::{Store, StoreHandle};
use std::io::Write;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    command_line::command(dir).args(args).output().unwrap()
}

fn federation() -> TempDir {
    let dir = TempDir::new().unwrap();
    for args in [
        &["init", "--name", "锦江区社区社会组织联合会", "--level", "县", "--division", "510104"][..],
        &["org", "add", "--name", "玉林社区夕阳红舞蹈队", "--category", "文体娱乐", "--division", "510104001002"],
    ] {
        let out = run(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_line_reaches_a_node_held_in_process_and_a_liar_does_not_stop_it() {
    let data = federation();
    let dir = data.path().to_path_buf();
    let read = ["org", "list", "--format", "csv"];
    let alone = run(&dir, &read);
    assert!(alone.status.success(), "{}", text(&alone.stderr));

    let store = StoreHandle::spawn(Store::open(&dir).unwrap());
    let listening = control::listen(
        NodeParts { store, daemon: None, dir: dir.clone(), hand_over: None },
        hubsync::cli::node::handler(),
    )
    .unwrap();
    let blocking = dir.clone();
    tokio::task::spawn_blocking(move || {
        let dir = blocking;
        assert!(control::client::is_listening(&dir));
        // The store is held here, so these can only have gone through the channel.
        let via_node = run(&dir, &read);
        assert_eq!(via_node.status.code(), Some(0), "{}", text(&via_node.stderr));
        assert_eq!(text(&via_node.stdout), text(&alone.stdout));
        let missing = run(&dir, &["org", "show", "不存在的组织"]);
        assert_eq!(missing.status.code(), Some(1));
        assert!(text(&missing.stderr).contains("不存在的组织"), "{}", text(&missing.stderr));
        let added = run(&dir, &["person", "add", "--name", "李红", "--phone", "13800138000"]);
        assert_eq!(added.status.code(), Some(0), "{}", text(&added.stderr));

        // A client announcing 4 GiB, then one sending garbage: each is hung up on.
        let mut liar = raw_connection(&dir);
        liar.write_all(&u32::MAX.to_be_bytes()).unwrap();
        assert_eq!(read_until_hangup(&mut liar), 0);
        let mut liar = raw_connection(&dir);
        liar.write_all(&5u32.to_be_bytes()).unwrap();
        liar.write_all(b"hello").unwrap();
        assert_eq!(read_until_hangup(&mut liar), 0);

        // A client of another version is refused in words, not guessed at.
        let old = Request {
            version: "0.0.0-old".into(),
            argv: vec!["hubsync".into(), "org".into(), "list".into()],
            lang: "zh".into(),
            cwd: dir.clone(),
            action: control::Action::Run,
            progress: false,
        };
        let reply = control::client::call(&dir, &old).unwrap().expect("the node listens");
        assert_eq!(reply.code, 1);
        assert!(text(&reply.stderr).contains("0.0.0-old"), "{}", text(&reply.stderr));

        // A second UI: a node that is itself a UI does not hand its directory over.
        let refused = control::client::take_over(&dir).map(|_| ()).unwrap_err().to_string();
        assert!(refused.contains("另一个界面") && refused.contains("one UI at a time"), "{refused}");
        assert!(control::client::is_listening(&dir), "the node goes on");

        let people = run(&dir, &["person", "list", "--format", "csv"]);
        assert!(text(&people.stdout).contains("138****8000"), "{}", text(&people.stdout));
    })
    .await
    .unwrap();
    drop(listening);
}

/// A roster of `orgs` organizations none of `federation` has, from `first` on.
fn roster(first: usize, orgs: usize) -> String {
    let mut text = String::from("组织名称,组织类别,行政区划代码,成立时间\n");
    for i in first..first + orgs {
        text.push_str(&format!("玉林社区第{i}志愿服务队,公益慈善,510104001002,2019-03-05\n"));
    }
    text
}

/// What a node sent for one command line, in order, and its exit code.
#[derive(Debug)]
enum Seen {
    Progress(ProgressUpdate),
    Output { err: bool, bytes: Vec<u8> },
}

fn frames(dir: &Path, args: &[&str], progress: bool) -> (Vec<Seen>, i32) {
    let request = Request {
        version: control::version(),
        argv: std::iter::once("hubsync").chain(args.iter().copied()).map(String::from).collect(),
        lang: "zh".into(),
        cwd: dir.to_path_buf(),
        action: control::Action::Run,
        progress,
    };
    let mut seen = Vec::new();
    let code = control::client::send(dir, &request, |frame| {
        seen.push(match frame {
            Frame::Progress(update) => Seen::Progress(update),
            Frame::Stdout(bytes) => Seen::Output { err: false, bytes: bytes.to_vec() },
            Frame::Stderr(bytes) => Seen::Output { err: true, bytes: bytes.to_vec() },
        });
        Ok(())
    })
    .unwrap()
    .expect("the node listens");
    (seen, code)
}

/// Standard output and error, as the client prints them.
fn output(seen: &[Seen]) -> (Vec<u8>, Vec<u8>) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    for s in seen {
        if let Seen::Output { err, bytes } = s {
            if *err { &mut stderr } else { &mut stdout }.extend_from_slice(bytes);
        }
    }
    (stdout, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_watches_gets_the_bar_while_the_command_runs_and_the_same_output() {
    let data = federation();
    let dir = data.path().to_path_buf();
    std::fs::write(dir.join("名册.csv"), roster(1, 300)).unwrap();
    let imported = run(&dir, &["import", "orgs", dir.join("名册.csv").to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    std::fs::write(dir.join("新名册.csv"), roster(1000, 2000)).unwrap();

    let store = StoreHandle::spawn(Store::open(&dir).unwrap());
    let listening = control::listen(
        NodeParts { store, daemon: None, dir: dir.clone(), hand_over: None },
        hubsync::cli::node::handler(),
    )
    .unwrap();
    let blocking = dir.clone();
    tokio::task::spawn_blocking(move || {
        let dir = blocking;
        for (args, label) in [
            (&["import", "orgs", "新名册.csv", "--dry-run"][..], "导入"),
            (&["export", "orgs", "--format", "csv"], "导出"),
        ] {
            let (quiet, quiet_code) = frames(&dir, args, false);
            assert_eq!(quiet_code, 0, "{args:?}: {}", text(&output(&quiet).1));
            assert!(quiet.iter().all(|s| matches!(s, Seen::Output { .. })), "{args:?}: progress unasked: {quiet:?}");

            let start = std::time::Instant::now();
            let (watched, code) = frames(&dir, args, true);
            let took = start.elapsed();
            assert_eq!(code, 0, "{args:?}");
            assert_eq!(output(&watched), output(&quiet), "{args:?}: the output differs with a bar");
            let updates: Vec<&ProgressUpdate> = watched
                .iter()
                .filter_map(|s| match s {
                    Seen::Progress(u) => Some(u),
                    _ => None,
                })
                .collect();
            assert!(!updates.is_empty(), "{args:?}: no progress frame");
            assert!(updates.iter().all(|u| u.label == label), "{args:?}: {updates:?}");
            assert!(updates.last().is_some_and(|u| u.finished), "{args:?}: the bar is not cleared: {updates:?}");
            let first_output = watched.iter().position(|s| matches!(s, Seen::Output { .. })).unwrap_or(watched.len());
            let last_progress = watched.iter().rposition(|s| matches!(s, Seen::Progress(_))).unwrap();
            assert!(last_progress < first_output, "{args:?}: progress after the output");
            // Throttled: the start, the total, the end, and ten a second between.
            let bound = 4 + (took.as_millis() / control::PROGRESS_EVERY.as_millis()) as usize;
            assert!(updates.len() <= bound, "{args:?}: {} updates in {took:?}", updates.len());
        }
    })
    .await
    .unwrap();
    drop(listening);
}

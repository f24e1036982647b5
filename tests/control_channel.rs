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
use hubsync::control::{self, NodeParts, Request};
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

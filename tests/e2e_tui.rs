//! The real binary in a terminal (tmux): type into a form, save, quit, and
//! find the record in the store; run a training's sign-in with namesakes, a
//! repeat and a walk-in.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "'{text}' never appeared; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").output();
    }
}

fn needs_tmux() {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success()),
        "this test needs tmux (.ci/run installs it)"
    );
}

/// Runs the command line on a data directory; it must succeed.
fn cli(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_hubsync")).arg("--data-dir").arg(dir).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
}

impl Tmux {
    fn start(name: &str, dir: &std::path::Path) -> Tmux {
        let tmux = Tmux { socket: format!("hubsync-{name}-{}", std::process::id()) };
        let command = format!("{} --data-dir {} --lang zh --offline", env!("CARGO_BIN_EXE_hubsync"), dir.display());
        tmux.run(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &command]);
        tmux
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "e2e", k]);
        }
    }

    /// Text as an input method commits it: one string at once.
    fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// F10, then waits for the process to end (a loaded CI machine can take a while to close the store).
    fn quit(&self) {
        self.keys(&["F10"]);
        let start = Instant::now();
        while self.run(&["list-sessions"]).contains("e2e") {
            assert!(start.elapsed() < Duration::from_secs(60), "the UI did not quit:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn sign_in_tells_namesakes_apart_refuses_a_repeat_and_adds_a_walk_in() {
    needs_tmux();
    let dir = tempfile::TempDir::new().unwrap();
    let d = dir.path();
    cli(d, &["init", "--name", "锦江区社区社会组织联合会", "--level", "county", "--division", "510104"]);
    cli(d, &["org", "add", "--name", "玉林社区阳光志愿服务队", "--division", "510104001"]);
    cli(d, &["org", "add", "--name", "望江社区巾帼读书会", "--division", "510104002"]);
    cli(d, &["person", "add", "--name", "刘娟", "--phone", "13811111234", "--org", "玉林社区阳光志愿服务队"]);
    cli(d, &["person", "add", "--name", "刘娟", "--phone", "13922225678", "--org", "望江社区巾帼读书会"]);
    cli(d, &["person", "add", "--name", "朱桂英", "--phone", "13800000001"]);
    cli(d, &["person", "add", "--name", "郭艳", "--phone", "13800000002"]);
    cli(d, &["training", "add", "--title", "社区社会组织财务培训", "--format", "现场"]);
    cli(
        d,
        &["training", "session", "社区社会组织财务培训", "--date", "2025-11-04", "--start", "09:00", "--end", "12:00"],
    );

    let tmux = Tmux::start("signin", d);
    tmux.wait_for("锦江区社区社会组织联合会");
    tmux.keys(&["4"]);
    tmux.wait_for("社区社会组织财务培训");
    tmux.keys(&["F9"]);
    tmux.wait_for("签到模式");
    // Two 刘娟, told apart by organization and phone; a second word picks 望江's.
    tmux.text("刘娟");
    let screen = tmux.wait_for("尾号5678");
    assert!(screen.contains("尾号1234") && screen.contains("望江社区巾帼读书会"), "{screen}");
    tmux.text(" 望江");
    tmux.wait_for("> 刘娟 望江");
    let screen = tmux.screen();
    assert!(!screen.contains("尾号1234"), "{screen}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("已签到: 刘娟");
    // gy: 郭艳's initials exactly, ranked before 朱桂英 (zgy).
    tmux.text("gy");
    tmux.wait_for("郭艳");
    tmux.keys(&["Enter"]);
    tmux.wait_for("已签到: 郭艳");
    tmux.wait_for("已签到 2");
    // A repeat is refused and said.
    tmux.text("郭艳");
    tmux.wait_for("✓ 郭艳");
    tmux.keys(&["Enter"]);
    tmux.wait_for("未重复签到");
    // A walk-in: an unknown name, Enter, the organization and phone, F2.
    tmux.text("王新来");
    tmux.wait_for("现场登记并签到");
    tmux.keys(&["Enter"]);
    tmux.wait_for("现场登记并签到");
    tmux.keys(&["Tab"]);
    tmux.text("玉林社区阳光志愿服务队");
    tmux.keys(&["Tab"]);
    tmux.text("13700001111");
    tmux.keys(&["F2"]);
    tmux.wait_for("已现场登记并签到");
    tmux.wait_for("已签到 3");
    tmux.keys(&["Escape"]);
    tmux.quit();

    // The session ends when the process exits; its lock on the store may take a moment more.
    let start = Instant::now();
    let store = loop {
        match hubsync::store::Store::open(d) {
            Ok(store) => break store,
            Err(_) if start.elapsed() < Duration::from_secs(30) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => panic!("the UI did not close the store: {e}"),
        }
    };
    let people = store.all::<hubsync::domain::Person>().unwrap();
    let name_of = |id: &hubsync::domain::RecordId| {
        let p = people.iter().find(|p| &p.id == id).unwrap();
        format!("{} {}", p.name, p.phone)
    };
    let mut signed: Vec<String> =
        store.all::<hubsync::domain::Attendance>().unwrap().iter().map(|a| name_of(&a.person)).collect();
    signed.sort();
    assert_eq!(signed.len(), 3, "{signed:?}");
    assert!(signed[0].starts_with("刘娟") && signed[0].ends_with("5678"), "the second 刘娟: {signed:?}");
    assert!(signed.iter().any(|s| s.starts_with("王新来")), "{signed:?}");
    assert!(signed.iter().any(|s| s.starts_with("郭艳")), "{signed:?}");
}

#[test]
fn typing_into_the_form_stores_the_record() {
    needs_tmux();
    let dir = tempfile::TempDir::new().unwrap();
    let bin = env!("CARGO_BIN_EXE_hubsync");
    let init = Command::new(bin)
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "init",
            "--name",
            "锦江区社区社会组织联合会",
            "--level",
            "county",
            "--division",
            "510104",
        ])
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");

    let tmux = Tmux { socket: format!("hubsync-e2e-{}", std::process::id()) };
    let command = format!("{bin} --data-dir {} --lang zh", dir.path().display());
    tmux.run(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &command]);
    tmux.wait_for("锦江区社区社会组织联合会");
    tmux.run(&["send-keys", "-t", "e2e", "F4"]);
    tmux.wait_for("新增组织");
    tmux.run(&["send-keys", "-t", "e2e", "-l", "玉林社区夕阳红舞蹈队"]);
    tmux.run(&["send-keys", "-t", "e2e", "C-s"]);
    tmux.wait_for("已保存");
    tmux.run(&["send-keys", "-t", "e2e", "F10"]);
    let start = Instant::now();
    while tmux.run(&["list-sessions"]).contains("e2e") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let store = hubsync::store::Store::open(dir.path()).expect("the UI closed the store");
    let names: Vec<String> =
        store.all::<hubsync::domain::Organization>().unwrap().into_iter().map(|o| o.name).collect();
    assert!(names.contains(&"玉林社区夕阳红舞蹈队".to_string()), "{names:?}");
}

/// The UI opened while `hubsync serve` holds the data directory: it opens
/// (the node hands the directory over), runs a CLI command typed meanwhile
/// and shows its write, and once closed the same node serves the CLI again.
#[test]
fn the_ui_opens_while_serve_runs_and_gives_the_directory_back() {
    needs_tmux();
    let dir = tempfile::TempDir::new().unwrap();
    let bin = env!("CARGO_BIN_EXE_hubsync");
    cli(dir.path(), &["init", "--name", "锦江区社区社会组织联合会", "--level", "county", "--division", "510104"]);
    let mut serve = Killed(
        Command::new(bin)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0", "--interval", "3600", "--no-discovery"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let listening = |what: &str| {
        let start = Instant::now();
        while !hubsync::control::client::is_listening(dir.path()) {
            assert!(start.elapsed() < Duration::from_secs(30), "{what} never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    listening("serve");

    let tmux = Tmux { socket: format!("hubsync-handover-{}", std::process::id()) };
    let command = format!("{bin} --data-dir {} --lang zh --listen 127.0.0.1:0 --no-discovery", dir.path().display());
    tmux.run(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &command]);
    tmux.wait_for("锦江区社区社会组织联合会");
    listening("the UI");
    // Typed in another terminal while the UI is open: it runs in the UI, which shows it.
    cli(
        dir.path(),
        &["org", "add", "--name", "玉林社区夕阳红舞蹈队", "--category", "文体娱乐", "--division", "510104001002"],
    );
    tmux.wait_for("玉林社区夕阳红舞蹈队");
    tmux.quit();

    listening("serve again");
    let out =
        Command::new(bin).arg("--data-dir").arg(dir.path()).args(["org", "list", "--format", "csv"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("玉林社区夕阳红舞蹈队"), "{out:?}");
    assert!(serve.0.try_wait().unwrap().is_none(), "the same serve process took the directory back");
}

/// A child process killed when the test ends, passed or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

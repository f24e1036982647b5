//! The real binary in a terminal (tmux): type into a form, save, quit, and
//! find the record in the store.

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

#[test]
fn typing_into_the_form_stores_the_record() {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success()),
        "this test needs tmux (.ci/run installs it)"
    );
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

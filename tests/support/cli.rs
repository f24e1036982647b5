//! The binary as a secretary's shell starts it: no locale variables (so
//! Chinese), one data directory, nothing on standard input. One copy for
//! every test that drives the CLI.

#![allow(dead_code)] // each test file uses one of the two

use std::path::Path;
use std::process::{Command, Stdio};

/// `hubsync --data-dir DIR`, ready for arguments.
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hubsync"));
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("HUBSYNC_DIR")
        .stdin(Stdio::null());
    c
}

/// The same, with assert_cmd's assertions.
pub fn hubsync(dir: impl AsRef<Path>) -> assert_cmd::Command {
    assert_cmd::Command::from_std(command(dir.as_ref()))
}

//! Where a command's output goes. Run in its own process, a command prints
//! to the process's standard output and error. Run by a node for a CLI
//! client over the control channel (`crate::control`), the same code
//! prints into buffers on the thread that runs it, and the node sends them
//! back, so the client prints exactly what it would have printed alone.
//!
//! Front-end code prints only through `out!`, `outln!`, `errln!` and
//! `write_stdout`, never with `println!`.

#![allow(clippy::print_stdout, clippy::print_stderr)] // the one place that prints

use crate::control::ProgressSink;
use anyhow::Result;
use std::cell::RefCell;
use std::fmt;

/// Output a command may leave for its client, per stream.
pub use crate::control::MAX_OUTPUT as CAPTURE_LIMIT;

thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

/// A command's output being captured, and where its progress bars go
/// when its client watches them (`crate::control::Request::progress`).
struct Capture {
    captured: Captured,
    progress: Option<ProgressSink>,
}

/// What a command printed while captured.
#[derive(Debug, Default)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Output was dropped at `CAPTURE_LIMIT`.
    pub overflowed: bool,
}

/// Runs `f` with this thread's output captured, and returns what it
/// printed. The capture ends even if `f` panics.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Captured) {
    capture_with(None, f)
}

/// `capture`, with the command's progress bars sent to `progress`.
pub fn capture_with<T>(progress: Option<ProgressSink>, f: impl FnOnce() -> T) -> (T, Captured) {
    struct End;
    impl Drop for End {
        fn drop(&mut self) {
            CAPTURE.with(|c| c.borrow_mut().take());
        }
    }
    CAPTURE.with(|c| *c.borrow_mut() = Some(Capture { captured: Captured::default(), progress }));
    let end = End;
    let value = f();
    let captured = CAPTURE.with(|c| c.borrow_mut().take()).map(|c| c.captured).unwrap_or_default();
    drop(end);
    (value, captured)
}

/// True while this thread's output goes to a client.
pub fn capturing() -> bool {
    CAPTURE.with(|c| c.borrow().is_some())
}

/// Where this thread's progress bars go, while captured for a client that
/// watches them.
pub fn progress_sink() -> Option<ProgressSink> {
    CAPTURE.with(|c| c.borrow().as_ref().and_then(|c| c.progress.clone()))
}

/// Appends to the captured stream; false when nothing is being captured.
fn append(err: bool, bytes: &[u8]) -> bool {
    CAPTURE.with(|c| match c.borrow_mut().as_mut() {
        Some(Capture { captured: cap, .. }) => {
            let stream = if err { &mut cap.stderr } else { &mut cap.stdout };
            if stream.len() + bytes.len() > CAPTURE_LIMIT {
                cap.overflowed = true;
            } else {
                stream.extend_from_slice(bytes);
            }
            true
        }
        None => false,
    })
}

/// `out!`: standard output.
pub fn out(args: fmt::Arguments) {
    let captured = match args.as_str() {
        Some(s) => append(false, s.as_bytes()),
        None => append(false, args.to_string().as_bytes()),
    };
    if !captured {
        // print! panics on a closed pipe; main's hook ends the process quietly.
        print!("{args}");
    }
}

/// `errln!`: standard error.
pub fn err(args: fmt::Arguments) {
    if !append(true, args.to_string().as_bytes()) {
        eprint!("{args}");
    }
}

/// Writes bytes to standard output; a closed pipe becomes `ClosedStdout`,
/// which main turns into a quiet exit.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if capturing() {
        append(false, bytes);
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe || (cfg!(windows) && e.raw_os_error() == Some(232)) => {
            Err(super::ClosedStdout.into())
        }
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_output_stays_on_its_thread_and_ends_with_the_capture() {
        let ((), cap) = capture(|| {
            outln!("第一行 {}", 1);
            out!("no newline");
            errln!("提示 (warning): {}", "x");
            write_stdout(b"\nbytes").unwrap();
        });
        assert_eq!(String::from_utf8(cap.stdout).unwrap(), "第一行 1\nno newline\nbytes");
        assert_eq!(String::from_utf8(cap.stderr).unwrap(), "提示 (warning): x\n");
        assert!(!cap.overflowed);
        assert!(CAPTURE.with(|c| c.borrow().is_none()));
    }

    #[test]
    fn a_panic_inside_ends_the_capture() {
        let caught = std::panic::catch_unwind(|| capture(|| panic!("boom")));
        assert!(caught.is_err());
        assert!(CAPTURE.with(|c| c.borrow().is_none()));
    }
}

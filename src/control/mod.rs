//! The control channel: how a CLI command reaches a running node.
//!
//! A node (the terminal UI, or `hubsync serve`) holds its data directory's
//! store open, so a second process cannot open it. Instead the CLI sends
//! the node its command line, and the node runs the command in-process
//! against the open store and sends back what it printed and its exit code;
//! the CLI prints that and exits with that code. A secretary sees the same
//! output whether or not a node runs.
//!
//! Transport: a Unix domain socket `control.sock` in the data directory
//! (mode 0600; the node also checks that the peer process runs as its own
//! user), or on Windows a named pipe derived from the data directory that
//! refuses remote clients; there the client checks that the pipe's server
//! runs as its own user (`pipe_owner`), as another user could create a pipe
//! of that name first.
//!
//! Protocol, kept small and bounded:
//! - client → node: one frame, a 4-byte big-endian length then a JSON
//!   `Request` of at most `MAX_REQUEST` bytes;
//! - node → client: frames of a kind byte (1 stdout, 2 stderr, 3 exit,
//!   4 progress) and a 4-byte big-endian length, then that many bytes
//!   (output chunks of at most `MAX_CHUNK`; the exit frame holds the code as
//!   4 bytes). The node caps each stream at `MAX_OUTPUT`.
//! - progress frames (a JSON `ProgressUpdate` of at most `MAX_PROGRESS`
//!   bytes) come only while the command runs, before its output and exit
//!   frames, and only when the request asked (`Request::progress`: the
//!   client's standard error is a terminal). They carry a bar's label and
//!   (done, total), at most `PROGRESS_EVERY` apart, and a last one saying
//!   the bar is finished, so the client draws the bar the command would
//!   have drawn alone and clears it before printing the output.
//!
//! This module knows nothing of the CLI: the node is given a `Handler`
//! (main wires in `cli::node::handler`) that turns a request into a reply.

pub mod client;
#[cfg(windows)]
mod pipe_owner;
mod server;

pub use server::{listen, Listening};

use crate::store::StoreHandle;
use crate::sync::Daemon;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest request a node reads.
pub const MAX_REQUEST: u32 = 1 << 20;
/// Output a command may send back, per stream. Past it the command fails
/// and asks for a file instead (`--output`), rather than letting one export
/// fill the node's memory.
pub const MAX_OUTPUT: usize = 256 << 20;
/// Largest output chunk in one frame.
pub const MAX_CHUNK: usize = 1 << 20;

const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const EXIT: u8 = 3;
const PROGRESS: u8 = 4;

/// Largest progress frame; a label is cut to `MAX_LABEL` bytes to fit.
pub const MAX_PROGRESS: usize = 1024;
const MAX_LABEL: usize = 200;
/// Least time between two progress frames of a bar (a 31k-row import
/// tells its progress per row; a person sees ten updates a second).
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The socket's file name in the data directory.
pub const SOCKET: &str = "control.sock";

/// A command line for the node to run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Request {
    /// The client's version: a node of another version refuses, rather
    /// than run a command line it may parse differently.
    pub version: String,
    /// The command line as typed, program name first.
    pub argv: Vec<String>,
    /// The language the client resolved (`--lang`, else its locale): "zh" or "en".
    pub lang: String,
    /// The client's working directory: relative paths are resolved against it.
    pub cwd: PathBuf,
    /// What is asked: run `argv` (a node built before knows only this).
    #[serde(default)]
    pub action: Action,
    /// Send the command's progress bars as it runs (the client's standard
    /// error is a terminal a person watches).
    #[serde(default)]
    pub progress: bool,
}

/// What a client asks of a node.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub enum Action {
    /// Run the command line `argv`.
    #[default]
    Run,
    /// Let go of the data directory for the UI (`client::take_over`): a
    /// `hubsync serve` stops serving, closes its store, answers, and takes
    /// the directory back when the UI closes it. A node that is itself a
    /// UI refuses.
    HandOver,
}

/// What the command printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
}

/// What a node lends the commands it runs for clients.
#[derive(Clone)]
pub struct NodeParts {
    pub store: StoreHandle,
    /// The running sync daemon, if the node syncs (not `--offline`).
    pub daemon: Option<Arc<Daemon>>,
    pub dir: PathBuf,
    /// Where a `HandOver` is passed on; None for a node that does not hand
    /// over (the UI).
    pub hand_over: Option<tokio::sync::mpsc::Sender<HandOverAsked>>,
}

/// A client's `Action::HandOver`, passed to the node.
pub struct HandOverAsked {
    /// Told by the node once its store is closed; then the client is answered.
    pub closed: tokio::sync::oneshot::Sender<()>,
    /// Resolves once the client has its answer (or could not be answered):
    /// the node waits for it before ending the tasks that would write it.
    pub answered: tokio::sync::oneshot::Receiver<()>,
}

/// Runs one request in the node; the sink is there when the client asked
/// for progress.
pub type Handler =
    Arc<dyn Fn(Request, NodeParts, Option<ProgressSink>) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

/// A progress bar's state, as a node sends it to its client.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProgressUpdate {
    pub label: String,
    pub done: u64,
    pub total: u64,
    /// The bar is gone: the client clears it.
    pub finished: bool,
}

/// Where a command run for a client tells its progress. Updates closer
/// than `PROGRESS_EVERY` are dropped here, so a fast loop neither floods
/// the socket nor queues in memory; a new label, a new total and the end
/// always go through.
#[derive(Clone)]
pub struct ProgressSink {
    tx: tokio::sync::mpsc::UnboundedSender<ProgressUpdate>,
    last: Arc<Mutex<Option<(ProgressUpdate, Instant)>>>,
}

impl ProgressSink {
    /// A sink and the receiving end the node writes frames from.
    pub fn channel() -> (ProgressSink, tokio::sync::mpsc::UnboundedReceiver<ProgressUpdate>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (ProgressSink { tx, last: Arc::default() }, rx)
    }

    pub fn send(&self, mut update: ProgressUpdate) {
        if update.label.len() > MAX_LABEL {
            let mut end = MAX_LABEL;
            while !update.label.is_char_boundary(end) {
                end -= 1;
            }
            update.label.truncate(end);
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let due = match &*last {
            None => true,
            Some((sent, at)) => {
                update.finished
                    || sent.finished
                    || sent.label != update.label
                    || sent.total != update.total
                    || at.elapsed() >= PROGRESS_EVERY
            }
        };
        if due {
            *last = Some((update.clone(), Instant::now()));
            // The connection is gone: the command goes on regardless.
            let _ = self.tx.send(update);
        }
    }
}

/// The version a client and its node must share.
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The frames a reply travels in.
fn reply_frames(reply: &Reply) -> Vec<(u8, &[u8])> {
    let mut frames = Vec::new();
    for (kind, bytes) in [(STDOUT, &reply.stdout), (STDERR, &reply.stderr)] {
        for chunk in bytes.chunks(MAX_CHUNK) {
            frames.push((kind, chunk));
        }
    }
    frames
}

#[cfg(windows)]
/// The named pipe of a data directory: one per directory, so two nodes on
/// one machine do not meet.
pub fn pipe_name(dir: &std::path::Path) -> String {
    use sha2::Digest;
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let digest = sha2::Sha256::digest(dir.to_string_lossy().to_lowercase().as_bytes());
    format!(r"\\.\pipe\hubsync-{}", &hex::encode(digest)[..24])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(label: &str, done: u64, total: u64, finished: bool) -> ProgressUpdate {
        ProgressUpdate { label: label.into(), done, total, finished }
    }

    #[test]
    fn a_fast_bar_is_thinned_but_its_start_total_and_end_go_through() {
        let (sink, mut rx) = ProgressSink::channel();
        sink.send(update("导入", 0, 0, false));
        for done in 0..=31_000 {
            sink.send(update("导入", done, 31_000, false));
        }
        sink.send(update("导入", 0, 0, true));
        sink.send(update(&"长".repeat(100), 0, 0, false));
        drop(sink);
        let mut sent = Vec::new();
        while let Ok(u) = rx.try_recv() {
            sent.push(u);
        }
        assert!(sent.len() <= 8, "{} updates", sent.len());
        assert_eq!(sent[0], update("导入", 0, 0, false));
        assert_eq!(sent[1], update("导入", 0, 31_000, false));
        assert!(sent[sent.len() - 2].finished);
        let cut = &sent[sent.len() - 1].label;
        assert!(cut.len() <= MAX_LABEL && cut.chars().all(|c| c == '长'), "{cut}");
    }
}

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
//! - node → client: frames of a kind byte (1 stdout, 2 stderr, 3 exit) and a
//!   4-byte big-endian length, then that many bytes (output chunks of at
//!   most `MAX_CHUNK`; the exit frame holds the code as 4 bytes). The node
//!   caps each stream at `MAX_OUTPUT`.
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
use std::sync::Arc;

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

/// Runs one request in the node.
pub type Handler = Arc<dyn Fn(Request, NodeParts) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

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

//! Peer-to-peer sync: device identity, trust and grants, the QUIC transport
//! and the sync sessions. No central server.

pub mod authorship;
mod client;
mod compact;
pub mod daemon;
pub mod discovery;
pub mod failure;
pub mod forward;
pub mod identity;
pub mod invite;
pub mod limits;
mod offered;
pub mod offers;
pub mod pin;
mod policy;
mod serve;
pub mod session;
pub mod short;
pub mod text;
pub mod transport;
pub mod trust;
mod wire;

pub use client::sync_once;
pub use daemon::{Daemon, DaemonConfig, NodeStatus};
pub use failure::{FailureKind, SessionError};
pub use identity::{Identity, NodeId};
pub use limits::Limits;
pub use session::{status, Node, Progress, Summary};
pub use trust::{Grant, Peer, Peers};

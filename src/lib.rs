//! hubsync: local-first records and peer-to-peer sync for federations of
//! community social organizations (社区社会组织联合会).

pub mod cli;
pub mod clock;
pub mod control;
pub mod domain;
pub mod io;
pub mod ops;
pub mod private_fs;
pub mod store;
pub mod sync;
pub mod tui;

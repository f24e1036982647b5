//! A lying client's raw connection to a node's control channel: a Unix
//! socket, or on Windows the named pipe. Shared by tests/node.rs and
//! tests/control_channel.rs.

use std::path::Path;

#[cfg(unix)]
pub fn raw_connection(dir: &Path) -> std::os::unix::net::UnixStream {
    let s = std::os::unix::net::UnixStream::connect(dir.join(hubsync::control::SOCKET)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    s
}

#[cfg(windows)]
pub fn raw_connection(dir: &Path) -> std::fs::File {
    std::fs::OpenOptions::new().read(true).write(true).open(hubsync::control::pipe_name(dir)).unwrap()
}

/// Bytes read before the node hangs up. A named pipe reports the hang-up
/// as ERROR_BROKEN_PIPE (109) rather than an end of file.
pub fn read_until_hangup(s: &mut impl std::io::Read) -> usize {
    let mut read = Vec::new();
    match s.read_to_end(&mut read) {
        Ok(_) => read.len(),
        Err(e) if cfg!(windows) && e.raw_os_error() == Some(109) => read.len(),
        Err(e) => panic!("reading the control channel: {e}"),
    }
}

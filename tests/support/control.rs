//! A lying client's raw connection to a node's control channel: a Unix
//! socket, or on Windows the named pipe. Shared by tests/node.rs and
//! tests/control_channel.rs.

use std::path::Path;

#[cfg(unix)]
pub fn raw_connection(dir: &Path) -> std::os::unix::net::UnixStream {
    let s = std::os::unix::net::UnixStream::connect(dir.join(hubsync::control::SOCKET)).unwrap();
    s.set_read_timeout(Some(HANGUP_WITHIN)).unwrap();
    s
}

#[cfg(windows)]
pub fn raw_connection(dir: &Path) -> std::fs::File {
    std::fs::OpenOptions::new().read(true).write(true).open(hubsync::control::pipe_name(dir)).unwrap()
}

/// How long a test waits for the node to hang up before it fails.
const HANGUP_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Bytes read before the node hangs up.
#[cfg(unix)]
pub fn read_until_hangup(s: &mut std::os::unix::net::UnixStream) -> usize {
    // `raw_connection` set a read timeout: a node that stops hanging up
    // fails the test instead of hanging it.
    let mut read = Vec::new();
    match std::io::Read::read_to_end(s, &mut read) {
        Ok(_) => read.len(),
        Err(e) => panic!("reading the control channel (no hang-up within {HANGUP_WITHIN:?}?): {e}"),
    }
}

/// Bytes read before the node hangs up. A named pipe has no read timeout,
/// so the read runs on a thread and the test fails if it has not ended in
/// time; a pipe reports the hang-up as ERROR_BROKEN_PIPE (109) rather than
/// an end of file.
#[cfg(windows)]
pub fn read_until_hangup(s: &mut std::fs::File) -> usize {
    let mut pipe = s.try_clone().expect("duplicating the pipe handle");
    let (done, outcome) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut read = Vec::new();
        let result = match std::io::Read::read_to_end(&mut pipe, &mut read) {
            Err(e) if e.raw_os_error() != Some(109) => Err(e),
            _ => Ok(read.len()),
        };
        let _ = done.send(result);
    });
    match outcome.recv_timeout(HANGUP_WITHIN) {
        Ok(Ok(n)) => n,
        Ok(Err(e)) => panic!("reading the control channel: {e}"),
        Err(_) => panic!("the node did not hang up within {HANGUP_WITHIN:?}"),
    }
}

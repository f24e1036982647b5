//! The CLI's side of the control channel: blocking, no runtime needed.

use super::{
    Action, ProgressUpdate, Reply, Request, EXIT, MAX_CHUNK, MAX_OUTPUT, MAX_PROGRESS, MAX_REQUEST, PROGRESS, STDERR,
    STDOUT,
};
use crate::store::{Store, StoreError};
use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::path::Path;

/// What a node sends before the exit code.
#[derive(Debug)]
pub enum Frame<'a> {
    Stdout(&'a [u8]),
    Stderr(&'a [u8]),
    /// A progress bar's state, while the command runs (only when the
    /// request asked for it); output frames come after.
    Progress(ProgressUpdate),
}

/// Sends `request` to the node running on `dir` and returns its exit code;
/// `None` when no node listens there (then the command runs in this
/// process). `on_frame` gets each frame as it arrives, so a long export's
/// text streams to the terminal.
pub fn send(dir: &Path, request: &Request, mut on_frame: impl FnMut(Frame) -> Result<()>) -> Result<Option<i32>> {
    let Some(mut stream) = platform::connect(dir)? else {
        return Ok(None);
    };
    let body = serde_json::to_vec(request)?;
    if body.len() > MAX_REQUEST as usize {
        bail!("命令行过长: {} 字节 (command line of {} bytes is too long for the node)", body.len(), body.len());
    }
    stream.write_all(&(body.len() as u32).to_be_bytes())?;
    stream.write_all(&body)?;
    stream.flush()?;
    let lost = || "与运行中的节点的连接中断 (the running node closed the control channel before the command finished)";
    let mut total = 0usize;
    loop {
        let mut head = [0u8; 5];
        stream.read_exact(&mut head).context(lost())?;
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if head[0] == PROGRESS {
            if len > MAX_PROGRESS {
                bail!("节点的回复过大 (the node's reply exceeds the limit)");
            }
            let mut bytes = vec![0; len];
            stream.read_exact(&mut bytes).context(lost())?;
            let update = serde_json::from_slice(&bytes)
                .context("节点的回复格式错误: 进度帧 (malformed reply from the node: progress frame)")?;
            on_frame(Frame::Progress(update))?;
            continue;
        }
        if len > MAX_CHUNK || total + len > 2 * MAX_OUTPUT {
            bail!("节点的回复过大 (the node's reply exceeds the limit)");
        }
        total += len;
        let mut bytes = vec![0; len];
        stream.read_exact(&mut bytes).context(lost())?;
        match head[0] {
            STDOUT => on_frame(Frame::Stdout(&bytes))?,
            STDERR => on_frame(Frame::Stderr(&bytes))?,
            EXIT if len == 4 => return Ok(Some(i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))),
            kind => bail!("节点的回复格式错误: 帧类型 {kind} (malformed reply from the node: frame kind {kind})"),
        }
    }
}

/// True when a node answers on `dir`'s control channel.
pub fn is_listening(dir: &Path) -> bool {
    matches!(platform::connect(dir), Ok(Some(_)))
}

/// Opens `dir`'s store for the UI while a `hubsync serve` holds it: asks
/// the node to hand the directory over (it closes its store and answers),
/// then opens it. The node takes the directory back once it is free again.
/// A node that is itself a UI refuses, and the error says so.
pub fn take_over(dir: &Path) -> Result<Store> {
    use std::time::{Duration, Instant};
    let request = Request {
        version: super::version(),
        argv: Vec::new(),
        lang: "zh".into(),
        cwd: std::path::PathBuf::new(),
        action: Action::HandOver,
        progress: false,
    };
    // Asked again if the node took the directory back before this process
    // could open it (it tries once a second).
    for _ in 0..3 {
        match call(dir, &request)? {
            // Gone meanwhile: the directory is free, or another process has it.
            None => {}
            Some(reply) if reply.code == 0 => {}
            Some(reply) => {
                let text = String::from_utf8_lossy(&reply.stderr);
                bail!("{}", text.trim().trim_start_matches("错误 (error): "))
            }
        }
        // A CLI command that found no node meanwhile may hold it a moment.
        let start = Instant::now();
        loop {
            match Store::open(dir) {
                Err(StoreError::InUse(_)) if is_listening(dir) => break,
                Err(StoreError::InUse(_)) if start.elapsed() < Duration::from_secs(5) => {
                    std::thread::sleep(Duration::from_millis(200))
                }
                other => return Ok(other?),
            }
        }
    }
    Ok(Store::open(dir)?)
}

/// Sends `request` and collects the whole reply (tests, scripts).
pub fn call(dir: &Path, request: &Request) -> Result<Option<Reply>> {
    let mut reply = Reply::default();
    let code = send(dir, request, |frame| {
        match frame {
            Frame::Stdout(bytes) => reply.stdout.extend_from_slice(bytes),
            Frame::Stderr(bytes) => reply.stderr.extend_from_slice(bytes),
            Frame::Progress(_) => {}
        }
        Ok(())
    })?;
    Ok(code.map(|code| Reply { code, ..reply }))
}

#[cfg(unix)]
mod platform {
    use super::*;
    use std::os::unix::net::UnixStream;

    pub fn connect(dir: &Path) -> Result<Option<UnixStream>> {
        let path = dir.join(crate::control::SOCKET);
        match UnixStream::connect(&path) {
            Ok(s) => Ok(Some(s)),
            // No socket, or one left by a node that is gone.
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused) => {
                Ok(None)
            }
            Err(e) => Err(e).with_context(|| {
                format!("无法连接运行中的节点 {} (cannot reach the running node's control socket)", path.display())
            }),
        }
    }
}

#[cfg(windows)]
mod platform {
    use super::*;

    pub fn connect(dir: &Path) -> Result<Option<std::fs::File>> {
        let name = crate::control::pipe_name(dir);
        for _ in 0..50 {
            match std::fs::OpenOptions::new().read(true).write(true).open(&name) {
                Ok(f) => {
                    return match crate::control::pipe_owner::served_by_this_user(&f) {
                        Ok(true) => Ok(Some(f)),
                        Ok(false) => bail!(
                            "控制通道 {name} 由另一个用户的进程提供,命令未发送 (the control pipe is served by another user's process: the command was not sent to it)"
                        ),
                        Err(e) => Err(e).with_context(|| {
                            format!("无法确认控制通道 {name} 属于本用户,命令未发送 (cannot confirm the control pipe is this user's: the command was not sent)")
                        }),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                // ERROR_PIPE_BUSY: every instance is serving; the node makes another.
                Err(e) if e.raw_os_error() == Some(231) => std::thread::sleep(std::time::Duration::from_millis(100)),
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("无法连接运行中的节点 {name} (cannot reach the running node's control pipe)")
                    })
                }
            }
        }
        bail!("运行中的节点忙 {name} (the running node's control pipe stayed busy)")
    }
}

//! The node's side of the control channel.

use super::{
    reply_frames, Action, HandOverAsked, Handler, NodeParts, ProgressSink, Reply, Request, EXIT, MAX_PROGRESS,
    MAX_REQUEST, PROGRESS,
};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Semaphore;

/// How long a client may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Clients served at once; more wait their turn (commands run one at a
/// time on the store thread anyway).
const CONNECTIONS: usize = 8;

/// A listening control channel; dropping it stops accepting and removes the socket.
pub struct Listening {
    /// The socket file or pipe name clients connect to.
    pub address: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.task.abort();
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.address);
    }
}

/// Starts accepting CLI commands for the node's data directory, in the
/// current tokio runtime. Call it only while holding the store (the open
/// store's lock is what makes this node the only one for the directory).
pub fn listen(node: NodeParts, handler: Handler) -> Result<Listening> {
    platform::listen(node, handler)
}

/// Reads one request, runs it, writes the reply.
async fn serve_one<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, node: NodeParts, handler: Handler) -> Result<()> {
    let Some(request) = tokio::time::timeout(REQUEST_TIMEOUT, read_request(&mut stream))
        .await
        .context("控制通道请求超时 (control request timed out)")??
    else {
        return Ok(());
    };
    if request.version != super::version() {
        let refused = refusal(format!(
            "错误 (error): 运行中的节点版本 {} 与命令行版本 {} 不同,请重启节点 (the running node is version {}, this command line {}: restart the node)\n",
            super::version(),
            request.version,
            super::version(),
            request.version
        ));
        return write_reply(&mut stream, &refused).await;
    }
    match request.action {
        Action::Run => run(&mut stream, request, node, handler).await,
        Action::HandOver => hand_over(&mut stream, &node).await,
    }
}

/// Runs a command line, writing its progress while it runs (when asked),
/// then its output and exit code.
async fn run<S: AsyncWrite + Unpin>(stream: &mut S, request: Request, node: NodeParts, handler: Handler) -> Result<()> {
    let (sink, mut updates) = ProgressSink::channel();
    // Progress is best effort: a failed write ends the progress, and the
    // command still runs to its end, as it would without it.
    let mut sending = request.progress;
    let mut work = handler(request, node, sending.then_some(sink));
    let reply = loop {
        tokio::select! {
            reply = &mut work => break reply,
            Some(update) = updates.recv(), if sending => sending = write_progress(stream, &update).await?,
        }
    };
    // What the work told just before it ended (its last step, the bar's
    // end) is still queued: sent before the output, not lost to the race.
    while let (true, Ok(update)) = (sending, updates.try_recv()) {
        sending = write_progress(stream, &update).await?;
    }
    write_reply(stream, &reply).await
}

/// One progress frame; false once the client can no longer be written to.
async fn write_progress<S: AsyncWrite + Unpin>(stream: &mut S, update: &super::ProgressUpdate) -> Result<bool> {
    let body = serde_json::to_vec(update)?;
    Ok(body.len() > MAX_PROGRESS || write_frame(stream, PROGRESS, &body).await.is_ok())
}

async fn write_frame<S: AsyncWrite + Unpin>(stream: &mut S, kind: u8, bytes: &[u8]) -> Result<()> {
    stream.write_u8(kind).await?;
    stream.write_u32(bytes.len() as u32).await?;
    stream.write_all(bytes).await?;
    stream.flush().await?;
    Ok(())
}

/// Asks the node to close its store for the UI and answers once it is
/// closed; the node goes on to end its tasks once the answer is written.
async fn hand_over<S: AsyncWrite + Unpin>(stream: &mut S, node: &NodeParts) -> Result<()> {
    let Some(hand_over) = &node.hand_over else {
        let refused = refusal(format!(
            "错误 (error): 数据目录 {} 已在另一个界面中打开,一次只能打开一个界面 (the data directory is open in another hubsync UI: one UI at a time)\n",
            node.dir.display()
        ));
        return write_reply(stream, &refused).await;
    };
    let (closed_tx, closed) = tokio::sync::oneshot::channel();
    // Dropped when this returns, written or not: the node then goes on.
    let (_answered, answered) = tokio::sync::oneshot::channel();
    let asked = HandOverAsked { closed: closed_tx, answered };
    if hand_over.send(asked).await.is_err() || closed.await.is_err() {
        let failed =
            "错误 (error): 运行中的节点未能交出数据目录 (the running node could not hand over the data directory)\n";
        return write_reply(stream, &refusal(failed.into())).await;
    }
    write_reply(stream, &Reply::default()).await
}

fn refusal(text: String) -> Reply {
    Reply { stdout: Vec::new(), stderr: text.into_bytes(), code: 1 }
}

/// The client's request; None when it hung up before sending a byte, as
/// `client::is_listening` does (nothing to log).
async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Result<Option<Request>> {
    let mut first = [0u8; 1];
    if stream.read(&mut first).await.context("读取控制请求 (reading a control request)")? == 0 {
        return Ok(None);
    }
    let mut rest = [0u8; 3];
    stream.read_exact(&mut rest).await.context("读取控制请求 (reading a control request)")?;
    let len = u32::from_be_bytes([first[0], rest[0], rest[1], rest[2]]);
    if len > MAX_REQUEST {
        bail!("控制请求过大: {len} 字节 (control request of {len} bytes exceeds {MAX_REQUEST})");
    }
    let mut bytes = vec![0; len as usize];
    stream.read_exact(&mut bytes).await.context("读取控制请求 (reading a control request)")?;
    serde_json::from_slice(&bytes).map(Some).context("控制请求格式错误 (malformed control request)")
}

async fn write_reply<S: AsyncWrite + Unpin>(stream: &mut S, reply: &Reply) -> Result<()> {
    for (kind, chunk) in reply_frames(reply) {
        stream.write_u8(kind).await?;
        stream.write_u32(chunk.len() as u32).await?;
        stream.write_all(chunk).await?;
    }
    stream.write_u8(EXIT).await?;
    stream.write_u32(4).await?;
    stream.write_i32(reply.code).await?;
    stream.flush().await?;
    Ok(())
}

/// Serves one accepted connection on its own task.
fn spawn_connection<S>(stream: S, node: &NodeParts, handler: &Handler, slots: &Arc<Semaphore>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (node, handler, slots) = (node.clone(), handler.clone(), slots.clone());
    tokio::spawn(async move {
        let Ok(_slot) = slots.acquire_owned().await else { return };
        if let Err(e) = serve_one(stream, node, handler).await {
            tracing::warn!("control channel: {e:#}");
        }
    });
}

#[cfg(unix)]
mod platform {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::path::Path;
    use tokio::net::UnixListener;

    pub fn listen(node: NodeParts, handler: Handler) -> Result<Listening> {
        let path = node.dir.join(super::super::SOCKET);
        remove_stale(&path)?;
        let listener = UnixListener::bind(&path)
            .with_context(|| format!("无法打开控制通道 {} (cannot open the control socket)", path.display()))?;
        // Only this user may connect: the file's mode, and each peer's uid
        // below (the mode alone leaves a moment between bind and chmod).
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        let own_uid = std::fs::metadata(&path)?.uid();
        let slots = Arc::new(Semaphore::new(CONNECTIONS));
        let task = tokio::spawn(async move {
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        tracing::warn!("control channel: accept: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                match stream.peer_cred() {
                    Ok(cred) if cred.uid() == own_uid => spawn_connection(stream, &node, &handler, &slots),
                    Ok(cred) => tracing::warn!("control channel: refused a process of user {}", cred.uid()),
                    Err(e) => tracing::warn!("control channel: no peer credentials: {e}"),
                }
            }
        });
        Ok(Listening { address: path, task })
    }

    /// A socket left by a node that died. The store's lock, held by the
    /// caller, means no live node owns it.
    fn remove_stale(path: &Path) -> Result<()> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_dir() => {
                bail!("{} 是目录,不是控制通道 (is a directory, not the control socket)", path.display())
            }
            Ok(_) => std::fs::remove_file(path).with_context(|| {
                format!("无法移除旧的控制通道 {} (cannot remove a stale control socket)", path.display())
            }),
            Err(_) => Ok(()),
        }
    }
}

#[cfg(windows)]
mod platform {
    use super::*;
    use tokio::net::windows::named_pipe::ServerOptions;

    pub fn listen(node: NodeParts, handler: Handler) -> Result<Listening> {
        let name = super::super::pipe_name(&node.dir);
        // The default security of a named pipe lets only its creator (and
        // administrators) write to it; remote clients are refused outright.
        let mut server = ServerOptions::new()
            .first_pipe_instance(true)
            .reject_remote_clients(true)
            .create(&name)
            .with_context(|| format!("无法打开控制通道 {name} (cannot open the control pipe)"))?;
        let slots = Arc::new(Semaphore::new(CONNECTIONS));
        let pipe = name.clone();
        let task = tokio::spawn(async move {
            loop {
                if let Err(e) = server.connect().await {
                    tracing::warn!("control channel: connect: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
                let next = match ServerOptions::new().reject_remote_clients(true).create(&pipe) {
                    Ok(next) => next,
                    Err(e) => {
                        tracing::warn!("control channel: {e}");
                        return;
                    }
                };
                let connected = std::mem::replace(&mut server, next);
                spawn_connection(connected, &node, &handler, &slots);
            }
        });
        Ok(Listening { address: PathBuf::from(name), task })
    }
}

//! The CLI and a running node (`crate::control`): a command line typed
//! while a node holds the data directory is forwarded to it; a node runs
//! the command lines its clients send, exactly as the CLI would on its own.

use super::out::{capture, capture_with, Captured, CAPTURE_LIMIT};
use super::progress::Bar;
use super::{execute, peers, Cli, Command};
use crate::control::client::Frame;
use crate::control::{self, Handler, NodeParts, ProgressSink, ProgressUpdate, Reply, Request};
use crate::domain::Lang;
use crate::ops;
use crate::store::Origin;
use anyhow::Result;
use clap::Parser;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs this process's command line in the node that holds `dir`, printing
/// what it prints; the exit code, or None when no node listens there.
pub fn forward(dir: &Path, lang: Lang) -> Result<Option<i32>> {
    // A command line that is not UTF-8 (a path in a legacy encoding) runs
    // here; if a node holds the store, opening it says so.
    let Some(argv) = std::env::args_os().map(|a| a.into_string().ok()).collect::<Option<Vec<String>>>() else {
        return Ok(None);
    };
    let request = Request {
        version: control::version(),
        argv,
        lang: match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
        .into(),
        cwd: std::env::current_dir()?,
        action: control::Action::Run,
        progress: std::io::stderr().is_terminal(),
    };
    let mut bar = ClientBar::default();
    let code = control::client::send(dir, &request, |frame| match frame {
        Frame::Progress(update) => {
            bar.show(&update);
            Ok(())
        }
        Frame::Stdout(bytes) => {
            bar.clear();
            super::write_stdout(bytes)
        }
        Frame::Stderr(bytes) => {
            bar.clear();
            let mut stderr = std::io::stderr().lock();
            stderr.write_all(bytes)?;
            Ok(stderr.flush()?)
        }
    });
    bar.clear();
    code
}

/// The node's bar, drawn here as the command would draw it alone.
#[derive(Default)]
struct ClientBar(Option<(String, indicatif::ProgressBar)>);

impl ClientBar {
    fn show(&mut self, update: &ProgressUpdate) {
        if update.finished || !matches!(&self.0, Some((label, _)) if *label == update.label) {
            self.clear();
        }
        if update.finished {
            return;
        }
        let (_, drawn) = self.0.get_or_insert_with(|| (update.label.clone(), super::progress::drawn(&update.label)));
        // A bar just begun has no length yet, as when drawn alone.
        if update.total > 0 {
            drawn.set_length(update.total);
            drawn.set_position(update.done);
        }
    }

    fn clear(&mut self) {
        if let Some((_, bar)) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}

/// Like `forward`, for a node that holds the store but may not listen yet
/// (it opens its store first): tries for a few seconds.
pub fn forward_when_ready(dir: &Path, lang: Lang) -> Result<i32> {
    let start = Instant::now();
    loop {
        if let Some(code) = forward(dir, lang)? {
            return Ok(code);
        }
        if start.elapsed() > Duration::from_secs(3) {
            anyhow::bail!("no node answered");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What a node runs for each client (`control::listen`).
pub fn handler() -> Handler {
    Arc::new(|request, node, progress| Box::pin(run_request(request, node, progress)))
}

async fn run_request(request: Request, node: NodeParts, progress: Option<ProgressSink>) -> Reply {
    let lang = if request.lang == "en" { Lang::En } else { Lang::Zh };
    let command = match Cli::try_parse_from(&request.argv) {
        Ok(Cli { command: Some(command), .. }) => command,
        Ok(_) => return failed(anyhow::anyhow!("没有命令 (no command)")),
        // The client parsed this line already; only a node of another build gets here.
        Err(e) => {
            return Reply { stdout: Vec::new(), stderr: e.render().to_string().into_bytes(), code: e.exit_code() }
        }
    };
    match command {
        Command::Serve { .. } => failed(anyhow::anyhow!(
            "此数据目录 {} 的节点已在运行 (a node already runs on this data directory)",
            node.dir.display()
        )),
        Command::Sync { peers: names } => {
            let bar = sync_bar(progress, lang);
            let env = ops::node::NodeEnv::new(node.store.clone(), node.daemon.clone(), node.dir.clone())
                .with_progress(peers::sessions_progress(&bar));
            let synced = ops::node::sync(&env, ops::node::SyncNow { peers: names }).await;
            bar.finish();
            reply(capture(|| peers::print_sync(lang, synced?)))
        }
        Command::Join { code, short, name } => {
            let bar = sync_bar(progress, lang);
            let env = ops::node::NodeEnv::new(node.store.clone(), node.daemon.clone(), node.dir.clone())
                .with_progress(peers::sessions_progress(&bar));
            let short = (!short.is_empty()).then(|| short.concat());
            let joined = ops::node::join(&env, ops::node::Join { code, short, name }).await;
            bar.finish();
            reply(capture(|| peers::print_join(lang, &joined?)))
        }
        command => {
            let cwd = request.cwd;
            let job = move |store: &mut crate::store::Store| {
                capture_with(progress, || execute(store, command, lang, Some(cwd)))
            };
            match node.store.try_call_from(Origin::Client, job).await {
                Ok(done) => reply(done),
                Err(e) => failed(e.into()),
            }
        }
    }
}

/// The bar `sync` and `join` draw alone, sent to a client that watches.
fn sync_bar(progress: Option<ProgressSink>, lang: Lang) -> Bar {
    match progress {
        Some(sink) => Bar::sent(sink, lang.pick("同步文档", "syncing documents")),
        None => Bar::hidden(),
    }
}

/// A command's result and output, as the client prints them: the same
/// error line as `cli::main`.
fn reply((result, captured): (Result<()>, Captured)) -> Reply {
    let mut reply = Reply { stdout: captured.stdout, stderr: captured.stderr, code: 0 };
    if captured.overflowed {
        reply.stdout.clear();
        reply.stderr.extend_from_slice(
            format!(
                "错误 (error): 输出超过 {} MiB,请用 --output 写入文件 (the output exceeds {} MiB: write it to a file with --output)\n",
                CAPTURE_LIMIT >> 20,
                CAPTURE_LIMIT >> 20
            )
            .as_bytes(),
        );
        reply.code = 1;
    }
    if let Err(e) = result {
        reply.stderr.extend_from_slice(format!("错误 (error): {e:#}\n").as_bytes());
        reply.code = 1;
    }
    reply
}

fn failed(e: anyhow::Error) -> Reply {
    reply((Err(e), Captured::default()))
}

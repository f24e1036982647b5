//! `hubsync serve`: a node kept running (often as a system service) that
//! accepts peers, syncs, and runs the CLI commands of this data directory
//! (`crate::control`). When the UI is opened on the directory it hands the
//! directory over and takes it back once the UI closes it.

use super::peers::{print_summary, runtime};
use crate::control::{self, HandOverAsked};
use crate::domain::Lang;
use crate::ops;
use crate::store::{Store, StoreError, StoreHandle};
use anyhow::Result;
use std::path::Path;
use std::time::Duration;

/// How `serve` was started.
pub struct ServeArgs<'a> {
    pub dir: &'a Path,
    pub lang: Lang,
    pub listen: &'a str,
    pub interval: u64,
    pub keep_backups: usize,
    pub discovery: bool,
}

/// Why a node's run ended.
enum Ended {
    /// Ctrl-C or SIGTERM.
    Stopped,
    /// The UI asked for the data directory (`control::Action::HandOver`).
    HandedOver,
}

/// Runs a node: accepts peers, and syncs with known peers periodically and
/// shortly after local changes (the same daemon the terminal UI runs), and
/// runs CLI commands for clients on this data directory (`crate::control`).
pub fn serve(store: Store, args: ServeArgs) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let lang = args.lang;
    let mut store = store;
    loop {
        let runtime = runtime()?;
        let ended = runtime.block_on(run(store, &args))?;
        // Ends every task of that run (the daemon, peers' sessions, backups),
        // and with them its endpoint: the UI may listen on the same port.
        runtime.shutdown_timeout(Duration::from_secs(2));
        match ended {
            Ended::Stopped => return Ok(()),
            Ended::HandedOver => outln!(
                "{}",
                lang.pick(
                    "数据目录已交给界面;界面关闭后节点继续运行",
                    "handed the data directory to the UI: the node goes on when the UI closes it"
                )
            ),
        }
        match wait_for_store(args.dir)? {
            Some(again) => store = again,
            None => return Ok(()),
        }
        outln!("{}", lang.pick("界面已关闭,节点继续运行", "the UI closed: the node goes on"));
    }
}

/// One run of the node on an open store, until stopped or handed over.
async fn run(store: Store, args: &ServeArgs<'_>) -> Result<Ended> {
    let (dir, lang) = (args.dir, args.lang);
    let handle = StoreHandle::spawn(store);
    let _daily = ops::backup::spawn_daily(handle.clone(), args.keep_backups);
    let env = ops::node::NodeEnv::new(handle.clone(), None, dir.to_path_buf());
    let cmd = ops::node::Serve {
        listen: args.listen.to_string(),
        interval: Some(Duration::from_secs(args.interval)),
        discovery: args.discovery,
        fallback_port: false,
    };
    let serving = ops::node::serve(&env, cmd)?;
    let daemon = serving.daemon;
    let (hand_over, mut asked) = tokio::sync::mpsc::channel::<HandOverAsked>(1);
    let parts = control::NodeParts {
        store: handle.clone(),
        daemon: Some(daemon.clone()),
        dir: dir.to_path_buf(),
        hand_over: Some(hand_over),
    };
    // Without the control channel the node still syncs; CLI commands then
    // report the data directory in use.
    let mut control = match control::listen(parts, super::node::handler()) {
        Ok(listening) => {
            tracing::info!("control channel: {}", listening.address.display());
            Some(listening)
        }
        Err(e) => {
            tracing::error!("{e:#}");
            None
        }
    };
    outln!("{} {} · {}", lang.pick("节点", "node"), serving.node_id, serving.addr);
    let mut rounds = daemon.rounds();
    let stop = shutdown();
    tokio::pin!(stop);
    let ended = loop {
        tokio::select! {
            round = rounds.recv() => match round {
                Ok(results) => {
                    for r in results.iter() {
                        match r {
                            Ok(s) if s.synced > 0 || !s.errors.is_empty() => print_summary(lang, s),
                            Ok(_) => {}
                            Err(e) => tracing::warn!(peer = %e.peer, kind = ?e.kind, "sync failed: {}", e.detail),
                        }
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break Ended::Stopped,
            },
            Some(asked) = asked.recv() => {
                // No new client or peer from here; the store closed after the
                // jobs queued before; then the client is answered.
                control.take();
                daemon.node.endpoint.close(0u32.into(), b"handing over to the UI");
                // Sessions cut by the close end (and queue their last store
                // jobs) before the store closes under them.
                let _ = tokio::time::timeout(Duration::from_secs(1), daemon.node.endpoint.wait_idle()).await;
                handle.close().await;
                let _ = asked.closed.send(());
                let _ = tokio::time::timeout(Duration::from_secs(5), asked.answered).await;
                break Ended::HandedOver;
            }
            _ = &mut stop => break Ended::Stopped,
        }
    };
    if let Ended::Stopped = ended {
        daemon.node.endpoint.close(0u32.into(), b"shutting down");
    }
    Ok(ended)
}

/// Waits until the UI has closed the data directory and opens it; None if
/// stopped meanwhile.
fn wait_for_store(dir: &Path) -> Result<Option<Store>> {
    runtime()?.block_on(async {
        let stop = shutdown();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => return Ok(None),
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
            let dir = dir.to_path_buf();
            match tokio::task::spawn_blocking(move || Store::open(&dir)).await? {
                Ok(store) => return Ok(Some(store)),
                Err(StoreError::InUse(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    })
}

/// Ctrl-C, or SIGTERM from a service manager (`systemctl stop`).
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

//! The store on its own thread. The TUI and the sync server send it jobs
//! (closures) and get results back over channels; nobody else holds the
//! store, so there is no shared lock written by I/O tasks.

use super::{DocId, Store};
use std::collections::BTreeSet;
use tokio::sync::{broadcast, oneshot};

/// Where a change came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Local,
    Peer(String),
}

#[derive(Clone, Debug)]
pub enum StoreEvent {
    Changed { docs: BTreeSet<DocId>, origin: Origin },
}

type Job = Box<dyn FnOnce(&mut Store) -> Option<String> + Send>;

#[derive(Clone)]
pub struct StoreHandle {
    jobs: std::sync::mpsc::Sender<Job>,
    events: broadcast::Sender<StoreEvent>,
}

impl StoreHandle {
    /// Moves the store onto a dedicated thread.
    pub fn spawn(mut store: Store) -> StoreHandle {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        let (events, _) = broadcast::channel(256);
        let tx = events.clone();
        std::thread::Builder::new()
            .name("hubsync-store".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    let peer = job(&mut store);
                    let docs = store.take_changed();
                    if !docs.is_empty() {
                        let origin = peer.map_or(Origin::Local, Origin::Peer);
                        let _ = tx.send(StoreEvent::Changed { docs, origin });
                    }
                }
                let _ = store.flush();
            })
            .expect("spawn the store thread");
        StoreHandle { jobs, events }
    }

    /// Runs `f` on the store thread and returns its result.
    pub async fn call<T: Send + 'static>(&self, f: impl FnOnce(&mut Store) -> T + Send + 'static) -> T {
        self.call_as(None, f).await
    }

    /// Like `call`, but changes it makes are reported as coming from `peer`.
    pub async fn call_as<T: Send + 'static>(
        &self,
        peer: Option<String>,
        f: impl FnOnce(&mut Store) -> T + Send + 'static,
    ) -> T {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
            peer
        });
        self.jobs.send(job).expect("the store thread outlives its handles");
        rx.await.expect("the store thread answers every job")
    }

    /// The same from outside an async context.
    pub fn blocking_call<T: Send + 'static>(&self, f: impl FnOnce(&mut Store) -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
            None
        });
        self.jobs.send(job).expect("the store thread outlives its handles");
        rx.recv().expect("the store thread answers every job")
    }

    pub fn subscribe(&self) -> broadcast::Receiver<StoreEvent> {
        self.events.subscribe()
    }
}

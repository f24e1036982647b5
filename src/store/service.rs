//! The store on its own thread. The TUI and the sync server send it jobs
//! (closures) and get results back over channels; nobody else holds the
//! store, so there is no shared lock written by I/O tasks.
//!
//! A job that panics (a bug in Automerge met by a hostile peer's bytes, or
//! ours) does not take the thread down: the panic is caught, what the job
//! may have half-changed is reloaded from disk, and its caller gets
//! `StoreError::JobFailed`. Every other caller is served as before.

use super::{DocId, Store, StoreError};
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use tokio::sync::{broadcast, oneshot};

/// Where a change came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Local,
    Peer(String),
    /// A CLI command a running node ran for a client (`crate::control`):
    /// local to the node, but news to its UI.
    Client,
}

#[derive(Clone, Debug)]
pub enum StoreEvent {
    Changed { docs: BTreeSet<DocId>, origin: Origin },
}

type Job = Box<dyn FnOnce(&mut Store) -> Origin + Send>;

/// What the store thread is sent: a job, or the word to close the store
/// (told once it is flushed and dropped, its lock let go).
enum Message {
    Job(Job),
    Close(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct StoreHandle {
    jobs: std::sync::mpsc::Sender<Message>,
    events: broadcast::Sender<StoreEvent>,
}

/// The text of a panic's payload.
pub(crate) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

impl StoreHandle {
    /// Moves the store onto a dedicated thread.
    pub fn spawn(mut store: Store) -> StoreHandle {
        let (jobs, rx) = std::sync::mpsc::channel::<Message>();
        let (events, _) = broadcast::channel(256);
        let tx = events.clone();
        std::thread::Builder::new()
            .name("hubsync-store".into())
            .spawn(move || {
                let mut closed = None;
                while let Ok(message) = rx.recv() {
                    let job = match message {
                        Message::Job(job) => job,
                        Message::Close(told) => {
                            closed = Some(told);
                            break;
                        }
                    };
                    // The store is not left half-changed: recover_after_panic
                    // puts back from disk what the job may have touched.
                    let origin = match catch_unwind(AssertUnwindSafe(|| job(&mut store))) {
                        Ok(origin) => origin,
                        Err(payload) => {
                            let text = panic_text(payload.as_ref());
                            match store.recover_after_panic() {
                                Ok(docs) => tracing::error!(
                                    "a store job panicked ({text}); reloaded from disk: {}",
                                    docs.iter().map(DocId::to_string).collect::<Vec<_>>().join(", ")
                                ),
                                Err(e) => tracing::error!("a store job panicked ({text}); reloading failed: {e}"),
                            }
                            Origin::Local
                        }
                    };
                    let docs = store.take_changed();
                    if !docs.is_empty() {
                        let _ = tx.send(StoreEvent::Changed { docs, origin });
                    }
                }
                // Jobs sent after a close find the channel gone (`JobFailed`).
                drop(rx);
                let _ = store.flush();
                drop(store);
                if let Some(told) = closed {
                    let _ = told.send(());
                }
            })
            .expect("spawn the store thread");
        StoreHandle { jobs, events }
    }

    /// Runs `f` on the store thread and returns its result. Panics if `f`
    /// panicked (the store itself goes on): callers that apply a peer's
    /// bytes use `try_call_as`.
    pub async fn call<T: Send + 'static>(&self, f: impl FnOnce(&mut Store) -> T + Send + 'static) -> T {
        self.call_as(None, f).await
    }

    /// Like `call`, but changes it makes are reported as coming from `peer`.
    pub async fn call_as<T: Send + 'static>(
        &self,
        peer: Option<String>,
        f: impl FnOnce(&mut Store) -> T + Send + 'static,
    ) -> T {
        match self.try_call_as(peer, f).await {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    /// Like `call_as`, but a job that panicked is an error.
    pub async fn try_call_as<T: Send + 'static>(
        &self,
        peer: Option<String>,
        f: impl FnOnce(&mut Store) -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        self.try_call_from(peer.map_or(Origin::Local, Origin::Peer), f).await
    }

    /// Like `try_call_as`, with the origin its changes are reported under.
    pub async fn try_call_from<T: Send + 'static>(
        &self,
        origin: Origin,
        f: impl FnOnce(&mut Store) -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
            origin
        });
        self.jobs.send(Message::Job(job)).map_err(|_| StoreError::JobFailed("the store thread has stopped".into()))?;
        // The sender is dropped unsent only when the job panicked.
        rx.await.map_err(|_| StoreError::JobFailed("the job panicked".into()))
    }

    /// Queues `f` on the store thread and does not wait for it: what a
    /// guard's drop asks (sync::session::Exchange). Jobs run in the order
    /// queued, so a later call sees its effect.
    pub fn submit(&self, f: impl FnOnce(&mut Store) + Send + 'static) {
        let job: Job = Box::new(move |store| {
            f(store);
            Origin::Local
        });
        // Refused only when the store thread has stopped: nothing is left to tell.
        let _ = self.jobs.send(Message::Job(job));
    }

    /// The same as `call` from outside an async context.
    pub fn blocking_call<T: Send + 'static>(&self, f: impl FnOnce(&mut Store) -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
            Origin::Local
        });
        self.jobs.send(Message::Job(job)).expect("the store is not closed (StoreHandle::close)");
        rx.recv().unwrap_or_else(|_| panic!("{}", StoreError::JobFailed("the job panicked".into())))
    }

    /// Closes the store after the jobs queued before: flushed and dropped,
    /// so another process may open the data directory (a running node
    /// handing it to the UI, `control`). Every handle's later call fails.
    /// Returns once the store is closed.
    pub async fn close(&self) {
        let (told, closed) = oneshot::channel();
        if self.jobs.send(Message::Close(told)).is_ok() {
            let _ = closed.await;
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<StoreEvent> {
        self.events.subscribe()
    }
}

//! A progress bar for long work (a folder of documents, demo data at
//! 31,000 organizations), on standard error and only when that is a
//! terminal a person watches: none in a pipe, a log or a script. When a
//! running node does the work for a client, the bar is sent to the client
//! (`crate::control::ProgressUpdate`) if its standard error is a terminal,
//! and the client draws it there, never on the node's terminal.

use crate::control::{ProgressSink, ProgressUpdate};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Runs long work that tells its progress as ops do ((done, total)), under
/// a bar labelled `what` where someone watches. The bar is cleared whether
/// the work succeeds or fails, so an error starts on a line of its own.
pub fn with_bar<T>(what: &str, work: impl FnOnce(crate::ops::Progress) -> T) -> T {
    let bar = Bar::new(what);
    let result = work(&mut |done, total| bar.set(done, total));
    bar.finish();
    result
}

#[derive(Clone)]
pub struct Bar(Shown);

#[derive(Clone)]
enum Shown {
    Nowhere,
    Here(ProgressBar),
    /// On a node, for a client that draws it.
    Sent {
        sink: ProgressSink,
        label: String,
    },
}

/// A bar drawn on this process's standard error, labelled `what`: the one
/// look of a bar, whether the work runs here or in a node.
pub fn drawn(what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

impl Bar {
    /// A bar labelled `what`, or nothing where no one watches.
    pub fn new(what: &str) -> Bar {
        if super::out::capturing() {
            return match super::out::progress_sink() {
                Some(sink) => Bar::sent(sink, what),
                None => Bar::hidden(),
            };
        }
        if !std::io::stderr().is_terminal() {
            return Bar::hidden();
        }
        Bar(Shown::Here(drawn(what)))
    }

    /// No bar: the work's progress is nobody's to watch.
    pub fn hidden() -> Bar {
        Bar(Shown::Nowhere)
    }

    /// A bar sent to a client, for work a node runs outside a capture
    /// (`sync` and `join` through a node).
    pub fn sent(sink: ProgressSink, what: &str) -> Bar {
        let bar = Bar(Shown::Sent { sink, label: what.to_string() });
        bar.send(0, 0, false);
        bar
    }

    /// Drawn: a person watches this terminal, or the client's.
    pub fn shown(&self) -> bool {
        !matches!(self.0, Shown::Nowhere)
    }

    /// `done` of `total` finished.
    pub fn set(&self, done: usize, total: usize) {
        match &self.0 {
            Shown::Nowhere => {}
            Shown::Here(bar) => {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
            Shown::Sent { .. } => self.send(done as u64, total as u64, false),
        }
    }

    /// Removes the bar, leaving the terminal to the command's own output.
    pub fn finish(self) {
        match &self.0 {
            Shown::Nowhere => {}
            Shown::Here(bar) => bar.finish_and_clear(),
            Shown::Sent { .. } => self.send(0, 0, true),
        }
    }

    fn send(&self, done: u64, total: u64, finished: bool) {
        if let Shown::Sent { sink, label } = &self.0 {
            sink.send(ProgressUpdate { label: label.clone(), done, total, finished });
        }
    }
}

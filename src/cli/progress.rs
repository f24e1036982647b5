//! A progress bar for long work (a folder of documents, demo data at
//! 31,000 organizations), on standard error and only when that is a
//! terminal a person watches: none in a pipe, a log or a script, and none
//! when a running node does the work for a client (the bar would draw on
//! the node's terminal, not the client's).

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
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar labelled `what`, or nothing where no one watches.
    pub fn new(what: &str) -> Bar {
        if super::out::capturing() || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        Bar(Some(bar))
    }

    /// Drawn: a person watches this terminal.
    pub fn shown(&self) -> bool {
        self.0.is_some()
    }

    /// `done` of `total` finished.
    pub fn set(&self, done: usize, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar, leaving the terminal to the command's own output.
    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

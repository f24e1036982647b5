//! The terminal UI for federation secretaries: a state machine (`app`), a
//! pure draw function (`view`), one key-binding table (`keymap`), every
//! string in two languages (`i18n`), and the terminal loop (`runner`).

pub mod app;
pub mod assignment_forms;
pub mod export;
pub mod forms;
pub mod i18n;
pub mod import;
pub mod keymap;
pub mod ledger_forms;
pub mod picker;
pub mod runner;
pub mod sync_forms;
pub mod tab;
pub mod venue_training_forms;
pub mod view;
pub mod widgets;
pub mod work_exec;
pub mod work_forms;
pub mod work_text;

pub use runner::{run, Options};

//! The application as a state machine: `update(event) -> effects`. It never
//! touches the terminal, the disk or the network; the runner carries out the
//! effects and feeds their results back as events.

mod edit;
mod ledger;
mod lists;
mod load;
mod network;
mod pickers;
mod stats;
mod work;

pub use ledger::GapRow;
pub use lists::SORTS;
pub use network::SyncView;
pub use pickers::{field_label, ConflictChoice};
pub use stats::StatsView;
pub use work::{ActView, ProjView, Work, WorkEffect};

use super::forms::{Form, FormKind};
use super::i18n::{self, T};
use super::keymap::{self, Action, Scope};
use super::picker::PickFor;
use super::widgets::TextInput;
use crate::domain::query::{OrgFilter, OrgRow};
use crate::domain::report::Report;
use crate::domain::*;
use crate::store::{DocInfo, FieldConflict};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub use super::tab::{PerTab, Tab};

/// Everything the screens show, read from the store in one job.
#[derive(Default, Clone)]
pub struct Data {
    pub federation: Option<Federation>,
    pub orgs: Arc<Vec<OrgRow>>,
    pub people: Vec<Person>,
    pub liaisons: Vec<LiaisonAssignment>,
    pub venues: Vec<Venue>,
    pub bookings: Vec<Booking>,
    pub trainings: Vec<Training>,
    pub attendance: Vec<Attendance>,
    /// Activity list rows, newest first.
    pub activities: Arc<Vec<crate::domain::activity_query::ActivityRow>>,
    pub work_reports: Vec<WorkReport>,
    pub major_rule: MajorActivityRule,
    pub projects: Vec<Project>,
    pub honours: Vec<Honour>,
    /// The federation's evaluation weights and cut-offs.
    pub evaluation: EvaluationSettings,
    pub report: Option<Arc<Report>>,
    pub documents: Vec<DocInfo>,
    pub peers: Vec<crate::sync::Peer>,
    /// Every federation this node holds, as a tree (the sync tab's
    /// network view, the federation column of a hub's lists).
    pub network: Option<Arc<crate::ops::network::Network>>,
    /// Nodes the running node heard on the LAN (`lan.json`), known peers or not.
    pub lan: Vec<crate::sync::discovery::Sighting>,
    /// Every record holding conflicting values after a merge.
    pub conflicted: Vec<crate::store::Conflicted>,
}

/// What the screens derive from `Data`, computed once per load rather
/// than on every redraw.
#[derive(Default, Clone)]
pub struct Derived {
    /// Organization id -> index into `data.orgs`.
    pub org_index: HashMap<RecordId, usize>,
    /// The organization name of each person, in `data.people` order.
    pub person_org: Vec<String>,
    /// Lower-case name, pinyin initials, role labels and organization of each person.
    pub person_keys: Vec<String>,
    /// Live bookings (requested or confirmed) that overlap another.
    pub clashing: HashSet<RecordId>,
    /// Organization id -> its activities (indexes into `data.activities`, newest first).
    pub org_activities: HashMap<RecordId, Vec<usize>>,
    /// The lead organization of each activity (index into `data.orgs`), in
    /// `data.activities` order: the activity filter matches organizations
    /// without a lookup per row.
    pub activity_lead: Vec<Option<usize>>,
    /// Lower-case name and pinyin initials of each organization, by its
    /// index in `data.orgs`.
    pub org_keys: crate::domain::text_index::Keys,
    /// The activity list's title keys, built once per load (a sync's edits
    /// arrive with a load and build it again).
    pub activity_index: crate::domain::activity_query::ActivityIndex,
    /// Search keys of the projects, in `data.projects` order.
    pub project_keys: Vec<String>,
    /// Organization id -> its latest work report.
    pub last_work_report: HashMap<RecordId, WorkReport>,
    /// Conflicted records: id -> fields in conflict.
    pub conflicts: HashMap<RecordId, usize>,
    /// Conflicted records each tab shows, by tab (bookings count on the venue
    /// tab, attendance on the training tab, assignments on the people tab,
    /// work reports on the activities tab, honours and incubations on the
    /// projects tab).
    pub conflict_counts: PerTab<usize>,
    /// The short name of each federation whose roster is held, when there
    /// is more than one (a hub): the organization list names each row's.
    pub roster_federations: HashMap<RecordId, String>,
    /// The honours list for publicity (index into `data.honours`, line),
    /// newest year and highest level first.
    pub honour_lines: Vec<(usize, crate::domain::ledger_report::HonourLine)>,
    /// Lower-case names, pinyin initials, year and kind of each honour line.
    pub honour_keys: Vec<String>,
}

/// Where the last draw put what a mouse click can hit, and how many
/// rows a page holds: `view::draw` returns it, `App::drawn` keeps it.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct Hits {
    /// Column ranges of the tab titles on the top line.
    pub tabs: Vec<(u16, u16)>,
    /// The list's rows: x range, first row's y, number of rows, index of the first row shown.
    pub rows: Option<(u16, u16, u16, u16, usize)>,
    /// Lines the help overlay shows at once.
    pub overlay_rows: usize,
    /// Rows a page of the list holds.
    pub page: usize,
}

pub enum Event {
    Key(KeyEvent),
    Paste(String),
    /// A left click at (column, row).
    Click(u16, u16),
    Resize,
    Loaded(Box<Data>),
    OrgLoaded(Box<Organization>, Vec<FieldConflict>),
    /// Conflicts of the selected person, venue or training.
    ConflictsLoaded(RecordId, Vec<FieldConflict>),
    /// The selected activity in full, with its conflicts.
    ActivityLoaded(Box<Activity>, Vec<FieldConflict>),
    /// Shared with the store's kept report.
    ReportLoaded(Arc<Report>),
    /// The evaluation ranking of a year per township.
    RankingLoaded(i32, Vec<(String, crate::domain::ledger_report::Ranked)>),
    /// The standardization gaps of a year per township.
    GapsLoaded(i32, Vec<crate::domain::ledger_report::TownshipGaps>),
    /// Text to show in a popup (an invitation code).
    ShowText(String),
    /// A store job finished: a message to show, or an error.
    Done(Result<String, String>),
    /// A save was refused for these fields: the form marks them.
    Invalid(Vec<crate::ops::FieldError>),
    /// A store job finished with warnings the secretary must see (an
    /// overlapping booking): the message, then each warning as an error.
    Warned(String, Vec<String>),
    /// A roster file was checked (or could not be read).
    ImportChecked(Box<crate::ops::import::Import>, Result<Box<crate::ops::import::Imported>, String>),
    /// The store changed (locally or from a peer): read again.
    StoreChanged,
    /// This device's node id, once its sync node runs.
    NodeStarted(String),
    /// What the sync node is doing (listening, syncing, last round).
    SyncStatus(crate::sync::NodeStatus),
    /// The nodes heard on the LAN, read again.
    LanLoaded(Vec<crate::sync::discovery::Sighting>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadAll,
    /// Check a roster file (a dry run); the preview shows what it found.
    ImportCheck(Box<crate::ops::import::Import>),
    /// Import a checked roster file as the user chose (all, or the valid rows).
    ImportApply(Box<crate::ops::import::Import>),
    /// The report reads every record in full: only when its tab is shown.
    LoadReport(Lang),
    /// Write the filing ledger or the report to a file.
    Export(Box<crate::ops::export::SaveFile>),
    LoadOrg(RecordId),
    LoadConflicts(Collection, RecordId),
    SaveOrg {
        org: Box<Organization>,
        new: bool,
    },
    SavePerson {
        person: Box<Person>,
        new: bool,
    },
    ExitOrg {
        id: RecordId,
        date: NaiveDate,
        reason: String,
        kind: Option<ExitKind>,
    },
    Resolve {
        kind: Collection,
        id: RecordId,
        field: String,
        value: serde_json::Value,
    },
    Assign(Box<LiaisonAssignment>),
    EndAssignment(Box<LiaisonAssignment>),
    SignIn(Box<Attendance>),
    /// Someone not on the roster came: add them and sign them in.
    WalkIn {
        training: RecordId,
        session: RecordId,
        person: Box<Person>,
    },
    CreateFederation(Box<Federation>),
    LoadDemo(usize),
    SaveVenue {
        venue: Box<Venue>,
        new: bool,
    },
    SaveBooking {
        booking: Box<Booking>,
        new: bool,
    },
    CancelBooking(RecordId),
    SaveTraining {
        training: Box<Training>,
        new: bool,
    },
    AddSession {
        training: RecordId,
        session: Box<Session>,
    },
    AddPeer {
        node_id: Box<crate::sync::NodeId>,
        name: String,
        addr: Option<String>,
    },
    Invite {
        addr: String,
        write: bool,
    },
    /// A peer's grants as the sharing form set them (key, grant or none).
    SetGrants {
        peer: String,
        grants: Vec<(String, Option<crate::sync::Grant>)>,
    },
    SyncNow,
    /// Read again which nodes the node heard on the LAN (its discovery
    /// writes them to `lan.json`, no store change tells us).
    LoadLan,
    /// Activities, work reports, projects and evaluations.
    Work(Box<WorkEffect>),
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Browse,
    Filter,
    Form(Box<Form>),
    /// The confirm popup over a filled-in exit form.
    ConfirmExit(Box<Form>),
    ConfirmQuit(Box<Mode>),
    /// Esc over a form with typed data: Enter discards it, Esc goes back.
    ConfirmDiscard(Box<Form>),
    /// Overlays: closing them returns to the mode underneath, as it was.
    Help {
        scroll: usize,
        back: Box<Mode>,
    },
    Messages {
        scroll: usize,
        back: Box<Mode>,
    },
    /// The filtering picker: every choice from a list (records to pick,
    /// what to do in an empty data directory, a conflicting value to keep).
    Pick(Box<super::picker::Picker>),
    Text(String),
    /// A checked roster file: every bad line, scrollable, then import all / valid rows / cancel.
    ImportPreview(Box<super::import::Preview>),
}

impl Mode {
    /// The picker is open for a purpose `is` admits.
    pub fn picking_for(&self, is: impl Fn(&PickFor) -> bool) -> bool {
        matches!(self, Mode::Pick(p) if is(&p.purpose))
    }
}

pub struct App {
    pub lang: Lang,
    pub today: NaiveDate,
    pub tab: Tab,
    pub mode: Mode,
    pub data: Data,
    pub derived: Derived,
    pub loaded: bool,
    /// The filter text of each list tab.
    pub filters: PerTab<TextInput>,
    pub org_filter: OrgFilter,
    /// Indexes into the tab's data that pass its filter, in display order.
    pub views: PerTab<Vec<usize>>,
    /// Position in the tab's view.
    pub selected: PerTab<usize>,
    /// The activities and projects tabs' own state.
    pub work: Work,
    /// The statistics tab's view (F6).
    pub stats: StatsView,
    pub detail: Option<(Organization, Vec<FieldConflict>)>,
    /// Conflicts of the selected person, venue or training.
    pub record_conflicts: Option<(RecordId, Vec<FieldConflict>)>,
    /// (is error, text), newest last.
    pub messages: Vec<(bool, String)>,
    pub monochrome: bool,
    pub mouse: bool,
    /// Where export files go by default: the data directory's parent (None: the working directory).
    pub export_dir: Option<std::path::PathBuf>,
    /// Each list's order, an index into `lists::SORTS` of its tab (0: as stored).
    pub sorts: [usize; 4],
    /// Weeks from the current one shown in the venue view.
    pub week: i64,
    pub hits: Hits,
    /// The sync node's state; None when no node runs (`--offline`).
    pub sync: Option<crate::sync::NodeStatus>,
    /// The sync tab shows the peers or the network (F6).
    pub sync_view: SyncView,
    pub node_id: Option<String>,
    /// Attendance ids signed in from this screen that the last load may not
    /// show yet: a second Enter must not sign the same person in twice.
    pub pending_sign_ins: HashSet<RecordId>,
    /// A record just added: selected when the next load shows it.
    pub select_after_load: Option<RecordId>,
    /// A record chosen from the list of all conflicts: its conflict view
    /// opens when its conflicts arrive.
    pub conflicts_pending: Option<RecordId>,
    /// Needs a redraw.
    pub dirty: bool,
}

impl App {
    pub fn new(lang: Lang, today: NaiveDate) -> App {
        App {
            lang,
            today,
            tab: Tab::Orgs,
            mode: Mode::Browse,
            data: Data::default(),
            derived: Derived::default(),
            loaded: false,
            filters: Default::default(),
            org_filter: OrgFilter::default(),
            views: Default::default(),
            selected: Default::default(),
            work: Work::new(today),
            stats: StatsView::Overview,
            detail: None,
            record_conflicts: None,
            messages: Vec::new(),
            monochrome: false,
            mouse: true,
            export_dir: None,
            sorts: [0; 4],
            week: 0,
            hits: Hits { page: 10, ..Hits::default() },
            sync: None,
            sync_view: SyncView::Peers,
            node_id: None,
            pending_sign_ins: HashSet::new(),
            select_after_load: None,
            conflicts_pending: None,
            dirty: true,
        }
    }

    /// The first effects: read everything.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![Effect::LoadAll]
    }

    /// The screen was drawn: where things landed, and nothing left to redraw.
    pub fn drawn(&mut self, hits: Hits) {
        self.hits = hits;
        self.dirty = false;
    }

    pub fn t(&self, t: T) -> &'static str {
        t.get(self.lang)
    }

    pub fn scope(&self) -> Scope {
        match &self.mode {
            Mode::Browse => Scope::List,
            Mode::Filter => Scope::Filter,
            Mode::Pick(p) if matches!(p.purpose, PickFor::SignIn { .. }) => Scope::SignIn,
            Mode::Form(_) => Scope::Form,
            Mode::Help { .. } | Mode::Messages { .. } => Scope::Help,
            Mode::ConfirmExit(_) | Mode::ConfirmQuit(_) | Mode::ConfirmDiscard(_) | Mode::Text(_) => Scope::Confirm,
            _ => Scope::Popup,
        }
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.messages.push((false, text.into()));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.messages.push((true, text.into()));
    }

    /// The mode under any overlays.
    pub fn base_mode(&self) -> &Mode {
        let mut m = &self.mode;
        while let Mode::Help { back, .. } | Mode::Messages { back, .. } | Mode::ConfirmQuit(back) = m {
            m = back;
        }
        m
    }

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        self.dirty = true;
        match event {
            Event::Resize => Vec::new(),
            Event::StoreChanged => vec![Effect::LoadAll],
            Event::NodeStarted(id) => {
                self.node_id = Some(id);
                Vec::new()
            }
            Event::SyncStatus(status) => {
                self.sync = Some(status);
                // The node's rounds pace the LAN list while the peers are shown.
                if self.tab == Tab::Sync && self.sync_view == SyncView::Peers {
                    vec![Effect::LoadLan]
                } else {
                    Vec::new()
                }
            }
            Event::LanLoaded(lan) => {
                self.dirty = lan != self.data.lan;
                self.data.lan = lan;
                Vec::new()
            }
            Event::Loaded(data) => self.loaded(*data),
            Event::ImportChecked(cmd, result) => {
                match result {
                    Ok(checked) => {
                        let preview = super::import::Preview { cmd: *cmd, checked: *checked, scroll: 0 };
                        self.mode = Mode::ImportPreview(Box::new(preview));
                    }
                    Err(e) => self.error(e),
                }
                Vec::new()
            }
            Event::ShowText(text) => {
                self.mode = Mode::Text(text);
                Vec::new()
            }
            Event::ReportLoaded(report) => {
                self.data.report = Some(report);
                self.refilter_stats();
                Vec::new()
            }
            Event::RankingLoaded(year, ranking) => {
                self.ranking_loaded(year, ranking);
                Vec::new()
            }
            Event::GapsLoaded(year, gaps) => {
                self.gaps_loaded(year, gaps);
                Vec::new()
            }
            Event::OrgLoaded(org, conflicts) => {
                if self.selected_org().is_some_and(|r| r.id == org.id) {
                    let id = org.id.clone();
                    self.detail = Some((*org, conflicts));
                    self.open_pending_conflicts(&id);
                }
                Vec::new()
            }
            Event::ActivityLoaded(a, conflicts) => {
                self.activity_loaded(*a, conflicts);
                Vec::new()
            }
            Event::ConflictsLoaded(id, conflicts) => {
                if self.selected_record_id().is_some_and(|(_, r)| r == id) {
                    self.record_conflicts = Some((id.clone(), conflicts));
                    self.open_pending_conflicts(&id);
                }
                Vec::new()
            }
            Event::Warned(text, warnings) => {
                let effects = self.update(Event::Done(Ok(text)));
                for w in warnings {
                    self.error(w);
                }
                effects
            }
            Event::Done(Ok(text)) => {
                if let Mode::Form(f) = &self.mode {
                    if let FormKind::WalkIn { training, session } = &f.kind {
                        let (training, session) = (training.clone(), session.clone());
                        self.open_sign_in(training, session);
                        self.say(text);
                        return vec![Effect::LoadAll];
                    }
                }
                if matches!(self.mode, Mode::Form(_) | Mode::ConfirmExit(_) | Mode::ConfirmDiscard(_))
                    || self.mode.picking_for(|p| matches!(p, PickFor::Resolve { .. }))
                {
                    self.mode = Mode::Browse;
                }
                self.say(text);
                vec![Effect::LoadAll]
            }
            Event::Invalid(fields) => {
                if let Mode::Form(form) | Mode::ConfirmExit(form) = &mut self.mode {
                    for f in &fields {
                        form.mark(&f.field, f.message.clone());
                    }
                    if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
                        form.focus = i;
                    }
                }
                self.update(Event::Done(Err(crate::ops::OpError::Invalid(fields).to_string())))
            }
            Event::Done(Err(text)) => {
                // A refused save keeps the form and everything typed in it.
                match std::mem::replace(&mut self.mode, Mode::Browse) {
                    Mode::Form(mut form) | Mode::ConfirmExit(mut form) => {
                        form.message = Some(text.clone());
                        self.mode = Mode::Form(form);
                    }
                    other => self.mode = other,
                }
                self.error(text);
                Vec::new()
            }
            Event::Paste(text) => {
                match &mut self.mode {
                    Mode::Form(f) if f.fields[f.focus].choices.is_empty() => {
                        f.focused().input.insert_str(&text);
                        f.touched = true;
                    }
                    Mode::Filter => {
                        self.filters[self.tab].insert_str(&text);
                        self.refilter_typed();
                        return self.after_selection_change();
                    }
                    Mode::Pick(p) => {
                        p.input.insert_str(&text);
                        p.choice = 0;
                    }
                    _ => {}
                }
                Vec::new()
            }
            Event::Click(x, y) => self.click(x, y),
            Event::Key(key) => self.on_key(key),
        }
    }

    pub fn org_name(&self, id: &RecordId) -> Option<&str> {
        self.derived.org_index.get(id).map(|i| self.data.orgs[*i].name.as_str())
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == crossterm::event::KeyEventKind::Release {
            self.dirty = false;
            return Vec::new();
        }
        let action = keymap::lookup(self.scope(), self.tab, &key);
        match action {
            Some(Action::Quit) => return self.quit(),
            Some(Action::Help) => {
                self.mode = match std::mem::replace(&mut self.mode, Mode::Browse) {
                    Mode::Help { back, .. } => *back,
                    other => Mode::Help { scroll: 0, back: Box::new(other) },
                };
                return Vec::new();
            }
            Some(Action::ToggleLang) => return self.toggle_lang(),
            Some(Action::QuitHint) => {
                self.say(self.t(i18n::QUIT_WITH_F10));
                return Vec::new();
            }
            Some(Action::Messages) => {
                self.mode = match std::mem::replace(&mut self.mode, Mode::Browse) {
                    Mode::Messages { back, .. } => Mode::Help { scroll: 0, back },
                    Mode::Help { back, .. } => Mode::Messages { scroll: 0, back },
                    other => Mode::Messages { scroll: 0, back: Box::new(other) },
                };
                return Vec::new();
            }
            _ => {}
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Browse);
        match mode {
            Mode::Browse => self.browse(action),
            Mode::Filter => self.filtering(action, key),
            Mode::Form(form) => self.form(form, action, key),
            Mode::ConfirmExit(form) => self.confirm_exit(form, action),
            Mode::ConfirmDiscard(form) => self.confirm_discard(form, action),
            Mode::ConfirmQuit(back) => match action {
                Some(Action::Confirm) => vec![Effect::Quit],
                _ => {
                    self.mode = *back;
                    Vec::new()
                }
            },
            Mode::Help { scroll, back } => {
                let rows = self.hits.overlay_rows.max(1);
                let max = keymap::help_lines().len().saturating_sub(rows);
                self.mode = match scrolled(scroll, action, rows, max) {
                    Some(scroll) => Mode::Help { scroll, back },
                    None => *back,
                };
                Vec::new()
            }
            Mode::Messages { scroll, back } => {
                let max = self.messages.len().saturating_sub(1);
                self.mode = match scrolled(scroll, action, self.hits.overlay_rows, max) {
                    Some(scroll) => Mode::Messages { scroll, back },
                    None => *back,
                };
                Vec::new()
            }
            Mode::Text(text) => {
                if action != Some(Action::Cancel) && action != Some(Action::Confirm) {
                    self.mode = Mode::Text(text);
                }
                Vec::new()
            }
            Mode::ImportPreview(preview) => super::import::on_key(self, preview, action),
            Mode::Pick(picker) => self.pick(picker, action, key),
        }
    }

    /// Switches language; an open form (under any overlay) is relabelled,
    /// its choices follow, and the report is recomputed in the new language.
    fn toggle_lang(&mut self) -> Vec<Effect> {
        let from = self.lang;
        self.lang = if from == Lang::Zh { Lang::En } else { Lang::Zh };
        let mut m = &mut self.mode;
        loop {
            match m {
                Mode::Help { back, .. } | Mode::Messages { back, .. } | Mode::ConfirmQuit(back) => m = back,
                Mode::Form(f) | Mode::ConfirmExit(f) | Mode::ConfirmDiscard(f) => {
                    f.relabel(from, self.lang);
                    break;
                }
                _ => break,
            }
        }
        self.reopen_picker();
        if self.data.report.is_some() || self.tab == Tab::Reports {
            return vec![Effect::LoadReport(self.lang)];
        }
        Vec::new()
    }

    fn quit(&mut self) -> Vec<Effect> {
        match self.base_mode() {
            Mode::Form(f) | Mode::ConfirmExit(f) | Mode::ConfirmDiscard(f) if f.touched => {
                let back = std::mem::replace(&mut self.mode, Mode::Browse);
                self.mode = Mode::ConfirmQuit(Box::new(back));
                Vec::new()
            }
            _ => vec![Effect::Quit],
        }
    }
}

/// The tab a collection's conflicts are counted on (an evaluation is part
/// of its organization's record, so it counts on the organizations tab).
pub fn tab_of(kind: Collection) -> Option<Tab> {
    match kind {
        Collection::Orgs => Some(Tab::Orgs),
        Collection::People | Collection::Liaisons => Some(Tab::People),
        Collection::Venues | Collection::Bookings => Some(Tab::Venues),
        Collection::Trainings | Collection::Attendance => Some(Tab::Trainings),
        Collection::Activities | Collection::WorkReports => Some(Tab::Activities),
        Collection::Projects | Collection::Honours | Collection::Incubations => Some(Tab::Projects),
        Collection::Meta | Collection::Private | Collection::Settings => None,
    }
}

/// An overlay's scroll position after a key; None closes it.
fn scrolled(scroll: usize, action: Option<Action>, page: usize, max: usize) -> Option<usize> {
    let scroll = match action {
        Some(Action::Cancel) => return None,
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::Down) => scroll + 1,
        Some(Action::PageUp) => scroll.saturating_sub(page.max(1)),
        Some(Action::PageDown) => scroll + page.max(1),
        _ => scroll,
    };
    Some(scroll.min(max))
}

/// Applies an editing key to a text input; true when the text or caret moved.
pub(crate) fn edit_text(input: &mut TextInput, key: KeyEvent) -> bool {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return false;
    }
    match key.code {
        KeyCode::Char(c) => input.insert(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        _ => return false,
    }
    true
}

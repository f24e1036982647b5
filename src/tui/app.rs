//! The application as a state machine: `update(event) -> effects`. It never
//! touches the terminal, the disk or the network; the runner carries out the
//! effects and feeds their results back as events.

use super::forms::{Form, FormKind};
use super::i18n::{self, T};
use super::keymap::{self, Action, Scope};
use super::widgets::TextInput;
use crate::domain::query::{OrgFilter, OrgRow};
use crate::domain::report::Report;
use crate::domain::*;
use crate::store::{DocInfo, FieldConflict};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

pub const TABS: [T; 6] =
    [i18n::TAB_ORGS, i18n::TAB_PEOPLE, i18n::TAB_VENUES, i18n::TAB_TRAININGS, i18n::TAB_SYNC, i18n::TAB_REPORTS];
pub const ORGS: usize = 0;
pub const PEOPLE: usize = 1;
pub const VENUES: usize = 2;
pub const TRAININGS: usize = 3;
pub const SYNC: usize = 4;
pub const REPORTS: usize = 5;

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
    pub report: Option<Report>,
    pub documents: Vec<DocInfo>,
    pub peers: Vec<crate::sync::PeerStatus>,
}

pub enum Event {
    Key(KeyEvent),
    Paste(String),
    Resize,
    Loaded(Box<Data>),
    OrgLoaded(Box<Organization>, Vec<FieldConflict>),
    ReportLoaded(Box<Report>),
    /// Text to show in a popup (an invitation code).
    ShowText(String),
    /// A store job finished: a message to show, or an error.
    Done(Result<String, String>),
    /// The store changed (locally or from a peer): read again.
    StoreChanged,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadAll,
    /// The report reads every record in full: only when its tab is shown.
    LoadReport,
    LoadOrg(RecordId),
    SaveOrg {
        org: Box<Organization>,
        new: bool,
    },
    SavePerson(Box<Person>),
    ExitOrg {
        id: RecordId,
        date: NaiveDate,
        reason: String,
    },
    Resolve {
        id: RecordId,
        field: String,
        value: serde_json::Value,
    },
    Assign {
        person: RecordId,
        org: RecordId,
    },
    SignIn(Box<Attendance>),
    CreateFederation(Box<Federation>),
    LoadDemo(usize),
    SaveVenue(Box<Venue>),
    SaveBooking(Box<Booking>),
    CancelBooking(RecordId),
    SaveTraining(Box<Training>),
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
    SyncNow,
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Browse,
    Filter,
    Form(Box<Form>),
    ConfirmExit(Box<Form>),
    ConfirmQuit(Box<Mode>),
    Help,
    Messages,
    Setup {
        choice: usize,
    },
    Conflicts {
        choice: usize,
    },
    /// Choosing an instructor/liaison for an organization.
    Assign {
        org: RecordId,
        choice: usize,
    },
    SignIn {
        training: RecordId,
        session: RecordId,
        input: TextInput,
        choice: usize,
    },
    /// Choosing which of the overlapping bookings at a venue to cancel.
    CancelBooking {
        choice: usize,
    },
    Text(String),
}

pub struct App {
    pub lang: Lang,
    pub today: NaiveDate,
    pub tab: usize,
    pub mode: Mode,
    pub data: Data,
    pub loaded: bool,
    pub filter: TextInput,
    pub org_filter: OrgFilter,
    /// Indexes into `data.orgs` that pass the filter.
    pub org_view: Vec<usize>,
    pub selected: [usize; 6],
    pub detail: Option<(Organization, Vec<FieldConflict>)>,
    /// (is error, text), newest last.
    pub messages: Vec<(bool, String)>,
    pub monochrome: bool,
    pub mouse: bool,
    /// Rows a page holds, set by the last draw.
    pub page: usize,
    /// Organization list order: 0 division, 1 name, 2 category, 3 party status.
    pub sort: usize,
    /// Needs a redraw.
    pub dirty: bool,
}

impl App {
    pub fn new(lang: Lang, today: NaiveDate) -> App {
        App {
            lang,
            today,
            tab: 0,
            mode: Mode::Browse,
            data: Data::default(),
            loaded: false,
            filter: TextInput::default(),
            org_filter: OrgFilter::default(),
            org_view: Vec::new(),
            selected: [0; 6],
            detail: None,
            messages: Vec::new(),
            monochrome: false,
            mouse: true,
            page: 10,
            sort: 0,
            dirty: true,
        }
    }

    /// The first effects: read everything.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![Effect::LoadAll]
    }

    pub fn t(&self, t: T) -> &'static str {
        t.get(self.lang)
    }

    pub fn scope(&self) -> Scope {
        match &self.mode {
            Mode::Browse => Scope::List,
            Mode::Filter | Mode::SignIn { .. } => Scope::Filter,
            Mode::Form(_) | Mode::ConfirmExit(_) => Scope::Form,
            _ => Scope::Popup,
        }
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.messages.push((false, text.into()));
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.messages.push((true, text.into()));
    }

    /// The list length of the current tab.
    fn list_len(&self) -> usize {
        match self.tab {
            ORGS => self.org_view.len(),
            PEOPLE => self.data.people.len(),
            VENUES => self.data.venues.len(),
            TRAININGS => self.data.trainings.len(),
            _ => 0,
        }
    }

    pub fn selected_org(&self) -> Option<&OrgRow> {
        self.org_view.get(self.selected[ORGS]).and_then(|i| self.data.orgs.get(*i))
    }

    pub fn refilter(&mut self) {
        self.org_filter.text = self.filter.text().to_string();
        let keep = self.selected_org().map(|r| r.id.clone());
        self.org_view = self.org_filter.apply(&self.data.orgs);
        let rows = &self.data.orgs;
        match self.sort {
            1 => self.org_view.sort_by(|a, b| rows[*a].name.cmp(&rows[*b].name)),
            2 => self.org_view.sort_by_key(|i| (rows[*i].category, rows[*i].division.clone())),
            3 => self.org_view.sort_by_key(|i| (rows[*i].party_status, rows[*i].division.clone())),
            _ => {}
        }
        self.selected[ORGS] =
            keep.and_then(|id| self.org_view.iter().position(|i| self.data.orgs[*i].id == id)).unwrap_or(0);
    }

    /// Liaison candidates: people with an instructor or liaison role.
    pub fn liaison_candidates(&self) -> Vec<&Person> {
        self.data
            .people
            .iter()
            .filter(|p| p.roles.iter().any(|r| matches!(r, Role::Liaison | Role::Instructor)))
            .collect()
    }

    /// People matching the sign-in search.
    pub fn sign_in_matches(&self, text: &str) -> Vec<&Person> {
        let needle = validate::fold_width(text.trim()).to_lowercase();
        self.data
            .people
            .iter()
            .filter(|p| {
                needle.is_empty()
                    || p.name.contains(&needle)
                    || crate::domain::query::pinyin_initials(&p.name).contains(&needle)
            })
            .collect()
    }

    /// Conflict choices of the detail record, flattened as (field, value).
    pub fn conflict_choices(&self) -> Vec<(String, serde_json::Value)> {
        self.detail
            .iter()
            .flat_map(|(_, cs)| {
                cs.iter()
                    .filter(|c| !c.field.is_empty())
                    .flat_map(|c| c.values.iter().map(|v| (c.field.clone(), v.clone())))
            })
            .collect()
    }

    fn after_selection_change(&mut self) -> Vec<Effect> {
        if self.tab == ORGS {
            if let Some(row) = self.selected_org() {
                if self.detail.as_ref().is_none_or(|(o, _)| o.id != row.id) {
                    return vec![Effect::LoadOrg(row.id.clone())];
                }
            }
        }
        Vec::new()
    }

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        self.dirty = true;
        match event {
            Event::Resize => Vec::new(),
            Event::StoreChanged => vec![Effect::LoadAll],
            Event::Loaded(data) => {
                let first = !self.loaded;
                self.data = *data;
                self.loaded = true;
                self.refilter();
                for (i, len) in [
                    (PEOPLE, self.data.people.len()),
                    (VENUES, self.data.venues.len()),
                    (TRAININGS, self.data.trainings.len()),
                ] {
                    self.selected[i] = self.selected[i].min(len.saturating_sub(1));
                }
                if self.data.federation.is_none() {
                    if !matches!(self.mode, Mode::Form(_)) {
                        self.mode = Mode::Setup { choice: 0 };
                    }
                } else if matches!(self.mode, Mode::Setup { .. }) || first && self.mode == Mode::Browse {
                    self.mode = Mode::Browse;
                }
                self.detail = None;
                let mut effects = self.after_selection_change();
                if self.tab == REPORTS {
                    effects.push(Effect::LoadReport);
                }
                effects
            }
            Event::ShowText(text) => {
                self.mode = Mode::Text(text);
                Vec::new()
            }
            Event::ReportLoaded(report) => {
                self.data.report = Some(*report);
                Vec::new()
            }
            Event::OrgLoaded(org, conflicts) => {
                if self.selected_org().is_some_and(|r| r.id == org.id) {
                    self.detail = Some((*org, conflicts));
                }
                Vec::new()
            }
            Event::Done(Ok(text)) => {
                if matches!(
                    self.mode,
                    Mode::Form(_) | Mode::ConfirmExit(_) | Mode::Conflicts { .. } | Mode::Assign { .. }
                ) {
                    self.mode = Mode::Browse;
                }
                self.say(text);
                vec![Effect::LoadAll]
            }
            Event::Done(Err(text)) => {
                // A refused save keeps the form and everything typed in it.
                if let Mode::Form(form) | Mode::ConfirmExit(form) = &mut self.mode {
                    form.message = Some(text.clone());
                }
                self.error(text);
                Vec::new()
            }
            Event::Paste(text) => {
                match &mut self.mode {
                    Mode::Form(f) | Mode::ConfirmExit(f) => {
                        f.focused().input.insert_str(&text);
                        f.touched = true;
                    }
                    Mode::Filter => {
                        self.filter.insert_str(&text);
                        self.refilter();
                    }
                    _ => {}
                }
                Vec::new()
            }
            Event::Key(key) => self.on_key(key),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == crossterm::event::KeyEventKind::Release {
            self.dirty = false;
            return Vec::new();
        }
        let action = keymap::lookup(self.scope(), &key);
        match action {
            Some(Action::Quit) => return self.quit(),
            Some(Action::Help) => {
                self.mode = if self.mode == Mode::Help { Mode::Browse } else { Mode::Help };
                return Vec::new();
            }
            Some(Action::ToggleLang) => {
                self.lang = if self.lang == Lang::Zh { Lang::En } else { Lang::Zh };
                return Vec::new();
            }
            Some(Action::Messages) => {
                self.mode = Mode::Messages;
                return Vec::new();
            }
            _ => {}
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Browse);
        match mode {
            Mode::Browse => self.browse(action),
            Mode::Filter => self.filtering(action, key),
            Mode::Form(form) => self.form(form, action, key),
            Mode::ConfirmExit(form) => self.exit_form(form, action, key),
            Mode::ConfirmQuit(back) => match action {
                Some(Action::Confirm) => vec![Effect::Quit],
                _ => {
                    self.mode = *back;
                    Vec::new()
                }
            },
            Mode::Help | Mode::Messages | Mode::Text(_) => Vec::new(),
            Mode::CancelBooking { choice } => self.cancel_booking(choice, action),
            Mode::Setup { choice } => self.setup(choice, action),
            Mode::Conflicts { choice } => self.conflicts(choice, action),
            Mode::Assign { org, choice } => self.assign(org, choice, action),
            Mode::SignIn { training, session, input, choice } => {
                self.sign_in(training, session, input, choice, action, key)
            }
        }
    }

    fn quit(&mut self) -> Vec<Effect> {
        match &self.mode {
            Mode::Form(f) if f.touched => {
                let back = std::mem::replace(&mut self.mode, Mode::Browse);
                self.mode = Mode::ConfirmQuit(Box::new(back));
                Vec::new()
            }
            _ => vec![Effect::Quit],
        }
    }

    fn move_selection(&mut self, action: Action) -> Vec<Effect> {
        let len = self.list_len();
        let sel = &mut self.selected[self.tab];
        let page = self.page.max(1);
        *sel = match action {
            Action::Up => sel.saturating_sub(1),
            Action::Down => (*sel + 1).min(len.saturating_sub(1)),
            Action::PageUp => sel.saturating_sub(page),
            Action::PageDown => (*sel + page).min(len.saturating_sub(1)),
            Action::Home => 0,
            Action::End => len.saturating_sub(1),
            _ => *sel,
        };
        self.after_selection_change()
    }

    fn browse(&mut self, action: Option<Action>) -> Vec<Effect> {
        let Some(action) = action else {
            self.dirty = false;
            return Vec::new();
        };
        match action {
            Action::NextTab | Action::PrevTab | Action::GoTab(_) => {
                self.tab = match action {
                    Action::NextTab => (self.tab + 1) % TABS.len(),
                    Action::PrevTab => (self.tab + TABS.len() - 1) % TABS.len(),
                    Action::GoTab(i) => i.min(TABS.len() - 1),
                    _ => self.tab,
                };
                if self.tab == REPORTS && self.data.report.is_none() {
                    return vec![Effect::LoadReport];
                }
                return self.after_selection_change();
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Home | Action::End => {
                return self.move_selection(action)
            }
            Action::Filter if self.tab == ORGS => self.mode = Mode::Filter,
            Action::AddChild => match self.tab {
                VENUES => return self.book_selected_venue(),
                TRAININGS => {
                    if let Some(t) = self.data.trainings.get(self.selected[TRAININGS]) {
                        self.mode =
                            Mode::Form(Box::new(super::more_forms::new_session(self.lang, t.id.clone(), self.today)));
                    }
                }
                SYNC => self.mode = Mode::Form(Box::new(super::more_forms::new_invite(self.lang))),
                _ => self.dirty = false,
            },
            Action::Add => match self.tab {
                VENUES => self.mode = Mode::Form(Box::new(super::more_forms::new_venue(self.lang))),
                TRAININGS => self.mode = Mode::Form(Box::new(super::more_forms::new_training(self.lang))),
                SYNC => self.mode = Mode::Form(Box::new(super::more_forms::new_peer(self.lang))),
                ORGS => {
                    let division = self.data.federation.as_ref().map(|f| f.division.clone()).unwrap_or_default();
                    self.mode = Mode::Form(Box::new(Form::new_org(self.lang, &division)));
                }
                PEOPLE => self.mode = Mode::Form(Box::new(Form::new_person(self.lang))),
                _ => {}
            },
            Action::Edit => match self.tab {
                ORGS if self.org_filter.uncovered => {
                    if let Some(row) = self.selected_org() {
                        self.mode = Mode::Assign { org: row.id.clone(), choice: 0 };
                    }
                }
                ORGS => {
                    if let Some((org, _)) = &self.detail {
                        self.mode = Mode::Form(Box::new(Form::edit_org(self.lang, org)));
                    }
                }
                TRAININGS => return self.start_sign_in(),
                VENUES => return self.book_selected_venue(),
                _ => {}
            },
            Action::ExitOrg if self.tab == VENUES => {
                if self.venue_conflicts().is_empty() {
                    self.say(self.t(i18n::NO_CONFLICT_HERE));
                } else {
                    self.mode = Mode::CancelBooking { choice: 0 };
                }
            }
            Action::SignIn if self.tab == SYNC => {
                self.say(self.t(i18n::SYNCING));
                return vec![Effect::SyncNow];
            }
            Action::SignIn if self.tab == TRAININGS => return self.start_sign_in(),
            Action::ExitOrg if self.tab == ORGS => {
                if let Some(row) = self.selected_org() {
                    if row.lifecycle != Some(Lifecycle::Exited) {
                        self.mode = Mode::ConfirmExit(Box::new(Form::exit_org(self.lang, row.id.clone(), self.today)));
                    }
                }
            }
            Action::Coverage if self.tab == ORGS => {
                self.org_filter.uncovered = !self.org_filter.uncovered;
                self.refilter();
                return self.after_selection_change();
            }
            Action::Conflicts if self.tab == ORGS => {
                if self.detail.is_some() {
                    self.mode = Mode::Conflicts { choice: 0 };
                }
            }
            Action::Sort if self.tab == ORGS => {
                self.sort = (self.sort + 1) % 4;
                self.refilter();
            }
            Action::Refresh => return vec![Effect::LoadAll],
            _ => self.dirty = false,
        }
        Vec::new()
    }

    fn filtering(&mut self, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        match action {
            Some(Action::Confirm) => self.mode = Mode::Browse,
            Some(Action::Cancel) => {
                self.filter.clear();
                self.refilter();
                self.mode = Mode::Browse;
            }
            _ => {
                self.mode = Mode::Filter;
                if edit_text(&mut self.filter, key) {
                    self.refilter();
                    return self.after_selection_change();
                }
            }
        }
        Vec::new()
    }

    fn form(&mut self, mut form: Box<Form>, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        match action {
            Some(Action::Cancel) => return Vec::new(),
            Some(Action::NextField) => form.focus = (form.focus + 1) % form.fields.len(),
            Some(Action::PrevField) => form.focus = (form.focus + form.fields.len() - 1) % form.fields.len(),
            Some(Action::Save) => {
                let effect = match &form.kind {
                    FormKind::NewOrg | FormKind::EditOrg(_) => {
                        let division = self.data.federation.as_ref().map(|f| f.division.clone()).unwrap_or_default();
                        let new = form.kind == FormKind::NewOrg;
                        form.to_org(self.lang, &division).map(|org| Effect::SaveOrg { org: Box::new(org), new })
                    }
                    FormKind::NewPerson => form.to_person(self.lang).map(|p| Effect::SavePerson(Box::new(p))),
                    FormKind::NewFederation => {
                        form.to_federation(self.lang).map(|f| Effect::CreateFederation(Box::new(f)))
                    }
                    FormKind::ExitOrg(_) => None,
                    FormKind::NewVenue => form.to_venue(self.lang).map(|v| Effect::SaveVenue(Box::new(v))),
                    FormKind::NewBooking(_) => form.to_booking(self.lang).map(|b| Effect::SaveBooking(Box::new(b))),
                    FormKind::NewTraining => form.to_training(self.lang).map(|t| Effect::SaveTraining(Box::new(t))),
                    FormKind::NewSession(training) => {
                        let training = training.clone();
                        form.to_session(self.lang).map(|s| Effect::AddSession { training, session: Box::new(s) })
                    }
                    FormKind::NewPeer => form.to_peer(self.lang).map(|(id, name, addr)| Effect::AddPeer {
                        node_id: Box::new(id),
                        name,
                        addr,
                    }),
                    FormKind::NewInvite => {
                        form.to_invite(self.lang).map(|(addr, write)| Effect::Invite { addr, write })
                    }
                };
                self.mode = Mode::Form(form);
                return effect.into_iter().collect();
            }
            _ => match key.code {
                KeyCode::Left if !form.fields[form.focus].choices.is_empty() => form.cycle(-1),
                KeyCode::Right if !form.fields[form.focus].choices.is_empty() => form.cycle(1),
                _ => {
                    if edit_text(&mut form.focused().input, key) {
                        form.touched = true;
                        form.focused().error = None;
                    }
                }
            },
        }
        self.mode = Mode::Form(form);
        Vec::new()
    }

    /// The exit popup: date and reason, then a save that goes through confirm.
    fn exit_form(&mut self, mut form: Box<Form>, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        match action {
            Some(Action::Cancel) => return Vec::new(),
            Some(Action::NextField) | Some(Action::PrevField) => form.focus = (form.focus + 1) % form.fields.len(),
            Some(Action::Save) => {
                let FormKind::ExitOrg(id) = form.kind.clone() else { return Vec::new() };
                let effect = form.to_exit(self.lang).map(|(date, reason)| Effect::ExitOrg { id, date, reason });
                self.mode = Mode::ConfirmExit(form);
                return effect.into_iter().collect();
            }
            _ => {
                if edit_text(&mut form.focused().input, key) {
                    form.touched = true;
                }
            }
        }
        self.mode = Mode::ConfirmExit(form);
        Vec::new()
    }

    fn setup(&mut self, choice: usize, action: Option<Action>) -> Vec<Effect> {
        match action {
            Some(Action::Up) | Some(Action::Down) => self.mode = Mode::Setup { choice: 1 - choice },
            Some(Action::Confirm) if choice == 0 => self.mode = Mode::Form(Box::new(Form::new_federation(self.lang))),
            Some(Action::Confirm) => {
                self.say(self.t(i18n::DEMO_LOADING));
                self.mode = Mode::Setup { choice };
                return vec![Effect::LoadDemo(1000)];
            }
            _ => self.mode = Mode::Setup { choice },
        }
        Vec::new()
    }

    fn conflicts(&mut self, choice: usize, action: Option<Action>) -> Vec<Effect> {
        let choices = self.conflict_choices();
        match action {
            Some(Action::Up) => self.mode = Mode::Conflicts { choice: choice.saturating_sub(1) },
            Some(Action::Down) => {
                self.mode = Mode::Conflicts { choice: (choice + 1).min(choices.len().saturating_sub(1)) }
            }
            Some(Action::Confirm) => {
                if let (Some((field, value)), Some((org, _))) = (choices.get(choice), &self.detail) {
                    self.mode = Mode::Conflicts { choice };
                    return vec![Effect::Resolve { id: org.id.clone(), field: field.clone(), value: value.clone() }];
                }
            }
            Some(Action::Cancel) => {}
            _ => self.mode = Mode::Conflicts { choice },
        }
        Vec::new()
    }

    fn assign(&mut self, org: RecordId, choice: usize, action: Option<Action>) -> Vec<Effect> {
        let n = self.liaison_candidates().len();
        match action {
            Some(Action::Up) => self.mode = Mode::Assign { org, choice: choice.saturating_sub(1) },
            Some(Action::Down) => self.mode = Mode::Assign { org, choice: (choice + 1).min(n.saturating_sub(1)) },
            Some(Action::Confirm) => {
                if let Some(p) = self.liaison_candidates().get(choice) {
                    let person = p.id.clone();
                    self.mode = Mode::Assign { org: org.clone(), choice };
                    return vec![Effect::Assign { person, org }];
                }
            }
            Some(Action::Cancel) => {}
            _ => self.mode = Mode::Assign { org, choice },
        }
        Vec::new()
    }

    fn book_selected_venue(&mut self) -> Vec<Effect> {
        if let Some(v) = self.data.venues.get(self.selected[VENUES]) {
            self.mode = Mode::Form(Box::new(super::more_forms::new_booking(self.lang, v.id.clone(), self.today)));
        }
        Vec::new()
    }

    /// Confirmed bookings of the selected venue that overlap another.
    pub fn venue_conflicts(&self) -> Vec<&Booking> {
        let Some(v) = self.data.venues.get(self.selected[VENUES]) else { return Vec::new() };
        let clashing: std::collections::HashSet<RecordId> =
            crate::domain::report::booking_conflicts(&self.data.bookings)
                .into_iter()
                .flat_map(|(a, b)| [a, b])
                .collect();
        let mut list: Vec<&Booking> =
            self.data.bookings.iter().filter(|b| b.venue == v.id && clashing.contains(&b.id)).collect();
        list.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
        list
    }

    fn cancel_booking(&mut self, choice: usize, action: Option<Action>) -> Vec<Effect> {
        let n = self.venue_conflicts().len();
        match action {
            Some(Action::Up) => self.mode = Mode::CancelBooking { choice: choice.saturating_sub(1) },
            Some(Action::Down) => self.mode = Mode::CancelBooking { choice: (choice + 1).min(n.saturating_sub(1)) },
            Some(Action::Confirm) => {
                if let Some(b) = self.venue_conflicts().get(choice) {
                    return vec![Effect::CancelBooking(b.id.clone())];
                }
            }
            Some(Action::Cancel) => {}
            _ => self.mode = Mode::CancelBooking { choice },
        }
        Vec::new()
    }

    /// Sign-in starts at the latest session of the selected training.
    fn start_sign_in(&mut self) -> Vec<Effect> {
        let Some(t) = self.data.trainings.get(self.selected[TRAININGS]) else { return Vec::new() };
        match t.sessions_in_order().last() {
            Some((sid, _)) => {
                self.mode = Mode::SignIn {
                    training: t.id.clone(),
                    session: (*sid).clone(),
                    input: TextInput::default(),
                    choice: 0,
                };
            }
            None => self.error(self.t(i18n::NO_SESSION)),
        }
        Vec::new()
    }

    fn sign_in(
        &mut self,
        training: RecordId,
        session: RecordId,
        mut input: TextInput,
        mut choice: usize,
        action: Option<Action>,
        key: KeyEvent,
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        match (action, key.code) {
            (Some(Action::Cancel), _) => return Vec::new(),
            (_, KeyCode::Up) => choice = choice.saturating_sub(1),
            (_, KeyCode::Down) => choice += 1,
            (Some(Action::Confirm), _) => {
                let matches = self.sign_in_matches(input.text());
                if let Some(p) = matches.get(choice.min(matches.len().saturating_sub(1))) {
                    let hours = self
                        .data
                        .trainings
                        .iter()
                        .find(|t| t.id == training)
                        .and_then(|t| t.sessions.get(&session))
                        .map_or(0.0, |s| s.hours());
                    effects.push(Effect::SignIn(Box::new(Attendance {
                        id: RecordId::attendance(&session, &p.id),
                        training: training.clone(),
                        session: session.clone(),
                        person: p.id.clone(),
                        organization: p.organization.clone(),
                        status: AttendanceStatus::Attended,
                        signed_in: None,
                        hours,
                    })));
                    // Next person: clear the search.
                    input.clear();
                    choice = 0;
                }
            }
            _ => {
                if edit_text(&mut input, key) {
                    choice = 0;
                }
            }
        }
        let n = self.sign_in_matches(input.text()).len();
        self.mode = Mode::SignIn { training, session, input, choice: choice.min(n.saturating_sub(1)) };
        effects
    }
}

/// Applies an editing key to a text input; true when the text or caret moved.
fn edit_text(input: &mut TextInput, key: KeyEvent) -> bool {
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

//! What the one filtering picker (crate::tui::picker) offers and what
//! choosing does: setup, conflicts, overlapping and weekly bookings,
//! sessions, form fields; and sign-in.

use super::*;
use crate::tui::forms::{FormKind, PickSource};
use crate::tui::picker::{PickFor, PickItem, Picked, Picker};
use chrono::{Datelike, Duration};

/// What the first-start picker offers, in the order shown.
#[derive(Clone, Copy)]
enum SetupChoice {
    CreateFederation,
    LoadDemo,
}

const SETUP_CHOICES: [(i18n::T, SetupChoice); 2] =
    [(i18n::SETUP_CREATE, SetupChoice::CreateFederation), (i18n::SETUP_DEMO, SetupChoice::LoadDemo)];

/// A field key's label, for the record kinds with field specs.
pub fn field_label(kind: Collection, key: &str, lang: Lang) -> String {
    use crate::domain::input::{ORG_FIELDS, PERSON_FIELDS, VENUE_FIELDS};
    let specs = match kind {
        Collection::Orgs => ORG_FIELDS,
        Collection::People => PERSON_FIELDS,
        Collection::Venues => VENUE_FIELDS,
        _ => &[],
    };
    if kind == Collection::Activities {
        return crate::tui::work_text::activity_field(key).map_or_else(|| key.to_string(), |t| t.get(lang).to_string());
    }
    let own = match key {
        "title" => Some(i18n::NAME),
        "format" => Some(i18n::FIELD_FORMAT),
        "topics" => Some(i18n::FIELD_TOPICS),
        "audience" => Some(i18n::FIELD_AUDIENCE),
        "trainer" => Some(i18n::FIELD_TRAINER),
        _ => None,
    };
    specs
        .iter()
        .find(|s| s.key == key)
        .map(|s| s.label(lang).to_string())
        .or(own.map(|t| t.get(lang).to_string()))
        .unwrap_or_else(|| key.to_string())
}

impl App {
    /// The record whose conflicts F7 shows on this tab, with them.
    pub fn conflict_target(&self) -> Option<(Collection, RecordId, &[FieldConflict])> {
        match self.tab {
            Tab::Orgs => self.detail.as_ref().map(|(o, cs)| (Collection::Orgs, o.id.clone(), cs.as_slice())),
            Tab::Activities if self.work.act_view == ActView::List => {
                self.activity_detail().map(|(a, cs)| (Collection::Activities, a.id.clone(), cs.as_slice()))
            }
            _ => {
                let (kind, id) = self.selected_record_id()?;
                let (rid, cs) = self.record_conflicts.as_ref()?;
                (*rid == id).then_some((kind, id, cs.as_slice()))
            }
        }
    }

    /// Field conflicts of the target flattened as (field, value, who wrote
    /// it and when), each field's newest value first; whole-record conflicts
    /// have no field to choose and are shown apart.
    pub fn conflict_choices(&self) -> Vec<ConflictChoice> {
        self.conflict_target()
            .map(|(_, _, cs)| {
                cs.iter()
                    .filter(|c| !c.field.is_empty())
                    .flat_map(|c| {
                        let mut values: Vec<ConflictChoice> = c
                            .values
                            .iter()
                            .enumerate()
                            .map(|(i, v)| ConflictChoice {
                                field: c.field.clone(),
                                value: v.clone(),
                                origin: c.origins.get(i).cloned(),
                            })
                            .collect();
                        // Newest by the writers' clocks first; Automerge's own order follows random actor ids.
                        values.sort_by_key(|v| std::cmp::Reverse(v.origin.as_ref().and_then(|o| o.time)));
                        values
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// F7: the selected record's conflicts when it has any, else the list
    /// of every conflicted record (choosing one goes to it and opens them).
    pub(super) fn open_conflicts(&mut self) {
        if self.conflict_target().is_some_and(|(_, _, cs)| !cs.is_empty()) {
            self.open_conflict_values();
            return;
        }
        let items: Vec<PickItem> = self
            .data
            .conflicted
            .iter()
            .map(|c| {
                // A record this screen holds no list of (an honour) is listed by its id.
                let name = self.record_name(c.kind, &c.id).unwrap_or_else(|| c.id.to_string());
                let detail = format!("{} · {} {}", c.kind.label(self.lang), c.fields, self.t(i18n::CONFLICT_FIELDS));
                let initials = crate::domain::query::pinyin_initials(&name);
                let extra = c.kind.label(self.lang).to_lowercase();
                // This tab's first, then the others in tab order.
                let group = match super::tab_of(c.kind) {
                    Some(tab) if tab == self.tab => 0,
                    Some(tab) => 1 + tab.index() as u8,
                    None => u8::MAX,
                };
                PickItem::new(c.id.clone(), &name, detail, initials, extra, group)
            })
            .collect();
        if items.is_empty() {
            self.say(self.t(i18n::NO_CONFLICTS_ANYWHERE));
            return;
        }
        let picker = Picker::new(i18n::ALL_CONFLICTS, items, PickFor::Conflict).hint(i18n::ALL_CONFLICTS_HINT);
        self.mode = Mode::Pick(Box::new(picker));
    }

    /// The name a conflicted record is listed by: an organization's or
    /// person's name, a venue's, a training's title; a booking or an
    /// attendance by what it belongs to.
    fn record_name(&self, kind: Collection, id: &RecordId) -> Option<String> {
        let d = &self.data;
        match kind {
            Collection::Orgs => self.org_name(id).map(str::to_string),
            Collection::People => d.people.iter().find(|p| &p.id == id).map(|p| p.name.clone()),
            Collection::Venues => d.venues.iter().find(|v| &v.id == id).map(|v| v.name.clone()),
            Collection::Trainings => d.trainings.iter().find(|t| &t.id == id).map(|t| t.title.clone()),
            Collection::Bookings => d.bookings.iter().find(|b| &b.id == id).map(|b| {
                let venue = d.venues.iter().find(|v| v.id == b.venue).map_or("", |v| v.name.as_str());
                format!("{venue} {} {}–{}", b.date, b.start, b.end)
            }),
            Collection::Liaisons => d.liaisons.iter().find(|a| &a.id == id).map(|a| {
                let person = d.people.iter().find(|p| p.id == a.person).map_or("", |p| p.name.as_str());
                format!("{person} → {}", self.org_name(&a.organization).unwrap_or_default())
            }),
            Collection::Attendance => d.attendance.iter().find(|a| &a.id == id).map(|a| {
                let person = d.people.iter().find(|p| p.id == a.person).map_or("", |p| p.name.as_str());
                let title = d.trainings.iter().find(|t| t.id == a.training).map_or("", |t| t.title.as_str());
                format!("{person} @ {title}")
            }),
            Collection::Activities => {
                d.activities.iter().find(|a| &a.id == id).map(|a| format!("{} {}", a.date, a.title))
            }
            Collection::WorkReports => d.work_reports.iter().find(|r| &r.id == id).map(|r| {
                format!("{} {}", self.org_name(&r.organization).unwrap_or_default(), r.period.label(self.lang))
            }),
            Collection::Projects => d.projects.iter().find(|p| &p.id == id).map(|p| format!("{} {}", p.year, p.name)),
            _ => None,
        }
    }

    /// Goes to a conflicted record chosen from the list: its tab, shown
    /// whatever the filter, selected; its conflicts open once loaded.
    /// A booking, assignment or attendance goes to what it belongs to.
    fn go_to_conflict(&mut self, id: RecordId) -> Vec<Effect> {
        let Some(c) = self.data.conflicted.iter().find(|c| c.id == id).cloned() else { return Vec::new() };
        let d = &self.data;
        let target = match c.kind {
            Collection::Bookings => d.bookings.iter().find(|b| b.id == id).map(|b| b.venue.clone()),
            Collection::Liaisons => d.liaisons.iter().find(|a| a.id == id).map(|a| a.person.clone()),
            Collection::Attendance => d.attendance.iter().find(|a| a.id == id).map(|a| a.training.clone()),
            Collection::Honours | Collection::Incubations => None,
            _ => Some(id.clone()),
        };
        let (Some(tab), Some(target)) = (super::tab_of(c.kind), target) else {
            // No list shows it here: say what and where.
            self.say(format!("{}: {} {}", self.t(i18n::CONFLICT_NOT_LISTED), c.kind.label(self.lang), c.id));
            return Vec::new();
        };
        self.tab = tab;
        self.filters[tab].clear();
        match c.kind {
            Collection::Orgs => self.org_filter.uncovered = false,
            // The list that holds it, with nothing narrowing it.
            Collection::Activities => {
                self.work.act_view = ActView::List;
                self.work.conditions = Default::default();
            }
            Collection::WorkReports => self.work.act_view = ActView::Reports,
            Collection::Projects => self.work.proj_view = ProjView::Projects,
            _ => {}
        }
        self.refilter();
        self.select_record(&target);
        if target == id {
            self.conflicts_pending = Some(id.clone());
            let effects = self.after_selection_change();
            // Already loaded: open at once.
            self.open_pending_conflicts(&id);
            effects
        } else {
            // The record's own conflicts are resolved from the CLI (hubsync resolve);
            // here the secretary sees where it is.
            self.say(format!("{}: {} ({})", self.t(i18n::CONFLICT_ELSEWHERE), c.kind.label(self.lang), c.id));
            self.after_selection_change()
        }
    }

    /// Opens the conflict view of a record chosen from the list, once its conflicts are here.
    pub(super) fn open_pending_conflicts(&mut self, id: &RecordId) {
        if self.conflicts_pending.as_ref() != Some(id) {
            return;
        }
        if self.conflict_target().is_some_and(|(_, rid, cs)| &rid == id && !cs.is_empty()) {
            self.conflicts_pending = None;
            if self.mode == Mode::Browse {
                self.open_conflict_values();
            }
        }
    }

    /// The selected record's conflicting values in the picker, each with
    /// who wrote it and when under it; choosing one keeps it. A conflict of
    /// the whole record has no value to choose here and is said in the note.
    pub(super) fn open_conflict_values(&mut self) {
        let Some((kind, id, _)) = self.conflict_target() else { return };
        let choices = self.conflict_choices();
        let items = choices
            .iter()
            .map(|c| {
                let label = field_label(kind, &c.field, self.lang);
                let value = c.value.as_str().map_or(c.value.to_string(), str::to_string);
                let origin = match &c.origin {
                    Some(o) => {
                        let when = o.time.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map_or_else(
                            || self.t(i18n::CONFLICT_NO_TIME).to_string(),
                            |t| t.naive_utc().format("%Y-%m-%d %H:%M").to_string(),
                        );
                        format!("{} {} · {when}", self.t(i18n::CONFLICT_FROM), o.by.label(self.lang))
                    }
                    None => String::new(),
                };
                PickItem::option(&format!("{label}: {value}"), &origin)
            })
            .collect();
        let mut note = Vec::new();
        let whole = self.whole_record_versions();
        if whole > 0 {
            note.push(format!("⚠ {} ({whole}): {}", self.t(i18n::WHOLE_RECORD), self.t(i18n::WHOLE_RECORD_NOTE)));
        }
        if !choices.is_empty() {
            note.push(self.t(i18n::CONFLICT_CLOCK_NOTE).to_string());
        } else if whole == 0 {
            note.push(self.t(i18n::NO_CONFLICTS).to_string());
        }
        let purpose = PickFor::Resolve { kind, id, choices };
        let picker =
            Picker::new(i18n::CONFLICTS, items, purpose).hint(i18n::CONFLICT_HINT).two_lines().note(note.join("\n"));
        self.mode = Mode::Pick(Box::new(picker));
    }

    /// The first screen of an empty data directory, in the picker.
    pub(super) fn open_setup(&mut self) {
        let items = SETUP_CHOICES.iter().map(|(label, _)| PickItem::option(self.t(*label), "")).collect();
        let picker = Picker::new(i18n::SETUP_TITLE, items, PickFor::Setup).hint(i18n::SETUP_BODY);
        self.mode = Mode::Pick(Box::new(picker));
    }

    /// An open picker built again, keeping what was typed and where the
    /// choice is: after a language switch (options, details and titles in
    /// the new language), and sign-in after a load (who is signed in now).
    pub(super) fn reopen_picker(&mut self) {
        let Mode::Pick(old) = &self.mode else { return };
        let (input, choice) = (old.input.clone(), old.choice);
        match &old.purpose {
            PickFor::Setup => self.open_setup(),
            PickFor::Resolve { .. } => self.open_conflict_values(),
            PickFor::SignIn { training, session } => self.open_sign_in(training.clone(), session.clone()),
            _ => return,
        }
        if let Mode::Pick(new) = &mut self.mode {
            new.input = input;
            new.choice = choice.min(new.matches().len().saturating_sub(1));
        }
    }

    /// How many versions a whole-record conflict holds (0: none).
    pub fn whole_record_versions(&self) -> usize {
        self.conflict_target()
            .and_then(|(_, _, cs)| cs.iter().find(|c| c.field.is_empty()).map(|c| c.values.len()))
            .unwrap_or(0)
    }

    /// Confirmed bookings of the selected venue that overlap another.
    pub fn venue_conflicts(&self) -> Vec<&Booking> {
        let Some(v) = self.selected_venue() else { return Vec::new() };
        let mut list: Vec<&Booking> =
            self.data.bookings.iter().filter(|b| b.venue == v.id && self.derived.clashing.contains(&b.id)).collect();
        list.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
        list
    }

    /// Monday of the week the venue view shows.
    pub fn week_monday(&self) -> NaiveDate {
        let this = self.today - Duration::days(self.today.weekday().num_days_from_monday() as i64);
        this + Duration::weeks(self.week)
    }

    /// Bookings of the selected venue in the shown week, in time order.
    pub fn week_bookings(&self) -> Vec<&Booking> {
        let Some(v) = self.selected_venue() else { return Vec::new() };
        let monday = self.week_monday();
        let mut list: Vec<&Booking> = self
            .data
            .bookings
            .iter()
            .filter(|b| b.venue == v.id && b.date >= monday && b.date < monday + Duration::days(7))
            .collect();
        list.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
        list
    }

    /// A filtering picker over bookings: the shown week's to edit, or the
    /// selected venue's overlapping ones to cancel; in time order.
    pub(super) fn open_booking_picker(&mut self, cancel: bool) {
        let list = if cancel { self.venue_conflicts() } else { self.week_bookings() };
        let items = list
            .iter()
            .map(|b| {
                let org = b.organization.as_ref().and_then(|id| self.org_name(id)).unwrap_or_default();
                let weekday = i18n::WEEKDAYS[b.date.weekday().num_days_from_monday() as usize].get(self.lang);
                let name = format!("{} {weekday} {}–{}", b.date.format("%m-%d"), b.start, b.end);
                let status = b.status.label(self.lang);
                let detail = format!("{} {org} [{status}]", b.purpose);
                let initials = format!(
                    "{} {}",
                    crate::domain::query::pinyin_initials(&b.purpose),
                    crate::domain::query::pinyin_initials(org)
                );
                let extra = format!("{} {} {org} {status}", b.date, b.purpose).to_lowercase();
                PickItem::new(b.id.clone(), &name, detail, initials, extra, 0)
            })
            .collect();
        let venue = self.selected_venue().map(|v| v.name.clone()).unwrap_or_default();
        let picker = if cancel {
            Picker::new(i18n::CANCEL_BOOKING, items, PickFor::CancelBooking).hint(i18n::CANCEL_HINT)
        } else {
            Picker::new(i18n::PICK_BOOKING, items, PickFor::EditBooking).hint(i18n::PICK_BOOKING_HINT)
        };
        self.mode = Mode::Pick(Box::new(picker.about(&venue)));
    }

    /// Sessions of a training, latest first: the one being held is usually the last.
    pub fn sessions_latest_first(&self, training: &RecordId) -> Vec<(RecordId, Session)> {
        let Some(t) = self.data.trainings.iter().find(|t| &t.id == training) else { return Vec::new() };
        t.sessions_in_order().into_iter().rev().map(|(id, s)| (id.clone(), s.clone())).collect()
    }

    /// F9: choose the session (the latest first, filtered by typing its
    /// date), then sign in.
    pub(super) fn start_sign_in(&mut self) -> Vec<Effect> {
        let Some(t) = self.selected_training() else { return Vec::new() };
        let training = t.id.clone();
        let sessions = self.sessions_latest_first(&training);
        match sessions.as_slice() {
            [] => self.error(self.t(i18n::NO_SESSION)),
            [(session, _)] => self.open_sign_in(training, session.clone()),
            _ => {
                let items = sessions
                    .iter()
                    .map(|(id, s)| {
                        let name = format!("{} {}–{}", s.date, s.start, s.end);
                        let detail = format!("{:.1}h", s.hours());
                        PickItem::new(id.clone(), &name, detail, String::new(), String::new(), 0)
                    })
                    .collect();
                let picker = Picker::new(i18n::PICK_SESSION, items, PickFor::Session { training });
                self.mode = Mode::Pick(Box::new(picker));
            }
        }
        Vec::new()
    }

    /// The picker's items for a form field's source.
    fn pick_items(&self, source: PickSource) -> Vec<PickItem> {
        match source {
            PickSource::Liaisons => {
                // Each person's current load, so the secretary can spread it.
                let mut load: HashMap<&RecordId, usize> = HashMap::new();
                for a in self.data.liaisons.iter().filter(|a| a.to.is_none_or(|to| to >= self.today)) {
                    *load.entry(&a.person).or_default() += 1;
                }
                self.data
                    .people
                    .iter()
                    .zip(&self.derived.person_keys)
                    .zip(&self.derived.person_org)
                    .map(|((p, key), org)| {
                        let liaison = p.roles.iter().any(|r| matches!(r, Role::Liaison | Role::Instructor));
                        let initials = key.split('\u{1}').nth(1).unwrap_or("").to_string();
                        let mut detail = vec![code_list::labels(&p.roles, self.lang)];
                        if let Some(n) = load.get(&p.id) {
                            detail.push(format!("{} {n}", self.t(i18n::ASSIGNED)));
                        }
                        detail.push(org.clone());
                        detail.retain(|s| !s.is_empty());
                        PickItem::new(
                            p.id.clone(),
                            &p.name,
                            detail.join(" · "),
                            initials,
                            key.clone(),
                            u8::from(!liaison),
                        )
                    })
                    .collect()
            }
            PickSource::Venues => self
                .data
                .venues
                .iter()
                .map(|v| {
                    let initials = crate::domain::query::pinyin_initials(&v.name);
                    let detail = format!("{} · {}", v.kind.label(self.lang), v.address);
                    let extra = format!("{} {}", v.address, v.kind.label(self.lang)).to_lowercase();
                    PickItem::new(v.id.clone(), &v.name, detail, initials, extra, 0)
                })
                .collect(),
            PickSource::Orgs => self
                .data
                .orgs
                .iter()
                .map(|r| {
                    let initials = r.search_key.rsplit('\u{1}').next().unwrap_or("").to_string();
                    let exited = r.lifecycle == Some(Lifecycle::Exited);
                    let detail = r.category.map_or(String::new(), |c| c.label(self.lang).to_string());
                    PickItem::new(r.id.clone(), &r.name, detail, initials, r.search_key.clone(), u8::from(exited))
                })
                .collect(),
            PickSource::Projects => {
                let mut list: Vec<&Project> = self.data.projects.iter().collect();
                list.sort_by(|a, b| (b.year, &a.name).cmp(&(a.year, &b.name)));
                list.into_iter()
                    .map(|p| {
                        let initials = crate::domain::query::pinyin_initials(&p.name);
                        let lead = p.lead.as_ref().and_then(|id| self.org_name(id)).unwrap_or(&p.lead_name);
                        let detail = format!("{} · {lead}", p.year);
                        let extra = format!("{} {} {}", p.year, lead, p.funder).to_lowercase();
                        PickItem::new(p.id.clone(), &p.name, detail, initials, extra, 0)
                    })
                    .collect()
            }
            // Namesakes told apart by organization and phone tail.
            PickSource::People | PickSource::Person => self
                .data
                .people
                .iter()
                .zip(&self.derived.person_keys)
                .zip(&self.derived.person_org)
                .map(|((p, key), org)| {
                    let initials = key.split('\u{1}').nth(1).unwrap_or("").to_string();
                    let tail = p.phone_tail();
                    let detail =
                        [org.as_str(), tail.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>();
                    PickItem::new(p.id.clone(), &p.name, detail.join(" · "), initials, key.clone(), 0)
                })
                .collect(),
        }
    }

    /// Opens the picker of the focused field; `typed`: what starts the search.
    pub(super) fn open_picker(&mut self, form: Box<Form>, typed: String) {
        let field = form.focus;
        let Some(source) = form.fields[field].pick else {
            self.mode = Mode::Form(form);
            return;
        };
        let title = form.fields[field].label;
        let mut picker = Picker::new(title, self.pick_items(source), PickFor::Field { form, field });
        picker.input.insert_str(&typed);
        self.mode = Mode::Pick(Box::new(picker));
    }

    pub(super) fn pick(&mut self, mut picker: Box<Picker>, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        // At sign-in, a name nobody has is a walk-in: added and signed in from a form.
        if let PickFor::SignIn { training, session } = &picker.purpose {
            let typed = picker.input.text().trim().to_string();
            if action == Some(Action::Confirm) && !typed.is_empty() && picker.matches().is_empty() {
                let name = validate::normalize_name(&typed);
                let form = crate::tui::venue_training_forms::walk_in(training.clone(), session.clone(), &name);
                self.mode = Mode::Form(Box::new(form));
                return Vec::new();
            }
        }
        // A participant nobody has the name of is added as typed (a walk-in).
        let walk_in = picker.input.text().trim().to_string();
        let people = matches!(&picker.purpose,
            PickFor::Field { form, field } if form.fields[*field].pick == Some(PickSource::People));
        if action == Some(Action::Confirm) && people && !walk_in.is_empty() && picker.matches().is_empty() {
            let PickFor::Field { mut form, field } = picker.purpose else { unreachable!("matched above") };
            self.add_participant(&mut form, field, &walk_in, None);
            self.mode = Mode::Form(form);
            return Vec::new();
        }
        let item = match picker.handle(action, key, self.hits.page) {
            Picked::Stay => {
                self.mode = Mode::Pick(picker);
                return Vec::new();
            }
            Picked::Cancel => {
                match picker.purpose {
                    PickFor::Field { form, .. } => self.mode = Mode::Form(form),
                    // Nothing underneath: Esc only clears the search.
                    PickFor::Setup => {
                        picker.input.clear();
                        picker.choice = 0;
                        self.mode = Mode::Pick(picker);
                    }
                    _ => self.mode = Mode::Browse,
                }
                return Vec::new();
            }
            Picked::Chosen(item) => item,
        };
        match (picker.purpose, item.id) {
            (PickFor::Setup, _) => match SETUP_CHOICES.get(item.at).map(|(_, choice)| *choice) {
                None => {}
                Some(SetupChoice::CreateFederation) => {
                    self.mode = Mode::Form(Box::new(Form::new_federation(self.lang)))
                }
                Some(SetupChoice::LoadDemo) => {
                    self.say(self.t(i18n::DEMO_LOADING));
                    // The choice stays on screen until the demo is loaded.
                    picker.purpose = PickFor::Setup;
                    self.mode = Mode::Pick(picker);
                    return vec![Effect::LoadDemo(1000)];
                }
            },
            (PickFor::Resolve { kind, id, choices }, _) => {
                let effects = match choices.get(item.at) {
                    Some(c) => {
                        vec![Effect::Resolve { kind, id: id.clone(), field: c.field.clone(), value: c.value.clone() }]
                    }
                    None => Vec::new(),
                };
                // Open until the resolution is saved (Event::Done closes it).
                picker.purpose = PickFor::Resolve { kind, id, choices };
                self.mode = Mode::Pick(picker);
                return effects;
            }
            (PickFor::EditBooking, Some(id)) => {
                if let Some(b) = self.data.bookings.iter().find(|b| b.id == id) {
                    let org = b.organization.as_ref().and_then(|id| self.org_name(id)).unwrap_or_default();
                    let venue = self.data.venues.iter().find(|v| v.id == b.venue).map(|v| v.name.clone());
                    let mut form = crate::tui::venue_training_forms::edit_booking(self.lang, b, org);
                    if let Some(v) = venue {
                        form = form.about(&v);
                    }
                    self.mode = Mode::Form(Box::new(form));
                }
            }
            (PickFor::CancelBooking, Some(id)) => return vec![Effect::CancelBooking(id)],
            (PickFor::Field { mut form, field }, Some(id)) if form.fields[field].pick == Some(PickSource::People) => {
                self.add_participant(&mut form, field, &item.name, Some(id));
                self.mode = Mode::Form(form);
            }
            (PickFor::Conflict, Some(id)) => return self.go_to_conflict(id),
            (PickFor::Field { mut form, field }, Some(id)) => {
                let f = &mut form.fields[field];
                f.input.set(&item.name);
                f.picked = Some(id.clone());
                f.error = None;
                form.touched = true;
                // A person who is an instructor is dispatched as one.
                if let (FormKind::Assign(_), Some(p)) = (&form.kind, self.data.people.iter().find(|p| p.id == id)) {
                    let role = if p.roles.contains(&Role::Instructor) {
                        AssignmentRole::Instructor
                    } else {
                        AssignmentRole::Liaison
                    };
                    if let Some(r) = form.fields.iter_mut().find(|f| f.key == "role") {
                        r.input.set(role.label(self.lang));
                    }
                }
                self.mode = Mode::Form(form);
            }
            (PickFor::Session { training }, Some(id)) => self.open_sign_in(training, id),
            (PickFor::SignIn { training, session }, Some(id)) => return self.sign_in_person(training, session, &id),
            // Record pickers hold only records; nothing to do but go back.
            (PickFor::Field { form, .. }, None) => self.mode = Mode::Form(form),
            (_, None) => self.mode = Mode::Browse,
        }
        Vec::new()
    }

    /// The training and session of the sign-in under way (under any overlay).
    fn sign_in_target(&self) -> Option<(&RecordId, &RecordId)> {
        let mut m = &self.mode;
        loop {
            match m {
                Mode::Pick(p) => {
                    return match &p.purpose {
                        PickFor::SignIn { training, session } => Some((training, session)),
                        _ => None,
                    }
                }
                Mode::Form(f) | Mode::ConfirmDiscard(f) => {
                    return match &f.kind {
                        FormKind::WalkIn { training, session } => Some((training, session)),
                        _ => None,
                    }
                }
                Mode::Help { back, .. } | Mode::Messages { back, .. } | Mode::ConfirmQuit(back) => m = back,
                _ => return None,
            }
        }
    }

    /// Attendance of the session: (signed in, registered or signed in), as
    /// loaded plus what this screen signed in since.
    fn session_roll(
        &self,
        session: &RecordId,
    ) -> (HashMap<RecordId, Option<chrono::NaiveDateTime>>, HashSet<RecordId>) {
        let mut signed = HashMap::new();
        let mut expected = HashSet::new();
        for a in self.data.attendance.iter().filter(|a| &a.session == session) {
            match a.status {
                AttendanceStatus::Attended => {
                    signed.insert(a.person.clone(), a.signed_in);
                    expected.insert(a.person.clone());
                }
                AttendanceStatus::Registered => {
                    expected.insert(a.person.clone());
                }
                _ => {}
            }
        }
        for p in &self.data.people {
            if self.pending_sign_ins.contains(&RecordId::attendance(session, &p.id)) {
                signed.entry(p.id.clone()).or_insert(None);
                expected.insert(p.id.clone());
            }
        }
        (signed, expected)
    }

    /// The running count of the sign-in: (signed in, expected). Expected is
    /// who registered or signed in; with no registrations it is the signed.
    pub fn sign_in_count(&self) -> (usize, usize) {
        let Some((_, session)) = self.sign_in_target() else { return (0, 0) };
        let (signed, expected) = self.session_roll(session);
        (signed.len(), expected.len())
    }

    /// An attendance of a person at a session, credited the session's hours.
    pub(super) fn attendance_for(&self, training: &RecordId, session: &RecordId, p: &Person) -> Attendance {
        let hours = self
            .data
            .trainings
            .iter()
            .find(|t| &t.id == training)
            .and_then(|t| t.sessions.get(session))
            .map_or(0.0, |s| s.hours());
        Attendance {
            id: RecordId::attendance(session, &p.id),
            training: training.clone(),
            session: session.clone(),
            person: p.id.clone(),
            organization: p.organization.clone(),
            status: AttendanceStatus::Attended,
            signed_in: None,
            hours,
        }
    }

    /// Signing people in to a session in the picker: everyone, who
    /// registered first, each with phone tail, whether signed in (✓) and
    /// organization, so namesakes are told apart; the title counts. Typing
    /// narrows; Enter signs in and clears for the next person, and on a
    /// name nobody has offers a walk-in.
    pub(super) fn open_sign_in(&mut self, training: RecordId, session: RecordId) {
        let (signed, expected) = self.session_roll(&session);
        let mut items: Vec<(String, PickItem)> = self
            .data
            .people
            .iter()
            .zip(&self.derived.person_keys)
            .zip(&self.derived.person_org)
            .map(|((p, key), org)| {
                let initials = key.split('\u{1}').nth(1).unwrap_or("").to_string();
                let tail = p.phone_tail();
                let mut detail = Vec::new();
                if !tail.is_empty() {
                    detail.push(format!("{}{tail}", self.t(i18n::PHONE_TAIL)));
                }
                let registered = expected.contains(&p.id);
                match signed.get(&p.id) {
                    Some(Some(at)) => detail.push(format!("{} {}", self.t(i18n::SIGNED_IN), at.format("%H:%M"))),
                    Some(None) => detail.push(self.t(i18n::SIGNED_IN).to_string()),
                    None if registered => detail.push(self.t(i18n::REGISTERED).to_string()),
                    None => {}
                }
                if !org.is_empty() {
                    detail.push(org.clone());
                }
                let item = PickItem::new(
                    p.id.clone(),
                    &p.name,
                    detail.join(" · "),
                    initials,
                    org.to_lowercase(),
                    u8::from(!registered),
                );
                (org.clone(), item.checked(signed.contains_key(&p.id)))
            })
            .collect();
        // Registered first, then by name and organization (the order among equal matches).
        items.sort_by(|(oa, a), (ob, b)| (a.group, &a.name, oa).cmp(&(b.group, &b.name, ob)));
        let items = items.into_iter().map(|(_, item)| item).collect();
        let when = self
            .sessions_latest_first(&training)
            .into_iter()
            .find(|(id, _)| *id == session)
            .map_or(String::new(), |(_, s)| format!("{} {}–{} · ", s.date, s.start, s.end));
        let (n, of) = (signed.len(), expected.len());
        let count = if of > n { format!("{n}/{of}") } else { n.to_string() };
        let subject = format!("{when}{} {count}", self.t(i18n::SIGNED_IN));
        let picker = Picker::new(i18n::SCOPE_SIGN_IN, items, PickFor::SignIn { training, session })
            .about(&subject)
            .hint(i18n::SIGN_IN)
            .search_first(i18n::WALK_IN_HINT);
        self.mode = Mode::Pick(Box::new(picker));
    }

    /// Signs a chosen person in (a repeat is refused and said), then the
    /// picker opens again, cleared, for the next person.
    fn sign_in_person(&mut self, training: RecordId, session: RecordId, person: &RecordId) -> Vec<Effect> {
        let (signed, _) = self.session_roll(&session);
        let mut effects = Vec::new();
        if let Some(p) = self.data.people.iter().find(|p| &p.id == person) {
            match signed.get(person) {
                Some(at) => {
                    let at = at.map_or(String::new(), |t| format!(" {}", t.format("%H:%M")));
                    let text = format!("{}{at} {}", p.name, self.t(i18n::ALREADY_SIGNED_IN));
                    self.error(text);
                }
                None => {
                    let a = self.attendance_for(&training, &session, p);
                    self.pending_sign_ins.insert(a.id.clone());
                    effects.push(Effect::SignIn(Box::new(a)));
                }
            }
        }
        self.open_sign_in(training, session);
        effects
    }
}

/// One value of a conflicted field, with who wrote it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictChoice {
    pub field: String,
    pub value: serde_json::Value,
    pub origin: Option<crate::store::ValueOrigin>,
}

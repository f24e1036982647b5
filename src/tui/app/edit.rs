//! Forms: which form a key opens on which tab, typing into it, and the
//! effect its save produces.

use super::*;
use crate::tui::forms::FormKind;
use crate::tui::{assignment_forms, sync_forms, venue_training_forms as venues_trainings};
use chrono::Datelike;

impl App {
    fn open(&mut self, form: Form) {
        self.mode = Mode::Form(Box::new(form));
    }

    /// F4 (add), F12 (add under), Enter (edit) and F8 (exit/cancel/end) by tab.
    pub(super) fn open_form(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang;
        match (action, self.tab) {
            (Action::Add, Tab::Orgs) => {
                let division = self.data.federation.as_ref().map(|f| f.division.clone()).unwrap_or_default();
                self.open(Form::new_org(lang, &division));
            }
            (Action::Add, Tab::People) => self.open(Form::new_person(lang)),
            (Action::Add, Tab::Venues) => self.open(venues_trainings::new_venue(lang)),
            (Action::Add, Tab::Trainings) => self.open(venues_trainings::new_training(lang)),
            (Action::Add, Tab::Sync) => self.open(sync_forms::new_peer()),
            (Action::AddChild, Tab::Venues) => {
                if let Some(v) = self.selected_venue() {
                    // The same weekday of the week shown, not always today.
                    let day = self.today + chrono::Duration::weeks(self.week);
                    let f = venues_trainings::new_booking(lang, v.id.clone(), day).about(&v.name);
                    self.open(f);
                }
            }
            (Action::AddChild, Tab::Trainings) => {
                if let Some(t) = self.selected_training() {
                    let venue = t.venue.as_ref().and_then(|id| {
                        self.data.venues.iter().find(|v| &v.id == id).map(|v| (v.id.clone(), v.name.clone()))
                    });
                    let f = venues_trainings::new_session(t.id.clone(), self.today, venue).about(&t.title);
                    self.open(f);
                }
            }
            (Action::AddChild, Tab::Sync) => self.open(sync_forms::new_invite(lang)),
            // The network view lists federations, not peers: nothing to share there.
            (Action::Edit, Tab::Sync) if self.sync_view == SyncView::Network => self.dirty = false,
            (Action::Edit, Tab::Sync) => {
                // As drawn: the view clamps a selection the list outgrew.
                let rows = self.data.peers.len() + self.lan_unknown().len();
                let at = self.selected[Tab::Sync].min(rows.saturating_sub(1));
                if let Some(p) = self.data.peers.get(at) {
                    let f = sync_forms::grants(lang, p).about(&p.name);
                    self.open(f);
                } else if let Some(s) = self.lan_unknown().get(at - self.data.peers.len()).copied().cloned() {
                    // A node heard on the LAN: the peer form with its id and
                    // address filled in; the secretary names it (after
                    // checking who it is) and saves.
                    self.open(sync_forms::peer_from_lan(&s));
                }
            }
            (Action::Import, Tab::Orgs) => self.open(crate::tui::import::form(crate::ops::import::Kind::Orgs)),
            (Action::Import, Tab::People) => self.open(crate::tui::import::form(crate::ops::import::Kind::People)),
            (Action::Export, Tab::Orgs) => {
                self.open(crate::tui::export::ledger_form(lang, self.export_dir.as_deref(), self.today))
            }
            (Action::Export, Tab::Reports) => {
                let part = self.stats.part();
                self.open(crate::tui::export::report_form(lang, self.export_dir.as_deref(), self.today, part))
            }
            (Action::Import, Tab::Venues) => self.open(crate::tui::import::form(crate::ops::import::Kind::Venues)),
            (Action::Import, Tab::Activities) => {
                self.open(crate::tui::import::form(crate::ops::import::Kind::Activities))
            }
            (Action::Edit, Tab::Orgs) if self.org_filter.uncovered => {
                let candidates = self.liaison_candidates();
                if candidates.is_empty() {
                    self.error(self.t(i18n::NO_CANDIDATES));
                } else if let Some(row) = self.selected_org() {
                    let f = assignment_forms::assign(lang, row.id.clone(), &candidates, self.today).about(&row.name);
                    self.open(f);
                }
            }
            (Action::Edit, Tab::Orgs) => {
                let shown = self.selected_org().map(|r| r.id.clone());
                if let Some((org, _)) = self.detail.as_ref().filter(|(o, _)| Some(&o.id) == shown.as_ref()) {
                    let f = Form::edit_org(lang, org);
                    self.open(f);
                }
            }
            (Action::Edit, Tab::People) => {
                if let Some(p) = self.selected_person() {
                    let org = p.organization.as_ref().and_then(|id| self.org_name(id)).unwrap_or_default();
                    let f = Form::edit_person(lang, p, org);
                    self.open(f);
                }
            }
            (Action::Edit, Tab::Venues) => {
                if let Some(v) = self.selected_venue() {
                    let f = venues_trainings::edit_venue(lang, v);
                    self.open(f);
                }
            }
            (Action::Edit, Tab::Trainings) => {
                if let Some(t) = self.selected_training() {
                    let f = venues_trainings::edit_training(lang, t);
                    self.open(f);
                }
            }
            (Action::ExitOrg, Tab::Orgs) => {
                if let Some(row) = self.selected_org().filter(|r| r.lifecycle != Some(Lifecycle::Exited)) {
                    let f = Form::exit_org(row.id.clone(), self.today).about(&row.name);
                    self.open(f);
                }
            }
            (Action::ExitOrg, Tab::Venues) => {
                if self.venue_conflicts().is_empty() {
                    self.say(self.t(i18n::NO_CONFLICT_HERE));
                } else {
                    self.open_booking_picker(true);
                }
            }
            (Action::ExitOrg, Tab::People) => {
                if let Some(p) = self.selected_person() {
                    let active = self.active_assignments(&p.id);
                    if active.is_empty() {
                        self.say(self.t(i18n::NO_ACTIVE_ASSIGNMENT));
                    } else {
                        let f = assignment_forms::end_assignment(p.id.clone(), &active, self.today).about(&p.name);
                        self.open(f);
                    }
                }
            }
            _ => self.dirty = false,
        }
        Vec::new()
    }

    /// A person's current assignments, each labelled by organization and start.
    pub fn active_assignments(&self, person: &RecordId) -> Vec<(String, &LiaisonAssignment)> {
        self.data
            .liaisons
            .iter()
            .filter(|a| &a.person == person && a.to.is_none_or(|to| to >= self.today))
            .map(|a| {
                let org = self.org_name(&a.organization).unwrap_or(a.organization.as_str());
                (format!("{org} ({} {})", a.role.label(self.lang), a.from), a)
            })
            .collect()
    }

    /// The organization typed into a form: empty is none; otherwise the
    /// exact name, or the one organization the search matches.
    pub fn resolve_org(&self, text: &str) -> Result<Option<RecordId>, String> {
        let name = validate::normalize_name(text);
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(r) = self.data.orgs.iter().find(|r| r.name == name) {
            return Ok(Some(r.id.clone()));
        }
        let filter = OrgFilter { text: name, ..OrgFilter::default() };
        match filter.apply(&self.data.orgs).as_slice() {
            [one] => Ok(Some(self.data.orgs[*one].id.clone())),
            [] => Err(self.t(i18n::NO_ORG_NAMED).into()),
            _ => Err(self.t(i18n::MANY_ORGS_NAMED).into()),
        }
    }

    /// The venue typed into a form: empty is none; otherwise the exact
    /// name, or the one venue whose name contains it.
    pub fn resolve_venue(&self, text: &str) -> Result<Option<RecordId>, String> {
        let name = validate::normalize_name(text);
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(v) = self.data.venues.iter().find(|v| v.name == name) {
            return Ok(Some(v.id.clone()));
        }
        let found: Vec<&Venue> = self.data.venues.iter().filter(|v| v.name.contains(name.as_str())).collect();
        match found.as_slice() {
            [one] => Ok(Some(one.id.clone())),
            [] => Err(self.t(i18n::NO_VENUE_NAMED).into()),
            _ => Err(self.t(i18n::MANY_VENUES_NAMED).into()),
        }
    }

    pub(super) fn form(&mut self, mut form: Box<Form>, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let lang = self.lang;
        let has_choices = !form.fields[form.focus].choices.is_empty();
        let multi = form.fields[form.focus].multi;
        match action {
            // An input method's Esc can reach us: typed data is only dropped when confirmed.
            Some(Action::Cancel) if form.touched => {
                self.mode = Mode::ConfirmDiscard(form);
                return Vec::new();
            }
            Some(Action::Cancel) => {
                self.close_form(&form);
                return Vec::new();
            }
            Some(Action::NextField) => form.focus = (form.focus + 1) % form.fields.len(),
            Some(Action::PrevField) => form.focus = (form.focus + form.fields.len() - 1) % form.fields.len(),
            Some(Action::Cycle(step)) if has_choices => {
                form.cycle(step, lang);
                form.focused().picked = None;
            }
            Some(Action::Pick) if form.fields[form.focus].pick.is_some() => {
                self.open_picker(form, String::new());
                return Vec::new();
            }
            // On a choice field with a picker, typing starts the search.
            _ if has_choices && form.fields[form.focus].pick.is_some() && typed_char(&key).is_some() => {
                let first = typed_char(&key).map(String::from).unwrap_or_default();
                self.open_picker(form, first);
                return Vec::new();
            }
            Some(Action::Toggle) if multi => form.toggle(lang),
            Some(Action::Save) if matches!(form.kind, FormKind::Work(_)) => {
                let FormKind::Work(kind) = form.kind.clone() else { unreachable!("matched above") };
                return match self.save_work(&mut form, kind) {
                    Ok(None) => Vec::new(),
                    Ok(Some(effect)) => {
                        self.mode = Mode::Form(form);
                        vec![effect]
                    }
                    Err(()) => {
                        self.log_form_errors(&form);
                        self.mode = Mode::Form(form);
                        Vec::new()
                    }
                };
            }
            // Going to a date's week writes nothing: the view moves.
            Some(Action::Save) if form.kind == FormKind::GoToDate => {
                form.clear_errors();
                let date = form.parsed("date", |t| validate::parse_date(t).map_err(|e| e.0));
                if let Some(d) = date {
                    let this = self.today - chrono::Duration::days(self.today.weekday().num_days_from_monday() as i64);
                    let that = d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
                    self.week = (that - this).num_weeks();
                    self.mode = Mode::Browse;
                    return Vec::new();
                }
                self.log_form_errors(&form);
            }
            Some(Action::Save) => {
                let effect = self.save(&mut form);
                if effect.is_none() {
                    self.log_form_errors(&form);
                }
                self.after_save(effect.as_ref());
                self.mode = match effect {
                    // The exit is only asked for here; the confirm popup sends it.
                    Some(Effect::ExitOrg { .. }) => Mode::ConfirmExit(form),
                    _ => Mode::Form(form),
                };
                return match &self.mode {
                    Mode::ConfirmExit(_) => Vec::new(),
                    _ => effect.into_iter().collect(),
                };
            }
            // Choices are picked with ←→ and Space, never typed.
            _ if has_choices => {}
            _ => {
                if edit_text(&mut form.focused().input, key) {
                    form.touched = true;
                    form.focused().error = None;
                    form.focused().picked = None;
                }
            }
        }
        self.mode = Mode::Form(form);
        Vec::new()
    }

    /// The effect a form's save produces, or None with its errors marked.
    fn save(&mut self, form: &mut Form) -> Option<Effect> {
        let lang = self.lang;
        match form.kind.clone() {
            FormKind::NewOrg | FormKind::EditOrg(_) => {
                let division = self.data.federation.as_ref().map(|f| f.division.clone()).unwrap_or_default();
                let new = form.kind == FormKind::NewOrg;
                form.to_org(lang, &division).map(|org| Effect::SaveOrg { org: Box::new(org), new })
            }
            FormKind::NewPerson | FormKind::EditPerson(_) => {
                let org = self.resolve_org(form.value("organization"));
                let new = form.kind == FormKind::NewPerson;
                form.to_person(lang, org).map(|p| Effect::SavePerson { person: Box::new(p), new })
            }
            FormKind::NewFederation => form.to_federation(lang).map(|f| Effect::CreateFederation(Box::new(f))),
            FormKind::ExitOrg(id) => {
                form.to_exit(lang).map(|(date, reason, kind)| Effect::ExitOrg { id, date, reason, kind: Some(kind) })
            }
            FormKind::NewVenue | FormKind::EditVenue(_) => {
                let new = form.kind == FormKind::NewVenue;
                form.to_venue(lang).map(|v| Effect::SaveVenue { venue: Box::new(v), new })
            }
            FormKind::NewBooking(_) | FormKind::EditBooking(_) => {
                let org = self.resolve_org(form.value("organization"));
                let new = matches!(form.kind, FormKind::NewBooking(_));
                form.to_booking(lang, org).map(|b| Effect::SaveBooking { booking: Box::new(b), new })
            }
            FormKind::NewTraining | FormKind::EditTraining(_) => {
                let new = form.kind == FormKind::NewTraining;
                form.to_training(lang).map(|t| Effect::SaveTraining { training: Box::new(t), new })
            }
            FormKind::NewSession(training) => {
                let venue = match form.fields.iter().find(|f| f.key == "venue") {
                    Some(f) if f.picked.is_some() => Ok(f.picked.clone()),
                    _ => self.resolve_venue(form.value("venue")),
                };
                form.to_session(lang, venue).map(|s| Effect::AddSession { training, session: Box::new(s) })
            }
            FormKind::NewPeer => {
                form.to_peer(lang).map(|(id, name, addr)| Effect::AddPeer { node_id: Box::new(id), name, addr })
            }
            FormKind::NewInvite => form.to_invite(lang).map(|(addr, write)| Effect::Invite { addr, write }),
            FormKind::GoToDate => None,
            FormKind::Grants(peer) => Some(Effect::SetGrants { peer, grants: form.to_grants(lang) }),
            FormKind::Import(kind) => crate::tui::import::check_effect(form, kind, lang),
            FormKind::Export(target) => crate::tui::export::effect(form, target, lang),
            FormKind::Assign(_) => {
                let candidates = self.liaison_candidates();
                form.to_assignment(lang, &candidates).map(|a| Effect::Assign(Box::new(a)))
            }
            FormKind::WalkIn { training, session } => {
                let org = self.resolve_org(form.value("organization"));
                let person = form.to_walk_in(lang, org)?;
                Some(Effect::WalkIn { training, session, person: Box::new(person) })
            }
            FormKind::EndAssignment(person) => {
                let active = self.active_assignments(&person);
                form.to_ended(lang, &active).map(|a| Effect::EndAssignment(Box::new(a)))
            }
            // Saved by `save_work`.
            FormKind::Work(_) => None,
        }
    }

    /// What a save sets up: the new record is selected once loaded. (An
    /// overlapping booking is warned about by the save's outcome, from ops.)
    fn after_save(&mut self, effect: Option<&Effect>) {
        match effect {
            Some(Effect::SaveOrg { org, new: true }) => self.select_after_load = Some(org.id.clone()),
            Some(Effect::SavePerson { person, new: true }) => self.select_after_load = Some(person.id.clone()),
            Some(Effect::SaveVenue { venue, new: true }) => self.select_after_load = Some(venue.id.clone()),
            Some(Effect::SaveTraining { training, new: true }) => self.select_after_load = Some(training.id.clone()),
            _ => {}
        }
    }

    /// Back to where a form was opened from: sign-in for a walk-in, else the list.
    fn close_form(&mut self, form: &Form) {
        match &form.kind {
            FormKind::WalkIn { training, session } => self.open_sign_in(training.clone(), session.clone()),
            _ => self.mode = Mode::Browse,
        }
    }

    /// Every error of a refused form goes to the message history in full,
    /// the field's error first: the form shows them wrapped, the history keeps them.
    fn log_form_errors(&mut self, form: &Form) {
        let title = self.t(form.title);
        let lines: Vec<String> = form
            .fields
            .iter()
            .filter_map(|f| {
                f.error
                    .as_ref()
                    .map(|e| format!("{title} · {}", crate::tui::forms::field_error(f.label.get(self.lang), e)))
            })
            .chain(
                form.message.iter().filter(|m| m.as_str() != self.t(i18n::FIX_FIELDS)).map(|m| format!("{title}: {m}")),
            )
            .collect();
        for line in lines {
            self.error(line);
        }
    }

    /// Esc over typed data asked first: Enter drops the form, Esc goes back to it.
    pub(super) fn confirm_discard(&mut self, form: Box<Form>, action: Option<Action>) -> Vec<Effect> {
        match action {
            Some(Action::Confirm) => {
                self.close_form(&form);
                self.say(self.t(i18n::DISCARDED));
            }
            Some(Action::Cancel) => self.mode = Mode::Form(form),
            _ => self.mode = Mode::ConfirmDiscard(form),
        }
        Vec::new()
    }

    /// The popup naming the organization: Enter/F2 exits it, Esc goes back
    /// to the form with the date and reason as typed.
    pub(super) fn confirm_exit(&mut self, mut form: Box<Form>, action: Option<Action>) -> Vec<Effect> {
        match action {
            Some(Action::Confirm) => {
                if let Some(effect) = self.save(&mut form) {
                    self.mode = Mode::ConfirmExit(form);
                    return vec![effect];
                }
                self.mode = Mode::Form(form);
            }
            Some(Action::Cancel) => self.mode = Mode::Form(form),
            _ => self.mode = Mode::ConfirmExit(form),
        }
        Vec::new()
    }
}

/// The character a key types, if it types one.
fn typed_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => Some(c),
        _ => None,
    }
}

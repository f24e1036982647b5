//! Browsing: tabs, the filtered and sorted views of each list, selection,
//! and the list keys.

use super::*;

/// The orders F11 cycles through on each list tab.
pub const SORTS: [&[T]; 4] = [
    &[i18n::SORT_DIVISION, i18n::NAME, i18n::CATEGORY, i18n::PARTY],
    &[i18n::SORT_STORED, i18n::NAME, i18n::ORGANIZATION, i18n::ROLES],
    &[i18n::SORT_STORED, i18n::NAME],
    &[i18n::SORT_STORED, i18n::NAME],
];

impl App {
    /// The list length of the current tab.
    pub(super) fn list_len(&self) -> usize {
        if self.tab == Tab::Sync {
            return match self.sync_view {
                SyncView::Peers => self.data.peers.len() + self.lan_unknown().len(),
                SyncView::Network => self.data.network.as_ref().map_or(0, |n| n.federations.len()),
            };
        }
        self.views[self.tab].len()
    }

    /// The data index of the selected row of a list tab.
    fn picked(&self, tab: Tab) -> Option<usize> {
        self.views[tab].get(self.selected[tab]).copied()
    }

    pub fn selected_org(&self) -> Option<&OrgRow> {
        self.picked(Tab::Orgs).and_then(|i| self.data.orgs.get(i))
    }

    pub fn selected_person(&self) -> Option<&Person> {
        self.picked(Tab::People).and_then(|i| self.data.people.get(i))
    }

    pub fn selected_venue(&self) -> Option<&Venue> {
        self.picked(Tab::Venues).and_then(|i| self.data.venues.get(i))
    }

    pub fn selected_training(&self) -> Option<&Training> {
        self.picked(Tab::Trainings).and_then(|i| self.data.trainings.get(i))
    }

    /// The selected record of the current tab, with its collection.
    pub fn selected_record_id(&self) -> Option<(Collection, RecordId)> {
        match self.tab {
            Tab::Orgs => self.selected_org().map(|r| (Collection::Orgs, r.id.clone())),
            Tab::People => self.selected_person().map(|p| (Collection::People, p.id.clone())),
            Tab::Venues => self.selected_venue().map(|v| (Collection::Venues, v.id.clone())),
            Tab::Trainings => self.selected_training().map(|t| (Collection::Trainings, t.id.clone())),
            Tab::Activities => self
                .selected_activity()
                .map(|a| (Collection::Activities, a.id.clone()))
                .or_else(|| self.selected_work_report().map(|r| (Collection::WorkReports, r.id.clone()))),
            Tab::Projects => self.selected_project().map(|p| (Collection::Projects, p.id.clone())),
            _ => None,
        }
    }

    /// The filter of the current tab, when it has one.
    pub fn filter(&self) -> Option<&TextInput> {
        Some(&self.filters[self.tab])
    }

    /// Recomputes every tab's view from its filter, keeping each selection
    /// on the same record where it is still shown.
    pub fn refilter(&mut self) {
        let keep: Vec<(Tab, Option<usize>)> = Tab::ALL[..4].iter().map(|t| (*t, self.picked(*t))).collect();
        let needle = |t: Tab| validate::fold_width(self.filters[t].text().trim()).to_lowercase();
        self.org_filter.text = self.filters[Tab::Orgs].text().to_string();
        let mut orgs = self.org_filter.apply(&self.data.orgs);
        let rows = &self.data.orgs;
        match self.sorts[Tab::Orgs.index()] {
            1 => orgs.sort_by(|a, b| rows[*a].name.cmp(&rows[*b].name)),
            2 => orgs.sort_by_key(|i| (rows[*i].category, rows[*i].division.clone())),
            3 => orgs.sort_by_key(|i| (rows[*i].party_status, rows[*i].division.clone())),
            _ => {}
        }
        let n = needle(Tab::People);
        let mut people: Vec<usize> = (0..self.data.people.len())
            .filter(|i| n.split_whitespace().all(|w| self.derived.person_keys[*i].contains(w)))
            .collect();
        let ps = &self.data.people;
        match self.sorts[Tab::People.index()] {
            1 => people.sort_by(|a, b| ps[*a].name.cmp(&ps[*b].name)),
            2 => people.sort_by(|a, b| self.derived.person_org[*a].cmp(&self.derived.person_org[*b])),
            3 => people.sort_by_key(|i| ps[*i].roles.first().map(|r| r.code())),
            _ => {}
        }
        let n = needle(Tab::Venues);
        let mut venues: Vec<usize> = self
            .data
            .venues
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                let key = format!(
                    "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
                    v.name.to_lowercase(),
                    crate::domain::query::pinyin_initials(&v.name),
                    v.address,
                    v.kind.label(Lang::Zh),
                    v.kind.label(Lang::En).to_lowercase()
                );
                n.split_whitespace().all(|w| key.contains(w))
            })
            .map(|(i, _)| i)
            .collect();
        let n = needle(Tab::Trainings);
        let mut trainings: Vec<usize> = self
            .data
            .trainings
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                let key = format!(
                    "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
                    t.title.to_lowercase(),
                    crate::domain::query::pinyin_initials(&t.title),
                    t.trainer.to_lowercase(),
                    t.format.label(Lang::Zh),
                    t.format.label(Lang::En).to_lowercase()
                );
                n.split_whitespace().all(|w| key.contains(w))
            })
            .map(|(i, _)| i)
            .collect();
        if self.sorts[Tab::Venues.index()] == 1 {
            venues.sort_by(|a, b| self.data.venues[*a].name.cmp(&self.data.venues[*b].name));
        }
        if self.sorts[Tab::Trainings.index()] == 1 {
            trainings.sort_by(|a, b| self.data.trainings[*a].title.cmp(&self.data.trainings[*b].title));
        }
        self.views[Tab::Orgs] = orgs;
        self.views[Tab::People] = people;
        self.views[Tab::Venues] = venues;
        self.views[Tab::Trainings] = trainings;
        for (t, kept) in keep {
            let len = self.views[t].len();
            self.selected[t] = kept
                .and_then(|k| self.views[t].iter().position(|i| *i == k))
                .unwrap_or(self.selected[t].min(len.saturating_sub(1)));
        }
        self.refilter_work();
        self.refilter_stats();
    }

    /// After the current tab's filter text changed: only that tab's view
    /// reads it, so a keystroke on the activities tab does not filter the
    /// organizations, people, venues and trainings again.
    pub(super) fn refilter_typed(&mut self) {
        match self.tab {
            Tab::Activities => self.refilter_activities(),
            Tab::Projects => self.refilter_projects(),
            Tab::Reports => self.refilter_stats(),
            _ => self.refilter(),
        }
    }

    /// Liaison candidates: people with an instructor or liaison role.
    pub fn liaison_candidates(&self) -> Vec<&Person> {
        self.data
            .people
            .iter()
            .filter(|p| p.roles.iter().any(|r| matches!(r, Role::Liaison | Role::Instructor)))
            .collect()
    }

    /// Details the selected record needs from the store.
    pub(super) fn after_selection_change(&mut self) -> Vec<Effect> {
        match self.tab {
            Tab::Orgs => match self.selected_org() {
                Some(row) => {
                    if self.detail.as_ref().is_none_or(|(o, _)| o.id != row.id) {
                        return vec![Effect::LoadOrg(row.id.clone())];
                    }
                }
                // Nothing shown is nothing to edit: no stale detail.
                None => self.detail = None,
            },
            Tab::People | Tab::Venues | Tab::Trainings => match self.selected_record_id() {
                Some((kind, id)) => {
                    if self.record_conflicts.as_ref().is_none_or(|(r, _)| *r != id) {
                        self.record_conflicts = None;
                        return vec![Effect::LoadConflicts(kind, id)];
                    }
                }
                None => self.record_conflicts = None,
            },
            Tab::Activities if self.work.act_view == ActView::List => return self.activity_needed(),
            // Most activities and projects hold no conflict: ask only for a marked one.
            Tab::Activities | Tab::Projects => match self.selected_record_id() {
                Some((kind, id)) if self.derived.conflicts.contains_key(&id) => {
                    if self.record_conflicts.as_ref().is_none_or(|(r, _)| *r != id) {
                        self.record_conflicts = None;
                        return vec![Effect::LoadConflicts(kind, id)];
                    }
                }
                _ => self.record_conflicts = None,
            },
            _ => {}
        }
        Vec::new()
    }

    fn move_selection(&mut self, action: Action) -> Vec<Effect> {
        let len = self.list_len();
        let sel = &mut self.selected[self.tab];
        let page = self.hits.page.max(1);
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

    fn go_tab(&mut self, tab: Tab) -> Vec<Effect> {
        self.tab = tab;
        if self.tab == Tab::Reports && self.data.report.is_none() {
            return vec![Effect::LoadReport(self.lang)];
        }
        if self.tab == Tab::Projects {
            return self.ranking_needed();
        }
        self.after_selection_change()
    }

    /// A left click: a tab title selects the tab, a list row selects the row.
    pub(super) fn click(&mut self, x: u16, y: u16) -> Vec<Effect> {
        if self.mode != Mode::Browse {
            self.dirty = false;
            return Vec::new();
        }
        if y == 0 {
            if let Some(at) = self.hits.tabs.iter().position(|(a, b)| (*a..*b).contains(&x)) {
                return self.go_tab(Tab::ALL[at]);
            }
        }
        if let Some((x0, x1, top, rows, first)) = self.hits.rows {
            if (x0..x1).contains(&x) && (top..top + rows).contains(&y) {
                let at = first + usize::from(y - top);
                if at < self.list_len() {
                    self.selected[self.tab] = at;
                    return self.after_selection_change();
                }
            }
        }
        self.dirty = false;
        Vec::new()
    }

    pub(super) fn browse(&mut self, action: Option<Action>) -> Vec<Effect> {
        let Some(action) = action else {
            self.dirty = false;
            return Vec::new();
        };
        if matches!(self.tab, Tab::Activities | Tab::Projects) {
            if let Some(effects) = self.browse_work(action) {
                return effects;
            }
        }
        if self.tab == Tab::Reports {
            if let Some(effects) = self.browse_stats(action) {
                return effects;
            }
        }
        match action {
            Action::NextTab => return self.go_tab(self.tab.next()),
            Action::PrevTab => return self.go_tab(self.tab.prev()),
            Action::GoTab(i) => return self.go_tab(i),
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Home | Action::End => {
                return self.move_selection(action)
            }
            Action::Filter => self.mode = Mode::Filter,
            Action::Add | Action::AddChild | Action::Edit | Action::ExitOrg | Action::Import | Action::Export => {
                return self.open_form(action)
            }
            Action::Bookings => {
                if self.week_bookings().is_empty() {
                    self.say(self.t(i18n::NO_BOOKINGS_WEEK));
                } else {
                    self.open_booking_picker(false);
                }
            }
            Action::PrevWeek => self.week -= 1,
            Action::NextWeek => self.week += 1,
            Action::ThisWeek => self.week = 0,
            Action::GoToDate => {
                let form = crate::tui::venue_training_forms::go_to_date(self.week_monday());
                self.mode = Mode::Form(Box::new(form));
            }
            Action::View if self.tab == Tab::Sync => self.toggle_sync_view(),
            Action::SyncNow => {
                self.say(self.t(i18n::SYNCING));
                return vec![Effect::SyncNow];
            }
            Action::SignIn => return self.start_sign_in(),
            Action::Coverage => {
                self.org_filter.uncovered = !self.org_filter.uncovered;
                self.refilter();
                return self.after_selection_change();
            }
            Action::Conflicts => self.open_conflicts(),
            Action::Sort => {
                if let Some(sort) = self.sorts.get_mut(self.tab.index()) {
                    *sort = (*sort + 1) % SORTS[self.tab.index()].len();
                    self.refilter();
                }
            }
            Action::Refresh => return vec![Effect::LoadAll],
            _ => self.dirty = false,
        }
        Vec::new()
    }

    pub(super) fn filtering(&mut self, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let tab = self.tab;
        match action {
            Some(Action::Confirm) => {}
            Some(Action::Cancel) => {
                self.filters[tab].clear();
                self.refilter_typed();
                return self.after_selection_change();
            }
            _ => {
                self.mode = Mode::Filter;
                if edit_text(&mut self.filters[tab], key) {
                    self.refilter_typed();
                    return self.after_selection_change();
                }
            }
        }
        Vec::new()
    }
}

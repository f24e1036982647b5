//! What a load from the store brings: the data swapped in, the lookups the
//! screens need derived once (not per key), the selection kept.

use super::{network, tab_of, ActView, App, Data, Derived, Effect, Mode, PerTab, ProjView, Tab};
use crate::domain::*;
use crate::tui::picker::PickFor;
use std::collections::{HashMap, HashSet};

impl App {
    pub(super) fn loaded(&mut self, data: Data) -> Vec<Effect> {
        let first = !self.loaded;
        self.data = data;
        self.loaded = true;
        self.derive();
        self.refilter();
        if let Some(id) = self.select_after_load.take() {
            self.select_record(&id);
        }
        let setup = self.mode.picking_for(|p| *p == PickFor::Setup);
        if self.data.federation.is_none() {
            // Kept as it is when open, with what was typed.
            if !matches!(self.base_mode(), Mode::Form(_)) && !setup {
                self.open_setup();
            }
        } else if setup || first && self.mode == Mode::Browse {
            self.mode = Mode::Browse;
        }
        // Sign-in under way: the roll as now stored (a walk-in added, another desk's sign-ins).
        if self.mode.picking_for(|p| matches!(p, PickFor::SignIn { .. })) {
            self.reopen_picker();
        }
        self.detail = None;
        self.record_conflicts = None;
        self.work.detail = None;
        let mut effects = self.after_selection_change();
        if self.tab == Tab::Reports {
            effects.push(Effect::LoadReport(self.lang));
        }
        effects.extend(self.work_after_load());
        effects
    }

    /// Selects a record on the current tab's list, if it is shown there.
    pub(super) fn select_record(&mut self, id: &RecordId) {
        let d = &self.data;
        let found = Some(&self.views[self.tab]).and_then(|view| {
            view.iter().position(|i| match self.tab {
                Tab::Orgs => d.orgs.get(*i).is_some_and(|r| &r.id == id),
                Tab::People => d.people.get(*i).is_some_and(|p| &p.id == id),
                Tab::Venues => d.venues.get(*i).is_some_and(|v| &v.id == id),
                Tab::Trainings => d.trainings.get(*i).is_some_and(|t| &t.id == id),
                // Each view of the activities tab indexes its own list.
                Tab::Activities => match self.work.act_view {
                    ActView::List => d.activities.get(*i).is_some_and(|a| &a.id == id),
                    ActView::Due => self.work.due.get(*i).is_some_and(|r| &r.activity == id),
                    ActView::Reports => d.work_reports.get(*i).is_some_and(|r| &r.id == id),
                    ActView::Missing => self.work.missing.get(*i).is_some_and(|o| &d.orgs[*o].id == id),
                    ActView::Quiet => self.work.quiet.get(*i).is_some_and(|q| &q.id == id),
                },
                Tab::Projects => match self.work.proj_view {
                    ProjView::Projects => d.projects.get(*i).is_some_and(|p| &p.id == id),
                    ProjView::Honours => self.honour_at(*i).is_some_and(|h| &h.id == id),
                    ProjView::Ranking | ProjView::Gaps => false,
                },
                _ => false,
            })
        });
        if let Some(at) = found {
            self.selected[self.tab] = at;
        }
    }

    /// Lookups the screens need, once per load.
    pub(super) fn derive(&mut self) {
        let d = &self.data;
        let org_index: HashMap<RecordId, usize> = d.orgs.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        // A liaison belongs to no organization: show the ones they are assigned to.
        let mut assigned: HashMap<&RecordId, Vec<&str>> = HashMap::new();
        for a in d.liaisons.iter().filter(|a| a.to.is_none_or(|to| to >= self.today)) {
            if let Some(i) = org_index.get(&a.organization) {
                assigned.entry(&a.person).or_default().push(d.orgs[*i].name.as_str());
            }
        }
        let person_org: Vec<String> = d
            .people
            .iter()
            .map(|p| match p.organization.as_ref().and_then(|id| org_index.get(id)) {
                Some(i) => d.orgs[*i].name.clone(),
                None => assigned.get(&p.id).map_or(String::new(), |names| names.join("、")),
            })
            .collect();
        let person_keys = d
            .people
            .iter()
            .zip(&person_org)
            .map(|(p, org)| {
                let roles: Vec<String> =
                    p.roles.iter().map(|r| format!("{} {}", r.zh(), r.en().to_lowercase())).collect();
                format!(
                    "{}\u{1}{}\u{1}{}\u{1}{}",
                    p.name.to_lowercase(),
                    crate::domain::query::pinyin_initials(&p.name),
                    roles.join("\u{1}"),
                    org.to_lowercase()
                )
            })
            .collect();
        // Requested bookings count too: a clash is best seen before it is confirmed.
        let mut live: Vec<&Booking> = d.bookings.iter().filter(|b| b.status != BookingStatus::Cancelled).collect();
        live.sort_by(|a, b| (&a.venue, a.date).cmp(&(&b.venue, b.date)));
        let mut clashing = HashSet::new();
        for (i, a) in live.iter().enumerate() {
            for b in live[i + 1..].iter().take_while(|b| b.venue == a.venue && b.date == a.date) {
                if a.overlaps(b) {
                    clashing.insert(a.id.clone());
                    clashing.insert(b.id.clone());
                }
            }
        }
        let mut org_activities: HashMap<RecordId, Vec<usize>> = HashMap::new();
        for (i, a) in d.activities.iter().enumerate() {
            for o in &a.organizations {
                org_activities.entry(o.clone()).or_default().push(i);
            }
        }
        let activity_lead = d.activities.iter().map(|a| a.lead().and_then(|o| org_index.get(o).copied())).collect();
        let mut org_keys = crate::domain::text_index::Keys::new();
        for o in d.orgs.iter() {
            org_keys.push(&format!("{}\u{1}{}", o.name.to_lowercase(), crate::domain::query::pinyin_initials(&o.name)));
        }
        let activity_index = crate::domain::activity_query::ActivityIndex::new(&d.activities);
        let last_work_report = crate::domain::activity_query::last_work_reports(&d.work_reports)
            .into_iter()
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect();

        let mut conflict_counts = PerTab::<usize>::default();
        for c in &d.conflicted {
            if let Some(tab) = tab_of(c.kind) {
                conflict_counts[tab] += 1;
            }
        }
        let conflicts = d.conflicted.iter().map(|c| (c.id.clone(), c.fields)).collect();
        let roster_federations = network::roster_federations(d);
        self.derived = Derived {
            org_index,
            person_org,
            person_keys,
            clashing,
            org_activities,
            activity_lead,
            org_keys,
            activity_index,
            project_keys: Self::project_keys(&d.projects),
            last_work_report,
            conflicts,
            conflict_counts,
            roster_federations,
            honour_lines: Vec::new(),
            honour_keys: Vec::new(),
        };
        self.org_filter.dispatched = crate::domain::report::dispatched_orgs(&d.liaisons, self.today);
        self.derive_honours();
        self.derive_work();
    }
}

//! The activities tab (活动: the list with its conditions, major-activity
//! reports due, work reports to the 两委 and the organizations with none in
//! the period) and the projects tab (项目 and the evaluation ranking per
//! township). Every save is a command of src/ops carried by `WorkEffect`.

use super::*;
use crate::domain::activity_query::{
    missing_work_reports, per_org_quarter, quiet_orgs, reports_due, ActivityFilter, ActivityRow, DueReport, QuietOrg,
    QUIET_MONTHS,
};
use crate::domain::ledger_report::Ranked;
use crate::ops::activities::{ActivityFields, AddWorkReport, LogParticipants, Participant, ReportMajor, Review};
use crate::ops::evaluations::Evaluate;
use crate::ops::evaluations::RecordChecklist;
use crate::ops::projects::{AddHonour, AddProject, Advance, EditHonour};
use crate::tui::work_forms::{self as wf, WorkForm};
use chrono::Datelike;

/// The lists of the activities tab, F6 goes through them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ActView {
    #[default]
    List,
    /// Major activities whose report is due or overdue.
    Due,
    /// Work reports to the committees, newest first.
    Reports,
    /// Active organizations with no work report in the period.
    Missing,
    /// Active organizations with no activity in `Work::quiet_months`: a
    /// suggestion to mark them dormant, never applied.
    Quiet,
}

/// The lists of the projects tab, F6 goes through them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProjView {
    #[default]
    Projects,
    Ranking,
    /// Organizations lacking 规范化建设 items (or the self-check) per township.
    Gaps,
    /// Honours and brand titles, the list for publicity.
    Honours,
}

/// What the activities and projects tabs ask the store to do.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkEffect {
    /// A new activity and its participants (unknown names added as volunteers).
    AddActivity {
        fields: ActivityFields,
        participants: Vec<Participant>,
    },
    /// Changed fields of a logged activity (the others stay as stored).
    EditActivity {
        id: RecordId,
        fields: ActivityFields,
    },
    /// The selected activity in full, with its conflicts.
    LoadActivity(RecordId),
    LogParticipants(LogParticipants),
    ReportMajor(ReportMajor),
    Acknowledge {
        activity: RecordId,
        by: String,
        on: NaiveDate,
    },
    AddWorkReport(AddWorkReport),
    Review(Review),
    AddProject(AddProject),
    Advance(Advance),
    Evaluate(Evaluate),
    /// The ranking reads every organization in full: only when it is shown.
    LoadRanking(i32),
    AddHonour(AddHonour),
    EditHonour(EditHonour),
    RecordChecklist(RecordChecklist),
    SetSettings(EvaluationSettings),
    /// The gaps read every organization in full: only when they are shown.
    LoadGaps(i32),
}

impl From<WorkEffect> for Effect {
    fn from(w: WorkEffect) -> Effect {
        Effect::Work(Box::new(w))
    }
}

/// The two tabs' state beside the generic filters, views and selections.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub act_view: ActView,
    /// The activity list's conditions; its text is the tab's filter.
    pub conditions: ActivityFilter,
    /// The period the "no work report" list looks at.
    pub period: Period,
    pub due: Vec<DueReport>,
    /// Indexes into `data.orgs` of the organizations with no work report in `period`.
    pub missing: Vec<usize>,
    /// Indexes into `data.work_reports`, newest first.
    pub reports: Vec<usize>,
    /// Months without an activity after which an organization is quiet.
    pub quiet_months: u32,
    pub quiet: Vec<QuietOrg>,
    /// The selected activity in full and its conflicts, as last loaded.
    pub detail: Option<(Activity, Vec<FieldConflict>)>,
    /// Enter was pressed before the activity arrived: its form opens then.
    pub edit_pending: Option<RecordId>,
    pub proj_view: ProjView,
    pub rank_year: i32,
    /// (year, (township, ranked)) as last loaded.
    pub ranking: Option<(i32, Vec<(String, Ranked)>)>,
    /// Search keys of `ranking`'s rows, built when it loads (pinyin per row
    /// per keystroke cost tens of milliseconds at province scale).
    pub ranking_keys: Vec<String>,
    /// (year, gaps per township) as last loaded; the gaps view lists `gap_rows`.
    pub gaps: Option<(i32, Vec<crate::domain::ledger_report::TownshipGaps>)>,
    pub gap_rows: Vec<super::GapRow>,
    /// Search keys of `gap_rows`, built when the gaps load.
    pub gap_keys: Vec<String>,
}

impl Work {
    /// The last finished half-year is the period work reports are chased for.
    pub fn new(today: NaiveDate) -> Work {
        let period = if today.month() > 6 { Period::Half(today.year(), 1) } else { Period::Half(today.year() - 1, 2) };
        Work {
            act_view: ActView::List,
            conditions: ActivityFilter::default(),
            period,
            due: Vec::new(),
            missing: Vec::new(),
            reports: Vec::new(),
            quiet_months: QUIET_MONTHS,
            quiet: Vec::new(),
            detail: None,
            edit_pending: None,
            proj_view: ProjView::Projects,
            rank_year: today.year() - 1,
            ranking: None,
            ranking_keys: Vec::new(),
            gaps: None,
            gap_rows: Vec::new(),
            gap_keys: Vec::new(),
        }
    }

    pub fn ranking_rows(&self) -> &[(String, Ranked)] {
        match &self.ranking {
            Some((year, rows)) if *year == self.rank_year => rows,
            _ => &[],
        }
    }
}

impl App {
    /// Lists derived once per load: reports due, work reports newest first,
    /// organizations with none in the period, quiet organizations.
    pub(super) fn derive_work(&mut self) {
        let d = &self.data;
        self.work.due = reports_due(&d.activities, &d.major_rule, self.today);
        let mut reports: Vec<usize> = (0..d.work_reports.len()).collect();
        reports.sort_by(|a, b| {
            let (a, b) = (&d.work_reports[*a], &d.work_reports[*b]);
            (b.reported_on, b.period.last_day()).cmp(&(a.reported_on, a.period.last_day()))
        });
        self.work.reports = reports;
        self.derive_missing();
        self.derive_quiet();
    }

    /// The CLI's `activity quiet` list: the same domain query.
    fn derive_quiet(&mut self) {
        self.work.quiet = quiet_orgs(&self.data.orgs, &self.data.activities, self.today, self.work.quiet_months);
    }

    fn derive_missing(&mut self) {
        let d = &self.data;
        self.work.missing = missing_work_reports(&d.orgs, &d.work_reports, self.work.period)
            .into_iter()
            .filter_map(|o| self.derived.org_index.get(&o.id).copied())
            .collect();
    }

    /// After a load: the ranking is read again when it is shown.
    pub(super) fn work_after_load(&mut self) -> Vec<Effect> {
        match (self.tab, self.work.proj_view) {
            (Tab::Projects, ProjView::Ranking) => vec![WorkEffect::LoadRanking(self.work.rank_year).into()],
            (Tab::Projects, ProjView::Gaps) => vec![WorkEffect::LoadGaps(self.work.rank_year).into()],
            _ => Vec::new(),
        }
    }

    /// The views of the two tabs under their filters.
    pub(super) fn refilter_work(&mut self) {
        self.refilter_activities();
        self.refilter_projects();
    }

    fn needle(&self, tab: Tab) -> String {
        validate::fold_width(self.filters[tab].text().trim()).to_lowercase()
    }

    /// The activities tab's current list under its filter and conditions.
    pub(super) fn refilter_activities(&mut self) {
        let d = &self.data;
        let n = self.needle(Tab::Activities);
        // Which organization names and which distinct titles hold the text:
        // one search of the keys per keystroke, then a lookup per activity.
        let org_hit: Vec<bool> = if n.is_empty() { Vec::new() } else { self.derived.org_keys.holding(&n) };
        let hit = |i: Option<usize>| n.is_empty() || i.is_some_and(|i| org_hit.get(i).copied().unwrap_or(false));
        let org_matches =
            |id: Option<&RecordId>, _: &str| hit(id.and_then(|id| self.derived.org_index.get(id)).copied());
        let activities: Vec<usize> = match self.work.act_view {
            ActView::List => {
                let c = &self.work.conditions;
                let index = &self.derived.activity_index;
                let title_hit = if n.is_empty() { Vec::new() } else { index.titles_holding(&n) };
                let lead = &self.derived.activity_lead;
                // No condition set: no row needs reading beyond the text's hits.
                let any_condition = *c != ActivityFilter { text: c.text.clone(), ..Default::default() };
                (0..d.activities.len())
                    .filter(|i| {
                        (n.is_empty() || index.title_holds(&title_hit, *i) || hit(lead.get(*i).copied().flatten()))
                            && (!any_condition || c.matches(&d.activities[*i], ""))
                    })
                    .collect()
            }
            ActView::Due => (0..self.work.due.len())
                .filter(|i| {
                    let r = &self.work.due[*i];
                    r.title.to_lowercase().contains(&n) || org_matches(r.organization.as_ref(), &n)
                })
                .collect(),
            ActView::Reports => self
                .work
                .reports
                .iter()
                .copied()
                .filter(|i| org_matches(Some(&d.work_reports[*i].organization), &n))
                .collect(),
            ActView::Missing => (0..self.work.missing.len())
                .filter(|i| org_matches(Some(&d.orgs[self.work.missing[*i]].id), &n))
                .collect(),
            ActView::Quiet => {
                (0..self.work.quiet.len()).filter(|i| org_matches(Some(&self.work.quiet[*i].id), &n)).collect()
            }
        };
        self.views[Tab::Activities] = activities;
        self.selected[Tab::Activities] =
            self.selected[Tab::Activities].min(self.views[Tab::Activities].len().saturating_sub(1));
    }

    /// The projects tab's current list under its filter.
    pub(super) fn refilter_projects(&mut self) {
        let d = &self.data;
        let n = self.needle(Tab::Projects);
        let projects: Vec<usize> = match self.work.proj_view {
            ProjView::Projects => {
                let keys = &self.derived.project_keys;
                let mut list: Vec<usize> = (0..d.projects.len()).filter(|i| all_words_in(&n, keys.get(*i))).collect();
                list.sort_by(|a, b| {
                    let (a, b) = (&d.projects[*a], &d.projects[*b]);
                    (b.year, &a.name).cmp(&(a.year, &b.name))
                });
                list
            }
            ProjView::Ranking => {
                let keys = &self.work.ranking_keys;
                (0..self.work.ranking_rows().len()).filter(|i| all_words_in(&n, keys.get(*i))).collect()
            }
            ProjView::Honours => self.honours_view(&n),
            ProjView::Gaps => self.gaps_view(&n),
        };
        self.views[Tab::Projects] = projects;
        self.selected[Tab::Projects] =
            self.selected[Tab::Projects].min(self.views[Tab::Projects].len().saturating_sub(1));
    }

    /// Each project's lower-case name, its pinyin initials, funder and lead:
    /// built once per load, not once per keystroke.
    pub(super) fn project_keys(projects: &[Project]) -> Vec<String> {
        projects.iter().map(|p| search_key(&p.name, &[p.funder.as_str(), p.lead_name.as_str()])).collect()
    }

    /// The selected activity row of the list view.
    pub fn selected_activity(&self) -> Option<&ActivityRow> {
        if self.work.act_view != ActView::List {
            return None;
        }
        self.views[Tab::Activities].get(self.selected[Tab::Activities]).and_then(|i| self.data.activities.get(*i))
    }

    pub fn selected_due(&self) -> Option<&DueReport> {
        if self.work.act_view != ActView::Due {
            return None;
        }
        self.views[Tab::Activities].get(self.selected[Tab::Activities]).and_then(|i| self.work.due.get(*i))
    }

    pub fn selected_work_report(&self) -> Option<&WorkReport> {
        if self.work.act_view != ActView::Reports {
            return None;
        }
        self.views[Tab::Activities].get(self.selected[Tab::Activities]).and_then(|i| self.data.work_reports.get(*i))
    }

    pub fn selected_missing(&self) -> Option<&OrgRow> {
        if self.work.act_view != ActView::Missing {
            return None;
        }
        let at = self.views[Tab::Activities].get(self.selected[Tab::Activities])?;
        self.work.missing.get(*at).and_then(|i| self.data.orgs.get(*i))
    }

    pub fn selected_quiet(&self) -> Option<&QuietOrg> {
        if self.work.act_view != ActView::Quiet {
            return None;
        }
        self.views[Tab::Activities].get(self.selected[Tab::Activities]).and_then(|i| self.work.quiet.get(*i))
    }

    /// The selected activity in full, when it has arrived.
    pub fn activity_detail(&self) -> Option<&(Activity, Vec<FieldConflict>)> {
        let id = &self.selected_activity()?.id;
        self.work.detail.as_ref().filter(|(a, _)| &a.id == id)
    }

    /// The selected activity is read in full (its form, its conflicts) once
    /// it is selected, like an organization's detail.
    pub(super) fn activity_needed(&mut self) -> Vec<Effect> {
        match self.selected_activity().map(|a| a.id.clone()) {
            Some(id) if self.work.detail.as_ref().is_none_or(|(a, _)| a.id != id) => {
                vec![WorkEffect::LoadActivity(id).into()]
            }
            Some(_) => Vec::new(),
            None => {
                self.work.detail = None;
                Vec::new()
            }
        }
    }

    /// An activity read in full: kept if still selected; a pending edit opens.
    pub(super) fn activity_loaded(&mut self, a: Activity, conflicts: Vec<FieldConflict>) {
        if self.selected_activity().is_none_or(|r| r.id != a.id) {
            return;
        }
        let id = a.id.clone();
        self.work.detail = Some((a, conflicts));
        if self.work.edit_pending.take().is_some_and(|p| p == id) && self.mode == Mode::Browse {
            self.open_activity_edit();
        }
        self.open_pending_conflicts(&id);
    }

    /// The activity form filled in from the record; conflicts stay on F7.
    fn open_activity_edit(&mut self) {
        let Some((a, _)) = self.activity_detail() else { return };
        let org = a.lead().and_then(|id| self.org_name(id)).unwrap_or("").to_string();
        let venue =
            a.venue.as_ref().and_then(|id| self.data.venues.iter().find(|v| &v.id == id)).map(|v| v.name.clone());
        let f = wf::edit_activity(self.lang, a, &org, venue.as_deref());
        self.mode = Mode::Form(Box::new(f));
    }

    /// Enter on a quiet organization: its row on the organizations tab,
    /// where Enter edits it (the lifecycle is the secretary's decision).
    fn go_to_org(&mut self, id: RecordId) -> Vec<Effect> {
        self.tab = Tab::Orgs;
        self.filters[Tab::Orgs].clear();
        self.org_filter.uncovered = false;
        self.refilter();
        self.select_record(&id);
        self.after_selection_change()
    }

    pub fn selected_project(&self) -> Option<&Project> {
        if self.work.proj_view != ProjView::Projects {
            return None;
        }
        self.views[Tab::Projects].get(self.selected[Tab::Projects]).and_then(|i| self.data.projects.get(*i))
    }

    pub fn selected_ranked(&self) -> Option<&(String, Ranked)> {
        if self.work.proj_view != ProjView::Ranking {
            return None;
        }
        self.views[Tab::Projects].get(self.selected[Tab::Projects]).and_then(|i| self.work.ranking_rows().get(*i))
    }

    /// Keys of the two tabs that are not plain list moves; None: not theirs.
    pub(super) fn browse_work(&mut self, action: Action) -> Option<Vec<Effect>> {
        let lang = self.lang;
        let today = self.today;
        match (action, self.tab) {
            (Action::View, Tab::Activities) => {
                self.work.act_view = match self.work.act_view {
                    ActView::List => ActView::Due,
                    ActView::Due => ActView::Reports,
                    ActView::Reports => ActView::Missing,
                    ActView::Missing => ActView::Quiet,
                    ActView::Quiet => ActView::List,
                };
                self.selected[Tab::Activities] = 0;
                self.refilter_work();
                return Some(self.after_selection_change());
            }
            (Action::View, Tab::Projects) => {
                self.work.proj_view = match self.work.proj_view {
                    ProjView::Projects => ProjView::Ranking,
                    ProjView::Ranking => ProjView::Gaps,
                    ProjView::Gaps => ProjView::Honours,
                    ProjView::Honours => ProjView::Projects,
                };
                self.selected[Tab::Projects] = 0;
                self.refilter_work();
                let mut effects = self.ranking_needed();
                effects.extend(self.gaps_needed());
                effects.extend(self.after_selection_change());
                return Some(effects);
            }
            (Action::PrevWeek | Action::NextWeek, Tab::Projects)
                if matches!(self.work.proj_view, ProjView::Ranking | ProjView::Gaps) =>
            {
                self.work.rank_year += if action == Action::NextWeek { 1 } else { -1 };
                self.selected[Tab::Projects] = 0;
                self.refilter_work();
                let mut effects = self.ranking_needed();
                effects.extend(self.gaps_needed());
                return Some(effects);
            }
            (Action::Settings, Tab::Projects) => self.open_settings(),
            (Action::Add | Action::Edit, Tab::Projects)
                if matches!(self.work.proj_view, ProjView::Honours | ProjView::Gaps) =>
            {
                self.open_ledger_form(action == Action::Add);
            }
            (Action::Conditions, Tab::Activities) => {
                let org = self.work.conditions.organization.as_ref().and_then(|id| self.org_name(id)).unwrap_or("");
                let mut f = wf::conditions(lang, &self.work.conditions, org, self.work.period, self.work.quiet_months);
                f.fields[0].picked = self.work.conditions.organization.clone();
                self.mode = Mode::Form(Box::new(f));
            }
            (Action::Add, Tab::Activities) => {
                let form = match self.work.act_view {
                    ActView::Reports | ActView::Missing => {
                        let org = self.selected_missing().map(|o| (o.name.clone(), o.id.clone()));
                        self.org_form(wf::work_report(lang, "", self.work.period, today), org)
                    }
                    _ => {
                        // The organization the list is narrowed to is the likely one.
                        let org = self.work.conditions.organization.clone();
                        let name = org.as_ref().and_then(|id| self.org_name(id)).unwrap_or("").to_string();
                        self.org_form(wf::activity(lang, today, ""), org.map(|id| (name, id)))
                    }
                };
                self.mode = Mode::Form(Box::new(form));
            }
            (Action::Edit, Tab::Activities) => match self.work.act_view {
                ActView::List => {
                    if self.activity_detail().is_some() {
                        self.open_activity_edit();
                    } else if let Some(id) = self.selected_activity().map(|a| a.id.clone()) {
                        // Not read yet: the form opens when it arrives.
                        self.work.edit_pending = Some(id.clone());
                        return Some(vec![WorkEffect::LoadActivity(id).into()]);
                    }
                }
                ActView::Quiet => {
                    if let Some(id) = self.selected_quiet().map(|q| q.id.clone()) {
                        return Some(self.go_to_org(id));
                    }
                }
                ActView::Due => {
                    if let Some(id) = self.selected_due().map(|d| d.activity.clone()) {
                        self.open_report_flow(id);
                    }
                }
                ActView::Reports => {
                    if let Some(r) = self.selected_work_report() {
                        let name = self.org_name(&r.organization).unwrap_or_default().to_string();
                        let f =
                            wf::review(lang, r.id.clone(), today).about(&format!("{name} {}", r.period.label(lang)));
                        self.mode = Mode::Form(Box::new(f));
                    }
                }
                ActView::Missing => {
                    if let Some(o) = self.selected_missing().map(|o| (o.name.clone(), o.id.clone())) {
                        let f = self.org_form(wf::work_report(lang, "", self.work.period, today), Some(o));
                        self.mode = Mode::Form(Box::new(f));
                    }
                }
            },
            (Action::Participants, Tab::Activities) => return Some(self.open_participants()),
            (Action::MajorReport, Tab::Activities) => {
                let id =
                    self.selected_activity().map(|a| a.id.clone()).or(self.selected_due().map(|d| d.activity.clone()));
                if let Some(id) = id {
                    self.open_report_flow(id);
                }
            }
            (Action::Add, Tab::Projects) => {
                let form = match self.work.proj_view {
                    ProjView::Ranking => wf::evaluate(lang, "", self.work.rank_year, today, None),
                    _ => wf::project(lang, today),
                };
                self.mode = Mode::Form(Box::new(form));
            }
            (Action::Edit, Tab::Projects) => match self.work.proj_view {
                ProjView::Projects => {
                    if let Some(p) = self.selected_project() {
                        match wf::advance(lang, p, today) {
                            Some(f) => self.mode = Mode::Form(Box::new(f)),
                            None => self.say(self.t(crate::tui::work_text::PROJECT_DONE)),
                        }
                    }
                }
                ProjView::Honours | ProjView::Gaps => {}
                ProjView::Ranking => {
                    if let Some((_, r)) = self.selected_ranked() {
                        let (name, id) = (r.entry.name.clone(), r.entry.organization.clone());
                        let f = wf::evaluate(lang, &name, self.work.rank_year, today, None);
                        // Evaluation's 活动情况 is scored on the year's activities: their count by quarter.
                        let f = self.org_form(f, Some((name, id.clone()))).about(&self.quarters_text(&id));
                        self.mode = Mode::Form(Box::new(f));
                    }
                }
            },
            _ => return None,
        }
        Some(Vec::new())
    }

    /// An organization's activities in each quarter of the ranking year.
    fn quarters_text(&self, org: &RecordId) -> String {
        let year = self.work.rank_year;
        let held = self.derived.org_activities.get(org).map_or(&[][..], |l| l.as_slice());
        let rows: Vec<ActivityRow> = held.iter().map(|i| self.data.activities[*i].clone()).collect();
        let q = per_org_quarter(&rows, year).remove(org).unwrap_or_default();
        let total: u32 = q.iter().sum();
        let each = q.map(|n| n.to_string()).join("/");
        match self.lang {
            Lang::Zh => format!("{year}年各季度活动 {each},共 {total} 次"),
            Lang::En => format!("{year} activities by quarter {each}, {total} in all"),
        }
    }

    pub(super) fn ranking_needed(&self) -> Vec<Effect> {
        let loaded = self.work.ranking.as_ref().is_some_and(|(y, _)| *y == self.work.rank_year);
        if self.work.proj_view == ProjView::Ranking && !loaded {
            return vec![WorkEffect::LoadRanking(self.work.rank_year).into()];
        }
        Vec::new()
    }

    /// A form with its organization field filled in and the id kept.
    fn org_form(&self, mut f: Form, org: Option<(String, RecordId)>) -> Form {
        if let Some((name, id)) = org {
            if let Some(field) = f.fields.iter_mut().find(|f| f.key == "organization") {
                field.input.set(&name);
                field.picked = Some(id);
            }
            if f.focus == 0 {
                f.focus = 1;
            }
        }
        f
    }

    fn open_participants(&mut self) -> Vec<Effect> {
        if let Some(a) = self.selected_activity() {
            let f = wf::participants(a.id.clone()).about(&format!("{} {}", a.date, a.title));
            self.mode = Mode::Form(Box::new(f));
        }
        Vec::new()
    }

    /// 应报告 → the report form; 已报告 → the acknowledgement form.
    fn open_report_flow(&mut self, activity: RecordId) {
        let Some(row) = self.data.activities.iter().find(|a| a.id == activity) else { return };
        let about = format!("{} {}", row.date, row.title);
        let f = match (row.major, row.report_status) {
            (false, _) => {
                self.say(self.t(crate::tui::work_text::NOT_MAJOR));
                return;
            }
            (true, Some(ReportStatus::Acknowledged)) => {
                self.say(self.t(crate::tui::work_text::ALREADY_ACKNOWLEDGED));
                return;
            }
            (true, Some(ReportStatus::Reported)) => wf::acknowledge(activity, self.today),
            (true, _) => wf::report_major(self.lang, activity, self.today),
        };
        self.mode = Mode::Form(Box::new(f.about(&about)));
    }

    /// The organization field's record: as picked, else the one the text names.
    fn form_org(&self, form: &Form) -> Result<Option<RecordId>, String> {
        let field = form.fields.iter().find(|f| f.key == "organization" || f.key == "lead");
        match field {
            Some(f) if f.picked.is_some() => Ok(f.picked.clone()),
            Some(f) => self.resolve_org(f.input.text()),
            None => Ok(None),
        }
    }

    /// The venue the venue field names (picked or exact), else None: a place.
    fn form_venue(&self, form: &Form) -> Option<RecordId> {
        let f = form.fields.iter().find(|f| f.key == "venue")?;
        f.picked.clone().or_else(|| {
            let name = validate::normalize_name(f.input.text());
            self.data.venues.iter().find(|v| v.name == name).map(|v| v.id.clone())
        })
    }

    /// A work form saved: the effect, None with its errors marked. The
    /// conditions apply here and close the form (Some(None)).
    pub(super) fn save_work(&mut self, form: &mut Form, kind: WorkForm) -> Result<Option<Effect>, ()> {
        let lang = self.lang;
        let effect = match kind {
            WorkForm::Activity { .. } => {
                let org = self.form_org(form);
                let venue = self.form_venue(form);
                form.to_activity(lang, org, venue)
                    .map(|(fields, participants)| WorkEffect::AddActivity { fields, participants })
            }
            WorkForm::EditActivity(original) => {
                let org = self.form_org(form);
                let venue = self.form_venue(form);
                match form.to_activity_edit(lang, org, venue, &original) {
                    Some(fields) if fields == ActivityFields::default() => {
                        self.say(self.t(crate::tui::work_text::NOTHING_CHANGED));
                        self.mode = Mode::Browse;
                        return Ok(None);
                    }
                    other => other.map(|fields| WorkEffect::EditActivity { id: original.id.clone(), fields }),
                }
            }
            WorkForm::Conditions => {
                let org = self.form_org(form);
                let text = self.filters[Tab::Activities].text().to_string();
                let (conditions, period, months) = form.to_conditions(lang, org, &text).ok_or(())?;
                self.work.conditions = conditions;
                if period != self.work.period {
                    self.work.period = period;
                    self.derive_missing();
                }
                if months != self.work.quiet_months {
                    self.work.quiet_months = months;
                    self.derive_quiet();
                }
                self.selected[Tab::Activities] = 0;
                self.refilter_work();
                return Ok(None);
            }
            WorkForm::Participants { .. } => form.to_log_participants(lang).map(WorkEffect::LogParticipants),
            WorkForm::ReportMajor(_) => form.to_report_major(lang).map(WorkEffect::ReportMajor),
            WorkForm::Acknowledge(_) => {
                form.to_acknowledge(lang).map(|(activity, by, on)| WorkEffect::Acknowledge { activity, by, on })
            }
            WorkForm::WorkReport => {
                let org = form.fields[0].picked.clone();
                form.to_work_report(lang, org).map(WorkEffect::AddWorkReport)
            }
            WorkForm::Review(_) => form.to_review(lang).map(WorkEffect::Review),
            WorkForm::Project => {
                // A lead not on the roster (an agency) is kept by name.
                let lead = self.form_org(form).ok().flatten();
                form.to_project(lang, lead).map(WorkEffect::AddProject)
            }
            WorkForm::Advance(_) => form.to_advance(lang).map(WorkEffect::Advance),
            WorkForm::Evaluate => {
                let org = form.fields[0].picked.clone();
                let cmd = form.to_evaluate(lang, org);
                if let Some(c) = &cmd {
                    self.work.rank_year = c.year;
                }
                cmd.map(WorkEffect::Evaluate)
            }
            WorkForm::Honour(None) => form.to_add_honour(lang).map(WorkEffect::AddHonour),
            WorkForm::Honour(Some(was)) => match form.to_edit_honour(lang, &was) {
                Some(edit) if edit.fields == Default::default() => {
                    self.say(self.t(crate::tui::work_text::NOTHING_CHANGED));
                    self.mode = Mode::Browse;
                    return Ok(None);
                }
                other => other.map(WorkEffect::EditHonour),
            },
            WorkForm::Checklist => {
                let org = form.fields[0].picked.clone();
                let cmd = form.to_checklist(lang, org);
                if let Some(c) = &cmd {
                    self.work.rank_year = c.year;
                }
                cmd.map(WorkEffect::RecordChecklist)
            }
            WorkForm::Settings => form.to_settings(lang).map(WorkEffect::SetSettings),
        };
        effect.map(|e| Some(e.into())).ok_or(())
    }

    /// A name chosen in a participants picker is added to the list, with
    /// its id; Enter on a name nobody has adds it as a walk-in.
    pub(super) fn add_participant(&self, form: &mut Form, field: usize, name: &str, id: Option<RecordId>) {
        let f = &mut form.fields[field];
        let mut text = f.input.text().trim().trim_end_matches(['、', ',', '，']).to_string();
        if !text.is_empty() {
            text.push('、');
        }
        text.push_str(name);
        f.input.set(&text);
        f.error = None;
        form.touched = true;
        if let (Some(id), FormKind::Work(WorkForm::Activity { people } | WorkForm::Participants { people, .. })) =
            (id, &mut form.kind)
        {
            people.push((name.to_string(), id));
        }
    }
}

/// Whether every word typed is in a row's search key (a missing key matches
/// only an empty filter).
pub(super) fn all_words_in(needle: &str, key: Option<&String>) -> bool {
    needle.split_whitespace().all(|w| key.is_some_and(|k| k.contains(w)))
}

/// A search key: lower-case text and the pinyin initials of `named`, joined
/// by a separator no typed word holds.
pub(super) fn search_key(named: &str, rest: &[&str]) -> String {
    let mut key = format!("{}\u{1}{}", named.to_lowercase(), crate::domain::query::pinyin_initials(named));
    for r in rest {
        key.push('\u{1}');
        key.push_str(&r.to_lowercase());
    }
    key
}

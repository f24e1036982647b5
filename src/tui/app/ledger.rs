//! The projects tab's honours list (for publicity), the 规范化建设 gaps per
//! township, and the federation's evaluation settings (issue 12.2, 12.3,
//! 12.6). Saves are commands of src/ops carried by `WorkEffect`.

use super::*;
use crate::domain::ledger_report::{honour_lines, TownshipGaps};
use crate::tui::ledger_forms::{self as lf, HonourNames};

/// One line of the gaps view: an organization lacking items, or with no
/// self-check for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    /// Index into the loaded `TownshipGaps`.
    pub township: usize,
    pub organization: RecordId,
    pub name: String,
    /// None: no self-check recorded for the year.
    pub gaps: Option<Vec<ChecklistItem>>,
}

impl App {
    /// The honours list and its search keys, once per load.
    pub(super) fn derive_honours(&mut self) {
        let d = &self.data;
        let index = &self.derived.org_index;
        let org_name = |id: &RecordId| index.get(id).map(|i| d.orgs[*i].name.as_str());
        let lines = honour_lines(&d.honours, org_name, &d.projects, &d.people, None);
        let keys = lines
            .iter()
            .map(|(_, l)| {
                let names = format!("{} {} {}", l.recipient, l.organization, l.title);
                format!(
                    "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
                    names.to_lowercase(),
                    crate::domain::query::pinyin_initials(&l.recipient),
                    crate::domain::query::pinyin_initials(&l.organization),
                    l.awarded_by.to_lowercase(),
                    l.year,
                    l.kind.zh(),
                    l.level.zh()
                )
            })
            .collect();
        self.derived.honour_lines = lines;
        self.derived.honour_keys = keys;
    }

    /// The honour lines whose keys hold every word typed.
    pub(super) fn honours_view(&self, needle: &str) -> Vec<usize> {
        let words: Vec<&str> = needle.split_whitespace().collect();
        (0..self.derived.honour_lines.len())
            .filter(|i| words.iter().all(|w| self.derived.honour_keys[*i].contains(w)))
            .collect()
    }

    pub(super) fn gaps_view(&self, needle: &str) -> Vec<usize> {
        let keys = &self.work.gap_keys;
        (0..self.work.gap_rows.len()).filter(|i| super::work::all_words_in(needle, keys.get(*i))).collect()
    }

    /// The ranking as loaded, with its rows' search keys (name, initials, township).
    pub(super) fn ranking_loaded(&mut self, year: i32, ranking: Vec<(String, crate::domain::ledger_report::Ranked)>) {
        self.work.ranking_keys =
            ranking.iter().map(|(town, r)| super::work::search_key(&r.entry.name, &[town.as_str()])).collect();
        self.work.ranking = Some((year, ranking));
        self.refilter();
    }

    /// The honour at a position of the honours view's index list.
    pub(super) fn honour_at(&self, line: usize) -> Option<&Honour> {
        self.derived.honour_lines.get(line).and_then(|(i, _)| self.data.honours.get(*i))
    }

    pub fn selected_honour(&self) -> Option<(&Honour, &crate::domain::ledger_report::HonourLine)> {
        if self.work.proj_view != ProjView::Honours {
            return None;
        }
        let at = *self.views[Tab::Projects].get(self.selected[Tab::Projects])?;
        let (i, line) = self.derived.honour_lines.get(at)?;
        Some((self.data.honours.get(*i)?, line))
    }

    pub fn selected_gap(&self) -> Option<(&GapRow, &TownshipGaps)> {
        if self.work.proj_view != ProjView::Gaps {
            return None;
        }
        let row = self.work.gap_rows.get(*self.views[Tab::Projects].get(self.selected[Tab::Projects])?)?;
        let (_, towns) = self.work.gaps.as_ref()?;
        Some((row, &towns[row.township]))
    }

    /// The township's organizations with gaps first, then those unchecked.
    pub(super) fn gaps_loaded(&mut self, year: i32, gaps: Vec<TownshipGaps>) {
        let mut rows = Vec::new();
        for (t, town) in gaps.iter().enumerate() {
            for (id, name, lacks) in &town.with_gaps {
                rows.push(GapRow {
                    township: t,
                    organization: id.clone(),
                    name: name.clone(),
                    gaps: Some(lacks.clone()),
                });
            }
            for (id, name) in &town.unchecked {
                rows.push(GapRow { township: t, organization: id.clone(), name: name.clone(), gaps: None });
            }
        }
        self.work.gaps = Some((year, gaps));
        self.work.gap_rows = rows;
        self.work.gap_keys = self
            .work
            .gap_rows
            .iter()
            .map(|r| {
                let listed = self.work.gaps.as_ref().map_or("", |(_, towns)| towns[r.township].township.as_str());
                super::work::search_key(&r.name, &[listed, self.gap_township(r)])
            })
            .collect();
        self.refilter();
    }

    /// A gap row's township by name (the division code when the roster row has none).
    pub fn gap_township(&self, row: &GapRow) -> &str {
        let name = self.derived.org_index.get(&row.organization).map(|i| self.data.orgs[*i].township.as_str());
        match (name, &self.work.gaps) {
            (Some(n), _) if !n.is_empty() => n,
            (_, Some((_, towns))) => &towns[row.township].township,
            _ => "",
        }
    }

    pub fn gaps_shown(&self) -> bool {
        self.work.gaps.as_ref().is_some_and(|(y, _)| *y == self.work.rank_year)
    }

    pub(super) fn gaps_needed(&self) -> Vec<Effect> {
        if self.tab == Tab::Projects && self.work.proj_view == ProjView::Gaps && !self.gaps_shown() {
            return vec![WorkEffect::LoadGaps(self.work.rank_year).into()];
        }
        Vec::new()
    }

    pub(super) fn open_settings(&mut self) {
        let f = lf::settings(&self.data.evaluation).about(self.t(crate::tui::work_text::SETTINGS_HINT));
        self.mode = Mode::Form(Box::new(f));
    }

    /// F4 (`add`) or Enter on the honours or gaps view.
    pub(super) fn open_ledger_form(&mut self, add: bool) {
        let lang = self.lang;
        let form = match self.work.proj_view {
            ProjView::Honours if add => lf::honour(lang, self.today, None, HonourNames::default()),
            ProjView::Honours => {
                let Some((h, _)) = self.selected_honour() else { return };
                let name = |id: &Option<RecordId>, of: &dyn Fn(&RecordId) -> Option<String>| {
                    id.as_ref().map_or(String::new(), |id| of(id).unwrap_or_else(|| id.to_string()))
                };
                let org = name(&h.organization, &|id| self.org_name(id).map(str::to_string));
                let project =
                    name(&h.project, &|id| self.data.projects.iter().find(|p| &p.id == id).map(|p| p.name.clone()));
                let person =
                    name(&h.person, &|id| self.data.people.iter().find(|p| &p.id == id).map(|p| p.name.clone()));
                let names = HonourNames { organization: &org, project: &project, person: &person };
                lf::honour(lang, self.today, Some(h), names)
            }
            _ if add => lf::checklist(lang, "", self.work.rank_year, &[]),
            _ => {
                let Some((row, _)) = self.selected_gap() else { return };
                // Unchecked: every item starts at 否, to be ticked as found.
                let met: Vec<ChecklistItem> = match &row.gaps {
                    Some(lacks) => ChecklistItem::all().iter().copied().filter(|i| !lacks.contains(i)).collect(),
                    None => Vec::new(),
                };
                let mut f = lf::checklist(lang, &row.name, self.work.rank_year, &met);
                f.fields[0].picked = Some(row.organization.clone());
                f
            }
        };
        self.mode = Mode::Form(Box::new(form));
    }
}

//! The statistics tab's views (F6): the overview (coverage, category and
//! legal-status charts), one line per township, and the liaison load. The
//! figures are the report's (`domain::report`); here only which rows are
//! shown under the filter and which is selected.

use super::*;
use crate::domain::report::{Area, LiaisonLoad};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatsView {
    #[default]
    Overview,
    /// One line per township: organizations, coverage, density.
    Townships,
    /// Each instructor and liaison, the most loaded first.
    Liaisons,
}

impl StatsView {
    /// What F12 writes from this view.
    pub fn part(self) -> crate::ops::export::ReportPart {
        use crate::ops::export::ReportPart;
        match self {
            StatsView::Overview => ReportPart::All,
            StatsView::Townships => ReportPart::Townships,
            StatsView::Liaisons => ReportPart::LiaisonLoad,
        }
    }
}

impl App {
    /// The rows of the township or liaison view under the tab's filter
    /// (words combined; names, pinyin initials, county, role).
    pub(super) fn refilter_stats(&mut self) {
        let needle = validate::fold_width(self.filters[Tab::Reports].text().trim()).to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        let matches = |key: String| words.iter().all(|w| key.contains(w));
        let rows: Vec<usize> = match (&self.data.report, self.stats) {
            (Some(r), StatsView::Townships) => (0..r.townships.len())
                .filter(|i| {
                    let a = &r.townships[*i];
                    let county = r.counties.iter().find(|c| c.code == a.county).map_or("", |c| c.name.as_str());
                    matches(format!(
                        "{}\u{1}{}\u{1}{}\u{1}{}",
                        a.name.to_lowercase(),
                        crate::domain::query::pinyin_initials(&a.name),
                        a.code,
                        county
                    ))
                })
                .collect(),
            (Some(r), StatsView::Liaisons) => (0..r.liaison_load.len())
                .filter(|i| {
                    let x = &r.liaison_load[*i];
                    let orgs: Vec<&str> = x.assigned.iter().map(|o| o.name.as_str()).collect();
                    matches(format!(
                        "{}\u{1}{}\u{1}{} {}\u{1}{}",
                        x.name.to_lowercase(),
                        crate::domain::query::pinyin_initials(&x.name),
                        x.role.zh(),
                        x.role.en().to_lowercase(),
                        orgs.join("\u{1}").to_lowercase()
                    ))
                })
                .collect(),
            _ => Vec::new(),
        };
        self.views[Tab::Reports] = rows;
        self.selected[Tab::Reports] = self.selected[Tab::Reports].min(self.views[Tab::Reports].len().saturating_sub(1));
    }

    pub fn selected_township(&self) -> Option<&Area> {
        let r = self.data.report.as_ref().filter(|_| self.stats == StatsView::Townships)?;
        self.views[Tab::Reports].get(self.selected[Tab::Reports]).and_then(|i| r.townships.get(*i))
    }

    pub fn selected_load(&self) -> Option<&LiaisonLoad> {
        let r = self.data.report.as_ref().filter(|_| self.stats == StatsView::Liaisons)?;
        self.views[Tab::Reports].get(self.selected[Tab::Reports]).and_then(|i| r.liaison_load.get(*i))
    }

    /// Organizations per person over the people listed (those holding the
    /// role with nothing assigned included), None when nobody is.
    pub fn average_load(&self) -> Option<f64> {
        let r = self.data.report.as_ref()?;
        let total: usize = r.liaison_load.iter().map(|x| x.organizations).sum();
        crate::domain::report::ratio(total as f64, r.liaison_load.len() as f64)
    }

    /// The statistics tab's own keys: F6 through the views; F3 on the
    /// overview filters the townships. None: not theirs.
    pub(super) fn browse_stats(&mut self, action: Action) -> Option<Vec<Effect>> {
        match action {
            Action::View => {
                self.stats = match self.stats {
                    StatsView::Overview => StatsView::Townships,
                    StatsView::Townships => StatsView::Liaisons,
                    StatsView::Liaisons => StatsView::Overview,
                };
                self.selected[Tab::Reports] = 0;
                self.refilter_stats();
            }
            Action::Filter if self.stats == StatsView::Overview => {
                self.stats = StatsView::Townships;
                self.selected[Tab::Reports] = 0;
                self.refilter_stats();
                self.mode = Mode::Filter;
            }
            _ => return None,
        }
        Some(Vec::new())
    }
}

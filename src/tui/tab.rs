//! The UI's tabs, in the order they are shown, and state kept per tab.

use super::i18n::{self, T};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Tab {
    #[default]
    Orgs,
    People,
    Venues,
    Trainings,
    Sync,
    Reports,
    Activities,
    Projects,
}

impl Tab {
    /// In the order shown (and numbered 1–8 for the number keys).
    pub const ALL: [Tab; 8] =
        [Tab::Orgs, Tab::People, Tab::Venues, Tab::Trainings, Tab::Sync, Tab::Reports, Tab::Activities, Tab::Projects];

    /// Its place in `ALL`.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its bit in a key binding's set of tabs (`keymap`).
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }

    pub fn title(self) -> T {
        match self {
            Tab::Orgs => i18n::TAB_ORGS,
            Tab::People => i18n::TAB_PEOPLE,
            Tab::Venues => i18n::TAB_VENUES,
            Tab::Trainings => i18n::TAB_TRAININGS,
            Tab::Sync => i18n::TAB_SYNC,
            Tab::Reports => i18n::TAB_REPORTS,
            Tab::Activities => i18n::TAB_ACTIVITIES,
            Tab::Projects => i18n::TAB_PROJECTS,
        }
    }

    /// A title short enough for 80 columns, when the full ones do not fit.
    pub fn short_title(self) -> &'static str {
        ["Orgs", "People", "Venues", "Trainings", "Sync", "Reports", "Activities", "Projects"][self.index()]
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// One value per tab, indexed by `Tab`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PerTab<V>(pub [V; 8]);

impl<V> PerTab<V> {
    pub fn iter(&self) -> impl Iterator<Item = (Tab, &V)> {
        Tab::ALL.into_iter().zip(self.0.iter())
    }
}

impl<V> std::ops::Index<Tab> for PerTab<V> {
    type Output = V;
    fn index(&self, tab: Tab) -> &V {
        &self.0[tab.index()]
    }
}

impl<V> std::ops::IndexMut<Tab> for PerTab<V> {
    fn index_mut(&mut self, tab: Tab) -> &mut V {
        &mut self.0[tab.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_go_round_in_order() {
        assert!(Tab::ALL.iter().enumerate().all(|(i, t)| t.index() == i));
        assert_eq!(Tab::Projects.next(), Tab::Orgs);
        assert_eq!(Tab::Orgs.prev(), Tab::Projects);
        assert_eq!(Tab::Sync.bit(), 1 << 4);
    }
}

//! The one filtering picker: a list to choose from that narrows as you type
//! (names and pinyin initials), best matches first; ↑↓ move, Enter chooses,
//! Esc goes back. Used for every choice the screen offers: records (people,
//! a liaison to dispatch, organizations, venues, a training's sessions, a
//! venue's bookings, conflicted records) and fixed options (what to do in an
//! empty data directory, which value of a conflicting edit to keep).

use super::forms::Form;
use super::i18n::T;
use super::keymap::Action;
use super::widgets::TextInput;
use crate::domain::query::{pinyin_initials, search_rank};
use crate::domain::{validate, RecordId};

/// One choice: what is shown, and what the search looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct PickItem {
    /// The record it stands for; None for one of a fixed set of options,
    /// told apart by `at`.
    pub id: Option<RecordId>,
    /// Its place among the items as given to the picker.
    pub at: usize,
    pub name: String,
    /// Shown after the name: an organization, roles, a phone tail.
    pub detail: String,
    /// Lower-cased name and pinyin initials, for ranking.
    name_key: String,
    initials: String,
    /// Anything else a search word may match (lower-cased).
    extra: String,
    /// Order before the search rank's ties: 0 first (e.g. liaisons in a liaison picker).
    pub group: u8,
    /// Done already (a person signed in): marked ✓ and dimmed.
    pub checked: bool,
}

impl PickItem {
    pub fn new(id: RecordId, name: &str, detail: String, initials: String, extra: String, group: u8) -> PickItem {
        let name_key = name.to_lowercase();
        let name = name.to_string();
        PickItem { id: Some(id), at: 0, name, detail, name_key, initials, extra, group, checked: false }
    }

    /// The item marked done already (✓).
    pub fn checked(self, checked: bool) -> PickItem {
        PickItem { checked, ..self }
    }

    /// One of a fixed set of options (what to do first, a value to keep),
    /// found by its words, their pinyin initials, or its detail.
    pub fn option(name: &str, detail: &str) -> PickItem {
        PickItem {
            id: None,
            at: 0,
            name: name.to_string(),
            detail: detail.to_string(),
            name_key: name.to_lowercase(),
            initials: pinyin_initials(name),
            extra: detail.to_lowercase(),
            group: 0,
            checked: false,
        }
    }
}

/// What the chosen item is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    /// A form's field: the chosen name goes into it and its id is kept.
    Field { form: Box<Form>, field: usize },
    /// The session of a training to sign people in to.
    Session { training: RecordId },
    /// A booking of the shown week, to edit.
    EditBooking,
    /// One of a venue's overlapping bookings, to cancel.
    CancelBooking,
    /// A conflicted record, to go to and resolve.
    Conflict,
    /// The value to keep of a record's conflicting edits (an item's `at`
    /// is its place in `choices`, the values as shown).
    Resolve { kind: crate::domain::Collection, id: RecordId, choices: Vec<super::app::ConflictChoice> },
    /// People to sign in to a session, one after another: the picker
    /// opens again, cleared, for the next person.
    SignIn { training: RecordId, session: RecordId },
    /// An empty data directory: create a federation or load demo data
    /// (`at`: 0 and 1). There is nothing underneath to go back to.
    Setup,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub title: T,
    /// What the picker acts on (a venue), shown after the title.
    pub subject: Option<String>,
    /// The bottom line: what typing matches and what Enter does.
    pub hint: T,
    pub items: Vec<PickItem>,
    /// Each item's detail on a line of its own under it, so a long value is
    /// read in full (a conflicting address).
    pub two_lines: bool,
    /// What to know before choosing, under the list (wrapped, never cut).
    pub note: Option<String>,
    /// Enter chooses only once something is typed: over a list of
    /// everyone the first row is no better a guess than any other.
    pub search_first: bool,
    /// The bottom line when a search matches nothing (what Enter does then).
    pub hint_unmatched: Option<T>,
    pub input: TextInput,
    /// Position in `matches()`.
    pub choice: usize,
    pub purpose: PickFor,
}

/// What a key did to a picker.
pub enum Picked {
    Stay,
    Cancel,
    Chosen(PickItem),
}

impl Picker {
    pub fn new(title: T, mut items: Vec<PickItem>, purpose: PickFor) -> Picker {
        for (at, item) in items.iter_mut().enumerate() {
            item.at = at;
        }
        let hint = super::i18n::PICK_HINT;
        let input = TextInput::default();
        Picker {
            title,
            subject: None,
            hint,
            items,
            two_lines: false,
            note: None,
            search_first: false,
            hint_unmatched: None,
            input,
            choice: 0,
            purpose,
        }
    }

    /// The picker choosing only once something is typed, with what Enter
    /// does when the search matches nothing.
    pub fn search_first(self, hint_unmatched: T) -> Picker {
        Picker { search_first: true, hint_unmatched: Some(hint_unmatched), ..self }
    }

    /// Nothing typed yet, where that means nothing can be chosen.
    pub fn waits_for_search(&self) -> bool {
        self.search_first && self.input.text().trim().is_empty()
    }

    /// The picker with each item's detail under it.
    pub fn two_lines(self) -> Picker {
        Picker { two_lines: true, ..self }
    }

    /// The picker with a note under its list.
    pub fn note(self, note: String) -> Picker {
        Picker { note: Some(note), ..self }
    }

    /// The picker naming what it acts on.
    pub fn about(self, subject: &str) -> Picker {
        Picker { subject: Some(subject.to_string()), ..self }
    }

    /// The picker with its own bottom line.
    pub fn hint(self, hint: T) -> Picker {
        Picker { hint, ..self }
    }

    /// The items the search matches: best rank first, then by group, then
    /// in the order given. Space-separated words must all match.
    pub fn matches(&self) -> Vec<&PickItem> {
        let needle = validate::fold_width(self.input.text().trim()).to_lowercase();
        let mut ranked: Vec<(u8, u8, usize, &PickItem)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let rank = search_rank(&needle, &item.name_key, &item.initials, &item.extra)?;
                Some((rank, item.group, i, item))
            })
            .collect();
        ranked.sort_by_key(|(rank, group, i, _)| (*rank, *group, *i));
        ranked.into_iter().map(|(_, _, _, item)| item).collect()
    }

    /// Moves, types, chooses or cancels. `page`: rows a page moves.
    pub fn handle(&mut self, action: Option<Action>, key: crossterm::event::KeyEvent, page: usize) -> Picked {
        let n = self.matches().len();
        match action {
            Some(Action::Cancel) => return Picked::Cancel,
            Some(Action::Confirm) if self.waits_for_search() => {}
            Some(Action::Confirm) => {
                return match self.matches().get(self.choice) {
                    Some(item) => Picked::Chosen((*item).clone()),
                    None => Picked::Stay,
                }
            }
            Some(Action::Up) => self.choice = self.choice.saturating_sub(1),
            Some(Action::Down) => self.choice += 1,
            Some(Action::PageUp) => self.choice = self.choice.saturating_sub(page.max(1)),
            Some(Action::PageDown) => self.choice += page.max(1),
            _ => {
                if super::app::edit_text(&mut self.input, key) {
                    self.choice = 0;
                }
            }
        }
        self.choice = self.choice.min(n.saturating_sub(1));
        Picked::Stay
    }
}

//! The one filtering picker: a list of records to choose from that narrows
//! as you type (names and pinyin initials), best matches first. Used for
//! every list that can be long: people (a liaison to dispatch), organizations,
//! venues, a training's sessions, a venue's bookings.

use super::forms::Form;
use super::i18n::T;
use super::keymap::Action;
use super::widgets::TextInput;
use crate::domain::query::search_rank;
use crate::domain::{validate, RecordId};

/// One choice: what is shown, and what the search looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct PickItem {
    pub id: RecordId,
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
}

impl PickItem {
    pub fn new(id: RecordId, name: &str, detail: String, initials: String, extra: String, group: u8) -> PickItem {
        PickItem { id, name: name.to_string(), detail, name_key: name.to_lowercase(), initials, extra, group }
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub title: T,
    /// What the picker acts on (a venue), shown after the title.
    pub subject: Option<String>,
    /// The bottom line: what typing matches and what Enter does.
    pub hint: T,
    pub items: Vec<PickItem>,
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
    pub fn new(title: T, items: Vec<PickItem>, purpose: PickFor) -> Picker {
        let hint = super::i18n::PICK_HINT;
        Picker { title, subject: None, hint, items, input: TextInput::default(), choice: 0, purpose }
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

//! A one-line text input measured in display columns (CJK is two wide),
//! which reports where the caret is so the terminal cursor, and with it an
//! input method's candidate window, sits at the caret.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Caret position in characters.
    caret: usize,
}

impl TextInput {
    pub fn new(text: &str) -> Self {
        TextInput { text: text.to_string(), caret: text.chars().count() }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.caret = text.chars().count();
    }

    fn byte_at(&self, caret: usize) -> usize {
        self.text.char_indices().nth(caret).map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.caret);
        self.text.insert(at, c);
        self.caret += 1;
    }

    /// Pasted or IME-committed text arrives as a string.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_control()) {
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) {
        if self.caret > 0 {
            self.caret -= 1;
            let at = self.byte_at(self.caret);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.caret < self.text.chars().count() {
            let at = self.byte_at(self.caret);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.caret = self.caret.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.caret = (self.caret + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.caret = 0;
    }

    pub fn end(&mut self) {
        self.caret = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.caret = 0;
    }

    /// The part of the text that fits `width` columns with the caret
    /// visible, and the caret's column inside it.
    pub fn visible(&self, width: usize) -> (String, usize) {
        let before: String = self.text.chars().take(self.caret).collect();
        let caret_col = UnicodeWidthStr::width(before.as_str());
        let width = width.max(2);
        // Scroll so the caret stays inside the field.
        let mut skip_cols = caret_col.saturating_sub(width - 1);
        let mut out = String::new();
        let mut used = 0;
        let mut col = 0;
        for c in self.text.chars() {
            let w = c.width().unwrap_or(0);
            if col < skip_cols {
                col += w;
                if col > skip_cols {
                    // A wide character straddles the edge: skip it whole.
                    skip_cols = col;
                }
                continue;
            }
            if used + w > width {
                break;
            }
            out.push(c);
            used += w;
        }
        (out, caret_col - skip_cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_character_and_measures_columns() {
        let mut t = TextInput::new("阳光");
        assert_eq!(t.visible(20), ("阳光".to_string(), 4));
        t.insert('队');
        t.left();
        t.left();
        t.insert('x');
        assert_eq!(t.text(), "阳x光队");
        assert_eq!(t.visible(20).1, 3);
        t.backspace();
        t.delete();
        assert_eq!(t.text(), "阳队");
        t.home();
        t.insert_str("成都\n");
        assert_eq!(t.text(), "成都阳队");
    }

    #[test]
    fn scrolls_to_keep_the_caret_visible() {
        let t = TextInput::new("四川省成都市锦江区社区社会组织联合会");
        let (shown, caret) = t.visible(10);
        assert!(UnicodeWidthStr::width(shown.as_str()) <= 10);
        assert!(shown.ends_with("合会") || shown.ends_with('会'), "{shown}");
        assert!(caret <= 10);
    }
}

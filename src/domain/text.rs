//! Text in both languages: the one translation mechanism of the command
//! line, the terminal UI and the reports. A fixed string is a
//! `Text(zh, en)` (the UI's string tables hold them as consts); a string
//! made at run time picks its language with `Lang::pick`.

use super::Lang;

/// A fixed string in Chinese and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text(pub &'static str, pub &'static str);

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.0, self.1)
    }
}

impl Lang {
    /// The Chinese or the English of two, by this language.
    pub fn pick<S>(self, zh: S, en: S) -> S {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_picks_its_own() {
        let saved = Text("已保存", "Saved");
        assert_eq!((saved.get(Lang::Zh), saved.get(Lang::En)), ("已保存", "Saved"));
        assert_eq!(Lang::En.pick(String::from("甲"), String::from("A")), "A");
    }
}

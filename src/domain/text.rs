//! Text in both languages: the one translation mechanism of the command
//! line, the terminal UI and the reports. A fixed string is a
//! `Text(zh, en)` (the UI's string tables hold them as consts); a string
//! made at run time picks its language with `Lang::pick`.

use super::{Booking, Lang, Vocabulary};

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

/// A booking as a warning names it, with its organization's name (empty
/// when none): "2026-12-03 09:00–11:00 党课 玉林社区舞蹈队 [已确认]".
pub fn booking_line(b: &Booking, org_name: &str, lang: Lang) -> String {
    let org = if org_name.is_empty() { String::new() } else { format!(" {org_name}") };
    format!("{} {}–{} {}{org} [{}]", b.date, b.start, b.end, b.purpose, b.status.label(lang))
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

    #[test]
    fn a_booking_line_names_its_organization_only_when_there_is_one() {
        let mut b: Booking = serde_json::from_value(serde_json::json!({
            "id": "b1", "venue": "v1", "date": "2026-12-03", "start": "09:00", "end": "11:00",
            "purpose": "党课", "status": "confirmed"
        }))
        .unwrap();
        assert_eq!(booking_line(&b, "玉林社区舞蹈队", Lang::Zh), "2026-12-03 09:00–11:00 党课 玉林社区舞蹈队 [已确认]");
        b.purpose = "Party class".into();
        assert_eq!(booking_line(&b, "", Lang::En), "2026-12-03 09:00–11:00 Party class [Confirmed]");
    }
}

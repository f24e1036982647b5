//! Forms of the projects tab's honours, 规范化建设 self-check and the
//! federation's evaluation settings: each reads what was typed into a
//! command of src/ops (which validates and decides), marking what it
//! cannot read.

use super::forms::{vocab, Form, FormField, PickSource};
use super::i18n::T;
use super::work_forms::{count, date, form, optional, text, year, WorkForm};
use super::work_text as w;
use crate::domain::*;
use crate::ops::evaluations::RecordChecklist;
use crate::ops::projects::{AddHonour, EditHonour, HonourFields};
use crate::ops::Ref;
use chrono::NaiveDate;

/// Names of an honour's linked records, as the form shows them.
#[derive(Default)]
pub struct HonourNames<'a> {
    pub organization: &'a str,
    pub project: &'a str,
    pub person: &'a str,
}

/// A new honour (`h` None) or an honour to edit, its links shown by name
/// (the id when the record is not held here) with their ids kept: a name
/// alone can have namesakes.
pub fn honour(lang: Lang, today: NaiveDate, h: Option<&Honour>, names: HonourNames) -> Form {
    use chrono::Datelike;
    let kind = h.map_or(HonourKind::all()[0], |h| h.kind);
    let level = h.map_or(AwardLevel::County, |h| h.level);
    let year = h.map_or(today.year(), |h| h.year).to_string();
    let fields = vec![
        FormField::select("kind", w::F_HONOUR_KIND, kind.label(lang), true, vocab::<HonourKind>()),
        FormField::select("level", w::F_LEVEL, level.label(lang), true, vocab::<AwardLevel>()),
        text("year", w::F_YEAR, &year, true),
        text("title", w::F_HONOUR_TITLE, h.map_or("", |h| h.title.as_str()), false),
        text("awarded_by", w::F_AWARDED_BY, h.map_or("", |h| h.awarded_by.as_str()), false),
        text("organization", w::F_HONOUR_ORG, names.organization, false).with_pick(PickSource::Orgs),
        text("project", w::F_HONOUR_PROJECT, names.project, false).with_pick(PickSource::Projects),
        text("person", w::F_HONOUR_PERSON, names.person, false).with_pick(PickSource::Person),
        text("recipient_name", w::F_RECIPIENT, &unlinked_name(h), false),
        text("date", w::F_DATE, &h.and_then(|h| h.date).map_or(String::new(), |d| d.to_string()), false),
    ];
    let (kind, title) = match h {
        Some(h) => (WorkForm::Honour(Some(Box::new(h.clone()))), w::FORM_EDIT_HONOUR),
        None => (WorkForm::Honour(None), w::FORM_HONOUR),
    };
    let mut f = form(kind, title, fields);
    if let Some(h) = h {
        f.fields[5].picked = h.organization.clone();
        f.fields[6].picked = h.project.clone();
        f.fields[7].picked = h.person.clone();
        f = f.about(&format!("{} {}", h.year, Record::title(h)));
    }
    f
}

/// The published name, when no record of the kind's recipient is linked.
fn unlinked_name(h: Option<&Honour>) -> String {
    let Some(h) = h else { return String::new() };
    let linked = match h.kind.recipient() {
        RecipientKind::Organization => h.organization.is_some(),
        RecipientKind::Project => h.project.is_some(),
        RecipientKind::Person => h.person.is_some(),
    };
    if linked {
        String::new()
    } else {
        h.recipient_name.clone()
    }
}

/// An organization's self-check of `year`; `met`: the items it has.
pub fn checklist(lang: Lang, org: &str, year: i32, met: &[ChecklistItem]) -> Form {
    let mut fields = vec![
        text("organization", w::F_ORG, org, true).with_pick(PickSource::Orgs),
        text("year", w::F_YEAR, &year.to_string(), true),
    ];
    for item in ChecklistItem::all() {
        let on = super::forms::yes_no(met.contains(item), lang);
        fields.push(FormField::select(item.code(), T(item.zh(), item.en()), on, true, super::forms::yes_no_choices()));
    }
    let mut f = form(WorkForm::Checklist, w::FORM_CHECKLIST, fields);
    f.focus = if org.is_empty() { 0 } else { 2 };
    f
}

pub fn settings(s: &EvaluationSettings) -> Form {
    let n = |v: u8| v.to_string();
    let fields = vec![
        text("weight_basic", w::F_WEIGHT_BASIC, &n(s.weight_basic), true),
        text("weight_activities", w::F_WEIGHT_ACTIVITIES, &n(s.weight_activities), true),
        text("weight_contribution", w::F_WEIGHT_CONTRIBUTION, &n(s.weight_contribution), true),
        text("weight_influence", w::F_WEIGHT_INFLUENCE, &n(s.weight_influence), true),
        text("excellent_from", w::F_EXCELLENT_FROM, &n(s.excellent_from), true),
        text("good_from", w::F_GOOD_FROM, &n(s.good_from), true),
        text("pass_from", w::F_PASS_FROM, &n(s.pass_from), true),
    ];
    form(WorkForm::Settings, w::FORM_SETTINGS, fields)
}

/// A whole number of points or percent, 0–100.
fn points(t: &str) -> Result<u8, String> {
    match count(t)? {
        n @ 0..=100 => Ok(n as u8),
        n => Err(format!("{n} 应为0–100 (0–100)")),
    }
}

/// A link field as typed: the record picked, else the name typed (ops finds it).
fn link(form: &Form, key: &str) -> Option<Ref> {
    let f = form.fields.iter().find(|f| f.key == key)?;
    match (&f.picked, f.input.text().trim()) {
        (_, "") => None,
        (Some(id), _) => Some(Ref::from(id)),
        (None, typed) => Some(Ref::from(typed)),
    }
}

impl Form {
    /// The honour typed, read once for a new one and for an edit.
    fn honour_values(&mut self, lang: Lang) -> Option<(HonourKind, AwardLevel, i32, Option<NaiveDate>)> {
        self.clear_errors();
        let kind = self.parsed("kind", |t| HonourKind::parse(t).map_err(|e| e.to_string()));
        let level = self.parsed("level", |t| AwardLevel::parse(t).map_err(|e| e.to_string()));
        let y = self.parsed("year", year);
        let d = self.parsed("date", |t| optional(t, date));
        let ok = self.complete(lang);
        ok.then_some((kind?, level?, y?, d?))
    }

    pub fn to_add_honour(&mut self, lang: Lang) -> Option<AddHonour> {
        let (kind, level, year, date) = self.honour_values(lang)?;
        Some(AddHonour {
            kind,
            level,
            year,
            awarded_by: self.value("awarded_by").trim().to_string(),
            title: self.value("title").trim().to_string(),
            organization: link(self, "organization"),
            project: link(self, "project"),
            person: link(self, "person"),
            recipient_name: self.value("recipient_name").trim().to_string(),
            date,
        })
    }

    /// What the edit changed against the honour as read: only those fields,
    /// so a peer's edit of another is kept.
    pub fn to_edit_honour(&mut self, lang: Lang, was: &Honour) -> Option<EditHonour> {
        let (kind, level, year, date) = self.honour_values(lang)?;
        let text = |key: &str, old: &str| {
            let new = self.value(key).trim();
            (new != old).then(|| new.to_string())
        };
        // Emptied: unlinked; picked or typed anew: the new one.
        let relinked = |key: &str, old: &Option<RecordId>| {
            let f = self.fields.iter().find(|f| f.key == key)?;
            match (link(self, key), old) {
                (None, Some(_)) => Some(Ref(String::new())),
                (Some(r), Some(o)) if f.picked.as_ref() == Some(o) && r.0 == o.as_str() => None,
                (Some(r), _) => Some(r),
                (None, None) => None,
            }
        };
        let fields = HonourFields {
            kind: (kind != was.kind).then_some(kind),
            level: (level != was.level).then_some(level),
            year: (year != was.year).then_some(year),
            awarded_by: text("awarded_by", &was.awarded_by),
            title: text("title", &was.title),
            organization: relinked("organization", &was.organization),
            project: relinked("project", &was.project),
            person: relinked("person", &was.person),
            recipient_name: text("recipient_name", &unlinked_name(Some(was))),
            date: (date != was.date).then_some(date),
        };
        Some(EditHonour { honour: Ref::from(&was.id), fields })
    }

    /// `org`: the organization as the picker chose it, else as typed.
    pub fn to_checklist(&mut self, lang: Lang, org: Option<RecordId>) -> Option<RecordChecklist> {
        self.clear_errors();
        let y = self.parsed("year", year);
        let ok = self.complete(lang);
        let yes = super::forms::YES_NO[0].get(lang);
        let met = ChecklistItem::all().iter().copied().filter(|i| self.value(i.code()) == yes).collect();
        let org = org.as_ref().map_or_else(|| Ref::from(self.value("organization").trim()), Ref::from);
        ok.then_some(RecordChecklist { org, year: y?, met })
    }

    pub fn to_settings(&mut self, lang: Lang) -> Option<EvaluationSettings> {
        self.clear_errors();
        let mut v = [0u8; 7];
        let keys = [
            "weight_basic",
            "weight_activities",
            "weight_contribution",
            "weight_influence",
            "excellent_from",
            "good_from",
            "pass_from",
        ];
        let mut read = true;
        for (slot, key) in v.iter_mut().zip(keys) {
            match self.parsed(key, points) {
                Some(n) => *slot = n,
                None => read = false,
            }
        }
        let ok = self.complete(lang) && read;
        let [weight_basic, weight_activities, weight_contribution, weight_influence, excellent_from, good_from, pass_from] =
            v;
        ok.then(|| EvaluationSettings {
            id: RecordId::from(EvaluationSettings::ID),
            weight_basic,
            weight_activities,
            weight_contribution,
            weight_influence,
            excellent_from,
            good_from,
            pass_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h() -> Honour {
        Honour {
            id: RecordId::from("h1"),
            kind: HonourKind::BrandOrg,
            level: AwardLevel::all()[2],
            year: 2024,
            awarded_by: "市民政局".into(),
            title: "品牌社会组织".into(),
            organization: Some(RecordId::from("o1")),
            project: None,
            person: None,
            recipient_name: "玉林为老服务队".into(),
            date: None,
        }
    }

    #[test]
    fn an_edit_sends_only_what_changed() {
        let was = h();
        let names = HonourNames { organization: "玉林为老服务队", ..Default::default() };
        let mut f = honour(Lang::Zh, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), Some(&was), names);
        assert_eq!(f.to_edit_honour(Lang::Zh, &was).unwrap().fields, HonourFields::default());
        f.fields[4].input.set("成都市民政局");
        f.fields[5].input.set("");
        f.fields[5].picked = None;
        let edit = f.to_edit_honour(Lang::Zh, &was).unwrap();
        assert_eq!(edit.fields.awarded_by.as_deref(), Some("成都市民政局"));
        assert_eq!(edit.fields.organization, Some(Ref(String::new())), "emptied: unlinked");
        assert_eq!((edit.fields.kind, edit.fields.title), (None, None));
    }

    #[test]
    fn settings_out_of_range_are_marked() {
        let mut f = settings(&EvaluationSettings::default());
        f.fields[5].input.set("120");
        assert!(f.to_settings(Lang::Zh).is_none());
        assert!(f.fields[5].error.as_deref().is_some_and(|e| e.contains("0–100")));
    }
}

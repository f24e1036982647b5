//! Forms: fields built from the domain's field specs, with select lists for
//! vocabularies. What was typed stays on a validation error; each error sits
//! next to its field.

use super::i18n::{self, T};
use super::widgets::TextInput;
use crate::domain::input::{self, FieldSpec};
use crate::domain::*;

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    NewOrg,
    EditOrg(Box<Organization>),
    NewPerson,
    NewFederation,
    ExitOrg(RecordId),
    NewVenue,
    NewBooking(RecordId),
    NewTraining,
    NewSession(RecordId),
    NewPeer,
    NewInvite,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub key: &'static str,
    pub label: &'static str,
    pub input: TextInput,
    /// Labels to cycle through with ←/→ (empty for free text).
    pub choices: Vec<&'static str>,
    pub required: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub title: T,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// A message for the whole form (a store error, or "fix the fields").
    pub message: Option<String>,
    /// Something was typed since the form opened.
    pub touched: bool,
}

fn labels<V: Vocabulary>(lang: Lang) -> Vec<&'static str> {
    V::all().iter().map(|v| v.label(lang)).collect()
}

fn choices_for(key: &str, lang: Lang) -> Vec<&'static str> {
    let yes_no = match lang {
        Lang::Zh => vec!["是", "否"],
        Lang::En => vec!["yes", "no"],
    };
    match key {
        "category" => labels::<Category>(lang),
        "service_type" => std::iter::once("").chain(labels::<ServiceType>(lang)).collect(),
        "legal_status" => labels::<LegalStatus>(lang),
        "party_status" => labels::<PartyStatus>(lang),
        "party_in_charter" | "party_member" => yes_no,
        "incubation_level" => std::iter::once("").chain(labels::<Level>(lang)).collect(),
        "lifecycle" => vec![Lifecycle::Active.label(lang), Lifecycle::Dormant.label(lang)],
        "level" => labels::<Level>(lang),
        "social_worker_grade" => std::iter::once("").chain(labels::<SocialWorkerGrade>(lang)).collect(),
        _ => Vec::new(),
    }
}

fn field(spec: &FieldSpec, text: String, lang: Lang) -> FormField {
    FormField {
        key: spec.key,
        label: spec.label(lang),
        input: TextInput::new(&text),
        choices: choices_for(spec.key, lang),
        required: spec.required,
        error: None,
    }
}

impl Form {
    pub fn new_org(lang: Lang, division: &str) -> Form {
        let mut blank = Organization::new("", Category::Other, LegalStatus::Filed, division);
        blank.name.clear();
        let mut form = Form::org(lang, &blank, FormKind::NewOrg, i18n::FORM_NEW_ORG);
        form.fields.retain(|f| f.key != "lifecycle");
        form
    }

    pub fn edit_org(lang: Lang, org: &Organization) -> Form {
        Form::org(lang, org, FormKind::EditOrg(Box::new(org.clone())), i18n::FORM_EDIT_ORG)
    }

    fn org(lang: Lang, org: &Organization, kind: FormKind, title: T) -> Form {
        let fields =
            input::ORG_FIELDS.iter().map(|s| field(s, input::org_field_text(org, s.key, lang), lang)).collect();
        Form { kind, title, fields, focus: 0, message: None, touched: false }
    }

    pub fn new_person(lang: Lang) -> Form {
        let fields = input::PERSON_FIELDS
            .iter()
            .filter(|s| s.key != "organization")
            .map(|s| {
                field(s, if s.key == "party_member" { choices_for(s.key, lang)[1].into() } else { String::new() }, lang)
            })
            .collect();
        Form {
            kind: FormKind::NewPerson,
            title: i18n::FORM_NEW_PERSON,
            fields,
            focus: 0,
            message: None,
            touched: false,
        }
    }

    pub fn new_federation(lang: Lang) -> Form {
        let spec = |key, t: T, required| FormField {
            key,
            label: t.get(lang),
            input: TextInput::default(),
            choices: choices_for(key, lang),
            required,
            error: None,
        };
        let mut fields = vec![
            spec("name", i18n::NAME, true),
            spec("level", i18n::FIELD_LEVEL, true),
            spec("division", i18n::FIELD_DIVISION, true),
        ];
        fields[1].input.set(Level::County.label(lang));
        Form {
            kind: FormKind::NewFederation,
            title: i18n::FORM_NEW_FED,
            fields,
            focus: 0,
            message: None,
            touched: false,
        }
    }

    pub fn exit_org(lang: Lang, id: RecordId, today: chrono::NaiveDate) -> Form {
        let mk = |key, t: T, text: String| FormField {
            key,
            label: t.get(lang),
            input: TextInput::new(&text),
            choices: Vec::new(),
            required: true,
            error: None,
        };
        let fields =
            vec![mk("date", i18n::FIELD_DATE, today.to_string()), mk("reason", i18n::FIELD_REASON, String::new())];
        Form { kind: FormKind::ExitOrg(id), title: i18n::FORM_EXIT, fields, focus: 1, message: None, touched: false }
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields.iter().find(|f| f.key == key).map_or("", |f| f.input.text())
    }

    pub fn focused(&mut self) -> &mut FormField {
        &mut self.fields[self.focus]
    }

    /// ←/→ on a select field moves through its choices.
    pub fn cycle(&mut self, step: isize) {
        let f = &mut self.fields[self.focus];
        if f.choices.is_empty() {
            return;
        }
        let at = f.choices.iter().position(|c| *c == f.input.text()).map_or(0, |i| i as isize);
        let n = f.choices.len() as isize;
        let next = ((at + step) % n + n) % n;
        f.input.set(f.choices[next as usize]);
        self.touched = true;
    }

    pub(crate) fn reset_errors(&mut self) {
        self.clear_errors();
    }

    pub(crate) fn mark(&mut self, key: &str, message: String) {
        self.set_error(key, message);
    }

    pub(crate) fn complete(&mut self, lang: Lang) -> bool {
        self.finish(lang)
    }

    fn clear_errors(&mut self) {
        self.message = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    fn set_error(&mut self, key: &str, message: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.error = Some(message);
        } else {
            self.message = Some(message);
        }
    }

    fn finish(&mut self, lang: Lang) -> bool {
        for f in &mut self.fields {
            if f.required && f.input.text().trim().is_empty() && f.error.is_none() {
                f.error = Some(i18n::REQUIRED.get(lang).into());
            }
        }
        let bad = self.fields.iter().position(|f| f.error.is_some());
        if let Some(i) = bad {
            self.focus = i;
            if self.message.is_none() {
                self.message = Some(i18n::FIX_FIELDS.get(lang).into());
            }
        }
        bad.is_none() && self.message.is_none()
    }

    /// The organization the form describes, or the form with its errors marked.
    pub fn to_org(&mut self, lang: Lang, default_division: &str) -> Option<Organization> {
        self.clear_errors();
        let mut org = match &self.kind {
            FormKind::EditOrg(o) => (**o).clone(),
            _ => Organization::new("", Category::Other, LegalStatus::Filed, default_division),
        };
        let values: Vec<(&'static str, String)> =
            self.fields.iter().map(|f| (f.key, f.input.text().to_string())).collect();
        for (key, text) in values {
            if let Err(m) = input::set_org_field(&mut org, key, &text) {
                self.set_error(key, m);
            }
        }
        if self.fields.iter().all(|f| f.error.is_none()) {
            for p in org.validate().into_iter().filter(|p| p.severity == Severity::Error) {
                self.set_error(p.field, p.message);
            }
        }
        self.finish(lang).then_some(org)
    }

    pub fn to_person(&mut self, lang: Lang) -> Option<Person> {
        self.clear_errors();
        let mut p = Person::new("");
        let values: Vec<(&'static str, String)> =
            self.fields.iter().map(|f| (f.key, f.input.text().to_string())).collect();
        for (key, text) in values {
            if let Err(m) = input::set_person_field(&mut p, key, &text) {
                self.set_error(key, m);
            }
        }
        self.finish(lang).then_some(p)
    }

    pub fn to_federation(&mut self, lang: Lang) -> Option<Federation> {
        self.clear_errors();
        let level = Level::parse(self.value("level"));
        let division = validate::check_division(self.value("division"));
        if let Err(e) = &level {
            self.set_error("level", e.to_string());
        }
        if let Err(e) = &division {
            self.set_error("division", e.to_string());
        }
        let fed = Federation {
            id: RecordId::random(),
            name: validate::normalize_name(self.value("name")),
            level: level.unwrap_or(Level::County),
            division: division.unwrap_or_default(),
            parent: String::new(),
            contact_name: String::new(),
            contact_phone: String::new(),
        };
        self.finish(lang).then_some(fed)
    }

    /// (date, reason) of an exit form.
    pub fn to_exit(&mut self, lang: Lang) -> Option<(chrono::NaiveDate, String)> {
        self.clear_errors();
        let date = validate::parse_date(self.value("date"));
        if let Err(e) = &date {
            self.set_error("date", e.0.clone());
        }
        let reason = self.value("reason").trim().to_string();
        self.finish(lang).then(|| (date.ok(), reason)).and_then(|(d, r)| d.map(|d| (d, r)))
    }
}

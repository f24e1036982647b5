//! Forms: fields built from the domain's field specs, with select lists for
//! vocabularies. What was typed stays on a validation error; each error sits
//! next to its field. Labels and choices are kept in both languages so a
//! language switch relabels an open form without losing what was typed.

use super::i18n::{self, T};
use super::widgets::TextInput;
use crate::domain::input::{self, FieldSpec};
use crate::domain::*;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    NewOrg,
    EditOrg(Box<Organization>),
    NewPerson,
    EditPerson(Box<Person>),
    NewFederation,
    ExitOrg(RecordId),
    NewVenue,
    EditVenue(Box<Venue>),
    NewBooking(RecordId),
    EditBooking(Box<Booking>),
    NewTraining,
    EditTraining(Box<Training>),
    NewSession(RecordId),
    NewPeer,
    NewInvite,
    /// The venue view's week: the week of the date typed.
    GoToDate,
    /// What is shared with a peer (its node id).
    Grants(String),
    /// Dispatching an instructor or liaison to an organization.
    Assign(RecordId),
    /// Ending one of a person's assignments.
    EndAssignment(RecordId),
    /// Someone not on the roster at a sign-in: added and signed in at once.
    WalkIn {
        training: RecordId,
        session: RecordId,
    },
    /// Importing a roster into a collection.
    Import(crate::ops::import::Kind),
    /// Exporting the filing ledger or the report to a file.
    Export(crate::tui::export::Target),
    /// The activities and projects tabs' forms.
    Work(super::work_forms::WorkForm),
}

/// A choice in both languages: a vocabulary label or a record's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice(pub Cow<'static, str>, pub Cow<'static, str>);

impl Choice {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.0,
            Lang::En => &self.1,
        }
    }

    /// A name, the same in both languages.
    pub fn name(name: &str) -> Choice {
        Choice(Cow::Owned(name.to_string()), Cow::Owned(name.to_string()))
    }
}

impl From<T> for Choice {
    fn from(t: T) -> Choice {
        Choice(Cow::Borrowed(t.0), Cow::Borrowed(t.1))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub key: &'static str,
    pub label: T,
    pub input: TextInput,
    /// Choices to cycle through with ←/→ (empty for free text).
    pub choices: Vec<Choice>,
    /// Several choices may be ticked (Space); the input holds them joined.
    pub multi: bool,
    /// The choice ←/→ points at in a multi-select.
    pub cursor: usize,
    pub required: bool,
    pub error: Option<String>,
    /// A field filled from the filtering picker (F6, or typing on a choice field).
    pub pick: Option<PickSource>,
    /// The record the picker chose (a name alone can have namesakes).
    pub picked: Option<RecordId>,
}

/// The records a field's picker lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PickSource {
    /// Everyone; liaisons and instructors first.
    Liaisons,
    Orgs,
    /// Everyone, for a list of names: each choice is added to the field.
    People,
    Venues,
    /// Projects, newest year first.
    Projects,
    /// Everyone, for one person (an honour's holder).
    Person,
}

impl FormField {
    pub fn text(key: &'static str, label: T, text: &str, required: bool) -> FormField {
        FormField {
            key,
            label,
            input: TextInput::new(text),
            choices: Vec::new(),
            multi: false,
            cursor: 0,
            required,
            error: None,
            pick: None,
            picked: None,
        }
    }

    /// A field with a filtering picker.
    pub fn with_pick(self, source: PickSource) -> FormField {
        FormField { pick: Some(source), ..self }
    }

    pub fn select(key: &'static str, label: T, text: &str, required: bool, choices: Vec<Choice>) -> FormField {
        FormField { choices, ..FormField::text(key, label, text, required) }
    }

    pub fn multi(key: &'static str, label: T, text: &str, choices: Vec<Choice>) -> FormField {
        FormField { choices, multi: true, ..FormField::text(key, label, text, false) }
    }

    /// The labels ticked in a multi-select, as typed or toggled.
    pub fn ticked(&self, lang: Lang) -> Vec<&str> {
        self.choices.iter().map(|c| c.get(lang)).filter(|c| self.is_ticked(c)).collect()
    }

    fn is_ticked(&self, label: &str) -> bool {
        self.input.text().split([',', '，', '、', ';', '；']).any(|p| p.trim() == label)
    }
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
    /// What the form acts on (an organization, venue, person), shown in its title.
    pub subject: Option<String>,
}

/// A field's error as a sentence naming the field (once: many already start with it).
pub fn field_error(label: &str, error: &str) -> String {
    if error.starts_with(label) {
        error.to_string()
    } else {
        format!("{label}: {error}")
    }
}

/// A vocabulary's labels in both languages.
pub fn vocab<V: Vocabulary>() -> Vec<Choice> {
    V::all().iter().map(|v| T(v.zh(), v.en()).into()).collect()
}

pub const YES_NO: [T; 2] = [T("是", "yes"), T("否", "no")];

pub fn yes_no(value: bool, lang: Lang) -> &'static str {
    YES_NO[usize::from(!value)].get(lang)
}

pub fn yes_no_choices() -> Vec<Choice> {
    YES_NO.iter().map(|t| (*t).into()).collect()
}

fn blank_then(v: Vec<Choice>) -> Vec<Choice> {
    std::iter::once(T("", "").into()).chain(v).collect()
}

fn choices_for(key: &str) -> Vec<Choice> {
    match key {
        "category" => vocab::<Category>(),
        "service_type" => blank_then(vocab::<ServiceType>()),
        "legal_status" => vocab::<LegalStatus>(),
        "party_status" => vocab::<PartyStatus>(),
        "party_in_charter" | "party_member" => yes_no_choices(),
        "incubation_level" => blank_then(vocab::<Level>()),
        "lifecycle" => vocab::<Lifecycle>().into_iter().take(2).collect(),
        "level" => vocab::<Level>(),
        "social_worker_grade" => blank_then(vocab::<SocialWorkerGrade>()),
        "kind" => vocab::<VenueKind>(),
        _ => Vec::new(),
    }
}

pub fn spec_field(spec: &FieldSpec, text: String) -> FormField {
    let label = T(spec.zh, spec.en);
    match spec.key {
        "roles" => FormField::multi(spec.key, label, &text, vocab::<Role>()),
        "organization" => FormField::text(spec.key, label, &text, spec.required).with_pick(PickSource::Orgs),
        key => FormField::select(key, label, &text, spec.required, choices_for(key)),
    }
}

impl Form {
    pub fn new(kind: FormKind, title: T, fields: Vec<FormField>) -> Form {
        Form { kind, title, fields, focus: 0, message: None, touched: false, subject: None }
    }

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
        let fields = input::ORG_FIELDS.iter().map(|s| spec_field(s, input::org_field_text(org, s.key, lang))).collect();
        Form::new(kind, title, fields)
    }

    pub fn new_person(lang: Lang) -> Form {
        Form::person(lang, &Person::new(""), "", FormKind::NewPerson, i18n::FORM_NEW_PERSON)
    }

    /// `org_name`: the name of the person's organization, typed to change it.
    pub fn edit_person(lang: Lang, p: &Person, org_name: &str) -> Form {
        Form::person(lang, p, org_name, FormKind::EditPerson(Box::new(p.clone())), i18n::FORM_EDIT_PERSON)
    }

    fn person(lang: Lang, p: &Person, org_name: &str, kind: FormKind, title: T) -> Form {
        let text = |key: &str| match key {
            "name" => p.name.clone(),
            "phone" => p.phone.clone(),
            "party_member" => yes_no(p.party_member, lang).into(),
            "roles" => code_list::labels(&p.roles, lang),
            "organization" => org_name.into(),
            "social_worker_grade" => p.social_worker_grade.map_or(String::new(), |g| g.label(lang).into()),
            "notes" => p.notes.clone(),
            _ => String::new(),
        };
        let fields = input::PERSON_FIELDS.iter().map(|s| spec_field(s, text(s.key))).collect();
        Form::new(kind, title, fields)
    }

    pub fn new_federation(lang: Lang) -> Form {
        let fields = vec![
            FormField::text("name", i18n::NAME, "", true),
            FormField::select("level", i18n::FIELD_LEVEL, Level::County.label(lang), true, choices_for("level")),
            FormField::text("division", i18n::FIELD_DIVISION, "", true),
        ];
        Form::new(FormKind::NewFederation, i18n::FORM_NEW_FED, fields)
    }

    /// The exit asks its kind (they differ in law), left blank to be chosen.
    pub fn exit_org(id: RecordId, today: chrono::NaiveDate) -> Form {
        let fields = vec![
            FormField::select("exit_kind", super::work_text::F_EXIT_KIND, "", true, blank_then(vocab::<ExitKind>())),
            FormField::text("date", i18n::FIELD_DATE, &today.to_string(), true),
            FormField::text("reason", i18n::FIELD_REASON, "", true),
        ];
        Form::new(FormKind::ExitOrg(id), i18n::FORM_EXIT, fields)
    }

    /// The form naming what it acts on.
    pub fn about(self, subject: &str) -> Form {
        Form { subject: Some(subject.to_string()), ..self }
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields.iter().find(|f| f.key == key).map_or("", |f| f.input.text())
    }

    pub fn focused(&mut self) -> &mut FormField {
        &mut self.fields[self.focus]
    }

    /// ←/→ on a select field moves through its choices; on a multi-select
    /// it moves the pointer that Space ticks.
    pub fn cycle(&mut self, step: isize, lang: Lang) {
        let f = &mut self.fields[self.focus];
        let n = f.choices.len() as isize;
        if n == 0 {
            return;
        }
        if f.multi {
            f.cursor = ((f.cursor as isize + step) % n + n) as usize % n as usize;
            return;
        }
        let at = f.choices.iter().position(|c| c.get(lang) == f.input.text()).map_or(0, |i| i as isize);
        let next = ((at + step) % n + n) % n;
        let text = f.choices[next as usize].get(lang).to_string();
        f.input.set(&text);
        self.touched = true;
    }

    /// Space on a multi-select ticks or unticks the choice under the pointer.
    pub fn toggle(&mut self, lang: Lang) {
        let f = &mut self.fields[self.focus];
        let Some(at) = f.choices.get(f.cursor).map(|c| c.get(lang).to_string()) else { return };
        let was = f.is_ticked(&at);
        // Keep the vocabulary's order, whatever the order of ticking.
        let order: Vec<&str> =
            f.choices.iter().map(|c| c.get(lang)).filter(|c| if *c == at { !was } else { f.is_ticked(c) }).collect();
        let text = order.join(if lang == Lang::Zh { "、" } else { ", " });
        f.input.set(&text);
        f.error = None;
        self.touched = true;
    }

    /// After a language switch: choice values follow into the new language.
    pub fn relabel(&mut self, from: Lang, to: Lang) {
        for f in &mut self.fields {
            if f.multi {
                let ticked: Vec<&str> =
                    f.choices.iter().filter(|c| f.is_ticked(c.get(from))).map(|c| c.get(to)).collect();
                let text = ticked.join(if to == Lang::Zh { "、" } else { ", " });
                f.input.set(&text);
            } else if let Some(c) = f.choices.iter().find(|c| c.get(from) == f.input.text()) {
                let text = c.get(to).to_string();
                f.input.set(&text);
            }
        }
    }

    pub(crate) fn clear_errors(&mut self) {
        self.message = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Marks the field `key`; an error on a group (`weights`) marks each of
    /// its fields (`weight_basic`…); else the form's message says it.
    pub(crate) fn mark(&mut self, key: &str, message: String) {
        let group = format!("{}_", key.strip_suffix('s').unwrap_or(key));
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.error = Some(message);
        } else if self.fields.iter().any(|f| f.key.starts_with(&group)) {
            for f in self.fields.iter_mut().filter(|f| f.key.starts_with(&group)) {
                f.error = Some(message.clone());
            }
        } else {
            self.message = Some(message);
        }
    }

    /// Marks empty required fields; true when nothing is wrong.
    pub(crate) fn complete(&mut self, lang: Lang) -> bool {
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

    pub(crate) fn parsed<V>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<V, String>) -> Option<V> {
        match parse(self.value(key)) {
            Ok(v) => Some(v),
            Err(m) => {
                self.mark(key, m);
                None
            }
        }
    }

    fn texts(&self) -> Vec<(&'static str, String)> {
        self.fields.iter().map(|f| (f.key, f.input.text().to_string())).collect()
    }

    /// The organization the form describes, or the form with its errors marked.
    pub fn to_org(&mut self, lang: Lang, default_division: &str) -> Option<Organization> {
        self.clear_errors();
        let mut org = match &self.kind {
            FormKind::EditOrg(o) => (**o).clone(),
            _ => Organization::new("", Category::Other, LegalStatus::Filed, default_division),
        };
        for (key, text) in self.texts() {
            if let Err(m) = input::set_org_field(&mut org, key, &text) {
                self.mark(key, m);
            }
        }
        if self.fields.iter().all(|f| f.error.is_none()) {
            for p in org.validate().into_iter().filter(|p| p.severity == Severity::Error) {
                self.mark(p.field, p.message);
            }
        }
        self.complete(lang).then_some(org)
    }

    /// `org`: the organization field resolved by the caller (who holds the list).
    pub fn to_person(&mut self, lang: Lang, org: Result<Option<RecordId>, String>) -> Option<Person> {
        self.clear_errors();
        let mut p = match &self.kind {
            FormKind::EditPerson(p) => (**p).clone(),
            _ => Person::new(""),
        };
        for (key, text) in self.texts() {
            if let Err(m) = input::set_person_field(&mut p, key, &text) {
                self.mark(key, m);
            }
        }
        match org {
            Ok(o) => p.organization = o,
            Err(m) => self.mark("organization", m),
        }
        self.complete(lang).then_some(p)
    }

    pub fn to_federation(&mut self, lang: Lang) -> Option<Federation> {
        self.clear_errors();
        let level = self.parsed("level", |t| Level::parse(t).map_err(|e| e.to_string()));
        let division = self.parsed("division", |t| validate::check_division(t).map_err(|e| e.to_string()));
        let fed = Federation {
            id: RecordId::random(),
            name: validate::normalize_name(self.value("name")),
            level: level.unwrap_or(Level::County),
            division: division.unwrap_or_default(),
            parent: String::new(),
            contact_name: String::new(),
            contact_phone: String::new(),
        };
        self.complete(lang).then_some(fed)
    }

    /// (date, reason) of an exit form.
    /// (date, reason, kind) of an exit.
    pub fn to_exit(&mut self, lang: Lang) -> Option<(chrono::NaiveDate, String, ExitKind)> {
        self.clear_errors();
        let date = self.parsed("date", |t| validate::parse_date(t).map_err(|e| e.0));
        let kind = self.parsed("exit_kind", |t| ExitKind::parse(t).map_err(|e| e.to_string()));
        let reason = self.value("reason").trim().to_string();
        let ok = self.complete(lang);
        Some((date?, reason, kind?)).filter(|_| ok)
    }
}

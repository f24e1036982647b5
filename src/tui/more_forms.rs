//! Forms for venues, bookings, trainings, sessions, peers and invitations.

use super::forms::{Form, FormField, FormKind};
use super::i18n::{self, T};
use super::widgets::TextInput;
use crate::domain::input;
use crate::domain::*;

fn field(key: &'static str, label: T, lang: Lang, text: &str, required: bool, choices: Vec<&'static str>) -> FormField {
    FormField { key, label: label.get(lang), input: TextInput::new(text), choices, required, error: None }
}

fn labels<V: Vocabulary>(lang: Lang) -> Vec<&'static str> {
    V::all().iter().map(|v| v.label(lang)).collect()
}

fn form(kind: FormKind, title: T, fields: Vec<FormField>) -> Form {
    Form { kind, title, fields, focus: 0, message: None, touched: false }
}

pub fn new_venue(lang: Lang) -> Form {
    let fields = input::VENUE_FIELDS
        .iter()
        .map(|s| FormField {
            key: s.key,
            label: s.label(lang),
            input: TextInput::default(),
            choices: if s.key == "kind" { labels::<VenueKind>(lang) } else { Vec::new() },
            required: s.required,
            error: None,
        })
        .collect();
    form(FormKind::NewVenue, i18n::FORM_NEW_VENUE, fields)
}

pub fn new_booking(lang: Lang, venue: RecordId, today: chrono::NaiveDate) -> Form {
    let fields = vec![
        field("date", i18n::FIELD_DATE, lang, &today.to_string(), true, Vec::new()),
        field("start", i18n::FIELD_START, lang, "09:00", true, Vec::new()),
        field("end", i18n::FIELD_END, lang, "11:00", true, Vec::new()),
        field("purpose", i18n::FIELD_PURPOSE, lang, "", false, Vec::new()),
        field("status", i18n::STATUS, lang, BookingStatus::Requested.label(lang), true, labels::<BookingStatus>(lang)),
    ];
    form(FormKind::NewBooking(venue), i18n::FORM_NEW_BOOKING, fields)
}

pub fn new_training(lang: Lang) -> Form {
    let fields = vec![
        field("title", i18n::NAME, lang, "", true, Vec::new()),
        field(
            "format",
            i18n::FIELD_FORMAT,
            lang,
            TrainingFormat::OnSite.label(lang),
            true,
            labels::<TrainingFormat>(lang),
        ),
        field("topics", i18n::FIELD_TOPICS, lang, Topic::PartyBuilding.label(lang), false, labels::<Topic>(lang)),
        field("trainer", i18n::FIELD_TRAINER, lang, "", false, Vec::new()),
    ];
    form(FormKind::NewTraining, i18n::FORM_NEW_TRAINING, fields)
}

pub fn new_session(lang: Lang, training: RecordId, today: chrono::NaiveDate) -> Form {
    let fields = vec![
        field("date", i18n::FIELD_DATE, lang, &today.to_string(), true, Vec::new()),
        field("start", i18n::FIELD_START, lang, "09:00", true, Vec::new()),
        field("end", i18n::FIELD_END, lang, "12:00", true, Vec::new()),
    ];
    form(FormKind::NewSession(training), i18n::FORM_NEW_SESSION, fields)
}

pub fn new_peer(lang: Lang) -> Form {
    let fields = vec![
        field("node_id", i18n::FIELD_NODE_ID, lang, "", true, Vec::new()),
        field("name", i18n::NAME, lang, "", true, Vec::new()),
        field("addr", i18n::FIELD_ADDR, lang, "", false, Vec::new()),
    ];
    form(FormKind::NewPeer, i18n::FORM_NEW_PEER, fields)
}

pub fn new_invite(lang: Lang) -> Form {
    let yes_no = match lang {
        Lang::Zh => vec!["是", "否"],
        Lang::En => vec!["yes", "no"],
    };
    let fields = vec![
        field("addr", i18n::FIELD_ADDR, lang, "", true, Vec::new()),
        field("write", i18n::FIELD_WRITE, lang, yes_no[0], true, yes_no),
    ];
    form(FormKind::NewInvite, i18n::FORM_NEW_INVITE, fields)
}

impl Form {
    fn parsed<V>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<V, String>) -> Option<V> {
        match parse(self.value(key)) {
            Ok(v) => Some(v),
            Err(m) => {
                self.mark(key, m);
                None
            }
        }
    }

    pub fn to_venue(&mut self, lang: Lang) -> Option<Venue> {
        self.reset_errors();
        let mut v = Venue::new("");
        let values: Vec<(&'static str, String)> =
            self.fields.iter().map(|f| (f.key, f.input.text().to_string())).collect();
        for (key, text) in values {
            if let Err(m) = input::set_venue_field(&mut v, key, &text) {
                self.mark(key, m);
            }
        }
        self.complete(lang).then_some(v)
    }

    pub fn to_booking(&mut self, lang: Lang) -> Option<Booking> {
        self.reset_errors();
        let FormKind::NewBooking(venue) = self.kind.clone() else { return None };
        let date = self.parsed("date", |t| validate::parse_date(t).map_err(|e| e.0));
        let start = self.parsed("start", |t| validate::parse_time(t).map_err(|e| e.0));
        let end = self.parsed("end", |t| validate::parse_time(t).map_err(|e| e.0));
        let status = self.parsed("status", |t| BookingStatus::parse(t).map_err(|e| e.to_string()));
        let purpose = self.value("purpose").trim().to_string();
        let b = Booking {
            id: RecordId::random(),
            venue,
            organization: None,
            date: date?,
            start: start?,
            end: end?,
            purpose,
            expected: None,
            status: status?,
        };
        for p in b.validate().into_iter().filter(|p| p.severity == Severity::Error) {
            self.mark(p.field, p.message);
        }
        self.complete(lang).then_some(b)
    }

    pub fn to_training(&mut self, lang: Lang) -> Option<Training> {
        self.reset_errors();
        let format = self.parsed("format", |t| TrainingFormat::parse(t).map_err(|e| e.to_string()));
        let topics = self.parsed("topics", |t| code_list::parse::<Topic>(t).map_err(|e| e.to_string()));
        let t = Training {
            id: RecordId::random(),
            title: validate::normalize_name(self.value("title")),
            format: format?,
            topics: topics?,
            audience: Vec::new(),
            trainer: self.value("trainer").trim().to_string(),
            venue: None,
            sessions: Default::default(),
        };
        self.complete(lang).then_some(t)
    }

    pub fn to_session(&mut self, lang: Lang) -> Option<Session> {
        self.reset_errors();
        let date = self.parsed("date", |t| validate::parse_date(t).map_err(|e| e.0));
        let start = self.parsed("start", |t| validate::parse_time(t).map_err(|e| e.0));
        let end = self.parsed("end", |t| validate::parse_time(t).map_err(|e| e.0));
        let s = Session { date: date?, start: start?, end: end? };
        if s.hours() <= 0.0 {
            self.mark("end", i18n::END_AFTER_START.get(lang).into());
        }
        self.complete(lang).then_some(s)
    }

    /// (node id, name, address) of a new peer.
    pub fn to_peer(&mut self, lang: Lang) -> Option<(crate::sync::NodeId, String, Option<String>)> {
        self.reset_errors();
        let id = self.parsed("node_id", |t| crate::sync::NodeId::parse(t).map_err(|e| e.to_string()));
        let addr = self.value("addr").trim().to_string();
        if !addr.is_empty() && !addr.contains(':') {
            self.mark("addr", i18n::ADDR_FORMAT.get(lang).into());
        }
        let name = self.value("name").trim().to_string();
        let ok = self.complete(lang);
        (ok && id.is_some()).then(|| (id.expect("checked"), name, (!addr.is_empty()).then_some(addr)))
    }

    /// (address, write access) of an invitation.
    pub fn to_invite(&mut self, lang: Lang) -> Option<(String, bool)> {
        self.reset_errors();
        let addr = self.value("addr").trim().to_string();
        if !addr.contains(':') {
            self.mark("addr", i18n::ADDR_FORMAT.get(lang).into());
        }
        let write = validate::parse_bool(self.value("write")).unwrap_or(false);
        self.complete(lang).then_some((addr, write))
    }
}

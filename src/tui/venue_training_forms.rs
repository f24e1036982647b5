//! Forms of the venues and trainings tabs: venues, bookings, trainings,
//! their sessions, walk-ins at a sign-in, and the venue week's go-to-date.

use super::forms::{vocab, Form, FormField, FormKind, PickSource};
use super::i18n;
use crate::domain::input;
use crate::domain::*;
use chrono::NaiveDate;

pub fn new_venue(lang: Lang) -> Form {
    venue(lang, &Venue::new(""), FormKind::NewVenue)
}

pub fn edit_venue(lang: Lang, v: &Venue) -> Form {
    venue(lang, v, FormKind::EditVenue(Box::new(v.clone())))
}

fn venue(lang: Lang, v: &Venue, kind: FormKind) -> Form {
    let text = |key: &str| match key {
        "name" => v.name.clone(),
        "kind" => v.kind.label(lang).into(),
        "address" => v.address.clone(),
        "division" => v.division.clone(),
        "capacity" => v.capacity.map_or(String::new(), |c| c.to_string()),
        "facilities" => v.facilities.clone(),
        "opening_hours" => v.opening_hours.clone(),
        "owner" => v.owner.clone(),
        _ => String::new(),
    };
    let title = if matches!(kind, FormKind::NewVenue) { i18n::FORM_NEW_VENUE } else { i18n::FORM_EDIT_VENUE };
    let fields = input::VENUE_FIELDS.iter().map(|s| super::forms::spec_field(s, text(s.key))).collect();
    Form::new(kind, title, fields)
}

pub fn new_booking(lang: Lang, venue: RecordId, today: NaiveDate) -> Form {
    let b = Booking {
        id: RecordId::random(),
        venue: venue.clone(),
        organization: None,
        date: today,
        start: "09:00".into(),
        end: "11:00".into(),
        purpose: String::new(),
        expected: None,
        status: BookingStatus::Requested,
    };
    booking(lang, &b, "", FormKind::NewBooking(venue))
}

/// `org_name`: the booking organization's name, typed to change it.
pub fn edit_booking(lang: Lang, b: &Booking, org_name: &str) -> Form {
    booking(lang, b, org_name, FormKind::EditBooking(Box::new(b.clone())))
}

fn booking(lang: Lang, b: &Booking, org_name: &str, kind: FormKind) -> Form {
    let title = if matches!(kind, FormKind::NewBooking(_)) { i18n::FORM_NEW_BOOKING } else { i18n::FORM_EDIT_BOOKING };
    let fields = vec![
        FormField::text("date", i18n::FIELD_DATE, &b.date.to_string(), true),
        FormField::text("start", i18n::FIELD_START, &b.start, true),
        FormField::text("end", i18n::FIELD_END, &b.end, true),
        FormField::text("organization", i18n::ORGANIZATION, org_name, false).with_pick(PickSource::Orgs),
        FormField::text("expected", i18n::FIELD_EXPECTED, &b.expected.map_or(String::new(), |e| e.to_string()), false),
        FormField::text("purpose", i18n::FIELD_PURPOSE, &b.purpose, false),
        FormField::select("status", i18n::STATUS, b.status.label(lang), true, vocab::<BookingStatus>()),
    ];
    Form::new(kind, title, fields)
}

pub fn new_training(lang: Lang) -> Form {
    let t = Training {
        id: RecordId::random(),
        title: String::new(),
        format: TrainingFormat::OnSite,
        topics: vec![Topic::PartyBuilding],
        audience: Vec::new(),
        trainer: String::new(),
        venue: None,
        sessions: Default::default(),
    };
    training(lang, &t, FormKind::NewTraining)
}

pub fn edit_training(lang: Lang, t: &Training) -> Form {
    training(lang, t, FormKind::EditTraining(Box::new(t.clone())))
}

fn training(lang: Lang, t: &Training, kind: FormKind) -> Form {
    let title = if matches!(kind, FormKind::NewTraining) { i18n::FORM_NEW_TRAINING } else { i18n::FORM_EDIT_TRAINING };
    let fields = vec![
        FormField::text("title", i18n::NAME, &t.title, true),
        FormField::select("format", i18n::FIELD_FORMAT, t.format.label(lang), true, vocab::<TrainingFormat>()),
        FormField::multi("topics", i18n::FIELD_TOPICS, &code_list::labels(&t.topics, lang), vocab::<Topic>()),
        FormField::multi("audience", i18n::FIELD_AUDIENCE, &code_list::labels(&t.audience, lang), vocab::<Role>()),
        FormField::text("trainer", i18n::FIELD_TRAINER, &t.trainer, false),
    ];
    Form::new(kind, title, fields)
}

/// The date whose week the venue view shows (a form of one field).
pub fn go_to_date(shown: NaiveDate) -> Form {
    let fields = vec![FormField::text("date", i18n::FIELD_DATE, &shown.to_string(), true)];
    Form::new(FormKind::GoToDate, i18n::FORM_GO_TO_DATE, fields)
}

/// `venue`: the training's venue (id and name), the session's by default.
pub fn new_session(training: RecordId, today: NaiveDate, venue: Option<(RecordId, String)>) -> Form {
    let mut place = FormField::text("venue", i18n::FIELD_VENUE, venue.as_ref().map_or("", |v| v.1.as_str()), false)
        .with_pick(PickSource::Venues);
    place.picked = venue.map(|v| v.0);
    let fields = vec![
        FormField::text("date", i18n::FIELD_DATE, &today.to_string(), true),
        FormField::text("start", i18n::FIELD_START, "09:00", true),
        FormField::text("end", i18n::FIELD_END, "12:00", true),
        place,
    ];
    Form::new(FormKind::NewSession(training), i18n::FORM_NEW_SESSION, fields)
}

/// A walk-in at a sign-in: the name as typed in the search, the
/// organization and phone optional (the phone tells namesakes apart later).
pub fn walk_in(training: RecordId, session: RecordId, name: &str) -> Form {
    let fields = vec![
        FormField::text("name", i18n::NAME, name, true),
        FormField::text("organization", i18n::ORGANIZATION, "", false).with_pick(PickSource::Orgs),
        FormField::text("phone", i18n::FIELD_PHONE, "", false),
    ];
    Form::new(FormKind::WalkIn { training, session }, i18n::FORM_WALK_IN, fields)
}

fn time(t: &str) -> Result<String, String> {
    validate::parse_time(t).map_err(|e| e.0)
}

fn date(t: &str) -> Result<NaiveDate, String> {
    validate::parse_date(t).map_err(|e| e.0)
}

impl Form {
    pub fn to_venue(&mut self, lang: Lang) -> Option<Venue> {
        self.clear_errors();
        let mut v = match &self.kind {
            FormKind::EditVenue(v) => (**v).clone(),
            _ => Venue::new(""),
        };
        let values: Vec<(&'static str, String)> =
            self.fields.iter().map(|f| (f.key, f.input.text().to_string())).collect();
        for (key, text) in values {
            if let Err(m) = input::set_venue_field(&mut v, key, &text) {
                self.mark(key, m);
            }
        }
        self.complete(lang).then_some(v)
    }

    /// `org`: the organization field resolved by the caller.
    pub fn to_booking(&mut self, lang: Lang, org: Result<Option<RecordId>, String>) -> Option<Booking> {
        self.clear_errors();
        let mut b = match &self.kind {
            FormKind::EditBooking(b) => (**b).clone(),
            FormKind::NewBooking(venue) => Booking {
                id: RecordId::random(),
                venue: venue.clone(),
                organization: None,
                date: NaiveDate::MIN,
                start: String::new(),
                end: String::new(),
                purpose: String::new(),
                expected: None,
                status: BookingStatus::Requested,
            },
            _ => return None,
        };
        let d = self.parsed("date", date);
        let start = self.parsed("start", time);
        let end = self.parsed("end", time);
        let status = self.parsed("status", |t| BookingStatus::parse(t).map_err(|e| e.to_string()));
        let expected = self.parsed("expected", |t| {
            if t.trim().is_empty() {
                Ok(None)
            } else {
                validate::parse_count(t).map(Some).map_err(|e| e.0)
            }
        });
        match org {
            Ok(o) => b.organization = o,
            Err(m) => self.mark("organization", m),
        }
        b.purpose = self.value("purpose").trim().to_string();
        b.date = d?;
        b.start = start?;
        b.end = end?;
        b.status = status?;
        b.expected = expected?;
        for p in b.validate().into_iter().filter(|p| p.severity == Severity::Error) {
            self.mark(p.field, p.message);
        }
        self.complete(lang).then_some(b)
    }

    pub fn to_training(&mut self, lang: Lang) -> Option<Training> {
        self.clear_errors();
        let format = self.parsed("format", |t| TrainingFormat::parse(t).map_err(|e| e.to_string()));
        let topics = self.parsed("topics", |t| code_list::parse::<Topic>(t).map_err(|e| e.to_string()));
        let audience = self.parsed("audience", |t| code_list::parse::<Role>(t).map_err(|e| e.to_string()));
        let mut t = match &self.kind {
            FormKind::EditTraining(t) => (**t).clone(),
            _ => Training {
                id: RecordId::random(),
                title: String::new(),
                format: TrainingFormat::OnSite,
                topics: Vec::new(),
                audience: Vec::new(),
                trainer: String::new(),
                venue: None,
                sessions: Default::default(),
            },
        };
        t.title = validate::normalize_name(self.value("title"));
        t.trainer = self.value("trainer").trim().to_string();
        t.format = format?;
        t.topics = topics?;
        t.audience = audience?;
        self.complete(lang).then_some(t)
    }

    /// `venue`: the venue field resolved by the caller (who holds the list).
    pub fn to_session(&mut self, lang: Lang, venue: Result<Option<RecordId>, String>) -> Option<Session> {
        self.clear_errors();
        let venue = match venue {
            Ok(v) => v,
            Err(m) => {
                self.mark("venue", m);
                None
            }
        };
        let d = self.parsed("date", date);
        let start = self.parsed("start", time);
        let end = self.parsed("end", time);
        let s = Session { date: d?, start: start?, end: end?, venue };
        if s.hours() <= 0.0 {
            self.mark("end", i18n::END_AFTER_START.get(lang).into());
        }
        self.complete(lang).then_some(s)
    }

    /// The walk-in person; `org`: the organization field resolved by the caller.
    pub fn to_walk_in(&mut self, lang: Lang, org: Result<Option<RecordId>, String>) -> Option<Person> {
        self.clear_errors();
        let mut p = Person::new("");
        for key in ["name", "phone"] {
            let text = self.value(key).to_string();
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
}

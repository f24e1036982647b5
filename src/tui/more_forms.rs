//! Forms for venues, bookings, trainings, sessions, peers, invitations and
//! liaison assignments.

use super::forms::{vocab, yes_no, yes_no_choices, Choice, Form, FormField, FormKind, PickSource};
use super::i18n::{self, T};
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

pub fn new_peer() -> Form {
    let fields = vec![
        FormField::text("node_id", i18n::FIELD_NODE_ID, "", true),
        FormField::text("name", i18n::NAME, "", true),
        FormField::text("addr", i18n::FIELD_ADDR, "", false),
    ];
    Form::new(FormKind::NewPeer, i18n::FORM_NEW_PEER, fields)
}

pub fn new_invite(lang: Lang) -> Form {
    let fields = vec![
        FormField::text("addr", i18n::FIELD_ADDR, "", true),
        FormField::select("write", i18n::FIELD_WRITE, yes_no(true, lang), true, yes_no_choices()),
    ];
    Form::new(FormKind::NewInvite, i18n::FORM_NEW_INVITE, fields)
}

/// How a collection is shared with a peer, as the sharing form offers it.
const SHARE: [T; 5] = [
    T("不共享", "not shared"),
    T("只读", "read"),
    T("读写", "read/write"),
    T("只读·含下级联合会", "read, and federations below"),
    T("读写·含下级联合会", "read/write, and federations below"),
];

/// The private document (party membership, sensitive personal data) is
/// shared only by choosing it here: "all" never covers it.
const SHARE_PRIVATE: [T; 3] = [
    T("不共享", "not shared"),
    T("只读·含党员敏感信息", "read: sensitive party data"),
    T("读写·含党员敏感信息", "read/write: sensitive party data"),
];

/// The collections the sharing form lists, after "all".
fn shared_collections() -> impl Iterator<Item = Collection> {
    Collection::ALL.into_iter().filter(|c| !matches!(c, Collection::Meta | Collection::Private))
}

/// The sharing form of a peer: all (except the private document), each
/// collection (ours, or with the federations below: `tree:`), and the
/// private document by its own explicit choice.
pub fn grants(lang: Lang, peer: &crate::sync::PeerStatus) -> Form {
    use crate::sync::Grant;
    let held = |key: &str| peer.grants.get(key).copied();
    let choice = |key: &str| match (held(&format!("tree:{key}")), held(key)) {
        (Some(Grant::Write), _) => 4,
        (Some(Grant::Read), _) => 3,
        (None, Some(Grant::Write)) => 2,
        (None, Some(Grant::Read)) => 1,
        (None, None) => 0,
    };
    let options: Vec<Choice> = SHARE.iter().map(|t| (*t).into()).collect();
    let mut fields = vec![FormField::select(
        "*",
        T("全部(党员信息除外)", "All (not party data)"),
        SHARE[choice("*")].get(lang),
        true,
        options.clone(),
    )];
    for c in shared_collections() {
        let label = T(c.label(Lang::Zh), c.label(Lang::En));
        fields.push(FormField::select(c.code(), label, SHARE[choice(c.code())].get(lang), true, options.clone()));
    }
    let private = match held("private") {
        Some(Grant::Write) => 2,
        Some(Grant::Read) => 1,
        None => 0,
    };
    fields.push(FormField::select(
        "private",
        T("党员信息(敏感)", "Party data (sensitive)"),
        SHARE_PRIVATE[private].get(lang),
        true,
        SHARE_PRIVATE.iter().map(|t| (*t).into()).collect(),
    ));
    Form::new(FormKind::Grants(peer.node_id.to_string()), i18n::FORM_GRANTS, fields)
}

/// `candidates`: names of people who hold an instructor or liaison role.
pub fn assign(lang: Lang, org: RecordId, candidates: &[&Person], today: NaiveDate) -> Form {
    let names: Vec<Choice> = candidates.iter().map(|p| Choice::name(&p.name)).collect();
    let first = names.first().map_or(String::new(), |n| n.get(lang).to_string());
    let role = candidates.first().map_or(AssignmentRole::Liaison, |p| {
        if p.roles.contains(&Role::Instructor) {
            AssignmentRole::Instructor
        } else {
            AssignmentRole::Liaison
        }
    });
    let fields = vec![
        FormField::select("person", i18n::FIELD_PERSON, &first, true, names).with_pick(PickSource::Liaisons),
        FormField::select("role", i18n::FIELD_ROLE, role.label(lang), true, vocab::<AssignmentRole>()),
        FormField::text("dispatched_by", i18n::FIELD_DISPATCHED_BY, "", false),
        FormField::text("from", i18n::FIELD_FROM, &today.to_string(), true),
    ];
    Form::new(FormKind::Assign(org), i18n::FORM_ASSIGN, fields)
}

/// `active`: (label naming the organization, assignment) of the person's current assignments.
pub fn end_assignment(person: RecordId, active: &[(String, &LiaisonAssignment)], today: NaiveDate) -> Form {
    let names: Vec<Choice> = active.iter().map(|(label, _)| Choice::name(label)).collect();
    let first = active.first().map_or(String::new(), |(label, _)| label.clone());
    let fields = vec![
        FormField::select("assignment", i18n::FIELD_ASSIGNMENT, &first, true, names),
        FormField::text("to", i18n::FIELD_TO, &today.to_string(), true),
        FormField::text("reason", i18n::FIELD_REASON, "", false),
    ];
    Form::new(FormKind::EndAssignment(person), i18n::FORM_END_ASSIGNMENT, fields)
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
    /// The grants a sharing form sets: for each collection both its own key
    /// and its `tree:` key (one of them at most granted).
    pub fn to_grants(&self, lang: Lang) -> Vec<(String, Option<crate::sync::Grant>)> {
        use crate::sync::Grant;
        let mut out = Vec::new();
        for f in &self.fields {
            if f.key == "private" {
                let at = SHARE_PRIVATE.iter().position(|t| t.get(lang) == f.input.text()).unwrap_or(0);
                out.push(("private".to_string(), [None, Some(Grant::Read), Some(Grant::Write)][at]));
                continue;
            }
            let at = SHARE.iter().position(|t| t.get(lang) == f.input.text()).unwrap_or(0);
            let (own, tree) = match at {
                1 => (Some(Grant::Read), None),
                2 => (Some(Grant::Write), None),
                3 => (None, Some(Grant::Read)),
                4 => (None, Some(Grant::Write)),
                _ => (None, None),
            };
            out.push((f.key.to_string(), own));
            out.push((format!("tree:{}", f.key), tree));
        }
        out
    }

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

    /// (node id, name, address) of a new peer.
    pub fn to_peer(&mut self, lang: Lang) -> Option<(crate::sync::NodeId, String, Option<String>)> {
        self.clear_errors();
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
        self.clear_errors();
        let addr = self.value("addr").trim().to_string();
        if !addr.contains(':') {
            self.mark("addr", i18n::ADDR_FORMAT.get(lang).into());
        }
        let write = validate::parse_bool(self.value("write")).unwrap_or(false);
        self.complete(lang).then_some((addr, write))
    }

    /// The assignment an assign form describes; `candidates` as the form was built with.
    pub fn to_assignment(&mut self, lang: Lang, candidates: &[&Person]) -> Option<LiaisonAssignment> {
        self.clear_errors();
        let FormKind::Assign(org) = self.kind.clone() else { return None };
        // Chosen in the picker (anyone), else cycled through the candidates.
        let at = self.fields[0].choices.iter().position(|c| c.get(lang) == self.value("person"));
        let person = self.fields[0].picked.clone().or_else(|| at.and_then(|i| candidates.get(i)).map(|p| p.id.clone()));
        if person.is_none() {
            self.mark("person", i18n::REQUIRED.get(lang).into());
        }
        let role = self.parsed("role", |t| AssignmentRole::parse(t).map_err(|e| e.to_string()));
        let from = self.parsed("from", date);
        let ok = self.complete(lang);
        Some(LiaisonAssignment {
            id: RecordId::random(),
            person: person?,
            organization: org,
            role: role?,
            dispatched_by: self.value("dispatched_by").trim().to_string(),
            from: from?,
            to: None,
            end_reason: String::new(),
        })
        .filter(|_| ok)
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

    /// The ended assignment; `active` as the form was built with.
    pub fn to_ended(&mut self, lang: Lang, active: &[(String, &LiaisonAssignment)]) -> Option<LiaisonAssignment> {
        self.clear_errors();
        let chosen = active.iter().find(|(label, _)| label == self.value("assignment")).map(|(_, a)| (*a).clone());
        let to = self.parsed("to", date);
        if let (Some(a), Some(to)) = (&chosen, to) {
            if to < a.from {
                self.mark("to", i18n::END_BEFORE_FROM.get(lang).into());
            }
        }
        let ok = self.complete(lang);
        let mut a = chosen?;
        a.to = Some(to?);
        a.end_reason = self.value("reason").trim().to_string();
        ok.then_some(a)
    }
}

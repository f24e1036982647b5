//! Forms of the activities and projects tabs: each reads what was typed
//! into the typed command of src/ops (no rule lives here; ops validates and
//! decides), marking the fields it cannot read.

use super::forms::{vocab, Choice, Form, FormField, FormKind, PickSource};
use super::work_text as w;
use crate::domain::activity_query::ActivityFilter;
use crate::domain::*;
use crate::ops::activities::{ActivityFields, AddWorkReport, LogParticipants, Participant, ReportMajor, Review};
use crate::ops::evaluations::Evaluate;
use crate::ops::projects::{AddProject, Advance};
use crate::ops::Ref;
use chrono::NaiveDate;

/// Which form of the activities and projects tabs.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkForm {
    /// Quick entry of an activity with its participants. `people`: names
    /// chosen in the picker with their ids (a name alone can have namesakes).
    Activity {
        people: Vec<(String, RecordId)>,
    },
    /// A logged activity as it was read: the save sends what changed.
    EditActivity(Box<Activity>),
    /// The activity list's conditions (organization, type, target, period,
    /// major only) and the work-report period; applied without a store job.
    Conditions,
    Participants {
        activity: RecordId,
        people: Vec<(String, RecordId)>,
    },
    ReportMajor(RecordId),
    Acknowledge(RecordId),
    WorkReport,
    Review(RecordId),
    Project,
    Advance(RecordId),
    Evaluate,
    /// A new honour (None) or one as it was read: the save sends what changed.
    Honour(Option<Box<Honour>>),
    /// An organization's 规范化建设 self-check of a year.
    Checklist,
    /// The federation's evaluation weights and cut-offs.
    Settings,
}

pub(super) fn blank_then(v: Vec<Choice>) -> Vec<Choice> {
    std::iter::once(super::i18n::T("", "").into()).chain(v).collect()
}

pub(super) fn text(key: &'static str, label: super::i18n::T, value: &str, required: bool) -> FormField {
    FormField::text(key, label, value, required)
}

pub(super) fn form(kind: WorkForm, title: super::i18n::T, fields: Vec<FormField>) -> Form {
    Form::new(FormKind::Work(kind), title, fields)
}

/// The quick entry: the organization first (typing opens its picker), the
/// date today, participants picked from people or typed as walk-ins.
pub fn activity(lang: Lang, today: NaiveDate, org: &str) -> Form {
    let major = [w::MAJOR_BY_RULE, super::forms::YES_NO[0], super::forms::YES_NO[1]];
    let fields = vec![
        text("organization", w::F_ORG, org, true).with_pick(PickSource::Orgs),
        text("title", w::F_TITLE, "", true),
        FormField::select("kind", w::F_KIND, ActivityKind::VolunteerService.label(lang), true, vocab::<ActivityKind>()),
        text("date", w::F_DATE, &today.to_string(), true),
        text("start", w::F_START, "", false),
        text("end", w::F_END, "", false),
        FormField::multi("targets", w::F_TARGETS, "", vocab::<TargetGroup>()),
        participants_field(),
        text("hours", w::F_HOURS_EACH, "", false),
        text("headcount", w::F_HEADCOUNT, "", false),
        text("beneficiaries", w::F_BENEFICIARIES, "", false),
        text("venue", w::F_VENUE, "", false).with_pick(PickSource::Venues),
        FormField::select("major", w::F_MAJOR, major[0].get(lang), true, major.iter().map(|t| (*t).into()).collect()),
        text("notes", w::F_NOTES, "", false),
    ];
    let mut f = form(WorkForm::Activity { people: Vec::new() }, w::FORM_ACTIVITY, fields);
    // The organization may be given (the filter's); then the title is next.
    f.focus = usize::from(!org.is_empty());
    f
}

/// A logged activity, every field as stored (participants are logged with
/// F9); the organization field is the lead, joint organizers are kept.
pub fn edit_activity(lang: Lang, a: &Activity, org: &str, venue: Option<&str>) -> Form {
    let major = super::forms::yes_no(a.major, lang);
    let num = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    let fields = vec![
        text("organization", w::F_ORG, org, true).with_pick(PickSource::Orgs),
        text("title", w::F_TITLE, &a.title, true),
        FormField::select("kind", w::F_KIND, a.kind.label(lang), true, vocab::<ActivityKind>()),
        text("date", w::F_DATE, &a.date.to_string(), true),
        text("start", w::F_START, a.start.as_deref().unwrap_or(""), false),
        text("end", w::F_END, a.end.as_deref().unwrap_or(""), false),
        FormField::multi("targets", w::F_TARGETS, &code_list::labels(&a.targets, lang), vocab::<TargetGroup>()),
        text("headcount", w::F_HEADCOUNT, &num(a.headcount), false),
        text("beneficiaries", w::F_BENEFICIARIES, &num(a.beneficiaries), false),
        text("venue", w::F_VENUE, venue.unwrap_or(&a.place), false).with_pick(PickSource::Venues),
        FormField::select("major", w::F_MAJOR, major, true, super::forms::yes_no_choices()),
        text("notes", w::F_NOTES, &a.notes, false),
    ];
    let mut f = form(WorkForm::EditActivity(Box::new(a.clone())), w::FORM_EDIT_ACTIVITY, fields);
    if let Some(id) = a.venue.as_ref().filter(|_| venue.is_some()) {
        f.fields[9].picked = Some(id.clone());
    }
    if let Some(id) = a.lead().filter(|_| !org.is_empty()) {
        f.fields[0].picked = Some(id.clone());
    }
    f.focus = 1;
    f.about(&format!("{} {}", a.date, a.title))
}

fn participants_field() -> FormField {
    text("participants", w::F_PARTICIPANTS, "", false).with_pick(PickSource::People)
}

/// More participants for a logged activity.
pub fn participants(activity: RecordId) -> Form {
    let fields = vec![participants_field(), text("hours", w::F_HOURS_EACH, "", false)];
    form(WorkForm::Participants { activity, people: Vec::new() }, w::FORM_PARTICIPANTS, fields)
}

/// The conditions as they stand; `org`: the name of the organization condition.
pub fn conditions(lang: Lang, f: &ActivityFilter, org: &str, work_period: Period, quiet_months: u32) -> Form {
    let opt = |v: Option<&'static str>| v.unwrap_or("").to_string();
    let fields = vec![
        text("organization", w::F_ORG, org, false).with_pick(PickSource::Orgs),
        FormField::select(
            "kind",
            w::F_KIND,
            &opt(f.kind.map(|k| k.label(lang))),
            false,
            blank_then(vocab::<ActivityKind>()),
        ),
        FormField::select(
            "target",
            w::F_TARGET,
            &opt(f.target.map(|k| k.label(lang))),
            false,
            blank_then(vocab::<TargetGroup>()),
        ),
        text("from", w::F_FROM, &f.from.map_or(String::new(), |d| d.to_string()), false),
        text("to", w::F_TO, &f.to.map_or(String::new(), |d| d.to_string()), false),
        FormField::select(
            "major_only",
            w::F_MAJOR_ONLY,
            super::forms::yes_no(f.major_only, lang),
            true,
            super::forms::yes_no_choices(),
        ),
        text("work_period", w::F_WORK_PERIOD, &work_period.to_string(), true),
        text("quiet_months", w::F_QUIET_MONTHS, &quiet_months.to_string(), true),
    ];
    form(WorkForm::Conditions, w::FORM_CONDITIONS, fields)
}

pub fn report_major(lang: Lang, activity: RecordId, today: NaiveDate) -> Form {
    let fields = vec![
        text("to", w::F_REPORTED_TO, "", true),
        text("on", w::F_DATE, &today.to_string(), true),
        FormField::select("via", w::F_VIA, ReportChannel::Written.label(lang), true, vocab::<ReportChannel>()),
    ];
    form(WorkForm::ReportMajor(activity), w::FORM_REPORT_MAJOR, fields)
}

pub fn acknowledge(activity: RecordId, today: NaiveDate) -> Form {
    let fields = vec![text("by", w::F_BY, "", true), text("on", w::F_DATE, &today.to_string(), true)];
    form(WorkForm::Acknowledge(activity), w::FORM_ACKNOWLEDGE, fields)
}

pub fn work_report(lang: Lang, org: &str, period: Period, today: NaiveDate) -> Form {
    let both = code_list::labels(Committee::all(), lang);
    let fields = vec![
        text("organization", w::F_ORG, org, true).with_pick(PickSource::Orgs),
        text("period", w::F_PERIOD, &period.to_string(), true),
        text("on", w::F_DATE, &today.to_string(), true),
        FormField::multi("committees", w::F_COMMITTEES, &both, vocab::<Committee>()),
        text("to", w::F_REPORTED_TO, "", false),
        text("summary", w::F_SUMMARY, "", false),
    ];
    let mut f = form(WorkForm::WorkReport, w::FORM_WORK_REPORT, fields);
    f.focus = usize::from(!org.is_empty()) * 4;
    f
}

pub fn review(lang: Lang, report: RecordId, today: NaiveDate) -> Form {
    let fields = vec![
        FormField::select("result", w::F_RESULT, ReviewResult::Satisfied.label(lang), true, vocab::<ReviewResult>()),
        text("on", w::F_DATE, &today.to_string(), true),
        text("by", w::F_REVIEWER, "", true),
        text("notes", w::F_NOTES, "", false),
    ];
    form(WorkForm::Review(report), w::FORM_REVIEW, fields)
}

pub fn project(lang: Lang, today: NaiveDate) -> Form {
    use chrono::Datelike;
    let fields = vec![
        text("name", w::F_NAME, "", true),
        FormField::select("kind", w::F_PROJECT_KIND, ProjectKind::all()[0].label(lang), true, vocab::<ProjectKind>()),
        text("funder", w::F_FUNDER, "", false),
        text("year", w::F_YEAR, &today.year().to_string(), true),
        text("amount", w::F_AMOUNT, "", true),
        FormField::multi("domains", w::F_DOMAINS, "", vocab::<ProjectDomain>()),
        text("lead", w::F_LEAD, "", false).with_pick(PickSource::Orgs),
        text("beneficiaries", w::F_BENEFICIARIES, "", false),
        FormField::select("status", w::F_STATUS, ProjectStatus::Applied.label(lang), true, vocab::<ProjectStatus>()),
        text("date", w::F_DATE, &today.to_string(), true),
    ];
    form(WorkForm::Project, w::FORM_PROJECT, fields)
}

/// The steps after the project's status; the next one chosen.
pub fn advance(lang: Lang, p: &Project, today: NaiveDate) -> Option<Form> {
    let next = p.status.next()?;
    let later: Vec<Choice> = ProjectStatus::all()
        .iter()
        .filter(|s| {
            ProjectStatus::all().iter().position(|x| x == *s) > ProjectStatus::all().iter().position(|x| *x == p.status)
        })
        .map(|s| super::i18n::T(s.zh(), s.en()).into())
        .collect();
    let fields = vec![
        FormField::select("to", w::F_TO_STATUS, next.label(lang), true, later),
        text("date", w::F_DATE, &today.to_string(), true),
    ];
    Some(form(WorkForm::Advance(p.id.clone()), w::FORM_ADVANCE, fields).about(&p.name))
}

/// An evaluation of `year`; `org`: the organization's name when known.
pub fn evaluate(lang: Lang, org: &str, year: i32, today: NaiveDate, e: Option<&Evaluation>) -> Form {
    let num = |v: Option<u8>| v.map_or(String::new(), |v| v.to_string());
    let review = |r: Option<ReviewResult>| r.map_or("", |r| r.label(lang)).to_string();
    let fields = vec![
        text("organization", w::F_ORG, org, true).with_pick(PickSource::Orgs),
        text("year", w::F_YEAR, &year.to_string(), true),
        text("basic", w::F_BASIC, &num(e.map(|e| e.basic)), false),
        text("activities", w::F_ACTIVITIES, &num(e.map(|e| e.activities)), true),
        text("contribution", w::F_CONTRIBUTION, &num(e.map(|e| e.contribution)), true),
        text("influence", w::F_INFLUENCE, &num(e.map(|e| e.influence)), true),
        text("evaluator", w::F_EVALUATOR, e.map_or("", |e| e.evaluator.as_str()), true),
        text("date", w::F_DATE, &e.and_then(|e| e.date).unwrap_or(today).to_string(), true),
        FormField::select(
            "committee_review",
            w::F_COMMITTEE_REVIEW,
            &review(e.and_then(|e| e.committee_review)),
            false,
            blank_then(vocab::<ReviewResult>()),
        ),
        FormField::select(
            "residents_review",
            w::F_RESIDENTS_REVIEW,
            &review(e.and_then(|e| e.residents_review)),
            false,
            blank_then(vocab::<ReviewResult>()),
        ),
        FormField::select(
            "national_grade",
            w::F_NATIONAL_GRADE,
            e.and_then(|e| e.national_grade).map_or("", |g| g.label(lang)),
            false,
            blank_then(vocab::<NationalGrade>()),
        ),
        text("notes", w::F_NOTES, e.map_or("", |e| e.notes.as_str()), false),
    ];
    let mut f = form(WorkForm::Evaluate, w::FORM_EVALUATE, fields);
    f.focus = if org.is_empty() { 0 } else { 2 };
    f
}

pub(super) fn date(t: &str) -> Result<NaiveDate, String> {
    validate::parse_date(t).map_err(|e| e.0)
}

pub(super) fn optional<V>(t: &str, parse: impl FnOnce(&str) -> Result<V, String>) -> Result<Option<V>, String> {
    if t.trim().is_empty() {
        Ok(None)
    } else {
        parse(t).map(Some)
    }
}

pub(super) fn count(t: &str) -> Result<u32, String> {
    validate::parse_count(t).map_err(|e| e.0)
}

pub(super) fn vocab_value<V: Vocabulary>(t: &str) -> Result<Option<V>, String> {
    optional(t, |t| V::parse(t).map_err(|e| e.to_string()))
}

fn hours(t: &str) -> Result<f64, String> {
    let folded = validate::fold_width(t.trim());
    let number = folded.trim_end_matches(['h', 'H', '时']).trim_end_matches('小').trim();
    match number.parse::<f64>() {
        Ok(h) if h >= 0.0 && h.is_finite() => Ok(h),
        _ => Err(format!("时长「{}」无法识别,请写小时数,如 2 或 1.5 (hours as a number)", t.trim())),
    }
}

/// Names typed into a participants field, as the people list: a name the
/// picker chose goes by its id, any other by name (ops finds it, or adds a
/// walk-in volunteer when nobody has that name).
fn participant_refs(text: &str, people: &[(String, RecordId)], hours: Option<f64>) -> Vec<Participant> {
    let mut seen: Vec<String> = Vec::new();
    text.split([',', '，', '、', ';', '；', '\n'])
        .map(validate::normalize_name)
        .filter(|n| !n.is_empty())
        .filter_map(|name| {
            // Picked namesakes stay apart; a name typed twice is one person.
            let id = people.iter().find(|(n, id)| *n == name && !seen.contains(&id.to_string()));
            let key = id.map_or(name.clone(), |(_, id)| id.to_string());
            if seen.contains(&key) {
                return None;
            }
            seen.push(key.clone());
            Some(Participant { person: Ref(key), hours })
        })
        .collect()
}

impl Form {
    fn work_people(&self) -> Vec<(String, RecordId)> {
        match &self.kind {
            FormKind::Work(WorkForm::Activity { people }) | FormKind::Work(WorkForm::Participants { people, .. }) => {
                people.clone()
            }
            _ => Vec::new(),
        }
    }

    /// The participants typed and picked, or the form with the hours marked.
    pub fn to_participants(&mut self) -> Option<Vec<Participant>> {
        let h = self.parsed("hours", |t| optional(t, hours))?;
        let people = self.work_people();
        Some(participant_refs(self.value("participants"), &people, h))
    }

    /// The quick entry's activity and participants. `venue`: the venue the
    /// typed name is (None: the text is a place).
    pub fn to_activity(
        &mut self,
        lang: Lang,
        org: Result<Option<RecordId>, String>,
        venue: Option<RecordId>,
    ) -> Option<(ActivityFields, Vec<Participant>)> {
        self.clear_errors();
        let d = self.parsed("date", date);
        let start = self.parsed("start", |t| optional(t, |t| validate::parse_time(t).map_err(|e| e.0)));
        let end = self.parsed("end", |t| optional(t, |t| validate::parse_time(t).map_err(|e| e.0)));
        let kind = self.parsed("kind", vocab_value::<ActivityKind>);
        let targets = self.parsed("targets", |t| code_list::parse::<TargetGroup>(t).map_err(|e| e.to_string()));
        let headcount = self.parsed("headcount", |t| optional(t, count));
        let beneficiaries = self.parsed("beneficiaries", |t| optional(t, count));
        let participants = self.to_participants();
        let org = match org {
            Ok(o) => o,
            Err(m) => {
                self.mark("organization", m);
                None
            }
        };
        let major = match self.value("major") {
            t if t == super::forms::YES_NO[0].get(lang) => Some(true),
            t if t == super::forms::YES_NO[1].get(lang) => Some(false),
            _ => None,
        };
        let place = self.value("venue").trim().to_string();
        let fields = ActivityFields {
            organizations: org.iter().map(Ref::from).collect(),
            date: d,
            start: start.flatten(),
            end: end.flatten(),
            title: Some(self.value("title").trim().to_string()),
            kind: kind.flatten(),
            targets,
            venue: venue.as_ref().map(Ref::from),
            place: venue.is_none().then_some(place),
            headcount: headcount.flatten(),
            beneficiaries: beneficiaries.flatten(),
            major,
            notes: Some(self.value("notes").trim().to_string()),
            ..ActivityFields::default()
        };
        let ok = self.complete(lang);
        ok.then_some((fields, participants?))
    }

    /// What the edit form changed against the activity as it was read: only
    /// those fields, so a peer's edit of another field is kept.
    pub fn to_activity_edit(
        &mut self,
        lang: Lang,
        org: Result<Option<RecordId>, String>,
        venue: Option<RecordId>,
        was: &Activity,
    ) -> Option<ActivityFields> {
        let (new, _) = self.to_activity(lang, org, venue)?;
        let changed = |a: &Option<String>, b: &Option<String>| (a != b).then(|| a.clone().unwrap_or_default());
        let lead = new.organizations.first().map(|r| RecordId::from(r.0.as_str()));
        let organizations = match lead {
            Some(lead) if Some(&lead) != was.lead() => {
                // A new lead; the joint organizers stay.
                let rest = was.organizations.iter().skip(1).filter(|o| **o != lead).map(Ref::from);
                std::iter::once(Ref::from(&lead)).chain(rest).collect()
            }
            _ => Vec::new(),
        };
        let (venue, place) = match (&new.venue, new.place.as_deref().unwrap_or("")) {
            (Some(v), _) if Some(v.0.as_str()) != was.venue.as_ref().map(|v| v.as_str()) => {
                (Some(v.clone()), Some(String::new()))
            }
            (None, place) if was.venue.is_some() => (Some(Ref(String::new())), Some(place.to_string())),
            (None, place) if place != was.place => (None, Some(place.to_string())),
            _ => (None, None),
        };
        Some(ActivityFields {
            organizations,
            date: new.date.filter(|d| *d != was.date),
            start: changed(&new.start, &was.start),
            end: changed(&new.end, &was.end),
            title: new.title.filter(|t| *t != was.title),
            kind: new.kind.filter(|k| *k != was.kind),
            targets: new.targets.filter(|t| *t != was.targets),
            venue,
            place,
            headcount: new.headcount.filter(|h| Some(*h) != was.headcount),
            beneficiaries: new.beneficiaries.filter(|b| Some(*b) != was.beneficiaries),
            major: new.major.filter(|m| *m != was.major),
            notes: new.notes.filter(|n| *n != was.notes),
            ..ActivityFields::default()
        })
    }

    pub fn to_log_participants(&mut self, lang: Lang) -> Option<LogParticipants> {
        self.clear_errors();
        let FormKind::Work(WorkForm::Participants { activity, .. }) = self.kind.clone() else { return None };
        let participants = self.to_participants();
        if participants.as_ref().is_some_and(|p| p.is_empty()) {
            self.mark("participants", super::i18n::REQUIRED.get(lang).into());
        }
        let ok = self.complete(lang);
        ok.then_some(LogParticipants { activity, participants: participants?, create_missing: true })
    }

    /// The conditions, the organization resolved by the caller.
    pub fn to_conditions(
        &mut self,
        lang: Lang,
        org: Result<Option<RecordId>, String>,
        text: &str,
    ) -> Option<(ActivityFilter, Period, u32)> {
        self.clear_errors();
        let kind = self.parsed("kind", vocab_value::<ActivityKind>);
        let target = self.parsed("target", vocab_value::<TargetGroup>);
        let from = self.parsed("from", |t| optional(t, date));
        let to = self.parsed("to", |t| optional(t, date));
        let period = self.parsed("work_period", |t| Period::parse(t).map_err(|e| e.to_string()));
        let months = self.parsed("quiet_months", |t| match count(t)? {
            0 => Err(w::BAD_MONTHS.get(lang).to_string()),
            n => Ok(n),
        });
        let organization = match org {
            Ok(o) => o,
            Err(m) => {
                self.mark("organization", m);
                None
            }
        };
        let major_only = validate::parse_bool(self.value("major_only")).unwrap_or(false);
        let ok = self.complete(lang);
        let filter = ActivityFilter {
            text: text.to_string(),
            organization,
            division: None,
            kind: kind?,
            target: target?,
            from: from?,
            to: to?,
            major_only,
        };
        ok.then_some((filter, period?, months?))
    }

    pub fn to_report_major(&mut self, lang: Lang) -> Option<ReportMajor> {
        self.clear_errors();
        let FormKind::Work(WorkForm::ReportMajor(activity)) = self.kind.clone() else { return None };
        let on = self.parsed("on", date);
        let via = self.parsed("via", |t| ReportChannel::parse(t).map_err(|e| e.to_string()));
        let ok = self.complete(lang);
        let cmd = ReportMajor { activity, to: self.value("to").trim().to_string(), on: Some(on?), via: via? };
        ok.then_some(cmd)
    }

    /// (activity, by, on) of an acknowledgement.
    pub fn to_acknowledge(&mut self, lang: Lang) -> Option<(RecordId, String, NaiveDate)> {
        self.clear_errors();
        let FormKind::Work(WorkForm::Acknowledge(activity)) = self.kind.clone() else { return None };
        let on = self.parsed("on", date);
        let ok = self.complete(lang);
        let by = self.value("by").trim().to_string();
        ok.then_some((activity, by, on?))
    }

    /// `org`: the organization as the picker chose it, else as typed.
    pub fn to_work_report(&mut self, lang: Lang, org: Option<RecordId>) -> Option<AddWorkReport> {
        self.clear_errors();
        let on = self.parsed("on", date);
        let committees = self.parsed("committees", |t| code_list::parse::<Committee>(t).map_err(|e| e.to_string()));
        let ok = self.complete(lang);
        let cmd = AddWorkReport {
            org: org.as_ref().map_or_else(|| Ref::from(self.value("organization").trim()), Ref::from),
            period: self.value("period").trim().to_string(),
            reported_on: Some(on?),
            committees: committees?,
            reported_to: self.value("to").trim().to_string(),
            summary: self.value("summary").trim().to_string(),
        };
        ok.then_some(cmd)
    }

    pub fn to_review(&mut self, lang: Lang) -> Option<Review> {
        self.clear_errors();
        let FormKind::Work(WorkForm::Review(report)) = self.kind.clone() else { return None };
        let result = self.parsed("result", |t| ReviewResult::parse(t).map_err(|e| e.to_string()));
        let on = self.parsed("on", date);
        let ok = self.complete(lang);
        let cmd = Review {
            report,
            result: result?,
            on: Some(on?),
            by: self.value("by").trim().to_string(),
            notes: self.value("notes").trim().to_string(),
        };
        ok.then_some(cmd)
    }

    /// `lead`: the lead organization when it is on the roster (else its name is kept as typed).
    pub fn to_project(&mut self, lang: Lang, lead: Option<RecordId>) -> Option<AddProject> {
        self.clear_errors();
        let kind = self.parsed("kind", |t| ProjectKind::parse(t).map_err(|e| e.to_string()));
        let year = self.parsed("year", year);
        let amount = self.parsed("amount", |t| projects::parse_yuan(t).map_err(|e| e.message));
        let domains = self.parsed("domains", |t| code_list::parse::<ProjectDomain>(t).map_err(|e| e.to_string()));
        let beneficiaries = self.parsed("beneficiaries", |t| optional(t, count));
        let status = self.parsed("status", |t| ProjectStatus::parse(t).map_err(|e| e.to_string()));
        let d = self.parsed("date", date);
        let ok = self.complete(lang);
        let cmd = AddProject {
            name: self.value("name").trim().to_string(),
            kind: kind?,
            funder: self.value("funder").trim().to_string(),
            year: year?,
            amount_fen: amount?,
            domains: domains?,
            lead: lead.as_ref().map(Ref::from),
            lead_name: if lead.is_none() { self.value("lead").trim().to_string() } else { String::new() },
            partners: Vec::new(),
            beneficiaries: beneficiaries?,
            beneficiary_groups: String::new(),
            status: Some(status?),
            date: Some(d?),
        };
        ok.then_some(cmd)
    }

    pub fn to_advance(&mut self, lang: Lang) -> Option<Advance> {
        self.clear_errors();
        let FormKind::Work(WorkForm::Advance(project)) = self.kind.clone() else { return None };
        let to = self.parsed("to", |t| ProjectStatus::parse(t).map_err(|e| e.to_string()));
        let d = self.parsed("date", date);
        let ok = self.complete(lang);
        ok.then_some(Advance { project: Ref::from(&project), to: Some(to?), date: Some(d?) })
    }

    /// `org`: the organization as the picker chose it, else as typed.
    pub fn to_evaluate(&mut self, lang: Lang, org: Option<RecordId>) -> Option<Evaluate> {
        self.clear_errors();
        let year = self.parsed("year", year);
        let score = |t: &str| -> Result<u8, String> {
            let n = count(t)?;
            u8::try_from(n).map_err(|_| format!("得分 {n} 应为0–25 (each dimension scores 0–25)"))
        };
        let basic = self.parsed("basic", |t| optional(t, score));
        let activities = self.parsed("activities", score);
        let contribution = self.parsed("contribution", score);
        let influence = self.parsed("influence", score);
        let d = self.parsed("date", date);
        let committee = self.parsed("committee_review", vocab_value::<ReviewResult>);
        let residents = self.parsed("residents_review", vocab_value::<ReviewResult>);
        let grade = self.parsed("national_grade", vocab_value::<NationalGrade>);
        let ok = self.complete(lang);
        let cmd = Evaluate {
            org: org.as_ref().map_or_else(|| Ref::from(self.value("organization").trim()), Ref::from),
            year: year?,
            basic: basic?,
            activities: activities?,
            contribution: contribution?,
            influence: influence?,
            result: None,
            evaluator: self.value("evaluator").trim().to_string(),
            date: Some(d?),
            committee_review: committee?,
            residents_review: residents?,
            national_grade: grade?,
            notes: self.value("notes").trim().to_string(),
        };
        ok.then_some(cmd)
    }
}

pub(super) fn year(t: &str) -> Result<i32, String> {
    let folded = validate::fold_width(t.trim());
    match folded.trim_end_matches('年').parse::<i32>() {
        Ok(y) if (1949..=2100).contains(&y) => Ok(y),
        _ => Err(format!("年度「{}」无法识别,请写四位年份,如 2025 (a four-digit year)", t.trim())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_typed_and_picked_keep_namesakes_apart_and_drop_repeats() {
        let picked = vec![("刘娟".to_string(), RecordId::from("p1")), ("刘娟".to_string(), RecordId::from("p2"))];
        let list = participant_refs("刘娟、刘娟，王芳, 王芳；李 明", &picked, Some(2.0));
        let refs: Vec<&str> = list.iter().map(|p| p.person.0.as_str()).collect();
        assert_eq!(refs, vec!["p1", "p2", "王芳", "李 明"]);
        assert!(list.iter().all(|p| p.hours == Some(2.0)));
    }

    #[test]
    fn hours_and_years_as_people_write_them() {
        assert_eq!(hours("1.5小时"), Ok(1.5));
        assert_eq!(hours("２"), Ok(2.0));
        assert!(hours("两个半小时").unwrap_err().contains("两个半小时"));
        assert_eq!(year("2025年"), Ok(2025));
        assert!(year("25").is_err());
    }
}

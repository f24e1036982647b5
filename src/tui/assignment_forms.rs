//! Forms of the people tab's instructor and liaison assignments: assign
//! a person to an organization, end an assignment.

use super::forms::{vocab, Choice, Form, FormField, FormKind, PickSource};
use super::i18n;
use crate::domain::*;
use chrono::NaiveDate;

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

fn date(t: &str) -> Result<NaiveDate, String> {
    validate::parse_date(t).map_err(|e| e.0)
}

impl Form {
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

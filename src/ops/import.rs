//! Importing a roster, an activity ledger, an evaluation summary or a
//! project ledger (CSV or workbook): checked first, written in one
//! atomic batch only when allowed. The CLI's `import` and the TUI's import
//! screen both call `import` here.

use super::{Env, OpResult, Progress};
use crate::domain::validate::name_key;
use crate::domain::*;
use crate::io::activity_import::{self, ActivityContext, OrgEntry, PersonEntry};
use crate::io::import::{self, Existing, ImportOptions, ImportPlan, RowError, UnmappedColumn};
use crate::io::ledger_import::{self, EvaluationContext, EvaluationRow, OrgIndex, ProjectContext};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Orgs,
    People,
    Venues,
    /// An activity ledger: organizations by name or credit code, volunteers by name and phone.
    Activities,
    /// A yearly evaluation summary (考核评价结果): stored in each organization's evaluations.
    Evaluations,
    /// A project ledger (项目台账): projects and funding.
    Projects,
}

/// What to do once the file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mode {
    /// Check only; write nothing.
    DryRun,
    /// Write every row, or nothing when any row has an error.
    All,
    /// Write the valid rows, skip the rest.
    ValidRows,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub kind: Kind,
    pub file: PathBuf,
    pub options: ImportOptions,
    pub mode: Mode,
}

/// What the check found, whatever was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// CSV encoding or workbook format.
    pub format: String,
    pub sheet: String,
    pub header_line: usize,
    pub valid: usize,
    pub invalid_lines: Vec<usize>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    pub unmapped: Vec<UnmappedColumn>,
    /// People the file names who are not on record, added as volunteers with
    /// the rows that name them (activities only).
    pub new_people: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Outcome {
    /// A dry run: nothing written.
    Checked,
    /// Records written (all of them, or the valid ones when asked).
    Written(usize),
    /// Nothing written: some rows have errors and the mode was `All`.
    RefusedInvalid,
    /// Nothing written: a data column maps to no field and was not ignored.
    RefusedUnmapped,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    pub report: Report,
    pub outcome: Outcome,
}

/// Checks the file and writes it as the mode says; never half-applied.
pub fn import(env: &mut Env, cmd: Import) -> OpResult<Imported> {
    import_with_progress(env, cmd, &mut |_, _| {})
}

/// `import`, telling `progress` (records written, records to write) once
/// the file is checked and as the records go in.
pub fn import_with_progress(env: &mut Env, cmd: Import, progress: Progress) -> OpResult<Imported> {
    let bytes = std::fs::read(&cmd.file).with_context(|| format!("无法读取 {} (cannot read)", cmd.file.display()))?;
    let ex = existing(env.store);
    let file = cmd.file.display().to_string();
    let read = |e: import::ImportError| anyhow::anyhow!("{file}: {e}");
    match cmd.kind {
        Kind::Orgs => apply(env, import::plan_orgs_with(&bytes, &ex, &cmd.options).map_err(read)?, cmd.mode, progress),
        Kind::People => {
            apply(env, import::plan_people_with(&bytes, &ex, &cmd.options).map_err(read)?, cmd.mode, progress)
        }
        Kind::Venues => {
            apply(env, import::plan_venues_with(&bytes, &ex, &cmd.options).map_err(read)?, cmd.mode, progress)
        }
        Kind::Activities => {
            let context = activity_context(env.store);
            let planned = activity_import::plan_activities(&bytes, &context, &cmd.options).map_err(read)?;
            apply_activities(env, planned, cmd.mode, progress)
        }
        Kind::Evaluations => {
            let store: &crate::store::Store = env.store;
            let stored = |id: &RecordId| store.get::<Organization>(id).ok().flatten();
            let context = EvaluationContext {
                orgs: OrgIndex::new(org_entries(store)),
                stored: &stored,
                settings: store.evaluation_settings(),
            };
            let planned = ledger_import::plan_evaluations(&bytes, &context, &cmd.options).map_err(read)?;
            apply_evaluations(env, planned, cmd.mode, progress)
        }
        Kind::Projects => {
            let existing = env
                .store
                .scan(Collection::Projects, &["name", "year"])
                .into_iter()
                .filter_map(|r| Some((name_key(r.values[0].as_deref()?), r.values[1].as_deref()?.parse().ok()?)))
                .collect();
            let context = ProjectContext { orgs: OrgIndex::new(org_entries(env.store)), existing };
            apply(env, ledger_import::plan_projects(&bytes, &context, &cmd.options).map_err(read)?, cmd.mode, progress)
        }
    }
}

/// Evaluations go into their organizations, each organization written once,
/// all in one atomic write; an evaluation stored already alike is left alone.
fn apply_evaluations(
    env: &mut Env,
    plan: ImportPlan<EvaluationRow>,
    mode: Mode,
    progress: Progress,
) -> OpResult<Imported> {
    let report = report_of(&plan);
    let outcome = match outcome_of(&plan, mode) {
        Some(o) => o,
        None => {
            let mut by_org: std::collections::BTreeMap<RecordId, Vec<EvaluationRow>> = Default::default();
            for (_, row) in plan.records.into_iter().filter(|(_, r)| !r.unchanged) {
                by_org.entry(row.organization.clone()).or_default().push(row);
            }
            let total = by_org.values().map(Vec::len).sum();
            progress(0, total);
            let written = env.store.atomically(|s| -> OpResult<usize> {
                let mut n = 0;
                for (id, rows) in by_org {
                    let mut org: Organization = super::refs::load(s, &id)?;
                    for row in rows {
                        org.evaluations.insert(row.year.to_string(), row.evaluation);
                        n += 1;
                    }
                    s.update(&org)?;
                    progress(n, total);
                }
                Ok(n)
            })?;
            Outcome::Written(written)
        }
    };
    Ok(Imported { report, outcome })
}

fn report_of<R>(plan: &ImportPlan<R>) -> Report {
    Report {
        format: plan.encoding.to_string(),
        sheet: plan.sheet.clone(),
        header_line: plan.header_line,
        valid: plan.records.len(),
        invalid_lines: plan.invalid_lines.clone(),
        errors: plan.errors.clone(),
        warnings: plan.warnings.clone(),
        unmapped: plan.unmapped.clone(),
        new_people: 0,
    }
}

fn outcome_of<R>(plan: &ImportPlan<R>, mode: Mode) -> Option<Outcome> {
    if mode == Mode::DryRun {
        Some(Outcome::Checked)
    } else if plan.blocked() {
        Some(Outcome::RefusedUnmapped)
    } else if !plan.invalid_lines.is_empty() && mode == Mode::All {
        Some(Outcome::RefusedInvalid)
    } else {
        None
    }
}

/// Activities and the volunteers they add, in one atomic write.
fn apply_activities(
    env: &mut Env,
    planned: activity_import::ActivityPlan,
    mode: Mode,
    progress: Progress,
) -> OpResult<Imported> {
    let people = planned.people_for_valid_rows();
    let mut report = report_of(&planned.plan);
    report.new_people = people.len();
    let outcome = match outcome_of(&planned.plan, mode) {
        Some(o) => o,
        None => {
            let activities: Vec<Activity> = planned.plan.records.into_iter().map(|(_, a)| a).collect();
            let total = people.len() + activities.len();
            progress(0, total);
            let written = env.store.atomically(|s| -> crate::store::Result<usize> {
                let people_in = s.insert_many_reporting(&people, &mut |n| progress(n, total))?;
                s.insert_many_reporting(&activities, &mut |n| progress(people_in + n, total))
            })?;
            Outcome::Written(written)
        }
    };
    Ok(Imported { report, outcome })
}

/// What an activity import matches against: organizations (with namesakes),
/// people with phones, venues, the activities already stored, the rule.
pub fn activity_context(store: &mut crate::store::Store) -> ActivityContext {
    let text = |v: &mut Vec<Option<String>>, i: usize| v.get_mut(i).and_then(Option::take).unwrap_or_default();
    let orgs = org_entries(store);
    let people = store
        .scan(Collection::People, &["name", "phone", "organization"])
        .into_iter()
        .map(|mut r| PersonEntry {
            name: text(&mut r.values, 0),
            phone: text(&mut r.values, 1),
            organization: r.values[2].take().filter(|o| !o.is_empty()).map(RecordId),
            id: r.id,
        })
        .collect();
    let venues = store
        .scan(Collection::Venues, &["name"])
        .into_iter()
        .filter_map(|r| Some((name_key(r.values[0].as_deref()?), r.id)))
        .collect();
    let existing =
        store.activity_rows().iter().filter_map(|r| Some((r.lead()?.clone(), r.date, name_key(&r.title)))).collect();
    ActivityContext { orgs, people, venues, existing, rule: store.major_rule() }
}

/// Every organization as the imports match them: name, place, credit code.
pub fn org_entries(store: &crate::store::Store) -> Vec<OrgEntry> {
    let text = |v: &mut Vec<Option<String>>, i: usize| v.get_mut(i).and_then(Option::take).unwrap_or_default();
    store
        .scan(Collection::Orgs, &["name", "division", "township", "credit_code"])
        .into_iter()
        .map(|mut r| OrgEntry {
            name: text(&mut r.values, 0),
            division: text(&mut r.values, 1),
            township: text(&mut r.values, 2),
            credit_code: text(&mut r.values, 3),
            id: r.id,
        })
        .collect()
}

fn apply<R: Record>(env: &mut Env, plan: ImportPlan<R>, mode: Mode, progress: Progress) -> OpResult<Imported> {
    let report = report_of(&plan);
    let outcome = match outcome_of(&plan, mode) {
        Some(o) => o,
        None => {
            let records: Vec<R> = plan.records.into_iter().map(|(_, r)| r).collect();
            progress(0, records.len());
            Outcome::Written(env.store.insert_many_reporting(&records, &mut |n| progress(n, records.len()))?)
        }
    };
    Ok(Imported { report, outcome })
}

/// What an import checks against: names, credit codes and filing numbers stored.
pub fn existing(store: &crate::store::Store) -> Existing {
    let scan = |c: Collection| {
        store.scan(c, &["name"]).into_iter().filter_map(|r| Some((name_key(r.values[0].as_deref()?), r.id))).collect()
    };
    let mut ex = Existing {
        orgs: scan(Collection::Orgs),
        people: scan(Collection::People),
        venues: scan(Collection::Venues),
        default_division: store.federation().map(|f| f.division).unwrap_or_default(),
        ..Default::default()
    };
    for r in store.scan(Collection::Orgs, &["name", "credit_code", "filing_number", "division", "township"]) {
        let v: Vec<String> = r.values.into_iter().map(Option::unwrap_or_default).collect();
        let [name, code, filing, division, township] = <[String; 5]>::try_from(v).expect("five fields scanned");
        if !code.is_empty() {
            ex.credit_codes.insert(code, name.clone());
        }
        if !filing.is_empty() {
            ex.filing_numbers.insert((import::filing_scope_of(&division, &township), filing), name);
        }
    }
    ex
}

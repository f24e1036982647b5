//! Yearly evaluation (考核评价), its settings and the standardization
//! checklist that feeds 基本条件: issue 12.2, 12.6 and issue 9.13.

use super::{refs, warnings, Check, Env, FieldError, OpResult, Ref};
use crate::domain::activity::ReviewResult;
use crate::domain::evaluation::DIMENSION_MAX;
use crate::domain::*;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evaluate {
    pub org: Ref,
    pub year: i32,
    /// 基本条件; from the year's standardization checklist when not given.
    pub basic: Option<u8>,
    pub activities: u8,
    pub contribution: u8,
    pub influence: u8,
    /// A result the evaluators decided; the score and cut-offs decide otherwise.
    pub result: Option<EvalResult>,
    pub evaluator: String,
    /// Today when not given.
    pub date: Option<NaiveDate>,
    pub committee_review: Option<ReviewResult>,
    pub residents_review: Option<ReviewResult>,
    pub national_grade: Option<NationalGrade>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evaluated {
    pub org_name: String,
    pub year: i32,
    pub evaluation: Evaluation,
    /// Weighted under the federation's settings, 0–100.
    pub score: f64,
    pub result: EvalResult,
    /// 基本条件 was taken from the checklist.
    pub basic_from_checklist: bool,
    /// The score the year before, when evaluated then.
    pub previous: Option<f64>,
    /// Replaced an evaluation of the same year.
    pub replaced: bool,
    pub warnings: Vec<FieldError>,
}

/// Records (or replaces) an organization's evaluation of a year.
pub fn evaluate(env: &mut Env, cmd: Evaluate) -> OpResult<Evaluated> {
    let mut org = refs::org(env.store, &cmd.org)?;
    let key = cmd.year.to_string();
    let mut check = Check::default();
    let from_checklist = cmd.basic.is_none();
    let basic = match cmd.basic {
        Some(b) => b,
        None => match org.standardization.get(&key) {
            Some(c) => c.basic_score(),
            None => {
                check.fail(
                    "basic",
                    format!(
                        "{}年没有规范化建设自查,请填写基本条件得分 (no checklist for the year: give 基本条件)",
                        cmd.year
                    ),
                );
                0
            }
        },
    };
    for (field, v) in [
        ("basic", basic),
        ("activities", cmd.activities),
        ("contribution", cmd.contribution),
        ("influence", cmd.influence),
    ] {
        if v > DIMENSION_MAX {
            check.fail(field, format!("得分 {v} 应为0–25 (each dimension scores 0–25)"));
        }
    }
    check.done()?;
    let evaluation = Evaluation {
        basic,
        activities: cmd.activities,
        contribution: cmd.contribution,
        influence: cmd.influence,
        result: cmd.result,
        evaluator: cmd.evaluator.trim().to_string(),
        date: Some(cmd.date.unwrap_or_else(|| env.today())),
        committee_review: cmd.committee_review,
        residents_review: cmd.residents_review,
        notes: cmd.notes.trim().to_string(),
        national_grade: cmd.national_grade,
    };
    let settings = env.store.evaluation_settings();
    let replaced = org.evaluations.insert(key, evaluation.clone()).is_some();
    let previous = org.evaluations.get(&(cmd.year - 1).to_string()).map(|e| e.weighted(&settings));
    let problems = env.store.update(&org)?;
    Ok(Evaluated {
        org_name: org.name,
        year: cmd.year,
        score: evaluation.weighted(&settings),
        result: evaluation.effective_result(&settings),
        evaluation,
        basic_from_checklist: from_checklist,
        previous,
        replaced,
        warnings: warnings(problems),
    })
}

/// Saves the federation's weights and cut-offs (every bad field at once).
pub fn set_settings(env: &mut Env, settings: EvaluationSettings) -> OpResult<EvaluationSettings> {
    let settings = EvaluationSettings { id: RecordId::from(EvaluationSettings::ID), ..settings };
    env.store.set_evaluation_settings(&settings)?;
    Ok(env.store.evaluation_settings())
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordChecklist {
    pub org: Ref,
    pub year: i32,
    /// The items met; the others are gaps.
    pub met: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChecklistRecorded {
    pub org_name: String,
    pub checklist: Checklist,
    pub gaps: Vec<ChecklistItem>,
    /// What it implies for 基本条件.
    pub basic_score: u8,
}

pub fn record_checklist(env: &mut Env, cmd: RecordChecklist) -> OpResult<ChecklistRecorded> {
    let mut org = refs::org(env.store, &cmd.org)?;
    let mut check = Check::default();
    if !(2000..=2100).contains(&cmd.year) {
        check.fail("year", format!("年度 {} 无效 (year must be 2000–2100)", cmd.year));
    }
    check.done()?;
    let checklist = Checklist::from_items(&cmd.met);
    org.standardization.insert(cmd.year.to_string(), checklist.clone());
    env.store.update(&org)?;
    Ok(ChecklistRecorded {
        org_name: org.name,
        gaps: checklist.gaps(),
        basic_score: checklist.basic_score(),
        checklist,
    })
}

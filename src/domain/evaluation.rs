//! Yearly evaluation (考核评价) of an organization and what feeds it: the
//! federation's weights and cut-offs, the 两委 and residents' review, the
//! standardization checklist (规范化建设). The national 1A–5A grade is its
//! own field, never derived from or aliased to the result (issue 9.13).

use super::activity::ReviewResult;
use super::enums::{EvalResult, Vocabulary};
use super::ids::RecordId;
use super::ledger_vocab::*;
use super::records::{Collection, Problem, Record};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most a dimension scores.
pub const DIMENSION_MAX: u8 = 25;

/// One year's evaluation; each of the four dimensions scored 0–25.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// 基本条件
    pub basic: u8,
    /// 活动情况
    pub activities: u8,
    /// 社会贡献
    pub contribution: u8,
    /// 社区影响力
    pub influence: u8,
    /// A result decided by the evaluators; absent, the score and the
    /// federation's cut-offs decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<EvalResult>,
    /// Who evaluated (person or body).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Review by the village/community 两委.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_review: Option<ReviewResult>,
    /// Review by residents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residents_review: Option<ReviewResult>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The national grade (等级评估) held that year: a separate assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_grade: Option<NationalGrade>,
}

/// Weights (percent, summing to 100) and cut-offs (on the weighted 0–100
/// score): the federation's settings. The seed names only the dimensions;
/// the defaults weigh them equally with cut-offs 90/75/60.
/// Stored in the federation's `settings` document under the id `evaluation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSettings {
    pub id: RecordId,
    pub weight_basic: u8,
    pub weight_activities: u8,
    pub weight_contribution: u8,
    pub weight_influence: u8,
    pub excellent_from: u8,
    pub good_from: u8,
    pub pass_from: u8,
}

impl Default for EvaluationSettings {
    fn default() -> Self {
        EvaluationSettings {
            id: RecordId::from(Self::ID),
            weight_basic: 25,
            weight_activities: 25,
            weight_contribution: 25,
            weight_influence: 25,
            excellent_from: 90,
            good_from: 75,
            pass_from: 60,
        }
    }
}

impl EvaluationSettings {
    /// Its record id in the settings document.
    pub const ID: &'static str = "evaluation";

    pub fn weights(&self) -> [u8; 4] {
        [self.weight_basic, self.weight_activities, self.weight_contribution, self.weight_influence]
    }

    fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.id.as_str() != Self::ID {
            out.push(Problem::error("id", format!("考核设置编号应为 {} (settings id)", Self::ID)));
        }
        // Each problem names the field a form marks: the weights as a group
        // (`weights`), a cut-off by the one out of order.
        let sum: u32 = self.weights().iter().map(|w| *w as u32).sum();
        if sum != 100 {
            out.push(Problem::error(
                "weights",
                format!("考核权重之和应为100,现为{sum} (evaluation weights must sum to 100, not {sum})"),
            ));
        }
        let cut = |field: &'static str, what: String| {
            Problem::error(
                field,
                format!(
                    "{what};考核分档应为 优秀>良好>合格 且不超过100,现为 {}/{}/{} (cut-offs must fall: excellent > good > pass ≤ 100)",
                    self.excellent_from, self.good_from, self.pass_from
                ),
            )
        };
        if self.excellent_from > 100 {
            out.push(cut("excellent_from", format!("优秀线 {} 超过100", self.excellent_from)));
        }
        if self.good_from >= self.excellent_from {
            out.push(cut("good_from", format!("良好线 {} 应低于优秀线 {}", self.good_from, self.excellent_from)));
        } else if self.pass_from >= self.good_from {
            out.push(cut("pass_from", format!("合格线 {} 应低于良好线 {}", self.pass_from, self.good_from)));
        }
        out
    }

    /// The result a weighted score earns.
    pub fn result_for(&self, score: f64) -> EvalResult {
        if score >= self.excellent_from as f64 {
            EvalResult::Excellent
        } else if score >= self.good_from as f64 {
            EvalResult::Good
        } else if score >= self.pass_from as f64 {
            EvalResult::Pass
        } else {
            EvalResult::Fail
        }
    }
}

impl Record for EvaluationSettings {
    const COLLECTION: Collection = Collection::Settings;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        "考核评价权重与分档 (evaluation weights and cut-offs)".into()
    }
    fn validate(&self) -> Vec<Problem> {
        self.check()
    }
}

impl Evaluation {
    pub fn scores(&self) -> [u8; 4] {
        [self.basic, self.activities, self.contribution, self.influence]
    }

    /// The raw sum of the four dimensions, 0–100.
    pub fn total(&self) -> u32 {
        self.scores().iter().map(|s| *s as u32).sum()
    }

    /// Σ score/25 × weight: 0–100, equal to `total` under equal weights.
    /// Rounded to one decimal so that rankings do not turn on float noise.
    pub fn weighted(&self, settings: &EvaluationSettings) -> f64 {
        let raw: u32 = self.scores().iter().zip(settings.weights()).map(|(s, w)| *s as u32 * w as u32).sum();
        (raw as f64 / DIMENSION_MAX as f64 * 10.0).round() / 10.0
    }

    /// The recorded result, or the one the weighted score earns.
    pub fn effective_result(&self, settings: &EvaluationSettings) -> EvalResult {
        self.result.unwrap_or_else(|| settings.result_for(self.weighted(settings)))
    }

    pub fn validate(&self, year: &str, out: &mut Vec<Problem>) {
        if year.parse::<u16>().map_or(true, |y| !(2000..=2100).contains(&y)) {
            out.push(Problem::error("evaluations", format!("考核年份 '{year}' 无效 (evaluation year)")));
        }
        if self.scores().iter().any(|s| *s > DIMENSION_MAX) {
            out.push(Problem::error("evaluations", format!("{year}年考核各项得分应为0–25 (each part scores 0–25)")));
        }
        if let (Some(d), Ok(y)) = (self.date, year.parse::<i32>()) {
            use chrono::Datelike;
            // An evaluation of a year is done in it or early in the next.
            if d.year() < y || d.year() > y + 1 {
                out.push(Problem::warning(
                    "evaluations",
                    format!("{year}年考核的评价日期 {d} 不在该年或次年 (evaluation date outside the year or the next)"),
                ));
            }
        }
    }
}

/// The standardization checklist of one year (规范化建设).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    #[serde(default)]
    pub charter: bool,
    #[serde(default)]
    pub democratic: bool,
    #[serde(default)]
    pub finance: bool,
    #[serde(default)]
    pub disclosure: bool,
    #[serde(default)]
    pub reports: bool,
    #[serde(default)]
    pub supervision: bool,
}

impl Checklist {
    pub fn has(&self, item: ChecklistItem) -> bool {
        match item {
            ChecklistItem::Charter => self.charter,
            ChecklistItem::Democratic => self.democratic,
            ChecklistItem::Finance => self.finance,
            ChecklistItem::Disclosure => self.disclosure,
            ChecklistItem::Reports => self.reports,
            ChecklistItem::Supervision => self.supervision,
        }
    }

    pub fn set(&mut self, item: ChecklistItem, value: bool) {
        let field = match item {
            ChecklistItem::Charter => &mut self.charter,
            ChecklistItem::Democratic => &mut self.democratic,
            ChecklistItem::Finance => &mut self.finance,
            ChecklistItem::Disclosure => &mut self.disclosure,
            ChecklistItem::Reports => &mut self.reports,
            ChecklistItem::Supervision => &mut self.supervision,
        };
        *field = value;
    }

    /// Items met, e.g. from a ledger cell "有章程、财务制度".
    pub fn from_items(items: &[ChecklistItem]) -> Checklist {
        let mut c = Checklist::default();
        for i in items {
            c.set(*i, true);
        }
        c
    }

    pub fn met(&self) -> Vec<ChecklistItem> {
        ChecklistItem::all().iter().copied().filter(|i| self.has(*i)).collect()
    }

    pub fn gaps(&self) -> Vec<ChecklistItem> {
        ChecklistItem::all().iter().copied().filter(|i| !self.has(*i)).collect()
    }

    /// What the checklist implies for 基本条件: the share of items met of
    /// the dimension's 25 points, rounded down. Offered as the default when
    /// an evaluation is entered without a 基本条件 score.
    pub fn basic_score(&self) -> u8 {
        (self.met().len() as u32 * DIMENSION_MAX as u32 / 6) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(b: u8, a: u8, c: u8, i: u8) -> Evaluation {
        Evaluation { basic: b, activities: a, contribution: c, influence: i, ..Default::default() }
    }

    #[test]
    fn weights_and_cut_offs_are_settings() {
        let e = eval(25, 20, 15, 10);
        let equal = EvaluationSettings::default();
        assert_eq!(e.weighted(&equal), 70.0);
        assert_eq!(e.effective_result(&equal), EvalResult::Pass);
        // A federation that weighs basic conditions at 40%.
        let basic_heavy = EvaluationSettings {
            weight_basic: 40,
            weight_activities: 20,
            weight_contribution: 20,
            weight_influence: 20,
            ..equal.clone()
        };
        assert_eq!(e.weighted(&basic_heavy), 76.0);
        assert_eq!(e.effective_result(&basic_heavy), EvalResult::Good);
        // And one with a lower bar.
        let lenient = EvaluationSettings { excellent_from: 70, good_from: 60, pass_from: 50, ..equal.clone() };
        assert_eq!(e.effective_result(&lenient), EvalResult::Excellent);
        // A recorded result stands whatever the settings.
        let decided = Evaluation { result: Some(EvalResult::Fail), ..e };
        assert_eq!(decided.effective_result(&lenient), EvalResult::Fail);
        let bad = EvaluationSettings { weight_basic: 30, ..equal };
        assert!(super::super::records::has_errors(&bad.validate()));
        assert!(!super::super::records::has_errors(&EvaluationSettings::default().validate()));
    }

    #[test]
    fn a_bad_setting_names_the_field_a_form_marks() {
        let fields = |s: EvaluationSettings| s.validate().iter().map(|p| p.field).collect::<Vec<_>>();
        let equal = EvaluationSettings::default();
        assert_eq!(fields(EvaluationSettings { weight_basic: 30, ..equal.clone() }), ["weights"]);
        assert_eq!(fields(EvaluationSettings { good_from: 95, ..equal.clone() }), ["good_from"]);
        assert_eq!(fields(EvaluationSettings { pass_from: 80, ..equal.clone() }), ["pass_from"]);
        assert_eq!(fields(EvaluationSettings { excellent_from: 120, ..equal }), ["excellent_from"]);
    }

    #[test]
    fn grade_is_its_own_field() {
        let e = Evaluation { national_grade: Some(NationalGrade::A5), ..eval(10, 10, 10, 10) };
        // A 5A organization can still fail the federation's evaluation.
        assert_eq!(e.effective_result(&EvaluationSettings::default()), EvalResult::Fail);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["national_grade"], "5a");
        assert!(json.get("result").is_none());
    }

    #[test]
    fn checklist_feeds_basic_conditions() {
        let c = Checklist::from_items(&[ChecklistItem::Charter, ChecklistItem::Finance, ChecklistItem::Disclosure]);
        assert_eq!(c.basic_score(), 12);
        assert_eq!(c.gaps(), vec![ChecklistItem::Democratic, ChecklistItem::Reports, ChecklistItem::Supervision]);
        assert_eq!(Checklist::from_items(ChecklistItem::all()).basic_score(), 25);
    }
}

//! Demo data for the funding and cultivation ledger: projects, honours,
//! incubation stays, and on the organizations evaluations with reviews,
//! standardization checklists, membership, the 备案 → 登记 history and exit
//! kinds. Deterministic for a seed; dates relative to `today`.

use super::activity::ReviewResult;
use super::enums::*;
use super::evaluation::{Checklist, Evaluation};
use super::ids::RecordId;
use super::ledger_vocab::*;
use super::lifecycle::StatusChange;
use super::projects::{Honour, Incubation, Project, ServiceGiven};
use super::records::{Organization, Person};
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

pub struct LedgerDemo {
    pub projects: Vec<Project>,
    pub honours: Vec<Honour>,
    pub incubations: Vec<Incubation>,
}

const PROJECT_NAMES: &[&str] = &[
    "长者助餐服务",
    "困境儿童关爱",
    "社区协商议事能力提升",
    "邻里守望互助",
    "残疾人康复陪伴",
    "青少年四点半课堂",
    "垃圾分类宣传引导",
    "社区文化节",
    "独居老人探访",
    "妇女儿童之家",
];
const FUNDERS: &[&str] = &["区民政局", "区财政局", "市福彩中心", "社区发展基金会", "街道办事处"];
const PLATFORMS: &[&str] = &["社会组织孵化基地", "社区社会组织服务中心", "街道党群服务中心孵化园"];

fn day_in(rng: &mut ChaCha8Rng, year: i32, today: NaiveDate) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
    let span = (end - start).num_days().max(1);
    start + Duration::days(rng.random_range(0..span))
}

impl LedgerDemo {
    /// Enriches `orgs` and makes the ledger's own records for them.
    pub fn generate(seed: u64, orgs: &mut [Organization], people: &[Person], today: NaiveDate) -> LedgerDemo {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1ed9e7);
        let year = today.year();
        let (last, before) = (year - 1, year - 2);
        let reviews =
            [ReviewResult::Satisfied, ReviewResult::Satisfied, ReviewResult::Basically, ReviewResult::Unsatisfied];
        for o in orgs.iter_mut() {
            // The lifecycle: exits get the kind their legal status allows.
            if o.lifecycle == Lifecycle::Exited {
                o.exit_kind = Some(match o.legal_status {
                    LegalStatus::Registered => {
                        [ExitKind::Deregistered, ExitKind::Revoked, ExitKind::Merged][rng.random_range(0..3)]
                    }
                    _ => [ExitKind::FilingCancelled, ExitKind::Dissolved, ExitKind::Merged][rng.random_range(0..3)],
                });
            }
            if o.legal_status == LegalStatus::Registered && rng.random_range(0..3) == 0 {
                let founded = o.founded.unwrap_or(today - Duration::days(900));
                let span = (today - founded).num_days().max(2);
                let date = founded + Duration::days(rng.random_range(1..span));
                let c = StatusChange {
                    date,
                    from: Some(LegalStatus::Filed),
                    to: LegalStatus::Registered,
                    authority: "区民政局".into(),
                    number: o.credit_code.clone(),
                };
                o.status_history.insert(c.key(), c);
            }
            if o.lifecycle == Lifecycle::Exited {
                continue;
            }
            if rng.random_range(0..10) < 7 {
                o.membership = Some(if rng.random_range(0..20) == 0 {
                    MembershipStatus::Suspended
                } else {
                    MembershipStatus::Enrolled
                });
                o.member_since = o.founded.map(|f| f.max(today - Duration::days(rng.random_range(30..2000))));
            }
            if o.brand_year.is_some() {
                o.org_types.push(OrgType::Brand);
            }
            if rng.random_range(0..40) == 0 {
                o.org_types.push(if rng.random_range(0..2) == 0 { OrgType::Hub } else { OrgType::Platform });
            }
            if rng.random_range(0..2) == 0 {
                let mut c = Checklist::default();
                for item in ChecklistItem::all() {
                    c.set(*item, rng.random_range(0..10) < 7);
                }
                o.standardization.insert(last.to_string(), c);
            }
            for y in [before, last] {
                if rng.random_range(0..5) < 2 && o.founded.is_none_or(|f| f.year() <= y) {
                    let s = |r: &mut ChaCha8Rng| r.random_range(10..=25u8);
                    let basic = match o.standardization.get(&y.to_string()) {
                        Some(c) => c.basic_score(),
                        None => s(&mut rng),
                    };
                    let date = NaiveDate::from_ymd_opt(y + 1, 1, 1 + rng.random_range(0..28)).filter(|d| *d <= today);
                    o.evaluations.insert(
                        y.to_string(),
                        Evaluation {
                            basic,
                            activities: s(&mut rng),
                            contribution: s(&mut rng),
                            influence: s(&mut rng),
                            result: None,
                            evaluator: "联合会考评组".into(),
                            date,
                            committee_review: Some(*reviews.choose(&mut rng).expect("non-empty")),
                            residents_review: Some(*reviews.choose(&mut rng).expect("non-empty")),
                            notes: String::new(),
                            national_grade: (o.legal_status == LegalStatus::Registered && rng.random_range(0..4) == 0)
                                .then(|| NationalGrade::all()[rng.random_range(1..5)]),
                        },
                    );
                }
            }
        }

        let active: Vec<usize> = (0..orgs.len()).filter(|i| orgs[*i].lifecycle != Lifecycle::Exited).collect();
        let mut projects = Vec::new();
        if !active.is_empty() {
            for _ in 0..(orgs.len() / 6).max(1) {
                let y = year - rng.random_range(0..3);
                let kind = ProjectKind::all()[rng.random_range(0..ProjectKind::all().len())];
                let yuan: i64 = rng.random_range(5..=300) * 1000;
                let lead = &orgs[active[rng.random_range(0..active.len())]];
                let mut p = Project::new(
                    &format!("{}{}", lead.community, PROJECT_NAMES.choose(&mut rng).expect("non-empty")),
                    kind,
                    y,
                    yuan * 100,
                );
                p.id = RecordId::from_rng(&mut rng);
                p.funder = FUNDERS.choose(&mut rng).expect("non-empty").to_string();
                let d = ProjectDomain::all();
                p.domains = vec![d[rng.random_range(0..d.len())]];
                if rng.random_range(0..10) == 0 {
                    // Led by a social-work agency, not on the roster.
                    p.lead_name = "某社会工作服务中心".into();
                } else {
                    p.lead = Some(lead.id.clone());
                    p.lead_name = lead.name.clone();
                    if rng.random_range(0..4) == 0 {
                        let partner = &orgs[active[rng.random_range(0..active.len())]];
                        if partner.id != lead.id {
                            p.partners = vec![partner.id.clone()];
                        }
                    }
                }
                p.beneficiaries = Some(rng.random_range(20..800));
                let mut date = day_in(&mut rng, y, today);
                p.milestones.insert(ProjectStatus::Applied.code().into(), date);
                // Older projects are further along.
                let steps = match year - y {
                    0 => rng.random_range(0..3),
                    1 => rng.random_range(2..4),
                    _ => 4,
                };
                for _ in 0..steps {
                    let next = p.status.next().expect("at most four steps");
                    date = (date + Duration::days(rng.random_range(10..90))).min(today);
                    p.advance(next, date).expect("dates do not fall");
                }
                projects.push(p);
            }
        }

        let mut honours = Vec::new();
        for _ in 0..(orgs.len() / 50).max(1) {
            let kind = HonourKind::all()[rng.random_range(0..HonourKind::all().len())];
            let level =
                [AwardLevel::Province, AwardLevel::City, AwardLevel::County, AwardLevel::County, AwardLevel::Township]
                    [rng.random_range(0..5)];
            let y = year - rng.random_range(1..3);
            let mut h = Honour {
                id: RecordId::from_rng(&mut rng),
                kind,
                level,
                year: y,
                awarded_by: format!("{}民政局", level.zh()),
                title: format!("{y}年度{}", kind.zh()),
                organization: None,
                project: None,
                person: None,
                recipient_name: String::new(),
                date: Some(day_in(&mut rng, y, today)),
            };
            match kind.recipient() {
                RecipientKind::Organization if !active.is_empty() => {
                    let o = &orgs[active[rng.random_range(0..active.len())]];
                    h.organization = Some(o.id.clone());
                    h.recipient_name = o.name.clone();
                }
                RecipientKind::Project if !projects.is_empty() => {
                    let p = &projects[rng.random_range(0..projects.len())];
                    h.project = Some(p.id.clone());
                    h.recipient_name = p.name.clone();
                }
                RecipientKind::Person if !people.is_empty() => {
                    let p = &people[rng.random_range(0..people.len())];
                    h.person = Some(p.id.clone());
                    h.recipient_name = p.name.clone();
                }
                _ => h.recipient_name = "（待补充）".into(),
            }
            honours.push(h);
        }

        let mut incubations = Vec::new();
        let levels = [Level::County, Level::County, Level::Township, Level::Community, Level::City];
        for i in active.iter().step_by(10) {
            let o = &orgs[*i];
            let entered = o.founded.unwrap_or(today - Duration::days(300));
            let left =
                (rng.random_range(0..3) > 0).then(|| (entered + Duration::days(rng.random_range(90..400))).min(today));
            let mut services = BTreeMap::new();
            for _ in 0..rng.random_range(1..4) {
                let until = left.unwrap_or(today);
                let span = (until - entered).num_days().max(1);
                services.insert(
                    RecordId::from_rng(&mut rng),
                    ServiceGiven {
                        service: IncubationService::all()[rng.random_range(0..4)],
                        date: entered + Duration::days(rng.random_range(0..span)),
                        provider: ["区社工站", "街道党群服务中心", "孵化基地导师"][rng.random_range(0..3)].into(),
                    },
                );
            }
            incubations.push(Incubation {
                id: RecordId::from_rng(&mut rng),
                organization: o.id.clone(),
                platform: format!("{}{}", o.township, PLATFORMS.choose(&mut rng).expect("non-empty")),
                level: levels[rng.random_range(0..levels.len())],
                entered,
                left,
                services,
            });
        }
        LedgerDemo { projects, honours, incubations }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::DemoData;
    use crate::domain::records::{has_errors, Record};

    #[test]
    fn deterministic_valid_and_in_the_current_period() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let a = DemoData::generate_on(5, 3000, today);
        let b = DemoData::generate_on(5, 3000, today);
        assert_eq!(a.projects, b.projects);
        assert_eq!(a.orgs, b.orgs);
        for o in &a.orgs {
            assert!(!has_errors(&o.validate()), "{}: {:?}", o.name, o.validate());
        }
        for p in &a.projects {
            assert!(!has_errors(&p.validate()), "{}: {:?}", p.name, p.validate());
        }
        for h in &a.honours {
            assert!(!has_errors(&h.validate()), "{:?}", h.validate());
        }
        for i in &a.incubations {
            assert!(!has_errors(&i.validate()), "{:?}", i.validate());
        }
        assert!(a.projects.len() >= 400 && !a.honours.is_empty() && a.incubations.len() >= 200);
        assert!(a.projects.iter().any(|p| p.year == 2026), "projects of this year");
        assert!(a.orgs.iter().any(|o| o.evaluations.contains_key("2025")), "last year's evaluations");
        assert!(a.orgs.iter().all(|o| o.lifecycle != Lifecycle::Exited || o.exit_kind.is_some()));
    }
}

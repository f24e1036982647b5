//! What the activities and projects tabs' effects do to the store, on the
//! store thread: one command of src/ops each, its outcome as a sentence in
//! Chinese with English.

use super::app::{Event, WorkEffect};
use crate::domain::ledger_report::{ranking_by_township, standardization_gaps};
use crate::domain::{projects::yuan, Organization, Vocabulary};
use crate::ops::{self, Clock, Env, OpResult};
use crate::store::Store;

fn done<T>(r: OpResult<T>, ok: impl FnOnce(T) -> String) -> Event {
    Event::Done(r.map(ok).map_err(|e| e.to_string()))
}

/// As `done`, but a refusal naming fields marks them on the form.
fn marked<T>(r: OpResult<T>, ok: impl FnOnce(T) -> String) -> Event {
    match r {
        Err(ops::OpError::Invalid(fields)) => Event::Invalid(fields),
        other => done(other, ok),
    }
}

fn honour_saved(verb: &str, h: ops::projects::HonourAdded) -> String {
    let mut text = format!("{verb}: {} {} · {}", h.honour.year, h.honour.kind.zh(), h.recipient);
    if h.brand_marked {
        text.push_str(" · 已标记为品牌型组织 (marked a brand organization)");
    }
    text
}

pub fn execute(s: &mut Store, clock: &dyn Clock, effect: WorkEffect) -> Event {
    let mut env = Env::new(s, clock);
    match effect {
        WorkEffect::AddActivity { fields, participants } => {
            done(ops::activities::add_with_participants(&mut env, fields, participants), |(saved, logged)| {
                let a = &saved.activity;
                let mut text = format!("已登记活动 (activity logged): {} {}", a.date, a.title);
                if !logged.added.is_empty() {
                    text.push_str(&format!(" · 参与者 {} 人 (participants)", logged.added.len()));
                }
                if !logged.created_people.is_empty() {
                    let names: Vec<&str> = logged.created_people.iter().map(|p| p.name.as_str()).collect();
                    text.push_str(&format!(" · 新增志愿者 (new volunteers): {}", names.join("、")));
                }
                if a.major {
                    text.push_str(" · 重大活动,应报告 (major: a report is due)");
                }
                text
            })
        }
        WorkEffect::EditActivity { id, fields } => match ops::activities::edit(&mut env, &id, fields) {
            Ok(saved) => {
                let a = &saved.activity;
                let mut text = format!("已修改活动 (activity changed): {} {}", a.date, a.title);
                if !a.major && !saved.suggested.is_empty() {
                    text.push_str(" · 按规则应为重大活动,可改为「是」 (the rule suggests major)");
                }
                let warnings: Vec<String> =
                    saved.warnings.iter().map(|w| format!("⚠ {}: {}", w.field, w.message)).collect();
                if warnings.is_empty() {
                    Event::Done(Ok(text))
                } else {
                    Event::Warned(text, warnings)
                }
            }
            Err(crate::ops::OpError::Invalid(fields)) => Event::Invalid(fields),
            Err(e) => Event::Done(Err(e.to_string())),
        },
        WorkEffect::LoadActivity(id) => {
            let Ok(a) = env.store.activity(&id) else {
                return Event::Done(Err(format!("找不到活动 {id} (activity not found)")));
            };
            let conflicts =
                ops::conflicts::of_record(&mut env, crate::domain::Collection::Activities, &id).unwrap_or_default();
            Event::ActivityLoaded(Box::new(a), conflicts)
        }
        WorkEffect::LogParticipants(cmd) => done(ops::activities::log_participants(&mut env, cmd), |l| {
            let mut text = format!(
                "已登记参与者 (participants logged): {} · 新增 {} 人,更新 {} 人 (added, updated)",
                l.activity.title,
                l.added.len(),
                l.updated.len()
            );
            if !l.created_people.is_empty() {
                let names: Vec<&str> = l.created_people.iter().map(|p| p.name.as_str()).collect();
                text.push_str(&format!(" · 新增志愿者 (new volunteers): {}", names.join("、")));
            }
            text
        }),
        WorkEffect::ReportMajor(cmd) => done(ops::activities::report_major(&mut env, cmd), |a| {
            format!("已报告 (reported): {} → {}", a.title, a.reported_to)
        }),
        WorkEffect::Acknowledge { activity, by, on } => {
            done(ops::activities::acknowledge(&mut env, &activity, &by, Some(on)), |a| {
                format!("报告已知悉 (acknowledged): {} · {}", a.title, a.acknowledged_by)
            })
        }
        WorkEffect::AddWorkReport(cmd) => done(ops::activities::add_work_report(&mut env, cmd), |r| {
            format!("已记录工作报告 (work report recorded): {} {}", r.period, r.reported_on)
        }),
        WorkEffect::Review(cmd) => done(ops::activities::review(&mut env, cmd), |r| {
            let result = r.review.map_or("", |v| v.zh());
            format!("已记录评议 (review recorded): {} {result}", r.period)
        }),
        WorkEffect::AddProject(cmd) => done(ops::projects::add(&mut env, cmd), |p| {
            format!(
                "已新增项目 (project added): {} · {} 元 · {}",
                p.project.name,
                yuan(p.project.amount_fen),
                p.project.status.zh()
            )
        }),
        WorkEffect::Advance(cmd) => done(ops::projects::advance(&mut env, cmd), |a| {
            format!("项目已推进 (advanced): {} {} → {}", a.project.name, a.from.zh(), a.project.status.zh())
        }),
        WorkEffect::Evaluate(cmd) => done(ops::evaluations::evaluate(&mut env, cmd), |e| {
            let change = e.previous.map_or(String::new(), |p| format!(" · 上年 {p:.1} (last year)"));
            format!(
                "已记录考核 (evaluation recorded): {} {}年 {:.1} 分 {}{change}",
                e.org_name,
                e.year,
                e.score,
                e.result.zh()
            )
        }),
        WorkEffect::AddHonour(cmd) => {
            marked(ops::projects::add_honour(&mut env, cmd), |h| honour_saved("已记录荣誉 (honour recorded)", h))
        }
        WorkEffect::EditHonour(cmd) => {
            marked(ops::projects::edit_honour(&mut env, cmd), |h| honour_saved("已修改荣誉 (honour changed)", h))
        }
        WorkEffect::RecordChecklist(cmd) => marked(ops::evaluations::record_checklist(&mut env, cmd), |c| {
            let gaps: Vec<&str> = c.gaps.iter().map(|g| g.zh()).collect();
            let gaps = if gaps.is_empty() { "无缺项 (none lacking)".to_string() } else { gaps.join("、") };
            format!(
                "已记录规范化建设自查 (checklist recorded): {} · 缺项 {gaps} · 基本条件 {} 分",
                c.org_name, c.basic_score
            )
        }),
        WorkEffect::SetSettings(settings) => marked(ops::evaluations::set_settings(&mut env, settings), |s| {
            let w = s.weights().map(|w| w.to_string()).join("/");
            format!(
                "已保存考核设置 (evaluation settings saved): 权重 {w} · 分档 {}/{}/{}",
                s.excellent_from, s.good_from, s.pass_from
            )
        }),
        WorkEffect::LoadGaps(year) => {
            let orgs: Vec<Organization> = s.all_readable().0;
            Event::GapsLoaded(year, standardization_gaps(&orgs, year, clock.today()))
        }
        WorkEffect::LoadRanking(year) => {
            let orgs: Vec<Organization> = s.all_readable().0;
            let settings = s.evaluation_settings();
            let rows = ranking_by_township(&orgs, &settings, year)
                .into_iter()
                .flat_map(|(town, list)| list.into_iter().map(move |r| (town.clone(), r)))
                .collect();
            Event::RankingLoaded(year, rows)
        }
    }
}

//! What the activities and projects tabs' effects do to the store, on the
//! store thread: one command of src/ops each, its outcome as a sentence in
//! the UI's language.

use super::app::{Event, WorkEffect};
use crate::domain::ledger_report::{ranking_by_township, standardization_gaps};
use crate::domain::{projects::yuan, Lang, Organization, Vocabulary};
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

fn honour_saved(verb: &str, h: ops::projects::HonourAdded, lang: Lang) -> String {
    let mut text = format!("{verb}: {} {} · {}", h.honour.year, h.honour.kind.label(lang), h.recipient);
    if h.brand_marked {
        text.push_str(lang.pick(" · 已标记为品牌型组织", " · marked a brand organization"));
    }
    text
}

pub fn execute(s: &mut Store, clock: &dyn Clock, effect: WorkEffect, lang: Lang) -> Event {
    let mut env = Env::new(s, clock);
    let t = |zh, en| lang.pick(zh, en);
    let names = |people: &[crate::domain::Person]| {
        people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(t("、", ", "))
    };
    match effect {
        WorkEffect::AddActivity { fields, participants } => {
            done(ops::activities::add_with_participants(&mut env, fields, participants), |(saved, logged)| {
                let a = &saved.activity;
                let mut text = format!("{}: {} {}", t("已登记活动", "activity logged"), a.date, a.title);
                if !logged.added.is_empty() {
                    let n = logged.added.len();
                    text.push_str(&lang.pick(format!(" · 参与者 {n} 人"), format!(" · {n} participants")));
                }
                if !logged.created_people.is_empty() {
                    text.push_str(&format!(
                        " · {}: {}",
                        t("新增志愿者", "new volunteers"),
                        names(&logged.created_people)
                    ));
                }
                if a.major {
                    text.push_str(t(" · 重大活动,应报告", " · major: a report is due"));
                }
                text
            })
        }
        WorkEffect::EditActivity { id, fields } => match ops::activities::edit(&mut env, &id, fields) {
            Ok(saved) => {
                let a = &saved.activity;
                let mut text = format!("{}: {} {}", t("已修改活动", "activity changed"), a.date, a.title);
                if !a.major && !saved.suggested.is_empty() {
                    text.push_str(t(" · 按规则应为重大活动,可改为「是」", " · the rule suggests major"));
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
                return Event::Done(Err(lang.pick(format!("找不到活动 {id}"), format!("activity not found: {id}"))));
            };
            let conflicts =
                ops::conflicts::of_record(&mut env, crate::domain::Collection::Activities, &id).unwrap_or_default();
            Event::ActivityLoaded(Box::new(a), conflicts)
        }
        WorkEffect::LogParticipants(cmd) => done(ops::activities::log_participants(&mut env, cmd), |l| {
            let (title, added, updated) = (&l.activity.title, l.added.len(), l.updated.len());
            let mut text = lang.pick(
                format!("已登记参与者: {title} · 新增 {added} 人,更新 {updated} 人"),
                format!("participants logged: {title} · {added} added, {updated} updated"),
            );
            if !l.created_people.is_empty() {
                text.push_str(&format!(" · {}: {}", t("新增志愿者", "new volunteers"), names(&l.created_people)));
            }
            text
        }),
        WorkEffect::ReportMajor(cmd) => done(ops::activities::report_major(&mut env, cmd), |a| {
            format!("{}: {} → {}", t("已报告", "reported"), a.title, a.reported_to)
        }),
        WorkEffect::Acknowledge { activity, by, on } => {
            done(ops::activities::acknowledge(&mut env, &activity, &by, Some(on)), |a| {
                format!("{}: {} · {}", t("报告已知悉", "acknowledged"), a.title, a.acknowledged_by)
            })
        }
        WorkEffect::AddWorkReport(cmd) => done(ops::activities::add_work_report(&mut env, cmd), |r| {
            format!("{}: {} {}", t("已记录工作报告", "recorded work report"), r.period, r.reported_on)
        }),
        WorkEffect::Review(cmd) => done(ops::activities::review(&mut env, cmd), |r| {
            let result = r.review.map_or("", |v| v.label(lang));
            format!("{}: {} {result}", t("已记录评议", "review recorded"), r.period)
        }),
        WorkEffect::AddProject(cmd) => done(ops::projects::add(&mut env, cmd), |p| {
            format!(
                "{}: {} · {} {} · {}",
                t("已新增项目", "added project"),
                p.project.name,
                yuan(p.project.amount_fen),
                t("元", "yuan"),
                p.project.status.label(lang)
            )
        }),
        WorkEffect::Advance(cmd) => done(ops::projects::advance(&mut env, cmd), |a| {
            format!(
                "{}: {} {} → {}",
                t("项目已推进", "project advanced"),
                a.project.name,
                a.from.label(lang),
                a.project.status.label(lang)
            )
        }),
        WorkEffect::Evaluate(cmd) => done(ops::evaluations::evaluate(&mut env, cmd), |e| {
            let change = e.previous.map_or(String::new(), |p| format!(" · {} {p:.1}", t("上年", "last year")));
            let (org, year, score, result) = (&e.org_name, e.year, e.score, e.result.label(lang));
            lang.pick(
                format!("已记录考核: {org} {year}年 {score:.1} 分 {result}{change}"),
                format!("evaluation recorded: {org} {year} {score:.1} points {result}{change}"),
            )
        }),
        WorkEffect::AddHonour(cmd) => marked(ops::projects::add_honour(&mut env, cmd), |h| {
            honour_saved(t("已记录荣誉", "honour recorded"), h, lang)
        }),
        WorkEffect::EditHonour(cmd) => marked(ops::projects::edit_honour(&mut env, cmd), |h| {
            honour_saved(t("已修改荣誉", "honour changed"), h, lang)
        }),
        WorkEffect::RecordChecklist(cmd) => marked(ops::evaluations::record_checklist(&mut env, cmd), |c| {
            let gaps: Vec<&str> = c.gaps.iter().map(|g| g.label(lang)).collect();
            let gaps =
                if gaps.is_empty() { t("无缺项", "none lacking").to_string() } else { gaps.join(t("、", ", ")) };
            let (org, score) = (&c.org_name, c.basic_score);
            lang.pick(
                format!("已记录规范化建设自查: {org} · 缺项 {gaps} · 基本条件 {score} 分"),
                format!("checklist recorded: {org} · lacking {gaps} · basic conditions {score} points"),
            )
        }),
        WorkEffect::SetSettings(settings) => marked(ops::evaluations::set_settings(&mut env, settings), |s| {
            let w = s.weights().map(|w| w.to_string()).join("/");
            let cuts = format!("{}/{}/{}", s.excellent_from, s.good_from, s.pass_from);
            lang.pick(
                format!("已保存考核设置: 权重 {w} · 分档 {cuts}"),
                format!("evaluation settings saved: weights {w} · cut-offs {cuts}"),
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

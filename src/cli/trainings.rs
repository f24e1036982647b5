//! `hubsync training ...` and `hubsync attendance ...`.

use super::people::org_names;
use super::table::{Format, Table};
use super::{print_field_warnings, refs, Ctx};
use crate::domain::validate;
use crate::domain::*;
use crate::ops;
use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum TrainingCmd {
    /// 新增培训 (add a training)
    Add {
        /// 培训名称 (title)
        #[arg(long)]
        title: String,
        /// 示范培训|网上课堂|新媒体教学|现场
        #[arg(long)]
        format: String,
        /// 党的建设,培育发展,能力建设,日常运作
        #[arg(long, default_value = "")]
        topics: String,
        /// 培训对象角色 (roles, comma separated)
        #[arg(long, default_value = "")]
        audience: String,
        /// 授课人 (trainer)
        #[arg(long, default_value = "")]
        trainer: String,
        /// 场地 (id or name)
        #[arg(long)]
        venue: Option<String>,
    },
    /// 增加课次 (add a session)
    Session {
        /// 培训 (id or title)
        training: String,
        /// 日期 (date), e.g. 2025-03-01 or 2025年3月1日
        #[arg(long)]
        date: String,
        /// 开始时间 HH:MM (start time)
        #[arg(long)]
        start: String,
        /// 本课次场地,编号或名称;默认为培训的场地 (this session's venue: id or name; default: the training's)
        #[arg(long)]
        venue: Option<String>,
        /// 结束时间 HH:MM (end time)
        #[arg(long)]
        end: String,
    },
    /// 列出培训及课次 (list trainings with their sessions)
    List {
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run_training(ctx: &mut Ctx, cmd: TrainingCmd) -> Result<()> {
    match cmd {
        TrainingCmd::Add { title, format, topics, audience, trainer, venue } => {
            let t = Training {
                id: RecordId::random(),
                title: validate::normalize_name(&title),
                format: TrainingFormat::parse(&format)?,
                topics: code_list::parse(&topics)?,
                audience: code_list::parse(&audience)?,
                trainer: trainer.trim().into(),
                venue: venue.map(|v| refs::venue(ctx.store, &v).map(|v| v.id)).transpose()?,
                sessions: Default::default(),
            };
            print_field_warnings(&ops::records::add(&mut ctx.env(), t.clone())?.warnings);
            outln!("{} {} 「{}」", ctx.t("已新增培训", "Added training"), t.id, t.title);
        }
        TrainingCmd::Session { training, date, start, end, venue } => {
            let cmd = ops::trainings::AddSession {
                training: training.into(),
                date: validate::parse_date(&date)?,
                start,
                end,
                venue: venue.map(Into::into),
            };
            let done = ops::trainings::add_session(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            let s = &done.session;
            outln!(
                "{} {} {} {}–{} ({:.1} h)",
                ctx.t("已增加课次", "Added session"),
                done.session_id,
                s.date,
                s.start,
                s.end,
                s.hours()
            );
        }
        TrainingCmd::List { format } => {
            let (mut list, _) = ctx.store.all_readable::<Training>();
            list.sort_by(|a, b| a.title.cmp(&b.title));
            if format != Format::Table {
                out!("{}", super::table::machine(&list.iter().collect::<Vec<_>>(), format, &|_| {}));
                return Ok(());
            }
            let mut t = Table::for_people(&[
                ctx.t("编号", "id"),
                ctx.t("培训", "training"),
                ctx.t("形式", "format"),
                ctx.t("课次", "session"),
                ctx.t("日期", "date"),
                ctx.t("时间", "time"),
                ctx.t("学时", "hours"),
            ]);
            for tr in &list {
                if tr.sessions.is_empty() {
                    t.push(vec![
                        tr.id.to_string(),
                        tr.title.clone(),
                        tr.format.label(ctx.lang).into(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
                for (sid, s) in tr.sessions_in_order() {
                    t.push(vec![
                        tr.id.to_string(),
                        tr.title.clone(),
                        tr.format.label(ctx.lang).into(),
                        sid.to_string(),
                        s.date.to_string(),
                        format!("{}–{}", s.start, s.end),
                        format!("{:.1}", s.hours()),
                    ]);
                }
            }
            out!("{}", t.render_text());
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum AttendanceCmd {
    /// 签到 (sign a person in to a session)
    Sign {
        /// 培训 (id or title)
        training: String,
        /// 课次编号 (session id)
        session: String,
        /// 人员 (id or name)
        person: String,
        /// 认定学时,默认为课次时长,不得超过 (hours credited; default and maximum: the session's length)
        #[arg(long)]
        hours: Option<f64>,
        /// 所属组织 (id or name; default: the person's organization)
        #[arg(long)]
        org: Option<String>,
        /// 更正已签到者的学时或组织;不加此项时重复签到被拒绝 (correct someone already signed in; without it a repeat is refused)
        #[arg(long)]
        correct: bool,
    },
    /// 列出签到 (list attendance)
    List {
        /// 培训,编号或名称 (training: id or title)
        #[arg(long)]
        training: Option<String>,
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run_attendance(ctx: &mut Ctx, cmd: AttendanceCmd) -> Result<()> {
    match cmd {
        AttendanceCmd::Sign { training, session, person, hours, org, correct } => {
            let cmd = ops::trainings::SignIn {
                training: training.into(),
                session: RecordId::from(session.trim()),
                person: person.into(),
                hours,
                org: org.map(Into::into),
                correct,
            };
            let done = ops::trainings::sign_in(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            outln!(
                "{} {} @ {} ({:.1} h)",
                if correct && done.again {
                    ctx.t("已更正签到", "Sign-in corrected")
                } else {
                    ctx.t("已签到", "Signed in")
                },
                done.person_name,
                done.title,
                done.attendance.hours
            );
        }
        AttendanceCmd::List { training, format } => {
            let tid = training.map(|t| refs::training(ctx.store, &t).map(|t| t.id)).transpose()?;
            let (list, _) = ctx.store.all_readable::<Attendance>();
            let people: std::collections::HashMap<RecordId, String> = ctx
                .store
                .scan(Collection::People, &["name"])
                .into_iter()
                .map(|r| (r.id, r.values[0].clone().unwrap_or_default()))
                .collect();
            let titles: std::collections::HashMap<RecordId, String> = ctx
                .store
                .scan(Collection::Trainings, &["title"])
                .into_iter()
                .map(|r| (r.id, r.values[0].clone().unwrap_or_default()))
                .collect();
            let orgs = org_names(ctx);
            let mut t = Table::for_people(&[
                ctx.t("培训", "training"),
                ctx.t("课次", "session"),
                ctx.t("人员", "person"),
                ctx.t("组织", "organization"),
                ctx.t("状态", "status"),
                ctx.t("签到时间", "signed in"),
                ctx.t("学时", "hours"),
            ]);
            let mut list: Vec<_> = list.into_iter().filter(|a| tid.as_ref().is_none_or(|t| &a.training == t)).collect();
            list.sort_by_key(|a| a.signed_in);
            if format != Format::Table {
                out!("{}", super::table::machine(&list.iter().collect::<Vec<_>>(), format, &|_| {}));
                return Ok(());
            }
            for a in &list {
                t.push(vec![
                    titles.get(&a.training).cloned().unwrap_or_else(|| a.training.to_string()),
                    a.session.to_string(),
                    people.get(&a.person).cloned().unwrap_or_else(|| a.person.to_string()),
                    a.organization.as_ref().and_then(|o| orgs.get(o).cloned()).unwrap_or_default(),
                    a.status.label(ctx.lang).into(),
                    a.signed_in.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                    format!("{:.1}", a.hours),
                ]);
            }
            out!("{}", t.render_text());
        }
    }
    Ok(())
}

//! `hubsync activity ...` and `hubsync work-report ...`: thin over
//! `ops::activities`; lists and signals read the domain queries.

use super::people::org_names;
use super::table::{Cell, Format, Table};
use super::{print_field_warnings, Ctx};
use crate::domain::activity_query::{missing_work_reports, quiet_orgs, reports_due, ActivityFilter};
use crate::domain::*;
use crate::ops::activities::{self as act, ActivityFields, Participant};
use crate::ops::Ref;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args, Debug, Default)]
pub struct FieldArgs {
    /// 组织 (id or exact name; several for a joint activity, the lead first)
    #[arg(long = "org")]
    pub orgs: Vec<String>,
    /// 日期 (2025-10-08, 2025年10月8日…; default today when adding)
    #[arg(long)]
    pub date: Option<String>,
    /// 开始时间 HH:MM
    #[arg(long)]
    pub start: Option<String>,
    /// 结束时间 HH:MM
    #[arg(long)]
    pub end: Option<String>,
    /// 活动名称
    #[arg(long)]
    pub title: Option<String>,
    /// 活动类型: 志愿服务|文体活动|社区协商/议事|矛盾纠纷调解|治安巡逻|垃圾分类|应急演练|关爱帮扶|培训讲座|其他
    #[arg(long)]
    pub kind: Option<String>,
    /// 服务对象 (comma separated): 老年人,儿童,青少年,妇女,残疾人,困难群众,全体居民
    #[arg(long)]
    pub targets: Option<String>,
    /// 场地 (id or name)
    #[arg(long)]
    pub venue: Option<String>,
    /// 地点 (when not a venue on record)
    #[arg(long)]
    pub place: Option<String>,
    /// 参与人数 (everyone, named or not)
    #[arg(long)]
    pub headcount: Option<String>,
    /// 受益人数
    #[arg(long)]
    pub beneficiaries: Option<String>,
    /// 在本社区以外举办 (是/否)
    #[arg(long)]
    pub outside_community: Option<String>,
    /// 涉及募捐筹款 (是/否)
    #[arg(long)]
    pub fundraising: Option<String>,
    /// 邀请外部讲者/嘉宾 (是/否)
    #[arg(long)]
    pub outside_speakers: Option<String>,
    /// 重大活动 (是/否; default: the federation's rule decides)
    #[arg(long)]
    pub major: Option<String>,
    /// 同时是哪项培训 (training id or title: hours then count once, as training hours)
    #[arg(long)]
    pub training: Option<String>,
    /// 备注 (notes)
    #[arg(long)]
    pub notes: Option<String>,
    /// 附件 (file path: its SHA-256 and path are recorded, never its bytes)
    #[arg(long = "attach")]
    pub attachments: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ActivityCmd {
    /// 登记活动 (log an activity)
    Add(FieldArgs),
    /// 修改活动 (change the given fields of an activity)
    Edit {
        /// 活动或报告编号 (id)
        id: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// 查看活动 (one activity with its participants)
    Show {
        /// 活动或报告编号 (id)
        id: String,
    },
    /// 列出活动 (list activities, newest first, with filters)
    List {
        /// 名称或拼音首字母 (title words or pinyin initials)
        #[arg(long, default_value = "")]
        text: String,
        /// 组织 (id or exact name)
        #[arg(long)]
        org: Option<String>,
        /// 区划代码前缀 (county, township or community code)
        #[arg(long)]
        division: Option<String>,
        /// 活动类型 (type: code or label)
        #[arg(long)]
        kind: Option<String>,
        /// 服务对象 (target group)
        #[arg(long)]
        target: Option<String>,
        /// 起始日期 (from this date)
        #[arg(long)]
        from: Option<String>,
        /// 截止日期或报告对象 (to this date; for report: the recipient)
        #[arg(long)]
        to: Option<String>,
        /// 只列重大活动 (major activities only)
        #[arg(long)]
        major: bool,
        /// 最多显示几行 (rows shown)
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// 输出格式 (table, csv or json)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 登记参与者及志愿服务时长 (log participants: 姓名 or 姓名:小时)
    Log {
        /// 活动或报告编号 (id)
        id: String,
        /// 人员 (id or name), optionally with hours: 张秀英:2.5
        people: Vec<String>,
        /// 新人员自动登记为志愿者 (add people not on record as volunteers)
        #[arg(long)]
        create: bool,
    },
    /// 移除参与者 (remove participants logged by mistake)
    Unlog {
        /// 活动或报告编号 (id)
        id: String,
        /// 人员 (id or name)
        people: Vec<String>,
    },
    /// 重大活动已报告 (the major activity was reported: to whom, how, when)
    Report {
        /// 活动或报告编号 (id)
        id: String,
        /// 截止日期或报告对象 (to this date; for report: the recipient)
        #[arg(long)]
        to: String,
        /// 书面|电话|微信/短信|当面|系统
        #[arg(long)]
        via: String,
        /// 日期,默认今天 (date; default today)
        #[arg(long)]
        on: Option<String>,
    },
    /// 报告已知悉 (the recipient took note of the report)
    Ack {
        /// 活动或报告编号 (id)
        id: String,
        /// 知悉人或评议人 (who acknowledged or reviewed)
        #[arg(long)]
        by: String,
        /// 日期,默认今天 (date; default today)
        #[arg(long)]
        on: Option<String>,
    },
    /// 应报告和逾期的重大活动 (major-activity reports due and overdue)
    Due {
        /// 输出格式 (table, csv or json)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 长期无活动的组织 (active organizations with no activity in N months: a suggestion to mark dormant)
    Quiet {
        /// 月数 (months without activity)
        #[arg(long, default_value_t = crate::domain::activity_query::QUIET_MONTHS)]
        months: u32,
        /// 输出格式 (table, csv or json)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 重大活动认定规则 (show or change the federation's major-activity rule)
    Rule {
        /// 参与人数超过 N 为重大活动 (a number, or "无"/none to drop the criterion)
        #[arg(long)]
        participants_over: Option<String>,
        /// 在本社区以外举办 (yes/no)
        #[arg(long)]
        outside_community: Option<String>,
        /// 涉及募捐筹款 (yes/no)
        #[arg(long)]
        fundraising: Option<String>,
        /// 涉及未成年人 (yes/no)
        #[arg(long)]
        minors: Option<String>,
        /// 邀请外部讲者/嘉宾 (yes/no)
        #[arg(long)]
        outside_speakers: Option<String>,
        /// 活动前几天须报告 (days before the activity the report is due)
        #[arg(long)]
        days_before: Option<u32>,
    },
    /// 志愿服务证明 (a person's volunteer-service certificate; .csv or .xlsx with --out)
    Certificate {
        /// 人员 (id or exact name)
        person: String,
        /// 期间 (2025, 2025-H1 …; default: everything)
        #[arg(long)]
        period: Option<String>,
        /// 输出文件 .csv 或 .xlsx (output file)
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum WorkReportCmd {
    /// 登记向街道(乡镇)、村(社区)"两委"的工作报告 (record a work report)
    Add {
        /// 组织 (id or exact name)
        org: String,
        /// 期间: 2025, 2025-H1, 2025年上半年, 2025-Q3…
        #[arg(long)]
        period: String,
        /// 日期,默认今天 (date; default today)
        #[arg(long)]
        on: Option<String>,
        /// 报告对象: 街道(乡镇),村(社区)两委 (default both)
        #[arg(long, default_value = "")]
        committees: String,
        /// 接收单位名称 (names as written)
        #[arg(long, default_value = "")]
        to: String,
        /// 报告内容 (summary)
        #[arg(long, default_value = "")]
        summary: String,
    },
    /// 评议 (the committees' and residents' review)
    Review {
        /// 活动或报告编号 (id)
        id: String,
        /// 满意|基本满意|不满意
        #[arg(long)]
        result: String,
        /// 知悉人或评议人 (who acknowledged or reviewed)
        #[arg(long)]
        by: String,
        /// 日期,默认今天 (date; default today)
        #[arg(long)]
        on: Option<String>,
        /// 备注 (notes)
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// 工作报告列表 (work reports, optionally of one period)
    List {
        /// 期间 (2025, 2025-H1, 2025-Q3 …)
        #[arg(long)]
        period: Option<String>,
        /// 输出格式 (table, csv or json)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 期间内未报告工作的组织 (active organizations with no report in the period)
    Missing {
        /// 期间 (2025, 2025-H1, 2025-Q3 …)
        #[arg(long)]
        period: String,
        /// 输出格式 (table, csv or json)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

fn day(text: &Option<String>) -> Result<Option<chrono::NaiveDate>> {
    text.as_deref().map(validate::parse_date).transpose().map_err(|e| anyhow::anyhow!(e.0))
}

fn flag(text: &Option<String>) -> Result<Option<bool>> {
    text.as_deref().map(validate::parse_bool).transpose().map_err(|e| anyhow::anyhow!(e.0))
}

fn count(text: &Option<String>) -> Result<Option<u32>> {
    text.as_deref().map(validate::parse_count).transpose().map_err(|e| anyhow::anyhow!(e.0))
}

fn fields(ctx: &Ctx, a: FieldArgs) -> Result<ActivityFields> {
    let mut attachments = Vec::new();
    for path in &a.attachments {
        let bytes = std::fs::read(ctx.path(path))
            .with_context(|| format!("无法读取附件 {} (cannot read attachment)", path.display()))?;
        attachments.push((path.display().to_string(), crate::domain::activity::attachment_checksum(&bytes)));
    }
    Ok(ActivityFields {
        organizations: a.orgs.into_iter().map(Ref).collect(),
        date: day(&a.date)?,
        start: a.start,
        end: a.end,
        title: a.title,
        kind: a.kind.as_deref().map(ActivityKind::parse).transpose()?,
        targets: a.targets.as_deref().map(code_list::parse).transpose()?,
        venue: a.venue.map(Ref),
        place: a.place,
        headcount: count(&a.headcount)?,
        beneficiaries: count(&a.beneficiaries)?,
        outside_community: flag(&a.outside_community)?,
        fundraising: flag(&a.fundraising)?,
        outside_speakers: flag(&a.outside_speakers)?,
        major: flag(&a.major)?,
        training: a.training.map(Ref),
        notes: a.notes,
        attachments,
    })
}

fn saved(ctx: &Ctx, verb: (&str, &str), s: &act::ActivitySaved) {
    print_field_warnings(&s.warnings);
    let a = &s.activity;
    outln!("{} {} {} 「{}」", ctx.t(verb.0, verb.1), a.id, a.date, a.title);
    if !s.suggested.is_empty() {
        let why: Vec<&str> = s.suggested.iter().map(|r| r.label(ctx.lang)).collect();
        outln!(
            "{}: {}{}",
            ctx.t("按联合会规则属重大活动", "Major under the federation's rule"),
            why.join(ctx.t("、", ", ")),
            if a.major {
                format!(
                    " — {} {}",
                    ctx.t("应于此日前报告", "report due by"),
                    a.date - chrono::Duration::days(ctx.store.major_rule().report_days_before as i64)
                )
            } else {
                ctx.t(" (已标记为非重大 marked not major)", " (marked not major)").to_string()
            }
        );
    }
}

fn status_label(ctx: &Ctx, a: &Activity) -> String {
    match (a.major, a.report_status) {
        (false, _) => String::new(),
        (true, Some(s)) => s.label(ctx.lang).to_string(),
        (true, None) => ReportStatus::Due.label(ctx.lang).to_string(),
    }
}

pub fn run(ctx: &mut Ctx, cmd: ActivityCmd) -> Result<()> {
    match cmd {
        ActivityCmd::Add(a) => {
            let fields = fields(ctx, a)?;
            let s = act::add(&mut ctx.env(), fields)?;
            saved(ctx, ("已登记活动", "Logged activity"), &s);
        }
        ActivityCmd::Edit { id, fields: f } => {
            let fields = fields(ctx, f)?;
            let s = act::edit(&mut ctx.env(), &RecordId::from(id.trim()), fields)?;
            saved(ctx, ("已修改活动", "Changed activity"), &s);
        }
        ActivityCmd::Show { id } => show(ctx, &RecordId::from(id.trim()))?,
        ActivityCmd::List { text, org, division, kind, target, from, to, major, limit, format } => {
            let filter = ActivityFilter {
                text,
                organization: org
                    .map(|o| crate::ops::refs::resolve(ctx.store, Collection::Orgs, &Ref(o)))
                    .transpose()?,
                division,
                kind: kind.as_deref().map(ActivityKind::parse).transpose()?,
                target: target.as_deref().map(TargetGroup::parse).transpose()?,
                from: day(&from)?,
                to: day(&to)?,
                major_only: major,
            };
            let rows = ctx.store.activity_rows();
            let found = filter.apply(&rows);
            let names = org_names(ctx);
            let mut t = Table::new(&[
                ("id", ctx.t("编号", "id")),
                ("date", ctx.t("日期", "date")),
                ("title", ctx.t("活动", "activity")),
                ("kind", ctx.t("类型", "type")),
                ("organizations", ctx.t("组织", "organization")),
                ("organization_names", ""),
                ("headcount", ctx.t("人数", "people")),
                ("volunteer_hours", ctx.t("志愿时长", "volunteer h")),
                ("major", ""),
                ("report_status", ctx.t("重大", "major")),
            ]);
            for r in found.iter().take(limit) {
                let org_names: Vec<String> = r.organizations.iter().filter_map(|o| names.get(o).cloned()).collect();
                t.push(vec![
                    Cell::text(r.id.to_string()),
                    Cell::date(r.date),
                    Cell::text(r.title.as_str()),
                    r.kind.map_or_else(Cell::none, |k| Cell::code(k.code(), k.label(ctx.lang))),
                    Cell::list(&r.organizations, org_names.join("、")),
                    Cell::list(&org_names, ""),
                    Cell::int(r.headcount),
                    Cell::decimal(r.volunteer_hours(), 1),
                    Cell::flag(r.major, ""),
                    match (r.major, r.report_status) {
                        (false, _) => Cell::none(),
                        (true, s) => {
                            let s = s.unwrap_or(ReportStatus::Due);
                            Cell::code(s.code(), s.label(ctx.lang))
                        }
                    },
                ]);
            }
            out!("{}", t.render(format));
            if format == Format::Table && found.len() > limit {
                outln!("{} {} / {}", ctx.t("显示", "showing"), limit, found.len());
            }
        }
        ActivityCmd::Log { id, people, create } => {
            let mut participants = Vec::new();
            for p in people {
                let (name, hours) = match p.rsplit_once([':', ':']) {
                    Some((n, h)) => (
                        n.to_string(),
                        Some(h.trim().trim_end_matches(['h', '小', '时']).parse::<f64>().map_err(|_| {
                            anyhow::anyhow!("'{p}' 的时长应为数字,如 张秀英:2.5 (hours must be a number)")
                        })?),
                    ),
                    None => (p, None),
                };
                participants.push(Participant { person: Ref(name), hours });
            }
            let cmd =
                act::LogParticipants { activity: RecordId::from(id.trim()), participants, create_missing: create };
            let done = act::log_participants(&mut ctx.env(), cmd)?;
            for c in &done.created_people {
                outln!("{} {} {}", ctx.t("已新增志愿者", "Added volunteer"), c.id, c.name);
            }
            for (_, name, h) in &done.added {
                outln!("{} {name} {h:.1} h", ctx.t("已登记", "Logged"));
            }
            for (_, name, h) in &done.updated {
                outln!("{} {name} {h:.1} h", ctx.t("已更新", "Updated"));
            }
            outln!(
                "「{}」 {} {} {}, {:.1} h",
                done.activity.title,
                ctx.t("共", "in all"),
                done.activity.participants.len(),
                ctx.t("人", "people"),
                done.activity.volunteer_hours()
            );
        }
        ActivityCmd::Unlog { id, people } => {
            let refs: Vec<Ref> = people.into_iter().map(Ref).collect();
            let a = act::remove_participants(&mut ctx.env(), &RecordId::from(id.trim()), &refs)?;
            outln!("「{}」 {} {}", a.title, a.participants.len(), ctx.t("人", "people"));
        }
        ActivityCmd::Report { id, to, via, on } => {
            let cmd = act::ReportMajor {
                activity: RecordId::from(id.trim()),
                to,
                on: day(&on)?,
                via: ReportChannel::parse(&via)?,
            };
            let a = act::report_major(&mut ctx.env(), cmd)?;
            outln!("「{}」 {}: {}", a.title, status_label(ctx, &a), a.reported_to);
        }
        ActivityCmd::Ack { id, by, on } => {
            let a = act::acknowledge(&mut ctx.env(), &RecordId::from(id.trim()), &by, day(&on)?)?;
            outln!("「{}」 {}", a.title, status_label(ctx, &a));
        }
        ActivityCmd::Due { format } => {
            let today = ctx.clock.today();
            let rows = ctx.store.activity_rows();
            let due = reports_due(&rows, &ctx.store.major_rule(), today);
            let names = org_names(ctx);
            let mut t = Table::new(&[
                ("activity", ctx.t("编号", "id")),
                ("date", ctx.t("活动日期", "date")),
                ("due", ctx.t("应报告日期", "due")),
                ("overdue", ctx.t("状态", "status")),
                ("title", ctx.t("活动", "activity")),
                ("organization", ""),
                ("organization_name", ctx.t("组织", "organization")),
            ]);
            for d in &due {
                let status = if d.overdue { ctx.t("逾期", "overdue") } else { ctx.t("待报告", "due") };
                t.push(vec![
                    Cell::text(d.activity.to_string()),
                    Cell::date(d.date),
                    Cell::date(d.due),
                    Cell::flag(d.overdue, status),
                    Cell::text(d.title.as_str()),
                    d.organization.as_ref().map_or_else(Cell::none, |o| Cell::text(o.to_string())),
                    Cell::text(d.organization.as_ref().and_then(|o| names.get(o).cloned()).unwrap_or_default()),
                ]);
            }
            out!("{}", t.render(format));
        }
        ActivityCmd::Quiet { months, format } => {
            let today = ctx.clock.today();
            let orgs = ctx.store.org_rows();
            let rows = ctx.store.activity_rows();
            let quiet = quiet_orgs(&orgs, &rows, today, months);
            let mut t = Table::new(&[
                ("id", ctx.t("编号", "id")),
                ("name", ctx.t("组织", "organization")),
                ("township", ctx.t("街道/乡镇", "township")),
                ("last_activity", ctx.t("最近活动", "last activity")),
            ]);
            for q in &quiet {
                t.push(vec![
                    Cell::text(q.id.to_string()),
                    Cell::text(q.name.as_str()),
                    Cell::text(q.township.as_str()),
                    q.last.map_or_else(|| Cell::none_shown(ctx.t("无", "none")), Cell::date),
                ]);
            }
            out!("{}", t.render(format));
            if format == Format::Table {
                outln!(
                    "{}",
                    ctx.t(
                        "以上仅为建议:是否标记为休眠由您决定 (hubsync org edit … --lifecycle 休眠)",
                        "A suggestion only: marking dormant is your decision"
                    )
                );
            }
        }
        ActivityCmd::Rule {
            participants_over,
            outside_community,
            fundraising,
            minors,
            outside_speakers,
            days_before,
        } => {
            let mut rule = ctx.store.major_rule();
            let changing = participants_over.is_some()
                || outside_community.is_some()
                || fundraising.is_some()
                || minors.is_some()
                || outside_speakers.is_some()
                || days_before.is_some();
            if let Some(n) = participants_over {
                rule.participants_over = match n.trim() {
                    "无" | "none" | "" => None,
                    t => Some(validate::parse_count(t).map_err(|e| anyhow::anyhow!(e.0))?),
                };
            }
            rule.outside_community = flag(&outside_community)?.unwrap_or(rule.outside_community);
            rule.fundraising = flag(&fundraising)?.unwrap_or(rule.fundraising);
            rule.minors = flag(&minors)?.unwrap_or(rule.minors);
            rule.outside_speakers = flag(&outside_speakers)?.unwrap_or(rule.outside_speakers);
            rule.report_days_before = days_before.unwrap_or(rule.report_days_before);
            if changing {
                rule = act::set_rule(&mut ctx.env(), rule)?;
            }
            let yn = |b: bool| if b { ctx.t("是", "yes") } else { ctx.t("否", "no") };
            let over = rule.participants_over.map(|n| n.to_string()).unwrap_or_else(|| ctx.t("不适用", "off").into());
            outln!("{}: {over}", MajorReason::ManyParticipants.label(ctx.lang));
            outln!("{}: {}", MajorReason::OutsideCommunity.label(ctx.lang), yn(rule.outside_community));
            outln!("{}: {}", MajorReason::Fundraising.label(ctx.lang), yn(rule.fundraising));
            outln!("{}: {}", MajorReason::Minors.label(ctx.lang), yn(rule.minors));
            outln!("{}: {}", MajorReason::OutsideSpeakers.label(ctx.lang), yn(rule.outside_speakers));
            outln!("{}: {}", ctx.t("活动前几天须报告", "report due days before"), rule.report_days_before);
        }
        ActivityCmd::Certificate { person, period, out } => {
            let c = act::certificate(&mut ctx.env(), &Ref(person), period.as_deref())?;
            match out {
                Some(path) => {
                    crate::io::activity_export::write_certificate(&c, &ctx.path(&path), ctx.lang)?;
                    outln!(
                        "{} {} ({} {}, {:.1} h)",
                        ctx.t("已导出志愿服务证明", "Certificate written to"),
                        path.display(),
                        c.entries.len(),
                        ctx.t("次活动", "activities"),
                        c.total_hours
                    );
                }
                None => out!("{}", crate::io::activity_export::certificate_text(&c, ctx.lang)),
            }
        }
    }
    Ok(())
}

fn show(ctx: &mut Ctx, id: &RecordId) -> Result<()> {
    let a = ctx.store.activity(id)?;
    let names = org_names(ctx);
    let people: std::collections::HashMap<RecordId, String> = ctx
        .store
        .scan(Collection::People, &["name"])
        .into_iter()
        .map(|r| (r.id, r.values[0].clone().unwrap_or_default()))
        .collect();
    let l = ctx.lang;
    outln!("{} 「{}」 {}", a.id, a.title, a.kind.label(l));
    let orgs: Vec<String> = a.organizations.iter().map(|o| names.get(o).cloned().unwrap_or(o.to_string())).collect();
    outln!("{}: {}", ctx.t("组织", "organizations"), orgs.join("、"));
    let time = match (&a.start, &a.end) {
        (Some(s), Some(e)) => format!(" {s}–{e}"),
        (Some(s), None) => format!(" {s}"),
        _ => String::new(),
    };
    outln!("{}: {}{time}  {}", ctx.t("时间", "when"), a.date, a.place);
    if !a.targets.is_empty() {
        outln!("{}: {}", ctx.t("服务对象", "target groups"), code_list::labels(&a.targets, l));
    }
    outln!(
        "{}: {}  {}: {}",
        ctx.t("参与人数", "headcount"),
        a.participant_count(),
        ctx.t("受益人数", "beneficiaries"),
        a.beneficiaries.map(|b| b.to_string()).unwrap_or_default()
    );
    if a.major {
        let mut line = format!("{}: {}", ctx.t("重大活动", "major activity"), status_label(ctx, &a));
        if let (Some(on), Some(via)) = (a.reported_on, a.reported_via) {
            line += &format!(" — {} {on} {} {}", a.reported_to, via.label(l), ctx.t("报告", "reported"));
        }
        if let Some(on) = a.acknowledged_on {
            line += &format!("; {} {on} {}", a.acknowledged_by, ctx.t("知悉", "acknowledged"));
        }
        outln!("{line}");
    }
    for (p, h) in &a.participants {
        outln!("  {} {h:.1} h", people.get(p).cloned().unwrap_or(p.to_string()));
    }
    for (sum, path) in &a.attachments {
        outln!("  {} {path} (sha256 {})", ctx.t("附件", "attachment"), &sum[..12.min(sum.len())]);
    }
    if !a.notes.is_empty() {
        outln!("{}: {}", ctx.t("备注", "notes"), a.notes);
    }
    let conflicts = ctx.store.conflicts::<Activity>(id)?;
    for c in conflicts {
        outln!("⚠ {} {}: {:?}", ctx.t("冲突", "conflict"), c.field, c.values);
    }
    Ok(())
}

pub fn run_work_report(ctx: &mut Ctx, cmd: WorkReportCmd) -> Result<()> {
    match cmd {
        WorkReportCmd::Add { org, period, on, committees, to, summary } => {
            let cmd = act::AddWorkReport {
                org: Ref(org),
                period,
                reported_on: day(&on)?,
                committees: code_list::parse(&committees)?,
                reported_to: to,
                summary,
            };
            let r = act::add_work_report(&mut ctx.env(), cmd)?;
            outln!("{} {} {}", ctx.t("已登记工作报告", "Recorded work report"), r.id, r.period.label(ctx.lang));
        }
        WorkReportCmd::Review { id, result, by, on, notes } => {
            let cmd = act::Review {
                report: RecordId::from(id.trim()),
                result: ReviewResult::parse(&result)?,
                on: day(&on)?,
                by,
                notes,
            };
            let r = act::review(&mut ctx.env(), cmd)?;
            outln!("{} {} {}", ctx.t("已评议", "Reviewed"), r.id, r.review.map(|x| x.label(ctx.lang)).unwrap_or(""));
        }
        WorkReportCmd::List { period, format } => {
            let period = period.as_deref().map(Period::parse).transpose()?;
            let mut reports = ctx.store.work_reports();
            reports.retain(|r| period.is_none_or(|p| p.covers(r.period) || r.period.covers(p)));
            reports.sort_by(|a, b| (b.reported_on, &a.id).cmp(&(a.reported_on, &b.id)));
            let names = org_names(ctx);
            let mut t = Table::new(&[
                ("id", ctx.t("编号", "id")),
                ("organization", ""),
                ("organization_name", ctx.t("组织", "organization")),
                ("period", ctx.t("期间", "period")),
                ("reported_on", ctx.t("报告日期", "reported")),
                ("committees", ctx.t("报告对象", "to")),
                ("review", ctx.t("评议", "review")),
            ]);
            for r in &reports {
                let committees: Vec<&str> = r.committees.iter().map(|c| c.code()).collect();
                t.push(vec![
                    Cell::text(r.id.to_string()),
                    Cell::text(r.organization.to_string()),
                    Cell::text(names.get(&r.organization).cloned().unwrap_or_default()),
                    Cell::new(r.period.label(ctx.lang), r.period.to_string()),
                    Cell::date(r.reported_on),
                    Cell::list(&committees, code_list::labels(&r.committees, ctx.lang)),
                    r.review.map_or_else(Cell::none, |x| Cell::code(x.code(), x.label(ctx.lang))),
                ]);
            }
            out!("{}", t.render(format));
        }
        WorkReportCmd::Missing { period, format } => {
            let period = Period::parse(&period)?;
            let orgs = ctx.store.org_rows();
            let reports = ctx.store.work_reports();
            let missing = missing_work_reports(&orgs, &reports, period);
            let mut t = Table::new(&[
                ("id", ctx.t("编号", "id")),
                ("name", ctx.t("组织", "organization")),
                ("township", ctx.t("街道/乡镇", "township")),
                ("community", ctx.t("社区/村", "community")),
            ]);
            for o in &missing {
                t.push(vec![o.id.to_string(), o.name.clone(), o.township.clone(), o.community.clone()]);
            }
            out!("{}", t.render(format));
            if format == Format::Table {
                outln!(
                    "{} {}: {}",
                    period.label(ctx.lang),
                    ctx.t("未报告工作的组织", "organizations with no report"),
                    missing.len()
                );
            }
        }
    }
    Ok(())
}

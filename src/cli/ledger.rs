//! `hubsync project|eval|honour|ledger`: the funding and cultivation ledger
//! (issue 12). Parse, call src/ops, print; the figures come from
//! domain::ledger_report.

use super::table::{Cell, Format, Table};
use super::{print_field_warnings, Ctx};
use crate::domain::ledger_report as figures;
use crate::domain::projects::{parse_yuan, yuan};
use crate::domain::validate;
use crate::domain::*;
use crate::ops::{evaluations, projects, registration};
use anyhow::{bail, Result};
use clap::Subcommand;

fn date(text: &Option<String>) -> Result<Option<chrono::NaiveDate>> {
    Ok(text.as_deref().map(validate::parse_date).transpose()?)
}

fn list<V: Vocabulary + PartialEq>(text: &Option<String>) -> Result<Vec<V>> {
    Ok(text.as_deref().map(code_list::parse::<V>).transpose()?.unwrap_or_default())
}

fn opt<V: Vocabulary>(text: &Option<String>) -> Result<Option<V>> {
    Ok(text.as_deref().map(V::parse).transpose()?)
}

#[derive(Subcommand, Debug)]
pub enum ProjectCmd {
    /// 新增项目 (add a project; amount in 元: 50000, 5万, 5.5万元)
    Add {
        /// 项目名称 (project name)
        name: String,
        /// 项目类型: 公益创投|政府购买服务|委托|福彩公益金|社区基金|其他
        #[arg(long)]
        kind: String,
        /// 年度 (project year)
        #[arg(long)]
        year: i32,
        /// 金额 (amount in 元)
        #[arg(long)]
        amount: String,
        /// 资助方 (funder)
        #[arg(long, default_value = "")]
        funder: String,
        /// 服务领域, comma-separated (为老、助残…)
        #[arg(long)]
        domains: Option<String>,
        /// 承接组织 (lead organization on the roster: id or exact name)
        #[arg(long)]
        lead: Option<String>,
        /// 承接方名称 (a lead not on the roster, as written)
        #[arg(long, default_value = "")]
        lead_name: String,
        /// 合作组织 (partner organizations, comma-separated ids or names)
        #[arg(long)]
        partners: Option<String>,
        /// 受益人数 (people served)
        #[arg(long)]
        beneficiaries: Option<u32>,
        /// 录入时的状态 (status entered at; 申报 by default)
        #[arg(long)]
        status: Option<String>,
        /// 状态日期 (date of that status; today by default)
        #[arg(long)]
        date: Option<String>,
    },
    /// 项目进到下一步 (move a project forward: 申报→立项→实施→结项→评估)
    Advance {
        /// 项目 (project: id or exact name)
        project: String,
        /// 目标状态 (the status to move to; the next step by default)
        #[arg(long)]
        to: Option<String>,
        /// 日期 (date, YYYY-MM-DD; today by default)
        #[arg(long)]
        date: Option<String>,
    },
    /// 列出项目 (list projects)
    List {
        /// 年度 (year)
        #[arg(long)]
        year: Option<i32>,
        /// 输出格式 (output format)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum EvalCmd {
    /// 录入年度考核 (record an organization's evaluation of a year)
    Set {
        /// 组织 (organization: id or exact name)
        org: String,
        /// 年度 (year)
        #[arg(long)]
        year: i32,
        /// 基本条件,活动情况,社会贡献,社区影响力 (0–25 each; "-" for 基本条件 takes it from the checklist)
        #[arg(long)]
        scores: String,
        /// 考评人 (evaluator)
        #[arg(long, default_value = "")]
        evaluator: String,
        /// 日期 (date, YYYY-MM-DD; today by default)
        #[arg(long)]
        date: Option<String>,
        /// 两委评议: 满意|基本满意|不满意
        #[arg(long)]
        committee: Option<String>,
        /// 居民评议: 满意|基本满意|不满意
        #[arg(long)]
        residents: Option<String>,
        /// 等级评估 1A–5A (national grade, a separate field)
        #[arg(long)]
        grade: Option<String>,
        /// 评定结果 (a result the evaluators decided; otherwise the cut-offs decide)
        #[arg(long)]
        result: Option<String>,
    },
    /// 规范化建设自查 (standardization checklist: the items met)
    Checklist {
        /// 组织 (organization: id or exact name)
        org: String,
        /// 年度 (year)
        #[arg(long)]
        year: i32,
        /// 有章程、民主决策、财务制度、信息公开、向两委报告、接受监督
        #[arg(long, default_value = "")]
        met: String,
    },
    /// 考核权重与分档 (show, or set, the federation's weights and cut-offs)
    Weights {
        /// 基本条件权重 (weight of basic conditions)
        #[arg(long)]
        basic: Option<u8>,
        /// 活动情况权重 (weight of activities)
        #[arg(long)]
        activities: Option<u8>,
        /// 社会贡献权重 (weight of social contribution)
        #[arg(long)]
        contribution: Option<u8>,
        /// 社区影响力权重 (weight of community influence)
        #[arg(long)]
        influence: Option<u8>,
        /// 优秀分数线 (cut-off for excellent)
        #[arg(long)]
        excellent: Option<u8>,
        /// 良好分数线 (cut-off for good)
        #[arg(long)]
        good: Option<u8>,
        /// 合格分数线 (cut-off for pass)
        #[arg(long)]
        pass: Option<u8>,
    },
}

#[derive(Subcommand, Debug)]
pub enum HonourCmd {
    /// 记录荣誉 (record an honour)
    Add {
        /// 品牌组织|示范型社区社会组织|优质项目|创新项目|先进人物
        kind: String,
        /// 国家|省|市|县|乡镇
        #[arg(long)]
        level: String,
        /// 年度 (year)
        #[arg(long)]
        year: i32,
        /// 授予单位 (awarding body)
        #[arg(long = "by", default_value = "")]
        awarded_by: String,
        /// 荣誉名称 (title of the honour)
        #[arg(long, default_value = "")]
        title: String,
        /// 组织 (organization: id or exact name)
        #[arg(long)]
        org: Option<String>,
        /// 项目 (project: id or exact name)
        #[arg(long)]
        project: Option<String>,
        /// 获得者 (person: id or exact name)
        #[arg(long)]
        person: Option<String>,
        /// 获得者名称 (recipient as published, when not on record)
        #[arg(long, default_value = "")]
        recipient: String,
    },
    /// 修改荣誉:只改给出的项 (edit an honour: only the options given change)
    Edit {
        /// 荣誉编号 (honour id, as `honour add` and `ledger honours --format json` give it)
        id: String,
        /// 品牌组织|示范型社区社会组织|优质项目|创新项目|先进人物
        #[arg(long)]
        kind: Option<String>,
        /// 国家|省|市|县|乡镇
        #[arg(long)]
        level: Option<String>,
        /// 年度 (year)
        #[arg(long)]
        year: Option<i32>,
        /// 授予单位 (awarding body)
        #[arg(long = "by")]
        awarded_by: Option<String>,
        /// 荣誉名称 (title of the honour)
        #[arg(long)]
        title: Option<String>,
        /// 组织 (organization: id or exact name; "" unlinks)
        #[arg(long)]
        org: Option<String>,
        /// 项目 (project: id or exact name; "" unlinks)
        #[arg(long)]
        project: Option<String>,
        /// 获得者 (person: id or exact name; "" unlinks)
        #[arg(long)]
        person: Option<String>,
        /// 获得者名称 (recipient as published, when not on record)
        #[arg(long)]
        recipient: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum LedgerCmd {
    /// 资金去向 (funds by organization, domain, county, urban/rural; share to community social organizations)
    Funds {
        /// 年度 (year)
        #[arg(long)]
        year: Option<i32>,
    },
    /// 购买服务与资助候选 (candidates ranked by their latest evaluation)
    Candidates {
        /// 最多显示几行 (rows at most)
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// 输出格式 (output format)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 各乡镇考核排名及同比 (evaluation ranking per township, change on the year before)
    Ranking {
        /// 年度 (year)
        #[arg(long)]
        year: i32,
        /// 输出格式 (output format)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 荣誉公示名单 (honours list for publicity)
    Honours {
        /// 年度 (year)
        #[arg(long)]
        year: Option<i32>,
        /// 输出格式 (output format)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 各年新增与退出 (new, upgraded 备案→登记 and exited per year, by exit kind)
    Flows {
        /// 起始年度 (first year)
        #[arg(long)]
        from: i32,
        /// 截止年度 (last year)
        #[arg(long)]
        to: i32,
    },
    /// 规范化建设短板 (standardization gaps per township)
    Gaps {
        /// 年度 (year)
        #[arg(long)]
        year: i32,
    },
    /// 法律状态变更 (change an organization's legal status, kept as history: 备案→登记)
    Status {
        /// 组织 (organization: id or exact name)
        org: String,
        /// 登记|备案|培育中
        #[arg(long)]
        to: String,
        /// 统一社会信用代码或备案编号 (the code or number issued)
        #[arg(long, default_value = "")]
        number: String,
        /// 登记/备案机关 (authority)
        #[arg(long, default_value = "")]
        authority: String,
        /// 日期 (date, YYYY-MM-DD; today by default)
        #[arg(long)]
        date: Option<String>,
    },
}

pub fn run_project(ctx: &mut Ctx, cmd: ProjectCmd) -> Result<()> {
    match cmd {
        ProjectCmd::Add {
            name,
            kind,
            year,
            amount,
            funder,
            domains,
            lead,
            lead_name,
            partners,
            beneficiaries,
            status,
            date: d,
        } => {
            let cmd = projects::AddProject {
                name,
                kind: ProjectKind::parse(&kind)?,
                funder,
                year,
                amount_fen: parse_yuan(&amount).map_err(|p| anyhow::anyhow!(p.message))?,
                domains: list(&domains)?,
                lead: lead.map(Into::into),
                lead_name,
                partners: partners
                    .map(|p| crate::domain::projects::id_list::parse(&p))
                    .unwrap_or_default()
                    .iter()
                    .map(|i| i.as_str().into())
                    .collect(),
                beneficiaries,
                beneficiary_groups: String::new(),
                status: opt(&status)?,
                date: date(&d)?,
            };
            let done = projects::add(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            outln!(
                "{} {}: {} {} 元",
                ctx.t("已新增项目", "Added project"),
                done.project.id,
                done.project.name,
                yuan(done.project.amount_fen)
            );
        }
        ProjectCmd::Advance { project, to, date: d } => {
            let cmd = projects::Advance { project: project.into(), to: opt(&to)?, date: date(&d)? };
            let done = projects::advance(&mut ctx.env(), cmd)?;
            let l = ctx.lang;
            outln!("{}: {} → {}", done.project.name, done.from.label(l), done.project.status.label(l));
        }
        ProjectCmd::List { year, format } => {
            let l = ctx.lang;
            let (mut list, errors) = ctx.store.all_readable::<Project>();
            for e in errors {
                errln!("警告 (warning): {e}");
            }
            list.retain(|p| year.is_none_or(|y| p.year == y));
            list.sort_by(|a, b| (b.year, &a.name).cmp(&(a.year, &b.name)));
            let mut t = Table::new(&[
                ("id", "id"),
                ("name", ctx.t("项目", "project")),
                ("kind", ctx.t("类型", "kind")),
                ("year", ctx.t("年度", "year")),
                // Fen for scripts (exact), yuan for people.
                ("amount_fen", ctx.t("金额(元)", "amount (yuan)")),
                ("lead_name", ctx.t("承接组织", "lead")),
                ("status", ctx.t("状态", "status")),
            ]);
            for p in &list {
                t.push(vec![
                    Cell::text(p.id.to_string()),
                    Cell::text(p.name.as_str()),
                    Cell::code(p.kind.code(), p.kind.label(l)),
                    Cell::int(p.year),
                    Cell::new(yuan(p.amount_fen), p.amount_fen),
                    Cell::text(p.lead_name.as_str()),
                    Cell::code(p.status.code(), p.status.label(l)),
                ]);
            }
            out!("{}", t.render(format));
        }
    }
    Ok(())
}

fn parse_scores(text: &str) -> Result<(Option<u8>, u8, u8, u8)> {
    let parts: Vec<&str> = text.split([',', '，', '/']).map(str::trim).collect();
    let bad = || {
        anyhow::anyhow!("得分 '{text}' 应为 基本条件,活动情况,社会贡献,社区影响力 (four scores 0–25; '-' for 基本条件 takes the checklist)")
    };
    if parts.len() != 4 {
        return Err(bad());
    }
    let n = |s: &str| s.parse::<u8>().map_err(|_| bad());
    let basic = if parts[0] == "-" { None } else { Some(n(parts[0])?) };
    Ok((basic, n(parts[1])?, n(parts[2])?, n(parts[3])?))
}

pub fn run_eval(ctx: &mut Ctx, cmd: EvalCmd) -> Result<()> {
    let l = ctx.lang;
    match cmd {
        EvalCmd::Set { org, year, scores, evaluator, date: d, committee, residents, grade, result } => {
            let (basic, activities, contribution, influence) = parse_scores(&scores)?;
            let cmd = evaluations::Evaluate {
                org: org.into(),
                year,
                basic,
                activities,
                contribution,
                influence,
                result: opt(&result)?,
                evaluator,
                date: date(&d)?,
                committee_review: opt(&committee)?,
                residents_review: opt(&residents)?,
                national_grade: opt(&grade)?,
                notes: String::new(),
            };
            let done = evaluations::evaluate(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            let change = done.previous.map(|p| format!(" ({:+.1})", done.score - p)).unwrap_or_default();
            outln!("{} {year}: {:.1}{change} {}", done.org_name, done.score, done.result.label(l));
        }
        EvalCmd::Checklist { org, year, met } => {
            let met: Vec<ChecklistItem> = code_list::parse(&met)?;
            let done = evaluations::record_checklist(
                &mut ctx.env(),
                evaluations::RecordChecklist { org: org.into(), year, met },
            )?;
            outln!(
                "{} {year}: {} {} · {} {}",
                done.org_name,
                ctx.t("短板", "gaps"),
                if done.gaps.is_empty() { "—".to_string() } else { code_list::labels(&done.gaps, l) },
                ctx.t("基本条件参考分", "basic-conditions score"),
                done.basic_score
            );
        }
        EvalCmd::Weights { basic, activities, contribution, influence, excellent, good, pass } => {
            let mut s = ctx.store.evaluation_settings();
            let asked = [basic, activities, contribution, influence, excellent, good, pass].iter().any(Option::is_some);
            if asked {
                s.weight_basic = basic.unwrap_or(s.weight_basic);
                s.weight_activities = activities.unwrap_or(s.weight_activities);
                s.weight_contribution = contribution.unwrap_or(s.weight_contribution);
                s.weight_influence = influence.unwrap_or(s.weight_influence);
                s.excellent_from = excellent.unwrap_or(s.excellent_from);
                s.good_from = good.unwrap_or(s.good_from);
                s.pass_from = pass.unwrap_or(s.pass_from);
                s = evaluations::set_settings(&mut ctx.env(), s)?;
            }
            outln!(
                "{}: {}/{}/{}/{} · {}: ≥{} {} ≥{} {} ≥{} {}",
                ctx.t("权重 基本条件/活动情况/社会贡献/社区影响力", "weights basic/activities/contribution/influence"),
                s.weight_basic,
                s.weight_activities,
                s.weight_contribution,
                s.weight_influence,
                ctx.t("分档", "cut-offs"),
                s.excellent_from,
                EvalResult::Excellent.label(l),
                s.good_from,
                EvalResult::Good.label(l),
                s.pass_from,
                EvalResult::Pass.label(l)
            );
        }
    }
    Ok(())
}

pub fn run_honour(ctx: &mut Ctx, cmd: HonourCmd) -> Result<()> {
    let (kind, level, year, awarded_by, title, org, project, person, recipient) = match cmd {
        HonourCmd::Add { kind, level, year, awarded_by, title, org, project, person, recipient } => {
            (kind, level, year, awarded_by, title, org, project, person, recipient)
        }
        HonourCmd::Edit { id, kind, level, year, awarded_by, title, org, project, person, recipient } => {
            let fields = projects::HonourFields {
                kind: kind.as_deref().map(HonourKind::parse).transpose()?,
                level: level.as_deref().map(AwardLevel::parse).transpose()?,
                year,
                awarded_by,
                title,
                organization: org.map(Into::into),
                project: project.map(Into::into),
                person: person.map(Into::into),
                recipient_name: recipient,
                date: None,
            };
            let done = projects::edit_honour(&mut ctx.env(), projects::EditHonour { honour: id.into(), fields })?;
            print_field_warnings(&done.warnings);
            outln!(
                "{} {}: {} {}",
                ctx.t("已修改荣誉", "Honour changed"),
                done.honour.id,
                done.recipient,
                done.honour.kind.label(ctx.lang)
            );
            return Ok(());
        }
    };
    let cmd = projects::AddHonour {
        kind: HonourKind::parse(&kind)?,
        level: AwardLevel::parse(&level)?,
        year,
        awarded_by,
        title,
        organization: org.map(Into::into),
        project: project.map(Into::into),
        person: person.map(Into::into),
        recipient_name: recipient,
        date: None,
    };
    let done = projects::add_honour(&mut ctx.env(), cmd)?;
    print_field_warnings(&done.warnings);
    outln!(
        "{} {}: {} {}",
        ctx.t("已记录荣誉", "Honour recorded"),
        done.honour.id,
        done.recipient,
        done.honour.kind.label(ctx.lang)
    );
    Ok(())
}

fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

pub fn run_ledger(ctx: &mut Ctx, cmd: LedgerCmd) -> Result<()> {
    let l = ctx.lang;
    let today = ctx.clock.today();
    let (orgs, errors) = ctx.store.all_readable::<Organization>();
    for e in errors {
        errln!("警告 (warning): {e}");
    }
    let settings = ctx.store.evaluation_settings();
    match cmd {
        LedgerCmd::Funds { year } => {
            let projects: Vec<Project> = ctx.store.all_readable().0;
            let f = figures::funding(&projects, &orgs, year);
            outln!(
                "{} ({}): {} 元 / {} {}",
                ctx.t("立项资金合计", "funds from approval on"),
                year.map_or_else(|| ctx.t("全部年度", "all years").to_string(), |y| y.to_string()),
                yuan(f.total.fen),
                f.total.projects,
                ctx.t("个项目", "projects")
            );
            outln!(
                "{}: {} 元 ({})",
                ctx.t("社区社会组织承接", "led by community social organizations"),
                yuan(f.to_community_orgs.fen),
                percent(f.community_share)
            );
            let mut t = Table::for_people(&[
                ctx.t("分组", "group"),
                ctx.t("金额(元)", "amount (yuan)"),
                ctx.t("项目数", "projects"),
            ]);
            for (d, x) in &f.by_domain {
                t.push(vec![d.label(l).into(), yuan(x.fen), x.projects.to_string()]);
            }
            for (a, x) in &f.by_area {
                t.push(vec![a.label(l).into(), yuan(x.fen), x.projects.to_string()]);
            }
            for (c, x) in &f.by_county {
                t.push(vec![if c.is_empty() { "—".into() } else { c.clone() }, yuan(x.fen), x.projects.to_string()]);
            }
            for o in f.by_organization.iter().take(20) {
                t.push(vec![o.name.clone(), yuan(o.funds.fen), o.funds.projects.to_string()]);
            }
            out!("{}", t.render_text());
        }
        LedgerCmd::Candidates { limit, format } => {
            let mut t = Table::new(&[
                ("organization", "id"),
                ("name", ctx.t("组织", "organization")),
                ("year", ctx.t("年度", "year")),
                ("score", ctx.t("得分", "score")),
                ("result", ctx.t("结果", "result")),
                ("national_grade", ctx.t("等级评估", "grade")),
            ]);
            for c in figures::candidates(&orgs, &settings, today).into_iter().take(limit) {
                t.push(vec![
                    Cell::text(c.organization.to_string()),
                    Cell::text(c.name),
                    year_cell(&c.year),
                    Cell::decimal(c.score, 1),
                    Cell::code(c.result.code(), c.result.label(l)),
                    c.national_grade.map_or_else(|| Cell::none_shown("—"), |g| Cell::code(g.code(), g.label(l))),
                ]);
            }
            out!("{}", t.render(format));
        }
        LedgerCmd::Ranking { year, format } => {
            let mut t = Table::new(&[
                ("township", ctx.t("乡镇", "township")),
                ("rank", ctx.t("名次", "rank")),
                ("organization", ""),
                ("name", ctx.t("组织", "organization")),
                ("score", ctx.t("得分", "score")),
                ("previous", ctx.t("上年", "last year")),
                ("change", ctx.t("变化", "change")),
            ]);
            for (township, list) in figures::ranking_by_township(&orgs, &settings, year) {
                for r in list {
                    let change = r.change.map_or_else(
                        || Cell::none_shown("—"),
                        |c| {
                            let typed = Cell::decimal(c, 1);
                            Cell::new(format!("{c:+.1}"), typed.value().clone())
                        },
                    );
                    t.push(vec![
                        Cell::text(township.as_str()),
                        Cell::int(r.rank),
                        Cell::text(r.entry.organization.to_string()),
                        Cell::text(r.entry.name),
                        Cell::decimal(r.entry.score, 1),
                        r.previous.map_or_else(|| Cell::none_shown("—"), |p| Cell::decimal(p, 1)),
                        change,
                    ]);
                }
            }
            out!("{}", t.render(format));
        }
        LedgerCmd::Honours { year, format } => {
            let honours: Vec<Honour> = ctx.store.all_readable().0;
            let projects: Vec<Project> = ctx.store.all_readable().0;
            let people: Vec<Person> = ctx.store.all_readable().0;
            let mut t = Table::new(&[
                ("id", ""),
                ("year", ctx.t("年度", "year")),
                ("level", ctx.t("级别", "level")),
                ("kind", ""),
                ("title", ctx.t("荣誉", "honour")),
                ("recipient", ctx.t("获得者", "recipient")),
                ("organization", ctx.t("所属组织", "organization")),
                ("awarded_by", ctx.t("授予单位", "awarded by")),
                ("date", ""),
            ]);
            let org_name: std::collections::HashMap<&RecordId, &str> =
                orgs.iter().map(|o| (&o.id, o.name.as_str())).collect();
            for (i, h) in figures::honour_lines(&honours, |id| org_name.get(id).copied(), &projects, &people, year) {
                // People read the kind where the honour has no title of its own.
                let title = if h.title.is_empty() { h.kind.label(l).to_string() } else { h.title.clone() };
                t.push(vec![
                    Cell::text(honours[i].id.to_string()),
                    Cell::int(h.year),
                    Cell::code(h.level.code(), h.level.label(l)),
                    Cell::code(h.kind.code(), ""),
                    Cell::new(title, h.title),
                    Cell::text(h.recipient),
                    Cell::text(h.organization),
                    Cell::text(h.awarded_by),
                    Cell::opt_date(h.date),
                ]);
            }
            out!("{}", t.render(format));
        }
        LedgerCmd::Flows { from, to } => {
            if to < from {
                bail!("--to 早于 --from (--to before --from)");
            }
            let mut t = Table::for_people(&[
                ctx.t("年度", "year"),
                ctx.t("新增", "new"),
                ctx.t("备案转登记", "filed→registered"),
                ctx.t("退出", "exited"),
                ctx.t("退出方式", "exit kinds"),
            ]);
            for f in figures::flows(&orgs, from, to) {
                let kinds: Vec<String> = f
                    .exits_by_kind
                    .iter()
                    .map(|(k, n)| format!("{} {n}", k.map_or(ctx.t("未注明", "unstated"), |k| k.label(l))))
                    .collect();
                t.push(vec![
                    f.year.to_string(),
                    f.new.to_string(),
                    f.registered_from_filed.to_string(),
                    f.exited.to_string(),
                    kinds.join(", "),
                ]);
            }
            out!("{}", t.render_text());
        }
        LedgerCmd::Gaps { year } => {
            let as_of = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
            let mut t = Table::for_people(&[
                ctx.t("乡镇", "township"),
                ctx.t("组织", "organizations"),
                ctx.t("已自查", "checked"),
                ctx.t("有短板", "with gaps"),
                ctx.t("各项缺失", "missing per item"),
            ]);
            for g in figures::standardization_gaps(&orgs, year, as_of) {
                let missing: Vec<String> =
                    g.missing.iter().filter(|(_, n)| *n > 0).map(|(i, n)| format!("{} {n}", i.label(l))).collect();
                t.push(vec![
                    g.township,
                    g.organizations.to_string(),
                    g.checked.to_string(),
                    g.with_gaps.len().to_string(),
                    missing.join(", "),
                ]);
            }
            out!("{}", t.render_text());
        }
        LedgerCmd::Status { org, to, number, authority, date: d } => {
            let cmd = registration::ChangeStatus {
                org: org.into(),
                to: LegalStatus::parse(&to)?,
                date: date(&d)?,
                authority,
                number,
            };
            let done = registration::change_status(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            outln!(
                "{}: {} → {} ({})",
                done.org.name,
                done.change.from.map_or("—", |f| f.label(l)),
                done.change.to.label(l),
                done.change.date
            );
        }
    }
    Ok(())
}

/// An evaluation year (the key "2024" of the evaluations map): a number for scripts.
fn year_cell(year: &str) -> Cell {
    year.parse::<i64>().map_or_else(|_| Cell::text(year), |y| Cell::new(year, y))
}

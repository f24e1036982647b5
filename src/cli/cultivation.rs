//! `hubsync incubation` and `hubsync member`: the five-level incubation
//! network (入壳, services, 出壳) and federation membership with the
//! 枢纽型/平台型/品牌型 flags (issue 12.5). Parse, call src/ops, print.

use super::table::{Cell, Format, Table};
use super::{print_field_warnings, Ctx};
use crate::domain::*;
use crate::ops::{refs, registration};
use anyhow::Result;
use clap::Subcommand;

fn date(text: &Option<String>) -> Result<Option<chrono::NaiveDate>> {
    Ok(text.as_deref().map(validate::parse_date).transpose()?)
}

#[derive(Subcommand, Debug)]
pub enum IncubationCmd {
    /// 入壳 (an organization enters an incubation platform)
    Enter {
        /// 组织 (organization: id or exact name)
        org: String,
        /// 孵化平台/基地名称 (the platform or base, as named)
        #[arg(long)]
        platform: String,
        /// 平台层级: 省|市|县|乡镇|村社区 (the platform's level in the five-level network)
        #[arg(long)]
        level: String,
        /// 入壳日期 (date entered; today by default)
        #[arg(long)]
        date: Option<String>,
    },
    /// 记录孵化服务 (a service received: 场地|培训|信息|策划)
    Service {
        /// 孵化记录编号,或只有一条在孵记录的组织 (incubation id, or an organization with one open stay)
        incubation: String,
        /// 服务: 场地|培训|信息|策划
        #[arg(long)]
        service: String,
        /// 服务日期 (date; today by default)
        #[arg(long)]
        date: Option<String>,
        /// 服务提供方 (who provided it)
        #[arg(long, default_value = "")]
        provider: String,
    },
    /// 出壳 (the organization leaves the platform)
    Leave {
        /// 孵化记录编号,或只有一条在孵记录的组织 (incubation id, or an organization with one open stay)
        incubation: String,
        /// 出壳日期 (date left; today by default)
        #[arg(long)]
        date: Option<String>,
    },
    /// 孵化记录 (incubation stays with their services)
    List {
        /// 组织 (only this organization: id or exact name)
        #[arg(long)]
        org: Option<String>,
        /// 只列在孵 (only stays not yet left)
        #[arg(long)]
        current: bool,
        /// 输出格式 (output format)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(clap::Args, Debug)]
pub struct MemberArgs {
    /// 组织 (organization: id or exact name)
    pub org: String,
    /// 会员状态: 在册|暂停|退会 (membership status)
    #[arg(long)]
    pub status: Option<String>,
    /// 入会日期 (joined; 在册 without it, and none on record, is today)
    #[arg(long)]
    pub since: Option<String>,
    /// 类型标识: 枢纽型,平台型,品牌型; 无 清除 (type flags; 无 clears them)
    #[arg(long)]
    pub types: Option<String>,
}

pub fn run_incubation(ctx: &mut Ctx, cmd: IncubationCmd) -> Result<()> {
    let l = ctx.lang;
    match cmd {
        IncubationCmd::Enter { org, platform, level, date: d } => {
            let cmd =
                registration::Incubate { org: org.into(), platform, level: Level::parse(&level)?, entered: date(&d)? };
            let done = registration::incubate(&mut ctx.env(), cmd)?;
            print_field_warnings(&done.warnings);
            let i = &done.incubation;
            outln!(
                "{} {}: {} → {} ({}) {}",
                ctx.t("已入壳", "Entered incubation"),
                i.id,
                done.org_name,
                i.platform,
                i.level.label(l),
                i.entered
            );
        }
        IncubationCmd::Service { incubation, service, date: d, provider } => {
            let cmd = registration::AddService {
                incubation: incubation.into(),
                service: IncubationService::parse(&service)?,
                date: date(&d)?,
                provider,
            };
            let inc = registration::add_service(&mut ctx.env(), cmd)?;
            let name = org_name(ctx, &inc.organization);
            let services: Vec<String> =
                inc.services_in_order().iter().map(|s| format!("{} {}", s.date, s.service.label(l))).collect();
            outln!("{name} @ {}: {}", inc.platform, services.join(", "));
        }
        IncubationCmd::Leave { incubation, date: d } => {
            let inc = registration::leave(&mut ctx.env(), &incubation.into(), date(&d)?)?;
            let name = org_name(ctx, &inc.organization);
            let left = inc.left.map(|d| d.to_string()).unwrap_or_default();
            outln!("{} {name} @ {}: {} – {left}", ctx.t("已出壳", "Left incubation"), inc.platform, inc.entered);
        }
        IncubationCmd::List { org, current, format } => {
            let only = match org {
                Some(r) => Some(refs::org(ctx.store, &r.into())?.id),
                None => None,
            };
            let (mut list, errors) = ctx.store.all_readable::<Incubation>();
            for e in errors {
                errln!("警告 (warning): {e}");
            }
            list.retain(|i| only.as_ref().is_none_or(|o| &i.organization == o) && (!current || i.left.is_none()));
            list.sort_by(|a, b| (b.entered, &a.platform).cmp(&(a.entered, &b.platform)));
            let mut t = Table::new(&[
                ("id", "id"),
                ("organization", ""),
                ("organization_name", ctx.t("组织", "organization")),
                ("platform", ctx.t("孵化平台", "platform")),
                ("level", ctx.t("层级", "level")),
                ("entered", ctx.t("入壳", "entered")),
                ("left", ctx.t("出壳", "left")),
                ("services", ctx.t("服务", "services")),
            ]);
            for i in &list {
                let services = i.services_in_order();
                let shown: Vec<String> = services
                    .iter()
                    .map(|s| {
                        let kind = s.service.label(l);
                        match s.provider.is_empty() {
                            true => format!("{} {kind}", s.date),
                            false => format!("{} {kind} ({})", s.date, s.provider),
                        }
                    })
                    .collect();
                // Scripts get [{"service": code, "date", "provider"}, …].
                let typed: Vec<serde_json::Value> = services
                    .iter()
                    .map(|s| {
                        serde_json::json!({"service": s.service.code(), "date": s.date.to_string(), "provider": s.provider})
                    })
                    .collect();
                t.push(vec![
                    Cell::text(i.id.to_string()),
                    Cell::text(i.organization.to_string()),
                    Cell::text(org_name(ctx, &i.organization)),
                    Cell::text(i.platform.as_str()),
                    Cell::code(i.level.code(), i.level.label(l)),
                    Cell::date(i.entered),
                    Cell::opt_date(i.left),
                    Cell::new(shown.join("; "), typed),
                ]);
            }
            out!("{}", t.render(format));
        }
    }
    Ok(())
}

/// The organization's name, or its id when it is not readable here.
fn org_name(ctx: &Ctx, id: &RecordId) -> String {
    match ctx.store.get::<Organization>(id) {
        Ok(Some(o)) => o.name,
        _ => id.to_string(),
    }
}

pub fn run_member(ctx: &mut Ctx, args: MemberArgs) -> Result<()> {
    let l = ctx.lang;
    let types = match args.types.as_deref().map(str::trim) {
        None => None,
        Some("无" | "none" | "-") => Some(Vec::new()),
        Some(text) => Some(code_list::parse::<OrgType>(text)?),
    };
    let cmd = registration::SetMembership {
        org: args.org.into(),
        status: args.status.as_deref().map(MembershipStatus::parse).transpose()?,
        since: date(&args.since)?,
        types,
    };
    // Without any change asked for, this shows the membership as it stands.
    let o = if cmd.status.is_none() && cmd.since.is_none() && cmd.types.is_none() {
        refs::org(ctx.store, &cmd.org)?
    } else {
        registration::set_membership(&mut ctx.env(), cmd)?
    };
    outln!(
        "{}: {} {} · {} {} · {} {}",
        o.name,
        ctx.t("会员状态", "membership"),
        o.membership.map_or("—", |m| m.label(l)),
        ctx.t("入会", "since"),
        o.member_since.map_or("—".to_string(), |d| d.to_string()),
        ctx.t("类型标识", "type flags"),
        if o.org_types.is_empty() { "—".to_string() } else { code_list::labels(&o.org_types, l) }
    );
    Ok(())
}

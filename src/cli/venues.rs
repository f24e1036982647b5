//! `hubsync venue ...` and `hubsync booking ...`.

use super::people::org_names;
use super::table::{Format, Table};
use super::{print_field_warnings, refs, Ctx};
use crate::domain::validate;
use crate::domain::*;
use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum VenueCmd {
    /// 新增场地 (add a venue)
    Add {
        /// 名称 (name)
        #[arg(long)]
        name: String,
        /// 党群服务中心|城乡社区综合服务设施|社会工作服务站|孵化基地|其他
        #[arg(long)]
        kind: String,
        /// 地址 (address)
        #[arg(long, default_value = "")]
        address: String,
        /// 行政区划代码 (division code, 6/9/12 digits)
        #[arg(long, default_value = "")]
        division: String,
        /// 容纳人数
        #[arg(long)]
        capacity: Option<String>,
        /// 设施 (facilities)
        #[arg(long, default_value = "")]
        facilities: String,
        /// 开放时间
        #[arg(long, default_value = "")]
        opening_hours: String,
        /// 管理单位
        #[arg(long, default_value = "")]
        owner: String,
    },
    /// 列出场地 (list venues)
    List {
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run_venue(ctx: &mut Ctx, cmd: VenueCmd) -> Result<()> {
    match cmd {
        VenueCmd::Add { name, kind, address, division, capacity, facilities, opening_hours, owner } => {
            let v = Venue {
                id: RecordId::random(),
                name: validate::normalize_name(&name),
                kind: VenueKind::parse(&kind)?,
                address: address.trim().into(),
                division: if division.trim().is_empty() { String::new() } else { validate::check_division(&division)? },
                capacity: capacity.map(|c| validate::parse_count(&c)).transpose()?,
                facilities: facilities.trim().into(),
                opening_hours: opening_hours.trim().into(),
                owner: owner.trim().into(),
            };
            print_field_warnings(&crate::ops::records::add(&mut ctx.env(), v.clone())?.warnings);
            outln!("{} {} 「{}」", ctx.t("已新增场地", "Added venue"), v.id, v.name);
        }
        VenueCmd::List { format } => {
            let (mut venues, _) = ctx.store.all_readable::<Venue>();
            venues.sort_by(|a, b| a.name.cmp(&b.name));
            if format != Format::Table {
                out!("{}", super::table::machine(&venues.iter().collect::<Vec<_>>(), format, &|_| {}));
                return Ok(());
            }
            let mut t = Table::for_people(&[
                ctx.t("编号", "id"),
                ctx.t("名称", "name"),
                ctx.t("类型", "kind"),
                ctx.t("容纳", "capacity"),
                ctx.t("地址", "address"),
            ]);
            for v in &venues {
                t.push(vec![
                    v.id.to_string(),
                    v.name.clone(),
                    v.kind.label(ctx.lang).into(),
                    v.capacity.map(|c| c.to_string()).unwrap_or_default(),
                    v.address.clone(),
                ]);
            }
            out!("{}", t.render_text());
        }
    }
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum BookingCmd {
    /// 预约场地 (book a venue)
    Add {
        /// 场地 (id or name)
        venue: String,
        /// 日期 (date), e.g. 2025-03-01 or 2025年3月1日
        #[arg(long)]
        date: String,
        /// HH:MM
        #[arg(long)]
        start: String,
        /// HH:MM
        #[arg(long)]
        end: String,
        /// 使用组织 (id or name)
        #[arg(long)]
        org: Option<String>,
        /// 用途 (purpose)
        #[arg(long, default_value = "")]
        purpose: String,
        /// 预计人数
        #[arg(long)]
        expected: Option<String>,
        /// 已申请|已确认
        #[arg(long, default_value = "requested")]
        status: String,
    },
    /// 确认预约 (confirm a booking)
    Confirm {
        /// 预约编号 (booking id)
        id: String,
    },
    /// 取消预约 (cancel a booking)
    Cancel {
        /// 预约编号 (booking id)
        id: String,
    },
    /// 列出预约 (list bookings)
    List {
        /// 场地,编号或名称 (venue: id or name)
        #[arg(long)]
        venue: Option<String>,
        /// 只列出冲突的已确认预约 (only overlapping confirmed bookings)
        #[arg(long)]
        conflicts: bool,
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

fn set_status(ctx: &mut Ctx, id: &str, status: BookingStatus) -> Result<Booking> {
    let cmd = crate::ops::bookings::SetStatus { booking: id.into(), status };
    let done = crate::ops::bookings::set_status(&mut ctx.env(), cmd)?;
    print_field_warnings(&done.warnings);
    warn_overlaps(ctx, &done.overlapping);
    Ok(done.booking)
}

/// Says which live bookings (requested or confirmed) a saved one overlaps.
fn warn_overlaps(ctx: &Ctx, overlapping: &[crate::ops::bookings::Overlap]) {
    for o in overlapping {
        errln!(
            "{}: {}",
            ctx.t("注意: 时间与此预约重叠", "note: overlaps this booking"),
            text::booking_line(&o.booking, &o.org_name, ctx.lang)
        );
    }
}

pub fn run_booking(ctx: &mut Ctx, cmd: BookingCmd) -> Result<()> {
    match cmd {
        BookingCmd::Add { venue, date, start, end, org, purpose, expected, status } => {
            let v = refs::venue(ctx.store, &venue)?;
            let b = Booking {
                id: RecordId::random(),
                venue: v.id.clone(),
                organization: org.map(|o| refs::org(ctx.store, &o).map(|o| o.id)).transpose()?,
                date: validate::parse_date(&date)?,
                start: validate::parse_time(&start)?,
                end: validate::parse_time(&end)?,
                purpose: purpose.trim().into(),
                expected: expected.map(|e| validate::parse_count(&e)).transpose()?,
                status: BookingStatus::parse(&status)?,
            };
            let done = crate::ops::bookings::save(&mut ctx.env(), b, true)?;
            print_field_warnings(&done.warnings);
            let b = &done.booking;
            outln!("{} {} {} {}–{}", ctx.t("已预约", "Booked"), b.id, v.name, b.start, b.end);
            warn_overlaps(ctx, &done.overlapping);
        }
        BookingCmd::Confirm { id } => {
            let b = set_status(ctx, &id, BookingStatus::Confirmed)?;
            outln!("{} {}", ctx.t("已确认", "Confirmed"), b.id);
        }
        BookingCmd::Cancel { id } => {
            let b = set_status(ctx, &id, BookingStatus::Cancelled)?;
            outln!("{} {}", ctx.t("已取消", "Cancelled"), b.id);
        }
        BookingCmd::List { venue, conflicts: only_conflicts, format } => {
            let venue_id = venue.map(|v| refs::venue(ctx.store, &v).map(|v| v.id)).transpose()?;
            let (all, _) = ctx.store.all_readable::<Booking>();
            let clashing: std::collections::HashSet<RecordId> =
                crate::domain::report::booking_conflicts(&all).into_iter().flat_map(|(a, b)| [a, b]).collect();
            let venues: std::collections::HashMap<RecordId, String> = ctx
                .store
                .scan(Collection::Venues, &["name"])
                .into_iter()
                .map(|r| (r.id, r.values[0].clone().unwrap_or_default()))
                .collect();
            let orgs = org_names(ctx);
            let mut list: Vec<&Booking> = all
                .iter()
                .filter(|b| venue_id.as_ref().is_none_or(|v| &b.venue == v))
                .filter(|b| !only_conflicts || clashing.contains(&b.id))
                .collect();
            list.sort_by(|a, b| (a.date, &a.start).cmp(&(b.date, &b.start)));
            if format != Format::Table {
                out!("{}", super::table::machine(&list, format, &|_| {}));
                return Ok(());
            }
            let mut t = Table::for_people(&[
                ctx.t("编号", "id"),
                ctx.t("场地", "venue"),
                ctx.t("日期", "date"),
                ctx.t("时间", "time"),
                ctx.t("组织", "organization"),
                ctx.t("用途", "purpose"),
                ctx.t("状态", "status"),
                ctx.t("冲突", "conflict"),
            ]);
            for b in list {
                t.push(vec![
                    b.id.to_string(),
                    venues.get(&b.venue).cloned().unwrap_or_else(|| b.venue.to_string()),
                    b.date.to_string(),
                    format!("{}–{}", b.start, b.end),
                    b.organization.as_ref().and_then(|o| orgs.get(o).cloned()).unwrap_or_default(),
                    b.purpose.clone(),
                    b.status.label(ctx.lang).into(),
                    if clashing.contains(&b.id) { ctx.t("⚠ 冲突", "⚠ overlap").into() } else { String::new() },
                ]);
            }
            out!("{}", t.render_text());
            if only_conflicts && clashing.is_empty() {
                outln!("{}", ctx.t("没有冲突的预约", "No conflicting bookings"));
            }
        }
    }
    Ok(())
}

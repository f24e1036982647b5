//! `hubsync report`: the figures a federation is asked for, as text or JSON.

use super::table::{pad, Format, Table};
use super::Ctx;
use crate::domain::report::{Count, Report};
use anyhow::Result;

/// The report; records a peer broke are named, not fatal.
pub fn compute(ctx: &Ctx, today: chrono::NaiveDate) -> Report {
    let (report, problems) = ctx.store.report(today, ctx.lang);
    for p in problems {
        eprintln!("警告 (warning): {p}");
    }
    report
}

fn counts(ctx: &Ctx, title: (&str, &str), items: &[Count], out: &mut String) {
    out.push_str(&format!("\n■ {}\n", ctx.t(title.0, title.1)));
    let total: usize = items.iter().map(|c| c.count).sum::<usize>().max(1);
    for c in items {
        let bar = "█".repeat((c.count * 30).div_ceil(total).min(30));
        out.push_str(&format!("  {} {:>6}  {bar}\n", pad(&c.label, 18), c.count));
    }
}

pub fn render(ctx: &Ctx, r: &Report, limit: usize) -> String {
    let mut out = String::new();
    let fed = ctx.store.federation().map(|f| f.name).unwrap_or_default();
    out.push_str(&format!("{} — {}: {}\n", fed, ctx.t("组织总数", "organizations"), r.total));
    counts(ctx, ("按类别", "By category"), &r.by_category, &mut out);
    counts(ctx, ("按法律状态", "By legal status"), &r.by_legal_status, &mut out);
    counts(ctx, ("按状态", "By status"), &r.by_lifecycle, &mut out);
    if r.by_county.len() > 1 {
        let mut top = r.by_county.clone();
        top.sort_by_key(|c| std::cmp::Reverse(c.count));
        top.truncate(limit);
        counts(ctx, ("按县(市、区),前几位", "By county (top)"), &top, &mut out);
    }
    let c = &r.coverage;
    out.push_str(&format!(
        "\n■ {}\n  {} {}: {} {}, {} {}, {} {} → {:.1}% ({}/{})\n",
        ctx.t("党组织覆盖", "Party-organization coverage"),
        ctx.t("在册活跃组织", "active organizations"),
        c.active,
        ctx.t("单独建立", "own"),
        c.own,
        ctx.t("联合组建", "joint"),
        c.joint,
        ctx.t("选派指导员/联络员", "instructor/liaison"),
        c.dispatched,
        c.rate * 100.0,
        c.covered,
        c.active
    ));
    if !c.uncovered.is_empty() {
        out.push_str(&format!("  {} ({}):\n", ctx.t("未覆盖的组织", "Not covered"), c.uncovered.len()));
        for (id, name, community) in c.uncovered.iter().take(limit) {
            out.push_str(&format!("    {id}  {}  {community}\n", pad(name, 28)));
        }
        if c.uncovered.len() > limit {
            out.push_str(&format!(
                "    … {} {}\n",
                c.uncovered.len() - limit,
                ctx.t("个 (hubsync org list --uncovered)", "more (hubsync org list --uncovered)")
            ));
        }
    }
    out.push_str(&format!("\n■ {}\n", ctx.t("指导员/联络员负责组织数", "Liaison load (organizations per person)")));
    for l in r.liaison_load.iter().take(limit) {
        out.push_str(&format!("  {} {} {:>4}\n", pad(&l.person, 10), pad(&l.role, 16), l.organizations));
    }
    out.push_str(&format!("\n■ {}\n", ctx.t("培训出勤率", "Attendance rate per training")));
    for t in &r.attendance_rates {
        out.push_str(&format!(
            "  {} {:>4}/{:<4} {:.0}%\n",
            pad(&t.title, 32),
            t.attended,
            t.registered,
            t.rate * 100.0
        ));
    }
    out.push_str(&format!("\n■ {}\n", ctx.t("培训学时(按组织,前几位)", "Training hours per organization (top)")));
    for h in r.hours_per_org.iter().take(limit) {
        out.push_str(&format!("  {} {:>6.1} h\n", pad(&h.name, 32), h.hours));
    }
    if !r.continuing_education.is_empty() {
        out.push_str(&format!(
            "\n■ {}\n",
            ctx.t("社工继续教育学时(三年周期)", "Social-worker continuing education (3-year period)")
        ));
        for p in r.continuing_education.iter().take(limit) {
            out.push_str(&format!(
                "  {} {} {:>5.1}/{:.0} h\n",
                pad(&p.person, 10),
                pad(&p.grade, 16),
                p.hours,
                p.required
            ));
        }
    }
    out.push_str(&format!(
        "\n■ {}\n",
        ctx.t("场地使用率(近30天,每天按8小时计)", "Venue utilization (last 30 days, 8 h a day)")
    ));
    for v in r.venue_use.iter().take(limit) {
        out.push_str(&format!(
            "  {} {:>3} {} {:>5.1} h {:>5.1}%\n",
            pad(&v.venue, 28),
            v.confirmed_bookings,
            ctx.t("次", "bookings"),
            v.booked_hours,
            v.utilization * 100.0
        ));
    }
    out.push_str(&format!(
        "\n■ {}: {}{}\n",
        ctx.t("预约冲突", "Booking conflicts"),
        r.booking_conflicts.len(),
        if r.booking_conflicts.is_empty() { "" } else { "  (hubsync booking list --conflicts)" }
    ));
    for (year, dist) in &r.evaluations {
        counts(ctx, (&format!("{year}年考核评价"), &format!("Evaluations {year}")), dist, &mut out);
    }
    if !r.below_density.is_empty() {
        out.push_str(&format!(
            "\n■ {} ({})\n",
            ctx.t(
                "未达密度目标的社区/村(城市≥10,农村≥5)",
                "Communities below the density target (urban ≥10, rural ≥5)"
            ),
            r.below_density.len()
        ));
        for d in r.below_density.iter().take(limit) {
            out.push_str(&format!("  {} {:>3}/{}\n", pad(&d.community, 16), d.organizations, d.target));
        }
    }
    out
}

pub fn run(ctx: &Ctx, format: Format, limit: usize) -> Result<()> {
    let report = compute(ctx, ctx.clock.today());
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Csv => {
            let mut t = Table::new(&[ctx.t("项目", "item"), ctx.t("数值", "value")]);
            t.push(vec![ctx.t("组织总数", "organizations").into(), report.total.to_string()]);
            t.push(vec![ctx.t("党组织覆盖率", "party coverage").into(), format!("{:.4}", report.coverage.rate)]);
            t.push(vec![ctx.t("未覆盖组织", "uncovered").into(), report.coverage.uncovered.len().to_string()]);
            t.push(vec![ctx.t("预约冲突", "booking conflicts").into(), report.booking_conflicts.len().to_string()]);
            print!("{}", t.render(Format::Csv));
        }
        Format::Table => print!("{}", render(ctx, &report, limit)),
    }
    Ok(())
}

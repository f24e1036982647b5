//! `hubsync report`: the figures as text, CSV, JSON or an indicator
//! workbook. The figures are computed in domain::report; this only words
//! them (table) or hands them over in the machine contract (csv/json/xlsx).

use super::table::pad;
use super::Ctx;
use crate::domain::report::{decimal, percent, Counts, Density, Report};
use crate::domain::{Lang, Vocabulary};
use anyhow::{Context, Result};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ReportFormat {
    /// 文字报表,随 --lang (text in the display language)
    #[default]
    Table,
    /// 指标长表: 字段代码与枚举代码,不随 --lang (long table of stable codes)
    Csv,
    /// 完整报表: 字段代码与枚举代码,不随 --lang (the whole report, stable codes)
    Json,
    /// 指标工作簿,每项指标一张表,按县、乡镇分列 (indicator workbook for the bureau)
    Xlsx,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// 输出格式 (output format)
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// 统计截止日期,默认今天 (the reporting date; default today), e.g. 2025-12-31
    #[arg(long)]
    pub as_of: Option<String>,
    /// 每个列表最多显示几行 (rows per list in the text report)
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// 输出文件; xlsx 必须指定 (output file; required for xlsx)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 只统计该联合会(编号或区划代码)及其下级,并说明涵盖哪些联合会、各截至何时
    /// (only the federation of this id or division code and those below it, saying which it covers and as of when)
    #[arg(long)]
    pub under: Option<String>,
}

/// Which federations' data a restricted report covers, and as of when
/// changes of each last arrived here.
pub(super) fn coverage(ctx: &Ctx, heading: &str, covers: &[crate::ops::network::FedRow]) -> String {
    let mut out = format!("{heading} {}:\n", covers.len());
    for r in covers {
        let when = match (&r.arrives, r.last_received) {
            (crate::ops::network::Arrives::Home, _) => ctx.t("本联合会,数据即时", "ours, current").to_string(),
            (_, Some(t)) => format!("{} {}", ctx.t("数据截至", "data as of"), t.format("%Y-%m-%d %H:%M")),
            (_, None) => ctx.t("数据时间未记录", "data time not recorded").to_string(),
        };
        out.push_str(&format!("  {}{} ({}) · {when}\n", "  ".repeat(r.depth), r.name, r.division));
    }
    out
}

/// The report; records a peer broke are named, not fatal.
pub fn compute(ctx: &mut Ctx, as_of: chrono::NaiveDate) -> std::sync::Arc<Report> {
    let (report, problems) = crate::ops::export::report(&ctx.env(), as_of);
    super::warn_left_out(ctx.lang, &problems);
    report
}

fn heading(out: &mut String, title: &str) {
    out.push_str(&format!("\n■ {title}\n"));
}

fn empty_line(out: &mut String) {
    out.push_str("  —\n");
}

fn counts<K: Vocabulary + Ord + serde::Serialize>(lang: Lang, items: &Counts<K>, out: &mut String) {
    let total = items.total().max(1);
    for (k, n) in &items.0 {
        let bar = "█".repeat((n * 30).div_ceil(total).min(30));
        out.push_str(&format!("  {} {:>6}  {bar}\n", pad(k.label(lang), 18), n));
    }
}

fn density_line(ctx: &Ctx, d: &Density) -> String {
    let meets = match d.meets_target {
        Some(true) => ctx.t("达到", "meets"),
        Some(false) => ctx.t("未达到", "below"),
        None => "—",
    };
    format!(
        "{} {} ({} {}, {} {}) · {} {} · {} {} · {} {} → {}",
        ctx.t("社区/村", "communities"),
        d.communities,
        ctx.t("城市", "urban"),
        d.urban,
        ctx.t("农村", "rural"),
        d.rural,
        ctx.t("平均", "average"),
        decimal(d.average),
        ctx.t("中位数", "median"),
        decimal(d.median),
        ctx.t("目标", "target"),
        decimal(d.target),
        meets
    )
}

pub fn render(ctx: &Ctx, r: &Report, limit: usize) -> String {
    let l = ctx.lang;
    let mut out = String::new();
    let fed = ctx.store.federation().map(|f| f.name).unwrap_or_default();
    let b = &r.base;
    out.push_str(&format!(
        "{fed} — {}\n{} {} · {} · {} {}-01-01 – {}\n",
        ctx.t("统计报表", "report"),
        ctx.t("截至", "as of"),
        r.as_of,
        ctx.t(
            "统计口径: 存续组织(活跃+休眠),已退出另计",
            "base: surviving organizations (active + dormant), exited apart"
        ),
        ctx.t("报告年度", "reporting year"),
        r.year,
        r.as_of
    ));
    heading(&mut out, ctx.t("组织数量", "Organizations"));
    out.push_str(&format!(
        "  {} {} ({} {}, {} {}) · {} {} · {} {} · {} {}\n",
        ctx.t("存续", "surviving"),
        b.surviving,
        ctx.t("活跃", "active"),
        b.active,
        ctx.t("休眠", "dormant"),
        b.dormant,
        ctx.t("已退出(另计)", "exited (apart)"),
        b.exited,
        ctx.t("本年新增", "new this year"),
        b.new_in_year,
        ctx.t("本年退出", "exited this year"),
        b.exited_in_year
    ));
    if b.founded_later > 0 {
        out.push_str(&format!(
            "  {} {}\n",
            ctx.t("成立日期晚于截止日期,未计入:", "founded after the as-of date, not counted:"),
            b.founded_later
        ));
    }
    heading(&mut out, ctx.t("按类别(存续组织)", "By category (surviving)"));
    counts(l, &r.by_category, &mut out);
    heading(&mut out, ctx.t("按法律状态(存续组织)", "By legal status (surviving)"));
    counts(l, &r.by_legal_status, &mut out);
    if r.counties.len() > 1 {
        let mut top: Vec<_> = r.counties.iter().collect();
        top.sort_by_key(|a| std::cmp::Reverse(a.base.surviving));
        heading(&mut out, ctx.t("按县(市、区),存续组织,前几位", "By county, surviving (top)"));
        for a in top.iter().take(limit) {
            out.push_str(&format!("  {} {:>6}\n", pad(&a.name, 18), a.base.surviving));
        }
    }

    let c = &r.coverage;
    heading(
        &mut out,
        &format!("{} ({} {})", ctx.t("党建覆盖", "Party-building coverage"), ctx.t("存续组织", "surviving"), c.base),
    );
    out.push_str(&format!(
        "  {} {} + {} {} = {} → {}\n",
        ctx.t("党组织覆盖: 单独建立", "organization coverage: own"),
        c.own,
        ctx.t("联合组建", "joint"),
        c.joint,
        c.organization_covered,
        percent(c.organization_rate)
    ));
    out.push_str(&format!(
        "  {} {} + {} {} = {} → {}\n",
        ctx.t("党的工作覆盖: 党组织覆盖", "work coverage: organization coverage"),
        c.organization_covered,
        ctx.t("仅靠在岗指导员/联络员", "by an assignment in force alone"),
        c.dispatched_only,
        c.work_covered,
        percent(c.work_rate)
    ));
    out.push_str(&format!(
        "  {} {} ({} {})\n",
        ctx.t("有在岗指导员/联络员的组织", "organizations with an assignment in force"),
        c.dispatched,
        ctx.t("其中已有党组织", "of which with a Party organization too"),
        c.dispatched - c.dispatched_only
    ));
    let org_list = |out: &mut String, title: &str, list: &[crate::domain::report::OrgRef]| {
        if list.is_empty() {
            return;
        }
        out.push_str(&format!("  {title} ({}):\n", list.len()));
        for o in list.iter().take(limit) {
            let place = if o.community.is_empty() { &o.division } else { &o.community };
            out.push_str(&format!("    {}  {}  {place}\n", o.id, pad(&o.name, 28)));
        }
        if list.len() > limit {
            out.push_str(&format!("    … {} {}\n", list.len() - limit, ctx.t("个", "more")));
        }
    };
    org_list(
        &mut out,
        ctx.t("未覆盖的组织 (hubsync org list --uncovered)", "Not covered (hubsync org list --uncovered)"),
        &r.uncovered,
    );
    org_list(
        &mut out,
        ctx.t(
            "登记为“选派”但截至当日无在岗选派记录,未计入覆盖 (请 liaison assign 或更正)",
            "Recorded as dispatched but no assignment in force, not counted (liaison assign, or correct the status)",
        ),
        &r.dispatched_unrecorded,
    );

    heading(
        &mut out,
        ctx.t("指导员/联络员负责组织数(截至日在岗)", "Liaison load (organizations per person, in force)"),
    );
    if r.liaison_load.is_empty() {
        empty_line(&mut out);
    }
    for x in r.liaison_load.iter().take(limit) {
        out.push_str(&format!("  {} {} {:>4}\n", pad(&x.name, 10), pad(x.role.label(l), 16), x.organizations));
    }

    let t = &r.training;
    heading(
        &mut out,
        &format!("{} ({} {}-01-01 – {})", ctx.t("培训", "Trainings"), ctx.t("本年度", "this year"), r.year, r.as_of),
    );
    out.push_str(&format!(
        "  {} {} · {} {} · {} {} · {} {} · {} {:.1} h\n",
        ctx.t("培训", "trainings"),
        t.trainings,
        ctx.t("课次", "sessions"),
        t.sessions,
        ctx.t("签到人次", "attendances"),
        t.attendances,
        ctx.t("人数", "people"),
        t.people,
        ctx.t("学时", "hours"),
        t.hours
    ));
    heading(&mut out, ctx.t("培训出勤率", "Attendance rate per training"));
    if r.attendance_rates.is_empty() {
        empty_line(&mut out);
    }
    for x in &r.attendance_rates {
        out.push_str(&format!("  {} {:>4}/{:<4} {}\n", pad(&x.title, 32), x.attended, x.expected, percent(x.rate)));
    }
    heading(&mut out, ctx.t("培训学时(按组织,前几位)", "Training hours per organization (top)"));
    if r.hours_per_org.is_empty() {
        empty_line(&mut out);
    }
    for h in r.hours_per_org.iter().take(limit) {
        out.push_str(&format!("  {} {:>6.1} h\n", pad(&h.name, 32), h.hours));
    }
    if !r.continuing_education.is_empty() {
        heading(&mut out, ctx.t("社工继续教育学时(三年周期)", "Social-worker continuing education (3-year period)"));
        for p in r.continuing_education.iter().take(limit) {
            out.push_str(&format!(
                "  {} {} {:>5.1}/{:.0} h\n",
                pad(&p.name, 10),
                pad(p.grade.label(l), 16),
                p.hours,
                p.required
            ));
        }
    }
    heading(
        &mut out,
        ctx.t("场地使用率(截至日前30天,每天按8小时计)", "Venue utilization (30 days to the as-of date, 8 h a day)"),
    );
    if r.venue_use.is_empty() {
        empty_line(&mut out);
    }
    for v in r.venue_use.iter().take(limit) {
        out.push_str(&format!(
            "  {} {:>3} {} {:>5.1} h {:>6}\n",
            pad(&v.venue, 28),
            v.confirmed_bookings,
            ctx.t("次", "bookings"),
            v.booked_hours,
            percent(Some(v.utilization))
        ));
    }
    out.push_str(&format!(
        "\n■ {}: {}{}\n",
        ctx.t("预约冲突", "Booking conflicts"),
        r.booking_conflicts.len(),
        if r.booking_conflicts.is_empty() { "" } else { "  (hubsync booking list --conflicts)" }
    ));
    for (year, dist) in &r.evaluations {
        heading(&mut out, &format!("{year} {}", ctx.t("年考核评价", "evaluations")));
        counts(l, dist, &mut out);
    }

    work_sections(ctx, r, limit, &mut out);

    heading(
        &mut out,
        ctx.t(
            "密度(目标: 城市社区平均≥10个,农村≥5个)",
            "Density (target: on average ≥10 per urban community, ≥5 rural)",
        ),
    );
    out.push_str(&format!("  {}\n", density_line(ctx, &r.density)));
    let mut townships: Vec<_> = r.townships.iter().filter(|a| a.density.communities > 0).collect();
    // Furthest below its target first.
    let shortfall = |d: &Density| d.average.unwrap_or(0.0) / d.target.unwrap_or(1.0);
    townships.sort_by(|a, b| shortfall(&a.density).total_cmp(&shortfall(&b.density)).then(a.code.cmp(&b.code)));
    if !townships.is_empty() {
        out.push_str(&format!(
            "  {}:\n",
            ctx.t("各乡镇(街道),离目标最远的在前", "per township, furthest below target first")
        ));
    }
    for a in townships.iter().take(limit) {
        out.push_str(&format!("    {} {}\n", pad(&a.name, 16), density_line(ctx, &a.density)));
    }
    if !r.below_density.is_empty() {
        out.push_str(&format!(
            "  {} ({}):\n",
            ctx.t(
                "低于自身目标的社区/村(提示,目标为平均值)",
                "Communities below their own target (advice: the target is an average)"
            ),
            r.below_density.len()
        ));
        for d in r.below_density.iter().take(limit) {
            out.push_str(&format!(
                "    {} {} {:>3}/{}\n",
                pad(&d.name, 16),
                pad(&d.township, 12),
                d.organizations,
                d.target
            ));
        }
    }
    out
}

/// Activities, volunteer hours and the ledger (docs/REPORTS.md), in brief;
/// the workbook has each in full.
fn work_sections(ctx: &Ctx, r: &Report, limit: usize, out: &mut String) {
    use crate::domain::report::work::HoursBy;
    let w = &r.work;
    let Some(total) = &w.activities_total else { return };
    let l = ctx.lang;
    heading(
        out,
        &format!("{} ({} {}-01-01 – {})", ctx.t("活动", "Activities"), ctx.t("本年度", "this year"), r.year, r.as_of),
    );
    out.push_str(&format!(
        "  {} {} · {} {} · {} {} · {} {} · {} {:.1} h ({} {:.1} h)\n",
        ctx.t("活动", "activities"),
        total.activities,
        ctx.t("重大", "major"),
        total.major,
        ctx.t("参与人次", "participants"),
        total.participants,
        ctx.t("受益人次", "beneficiaries"),
        total.beneficiaries,
        ctx.t("志愿服务时长", "volunteer hours"),
        total.volunteer_hours,
        ctx.t("另有已计为培训学时", "besides, counted as training"),
        w.hours_counted_as_training
    ));
    counts(l, &total.by_kind, out);
    let overdue = w.reports_due.iter().filter(|d| d.overdue).count();
    heading(out, ctx.t("重大活动报告 (hubsync activity due)", "Major reports (hubsync activity due)"));
    out.push_str(&format!(
        "  {} {overdue} · {} {}\n",
        ctx.t("逾期", "overdue"),
        ctx.t("待报告", "due"),
        w.reports_due.len() - overdue
    ));
    for d in w.reports_due.iter().filter(|d| d.overdue).take(limit) {
        out.push_str(&format!("    {} {} {}  {}\n", d.due, pad(&d.title, 24), pad(&d.organization, 24), d.division));
    }
    heading(out, ctx.t("志愿服务时长(按乡镇,前几位)", "Volunteer hours per township (top)"));
    let towns: Vec<_> = w.hours.iter().filter(|h| h.by == HoursBy::Township).collect();
    if towns.is_empty() {
        empty_line(out);
    }
    for h in towns.iter().take(limit) {
        let name = if h.name.is_empty() { &h.key } else { &h.name };
        out.push_str(&format!("  {} {:>5} {:>8.1} h\n", pad(name, 18), h.activities, h.hours));
    }
    out.push_str(&format!(
        "\n■ {} {} {}: {} (hubsync activity quiet)\n",
        ctx.t("近", "No activity in"),
        w.quiet_months,
        ctx.t("个月无活动的组织(建议标记休眠)", "months (a suggestion to mark dormant)"),
        w.quiet.len()
    ));
    if let Some(f) = &w.ledger.funding {
        heading(out, &format!("{} ({} {})", ctx.t("项目资金", "Project funds"), ctx.t("年度", "year"), r.year));
        out.push_str(&format!(
            "  {} {} · {} {} {} · {} {} {} ({})\n",
            ctx.t("项目", "projects"),
            f.total.projects,
            ctx.t("金额", "amount"),
            crate::domain::projects::yuan(f.total.fen),
            ctx.t("元", "yuan"),
            ctx.t("社区社会组织承接", "to community social organizations"),
            crate::domain::projects::yuan(f.to_community_orgs.fen),
            ctx.t("元", "yuan"),
            percent(f.community_share)
        ));
    }
    let flow = w.ledger.flows.last();
    out.push_str(&format!(
        "\n■ {}: {} · {}: {} · {}: {}\n",
        ctx.t("荣誉", "Honours"),
        w.ledger.honours.len(),
        ctx.t("本年新增/退出", "new/exited this year"),
        flow.map_or_else(|| "—".to_string(), |f| format!("{}/{}", f.new, f.exited)),
        ctx.t("规范化自查有短板的组织", "organizations with standardization gaps"),
        w.ledger.gaps.iter().map(|g| g.with_gaps.len()).sum::<usize>()
    ));
}

pub fn run(ctx: &mut Ctx, args: ReportArgs) -> Result<()> {
    use crate::ops::export::{self as ex, Format};
    let as_of = match &args.as_of {
        Some(text) => crate::domain::validate::parse_date(text).with_context(|| format!("--as-of '{text}'"))?,
        None => ctx.clock.today(),
    };
    let format = match args.format {
        ReportFormat::Table => return run_table(ctx, &args, as_of),
        ReportFormat::Csv => Format::Csv { gbk: false },
        ReportFormat::Json => Format::Json,
        ReportFormat::Xlsx if args.output.is_none() => anyhow::bail!("xlsx 需要 -o 文件名 (xlsx needs -o FILE)"),
        ReportFormat::Xlsx => Format::Xlsx,
    };
    let cmd = ex::ReportFile {
        as_of: Some(as_of),
        format,
        lang: ctx.lang,
        part: ex::ReportPart::All,
        under: args.under.clone(),
    };
    let done = ex::report_bytes(&ctx.env(), &cmd)?;
    super::warn_left_out(ctx.lang, &done.problems);
    // CSV and XLSX layouts are a contract: what a subtree's report covers
    // goes to stderr (JSON carries it as `covers`).
    if !done.covers.is_empty() && args.format != ReportFormat::Json {
        errln!("{}", coverage(ctx, ctx.t("本报表涵盖的联合会", "This report covers"), &done.covers).trim_end());
    }
    match &args.output {
        Some(path) => {
            ex::write(&ctx.path(path), &done.bytes)?;
            if args.format == ReportFormat::Xlsx || args.under.is_some() {
                outln!("{} {}", ctx.t("已写入", "Written"), path.display());
            }
        }
        None => super::write_stdout(&done.bytes)?,
    }
    Ok(())
}

/// The report as a table on the terminal (or in a text file); `--under` a
/// subtree's, headed by the federations it covers (ops::network::report_under).
fn run_table(ctx: &mut Ctx, args: &ReportArgs, as_of: chrono::NaiveDate) -> Result<()> {
    let text = match &args.under {
        None => {
            let report = compute(ctx, as_of);
            render(ctx, &report, args.limit)
        }
        Some(under) => {
            let peers = crate::sync::Peers::load(ctx.store.dir())?;
            let scoped = crate::ops::network::report_under(ctx.store, &peers.peers, ctx.clock.now(), under, as_of)?;
            super::warn_left_out(ctx.lang, &scoped.problems);
            let covers = coverage(ctx, ctx.t("本报表涵盖的联合会", "This report covers"), &scoped.covers);
            format!("{covers}{}", render(ctx, &scoped.report, args.limit))
        }
    };
    match &args.output {
        Some(path) => {
            crate::ops::export::write(&ctx.path(path), text.as_bytes())?;
            if args.under.is_some() {
                outln!("{} {}", ctx.t("已写入", "Written"), path.display());
            }
            Ok(())
        }
        None => super::write_stdout(text.as_bytes()),
    }
}

//! `hubsync network`: the federations this node holds as a tree, with how
//! each arrives, when it last changed here, its record counts, and the
//! ones quiet for longer than `--stale-days`.

use super::table::{Cell, Format, Table};
use super::Ctx;
use crate::domain::{Lang, Vocabulary};
use crate::ops::network::{self, Arrives, FedRow, NetworkQuery};
use anyhow::Result;

#[derive(clap::Args, Debug)]
pub struct NetworkArgs {
    /// 超过几天没有收到修改即标为"久未同步" (days without changes before a federation is marked stale)
    #[arg(long, default_value_t = network::DEFAULT_STALE_DAYS)]
    pub stale_days: i64,
    /// 只列出久未同步的联合会 (list only the stale federations)
    #[arg(long)]
    pub stale: bool,
    /// 输出格式: table 随 --lang;json/csv 为稳定代码 (output format; json/csv keep stable codes)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How a row arrives, in words.
pub fn arrives_text(lang: Lang, a: &Arrives) -> String {
    match (a, lang) {
        (Arrives::Home, Lang::Zh) => "本联合会".into(),
        (Arrives::Home, Lang::En) => "ours".into(),
        (Arrives::Direct { peer }, Lang::Zh) => format!("直接 ({peer})"),
        (Arrives::Direct { peer }, Lang::En) => format!("direct ({peer})"),
        (Arrives::Via { peer }, Lang::Zh) => format!("经 {peer} 转发"),
        (Arrives::Via { peer }, Lang::En) => format!("via {peer}"),
        (Arrives::NotRecorded, Lang::Zh) => "未记录".into(),
        (Arrives::NotRecorded, Lang::En) => "not recorded".into(),
    }
}

/// The name indented by depth, with a branch mark below the root.
pub fn tree_name(row: &FedRow) -> String {
    if row.depth == 0 {
        row.name.clone()
    } else {
        format!("{}└ {}", "  ".repeat(row.depth - 1), row.name)
    }
}

pub fn run(ctx: &mut Ctx, args: NetworkArgs) -> Result<()> {
    let net = network::network(&mut ctx.env(), NetworkQuery { stale_days: args.stale_days })?;
    let rows: Vec<&FedRow> = net.federations.iter().filter(|r| !args.stale || r.stale).collect();
    if args.format == Format::Json {
        let mut out = serde_json::to_value(&net)?;
        out["federations"] = serde_json::to_value(&rows)?;
        outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let lang = ctx.lang;
    // The CSV has the keys and values of the JSON's `federations` rows (nested
    // `arrives` as JSON text); the table words them.
    let mut table = Table::new(&[
        ("id", ""),
        ("name", ctx.t("联合会", "federation")),
        ("level", ctx.t("层级", "level")),
        ("division", ctx.t("区划", "division")),
        ("depth", ""),
        ("parent", ""),
        ("arrives", ctx.t("来源", "arrives")),
        ("last_received", ctx.t("最近收到修改", "last change received")),
        ("days_quiet", ""),
        ("stale", ""),
        ("documents", ""),
        ("orgs", ctx.t("组织数", "orgs")),
        ("records", ctx.t("记录数", "records")),
        ("", ctx.t("状态", "state")),
        ("last_session", ""),
    ]);
    for r in &rows {
        let state = match (r.stale, r.days_quiet) {
            (false, _) => String::new(),
            (true, Some(d)) => format!("{} {d} {}", ctx.t("久未同步", "stale,"), ctx.t("天", "days")),
            (true, None) => ctx.t("久未同步 (从未记录)", "stale (never recorded)").into(),
        };
        let opt_text = |t: &Option<String>| t.as_ref().map_or_else(Cell::none, |t| Cell::text(t.as_str()));
        table.push(vec![
            Cell::text(r.id.as_str()),
            Cell::new(tree_name(r), r.name.as_str()),
            r.level.map_or_else(Cell::none, |l| Cell::code(l.code(), l.label(lang))),
            Cell::text(r.division.as_str()),
            Cell::int(r.depth),
            opt_text(&r.parent),
            Cell::new(arrives_text(lang, &r.arrives), serde_json::to_value(&r.arrives)?),
            Cell::new(
                r.last_received.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                serde_json::to_value(r.last_received)?,
            ),
            Cell::opt_int(r.days_quiet),
            Cell::flag(r.stale, ""),
            Cell::int(r.documents),
            Cell::int(r.orgs),
            Cell::int(r.records),
            Cell::text(state),
            opt_text(&r.last_session),
        ]);
    }
    out!("{}", table.render(args.format));
    if args.format == Format::Table {
        let stale = net.stale().count();
        outln!(
            "{} {} · {} {} {}: {stale}",
            ctx.t("截至", "as of"),
            net.as_of.format("%Y-%m-%d %H:%M"),
            ctx.t("超过", "quiet over"),
            net.stale_days,
            ctx.t("天未收到修改的联合会", "days"),
        );
    }
    Ok(())
}

//! `hubsync network`: the federations this node holds as a tree, with how
//! each arrives, when it last changed here, its record counts, and the
//! ones quiet for longer than `--stale-days`.

use super::table::{Format, Table};
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
    let machine = args.format == Format::Csv;
    let mut table = Table::new(&[
        ctx.t("联合会", "federation"),
        ctx.t("层级", "level"),
        ctx.t("区划", "division"),
        ctx.t("来源", "arrives"),
        ctx.t("最近收到修改", "last change received"),
        ctx.t("组织数", "orgs"),
        ctx.t("记录数", "records"),
        ctx.t("状态", "state"),
    ]);
    for r in &rows {
        let state = match (r.stale, r.days_quiet) {
            (false, _) => String::new(),
            (true, Some(d)) if machine => format!("stale:{d}"),
            (true, None) if machine => "stale".into(),
            (true, Some(d)) => format!("{} {d} {}", ctx.t("久未同步", "stale,"), ctx.t("天", "days")),
            (true, None) => ctx.t("久未同步 (从未记录)", "stale (never recorded)").into(),
        };
        table.push(vec![
            if machine { r.name.clone() } else { tree_name(r) },
            r.level.map(|l| if machine { l.code().to_string() } else { l.label(lang).to_string() }).unwrap_or_default(),
            r.division.clone(),
            if machine { machine_arrives(&r.arrives) } else { arrives_text(lang, &r.arrives) },
            r.last_received.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
            r.orgs.to_string(),
            r.records.to_string(),
            state,
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

fn machine_arrives(a: &Arrives) -> String {
    match a {
        Arrives::Home => "home".into(),
        Arrives::Direct { peer } => format!("direct:{peer}"),
        Arrives::Via { peer } => format!("via:{peer}"),
        Arrives::NotRecorded => "not_recorded".into(),
    }
}

//! `hubsync conflicts` and `hubsync resolve`: values two devices wrote to
//! the same field at once, in records of every kind (organizations,
//! bookings, assignments, attendance, activities, projects…), and keeping
//! one of them. `org resolve` stays as the organization's own spelling.

use super::table::{Cell, Format, Table};
use super::Ctx;
use crate::domain::{Collection, Lang};
use crate::ops::conflicts::RecordConflicts;
use anyhow::{bail, Result};

#[derive(clap::Args, Debug)]
pub struct ConflictsArgs {
    /// 输出格式: table 随 --lang;json/csv 每个冲突字段一行,稳定代码 (output format; json/csv: one row per conflicted field, stable codes)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct ResolveArgs {
    /// 记录类别代码,如 orgs、bookings、activities (kind of record, as `hubsync conflicts` prints it)
    pub kind: String,
    /// 记录编号 (record id; an organization also by its exact name)
    pub id: String,
    /// 字段代码 (field code, as `hubsync conflicts` prints it)
    pub field: String,
    /// 保留的值,须为冲突值之一 (the value to keep: one of the conflicting values)
    pub value: String,
}

/// Kinds a secretary can settle: every collection of records (not the
/// federation's meta, settings or private documents).
fn resolvable() -> impl Iterator<Item = Collection> {
    Collection::ALL.into_iter().filter(|c| !matches!(c, Collection::Meta | Collection::Settings | Collection::Private))
}

fn value_text(v: &serde_json::Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn when(time: Option<i64>, lang: Lang) -> String {
    time.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map_or_else(
        || if lang == Lang::Zh { "时间未记录".into() } else { "time not recorded".into() },
        |t| t.naive_utc().format("%Y-%m-%d %H:%M").to_string(),
    )
}

pub fn list(ctx: &mut Ctx, args: &ConflictsArgs) -> Result<()> {
    let found = crate::ops::conflicts::all(&mut ctx.env())?;
    if args.format != Format::Table {
        out!("{}", machine(&found, ctx.lang).render(args.format));
        return Ok(());
    }
    if found.is_empty() {
        outln!("{}", ctx.t("没有并发修改冲突。", "No conflicting edits."));
        return Ok(());
    }
    for r in &found {
        outln!("⚠ {} {}「{}」", r.kind.label(ctx.lang), r.id, r.title);
        for c in &r.conflicts {
            if c.field.is_empty() {
                // Automerge keeps one of two concurrent creations; the record shows it.
                outln!(
                    "  {}",
                    ctx.t(
                        "整条记录在两台设备上同时创建,显示的是其中一版;如需更正请直接修改记录",
                        "the whole record was created on two devices at once; one version is shown: edit the record to correct it"
                    )
                );
                continue;
            }
            outln!("  {}: {}", ctx.t("字段", "field"), c.field);
            for (i, v) in c.values.iter().enumerate() {
                let origin = c.origins.get(i);
                let by = origin.map_or(String::new(), |o| o.by.label(ctx.lang));
                outln!(
                    "    {}  ({} {by} · {})",
                    value_text(v),
                    ctx.t("来自", "by"),
                    when(origin.and_then(|o| o.time), ctx.lang)
                );
            }
            outln!(
                "    {} hubsync resolve {} {} {} VALUE",
                ctx.t("保留一个值:", "keep one:"),
                r.kind.code(),
                r.id,
                c.field
            );
        }
    }
    Ok(())
}

/// One row per conflicted field, for scripts.
fn machine(found: &[RecordConflicts], lang: Lang) -> Table {
    let mut t = Table::new(&[
        ("kind", if lang == Lang::Zh { "类别" } else { "kind" }),
        ("id", if lang == Lang::Zh { "编号" } else { "id" }),
        ("title", if lang == Lang::Zh { "名称" } else { "name" }),
        ("field", if lang == Lang::Zh { "字段" } else { "field" }),
        ("values", if lang == Lang::Zh { "冲突值" } else { "values" }),
        ("written_by", if lang == Lang::Zh { "写入方" } else { "written by" }),
        ("written_at", if lang == Lang::Zh { "写入时间" } else { "written at" }),
    ]);
    for r in found {
        for c in &r.conflicts {
            let values: Vec<String> = c.values.iter().map(value_text).collect();
            let by: Vec<String> = c.origins.iter().map(|o| o.by.label(lang)).collect();
            let at: Vec<String> = c.origins.iter().map(|o| when(o.time, lang)).collect();
            t.push(vec![
                Cell::code(r.kind.code(), r.kind.label(lang)),
                Cell::text(r.id.to_string()),
                Cell::text(r.title.clone()),
                Cell::text(c.field.clone()),
                Cell::list(&values, values.join(" | ")),
                Cell::list(&by, by.join(" | ")),
                Cell::list(&at, at.join(" | ")),
            ]);
        }
    }
    t
}

pub fn resolve(ctx: &mut Ctx, args: ResolveArgs) -> Result<()> {
    let Some(kind) = Collection::from_code(&args.kind).filter(|k| resolvable().any(|r| r == *k)) else {
        let kinds: Vec<&str> = resolvable().map(|c| c.code()).collect();
        bail!("未知的记录类别「{}」,可用: {} (unknown kind of record; one of these)", args.kind, kinds.join(", "));
    };
    let cmd = crate::ops::records::Resolve {
        kind,
        record: args.id.into(),
        field: args.field.clone(),
        value: serde_json::Value::String(args.value.clone()),
    };
    let done = crate::ops::records::resolve(&mut ctx.env(), cmd)?;
    outln!("{} {} = {}", ctx.t("已解决冲突", "Conflict resolved:"), done.field, value_text(&done.value));
    Ok(())
}

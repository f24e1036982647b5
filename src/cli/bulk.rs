//! `hubsync import`, `hubsync export`, `hubsync demo`.

use super::progress::with_bar;
use super::Ctx;
use crate::domain::query;
use crate::io::import::ImportOptions;
use crate::ops::{self, import::Mode, import::Outcome};
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ImportKind {
    Orgs,
    People,
    Venues,
    /// 活动台账 (activity ledger)
    Activities,
    /// 考核评价结果汇总表 (yearly evaluation summary)
    Evaluations,
    /// 项目台账 (project and funding ledger)
    Projects,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 记录类别 (kind of records)
    pub kind: ImportKind,
    /// 文件路径 (file path)
    pub file: PathBuf,
    /// 只检查,不写入 (check only; write nothing)
    #[arg(long)]
    pub dry_run: bool,
    /// 跳过有错的行,导入其余各行 (import the valid rows, list the rest)
    #[arg(long)]
    pub skip_invalid: bool,
    /// 工作簿中要读取的工作表 (sheet to read; default: the first whose header matches)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 不导入此列(列名照文件所写,可重复) (leave this data column out; repeatable)
    #[arg(long = "ignore-column", value_name = "NAME")]
    pub ignore_columns: Vec<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportKind {
    Orgs,
    People,
    Liaisons,
    Venues,
    Bookings,
    Trainings,
    Attendance,
    /// 活动台账 (activities; --org, --period, --division select)
    Activities,
    /// 工作报告 (work reports to the two committees; --org, --period, --division select)
    WorkReports,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum ExportFormat {
    Csv,
    Json,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// 记录类别 (kind of records)
    pub kind: ExportKind,
    /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// 输出文件 (default: standard output; xlsx needs a file)
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// CSV 用 GB18030 编码 (for old Excel versions)
    #[arg(long)]
    pub gbk: bool,
    /// 导出党员身份 (include Party membership: sensitive personal information)
    #[arg(long)]
    pub with_party_membership: bool,
    /// 仅组织: 行政区划代码前缀(如乡镇的9位代码)或乡镇(街道)名称 (orgs only: division code prefix, e.g. a township's 9 digits, or a township's name)
    #[arg(long)]
    pub division: Option<String>,
    /// 仅组织: 法律状态 登记|备案|培育中 (orgs only: legal status)
    #[arg(long)]
    pub legal_status: Option<String>,
    /// 仅组织: 状态 活跃|休眠|已退出 (orgs only: lifecycle)
    #[arg(long)]
    pub lifecycle: Option<String>,
    /// 仅活动/工作报告: 组织 (activities and work reports only: organization id or exact name)
    #[arg(long)]
    pub org: Option<String>,
    /// 仅活动/工作报告: 期间 2025、2025-H1、2025-Q3、2025-07 (activities and work reports only: period)
    #[arg(long)]
    pub period: Option<String>,
    /// 只导出该联合会(编号或区划代码)及其下级的记录,文件注明涵盖哪些联合会、数据截至何时
    /// (only the records of the federation of this id or division code and those below it; the file says which it covers and as of when)
    #[arg(long, value_name = "CODE")]
    pub under: Option<String>,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// 组织数量 (31000 gives province scale)
    #[arg(long, default_value_t = 1000)]
    pub orgs: usize,
    /// 随机种子 (same seed, same data)
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
    /// 演示数据的"今天" (every date is relative to it: activities cover the year before; default: today)
    #[arg(long, value_parser = parse_day)]
    pub today: Option<chrono::NaiveDate>,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::validate::parse_date(text).map_err(|e| e.0)
}

/// Prints what the check found and what was written.
fn print_import(ctx: &Ctx, done: &ops::import::Imported) -> Result<()> {
    let r = &done.report;
    errln!("{}: {}", ctx.t("文件格式", "format"), r.format);
    if !r.sheet.is_empty() {
        errln!("{}: {}", ctx.t("工作表", "sheet"), r.sheet);
    }
    if r.header_line > 1 {
        errln!("{}: {}", ctx.t("表头所在行", "header row"), r.header_line);
    }
    for c in &r.unmapped {
        errln!(
            "{} {}「{}」({} {}) — {}",
            ctx.t("错误", "error"),
            ctx.t("无对应字段的列", "column maps to no field"),
            c.header,
            ctx.t("示例", "sample"),
            c.sample,
            ctx.t("请改列名,或用 --ignore-column 明确忽略", "rename it, or pass --ignore-column to leave it out"),
        );
    }
    for w in &r.warnings {
        errln!("{} {w}", ctx.t("提示", "warning"));
    }
    for e in &r.errors {
        errln!("{} {e}", ctx.t("错误", "error"));
    }
    let (valid, invalid) = (r.valid, r.invalid_lines.len());
    outln!(
        "{}: {valid} {}, {invalid} {}",
        ctx.t("检查结果", "checked"),
        ctx.t("行有效", "valid rows"),
        ctx.t("行有错", "rows with errors")
    );
    if r.new_people > 0 {
        outln!(
            "{}: {}",
            ctx.t("不在人员名单中、将登记为志愿者的人数", "people not on record, added as volunteers"),
            r.new_people
        );
    }
    match done.outcome {
        Outcome::Checked => outln!("{}", ctx.t("试运行,未写入任何数据 (--dry-run)", "Dry run: nothing written")),
        Outcome::RefusedUnmapped => {
            let names: Vec<&str> = r.unmapped.iter().map(|c| c.header.as_str()).collect();
            bail!(
                "{}: {} (nothing was written; pass --ignore-column NAME for each column to leave out)",
                ctx.t("有数据的列无对应字段,未写入任何数据", "data columns map to no field"),
                names.join("、")
            );
        }
        Outcome::RefusedInvalid => bail!(
            "{invalid} {} (nothing was written; fix the lines above, or pass --skip-invalid to import the {valid} valid rows)",
            ctx.t("行有错,未写入任何数据", "rows have errors")
        ),
        Outcome::Written(n) => {
            outln!("{} {n}", ctx.t("已导入", "Imported"));
            if invalid > 0 {
                outln!("{} {:?}", ctx.t("已跳过的行:", "Skipped lines:"), r.invalid_lines);
            }
        }
    }
    Ok(())
}

pub fn run_import(ctx: &mut Ctx, args: ImportArgs) -> Result<()> {
    let mode = match (args.dry_run, args.skip_invalid) {
        (true, _) => Mode::DryRun,
        (false, true) => Mode::ValidRows,
        (false, false) => Mode::All,
    };
    let cmd = ops::import::Import {
        kind: match args.kind {
            ImportKind::Orgs => ops::import::Kind::Orgs,
            ImportKind::People => ops::import::Kind::People,
            ImportKind::Venues => ops::import::Kind::Venues,
            ImportKind::Activities => ops::import::Kind::Activities,
            ImportKind::Evaluations => ops::import::Kind::Evaluations,
            ImportKind::Projects => ops::import::Kind::Projects,
        },
        file: ctx.path(&args.file),
        options: ImportOptions { sheet: args.sheet, ignore_columns: args.ignore_columns },
        mode,
    };
    let done = with_bar(ctx.t("导入", "importing"), |p| ops::import::import_with_progress(&mut ctx.env(), cmd, p))?;
    print_import(ctx, &done)
}

pub fn run_export(ctx: &mut Ctx, args: ExportArgs) -> Result<()> {
    use ops::export::{self as ex, Kind};
    let selection =
        query::OrgSelection::parse(args.division.as_deref(), args.legal_status.as_deref(), args.lifecycle.as_deref())
            .map_err(anyhow::Error::msg)?;
    let per_org = matches!(args.kind, ExportKind::Activities | ExportKind::WorkReports);
    let cmd = ex::Export {
        kind: match args.kind {
            ExportKind::Orgs => Kind::Orgs,
            ExportKind::People => Kind::People,
            ExportKind::Liaisons => Kind::Liaisons,
            ExportKind::Venues => Kind::Venues,
            ExportKind::Bookings => Kind::Bookings,
            ExportKind::Trainings => Kind::Trainings,
            ExportKind::Attendance => Kind::Attendance,
            ExportKind::Activities => Kind::Activities,
            ExportKind::WorkReports => Kind::WorkReports,
        },
        format: match args.format {
            ExportFormat::Csv => ex::Format::Csv { gbk: args.gbk },
            ExportFormat::Json => ex::Format::Json,
            ExportFormat::Xlsx => ex::Format::Xlsx,
        },
        // A division narrows activities by their organization's place instead.
        selection: if per_org { query::OrgSelection { division: None, ..selection } } else { selection },
        activities: ops::activities::Selection {
            org: args.org.as_deref().map(ops::Ref::from),
            division: if per_org { args.division.clone() } else { None },
            period: args.period.clone(),
        },
        with_party_membership: args.with_party_membership,
        lang: ctx.lang,
    };
    if args.output.is_none() && args.format == ExportFormat::Xlsx {
        bail!("XLSX 需要 --output 文件 (xlsx needs --output FILE)");
    }
    if let Some(under) = &args.under {
        let done =
            with_bar(ctx.t("导出", "exporting"), |p| ex::export_under_with_progress(&mut ctx.env(), &cmd, under, p))?;
        errln!(
            "{}",
            super::report::coverage(ctx, ctx.t("本导出涵盖的联合会", "This export covers"), &done.covers).trim_end()
        );
        return emit(ctx, &args, &done.bytes, done.rows);
    }
    let done = with_bar(ctx.t("导出", "exporting"), |p| ex::export_with_progress(&mut ctx.env(), &cmd, p))?;
    emit(ctx, &args, &done.bytes, done.rows)
}

/// The exported bytes to the file asked for, or to standard output.
fn emit(ctx: &Ctx, args: &ExportArgs, bytes: &[u8], rows: usize) -> Result<()> {
    use ops::export as ex;
    match &args.output {
        Some(path) => {
            ex::write(&ctx.path(path), bytes)?;
            errln!("{} {} ({} {})", ctx.t("已导出", "Exported"), path.display(), rows, ctx.t("行", "rows"));
        }
        None => super::write_stdout(bytes)?,
    }
    Ok(())
}

pub fn run_demo(ctx: &mut Ctx, args: DemoArgs) -> Result<()> {
    if ctx.store.federation().is_some() {
        bail!("此数据目录已有联合会;演示数据请用新的目录 --data-dir (this data directory has a federation; use a new --data-dir for demo data)");
    }
    let t = std::time::Instant::now();
    let cmd = crate::ops::demo::LoadDemo { seed: args.seed, orgs: args.orgs, today: args.today };
    let d = with_bar(ctx.t("生成演示数据", "demo data"), |p| {
        crate::ops::demo::load_with_progress(&mut ctx.env(), cmd, p)
    })?;
    let fed = d.federation.clone();
    let lang = ctx.lang;
    let summary = format!(
        "{}「{fed}」: {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {} ({:.1} s)",
        lang.pick("已生成演示数据", "Demo data created for"),
        d.orgs,
        lang.pick("个组织", "organizations"),
        d.people,
        lang.pick("名人员", "people"),
        d.venues,
        lang.pick("处场地", "venues"),
        d.trainings,
        lang.pick("项培训", "trainings"),
        d.attendance,
        lang.pick("条签到", "sign-ins"),
        d.activities,
        lang.pick("次活动", "activities"),
        d.work_reports,
        lang.pick("份工作报告", "work reports"),
        t.elapsed().as_secs_f64()
    );
    outln!("{summary}");
    Ok(())
}

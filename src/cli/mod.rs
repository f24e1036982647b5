//! The headless command line: scripts, imports, exports, reports, sync.
//!
//! Output goes through `out!`, `outln!` and `errln!` (module `out`), never
//! `println!`: a running node runs these commands for clients and sends
//! their output back. Clippy enforces it.
#![deny(clippy::print_stdout, clippy::print_stderr)]

/// Standard output, or the client's when a node runs the command (`out`).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::out(format_args!($($arg)*)) };
}
/// A line on standard output, or the client's (`out`).
macro_rules! outln {
    () => { $crate::cli::out::out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::out::out(format_args!("{}\n", format_args!($($arg)*))) };
}
/// A line on standard error, or the client's (`out`).
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::out::err(format_args!("{}\n", format_args!($($arg)*))) };
}

mod activities;
mod backup;
mod bulk;
mod conflicts;
mod cultivation;
mod docs;
mod ledger;
mod network;
pub mod node;
mod org;
pub mod out;
mod peers;
mod people;
mod progress;
mod refs;
pub mod report;
mod serve;
pub mod table;
mod trainings;
mod venues;

use crate::domain::Lang;
use crate::store::Store;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "hubsync",
    version,
    about = "社区社会组织联合会的本地优先台账与点对点同步 (local-first records and peer-to-peer sync for federations of community social organizations)",
    long_about = None
)]
pub struct Cli {
    /// 数据目录 (data directory; one directory is one node)
    #[arg(long, env = "HUBSYNC_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// 界面语言 (language of messages and headers)
    #[arg(long, value_enum, global = true)]
    pub lang: Option<LangArg>,
    /// 单色界面,适合老旧终端 (monochrome theme for poor terminals)
    #[arg(long, global = true)]
    pub mono: bool,
    /// 关闭鼠标 (turn the mouse off)
    #[arg(long, global = true)]
    pub no_mouse: bool,
    /// 界面不联网: 不接受对等方、不自动同步 (UI only: accept no peers, sync nothing)
    #[arg(long)]
    pub offline: bool,
    /// 界面接受对等方连接的地址 (UI only: where the sync node accepts peers; a taken port falls back to a free one)
    #[arg(long, env = "HUBSYNC_LISTEN", default_value = "0.0.0.0:4433")]
    pub listen: String,
    /// 界面运行时每天自动备份到数据目录的 backups/,保留天数;0 为不备份 (UI only: daily backups into backups/ in the data directory, kept this many days; 0 turns them off)
    #[arg(long, env = "HUBSYNC_KEEP_BACKUPS", default_value_t = crate::ops::backup::DEFAULT_KEEP_DAYS)]
    pub keep_backups: usize,
    /// 界面不在局域网中公告本节点、不查找对等方 (UI only: no LAN discovery)
    #[arg(long, env = "HUBSYNC_NO_DISCOVERY")]
    pub no_discovery: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum Command {
    /// 创建联合会 (create this node's federation)
    Init(InitArgs),
    /// 社区社会组织 (organizations)
    #[command(subcommand)]
    Org(org::OrgCmd),
    /// 人员 (people)
    #[command(subcommand)]
    Person(people::PersonCmd),
    /// 党建工作指导员/联络员选派 (instructor and liaison assignments)
    #[command(subcommand)]
    Liaison(people::LiaisonCmd),
    /// 活动场地 (venues)
    #[command(subcommand)]
    Venue(venues::VenueCmd),
    /// 场地预约 (venue bookings)
    #[command(subcommand)]
    Booking(venues::BookingCmd),
    /// 培训 (trainings and their sessions)
    #[command(subcommand)]
    Training(trainings::TrainingCmd),
    /// 签到 (attendance)
    #[command(subcommand)]
    Attendance(trainings::AttendanceCmd),
    /// 活动、重大活动报告、志愿服务时长 (activities, major-activity reports, volunteer hours)
    #[command(subcommand)]
    Activity(activities::ActivityCmd),
    /// 向街道(乡镇)、村(社区)"两委"的工作报告及评议 (work reports and their review)
    #[command(subcommand)]
    WorkReport(activities::WorkReportCmd),
    /// 项目与资金 (projects and funding: add, advance, list)
    #[command(subcommand)]
    Project(ledger::ProjectCmd),
    /// 考核评价 (evaluation: record, checklist, weights and cut-offs)
    #[command(subcommand)]
    Eval(ledger::EvalCmd),
    /// 荣誉与品牌 (honours and brand titles)
    #[command(subcommand)]
    Honour(ledger::HonourCmd),
    /// 孵化:入壳、孵化服务、出壳 (incubation: enter, services received, leave, list)
    #[command(subcommand)]
    Incubation(cultivation::IncubationCmd),
    /// 联合会会员状态与枢纽型/平台型/品牌型标识 (federation membership and type flags: show or set)
    Member(cultivation::MemberArgs),
    /// 资金、考核与培育统计及法律状态变更 (funding, evaluation and cultivation figures; legal-status change)
    #[command(subcommand)]
    Ledger(ledger::LedgerCmd),
    /// 从 CSV 导入 (import a roster from CSV: UTF-8 or GBK, Chinese or English headers)
    Import(bulk::ImportArgs),
    /// 导出 (export: the organization export is the filing ledger 备案管理台账)
    Export(bulk::ExportArgs),
    /// 统计报表,截至某日 (the report at a date: counts, both Party coverages, liaison load, trainings, venues, density; xlsx workbook for the bureau)
    Report(report::ReportArgs),
    /// 列出各类记录中的并发修改冲突及解决命令 (every record of every kind holding values two devices wrote at once, with who wrote each and the command to settle it)
    Conflicts(conflicts::ConflictsArgs),
    /// 解决任一类记录的冲突字段,保留其中一个值 (settle a conflicted field of any kind of record, keeping one of its values)
    Resolve(conflicts::ResolveArgs),
    /// 生成演示数据 (fill an empty data directory with realistic demo data)
    Demo(bulk::DemoArgs),
    /// 本机节点编号 (this device's node id, to read aloud or send to a peer)
    Id,
    /// 对等方 (peers: add, list with sync status, remove)
    #[command(subcommand)]
    Peer(peers::PeerCmd),
    /// 把文档共享给对等方 (share a document, a collection or all with a peer)
    Share(peers::ShareArgs),
    /// 取消共享 (stop sharing)
    Unshare {
        /// 文档编号 (document id)
        doc: String,
        /// 对等方名称或节点编号 (peer name or node id)
        #[arg(long = "with")]
        peer: String,
    },
    /// 生成一次性邀请码 (a one-time invitation code for a field laptop or a peer)
    Invite(peers::InviteArgs),
    /// 联合会网络:所持各联合会的来源、最近修改与记录数,树形显示 (the network: every federation held, as a tree, how it arrives, when it last changed, record counts, stale ones)
    Network(network::NetworkArgs),
    /// 本联合会的设备与作者名单 (this federation's devices and authors list: add, revoke, list)
    #[command(subcommand)]
    Device(peers::DeviceCmd),
    /// 用邀请码加入,或用地址和电话里念的短码加入 (join with an invitation code, or an address and a short code read aloud, then sync)
    Join {
        /// 邀请码,或对方地址 HOST:PORT (the invitation code, or the inviter's address HOST:PORT)
        code: String,
        /// 短码 12345-67890 (the short code read aloud, after the address)
        short: Vec<String>,
        /// 本机在对方列表中的名称 (this laptop's name on the other side)
        #[arg(long, default_value = "培训笔记本")]
        name: String,
    },
    /// 与对等方同步一次 (sync once with the named peers, or all, and exit)
    Sync {
        /// 对等方名称,不填为全部 (peer names; all when none given)
        peers: Vec<String>,
    },
    /// 运行节点,持续同步 (run a node: accept peers and keep documents in sync)
    Serve {
        /// 监听地址 HOST:PORT (address to listen on)
        #[arg(long, default_value = "0.0.0.0:4433")]
        listen: String,
        /// 定期同步间隔秒数 (seconds between periodic syncs)
        #[arg(long, default_value_t = 30)]
        interval: u64,
        /// 每天自动备份到数据目录的 backups/,保留天数;0 为不备份 (daily backups into backups/ in the data directory, kept this many days; 0 turns them off)
        #[arg(long, env = "HUBSYNC_KEEP_BACKUPS", default_value_t = crate::ops::backup::DEFAULT_KEEP_DAYS)]
        keep_backups: usize,
        /// 不在局域网中公告本节点、不查找对等方 (no LAN discovery: do not announce this node or look for peers)
        #[arg(long, env = "HUBSYNC_NO_DISCOVERY")]
        no_discovery: bool,
    },
    /// Automerge 文档 (documents: list, export, import, repair, compact)
    #[command(subcommand)]
    Doc(docs::DocCmd),
    /// 备份整个节点到一个文件: 全部文档、签名、对等方名单与身份密钥;节点运行时经由节点 (back up the whole node to one file: every document, signatures, peers and the identity key; through the running node if one runs)
    Backup {
        /// 备份文件 (the backup file to write; owner-only, keep it safe)
        file: PathBuf,
    },
    /// 从备份文件恢复到新的数据目录,沿用原节点身份 (restore a backup into a new, empty data directory, as the same node)
    Restore {
        /// 备份文件 (the backup file)
        file: PathBuf,
        /// 新的数据目录,须不存在或为空;不填为 --data-dir (a new or empty data directory; default: --data-dir)
        dir: Option<PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// 联合会名称
    #[arg(long)]
    pub name: String,
    /// 层级: province|city|county|township|community (省/市/县/乡镇/社区)
    #[arg(long)]
    pub level: String,
    /// 行政区划代码 (GB/T 2260: 6, 9 or 12 digits)
    #[arg(long)]
    pub division: String,
    /// 上级联合会
    #[arg(long, default_value = "")]
    pub parent: String,
    /// 联系人 (contact person)
    #[arg(long, default_value = "")]
    pub contact_name: String,
    /// 联系电话 (contact phone)
    #[arg(long, default_value = "")]
    pub contact_phone: String,
}

/// What every command gets: the open store, the clock and the language.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub lang: Lang,
    pub clock: std::sync::Arc<dyn crate::ops::Clock>,
    /// The client's working directory when a running node runs the command
    /// for it (`node`); None in the command's own process.
    pub cwd: Option<PathBuf>,
}

impl Ctx<'_> {
    /// The environment an action runs in.
    pub fn env(&mut self) -> crate::ops::Env<'_> {
        crate::ops::Env::new(self.store, &*self.clock)
    }

    /// A path as the user typed it, to open: relative paths are the
    /// client's when a node runs the command. Messages keep showing the
    /// path as typed, so the output is the same either way.
    pub fn path(&self, typed: &Path) -> PathBuf {
        match &self.cwd {
            Some(cwd) if typed.is_relative() => cwd.join(typed),
            _ => typed.to_path_buf(),
        }
    }

    /// Chinese or English, by the language in force.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

/// `--lang`, else the locale, else Chinese.
pub fn resolve_lang(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Zh) => Lang::Zh,
        None => {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|v| std::env::var(v).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            if locale.starts_with("en") {
                Lang::En
            } else {
                Lang::Zh
            }
        }
    }
}

/// The data directory: `--data-dir`, `HUBSYNC_DIR`, else the platform's.
pub fn data_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(d) = arg {
        return Ok(d);
    }
    directories::ProjectDirs::from("org", "hubsync", "hubsync")
        .map(|p| p.data_dir().to_path_buf())
        .context("无法确定默认数据目录,请用 --data-dir 指定 (no default data directory; pass --data-dir)")
}

/// Opens the store and reports what opening found wrong, once, on stderr.
pub fn open_store(dir: &Path) -> Result<Store> {
    let store = Store::open(dir)?;
    for w in store.warnings() {
        errln!("警告 (warning): {w}");
    }
    Ok(store)
}

/// Set (to anything): every command opens the whole store, as before read
/// commands opened only what they read; for comparing the two.
pub const FULL_OPEN_VAR: &str = "HUBSYNC_FULL_OPEN";

/// `open_store` loading no document until the command asks (`Store::open_partial`).
pub fn open_store_partial(dir: &Path) -> Result<Store> {
    let store = Store::open_partial(dir)?;
    for w in store.warnings() {
        errln!("警告 (warning): {w}");
    }
    Ok(store)
}

/// Runs a parsed command line and returns the exit code: in a running
/// node when one holds the data directory (`node`), else here. main runs
/// the terminal UI when there is no subcommand.
pub fn main(cli: Cli) -> i32 {
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_closed_stdout(&e) => 0,
        Err(e) => {
            errln!("错误 (error): {e:#}");
            1
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    let lang = resolve_lang(cli.lang);
    let dir = data_dir(cli.data_dir)?;
    let command = cli.command.context("没有命令 (no command)")?;
    // A restore writes a new directory: no store, no node to go through.
    if let Command::Restore { file, dir: target } = command {
        backup::run_restore(lang, &file, target.unwrap_or(dir))?;
        return Ok(0);
    }
    if let Some(code) = node::forward(&dir, lang)? {
        return Ok(code);
    }
    // Commands that need no open store.
    match command {
        Command::Id | Command::Peer(_) | Command::Unshare { .. } | Command::Invite(_) => {
            execute_without_store(command, &dir, lang)?;
            return Ok(0);
        }
        _ => {}
    }
    // Read commands open only the documents they read (ops decides which).
    let read = match &command {
        _ if std::env::var_os(FULL_OPEN_VAR).is_some() => None,
        Command::Org(cmd) => org::partial_read(cmd),
        _ => None,
    };
    let opened = if read.is_some() { open_store_partial(&dir) } else { open_store(&dir) };
    let mut store = match opened {
        Ok(store) => store,
        // A node starting up holds the store a moment before it listens.
        Err(e) if is_in_use(&e) => return node::forward_when_ready(&dir, lang).map_err(|_| e),
        Err(e) => return Err(e),
    };
    if let Some(read) = &read {
        // What loading the documents found wrong, as a full open prints it before the output.
        let printed = store.warnings().len();
        crate::ops::orgs::prepare_read(&mut store, read)?;
        for w in &store.warnings()[printed..] {
            errln!("警告 (warning): {w}");
        }
    }
    match command {
        Command::Sync { peers: names } => peers::sync_now(store, &dir, lang, names)?,
        Command::Join { code, short, name } => peers::join(store, &dir, lang, &code, &short, &name)?,
        Command::Serve { listen, interval, keep_backups, no_discovery } => {
            let args =
                serve::ServeArgs { dir: &dir, lang, listen: &listen, interval, keep_backups, discovery: !no_discovery };
            serve::serve(store, args)?
        }
        other => execute(&mut store, other, lang, None)?,
    }
    Ok(0)
}

/// The store is held by another process.
fn is_in_use(e: &anyhow::Error) -> bool {
    matches!(e.downcast_ref::<crate::store::StoreError>(), Some(crate::store::StoreError::InUse(_)))
}

/// Commands that work on the node's files beside the store.
fn execute_without_store(command: Command, dir: &Path, lang: Lang) -> Result<()> {
    if !matches!(command, Command::Id) {
        crate::private_fs::create_dir(dir)?;
    }
    match command {
        Command::Id => peers::id(dir, lang),
        Command::Invite(args) => peers::invite(dir, lang, args),
        Command::Peer(cmd) => peers::peer(dir, lang, cmd),
        Command::Unshare { doc, peer } => peers::unshare(dir, lang, &doc, &peer),
        _ => unreachable!("only commands without the store come here"),
    }
}

/// Runs a command against an open store: in its own process (`cwd` None)
/// or in a running node for a client. Sync, join and serve, which need the
/// network, are the caller's.
pub(crate) fn execute(store: &mut Store, command: Command, lang: Lang, cwd: Option<PathBuf>) -> Result<()> {
    if matches!(command, Command::Id | Command::Peer(_) | Command::Unshare { .. } | Command::Invite(_)) {
        let dir = store.dir().to_path_buf();
        return execute_without_store(command, &dir, lang);
    }
    let mut ctx = Ctx { store, lang, clock: crate::clock::machine(), cwd };
    match command {
        Command::Init(args) => init(&mut ctx, args),
        Command::Org(cmd) => org::run(&mut ctx, cmd),
        Command::Person(cmd) => people::run_person(&mut ctx, cmd),
        Command::Liaison(cmd) => people::run_liaison(&mut ctx, cmd),
        Command::Project(cmd) => ledger::run_project(&mut ctx, cmd),
        Command::Eval(cmd) => ledger::run_eval(&mut ctx, cmd),
        Command::Honour(cmd) => ledger::run_honour(&mut ctx, cmd),
        Command::Ledger(cmd) => ledger::run_ledger(&mut ctx, cmd),
        Command::Incubation(cmd) => cultivation::run_incubation(&mut ctx, cmd),
        Command::Member(args) => cultivation::run_member(&mut ctx, args),
        Command::Venue(cmd) => venues::run_venue(&mut ctx, cmd),
        Command::Booking(cmd) => venues::run_booking(&mut ctx, cmd),
        Command::Training(cmd) => trainings::run_training(&mut ctx, cmd),
        Command::Attendance(cmd) => trainings::run_attendance(&mut ctx, cmd),
        Command::Activity(cmd) => activities::run(&mut ctx, cmd),
        Command::WorkReport(cmd) => activities::run_work_report(&mut ctx, cmd),
        Command::Doc(cmd) => docs::run(&mut ctx, cmd),
        Command::Import(args) => bulk::run_import(&mut ctx, args),
        Command::Export(args) => bulk::run_export(&mut ctx, args),
        Command::Report(args) => report::run(&mut ctx, args),
        Command::Network(args) => network::run(&mut ctx, args),
        Command::Conflicts(args) => conflicts::list(&mut ctx, &args),
        Command::Resolve(args) => conflicts::resolve(&mut ctx, args),
        Command::Demo(args) => bulk::run_demo(&mut ctx, args),
        Command::Backup { file } => backup::run_backup(&mut ctx, &file),
        Command::Restore { .. } => {
            anyhow::bail!("恢复不经由运行中的节点,请直接运行 hubsync restore (restore runs on its own, not in a node)")
        }
        Command::Device(cmd) => peers::device(&mut ctx, cmd),
        Command::Share(args) => peers::share(ctx.store, lang, args),
        Command::Id
        | Command::Peer(_)
        | Command::Unshare { .. }
        | Command::Invite(_)
        | Command::Join { .. }
        | Command::Sync { .. }
        | Command::Serve { .. } => {
            unreachable!("handled by the caller")
        }
    }
}

fn init(ctx: &mut Ctx, args: InitArgs) -> Result<()> {
    use crate::domain::{validate, Federation, Level, RecordId, Vocabulary};
    let fed = Federation {
        // ops gives it the self-certifying id.
        id: RecordId::random(),
        name: validate::normalize_name(&args.name),
        level: Level::parse(&args.level)?,
        division: validate::check_division(&args.division)?,
        parent: args.parent.trim().to_string(),
        contact_name: args.contact_name.trim().to_string(),
        contact_phone: if args.contact_phone.trim().is_empty() {
            String::new()
        } else {
            validate::normalize_phone(&args.contact_phone)?
        },
    };
    let done = crate::ops::records::create_federation(&mut ctx.env(), fed)?;
    print_field_warnings(&done.warnings);
    let fed = done.record;
    outln!("{}「{}」 ({})", ctx.t("已创建联合会", "Created federation"), fed.name, fed.id);
    Ok(())
}

/// Validation warnings go to stderr; they never block a save.
/// Records a read left out, one warning line each on standard error.
pub fn warn_left_out(lang: Lang, left_out: &[crate::ops::Unreadable]) {
    for u in left_out {
        errln!("{} {}", lang.pick("警告:", "warning:"), u.describe(lang));
    }
}

pub fn print_warnings(problems: &[crate::domain::Problem]) {
    for p in problems {
        errln!("提示 (warning): {p}");
    }
}

/// An action's warnings, as its outcome carries them.
pub fn print_field_warnings(warnings: &[crate::ops::FieldError]) {
    for w in warnings {
        errln!("提示 (warning): {}: {}", w.field, w.message);
    }
}
/// `hubsync report | head`: once the reader has gone, every command stops
/// quietly instead of panicking. Rust ignores SIGPIPE, so a write to a closed
/// pipe fails with BrokenPipe (Unix) or ERROR_NO_DATA (Windows, os error
/// 232), and `print!` turns that failure into a panic. This hook, installed
/// once in main, ends the process quietly for exactly that panic and leaves
/// every other panic to the default hook.
pub fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && is_broken_pipe_text(message) {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn is_broken_pipe_text(message: &str) -> bool {
    message.contains("Broken pipe") || message.contains("(os error 32)") || message.contains("(os error 232)")
}

/// Standard output was closed by its reader: not a failure of the command.
#[derive(Debug, thiserror::Error)]
#[error("standard output closed")]
pub struct ClosedStdout;

pub use out::write_stdout;

/// True when a command stopped only because standard output was closed.
pub fn is_closed_stdout(e: &anyhow::Error) -> bool {
    e.downcast_ref::<ClosedStdout>().is_some()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every flag and argument says what it is (issue 9 point 14).
    #[test]
    fn every_argument_has_help_text() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {} (about)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "hubsync", &mut missing);
        assert!(missing.is_empty(), "without help text:\n{}", missing.join("\n"));
    }
}

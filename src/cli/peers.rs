//! `hubsync id`, `peer ...`, `share`, `unshare`, `sync`, `serve`.

use super::progress::Bar;
use super::table::{Cell, Format, Table};
use crate::domain::Lang;
use crate::ops;
use crate::store::{Store, StoreHandle};
use crate::sync::{self, Grant, Identity, NodeId};
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use std::path::Path;

#[derive(Subcommand, Debug)]
pub enum PeerCmd {
    /// 添加对等方 (add a peer by its node id)
    Add {
        /// 对等方节点编号 (the peer's node id)
        node_id: String,
        /// 名称 (name)
        #[arg(long)]
        name: String,
        /// 地址 HOST:PORT (where `hubsync serve` of that peer listens)
        #[arg(long)]
        addr: Option<String>,
    },
    /// 列出对等方及同步状态 (list peers with their sync status)
    List {
        /// 输出格式: table 随 --lang;json/csv 键为字段代码、值为枚举代码,不随语言 (output format; json/csv keep stable codes)
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 在局域网中查找 hubsync 节点(mDNS):已知对等方的地址自动更新,未知节点只列出、不信任
    /// (find hubsync nodes on the LAN: known peers' addresses are updated; unknown nodes are listed, never trusted)
    Discover {
        /// 查找几秒 (seconds to listen)
        #[arg(long, default_value_t = 3)]
        seconds: u64,
    },
    /// 删除对等方,之后其连接会被拒绝 (remove a peer; its connections are refused from then on)
    Remove {
        /// 对等方名称或节点编号 (peer name or node id)
        peer: String,
        /// 同时释放其所属联合会,让下一个声明它的对等方成为所有者(该联合会换了电脑时)
        /// (also free its home federation for the next peer that claims it: the federation moved to a new computer)
        #[arg(long)]
        release_home: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum DeviceCmd {
    /// 把另一台设备加为本联合会的所有者设备 (make another device an owner of this federation)
    Add {
        /// 设备的节点编号 (the device's node id, from `hubsync id` on it)
        node_id: String,
    },
    /// 撤销设备:其之后的修改在名单所到之处都被拒绝 (revoke a device: its later changes are refused wherever the list reaches)
    Revoke {
        /// 要撤销的设备节点编号 (the node id of the device to revoke)
        node_id: String,
    },
    /// 列出作者名单 (list the authors list)
    List,
}

#[derive(Args, Debug)]
pub struct ShareArgs {
    /// 文档编号、类型(orgs, people…)或 all (a document id, a collection, or all)
    pub doc: String,
    /// 对等方名称或节点编号
    #[arg(long = "with")]
    pub peer: String,
    /// 只读:对方收到文档,其修改被拒绝 (read only: its changes are refused)
    #[arg(long, conflicts_with = "write")]
    pub read: bool,
    /// 可写 (may change the document)
    #[arg(long)]
    pub write: bool,
    /// 包括下级联合会:tree:<类型> (also every federation below ours: the grant becomes tree:<collection>)
    #[arg(long)]
    pub below: bool,
    /// 对方不得转发(仅第一跳),对本联合会该类型的所有对等方生效 (first hop only: peers do not pass this collection of ours on)
    #[arg(long)]
    pub first_hop_only: bool,
}

pub fn id(dir: &Path, lang: Lang) -> Result<()> {
    crate::private_fs::create_dir(dir)?;
    let identity = Identity::load_or_create(dir)?;
    outln!("{}", identity.node_id);
    errln!(
        "{}",
        lang.pick(
            "把此节点编号读给或发给对方,对方用 hubsync peer add 添加。",
            "Read or send this node id to the other side; they add it with `hubsync peer add`."
        )
    );
    Ok(())
}

fn grant_key(doc: &str) -> Result<String> {
    Ok(ops::peers::grant_key(doc)?)
}

pub fn peer(dir: &Path, lang: Lang, cmd: PeerCmd) -> Result<()> {
    match cmd {
        PeerCmd::Add { node_id, name, addr } => {
            let cmd = ops::peers::AddPeer { node_id: NodeId::parse(&node_id)?, name, addr };
            let done = ops::peers::add(dir, cmd)?;
            outln!("{} {} ({})", lang.pick("已添加对等方", "Added peer"), done.name, done.node_id.short());
        }
        PeerCmd::List { format } => {
            let mut table = Table::new(&[
                ("name", lang.pick("名称", "name")),
                ("node_id", lang.pick("节点编号", "node id")),
                ("addr", lang.pick("地址", "address")),
                ("grants", lang.pick("共享", "shared")),
                ("last_sync", lang.pick("上次同步", "last sync")),
                ("last_error", lang.pick("上次错误", "last error")),
                ("home", lang.pick("所属联合会(已固定)", "pinned home")),
            ]);
            let opt = |v: Option<String>| v.map_or_else(Cell::none, Cell::text);
            for p in sync::status(dir)? {
                let shown: Vec<String> = p
                    .grants
                    .iter()
                    .map(|(k, g)| format!("{k}:{}", if *g == Grant::Write { "rw" } else { "r" }))
                    .collect();
                // Scripts get {"orgs": "write", …}.
                let grants = serde_json::to_value(&p.grants)?;
                // People read the kind in their language; scripts keep the detail.
                let last_error = match (p.last_error_in(lang), p.last_error.clone()) {
                    (Some(shown), Some(detail)) => Cell::new(shown, detail),
                    _ => Cell::none(),
                };
                table.push(vec![
                    Cell::text(p.name),
                    Cell::text(p.node_id.to_string()),
                    opt(p.addr),
                    Cell::new(shown.join(" "), grants),
                    opt(p.last_sync),
                    last_error,
                    opt(p.home),
                ]);
            }
            out!("{}", table.render(format));
        }
        PeerCmd::Discover { seconds } => discover(dir, lang, seconds)?,
        PeerCmd::Remove { peer, release_home } => {
            let removed = ops::peers::remove(dir, &peer, release_home)?;
            outln!("{} {}", lang.pick("已删除对等方", "Removed peer"), removed.name);
            if let (Some(home), false) = (&removed.home, release_home) {
                outln!(
                    "{} {home}",
                    lang.pick(
                        "其所属联合会仍保留,其他对等方不能声明 (用 --release-home 释放):",
                        "Its home federation stays reserved; no other peer can claim it (free it with --release-home):"
                    )
                );
            }
        }
    }
    Ok(())
}

/// `peer discover`: listens on the LAN, updates known peers' addresses and
/// lists the others with the command that would trust one.
fn discover(dir: &Path, lang: Lang, seconds: u64) -> Result<()> {
    use crate::sync::discovery::{self, Lan};
    crate::private_fs::create_dir(dir)?;
    let own = Identity::load_or_create(dir)?.node_id;
    let mut lan = discovery::Mdns::start()?;
    std::thread::sleep(std::time::Duration::from_secs(seconds.clamp(1, 60)));
    let heard = lan.heard();
    let found = discovery::apply(dir, &heard, &own)?;
    for (name, old, new) in &found.updated {
        let old = old.clone().unwrap_or_else(|| "—".into());
        outln!("{} {name}: {old} → {new}", lang.pick("已更新地址", "Address updated"));
    }
    let mut table = Table::for_people(&[
        lang.pick("节点编号", "node id"),
        lang.pick("地址", "addresses"),
        lang.pick("对等方", "peer"),
    ]);
    let addrs = |s: &discovery::Sighting| s.addrs.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
    for (name, s) in &found.known {
        table.push(vec![s.node_id.to_string(), addrs(s), name.clone()]);
    }
    for s in &found.unknown {
        table.push(vec![s.node_id.to_string(), addrs(s), lang.pick("未知(未信任)", "unknown (not trusted)").into()]);
    }
    if found.known.is_empty() && found.unknown.is_empty() {
        outln!("{}", lang.pick("局域网中未发现 hubsync 节点", "No hubsync node found on the LAN"));
        return Ok(());
    }
    out!("{}", table.render(Format::Table));
    if !found.unknown.is_empty() {
        outln!(
            "{}",
            lang.pick("未知节点不会自动信任:核实对方身份后用 hubsync peer add <节点编号> --name … 添加,或用邀请码。",
                "Unknown nodes are never trusted by themselves: check who it is, then hubsync peer add <NODE_ID> --name …, or use an invitation."
            )
        );
    }
    Ok(())
}

/// Shares with a peer; the store holds which collections travel one hop only.
pub fn share(store: &mut Store, lang: Lang, args: ShareArgs) -> Result<()> {
    if !args.read && !args.write {
        bail!("请指定 --read 或 --write (say --read or --write)");
    }
    let mut key = grant_key(&args.doc)?;
    if args.below {
        if key.contains(':') || key.contains('/') {
            bail!("--below 只用于类型或 all (--below goes with a collection or all)");
        }
        key = format!("tree:{key}");
    }
    if args.first_hop_only {
        if key.contains('/') {
            bail!("--first-hop-only 只用于类型 (--first-hop-only marks a collection, not one document)");
        }
        let collection = key.rsplit(':').next().unwrap_or_default();
        ops::peers::mark_first_hop_only(store, collection)?;
    }
    let grant = if args.write { Grant::Write } else { Grant::Read };
    let name = ops::peers::share(store.dir(), ops::peers::Share { peer: args.peer, key: key.clone(), grant })?;
    outln!("{} {key} → {name} ({})", lang.pick("已共享", "Shared"), if args.write { "rw" } else { "r" });
    Ok(())
}

pub fn unshare(dir: &Path, lang: Lang, doc: &str, peer: &str) -> Result<()> {
    let key = grant_key(doc)?;
    let name = ops::peers::unshare(dir, peer, &key)?;
    outln!("{} {key} → {name}", lang.pick("已取消共享", "Unshared"));
    Ok(())
}

pub(super) fn print_summary(lang: Lang, s: &sync::Summary) {
    outln!(
        "{}: {} {}, {} {}, {} {}, {} {}, {} / {} bytes, {} ms",
        s.peer,
        s.synced,
        lang.pick("个文档已同步", "documents synced"),
        s.documents,
        lang.pick("个共享文档", "shared"),
        s.changes_in,
        lang.pick("项修改收到", "changes in"),
        s.changes_out,
        lang.pick("项修改发出", "changes out"),
        s.bytes_in,
        s.bytes_out,
        s.millis
    );
    for e in &s.errors {
        errln!("  {} {e}", lang.pick("错误", "error"));
    }
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

/// Syncs once with the named peers (or all with an address) and exits.
pub fn sync_now(store: Store, dir: &Path, lang: Lang, names: Vec<String>) -> Result<()> {
    let bar = Bar::new(lang.pick("同步文档", "syncing documents"));
    let env = ops::node::NodeEnv::new(StoreHandle::spawn(store), None, dir.to_path_buf())
        .with_progress(sessions_progress(&bar));
    let synced = runtime()?.block_on(ops::node::sync(&env, ops::node::SyncNow { peers: names }));
    bar.finish();
    print_sync(lang, synced?)
}

/// One bar for every peer of a round: documents done of all to sync.
pub(super) fn sessions_progress(bar: &Bar) -> Option<sync::Progress> {
    if !bar.shown() {
        return None;
    }
    let bar = bar.clone();
    let peers = std::sync::Mutex::new(std::collections::BTreeMap::<String, (usize, usize)>::new());
    Some(std::sync::Arc::new(move |peer: &str, done: usize, total: usize| {
        let mut peers = peers.lock().unwrap_or_else(|e| e.into_inner());
        peers.insert(peer.to_string(), (done, total));
        let (done, total) = peers.values().fold((0, 0), |(d, t), (pd, pt)| (d + pd, t + pt));
        bar.set(done, total);
    }))
}

/// Prints a sync round; an error when any peer did not sync cleanly.
pub(crate) fn print_sync(lang: Lang, synced: ops::node::Synced) -> Result<()> {
    let failed = synced.failed();
    for r in synced.peers {
        match r {
            Ok(s) => print_summary(lang, &s),
            Err(e) => errln!("{} {}", lang.pick("同步失败:", "sync failed:"), e.describe(lang)),
        }
    }
    if failed > 0 {
        bail!("{failed} {}", lang.pick("个对等方同步未完成", "peers did not sync cleanly"));
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct InviteArgs {
    /// 要共享的文档、类型或 all (documents, collections or all; default all)
    pub docs: Vec<String>,
    /// 此节点可被连接的地址 HOST:PORT (where this node's `serve` is reachable)
    #[arg(long)]
    pub addr: String,
    /// 只读: 对方收到文档,其修改被拒绝 (read only: its changes are refused)
    #[arg(long, conflicts_with = "write")]
    pub read: bool,
    /// 可写 (may change the documents)
    #[arg(long)]
    pub write: bool,
    /// 有效小时数 (hours the code stays valid)
    #[arg(long, default_value_t = 24)]
    pub hours: i64,
    /// 同时在终端显示二维码,供手机或另一台电脑的相机扫描 (also draw the code as a QR code in the terminal, to scan with a camera)
    #[arg(long)]
    pub qr: bool,
    /// 生成 10 位短码,可在电话中念给对方,30 分钟有效,错 3 次作废 (a 10-digit code to read aloud over the phone: 30 minutes, void after 3 wrong tries)
    #[arg(long)]
    pub short: bool,
}

pub fn invite(dir: &Path, lang: Lang, args: InviteArgs) -> Result<()> {
    use ops::peers::Codes;
    let codes = match (args.short, args.qr) {
        (false, _) => Codes::Long,
        (true, false) => Codes::Short,
        (true, true) => Codes::Both,
    };
    let cmd = ops::peers::Invite { addr: args.addr, docs: args.docs, write: args.write, hours: args.hours, codes };
    let invited = ops::peers::invite(dir, &*crate::clock::machine(), cmd)?;
    if let Some(code) = &invited.code {
        outln!("{code}");
        if args.qr {
            outln!("\n{}", sync::invite::qr_text(code)?);
        }
    }
    if let Some(short) = &invited.short {
        outln!("{short}");
        outln!("{} {}", lang.pick("地址:", "address:"), invited.addr);
        errln!(
            "{}",
            lang.pick(
                format!(
                    "在电话中把地址和短码念给对方,对方运行 hubsync join {} {short};此节点需在运行 hubsync serve。短码 {} 分钟内有效,只能用一次,错 {} 次作废。",
                    invited.addr,
                    sync::short::MINUTES,
                    sync::short::MAX_FAILURES
                ),
                format!(
                    "Read the address and the code aloud: `hubsync join {} {short}` there, while this node runs `hubsync serve`. Valid {} minutes, once; void after {} wrong tries.",
                    invited.addr,
                    sync::short::MINUTES,
                    sync::short::MAX_FAILURES
                ),
            )
        );
        return Ok(());
    }
    errln!(
        "{}",
        lang.pick("把邀请码发给对方,对方运行 hubsync join 邀请码;此节点需在运行 hubsync serve。邀请码只能用一次。",
            "Give this code to the other laptop: `hubsync join CODE` there, while this node runs `hubsync serve`. It works once."
        )
    );
    Ok(())
}

/// What `hubsync join` was given: a long code, or an address and a short
/// code (`join ADDR 12345-67890`, the digits possibly split by spaces).
pub fn join(store: Store, dir: &Path, lang: Lang, code: &str, short: &[String], name: &str) -> Result<()> {
    let bar = Bar::new(lang.pick("同步文档", "syncing documents"));
    let env = ops::node::NodeEnv::new(StoreHandle::spawn(store), None, dir.to_path_buf())
        .with_progress(sessions_progress(&bar));
    let short = (!short.is_empty()).then(|| short.concat());
    let cmd = ops::node::Join { code: code.to_string(), short, name: name.to_string() };
    let joined = runtime()?.block_on(ops::node::join(&env, cmd));
    bar.finish();
    print_join(lang, &joined?)
}

pub(crate) fn print_join(lang: Lang, joined: &ops::node::Joined) -> Result<()> {
    print_summary(lang, &joined.summary);
    if !joined.complete() {
        bail!("{}", lang.pick("加入后同步未完成", "joined, but the sync did not complete"));
    }
    Ok(())
}

pub fn device(ctx: &mut super::Ctx, cmd: DeviceCmd) -> Result<()> {
    use ops::devices::{DeviceChange, DeviceRole, SetDevice};
    let mut env = ctx.env();
    let list = match cmd {
        DeviceCmd::Add { node_id } => {
            ops::devices::set_device(&mut env, SetDevice { node_id, change: DeviceChange::Add })?
        }
        DeviceCmd::Revoke { node_id } => {
            ops::devices::set_device(&mut env, SetDevice { node_id, change: DeviceChange::Revoke })?
        }
        DeviceCmd::List => ops::devices::list(&mut env)?,
    };
    for d in list.devices {
        // Role names stay as the list spells them, in either language.
        let role = match d.role {
            DeviceRole::Founder => "founder".to_string(),
            DeviceRole::Owner => "owner".to_string(),
            DeviceRole::Writer(docs) => format!("writer {}", docs.join(",")),
        };
        let state = if d.revoked { ctx.lang.pick("已撤销", "revoked") } else { "" };
        outln!("{}  {role}  {state}", d.node);
    }
    Ok(())
}

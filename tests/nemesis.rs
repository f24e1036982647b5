//! A nemesis run across the hub network: eight `hubsync serve` processes on
//! loopback, a five-level chain (村社区 → 乡镇 → 县 → 市 → 省) with a tree
//! beside it (a second county under the city, a second city with a county
//! of its own). Every child shares `tree:orgs` read-only with its parent, so
//! rosters roll up through every hop. Every child reaches its parent through
//! a small UDP relay in this test (one per link), so one link can be cut
//! while both ends stay up. For N rounds a seeded nemesis:
//!
//! - writes an organization at a node: either through the running node (the
//!   CLI's control channel; acknowledged when the CLI exits 0), or killed
//!   first (SIGKILL), written while it is down (a field trainer offline) and
//!   started again;
//! - kills a relay at a random moment, likely mid-forward, and leaves it
//!   down for a few rounds (its children's connections fail meanwhile);
//! - restarts a relay mid-forward: a write at a child, the relay killed the
//!   moment it holds the write (before its parent has it, mostly) and
//!   started again at once;
//! - fills a node's disk for a few rounds (`HUBSYNC_FAULT_DISK_FULL`: its
//!   store's writer fails as on ENOSPC, at the change log or at sled after
//!   the log): writes there must be refused with the reason, sessions
//!   bringing changes fail, and everything flows once there is room;
//! - cuts one link mid-session (its UDP relay drops every datagram both
//!   ways for 1–40 s: a short cut is ridden out by QUIC, a long one ends
//!   the session at the read timeout) while both nodes keep running;
//! - restarts a node with its clock hours off: through the injected clock
//!   (`HUBSYNC_FAULT_CLOCK_SKEW_HOURS`, everywhere) or, where libfaketime is
//!   installed, every other time with libfaketime preloaded (every wall
//!   clock read of the process, TLS included);
//! - lets traffic flow for a while.
//!
//! Then every node runs again (disks emptied, links mended, clocks left
//! skewed) until the network is quiet, and the checks: every acknowledged
//! write is at its node and at every ancestor, no refused write is anywhere;
//! every roster is held by its node and every ancestor with the same heads,
//! and nodes holding the same document hold the same heads; nothing is held
//! where it was not allowed (no sibling's roster, no other federation's
//! people or Party members). HUBSYNC_NEMESIS_ROUNDS sets the rounds (CI:
//! 12), HUBSYNC_NEMESIS_SEED replays a run; the seed is printed either way.
#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_hubsync")
}

/// xorshift64*: a seed replays a run exactly (up to the OS's timing).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Node {
    name: &'static str,
    /// Where this node's own organizations are (a 12-digit community code).
    org_division: &'static str,
    parent: Option<usize>,
    dir: TempDir,
    port: u16,
    node_id: String,
    fed_id: String,
    serving: Option<Child>,
    /// Hours this node's clock is off (0: right), and whether libfaketime
    /// (rather than the injected clock) makes it so.
    skew_hours: i64,
    skew_by_faketime: bool,
    /// Down until this round (a killed relay).
    down_until: Option<usize>,
    /// While this file exists the node's disk is full (its content says
    /// where writes fail: `log` or `sled`).
    full_switch: PathBuf,
    full_until: Option<usize>,
    /// The link to the parent (a child's only outgoing connection).
    uplink: Option<Link>,
}

fn run(dir: &TempDir, args: &[&str]) -> Result<String, String> {
    let out = Command::new(bin()).arg("--data-dir").arg(dir.path()).args(args).output().unwrap();
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("hubsync {args:?}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// One link's UDP relay: the child talks to it as to its parent. Cut, it
/// drops every datagram both ways, as a pulled cable or a dead line would.
struct Link {
    port: u16,
    state: Arc<LinkState>,
}

#[derive(Default)]
struct LinkState {
    cut_until: Mutex<Option<Instant>>,
    forwarded: AtomicUsize,
    dropped: AtomicUsize,
    stop: AtomicBool,
}

impl LinkState {
    fn is_cut(&self) -> bool {
        self.cut_until.lock().unwrap().is_some_and(|until| Instant::now() < until)
    }
}

impl Link {
    fn to(parent_port: u16) -> Link {
        let near = UdpSocket::bind("127.0.0.1:0").unwrap();
        let far = UdpSocket::bind("127.0.0.1:0").unwrap();
        far.connect(("127.0.0.1", parent_port)).unwrap();
        for s in [&near, &far] {
            s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        }
        let port = near.local_addr().unwrap().port();
        let state = Arc::new(LinkState::default());
        let child: Arc<Mutex<Option<SocketAddr>>> = Arc::default();
        let (near_up, far_up) = (near.try_clone().unwrap(), far.try_clone().unwrap());
        let (st, from) = (state.clone(), child.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while !st.stop.load(Ordering::Relaxed) {
                let Ok((n, addr)) = near_up.recv_from(&mut buf) else { continue };
                *from.lock().unwrap() = Some(addr);
                if st.is_cut() {
                    st.dropped.fetch_add(1, Ordering::Relaxed);
                } else if far_up.send(&buf[..n]).is_ok() {
                    st.forwarded.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        let st = state.clone();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while !st.stop.load(Ordering::Relaxed) {
                // The parent's port is closed while it is down: an error here.
                let Ok(n) = far.recv(&mut buf) else { continue };
                let to = *child.lock().unwrap();
                if st.is_cut() {
                    st.dropped.fetch_add(1, Ordering::Relaxed);
                } else if let Some(to) = to {
                    if near.send_to(&buf[..n], to).is_ok() {
                        st.forwarded.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        });
        Link { port, state }
    }

    fn cut_for(&self, how_long: Duration) {
        *self.state.cut_until.lock().unwrap() = Some(Instant::now() + how_long);
    }

    fn mend(&self) {
        *self.state.cut_until.lock().unwrap() = None;
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
    }
}

fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// libfaketime, preloaded into the node itself (the `faketime` wrapper
/// forks, and a SIGKILL must reach the node, not the wrapper).
fn faketime() -> Option<String> {
    let dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"];
    dirs.iter().map(|d| format!("{d}/faketime/libfaketimeMT.so.1")).find(|p| std::path::Path::new(p).exists())
}

impl Node {
    /// A hubsync process of this node's machine: its disk, its clock.
    fn command(&self, faketime: Option<&str>) -> Command {
        let mut cmd = Command::new(bin());
        cmd.arg("--data-dir").arg(self.dir.path());
        cmd.env(hubsync::store::DISK_FULL_SWITCH_VAR, &self.full_switch);
        match (faketime, self.skew_hours) {
            (_, 0) => {}
            (Some(lib), h) if self.skew_by_faketime => {
                cmd.env("LD_PRELOAD", lib).env("FAKETIME", format!("{h:+}h"));
                // Instants (QUIC timers) keep running as they do.
                cmd.env("DONT_FAKE_MONOTONIC", "1");
            }
            (_, h) => {
                cmd.env(hubsync::clock::SKEW_VAR, h.to_string());
            }
        }
        cmd
    }

    /// A CLI command: run by the node itself when it is up (the control
    /// channel), else on the data directory, offline.
    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self.command(None).args(args).output().unwrap();
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!("hubsync {args:?} at {}: {}", self.name, String::from_utf8_lossy(&out.stderr)))
        }
    }

    fn start(&mut self, faketime: Option<&str>) {
        assert!(self.serving.is_none());
        let listen = format!("127.0.0.1:{}", self.port);
        let mut cmd = self.command(faketime);
        cmd.args(["serve", "--listen", &listen, "--interval", "1"]).stdout(Stdio::null()).stderr(Stdio::null());
        self.serving = Some(cmd.spawn().unwrap());
    }

    fn fill_disk(&mut self, at: &str, until: usize) {
        std::fs::write(&self.full_switch, at).unwrap();
        self.full_until = Some(until);
    }

    fn make_room(&mut self) {
        let _ = std::fs::remove_file(&self.full_switch);
        self.full_until = None;
    }

    /// SIGKILL, as a power cut or a crash would stop it (no clean close).
    fn kill(&mut self) {
        if let Some(mut child) = self.serving.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn is_up(&self) -> bool {
        self.serving.is_some()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What a node holds: document id -> heads (prefixes, as `doc list` shows them).
fn holdings(node: &Node) -> BTreeMap<String, String> {
    let json = run(&node.dir, &["doc", "list", "--format", "json", "--lang", "en"]).unwrap();
    let rows: Vec<BTreeMap<String, serde_json::Value>> = serde_json::from_str(&json).unwrap();
    rows.into_iter()
        .map(|r| {
            let field = |keys: &[&str]| {
                keys.iter().find_map(|k| r.get(*k)).and_then(|v| v.as_str()).unwrap_or_default().to_string()
            };
            (field(&["doc", "document", "文档"]), field(&["heads", "头"]))
        })
        .collect()
}

fn org_names(node: &Node) -> BTreeSet<String> {
    let csv = run(&node.dir, &["org", "list", "--format", "csv"]).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    // An empty list has no columns at all.
    let Some(name) = reader.headers().unwrap().iter().position(|h| h == "name") else { return BTreeSet::new() };
    reader.records().map(|r| r.unwrap()[name].to_string()).collect()
}

#[derive(Default, Debug)]
struct Faults {
    offline_writes: usize,
    writes_through_node: usize,
    /// Writes refused on a full disk (never acknowledged, must be nowhere).
    writes_refused: usize,
    relay_kills: usize,
    relay_restarts: usize,
    /// Restarts that caught the relay holding a write its parent lacked.
    relay_restarts_mid_forward: usize,
    disks_full_at_log: usize,
    disks_full_at_sled: usize,
    link_cuts: usize,
    /// Datagrams the cut links dropped (sessions and connection attempts).
    datagrams_dropped: usize,
    clock_skews_injected: usize,
    clock_skews_faketime: usize,
    pauses: usize,
}

/// Whether a node holds an organization of this name (asking the running
/// node through its control channel, or its data directory when down).
fn holds(node: &Node, name: &str) -> bool {
    node.run(&["org", "list", "--format", "csv"]).is_ok_and(|csv| csv.contains(name))
}

#[test]
fn the_hub_network_converges_under_a_nemesis() {
    let rounds: usize = std::env::var("HUBSYNC_NEMESIS_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let seed: u64 = std::env::var("HUBSYNC_NEMESIS_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("nemesis: seed {seed} ({rounds} rounds); replay with HUBSYNC_NEMESIS_SEED={seed}");
    let started = Instant::now();
    let mut rng = Rng(seed);
    let faketime = faketime();
    if faketime.is_none() {
        eprintln!("nemesis: libfaketime not installed, clocks are skewed through the injected clock only");
    }

    type Plan = (&'static str, &'static str, &'static str, &'static str, Option<usize>);
    let plan: [Plan; 8] = [
        ("四川省社区社会组织联合会", "province", "510000", "510104001001", None),
        ("成都市社区社会组织联合会", "city", "510100", "510104001001", Some(0)),
        ("自贡市社区社会组织联合会", "city", "510300", "510302001001", Some(0)),
        ("锦江区社区社会组织联合会", "county", "510104", "510104002001", Some(1)),
        ("青羊区社区社会组织联合会", "county", "510105", "510105001001", Some(1)),
        ("自流井区社区社会组织联合会", "county", "510302", "510302002001", Some(2)),
        ("春熙路街道社区社会组织联合会", "township", "510104001", "510104001003", Some(3)),
        ("龙王庙正街社区社会组织联合会", "community", "510104001002", "510104001002", Some(6)),
    ];
    let switches = TempDir::new().unwrap();
    let mut nodes: Vec<Node> = Vec::new();
    for (i, (name, level, division, org_division, parent)) in plan.into_iter().enumerate() {
        let dir = TempDir::new().unwrap();
        let parent_fed = parent.map(|p| nodes[p].fed_id.clone()).unwrap_or_default();
        let out =
            run(&dir, &["init", "--name", name, "--level", level, "--division", division, "--parent", &parent_fed])
                .unwrap();
        let fed_id = out.rsplit_once('(').and_then(|(_, id)| id.split(')').next()).unwrap().to_string();
        let node_id = run(&dir, &["id"]).unwrap().lines().next().unwrap().trim().to_string();
        let port = free_port();
        nodes.push(Node {
            name,
            org_division,
            parent,
            dir,
            port,
            node_id,
            fed_id,
            serving: None,
            skew_hours: 0,
            skew_by_faketime: false,
            down_until: None,
            full_switch: switches.path().join(format!("disk-full-{i}")),
            full_until: None,
            uplink: parent.map(|p| Link::to(nodes[p].port)),
        });
    }
    // Each child reports to its parent (through its link's relay): it knows
    // the parent's address and shares its roster and everything below it,
    // read only.
    for c in 0..nodes.len() {
        let Some(p) = nodes[c].parent else { continue };
        let addr = format!("127.0.0.1:{}", nodes[c].uplink.as_ref().unwrap().port);
        run(&nodes[c].dir, &["peer", "add", &nodes[p].node_id, "--name", "上级", "--addr", &addr]).unwrap();
        run(&nodes[c].dir, &["share", "orgs", "--with", "上级", "--read", "--below"]).unwrap();
        let child_name = format!("下级{c}");
        run(&nodes[p].dir, &["peer", "add", &nodes[c].node_id, "--name", &child_name]).unwrap();
    }
    for n in nodes.iter_mut() {
        n.start(faketime.as_deref());
    }

    let mut acknowledged: Vec<(usize, String)> = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    let mut faults = Faults::default();
    // Acknowledged, or refused on a full disk saying why and that nothing
    // was saved; any other failure fails the run.
    let write = |node: &Node, name: &str, filing: &str| -> bool {
        let add = ["org", "add", "--name", name, "--division", node.org_division, "--filing-number", filing];
        match node.run(&add) {
            Ok(_) => true,
            Err(e) if node.full_until.is_some() => {
                assert!(
                    e.contains("写入失败") && e.contains("磁盘已满"),
                    "seed {seed}: a full disk, said unclearly: {e}"
                );
                false
            }
            Err(e) => panic!("seed {seed}: a write failed: {e}"),
        }
    };
    let relays: Vec<usize> = (0..nodes.len()).filter(|&i| nodes.iter().any(|n| n.parent == Some(i))).collect();
    for round in 0..rounds {
        for n in nodes.iter_mut() {
            if n.down_until.is_some_and(|r| r <= round) {
                n.down_until = None;
                n.start(faketime.as_deref());
            }
            if n.full_until.is_some_and(|r| r <= round) {
                n.make_room();
            }
        }
        match rng.below(100) {
            0..=39 => {
                let i = rng.below(nodes.len());
                if nodes[i].down_until.is_some() {
                    continue;
                }
                // Half the writes go to the running node through its control
                // channel (acknowledged by the node), half to a node killed
                // first and written offline.
                let through_node = nodes[i].is_up() && rng.below(2) == 0;
                if !through_node {
                    nodes[i].kill();
                }
                let name = format!("第{round}轮{}的组织", nodes[i].name);
                if write(&nodes[i], &name, &format!("NM-{round}")) {
                    acknowledged.push((i, name));
                } else {
                    refused.push(name);
                    faults.writes_refused += 1;
                }
                if through_node {
                    faults.writes_through_node += 1;
                } else {
                    faults.offline_writes += 1;
                    nodes[i].start(faketime.as_deref());
                }
            }
            40..=49 => {
                let i = relays[rng.below(relays.len())];
                std::thread::sleep(Duration::from_millis(rng.below(800) as u64));
                nodes[i].kill();
                nodes[i].down_until = Some(round + 1 + rng.below(3));
                faults.relay_kills += 1;
            }
            50..=59 => {
                // A write at a child; the relay killed the moment it holds
                // it, before it has passed it up (mostly), and started again.
                let children: Vec<usize> =
                    (0..nodes.len()).filter(|&c| nodes[c].parent.is_some_and(|r| nodes[r].parent.is_some())).collect();
                let c = children[rng.below(children.len())];
                let r = nodes[c].parent.unwrap();
                if !nodes[c].is_up() || !nodes[r].is_up() {
                    continue;
                }
                let name = format!("第{round}轮经{}转发的组织", nodes[r].name);
                faults.writes_through_node += 1;
                if !write(&nodes[c], &name, &format!("NM-{round}")) {
                    refused.push(name);
                    faults.writes_refused += 1;
                    continue;
                }
                acknowledged.push((c, name.clone()));
                let wait = Instant::now() + Duration::from_secs(10);
                while !holds(&nodes[r], &name) && Instant::now() < wait {
                    std::thread::sleep(Duration::from_millis(50));
                }
                nodes[r].kill();
                let above = nodes[r].parent.unwrap();
                if nodes[above].is_up() && !holds(&nodes[above], &name) && holds(&nodes[r], &name) {
                    faults.relay_restarts_mid_forward += 1;
                }
                nodes[r].start(faketime.as_deref());
                faults.relay_restarts += 1;
            }
            60..=69 => {
                let i = rng.below(nodes.len());
                if nodes[i].full_until.is_some() {
                    continue;
                }
                let at = ["log", "sled"][rng.below(2)];
                nodes[i].fill_disk(at, round + 1 + rng.below(4));
                match at {
                    "log" => faults.disks_full_at_log += 1,
                    _ => faults.disks_full_at_sled += 1,
                }
            }
            70..=79 => {
                // One link, mid-session: wait for its next datagram, then cut.
                let c = rng.below(nodes.len() - 1) + 1;
                let how_long = Duration::from_millis(1000 + rng.below(39_000) as u64);
                let link = nodes[c].uplink.as_ref().unwrap();
                let seen = link.state.forwarded.load(Ordering::Relaxed);
                let wait = Instant::now() + Duration::from_secs(3);
                while link.state.forwarded.load(Ordering::Relaxed) == seen && Instant::now() < wait {
                    std::thread::sleep(Duration::from_millis(2));
                }
                link.cut_for(how_long);
                faults.link_cuts += 1;
            }
            80..=89 => {
                let i = rng.below(nodes.len());
                if nodes[i].down_until.is_some() {
                    continue;
                }
                nodes[i].kill();
                nodes[i].skew_hours = [-26, -9, -3, 2, 7, 30][rng.below(6)];
                nodes[i].skew_by_faketime = faketime.is_some() && rng.below(2) == 0;
                nodes[i].start(faketime.as_deref());
                match nodes[i].skew_by_faketime {
                    true => faults.clock_skews_faketime += 1,
                    false => faults.clock_skews_injected += 1,
                }
            }
            _ => {
                std::thread::sleep(Duration::from_millis(300 + rng.below(1200) as u64));
                faults.pauses += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(100 + rng.below(400) as u64));
    }

    // Heal: everyone up, disks emptied, links mended (clocks stay as they
    // are) until the network is quiet.
    for n in nodes.iter_mut() {
        n.make_room();
        if let Some(link) = &n.uplink {
            faults.datagrams_dropped += link.state.dropped.load(Ordering::Relaxed);
            link.mend();
        }
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    let parents: Vec<Option<usize>> = nodes.iter().map(|n| n.parent).collect();
    let ancestors = |mut i: usize| {
        let mut up = Vec::new();
        while let Some(p) = parents[i] {
            up.push(p);
            i = p;
        }
        up
    };
    let feds: Vec<String> = nodes.iter().map(|n| n.fed_id.clone()).collect();
    let node_names: Vec<&str> = nodes.iter().map(|n| n.name).collect();
    let owner = |fed: &str| feds.iter().position(|f| f == fed);
    // Every roster at its node and every ancestor, with the same heads.
    let rosters_unsettled = |held: &[BTreeMap<String, String>]| -> Vec<String> {
        let rosters: BTreeSet<&String> = held.iter().flat_map(|h| h.keys()).filter(|d| d.contains("/orgs/")).collect();
        rosters
            .into_iter()
            .filter_map(|doc| {
                let o = owner(doc.split('/').next().unwrap())?;
                let at: Vec<String> = std::iter::once(o)
                    .chain(ancestors(o))
                    .map(|i| format!("{}: {}", node_names[i], held[i].get(doc).map_or("(none)", |h| h.as_str())))
                    .collect();
                let heads: BTreeSet<&str> = at.iter().map(|a| a.rsplit_once(": ").unwrap().1).collect();
                (heads.len() > 1 || heads.contains("(none)")).then(|| format!("{doc}: {}", at.join(", ")))
            })
            .collect()
    };
    let (missing, unsettled, held) = loop {
        for n in nodes.iter_mut() {
            n.down_until = None;
            if !n.is_up() {
                n.start(faketime.as_deref());
            }
        }
        std::thread::sleep(Duration::from_secs(4));
        // Read from the data directories, every node stopped: one moment.
        for n in nodes.iter_mut() {
            n.kill();
        }
        let names: Vec<BTreeSet<String>> = nodes.iter().map(org_names).collect();
        let missing: Vec<String> = acknowledged
            .iter()
            .flat_map(|(i, name)| {
                std::iter::once(*i)
                    .chain(ancestors(*i))
                    .filter(|&at| !names[at].contains(name))
                    .map(|at| format!("「{name}」 missing at {}", nodes[at].name))
                    .collect::<Vec<_>>()
            })
            .collect();
        let held: Vec<BTreeMap<String, String>> = nodes.iter().map(holdings).collect();
        let unsettled = rosters_unsettled(&held);
        if (missing.is_empty() && unsettled.is_empty()) || Instant::now() > deadline {
            let came_back: Vec<String> = refused
                .iter()
                .flat_map(|name| {
                    names.iter().zip(&nodes).filter(|(n, _)| n.contains(name)).map(move |(_, at)| (name, at))
                })
                .map(|(name, at)| format!("「{name}」 (refused) held at {}", at.name))
                .collect();
            assert!(came_back.is_empty(), "seed {seed}: a write refused on a full disk came back: {came_back:#?}");
            break (missing, unsettled, held);
        }
    };
    eprintln!(
        "nemesis: seed {seed}: {rounds} rounds in {:.0} s, faults {faults:?}, {} acknowledged writes, {} refused, \
         {} missing, {} rosters unsettled",
        started.elapsed().as_secs_f64(),
        acknowledged.len(),
        refused.len(),
        missing.len(),
        unsettled.len()
    );
    assert!(missing.is_empty(), "seed {seed}: acknowledged writes lost or not rolled up: {missing:#?}");
    assert!(unsettled.is_empty(), "seed {seed}: rosters not at every ancestor with the same heads: {unsettled:#?}");

    // Same heads wherever a document is held, and nothing held unallowed.
    let descendant_or_self = |of: usize, fed: &str| {
        (0..nodes.len()).any(|d| nodes[d].fed_id == fed && (d == of || ancestors(d).contains(&of)))
    };
    let mut by_doc: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
    for (i, docs) in held.iter().enumerate() {
        for (doc, heads) in docs {
            by_doc.entry(doc).or_default().insert(heads);
            let fed = doc.split('/').next().unwrap();
            let kind = doc.split('/').nth(1).unwrap_or_default();
            let allowed = match kind {
                "orgs" | "meta" => descendant_or_self(i, fed),
                _ => fed == nodes[i].fed_id,
            };
            assert!(allowed, "seed {seed}: {} holds {doc}, which it was never allowed", nodes[i].name);
        }
    }
    let diverged: Vec<_> = by_doc.iter().filter(|(_, heads)| heads.len() > 1).collect();
    assert!(diverged.is_empty(), "seed {seed}: documents held with different heads: {diverged:#?}");
    let top = &held[0];
    assert!(
        nodes.iter().all(|n| top.keys().any(|d| d.starts_with(&n.fed_id))),
        "seed {seed}: the province holds every federation's roster: {top:#?}"
    );
}

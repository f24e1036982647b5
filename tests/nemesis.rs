//! A nemesis run across the hub network: eight `hubsync serve` processes on
//! loopback, a five-level chain (村社区 → 乡镇 → 县 → 市 → 省) with a tree
//! beside it (a second county under the city, a second city with a county
//! of its own). Every child shares `tree:orgs` read-only with its parent, so
//! rosters roll up through every hop. For N rounds a seeded nemesis:
//!
//! - writes an organization at a node: either through the running node (the
//!   CLI's control channel; acknowledged when the CLI exits 0), or killed
//!   first (SIGKILL), written while it is down (a field trainer offline) and
//!   started again;
//! - kills a relay at a random moment, likely mid-forward, and leaves it
//!   down for a few rounds (its children's connections fail meanwhile);
//! - restarts a node with its clock hours off (libfaketime preloaded, where
//!   installed);
//! - lets traffic flow for a while.
//!
//! Then every node runs again until the network is quiet, and the checks:
//! every acknowledged write is at its node and at every ancestor; nodes
//! holding the same document hold the same heads; nothing is held where it
//! was not allowed (no sibling's roster, no other federation's people or
//! Party members). HUBSYNC_NEMESIS_ROUNDS sets the rounds (CI: 12),
//! HUBSYNC_NEMESIS_SEED replays a run; the seed is printed either way.
#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
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
    /// Hours this node's clock is off (0: right).
    skew_hours: i64,
    /// Down until this round (a killed relay).
    down_until: Option<usize>,
}

fn run(dir: &TempDir, args: &[&str]) -> Result<String, String> {
    let out = Command::new(bin()).arg("--data-dir").arg(dir.path()).args(args).output().unwrap();
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("hubsync {args:?}: {}", String::from_utf8_lossy(&out.stderr)))
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
    fn start(&mut self, faketime: Option<&str>) {
        assert!(self.serving.is_none());
        let listen = format!("127.0.0.1:{}", self.port);
        let args = ["--data-dir", &self.dir.path().to_string_lossy(), "serve", "--listen", &listen, "--interval", "1"]
            .map(String::from);
        let mut cmd = Command::new(bin());
        if let (Some(lib), h) = (faketime, self.skew_hours) {
            if h != 0 {
                cmd.env("LD_PRELOAD", lib).env("FAKETIME", format!("{h:+}h"));
                // Instants (QUIC timers) keep running as they do.
                cmd.env("DONT_FAKE_MONOTONIC", "1");
            }
        }
        cmd.args(args).stdout(Stdio::null()).stderr(Stdio::null());
        self.serving = Some(cmd.spawn().unwrap());
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
    relay_kills: usize,
    clock_skews: usize,
    pauses: usize,
}

#[test]
fn the_hub_network_converges_under_a_nemesis() {
    let rounds: usize = std::env::var("HUBSYNC_NEMESIS_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let seed: u64 = std::env::var("HUBSYNC_NEMESIS_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("nemesis: seed {seed} ({rounds} rounds); replay with HUBSYNC_NEMESIS_SEED={seed}");
    let mut rng = Rng(seed);
    let faketime = faketime();
    if faketime.is_none() {
        eprintln!("nemesis: libfaketime not installed, no clock skew this run");
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
    let mut nodes: Vec<Node> = Vec::new();
    for (name, level, division, org_division, parent) in plan {
        let dir = TempDir::new().unwrap();
        let parent_fed = parent.map(|p| nodes[p].fed_id.clone()).unwrap_or_default();
        let out =
            run(&dir, &["init", "--name", name, "--level", level, "--division", division, "--parent", &parent_fed])
                .unwrap();
        let fed_id = out.rsplit_once('(').and_then(|(_, id)| id.split(')').next()).unwrap().to_string();
        let node_id = run(&dir, &["id"]).unwrap().lines().next().unwrap().trim().to_string();
        nodes.push(Node {
            name,
            org_division,
            parent,
            dir,
            port: free_port(),
            node_id,
            fed_id,
            serving: None,
            skew_hours: 0,
            down_until: None,
        });
    }
    // Each child reports to its parent: it knows the parent's address and
    // shares its roster and everything below it, read only.
    for c in 0..nodes.len() {
        let Some(p) = nodes[c].parent else { continue };
        let addr = format!("127.0.0.1:{}", nodes[p].port);
        run(&nodes[c].dir, &["peer", "add", &nodes[p].node_id, "--name", "上级", "--addr", &addr]).unwrap();
        run(&nodes[c].dir, &["share", "orgs", "--with", "上级", "--read", "--below"]).unwrap();
        let child_name = format!("下级{c}");
        run(&nodes[p].dir, &["peer", "add", &nodes[c].node_id, "--name", &child_name]).unwrap();
    }
    for n in nodes.iter_mut() {
        n.start(faketime.as_deref());
    }

    let mut acknowledged: Vec<(usize, String)> = Vec::new();
    let mut faults = Faults::default();
    let relays: Vec<usize> = (0..nodes.len()).filter(|&i| nodes.iter().any(|n| n.parent == Some(i))).collect();
    for round in 0..rounds {
        for n in nodes.iter_mut() {
            if n.down_until.is_some_and(|r| r <= round) {
                n.down_until = None;
                n.start(faketime.as_deref());
            }
        }
        match rng.below(100) {
            0..=49 => {
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
                let division = nodes[i].org_division;
                let filing = format!("NM-{round}");
                let add = ["org", "add", "--name", &name, "--division", division, "--filing-number", &filing];
                match run(&nodes[i].dir, &add) {
                    Ok(_) => acknowledged.push((i, name)),
                    Err(e) => panic!("seed {seed}: a write failed: {e}"),
                }
                if through_node {
                    faults.writes_through_node += 1;
                } else {
                    faults.offline_writes += 1;
                    nodes[i].start(faketime.as_deref());
                }
            }
            50..=69 => {
                let i = relays[rng.below(relays.len())];
                std::thread::sleep(Duration::from_millis(rng.below(800) as u64));
                nodes[i].kill();
                nodes[i].down_until = Some(round + 1 + rng.below(3));
                faults.relay_kills += 1;
            }
            70..=84 if faketime.is_some() => {
                let i = rng.below(nodes.len());
                if nodes[i].down_until.is_some() {
                    continue;
                }
                nodes[i].kill();
                nodes[i].skew_hours = [-26, -9, -3, 2, 7, 30][rng.below(6)];
                nodes[i].start(faketime.as_deref());
                faults.clock_skews += 1;
            }
            _ => {
                std::thread::sleep(Duration::from_millis(300 + rng.below(1200) as u64));
                faults.pauses += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(100 + rng.below(400) as u64));
    }

    // Heal: everyone up (clocks stay as they are) until the network is quiet.
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
    let missing = loop {
        for n in nodes.iter_mut() {
            n.down_until = None;
            if !n.is_up() {
                n.start(faketime.as_deref());
            }
        }
        std::thread::sleep(Duration::from_secs(4));
        // The CLI reads a data directory only while its node is stopped.
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
        if missing.is_empty() || Instant::now() > deadline {
            break missing;
        }
    };
    eprintln!(
        "nemesis: seed {seed}: {rounds} rounds, faults {faults:?}, {} acknowledged writes, {} missing",
        acknowledged.len(),
        missing.len()
    );
    assert!(missing.is_empty(), "seed {seed}: acknowledged writes lost or not rolled up: {missing:#?}");

    // Same heads wherever a document is held, and nothing held unallowed.
    let held: Vec<BTreeMap<String, String>> = nodes.iter().map(holdings).collect();
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

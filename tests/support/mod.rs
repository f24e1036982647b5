//! Nodes on 127.0.0.1 and a raw client speaking the wire protocol by hand,
//! shared by tests/hostile.rs and tests/faults.rs.
#![allow(dead_code)] // each test file uses a different part

use automerge::sync::{Message, State, SyncDoc};
use automerge::AutoCommit;
use hubsync::domain::*;
use hubsync::store::{Store, StoreHandle};
use hubsync::sync::limits::SessionBudget;
use hubsync::sync::transport::{self, read_frame, write_frame};
use hubsync::sync::{sync_once, Grant, Identity, Limits, Node, NodeId, Peers};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// The machine's clock, for an endpoint made without a node.
pub fn system_clock() -> transport::HandshakeClock {
    transport::handshake_clock(Arc::new(hubsync::clock::SystemClock))
}

/// `node`'s clock in the seconds invitations are made and judged in.
pub fn now(node: &Node) -> i64 {
    hubsync::sync::short::clock_seconds(&*node.clock)
}

/// A safety limit for waits in tests, never a measurement.
pub const SAFETY: Duration = Duration::from_secs(60);

pub fn limits(read_ms: u64) -> Limits {
    Limits {
        read_timeout: Duration::from_millis(read_ms),
        handshake_timeout: Duration::from_secs(10),
        ..Limits::default()
    }
}

pub struct Side {
    pub dir: TempDir,
    pub node: Arc<Node>,
    pub store: StoreHandle,
}

impl Drop for Side {
    /// Stops serving and flushes the store while its directory still
    /// exists. The store thread outlives this (the serve task holds the
    /// node for a moment); had it still data to flush once the directory is
    /// gone, the flush never completes and holds sled's process-wide lock,
    /// hanging every other store in the test binary (seen in a long run).
    fn drop(&mut self) {
        self.node.endpoint.close(0u32.into(), b"bye");
        let _ = self.store.blocking_call(|s| s.flush());
    }
}

pub fn federation(name: &str, division: &str) -> Federation {
    Federation {
        id: RecordId::random(),
        name: name.into(),
        level: validate::level_of_division(division).unwrap_or(Level::County),
        division: division.into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    }
}

/// A serving node; with a federation, a few organizations and a party
/// member (so that it has a private document).
pub fn start(fed: Option<Federation>, orgs: &[&str], limits: Limits) -> Side {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    if let Some(f) = fed {
        let division = format!("{}001001", f.division);
        store.init_federation(&f).unwrap();
        for name in orgs {
            let mut o = Organization::new(name, Category::Charity, LegalStatus::Filed, &division);
            o.filing_number = "F1".into();
            store.insert(&o).unwrap();
        }
        let mut p = Person::new("党员甲");
        p.party_member = true;
        store.insert(&p).unwrap();
    }
    serve_store(dir, StoreHandle::spawn(store), limits)
}

/// Starts a node on an existing store and serves.
pub fn serve_store(dir: TempDir, store: StoreHandle, limits: Limits) -> Side {
    let node = Arc::new(
        Node::start_with_limits(dir.path().to_path_buf(), store.clone(), "127.0.0.1:0".parse().unwrap(), limits)
            .unwrap(),
    );
    let serving = node.clone();
    tokio::spawn(async move { serving.serve().await });
    Side { dir, node, store }
}

/// `server` trusts `who` under `name` with `grant` on "*".
pub fn trust(server: &Side, who: NodeId, name: &str, grant: Option<Grant>) {
    Peers::update(&server.node.dir, |p| {
        p.add(who, name, None)?;
        if let Some(g) = grant {
            p.find_mut(name)?.grants.insert("*".into(), g);
        }
        Ok(())
    })
    .unwrap();
}

/// `client` knows `server` (as "S") and where it listens.
/// Its home is pinned as trust on first use would, so that no durable
/// write happens inside a session timed by a short test read timeout.
pub fn knows(client: &std::path::Path, server: &Side) {
    let addr = server.node.local_addr().unwrap().to_string();
    let home = server.store.blocking_call(|s| s.home_id().map(|h| h.to_string()));
    let id = server.node.identity.node_id;
    Peers::update(client, |p| {
        p.add(id, "S", Some(addr))?;
        let s = p.find_mut(&id.to_string())?;
        s.home = s.home.take().or(home);
        Ok(())
    })
    .unwrap();
}

/// The organizations that decode (a bomb's records are named elsewhere).
pub async fn orgs(n: &Side) -> Vec<Organization> {
    let mut v = n.store.call(|s| s.all_readable::<Organization>().0).await;
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// Sets the member count of the organization named `name` on `side`.
pub async fn set_members(side: &Side, name: &str, members: u32) {
    let name = name.to_string();
    side.store
        .call(move |s| {
            let mut o = s.all::<Organization>().unwrap().into_iter().find(|o| o.name == name).unwrap();
            o.members = Some(members);
            s.update(&o).map(|_| ())
        })
        .await
        .unwrap();
}

pub async fn members(side: &Side, name: &str) -> Option<u32> {
    orgs(side).await.into_iter().find(|o| o.name == name).and_then(|o| o.members)
}

pub async fn people(n: &Side) -> Vec<Person> {
    let mut v = n.store.call(|s| s.all::<Person>().unwrap()).await;
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// Heads of every document, the private one included when `private`.
pub async fn heads(n: &Side, private: bool) -> Vec<(String, Vec<String>)> {
    n.store
        .call(move |s| {
            s.doc_ids(None)
                .into_iter()
                .filter(|d| private || d.collection() != Collection::Private)
                .map(|d| (d.to_string(), s.doc_heads(&d).unwrap().iter().map(|h| h.to_string()).collect()))
                .collect()
        })
        .await
}

/// Everything stored that an attack must not change.
pub async fn snapshot(n: &Side) -> (Vec<(String, Vec<String>)>, Vec<Organization>, Vec<Person>) {
    (heads(n, true).await, orgs(n).await, people(n).await)
}

/// A fresh honest node with a read grant syncs from `server` and ends up
/// with identical shared documents and records.
pub async fn honest_sync(server: &Side) {
    let h = start(None, &[], Limits::default());
    trust(server, h.node.identity.node_id, &format!("honest-{}", h.node.identity.node_id.short()), Some(Grant::Read));
    knows(&h.node.dir, server);
    let s = sync_once(&h.node, &[]).await.unwrap().remove(0).expect("the honest peer syncs");
    assert!(s.errors.is_empty(), "{s:?}");
    assert!(s.synced > 0, "{s:?}");
    // What the server shares is its own federation's (it may hold others').
    let home = server.store.call(|s| s.home_id().unwrap().to_string()).await;
    let mut theirs = heads(server, false).await;
    theirs.retain(|(d, _)| d.starts_with(&home));
    assert_eq!(heads(&h, false).await, theirs, "identical heads");
    let mut own = orgs(server).await;
    own.retain(|o| {
        server.store.blocking_call({
            let (id, home) = (o.id.clone(), home.clone());
            move |s| s.locate(Collection::Orgs, &id).is_some_and(|d| d.federation().0 == home)
        })
    });
    assert_eq!(orgs(&h).await, own, "identical records");
}

/// A hand-made client: its own identity and endpoint, no store.
pub struct Raw {
    pub dir: TempDir,
    pub id: NodeId,
    pub endpoint: quinn::Endpoint,
}

/// A raw client that trusts `server` (else it would refuse the server's
/// certificate itself).
pub fn raw(server: &Side) -> Raw {
    let dir = TempDir::new().unwrap();
    let identity = Identity::load_or_create(dir.path()).unwrap();
    knows(dir.path(), server);
    let endpoint =
        transport::endpoint(&identity, dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap(), system_clock())
            .unwrap();
    Raw { id: identity.node_id, dir, endpoint }
}

impl Raw {
    pub async fn connect(&self, server: &Side) -> anyhow::Result<quinn::Connection> {
        Ok(self.endpoint.connect(server.node.local_addr()?, "hubsync")?.await?)
    }
}

pub async fn read(recv: &mut quinn::RecvStream) -> anyhow::Result<Vec<u8>> {
    let limits = Limits::default();
    read_frame(recv, &limits, &mut SessionBudget::new("server", &limits).stream()).await
}

/// The control exchange: Intro claiming `home`, the server's Offers, our
/// empty Offers. Returns the ids the server offered.
pub async fn control(conn: &quinn::Connection, home: Option<&str>) -> anyhow::Result<Vec<String>> {
    control_joining(conn, home, None).await
}

/// The same, presenting an invitation: `join` is (secret, name).
pub async fn control_joining(
    conn: &quinn::Connection,
    home: Option<&str>,
    join: Option<(&str, &str)>,
) -> anyhow::Result<Vec<String>> {
    let (mut send, mut recv) = conn.open_bi().await?;
    let intro = json!({"home": home, "join": join, "holds": null});
    write_frame(&mut send, &serde_json::to_vec(&intro)?).await?;
    let offers: Value = serde_json::from_slice(&read(&mut recv).await?)?;
    let ours = json!({"home": home, "docs": {"base": null, "set": {}, "removed": []}, "holds": null});
    write_frame(&mut send, &serde_json::to_vec(&ours)?).await?;
    send.finish()?;
    let set = offers["docs"]["set"].as_object().cloned().unwrap_or_default();
    Ok(set.keys().cloned().collect())
}

/// Runs the lockstep on `doc` with `local` as our copy: Ok when both sides
/// are quiet, Err with the server's text when it refuses.
pub async fn push(conn: &quinn::Connection, doc: &str, local: &mut AutoCommit) -> anyhow::Result<()> {
    let (mut send, mut recv) = conn.open_bi().await?;
    write_frame(&mut send, doc.as_bytes()).await?;
    let mut state = State::new();
    for _ in 0..50 {
        let ours = local.sync().generate_sync_message(&mut state).map(Message::encode);
        let frame = match &ours {
            Some(m) => [&[1u8][..], m].concat(),
            None => vec![0],
        };
        // A refusing server stops reading: its error frame is still there.
        let wrote = write_frame(&mut send, &frame).await;
        let reply = read(&mut recv).await;
        if let (Err(e), Ok(r)) = (&wrote, &reply) {
            if r.first() != Some(&2) {
                anyhow::bail!("{e}");
            }
        }
        let reply = reply?;
        match reply.split_first() {
            Some((0, _)) if ours.is_none() => {
                send.finish()?;
                return Ok(());
            }
            Some((0, _)) => {}
            Some((1, m)) => local.sync().receive_sync_message(&mut state, Message::decode(m)?)?,
            // A message with the signatures of its changes (u32 length, message, records).
            Some((3, rest)) if rest.len() >= 4 => {
                let n = u32::from_be_bytes(rest[..4].try_into()?) as usize;
                let m = rest.get(4..4 + n).ok_or_else(|| anyhow::anyhow!("malformed signed reply"))?;
                local.sync().receive_sync_message(&mut state, Message::decode(m)?)?
            }
            Some((2, text)) => anyhow::bail!("refused: {}", String::from_utf8_lossy(text)),
            _ => anyhow::bail!("malformed reply"),
        }
    }
    anyhow::bail!("did not settle")
}

/// Waits (bounded) until the server has closed the connection.
pub async fn closed_by_server(conn: &quinn::Connection) -> quinn::ConnectionError {
    tokio::time::timeout(SAFETY, conn.closed()).await.expect("the server closed the connection")
}

/// The failure the server recorded for a peer. It is written after the
/// session's document tasks end, which can be just after the client sees
/// the connection close: wait for it, within the safety limit.
pub async fn recorded_error(dir: &std::path::Path, peer: &str) -> String {
    tokio::time::timeout(SAFETY, async {
        loop {
            let found = hubsync::sync::status(dir).unwrap().into_iter().find(|p| p.name == peer);
            if let Some(error) = found.and_then(|p| p.last_error) {
                return error;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the server records the failure")
}

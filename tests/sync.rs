//! Nodes in one process on 127.0.0.1: sharing, refusal, convergence.

use hubsync::domain::*;
use hubsync::store::{Store, StoreHandle};
use hubsync::sync::{sync_once, Grant, Node, Peers};
use std::sync::Arc;
use tempfile::TempDir;

struct TestNode {
    _dir: TempDir,
    node: Arc<Node>,
    store: StoreHandle,
}

fn federation(name: &str, division: &str) -> Federation {
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

fn start(fed: Option<Federation>, orgs: &[&str]) -> TestNode {
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
    }
    let store = StoreHandle::spawn(store);
    let node = Arc::new(Node::start(dir.path().to_path_buf(), store.clone(), "127.0.0.1:0".parse().unwrap()).unwrap());
    let serving = node.clone();
    tokio::spawn(async move { serving.serve().await });
    TestNode { _dir: dir, node, store }
}

/// `a` trusts `b` with `grant` on everything; `b` knows `a`'s address.
fn pair(a: &TestNode, b: &TestNode, grant: Option<Grant>) {
    let mut pa = Peers::load(&a.node.dir).unwrap();
    pa.add(b.node.identity.node_id, "B", None).unwrap();
    if let Some(g) = grant {
        pa.find_mut("B").unwrap().grants.insert("*".into(), g);
    }
    pa.save(&a.node.dir).unwrap();
    let mut pb = Peers::load(&b.node.dir).unwrap();
    pb.add(a.node.identity.node_id, "A", Some(a.node.local_addr().unwrap().to_string())).unwrap();
    pb.save(&b.node.dir).unwrap();
}

/// `node`'s clock in the seconds invitations are made and judged in.
fn now(node: &Node) -> i64 {
    hubsync::sync::short::clock_seconds(&*node.clock)
}

/// An invitation of `node`'s, for 24 hours by its clock, to write everything.
fn invite_everything(node: &Node) -> String {
    let addr = node.local_addr().unwrap().to_string();
    let grants = [("*".to_string(), Grant::Write)].into();
    hubsync::sync::invite::create(&node.dir, node.identity.node_id, &addr, grants, 24, now(node)).unwrap()
}

async fn orgs(n: &TestNode) -> Vec<Organization> {
    let mut v = n.store.call(|s| s.all::<Organization>().unwrap()).await;
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

async fn heads(n: &TestNode) -> Vec<(String, Vec<String>)> {
    n.store
        .call(|s| {
            s.doc_ids(None)
                .into_iter()
                .filter(|d| d.collection() != Collection::Private)
                .map(|d| (d.to_string(), s.doc_heads(&d).unwrap().iter().map(|h| h.to_string()).collect()))
                .collect()
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_peer_receives_the_roster_but_cannot_rewrite_it() {
    let a = start(Some(federation("锦江区联合会", "510104")), &["甲组织", "乙组织"]);
    let b = start(Some(federation("成都市联合会", "510100")), &[]);
    pair(&a, &b, Some(Grant::Read));
    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert_eq!(orgs(&b).await, orgs(&a).await);
    assert_eq!(orgs(&b).await.len(), 2);

    // B edits its copy of A's roster and tries to send the change.
    let mut edited = orgs(&b).await[0].clone();
    edited.head_name = "篡改".into();
    let e = edited.clone();
    b.store.call(move |s| s.update(&e).map(|_| ())).await.unwrap();
    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(!summary.errors.is_empty(), "the change is refused");
    assert!(orgs(&a).await.iter().all(|o| o.head_name != "篡改"), "A unchanged");

    // Granted write, the same change goes through.
    let mut pa = Peers::load(&a.node.dir).unwrap();
    pa.find_mut("B").unwrap().grants.insert("*".into(), Grant::Write);
    pa.save(&a.node.dir).unwrap();
    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert!(orgs(&a).await.iter().any(|o| o.head_name == "篡改"));
    let status = hubsync::sync::status(&b.node.dir).unwrap();
    assert!(status[0].last_sync.is_some() && status[0].last_error.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_node_is_refused_at_the_handshake() {
    let a = start(Some(federation("锦江区联合会", "510104")), &["甲组织"]);
    let c = start(None, &[]);
    let mut pc = Peers::load(&c.node.dir).unwrap();
    pc.add(a.node.identity.node_id, "A", Some(a.node.local_addr().unwrap().to_string())).unwrap();
    pc.save(&c.node.dir).unwrap();
    let result = sync_once(&c.node, &[]).await.unwrap().remove(0);
    assert!(result.is_err(), "{result:?}");
    assert!(orgs(&c).await.is_empty());
    let status = hubsync::sync::status(&c.node.dir).unwrap();
    assert!(status[0].last_error.is_some(), "the failure is recorded for the UI");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_offline_edits_converge_and_reconnects_are_cheap() {
    let a = start(Some(federation("锦江区联合会", "510104")), &["甲组织"]);
    let b = start(None, &[]);
    pair(&a, &b, Some(Grant::Write));
    sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    // A field laptop joins the county federation and trusts its server.
    let fed = a.store.call(|s| s.home_id().cloned().unwrap()).await;
    b.store.call(move |s| s.set_home(&fed)).await.unwrap();
    let mut pb = Peers::load(&b.node.dir).unwrap();
    pb.find_mut("A").unwrap().grants.insert("*".into(), Grant::Write);
    pb.save(&b.node.dir).unwrap();

    // Offline edits on both sides: different fields, and one field both change.
    let mut on_a = orgs(&a).await[0].clone();
    on_a.members = Some(40);
    on_a.head_name = "甲".into();
    let mut on_b = on_a.clone();
    on_b.members = None;
    on_b.address = "人民南路".into();
    on_b.head_name = "乙".into();
    let x = on_a.clone();
    a.store.call(move |s| s.update(&x).map(|_| ())).await.unwrap();
    let y = on_b.clone();
    b.store.call(move |s| s.update(&y).map(|_| ())).await.unwrap();
    let mut p = Person::new("新志愿者");
    p.phone = "13800001111".into();
    b.store.call(move |s| s.insert(&p).map(|_| ())).await.unwrap();

    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert_eq!(heads(&a).await, heads(&b).await, "identical heads");
    assert_eq!(orgs(&a).await, orgs(&b).await, "identical records");
    let merged = &orgs(&a).await[0];
    assert_eq!(merged.address, "人民南路");
    let id = merged.id.clone();
    let conflicts = a.store.call(move |s| s.conflicts::<Organization>(&id).unwrap()).await;
    assert!(conflicts.iter().any(|c| c.field == "head_name" && c.values.len() == 2), "{conflicts:?}");
    assert_eq!(a.store.call(|s| s.all::<Person>().unwrap().len()).await, 1);

    // Nothing changed: only the offers cross, no document is synced.
    let again = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert_eq!(again.synced, 0, "{again:?}");
    assert!(again.bytes_in + again.bytes_out < 20_000, "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_laptop_joins_with_an_invitation_and_brings_attendance_back() {
    let county = start(Some(federation("锦江区联合会", "510104")), &["甲组织"]);
    let laptop = start(None, &[]);
    let addr = county.node.local_addr().unwrap().to_string();
    let code = invite_everything(&county.node);

    // A stranger without the code is refused even while the invitation is open.
    let stranger = start(None, &[]);
    let mut ps = Peers::load(&stranger.node.dir).unwrap();
    ps.add(county.node.identity.node_id, "A", Some(addr.clone())).unwrap();
    ps.save(&stranger.node.dir).unwrap();
    let refused = sync_once(&stranger.node, &[]).await.unwrap().remove(0);
    assert!(refused.is_err() || !refused.unwrap().errors.is_empty());
    assert!(orgs(&stranger).await.is_empty());

    let summary = laptop.node.join(&code, "培训笔记本").await.unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert_eq!(orgs(&laptop).await, orgs(&county).await);
    let home = laptop.store.call(|s| s.federation().map(|f| f.name)).await;
    assert_eq!(home.as_deref(), Some("锦江区联合会"), "the laptop works on the county's federation");
    assert!(Peers::load(&county.node.dir).unwrap().find("培训笔记本").is_ok(), "the county knows the laptop now");
    assert!(
        laptop.node.join(&code, "again").await.is_err()
            || !Peers::load(&county.node.dir).unwrap().peers.iter().any(|p| p.name == "again"),
        "single use"
    );

    // Offline at the workshop: a person and a sign-in, then back home.
    let p = Person::new("参训人员");
    let pid = p.id.clone();
    laptop.store.call(move |s| s.insert(&p).map(|_| ())).await.unwrap();
    let session = RecordId::from("s1");
    let a = Attendance {
        id: RecordId::attendance(&session, &pid),
        training: RecordId::from("t1"),
        session,
        person: pid,
        organization: None,
        status: AttendanceStatus::Attended,
        signed_in: None,
        hours: 3.0,
    };
    laptop.store.call(move |s| s.insert(&a).map(|_| ())).await.unwrap();
    let summary = sync_once(&laptop.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert_eq!(county.store.call(|s| s.all::<Attendance>().unwrap().len()).await, 1);
    // The summary counts what went each way: two changes out (the person,
    // the sign-in), nothing new in.
    assert_eq!((summary.changes_out, summary.changes_in), (2, 0), "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_mid_sync_recovers_on_the_next_sync() {
    let d = hubsync::domain::demo::DemoData::generate(5, 3000);
    let dir = TempDir::new().unwrap();
    {
        let mut s = Store::open(dir.path()).unwrap();
        s.set_durability(hubsync::store::Durability::Deferred);
        s.init_federation(&d.federation).unwrap();
        s.insert_many(&d.orgs).unwrap();
        s.insert_many(&d.people).unwrap();
        s.flush().unwrap();
    }
    let store = StoreHandle::spawn(Store::open(dir.path()).unwrap());
    let node = Arc::new(Node::start(dir.path().to_path_buf(), store.clone(), "127.0.0.1:0".parse().unwrap()).unwrap());
    let serving = node.clone();
    tokio::spawn(async move { serving.serve().await });
    let a = TestNode { _dir: dir, node, store };
    let mut b = start(None, &[]);
    pair(&a, &b, Some(Grant::Write));

    // Cut the session after a few milliseconds, several times, at different
    // points. Closing the endpoint ends every stream of the connection
    // (aborting the task would leave its spawned document tasks running).
    let mut interrupted = 0;
    for cut_ms in [2u64, 5, 15, 40] {
        let node = b.node.clone();
        let task = tokio::spawn(async move { sync_once(&node, &[]).await });
        tokio::time::sleep(std::time::Duration::from_millis(cut_ms)).await;
        b.node.endpoint.close(0u32.into(), b"cut");
        let result = task.await.unwrap().unwrap().remove(0);
        interrupted += usize::from(result.map(|s| !s.errors.is_empty()).unwrap_or(true));
        let dir = b.node.dir.clone();
        b.node = Arc::new(Node::start(dir, b.store.clone(), "127.0.0.1:0".parse().unwrap()).unwrap());
    }
    assert!(interrupted > 0, "at least one cut landed mid-sync");
    // Whatever arrived is stored whole; the next sync completes and converges.
    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert_eq!(orgs(&b).await.len(), 3000);
    assert_eq!(heads(&a).await, heads(&b).await);
}

/// The sync and join actions (ops::node) as the CLI runs them without a
/// node (one is started for the action) and as a running node runs them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_join_and_serve_run_as_actions_with_or_without_a_running_node() {
    use hubsync::ops::{node::*, OpError};
    let county = start(Some(federation("锦江区联合会", "510104")), &["甲组织"]);
    let laptop = start(None, &[]);
    // What a terminal's bar is told: (peer, documents done, documents to sync).
    let told = Arc::new(std::sync::Mutex::new(Vec::<(String, usize, usize)>::new()));
    let tell = told.clone();
    let progress: hubsync::sync::Progress =
        Arc::new(move |peer: &str, done, total| tell.lock().unwrap().push((peer.to_string(), done, total)));
    let env = NodeEnv::new(laptop.store.clone(), None, laptop.node.dir.clone()).with_progress(Some(progress));
    assert!(matches!(sync(&env, SyncNow::default()).await, Err(OpError::NoPeers)), "no peer: a typed error");
    let nameless = join(&env, Join { code: "x".into(), short: None, name: "  ".into() }).await.unwrap_err();
    assert_eq!(nameless.fields(), ["name"]);

    let code = invite_everything(&county.node);
    let joined = join(&env, Join { code, short: None, name: "培训笔记本".into() }).await.unwrap();
    assert!(joined.complete(), "{:?}", joined.summary);
    assert_eq!(orgs(&laptop).await, orgs(&county).await);
    let told = std::mem::take(&mut *told.lock().unwrap());
    let total = joined.summary.synced;
    assert!(total > 1, "{:?}", joined.summary);
    assert_eq!(told.first(), Some(&("邀请方".to_string(), 0, total)), "{told:?}");
    assert_eq!(told.last(), Some(&("邀请方".to_string(), total, total)), "{told:?}");
    assert!(told.windows(2).all(|w| w[0].1 < w[1].1), "one step per document: {told:?}");

    let named = sync(&env, SyncNow { peers: vec!["邀请方".into()] }).await.unwrap();
    assert_eq!((named.peers.len(), named.failed()), (1, 0), "{named:?}");
    assert!(sync(&env, SyncNow { peers: vec!["无此对等方".into()] }).await.is_err());

    let bad = Serve { listen: "nowhere".into(), interval: None, discovery: false, fallback_port: false };
    assert_eq!(
        serve(&env, bad).err().map(|e| e.fields().iter().map(|f| f.to_string()).collect::<Vec<_>>()),
        Some(vec!["listen".to_string()])
    );
    let cmd = Serve { listen: "127.0.0.1:0".into(), interval: None, discovery: false, fallback_port: false };
    let serving = serve(&env, cmd).unwrap();
    assert_eq!(serving.node_id, laptop.node.identity.node_id, "the node keeps its identity");
    let running = NodeEnv { daemon: Some(serving.daemon.clone()), ..env };
    let round = sync(&running, SyncNow::default()).await.unwrap();
    assert_eq!((round.peers.len(), round.failed()), (1, 0), "{round:?}");
    serving.daemon.node.endpoint.close(0u32.into(), b"done");
}

/// The inviter's clock, set by the test.
struct SetClock(std::sync::Mutex<chrono::NaiveDateTime>);

impl hubsync::clock::Clock for SetClock {
    fn now(&self) -> chrono::NaiveDateTime {
        *self.0.lock().unwrap()
    }
}

/// A long code made on 1 March 2031 (years from the machine's date, so the
/// machine's clock would judge it otherwise) for 24 hours joins 23 hours
/// later and is refused 25 hours later, by the inviter's clock alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_codes_expiry_is_judged_by_the_inviters_injected_clock() {
    use hubsync::clock::{Clock, FixedClock};
    use hubsync::ops::peers::{invite, Codes, Invite};
    let made = FixedClock::on(2031, 3, 1).now();
    let clock = Arc::new(SetClock(std::sync::Mutex::new(made)));
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation("锦江区联合会", "510104")).unwrap();
    let store = StoreHandle::spawn(store);
    let node = Node::start(dir.path().to_path_buf(), store.clone(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let node = Arc::new(node.with_clock(clock.clone()));
    let serving = node.clone();
    tokio::spawn(async move { serving.serve().await });
    let county = TestNode { _dir: dir, node, store };
    let addr = county.node.local_addr().unwrap().to_string();
    let code_at = |at: chrono::NaiveDateTime| {
        *clock.0.lock().unwrap() = at;
        let cmd = Invite { addr: addr.clone(), docs: Vec::new(), write: true, hours: 24, codes: Codes::Long };
        invite(&county.node.dir, &*clock, cmd).unwrap().code.unwrap()
    };
    let joined = |name: &str| Peers::load(&county.node.dir).unwrap().find(name).is_ok();

    let late = code_at(made);
    *clock.0.lock().unwrap() = made + chrono::Duration::hours(25);
    let laptop = start(None, &[]);
    let refused = laptop.node.join(&late, "迟到的笔记本").await;
    assert!(refused.as_ref().map_or(true, |s| !s.errors.is_empty()), "{refused:?}");
    assert!(!joined("迟到的笔记本"), "an expired code joins nothing");

    let code = code_at(made);
    *clock.0.lock().unwrap() = made + chrono::Duration::hours(23);
    let laptop = start(None, &[]);
    let summary = laptop.node.join(&code, "培训笔记本").await.unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert!(joined("培训笔记本"), "still open 23 hours after it was made");
}

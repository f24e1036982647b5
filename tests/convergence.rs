//! Property: replicas applying random operations, syncing in random pairs
//! and restarting at random, end with identical heads and identical records,
//! and nothing acknowledged is lost.
//!
//! "Nothing lost" is checked against a causal model: every acknowledged
//! write of a tracked field is recorded with the writes its replica had seen
//! (syncs merge what two replicas have seen). At the end each field must
//! hold the value of a causally latest write, one no other write had seen,
//! and exactly that value when there is only one: a later edit always wins,
//! concurrent edits keep one deterministic winner, nothing reverts.
//!
//! HUBSYNC_PROPTEST_CASES sets the case count (CI: a modest default).

use chrono::NaiveDate;
use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use tempfile::TempDir;

#[derive(Debug, Clone)]
enum Op {
    AddOrg(u8),
    EditOrg(u8, u32),
    ExitOrg(u8),
    AddPerson(u8),
    EditPerson(u8, u16),
    Assign(u8, u8),
    Book(u8, u8),
    Cancel(u8),
    SignIn(u8),
    Sync(u8),
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<u8>().prop_map(Op::AddOrg),
        3 => (any::<u8>(), 1..500u32).prop_map(|(a, b)| Op::EditOrg(a, b)),
        1 => any::<u8>().prop_map(Op::ExitOrg),
        2 => any::<u8>().prop_map(Op::AddPerson),
        2 => (any::<u8>(), any::<u16>()).prop_map(|(a, b)| Op::EditPerson(a, b)),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Assign(a, b)),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Book(a, b)),
        1 => any::<u8>().prop_map(Op::Cancel),
        1 => any::<u8>().prop_map(Op::SignIn),
        3 => any::<u8>().prop_map(Op::Sync),
        1 => Just(Op::Restart),
    ]
}

const FED: &str = "fed000000000000a";

/// One acknowledged write of one field, and the writes its replica had seen.
struct Write {
    key: (String, &'static str),
    value: String,
    seen: BTreeSet<usize>,
}

/// The causal model: writes so far and what each replica has seen of them.
struct Model {
    writes: Vec<Write>,
    seen: Vec<BTreeSet<usize>>,
}

impl Model {
    fn write(&mut self, replica: usize, id: &RecordId, field: &'static str, value: String) {
        let seq = self.writes.len();
        self.writes.push(Write { key: (id.to_string(), field), value, seen: self.seen[replica].clone() });
        self.seen[replica].insert(seq);
    }

    fn synced(&mut self, a: usize, b: usize) {
        let union: BTreeSet<usize> = self.seen[a].union(&self.seen[b]).copied().collect();
        self.seen[a] = union.clone();
        self.seen[b] = union;
    }

    /// Values a field may hold at the end: those of its causally latest writes.
    fn allowed(&self) -> BTreeMap<(String, &'static str), BTreeSet<String>> {
        let mut out: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
        for (seq, w) in self.writes.iter().enumerate() {
            let superseded = self.writes.iter().any(|o| o.key == w.key && o.seen.contains(&seq));
            if !superseded {
                out.entry(w.key.clone()).or_default().insert(w.value.clone());
            }
        }
        out
    }
}

fn org_fields(o: &Organization) -> [(&'static str, String); 3] {
    [
        ("members", format!("{:?}", o.members)),
        ("head_name", o.head_name.clone()),
        ("lifecycle", format!("{:?}", o.lifecycle)),
    ]
}

struct Replica {
    dir: TempDir,
    store: Option<Store>,
    name: String,
}

impl Replica {
    fn s(&mut self) -> &mut Store {
        self.store.as_mut().expect("open")
    }
}

fn sync_pair(a: &mut Replica, b: &mut Replica) {
    let docs: BTreeSet<DocId> = a.s().doc_ids(None).into_iter().chain(b.s().doc_ids(None)).collect();
    let (an, bn) = (a.name.clone(), b.name.clone());
    for doc in docs {
        for _ in 0..50 {
            let mut quiet = true;
            a.s().ensure_doc(&doc).unwrap();
            b.s().ensure_doc(&doc).unwrap();
            if let Some(m) = a.s().sync_generate(&bn, &doc).unwrap() {
                b.s().sync_receive(&an, &doc, &m, true).unwrap();
                quiet = false;
            }
            if let Some(m) = b.s().sync_generate(&an, &doc).unwrap() {
                a.s().sync_receive(&bn, &doc, &m, true).unwrap();
                quiet = false;
            }
            if quiet {
                break;
            }
        }
    }
}

fn run(ops: Vec<(u8, Op)>, replicas: usize) {
    let fed = Federation {
        id: RecordId::from(FED),
        name: "测试联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    };
    let mut rs: Vec<Replica> = (0..replicas)
        .map(|i| {
            let dir = TempDir::new().unwrap();
            let store = Store::open(dir.path()).unwrap();
            Replica { dir, store: Some(store), name: format!("r{i}") }
        })
        .collect();
    rs[0].s().init_federation(&fed).unwrap();
    for i in 1..replicas {
        let (a, b) = rs.split_at_mut(i);
        sync_pair(&mut a[0], &mut b[0]);
        b[0].s().set_home(&fed.id).unwrap();
    }
    // What each replica acknowledged: ids created, and every field write.
    let mut created: BTreeSet<RecordId> = BTreeSet::new();
    let mut model = Model { writes: Vec::new(), seen: vec![BTreeSet::new(); replicas] };
    let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    for (who, op) in ops {
        let i = who as usize % replicas;
        let r = &mut rs[i];
        let orgs: Vec<Organization> = r.s().all().unwrap();
        let people: Vec<Person> = r.s().all().unwrap();
        match op {
            Op::AddOrg(n) => {
                let mut o = Organization::new(
                    &format!("{}号组织{n}", r.name),
                    Category::Charity,
                    LegalStatus::Filed,
                    "510104001001",
                );
                o.filing_number = format!("F{n}");
                // A second organization of the same name is refused; only
                // what was acknowledged counts.
                if r.s().insert(&o).is_ok() {
                    for (field, value) in org_fields(&o) {
                        model.write(i, &o.id, field, value);
                    }
                    created.insert(o.id);
                }
            }
            Op::EditOrg(k, v) if !orgs.is_empty() => {
                let mut o = orgs[k as usize % orgs.len()].clone();
                o.members = Some(v);
                o.head_name = format!("{}改{v}", r.name);
                r.s().update(&o).unwrap();
                model.write(i, &o.id, "members", format!("{:?}", o.members));
                model.write(i, &o.id, "head_name", o.head_name.clone());
            }
            Op::ExitOrg(k) if !orgs.is_empty() => {
                let o = &orgs[k as usize % orgs.len()];
                let exited = r.s().exit_org(&o.id, day, "测试退出").unwrap();
                model.write(i, &o.id, "lifecycle", format!("{:?}", exited.lifecycle));
            }
            Op::AddPerson(n) => {
                let p = Person::new(&format!("{}人{n}", r.name));
                r.s().insert(&p).unwrap();
                model.write(i, &p.id, "notes", String::new());
                created.insert(p.id);
            }
            Op::EditPerson(k, v) if !people.is_empty() => {
                let mut p = people[k as usize % people.len()].clone();
                p.notes = format!("{}备注{v}", r.name);
                r.s().update(&p).unwrap();
                model.write(i, &p.id, "notes", p.notes.clone());
            }
            Op::Assign(a, b) if !orgs.is_empty() && !people.is_empty() => {
                let l = LiaisonAssignment {
                    id: RecordId::random(),
                    person: people[a as usize % people.len()].id.clone(),
                    organization: orgs[b as usize % orgs.len()].id.clone(),
                    role: AssignmentRole::Liaison,
                    dispatched_by: String::new(),
                    from: day,
                    to: None,
                    end_reason: String::new(),
                };
                r.s().insert(&l).unwrap();
                created.insert(l.id);
            }
            Op::Book(h, v) => {
                let b = Booking {
                    id: RecordId::random(),
                    venue: RecordId(format!("venue{}", v % 2)),
                    organization: None,
                    date: day,
                    start: format!("{:02}:00", 8 + h % 8),
                    end: format!("{:02}:00", 10 + h % 8),
                    purpose: String::new(),
                    expected: None,
                    status: BookingStatus::Confirmed,
                };
                r.s().insert(&b).unwrap();
                model.write(i, &b.id, "status", format!("{:?}", b.status));
                created.insert(b.id);
            }
            Op::Cancel(k) => {
                let bookings: Vec<Booking> = r.s().all().unwrap();
                if !bookings.is_empty() {
                    let mut b = bookings[k as usize % bookings.len()].clone();
                    b.status = BookingStatus::Cancelled;
                    r.s().update(&b).unwrap();
                    model.write(i, &b.id, "status", format!("{:?}", b.status));
                }
            }
            Op::SignIn(k) if !people.is_empty() => {
                let p = &people[k as usize % people.len()];
                let session = RecordId::from("session0");
                let a = Attendance {
                    id: RecordId::attendance(&session, &p.id),
                    training: RecordId::from("training0"),
                    session,
                    person: p.id.clone(),
                    organization: None,
                    status: AttendanceStatus::Attended,
                    signed_in: None,
                    hours: 2.0,
                };
                // Two replicas may sign the same person in: one record.
                if r.s().get::<Attendance>(&a.id).unwrap().is_some() {
                    r.s().update(&a).unwrap();
                } else {
                    r.s().insert(&a).unwrap();
                }
                created.insert(a.id);
            }
            Op::Sync(other) => {
                let j = other as usize % replicas;
                if i != j {
                    let (lo, hi) = (i.min(j), i.max(j));
                    let (a, b) = rs.split_at_mut(hi);
                    sync_pair(&mut a[lo], &mut b[0]);
                    model.synced(lo, hi);
                }
            }
            Op::Restart => {
                r.store = None;
                r.store = Some(Store::open(r.dir.path()).unwrap());
            }
            _ => {}
        }
    }
    // Full rounds until everyone has everything.
    for _ in 0..2 {
        for i in 0..replicas {
            for j in i + 1..replicas {
                let (a, b) = rs.split_at_mut(j);
                sync_pair(&mut a[i], &mut b[0]);
            }
        }
    }
    let view = |r: &mut Replica| {
        let heads: BTreeMap<String, Vec<String>> = r
            .s()
            .doc_ids(None)
            .into_iter()
            .map(|d| (d.to_string(), r.s().doc_heads(&d).unwrap().iter().map(|h| h.to_string()).collect()))
            .collect();
        let mut ids: Vec<String> = Vec::new();
        let orgs: Vec<Organization> = r.s().all().unwrap();
        ids.extend(orgs.iter().map(|o| format!("{}:{}:{:?}:{:?}", o.id, o.head_name, o.members, o.lifecycle)));
        ids.extend(r.s().all::<Person>().unwrap().iter().map(|p| p.id.to_string()));
        ids.extend(r.s().all::<LiaisonAssignment>().unwrap().iter().map(|p| p.id.to_string()));
        ids.extend(r.s().all::<Booking>().unwrap().iter().map(|b| format!("{}:{:?}", b.id, b.status)));
        ids.extend(r.s().all::<Attendance>().unwrap().iter().map(|a| a.id.to_string()));
        ids.sort();
        (heads, ids)
    };
    let first = view(&mut rs[0]);
    for r in rs.iter_mut().skip(1) {
        assert_eq!(view(r), first, "replica {} differs", r.name);
    }
    let present: BTreeSet<String> = first.1.iter().map(|s| s.split(':').next().unwrap().to_string()).collect();
    for id in created {
        assert!(present.contains(id.as_str()), "acknowledged record {id} lost");
    }
    let store = rs[0].s();
    let mut actual: BTreeMap<(String, &'static str), String> = BTreeMap::new();
    for o in store.all::<Organization>().unwrap() {
        for (field, value) in org_fields(&o) {
            actual.insert((o.id.to_string(), field), value);
        }
    }
    for p in store.all::<Person>().unwrap() {
        actual.insert((p.id.to_string(), "notes"), p.notes);
    }
    for b in store.all::<Booking>().unwrap() {
        actual.insert((b.id.to_string(), "status"), format!("{:?}", b.status));
    }
    for (key, allowed) in model.allowed() {
        let value = actual.get(&key).unwrap_or_else(|| panic!("acknowledged field {key:?} missing"));
        assert!(allowed.contains(value), "{key:?} holds {value:?}; the causally latest writes were {allowed:?}");
    }
}

fn cases() -> u32 {
    std::env::var("HUBSYNC_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]
    #[test]
    fn replicas_converge_and_lose_nothing(replicas in 3usize..=6, ops in proptest::collection::vec((any::<u8>(), op()), 5..60)) {
        run(ops, replicas);
    }
}

// Relays: federations in a random network of reporting lines (a county
// may report to its city and to the province too), each the only writer
// of its own roster, passing rosters up by forwarding grants over real
// sessions in random order. At the end (every node having synced with
// every node it reports to, bottom up, as often as the network is deep)
// every node holds exactly the rosters of its own federation and those
// below it, with their owners' heads and values: whichever path and
// order changes took, and no honest relay's change is ever refused.
mod relays {
    use super::cases;
    use hubsync::domain::*;
    use hubsync::store::{DocId, Store, StoreHandle};
    use hubsync::sync::authorship::founded_id;
    use hubsync::sync::{sync_once, Grant, Limits, Node, Peers};
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Arc;
    use tempfile::TempDir;

    #[derive(Debug, Clone)]
    pub enum Step {
        /// Node edits (or first adds) one of its organizations.
        Edit(u8, u8, u16),
        /// Node syncs with one of the nodes it reports to.
        Sync(u8, u8),
    }

    pub fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            2 => (any::<u8>(), any::<u8>(), any::<u16>()).prop_map(|(a, b, c)| Step::Edit(a, b, c)),
            3 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Step::Sync(a, b)),
        ]
    }

    struct Member {
        _dir: TempDir,
        node: Arc<Node>,
        store: StoreHandle,
        fed: RecordId,
        /// Indices of the nodes it reports to.
        up: Vec<usize>,
    }

    /// Node `i` reports to the nodes `up` (earlier ones); its federation
    /// names the first of them as its parent, as real hubs do.
    fn start(i: usize, up: Vec<usize>, parent: String) -> Member {
        let dir = TempDir::new().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let fed = RecordId(founded_id(&store.signer().unwrap().node));
        store
            .init_federation(&Federation {
                id: fed.clone(),
                name: format!("联合会{i}"),
                level: if i == 0 { Level::Province } else { Level::County },
                division: if i == 0 { "510000".into() } else { format!("5101{:02}", i) },
                parent,
                contact_name: String::new(),
                contact_phone: String::new(),
            })
            .unwrap();
        let store = StoreHandle::spawn(store);
        let node = Arc::new(
            Node::start_with_limits(
                dir.path().to_path_buf(),
                store.clone(),
                "127.0.0.1:0".parse().unwrap(),
                Limits::default(),
            )
            .unwrap(),
        );
        let serving = node.clone();
        tokio::spawn(async move { serving.serve().await });
        Member { _dir: dir, node, store, fed, up }
    }

    fn below(members: &[Member], i: usize) -> BTreeSet<usize> {
        (0..members.len())
            .filter(|j| {
                let mut stack = vec![*j];
                let mut seen = BTreeSet::new();
                while let Some(k) = stack.pop() {
                    if k == i && *j != i {
                        return true;
                    }
                    if seen.insert(k) {
                        stack.extend(members[k].up.iter().copied());
                    }
                }
                false
            })
            .collect()
    }

    /// Each node's record of the nodes it reports to: their address, and
    /// a read grant on its own roster and every roster below it (`tree:`).
    fn link(members: &[Member]) {
        for (i, m) in members.iter().enumerate() {
            for &p in &m.up {
                let parent = &members[p];
                let (c, pid) = (m.node.identity.node_id, parent.node.identity.node_id);
                Peers::update(&parent.node.dir, |peers| peers.add(c, &format!("n{i}"), None)).unwrap();
                let addr = parent.node.local_addr().unwrap().to_string();
                Peers::update(&m.node.dir, |peers| {
                    peers.add(pid, &format!("n{p}"), Some(addr))?;
                    let g = &mut peers.find_mut(&pid.to_string())?.grants;
                    g.insert("tree:orgs".into(), Grant::Read);
                    Ok(())
                })
                .unwrap();
            }
        }
    }

    async fn sync(members: &[Member], i: usize, p: usize) {
        for r in sync_once(&members[i].node, &[format!("n{p}")]).await.unwrap() {
            let s = r.expect("the session runs");
            assert!(s.errors.is_empty(), "n{i} → n{p}: an honest relay's changes were refused: {:?}", s.errors);
        }
    }

    /// Federation -> (heads, organizations by id with head and members) of
    /// every roster a node holds.
    async fn rosters(m: &Member) -> BTreeMap<String, (Vec<String>, BTreeMap<String, String>)> {
        m.store
            .call(|s: &mut Store| {
                let mut out: BTreeMap<String, (Vec<String>, BTreeMap<String, String>)> = BTreeMap::new();
                for d in s.doc_ids(Some(Collection::Orgs)) {
                    let heads = s.doc_heads(&d).unwrap().iter().map(|h| h.to_string()).collect();
                    out.entry(d.federation().0).or_default().0 = heads;
                }
                for o in s.all::<Organization>().unwrap() {
                    let fed = s.locate(Collection::Orgs, &o.id).map(|d: DocId| d.federation().0).unwrap();
                    out.entry(fed).or_default().1.insert(o.id.0.clone(), format!("{}:{:?}", o.head_name, o.members));
                }
                out
            })
            .await
    }

    pub fn run(parents: Vec<Vec<u8>>, steps: Vec<Step>) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let n = parents.len() + 1;
            // Node i reports to its hub and, maybe, to one of that hub's own
            // hubs further up (a county to its city and to the province): a
            // relay passes on only federations below its own.
            let mut members: Vec<Member> = Vec::new();
            for i in 0..n {
                let mut up = Vec::new();
                if i > 0 {
                    let choice = &parents[i - 1];
                    let hub = choice[0] as usize % i;
                    up.push(hub);
                    let mut above: Vec<usize> = Vec::new();
                    let mut k = hub;
                    while let Some(&next) = members[k].up.first() {
                        above.push(next);
                        k = next;
                    }
                    if let (Some(c), false) = (choice.get(1), above.is_empty()) {
                        up.push(above[*c as usize % above.len()]);
                    }
                }
                let parent = up.first().map(|&p| members[p].fed.0.clone()).unwrap_or_default();
                members.push(start(i, up, parent));
            }
            let members = members;
            link(&members);
            for step in steps {
                match step {
                    Step::Edit(who, k, v) => {
                        let m = &members[who as usize % n];
                        let name = format!("组织{}-{}", who as usize % n, k % 3);
                        m.store
                            .call(move |s| {
                                let existing = s.all::<Organization>().unwrap().into_iter().find(|o| o.name == name);
                                let mut o = existing.unwrap_or_else(|| {
                                    let mut o =
                                        Organization::new(&name, Category::Charity, LegalStatus::Filed, "510104001001");
                                    o.filing_number = format!("F{v}");
                                    o
                                });
                                let new = s.get::<Organization>(&o.id).unwrap().is_none();
                                o.members = Some(v as u32);
                                o.head_name = format!("负责人{v}");
                                if new {
                                    s.insert(&o).map(|_| ())
                                } else {
                                    s.update(&o).map(|_| ())
                                }
                            })
                            .await
                            .unwrap();
                    }
                    Step::Sync(who, k) => {
                        let i = who as usize % n;
                        if let Some(&p) = members[i].up.get(k as usize % members[i].up.len().max(1)) {
                            sync(&members, i, p).await;
                        }
                    }
                }
            }
            // Bottom up, as often as the network is deep.
            for _ in 0..n {
                for i in (1..n).rev() {
                    for &p in &members[i].up {
                        sync(&members, i, p).await;
                    }
                }
            }
            let own: Vec<_> = {
                let mut v = Vec::new();
                for m in &members {
                    v.push(rosters(m).await.remove(&m.fed.0));
                }
                v
            };
            for (i, m) in members.iter().enumerate() {
                let held = rosters(m).await;
                let mut expected = BTreeMap::new();
                for j in below(&members, i).into_iter().chain([i]) {
                    if let Some(r) = &own[j] {
                        expected.insert(members[j].fed.0.clone(), r.clone());
                    }
                }
                assert_eq!(held, expected, "node {i} (reports to {:?})", m.up);
            }
        });
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]
        // Found on a fresh clone: where a county reports to two hubs, one hub
        // holds changes of a relayed roster that the relay lacks and withholds
        // them (it does not share that roster back); the exchange never went
        // quiet ("document did not settle after 200 rounds"). The case is kept
        // in convergence.proptest-regressions.
        #[test]
        fn rosters_converge_through_relays_whatever_the_path_and_order(
            parents in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..=2), 2..=4),
            steps in proptest::collection::vec(step(), 4..30),
        ) {
            run(parents, steps);
        }
    }
}

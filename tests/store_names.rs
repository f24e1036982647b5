//! The organization-name index (namesake checks on organization writes)
//! after changes from a peer: a store that has used it must answer as a
//! store that builds it now over the same documents.

use hubsync::domain::*;
use hubsync::store::{DocId, Store, StoreError};
use tempfile::TempDir;
#[path = "support/pair.rs"]
mod pair;
use pair::sync_pair;

const FED: &str = "fed0000000000001";

fn federation() -> Federation {
    Federation {
        id: RecordId::from(FED),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: "王秘书".into(),
        contact_phone: "028-8765 4321".into(),
    }
}

/// An organization with a fixed id, so two stores can make the same write.
fn org(id: &str, name: &str, division: &str) -> Organization {
    let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, division);
    o.id = RecordId::from(id);
    o.filing_number = format!("JJ-{id}");
    o
}

fn doc(part: &str) -> DocId {
    DocId::parse(&format!("{FED}/orgs/{part}")).unwrap()
}

fn meta() -> DocId {
    DocId::parse(&format!("{FED}/meta")).unwrap()
}

/// A store of the same federation that has received `docs` from `from`.
fn peer_of(from: &mut Store, from_name: &str, name: &str, docs: &[DocId]) -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut peer = Store::open(dir.path()).unwrap();
    for d in std::iter::once(meta()).chain(docs.iter().cloned()) {
        sync_pair(from, from_name, &mut peer, name, &d);
    }
    peer.set_home(&RecordId::from(FED)).unwrap();
    (dir, peer)
}

/// What a write answered: Ok, or the organization a duplicate name names.
type Outcome = Result<(), Option<RecordId>>;
/// Each name asked about, with the organization holding it.
type Answers = Vec<(&'static str, Option<RecordId>)>;

fn outcome(result: Result<Vec<Problem>, StoreError>) -> Outcome {
    match result {
        Ok(_) => Ok(()),
        Err(StoreError::DuplicateName { existing, .. }) => Err(Some(existing)),
        Err(other) => panic!("not a name check: {other}"),
    }
}

fn rename(store: &mut Store, id: &str, name: &str) -> Outcome {
    let mut o: Organization = store.get(&RecordId::from(id)).unwrap().unwrap();
    o.name = name.into();
    outcome(store.update(&o))
}

const NAMES: [&str; 9] = [
    "和平社区志愿队",
    "和平社区志愿服务队",
    "望江读书会",
    " 望江 读书会",
    "玉林舞蹈队",
    "青年合唱团",
    "夕阳红书画社",
    "锦官城志愿者协会",
    "无人使用的名称",
];

fn answers(store: &mut Store) -> Answers {
    NAMES.iter().map(|n| (*n, store.org_name_exists(n))).collect()
}

/// The local writes and questions both stores are put through, in order:
/// the first is the first organization write after the peer's changes.
fn probe(store: &mut Store) -> (Vec<Outcome>, Answers) {
    let mut writes = vec![rename(store, "l", "望江读书会")];
    let before = answers(store);
    writes.push(rename(store, "l", "和平社区志愿队"));
    writes.push(outcome(store.insert(&org("z2", "玉林舞蹈队", "510104001002"))));
    writes.push(outcome(store.insert(&org("m2", "青年合唱团", "510104001001"))));
    writes.push(outcome(store.insert(&org("e2", "夕阳红书画社", "510104001001"))));
    writes.push(rename(store, "l", "和平社区志愿服务队"));
    let mut all = before;
    all.extend(answers(store));
    (writes, all)
}

/// The hub's county with six organizations, its name index in use; a peer
/// renames one, adds a namesake of another in the next county, deletes one
/// (as a peer's raw Automerge change does), moves one to the next county and
/// marks one exited. Returns (hub dir, hub, peer dir, peer).
fn hub_and_peer_edits() -> (TempDir, Store, TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut hub = Store::open(dir.path()).unwrap();
    hub.init_federation(&federation()).unwrap();
    for (id, name, division) in [
        ("x", "和平社区志愿队", "510104001001"),
        ("y", "望江读书会", "510104002001"),
        ("z", "玉林舞蹈队", "510104001002"),
        ("m", "青年合唱团", "510104001001"),
        ("e", "夕阳红书画社", "510104002001"),
        ("l", "锦官城志愿者协会", "510104001001"),
    ] {
        hub.insert(&org(id, name, division)).unwrap();
    }
    // The index is in use before anything arrives.
    assert_eq!(hub.org_name_exists("望江 读书会"), Some(RecordId::from("y")));

    // The peer adds its namesake before it holds the hub's county (another
    // township's roster), then takes the county and edits it.
    let (peer_dir, mut peer) = peer_of(&mut hub, "H", "P", &[]);
    peer.insert(&org("n", "望江读书会", "510105002001")).unwrap();
    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510104"));
    rename(&mut peer, "x", "和平社区志愿服务队").unwrap();
    let mut m: Organization = peer.get(&RecordId::from("m")).unwrap().unwrap();
    m.division = "510105001001".into();
    peer.update(&m).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    peer.exit_org(&RecordId::from("e"), day, "长期不开展活动").unwrap();
    let mut raw = automerge::AutoCommit::load(&peer.export_doc(&doc("510104")).unwrap()).unwrap();
    automerge::transaction::Transactable::delete(&mut raw, automerge::ROOT, "z").unwrap();
    peer.import_doc(&raw.save()).unwrap();
    assert_eq!(peer.org_name_exists("玉林舞蹈队"), None, "a merged document file is read again too");
    (dir, hub, peer_dir, peer)
}

#[test]
fn after_a_peers_changes_local_writes_get_the_answers_of_a_store_building_the_index_now() {
    let (_dir, mut hub, _peer_dir, mut peer) = hub_and_peer_edits();
    // The moved organization's new county first: for a moment both hold it.
    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510105"));
    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510104"));
    assert!(hub.get::<Organization>(&RecordId::from("z")).unwrap().is_none(), "the deletion arrived");

    let held = hub.doc_ids(Some(Collection::Orgs));
    let (_fresh_dir, mut fresh) = peer_of(&mut hub, "H", "F", &held);
    let (fresh_writes, fresh_answers) = probe(&mut fresh);
    let (writes, answers) = probe(&mut hub);
    assert_eq!(writes, fresh_writes);
    assert_eq!(answers, fresh_answers);

    let id = |s: &str| Some(RecordId::from(s));
    // Namesakes: the one whose (division, name) sorts last answers.
    assert_eq!(writes[0], Err(id("n")), "the namesake from the next county");
    assert_eq!(writes[1..], [Ok(()), Ok(()), Err(id("m")), Err(id("e")), Err(id("x"))]);
    let expected = [
        ("和平社区志愿队", None),
        ("和平社区志愿服务队", id("x")),
        ("望江读书会", id("n")),
        (" 望江 读书会", id("n")),
        ("玉林舞蹈队", None),
        ("青年合唱团", id("m")),
        ("夕阳红书画社", id("e")),
        ("锦官城志愿者协会", id("l")),
        ("无人使用的名称", None),
    ];
    assert_eq!(answers[..NAMES.len()], expected);
    assert_eq!(answers[NAMES.len()..][0], ("和平社区志愿队", id("l")), "taken by the local rename");
    assert_eq!(answers[NAMES.len()..][4], ("玉林舞蹈队", id("z2")), "taken by the local insert");
}

#[test]
fn a_peers_rename_and_deletion_free_their_names_and_take_the_new_one_at_once() {
    let (_dir, mut hub, _peer_dir, mut peer) = hub_and_peer_edits();
    // Only the hub's county: the deletion, the rename, and the moved
    // organization gone from it (its new county not yet here).
    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510104"));
    assert_eq!(hub.org_name_exists("和平社区志愿队"), None, "renamed away by the peer");
    assert_eq!(hub.org_name_exists("和平社区志愿服务队"), Some(RecordId::from("x")));
    assert_eq!(hub.org_name_exists("玉林舞蹈队"), None, "deleted by the peer");
    assert_eq!(hub.org_name_exists("青年合唱团"), None, "moved to a county not held yet");
    assert_eq!(hub.org_name_exists("望江读书会"), Some(RecordId::from("y")));
    hub.insert(&org("z2", "玉林舞蹈队", "510104001002")).unwrap();

    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510105"));
    assert_eq!(hub.org_name_exists("青年合唱团"), Some(RecordId::from("m")), "its new county arrived");
    assert_eq!(hub.org_name_exists("望江读书会"), Some(RecordId::from("n")));
    assert_eq!(rename(&mut hub, "l", "和平社区志愿服务队"), Err(Some(RecordId::from("x"))));
    // A second round: the peer renames the namesake away again.
    rename(&mut peer, "n", "望江书友会").unwrap();
    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510105"));
    assert_eq!(hub.org_name_exists("望江读书会"), Some(RecordId::from("y")));
    assert_eq!(hub.org_name_exists("望江书友会"), Some(RecordId::from("n")));
}

#[test]
fn renaming_one_of_two_namesakes_leaves_the_name_taken_by_the_other() {
    let (_dir, mut hub, _peer_dir, mut peer) = hub_and_peer_edits();
    sync_pair(&mut hub, "H", &mut peer, "P", &doc("510105"));
    // Both hold 望江读书会 now; the hub's own one is renamed.
    assert_eq!(rename(&mut hub, "y", "望江书社"), Ok(()));
    assert_eq!(hub.org_name_exists("望江读书会"), Some(RecordId::from("n")));
    assert_eq!(rename(&mut hub, "l", "望江读书会"), Err(Some(RecordId::from("n"))));
    // The peer's namesake, now the only holder, keeps its name through an edit.
    let mut n: Organization = hub.get(&RecordId::from("n")).unwrap().unwrap();
    n.head_name = "赵六".into();
    assert_eq!(outcome(hub.update(&n)), Ok(()));
    assert_eq!(rename(&mut hub, "y", "望江读书会"), Err(Some(RecordId::from("n"))), "taken again");
}

//! Activities, major-activity reports, work reports and volunteer hours in
//! the store and across peers (issue 11).

use chrono::NaiveDate;
use hubsync::domain::activity_query::{reports_due, service_history};
use hubsync::domain::*;
use hubsync::store::{partition_doc, DocId, Store, StoreError, StoreHandle};
use hubsync::sync::{sync_once, Grant, Node, Peers};
use std::sync::Arc;
use tempfile::TempDir;
#[path = "support/pair.rs"]
mod pair;
use pair::exchange;

const FED: &str = "fed0000000000001";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn federation() -> Federation {
    Federation {
        id: RecordId::from(FED),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: "王秘书".into(),
        contact_phone: String::new(),
    }
}

fn org(name: &str) -> Organization {
    let mut o = Organization::new(name, Category::ResidentServices, LegalStatus::Filed, "510104001002");
    o.filing_number = format!("JJ-{}", name.len());
    o
}

fn new_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    (dir, store)
}

fn patrol(org: &Organization) -> Activity {
    let mut a = Activity::new(org.id.clone(), &org.division, day(2025, 10, 8), "夜间治安巡逻", ActivityKind::Patrol);
    a.start = Some("19:00".into());
    a.end = Some("21:00".into());
    a.targets = vec![TargetGroup::AllResidents];
    a.headcount = Some(12);
    a
}

#[test]
fn activities_live_in_one_document_per_county_and_year_and_move_with_their_date() {
    let (dir, mut store) = new_store();
    let o = org("玉林社区平安巡逻队");
    store.insert(&o).unwrap();
    let mut a = patrol(&o);
    store.insert(&a).unwrap();
    let doc = store.locate(Collection::Activities, &a.id).unwrap();
    assert_eq!(doc.as_str(), format!("{FED}/activities/510104-2025"));
    assert_eq!(doc, partition_doc(&RecordId::from(FED), &a));
    a.date = day(2026, 1, 3);
    store.update(&a).unwrap();
    assert_eq!(store.locate(Collection::Activities, &a.id).unwrap().part(), Some("510104-2026"));
    assert_eq!(store.activity_rows().len(), 1, "moved, not copied");
    drop(store);
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(store.activity(&a.id).unwrap(), a);
    assert_eq!(store.activity_rows()[0].date, day(2026, 1, 3));
}

#[test]
fn invalid_activities_are_refused_with_the_field_named() {
    let (_dir, mut store) = new_store();
    let o = org("望江社区志愿服务队");
    let mut a = patrol(&o);
    a.participants.insert("p1".into(), 5.0); // a two-hour patrol
    let err = store.insert(&a).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert!(err.to_string().contains("participants"), "{err}");
    assert!(store.activity_rows().is_empty());
}

#[test]
fn two_offline_laptops_logging_the_same_participants_merge_without_duplicates() {
    let (_da, mut a) = new_store();
    let o = org("玉林社区平安巡逻队");
    a.insert(&o).unwrap();
    let people: Vec<Person> = ["张秀英", "李建华", "王芳"].iter().map(|n| Person::new(n)).collect();
    a.insert_many(&people).unwrap();
    let activity = patrol(&o);
    a.insert(&activity).unwrap();
    let doc = a.locate(Collection::Activities, &activity.id).unwrap();

    // The trainer's laptop takes the county's documents along, then both go offline.
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    for d in a.doc_ids(None) {
        exchange(&mut a, "A", &mut b, "B", &d, true).unwrap();
    }
    b.set_home(&RecordId::from(FED)).unwrap();
    let (zhang, li, wang) = (&people[0].id, &people[1].id, &people[2].id);

    let mut on_a = a.activity(&activity.id).unwrap();
    on_a.log_participants(&[(zhang.clone(), 2.0), (li.clone(), 2.0)]).unwrap();
    a.update(&on_a).unwrap();
    let mut on_b = b.activity(&activity.id).unwrap();
    on_b.log_participants(&[(li.clone(), 2.0), (wang.clone(), 1.5)]).unwrap();
    b.update(&on_b).unwrap();

    exchange(&mut a, "A", &mut b, "B", &doc, true).unwrap();
    assert_eq!(a.doc_heads(&doc), b.doc_heads(&doc));
    let merged = a.activity(&activity.id).unwrap();
    assert_eq!(merged, b.activity(&activity.id).unwrap());
    assert_eq!(merged.participants.len(), 3, "李建华 once: {:?}", merged.participants);
    assert_eq!(merged.volunteer_hours(), 5.5);
    assert!(a.conflicts::<Activity>(&activity.id).unwrap().is_empty(), "same hours on both laptops agree");
    let rows = a.activity_rows();
    assert_eq!(rows[0].participants.len(), 3);
    assert_eq!(service_history(&rows, li, None).len(), 1);

    // Different hours for the same person are one conflict to resolve, still one entry.
    let mut on_a = a.activity(&activity.id).unwrap();
    on_a.participants.insert(wang.clone(), 2.0);
    a.update(&on_a).unwrap();
    let mut on_b = b.activity(&activity.id).unwrap();
    on_b.participants.insert(wang.clone(), 1.0);
    b.update(&on_b).unwrap();
    exchange(&mut a, "A", &mut b, "B", &doc, true).unwrap();
    assert_eq!(a.activity(&activity.id).unwrap().participants.len(), 3);
    let conflicts = a.conflicts::<Activity>(&activity.id).unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].field, format!("participants.{wang}"));
}

#[test]
fn a_read_only_peers_activity_changes_are_refused() {
    let (_da, mut a) = new_store();
    let o = org("玉林社区平安巡逻队");
    a.insert(&o).unwrap();
    let activity = patrol(&o);
    a.insert(&activity).unwrap();
    let doc = a.locate(Collection::Activities, &activity.id).unwrap();
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    exchange(&mut a, "A", &mut b, "B", &doc, false).unwrap();
    b.set_home(&RecordId::from(FED)).unwrap();
    let mut forged = b.activity(&activity.id).unwrap();
    forged.headcount = Some(500);
    b.update(&forged).unwrap();
    let before = a.doc_heads(&doc);
    let err = exchange(&mut a, "A", &mut b, "B", &doc, false).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnlyPeer { .. }), "{err}");
    assert_eq!(a.doc_heads(&doc), before);
    assert_eq!(a.activity(&activity.id).unwrap().headcount, Some(12));
}

#[test]
fn grants_cover_activities_like_every_other_collection() {
    let peer = |grants: &[(&str, Grant)]| hubsync::sync::Peer {
        node_id: hubsync::sync::NodeId([3; 32]),
        name: "市联合会".into(),
        addr: None,
        grants: grants.iter().map(|(k, g)| (k.to_string(), *g)).collect(),
        last_sync: None,
        last_error: None,
        last_failure: None,
        home: None,
    };
    let acts = DocId::parse(&format!("{FED}/activities/510104-2025")).unwrap();
    let reports = DocId::parse(&format!("{FED}/work_reports/510104-2025")).unwrap();
    assert_eq!(peer(&[("*", Grant::Read)]).grant_for(&acts), Some(Grant::Read));
    assert_eq!(peer(&[("orgs", Grant::Write)]).grant_for(&acts), None, "the roster grant does not share activities");
    assert_eq!(peer(&[("activities", Grant::Write)]).grant_for(&acts), Some(Grant::Write));
    assert_eq!(peer(&[("activities", Grant::Write)]).grant_for(&reports), None);
    assert_eq!(peer(&[(acts.as_str(), Grant::Read)]).grant_for(&acts), Some(Grant::Read));
}

#[test]
fn the_major_activity_rule_is_a_setting_of_the_home_federation() {
    let (dir, mut store) = new_store();
    assert_eq!(store.major_rule(), MajorActivityRule::standard());
    let rule =
        MajorActivityRule { participants_over: Some(50), report_days_before: 5, ..MajorActivityRule::standard() };
    store.set_major_rule(&rule).unwrap();
    let o = org("玉林社区平安巡逻队");
    store.insert(&o).unwrap();
    let mut big = patrol(&o);
    big.headcount = Some(60);
    assert_eq!(store.major_rule().reasons(&big), vec![MajorReason::ManyParticipants]);
    big.set_major(true);
    store.insert(&big).unwrap();
    drop(store);
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(store.major_rule(), rule);
    let due = reports_due(&store.activity_rows(), &store.major_rule(), day(2025, 10, 4));
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].due, due[0].overdue), (day(2025, 10, 3), true));
    let mut back = store.activity(&big.id).unwrap();
    back.record_report("玉林街道党工委", day(2025, 10, 4), ReportChannel::Written).unwrap();
    store.update(&back).unwrap();
    assert!(reports_due(&store.activity_rows(), &store.major_rule(), day(2025, 10, 4)).is_empty());
    let bad = MajorActivityRule { report_days_before: 400, ..rule };
    assert!(store.set_major_rule(&bad).is_err());
}

#[test]
fn work_reports_are_stored_per_county_and_year() {
    let (_dir, mut store) = new_store();
    let o = org("玉林社区平安巡逻队");
    store.insert(&o).unwrap();
    let mut r = WorkReport::new(o.id.clone(), &o.division, Period::Half(2025, 1), day(2025, 7, 3));
    r.reported_to = "玉林街道、玉林社区两委".into();
    store.insert(&r).unwrap();
    assert_eq!(store.locate(Collection::WorkReports, &r.id).unwrap().part(), Some("510104-2025"));
    r.record_review(ReviewResult::Satisfied, day(2025, 7, 15), "社区两委、居民代表", "").unwrap();
    store.update(&r).unwrap();
    assert_eq!(store.work_reports(), vec![r]);
}

// ------------------------------------------------------------ over QUIC

struct TestNode {
    _dir: TempDir,
    node: Arc<Node>,
    store: StoreHandle,
}

fn start(store: Store, dir: TempDir) -> TestNode {
    let store = StoreHandle::spawn(store);
    let node = Arc::new(Node::start(dir.path().to_path_buf(), store.clone(), "127.0.0.1:0".parse().unwrap()).unwrap());
    let serving = node.clone();
    tokio::spawn(async move { serving.serve().await });
    TestNode { _dir: dir, node, store }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_peer_receives_activities_but_cannot_rewrite_them() {
    let (da, mut sa) = new_store();
    let o = org("玉林社区平安巡逻队");
    sa.insert(&o).unwrap();
    let activity = patrol(&o);
    sa.insert(&activity).unwrap();
    let a = start(sa, da);
    let db = TempDir::new().unwrap();
    let b = start(Store::open(db.path()).unwrap(), db);
    let mut pa = Peers::load(&a.node.dir).unwrap();
    pa.add(b.node.identity.node_id, "B", None).unwrap();
    pa.find_mut("B").unwrap().grants.insert("*".into(), Grant::Read);
    pa.save(&a.node.dir).unwrap();
    let mut pb = Peers::load(&b.node.dir).unwrap();
    pb.add(a.node.identity.node_id, "A", Some(a.node.local_addr().unwrap().to_string())).unwrap();
    pb.save(&b.node.dir).unwrap();

    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    let id = activity.id.clone();
    let received = b.store.call(move |s| s.activity(&id).unwrap()).await;
    assert_eq!(received, activity);

    let mut forged = received.clone();
    forged.title = "篡改".into();
    b.store.call(move |s| s.update(&forged).map(|_| ())).await.unwrap();
    let summary = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(!summary.errors.is_empty(), "the change is refused {summary:?}");
    let id = activity.id.clone();
    assert_eq!(a.store.call(move |s| s.activity(&id).unwrap()).await.title, "夜间治安巡逻");
}

#[test]
fn the_reports_activity_rows_reuse_the_list_cache_and_keep_to_the_documents_asked_for() {
    let (_dir, mut store) = new_store();
    let o = org("玉林社区平安巡逻队");
    store.insert(&o).unwrap();
    let this_year = patrol(&o);
    let mut last_year = patrol(&o);
    last_year.id = RecordId::random();
    last_year.date = day(2024, 6, 1);
    store.insert_many(&[this_year.clone(), last_year.clone()]).unwrap();
    let all = store.activity_rows();
    assert_eq!(store.activity_rows_within(&|_| true).len(), all.len());
    let doc_2024 = store.locate(Collection::Activities, &last_year.id).unwrap();
    let only: Vec<RecordId> = store.activity_rows_within(&|d| *d == doc_2024).into_iter().map(|r| r.id).collect();
    assert_eq!(only, vec![last_year.id.clone()], "a report over some documents counts only their activities");
    assert!(store.activity_rows_within(&|_| false).is_empty());
    // A change after the rows were cached is read, not the cached row.
    let renamed = Activity { title: "夜间治安巡逻(二组)".into(), ..this_year.clone() };
    store.update(&renamed).unwrap();
    let rows = store.activity_rows_within(&|_| true);
    assert_eq!(rows.iter().find(|r| r.id == this_year.id).unwrap().title, "夜间治安巡逻(二组)");
    let mut fresh = store.activity_rows_uncached();
    let mut within = rows;
    fresh.sort_by(|a, b| a.id.cmp(&b.id));
    within.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(within, fresh, "the same rows as rescanning every document");
}

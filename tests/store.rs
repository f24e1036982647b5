//! The store against temporary data directories.

use chrono::NaiveDate;
use hubsync::domain::*;
use hubsync::store::{DocId, Store, StoreError};
use tempfile::TempDir;
#[path = "support/pair.rs"]
mod pair;
use pair::sync_pair;

fn federation() -> Federation {
    Federation {
        id: RecordId::from("fed0000000000001"),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: "王秘书".into(),
        contact_phone: "028-8765 4321".into(),
    }
}

fn org(name: &str, division: &str) -> Organization {
    let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, division);
    o.filing_number = format!("JJ-{}", name.len());
    o
}

fn new_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    (dir, store)
}

#[test]
fn records_round_trip_and_survive_reopen() {
    let (dir, mut store) = new_store();
    let mut o = org("玉林社区夕阳红舞蹈队", "510104001002");
    o.members = Some(30);
    o.evaluations.insert(
        "2024".into(),
        Evaluation { basic: 20, activities: 20, contribution: 20, influence: 20, ..Default::default() },
    );
    store.insert(&o).unwrap();
    let mut p = Person::new("李红");
    p.phone = "13812345678".into();
    p.roles = vec![Role::Liaison];
    store.insert(&p).unwrap();
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap(), o);
    drop(store);

    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(store.federation().unwrap().name, "锦江区社区社会组织联合会");
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap(), o);
    assert_eq!(store.all::<Person>().unwrap(), vec![p]);
    let docs = store.documents();
    assert!(docs.iter().any(|d| d.id.as_str() == "fed0000000000001/orgs/510104" && d.records == 1));
}

#[test]
fn update_writes_changed_fields_and_can_move_county() {
    let (_dir, mut store) = new_store();
    let mut o = org("望江社区邻里互助会", "510104002001");
    store.insert(&o).unwrap();
    o.head_name = "张三".into();
    store.update(&o).unwrap();
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap().head_name, "张三");
    o.division = "510105001001".into();
    store.update(&o).unwrap();
    assert_eq!(store.locate(Collection::Orgs, &o.id).unwrap().part(), Some("510105"));
    assert_eq!(store.all::<Organization>().unwrap().len(), 1);
}

#[test]
fn names_are_unique_after_folding() {
    let (_dir, mut store) = new_store();
    store.insert(&org("阳光志愿队", "510104001001")).unwrap();
    let err = store.insert(&org(" 阳光 志愿队 ", "510104001001")).unwrap_err();
    assert!(matches!(err, StoreError::DuplicateName { .. }), "{err}");
    assert!(err.to_string().contains("阳光"));
}

#[test]
fn invalid_records_are_refused_with_the_field_named() {
    let (_dir, mut store) = new_store();
    let mut o = org("错误代码组织", "510104001001");
    o.credit_code = "51420000MJH2003664".into();
    let err = store.insert(&o).unwrap_err();
    assert!(err.to_string().contains("credit_code"), "{err}");
    assert!(store.all::<Organization>().unwrap().is_empty());
}

#[test]
fn insert_many_is_all_or_nothing() {
    let (dir, mut store) = new_store();
    let mut batch: Vec<Organization> = (0..250).map(|i| org(&format!("测试组织{i}"), "510104001001")).collect();
    batch[200].name = "测试组织3".into(); // duplicate inside the batch
    assert!(store.insert_many(&batch).is_err());
    assert!(store.all::<Organization>().unwrap().is_empty());
    batch[200].name = "测试组织二百".into();
    assert_eq!(store.insert_many(&batch).unwrap(), 250);
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.all::<Organization>().unwrap().len(), 250);
}

#[test]
fn exit_keeps_the_record() {
    let (_dir, mut store) = new_store();
    let o = org("青年读书会", "510104001001");
    store.insert(&o).unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    store.exit_org(&o.id, day, "长期不开展活动").unwrap();
    let back = store.get::<Organization>(&o.id).unwrap().unwrap();
    assert_eq!(back.lifecycle, Lifecycle::Exited);
    assert_eq!(back.exit_date, Some(day));
}

#[test]
fn two_stores_converge_and_keep_concurrent_values_as_conflicts() {
    let (_da, mut a) = new_store();
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    let o = org("共享组织", "510104001001");
    a.insert(&o).unwrap();
    let doc = a.locate(Collection::Orgs, &o.id).unwrap();
    let meta = DocId::parse("fed0000000000001/meta").unwrap();
    sync_pair(&mut a, "A", &mut b, "B", &doc);
    sync_pair(&mut a, "A", &mut b, "B", &meta);
    b.set_home(&RecordId::from("fed0000000000001")).unwrap();
    assert_eq!(b.get::<Organization>(&o.id).unwrap().unwrap(), o);

    let mut on_a = o.clone();
    on_a.head_name = "甲".into();
    on_a.members = Some(10);
    a.update(&on_a).unwrap();
    let mut on_b = o.clone();
    on_b.head_name = "乙".into();
    on_b.address = "人民南路1号".into();
    b.update(&on_b).unwrap();
    sync_pair(&mut a, "A", &mut b, "B", &doc);

    assert_eq!(a.doc_heads(&doc), b.doc_heads(&doc));
    let merged = a.get::<Organization>(&o.id).unwrap().unwrap();
    assert_eq!(merged, b.get::<Organization>(&o.id).unwrap().unwrap());
    assert_eq!(merged.members, Some(10));
    assert_eq!(merged.address, "人民南路1号");
    let conflicts = a.conflicts::<Organization>(&o.id).unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].field, "head_name");
    a.resolve_conflict::<Organization>(&o.id, "head_name", "乙".into()).unwrap();
    assert!(a.conflicts::<Organization>(&o.id).unwrap().is_empty());
    assert_eq!(a.get::<Organization>(&o.id).unwrap().unwrap().head_name, "乙");
}

/// Runs the protocol between a hub that withholds its changes of `doc` from
/// the relay and the relay, until both are quiet; the rounds it took.
fn exchange_withholding(hub: &mut Store, relay: &mut Store, doc: &DocId) -> usize {
    for round in 1..10 {
        let from_hub = hub.sync_generate_counted("relay", doc, true).unwrap();
        if let Some((m, changes)) = &from_hub {
            assert_eq!(*changes, 0, "a withheld message carries no changes");
            relay.sync_receive("hub", doc, m, true).unwrap();
        }
        let from_relay = relay.sync_generate("hub", doc).unwrap();
        if let Some(m) = &from_relay {
            hub.sync_receive("relay", doc, m, true).unwrap();
        }
        if from_hub.is_none() && from_relay.is_none() {
            return round;
        }
    }
    panic!("the withholding exchange never goes quiet");
}

/// A hub holds newer changes of a relayed roster than the relay that
/// brings it, and may not send them back (`withhold`). Automerge answers
/// every message while the heads differ, so the exchange used to ping-pong
/// until the session gave up ("did not settle after 200 rounds").
#[test]
fn an_exchange_that_withholds_changes_goes_quiet() {
    let (_da, mut hub) = new_store();
    let db = TempDir::new().unwrap();
    let mut relay = Store::open(db.path()).unwrap();
    let o = org("双流区邻里守望队", "510104001001");
    hub.insert(&o).unwrap();
    let doc = hub.locate(Collection::Orgs, &o.id).unwrap();
    sync_pair(&mut hub, "hub", &mut relay, "relay", &doc);
    let mut newer = o.clone();
    newer.members = Some(42);
    hub.update(&newer).unwrap();

    exchange_withholding(&mut hub, &mut relay, &doc);
    assert_eq!(relay.get::<Organization>(&o.id).unwrap().unwrap().members, o.members, "nothing withheld leaked");
    assert_ne!(hub.doc_heads(&doc), relay.doc_heads(&doc));
    // The relay's own later change still reaches the hub.
    let mut on_relay = o.clone();
    on_relay.address = "东升街道1号".into();
    relay.update(&on_relay).unwrap();
    exchange_withholding(&mut hub, &mut relay, &doc);
    let merged = hub.get::<Organization>(&o.id).unwrap().unwrap();
    assert_eq!((merged.members, merged.address.as_str()), (Some(42), "东升街道1号"));
}

#[test]
fn read_only_peer_changes_are_refused() {
    let (_da, mut a) = new_store();
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    let doc = DocId::parse("fed0000000000001/meta").unwrap();
    sync_pair(&mut a, "A", &mut b, "B", &doc);
    // B edits its copy and tries to send it to A as a read-only peer.
    b.set_home(&RecordId::from("fed0000000000001")).unwrap();
    let mut fed = b.federation().unwrap();
    fed.contact_name = "篡改".into();
    b.update(&fed).unwrap();
    let heads_before = a.doc_heads(&doc);
    let mut refused = false;
    for _ in 0..6 {
        if let Some(m) = a.sync_generate("B", &doc).unwrap() {
            b.sync_receive("A", &doc, &m, true).unwrap();
        }
        if let Some(m) = b.sync_generate("A", &doc).unwrap() {
            match a.sync_receive("B", &doc, &m, false) {
                Err(StoreError::ReadOnlyPeer { .. }) => refused = true,
                other => {
                    other.unwrap();
                }
            }
        }
    }
    assert!(refused);
    assert_eq!(a.doc_heads(&doc), heads_before);
    assert_eq!(a.federation().unwrap().contact_name, "王秘书");
}

#[test]
fn malformed_sync_message_changes_nothing() {
    let (_d, mut a) = new_store();
    let doc = DocId::parse("fed0000000000001/meta").unwrap();
    let before = a.doc_heads(&doc);
    let err = a.sync_receive("X", &doc, b"\x42garbage", true).unwrap_err();
    assert!(matches!(err, StoreError::BadSyncMessage { .. }), "{err}");
    assert!(err.to_string().contains("fed0000000000001/meta"));
    assert_eq!(a.doc_heads(&doc), before);
}

#[test]
fn document_bytes_export_and_import_merge() {
    let (_da, mut a) = new_store();
    let o = org("导出组织", "510104001001");
    a.insert(&o).unwrap();
    let doc = a.locate(Collection::Orgs, &o.id).unwrap();
    let bytes = a.export_doc(&doc).unwrap();
    // Standard Automerge bytes: any Automerge library can load them.
    assert!(automerge::AutoCommit::load(&bytes).is_ok());
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    assert_eq!(b.import_doc(&bytes).unwrap(), doc);
    assert_eq!(b.get::<Organization>(&o.id).unwrap().unwrap(), o);
    assert!(matches!(b.import_doc(b"not automerge"), Err(StoreError::BadDocument(_))));
}

#[test]
fn compaction_keeps_everything() {
    let (dir, mut store) = new_store();
    let mut o = org("压缩测试组织", "510104001001");
    store.insert(&o).unwrap();
    for i in 0..300u32 {
        o.members = Some(i);
        store.update(&o).unwrap();
    }
    store.compact_all().unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap().members, Some(299));
}

#[test]
fn corrupted_pieces_are_quarantined_and_named() {
    let (dir, mut store) = new_store();
    let o = org("损坏测试组织", "510104001001");
    store.insert(&o).unwrap();
    let mut o2 = o.clone();
    o2.members = Some(5);
    store.update(&o2).unwrap();
    drop(store);
    // Truncate the last change piece of the organization document.
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        let (key, value) = tree.scan_prefix(b"fed0000000000001/orgs/510104").last().unwrap().unwrap();
        tree.insert(key, &value[..value.len() / 2]).unwrap();
        db.flush().unwrap();
    }
    // Without the change log (which would restore the piece: tests/durability.rs).
    std::fs::remove_file(dir.path().join("changes.log")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.warnings().iter().any(|w| w.contains("fed0000000000001/orgs/510104")), "{:?}", store.warnings());
    // The earlier state survives.
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap().members, None);
}

#[test]
fn a_damaged_base_is_reported_and_repairable() {
    let (dir, mut store) = new_store();
    store.insert(&org("基础损坏组织", "510104001001")).unwrap();
    store.compact_all().unwrap();
    drop(store);
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        let mut key = b"fed0000000000001/orgs/510104".to_vec();
        key.extend_from_slice(b"\0b");
        tree.insert(key, b"\x85\x6f\x4a\x83garbage".to_vec()).unwrap();
        db.flush().unwrap();
    }
    // Without the change log (which would restore the base: tests/durability.rs).
    std::fs::remove_file(dir.path().join("changes.log")).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let doc = DocId::parse("fed0000000000001/orgs/510104").unwrap();
    assert!(store.damaged().contains_key(&doc));
    assert!(matches!(store.ensure_doc(&doc), Err(StoreError::Damaged { .. })));
    assert_eq!(store.federation().unwrap().division, "510104", "other documents still open");
    store.repair_doc(&doc).unwrap();
    assert!(store.damaged().is_empty());
    drop(store);
    assert!(Store::open(dir.path()).unwrap().damaged().is_empty());
}

#[test]
fn second_process_gets_a_clear_in_use_error() {
    let (dir, _store) = new_store();
    match Store::open(dir.path()) {
        Err(StoreError::InUse(p)) => assert_eq!(p, dir.path()),
        Err(other) => panic!("expected InUse, got {other}"),
        Ok(_) => panic!("opened twice"),
    }
}

#[test]
fn vacuum_keeps_every_record_and_survives_an_interrupted_swap() {
    let (dir, mut store) = new_store();
    let batch: Vec<Organization> = (0..300).map(|i| org(&format!("整理测试{i}"), "510104001001")).collect();
    store.insert_many(&batch).unwrap();
    store.compact_all().unwrap();
    drop(store);
    let (before, after) = hubsync::store::vacuum(dir.path()).unwrap();
    assert!(after > 0 && before > 0);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.all::<Organization>().unwrap().len(), 300);
    drop(store);
    // A crash between the two renames leaves db.old and no db: open recovers it.
    std::fs::rename(dir.path().join("db"), dir.path().join("db.old")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.all::<Organization>().unwrap().len(), 300);
}

#[test]
fn party_membership_stays_out_of_the_shared_people_document() {
    let (_dir, mut store) = new_store();
    let mut p = Person::new("党员甲");
    p.party_member = true;
    store.insert(&p).unwrap();
    assert!(store.get::<Person>(&p.id).unwrap().unwrap().party_member);
    let people = DocId::parse("fed0000000000001/people").unwrap();
    let private = DocId::parse("fed0000000000001/private").unwrap();
    let shared = automerge::AutoCommit::load(&store.export_doc(&people).unwrap()).unwrap();
    let json = format!("{:?}", automerge::ReadDoc::hydrate(&shared, automerge::ROOT, None).unwrap());
    assert!(!json.contains("party_member"), "{json}");
    assert!(store.has_doc(&private));
    p.party_member = false;
    store.update(&p).unwrap();
    assert!(!store.all::<Person>().unwrap()[0].party_member);
}

#[test]
fn a_record_a_peer_broke_is_named_not_fatal_for_lists() {
    let (_da, mut a) = new_store();
    let good = org("完好组织", "510104001001");
    let bad = org("将被破坏的组织", "510104001001");
    a.insert(&good).unwrap();
    a.insert(&bad).unwrap();
    let doc = a.locate(Collection::Orgs, &bad.id).unwrap();
    // A peer with write access puts a number where a category code belongs.
    let mut raw = automerge::AutoCommit::load(&a.export_doc(&doc).unwrap()).unwrap();
    let obj = match automerge::ReadDoc::get(&raw, automerge::ROOT, bad.id.as_str()).unwrap() {
        Some((_, id)) => id,
        None => panic!("record missing"),
    };
    automerge::transaction::Transactable::put(&mut raw, &obj, "category", 42).unwrap();
    a.import_doc(&raw.save()).unwrap();
    let err = a.all::<Organization>().unwrap_err();
    assert!(err.to_string().contains(bad.id.as_str()), "{err}");
    let (readable, errors) = a.all_readable::<Organization>();
    assert_eq!(readable, vec![good]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains(doc.as_str()));
}

#[test]
fn org_rows_follow_edits_and_moves() {
    let (_dir, mut store) = new_store();
    let mut a = org("甲组织", "510104001001");
    store.insert(&a).unwrap();
    store.insert(&org("乙组织", "510105001001")).unwrap();
    let rows = store.org_rows();
    assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["甲组织", "乙组织"]);
    assert!(std::sync::Arc::ptr_eq(&rows, &store.org_rows()), "unchanged documents are not rescanned");
    a.head_name = "王五".into();
    a.division = "510106001001".into();
    store.update(&a).unwrap();
    let rows = store.org_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].head_name, "王五");
    assert_eq!(rows[1].division, "510106001001");
}

#[test]
fn forgetting_a_person_clears_their_data_everywhere_held_and_reaches_peers() {
    let (_dir, mut store) = new_store();
    let mut head_org = org("玉林社区夕阳红舞蹈队", "510104001002");
    head_org.head_name = "李秀英".into();
    head_org.head_phone = "13800138000".into();
    let mut namesake = org("水井坊社区书画社", "510104002001");
    namesake.head_name = "李秀英".into();
    namesake.head_phone = "13911112222".into();
    store.insert(&head_org).unwrap();
    store.insert(&namesake).unwrap();
    let mut p = Person::new("李秀英");
    p.phone = "13800138000".into();
    p.party_member = true;
    p.notes = "住玉林北路".into();
    p.roles = vec![Role::Liaison];
    p.organization = Some(head_org.id.clone());
    store.insert(&p).unwrap();
    let assignment = LiaisonAssignment {
        id: RecordId::random(),
        person: p.id.clone(),
        organization: head_org.id.clone(),
        role: AssignmentRole::Liaison,
        dispatched_by: "玉林街道党工委".into(),
        from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: None,
        end_reason: String::new(),
    };
    store.insert(&assignment).unwrap();

    let plan = store.forget_plan(&p.id).unwrap();
    let fields: Vec<(String, Vec<&str>)> = plan.cleared.iter().map(|c| (c.record.clone(), c.fields.clone())).collect();
    assert!(fields.contains(&(p.id.to_string(), vec!["name", "phone", "notes"])), "{fields:?}");
    assert!(fields.contains(&(format!("people.{}", p.id), vec!["party_member"])), "{fields:?}");
    assert!(fields.contains(&(head_org.id.to_string(), vec!["head_name", "head_phone"])), "{fields:?}");
    assert!(!fields.iter().any(|(r, _)| r == namesake.id.as_str()), "a namesake elsewhere is someone else: {fields:?}");
    assert_eq!(store.get::<Person>(&p.id).unwrap().unwrap().phone, "13800138000", "a plan changes nothing");

    let peer_dir = TempDir::new().unwrap();
    let mut peer = Store::open(peer_dir.path()).unwrap();
    let people_doc = store.locate(Collection::People, &p.id).unwrap();
    sync_pair(&mut store, "a", &mut peer, "b", &people_doc);
    assert_eq!(peer.get::<Person>(&p.id).unwrap().unwrap().name, "李秀英");

    store.forget_person(&p.id).unwrap();
    let after = store.get::<Person>(&p.id).unwrap().unwrap();
    assert_eq!(after.name, plan.placeholder);
    assert!(after.phone.is_empty() && after.notes.is_empty() && !after.party_member, "{after:?}");
    assert_eq!(after.roles, vec![Role::Liaison], "the role is not personal data; statistics keep adding up");
    let org_after = store.get::<Organization>(&head_org.id).unwrap().unwrap();
    assert!(org_after.head_name.is_empty() && org_after.head_phone.is_empty());
    assert_eq!(store.get::<Organization>(&namesake.id).unwrap().unwrap().head_phone, "13911112222");
    assert!(store.get::<LiaisonAssignment>(&assignment.id).unwrap().is_some(), "assignments stay");

    sync_pair(&mut store, "a", &mut peer, "b", &people_doc);
    let on_peer = peer.get::<Person>(&p.id).unwrap().unwrap();
    assert_eq!(on_peer.name, plan.placeholder, "the cleared state reaches peers at their next sync");
    assert!(on_peer.phone.is_empty());

    // Durable: a reopened store shows the cleared state.
    let dir = store.dir().to_path_buf();
    drop(store);
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.get::<Person>(&p.id).unwrap().unwrap().name, plan.placeholder);
}

#[test]
fn a_damaged_piece_sequence_key_does_not_wrap_onto_earlier_changes() {
    let (dir, mut store) = new_store();
    let mut o = org("序号测试组织", "510104001001");
    store.insert(&o).unwrap();
    drop(store);
    // A piece key whose sequence number is the largest u64 (disk damage):
    // counting on from it used to wrap to 0 and overwrite the first change.
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        let (_, first) = tree.scan_prefix(b"fed0000000000001/orgs/510104").next().unwrap().unwrap();
        let mut key = b"fed0000000000001/orgs/510104\0c".to_vec();
        key.extend_from_slice(&u64::MAX.to_be_bytes());
        tree.insert(key, first).unwrap();
        db.flush().unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    assert!(store.warnings().iter().any(|w| w.contains("修改序号已损坏")), "{:?}", store.warnings());
    o.members = Some(42);
    store.update(&o).unwrap();
    let other = org("序号测试组织二", "510104001001");
    store.insert(&other).unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap().members, Some(42));
    assert!(store.get::<Organization>(&other.id).unwrap().is_some());
}

#[test]
fn a_document_from_a_newer_schema_is_named_and_not_imported() {
    let (dir, mut store) = new_store();
    let o = org("新版本组织", "510104001001");
    store.insert(&o).unwrap();
    let doc = store.locate(Collection::Orgs, &o.id).unwrap();
    let mut newer = automerge::AutoCommit::load(&store.export_doc(&doc).unwrap()).unwrap();
    automerge::transaction::Transactable::put(&mut newer, automerge::ROOT, "_schema", 99i64).unwrap();
    let err = store.import_doc(&newer.save()).unwrap_err();
    assert!(err.to_string().contains("更新版本") && err.to_string().contains(doc.as_str()), "{err}");
    assert_eq!(store.get::<Organization>(&o.id).unwrap().unwrap(), o, "nothing merged");
    // Held anyway (it arrived by sync from a newer peer): named at open.
    drop(store);
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        let tree = db.open_tree("docs").unwrap();
        for key in tree.scan_prefix(doc.as_str().as_bytes()).keys() {
            tree.remove(key.unwrap()).unwrap();
        }
        let mut key = doc.as_str().as_bytes().to_vec();
        key.extend_from_slice(b"\0b");
        tree.insert(key, newer.save()).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert!(
        store.warnings().iter().any(|w| w.contains("更新版本") && w.contains(doc.as_str())),
        "{:?}",
        store.warnings()
    );
    assert!(store.get::<Organization>(&o.id).unwrap().is_some(), "still readable");
}

#[test]
fn a_heads_digest_follows_changes_and_a_repaired_document() {
    let (_dir, mut store) = new_store();
    let o = org("摘要测试组织", "510104001001");
    store.insert(&o).unwrap();
    let doc = store.locate(Collection::Orgs, &o.id).unwrap();
    let first = store.heads_digest(&doc).unwrap();
    assert_eq!(store.heads_digest(&doc).unwrap(), first, "unchanged, same digest");
    let mut edited = o.clone();
    edited.members = Some(12);
    store.update(&edited).unwrap();
    let second = store.heads_digest(&doc).unwrap();
    assert_ne!(second, first, "a change moves the digest");
    // Dropped for repair and made anew: not the old document's digest.
    store.repair_doc(&doc).unwrap();
    store.ensure_doc(&doc).unwrap();
    assert_ne!(store.heads_digest(&doc).unwrap(), second);
}

/// A job that panics on the store thread fails alone: its caller gets an
/// error, and the store keeps answering everyone with what is on disk.
#[tokio::test]
async fn a_panicking_job_fails_alone_and_the_store_thread_keeps_serving() {
    let (dir, mut store) = new_store();
    let o = org("和平社区舞蹈队", "510104001001");
    store.insert(&o).unwrap();
    let handle = hubsync::store::StoreHandle::spawn(store);
    let failed = handle.try_call_as(None, |_s| -> usize { panic!("injected fault") }).await;
    assert!(matches!(failed, Err(StoreError::JobFailed(_))), "{failed:?}");
    let names: Vec<String> =
        handle.call(|s| s.all::<Organization>().unwrap()).await.into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["和平社区舞蹈队"]);
    let mut more = org("锦官城志愿者协会", "510104001001");
    more.filing_number = "JJ-2".into();
    handle.call(move |s| s.insert(&more).map(|_| ())).await.unwrap();
    assert_eq!(handle.call(|s| s.all::<Organization>().unwrap().len()).await, 2, "writes work after the panic");
    handle.call(|s| s.flush()).await.unwrap();
    drop(dir);
}

/// Closed (a node handing its directory to the UI), the store runs the
/// jobs queued before, lets go of the directory for another process, and
/// fails every later call instead of hanging.
#[tokio::test]
async fn a_closed_store_ran_what_was_queued_and_lets_another_open_the_directory() {
    let (dir, store) = new_store();
    let handle = hubsync::store::StoreHandle::spawn(store);
    let queued = org("和平社区舞蹈队", "510104001001");
    handle.submit(move |s| {
        s.insert(&queued).unwrap();
    });
    handle.close().await;
    let later = handle.try_call_as(None, |s| s.all::<Organization>().unwrap().len()).await;
    assert!(matches!(later, Err(StoreError::JobFailed(_))), "{later:?}");
    handle.close().await; // closing twice returns too
    let reopened = Store::open(dir.path()).expect("the directory was let go");
    let names: Vec<String> = reopened.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["和平社区舞蹈队"], "the job queued before the close was written");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A data directory copied to a second computer (or restored from a
/// backup) and its original both go on editing: each open writes under an
/// actor of its own, so no (actor, sequence) pair is made twice and all
/// three stores (with a third that syncs with both) converge with every edit.
#[test]
fn a_copied_data_directory_and_its_original_both_edit_and_all_converge() {
    let (dir_a, mut a) = new_store();
    let o = org("玉林社区夕阳红舞蹈队", "510104001002");
    a.insert(&o).unwrap();
    a.flush().unwrap();
    drop(a);
    let dir_b = TempDir::new().unwrap();
    copy_dir(dir_a.path(), dir_b.path());
    let mut a = Store::open(dir_a.path()).unwrap();
    let mut b = Store::open(dir_b.path()).unwrap();
    let dir_c = TempDir::new().unwrap();
    let mut c = Store::open(dir_c.path()).unwrap();

    let mut on_a = o.clone();
    on_a.members = Some(12);
    a.update(&on_a).unwrap();
    a.insert(&org("锦官城志愿者协会", "510104001002")).unwrap();
    let mut on_b = o.clone();
    on_b.head_name = "李四".into();
    b.update(&on_b).unwrap();
    b.insert(&org("和平社区合唱团", "510104001002")).unwrap();

    let docs = a.doc_ids(None);
    for _ in 0..2 {
        for doc in &docs {
            sync_pair(&mut a, "A", &mut b, "B", doc);
            sync_pair(&mut b, "B", &mut c, "C", doc);
            sync_pair(&mut a, "A", &mut c, "C", doc);
        }
    }
    c.set_home(&RecordId::from("fed0000000000001")).unwrap();
    for doc in &docs {
        let heads = a.doc_heads(doc);
        assert_eq!(b.doc_heads(doc), heads, "{doc}: A and B");
        assert_eq!(c.doc_heads(doc), heads, "{doc}: A and C");
    }
    for s in [&mut a, &mut b, &mut c] {
        let mut names: Vec<String> = s.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
        names.sort();
        assert_eq!(names, ["和平社区合唱团", "玉林社区夕阳红舞蹈队", "锦官城志愿者协会"]);
        let merged = s.get::<Organization>(&o.id).unwrap().unwrap();
        assert_eq!((merged.members, merged.head_name.as_str()), (Some(12), "李四"), "both edits kept");
    }
}

#[test]
fn a_phone_stored_with_the_wrong_type_is_masked_in_decode_errors() {
    let (_dir, mut a) = new_store();
    let mut o = org("电话类型错误组织", "510104001001");
    o.head_phone = "13812345678".into();
    o.contact_phone = "028-8765 4321".into();
    a.insert(&o).unwrap();
    let doc = a.locate(Collection::Orgs, &o.id).unwrap();
    // A peer's spreadsheet tool wrote the mobile number as a number and the
    // landline as a float: the record no longer decodes.
    let mut raw = automerge::AutoCommit::load(&a.export_doc(&doc).unwrap()).unwrap();
    let obj = match automerge::ReadDoc::get(&raw, automerge::ROOT, o.id.as_str()).unwrap() {
        Some((_, id)) => id,
        None => panic!("record missing"),
    };
    automerge::transaction::Transactable::put(&mut raw, &obj, "head_phone", 13812345678i64).unwrap();
    a.import_doc(&raw.save()).unwrap();
    let err = a.all::<Organization>().unwrap_err().to_string();
    assert!(!err.contains("13812345678"), "phone in full: {err}");
    assert!(err.contains("138****5678") && err.contains(o.id.as_str()), "{err}");
    let (_, errors) = a.all_readable::<Organization>();
    assert!(errors.iter().all(|e| !e.to_string().contains("13812345678")), "{errors:?}");
    // A phone (with its separators) where a number belongs.
    automerge::transaction::Transactable::put(&mut raw, &obj, "head_phone", "13812345678").unwrap();
    automerge::transaction::Transactable::put(&mut raw, &obj, "members", "028-8765 4321").unwrap();
    a.import_doc(&raw.save()).unwrap();
    let err = a.get::<Organization>(&o.id).unwrap_err().to_string();
    assert!(!err.contains("8765 4321") && !err.contains("87654321"), "phone in full: {err}");
}

#[test]
fn a_second_open_during_a_vacuum_neither_deletes_its_files_nor_opens() {
    let (dir, store) = new_store();
    // The first process is part-way through a vacuum: its new database is
    // being written beside the live one while it holds the data directory.
    let new = dir.path().join("db.vacuum");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(new.join("conf"), b"being written").unwrap();
    match Store::open(dir.path()) {
        Err(StoreError::InUse(p)) => assert_eq!(p, dir.path()),
        Err(other) => panic!("expected InUse, got {other}"),
        Ok(_) => panic!("opened twice"),
    }
    assert!(new.join("conf").exists(), "the second open deleted the vacuum's new database");
    match hubsync::store::vacuum(dir.path()) {
        Err(StoreError::InUse(_)) => {}
        other => panic!("a standalone vacuum while open must be refused: {other:?}"),
    }
    assert!(new.join("conf").exists());
    drop(store);
    // Once the first process is gone, the leftover is an interrupted vacuum.
    let store = Store::open(dir.path()).unwrap();
    assert!(!new.exists());
    drop(store);
}

#[test]
fn compact_and_vacuum_in_place_keeps_the_data_directory_locked() {
    let (dir, mut store) = new_store();
    store.insert_many(&(0..50).map(|i| org(&format!("原地整理{i}"), "510104001001")).collect::<Vec<_>>()).unwrap();
    store.compact_and_vacuum().unwrap();
    assert!(matches!(Store::open(dir.path()), Err(StoreError::InUse(_))));
    assert_eq!(store.all::<Organization>().unwrap().len(), 50);
}

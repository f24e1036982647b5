//! Hubs: rosters roll up through every level of the five-level network,
//! siblings get only what they were granted, `private` never travels
//! without a grant naming it, and "first hop only" stops at the first hop.

mod support;

use hubsync::domain::*;
use hubsync::store::{Store, StoreHandle};
use hubsync::sync::{sync_once, Grant, Limits, Peers};
use std::collections::BTreeSet;
use support::{serve_store, Side};
use tempfile::TempDir;

/// A node of one federation of the network, with one organization named
/// after it and a Party member (so that it has a private document).
fn node(name: &str, level: Level, division: &str, parent: &str) -> (Side, RecordId) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let fed = Federation {
        id: RecordId::random(),
        name: name.into(),
        level,
        division: division.into(),
        parent: parent.into(),
        contact_name: String::new(),
        contact_phone: String::new(),
    };
    store.init_federation(&fed).unwrap();
    let mut o = Organization::new(&format!("{name}的组织"), Category::Charity, LegalStatus::Filed, "510104001001");
    o.filing_number = "F1".into();
    store.insert(&o).unwrap();
    let mut p = Person::new(&format!("{name}的党员"));
    p.party_member = true;
    store.insert(&p).unwrap();
    (serve_store(dir, StoreHandle::spawn(store), Limits::default()), fed.id)
}

/// `child` reports to `parent`: the child connects to the parent and gives
/// it `grants` (key -> grant); the parent knows the child by name.
fn link(child: &Side, parent: &Side, grants: &[(&str, Grant)]) {
    let child_id = child.node.identity.node_id;
    let parent_id = parent.node.identity.node_id;
    let child_name = format!("child-{}", child_id.short());
    Peers::update(&parent.node.dir, |p| p.add(child_id, &child_name, None)).unwrap();
    let addr = parent.node.local_addr().unwrap().to_string();
    Peers::update(&child.node.dir, |p| {
        p.add(parent_id, &format!("parent-{}", parent_id.short()), Some(addr))?;
        let me = p.find_mut(&parent_id.to_string())?;
        for (k, g) in grants {
            me.grants.insert(k.to_string(), *g);
        }
        Ok(())
    })
    .unwrap();
}

/// One sync of `n` with every peer it knows an address for, without errors.
async fn sync(n: &Side) {
    for r in sync_once(&n.node, &[]).await.unwrap() {
        let s = r.expect("the session runs");
        assert!(s.errors.is_empty(), "{s:?}");
    }
}

async fn doc_ids(n: &Side) -> BTreeSet<String> {
    n.store.call(|s| s.doc_ids(None).into_iter().map(|d| d.to_string()).collect()).await
}

async fn org_names(n: &Side) -> BTreeSet<String> {
    n.store.call(|s| s.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect()).await
}

/// Federations of which `n` holds a document of `collection`.
async fn holds(n: &Side, collection: &str) -> BTreeSet<String> {
    doc_ids(n)
        .await
        .into_iter()
        .filter(|d| d.split('/').nth(1) == Some(collection))
        .map(|d| d.split('/').next().unwrap().to_string())
        .collect()
}

fn set(ids: &[&RecordId]) -> BTreeSet<String> {
    ids.iter().map(|i| i.0.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rosters_roll_up_through_five_levels_and_private_stays_home() {
    let (province, p) = node("四川省联合会", Level::Province, "510000", "");
    let (city, c) = node("成都市联合会", Level::City, "510100", "");
    let (county, k) = node("锦江区联合会", Level::County, "510104", "");
    let (town, t) = node("春熙路街道联合会", Level::Township, "510104001", "");
    let (village, v) = node("和平社区联合会", Level::Community, "510104001001", "");
    let tree = [("tree:orgs", Grant::Read)];
    link(&village, &town, &[("orgs", Grant::Read), ("private", Grant::Read)]);
    link(&town, &county, &[("tree:*", Grant::Read)]);
    link(&county, &city, &tree);
    link(&city, &province, &tree);
    // Bottom up, one session per link.
    for n in [&village, &town, &county, &city] {
        sync(n).await;
    }
    assert_eq!(
        org_names(&province).await,
        ["四川省联合会", "成都市联合会", "锦江区联合会", "春熙路街道联合会", "和平社区联合会"]
            .iter()
            .map(|n| format!("{n}的组织"))
            .collect(),
        "every level's roster reached the province"
    );
    assert_eq!(holds(&province, "meta").await, set(&[&p, &c, &k, &t, &v]), "with each federation's meta");
    assert_eq!(holds(&province, "people").await, set(&[&p]), "only orgs were granted upwards");
    assert_eq!(holds(&town, "private").await, set(&[&t, &v]), "a grant naming private brings it one hop");
    assert_eq!(holds(&county, "private").await, set(&[&k]), "tree:* does not reach private, at any hop");
    assert_eq!(holds(&county, "people").await, set(&[&k, &t]), "tree:* covers what the township holds of its subtree");
    assert_eq!(holds(&province, "private").await, set(&[&p]));

    // An edit in the village arrives at the province through every hop.
    let mut o = village.store.call(|s| s.all::<Organization>().unwrap()).await.remove(0);
    o.head_name = "新负责人".into();
    let e = o.clone();
    village.store.call(move |s| s.update(&e).map(|_| ())).await.unwrap();
    for n in [&village, &town, &county, &city] {
        sync(n).await;
    }
    let at_top = province.store.call(move |s| s.get::<Organization>(&o.id).unwrap().unwrap()).await;
    assert_eq!(at_top.head_name, "新负责人");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_tree_siblings_get_only_what_they_were_granted() {
    let (province, p) = node("四川省联合会", Level::Province, "510000", "");
    let (city_a, a) = node("成都市联合会", Level::City, "510100", "");
    let (city_b, b) = node("绵阳市联合会", Level::City, "510700", "");
    let (a1, k1) = node("锦江区联合会", Level::County, "510104", "");
    let (a2, k2) = node("青羊区联合会", Level::County, "510105", "");
    let (b1, m1) = node("涪城区联合会", Level::County, "510703", "");
    link(&a1, &city_a, &[("orgs", Grant::Read)]);
    link(&a2, &city_a, &[("orgs", Grant::Read)]);
    link(&b1, &city_b, &[("orgs", Grant::Read)]);
    link(&city_a, &province, &[("tree:orgs", Grant::Read)]);
    link(&city_b, &province, &[("tree:orgs", Grant::Read)]);
    // The city shares its own roster with a county below it (not the tree).
    Peers::update(&city_a.node.dir, |peers| {
        let id = a2.node.identity.node_id.to_string();
        peers.find_mut(&id)?.grants.insert("orgs".into(), Grant::Read);
        Ok(())
    })
    .unwrap();
    for n in [&a1, &a2, &b1, &city_a, &city_b] {
        sync(n).await;
    }
    assert_eq!(holds(&province, "orgs").await, set(&[&p, &a, &b, &k1, &k2, &m1]), "the whole tree");
    assert_eq!(holds(&a2, "orgs").await, set(&[&k2, &a]), "a sibling county: its own and the city's only");
    assert_eq!(holds(&city_b, "orgs").await, set(&[&b, &m1]), "the other city: nothing of Chengdu's");
    assert_eq!(holds(&a1, "orgs").await, set(&[&k1]));

    // Named: the city passes 锦江's roster to 青羊 when told to, nothing else of it.
    Peers::update(&city_a.node.dir, |peers| {
        let id = a2.node.identity.node_id.to_string();
        peers.find_mut(&id)?.grants.insert(format!("{k1}:orgs"), Grant::Read);
        Ok(())
    })
    .unwrap();
    sync(&a2).await;
    assert_eq!(holds(&a2, "orgs").await, set(&[&k2, &a, &k1]));
    assert_eq!(holds(&a2, "meta").await, set(&[&k2, &a, &k1]), "meta travels with a granted document");
    assert!(!holds(&a2, "people").await.contains(&k1.0));

    // 锦江 keeps its roster to the first hop: the province's next copy of
    // it comes from nowhere, new records of it stay at the city.
    a1.store.call(|s| s.set_first_hop_only(&["orgs".to_string()].into())).await.unwrap();
    let mut o = Organization::new("锦江新组织", Category::Charity, LegalStatus::Filed, "510104001001");
    o.filing_number = "F2".into();
    let e = o.clone();
    a1.store.call(move |s| s.insert(&e).map(|_| ())).await.unwrap();
    sync(&a1).await;
    sync(&city_a).await;
    assert!(org_names(&city_a).await.contains("锦江新组织"), "the first hop has it");
    assert!(!org_names(&province).await.contains("锦江新组织"), "the second hop does not");
}

/// Sets the clock `n`'s store stamps arrivals with.
async fn clock_at(n: &Side, clock: hubsync::ops::FixedClock) {
    n.store.call(move |s| s.set_clock(std::sync::Arc::new(clock))).await;
}

async fn network_at(n: &Side, now: hubsync::ops::FixedClock) -> hubsync::ops::network::Network {
    use hubsync::ops::{network, Env};
    n.store
        .call(move |s| network::network(&mut Env::new(s, &now), network::NetworkQuery { stale_days: 30 }).unwrap())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_province_sees_the_tree_how_each_federation_arrives_and_which_went_quiet() {
    use hubsync::ops::network::Arrives;
    use hubsync::ops::FixedClock;
    let (province, p) = node("四川省联合会", Level::Province, "510000", "");
    let (city, c) = node("成都市联合会", Level::City, "510100", "");
    let (jinjiang, j) = node("锦江区联合会", Level::County, "510104", "");
    let (qingyang, q) = node("青羊区联合会", Level::County, "510105", "");
    let tree = [("tree:orgs", Grant::Read)];
    link(&jinjiang, &city, &tree);
    link(&qingyang, &city, &tree);
    link(&city, &province, &tree);
    // Everything first arrives on 1 November.
    for n in [&province, &city] {
        clock_at(n, FixedClock::on(2026, 11, 1)).await;
    }
    for n in [&jinjiang, &qingyang, &city] {
        sync(n).await;
    }
    // On 2 December only Jinjiang has news; Qingyang has been quiet since.
    for n in [&province, &city] {
        clock_at(n, FixedClock::on(2026, 12, 2)).await;
    }
    let mut o = jinjiang.store.call(|s| s.all::<Organization>().unwrap()).await.remove(0);
    o.head_name = "新负责人".into();
    jinjiang.store.call(move |s| s.update(&o).map(|_| ())).await.unwrap();
    sync(&jinjiang).await;
    sync(&city).await;

    let net = network_at(&province, FixedClock::on(2026, 12, 2)).await;
    let rows: Vec<(String, usize, Arrives, bool, usize)> =
        net.federations.iter().map(|r| (r.name.clone(), r.depth, r.arrives.clone(), r.stale, r.orgs)).collect();
    let via_city = Arrives::Via { peer: format!("child-{}", city.node.identity.node_id.short()) };
    let from_city = Arrives::Direct { peer: format!("child-{}", city.node.identity.node_id.short()) };
    assert_eq!(
        rows,
        vec![
            ("四川省联合会".into(), 0, Arrives::Home, false, 1),
            ("成都市联合会".into(), 1, from_city, true, 1),
            ("锦江区联合会".into(), 2, via_city.clone(), false, 1),
            ("青羊区联合会".into(), 2, via_city, true, 1),
        ],
        "the tree in order, the relay named, the quiet ones marked"
    );
    let qy = &net.federations[3];
    assert_eq!(qy.days_quiet, Some(31));
    assert_eq!(qy.last_received, Some(FixedClock::on(2026, 11, 1).0));
    assert_eq!(qy.parent.as_deref(), Some(c.as_str()));
    assert_eq!(net.federations[0].id, p.0);
    assert_eq!(net.stale().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![c.0.clone(), q.0.clone()]);

    // The city hears from each county directly.
    let net = network_at(&city, FixedClock::on(2026, 12, 2)).await;
    let jj = net.federations.iter().find(|r| r.id == j.0).unwrap();
    assert!(matches!(jj.arrives, Arrives::Direct { .. }), "{jj:?}");
    assert!(!jj.stale);
    assert_eq!(net.federations.iter().map(|r| r.depth).collect::<Vec<_>>(), vec![0, 1, 1], "city, then its counties");

    // Reports restricted to a subtree, saying what they cover: a county by
    // its division, the city by its division or id (itself and both its
    // counties), and a division the province holds nothing of is refused.
    let under = |what: &str| {
        let what = what.to_string();
        province.store.call(move |s| {
            let peers = Peers::load(s.dir()).unwrap().peers;
            let now = FixedClock::on(2026, 12, 2).0;
            hubsync::ops::network::report_under(s, &peers, now, &what, now.date())
                .map(|r| (r.covers.iter().map(|c| c.name.clone()).collect::<Vec<_>>(), r.report.by_category.total()))
                .map_err(|e| e.to_string())
        })
    };
    assert_eq!(under("510104").await, Ok((vec!["锦江区联合会".to_string()], 1)));
    let city_scope = Ok((vec!["成都市联合会".to_string(), "锦江区联合会".into(), "青羊区联合会".into()], 3));
    assert_eq!(under("510100").await, city_scope);
    assert_eq!(under(c.as_str()).await, city_scope);
    assert_eq!(under("510000").await.unwrap().1, 4, "the whole province");
    let refused = under("510300").await.unwrap_err();
    assert!(refused.contains("510300") && refused.contains("no federation held"), "{refused}");
}

/// A relay vouches only for its own subtree: a county that passes on a
/// federation of another city (one it made up, or merely holds) finds it
/// refused at the city, with the reason named, and nothing of it stored;
/// its own township's roster still arrives in the same session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_brings_new_federations_only_from_below_its_own() {
    let (city, c) = node("成都市联合会", Level::City, "510100", "");
    let (county, k) = node("锦江区联合会", Level::County, "510104", "");
    let (town, t) = node("春熙路街道联合会", Level::Township, "510104001", "");
    let (stranger, x) = node("自流井区联合会", Level::County, "510302", "");
    link(&town, &county, &[("orgs", Grant::Read)]);
    link(&stranger, &county, &[("orgs", Grant::Read)]);
    sync(&town).await;
    sync(&stranger).await;
    assert!(holds(&county, "orgs").await.contains(&x.0), "the county holds the stranger's roster");
    let named = format!("{x}:orgs");
    link(&county, &city, &[("tree:orgs", Grant::Read), (named.as_str(), Grant::Read)]);

    let summary = sync_once(&county.node, &[]).await.unwrap().remove(0).expect("the session runs");
    assert_eq!(holds(&city, "orgs").await, set(&[&c, &k, &t]), "the township came through, the stranger did not");
    assert!(!holds(&city, "meta").await.contains(&x.0), "nothing of the stranger is stored");
    let refused = summary.errors.join("\n");
    assert!(refused.contains(&format!("{x}/meta")) && refused.contains("自流井区联合会"), "named: {refused}");
}

/// "Last synced" in the peer list comes from the node's clock, not the
/// machine's: a field laptop whose clock is wrong shows its own time, and a
/// test can fix it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_peer_list_stamps_a_sync_with_the_nodes_clock() {
    let (city, _) = node("成都市联合会", Level::City, "510100", "");
    let (county, _) = node("锦江区联合会", Level::County, "510104", "");
    link(&county, &city, &[("orgs", Grant::Read)]);
    let dir = county.node.dir.clone();
    let store = county.store.clone();
    let clock = hubsync::ops::FixedClock::on(2031, 3, 1);
    let laptop =
        hubsync::sync::Node::start_with_limits(dir.clone(), store, "127.0.0.1:0".parse().unwrap(), Limits::default())
            .unwrap()
            .with_clock(std::sync::Arc::new(clock));
    let summary = sync_once(&laptop, &[]).await.unwrap().remove(0).expect("the session runs");
    assert!(summary.errors.is_empty(), "{summary:?}");
    let status = hubsync::sync::status(&dir).unwrap();
    assert_eq!(status[0].last_sync.as_deref(), Some("2031-03-01 09:00:00"));
}

/// `export --under`: a province hub holding a city and two of its counties
/// exports only the subtree's records, says in the file which federations
/// they come from and how current they are, and the file re-imports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_under_a_division_holds_only_the_subtree_and_says_what_it_covers() {
    use hubsync::ops::export::{export_under, Export, Format, Kind};
    use hubsync::ops::{Env, FixedClock};
    let (province, _) = node("四川省联合会", Level::Province, "510000", "");
    let (city, _) = node("成都市联合会", Level::City, "510100", "");
    let (jinjiang, _) = node("锦江区联合会", Level::County, "510104", "");
    let (qingyang, _) = node("青羊区联合会", Level::County, "510105", "");
    // Each county's organization in its own township (the fixture puts all
    // in one, where their filing numbers would clash on import).
    for (n, township) in [(&city, "510104002001"), (&jinjiang, "510104001001"), (&qingyang, "510105001001")] {
        let mut o = n.store.call(|s| s.all::<Organization>().unwrap()).await.remove(0);
        o.division = township.into();
        n.store.call(move |s| s.update(&o).map(|_| ())).await.unwrap();
    }
    let tree = [("tree:orgs", Grant::Read)];
    link(&jinjiang, &city, &tree);
    link(&qingyang, &city, &tree);
    link(&city, &province, &tree);
    clock_at(&province, FixedClock::on(2026, 11, 1)).await;
    for n in [&jinjiang, &qingyang, &city] {
        sync(n).await;
    }
    // Only Jinjiang has news on 1 December: the city's figures as a whole
    // are as of 1 November, Jinjiang's alone as of 1 December.
    clock_at(&province, FixedClock::on(2026, 12, 1)).await;
    let mut o = jinjiang.store.call(|s| s.all::<Organization>().unwrap()).await.remove(0);
    o.head_name = "新负责人".into();
    jinjiang.store.call(move |s| s.update(&o).map(|_| ())).await.unwrap();
    sync(&jinjiang).await;
    sync(&city).await;

    let export = |kind: Kind, format: Format, under: &str| {
        let under = under.to_string();
        province.store.call(move |s| {
            let cmd = Export {
                kind,
                format,
                selection: Default::default(),
                activities: Default::default(),
                with_party_membership: false,
                lang: Lang::Zh,
            };
            export_under(&mut Env::new(s, &FixedClock::on(2026, 12, 2)), &cmd, &under).map_err(|e| e.to_string())
        })
    };
    let city_orgs: BTreeSet<String> =
        ["成都市联合会的组织", "锦江区联合会的组织", "青羊区联合会的组织"].map(String::from).into();

    // CSV: the title row above the header; the province's own organization left out.
    let csv = export(Kind::Orgs, Format::Csv { gbk: false }, "510100").await.unwrap();
    assert_eq!(csv.rows, 3);
    assert_eq!(csv.data_as_of, Some(FixedClock::on(2026, 11, 1).0));
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    let mut lines = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.bytes.as_slice());
    let title = lines.records().next().unwrap().unwrap();
    assert_eq!(
        title[0].trim_start_matches('\u{feff}'),
        "涵盖范围: 成都市联合会(510100)及下级 2 个联合会,数据截至 2026-11-01"
    );
    assert!(title.iter().skip(1).all(str::is_empty), "the rest of the title row empty, as Excel writes a merged title");
    assert!(!text.contains("四川省联合会的组织"), "{text}");
    let jinjiang_only = export(Kind::Orgs, Format::Csv { gbk: false }, "510104").await.unwrap();
    assert_eq!(jinjiang_only.covers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["锦江区联合会"]);
    assert_eq!((jinjiang_only.rows, jinjiang_only.data_as_of), (1, Some(FixedClock::on(2026, 12, 1).0)));
    let title = String::from_utf8(jinjiang_only.bytes).unwrap();
    assert!(title.starts_with("\u{feff}\"涵盖范围: 锦江区联合会(510104),数据截至 2026-12-01\","), "{title}");

    // JSON: an object saying what it covers, around the records.
    let json = export(Kind::Orgs, Format::Json, "510100").await.unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    assert_eq!(v["under"], "510100");
    assert_eq!(v["as_of"], serde_json::json!(FixedClock::on(2026, 12, 2).0));
    assert_eq!(v["data_as_of"], serde_json::json!(FixedClock::on(2026, 11, 1).0));
    let covered: Vec<&str> = v["covers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(covered, vec!["成都市联合会", "锦江区联合会", "青羊区联合会"]);
    assert_eq!(v["covers"][1]["division"], "510104");
    let names: BTreeSet<String> =
        v["records"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, city_orgs);
    // People (only the province's own: the counties granted `orgs` alone),
    // without Party membership unless asked.
    assert_eq!(export(Kind::People, Format::Json, "510105").await.unwrap().rows, 0);
    let people = export(Kind::People, Format::Json, "510000").await.unwrap();
    let v: serde_json::Value = serde_json::from_slice(&people.bytes).unwrap();
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(
        (records[0]["name"].as_str(), records[0]["party_member"].as_bool()),
        (Some("四川省联合会的党员"), Some(false))
    );

    // XLSX: the records first, then the 涵盖范围 sheet, one row per federation.
    let xlsx = export(Kind::Orgs, Format::Xlsx, "510100").await.unwrap();
    {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
        assert_eq!(book.sheet_names()[1], "涵盖范围");
        let range = book.worksheet_range("涵盖范围").unwrap();
        let rows: Vec<Vec<String>> =
            range.rows().map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect()).collect();
        assert_eq!(rows[0], vec!["联合会", "层级", "行政区划", "数据来源", "最后收到变更"]);
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[2][..3], &["锦江区联合会", "县", "510104"].map(String::from)[..], "{rows:?}");
        assert_eq!(rows[2][4], FixedClock::on(2026, 12, 1).0.format("%Y-%m-%d %H:%M").to_string());
        assert!(rows[2][3].starts_with("经由"), "through the city: {rows:?}");
    }

    // Each file re-imports into another federation's store, title row and all.
    for (file, bytes, header_line) in [("subtree.csv", csv.bytes, 2), ("subtree.xlsx", xlsx.bytes, 1)] {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        let mut store = Store::open(&dir.path().join("data")).unwrap();
        store.init_federation(&support::federation("成都市联合会", "510100")).unwrap();
        let done = hubsync::ops::import::import(
            &mut Env::new(&mut store, &FixedClock::on(2026, 12, 2)),
            hubsync::ops::import::Import {
                kind: hubsync::ops::import::Kind::Orgs,
                file: path,
                options: Default::default(),
                mode: hubsync::ops::import::Mode::All,
            },
        )
        .unwrap();
        assert_eq!(done.outcome, hubsync::ops::import::Outcome::Written(3), "{file}: {:?}", done.report);
        assert_eq!(done.report.header_line, header_line, "{file}: the CSV's header below its title row");
        let names: BTreeSet<String> = store.all::<Organization>().unwrap().into_iter().map(|o| o.name).collect();
        assert_eq!(names, city_orgs, "{file}");
    }

    // Refused, in both languages: a division the hub holds nothing of, and a malformed code.
    let nothing = export(Kind::Orgs, Format::Csv { gbk: false }, "510300").await.unwrap_err();
    assert!(nothing.contains("本节点没有") && nothing.contains("no federation held at or below 510300"), "{nothing}");
    let malformed = export(Kind::Orgs, Format::Csv { gbk: false }, "5101x").await.unwrap_err();
    assert!(malformed.contains("5101x") && malformed.contains("不是有效的行政区划代码"), "{malformed}");
    assert!(malformed.contains("nor a valid division code") && malformed.contains("must be digits"), "{malformed}");
}

/// The UI's F12 (ops::export::save_file, as the organizations and statistics
/// tabs call it) limited to a subtree: the ledger holds only the city's
/// organizations, the report counts only them and its JSON names what it
/// covers, and an area the hub holds nothing of is named at the form's field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_saved_from_the_ui_under_a_city_holds_only_the_city() {
    use hubsync::ops::export::{save_file, Content, Export, Format, Kind, ReportFile, ReportPart, SaveFile};
    use hubsync::ops::{Env, FixedClock, OpError};
    let (province, _) = node("四川省联合会", Level::Province, "510000", "");
    let (city, _) = node("成都市联合会", Level::City, "510100", "");
    let (county, _) = node("锦江区联合会", Level::County, "510104", "");
    let tree = [("tree:orgs", Grant::Read)];
    link(&county, &city, &tree);
    link(&city, &province, &tree);
    sync(&county).await;
    sync(&city).await;
    let out = TempDir::new().unwrap();
    let save = |content: Content, file: &str| {
        let path = out.path().join(file);
        province
            .store
            .call(move |s| save_file(&mut Env::new(s, &FixedClock::on(2026, 12, 2)), SaveFile { content, path }))
    };
    let ledger = Export {
        kind: Kind::Orgs,
        format: Format::Csv { gbk: false },
        selection: Default::default(),
        activities: Default::default(),
        with_party_membership: false,
        lang: Lang::Zh,
    };

    let saved = save(Content::RecordsUnder(ledger.clone(), "510100".into()), "成都.csv").await.unwrap();
    assert_eq!(saved.rows, 2, "the city's and the county's organization, not the province's");
    let names: Vec<&str> = saved.covers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["成都市联合会", "锦江区联合会"]);
    let text = std::fs::read_to_string(out.path().join("成都.csv")).unwrap();
    assert!(text.contains("锦江区联合会的组织") && !text.contains("四川省联合会的组织"), "{text}");
    let everything = save(Content::Records(ledger.clone()), "全部.csv").await.unwrap();
    assert_eq!((everything.rows, everything.covers.len()), (3, 0));

    let report = |format: Format, under: Option<&str>| ReportFile {
        as_of: None,
        format,
        lang: Lang::Zh,
        part: ReportPart::All,
        under: under.map(String::from),
    };
    save(Content::Report(report(Format::Json, Some("510100"))), "成都.json").await.unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("成都.json")).unwrap()).unwrap();
    assert_eq!(v["covers"].as_array().unwrap().len(), 2);
    save(Content::Report(report(Format::Json, None)), "全部.json").await.unwrap();
    let whole: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("全部.json")).unwrap()).unwrap();
    assert!(whole.get("covers").is_none());
    let orgs = |v: &serde_json::Value| {
        ["surviving", "exited", "founded_later"].iter().map(|k| v["base"][k].as_u64().unwrap()).sum::<u64>()
    };
    assert_eq!((orgs(&whole), orgs(&v)), (3, 2), "the province's own organization left out");

    // Nothing held under Chongqing: refused at the form's field, no file.
    for content in
        [Content::RecordsUnder(ledger, "500000".into()), Content::Report(report(Format::Xlsx, Some("500000")))]
    {
        match save(content, "重庆.xlsx").await {
            Err(OpError::Invalid(fields)) => assert_eq!(fields[0].field, "under", "{fields:?}"),
            other => panic!("{other:?}"),
        }
        assert!(!out.path().join("重庆.xlsx").exists());
    }
}

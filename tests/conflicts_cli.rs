//! Conflicts of every kind from the command line: `hubsync conflicts` lists
//! every record holding values two devices wrote at once (a booking and an
//! activity here, not only organizations), with who wrote each value and the
//! command that settles it; `hubsync resolve KIND ID FIELD VALUE` keeps one.
//! Before, only `org resolve` existed, while the TUI sent secretaries "to the
//! CLI" for bookings, assignments and attendance.

#[path = "support/cli.rs"]
mod command_line;
use command_line::hubsync;
use hubsync::domain::*;
use hubsync::ops::FixedClock;
use hubsync::store::{DocId, Store};
use std::sync::Arc;
use tempfile::TempDir;
#[path = "support/pair.rs"]
mod pair;
use pair::sync_pair;

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

/// The office PC's data directory after a field laptop (whose clock is a
/// year behind) edited the same booking's purpose and the same activity's
/// title at once, merged. Returns the directory, the booking and the activity.
fn merged() -> (TempDir, Booking, Activity) {
    let da = TempDir::new().unwrap();
    let db = TempDir::new().unwrap();
    let mut a = Store::open(da.path()).unwrap();
    a.set_clock(Arc::new(FixedClock(at(2025, 11, 4, 9))));
    let mut b = Store::open(db.path()).unwrap();
    b.set_clock(Arc::new(FixedClock(at(2024, 11, 4, 10))));
    let d = demo::DemoData::generate(2021, 12);
    a.init_federation(&d.federation).unwrap();
    a.insert_many(&d.orgs).unwrap();
    a.insert_many(&d.venues).unwrap();
    a.insert_many(&d.bookings).unwrap();
    let o = &d.orgs[0];
    let day = chrono::NaiveDate::from_ymd_opt(2025, 10, 29).unwrap();
    let activity = Activity::new(o.id.clone(), &o.division, day, "重阳节敬老茶话会", ActivityKind::Care);
    a.insert(&activity).unwrap();
    let booking = d.bookings[0].clone();
    let docs = [
        DocId::parse(&format!("{}/meta", d.federation.id)).unwrap(),
        a.locate(Collection::Bookings, &booking.id).unwrap(),
        a.locate(Collection::Activities, &activity.id).unwrap(),
    ];
    for doc in &docs {
        sync_pair(&mut a, "A", &mut b, "B", doc);
    }
    a.update(&Booking { purpose: "党员学习日".into(), ..booking.clone() }).unwrap();
    b.update(&Booking { purpose: "舞蹈排练".into(), ..booking.clone() }).unwrap();
    a.update(&Activity { title: "重阳节敬老茶话会(第一场)".into(), ..activity.clone() }).unwrap();
    b.update(&Activity { title: "重阳敬老茶话会".into(), ..activity.clone() }).unwrap();
    for doc in &docs[1..] {
        sync_pair(&mut a, "A", &mut b, "B", doc);
    }
    drop(a);
    (da, booking, activity)
}

#[test]
fn every_kind_of_conflict_is_listed_and_settled_from_the_command_line() {
    let (dir, booking, activity) = merged();
    let out = hubsync(&dir).arg("conflicts").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    // Both records, each value, and the command that settles each field.
    assert!(out.contains("场地预约") && out.contains("活动"), "{out}");
    assert!(out.contains("党员学习日") && out.contains("舞蹈排练"), "{out}");
    assert!(out.contains("重阳节敬老茶话会(第一场)") && out.contains("重阳敬老茶话会"), "{out}");
    assert!(out.contains(&format!("hubsync resolve bookings {} purpose", booking.id)), "{out}");
    assert!(out.contains(&format!("hubsync resolve activities {} title", activity.id)), "{out}");
    assert!(out.contains("本机"), "the writer of a value is named: {out}");
    assert!(out.contains("2024-11-04"), "and when its (wrong) clock said: {out}");

    // A value that is not one of the conflicting ones is refused, in both languages, and nothing changes.
    let err = hubsync(&dir)
        .args(["resolve", "bookings", booking.id.as_str(), "purpose", "周末活动"])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("不是冲突值之一") && err.contains("not one of the conflicting values"), "{err}");
    // An unknown kind names the kinds there are.
    let err = hubsync(&dir).args(["resolve", "venue-bookings", "x", "purpose", "y"]).assert().failure();
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(err.contains("bookings") && err.contains("activities"), "{err}");

    hubsync(&dir).args(["resolve", "bookings", booking.id.as_str(), "purpose", "舞蹈排练"]).assert().success();
    hubsync(&dir).args(["resolve", "activities", activity.id.as_str(), "title", "重阳敬老茶话会"]).assert().success();
    let out = hubsync(&dir).arg("conflicts").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("没有并发修改冲突"), "{out}");
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.get::<Booking>(&booking.id).unwrap().unwrap().purpose, "舞蹈排练");
    assert_eq!(store.get::<Activity>(&activity.id).unwrap().unwrap().title, "重阳敬老茶话会");
}

#[test]
fn conflicts_in_json_give_scripts_kinds_fields_and_values() {
    let (dir, booking, _) = merged();
    let out = hubsync(&dir).args(["conflicts", "--format", "json"]).assert().success().get_output().stdout.clone();
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows = rows.as_array().expect("an array");
    let row = rows.iter().find(|r| r["id"] == booking.id.as_str()).expect("the booking");
    assert_eq!(row["kind"], "bookings");
    assert_eq!(row["field"], "purpose");
    let values: Vec<&str> = row["values"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(values.contains(&"党员学习日") && values.contains(&"舞蹈排练"), "{values:?}");
}

/// Who wrote each value comes out of ops as data (this device, an unknown
/// node), and each language names it: the English has no Chinese in it.
#[test]
fn the_writer_of_a_value_is_data_named_in_the_users_language() {
    use hubsync::store::Writer;
    let (dir, booking, _) = merged();
    let mut store = Store::open(dir.path()).unwrap();
    let clock = FixedClock(at(2025, 11, 5, 9));
    let found = hubsync::ops::conflicts::all(&mut hubsync::ops::Env::new(&mut store, &clock)).unwrap();
    let row = found.iter().find(|r| r.id == booking.id).expect("the booking");
    let writers: Vec<&Writer> = row.conflicts[0].origins.iter().map(|o| &o.by).collect();
    assert!(writers.contains(&&Writer::ThisDevice), "{writers:?}");
    assert!(
        writers.iter().any(|w| matches!(w, Writer::Unknown { actor } if actor.len() == 7)),
        "the laptop is known to no list here: {writers:?}"
    );
    drop(store);
    let out = hubsync(&dir).args(["--lang", "en", "conflicts"]).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("(by this device · 2025-11-04") && out.contains("(by unknown node "), "{out}");
    assert!(!out.contains("本机") && !out.contains("未知节点"), "{out}");
}

//! `Store::conflicted`: every record holding concurrent values, which the
//! TUI reads on every load (the ⚠ marks, the per-tab and status-line counts,
//! F7's list). Measured with real conflicts: an organization and an
//! activity edited on a second store and merged back.

use crate::measure::{timed, Table};
use crate::sections::{copy_dir, Fixture};
use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use tempfile::TempDir;

/// Syncs one document between two stores until neither has anything to send.
fn sync_doc(a: &mut Store, b: &mut Store, doc: &DocId) {
    for _ in 0..50 {
        let mut quiet = true;
        if let Some(m) = a.sync_generate("b", doc).expect("generate") {
            b.sync_receive("a", doc, &m, true).expect("receive");
            quiet = false;
        }
        if let Some(m) = b.sync_generate("a", doc).expect("generate") {
            a.sync_receive("b", doc, &m, true).expect("receive");
            quiet = false;
        }
        if quiet {
            return;
        }
    }
    panic!("sync did not settle");
}

pub fn conflicted(f: &Fixture, runs: usize, table: &mut Table) {
    let copy = TempDir::new().expect("temp");
    copy_dir(f.dir.path(), copy.path());
    let mut a = Store::open(copy.path()).expect("open");
    // A second device holding the two documents, editing the same fields.
    let other = TempDir::new().expect("temp");
    let mut b = Store::open(other.path()).expect("open");
    let org = f.records[f.records.len() / 2].clone();
    let activity = a.all::<Activity>().expect("activities").into_iter().next().expect("the demo logs activities");
    let docs = [
        a.locate(Collection::Orgs, &org.id).expect("org doc"),
        a.locate(Collection::Activities, &activity.id).expect("activity doc"),
    ];
    let meta = DocId::parse(&format!("{}/meta", docs[0].federation())).expect("meta id");
    for doc in docs.iter().chain([&meta]) {
        sync_doc(&mut a, &mut b, doc);
    }
    a.update(&Organization { head_name: "李桂兰".into(), ..org.clone() }).expect("edit a");
    b.update(&Organization { head_name: "李贵兰".into(), ..org.clone() }).expect("edit b");
    a.update(&Activity { title: format!("{}(改期)", activity.title), ..activity.clone() }).expect("edit a");
    b.update(&Activity { title: format!("{}(延期)", activity.title), ..activity.clone() }).expect("edit b");
    for doc in &docs {
        sync_doc(&mut a, &mut b, doc);
    }
    drop(b);
    drop(a);

    let documents = Store::read_raw(copy.path()).expect("raw").len();
    let mut first = Vec::new();
    let mut again = Vec::new();
    let mut after_edit = Vec::new();
    let mut found = 0;
    for run in 0..runs {
        let mut store = Store::open(copy.path()).expect("open");
        let (list, t) = timed(|| store.conflicted());
        found = list.len();
        first.push(t);
        let (_, t) = timed(|| store.conflicted());
        again.push(t);
        let mut other = f.records[f.records.len() / 3].clone();
        other.members = Some(200 + run as u32);
        store.update(&other).expect("edit");
        let (_, t) = timed(|| store.conflicted());
        after_edit.push(t);
    }
    assert_eq!(found, 2, "the organization and the activity edited on both stores");
    let note = format!("{documents} documents, {found} conflicted records (an organization, an activity)");
    table.time(f.orgs, "conflicted(): first call after open (every document scanned)", &first, note);
    table.time(f.orgs, "conflicted(): again, nothing changed (per-document cache)", &again, String::new());
    table.time(f.orgs, "conflicted(): after one edit (one document rescanned)", &after_edit, String::new());
}

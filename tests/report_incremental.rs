//! The report after edits is read through a cache of records per document
//! (src/store/report/cache.rs): after each kind of change to one county, the
//! report of the running store must equal the report of a store freshly
//! opened from a copy of the same documents, as a whole value.

#[path = "support/pair.rs"]
mod pair;

use hubsync::domain::report::Report;
use hubsync::domain::*;
use hubsync::ops::demo::{load, LoadDemo};
use hubsync::ops::{self, Env, FixedClock};
use hubsync::store::{DocId, RestoredDoc, Store};
use pair::sync_pair;
use std::sync::Arc;
use tempfile::TempDir;

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const AS_OF: (i32, u32, u32) = (2026, 6, 30);

fn as_of() -> chrono::NaiveDate {
    day(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// The paths where two reports differ (a whole report is too long to print).
fn differences(a: &Report, b: &Report) -> Vec<String> {
    fn walk(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
        use serde_json::Value::{Array, Object};
        match (a, b) {
            (Object(x), Object(y)) => {
                for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                    let null = serde_json::Value::Null;
                    walk(&format!("{path}.{k}"), x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null), out);
                }
            }
            (Array(x), Array(y)) if x.len() == y.len() => {
                for (i, (x, y)) in x.iter().zip(y).enumerate() {
                    walk(&format!("{path}[{i}]"), x, y, out);
                }
            }
            _ if a != b => out.push(format!("{path}: {} vs {}", short(a), short(b))),
            _ => {}
        }
    }
    fn short(v: &serde_json::Value) -> String {
        let s = v.to_string();
        s.chars().take(160).collect()
    }
    let mut out = Vec::new();
    walk("", &serde_json::to_value(a).unwrap(), &serde_json::to_value(b).unwrap(), &mut out);
    out.truncate(8);
    out
}

/// Equal as whole values; where not, the first differences named.
fn assert_same(a: &Report, b: &Report, what: &str) {
    if a != b {
        panic!("{what}: the reports differ at {:#?}", differences(a, b));
    }
}

fn clock() -> FixedClock {
    FixedClock::on(AS_OF.0, AS_OF.1, AS_OF.2)
}

fn demo() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    load(&mut Env::new(&mut store, &clock()), LoadDemo { seed: 11, orgs: 600, today: Some(as_of()) }).unwrap();
    (dir, store)
}

/// The same documents installed in a new directory, closed, opened again:
/// nothing read before, nothing cached.
fn fresh_copy(store: &mut Store) -> (TempDir, Store) {
    let snap = store.snapshot().unwrap();
    let dir = TempDir::new().unwrap();
    {
        let mut copy = Store::open(dir.path()).unwrap();
        let docs = snap
            .docs
            .into_iter()
            .map(|(id, bytes, _)| RestoredDoc { id, doc: automerge::AutoCommit::load(&bytes).unwrap() })
            .collect();
        copy.install_snapshot(snap.home.as_ref(), docs, &snap.sigs, &snap.meta).unwrap();
    }
    let reopened = Store::open(dir.path()).unwrap();
    (dir, reopened)
}

/// The running store's report (and a subtree's, through `report_within`)
/// equals the fresh copy's, and the change `what` showed in it.
fn same_as_fresh(store: &mut Store, before: &Report, what: &str) -> Arc<Report> {
    let (report, problems) = store.report(as_of());
    assert!(problems.is_empty(), "{what}: {problems:?}");
    assert_ne!(&*report, before, "{what}: the change shows in the report");
    let (_d, fresh) = fresh_copy(store);
    let (scratch, fresh_problems) = fresh.report(as_of());
    assert!(fresh_problems.is_empty(), "{what}: {fresh_problems:?}");
    assert_same(&report, &scratch, &format!("{what}: incremental against from scratch"));
    assert_same(&store.report(as_of()).0, &report, &format!("{what}: asked again"));
    let home = store.home().unwrap().clone();
    let keep = |d: &DocId| d.federation() == home;
    let fed = store.federation();
    let (sub, _) = store.report_within(as_of(), &keep, fed.clone());
    let (sub_fresh, _) = fresh.report_within(as_of(), &keep, fed);
    assert_same(&sub, &sub_fresh, &format!("{what}: the subtree's report"));
    report
}

#[test]
fn a_report_after_each_kind_of_change_equals_one_computed_from_scratch() {
    let (_dir, mut store) = demo();
    let (first, problems) = store.report(as_of());
    assert!(problems.is_empty(), "{problems:?}");
    let (_d, fresh) = fresh_copy(&mut store);
    assert_same(&first, &fresh.report(as_of()).0, "before any change");
    drop(fresh);

    let orgs = store.all::<Organization>().unwrap();
    let county = validate::county_of(&orgs[0].division).to_string();
    let here: Vec<&Organization> = orgs
        .iter()
        .filter(|o| validate::county_of(&o.division) == county && o.lifecycle != Lifecycle::Exited)
        .collect();
    assert!(here.len() > 5, "a county with organizations: {}", here.len());

    // An organization's one field.
    let mut edited = here[0].clone();
    edited.category =
        if edited.category == Category::CultureSports { Category::Charity } else { Category::CultureSports };
    store.update(&edited).unwrap();
    let r = same_as_fresh(&mut store, &first, "an organization edited");

    // An activity added in that county, this year.
    let activities = store.all::<Activity>().unwrap();
    let mut added = activities.iter().find(|a| a.organizations.contains(&here[1].id)).unwrap_or(&activities[0]).clone();
    added.id = RecordId::random();
    added.date = day(2026, 6, 1);
    added.title = "新增的邻里守望活动".into();
    store.insert(&added).unwrap();
    let r = same_as_fresh(&mut store, &r, "an activity added");

    // A liaison assigned to an uncovered organization.
    let uncovered = r.uncovered.iter().find(|o| validate::county_of(&o.division) == county).unwrap().id.clone();
    let person = store.all::<Person>().unwrap()[0].id.clone();
    let cmd = ops::liaisons::Assign {
        person: (&person).into(),
        org: (&uncovered).into(),
        role: AssignmentRole::Liaison,
        from: Some(day(2026, 6, 1)),
        dispatched_by: "街道党工委".into(),
    };
    ops::liaisons::assign(&mut Env::new(&mut store, &clock()), cmd).unwrap();
    let r = same_as_fresh(&mut store, &r, "a liaison assigned");

    // An organization exited.
    store.exit_org(&here[2].id, day(2026, 5, 1), "停止活动").unwrap();
    let r = same_as_fresh(&mut store, &r, "an organization exited");

    // An organization moved to another county: its record leaves one document for another.
    let other = orgs.iter().find(|o| validate::county_of(&o.division) != county);
    let r = match other {
        Some(o) => {
            let mut moved = here[3].clone();
            moved.division = o.division.clone();
            moved.township = o.township.clone();
            moved.community = o.community.clone();
            store.update(&moved).unwrap();
            same_as_fresh(&mut store, &r, "an organization moved to another county")
        }
        None => r,
    };

    // Moved to a county no record was in: its document is made, and comes
    // before the documents already read (the report keeps them in order).
    let counties: std::collections::BTreeSet<&str> = orgs.iter().map(|o| validate::county_of(&o.division)).collect();
    let first: u32 = counties.iter().next().unwrap().parse().unwrap();
    let empty = Some((first - 1).to_string()).filter(|c| !counties.contains(c.as_str()));
    let code = empty.expect("a county code with no organization, ordered before the others");
    let mut moved = here[5].clone();
    moved.division = code.to_string();
    moved.township = String::new();
    moved.community = String::new();
    let was_in = store.locate(Collection::Orgs, &moved.id).unwrap();
    store.update(&moved).unwrap();
    assert_ne!(store.locate(Collection::Orgs, &moved.id).unwrap(), was_in, "another document");
    let r = same_as_fresh(&mut store, &r, "an organization moved to a county with no document yet");
    assert!(r.counties.iter().any(|c| c.code == code), "the new county is counted");

    // A private field alone (kept in the federation's private document).
    let members = store.all::<Person>().unwrap();
    let mut p = members.iter().find(|p| !p.party_member).unwrap().clone();
    p.party_member = true;
    store.update(&p).unwrap();
    let (after_private, _) = store.report(as_of());
    let (_d, fresh) = fresh_copy(&mut store);
    assert_same(&after_private, &fresh.report(as_of()).0, "a private field changed");
    drop(fresh);

    // A document received from a peer: a field laptop of the same federation edits an organization.
    let peer_dir = TempDir::new().unwrap();
    let mut peer = Store::open(peer_dir.path()).unwrap();
    let doc = store.locate(Collection::Orgs, &here[4].id).unwrap();
    let meta = DocId::parse(&format!("{}/meta", store.home().unwrap())).unwrap();
    sync_pair(&mut store, "node", &mut peer, "laptop", &doc);
    sync_pair(&mut store, "node", &mut peer, "laptop", &meta);
    peer.set_home(&store.home().unwrap().clone()).unwrap();
    let mut on_peer = peer.get::<Organization>(&here[4].id).unwrap().unwrap();
    on_peer.category = if on_peer.category == Category::Charity { Category::MutualAid } else { Category::Charity };
    peer.update(&on_peer).unwrap();
    sync_pair(&mut store, "node", &mut peer, "laptop", &doc);
    assert_eq!(store.get::<Organization>(&here[4].id).unwrap().unwrap().category, on_peer.category, "received");
    let r = same_as_fresh(&mut store, &r, "a document received from a peer");

    // Namesakes, as they arrive by sync: the laptop, holding only its
    // county, names its organization as one of another county is named.
    let namesake = orgs.iter().find(|o| validate::county_of(&o.division) != county).expect("another county");
    on_peer.name = namesake.name.clone();
    peer.update(&on_peer).unwrap();
    sync_pair(&mut store, "node", &mut peer, "laptop", &doc);
    assert_eq!(store.get::<Organization>(&here[4].id).unwrap().unwrap().name, namesake.name, "received");
    same_as_fresh(&mut store, &r, "two organizations of one name");
}

#[test]
fn a_record_a_peer_broke_is_named_by_every_report_until_mended() {
    let (_dir, mut store) = demo();
    let (clean, _) = store.report(as_of());
    let org = store.all::<Organization>().unwrap().into_iter().find(|o| o.lifecycle != Lifecycle::Exited).unwrap();
    let doc = store.locate(Collection::Orgs, &org.id).unwrap();
    store.forge_under(&doc, automerge::ActorId::random(), org.id.as_str(), "category", "bogus").unwrap();
    for round in 0..2 {
        let (report, problems) = store.report(as_of());
        assert_eq!(problems.len(), 1, "round {round}: {problems:?}");
        assert!(problems[0].to_string().contains(org.id.as_str()), "{}", problems[0]);
        assert_eq!(report.base.surviving + 1, clean.base.surviving, "round {round}: the broken one is left out");
    }
    // Mended by an edit: it is read again and counted.
    store.update(&org).unwrap();
    let (mended, problems) = store.report(as_of());
    assert!(problems.is_empty(), "{problems:?}");
    assert_same(&mended, &clean, "mended");
}

/// `same_as_fresh` at another date.
fn same_as_fresh_on(store: &mut Store, on: chrono::NaiveDate, what: &str) -> Arc<Report> {
    let (report, problems) = store.report(on);
    assert!(problems.is_empty(), "{what}: {problems:?}");
    let (_d, fresh) = fresh_copy(store);
    assert_same(&report, &fresh.report(on).0, &format!("{what}: incremental against from scratch"));
    report
}

#[test]
fn a_report_after_a_change_of_what_its_parts_depend_on_equals_one_computed_from_scratch() {
    let (_dir, mut store) = demo();
    let (first, _) = store.report(as_of());

    // The evaluation settings: results and ranking scores change with them.
    let mut settings = store.evaluation_settings();
    settings.weight_basic = 40;
    settings.weight_influence = 10;
    settings.pass_from = 70;
    store.set_evaluation_settings(&settings).unwrap();
    let r = same_as_fresh(&mut store, &first, "the evaluation settings changed");

    // The major-activity rule: reports fall due earlier.
    let mut rule = store.major_rule();
    rule.report_days_before += 20;
    store.set_major_rule(&rule).unwrap();
    let r = same_as_fresh(&mut store, &r, "the major-activity rule changed");

    // A sign-in that credits training hours to a volunteer of an activity
    // linked to the training: those hours are no longer volunteer hours.
    let training = store.all::<Training>().unwrap().into_iter().next().expect("a training");
    let session = training.sessions.keys().next().expect("a session").clone();
    let person = store.all::<Person>().unwrap().into_iter().last().unwrap().id;
    let orgs = store.all::<Organization>().unwrap();
    let lead = orgs.iter().find(|o| o.lifecycle == Lifecycle::Active).unwrap();
    let mut linked =
        Activity::new(lead.id.clone(), &lead.division, day(2026, 6, 2), "急救培训实操", ActivityKind::Lecture);
    linked.training = Some(training.id.clone());
    linked.participants = [(person.clone(), 3.0)].into();
    store.insert(&linked).unwrap();
    let r = same_as_fresh(&mut store, &r, "an activity linked to a training");
    let hours_before = r.work.activities_total.as_ref().unwrap().volunteer_hours;
    store
        .insert(&Attendance {
            id: RecordId::attendance(&session, &person),
            training: training.id.clone(),
            session,
            person,
            organization: None,
            status: AttendanceStatus::Attended,
            signed_in: None,
            hours: 3.0,
        })
        .unwrap();
    let r = same_as_fresh(&mut store, &r, "a sign-in that credits the activity's hours as training");
    // Their hours in every activity linked to the training, in any document, are training hours now.
    let hours_after = r.work.activities_total.as_ref().unwrap().volunteer_hours;
    assert!(hours_after <= hours_before - 3.0, "counted once: {hours_before} then {hours_after}");

    // A project and an honour of the reporting year.
    let mut project = store.all::<Project>().unwrap().into_iter().next().expect("a project");
    project.id = RecordId::random();
    project.name = "新增的社区营造项目".into();
    project.year = 2026;
    project.lead = Some(lead.id.clone());
    project.amount_fen += 100_000;
    store.insert(&project).unwrap();
    let r = same_as_fresh(&mut store, &r, "a project added");
    let mut honour = store.all::<Honour>().unwrap().into_iter().next().expect("an honour");
    honour.id = RecordId::random();
    honour.title = "新增的荣誉".into();
    honour.year = 2026;
    store.insert(&honour).unwrap();
    let r = same_as_fresh(&mut store, &r, "an honour added");

    // Another date, then the first again.
    let earlier = same_as_fresh_on(&mut store, day(2025, 12, 31), "another as-of date");
    assert_ne!(earlier, r, "the date shows in the report");
    assert_same(&store.report(as_of()).0, &r, "back at the first date");
}

/// The report merged from per-document parts equals the figures computed
/// over every record at once (one part): the merge keeps each figure.
#[test]
fn the_report_from_parts_equals_the_figures_over_every_record_at_once() {
    use hubsync::domain::report::work::{WorkFigures, WorkInputs};
    use hubsync::domain::report::Inputs;
    let (_dir, store) = demo();
    let (report, problems) = store.report(as_of());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(report.counties.len() > 1, "several documents");
    let settings = store.evaluation_settings();
    let federation = store.federation();
    let (orgs, people, liaisons, venues, bookings, trainings, attendance, projects, honours) = (
        store.all_readable::<Organization>().0,
        store.all_readable::<Person>().0,
        store.all_readable::<LiaisonAssignment>().0,
        store.all_readable::<Venue>().0,
        store.all_readable::<Booking>().0,
        store.all_readable::<Training>().0,
        store.all_readable::<Attendance>().0,
        store.all_readable::<Project>().0,
        store.all_readable::<Honour>().0,
    );
    let mut whole = Report::compute(&Inputs {
        federation: federation.as_ref(),
        orgs: &orgs,
        people: &people,
        liaisons: &liaisons,
        venues: &venues,
        bookings: &bookings,
        trainings: &trainings,
        attendance: &attendance,
        as_of: as_of(),
        evaluation: &settings,
    });
    whole.work = Arc::new(WorkFigures::compute(&WorkInputs {
        orgs: &orgs,
        people: &people,
        activities: &store.activity_rows_uncached(),
        trained: &store.trained_pairs(),
        projects: &projects,
        honours: &honours,
        rule: &store.major_rule(),
        evaluation: &settings,
        as_of: as_of(),
        quiet_months: hubsync::domain::activity_query::QUIET_MONTHS,
    }));
    assert_same(&report, &whole, "parts merged against one computation");
}

/// The ranking and gap years are those of all the parts merged: a subtree
/// without the one document holding the newest year, then the whole, then a
/// subtree of that document alone, through one store's cache, each equal a
/// fresh copy's (each part is settled again to the years of the report at hand).
#[test]
fn subtree_and_whole_reports_alternating_equal_ones_from_scratch() {
    let (_dir, mut store) = demo();
    let target = store
        .all::<Organization>()
        .unwrap()
        .into_iter()
        .find(|o| o.lifecycle == Lifecycle::Active && o.founded.is_none_or(|f| f <= as_of()))
        .unwrap();
    let clock = clock();
    ops::evaluations::record_checklist(
        &mut Env::new(&mut store, &clock),
        ops::evaluations::RecordChecklist {
            org: target.id.as_str().into(),
            year: 2026,
            met: vec![ChecklistItem::Charter],
        },
    )
    .unwrap();
    ops::evaluations::evaluate(
        &mut Env::new(&mut store, &clock),
        ops::evaluations::Evaluate {
            org: target.id.as_str().into(),
            year: 2026,
            basic: Some(20),
            activities: 20,
            contribution: 20,
            influence: 20,
            result: None,
            evaluator: "评估组".into(),
            date: None,
            committee_review: None,
            residents_review: None,
            national_grade: None,
            notes: String::new(),
        },
    )
    .unwrap();
    let federation = store.federation();
    let all = |_: &DocId| true;
    let (_d, fresh) = fresh_copy(&mut store);
    let whole = fresh.report_within(as_of(), &all, federation.clone()).0;
    assert_eq!(whole.work.ledger.ranking_year, Some(2026));
    for doc in store.doc_ids(Some(Collection::Orgs)) {
        let d = doc.clone();
        let without = move |x: &DocId| *x != d;
        let d = doc.clone();
        let alone = move |x: &DocId| *x == d || x.collection() != Collection::Orgs;
        for (keep, what) in [(&without as &dyn Fn(&DocId) -> bool, "without"), (&alone, "alone")] {
            let ours = store.report_within(as_of(), keep, federation.clone()).0;
            assert_same(&ours, &fresh.report_within(as_of(), keep, federation.clone()).0, &format!("{what} {doc}"));
            let ours = store.report_within(as_of(), &all, federation.clone()).0;
            assert_same(&ours, &whole, &format!("the whole after {what} {doc}"));
        }
    }
}

/// An edit to fields no figure reads (an address, a member count) leaves
/// every part equal: the merged report is handed out again, and what comes
/// after it (a joined field in the same document, another document, a
/// liaison, a project, a person alone) is still shown.
#[test]
fn after_an_edit_no_figure_reads_the_kept_merge_gives_way_to_each_later_change() {
    let (_dir, mut store) = demo();
    let (first, _) = store.report(as_of());
    let orgs = store.all::<Organization>().unwrap();
    let county = validate::county_of(&orgs[0].division).to_string();
    let mut here: Vec<Organization> = orgs
        .iter()
        .filter(|o| validate::county_of(&o.division) == county && o.lifecycle == Lifecycle::Active)
        .cloned()
        .collect();
    let elsewhere =
        orgs.iter().find(|o| validate::county_of(&o.division) != county && o.lifecycle == Lifecycle::Active);
    let unread = |store: &mut Store, o: &mut Organization, before: &Arc<Report>, what: &str| {
        o.address = format!("{}（新址）", o.address);
        o.members = Some(o.members.unwrap_or(0) + 7);
        store.update(&*o).unwrap();
        let (r, problems) = store.report(as_of());
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert!(Arc::ptr_eq(&r, before), "{what}: the kept merge handed out again");
        let (_d, fresh) = fresh_copy(store);
        assert_same(&r, &fresh.report(as_of()).0, what);
        r
    };
    let r = unread(&mut store, &mut here[0], &first, "an address and a member count");

    // A joined field (the name, which a liaison's list, the hours and the
    // funding show) in the same document.
    here[0].name = format!("{}（更名）", here[0].name);
    store.update(&here[0]).unwrap();
    let r = same_as_fresh(&mut store, &r, "a name in the same document");
    let r = unread(&mut store, &mut here[1], &r, "an unread field again");

    // Another document's organization, in a field its figures read.
    let r = match elsewhere {
        Some(o) => {
            let mut o = o.clone();
            o.party_status = if o.party_status == PartyStatus::Own { PartyStatus::Uncovered } else { PartyStatus::Own };
            store.update(&o).unwrap();
            let r = same_as_fresh(&mut store, &r, "another document's organization");
            unread(&mut store, &mut o, &r, "an unread field in that document")
        }
        None => r,
    };

    // Another collection alone: a liaison assigned (the organization parts
    // of no document change but the assignments in force), to two dormant
    // organizations of one community, each with its own Party organization.
    let person = store.all::<Person>().unwrap()[0].id.clone();
    let mut r = r;
    for k in [2, 3] {
        here[k].lifecycle = Lifecycle::Dormant;
        here[k].party_status = PartyStatus::Own;
        here[k].division = here[2].division.clone();
        here[k].community = "共用社区".into();
        store.update(&here[k]).unwrap();
        r = same_as_fresh(&mut store, &r, "dormant, with its own Party organization");
        let cmd = ops::liaisons::Assign {
            person: (&person).into(),
            org: (&here[k].id).into(),
            role: AssignmentRole::Instructor,
            from: Some(day(2026, 6, 1)),
            dispatched_by: "街道党工委".into(),
        };
        ops::liaisons::assign(&mut Env::new(&mut store, &clock()), cmd).unwrap();
        r = same_as_fresh(&mut store, &r, "a liaison assigned");
    }
    let r = unread(&mut store, &mut here[2], &r, "an unread field after the liaison");
    // The community's name is the first its document gives: of the two
    // renames, the one of the later organization is read by the liaison's
    // list (a join) alone, in no part.
    let mut r = r;
    for k in [2, 3] {
        here[k].community = "改名社区".into();
        store.update(&here[k]).unwrap();
        r = same_as_fresh(&mut store, &r, "a community only the liaison's list may show");
    }

    // A person renamed: read by the liaison load only, no part.
    let mut p = store.all::<Person>().unwrap().into_iter().find(|p| p.id == person).unwrap();
    p.name = format!("{}（改）", p.name);
    store.update(&p).unwrap();
    let r = same_as_fresh(&mut store, &r, "a person renamed");

    // A project's funds: read by the funding figures only.
    let projects = store.all::<Project>().unwrap();
    let mut project = projects.into_iter().find(|p| p.status.is_funded() && p.year == 2026).expect("a funded project");
    project.lead = Some(here[4].id.clone());
    store.update(&project).unwrap();
    let r = same_as_fresh(&mut store, &r, "a project's lead");

    // A name the work figures read through the joins alone: the project's
    // lead, founded after the as-of date, with no evaluation and every item
    // of every year's checklist (in no list of any part), renamed.
    here[4].founded = Some(day(2026, 12, 1));
    here[4].evaluations.clear();
    for year in 2000..=2026 {
        here[4].standardization.insert(year.to_string(), Checklist::from_items(ChecklistItem::all()));
    }
    store.update(&here[4]).unwrap();
    let r = same_as_fresh(&mut store, &r, "founded after the as-of date");
    here[4].name = format!("{}（更名）", here[4].name);
    store.update(&here[4]).unwrap();
    same_as_fresh(&mut store, &r, "a name only the funding shows");
}

/// A subtree report settles a county's part at its own years, and the next
/// whole report settles it again at the whole's: one value stamp names one
/// value, so the part settled again takes a new stamp and is merged again
/// (review of the value stamps, 2026-12-04). The change here is a checklist
/// of an organization founded after the as-of date: the gaps listed it then,
/// so the kept merge showed the old checklist; since the gaps leave such an
/// organization out, no figure shows it, and the test keeps the stamp rule
/// (`Arc::ptr_eq`) and the report's equality with a fresh store's.
#[test]
fn a_change_seen_only_at_the_whole_reports_years_after_a_subtree_report_shows() {
    let (_dir, mut store) = demo();
    let docs = store.doc_ids(Some(Collection::Orgs));
    assert!(docs.len() >= 2, "two county documents: {docs:?}");
    let (d, e) = (docs[0].clone(), docs[1].clone());
    let in_doc = |store: &mut Store, doc: &DocId| -> Vec<Organization> {
        let all = store.all::<Organization>().unwrap();
        all.into_iter().filter(|o| o.partition().as_deref() == doc.part()).collect()
    };
    let checklist = |year: &str, c: Checklist| std::iter::once((year.to_string(), c)).collect();
    // D: every organization's checklist in 2025 only; one founded after the
    // as-of date with a 2026 checklist that has gaps.
    let mut here = in_doc(&mut store, &d);
    assert!(here.len() > 2);
    let later = here.len() - 1;
    for (i, o) in here.iter_mut().enumerate() {
        o.standardization = checklist("2025", Checklist::default());
        if i == later {
            o.founded = Some(day(2026, 12, 1));
            o.standardization = checklist("2026", Checklist { charter: true, ..Checklist::default() });
        }
        store.update(&*o).unwrap();
    }
    // E: a roster organization with a 2026 checklist: the whole report's gaps year.
    let mut there = in_doc(&mut store, &e)
        .into_iter()
        .find(|o| o.lifecycle == Lifecycle::Active && o.founded.is_none_or(|f| f <= as_of()))
        .unwrap();
    there.standardization = checklist("2026", Checklist::default());
    store.update(&there).unwrap();

    let fed = store.federation();
    let only_d = {
        let d = d.clone();
        move |x: &DocId| *x == d || x.collection() != Collection::Orgs
    };
    let (r0, _) = store.report(as_of());
    assert_eq!(r0.work.ledger.gaps_year, 2026, "the whole report's gaps year");
    let (sub, _) = store.report_within(as_of(), &only_d, fed.clone());
    assert_eq!(sub.work.ledger.gaps_year, 2025, "the subtree's gaps year");
    let o = &mut here[later];
    o.standardization = checklist("2026", Checklist { charter: true, finance: true, ..Checklist::default() });
    store.update(&*o).unwrap();
    store.report_within(as_of(), &only_d, fed);
    let (r, _) = store.report(as_of());
    let (_d, fresh) = fresh_copy(&mut store);
    assert_same(&r, &fresh.report(as_of()).0, "the whole report after the subtree's");
    assert!(!Arc::ptr_eq(&r, &r0), "the part settled again is merged again");
}

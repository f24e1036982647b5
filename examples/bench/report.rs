//! The report and the bureau's indicator workbook (`hubsync report`,
//! `hubsync report --format xlsx`) on the benchmark's store.

use crate::measure::{stats, timed, Table};
use crate::sections::Fixture;
use hubsync::domain::{Category, Lang};
use hubsync::ops::export::{self, Format, ReportFile};
use hubsync::ops::{Env, FixedClock};
use hubsync::store::Store;
use std::sync::Arc;

/// Each run opens the store afresh (not timed), then: the figures computed
/// the first time (reading every list row), the same again (rows cached),
/// the JSON, and the workbook, each computing the figures anew as the CLI does.
pub fn report(f: &Fixture, runs: usize, table: &mut Table) {
    let (y, m, d) = hubsync::domain::demo::DEMO_TODAY;
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let clock = FixedClock(today.and_hms_opt(12, 0, 0).expect("time"));
    let (mut first, mut again, mut json, mut xlsx) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut sheets_bytes, mut surviving) = (0, 0);
    for _ in 0..runs {
        let mut store = Store::open(f.dir.path()).expect("open");
        let env = Env::new(&mut store, &clock);
        let ((r, _), t) = timed(|| export::report(&env, today));
        surviving = r.base.surviving;
        first.push(t);
        again.push(timed(|| export::report(&env, today)).1);
        let file =
            |format| ReportFile { as_of: Some(today), format, lang: Lang::Zh, part: Default::default(), under: None };
        json.push(timed(|| export::report_bytes(&env, &file(Format::Json)).expect("json")).1);
        let (done, t) = timed(|| export::report_bytes(&env, &file(Format::Xlsx)).expect("xlsx"));
        sheets_bytes = done.bytes.len();
        xlsx.push(t);
    }
    let base = stats(&again).0.as_secs_f64();
    let ratio = |s: &[std::time::Duration]| stats(s).0.as_secs_f64() / base;
    table.time(
        f.orgs,
        "report: the figures, first computation after open (reads every list row)",
        &first,
        format!("{surviving} surviving organizations; {:.2}x the figures from cached rows", ratio(&first)),
    );
    table.time(f.orgs, "report: the figures again (rows cached)", &again, String::new());
    table.time(
        f.orgs,
        "report --format json (figures + serialization)",
        &json,
        format!("{:.2}x the figures from cached rows", ratio(&json)),
    );
    table.time(
        f.orgs,
        "report --format xlsx: the indicator workbook (figures + every sheet)",
        &xlsx,
        format!(
            "{:.2}x the figures from cached rows; {:.1} KiB; the CLI command adds opening the store (above)",
            ratio(&xlsx),
            sheets_bytes as f64 / 1024.0
        ),
    );
}

/// The report on a store that stays open, as a running node answers it:
/// from scratch (the first report after open), repeated (the whole report
/// kept), and after a one-field change (one organization edited: a field
/// no figure reads, its member count, then one they read, its category; or
/// one activity added; or a field other documents' parts are joined on, its
/// name): only the changed document is read again.
pub fn report_after_change(f: &Fixture, runs: usize, table: &mut Table) {
    let (y, m, d) = hubsync::domain::demo::DEMO_TODAY;
    let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let (mut scratch, mut repeated, mut edited, mut added) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut read_field, mut joined) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        // Opened afresh (not timed): nothing read, nothing kept.
        let store = Store::open(f.dir.path()).expect("open");
        let ((_, problems), t) = timed(|| store.report(today));
        assert!(problems.is_empty(), "{problems:?}");
        scratch.push(t);
        repeated.push(timed(|| store.report(today)).1);
        drop(store);
    }
    let mut store = Store::open(f.dir.path()).expect("open");
    store.report(today);
    let mut org = f.records[f.records.len() / 3].clone();
    let activity = store.all::<hubsync::domain::Activity>().expect("activities").pop().expect("an activity");
    for run in 0..runs {
        org.members = Some(200 + run as u32);
        store.update(&org).expect("update");
        let (r, t) = timed(|| store.report(today));
        assert!(r.1.is_empty());
        edited.push(t);
        let mut new = activity.clone();
        new.id = hubsync::domain::RecordId::random();
        store.insert(&new).expect("insert");
        added.push(timed(|| store.report(today)).1);
        // A field the figures read: its document's parts change.
        org.category = if org.category == Category::Charity { Category::MutualAid } else { Category::Charity };
        store.update(&org).expect("update");
        read_field.push(timed(|| store.report(today)).1);
        // A field other documents' parts are joined on (`OrgJoin`): its name.
        org.name = format!("{} ({run})", f.records[f.records.len() / 3].name);
        store.update(&org).expect("update");
        joined.push(timed(|| store.report(today)).1);
    }
    let figures = figures_alone(&store, today, runs);
    let base = stats(&scratch).0.as_secs_f64();
    let of_scratch =
        |s: &[std::time::Duration]| format!("{:.3}x the report from scratch", stats(s).0.as_secs_f64() / base);
    table.time(f.orgs, "report from scratch (first after open; every document read)", &scratch, String::new());
    table.time(
        f.orgs,
        "report after a one-field change (one organization edited: its member count, which no figure reads)",
        &edited,
        of_scratch(&edited),
    );
    table.time(
        f.orgs,
        "report after a change to a field the figures read (one organization's category)",
        &read_field,
        of_scratch(&read_field),
    );
    table.time(f.orgs, "report after one activity added", &added, of_scratch(&added));
    table.time(
        f.orgs,
        "report after a change to a joined field (one organization's name, which other documents' parts join on)",
        &joined,
        of_scratch(&joined),
    );
    table.time(f.orgs, "report repeated (nothing changed: the kept report)", &repeated, of_scratch(&repeated));
    table.time(
        f.orgs,
        "the figures alone (every record already in memory: Report::compute + WorkFigures::compute)",
        &figures,
        of_scratch(&figures),
    );
}

/// What computing the figures costs without reading a record: the floor of
/// a report after any change while the figures are computed whole.
fn figures_alone(store: &Store, today: chrono::NaiveDate, runs: usize) -> Vec<std::time::Duration> {
    use hubsync::domain::report::work::{WorkFigures, WorkInputs};
    use hubsync::domain::report::{Inputs, Report};
    use hubsync::domain::*;
    let orgs: Vec<Organization> = store.all_readable().0;
    let people: Vec<Person> = store.all_readable().0;
    let liaisons: Vec<LiaisonAssignment> = store.all_readable().0;
    let venues: Vec<Venue> = store.all_readable().0;
    let bookings: Vec<Booking> = store.all_readable().0;
    let trainings: Vec<Training> = store.all_readable().0;
    let attendance: Vec<Attendance> = store.all_readable().0;
    let projects: Vec<Project> = store.all_readable().0;
    let honours: Vec<Honour> = store.all_readable().0;
    let activities = store.activity_rows_uncached();
    let (settings, trained, rule, federation) =
        (store.evaluation_settings(), store.trained_pairs(), store.major_rule(), store.federation());
    (0..runs)
        .map(|_| {
            timed(|| {
                let mut r = Report::compute(&Inputs {
                    federation: federation.as_ref(),
                    orgs: &orgs,
                    people: &people,
                    liaisons: &liaisons,
                    venues: &venues,
                    bookings: &bookings,
                    trainings: &trainings,
                    attendance: &attendance,
                    as_of: today,
                    evaluation: &settings,
                });
                r.work = Arc::new(WorkFigures::compute(&WorkInputs {
                    orgs: &orgs,
                    people: &people,
                    activities: &activities,
                    trained: &trained,
                    projects: &projects,
                    honours: &honours,
                    rule: &rule,
                    evaluation: &settings,
                    as_of: today,
                    quiet_months: hubsync::domain::activity_query::QUIET_MONTHS,
                }));
                r
            })
            .1
        })
        .collect()
}

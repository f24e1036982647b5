//! A year of activities for 31,000 organizations: the activity list, its
//! filters, the activity figures and the TUI's load of the activities tab.
//!
//! The figure: 12 activities per organization per year (372,000 at 31,000
//! organizations), one logged each month. The seed asks organizations for
//! regular service (邻里守望 volunteer rounds, patrols, 有事好商量 meetings)
//! and evaluation counts activities per quarter; a monthly entry is the upper
//! end of what federations record (the demo's mix, with one active
//! organization in ten logging nothing, averages ~3.4), so the targets are
//! shown with headroom. The demo's activities (realistic kinds, joint ones,
//! major ones and their reports, named volunteers) are repeated at other
//! dates of the same year until there are 12 per organization.

use crate::measure::{fmt, mib, rss_bytes, stats, timed, Table};
use crate::sections::Fixture;
use chrono::{Duration, NaiveDate};
use hubsync::domain::activity_query::{
    counts_by, per_org_quarter, quiet_orgs, reports_due, ActivityFilter, GroupBy, TrainedPairs, QUIET_MONTHS,
};
use hubsync::domain::*;
use hubsync::store::{Durability, Store};
use hubsync::tui::app::{App, Event, Tab};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Duration as Elapsed;

pub const PER_ORG_YEAR: usize = 12;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 4).expect("date")
}

/// The demo's year of activities, repeated at other dates of the same year
/// (fresh ids, the same organizations, kinds, people) to `PER_ORG_YEAR` per
/// organization.
fn a_year(demo: &[Activity], orgs: usize) -> Vec<Activity> {
    let want = orgs * PER_ORG_YEAR;
    let mut out: Vec<Activity> = Vec::with_capacity(want);
    let mut round = 0i64;
    while out.len() < want && !demo.is_empty() {
        for a in demo.iter().take(want - out.len()) {
            let mut c = a.clone();
            if round > 0 {
                c.id = RecordId::random();
                // Another month of the same year: dates stay within the year to today.
                let back = (today() - a.date).num_days();
                c.date = today() - Duration::days((back + round * 97) % 365);
            }
            out.push(c);
        }
        round += 1;
    }
    out
}

pub fn activities(f: &Fixture, runs: usize, table: &mut Table) {
    let scale = f.orgs;
    let mut store = Store::open(f.dir.path()).expect("open");
    store.set_durability(Durability::Deferred);
    let held: Vec<Activity> = store.all::<Activity>().expect("demo activities");
    let year = a_year(&held, scale);
    // The first round is the demo's own activities, already stored.
    let extra: Vec<Activity> = year[held.len().min(year.len())..].to_vec();
    let (_, took) = timed(|| {
        for chunk in extra.chunks(20_000) {
            store.insert_many(chunk).expect("activities");
        }
        store.compact_all().expect("compact");
    });
    let total = held.len() + extra.len();
    table.add(
        scale,
        &format!("write a year of activities ({PER_ORG_YEAR} per organization)"),
        fmt(took),
        fmt(took),
        format!("{total} activities, {} of them the demo's; batched insert, compacted", held.len()),
    );
    drop(store);

    let before = rss_bytes();
    let (mut store, open) = timed(|| Store::open(f.dir.path()).expect("open"));
    table.add(
        scale,
        "open store with a year of activities",
        fmt(open),
        fmt(open),
        format!("resident memory +{} for the open", mib(rss_bytes().saturating_sub(before))),
    );

    // The list rows: map_range per document against hydrating every activity.
    let (rows, first) = timed(|| store.activity_rows());
    let (_, again) = timed(|| store.activity_rows());
    let (all, hydrate) = timed(|| store.all::<Activity>().expect("all"));
    assert_eq!(all.len(), rows.len());
    drop(all);
    table.time(
        scale,
        "activity rows, first read after open (map_range, cached per document)",
        &[first],
        format!("{:.2}x hydrating every activity ({})", first.as_secs_f64() / hydrate.as_secs_f64(), fmt(hydrate)),
    );
    table.time(scale, "activity rows, read again (cache)", &[again], String::new());

    // Typing a title (text and pinyin initials), and the F11 conditions.
    let typed = ["夜", "夜间", "夜间治", "yjza", "垃圾分类", "laji"];
    let mut per_key = Vec::new();
    for _ in 0..runs {
        for text in typed {
            let filter = ActivityFilter { text: text.into(), ..Default::default() };
            let (_, t) = timed(|| filter.apply(&rows));
            per_key.push(t);
        }
    }
    table.time(scale, "activity filter per keystroke (title, pinyin initials)", &per_key, "target < 16 ms".into());
    let conditions = ActivityFilter {
        kind: Some(ActivityKind::VolunteerService),
        target: Some(TargetGroup::Elderly),
        from: Some(today() - Duration::days(90)),
        major_only: false,
        ..Default::default()
    };
    let samples: Vec<Elapsed> = (0..runs).map(|_| timed(|| conditions.apply(&rows)).1).collect();
    let shown = conditions.apply(&rows).len();
    table.time(
        scale,
        "activity conditions (type, target group, last 90 days)",
        &samples,
        format!("{shown} shown; target < 16 ms"),
    );

    // The figures: per township by type and target, reports due, quiet, quarters.
    let orgs = store.org_rows();
    let trained: TrainedPairs = store.trained_pairs();
    let rule = store.major_rule();
    let mut figures = Vec::new();
    for _ in 0..runs {
        let (_, t) = timed(|| {
            let year = Some(hubsync::domain::Period::Year(2025));
            counts_by(&rows, GroupBy::Township, year, &trained);
            counts_by(&rows, GroupBy::Kind, year, &trained);
            reports_due(&rows, &rule, today());
            quiet_orgs(&orgs, &rows, today(), QUIET_MONTHS);
            per_org_quarter(&rows, 2025);
        });
        figures.push(t);
    }
    table.time(
        scale,
        "activity figures from the rows (per township, per type, due, quiet, per quarter)",
        &figures,
        String::new(),
    );
    let uncached: Vec<Elapsed> = (0..runs.min(3)).map(|_| timed(|| store.activity_rows_uncached()).1).collect();
    let within: Vec<Elapsed> = (0..runs.min(3)).map(|_| timed(|| store.activity_rows_within(&|_| true)).1).collect();
    table.time(
        scale,
        "the report's activity rows (cached documents reused)",
        &within,
        format!(
            "{:.3}x rescanning every document as the report did ({})",
            stats(&within).0.as_secs_f64() / stats(&uncached).0.as_secs_f64(),
            fmt(stats(&uncached).0)
        ),
    );
    let (_, report) = timed(|| store.report(today()));
    table.time(scale, "full report with the work figures (reads organizations in full)", &[report], String::new());

    // The TUI: LoadAll (as the runner does it), the update that derives the
    // tab's lists, a keystroke filtering the activities tab, its redraw.
    let mut loads = Vec::new();
    let mut data = None;
    for _ in 0..runs {
        let (d, t) = timed(|| hubsync::tui::runner::load(&mut store));
        loads.push(t);
        data = Some(d);
    }
    table.time(scale, "TUI LoadAll (store job, rows cached)", &loads, String::new());
    let mut app = App::new(Lang::Zh, today());
    let (_, update) = timed(|| app.update(Event::Loaded(Box::new(data.expect("loaded")))));
    table.time(scale, "TUI applies the load (lookups, due, missing, quiet lists)", &[update], String::new());
    app.update(Event::Key(key(crossterm::event::KeyCode::Char('7'))));
    assert_eq!(app.tab, Tab::Activities);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal.draw(|frame| app.drawn(hubsync::tui::view::draw(frame, &app))).expect("draw");
    let mut redraws = Vec::new();
    for _ in 0..runs {
        app.update(Event::Key(key(crossterm::event::KeyCode::F(3))));
        for c in "和平yj".chars() {
            let (_, t) = timed(|| {
                app.update(Event::Key(key(crossterm::event::KeyCode::Char(c))));
                terminal.draw(|frame| app.drawn(hubsync::tui::view::draw(frame, &app))).expect("draw")
            });
            redraws.push(t);
        }
        app.update(Event::Key(key(crossterm::event::KeyCode::Esc)));
    }
    let (median, max) = stats(&redraws);
    // Before: the tab matched each activity's organization by looking it up
    // and converting its name to pinyin initials, once per activity per keystroke.
    let mut before = Vec::new();
    for text in ["和", "和平", "和平y", "和平yj"].into_iter().take(runs.max(2)) {
        let (_, t) = timed(|| per_row_pinyin_filter(&app, text));
        before.push(t);
    }
    table.add(
        scale,
        "TUI activities tab keystroke: filter (title or organization) + redraw",
        fmt(median),
        fmt(max),
        format!(
            "{} rows; target < 16 ms; before (organization names converted to pinyin per activity): {} for the filter alone",
            rows.len(),
            fmt(stats(&before).0)
        ),
    );
}

/// The activities tab's filter as it was: per activity, the lead
/// organization looked up, its name lower-cased and converted to pinyin.
fn per_row_pinyin_filter(app: &App, text: &str) -> usize {
    let n = text.to_lowercase();
    let d = &app.data;
    let org_matches = |id: Option<&RecordId>| {
        id.and_then(|id| app.derived.org_index.get(id)).is_some_and(|i| {
            let o = &d.orgs[*i];
            o.name.to_lowercase().contains(&n) || hubsync::domain::query::pinyin_initials(&o.name).contains(&n)
        })
    };
    d.activities.iter().filter(|r| r.search_key.contains(&n) || org_matches(r.lead())).count()
}

fn key(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

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
    counts_by, per_org_quarter, quiet_orgs, reports_due, title_key, ActivityFilter, ActivityIndex, ActivityRow,
    GroupBy, TrainedPairs, QUIET_MONTHS,
};
use hubsync::domain::query::pinyin_initials;
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

    // Typing a title (text and pinyin initials): the index built once per
    // load, then per keystroke; the plain scan of every row beside it.
    let (index, built) = timed(|| ActivityIndex::new(&rows));
    table.time(
        scale,
        "activity list index, built once per load (distinct title keys, newest-first order)",
        &[built],
        String::new(),
    );
    let typed = ["夜", "夜间", "夜间治", "yjza", "垃圾分类", "laji"];
    let (per_key, scan) = keystrokes(&rows, &index, &typed, runs);
    table.time(
        scale,
        "activity filter per keystroke (title, pinyin initials; index)",
        &per_key,
        format!(
            "target < 16 ms; {:.3}x the scan of every row ({})",
            stats(&per_key).0.as_secs_f64() / stats(&scan).0.as_secs_f64(),
            fmt(stats(&scan).0)
        ),
    );
    // The demo repeats ~20 titles; a federation's own titles vary more
    // ("2025年3月夜间治安巡逻"). The worst case: every title distinct.
    let distinct: Vec<ActivityRow> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut r = r.clone();
            r.title = format!("{}第{}期", r.title, i + 1);
            r.search_key = title_key(&r.title);
            r
        })
        .collect();
    let (distinct_index, built) = timed(|| ActivityIndex::new(&distinct));
    let (per_key, scan) = keystrokes(&distinct, &distinct_index, &typed, runs);
    table.time(
        scale,
        "activity filter per keystroke, every title distinct (index)",
        &per_key,
        format!(
            "target < 16 ms; {:.3}x the scan of every row ({}); index built in {}",
            stats(&per_key).0.as_secs_f64() / stats(&scan).0.as_secs_f64(),
            fmt(stats(&scan).0),
            fmt(built)
        ),
    );
    drop((distinct, distinct_index));
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
    let mut filters = Vec::new();
    let mut redraws = Vec::new();
    for _ in 0..runs {
        app.update(Event::Key(key(crossterm::event::KeyCode::F(3))));
        for c in "和平yj".chars() {
            let ((), filtered) = timed(|| {
                app.update(Event::Key(key(crossterm::event::KeyCode::Char(c))));
            });
            let (_, drawn) =
                timed(|| terminal.draw(|frame| app.drawn(hubsync::tui::view::draw(frame, &app))).expect("draw"));
            filters.push(filtered);
            redraws.push(filtered + drawn);
        }
        app.update(Event::Key(key(crossterm::event::KeyCode::Esc)));
    }
    // Before: a scan of every activity's title key and lead organization per keystroke.
    let org_keys: Vec<String> =
        app.data.orgs.iter().map(|o| format!("{}\u{1}{}", o.name.to_lowercase(), pinyin_initials(&o.name))).collect();
    let mut before = Vec::new();
    for _ in 0..runs {
        for text in ["和", "和平", "和平y", "和平yj"] {
            let (_, t) = timed(|| row_scan_filter(&app, &org_keys, text));
            before.push(t);
        }
    }
    table.time(
        scale,
        "TUI activities tab keystroke: filter (title or organization)",
        &filters,
        format!(
            "{} rows; target < 16 ms; {:.3}x the scan of every row it replaced ({})",
            rows.len(),
            stats(&filters).0.as_secs_f64() / stats(&before).0.as_secs_f64(),
            fmt(stats(&before).0)
        ),
    );
    table.time(scale, "TUI activities tab keystroke: filter + redraw (120x40)", &redraws, "target < 16 ms".into());
}

/// Keystrokes through the index and through the plain scan of every row
/// (`ActivityFilter::apply`), checked to agree.
fn keystrokes(
    rows: &[ActivityRow],
    index: &ActivityIndex,
    typed: &[&str],
    runs: usize,
) -> (Vec<Elapsed>, Vec<Elapsed>) {
    let (mut indexed, mut scanned) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for text in typed {
            let filter = ActivityFilter { text: text.to_string(), ..Default::default() };
            let (shown, t) = timed(|| index.apply(rows, &filter));
            indexed.push(t);
            let (plain, t) = timed(|| filter.apply(rows));
            scanned.push(t);
            assert_eq!(shown.len(), plain.len(), "{text}");
        }
    }
    (indexed, scanned)
}

/// The activities tab's filter before the index: every activity's title key
/// and its lead organization's name key (built once) searched per keystroke.
fn row_scan_filter(app: &App, org_keys: &[String], text: &str) -> usize {
    let n = text.to_lowercase();
    let org_hit: Vec<bool> = org_keys.iter().map(|k| k.contains(&n)).collect();
    let lead = &app.derived.activity_lead;
    (0..app.data.activities.len())
        .filter(|i| app.data.activities[*i].search_key.contains(&n) || lead[*i].is_some_and(|o| org_hit[o]))
        .count()
}

fn key(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

//! Filtering as a user types, and the TUI's frames.

use crate::measure::{fmt, stats, timed, Table};
use crate::sections::Fixture;
use hubsync::domain::query::OrgFilter;
use hubsync::domain::Lang;
use hubsync::store::Store;
use hubsync::tui::app::{App, Event};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Duration;

pub fn filter_and_frames(f: &Fixture, runs: usize, table: &mut Table) {
    let mut store = Store::open(f.dir.path()).expect("open");
    let (rows, first_rows) = timed(|| store.org_rows());
    table.time(
        f.orgs,
        "list rows, first read after open (map_range, cached per document)",
        &[first_rows],
        String::new(),
    );
    let (_, again) = timed(|| store.org_rows());
    table.time(f.orgs, "list rows, read again (cache)", &[again], String::new());

    // A user typing a community name, one keystroke at a time.
    let typed: Vec<char> = f.records[f.records.len() / 3].community.chars().chain("舞蹈队".chars()).take(6).collect();
    let mut per_key = Vec::new();
    for _ in 0..runs {
        let mut text = String::new();
        for c in &typed {
            text.push(*c);
            let filter = OrgFilter { text: text.clone(), ..Default::default() };
            let (_, t) = timed(|| filter.apply(&rows));
            per_key.push(t);
        }
    }
    table.time(f.orgs, "filter per keystroke (1–6 characters typed)", &per_key, "target < 16 ms".into());

    // The TUI: first frame with data, and a redraw after a filter keystroke.
    let data = hubsync::tui::runner::load(&mut store);
    let mut app = App::new(Lang::Zh, chrono::NaiveDate::from_ymd_opt(2025, 11, 4).expect("date"));
    app.update(Event::Loaded(Box::new(data)));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let (_, first) = timed(|| terminal.draw(|frame| app.drawn(hubsync::tui::view::draw(frame, &app))).expect("draw"));
    let mut redraws: Vec<Duration> = Vec::new();
    let keys =
        [crossterm::event::KeyCode::F(3)].into_iter().chain(typed.iter().map(|c| crossterm::event::KeyCode::Char(*c)));
    for code in keys {
        let (_, t) = timed(|| {
            app.update(Event::Key(crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)));
            terminal.draw(|frame| app.drawn(hubsync::tui::view::draw(frame, &app))).expect("draw")
        });
        redraws.push(t);
    }
    table.time(f.orgs, "TUI first frame (120x40, data loaded)", &[first], "target < 16 ms".into());
    let (median, max) = stats(&redraws);
    table.add(f.orgs, "TUI keystroke: filter + redraw", fmt(median), fmt(max), "target < 16 ms".into());
    drop(app);
    drop(store);

    // A command without a node: the whole store, or only the list rows kept
    // on disk by the first read above (issue 13 point 3).
    let (mut full, mut part) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let (store, t) = timed(|| Store::open(f.dir.path()).expect("open"));
        full.push(t);
        drop(store);
        let (_, t) = timed(|| {
            let mut store = Store::open_partial(f.dir.path()).expect("open in part");
            store.org_rows().len()
        });
        part.push(t);
    }
    table.time(f.orgs, "open the store (every document loaded)", &full, String::new());
    let ratio = stats(&part).0.as_secs_f64() / stats(&full).0.as_secs_f64().max(1e-9);
    table.time(
        f.orgs,
        "open in part + list rows from disk",
        &part,
        format!("{ratio:.2}x opening in full; target ≤ 1.2x"),
    );
}

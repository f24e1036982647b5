//! The funding and cultivation ledger (issue 12) at scale: reading the
//! records the `ledger` commands and the projects tab read, each figure
//! computed from them, and an evaluation summary checked against the roster.

use crate::measure::{fmt, stats, timed, Table};
use crate::sections::Fixture;
use hubsync::domain::ledger_report as figures;
use hubsync::domain::*;
use hubsync::io::import::ImportOptions;
use hubsync::io::ledger_import::{plan_evaluations, EvaluationContext, OrgIndex};
use hubsync::store::Store;
use std::time::Duration;

pub fn ledger_figures(f: &Fixture, runs: usize, table: &mut Table) {
    let store = Store::open(f.dir.path()).expect("open");
    let today = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).expect("date");
    let year = 2024;
    let mut read_orgs = Vec::new();
    let mut read_rest = Vec::new();
    let mut each: Vec<(&str, Vec<Duration>)> =
        ["funds", "candidates", "ranking", "gaps", "flows", "honours"].iter().map(|n| (*n, Vec::new())).collect();
    let mut counts = (0, 0, 0, 0);
    for _ in 0..runs {
        let (orgs, t) = timed(|| store.all_readable::<Organization>().0);
        read_orgs.push(t);
        let ((projects, honours, people), t) = timed(|| {
            (store.all_readable::<Project>().0, store.all_readable::<Honour>().0, store.all_readable::<Person>().0)
        });
        read_rest.push(t);
        let settings = store.evaluation_settings();
        let evaluated = orgs.iter().filter(|o| o.evaluations.contains_key(&year.to_string())).count();
        counts = (orgs.len(), projects.len(), honours.len(), evaluated);
        let (_, t) = timed(|| figures::funding(&projects, &orgs, Some(year)));
        each[0].1.push(t);
        let (_, t) = timed(|| figures::candidates(&orgs, &settings, today));
        each[1].1.push(t);
        let (_, t) = timed(|| figures::ranking_by_township(&orgs, &settings, year));
        each[2].1.push(t);
        let (_, t) = timed(|| figures::standardization_gaps(&orgs, year, today));
        each[3].1.push(t);
        let (_, t) = timed(|| figures::flows(&orgs, 2020, 2025));
        each[4].1.push(t);
        let (_, t) = timed(|| figures::honours_list(&honours, &orgs, &projects, &people, None));
        each[5].1.push(t);
    }
    let (orgs, projects, honours, evaluated) = counts;
    table.time(
        f.orgs,
        "ledger: read every organization in full (evaluations, checklists, history)",
        &read_orgs,
        format!("{orgs} organizations, {evaluated} evaluated for {year}; every `ledger` figure starts here"),
    );
    table.time(
        f.orgs,
        "ledger: read projects, honours and people",
        &read_rest,
        format!("{projects} projects, {honours} honours"),
    );
    let labels = [
        "funds by organization, domain, county, urban/rural (`ledger funds`)",
        "candidates ranked by latest evaluation (`ledger candidates`)",
        "evaluation ranking per township with change (`ledger ranking`)",
        "standardization gaps per township (`ledger gaps`)",
        "new, upgraded and exited per year, 2020–2025 (`ledger flows`)",
        "honours list for publicity (`ledger honours`)",
    ];
    for ((_, samples), label) in each.iter().zip(labels) {
        table.time(f.orgs, &format!("ledger: {label}"), samples, "computed from the records read above".into());
    }
    evaluation_import(f, &store, runs, table);
    tui_projects_tab(f, store, runs, table);
}

/// The projects tab at province scale: each of its four views (projects,
/// evaluation ranking, honours, 规范化建设 gaps) loaded as the runner loads
/// it, then a filter typed key by key, each key with its redraw.
fn tui_projects_tab(f: &Fixture, mut store: Store, runs: usize, table: &mut Table) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use hubsync::tui::app::{App, Event, ProjView, Tab};
    use ratatui::{backend::TestBackend, Terminal};
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let today = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).expect("date");
    let year = 2024;
    let data = hubsync::tui::runner::load(&mut store);
    let orgs: Vec<Organization> = store.all_readable().0;
    let settings = store.evaluation_settings();
    let mut app = App::new(Lang::Zh, today);
    app.update(Event::Loaded(Box::new(data)));
    app.update(key(KeyCode::Char('8')));
    assert_eq!(app.tab, Tab::Projects);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    // Typed as a secretary looks for an organization: a township, then
    // pinyin initials of the name.
    let typed = "社区 sq";
    for view in [ProjView::Projects, ProjView::Ranking, ProjView::Honours, ProjView::Gaps] {
        while app.work.proj_view != view {
            app.update(key(KeyCode::F(6)));
        }
        let (_, loaded) = timed(|| match view {
            ProjView::Ranking => {
                let rows = figures::ranking_by_township(&orgs, &settings, year)
                    .into_iter()
                    .flat_map(|(town, list)| list.into_iter().map(move |r| (town.clone(), r)))
                    .collect();
                app.update(Event::RankingLoaded(year, rows));
            }
            ProjView::Gaps => {
                app.update(Event::GapsLoaded(year, figures::standardization_gaps(&orgs, year, today)));
            }
            _ => {}
        });
        let rows = app.views[Tab::Projects].len();
        let (mut keys, mut redraws) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            app.update(key(KeyCode::F(3)));
            for c in typed.chars() {
                let (_, t) = timed(|| app.update(key(KeyCode::Char(c))));
                let (_, drawn) =
                    timed(|| terminal.draw(|frame| app.drawn(hubsync::tui::view::draw(frame, &app))).expect("draw"));
                keys.push(t);
                redraws.push(t + drawn);
            }
            app.update(key(KeyCode::Esc));
        }
        let name = match view {
            ProjView::Projects => "projects",
            ProjView::Ranking => "evaluation ranking",
            ProjView::Honours => "honours",
            ProjView::Gaps => "规范化建设 gaps",
        };
        let note = match view {
            ProjView::Ranking | ProjView::Gaps => {
                format!("{rows} rows; loading the view (figures + search keys) {}", fmt(loaded))
            }
            _ => format!("{rows} rows"),
        };
        table.time(
            f.orgs,
            &format!("TUI projects tab, {name}: keystroke (filter)"),
            &keys,
            format!("{note}; target < 16 ms"),
        );
        table.time(
            f.orgs,
            &format!("TUI projects tab, {name}: keystroke + redraw (120x40)"),
            &redraws,
            "target < 16 ms".into(),
        );
    }
    // The ranking's filter before its keys were built per load: lower-case
    // name, pinyin initials and township of every row, per keystroke.
    let ranked: Vec<(String, String)> = figures::ranking_by_township(&orgs, &settings, year)
        .into_iter()
        .flat_map(|(town, list)| list.into_iter().map(move |r| (town.clone(), r.entry.name)))
        .collect();
    let mut before = Vec::new();
    for _ in 0..runs {
        for end in 1..=typed.chars().count() {
            let n: String = typed.chars().take(end).collect();
            let (_, t) = timed(|| {
                ranked
                    .iter()
                    .filter(|(town, name)| {
                        name.to_lowercase().contains(&n)
                            || hubsync::domain::query::pinyin_initials(name).contains(&n)
                            || town.contains(&n)
                    })
                    .count()
            });
            before.push(t);
        }
    }
    table.time(
        f.orgs,
        "TUI projects tab, evaluation ranking: the filter before (pinyin of every row per keystroke)",
        &before,
        format!("{} rows; compare the keystroke row above", ranked.len()),
    );
}

/// A county's 1,000-row evaluation summary checked against the whole roster:
/// the lookup by name is an index, not a scan per row.
fn evaluation_import(f: &Fixture, store: &Store, runs: usize, table: &mut Table) {
    let mut csv =
        String::from("2025年度社区社会组织考核评价结果汇总表\n序号,组织名称,基本条件,活动情况,社会贡献,社区影响力\n");
    for (i, o) in f.records.iter().step_by((f.records.len() / 1000).max(1)).take(1000).enumerate() {
        csv.push_str(&format!("{},{},20,21,19,18\n", i + 1, o.name));
    }
    let bytes = encoding_rs::GBK.encode(&csv.replace('\n', "\r\n")).0.into_owned();
    let stored = |id: &RecordId| store.get::<Organization>(id).ok().flatten();
    let mut samples = Vec::new();
    let mut outcome = (0, 0);
    for _ in 0..runs {
        let (plan, t) = timed(|| {
            let entries = hubsync::ops::import::org_entries(store);
            let context = EvaluationContext {
                orgs: OrgIndex::new(entries),
                stored: &stored,
                settings: store.evaluation_settings(),
            };
            plan_evaluations(&bytes, &context, &ImportOptions::default()).expect("plan")
        });
        outcome = (plan.records.len(), plan.invalid_lines.len());
        samples.push(t);
    }
    let (median, _) = stats(&samples);
    table.time(
        f.orgs,
        "import evaluations: check a 1,000-row GBK summary (index the roster, match, read each organization)",
        &samples,
        format!(
            "{} valid, {} with errors (namesakes in the demo); {:.0} µs a row",
            outcome.0,
            outcome.1,
            median.as_secs_f64() * 1e6 / 1000.0
        ),
    );
}

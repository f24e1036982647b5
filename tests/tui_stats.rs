//! Issue 15 point 9: the statistics tab at 80x24 in Chinese. F6 goes from
//! the overview to one line per township (organizations by category and
//! status, coverage, density against the 10/5 target) and to the liaison
//! load (each instructor and liaison with the organizations assigned, the
//! most loaded first); F12 exports the view shown through the same
//! ops::export action as `hubsync report`.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::demo::DemoData;
use hubsync::domain::*;
use hubsync::ops::export::{Content, Format, ReportPart};
use hubsync::ops::FixedClock;
use hubsync::store::Store;
use hubsync::tui::app::{App, Effect, Mode, StatsView, Tab};
use hubsync::tui::keymap::{self, Scope};
use hubsync::tui::runner::execute;
use hubsync::tui::view;
use tui_app::*;

fn snapshot(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
}

fn stats_tab() -> App {
    let mut app = loaded();
    app.update(key(KeyCode::Char('6')));
    assert_eq!(app.tab, Tab::Reports);
    app
}

#[test]
fn f6_goes_from_the_overview_to_the_townships_and_the_liaison_load() {
    let mut app = stats_tab();
    assert_eq!(app.stats, StatsView::Overview);
    let overview = render(&mut app, 80, 24);
    assert!(
        overview.contains("其他") && overview.contains("为民服务"),
        "no category dropped at 80 columns:\n{overview}"
    );
    assert!(view::footer_text(&app, 80).contains("F6"), "the footer names F6: {}", view::footer_text(&app, 80));

    app.update(key(KeyCode::F(6)));
    assert_eq!(app.stats, StatsView::Townships);
    let report = app.data.report.clone().unwrap();
    assert!(report.townships.len() > 1, "the demo spans several townships");
    assert_eq!(app.views[Tab::Reports].len(), report.townships.len());
    let first = app.selected_township().unwrap().clone();
    assert_eq!(first.name, report.townships[0].name);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("各乡镇(街道) (F6)") && screen.contains(&first.name), "{screen}");
    // The selected township's detail: every category with 其他, status, both coverages, density.
    assert!(screen.contains("其他") && screen.contains("党的工作覆盖") && screen.contains("密度"), "{screen}");
    snapshot("stats_townships", &mut app);
    // Counts add up to the total row.
    let sum: usize = report.townships.iter().map(|t| t.base.surviving).sum();
    assert!(sum <= report.total.base.surviving);

    // ↓ moves to the next township.
    app.update(key(KeyCode::Down));
    assert_eq!(app.selected_township().unwrap().name, report.townships[1].name);

    // F3 filters by name: only that township is left, Esc brings all back.
    app.update(key(KeyCode::F(3)));
    typed(&mut app, &report.townships[1].name);
    app.update(key(KeyCode::Enter));
    assert_eq!(app.views[Tab::Reports].len(), 1);
    assert_eq!(app.selected_township().unwrap().code, report.townships[1].code);
    app.update(key(KeyCode::F(3)));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.views[Tab::Reports].len(), report.townships.len());

    app.update(key(KeyCode::F(6)));
    assert_eq!(app.stats, StatsView::Liaisons);
    let loads = &report.liaison_load;
    assert!(!loads.is_empty());
    assert!(loads.windows(2).all(|w| w[0].organizations >= w[1].organizations), "the most loaded first");
    let top = app.selected_load().unwrap().clone();
    assert_eq!(top.organizations, loads[0].organizations);
    assert_eq!(top.assigned.len(), top.organizations, "every organization assigned is named");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("联络员负荷 (F6)") && screen.contains(&top.name), "{screen}");
    assert!(screen.contains(&format!("▲{}", top.organizations)), "above the average is marked:\n{screen}");
    assert!(screen.contains(&top.assigned[0].name), "the detail names the organizations:\n{screen}");
    snapshot("stats_liaisons", &mut app);

    app.update(key(KeyCode::F(6)));
    assert_eq!(app.stats, StatsView::Overview);
}

#[test]
fn f3_on_the_overview_filters_the_townships_and_the_help_lists_the_views() {
    let mut app = stats_tab();
    app.update(key(KeyCode::F(3)));
    assert_eq!((app.stats, &app.mode), (StatsView::Townships, &Mode::Filter));
    let help: Vec<&str> = keymap::help_lines().iter().filter_map(|(_, b)| b.map(|b| b.help.0)).collect();
    assert!(help.contains(&"F6 概况/乡镇/联络员"), "{help:?}");
    assert!(keymap::footer(Scope::List, Tab::Reports).iter().any(|b| b.help.0.starts_with("F6")));
}

/// The liaison load lists people holding the role with nothing assigned
/// (at 0, last), and each person's organizations.
#[test]
fn a_liaison_with_nothing_assigned_is_listed_at_zero() {
    let mut d = data();
    let demo = DemoData::generate(2021, 60);
    let mut idle = Person::new("闲置联络员");
    idle.roles = vec![Role::Liaison];
    d.people.push(idle.clone());
    let report = hubsync::domain::report::Report::compute(&hubsync::domain::report::Inputs {
        federation: Some(&demo.federation),
        orgs: &demo.orgs,
        people: &d.people,
        liaisons: &demo.liaisons,
        venues: &demo.venues,
        bookings: &demo.bookings,
        trainings: &demo.trainings,
        attendance: &demo.attendance,
        as_of: today(),
        evaluation: &Default::default(),
    });
    let at = report.liaison_load.iter().position(|x| x.name == "闲置联络员").expect("listed");
    let idle_load = &report.liaison_load[at];
    assert_eq!((idle_load.organizations, idle_load.assigned.len()), (0, 0));
    assert!(report.liaison_load[at..].iter().all(|x| x.organizations == 0), "after everyone with work");
    let mut app = stats_tab();
    app.update(hubsync::tui::app::Event::ReportLoaded(std::sync::Arc::new(report)));
    app.update(key(KeyCode::F(6)));
    app.update(key(KeyCode::F(6)));
    app.update(key(KeyCode::F(3)));
    typed(&mut app, "闲置");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.selected_load().map(|x| x.name.as_str()), Some("闲置联络员"));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("闲置联络员") && screen.contains("无在岗选派"), "{screen}");
}

fn store(dir: &std::path::Path) -> (Store, DemoData) {
    let mut s = Store::open(&dir.join("data")).unwrap();
    let d = DemoData::generate(2021, 60);
    s.init_federation(&d.federation).unwrap();
    s.insert_many(&d.orgs).unwrap();
    s.insert_many(&d.people).unwrap();
    s.insert_many(&d.liaisons).unwrap();
    (s, d)
}

fn export(app: &mut App, s: &mut Store, path: &std::path::Path) {
    app.update(key(KeyCode::F(12)));
    let Mode::Form(f) = &mut app.mode else { panic!("the export form: {:?}", app.mode) };
    f.fields.iter_mut().find(|x| x.key == "path").unwrap().input.set(path.to_str().unwrap());
    let effects = app.update(ctrl('s'));
    let [effect @ Effect::Export(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    let Content::Report(r) = &cmd.content else { panic!("{cmd:?}") };
    assert_eq!(r.part, app.stats.part());
    let event = execute(s, &FixedClock::on(2025, 11, 4), effect.clone(), app.lang).expect("an export answers");
    app.update(event);
    assert_eq!(app.mode, Mode::Browse, "{:?}", app.messages.last());
}

#[test]
fn f12_exports_the_view_shown() {
    use calamine::Reader;
    let dir = tempfile::TempDir::new().unwrap();
    let (mut s, d) = store(dir.path());
    let mut app = stats_tab();
    app.export_dir = Some(dir.path().to_path_buf());

    // The township view: one sheet, a line per township, every category.
    app.update(key(KeyCode::F(6)));
    app.update(key(KeyCode::F(12)));
    let f = form(&app);
    assert!(f.value("path").ends_with("各乡镇统计-2025-11-04.xlsx"), "{}", f.value("path"));
    assert_eq!(Format::of_path(std::path::Path::new(f.value("path"))), Some(Format::Xlsx));
    app.update(key(KeyCode::Esc));
    let book = dir.path().join("乡镇.xlsx");
    export(&mut app, &mut s, &book);
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    assert_eq!(wb.sheet_names(), ["各乡镇概况"]);
    let range = wb.worksheet_range("各乡镇概况").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = rows.iter().position(|r| r.first().is_some_and(|c| c == "县(市、区)")).unwrap();
    assert!(rows[header].iter().any(|c| c == "其他") && rows[header].iter().any(|c| c == "是否达标"));
    let townships: std::collections::BTreeSet<&str> =
        d.orgs.iter().filter_map(|o| hubsync::domain::divisions::township_of(&o.division)).collect();
    assert_eq!(rows.len() - header - 1, townships.len(), "a line per township");
    assert!(rows[1][0].contains("统计口径"), "the base and date are stated: {:?}", rows[1]);

    // The same view as CSV: title, base, header and rows, rates as percentages.
    let csv = dir.path().join("乡镇.csv");
    export(&mut app, &mut s, &csv);
    let text = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    assert!(text.starts_with("\u{feff}各乡镇概况"), "{text}");
    assert!(text.contains("县(市、区),乡镇(街道),区划代码,存续") && text.contains('%'), "{text}");
    assert!(!text.contains("-0.0") && !text.contains("NaN"), "{text}");

    // The liaison view: each person with the organizations assigned.
    app.update(key(KeyCode::F(6)));
    let json = dir.path().join("负荷.json");
    export(&mut app, &mut s, &json);
    let loads: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let first = &loads[0];
    assert_eq!(first["assigned"].as_array().unwrap().len() as u64, first["organizations"].as_u64().unwrap());
    let book = dir.path().join("负荷.xlsx");
    export(&mut app, &mut s, &book);
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    assert_eq!(wb.sheet_names(), ["联络员负荷"]);
    let range = wb.worksheet_range("联络员负荷").unwrap();
    let names: Vec<String> = range.rows().skip(4).map(|r| r[3].to_string()).collect();
    assert!(names.iter().any(|n| n.contains('、')), "the organizations assigned, named: {names:?}");

    // The overview still writes the whole workbook.
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.stats.part(), ReportPart::All);
    let all = dir.path().join("全部.xlsx");
    export(&mut app, &mut s, &all);
    assert!(calamine::open_workbook_auto(&all).unwrap().sheet_names().len() > 10);
}

//! Importing a ledger from the UI: F9 asks for the path, the dry run's
//! preview lists every bad line (scrollable), then import all (refused while
//! a row is bad), the valid rows only, or cancel. Effects run against a real store.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::*;
use hubsync::ops::import::Mode as ImportMode;
use hubsync::ops::FixedClock;
use hubsync::store::Store;
use hubsync::tui::app::{App, Effect, Mode};
use hubsync::tui::runner::execute;
use tui_app::*;

fn store(dir: &std::path::Path) -> Store {
    let mut s = Store::open(&dir.join("data")).unwrap();
    let fed = Federation {
        id: RecordId::random(),
        name: "锦江区联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    };
    s.init_federation(&fed).unwrap();
    s
}

fn run(app: &mut App, s: &mut Store, effect: Effect) -> Vec<Effect> {
    let clock = FixedClock::on(2025, 3, 1);
    let event = execute(s, &clock, effect).expect("an import answers");
    app.update(event)
}

#[test]
fn preview_lists_every_bad_line_then_imports_all_or_the_valid_rows() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut s = store(dir.path());
    let file = dir.path().join("台账.csv");
    let mut text = String::from("序号,组织名称,登记/备案,统一社会信用代码/备案编号,联系电话\r\n");
    for i in 1..=30 {
        let phone = if i % 3 == 0 { "12345" } else { "13812345678" };
        text.push_str(&format!("{i},组织{i:02},已备案未登记,玉林备{i:03},{phone}\r\n"));
    }
    std::fs::write(&file, encoding_rs::GBK.encode(&text).0).unwrap();

    let mut app = loaded();
    app.update(key(KeyCode::F(9)));
    assert!(matches!(&app.mode, Mode::Form(_)), "F9 opens the import form");
    typed(&mut app, file.to_str().unwrap());
    let effects = app.update(ctrl('s'));
    let [check @ Effect::ImportCheck(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(cmd.mode, ImportMode::DryRun);
    run(&mut app, &mut s, check.clone());
    let Mode::ImportPreview(preview) = &app.mode else { panic!("preview shown") };
    assert_eq!(preview.checked.report.invalid_lines.len(), 10);

    // Every bad line is there, the last one reached by scrolling.
    let first = render(&mut app, 80, 24);
    assert!(first.contains("第4行") && first.contains("20 行有效"), "{first}");
    for _ in 0..12 {
        app.update(key(KeyCode::Down));
    }
    let scrolled = render(&mut app, 80, 24);
    assert!(scrolled.contains("第31行"), "{scrolled}");

    // Import all: refused, nothing written, said in the history.
    let effects = app.update(key(KeyCode::Enter));
    let [apply @ Effect::ImportApply(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(cmd.mode, ImportMode::All);
    run(&mut app, &mut s, apply.clone());
    assert!(app.messages.last().unwrap().0, "an error: {:?}", app.messages.last());
    assert_eq!(s.all::<Organization>().unwrap().len(), 0);

    // Check again and take the valid rows.
    run(&mut app, &mut s, check.clone());
    let effects = app.update(key(KeyCode::F(4)));
    let [apply @ Effect::ImportApply(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(cmd.mode, ImportMode::ValidRows);
    run(&mut app, &mut s, apply.clone());
    assert!(app.messages.last().unwrap().1.contains("已导入 20"), "{:?}", app.messages.last());
    let orgs = s.all::<Organization>().unwrap();
    assert_eq!(orgs.len(), 20);
    assert!(orgs.iter().all(|o| o.legal_status == LegalStatus::Filed), "已备案未登记 never reads as 登记");

    // Esc on a preview cancels without writing.
    run(&mut app, &mut s, check.clone());
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.mode, Mode::Browse);
}

#[test]
fn a_missing_file_is_an_error_and_the_form_stays() {
    let mut app = loaded();
    app.update(key(KeyCode::F(9)));
    typed(&mut app, "/no/such/台账.xlsx");
    let effects = app.update(ctrl('s'));
    let dir = tempfile::TempDir::new().unwrap();
    let mut s = store(dir.path());
    run(&mut app, &mut s, effects[0].clone());
    assert!(matches!(&app.mode, Mode::Form(_)));
    let (is_error, text) = app.messages.last().unwrap();
    assert!(*is_error && text.contains("台账.xlsx"), "{text}");
}

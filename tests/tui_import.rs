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
    let event = execute(s, &clock, effect, app.lang).expect("an import answers");
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

fn set(app: &mut App, key: &str, text: &str) {
    let Mode::Form(f) = &mut app.mode else { panic!("a form is open: {:?}", app.mode) };
    f.fields.iter_mut().find(|x| x.key == key).unwrap().input.set(text);
}

/// Issue 9 point 7: the filing ledger (one township's, by its name as the
/// ledger writes it) and the report's workbook are exported from the UI,
/// through the same ops action as `hubsync export`/`report`.
#[test]
fn the_ledger_and_the_report_are_exported_from_the_ui() {
    use hubsync::domain::demo::DemoData;
    use hubsync::ops::export::{Content, Format};
    let dir = tempfile::TempDir::new().unwrap();
    let mut s = store(dir.path());
    let demo = DemoData::generate(2021, 60);
    s.insert_many(&demo.orgs).unwrap();
    let township = demo.orgs.iter().map(|o| o.township.clone()).find(|t| !t.is_empty()).unwrap();
    let in_township = demo.orgs.iter().filter(|o| o.township == township).count();

    let mut app = loaded();
    app.export_dir = Some(dir.path().to_path_buf());
    app.update(key(KeyCode::F(12)));
    let path = form(&app).value("path").to_string();
    assert_eq!(path, dir.path().join("备案管理台账-2025-11-04.xlsx").display().to_string(), "default beside the data");
    let screen = render(&mut app, 80, 24);
    insta::assert_snapshot!("export_ledger_form_80x24", screen.replace(&dir.path().display().to_string(), "DIR"));

    // A file name without a known ending is named at the path field.
    set(&mut app, "path", "台账.txt");
    assert!(app.update(ctrl('s')).is_empty());
    assert!(form(&app).fields[0].error.as_deref().unwrap().contains(".xlsx"), "{:?}", form(&app).fields[0]);

    let file = dir.path().join("春熙.csv");
    set(&mut app, "path", file.to_str().unwrap());
    set(&mut app, "township", &township);
    set(&mut app, "lifecycle", "活跃");
    let effects = app.update(ctrl('s'));
    let [export @ Effect::Export(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    let Content::Records(e) = &cmd.content else { panic!("{cmd:?}") };
    assert_eq!((e.format, e.selection.township.as_deref()), (Format::Csv { gbk: false }, Some(township.as_str())));
    run(&mut app, &mut s, export.clone());
    assert_eq!(app.mode, Mode::Browse);
    assert!(app.messages.last().unwrap().1.contains("春熙.csv"), "{:?}", app.messages.last());
    let bytes = std::fs::read(&file).unwrap();
    let plan = hubsync::io::import::plan_orgs(&bytes, &hubsync::io::import::Existing::default()).unwrap();
    assert!(!plan.records.is_empty() && plan.records.len() <= in_township);
    assert!(plan.records.iter().all(|(_, o)| o.township == township && o.lifecycle == Lifecycle::Active));

    // A township nobody is in: said at its field, nothing written.
    app.update(key(KeyCode::F(12)));
    set(&mut app, "path", dir.path().join("空.xlsx").to_str().unwrap());
    set(&mut app, "township", "不存在街道");
    let effects = app.update(ctrl('s'));
    run(&mut app, &mut s, effects[0].clone());
    let Mode::Form(f) = &app.mode else { panic!("form kept") };
    assert!(f.fields[1].error.as_deref().unwrap().contains("不存在街道"));
    assert!(!dir.path().join("空.xlsx").exists());
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));

    // Limited to a subtree this node holds nothing of (Chongqing): said at
    // its field, nothing written.
    app.update(key(KeyCode::F(12)));
    set(&mut app, "path", dir.path().join("重庆.xlsx").to_str().unwrap());
    set(&mut app, "under", "500000");
    let effects = app.update(ctrl('s'));
    let [Effect::Export(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(matches!(&cmd.content, Content::RecordsUnder(_, under) if under == "500000"), "{cmd:?}");
    run(&mut app, &mut s, effects[0].clone());
    let Mode::Form(f) = &app.mode else { panic!("form kept") };
    let field = f.fields.iter().find(|f| f.key == "under").unwrap();
    assert!(field.error.as_deref().unwrap().contains("500000"), "{field:?}");
    assert!(!dir.path().join("重庆.xlsx").exists());
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));

    // The statistics tab writes the indicator workbook.
    app.update(key(KeyCode::Char('6')));
    app.update(key(KeyCode::F(12)));
    assert!(form(&app).value("path").ends_with("统计报表-2025-11-04.xlsx"));
    assert_eq!(form(&app).value("as_of"), "2025-11-04");
    let book = dir.path().join("指标.xlsx");
    set(&mut app, "path", book.to_str().unwrap());
    set(&mut app, "as_of", "2025年6月30日");
    let effects = app.update(ctrl('s'));
    let [export @ Effect::Export(cmd)] = effects.as_slice() else { panic!("{effects:?}") };
    let Content::Report(r) = &cmd.content else { panic!("{cmd:?}") };
    assert_eq!(r.as_of, chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
    run(&mut app, &mut s, export.clone());
    use calamine::Reader;
    let workbook = calamine::open_workbook_auto(&book).unwrap();
    assert!(workbook.sheet_names().len() > 3, "{:?}", workbook.sheet_names());
}

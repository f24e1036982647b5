//! The TUI as a state machine (keys in, effects and state out) and every
//! screen rendered into a TestBackend at 80x24 and 120x40 with Chinese data.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hubsync::domain::demo::DemoData;
use hubsync::domain::query::OrgRow;
use hubsync::domain::report::{Inputs, Report};
use hubsync::domain::*;
use hubsync::store::FieldConflict;
use hubsync::tui::app::{App, Data, Effect, Event, Mode};
use hubsync::tui::view;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 4).unwrap()
}

fn data() -> Data {
    let d = DemoData::generate(2021, 60);
    let report = Report::compute(
        &Inputs {
            orgs: &d.orgs,
            people: &d.people,
            liaisons: &d.liaisons,
            venues: &d.venues,
            bookings: &d.bookings,
            trainings: &d.trainings,
            attendance: &d.attendance,
            today: today(),
        },
        Lang::Zh,
    );
    let mut rows: Vec<OrgRow> = d.orgs.iter().map(OrgRow::from_org).collect();
    rows.sort_by(|a, b| (&a.division, &a.name).cmp(&(&b.division, &b.name)));
    Data {
        federation: Some(d.federation),
        orgs: Arc::new(rows),
        people: d.people,
        liaisons: d.liaisons,
        venues: d.venues,
        bookings: d.bookings,
        trainings: d.trainings,
        attendance: d.attendance,
        report: Some(report),
        documents: Vec::new(),
        peers: Vec::new(),
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

/// An app with demo data loaded and the first organization's detail shown.
fn loaded() -> App {
    let mut app = App::new(Lang::Zh, today());
    let effects = app.update(Event::Loaded(Box::new(data())));
    let Some(Effect::LoadOrg(id)) = effects.first().cloned() else { panic!("detail requested: {effects:?}") };
    let org = DemoData::generate(2021, 60).orgs.into_iter().find(|o| o.id == id).unwrap();
    app.update(Event::OrgLoaded(Box::new(org), Vec::new()));
    app
}

fn render(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn snapshot(name: &str, app: &mut App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

#[test]
fn adding_an_organization_keeps_typed_text_on_errors() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    assert!(matches!(app.mode, Mode::Form(_)));
    // Save with an empty name: the form stays, the field says why.
    assert!(app.update(ctrl('s')).is_empty());
    let Mode::Form(form) = &app.mode else { panic!() };
    assert!(form.fields[0].error.as_deref().unwrap().contains("不能为空"));
    typed(&mut app, "玉林社区新舞蹈队");
    let effects = app.update(ctrl('s'));
    let [Effect::SaveOrg { org, new: true }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(org.name, "玉林社区新舞蹈队");
    // The store refuses (a duplicate): the form and its text stay.
    app.update(Event::Done(Err("组织名称「玉林社区新舞蹈队」已存在".into())));
    let Mode::Form(form) = &app.mode else { panic!("form kept") };
    assert_eq!(form.fields[0].input.text(), "玉林社区新舞蹈队");
    assert!(form.message.as_deref().unwrap().contains("已存在"));
    assert!(app.messages.last().unwrap().0, "error kept in the history");
    let effects = app.update(Event::Done(Ok("已保存".into())));
    assert_eq!(app.mode, Mode::Browse);
    assert_eq!(effects, vec![Effect::LoadAll]);
}

#[test]
fn select_fields_cycle_with_arrows() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Right));
    let Mode::Form(form) = &app.mode else { panic!() };
    assert_eq!(form.fields[1].key, "category");
    assert_eq!(form.fields[1].input.text(), "为民服务", "after 其他 comes the first category");
}

#[test]
fn quitting_asks_only_when_a_form_is_unsaved() {
    let mut app = loaded();
    assert_eq!(app.update(key(KeyCode::F(10))), vec![Effect::Quit]);
    app.update(key(KeyCode::F(4)));
    assert_eq!(app.update(key(KeyCode::F(10))), vec![Effect::Quit], "untouched form");
    typed(&mut app, "x");
    assert!(app.update(key(KeyCode::F(10))).is_empty());
    assert!(matches!(app.mode, Mode::ConfirmQuit(_)));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Form(_)), "back to the form, text intact");
    app.update(key(KeyCode::F(10)));
    assert_eq!(app.update(key(KeyCode::Enter)), vec![Effect::Quit]);
}

#[test]
fn exiting_goes_through_a_confirm_popup_with_date_and_reason() {
    let mut app = loaded();
    let id = app.selected_org().unwrap().id.clone();
    app.update(key(KeyCode::F(8)));
    assert!(matches!(app.mode, Mode::ConfirmExit(_)));
    assert!(app.update(ctrl('s')).is_empty(), "a reason is required");
    typed(&mut app, "长期不开展活动");
    let effects = app.update(ctrl('s'));
    assert_eq!(effects, vec![Effect::ExitOrg { id, date: today(), reason: "长期不开展活动".into() }]);
}

#[test]
fn filter_narrows_as_you_type_and_esc_clears() {
    let mut app = loaded();
    let all = app.org_view.len();
    app.update(key(KeyCode::F(3)));
    let name = app.data.orgs[5].name.clone();
    typed(&mut app, &name);
    assert_eq!(app.org_view.len(), 1);
    assert_eq!(app.selected_org().unwrap().name, name);
    app.update(key(KeyCode::Esc));
    assert_eq!(app.org_view.len(), all);
}

#[test]
fn coverage_view_assigns_a_liaison() {
    let mut app = loaded();
    app.update(key(KeyCode::F(6)));
    assert!(app.org_filter.uncovered);
    assert!(app.org_view.iter().all(|i| !app.data.orgs[*i].is_covered()));
    let org = app.selected_org().unwrap().id.clone();
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Assign { .. }));
    let person = app.liaison_candidates()[0].id.clone();
    assert_eq!(app.update(key(KeyCode::Enter)), vec![Effect::Assign { person, org }]);
}

#[test]
fn conflicts_are_shown_and_resolved() {
    let mut app = loaded();
    let org = app.detail.as_ref().unwrap().0.clone();
    let conflicts = vec![FieldConflict { field: "head_name".into(), values: vec!["张三".into(), "李四".into()] }];
    app.update(Event::OrgLoaded(Box::new(org.clone()), conflicts));
    app.update(key(KeyCode::F(7)));
    app.update(key(KeyCode::Down));
    snapshot("conflicts", &mut app);
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::Resolve { id: org.id, field: "head_name".into(), value: "李四".into() }]);
}

#[test]
fn sign_in_mode_signs_people_in_one_after_another() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::F(9)));
    assert!(matches!(app.mode, Mode::SignIn { .. }));
    let first = app.sign_in_matches("")[0].name.clone();
    typed(&mut app, &first);
    let effects = app.update(key(KeyCode::Enter));
    let [Effect::SignIn(a)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(a.hours, 3.0, "credited the session's length");
    let Mode::SignIn { input, .. } = &app.mode else { panic!("stays in sign-in mode") };
    assert!(input.text().is_empty(), "ready for the next person");
}

#[test]
fn an_empty_data_directory_offers_setup() {
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::default()));
    assert_eq!(app.mode, Mode::Setup { choice: 0 });
    snapshot("setup", &mut app);
    app.update(key(KeyCode::Down));
    assert_eq!(app.update(key(KeyCode::Enter)), vec![Effect::LoadDemo(1000)]);
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::default()));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "锦江区社区社会组织联合会");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "510104");
    let effects = app.update(ctrl('s'));
    let [Effect::CreateFederation(f)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!((f.name.as_str(), f.division.as_str(), f.level), ("锦江区社区社会组织联合会", "510104", Level::County));
}

#[test]
fn the_cursor_sits_at_the_caret_in_display_columns() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "阳光");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| view::draw(f, &mut app)).unwrap();
    let first = terminal.get_cursor_position().unwrap();
    typed(&mut app, "队");
    terminal.draw(|f| view::draw(f, &mut app)).unwrap();
    let second = terminal.get_cursor_position().unwrap();
    assert_eq!(second.x - first.x, 2, "a CJK character is two columns");
    assert_eq!(second.y, first.y);
}

#[test]
fn every_screen_renders() {
    let mut app = loaded();
    snapshot("orgs", &mut app);
    for (tab, name) in [('2', "people"), ('3', "venues"), ('4', "trainings"), ('5', "sync"), ('6', "reports")] {
        app.update(key(KeyCode::Char(tab)));
        snapshot(name, &mut app);
    }
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::F(1)));
    snapshot("help", &mut app);
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "x");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "51420000MJH2003664");
    app.update(ctrl('s'));
    snapshot("form_with_errors", &mut app);
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::F(8)));
    snapshot("exit_confirm", &mut app);
}

#[test]
fn english_and_monochrome() {
    let mut app = loaded();
    app.update(ctrl('l'));
    assert_eq!(app.lang, Lang::En);
    app.monochrome = true;
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Organizations") && screen.contains("F1 help"), "{screen}");
}

#[test]
fn sorting_cycles_through_name_category_and_party_status() {
    let mut app = loaded();
    app.update(key(KeyCode::F(11)));
    let names: Vec<&str> = app.org_view.iter().map(|i| app.data.orgs[*i].name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "by name");
    app.update(key(KeyCode::F(11)));
    let cats: Vec<_> = app.org_view.iter().map(|i| app.data.orgs[*i].category).collect();
    assert!(cats.windows(2).all(|w| w[0] <= w[1]), "by category");
}

#[test]
fn venues_take_bookings_and_overlaps_are_cancelled_from_a_picker() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('3')));
    // The first venue holds the two overlapping confirmed bookings of the demo.
    assert!(app.venue_conflicts().len() >= 2);
    app.update(key(KeyCode::F(8)));
    assert!(matches!(app.mode, Mode::CancelBooking { .. }));
    snapshot("cancel_overlap", &mut app);
    app.update(key(KeyCode::Down));
    let second = app.venue_conflicts()[1].id.clone();
    assert_eq!(app.update(key(KeyCode::Enter)), vec![Effect::CancelBooking(second)]);

    app.mode = Mode::Browse;
    app.update(key(KeyCode::Enter));
    let Mode::Form(f) = &app.mode else { panic!("booking form") };
    assert_eq!(f.value("date"), "2025-11-04");
    app.update(key(KeyCode::Tab));
    for _ in 0..5 {
        app.update(key(KeyCode::Backspace));
    }
    typed(&mut app, "18:00");
    let Mode::Form(_) = &app.mode else { panic!() };
    assert!(app.update(ctrl('s')).is_empty(), "end before start is refused");
    let Mode::Form(f) = &app.mode else { panic!() };
    assert!(f.fields.iter().any(|x| x.key == "end" && x.error.is_some()));
    app.update(key(KeyCode::Esc));

    app.update(key(KeyCode::F(4)));
    typed(&mut app, "望江社区党群服务中心");
    let effects = app.update(ctrl('s'));
    let [Effect::SaveVenue(v)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(v.name, "望江社区党群服务中心");
}

#[test]
fn trainings_and_sessions_are_added_from_forms() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "社区社会组织财务培训");
    let effects = app.update(ctrl('s'));
    let [Effect::SaveTraining(t)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!((t.title.as_str(), t.format), ("社区社会组织财务培训", TrainingFormat::OnSite));
    app.update(Event::Done(Ok("ok".into())));
    app.update(key(KeyCode::F(12)));
    let effects = app.update(ctrl('s'));
    let [Effect::AddSession { session, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(session.hours(), 3.0);
}

#[test]
fn peers_are_added_invitations_shown_and_sync_started_from_the_sync_tab() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('5')));
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "NOT-A-NODE-ID");
    assert!(app.update(ctrl('s')).is_empty());
    let Mode::Form(f) = &app.mode else { panic!() };
    assert!(f.fields[0].error.is_some(), "a bad node id is named at its field");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::F(12)));
    typed(&mut app, "192.168.1.10:4433");
    assert_eq!(app.update(ctrl('s')), vec![Effect::Invite { addr: "192.168.1.10:4433".into(), write: true }]);
    app.update(Event::ShowText("ABCDEFG".into()));
    assert_eq!(app.mode, Mode::Text("ABCDEFG".into()));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.update(key(KeyCode::F(9))), vec![Effect::SyncNow]);
}

//! Issue 15, a secretary's day: errors you can read, forms that ask before
//! they lose typed data, sign-in you can trust, pickers that filter.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::*;
use hubsync::tui::app::Tab;
use hubsync::tui::app::{App, Effect, Event, Mode};
use tui_app::*;

fn snapshot(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
}

/// The screen's rows joined by spaces without the borders and padding, so a
/// sentence wrapped between words can be looked for whole.
fn joined(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches('"').trim_end_matches(['│', ' ']).trim_start_matches(['│', ' ']))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_credit_code_error_is_shown_in_full_and_kept_in_the_history() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "玉林社区新舞蹈队");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    typed(&mut app, "51420000MJH2003664");
    assert!(app.update(ctrl('s')).is_empty());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("校验位错误"), "the reason is visible at 80 columns:\n{screen}");
    let error = form(&app).fields.iter().find_map(|f| f.error.clone()).unwrap();
    for word in error.split_whitespace() {
        assert!(screen.contains(word), "'{word}' of the error is on screen:\n{screen}");
    }
    let (is_error, text) = app.messages.last().expect("the error went to the history");
    assert!(*is_error && text.contains("校验位错误") && text.contains("统一社会信用代码"), "{text}");
    snapshot("credit_code_error", &mut app);
}

#[test]
fn a_long_store_error_wraps_in_the_status_line() {
    let mut app = loaded();
    let long = "组织名称「玉林社区夕阳红志愿服务队」已存在于锦江区社区社会组织联合会的组织名册中,请换一个名称或修改已有记录 (an organization by this name already exists)";
    app.update(Event::Done(Err(long.into())));
    let screen = render(&mut app, 80, 24);
    assert!(joined(&screen).contains("already exists)"), "the end of the error is on screen:\n{screen}");
}

#[test]
fn esc_asks_before_discarding_a_filled_form() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.mode, Mode::Browse, "nothing typed: Esc closes at once");
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "玉林社区新舞蹈队");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::ConfirmDiscard(_)), "{:?}", app.mode);
    assert!(render(&mut app, 80, 24).contains("放弃"));
    // An input method's second Esc must not lose the form either.
    app.update(key(KeyCode::Esc));
    assert_eq!(form(&app).value("name"), "玉林社区新舞蹈队", "Esc goes back to the form as typed");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.update(key(KeyCode::Enter)), Vec::<Effect>::new());
    assert_eq!(app.mode, Mode::Browse, "Enter discards");
}

fn person(name: &str, initials_org: Option<&RecordId>, phone: &str) -> Person {
    let mut p = Person::new(name);
    p.organization = initials_org.cloned();
    p.phone = phone.into();
    p
}

/// The demo data with the people of the walk: 朱桂英 (zgy) and 郭艳 (gy), and
/// two 刘娟 from different organizations; sign-in opened on the latest
/// session of the first training.
fn signing_in() -> App {
    let mut d = data();
    let (a, b) = (d.orgs[0].id.clone(), d.orgs[1].id.clone());
    d.people.push(person("朱桂英", Some(&a), "13800000001"));
    d.people.push(person("郭艳", Some(&b), "13800000002"));
    d.people.push(person("刘娟", Some(&a), "13811111234"));
    d.people.push(person("刘娟", Some(&b), "13922225678"));
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(d)));
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::F(9)));
    if matches!(app.mode, Mode::Pick(_)) {
        app.update(key(KeyCode::Enter));
    }
    assert!(signing_in_to(&app).is_some(), "{:?}", app.mode);
    app
}

/// The people the sign-in picker shows for what was typed, best first.
fn shown(app: &App) -> Vec<hubsync::tui::picker::PickItem> {
    let Mode::Pick(picker) = &app.mode else { panic!("signing in: {:?}", app.mode) };
    picker.matches().into_iter().cloned().collect()
}

fn signed_in(effects: &[Effect]) -> &Attendance {
    match effects {
        [Effect::SignIn(a)] => a,
        other => panic!("one sign-in expected: {other:?}"),
    }
}

#[test]
fn exact_initials_rank_before_initials_that_merely_contain_the_search() {
    let mut app = signing_in();
    typed(&mut app, "gy");
    let names: Vec<String> = shown(&app).iter().map(|m| m.name.clone()).collect();
    let (guo, zhu) = (names.iter().position(|n| n == "郭艳"), names.iter().position(|n| n == "朱桂英"));
    assert_eq!(guo, Some(0), "gy is exactly 郭艳's initials: {names:?}");
    assert!(zhu.is_some_and(|z| z > 0), "{names:?}");
    let guo = app.data.people.iter().find(|p| p.name == "郭艳").unwrap().id.clone();
    assert_eq!(signed_in(&app.update(key(KeyCode::Enter))).person, guo);
}

#[test]
fn a_second_sign_in_is_refused_and_said_and_the_count_runs() {
    let mut app = signing_in();
    let before = app.sign_in_count();
    typed(&mut app, "郭艳");
    signed_in(&app.update(key(KeyCode::Enter)));
    assert_eq!(app.sign_in_count().0, before.0 + 1, "the count moves at once");
    typed(&mut app, "郭艳");
    assert!(shown(&app)[0].checked, "marked as signed in");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("✓"), "{screen}");
    assert!(screen.contains(&format!("已签到 {}", before.0 + 1)), "running count:\n{screen}");
    snapshot("sign_in_repeat", &mut app);
    assert!(app.update(key(KeyCode::Enter)).is_empty(), "no second sign-in");
    let (is_error, text) = app.messages.last().unwrap();
    assert!(*is_error && text.contains("郭艳") && text.contains("已签到"), "{text}");
    // Esc ends sign-in; what was signed in stays signed in.
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.mode, Mode::Browse);
    assert_eq!(app.pending_sign_ins.len(), 1);
}

#[test]
fn namesakes_are_told_apart_by_organization_and_phone() {
    let mut app = signing_in();
    typed(&mut app, "刘娟");
    let screen = render(&mut app, 80, 24);
    let orgs = [app.data.orgs[0].name.clone(), app.data.orgs[1].name.clone()];
    assert!(screen.contains("1234") && screen.contains("5678"), "last phone digits:\n{screen}");
    for org in &orgs {
        let short: String = org.chars().take(6).collect();
        assert!(screen.contains(&short), "{org} named:\n{screen}");
    }
    snapshot("sign_in_namesakes", &mut app);
    app.update(key(KeyCode::Down));
    let second = shown(&app)[1].id.clone().unwrap();
    assert_eq!(signed_in(&app.update(key(KeyCode::Enter))).person, second, "↓ picks the other 刘娟");
}

#[test]
fn an_unknown_name_offers_a_walk_in_added_and_signed_in_at_once() {
    let mut app = signing_in();
    let (t, s) = signing_in_to(&app).unwrap();
    typed(&mut app, "王新来");
    assert!(shown(&app).is_empty());
    assert!(render(&mut app, 80, 24).contains("Enter"), "the popup says Enter adds a walk-in");
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("name"), "王新来", "the walk-in form starts with the typed name");
    app.update(key(KeyCode::Tab));
    let org = app.data.orgs[0].name.clone();
    typed(&mut app, &org);
    app.update(key(KeyCode::Tab));
    typed(&mut app, "13700001111");
    let effects = app.update(key(KeyCode::F(2)));
    let [Effect::WalkIn { person, training, session }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!((person.name.as_str(), person.phone.as_str()), ("王新来", "13700001111"));
    assert_eq!(person.organization.as_ref(), Some(&app.data.orgs[0].id));
    assert_eq!((training, session), (&t, &s));
    assert!(matches!(app.mode, Mode::Form(_)), "the form stays until the store says it is saved");
    app.update(Event::Done(Ok("已现场登记并签到".into())));
    assert!(signing_in_to(&app).is_some(), "back to sign-in for the next person");
    // Esc on a half-typed walk-in asks, and discarding returns to sign-in too.
    typed(&mut app, "李未知");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Enter));
    assert!(signing_in_to(&app).is_some(), "{:?}", app.mode);
}

#[test]
fn the_liaison_picker_filters_by_initials_and_lists_liaisons_first() {
    let mut app = loaded();
    app.update(key(KeyCode::F(6)));
    let org = app.selected_org().unwrap().id.clone();
    app.update(key(KeyCode::Enter));
    // Typing on the person field opens the picker with what was typed.
    typed(&mut app, "z");
    let Mode::Pick(picker) = &app.mode else { panic!("a picker: {:?}", app.mode) };
    assert_eq!(picker.input.text(), "z");
    app.update(key(KeyCode::Backspace));
    let Mode::Pick(picker) = &app.mode else { panic!() };
    let everyone = picker.matches();
    assert!(everyone.len() > app.liaison_candidates().len(), "everyone can be chosen");
    let liaisons = app.liaison_candidates().len();
    let people = app.data.people.clone();
    let by_id = |id: &RecordId| people.iter().find(|p| &p.id == id).unwrap().clone();
    assert!(
        everyone[..liaisons]
            .iter()
            .all(|i| by_id(i.id.as_ref().unwrap()).roles.iter().any(|r| matches!(r, Role::Liaison | Role::Instructor))),
        "liaisons and instructors first"
    );
    typed(&mut app, "zyl");
    snapshot("liaison_picker", &mut app);
    let Mode::Pick(picker) = &app.mode else { panic!() };
    assert_eq!(picker.matches()[0].name, "赵玉兰", "exact initials first");
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("person"), "赵玉兰");
    let effects = app.update(key(KeyCode::F(2)));
    let [Effect::Assign(a)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(by_id(&a.person).name, "赵玉兰");
    assert_eq!(a.organization, org);
}

#[test]
fn the_organization_field_opens_a_filtering_picker_with_f6() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::F(4)));
    while form(&app).fields[form(&app).focus].key != "organization" {
        app.update(key(KeyCode::Tab));
    }
    let target = app.data.orgs[7].name.clone();
    app.update(key(KeyCode::F(6)));
    let initials = hubsync::domain::query::pinyin_initials(&target);
    typed(&mut app, &initials);
    let Mode::Pick(picker) = &app.mode else { panic!("a picker: {:?}", app.mode) };
    assert_eq!(picker.matches()[0].name, target);
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("organization"), target);
    // Esc in the picker goes back to the form, unchanged.
    app.update(key(KeyCode::F(6)));
    typed(&mut app, "不存在");
    app.update(key(KeyCode::Esc));
    assert_eq!(form(&app).value("organization"), target);
}

#[test]
fn a_filter_with_no_match_clears_the_detail_and_enter_does_nothing() {
    let mut app = loaded();
    app.update(key(KeyCode::F(3)));
    typed(&mut app, "没有这个组织");
    app.update(key(KeyCode::Enter));
    assert!(app.views[Tab::Orgs].is_empty());
    assert!(app.detail.is_none(), "no stale detail");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.mode, Mode::Browse, "Enter on an empty list opens nothing");
    let screen = render(&mut app, 80, 24);
    assert!(!screen.contains("党组织:"), "the detail pane is empty:\n{screen}");
    for tab in ['2', '3', '4'] {
        app.update(key(KeyCode::Char(tab)));
        app.update(key(KeyCode::F(3)));
        typed(&mut app, "没有这个");
        app.update(key(KeyCode::Enter));
        app.update(key(KeyCode::Enter));
        assert_eq!(app.mode, Mode::Browse, "tab {tab}");
    }
    // Two words are combined: both must match.
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::F(3)));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::F(3)));
    typed(&mut app, "团结 巾帼");
    assert!(!app.views[Tab::Orgs].is_empty());
    assert!(app.views[Tab::Orgs].iter().all(|i| {
        let n = &app.data.orgs[*i].name;
        n.contains("团结") && n.contains("巾帼")
    }));
}

#[test]
fn dialogs_name_what_they_act_on() {
    let mut app = loaded();
    app.update(key(KeyCode::F(6)));
    let org = app.selected_org().unwrap().name.clone();
    app.update(key(KeyCode::Enter));
    assert!(render(&mut app, 80, 24).contains(&format!("· {org}")), "the dispatch form names the organization");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('3')));
    let venue = app.selected_venue().unwrap().name.clone();
    app.update(key(KeyCode::F(12)));
    assert!(render(&mut app, 80, 24).contains(&format!("· {venue}")), "the booking form names the venue");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::F(8)));
    assert!(render(&mut app, 80, 24).contains(&format!("· {venue}")), "the cancel picker names the venue");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('2')));
    let person = app.selected_person().unwrap().name.clone();
    app.update(key(KeyCode::F(8)));
    assert!(render(&mut app, 80, 24).contains(&format!("· {person}")), "the end-assignment form names the person");
}

#[test]
fn ctrl_c_says_how_to_quit() {
    let mut app = loaded();
    assert!(app.update(ctrl('c')).is_empty());
    assert!(app.messages.last().unwrap().1.contains("F10"));
}

#[test]
fn after_adding_a_record_the_selection_moves_to_it() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "新来的志愿者");
    let effects = app.update(key(KeyCode::F(2)));
    let [Effect::SavePerson { person, new: true }] = effects.as_slice() else { panic!("{effects:?}") };
    let person = (**person).clone();
    app.update(Event::Done(Ok("已保存".into())));
    let mut d = data();
    d.people.push(person.clone());
    app.update(Event::Loaded(Box::new(d)));
    assert_eq!(app.selected_person().map(|p| &p.id), Some(&person.id));
}

#[test]
fn a_booking_form_opened_on_a_later_week_starts_in_that_week() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('3')));
    app.update(key(KeyCode::Right));
    app.update(key(KeyCode::Right));
    app.update(key(KeyCode::F(12)));
    assert_eq!(form(&app).value("date"), (today() + chrono::Duration::weeks(2)).to_string());
}

#[test]
fn liaisons_show_the_organizations_they_are_assigned_to() {
    let app = loaded();
    let (i, p) = app
        .data
        .people
        .iter()
        .enumerate()
        .find(|(_, p)| p.organization.is_none() && !app.active_assignments(&p.id).is_empty())
        .expect("the demo has a liaison with an assignment");
    let (label, a) = &app.active_assignments(&p.id)[0];
    let org = app.org_name(&a.organization).unwrap();
    assert!(app.derived.person_org[i].contains(org), "{label}: {:?}", app.derived.person_org[i]);
}

#[test]
fn an_overlapping_request_is_marked_in_the_week_view() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('3')));
    let taken = app.week_bookings()[0].clone();
    // A request for the same slot: saved, and marked while only requested.
    app.update(key(KeyCode::F(12)));
    for (field, text) in [("date", taken.date.to_string()), ("start", taken.start.clone()), ("end", taken.end.clone())]
    {
        while form(&app).fields[form(&app).focus].key != field {
            app.update(key(KeyCode::Tab));
        }
        clear_field(&mut app);
        typed(&mut app, &text);
    }
    let effects = app.update(key(KeyCode::F(2)));
    let [Effect::SaveBooking { booking, new: true }] = effects.as_slice() else { panic!("{effects:?}") };
    let requested = (**booking).clone();
    assert_eq!(requested.status, BookingStatus::Requested);
    // The warning comes from the save's outcome (ops): tests/tui_bookings.rs.
    app.update(Event::Done(Ok("已保存".into())));
    let mut d = data();
    d.bookings.push(requested.clone());
    app.update(Event::Loaded(Box::new(d)));
    assert!(app.derived.clashing.contains(&requested.id), "a requested overlap is marked in the week view");
}

#[test]
fn the_category_chart_keeps_every_category_at_80_columns() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('6')));
    let report = app.data.report.clone().unwrap();
    let screen = render(&mut app, 80, 24);
    for category in report.by_category.0.keys() {
        let label: String = category.label(Lang::Zh).chars().take(2).collect();
        assert!(screen.contains(&label), "{label} missing:\n{screen}");
    }
}

//! Issue 12 in the TUI beyond projects and the ranking: the honours list
//! for publicity (filter as you type, add and edit in a form), the
//! 规范化建设 self-check with its gaps per township, and the federation's
//! evaluation weights and cut-offs; at 80x24, in Chinese, by F-keys,
//! arrows and Enter. Saves go through ops on a real store and survive a
//! reopen.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::demo::DemoData;
use hubsync::domain::ledger_report::standardization_gaps;
use hubsync::domain::query::pinyin_initials;
use hubsync::domain::*;
use hubsync::ops::FixedClock;
use hubsync::store::Store;
use hubsync::tui::app::{App, Effect, Event, Mode, ProjView, Tab, WorkEffect};
use hubsync::tui::runner::{execute, load};
use tui_app::*;

fn snapshot(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
}

fn work(effects: Vec<Effect>) -> WorkEffect {
    match effects.as_slice() {
        [Effect::Work(w)] => (**w).clone(),
        other => panic!("one work effect expected: {other:?}"),
    }
}

/// Presses F6 on the projects tab until it shows `view`; the effects of the last press.
fn show(app: &mut App, view: ProjView) -> Vec<Effect> {
    if app.tab != Tab::Projects {
        app.update(key(KeyCode::Char('8')));
    }
    let mut effects = Vec::new();
    for _ in 0..4 {
        if app.work.proj_view == view {
            return effects;
        }
        effects = app.update(key(KeyCode::F(6)));
    }
    assert_eq!(app.work.proj_view, view);
    effects
}

fn set_field(app: &mut App, field: &str, text: &str) {
    focus(app, field);
    clear_field(app);
    typed(app, text);
}

fn focus(app: &mut App, field: &str) {
    for _ in 0..20 {
        if form(app).fields[form(app).focus].key == field {
            return;
        }
        app.update(key(KeyCode::Tab));
    }
    panic!("no field {field}");
}

fn field_error(app: &App, field: &str) -> Option<String> {
    form(app).fields.iter().find(|f| f.key == field).and_then(|f| f.error.clone())
}

// ------------------------------------------------------------------ honours

/// The demo's honours (one at 60 organizations) and three more: a
/// province brand title, a person and a project honoured.
fn with_honours() -> App {
    let mut d = data();
    let honour = |kind, level, year, title: &str, by: &str| Honour {
        id: RecordId::random(),
        kind,
        level,
        year,
        awarded_by: by.into(),
        title: title.into(),
        organization: None,
        project: None,
        person: None,
        recipient_name: String::new(),
        date: None,
    };
    let mut brand = honour(HonourKind::BrandOrg, AwardLevel::Province, 2024, "四川省品牌社会组织", "四川省民政厅");
    brand.organization = Some(d.orgs[5].id.clone());
    let mut person = honour(HonourKind::AdvancedPerson, AwardLevel::City, 2025, "优秀社区志愿者", "成都市民政局");
    person.person = Some(d.people[2].id.clone());
    let mut project = honour(HonourKind::QualityProject, AwardLevel::County, 2024, "", "锦江区民政局");
    project.project = Some(d.projects[0].id.clone());
    d.honours.extend([brand, person, project]);
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(d)));
    app
}

#[test]
fn honours_are_listed_for_publicity_and_filtered_as_you_type() {
    let mut app = with_honours();
    show(&mut app, ProjView::Honours);
    let all = app.views[Tab::Projects].len();
    assert!(all > 0 && all == app.data.honours.len(), "every honour listed");
    let years: Vec<i32> = app.views[Tab::Projects].iter().map(|i| app.derived.honour_lines[*i].1.year).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "newest year first: {years:?}");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("荣誉与品牌") && screen.contains("授予单位"), "{screen}");
    snapshot("honours", &mut app);

    // Pinyin initials of a holder narrow the list to lines holding them.
    let holder = app.selected_honour().unwrap().1.recipient.clone();
    let initials = pinyin_initials(&holder);
    app.update(key(KeyCode::F(3)));
    typed(&mut app, &initials);
    let shown = app.views[Tab::Projects].len();
    assert!(shown >= 1 && shown < all, "{initials}: {shown} of {all}");
    assert!(app.views[Tab::Projects].iter().all(|i| app.derived.honour_keys[*i].contains(&initials)));
    assert!(app.selected_honour().is_some());
}

#[test]
fn the_honour_form_picks_its_holder_and_asks_before_esc_discards() {
    let mut app = loaded();
    show(&mut app, ProjView::Honours);
    app.update(key(KeyCode::F(4)));
    assert_eq!(form(&app).value("kind"), "品牌组织");
    assert_eq!(form(&app).value("level"), "县");
    focus(&mut app, "organization");
    // F6 opens the picker over the roster; typing filters it.
    app.update(key(KeyCode::F(6)));
    let org = app.data.orgs[3].clone();
    typed(&mut app, &org.name);
    assert!(matches!(app.mode, Mode::Pick(_)));
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("organization"), org.name);
    set_field(&mut app, "awarded_by", "锦江区民政局");
    snapshot("honour_form", &mut app);
    let WorkEffect::AddHonour(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!("add honour") };
    assert_eq!(cmd.organization, Some((&org.id).into()));
    assert_eq!((cmd.kind, cmd.level, cmd.year), (HonourKind::BrandOrg, AwardLevel::County, 2025));

    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::ConfirmDiscard(_)), "typed data: Esc asks first");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Form(_)), "Esc again goes back to the form");
}

fn stored() -> (tempfile::TempDir, Store) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = DemoData::generate(2021, 60);
    s.init_federation(&d.federation).unwrap();
    s.insert_many(&d.orgs).unwrap();
    s.insert_many(&d.people).unwrap();
    s.insert_many(&d.projects).unwrap();
    s.insert_many(&d.honours).unwrap();
    (dir, s)
}

fn app_on(s: &mut Store) -> App {
    let mut app = App::new(Lang::Zh, today());
    let effects = app.update(Event::Loaded(Box::new(load(s))));
    run(&mut app, s, effects);
    app
}

/// Runs the app's effects on the store and feeds the answers back.
fn run(app: &mut App, s: &mut Store, effects: Vec<Effect>) {
    let clock = FixedClock::on(2025, 11, 4);
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        if matches!(effect, Effect::LoadReport(_)) {
            continue;
        }
        if let Some(event) = execute(s, &clock, effect, app.lang) {
            queue.extend(app.update(event));
        }
    }
}

fn press(app: &mut App, s: &mut Store, code: KeyCode) {
    let effects = app.update(key(code));
    run(app, s, effects);
}

#[test]
fn an_honour_added_and_edited_goes_through_ops_and_survives_reopen() {
    let (dir, mut s) = stored();
    let mut app = app_on(&mut s);
    let effects = show(&mut app, ProjView::Honours);
    run(&mut app, &mut s, effects);
    let before = app.views[Tab::Projects].len();
    let person = app.data.people.iter().find(|p| p.organization.is_some()).unwrap().clone();

    app.update(key(KeyCode::F(4)));
    focus(&mut app, "kind");
    app.update(key(KeyCode::Left)); // 先进人物, the last kind
    assert_eq!(form(&app).value("kind"), "先进人物");
    set_field(&mut app, "title", "2025年度优秀社区志愿者");
    focus(&mut app, "person");
    app.update(key(KeyCode::F(6)));
    typed(&mut app, &person.name);
    app.update(key(KeyCode::Enter));
    press(&mut app, &mut s, KeyCode::F(2));
    assert_eq!(app.mode, Mode::Browse, "saved: {:?}", app.messages.last());
    assert_eq!(app.views[Tab::Projects].len(), before + 1, "the new honour is listed");
    let stored: Vec<Honour> = s.all_readable().0;
    let new = stored.iter().find(|h| h.title == "2025年度优秀社区志愿者").unwrap().clone();
    assert_eq!((new.person.as_ref(), new.recipient_name.as_str()), (Some(&person.id), person.name.as_str()));

    // Found by typing, edited with Enter: only the changed field is sent.
    app.update(key(KeyCode::F(3)));
    typed(&mut app, "优秀社区志愿者");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.selected_honour().unwrap().0.id, new.id);
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("person"), person.name);
    set_field(&mut app, "awarded_by", "锦江区委社会工作部");
    let effects = app.update(key(KeyCode::F(2)));
    let WorkEffect::EditHonour(edit) = work(effects.clone()) else { panic!("edit") };
    assert_eq!(edit.fields.awarded_by.as_deref(), Some("锦江区委社会工作部"));
    assert_eq!((edit.fields.person, edit.fields.kind), (None, None), "unchanged fields are not sent");
    run(&mut app, &mut s, effects);
    assert_eq!(app.mode, Mode::Browse, "{:?}", app.messages.last());

    drop(s);
    let mut s = Store::open(dir.path()).unwrap();
    let mut app = app_on(&mut s);
    let effects = show(&mut app, ProjView::Honours);
    run(&mut app, &mut s, effects);
    let line = app.derived.honour_lines.iter().find(|(i, _)| app.data.honours[*i].id == new.id).unwrap();
    assert_eq!((line.1.awarded_by.as_str(), line.1.recipient.as_str()), ("锦江区委社会工作部", person.name.as_str()));
}

#[test]
fn an_honour_with_no_holder_is_refused_and_the_field_marked() {
    let (_dir, mut s) = stored();
    let mut app = app_on(&mut s);
    show(&mut app, ProjView::Honours);
    app.update(key(KeyCode::F(4)));
    set_field(&mut app, "title", "品牌社会组织");
    press(&mut app, &mut s, KeyCode::F(2));
    let error = field_error(&app, "organization").expect("the holder field is marked");
    assert!(error.contains("品牌组织"), "{error}");
    assert_eq!(form(&app).value("title"), "品牌社会组织", "what was typed stays");
}

// ---------------------------------------------------------- standardization

#[test]
fn the_gaps_per_township_and_the_self_check_form() {
    let mut app = loaded();
    let effects = show(&mut app, ProjView::Gaps);
    assert_eq!(work(effects), WorkEffect::LoadGaps(2024), "the gaps are read when shown");
    assert!(render(&mut app, 80, 24).contains("正在汇总自查"));
    let orgs = DemoData::generate(2021, 60).orgs;
    app.update(Event::GapsLoaded(2024, standardization_gaps(&orgs, 2024, today())));
    assert!(!app.views[Tab::Projects].is_empty());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("规范化建设缺项") && screen.contains("缺项"), "{screen}");
    snapshot("standardization_gaps", &mut app);

    let (row, _) = app.selected_gap().unwrap();
    let (name, id) = (row.name.clone(), row.organization.clone());
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("organization"), name);
    snapshot("checklist_form", &mut app);
    // ←→ toggles an item; every item is a field of its own.
    focus(&mut app, "charter");
    let was = form(&app).value("charter").to_string();
    app.update(key(KeyCode::Right));
    assert_ne!(form(&app).value("charter"), was);
    let WorkEffect::RecordChecklist(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!("checklist") };
    assert_eq!((cmd.org, cmd.year), ((&id).into(), 2024));
    assert_eq!(cmd.met.contains(&ChecklistItem::Charter), was == "否");

    // ←→ on the list changes the year, read when not loaded.
    app.mode = Mode::Browse;
    assert_eq!(work(app.update(key(KeyCode::Right))), WorkEffect::LoadGaps(2025));
}

/// The ranking and the gaps filter as the other lists do: pinyin initials
/// of a name, a township, several words at once (each must match).
#[test]
fn the_ranking_and_the_gaps_filter_by_initials_and_township() {
    use hubsync::domain::ledger_report::ranking_by_township;
    let orgs = DemoData::generate(2021, 60).orgs;
    let mut app = loaded();
    show(&mut app, ProjView::Ranking);
    let rows: Vec<_> = ranking_by_township(&orgs, &EvaluationSettings::default(), 2024)
        .into_iter()
        .flat_map(|(t, l)| l.into_iter().map(move |r| (t.clone(), r)))
        .collect();
    app.update(Event::RankingLoaded(2024, rows.clone()));
    let all = app.views[Tab::Projects].len();
    assert_eq!(all, rows.len());
    let (town, first) = rows.iter().find(|(t, _)| !t.is_empty()).unwrap().clone();
    let initials = pinyin_initials(&first.entry.name);
    app.update(key(KeyCode::F(3)));
    typed(&mut app, &format!("{initials} {town}"));
    let shown: Vec<&(String, _)> = app.views[Tab::Projects].iter().map(|i| &rows[*i]).collect();
    assert!(shown.iter().any(|(_, r)| r.entry.organization == first.entry.organization), "{initials} {town}");
    assert!(shown.len() < all, "{} of {all}", shown.len());
    assert!(shown.iter().all(|(t, r)| t == &town && pinyin_initials(&r.entry.name).contains(&initials)));
    // A word nothing holds empties the list; clearing the filter brings all back.
    typed(&mut app, " 不存在的词");
    assert!(app.views[Tab::Projects].is_empty());
    app.update(key(KeyCode::Esc));

    show(&mut app, ProjView::Gaps);
    app.update(Event::GapsLoaded(2024, standardization_gaps(&orgs, 2024, today())));
    let rows = app.work.gap_rows.clone();
    assert_eq!(app.views[Tab::Projects].len(), rows.len(), "every gap row while no filter is typed");
    let row = &rows[0];
    let initials = pinyin_initials(&row.name);
    app.update(key(KeyCode::F(3)));
    typed(&mut app, &initials);
    let shown = &app.views[Tab::Projects];
    assert!(shown.iter().any(|i| rows[*i].organization == row.organization), "{initials}");
    assert!(shown.iter().all(|i| pinyin_initials(&rows[*i].name).contains(&initials)));
}

#[test]
fn a_self_check_saved_leaves_the_gaps_list_and_survives_reopen() {
    let (dir, mut s) = stored();
    let mut app = app_on(&mut s);
    let effects = show(&mut app, ProjView::Gaps);
    run(&mut app, &mut s, effects);
    assert!(app.gaps_shown());
    let (row, _) = app.selected_gap().unwrap();
    let id = row.organization.clone();
    app.update(key(KeyCode::Enter));
    for item in ChecklistItem::all() {
        focus(&mut app, item.code());
        if form(&app).value(item.code()) == "否" {
            app.update(key(KeyCode::Right));
        }
    }
    press(&mut app, &mut s, KeyCode::F(2));
    assert_eq!(app.mode, Mode::Browse, "{:?}", app.messages.last());
    assert!(app.gaps_shown(), "the gaps are read again after the save");
    assert!(app.work.gap_rows.iter().all(|r| r.organization != id), "nothing lacking: off the list");

    drop(s);
    let s = Store::open(dir.path()).unwrap();
    let org: Organization = s.get(&id).unwrap().unwrap();
    assert!(org.standardization["2024"].gaps().is_empty());
}

// ----------------------------------------------------------------- settings

#[test]
fn the_settings_form_marks_the_fields_ops_names_and_saves_through_ops() {
    let (dir, mut s) = stored();
    let mut app = app_on(&mut s);
    app.update(key(KeyCode::Char('8')));
    app.update(key(KeyCode::F(11)));
    assert_eq!(form(&app).value("weight_basic"), "25");
    set_field(&mut app, "weight_basic", "40");
    press(&mut app, &mut s, KeyCode::F(2));
    for key in ["weight_basic", "weight_activities", "weight_contribution", "weight_influence"] {
        let e = field_error(&app, key).unwrap_or_default();
        assert!(e.contains("100"), "{key}: {e:?}");
    }
    assert!(field_error(&app, "excellent_from").is_none());
    snapshot("settings_refused", &mut app);

    set_field(&mut app, "weight_activities", "20");
    set_field(&mut app, "weight_contribution", "20");
    set_field(&mut app, "weight_influence", "20");
    set_field(&mut app, "good_from", "92");
    press(&mut app, &mut s, KeyCode::F(2));
    let e = field_error(&app, "good_from").unwrap_or_default();
    assert!(e.contains("良好"), "the cut-off out of order is named: {e:?}");
    set_field(&mut app, "good_from", "80");
    press(&mut app, &mut s, KeyCode::F(2));
    assert_eq!(app.mode, Mode::Browse, "{:?}", app.messages.last());

    drop(s);
    let mut s = Store::open(dir.path()).unwrap();
    let saved = s.evaluation_settings();
    assert_eq!((saved.weights(), saved.good_from), ([40, 20, 20, 20], 80));
    let mut app = app_on(&mut s);
    app.update(key(KeyCode::Char('8')));
    app.update(key(KeyCode::F(11)));
    assert_eq!((form(&app).value("weight_basic"), form(&app).value("good_from")), ("40", "80"));
}

#[test]
fn every_ledger_key_is_in_the_one_table() {
    use hubsync::tui::keymap::{footer, help_lines, Scope};
    let help: Vec<&str> = help_lines().iter().filter_map(|(_, b)| b.map(|b| b.help.0)).collect();
    for hint in ["F11 考核权重与分档", "Enter 推进/考核/修改", "←→ 上/下一年度(排名/缺项)", "F6 切换列表"]
    {
        assert!(help.contains(&hint), "{hint} in the help");
    }
    let on_projects: Vec<&str> = footer(Scope::List, Tab::Projects).iter().map(|b| b.help.0).collect();
    assert!(on_projects.contains(&"F11 考核权重与分档"), "{on_projects:?}");
}

//! Issue 15 point 5: conflicts you can find. Two laptops edit one
//! organization's head at once (one with a clock a year behind); after the
//! merge the row is marked, the tab and the status line count it, F7 on
//! another row lists every conflict, and the conflict view says which node
//! wrote each value and when its (possibly wrong) clock said. Activities and
//! projects are counted, listed and resolved the same way.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::*;
use hubsync::ops::FixedClock;
use hubsync::store::{DocId, Store};
use hubsync::tui::app::{App, Effect, Mode};
use hubsync::tui::runner::{execute, load};
use std::sync::Arc;
use tempfile::TempDir;
use tui_app::*;
#[path = "support/pair.rs"]
mod pair;
use pair::sync_pair;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

/// The office PC (a) and a field laptop (b) whose clock is a year behind,
/// each editing the head of 玉林社区夕阳红舞蹈队; b is a peer of a.
fn merged() -> (TempDir, Store, TempDir, Store, Organization) {
    let da = TempDir::new().unwrap();
    let mut a = Store::open(da.path()).unwrap();
    a.set_clock(Arc::new(FixedClock(at(2025, 11, 4, 9, 30))));
    let d = demo::DemoData::generate(2021, 12);
    a.init_federation(&d.federation).unwrap();
    a.insert_many(&d.orgs).unwrap();
    let mut dance =
        Organization::new("玉林社区夕阳红舞蹈队", Category::CultureSports, LegalStatus::Filed, "510104001002");
    dance.filing_number = "JJ-1".into();
    dance.head_name = "王秀英".into();
    a.insert(&dance).unwrap();
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    b.set_clock(Arc::new(FixedClock(at(2024, 11, 4, 10, 5))));
    let doc = a.locate(Collection::Orgs, &dance.id).unwrap();
    let meta = DocId::parse(&format!("{}/meta", doc.federation())).unwrap();
    sync_pair(&mut a, "A", &mut b, "B", &doc);
    sync_pair(&mut a, "A", &mut b, "B", &meta);
    let cmd = hubsync::ops::peers::AddPeer {
        node_id: b.node_id().unwrap(), name: "城北街道笔记本".into(), addr: None
    };
    hubsync::ops::peers::add(da.path(), cmd).unwrap();

    let on_a = Organization { head_name: "李桂兰".into(), ..dance.clone() };
    a.update(&on_a).unwrap();
    let on_b = Organization { head_name: "李贵兰".into(), ..dance.clone() };
    b.update(&on_b).unwrap();
    sync_pair(&mut a, "A", &mut b, "B", &doc);
    (da, a, db, b, dance)
}

/// Runs effects on the store and feeds the answers back to the app.
fn run(app: &mut App, s: &mut Store, effects: Vec<Effect>) {
    let clock = FixedClock(at(2025, 11, 4, 9, 40));
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        if let Some(event) = execute(s, &clock, effect, app.lang) {
            queue.extend(app.update(event));
        }
    }
}

#[test]
fn a_merged_conflict_is_marked_counted_listed_and_traced_to_its_writers() {
    let (_da, mut a, _db, _b, dance) = merged();
    let mut app = App::new(Lang::Zh, today());
    let effects = app.update(hubsync::tui::app::Event::Loaded(Box::new(load(&mut a))));
    run(&mut app, &mut a, effects);
    assert_eq!(app.data.conflicted.len(), 1, "{:?}", app.data.conflicted);
    assert_eq!(app.derived.conflict_counts.0, [1, 0, 0, 0, 0, 0, 0, 0]);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("1 组织 ⚠1"), "the tab counts it:\n{screen}");
    assert!(screen.contains("⚠ 冲突 1 (F7)"), "the status line counts it:\n{screen}");
    assert!(screen.contains("⚠玉林社区夕阳红舞蹈队") || app.selected_org().unwrap().id != dance.id, "{screen}");

    // F7 on a row without conflicts: the list of all of them.
    assert_ne!(app.selected_org().unwrap().id, dance.id, "the dance group sorts after the demo's first row");
    let effects = app.update(key(KeyCode::F(7)));
    run(&mut app, &mut a, effects);
    assert!(matches!(&app.mode, Mode::Pick(_)), "{:?}", app.mode);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("全部并发修改冲突") && screen.contains("玉林社区夕阳红舞蹈队"), "{screen}");
    // Enter goes to it, loads its conflicts and opens them.
    let effects = app.update(key(KeyCode::Enter));
    run(&mut app, &mut a, effects);
    assert_eq!(app.selected_org().unwrap().id, dance.id);
    assert!(app.mode.picking_for(|p| matches!(p, hubsync::tui::picker::PickFor::Resolve { .. })), "{:?}", app.mode);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("李桂兰") && screen.contains("李贵兰"), "{screen}");
    assert!(screen.contains("来自 本机 (this device) · 2025-11-04 09:30"), "{screen}");
    assert!(
        screen.contains("来自 城北街道笔记本 · 2024-11-04 10:05"),
        "the laptop's wrong clock, as it said:\n{screen}"
    );
    assert!(screen.contains("可能不准"), "the view says the times may be wrong:\n{screen}");
    // Newest (by the writers' clocks) first; which value Automerge shows meanwhile depends on random actor ids.
    let order: Vec<String> = app.conflict_choices().iter().map(|c| c.value.to_string()).collect();
    assert_eq!(order, ["\"李桂兰\"", "\"李贵兰\""]);

    // Resolving goes through ops::resolve; afterwards nothing is marked.
    let choices = app.conflict_choices();
    let keep = choices.iter().position(|c| c.value == "李桂兰").unwrap();
    for _ in 0..keep {
        app.update(key(KeyCode::Down));
    }
    let effects = app.update(key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Resolve { field, .. }] if field == "head_name"), "{effects:?}");
    run(&mut app, &mut a, effects);
    assert!(app.data.conflicted.is_empty(), "{:?}", app.data.conflicted);
    assert_eq!(a.get::<Organization>(&dance.id).unwrap().unwrap().head_name, "李桂兰");
    assert!(!render(&mut app, 80, 24).contains('⚠'));
}

#[test]
fn with_no_conflict_anywhere_f7_says_so() {
    let mut app = loaded();
    app.update(key(KeyCode::F(7)));
    assert_eq!(app.mode, Mode::Browse);
    assert!(app.messages.last().unwrap().1.contains("没有并发修改冲突"));
}

/// The office PC and the field laptop each rename the same activity and the
/// same project while apart; the merge leaves both in conflict.
fn merged_work() -> (TempDir, Store, TempDir, Store, Activity, Project) {
    let da = TempDir::new().unwrap();
    let mut a = Store::open(da.path()).unwrap();
    a.set_clock(Arc::new(FixedClock(at(2025, 11, 4, 9, 30))));
    let d = demo::DemoData::generate(2021, 12);
    a.init_federation(&d.federation).unwrap();
    a.insert_many(&d.orgs).unwrap();
    a.insert_many(&d.activities).unwrap();
    a.insert_many(&d.projects).unwrap();
    let db = TempDir::new().unwrap();
    let mut b = Store::open(db.path()).unwrap();
    b.set_clock(Arc::new(FixedClock(at(2024, 11, 4, 10, 5))));
    // The oldest: the list shows it last, so F7 on the first row lists the conflicts.
    let activity = d.activities.iter().min_by_key(|x| (x.date, x.title.clone())).unwrap().clone();
    let project = d.projects[0].clone();
    let docs =
        [a.locate(Collection::Activities, &activity.id).unwrap(), a.locate(Collection::Projects, &project.id).unwrap()];
    let meta = DocId::parse(&format!("{}/meta", docs[0].federation())).unwrap();
    for doc in docs.iter().chain([&meta]) {
        sync_pair(&mut a, "A", &mut b, "B", doc);
    }
    a.update(&Activity { title: "邻里守望(改期)".into(), ..activity.clone() }).unwrap();
    b.update(&Activity { title: "邻里守望(延期)".into(), ..activity.clone() }).unwrap();
    a.update(&Project { name: "四点半课堂(一期)".into(), ..project.clone() }).unwrap();
    b.update(&Project { name: "四点半课堂(第一期)".into(), ..project.clone() }).unwrap();
    for doc in &docs {
        sync_pair(&mut a, "A", &mut b, "B", doc);
    }
    (da, a, db, b, activity, project)
}

#[test]
fn conflicts_in_activities_and_projects_are_counted_listed_and_resolved() {
    let (_da, mut a, _db, _b, activity, project) = merged_work();
    let mut app = App::new(Lang::Zh, today());
    let effects = app.update(hubsync::tui::app::Event::Loaded(Box::new(load(&mut a))));
    run(&mut app, &mut a, effects);
    assert_eq!(app.data.conflicted.len(), 2, "{:?}", app.data.conflicted);
    assert_eq!(app.derived.conflict_counts.0, [0, 0, 0, 0, 0, 0, 1, 1], "on the activities and projects tabs");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("⚠ 冲突 2 (F7)"), "the status line counts both:\n{screen}");
    assert!(screen.contains("7 活动 ⚠1") && screen.contains("⚠1"), "the tabs count them:\n{screen}");

    // F7 on the organizations tab lists both, named by what they are.
    let effects = app.update(key(KeyCode::F(7)));
    run(&mut app, &mut a, effects);
    let screen = render(&mut app, 80, 24);
    assert!(matches!(&app.mode, Mode::Pick(_)), "{:?}", app.mode);
    assert!(screen.contains("全部并发修改冲突"), "{screen}");
    assert!(screen.contains(&format!("{} 邻里守望(", activity.date)), "the activity by date and title:\n{screen}");
    assert!(screen.contains("四点半课堂(") && screen.contains("项目"), "the project:\n{screen}");

    // Typing narrows the list (pinyin initials of 四点半课堂: sdbkt); Enter goes to the projects tab.
    typed(&mut app, "sdbkt");
    let effects = app.update(key(KeyCode::Enter));
    run(&mut app, &mut a, effects);
    assert_eq!(app.tab, hubsync::tui::app::Tab::Projects);
    assert_eq!(app.selected_project().map(|p| &p.id), Some(&project.id));
    assert!(
        app.mode.picking_for(|p| matches!(p, hubsync::tui::picker::PickFor::Resolve { .. })),
        "the conflict view opens: {:?}",
        app.mode
    );
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("四点半课堂(一期)") && screen.contains("四点半课堂(第一期)"), "{screen}");
    assert!(screen.contains("来自 本机 (this device) · 2025-11-04 09:30"), "{screen}");
    let keep = app.conflict_choices().iter().position(|c| c.value == "四点半课堂(第一期)").unwrap();
    for _ in 0..keep {
        app.update(key(KeyCode::Down));
    }
    let effects = app.update(key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Resolve { field, .. }] if field == "name"), "{effects:?}");
    run(&mut app, &mut a, effects);
    assert_eq!(a.get::<Project>(&project.id).unwrap().unwrap().name, "四点半课堂(第一期)");
    assert_eq!(app.derived.conflict_counts.0, [0, 0, 0, 0, 0, 0, 1, 0]);

    // On the activities tab the row is marked and F7 there lists it first.
    app.update(key(KeyCode::Char('7')));
    let effects = app.update(key(KeyCode::F(7)));
    run(&mut app, &mut a, effects);
    let effects = app.update(key(KeyCode::Enter));
    run(&mut app, &mut a, effects);
    assert_eq!(app.selected_activity().map(|x| &x.id), Some(&activity.id));
    assert!(app.mode.picking_for(|p| matches!(p, hubsync::tui::picker::PickFor::Resolve { .. })), "{:?}", app.mode);
    let effects = app.update(key(KeyCode::Enter));
    run(&mut app, &mut a, effects);
    assert!(app.data.conflicted.is_empty(), "{:?}", app.data.conflicted);
    let title = a.get::<Activity>(&activity.id).unwrap().unwrap().title;
    assert!(title == "邻里守望(改期)" || title == "邻里守望(延期)", "one of the two values: {title}");
    assert!(!render(&mut app, 80, 24).contains('⚠'));
}

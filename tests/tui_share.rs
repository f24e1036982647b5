//! Issue 15 point 11: sharing from the terminal UI. The sync tab edits a
//! peer's grants (each collection read or read/write, ours or with the
//! federations below, `tree:`), through ops::peers share/unshare; the
//! private document only by its own explicit choice.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::*;
use hubsync::ops::FixedClock;
use hubsync::store::Store;
use hubsync::sync::{Grant, Peers};
use hubsync::tui::app::{App, Effect, Event};
use hubsync::tui::runner::{execute, load};
use tui_app::*;

fn run(app: &mut App, s: &mut Store, effects: Vec<Effect>) {
    let clock = FixedClock::on(2025, 11, 4);
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        if let Some(event) = execute(s, &clock, effect, app.lang) {
            queue.extend(app.update(event));
        }
    }
}

fn focus(app: &mut App, key_name: &str) {
    while form(app).fields[form(app).focus].key != key_name {
        app.update(key(KeyCode::Tab));
    }
}

#[test]
fn the_sync_tab_grants_a_peer_collections_below_and_the_private_document_only_when_chosen() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = demo::DemoData::generate(2021, 8);
    s.init_federation(&d.federation).unwrap();
    let city = hubsync::sync::Identity::load_or_create(&dir.path().join("city")).unwrap().node_id;
    let cmd =
        hubsync::ops::peers::AddPeer { node_id: city, name: "成都市社区社会组织联合会".into(), addr: None };
    hubsync::ops::peers::add(dir.path(), cmd).unwrap();
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(load(&mut s))));
    app.update(key(KeyCode::Char('5')));
    app.update(key(KeyCode::Enter));
    assert!(render(&mut app, 80, 24).contains("共享给对等方 · 成都市社区社会组织联合会"));
    // All (read), organizations with the federations below (read/write), the rest as is.
    app.update(key(KeyCode::Right));
    focus(&mut app, "orgs");
    for _ in 0..4 {
        app.update(key(KeyCode::Right));
    }
    assert_eq!(form(&app).value("orgs"), "读写·含下级联合会");
    insta::assert_snapshot!("share_form_80x24", render(&mut app, 80, 24));
    let effects = app.update(key(KeyCode::F(2)));
    run(&mut app, &mut s, effects);
    let grants = Peers::load(dir.path()).unwrap().peers[0].grants.clone();
    let expected = [("*".to_string(), Grant::Read), ("tree:orgs".to_string(), Grant::Write)];
    assert_eq!(grants, expected.into_iter().collect(), "{:?}", app.messages);
    assert!(app.messages.last().unwrap().1.contains("已更新共享"), "{:?}", app.messages);

    // The private document: only by choosing it; then back to read for orgs.
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("orgs"), "读写·含下级联合会", "the form shows what is held");
    assert_eq!(form(&app).value("private"), "不共享");
    focus(&mut app, "private");
    app.update(key(KeyCode::Right));
    focus(&mut app, "orgs");
    app.update(key(KeyCode::Left));
    app.update(key(KeyCode::Left));
    app.update(key(KeyCode::Left));
    assert_eq!(form(&app).value("orgs"), "只读");
    let effects = app.update(key(KeyCode::F(2)));
    run(&mut app, &mut s, effects);
    let grants = Peers::load(dir.path()).unwrap().peers[0].grants.clone();
    let expected = [("*", Grant::Read), ("orgs", Grant::Read), ("private", Grant::Read)];
    assert_eq!(grants, expected.into_iter().map(|(k, g)| (k.to_string(), g)).collect());
}

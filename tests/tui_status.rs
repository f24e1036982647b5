//! The status line and the sync tab follow the running sync node: events in,
//! text on screen, nothing made up when no node runs.

use chrono::NaiveDate;
use hubsync::domain::*;
use hubsync::sync::NodeStatus;
use hubsync::tui::app::{App, Data, Event};
use hubsync::tui::view;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn app(lang: Lang) -> App {
    let mut app = App::new(lang, NaiveDate::from_ymd_opt(2025, 6, 2).unwrap());
    let data = Data {
        federation: Some(Federation {
            id: RecordId::from("fed0000000000001"),
            name: "锦江区社区社会组织联合会".into(),
            level: Level::County,
            division: "510104".into(),
            parent: String::new(),
            contact_name: String::new(),
            contact_phone: String::new(),
        }),
        ..Data::default()
    };
    app.update(Event::Loaded(Box::new(data)));
    app
}

/// The status line: second to last row of the screen.
fn status_line(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).unwrap();
    let mut hits = hubsync::tui::app::Hits::default();
    terminal.draw(|f| hits = view::draw(f, app)).unwrap();
    app.drawn(hits);
    let buffer = terminal.backend().buffer().clone();
    let y = buffer.area.height - 2;
    // A wide (CJK) character fills two cells; the second holds no text.
    let mut line = String::new();
    let mut x = 0;
    while x < buffer.area.width {
        let symbol = buffer[(x, y)].symbol();
        line.push_str(symbol);
        x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
    }
    line
}

fn addr() -> std::net::SocketAddr {
    "0.0.0.0:4433".parse().unwrap()
}

#[test]
fn without_a_node_the_status_says_offline() {
    let mut app = app(Lang::Zh);
    assert!(status_line(&mut app).contains("离线"));
}

#[test]
fn the_status_line_follows_the_node() {
    let mut app = app(Lang::Zh);
    app.update(Event::NodeStarted("PIYNWIQ-UJHTCNV".into()));
    app.update(Event::SyncStatus(NodeStatus::Listening { addr: addr() }));
    let line = status_line(&mut app);
    assert!(line.contains("在线 :4433") && !line.contains("离线"), "{line}");
    app.update(Event::SyncStatus(NodeStatus::Syncing { addr: addr() }));
    assert!(status_line(&mut app).contains("同步中"));
    app.update(Event::SyncStatus(NodeStatus::Synced {
        addr: addr(),
        at: "14:32".into(),
        peers_ok: 1,
        peers_failed: 1,
        changes_in: 3,
    }));
    let line = status_line(&mut app);
    assert!(
        line.contains("已同步 14:32") && line.contains("3 条新修改") && line.contains("1 个对等方同步失败"),
        "{line}"
    );
    app.update(Event::SyncStatus(NodeStatus::NoPeers { addr: addr() }));
    assert!(status_line(&mut app).contains("无对等方"));
}

#[test]
fn the_sync_tab_names_this_node_and_where_it_listens() {
    let mut app = app(Lang::En);
    app.update(Event::NodeStarted("PIYNWIQ-UJHTCNV".into()));
    app.update(Event::SyncStatus(NodeStatus::Synced {
        addr: addr(),
        at: "09:05".into(),
        peers_ok: 2,
        peers_failed: 0,
        changes_in: 0,
    }));
    app.update(Event::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('5'),
        crossterm::event::KeyModifiers::NONE,
    )));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut hits = hubsync::tui::app::Hits::default();
    terminal.draw(|f| hits = view::draw(f, &app)).unwrap();
    app.drawn(hits);
    insta::assert_snapshot!("sync_tab_with_node_80x24", terminal.backend().to_string());
}

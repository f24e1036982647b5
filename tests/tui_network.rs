//! The hub network in the TUI (issue 10 point 3): the sync tab's network
//! view, a tree of every federation held drawn from the same data as
//! `hubsync network`, reached by F6 and arrows; and a hub's organization
//! list naming the federation each organization belongs to. 80x24, Chinese.

#[path = "support/tui_app.rs"]
mod tui_app;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use hubsync::domain::query::OrgRow;
use hubsync::domain::{Level, RecordId};
use hubsync::ops::network::{Arrives, FedRow, Network};
use hubsync::tui::app::{App, Event, Mode, SyncView};
use hubsync::tui::view;
use std::sync::Arc;
use tui_app::*;

fn at(d: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 11, d).unwrap().and_hms_opt(h, 20, 0).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn fed(
    id: &str,
    name: &str,
    level: Level,
    division: &str,
    depth: usize,
    parent: Option<&str>,
    arrives: Arrives,
    last: Option<chrono::NaiveDateTime>,
    orgs: usize,
) -> FedRow {
    let now = at(4, 10);
    let days_quiet = last.map(|t| (now - t).num_days());
    let home = arrives == Arrives::Home;
    FedRow {
        id: id.into(),
        name: name.into(),
        level: Some(level),
        division: division.into(),
        depth,
        parent: parent.map(Into::into),
        arrives,
        last_received: last,
        days_quiet,
        stale: !home && days_quiet.is_none_or(|d| d > 30),
        documents: 3,
        orgs,
        records: orgs + orgs / 2,
        last_session: None,
    }
}

/// A city hub: its own federation, two counties its peers send directly,
/// a township relayed by one of them, and a county heard of once, 45 days ago.
fn network() -> Network {
    let via = |p: &str| Arrives::Via { peer: p.into() };
    let direct = |p: &str| Arrives::Direct { peer: p.into() };
    let city = "c0000000000c0100";
    let jinjiang = "c0000000000c0104";
    Network {
        as_of: at(4, 10),
        stale_days: 30,
        federations: vec![
            fed(city, "成都市社区社会组织联合会", Level::City, "510100", 0, None, Arrives::Home, None, 12),
            fed(
                jinjiang,
                "锦江区社区社会组织联合会",
                Level::County,
                "510104",
                1,
                Some(city),
                direct("锦江区联合会"),
                Some(at(4, 9)),
                60,
            ),
            fed(
                "c0000000000c0905",
                "春熙路街道社区社会组织联合会",
                Level::Township,
                "510104020",
                2,
                Some(jinjiang),
                via("锦江区联合会"),
                Some(at(3, 16)),
                18,
            ),
            fed(
                "c0000000000c0105",
                "青羊区社区社会组织联合会",
                Level::County,
                "510105",
                1,
                Some(city),
                direct("青羊区联合会"),
                Some(NaiveDate::from_ymd_opt(2025, 9, 20).unwrap().and_hms_opt(8, 5, 0).unwrap()),
                41,
            ),
            fed(
                "c0000000000c0112",
                "龙泉驿区社区社会组织联合会",
                Level::County,
                "510112",
                1,
                Some(city),
                Arrives::NotRecorded,
                None,
                7,
            ),
        ],
    }
}

/// The demo's organizations spread over the city's own roster and two counties'.
fn hub_app() -> App {
    let mut data = data();
    let rows: Vec<OrgRow> = data
        .orgs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let federation = ["c0000000000c0104", "c0000000000c0105", "c0000000000c0100"][i % 3];
            OrgRow { federation: RecordId(federation.into()), ..r.clone() }
        })
        .collect();
    data.orgs = Arc::new(rows);
    data.network = Some(Arc::new(network()));
    let mut app = App::new(hubsync::domain::Lang::Zh, today());
    app.update(Event::Loaded(Box::new(data)));
    app
}

#[test]
fn the_network_is_a_tree_reached_by_f6_with_quiet_federations_marked() {
    let mut app = hub_app();
    app.update(key(KeyCode::Char('5')));
    assert_eq!(app.sync_view, SyncView::Peers);
    assert!(view::footer_text(&app, 200).contains("F6"), "the key is in the footer");
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.sync_view, SyncView::Network);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("├ 锦江区") && screen.contains("│ └ 春熙路街道"), "{screen}");
    assert!(screen.contains("⚠45天"), "a county quiet for 45 days is marked: {screen}");
    assert!(screen.contains("经 锦江区联合会"), "relayed: {screen}");
    insta::assert_snapshot!("network_80x24", screen);

    // Arrows choose a federation; its details follow below the tree.
    for _ in 0..3 {
        app.update(key(KeyCode::Down));
    }
    assert_eq!(app.selected_federation().unwrap().name, "青羊区社区社会组织联合会");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("2025-09-20 08:05 (45 天前)") && screen.contains("久未同步"), "{screen}");
    app.update(key(KeyCode::Up));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("来源: 经 锦江区联合会 转发"), "the detail says it whole: {screen}");
    app.update(key(KeyCode::End));
    assert_eq!(app.selected_federation().unwrap().division, "510112");
    // Enter edits a peer's sharing only in the peers view: a federation is not a peer.
    app.update(key(KeyCode::Enter));
    assert_eq!(app.mode, Mode::Browse);
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.sync_view, SyncView::Peers);
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Form(_)), "the peers view edits sharing");
}

#[test]
fn the_network_view_speaks_english_too() {
    let mut app = hub_app();
    app.update(key(KeyCode::Char('5')));
    app.update(key(KeyCode::F(6)));
    app.update(ctrl('l'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Network") && screen.contains("via 锦江区联合会") && screen.contains("⚠45d"), "{screen}");
}

#[test]
fn a_hubs_organization_list_names_each_ones_federation() {
    let mut app = hub_app();
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("所属联合会"), "{screen}");
    assert!(screen.contains("锦江区") && screen.contains("青羊区") && screen.contains("成都市"), "{screen}");
    insta::assert_snapshot!("hub_orgs_80x24", screen);
    // One roster: no column.
    let mut single = App::new(hubsync::domain::Lang::Zh, today());
    let mut data = data();
    data.network = Some(Arc::new(network()));
    single.update(Event::Loaded(Box::new(data)));
    assert!(!render(&mut single, 80, 24).contains("所属联合会"));
}

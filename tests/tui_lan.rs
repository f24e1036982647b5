//! Nodes heard on the LAN in the sync tab (issue 10 point 4): a known peer
//! is marked as found there, with the address it was heard at; a node no
//! one added is listed after the peers, untrusted, and ↓ then Enter opens
//! the peer form with its node id and address filled in, so a workshop's
//! laptops pair without typing a 52-letter id (and without letter keys,
//! which an IME swallows). Loaded from `lan.json`, as the running node's
//! discovery writes it.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::sync::discovery::{self, Sighting};
use hubsync::sync::{NodeId, NodeStatus};
use hubsync::tui::app::{App, Effect, Event, Tab};
use hubsync::tui::runner::{execute, load};
use tempfile::TempDir;
use tui_app::*;

fn heard(id: NodeId, addr: &str, protocol: &str) -> Sighting {
    Sighting { node_id: id, addrs: vec![addr.parse().unwrap()], protocol: protocol.into() }
}

/// The known city peer (node [7; 32]), a trainer's laptop nobody added yet,
/// and a node of a newer version.
fn lan() -> Vec<Sighting> {
    vec![
        heard(NodeId([7; 32]), "192.168.1.5:4433", discovery::PROTOCOL_VERSION),
        heard(NodeId([3; 32]), "192.168.1.7:4433", discovery::PROTOCOL_VERSION),
        heard(NodeId([4; 32]), "192.168.1.8:4433", "2"),
    ]
}

fn on_sync_tab(lan: Vec<Sighting>) -> App {
    let mut app = loaded();
    let mut d = data();
    d.lan = lan;
    app.update(Event::Loaded(Box::new(d)));
    app.update(key(KeyCode::Char('5')));
    assert_eq!(app.tab, Tab::Sync);
    app
}

#[test]
fn the_sync_tab_marks_peers_found_on_the_lan_and_lists_the_others() {
    let mut app = on_sync_tab(lan());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("局域网中已发现 192.168.1.5:4433"), "the city peer is found:\n{screen}");
    assert_eq!(screen.matches("局域网中已发现").count(), 1, "the township was not heard:\n{screen}");
    assert!(screen.contains("局域网中发现的其他节点"), "{screen}");
    let laptop = format!("○ {}  192.168.1.7:4433", NodeId([3; 32]).short());
    assert!(screen.contains(&laptop), "the unknown node, with its address:\n{screen}");
    assert!(screen.contains(&NodeId([4; 32]).short()) && screen.contains("协议版本不同"), "{screen}");
    assert!(!screen.contains(&format!("○ {}", NodeId([7; 32]).short())), "a peer is not listed again:\n{screen}");

    // Nothing heard: no LAN section at all.
    let mut quiet = on_sync_tab(Vec::new());
    let screen = render(&mut quiet, 80, 24);
    assert!(!screen.contains("局域网"), "{screen}");
}

#[test]
fn down_and_enter_on_a_lan_node_open_the_peer_form_filled_in_and_f2_adds_it() {
    let mut app = on_sync_tab(lan());
    // Two peers, then the LAN nodes: the third row is the trainer's laptop.
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    let f = form(&app);
    assert_eq!(f.value("node_id"), NodeId([3; 32]).to_string());
    assert_eq!(f.value("addr"), "192.168.1.7:4433");
    assert_eq!(f.focus, 1, "the cursor waits on the name, the only thing left to type");
    typed(&mut app, "培训班王老师");
    let effects = app.update(key(KeyCode::F(2)));
    assert_eq!(
        effects,
        vec![Effect::AddPeer {
            node_id: Box::new(NodeId([3; 32])),
            name: "培训班王老师".into(),
            addr: Some("192.168.1.7:4433".into()),
        }]
    );

    // On a peer, Enter still edits its sharing; past the last row it stays put.
    let mut app = on_sync_tab(lan());
    app.update(key(KeyCode::Enter));
    assert!(form(&app).value("*").contains("读写"), "the city's sharing form");
    let mut app = on_sync_tab(lan());
    for _ in 0..10 {
        app.update(key(KeyCode::Down));
    }
    assert_eq!(app.selected[Tab::Sync], 3, "two peers and two LAN nodes");
}

/// From the file the node writes to the peer list and back: the LAN list is
/// read again at each of the node's rounds while the peers are shown, and a
/// node added from it becomes a peer found on the LAN.
#[test]
fn a_node_heard_on_the_lan_becomes_a_peer_through_the_ops() {
    let dir = TempDir::new().unwrap();
    let mut s = hubsync::store::Store::open(dir.path()).unwrap();
    s.init_federation(&data().federation.unwrap()).unwrap();
    let own = NodeId([1; 32]);
    let laptop = heard(NodeId([3; 32]), "192.168.1.7:4433", discovery::PROTOCOL_VERSION);
    discovery::apply(dir.path(), &[laptop.clone(), heard(own, "192.168.1.2:4433", "1")], &own).unwrap();
    let clock = hubsync::ops::FixedClock::on(2026, 12, 2);

    let mut app = App::new(hubsync::domain::Lang::Zh, today());
    app.update(Event::Loaded(Box::new(load(&mut s))));
    app.update(key(KeyCode::Char('5')));
    assert_eq!(app.lan_unknown(), vec![&laptop], "our own announcement left out");
    // A round of the node while the peers are shown reads the file again.
    let status = NodeStatus::Listening { addr: "0.0.0.0:4433".parse().unwrap() };
    assert_eq!(app.update(Event::SyncStatus(status.clone())), vec![Effect::LoadLan]);
    let Some(Event::LanLoaded(read)) = execute(&mut s, &clock, Effect::LoadLan, app.lang) else {
        panic!("LAN list read")
    };
    assert_eq!(read, vec![laptop.clone()]);
    app.update(Event::LanLoaded(read));

    app.update(key(KeyCode::Enter));
    typed(&mut app, "王老师");
    let effects = app.update(key(KeyCode::F(2)));
    let added = execute(&mut s, &clock, effects[0].clone(), app.lang).expect("an answer");
    match &added {
        Event::Done(Ok(_)) => {}
        Event::Done(Err(e)) => panic!("{e}"),
        _ => panic!("the peer is added"),
    }
    app.update(added);
    app.update(Event::Loaded(Box::new(load(&mut s))));
    assert!(app.lan_unknown().is_empty(), "now a peer");
    assert_eq!(app.data.peers.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["王老师"]);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("局域网中已发现 192.168.1.7:4433"), "{screen}");

    // Elsewhere, the node's rounds do not read the file.
    app.update(key(KeyCode::Char('1')));
    assert_eq!(app.tab, Tab::Orgs);
    assert_eq!(app.update(Event::SyncStatus(status)), Vec::<Effect>::new());
}

//! Joining with a short code read aloud over the phone (sync::short): the
//! right digits join and pin the inviter; wrong ones, an expired or voided
//! code and a man in the middle are refused, and nothing is written to
//! either side's peer list.

mod support;

use hubsync::clock::{Clock, SystemClock};
use hubsync::ops::peers::{invite, Codes, Invite};
use hubsync::sync::{transport, Identity, Node, Peers};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use support::*;
use tempfile::TempDir;

/// The inviter's clock, moved forward by the test.
#[derive(Default)]
struct Later(AtomicI64);

impl Clock for Later {
    fn now(&self) -> chrono::NaiveDateTime {
        SystemClock.now() + chrono::Duration::seconds(self.0.load(Ordering::SeqCst))
    }
}

fn short_code(inviter: &Side, clock: &dyn Clock) -> String {
    let addr = inviter.node.local_addr().unwrap().to_string();
    let cmd = Invite { addr, docs: Vec::new(), write: true, hours: 24, codes: Codes::Short };
    invite(&inviter.node.dir, clock, cmd).unwrap().short.unwrap()
}

fn addr(side: &Side) -> String {
    side.node.local_addr().unwrap().to_string()
}

fn peer_names(dir: &std::path::Path) -> Vec<String> {
    Peers::load(dir).unwrap().peers.into_iter().map(|p| p.name).collect()
}

/// Another digit in the last place: a code misheard.
fn misheard(code: &str) -> String {
    let mut c: Vec<char> = code.chars().collect();
    let last = c.len() - 1;
    c[last] = if c[last] == '0' { '1' } else { '0' };
    c.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_right_short_code_joins_pins_the_inviter_and_syncs() {
    let county = start(Some(federation("锦江区联合会", "510104")), &["甲组织"], limits(5_000));
    let laptop = start(None, &[], limits(5_000));
    let code = short_code(&county, &SystemClock);
    assert!(regex_like_short(&code), "{code}");
    // Typed from the phone call with an input method: full-width digits, a space, no dash.
    let typed: String = code
        .chars()
        .filter(|c| *c != '-')
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .enumerate()
        .flat_map(|(i, c)| if i == 5 { vec![' ', c] } else { vec![c] })
        .collect();
    let summary = laptop.node.join_short(&addr(&county), &typed, "培训笔记本").await.unwrap();
    assert!(summary.errors.is_empty(), "{summary:?}");
    assert_eq!(orgs(&laptop).await, orgs(&county).await);
    let inviter = Peers::load(&laptop.node.dir).unwrap();
    let pinned = inviter.get(&county.node.identity.node_id).expect("the inviter is a peer");
    let county_home = county.store.call(|s| s.home_id().map(|h| h.to_string())).await;
    assert_eq!(pinned.home.as_ref().map(|h| h.to_string()), county_home, "the inviter's home is pinned");
    assert_eq!(pinned.addr.as_deref(), Some(addr(&county).as_str()));
    assert!(Peers::load(&county.node.dir).unwrap().find("培训笔记本").is_ok(), "the county knows the laptop");
    let home = laptop.store.call(|s| s.federation().map(|f| f.name)).await;
    assert_eq!(home.as_deref(), Some("锦江区联合会"));

    // One use: another laptop with the same digits finds no code open.
    let second = start(None, &[], limits(5_000));
    let e = second.node.join_short(&addr(&county), &code, "second").await.unwrap_err().to_string();
    assert!(e.contains("没有待用的短码") && e.contains("no short code is open on"), "{e}");
    assert!(peer_names(&second.node.dir).is_empty());
}

fn regex_like_short(code: &str) -> bool {
    let (a, b) = code.split_once('-').unwrap_or_default();
    a.len() == 5 && b.len() == 5 && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_are_refused_three_void_the_code_and_nothing_is_written() {
    let county = start(Some(federation("锦江区联合会", "510104")), &["甲组织"], limits(5_000));
    let laptop = start(None, &[], limits(5_000));
    let code = short_code(&county, &SystemClock);
    for left in [2, 1, 0] {
        let e = laptop.node.join_short(&addr(&county), &misheard(&code), "培训笔记本").await.unwrap_err().to_string();
        assert!(e.contains("短码不对") && e.contains("the short code is wrong"), "{e}");
        assert!(e.contains(&format!("{left} attempts left")), "{e}");
        assert!(peer_names(&laptop.node.dir).is_empty(), "nothing written on the joiner");
        assert!(peer_names(&county.node.dir).is_empty(), "nothing written on the inviter");
    }
    // The fourth attempt, with the right code, is refused: the code is void.
    let e = laptop.node.join_short(&addr(&county), &code, "培训笔记本").await.unwrap_err().to_string();
    assert!(e.contains("已作废") && e.contains("voided after 3 failed attempts"), "{e}");
    assert!(peer_names(&laptop.node.dir).is_empty() && peer_names(&county.node.dir).is_empty());
    assert!(orgs(&laptop).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_short_code_is_refused_by_the_inviters_clock() {
    let clock = Arc::new(Later::default());
    let dir = TempDir::new().unwrap();
    let mut store = hubsync::store::Store::open(dir.path()).unwrap();
    store.init_federation(&federation("锦江区联合会", "510104")).unwrap();
    let store = hubsync::store::StoreHandle::spawn(store);
    let node =
        Node::start_with_limits(dir.path().to_path_buf(), store.clone(), "127.0.0.1:0".parse().unwrap(), limits(5_000))
            .unwrap()
            .with_clock(clock.clone() as Arc<dyn Clock>);
    let node = Arc::new(node);
    let serving = node.clone();
    tokio::spawn(async move { serving.serve().await });
    let county = Side { dir, node, store };
    let laptop = start(None, &[], limits(5_000));
    let code = short_code(&county, &*clock);
    // 31 minutes later by the inviter's clock (the laptop's does not count)
    // nothing is open: the handshake refuses the laptop.
    clock.0.store(31 * 60, Ordering::SeqCst);
    let e = laptop.node.join_short(&addr(&county), &code, "培训笔记本").await.unwrap_err().to_string();
    assert!(e.contains("没有待用的短码") && e.contains("no short code is open"), "{e}");
    assert!(peer_names(&laptop.node.dir).is_empty() && peer_names(&county.node.dir).is_empty());
    // With its long code open for a day, the handshake admits the laptop
    // and the short code itself is refused as expired.
    let cmd = Invite { addr: addr(&county), docs: Vec::new(), write: true, hours: 24, codes: Codes::Both };
    let code = invite(&county.node.dir, &*clock, cmd).unwrap().short.unwrap();
    clock.0.store(62 * 60, Ordering::SeqCst);
    let e = laptop.node.join_short(&addr(&county), &code, "培训笔记本").await.unwrap_err().to_string();
    assert!(e.contains("已过期") && e.contains("expired"), "{e}");
    assert!(peer_names(&laptop.node.dir).is_empty() && peer_names(&county.node.dir).is_empty());
    // 29 minutes after it was made, the same code would have joined.
    let code = short_code(&county, &*clock);
    clock.0.store(62 * 60 + 29 * 60, Ordering::SeqCst);
    laptop.node.join_short(&addr(&county), &code, "培训笔记本").await.unwrap();
}

/// A relay between the laptop and the county that terminates TLS with its
/// own certificate on both sides and copies the streams: even with the
/// right digits, both proofs fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_man_in_the_middle_with_its_own_certificate_fails_and_nothing_is_written() {
    let county = start(Some(federation("锦江区联合会", "510104")), &["甲组织"], limits(5_000));
    let laptop = start(None, &[], limits(5_000));
    let code = short_code(&county, &SystemClock);

    let mitm_dir = TempDir::new().unwrap();
    let mitm = Identity::load_or_create(mitm_dir.path()).unwrap();
    // An open invitation of its own lets the laptop through its TLS handshake.
    let made = hubsync::sync::short::clock_seconds(&SystemClock);
    hubsync::sync::invite::create(mitm_dir.path(), mitm.node_id, "127.0.0.1:1", Default::default(), 1, made).unwrap();
    let any = "127.0.0.1:0".parse().unwrap();
    let endpoint = transport::endpoint(&mitm, mitm_dir.path().to_path_buf(), any, system_clock()).unwrap();
    let mitm_addr = endpoint.local_addr().unwrap().to_string();
    let county_addr = county.node.local_addr().unwrap();
    let relay = tokio::spawn(async move {
        let from_laptop = endpoint.accept().await.unwrap().await.unwrap();
        let config = transport::unpinned_client(&mitm).unwrap();
        let to_county = endpoint.connect_with(config, county_addr, "hubsync").unwrap().await.unwrap();
        let (mut l_send, mut l_recv) = from_laptop.accept_bi().await.unwrap();
        let (mut c_send, mut c_recv) = to_county.open_bi().await.unwrap();
        let up = tokio::io::copy(&mut l_recv, &mut c_send);
        let down = tokio::io::copy(&mut c_recv, &mut l_send);
        let _ = tokio::time::timeout(SAFETY, async { tokio::join!(up, down) }).await;
    });
    let e = laptop.node.join_short(&mitm_addr, &code, "培训笔记本").await.unwrap_err().to_string();
    assert!(e.contains("从中截取") && e.contains("someone is in the middle"), "{e}");
    relay.abort();
    assert!(peer_names(&laptop.node.dir).is_empty(), "the laptop trusts nobody");
    assert!(peer_names(&county.node.dir).is_empty(), "the county admitted nobody");
    assert!(orgs(&laptop).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_short_code_voids_the_one_before() {
    let county = start(Some(federation("锦江区联合会", "510104")), &["甲组织"], limits(5_000));
    let laptop = start(None, &[], limits(5_000));
    let first = short_code(&county, &SystemClock);
    let second = short_code(&county, &SystemClock);
    if first != second {
        let e = laptop.node.join_short(&addr(&county), &first, "培训笔记本").await.unwrap_err().to_string();
        assert!(e.contains("短码不对"), "{e}");
    }
    laptop.node.join_short(&addr(&county), &second, "培训笔记本").await.unwrap();
}

/// The UI's invitation (F12 on the sync tab) shows the long code, the QR
/// code, and beside the QR code the short code and the address to read
/// aloud; the short code is the one the node holds open.
#[test]
fn the_invitation_popup_shows_the_short_code_beside_the_qr_code() {
    use hubsync::tui::app::{App, Effect, Event, Mode};
    let dir = TempDir::new().unwrap();
    let mut s = hubsync::store::Store::open(dir.path()).unwrap();
    s.init_federation(&federation("锦江区联合会", "510104")).unwrap();
    let effect = Effect::Invite { addr: "192.168.1.10:4433".into(), write: true };
    let event = hubsync::tui::runner::execute(&mut s, &SystemClock, effect, hubsync::domain::Lang::Zh).unwrap();
    let Event::ShowText(text) = &event else { panic!("no invitation shown") };
    let held: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("invites.json")).unwrap()).unwrap();
    let digits = held[0]["short"]["digits"].as_str().unwrap();
    let shown = format!("{}-{}", &digits[..5], &digits[5..]);
    let beside = text.lines().find(|l| l.contains(&shown)).expect("the short code is shown");
    assert!(beside.contains('█'), "beside the QR code: {beside}");
    assert!(text.lines().any(|l| l.contains('█') && l.contains("192.168.1.10:4433")), "{text}");
    let mut app = App::new(hubsync::domain::Lang::Zh, chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    app.update(event);
    assert!(matches!(app.mode, Mode::Text(_)));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| app.drawn(hubsync::tui::view::draw(f, &app))).unwrap();
    assert!(terminal.backend().to_string().contains(&shown), "visible at 80x24");
}

//! Issue 15 point 6: overlapping bookings are warned at booking and again
//! at confirming, whether the other one is requested (已申请) or confirmed,
//! and marked in the week view. The rule lives in ops; the TUI and the CLI
//! show what the save's outcome says.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::*;
use hubsync::ops::FixedClock;
use hubsync::store::Store;
use hubsync::tui::app::{App, Effect, Event};
use hubsync::tui::runner::{execute, load};
use tui_app::*;

/// A store with one venue and a requested booking on Thursday of today's week.
fn stored() -> (tempfile::TempDir, Store, Booking) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = demo::DemoData::generate(2021, 8);
    s.init_federation(&d.federation).unwrap();
    s.insert_many(&d.orgs).unwrap();
    let mut hall = Venue::new("玉林社区党群服务中心多功能厅");
    hall.kind = VenueKind::PartyMassCentre;
    s.insert(&hall).unwrap();
    let taken = Booking {
        id: RecordId::random(),
        venue: hall.id.clone(),
        organization: Some(d.orgs[0].id.clone()),
        date: today() + chrono::Duration::days(2),
        start: "14:00".into(),
        end: "16:00".into(),
        purpose: "广场舞排练".into(),
        expected: Some(30),
        status: BookingStatus::Requested,
    };
    s.insert(&taken).unwrap();
    (dir, s, taken)
}

fn app_on(s: &mut Store) -> App {
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(load(s))));
    app.update(key(KeyCode::Char('3')));
    app
}

fn set_field(app: &mut App, field: &str, text: &str) {
    while form(app).fields[form(app).focus].key != field {
        app.update(key(KeyCode::Tab));
    }
    clear_field(app);
    typed(app, text);
}

/// Runs the app's effects on the store and feeds the answers back.
fn run(app: &mut App, s: &mut Store, effects: Vec<Effect>) {
    let clock = FixedClock::on(2025, 11, 4);
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        if let Some(event) = execute(s, &clock, effect, app.lang) {
            queue.extend(app.update(event));
        }
    }
}

fn warnings(app: &App) -> Vec<&str> {
    app.messages.iter().filter(|(err, m)| *err && m.contains('⚠')).map(|(_, m)| m.as_str()).collect()
}

#[test]
fn a_request_over_a_requested_booking_is_warned_then_warned_again_when_confirmed() {
    let (_dir, mut s, taken) = stored();
    let mut app = app_on(&mut s);
    app.update(key(KeyCode::F(12)));
    set_field(&mut app, "date", &taken.date.to_string());
    set_field(&mut app, "start", "15:00");
    set_field(&mut app, "end", "17:30");
    set_field(&mut app, "purpose", "党课");
    let effects = app.update(key(KeyCode::F(2)));
    run(&mut app, &mut s, effects);
    let w = warnings(&app);
    assert_eq!(w.len(), 1, "{:?}", app.messages);
    assert!(w[0].contains("14:00–16:00") && w[0].contains("广场舞排练") && w[0].contains("已申请"), "{w:?}");
    let second = s.all::<Booking>().unwrap().into_iter().find(|b| b.purpose == "党课").unwrap();
    assert_eq!(second.status, BookingStatus::Requested);
    assert!(app.derived.clashing.contains(&second.id) && app.derived.clashing.contains(&taken.id));
    // The week view marks both.
    let screen = render(&mut app, 80, 24);
    assert_eq!(screen.matches("⚠ 冲突").count(), 2, "{screen}");

    // Confirming the second (F6, the week's bookings, then its status): warned again.
    app.messages.clear();
    app.update(key(KeyCode::F(6)));
    typed(&mut app, "党课");
    app.update(key(KeyCode::Enter));
    set_field(&mut app, "status", "");
    app.update(key(KeyCode::Right));
    assert_eq!(form(&app).value("status"), "已确认");
    let effects = app.update(key(KeyCode::F(2)));
    run(&mut app, &mut s, effects);
    let w = warnings(&app);
    assert_eq!(w.len(), 1, "{:?}", app.messages);
    assert!(w[0].contains("广场舞排练"), "{w:?}");
    assert_eq!(s.get::<Booking>(&second.id).unwrap().unwrap().status, BookingStatus::Confirmed);
}

#[test]
fn a_cancelled_booking_overlaps_nothing() {
    let (_dir, mut s, taken) = stored();
    let clock = FixedClock::on(2025, 11, 4);
    let other = Booking { id: RecordId::random(), start: "15:00".into(), purpose: "党课".into(), ..taken.clone() };
    let booked =
        hubsync::ops::bookings::save(&mut hubsync::ops::Env::new(&mut s, &clock), other.clone(), true).unwrap();
    assert_eq!(booked.overlapping.len(), 1);
    assert_eq!(booked.overlapping[0].booking.id, taken.id);
    let cmd = hubsync::ops::bookings::SetStatus { booking: (&other.id).into(), status: BookingStatus::Cancelled };
    let cancelled = hubsync::ops::bookings::set_status(&mut hubsync::ops::Env::new(&mut s, &clock), cmd).unwrap();
    assert!(cancelled.overlapping.is_empty());
    let cmd = hubsync::ops::bookings::SetStatus { booking: (&taken.id).into(), status: BookingStatus::Confirmed };
    let confirmed = hubsync::ops::bookings::set_status(&mut hubsync::ops::Env::new(&mut s, &clock), cmd).unwrap();
    assert!(confirmed.overlapping.is_empty(), "the cancelled one no longer counts");
}

//! Shared by the TUI test files: demo data loaded into an App, keys, and
//! rendering into a TestBackend.
#![allow(dead_code)]

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hubsync::domain::activity_query::ActivityRow;
use hubsync::domain::demo::DemoData;
use hubsync::domain::query::OrgRow;
use hubsync::domain::report::{Inputs, Report};
use hubsync::domain::*;
use hubsync::sync::{Grant, NodeId, Peer};
use hubsync::tui::app::{App, Data, Effect, Event, Mode};
use hubsync::tui::view;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 4).unwrap()
}

pub fn data() -> Data {
    let d = DemoData::generate(2021, 60);
    let report = Report::compute(&Inputs {
        federation: Some(&d.federation),
        orgs: &d.orgs,
        people: &d.people,
        liaisons: &d.liaisons,
        venues: &d.venues,
        bookings: &d.bookings,
        trainings: &d.trainings,
        attendance: &d.attendance,
        as_of: today(),
        evaluation: &Default::default(),
    });
    let mut rows: Vec<OrgRow> = d.orgs.iter().map(OrgRow::from_org).collect();
    let mut activities: Vec<ActivityRow> = d.activities.iter().map(ActivityRow::from_activity).collect();
    activities.sort_by(|a, b| (b.date, &b.start, &b.title).cmp(&(a.date, &a.start, &a.title)));
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
        activities: Arc::new(activities),
        work_reports: d.work_reports,
        major_rule: MajorActivityRule::standard(),
        projects: d.projects,
        honours: d.honours,
        evaluation: EvaluationSettings::default(),
        report: Some(Arc::new(report)),
        documents: Vec::new(),
        peers: peers(),
        network: None,
        lan: Vec::new(),
        conflicted: Vec::new(),
    }
}

/// A city federation synced an hour ago and a township whose last try failed.
pub fn peers() -> Vec<Peer> {
    vec![
        Peer {
            name: "成都市社区社会组织联合会".into(),
            node_id: NodeId([7; 32]),
            addr: Some("10.0.0.2:4433".into()),
            grants: [("*".to_string(), Grant::Write)].into(),
            last_sync: Some("2025-11-04 09:12".into()),
            last_error: None,
            last_failure: None,
            home: Some("fed0000000000c01".into()),
        },
        Peer {
            name: "春熙路街道".into(),
            node_id: NodeId([9; 32]),
            addr: Some("192.168.1.20:4433".into()),
            grants: [("orgs".to_string(), Grant::Read)].into(),
            last_sync: None,
            last_error: Some("与 春熙路街道 (192.168.1.20:4433) 握手超时 (handshake timed out)".into()),
            last_failure: Some(hubsync::sync::FailureKind::Unreachable),
            home: None,
        },
    ]
}

/// The training and session being signed in to, while sign-in is open.
pub fn signing_in_to(app: &App) -> Option<(RecordId, RecordId)> {
    match &app.mode {
        Mode::Pick(p) => match &p.purpose {
            hubsync::tui::picker::PickFor::SignIn { training, session } => Some((training.clone(), session.clone())),
            _ => None,
        },
        _ => None,
    }
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

/// An app with demo data loaded and the first organization's detail shown.
pub fn loaded() -> App {
    let mut app = App::new(Lang::Zh, today());
    let effects = app.update(Event::Loaded(Box::new(data())));
    let Some(Effect::LoadOrg(id)) = effects.first().cloned() else { panic!("detail requested: {effects:?}") };
    let org = DemoData::generate(2021, 60).orgs.into_iter().find(|o| o.id == id).unwrap();
    app.update(Event::OrgLoaded(Box::new(org), Vec::new()));
    app
}

pub fn render(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut hits = None;
    terminal.draw(|f| hits = Some(view::draw(f, app))).unwrap();
    app.drawn(hits.unwrap_or_default());
    terminal.backend().to_string()
}

pub fn form(app: &App) -> &hubsync::tui::forms::Form {
    match &app.mode {
        Mode::Form(f) => f,
        other => panic!("expected a form, got {other:?}"),
    }
}

pub fn clear_field(app: &mut App) {
    app.update(key(KeyCode::End));
    for _ in 0..40 {
        app.update(key(KeyCode::Backspace));
    }
}

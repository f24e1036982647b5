//! Issue 15 point 12, the smaller things: English labels whole, the name
//! column taking the slack at 60 columns, the member count in the detail
//! pane at 80x24, the week view's "this week" and "go to date" keys, and a
//! session's venue.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::*;
use hubsync::tui::app::Tab;
use hubsync::tui::app::{Effect, Event, Mode};
use tui_app::*;

#[test]
fn english_labels_are_whole_at_80_columns() {
    let mut app = loaded();
    app.update(ctrl('l'));
    let screen = render(&mut app, 80, 24);
    let rows: Vec<&OrgRow> = app.views[Tab::Orgs].iter().take(10).map(|i| &app.data.orgs[*i]).collect();
    for r in rows {
        if let Some(l) = r.lifecycle {
            assert!(screen.contains(l.label(Lang::En)), "{} cut:\n{screen}", l.label(Lang::En));
        }
        if let Some(c) = r.category.filter(|c| c.label(Lang::En).len() <= 16) {
            assert!(screen.contains(c.label(Lang::En)), "{} cut:\n{screen}", c.label(Lang::En));
        }
    }
    assert!(!screen.contains("Dorman ") && !screen.contains("Joint organi"), "{screen}");
}

use hubsync::domain::query::OrgRow;

#[test]
fn at_60_columns_the_name_takes_the_slack() {
    let mut app = loaded();
    let long =
        app.views[Tab::Orgs].iter().map(|i| app.data.orgs[*i].name.clone()).find(|n| n.chars().count() >= 11).unwrap();
    let at = app.views[Tab::Orgs].iter().position(|i| app.data.orgs[*i].name == long).unwrap();
    app.selected[Tab::Orgs] = at;
    let screen = render(&mut app, 60, 24);
    let head: String = long.chars().take(11).collect();
    assert!(screen.contains(&head), "{head} cut at 60 columns:\n{screen}");
    insta::assert_snapshot!("orgs_60x24", screen);
}

#[test]
fn the_detail_pane_at_80x24_shows_the_member_count() {
    let mut app = loaded();
    let (org, _) = app.detail.clone().unwrap();
    let mut org = org;
    org.members = Some(36);
    app.update(Event::OrgLoaded(Box::new(org), Vec::new()));
    assert!(render(&mut app, 80, 24).contains("36 人"));
}

#[test]
fn the_week_view_goes_to_a_date_and_back_to_this_week() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('3')));
    app.update(ctrl('g'));
    assert_eq!(form(&app).value("date"), app.week_monday().to_string());
    clear_field(&mut app);
    typed(&mut app, "2026年1月15日");
    assert!(app.update(key(KeyCode::F(2))).is_empty());
    assert_eq!(app.mode, Mode::Browse);
    assert_eq!(app.week_monday(), chrono::NaiveDate::from_ymd_opt(2026, 1, 12).unwrap());
    // A booking made now starts in that week.
    app.update(key(KeyCode::F(12)));
    assert!(form(&app).value("date").starts_with("2026-01-"), "{}", form(&app).value("date"));
    app.update(key(KeyCode::Esc));
    app.update(ctrl('t'));
    assert_eq!(app.week, 0);
    app.update(ctrl('g'));
    clear_field(&mut app);
    typed(&mut app, "明天");
    app.update(key(KeyCode::F(2)));
    assert!(matches!(app.mode, Mode::Form(_)), "a bad date keeps the form");
    assert!(app.messages.last().unwrap().0, "and the error is in the history");
}

#[test]
fn a_session_has_a_venue_picked_from_a_filtering_list() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::F(12)));
    let venue = app.data.venues[1].clone();
    while form(&app).fields[form(&app).focus].key != "venue" {
        app.update(key(KeyCode::Tab));
    }
    app.update(key(KeyCode::F(6)));
    let initials = hubsync::domain::query::pinyin_initials(&venue.name);
    typed(&mut app, &initials);
    let Mode::Pick(p) = &app.mode else { panic!("{:?}", app.mode) };
    assert_eq!(p.matches()[0].id.as_ref(), Some(&venue.id));
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("venue"), venue.name);
    let effects = app.update(key(KeyCode::F(2)));
    let [Effect::AddSession { session, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(session.venue.as_ref(), Some(&venue.id));
}

//! Issue 15, a secretary's day: errors you can read, forms that ask before
//! they lose typed data, sign-in you can trust, pickers that filter.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::tui::app::{App, Effect, Event, Mode};
use tui_app::*;

fn snapshot(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
}

/// The screen's rows joined by spaces without the borders and padding, so a
/// sentence wrapped between words can be looked for whole.
fn joined(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches('"').trim_end_matches(['│', ' ']).trim_start_matches(['│', ' ']))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_credit_code_error_is_shown_in_full_and_kept_in_the_history() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "玉林社区新舞蹈队");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    typed(&mut app, "51420000MJH2003664");
    assert!(app.update(ctrl('s')).is_empty());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("校验位错误"), "the reason is visible at 80 columns:\n{screen}");
    let error = form(&app).fields.iter().find_map(|f| f.error.clone()).unwrap();
    for word in error.split_whitespace() {
        assert!(screen.contains(word), "'{word}' of the error is on screen:\n{screen}");
    }
    let (is_error, text) = app.messages.last().expect("the error went to the history");
    assert!(*is_error && text.contains("校验位错误") && text.contains("统一社会信用代码"), "{text}");
    snapshot("credit_code_error", &mut app);
}

#[test]
fn a_long_store_error_wraps_in_the_status_line() {
    let mut app = loaded();
    let long = "组织名称「玉林社区夕阳红志愿服务队」已存在于锦江区社区社会组织联合会的组织名册中,请换一个名称或修改已有记录 (an organization by this name already exists)";
    app.update(Event::Done(Err(long.into())));
    let screen = render(&mut app, 80, 24);
    assert!(joined(&screen).contains("already exists)"), "the end of the error is on screen:\n{screen}");
}

#[test]
fn esc_asks_before_discarding_a_filled_form() {
    let mut app = loaded();
    app.update(key(KeyCode::F(4)));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.mode, Mode::Browse, "nothing typed: Esc closes at once");
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "玉林社区新舞蹈队");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::ConfirmDiscard(_)), "{:?}", app.mode);
    assert!(render(&mut app, 80, 24).contains("放弃"));
    // An input method's second Esc must not lose the form either.
    app.update(key(KeyCode::Esc));
    assert_eq!(form(&app).value("name"), "玉林社区新舞蹈队", "Esc goes back to the form as typed");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.update(key(KeyCode::Enter)), Vec::<Effect>::new());
    assert_eq!(app.mode, Mode::Browse, "Enter discards");
}

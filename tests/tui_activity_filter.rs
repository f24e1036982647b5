//! The activities tab's typed filter, pinned keystroke by keystroke against
//! its meaning: an activity is shown when its title, its title's pinyin
//! initials, its lead organization's name or that name's pinyin initials
//! hold the typed text (trimmed, full-width folded, lower-cased), under the
//! F11 conditions, newest first. The views are compared after every key
//! (typing, Backspace, an edit in the middle, Delete, Home, a paste) and
//! after a load that brings edits by sync, so an index built for speed must
//! give exactly what the plain scan gives.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::activity_query::ActivityRow;
use hubsync::domain::query::{pinyin_initials, OrgRow};
use hubsync::domain::validate::fold_width;
use hubsync::domain::*;
use hubsync::tui::app::{ActView, App, Data, Event, Tab};
use std::sync::Arc;
use tui_app::*;

/// What the list must show for `text`: the plain scan over every row.
fn expected(app: &App, text: &str) -> Vec<usize> {
    let n = fold_width(text.trim()).to_lowercase();
    let d = &app.data;
    let holds = |s: &str| s.to_lowercase().contains(&n) || pinyin_initials(s).contains(&n);
    (0..d.activities.len())
        .filter(|i| {
            let r = &d.activities[*i];
            let lead = r.lead().and_then(|id| d.orgs.iter().find(|o| &o.id == id));
            app.work.conditions.matches(r, "") && (holds(&r.title) || lead.is_some_and(|o| holds(&o.name)))
        })
        .collect()
}

/// The due list's meaning: title or lead organization (name, initials).
fn expected_due(app: &App, text: &str) -> Vec<usize> {
    let n = fold_width(text.trim()).to_lowercase();
    let d = &app.data;
    (0..app.work.due.len())
        .filter(|i| {
            let r = &app.work.due[*i];
            let org = r.organization.as_ref().and_then(|id| d.orgs.iter().find(|o| &o.id == id));
            r.title.to_lowercase().contains(&n)
                || n.is_empty()
                || org.is_some_and(|o| o.name.to_lowercase().contains(&n) || pinyin_initials(&o.name).contains(&n))
        })
        .collect()
}

fn filter_text(app: &App) -> String {
    app.filters[Tab::Activities].text().to_string()
}

fn check(app: &App, what: &str) {
    let text = filter_text(app);
    match app.work.act_view {
        ActView::List => assert_eq!(app.views[Tab::Activities], expected(app, &text), "{what}: list for {text:?}"),
        ActView::Due => assert_eq!(app.views[Tab::Activities], expected_due(app, &text), "{what}: due for {text:?}"),
        _ => {}
    }
}

/// Each key, then the view checked against the plain scan.
fn keys(app: &mut App, codes: &[KeyCode], what: &str) {
    for c in codes {
        app.update(key(*c));
        check(app, &format!("{what} after {c:?}"));
    }
}

fn chars(text: &str) -> Vec<KeyCode> {
    text.chars().map(KeyCode::Char).collect()
}

fn shown_titles(app: &App) -> Vec<String> {
    app.views[Tab::Activities].iter().map(|i| app.data.activities[*i].title.clone()).collect()
}

/// Demo data with two organizations of the same name (namesakes in two
/// communities), each leading activities.
fn namesake_data() -> (Data, String) {
    let mut d = data();
    let mut orgs: Vec<OrgRow> = (*d.orgs).clone();
    let leads: Vec<RecordId> = d.activities.iter().filter_map(|a| a.lead().cloned()).collect();
    let mut leading = orgs.iter().enumerate().filter(|(_, o)| leads.contains(&o.id)).map(|(i, _)| i);
    let (a, b) = (leading.next().unwrap(), leading.next().unwrap());
    let name = "和平社区志愿服务队".to_string();
    orgs[a].name = name.clone();
    orgs[b].name = name.clone();
    d.orgs = Arc::new(orgs);
    (d, name)
}

fn activities_tab(d: Data) -> App {
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(d)));
    app.update(key(KeyCode::Char('7')));
    assert_eq!(app.tab, Tab::Activities);
    app.update(key(KeyCode::F(3)));
    app
}

#[test]
fn typing_titles_names_and_initials_shows_what_the_plain_scan_shows() {
    let (d, name) = namesake_data();
    let mut app = activities_tab(d);
    check(&app, "nothing typed");
    let all = app.views[Tab::Activities].len();
    assert_eq!(all, app.data.activities.len());
    // A title in Chinese, one character at a time.
    keys(&mut app, &chars("夜间治安巡逻"), "title");
    assert!(!app.views[Tab::Activities].is_empty() && shown_titles(&app).iter().all(|t| t == "夜间治安巡逻"));
    keys(&mut app, &[KeyCode::Backspace; 6], "back to nothing");
    assert_eq!(app.views[Tab::Activities].len(), all);
    // The title's pinyin initials, upper case and full width folded.
    keys(&mut app, &chars("YJZA"), "initials");
    assert!(!app.views[Tab::Activities].is_empty());
    keys(&mut app, &[KeyCode::Backspace; 4], "cleared");
    keys(&mut app, &chars("ｙｊｚａｘｌ"), "full-width initials");
    assert!(!app.views[Tab::Activities].is_empty());
    keys(&mut app, &[KeyCode::Backspace; 6], "cleared");
    // Full pinyin is not a key: whatever the scan shows, the list shows.
    keys(&mut app, &chars("yejian"), "full pinyin");
    keys(&mut app, &[KeyCode::Backspace; 6], "cleared");
    // Namesakes: both organizations' activities.
    keys(&mut app, &chars(&name), "namesakes");
    let leads: std::collections::HashSet<RecordId> =
        app.views[Tab::Activities].iter().filter_map(|i| app.data.activities[*i].lead().cloned()).collect();
    assert_eq!(leads.len(), 2, "both namesakes' activities are shown");
    keys(&mut app, &[KeyCode::Backspace; 9], "cleared");
    keys(&mut app, &chars(&pinyin_initials(&name)), "namesakes by initials");
    assert!(app.views[Tab::Activities].len() >= 2);
    // Words with a space between are one text, as before.
    keys(&mut app, &[KeyCode::Esc, KeyCode::F(3)], "cleared");
    keys(&mut app, &chars(" 垃圾 分类"), "spaced");
    keys(&mut app, &[KeyCode::Esc, KeyCode::F(3)], "cleared");
    keys(&mut app, &chars("zzzz"), "nothing matches");
    assert!(app.views[Tab::Activities].is_empty());
}

#[test]
fn a_query_shortened_or_edited_in_the_middle_is_filtered_afresh() {
    let mut app = activities_tab(data());
    keys(&mut app, &chars("垃圾类"), "typed");
    assert!(app.views[Tab::Activities].is_empty(), "no title holds 垃圾类");
    // The caret back before 类, 分 inserted: 垃圾分类.
    keys(&mut app, &[KeyCode::Left, KeyCode::Char('分')], "edit in the middle");
    assert_eq!(filter_text(&app), "垃圾分类");
    assert!(!app.views[Tab::Activities].is_empty());
    // Home, then a character before it all: the text no longer extends the last one.
    keys(&mut app, &[KeyCode::Home, KeyCode::Char('宣')], "before the start");
    assert_eq!(filter_text(&app), "宣垃圾分类");
    assert!(app.views[Tab::Activities].is_empty());
    keys(&mut app, &[KeyCode::Backspace], "taken back");
    assert_eq!(filter_text(&app), "垃圾分类");
    keys(&mut app, &[KeyCode::Delete], "first character deleted");
    assert_eq!(filter_text(&app), "圾分类");
    keys(&mut app, &[KeyCode::Char('垃')], "typed back");
    assert_eq!(filter_text(&app), "垃圾分类");
    keys(&mut app, &[KeyCode::End, KeyCode::Backspace, KeyCode::Backspace], "shortened");
    assert_eq!(filter_text(&app), "垃圾");
    keys(&mut app, &chars("fl"), "Chinese then initials");
    // A paste counts like typing.
    app.update(Event::Paste("宣传".into()));
    check(&app, "pasted");
    keys(&mut app, &[KeyCode::Backspace; 6], "back to nothing");
    app.update(Event::Paste("ljfl".into()));
    check(&app, "pasted initials");
    assert!(!app.views[Tab::Activities].is_empty());
}

#[test]
fn the_filter_follows_the_conditions_and_the_due_list() {
    let mut app = activities_tab(data());
    app.work.conditions.kind = Some(ActivityKind::VolunteerService);
    keys(&mut app, &chars("志愿"), "with a condition");
    assert!(!app.views[Tab::Activities].is_empty());
    keys(&mut app, &[KeyCode::Backspace, KeyCode::Backspace], "condition alone");
    app.work.conditions = Default::default();
    keys(&mut app, &[KeyCode::Esc], "cleared");
    // The due list under the same filter text.
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.work.act_view, ActView::Due);
    app.update(key(KeyCode::F(3)));
    let title = app.work.due[0].title.clone();
    keys(&mut app, &chars(&title), "due by title");
    keys(&mut app, &[KeyCode::Esc, KeyCode::F(3)], "cleared");
    keys(&mut app, &chars(&pinyin_initials(&title)), "due by initials");
}

#[test]
fn an_edit_arriving_by_sync_is_filtered_with_the_filter_kept() {
    let (d, name) = namesake_data();
    let mut app = activities_tab(d.clone());
    keys(&mut app, &chars("巡逻"), "before the sync");
    let before = app.views[Tab::Activities].len();
    // A peer renamed one patrol, titled another activity as a patrol, logged
    // a new one, and renamed one of the namesakes.
    let mut rows: Vec<ActivityRow> = (*d.activities).clone();
    let patrol = rows.iter().position(|r| r.title.contains("巡逻")).unwrap();
    let mut renamed = rows[patrol].clone();
    renamed.title = "消防安全检查".into();
    renamed.search_key = ActivityRow::from_activity(&activity_like(&renamed)).search_key;
    rows[patrol] = renamed;
    let other = rows.iter().position(|r| !r.title.contains("巡逻")).unwrap();
    let mut now_patrol = rows[other].clone();
    now_patrol.title = "周末治安巡逻".into();
    now_patrol.search_key = ActivityRow::from_activity(&activity_like(&now_patrol)).search_key;
    rows[other] = now_patrol;
    let mut new = activity_like(&rows[0]);
    new.id = RecordId::from("synced-new-patrol");
    new.title = "春节治安巡逻".into();
    rows.insert(0, ActivityRow::from_activity(&new));
    let mut orgs: Vec<OrgRow> = (*d.orgs).clone();
    let renamed_org = orgs.iter().position(|o| o.name == name).unwrap();
    orgs[renamed_org].name = "锦江区红石榴巡逻队".into();
    let synced = Data { activities: Arc::new(rows), orgs: Arc::new(orgs), ..d };
    app.update(Event::Loaded(Box::new(synced)));
    assert_eq!(filter_text(&app), "巡逻", "the typed filter stays");
    check(&app, "after the sync");
    assert!(app.views[Tab::Activities].iter().any(|i| app.data.activities[*i].id.as_str() == "synced-new-patrol"));
    assert_ne!(app.views[Tab::Activities].len(), before, "the renamed organization's activities now match");
    // Keys after the load use the new rows.
    keys(&mut app, &[KeyCode::Backspace, KeyCode::Backspace], "after the sync, cleared");
    keys(&mut app, &chars("xfaq"), "the renamed activity by initials");
    assert_eq!(shown_titles(&app), vec!["消防安全检查".to_string()]);
    keys(&mut app, &[KeyCode::Backspace; 4], "cleared");
    keys(&mut app, &chars(&name), "the namesake left");
    let leads: std::collections::HashSet<RecordId> =
        app.views[Tab::Activities].iter().filter_map(|i| app.data.activities[*i].lead().cloned()).collect();
    assert_eq!(leads.len(), 1, "one namesake was renamed");
}

/// An activity with a row's fields (for a row built as the store builds it).
fn activity_like(r: &ActivityRow) -> Activity {
    let mut a = Activity::new(
        r.lead().cloned().unwrap_or_default(),
        &r.division,
        r.date,
        &r.title,
        r.kind.unwrap_or(ActivityKind::Other),
    );
    a.id = r.id.clone();
    a.organizations = r.organizations.clone();
    a.targets = r.targets.clone();
    a
}

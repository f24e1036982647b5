//! Two offline laptops logging the same activity's participants from the
//! TUI's quick entry (the effects the forms produce, run as the UI runs
//! them), then merging: every participant once, a walk-in typed on both
//! laptops one person.

use chrono::NaiveDate;
use hubsync::domain::*;
use hubsync::ops::activities::{ActivityFields, LogParticipants, Participant};
use hubsync::ops::{FixedClock, Ref};
use hubsync::store::Store;
use hubsync::tui::app::{Effect, Event, WorkEffect};
use hubsync::tui::runner::execute;
use tempfile::TempDir;
#[path = "support/pair.rs"]
mod pair;
use pair::exchange;

const FED: &str = "fed0000000000001";

fn federation() -> Federation {
    Federation {
        id: RecordId::from(FED),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    }
}

fn run(s: &mut Store, clock: &FixedClock, w: WorkEffect) -> String {
    match execute(s, clock, Effect::Work(Box::new(w)), Lang::Zh) {
        Some(Event::Done(Ok(text))) => text,
        other => panic!("{:?}", other.map(|e| matches!(e, Event::Done(_)))),
    }
}

fn refused(s: &mut Store, clock: &FixedClock, w: WorkEffect) -> String {
    match execute(s, clock, Effect::Work(Box::new(w)), Lang::Zh) {
        Some(Event::Done(Err(text))) => text,
        _ => panic!("expected a refusal"),
    }
}

fn sync_all(a: &mut Store, b: &mut Store) {
    let mut docs = a.doc_ids(None);
    for d in b.doc_ids(None) {
        if !docs.contains(&d) {
            docs.push(d);
        }
    }
    for d in docs {
        exchange(a, "A", b, "B", &d, true).unwrap();
    }
}

fn people_named(s: &Store, name: &str) -> Vec<Person> {
    let all: Vec<Person> = s.all_readable().0;
    all.into_iter().filter(|p| p.name == name).collect()
}

#[test]
fn two_offline_laptops_logging_the_same_walk_in_merge_into_one_person() {
    let clock = FixedClock::on(2025, 11, 4);
    let (da, db) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut a = Store::open(da.path()).unwrap();
    a.init_federation(&federation()).unwrap();
    let org = Organization::new("玉林社区平安巡逻队", Category::ResidentServices, LegalStatus::Filed, "510104016001");
    a.insert(&org).unwrap();
    let li = Person::new("李建华");
    a.insert(&li).unwrap();
    let fields = ActivityFields {
        organizations: vec![Ref::from(&org.id)],
        date: Some(NaiveDate::from_ymd_opt(2025, 11, 4).unwrap()),
        start: Some("19:00".into()),
        end: Some("21点".into()),
        title: Some("夜间治安巡逻".into()),
        kind: Some(ActivityKind::Patrol),
        ..Default::default()
    };
    let said = run(&mut a, &clock, WorkEffect::AddActivity { fields, participants: Vec::new() });
    assert!(said.contains("夜间治安巡逻"), "{said}");
    let activity = a.activity_rows()[0].id.clone();

    // The trainer's laptop takes the documents along; both go offline.
    let mut b = Store::open(db.path()).unwrap();
    sync_all(&mut a, &mut b);
    b.set_home(&RecordId::from(FED)).unwrap();

    let log = |names: &[&str]| {
        WorkEffect::LogParticipants(LogParticipants {
            activity: activity.clone(),
            participants: names.iter().map(|n| Participant { person: Ref::from(*n), hours: None }).collect(),
            create_missing: true,
        })
    };
    let on_a = run(&mut a, &clock, log(&["李建华", "张新来", "王芳"]));
    assert!(on_a.contains("新增志愿者") && on_a.contains("张新来"), "{on_a}");
    run(&mut b, &clock, log(&["李建华", " 张新来", "赵磊"]));

    sync_all(&mut a, &mut b);
    for s in [&mut a, &mut b] {
        let merged = s.activity(&activity).unwrap();
        let names: Vec<String> = merged
            .participants
            .keys()
            .map(|id| s.get::<Person>(id).unwrap().map(|p| p.name).unwrap_or_default())
            .collect();
        assert_eq!(merged.participants.len(), 4, "李建华 and 张新来 once each: {names:?}");
        assert_eq!(merged.volunteer_hours(), 8.0, "two hours each, from the activity's times");
        let walk_in = people_named(s, "张新来");
        assert_eq!(walk_in.len(), 1, "one 张新来, not two namesakes");
        let conflicts = s.conflicts::<Person>(&walk_in[0].id).unwrap();
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(walk_in[0].organization.as_ref(), Some(&org.id), "a volunteer of the lead organization");
    }
}

#[test]
fn a_refused_participant_leaves_no_activity_to_enter_twice() {
    let clock = FixedClock::on(2025, 11, 4);
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.init_federation(&federation()).unwrap();
    let org = Organization::new("玉林社区平安巡逻队", Category::ResidentServices, LegalStatus::Filed, "510104016001");
    s.insert(&org).unwrap();
    // Two people named 刘娟: a name alone cannot say which one came.
    s.insert(&Person::new("刘娟")).unwrap();
    s.insert(&Person::new("刘娟")).unwrap();
    let fields = ActivityFields {
        organizations: vec![Ref::from(&org.id)],
        title: Some("垃圾分类入户宣传".into()),
        kind: Some(ActivityKind::WasteSorting),
        ..Default::default()
    };
    let participants = vec![
        Participant { person: Ref::from("新来的志愿者"), hours: Some(2.0) },
        Participant { person: Ref::from("刘娟"), hours: Some(2.0) },
    ];
    let error = refused(&mut s, &clock, WorkEffect::AddActivity { fields, participants });
    assert!(error.contains("刘娟"), "the namesake is named: {error}");
    assert!(s.activity_rows().is_empty(), "nothing written");
    assert!(people_named(&s, "新来的志愿者").is_empty(), "nobody created");
}

#[test]
fn an_activity_at_a_venue_is_linked_to_the_organizations_booking_that_day() {
    let clock = FixedClock::on(2025, 11, 4);
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.init_federation(&federation()).unwrap();
    let org = Organization::new("玉林社区平安巡逻队", Category::ResidentServices, LegalStatus::Filed, "510104016001");
    let other = Organization::new("玉林社区合唱团", Category::CultureSports, LegalStatus::Filed, "510104016001");
    s.insert(&org).unwrap();
    s.insert(&other).unwrap();
    let hall = Venue::new("玉林社区党群服务中心");
    s.insert(&hall).unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 11, 4).unwrap();
    let booking = |o: &Organization, start: &str| Booking {
        id: RecordId::random(),
        venue: hall.id.clone(),
        organization: Some(o.id.clone()),
        date: day,
        start: start.into(),
        end: "12:00".into(),
        purpose: String::new(),
        expected: None,
        status: BookingStatus::Confirmed,
    };
    let ours = booking(&org, "09:00");
    s.insert(&ours).unwrap();
    s.insert(&booking(&other, "10:00")).unwrap();
    let fields = |venue: &Venue| ActivityFields {
        organizations: vec![Ref::from(&org.id)],
        title: Some("防诈骗宣传".into()),
        kind: Some(ActivityKind::Lecture),
        venue: Some(Ref::from(&venue.id)),
        ..Default::default()
    };
    run(&mut s, &clock, WorkEffect::AddActivity { fields: fields(&hall), participants: Vec::new() });
    let id = s.activity_rows()[0].id.clone();
    assert_eq!(s.activity(&id).unwrap().booking, Some(ours.id), "its own booking, not the other organization's");
}

/// Runs effects as the UI's runner does, feeding the answers back.
fn drive(app: &mut hubsync::tui::app::App, s: &mut Store, clock: &FixedClock, effects: Vec<Effect>) {
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        if let Some(event) = execute(s, clock, effect, app.lang) {
            queue.extend(app.update(event));
        }
    }
}

fn press(app: &mut hubsync::tui::app::App, code: crossterm::event::KeyCode) -> Vec<Effect> {
    app.update(Event::Key(crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)))
}

fn type_text(app: &mut hubsync::tui::app::App, text: &str) {
    for c in text.chars() {
        press(app, crossterm::event::KeyCode::Char(c));
    }
}

#[test]
fn a_ledger_imported_from_the_activities_tab_is_edited_on_two_laptops_and_the_conflict_resolved() {
    use crossterm::event::KeyCode;
    use hubsync::tui::app::{App, Mode, Tab};
    let clock = FixedClock::on(2026, 4, 1);
    let (da, db) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut a = Store::open(da.path()).unwrap();
    a.init_federation(&federation()).unwrap();
    let patrol =
        Organization::new("玉林社区平安巡逻队", Category::ResidentServices, LegalStatus::Filed, "510104016001");
    a.insert(&patrol).unwrap();

    // A township's ledger from Excel: GBK, CRLF, a title row, 序号; line 5 names nobody on the roster.
    let ledger = "玉林街道社区社会组织活动台账(2026年第一季度),,,,,\r\n\
                  序号,组织名称,活动时间,活动名称,活动类型,参与人数\r\n\
                  1,玉林社区平安巡逻队,2026年3月7日 19:00-21:00,夜间治安巡逻,治安巡逻,12\r\n\
                  2,玉林社区平安巡逻队,2026/3/14 9:00,垃圾分类入户宣传,垃圾分类,8人\r\n\
                  3,不存在的舞蹈队,2026/3/21,广场舞展演,文体活动,40\r\n";
    let file = da.path().join("活动台账.csv");
    std::fs::write(&file, encoding_rs::GBK.encode(ledger).0).unwrap();

    let mut app = App::new(Lang::Zh, chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
    let start = app.start();
    drive(&mut app, &mut a, &clock, start);
    press(&mut app, KeyCode::Char('7'));
    assert_eq!(app.tab, Tab::Activities);
    press(&mut app, KeyCode::F(12));
    assert!(matches!(&app.mode, Mode::Form(f) if f.title.0 == "导入活动台账(CSV/XLSX)"), "F12 imports activities");
    type_text(&mut app, file.to_str().unwrap());
    let check = press(&mut app, KeyCode::F(2));
    drive(&mut app, &mut a, &clock, check);
    let Mode::ImportPreview(preview) = &app.mode else { panic!("the dry run's preview: {:?}", app.mode) };
    assert_eq!((preview.checked.report.valid, preview.checked.report.invalid_lines.clone()), (2, vec![5]));
    assert!(a.activity_rows().is_empty(), "a dry run writes nothing");
    // Import all is refused while a line is wrong; F4 takes the valid ones.
    let all = press(&mut app, KeyCode::Enter);
    drive(&mut app, &mut a, &clock, all);
    assert!(a.activity_rows().is_empty(), "all or nothing");
    assert!(app.messages.last().is_some_and(|(error, _)| *error), "the refusal is said: {:?}", app.messages);
    // Checked again, then only the valid rows.
    press(&mut app, KeyCode::F(12));
    type_text(&mut app, file.to_str().unwrap());
    let check = press(&mut app, KeyCode::F(2));
    drive(&mut app, &mut a, &clock, check);
    let valid = press(&mut app, KeyCode::F(4));
    drive(&mut app, &mut a, &clock, valid);
    assert_eq!(a.activity_rows().len(), 2, "{:?}", app.messages);

    // The office PC and a field laptop edit the same activity offline.
    let mut b = Store::open(db.path()).unwrap();
    sync_all(&mut a, &mut b);
    b.set_home(&RecordId::from(FED)).unwrap();
    let patrol_night = a.activity_rows().iter().find(|r| r.title == "夜间治安巡逻").unwrap().id.clone();
    let edit = |title: &str| WorkEffect::EditActivity {
        id: patrol_night.clone(),
        fields: ActivityFields { title: Some(title.into()), ..Default::default() },
    };
    // On the PC through the edit form.
    drive(&mut app, &mut a, &clock, vec![Effect::LoadAll]);
    let at = app.views[Tab::Activities].iter().position(|i| app.data.activities[*i].id == patrol_night).unwrap();
    while app.selected[Tab::Activities] < at {
        let load = press(&mut app, KeyCode::Down);
        drive(&mut app, &mut a, &clock, load);
    }
    let open = press(&mut app, KeyCode::Enter);
    drive(&mut app, &mut a, &clock, open);
    assert_eq!(
        match &app.mode {
            Mode::Form(f) => f.value("title").to_string(),
            other => panic!("{other:?}"),
        },
        "夜间治安巡逻"
    );
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "夜间巡逻");
    let save = press(&mut app, KeyCode::F(2));
    assert_eq!(save, vec![Effect::Work(Box::new(edit("夜间巡逻")))], "only the title is sent");
    drive(&mut app, &mut a, &clock, save);
    assert_eq!(a.activity(&patrol_night).unwrap().title, "夜间巡逻");
    run(&mut b, &clock, edit("夜间治安巡逻(一组)"));

    sync_all(&mut a, &mut b);
    drive(&mut app, &mut a, &clock, vec![Effect::LoadAll]);
    assert_eq!(app.derived.conflict_counts[Tab::Activities], 1, "{:?}", app.data.conflicted);
    let (_, conflicts) = app.activity_detail().expect("the selected activity read again");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, "title");
    press(&mut app, KeyCode::F(7));
    assert!(app.mode.picking_for(|p| matches!(p, hubsync::tui::picker::PickFor::Resolve { .. })));
    let choice = app.conflict_choices()[0].value.clone();
    let resolve = press(&mut app, KeyCode::Enter);
    drive(&mut app, &mut a, &clock, resolve);
    let kept = a.activity(&patrol_night).unwrap().title;
    assert_eq!(serde_json::Value::from(kept.clone()), choice);
    assert!(a.conflicts::<Activity>(&patrol_night).unwrap().is_empty(), "resolved: {kept}");
    assert!(app.data.conflicted.is_empty());
}

//! The user actions themselves (src/ops), at fixed dates: what both the
//! command line and the terminal UI do when a secretary acts.

use hubsync::domain::*;
use hubsync::ops::{self, Env, FixedClock, OpError};
use hubsync::store::{Store, StoreError};
use tempfile::TempDir;

fn federation() -> Federation {
    Federation {
        id: RecordId::random(),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    }
}

/// A store with a federation, two organizations (one without a Party
/// branch), a person and a training with one afternoon session.
struct World {
    _dir: TempDir,
    store: Store,
    uncovered: Organization,
    covered: Organization,
    person: Person,
    training: Training,
    session: RecordId,
}

fn world() -> World {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&federation()).unwrap();
    let uncovered = Organization::new("水井坊社区 老年协会", Category::Charity, LegalStatus::Filed, "510104");
    let mut covered = Organization::new("合江亭社区志愿者服务队", Category::Charity, LegalStatus::Filed, "510104");
    covered.party_status = PartyStatus::Own;
    store.insert(&uncovered).unwrap();
    store.insert(&covered).unwrap();
    let mut person = Person::new("陈洋");
    person.organization = Some(covered.id.clone());
    store.insert(&person).unwrap();
    let session = RecordId::random();
    let mut training = Training {
        id: RecordId::random(),
        title: "社会组织财务规范培训".into(),
        format: TrainingFormat::Demonstration,
        topics: Vec::new(),
        audience: Vec::new(),
        trainer: String::new(),
        venue: None,
        sessions: Default::default(),
    };
    training.sessions.insert(
        session.clone(),
        Session {
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            start: "14:00".into(),
            end: "16:30".into(),
            venue: None,
        },
    );
    store.insert(&training).unwrap();
    World { _dir: dir, store, uncovered, covered, person, training, session }
}

fn clock() -> FixedClock {
    FixedClock::on(2026, 3, 2)
}

#[test]
fn assigning_to_an_uncovered_organization_covers_it_by_the_assignment_alone() {
    let mut w = world();
    let clock = clock();
    // Named as a secretary types: full-width space, the person by name.
    let cmd = ops::liaisons::Assign {
        person: " 陈洋 ".into(),
        org: "水井坊社区　老年协会".into(),
        role: ops::liaisons::parse_role("联络员").unwrap(),
        from: None,
        dispatched_by: " 水井坊街道党工委 ".into(),
    };
    let done = ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert!(done.now_dispatched);
    assert_eq!(done.org_name, "水井坊社区 老年协会");
    assert_eq!(done.assignment.from, clock.0.date(), "no start date given: the clock's today");
    assert_eq!(done.assignment.dispatched_by, "水井坊街道党工委");
    // The recorded status stays: coverage by dispatch follows the assignment
    // (issue 9 point 8), so ending it lowers coverage again.
    let org: Organization = w.store.get(&w.uncovered.id).unwrap().unwrap();
    assert_eq!(org.party_status, PartyStatus::Uncovered);
    assert_eq!(w.store.get::<LiaisonAssignment>(&done.assignment.id).unwrap(), Some(done.assignment));

    // An organization with its own branch keeps it.
    let cmd = ops::liaisons::Assign {
        person: (&w.person.id).into(),
        org: (&w.covered.id).into(),
        role: AssignmentRole::Instructor,
        from: None,
        dispatched_by: String::new(),
    };
    let done = ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert!(!done.now_dispatched);
    assert_eq!(w.store.get::<Organization>(&w.covered.id).unwrap().unwrap().party_status, PartyStatus::Own);
}

#[test]
fn a_failed_write_inside_atomically_leaves_nothing_behind_even_after_reopening() {
    let dir = TempDir::new().unwrap();
    let org = Organization::new("望江楼社区读书会", Category::Charity, LegalStatus::Filed, "510104");
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.init_federation(&federation()).unwrap();
        let r: Result<(), StoreError> = store.atomically(|s| {
            s.insert(&org)?;
            // The second write of the rule fails: the first must not stay.
            s.update(&Person::new("不存在的人"))?;
            Ok(())
        });
        assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
        assert_eq!(store.get::<Organization>(&org.id).unwrap(), None);
        // The name is free again: the index forgot the rolled-back insert.
        assert_eq!(store.org_name_exists("望江楼社区读书会"), None);
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.get::<Organization>(&org.id).unwrap(), None);
}

#[test]
fn ending_an_assignment_before_it_began_names_the_field() {
    let mut w = world();
    let clock = clock();
    let cmd = ops::liaisons::Assign {
        person: "陈洋".into(),
        org: "合江亭社区志愿者服务队".into(),
        role: AssignmentRole::Liaison,
        from: Some(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
        dispatched_by: String::new(),
    };
    let a = ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd).unwrap().assignment;
    let early = ops::liaisons::End {
        assignment: (&a.id).into(),
        to: chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        reason: "调任".into(),
    };
    let err = ops::liaisons::end(&mut Env::new(&mut w.store, &clock), early).unwrap_err();
    assert_eq!(err.fields(), vec!["to"], "{err}");
    let end = ops::liaisons::End { assignment: (&a.id).into(), to: clock.0.date(), reason: " 调任 ".into() };
    let done = ops::liaisons::end(&mut Env::new(&mut w.store, &clock), end).unwrap();
    assert_eq!(done.assignment.to, Some(clock.0.date()));
    assert_eq!(done.assignment.end_reason, "调任");
    assert_eq!(done.org_name, "合江亭社区志愿者服务队");
}

#[test]
fn exiting_needs_a_reason_and_keeps_the_record() {
    let mut w = world();
    let clock = clock();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    let cmd = ops::orgs::Exit { org: "水井坊社区老年协会".into(), date: day, reason: "  ".into(), kind: None };
    let err = ops::orgs::exit(&mut Env::new(&mut w.store, &clock), cmd).unwrap_err();
    assert_eq!(err.fields(), vec!["exit_reason"]);
    let cmd = ops::orgs::Exit {
        org: "水井坊社区老年协会".into(),
        date: day,
        reason: "负责人迁出,活动停止".into(),
        kind: Some(ExitKind::Dissolved),
    };
    let done = ops::orgs::exit(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert_eq!(done.org.lifecycle, Lifecycle::Exited);
    let stored: Organization = w.store.get(&w.uncovered.id).unwrap().unwrap();
    assert_eq!((stored.exit_date, stored.exit_reason.as_str()), (Some(day), "负责人迁出,活动停止"));
    assert_eq!(stored.exit_kind, Some(ExitKind::Dissolved));
}

#[test]
fn references_that_match_nothing_or_several_say_so() {
    let mut w = world();
    let clock = clock();
    let twin = Person::new("陈洋");
    w.store.insert(&twin).unwrap();
    let cmd = |person: &str| ops::liaisons::Assign {
        person: person.into(),
        org: "合江亭社区志愿者服务队".into(),
        role: AssignmentRole::Liaison,
        from: None,
        dispatched_by: String::new(),
    };
    match ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd("陈洋")) {
        Err(OpError::Ambiguous { kind: Collection::People, ids, .. }) => assert_eq!(ids.len(), 2),
        other => panic!("{other:?}"),
    }
    match ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd("陈阳")) {
        Err(e @ OpError::NotFound { kind: Collection::People, .. }) => assert!(e.to_string().contains("陈阳")),
        other => panic!("{other:?}"),
    }
    // The id always works.
    assert!(ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd(twin.id.as_str())).is_ok());
}

#[test]
fn sessions_and_sign_in_use_the_clock_and_check_hours() {
    let mut w = world();
    let clock = FixedClock(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(13, 52, 0).unwrap());
    let cmd = ops::trainings::AddSession {
        training: "社会组织财务规范培训".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
        start: "9:00".into(),
        end: "25:00".into(),
        venue: None,
    };
    let err = ops::trainings::add_session(&mut Env::new(&mut w.store, &clock), cmd.clone()).unwrap_err();
    assert_eq!(err.fields(), vec!["end"], "{err}");
    let done = ops::trainings::add_session(
        &mut Env::new(&mut w.store, &clock),
        ops::trainings::AddSession { end: "11:30".into(), ..cmd },
    )
    .unwrap();
    assert_eq!((done.session.start.as_str(), done.session.end.as_str()), ("09:00", "11:30"));
    let t: Training = w.store.get(&w.training.id).unwrap().unwrap();
    assert_eq!(t.sessions.len(), 2);

    let sign = |hours| ops::trainings::SignIn {
        training: (&w.training.id).into(),
        session: w.session.clone(),
        person: "陈洋".into(),
        hours,
        org: None,
        correct: false,
    };
    let err = ops::trainings::sign_in(&mut Env::new(&mut w.store, &clock), sign(Some(3.0))).unwrap_err();
    assert_eq!(err.fields(), vec!["hours"], "the session is 2.5 hours: {err}");
    let first = ops::trainings::sign_in(&mut Env::new(&mut w.store, &clock), sign(None)).unwrap();
    assert!(!first.again);
    assert_eq!(first.attendance.signed_in, Some(clock.0));
    assert_eq!(first.attendance.hours, 2.5);
    assert_eq!(first.attendance.organization, Some(w.covered.id.clone()), "the person's own organization");
    // A repeat is refused, saying when the first was, and changes nothing.
    let later = FixedClock(clock.0 + chrono::Duration::minutes(40));
    let err = ops::trainings::sign_in(&mut Env::new(&mut w.store, &later), sign(Some(2.0))).unwrap_err();
    assert_eq!(err.fields(), vec!["person"]);
    assert!(err.to_string().contains("已于") && err.to_string().contains("already signed in"), "{err}");
    assert_eq!(w.store.all::<Attendance>().unwrap(), vec![first.attendance.clone()]);
    // Correcting the hours is said as such.
    let fix = ops::trainings::SignIn { correct: true, ..sign(Some(2.0)) };
    let again = ops::trainings::sign_in(&mut Env::new(&mut w.store, &later), fix).unwrap();
    assert!(again.again);
    assert_eq!(again.attendance.hours, 2.0);
    assert_eq!(again.attendance.signed_in, Some(clock.0), "the first sign-in's time stays");
    assert_eq!(w.store.all::<Attendance>().unwrap(), vec![again.attendance]);
}

#[test]
fn a_walk_in_is_added_and_signed_in_in_one_write_or_not_at_all() {
    let mut w = world();
    let clock = clock();
    let mut person = Person::new(" 王新来 ");
    person.phone = "137 0000 1111".into();
    person.organization = Some(w.covered.id.clone());
    let cmd = ops::trainings::WalkIn { training: (&w.training.id).into(), session: w.session.clone(), person };
    let done = ops::trainings::walk_in(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert_eq!((done.person.name.as_str(), done.person.phone.as_str()), ("王新来", "13700001111"));
    let stored = w.store.get::<Attendance>(&done.attendance.id).unwrap().expect("signed in");
    assert_eq!((stored.person, stored.hours), (done.person.id.clone(), 2.5), "credited the session's length");
    assert_eq!(stored.organization, Some(w.covered.id.clone()));
    assert!(w.store.get::<Person>(&done.person.id).unwrap().is_some(), "added to the roster");

    // A bad phone refuses the whole walk-in: no person without attendance.
    let mut person = Person::new("李未知");
    person.phone = "电话待补".into();
    let cmd = ops::trainings::WalkIn { training: (&w.training.id).into(), session: w.session.clone(), person };
    let err = ops::trainings::walk_in(&mut Env::new(&mut w.store, &clock), cmd).unwrap_err();
    assert_eq!(err.fields(), vec!["phone"], "{err}");
    let names: Vec<String> = w.store.all::<Person>().unwrap().into_iter().map(|p| p.name).collect();
    assert!(!names.contains(&"李未知".to_string()), "{names:?}");
}

#[test]
fn demo_data_is_compacted_and_vacuumed_while_the_store_stays_open_and_writable() {
    let dir = TempDir::new().unwrap();
    let clock = clock();
    let org = {
        let mut store = Store::open(dir.path()).unwrap();
        let done =
            ops::demo::load(&mut Env::new(&mut store, &clock), ops::demo::LoadDemo { seed: 7, orgs: 40, today: None })
                .unwrap();
        assert_eq!(done.orgs, 40);
        assert!(done.bytes_after < done.bytes_before, "{} -> {}", done.bytes_before, done.bytes_after);
        // The store goes on after its database was swapped underneath it.
        let org = Organization::new("新鸿社区书画社", Category::CultureSports, LegalStatus::Filed, "510104");
        ops::records::add(&mut Env::new(&mut store, &clock), org.clone()).unwrap();
        // A second load is refused: one federation per data directory.
        let again =
            ops::demo::load(&mut Env::new(&mut store, &clock), ops::demo::LoadDemo { seed: 7, orgs: 40, today: None });
        assert!(matches!(again, Err(OpError::Store(StoreError::AlreadyInitialized(_)))));
        org
    };
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.get::<Organization>(&org.id).unwrap().map(|o| o.name), Some(org.name));
    assert_eq!(store.counts().iter().find(|(c, _)| *c == Collection::Orgs).unwrap().1, 41);
}

/// Issue 9 point 6 on a single write: the importer refused a second holder
/// of a credit code or of a township's filing number, a form did not.
#[test]
fn a_credit_code_or_a_townships_filing_number_held_by_another_organization_is_refused_by_field() {
    let mut w = world();
    let clock = clock();
    let mut first =
        Organization::new("玉林社区夕阳红舞蹈队", Category::CultureSports, LegalStatus::Registered, "510104020001");
    first.credit_code = "51420000MJH200395N".into();
    let mut filed = Organization::new("玉林社区读书会", Category::CultureSports, LegalStatus::Filed, "510104020002");
    filed.filing_number = "玉林备001".into();
    ops::records::add(&mut Env::new(&mut w.store, &clock), first.clone()).unwrap();
    ops::records::add(&mut Env::new(&mut w.store, &clock), filed.clone()).unwrap();

    // A new organization with the same code, written lower-case with spaces
    // as it is typed: refused, the field named, nothing written.
    let mut copy =
        Organization::new("玉林社区舞蹈协会", Category::CultureSports, LegalStatus::Registered, "510104020003");
    copy.credit_code = "51420000MJH200395N".into();
    let err = ops::records::add(&mut Env::new(&mut w.store, &clock), copy.clone()).unwrap_err();
    assert_eq!(err.fields(), vec!["credit_code"], "{err}");
    assert!(err.to_string().contains("玉林社区夕阳红舞蹈队"), "names the holder: {err}");
    assert_eq!(w.store.get::<Organization>(&copy.id).unwrap(), None);

    // Same filing number in the same township (the 9-digit prefix): refused.
    let mut same_town =
        Organization::new("玉林社区书法队", Category::CultureSports, LegalStatus::Filed, "510104020004");
    same_town.filing_number = "玉林备001".into();
    let err = ops::records::add(&mut Env::new(&mut w.store, &clock), same_town.clone()).unwrap_err();
    assert_eq!(err.fields(), vec!["filing_number"], "{err}");
    assert!(err.to_string().contains("玉林社区读书会"), "{err}");
    // In another township the same number is someone else's numbering: fine.
    let mut other_town = same_town.clone();
    other_town.division = "510104021001".into();
    ops::records::add(&mut Env::new(&mut w.store, &clock), other_town.clone()).unwrap();

    // Editing an organization to take another's code is refused too; saving
    // an organization with its own code unchanged is not.
    let mut edited: Organization = w.store.get(&w.covered.id).unwrap().unwrap();
    edited.credit_code = "51420000MJH200395N".into();
    edited.legal_status = LegalStatus::Registered;
    let err = ops::records::edit(&mut Env::new(&mut w.store, &clock), edited).unwrap_err();
    assert_eq!(err.fields(), vec!["credit_code"], "{err}");
    first.members = Some(40);
    ops::records::edit(&mut Env::new(&mut w.store, &clock), first).unwrap();
    let mut moved = other_town;
    moved.division = "510104020009".into();
    let err = ops::records::edit(&mut Env::new(&mut w.store, &clock), moved).unwrap_err();
    assert_eq!(err.fields(), vec!["filing_number"], "moving into the township that uses the number: {err}");
}

/// Two organizations holding one credit code, as a peer's roster can bring
/// them (the check runs on this node's writes only): an edit that keeps the
/// numbers adds no clash and is saved; taking the number again is refused.
#[test]
fn an_edit_that_keeps_the_numbers_is_saved_beside_a_clash_that_came_by_sync() {
    let mut w = world();
    let clock = clock();
    let mut ours =
        Organization::new("玉林社区夕阳红舞蹈队", Category::CultureSports, LegalStatus::Registered, "510104020001");
    ours.credit_code = "51420000MJH200395N".into();
    ops::records::add(&mut Env::new(&mut w.store, &clock), ours.clone()).unwrap();
    let mut theirs =
        Organization::new("玉林社区舞蹈协会", Category::CultureSports, LegalStatus::Registered, "510104020003");
    theirs.credit_code = "51420000MJH200395N".into();
    w.store.insert(&theirs).unwrap();

    ours.address = "玉林北路2号".into();
    ops::records::edit(&mut Env::new(&mut w.store, &clock), ours.clone()).unwrap();
    assert_eq!(w.store.get::<Organization>(&ours.id).unwrap().unwrap().address, "玉林北路2号");

    // Written again with other spacing and case it is the same number.
    ours.credit_code = " 51420000mjh200395n ".into();
    ops::records::edit(&mut Env::new(&mut w.store, &clock), ours.clone()).unwrap();
    // A third organization taking it is refused, as is one moving into it.
    let mut third = Organization::new("玉林社区书法队", Category::CultureSports, LegalStatus::Filed, "510104020004");
    ops::records::add(&mut Env::new(&mut w.store, &clock), third.clone()).unwrap();
    third.credit_code = "51420000MJH200395N".into();
    third.legal_status = LegalStatus::Registered;
    let err = ops::records::edit(&mut Env::new(&mut w.store, &clock), third).unwrap_err();
    assert!(err.fields().iter().all(|f| *f == "credit_code"), "{err}");
    assert!(
        err.to_string().contains("玉林社区夕阳红舞蹈队") && err.to_string().contains("玉林社区舞蹈协会"),
        "both holders: {err}"
    );
}

#[test]
fn forgetting_a_person_plans_first_then_clears_and_names_the_peers_holding_them() {
    let mut w = world();
    let clock = clock();
    let peer_dir = TempDir::new().unwrap();
    let peer = hubsync::sync::Identity::load_or_create(peer_dir.path()).unwrap().node_id;
    let dir = w.store.dir().to_path_buf();
    ops::peers::add(&dir, ops::peers::AddPeer { node_id: peer, name: "成都市联合会".into(), addr: None }).unwrap();
    let grant =
        ops::peers::Share { peer: "成都市联合会".into(), key: "*".into(), grant: hubsync::sync::Grant::Read };
    ops::peers::share(&dir, grant).unwrap();

    let cmd = ops::people::Forget { person: "陈洋".into(), confirmed: false };
    let plan = ops::people::forget(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert!(!plan.done);
    assert_eq!(plan.person, w.person.id);
    assert!(plan.plan.cleared[0].fields.contains(&"name"), "{:?}", plan.plan);
    assert_eq!(plan.shared_with, ["成都市联合会"]);
    assert_eq!(w.store.get::<Person>(&w.person.id).unwrap().unwrap().name, "陈洋", "unconfirmed: nothing changed");

    let cmd = ops::people::Forget { person: (&w.person.id).into(), confirmed: true };
    let done = ops::people::forget(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert!(done.done);
    let kept = w.store.get::<Person>(&w.person.id).unwrap().unwrap();
    assert_eq!(kept.name, done.plan.placeholder, "the record stays under a placeholder");
    let again = ops::people::forget(
        &mut Env::new(&mut w.store, &clock),
        ops::people::Forget { person: "陈洋".into(), confirmed: true },
    );
    assert!(matches!(again, Err(OpError::NotFound { .. })), "the name is gone: {:?}", again.map(|d| d.plan));
}

/// `org list` filters the list rows and reads in full only what it shows:
/// the same organizations, in the same order, as filtering every record in
/// full; `total` counts past the limit; an edit shows at once; `uncovered`
/// follows the assignments in force today.
#[test]
fn the_org_list_filters_rows_and_reads_in_full_only_what_it_shows() {
    use hubsync::domain::query::{OrgFilter, OrgRow};
    let mut w = world();
    let clock = clock();
    // Thirty alike in two townships.
    for i in 0..30 {
        let township = if i % 2 == 0 { "510104001" } else { "510104002" };
        let mut o = Organization::new(&format!("和平社区 志愿服务队{i:02}"), Category::Charity, LegalStatus::Filed, "");
        o.division = format!("{township}{:03}", 1 + i % 7);
        o.filing_number = format!("JJ-{i}");
        w.store.insert(&o).unwrap();
    }
    let all: Vec<Organization> = w.store.all_readable().0;
    let list = |store: &mut Store, filter: OrgFilter, limit| {
        ops::orgs::list(&mut Env::new(store, &clock), ops::orgs::ListOrgs { filter, limit }).unwrap()
    };
    for filter in [
        OrgFilter { text: "和平 hpsq".into(), ..Default::default() },
        OrgFilter { text: "志愿".into(), division_prefix: "510104002".into(), ..Default::default() },
        OrgFilter { lifecycle: Some(Lifecycle::Active), ..Default::default() },
    ] {
        let mut expected: Vec<&Organization> = all.iter().filter(|o| filter.matches(&OrgRow::from_org(o))).collect();
        expected.sort_by(|a, b| (&a.division, &a.name).cmp(&(&b.division, &b.name)));
        let listed = list(&mut w.store, filter.clone(), Some(4));
        assert_eq!(listed.total, expected.len(), "{filter:?}");
        assert!(listed.total > 4, "the limit cuts: {filter:?}");
        let shown: Vec<&Organization> = listed.orgs.iter().map(|(o, _)| o).collect();
        // Namesakes in one division may come in either order: compare the sets of each (division, name).
        let key = |o: &&Organization| (o.division.clone(), o.name.clone());
        assert_eq!(shown.iter().map(key).collect::<Vec<_>>(), expected[..4].iter().map(key).collect::<Vec<_>>());
        assert!(shown.iter().all(|o| all.contains(o)), "read in full, every field");
        assert!(listed.orgs.iter().all(|(_, fed)| listed.federations.contains_key(fed)));
    }
    // An edit shows at once (the rows of its document are read again).
    let mut renamed = w.covered.clone();
    renamed.name = "合江亭社区 邻里守望队".into();
    w.store.update(&renamed).unwrap();
    let found = list(&mut w.store, OrgFilter { text: "邻里守望".into(), ..Default::default() }, None);
    assert_eq!(found.orgs.iter().map(|(o, _)| o.id.clone()).collect::<Vec<_>>(), vec![w.covered.id.clone()]);

    // Uncovered: no Party organization and no assignment in force today.
    let uncovered = |store: &mut Store| {
        let filter = OrgFilter { text: "老年协会".into(), uncovered: true, ..Default::default() };
        list(store, filter, None).total
    };
    assert_eq!(uncovered(&mut w.store), 1);
    let cmd = ops::liaisons::Assign {
        person: (&w.person.id).into(),
        org: (&w.uncovered.id).into(),
        role: AssignmentRole::Liaison,
        from: None,
        dispatched_by: String::new(),
    };
    ops::liaisons::assign(&mut Env::new(&mut w.store, &clock), cmd).unwrap();
    assert_eq!(uncovered(&mut w.store), 0, "covered by the assignment in force");
}

/// The report is kept until a document changes: asked again, it is the same
/// (the kept one, shared, not a copy);
/// after an edit (here an organization leaving the uncovered list by getting
/// a Party branch), or at another date, it is computed anew.
#[test]
fn a_repeated_report_is_the_same_and_an_edit_or_another_date_computes_it_anew() {
    let mut w = world();
    let today = clock().0.date();
    let (first, _) = w.store.report(today);
    assert!(first.uncovered.iter().any(|o| o.id == w.uncovered.id));
    let (again, _) = w.store.report(today);
    assert_eq!(first, again);
    assert!(std::sync::Arc::ptr_eq(&first, &again), "the kept report, not a copy");
    let mut branch = w.uncovered.clone();
    branch.party_status = PartyStatus::Own;
    w.store.update(&branch).unwrap();
    let (after, _) = w.store.report(today);
    assert!(!after.uncovered.iter().any(|o| o.id == w.uncovered.id), "the edit shows");
    let later = today + chrono::Duration::days(40);
    assert_eq!(w.store.report(later).0.as_of, later);
}

/// A record a peer broke (a category no version knows) is named and left out
/// of `org list`, and takes no place under the limit.
#[test]
fn a_broken_record_is_named_and_left_out_of_the_org_list_without_taking_a_place() {
    use hubsync::domain::query::OrgFilter;
    let mut w = world();
    let clock = clock();
    let doc = w.store.locate(Collection::Orgs, &w.uncovered.id).unwrap();
    let actor = automerge::ActorId::random();
    w.store.forge_under(&doc, actor, w.uncovered.id.as_str(), "category", "bogus").unwrap();
    // Sorted by name: 合江亭…, then the broken 水井坊社区 老年协会, then this one.
    let dancers = Organization::new("水井坊社区 舞蹈队", Category::CultureSports, LegalStatus::Filed, "510104");
    w.store.insert(&dancers).unwrap();
    // Two wanted: only the readable one comes back, and the count says one.
    let listed = ops::orgs::list(
        &mut Env::new(&mut w.store, &clock),
        ops::orgs::ListOrgs { filter: OrgFilter::default(), limit: Some(2) },
    )
    .unwrap();
    assert_eq!(
        listed.orgs.iter().map(|(o, _)| o.id.clone()).collect::<Vec<_>>(),
        vec![w.covered.id.clone(), dancers.id.clone()],
        "the broken one takes no place"
    );
    assert_eq!(listed.total, 2, "and is not counted: {listed:?}");
    assert_eq!(listed.unreadable.len(), 1);
    assert_eq!(listed.unreadable[0].record.as_deref(), Some(w.uncovered.id.as_str()), "{:?}", listed.unreadable);
    assert_eq!(listed.unreadable[0].doc, doc.to_string());
    assert!(listed.unreadable[0].detail.contains("bogus"), "{:?}", listed.unreadable);
    // The report leaves it out and names it the same way.
    let (_, left_out) = ops::export::report(&Env::new(&mut w.store, &clock), hubsync::ops::Clock::today(&clock));
    assert!(left_out.iter().any(|u| u.record.as_deref() == Some(w.uncovered.id.as_str())), "{left_out:?}");
    let said = left_out[0].describe(hubsync::domain::Lang::En);
    assert!(said.contains("unreadable and left out") && !said.contains("无法"), "{said}");
}

/// `device add` and `device revoke` sign the authors list in the store; a
/// mistyped node id is refused by field, and a node without the list is
/// told so, typed.
#[test]
fn a_device_is_added_then_revoked_and_a_bad_id_or_no_list_is_refused_typed() {
    use hubsync::ops::devices::{self, DeviceChange, DeviceRole, SetDevice};
    use hubsync::sync::NodeId;
    let mut w = world();
    let clock = clock();
    let laptop = NodeId([9; 32]);
    let find = |d: &devices::Devices| d.devices.iter().find(|d| d.node == laptop).cloned();

    let mut env = Env::new(&mut w.store, &clock);
    let added =
        devices::set_device(&mut env, SetDevice { node_id: laptop.to_string(), change: DeviceChange::Add }).unwrap();
    assert_eq!(added.devices[0].role, DeviceRole::Founder, "{added:?}");
    let read = find(&devices::list(&mut env).unwrap()).expect("the device is on the list");
    assert_eq!((read.role, read.revoked), (DeviceRole::Owner, false));

    let revoked =
        devices::set_device(&mut env, SetDevice { node_id: laptop.to_string(), change: DeviceChange::Revoke }).unwrap();
    assert!(find(&revoked).unwrap().revoked);
    // Read back from the store as sync sends it, not from the outcome.
    let home = w.store.home().unwrap().to_string();
    assert!(hubsync::sync::authorship::load(&w.store, &home).unwrap().is_revoked(&laptop));

    let mut env = Env::new(&mut w.store, &clock);
    let bad = devices::set_device(&mut env, SetDevice { node_id: "ABC-123".into(), change: DeviceChange::Add });
    assert!(matches!(&bad, Err(e @ OpError::Invalid(_)) if e.fields() == ["node_id"]), "{bad:?}");
    assert_eq!(devices::list(&mut env).unwrap().devices.len(), 2, "nothing added by the bad id");

    // A store of no federation of its own holds no list to sign.
    let empty = TempDir::new().unwrap();
    let mut store = Store::open(empty.path()).unwrap();
    let refused = devices::set_device(
        &mut Env::new(&mut store, &clock),
        SetDevice { node_id: laptop.to_string(), change: DeviceChange::Add },
    );
    assert!(matches!(refused, Err(OpError::NoAuthorsList)), "{refused:?}");
}

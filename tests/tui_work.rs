//! Issues 11 and 12 in the TUI: the activities tab (quick entry with
//! participants, conditions, the major-report flow, work reports to the
//! 两委), the organization detail's recent work, the projects and
//! evaluation tab, the exit kind; all by F-keys, arrows and Enter, at 80x24.

#[path = "support/tui_app.rs"]
mod tui_app;

use crossterm::event::KeyCode;
use hubsync::domain::activity_query::quiet_orgs;
use hubsync::domain::demo::DemoData;
use hubsync::domain::ledger_report::ranking_by_township;
use hubsync::domain::*;
use hubsync::ops::activities::ActivityFields;
use hubsync::ops::Ref;
use hubsync::tui::app::{ActView, App, Effect, Event, Mode, Tab, WorkEffect};
use hubsync::tui::forms::FormKind;
use tui_app::*;

fn snapshot(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
}

fn work(effects: Vec<Effect>) -> WorkEffect {
    match effects.as_slice() {
        [Effect::Work(w)] => (**w).clone(),
        other => panic!("one work effect expected: {other:?}"),
    }
}

fn activities_tab() -> App {
    let mut app = loaded();
    app.update(key(KeyCode::Char('7')));
    assert_eq!(app.tab, Tab::Activities);
    app
}

/// Presses F6 until the activities tab shows `view`.
fn show(app: &mut App, view: ActView) {
    for _ in 0..5 {
        if app.work.act_view == view {
            return;
        }
        app.update(key(KeyCode::F(6)));
    }
    assert_eq!(app.work.act_view, view);
}

#[test]
fn the_activities_tab_lists_newest_first_and_f6_goes_through_its_lists() {
    let mut app = activities_tab();
    let shown: Vec<_> = app.views[Tab::Activities].iter().map(|i| app.data.activities[*i].date).collect();
    assert!(shown.len() > 20 && shown.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("7 活动") && screen.contains("8 项目/考核"), "{screen}");
    assert!(screen.contains("F4 新增") && screen.contains("F6 切换列表"), "the footer names the keys:\n{screen}");
    snapshot("activities", &mut app);
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.work.act_view, ActView::Due);
    assert!(!app.work.due.is_empty() && app.work.due.iter().any(|d| d.overdue), "the demo has overdue reports");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("重大活动待报告") && screen.contains("已逾期"), "{screen}");
    snapshot("major_reports_due", &mut app);
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.work.act_view, ActView::Reports);
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.work.act_view, ActView::Missing);
    assert!(render(&mut app, 80, 24).contains("2025年上半年"), "the period the list looks at is named");
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.work.act_view, ActView::Quiet);
    app.update(key(KeyCode::F(6)));
    assert_eq!(app.work.act_view, ActView::List);
}

#[test]
fn a_trainer_logs_an_activity_with_participants_in_a_few_keys() {
    let mut d = data();
    let org = d.orgs[0].clone();
    let mut zhu = Person::new("朱桂英");
    zhu.organization = Some(org.id.clone());
    d.people.push(zhu.clone());
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(d)));
    app.update(key(KeyCode::Char('7')));
    let mut keys = 0;
    let mut press = |app: &mut App, code: KeyCode| {
        keys += 1;
        app.update(key(code))
    };
    press(&mut app, KeyCode::F(4));
    assert!(matches!(&form(&app).kind, FormKind::Work(_)));
    assert_eq!(form(&app).value("date"), "2025-11-04", "the date defaults to the clock's today");
    // The organization from its picker, by pinyin initials.
    press(&mut app, KeyCode::F(6));
    typed(&mut app, &hubsync::domain::query::pinyin_initials(&org.name));
    press(&mut app, KeyCode::Enter);
    assert_eq!(form(&app).value("organization"), org.name);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "垃圾分类入户宣传");
    press(&mut app, KeyCode::Tab);
    for _ in 0..5 {
        press(&mut app, KeyCode::Right);
    }
    assert_eq!(form(&app).value("kind"), "垃圾分类");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "9:00");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "11点");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(form(&app).value("targets"), "全体居民");
    press(&mut app, KeyCode::Tab);
    // One participant picked (namesakes need the picker), two typed: one
    // nobody has the name of, added as a walk-in.
    press(&mut app, KeyCode::F(6));
    typed(&mut app, "zgy");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "、张新来");
    press(&mut app, KeyCode::F(6));
    typed(&mut app, "王大锤");
    press(&mut app, KeyCode::Enter);
    assert_eq!(form(&app).value("participants"), "朱桂英、张新来、王大锤");
    snapshot("activity_quick_entry", &mut app);
    let effect = work(press(&mut app, KeyCode::F(2)));
    assert!(keys < 45, "{keys} keys besides the typing");
    let WorkEffect::AddActivity { fields, participants } = effect else { panic!("{effect:?}") };
    assert_eq!(fields.organizations, vec![Ref::from(&org.id)]);
    assert_eq!((fields.date, fields.kind), (Some(today()), Some(ActivityKind::WasteSorting)));
    assert_eq!((fields.start.as_deref(), fields.end.as_deref()), (Some("09:00"), Some("11:00")));
    assert_eq!(fields.targets, Some(vec![TargetGroup::AllResidents]));
    assert_eq!(fields.major, None, "the federation's rule decides unless chosen");
    let people: Vec<&str> = participants.iter().map(|p| p.person.0.as_str()).collect();
    assert_eq!(people, vec![zhu.id.as_str(), "张新来", "王大锤"]);
}

#[test]
fn a_refused_activity_keeps_what_was_typed_and_esc_asks_first() {
    let mut app = activities_tab();
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "不存在的组织");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "25点");
    assert!(app.update(key(KeyCode::F(2))).is_empty());
    let f = form(&app);
    let errors: Vec<&str> = f.fields.iter().filter(|f| f.error.is_some()).map(|f| f.key).collect();
    assert_eq!(errors, vec!["organization", "title", "start"]);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("25点"), "the bad time is named:\n{screen}");
    assert!(app.messages.iter().any(|(e, m)| *e && m.contains("登记活动")), "the errors went to the history");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::ConfirmDiscard(_)));
    app.update(key(KeyCode::Esc));
    assert_eq!(form(&app).value("start"), "25点");
}

#[test]
fn conditions_narrow_the_list_by_type_and_major() {
    let mut app = activities_tab();
    app.update(key(KeyCode::F(11)));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Right));
    assert_eq!(form(&app).value("kind"), "志愿服务");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    app.update(key(KeyCode::Left));
    assert_eq!(form(&app).value("major_only"), "是");
    assert!(app.update(key(KeyCode::F(2))).is_empty(), "conditions are applied here, no store job");
    assert_eq!(app.mode, Mode::Browse);
    let shown: Vec<_> = app.views[Tab::Activities].iter().map(|i| &app.data.activities[*i]).collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|a| a.major && a.kind == Some(ActivityKind::VolunteerService)));
    assert!(render(&mut app, 80, 24).contains("条件 F11: 志愿服务 重大"));
    // The typed filter works with the conditions.
    app.update(key(KeyCode::F(3)));
    typed(&mut app, "zzzz");
    assert!(app.views[Tab::Activities].is_empty());
}

#[test]
fn the_major_report_flow_goes_due_reported_acknowledged() {
    let mut app = activities_tab();
    show(&mut app, ActView::Due);
    let due = app.selected_due().unwrap().clone();
    app.update(key(KeyCode::Enter));
    assert!(render(&mut app, 80, 24).contains("重大活动报告"));
    assert!(app.update(key(KeyCode::F(2))).is_empty(), "to whom is required");
    typed(&mut app, "玉林街道办事处");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Right));
    let WorkEffect::ReportMajor(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!() };
    assert_eq!((cmd.activity, cmd.to.as_str(), cmd.on), (due.activity, "玉林街道办事处", Some(today())));
    assert_eq!(cmd.via, ReportChannel::all()[1]);

    // A reported one asks who took note of it.
    let mut app = activities_tab();
    let at = app.views[Tab::Activities]
        .iter()
        .position(|i| app.data.activities[*i].report_status == Some(ReportStatus::Reported))
        .expect("the demo has reported activities");
    app.selected[Tab::Activities] = at;
    let id = app.selected_activity().unwrap().id.clone();
    app.update(key(KeyCode::F(8)));
    typed(&mut app, "社区党委 李书记");
    let effect = work(app.update(key(KeyCode::F(2))));
    assert_eq!(effect, WorkEffect::Acknowledge { activity: id, by: "社区党委 李书记".into(), on: today() });
}

#[test]
fn work_reports_are_reviewed_and_the_missing_are_reported_for() {
    let mut app = activities_tab();
    show(&mut app, ActView::Reports);
    let report = app.selected_work_report().unwrap().clone();
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Right));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "玉林社区两委");
    let WorkEffect::Review(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!() };
    assert_eq!((cmd.report, cmd.result, cmd.by.as_str()), (report.id, ReviewResult::Basically, "玉林社区两委"));
    assert_eq!(app.update(Event::Done(Ok("已记录评议".into()))), vec![Effect::LoadAll]);
    assert_eq!(app.mode, Mode::Browse);

    show(&mut app, ActView::Missing);
    let org = app.selected_missing().expect("the demo has organizations that did not report").clone();
    snapshot("work_reports_missing", &mut app);
    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("organization"), org.name);
    let WorkEffect::AddWorkReport(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!() };
    assert_eq!((cmd.org, cmd.period.as_str()), (Ref::from(&org.id), "2025-H1"));
    assert_eq!(cmd.committees, Committee::all().to_vec(), "both committees unless unticked");
}

#[test]
fn the_organization_detail_shows_recent_activities_and_the_last_work_report() {
    let mut app = loaded();
    let id = app.selected_org().unwrap().id.clone();
    let recent = app.derived.org_activities[&id][0];
    let title = app.data.activities[recent].title.clone();
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("近期活动") && screen.contains(&title), "{screen}");
    assert!(screen.contains("工作报告: "), "{screen}");
    snapshot("org_detail_with_work", &mut app);
}

fn projects_tab() -> App {
    let mut app = loaded();
    let effects = app.update(key(KeyCode::Char('8')));
    assert_eq!((app.tab, effects), (Tab::Projects, Vec::new()), "the project list needs no store job");
    app
}

#[test]
fn projects_are_listed_added_in_yuan_and_advanced() {
    let mut app = projects_tab();
    assert!(!app.views[Tab::Projects].is_empty());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("政府购买服务") || screen.contains("公益创投"), "{screen}");
    snapshot("projects", &mut app);
    let p = app.selected_project().unwrap().clone();
    app.update(key(KeyCode::Enter));
    let WorkEffect::Advance(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!() };
    assert_eq!((cmd.project, cmd.to), (Ref::from(&p.id), p.status.next()));

    app.mode = Mode::Browse;
    app.update(key(KeyCode::F(4)));
    typed(&mut app, "银龄助餐服务");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Right));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "锦江区民政局");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "5.5万元");
    let WorkEffect::AddProject(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!() };
    assert_eq!((cmd.amount_fen, cmd.year, cmd.kind), (5_500_000, 2025, ProjectKind::all()[1]));
    assert_eq!((cmd.lead, cmd.status), (None, Some(ProjectStatus::Applied)));
}

#[test]
fn the_ranking_per_township_and_evaluation_entry() {
    let mut app = projects_tab();
    let effects = app.update(key(KeyCode::F(6)));
    assert_eq!(work(effects), WorkEffect::LoadRanking(2024), "the ranking is read when shown");
    assert!(render(&mut app, 80, 24).contains("正在计算排名"));
    let orgs = DemoData::generate(2021, 60).orgs;
    let rows = ranking_by_township(&orgs, &EvaluationSettings::default(), 2024)
        .into_iter()
        .flat_map(|(t, l)| l.into_iter().map(move |r| (t.clone(), r)))
        .collect();
    app.update(Event::RankingLoaded(2024, rows));
    assert!(!app.views[Tab::Projects].is_empty());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("考核排名") && screen.contains("名次"), "{screen}");
    snapshot("evaluation_ranking", &mut app);
    let (_, first) = app.selected_ranked().unwrap().clone();
    assert_eq!(first.rank, 1);

    app.update(key(KeyCode::Enter));
    assert_eq!(form(&app).value("organization"), first.entry.name);
    // The evidence for 活动情况: the organization's activities that year by quarter.
    let q = hubsync::domain::activity_query::per_org_quarter(&app.data.activities, 2024)
        .remove(&first.entry.organization)
        .unwrap_or_default();
    let evidence = format!("2024年各季度活动 {}/{}/{}/{},共 {} 次", q[0], q[1], q[2], q[3], q.iter().sum::<u32>());
    assert_eq!(form(&app).subject.as_deref(), Some(evidence.as_str()));
    app.update(key(KeyCode::Tab));
    for score in ["20", "18", "15"] {
        typed(&mut app, score);
        app.update(key(KeyCode::Tab));
    }
    typed(&mut app, "街道评审组");
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    for _ in 0..4 {
        app.update(key(KeyCode::Right));
    }
    assert_eq!(form(&app).value("national_grade"), "4A");
    snapshot("evaluation_form", &mut app);
    let WorkEffect::Evaluate(cmd) = work(app.update(key(KeyCode::F(2)))) else { panic!() };
    assert_eq!(cmd.org, Ref::from(&first.entry.organization));
    assert_eq!((cmd.year, cmd.basic, cmd.activities, cmd.contribution, cmd.influence), (2024, None, 20, 18, 15));
    assert_eq!((cmd.national_grade, cmd.evaluator.as_str()), (Some(NationalGrade::A4), "街道评审组"));

    // ←/→ changes the year; a year not loaded is read.
    app.mode = Mode::Browse;
    assert_eq!(work(app.update(key(KeyCode::Right))), WorkEffect::LoadRanking(2025));
}

#[test]
fn a_score_out_of_range_is_named() {
    let mut app = projects_tab();
    app.update(key(KeyCode::F(6)));
    app.update(key(KeyCode::F(4)));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "300");
    assert!(app.update(key(KeyCode::F(2))).is_empty());
    let error = form(&app).fields.iter().find(|f| f.key == "activities").unwrap().error.clone().unwrap();
    assert!(error.contains("0–25"), "{error}");
}

#[test]
fn english_labels_fit_at_80_columns() {
    let mut app = activities_tab();
    app.update(ctrl('l'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("7 Activities") && screen.contains("8 Projects"), "{screen}");
    app.update(key(KeyCode::F(4)));
    let screen = render(&mut app, 80, 24);
    for label in ["Organization", "Target groups", "Participants", "Hours each", "Venue or place", "Major activity"] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
}

#[test]
fn every_work_key_is_in_the_one_table() {
    use hubsync::tui::keymap::{footer, help_lines, Scope};
    let help: Vec<&str> = help_lines().iter().filter_map(|(_, b)| b.map(|b| b.help.0)).collect();
    for hint in ["F6 切换列表", "F11 筛选条件", "F8 重大活动报告", "F9 登记参与者", "Enter 推进/考核/修改"]
    {
        assert!(help.contains(&hint), "{hint} in the help");
    }
    let on_projects: Vec<&str> = footer(Scope::List, Tab::Projects).iter().map(|b| b.help.0).collect();
    assert!(on_projects.contains(&"F4 新增") && !on_projects.contains(&"F9 登记参与者"));
}

#[test]
fn quiet_organizations_are_the_cli_list_and_enter_goes_to_the_organization() {
    let mut app = activities_tab();
    show(&mut app, ActView::Quiet);
    let expected = quiet_orgs(&app.data.orgs, &app.data.activities, today(), 6);
    assert!(!expected.is_empty(), "the demo leaves about one active organization in ten without activities");
    assert_eq!(app.work.quiet, expected, "the same domain query as `hubsync activity quiet`");
    assert_eq!(app.views[Tab::Activities].len(), expected.len());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("长期无活动的组织") && screen.contains("6 个月"), "{screen}");
    assert!(screen.contains("仅为建议"), "a suggestion, never applied:\n{screen}");
    snapshot("quiet_organizations", &mut app);

    // A longer span (F11, the last field) lists fewer or the same, never more.
    app.update(key(KeyCode::F(11)));
    for _ in 0..7 {
        app.update(key(KeyCode::Tab));
    }
    assert_eq!(form(&app).fields[form(&app).focus].key, "quiet_months");
    clear_field(&mut app);
    typed(&mut app, "0");
    assert!(app.update(key(KeyCode::F(2))).is_empty());
    assert!(form(&app).fields[7].error.as_deref().unwrap_or("").contains("至少"), "zero months is refused");
    clear_field(&mut app);
    typed(&mut app, "12");
    app.update(key(KeyCode::F(2)));
    assert_eq!((app.mode.clone(), app.work.quiet_months), (Mode::Browse, 12));
    assert_eq!(app.work.quiet, quiet_orgs(&app.data.orgs, &app.data.activities, today(), 12));
    assert!(app.work.quiet.len() <= expected.len());
    assert!(render(&mut app, 80, 24).contains("12 个月"));

    // The typed filter narrows it by name; Enter goes to the organization.
    let first = app.work.quiet[0].clone();
    app.update(key(KeyCode::F(3)));
    typed(&mut app, &first.name);
    app.update(key(KeyCode::Enter));
    assert_eq!(app.selected_quiet().map(|q| q.id.clone()), Some(first.id.clone()));
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(app.tab, hubsync::tui::app::Tab::Orgs);
    assert_eq!(app.selected_org().map(|o| o.id.clone()), Some(first.id.clone()));
    assert_eq!(effects, vec![Effect::LoadOrg(first.id)], "its detail (and Enter there edits the lifecycle)");
}

/// The activities tab with the selected activity read in full, as the store sends it.
fn with_activity_loaded() -> (App, Activity) {
    let mut app = loaded();
    let effects = app.update(key(KeyCode::Char('7')));
    let id = app.selected_activity().unwrap().id.clone();
    assert_eq!(work(effects), WorkEffect::LoadActivity(id.clone()), "the selected activity is read in full");
    let a = DemoData::generate(2021, 60).activities.into_iter().find(|a| a.id == id).unwrap();
    app.update(Event::ActivityLoaded(Box::new(a.clone()), Vec::new()));
    (app, a)
}

#[test]
fn enter_edits_an_activity_with_its_form_and_sends_only_what_changed() {
    let (mut app, a) = with_activity_loaded();
    app.update(key(KeyCode::Enter));
    let f = form(&app);
    assert!(matches!(&f.kind, FormKind::Work(hubsync::tui::work_forms::WorkForm::EditActivity(_))));
    assert_eq!((f.value("title"), f.value("date")), (a.title.as_str(), a.date.to_string().as_str()));
    assert_eq!(f.focus, 1, "the title first: the organization is rarely what changes");
    snapshot("activity_edit", &mut app);

    // Nothing changed: nothing to save, said so.
    assert!(app.update(key(KeyCode::F(2))).is_empty());
    assert_eq!(app.mode, Mode::Browse);
    assert!(app.messages.last().unwrap().1.contains("没有修改"));

    // A new title and headcount: only those go to ops.
    app.update(key(KeyCode::Enter));
    clear_field(&mut app);
    typed(&mut app, "夜间治安巡逻(第二组)");
    for _ in 0..6 {
        app.update(key(KeyCode::Tab));
    }
    assert_eq!(form(&app).fields[form(&app).focus].key, "headcount");
    clear_field(&mut app);
    typed(&mut app, "３０人");
    let effect = work(app.update(key(KeyCode::F(2))));
    let expected =
        ActivityFields {
            title: Some("夜间治安巡逻(第二组)".into()), headcount: Some(30), ..ActivityFields::default()
        };
    assert_eq!(effect, WorkEffect::EditActivity { id: a.id.clone(), fields: expected });

    // Esc over typed data asks first; a refusal keeps the form.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::ConfirmDiscard(_)));
    app.update(key(KeyCode::Esc));
    assert_eq!(form(&app).value("title"), "夜间治安巡逻(第二组)");
    app.update(Event::Done(Err("活动「x」已被删除 (not found)".into())));
    assert_eq!(form(&app).value("title"), "夜间治安巡逻(第二组)", "a refused save keeps what was typed");
}

#[test]
fn enter_before_the_activity_arrives_opens_its_form_when_it_does() {
    let (mut app, _) = with_activity_loaded();
    let effects = app.update(key(KeyCode::Down));
    let next = app.selected_activity().unwrap().id.clone();
    assert_eq!(work(effects), WorkEffect::LoadActivity(next.clone()));
    assert_eq!(work(app.update(key(KeyCode::Enter))), WorkEffect::LoadActivity(next.clone()));
    assert_eq!(app.mode, Mode::Browse, "no form over the wrong record");
    let a = DemoData::generate(2021, 60).activities.into_iter().find(|a| a.id == next).unwrap();
    app.update(Event::ActivityLoaded(Box::new(a.clone()), Vec::new()));
    assert_eq!(form(&app).value("title"), a.title);
}

#[test]
fn a_conflicted_activity_is_marked_and_f7_offers_its_values() {
    let mut d = data();
    let mut app = App::new(Lang::Zh, today());
    app.update(Event::Loaded(Box::new(d.clone())));
    app.update(key(KeyCode::Char('7')));
    let id = app.selected_activity().unwrap().id.clone();
    d.conflicted = vec![hubsync::store::Conflicted { kind: Collection::Activities, id: id.clone(), fields: 1 }];
    app.update(Event::Loaded(Box::new(d)));
    assert_eq!(app.derived.conflict_counts[Tab::Activities], 1, "counted on the activities tab");
    let a = DemoData::generate(2021, 60).activities.into_iter().find(|a| a.id == id).unwrap();
    let conflict = hubsync::store::FieldConflict {
        field: "title".into(),
        values: vec!["夜间巡逻".into(), "夜间治安巡逻".into()],
        origins: Vec::new(),
    };
    app.update(Event::ActivityLoaded(Box::new(a), vec![conflict]));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("7 活动 ⚠1"), "the tab counts it:\n{screen}");
    assert!(screen.contains(&format!("⚠{}", app.selected_activity().unwrap().title)), "the row:\n{screen}");
    assert!(screen.contains("冲突 (1) — F7"), "the detail:\n{screen}");
    app.update(key(KeyCode::F(7)));
    assert!(app.mode.picking_for(|p| matches!(p, hubsync::tui::picker::PickFor::Resolve { .. })));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("活动名称") && screen.contains("夜间巡逻"), "{screen}");
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Resolve { kind: Collection::Activities, id, field: "title".into(), value: "夜间巡逻".into() }]
    );
}

//! The activities and projects tabs: a list (by the tab's current view,
//! F6) over a detail pane of the selected line.

use super::bodies::{conflict_line, counts, label, list_block, marked, split, table_state, window};
use super::Theme;
use crate::domain::projects::yuan;
use crate::domain::*;
use crate::tui::app::{ActView, App, Hits, ProjView, Tab};
use crate::tui::work_text as w;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

/// The tab and the list it shows, with the conditions that narrow it.
pub fn view_title(app: &App) -> String {
    let view = match (app.tab, app.work.act_view, app.work.proj_view) {
        (Tab::Activities, ActView::List, _) => w::VIEW_ACTIVITIES,
        (Tab::Activities, ActView::Due, _) => w::VIEW_DUE,
        (Tab::Activities, ActView::Reports, _) => w::VIEW_REPORTS,
        (Tab::Activities, ActView::Missing, _) => w::VIEW_MISSING,
        (Tab::Activities, ActView::Quiet, _) => w::VIEW_QUIET,
        (_, _, ProjView::Projects) => w::VIEW_PROJECTS,
        (_, _, ProjView::Ranking) => w::VIEW_RANKING,
        (_, _, ProjView::Gaps) => w::VIEW_GAPS,
        (_, _, ProjView::Honours) => w::VIEW_HONOURS,
    };
    let mut title = format!("{} (F6)", app.t(view));
    if app.tab == Tab::Activities && app.work.act_view == ActView::List {
        let c = &app.work.conditions;
        let mut parts: Vec<String> = Vec::new();
        if let Some(o) = c.organization.as_ref().and_then(|id| app.org_name(id)) {
            parts.push(o.to_string());
        }
        parts.extend(c.kind.map(|k| k.label(app.lang).to_string()));
        parts.extend(c.target.map(|k| k.label(app.lang).to_string()));
        if c.from.is_some() || c.to.is_some() {
            let d = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
            parts.push(format!("{}–{}", d(c.from), d(c.to)));
        }
        if c.major_only {
            parts.push(app.t(w::MAJOR_MARK).to_string());
        }
        if !parts.is_empty() {
            title.push_str(&format!(" · {} F11: {}", app.t(w::CONDITIONS), parts.join(" ")));
        }
    }
    if app.tab == Tab::Activities && matches!(app.work.act_view, ActView::Missing | ActView::Reports) {
        title.push_str(&format!(" · {}", app.work.period.label(app.lang)));
    }
    if app.tab == Tab::Activities && app.work.act_view == ActView::Quiet {
        title.push_str(&format!(" · {} {}", app.work.quiet_months, app.t(w::MONTHS)));
    }
    if app.tab == Tab::Projects && matches!(app.work.proj_view, ProjView::Ranking | ProjView::Gaps) {
        title.push_str(&format!(" · {} ←→", app.work.rank_year));
    }
    title
}

fn org<'a>(app: &'a App, id: Option<&RecordId>) -> &'a str {
    id.and_then(|id| app.org_name(id)).unwrap_or("")
}

/// A person's name (or the id, when the record is not held here).
fn person_name<'a>(app: &'a App, id: &'a RecordId) -> &'a str {
    app.data.people.iter().find(|p| &p.id == id).map_or(id.as_str(), |p| p.name.as_str())
}

fn report_label(app: &App, major: bool, status: Option<ReportStatus>) -> String {
    match (major, status) {
        (false, _) => String::new(),
        (true, None) => ReportStatus::Due.label(app.lang).to_string(),
        (true, Some(s)) => s.label(app.lang).to_string(),
    }
}

/// Draws the shown rows of a list as a table with a header (in the app's theme).
pub(super) fn list(
    frame: &mut Frame,
    app: &App,
    hits: &mut Hits,
    area: Rect,
    all: usize,
    (header, widths): (Vec<&'static str>, Vec<Constraint>),
    row: impl Fn(&App, usize) -> Row<'static>,
) {
    let theme = &Theme { mono: app.monochrome };
    let tab = app.tab;
    let block = list_block(frame, app, area, counts(app, app.views[tab].len(), all));
    let (start, shown) = window(app, hits, area, true, app.views[tab].len());
    let rows: Vec<Row> = app.views[tab][start..start + shown].iter().map(|i| row(app, *i)).collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.accent()))
        .block(block)
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[tab].saturating_sub(start), shown);
    frame.render_stateful_widget(table, area, &mut state);
}

/// The conflict line of the selected record, once its conflicts are loaded.
pub(super) fn record_conflicts(app: &App, theme: &Theme, id: &RecordId) -> Option<Line<'static>> {
    let (_, cs) = app.record_conflicts.as_ref().filter(|(r, _)| r == id)?;
    conflict_line(app, theme, cs)
}

pub(super) fn detail(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>) {
    let block = Block::default().borders(Borders::ALL).title(title.to_string());
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), area);
}

pub fn activities(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    let lang = app.lang;
    let t = move |x: crate::tui::i18n::T| x.get(lang);
    match app.work.act_view {
        ActView::List => {
            let header = vec![t(w::DATE), t(w::TITLE), t(w::KIND), t(w::LEAD), t(w::PEOPLE), t(w::REPORT)];
            let widths = vec![
                Constraint::Length(10),
                Constraint::Min(14),
                Constraint::Length(12),
                Constraint::Min(12),
                Constraint::Length(4),
                Constraint::Length(6),
            ];
            let all = app.data.activities.len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let a = &app.data.activities[i];
                Row::new(vec![
                    a.date.to_string(),
                    marked(app, &a.id, &a.title),
                    label(a.kind, lang).to_string(),
                    org(app, a.lead()).to_string(),
                    a.headcount.to_string(),
                    report_label(app, a.major, a.report_status),
                ])
            });
            let mut lines = Vec::new();
            if let Some(a) = app.selected_activity() {
                lines.push(Line::from(Span::styled(a.title.clone(), theme.accent())));
                let orgs: Vec<&str> = a.organizations.iter().map(|o| org(app, Some(o))).collect();
                let targets = code_list::labels(&a.targets, lang);
                lines.push(Line::from(format!("{} {} · {} · {}", a.date, a.start, orgs.join("、"), targets)));
                let names: Vec<String> =
                    a.participants.iter().map(|(p, h)| format!("{} {h}h", person_name(app, p))).collect();
                let mut counts = format!(
                    "{} {} · {} {} · {} {:.1}h",
                    t(w::PEOPLE),
                    a.headcount,
                    t(w::F_BENEFICIARIES),
                    a.beneficiaries,
                    t(w::HOURS),
                    a.volunteer_hours()
                );
                if !names.is_empty() {
                    counts.push_str(&format!(": {}", names.join("、")));
                }
                lines.push(Line::from(counts));
                if a.major {
                    lines.push(Line::from(Span::styled(
                        format!("{} · {}", t(w::MAJOR_MARK), report_label(app, a.major, a.report_status)),
                        theme.warn(),
                    )));
                }
                // What only the whole record holds: times, place, notes, conflicts.
                if let Some((full, conflicts)) = app.activity_detail() {
                    let venue = full.venue.as_ref().and_then(|id| app.data.venues.iter().find(|v| &v.id == id));
                    let place = venue.map_or(full.place.as_str(), |v| v.name.as_str());
                    let mut more: Vec<String> = Vec::new();
                    if let (Some(s), Some(e)) = (&full.start, &full.end) {
                        more.push(format!("{s}–{e}"));
                    }
                    more.extend([place.to_string(), full.notes.clone()].into_iter().filter(|x| !x.is_empty()));
                    if !more.is_empty() {
                        lines.push(Line::from(more.join(" · ")));
                    }
                    lines.extend(conflict_line(app, theme, conflicts));
                }
            }
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
        ActView::Due => {
            let header = vec![t(w::DUE), "", t(w::DATE), t(w::TITLE), t(w::LEAD)];
            let widths = vec![
                Constraint::Length(10),
                Constraint::Length(6),
                Constraint::Length(10),
                Constraint::Min(14),
                Constraint::Min(12),
            ];
            let all = app.work.due.len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let d = &app.work.due[i];
                let state = if d.overdue { w::OVERDUE } else { w::NOT_YET };
                Row::new(vec![
                    d.due.to_string(),
                    state.get(app.lang).to_string(),
                    d.date.to_string(),
                    d.title.clone(),
                    org(app, d.organization.as_ref()).to_string(),
                ])
            });
            let mut lines = Vec::new();
            if let Some(d) = app.selected_due() {
                lines.push(Line::from(Span::styled(d.title.clone(), theme.accent())));
                let state = if d.overdue { theme.error() } else { theme.warn() };
                let text = format!(
                    "{} {} · {} {}",
                    t(w::DUE),
                    d.due,
                    if d.overdue { t(w::OVERDUE) } else { t(w::NOT_YET) },
                    org(app, d.organization.as_ref())
                );
                lines.push(Line::from(Span::styled(text, state)));
                lines.push(Line::from(t(crate::tui::work_text::FLOW_HINT)));
            }
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
        ActView::Reports => {
            let header = vec![t(w::PERIOD), t(w::LEAD), t(w::REPORTED_ON), t(w::REPORTED_TO), t(w::REVIEW)];
            let widths = vec![
                Constraint::Length(12),
                Constraint::Min(14),
                Constraint::Length(10),
                Constraint::Min(10),
                Constraint::Length(8),
            ];
            let all = app.data.work_reports.len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let r = &app.data.work_reports[i];
                Row::new(vec![
                    r.period.label(app.lang),
                    marked(app, &r.id, org(app, Some(&r.organization))),
                    r.reported_on.to_string(),
                    r.reported_to.clone(),
                    r.review.map_or(w::NOT_REVIEWED.get(app.lang), |v| v.label(app.lang)).to_string(),
                ])
            });
            let mut lines = Vec::new();
            if let Some(r) = app.selected_work_report() {
                lines.push(Line::from(Span::styled(
                    format!("{} {}", org(app, Some(&r.organization)), r.period.label(lang)),
                    theme.accent(),
                )));
                lines.push(Line::from(format!(
                    "{} · {} {}",
                    code_list::labels(&r.committees, lang),
                    r.reported_to,
                    r.summary
                )));
                if let Some(v) = r.review {
                    let on = r.reviewed_on.map_or(String::new(), |d| d.to_string());
                    lines.push(Line::from(format!(
                        "{}: {} {on} {} {}",
                        t(w::REVIEW),
                        v.label(lang),
                        r.reviewed_by,
                        r.review_notes
                    )));
                }
                lines.extend(record_conflicts(app, theme, &r.id));
            }
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
        ActView::Missing => {
            let header = vec![t(w::LEAD), t(w::TOWNSHIP), t(crate::tui::i18n::COMMUNITY), t(w::LAST_ACTIVITY)];
            let widths =
                vec![Constraint::Min(16), Constraint::Length(12), Constraint::Length(12), Constraint::Length(10)];
            let all = app.work.missing.len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let o = &app.data.orgs[app.work.missing[i]];
                let last = app
                    .derived
                    .org_activities
                    .get(&o.id)
                    .and_then(|list| list.first())
                    .map_or(w::NONE_YET.get(app.lang).to_string(), |i| app.data.activities[*i].date.to_string());
                Row::new(vec![o.name.clone(), o.township.clone(), o.community.clone(), last])
            });
            let lines = vec![Line::from(t(crate::tui::work_text::MISSING_HINT))];
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
        ActView::Quiet => {
            let header = vec![t(w::LEAD), t(w::TOWNSHIP), t(crate::tui::i18n::COMMUNITY), t(w::LAST_ACTIVITY)];
            let widths =
                vec![Constraint::Min(16), Constraint::Length(12), Constraint::Length(12), Constraint::Length(10)];
            let all = app.work.quiet.len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let q = &app.work.quiet[i];
                let community = app.derived.org_index.get(&q.id).map_or("", |i| app.data.orgs[*i].community.as_str());
                let last = q.last.map_or(w::NONE_YET.get(app.lang).to_string(), |d| d.to_string());
                Row::new(vec![q.name.clone(), q.township.clone(), community.to_string(), last])
            });
            let mut lines = Vec::new();
            if let Some(q) = app.selected_quiet() {
                // A planned activity is named: it is why the organization may not be quiet for long.
                let planned = app
                    .derived
                    .org_activities
                    .get(&q.id)
                    .and_then(|l| l.first())
                    .map(|i| &app.data.activities[*i])
                    .filter(|a| a.date > app.today);
                let mut text = q.name.clone();
                if let Some(p) = planned {
                    text.push_str(&format!(" · {} {} {}", t(w::PLANNED), p.date, p.title));
                }
                lines.push(Line::from(Span::styled(text, theme.accent())));
            }
            lines.push(Line::from(t(w::QUIET_HINT)));
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
    }
}

pub fn projects(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    let lang = app.lang;
    let t = move |x: crate::tui::i18n::T| x.get(lang);
    match app.work.proj_view {
        ProjView::Honours => super::ledger::honours(frame, app, hits, theme, list_area, detail_area),
        ProjView::Gaps => super::ledger::gaps(frame, app, hits, theme, list_area, detail_area),
        ProjView::Projects => {
            let header =
                vec![t(w::PROJECT), t(w::KIND), t(w::FUNDER), t(w::YEAR), t(w::AMOUNT), t(crate::tui::i18n::STATUS)];
            let widths = vec![
                Constraint::Min(16),
                Constraint::Length(12),
                Constraint::Min(10),
                Constraint::Length(4),
                Constraint::Length(10),
                Constraint::Length(4),
            ];
            let all = app.data.projects.len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let p = &app.data.projects[i];
                Row::new(vec![
                    marked(app, &p.id, &p.name),
                    p.kind.label(app.lang).to_string(),
                    p.funder.clone(),
                    p.year.to_string(),
                    yuan(p.amount_fen),
                    p.status.label(app.lang).to_string(),
                ])
            });
            let mut lines = Vec::new();
            if let Some(p) = app.selected_project() {
                lines.push(Line::from(Span::styled(p.name.clone(), theme.accent())));
                let lead = p.lead.as_ref().and_then(|id| app.org_name(id)).unwrap_or(p.lead_name.as_str());
                lines.push(Line::from(format!(
                    "{} · {} · {} 元 · {}",
                    lead,
                    code_list::labels(&p.domains, lang),
                    yuan(p.amount_fen),
                    p.kind.label(lang)
                )));
                let steps: Vec<String> = ProjectStatus::all()
                    .iter()
                    .filter_map(|s| p.milestones.get(s.code()).map(|d| format!("{} {d}", s.label(lang))))
                    .collect();
                lines.push(Line::from(steps.join(" → ")));
                if let Some(b) = p.beneficiaries {
                    lines.push(Line::from(format!("{} {b} {}", t(w::F_BENEFICIARIES), p.beneficiary_groups)));
                }
                lines.extend(record_conflicts(app, theme, &p.id));
            }
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
        ProjView::Ranking => {
            let header =
                vec![t(w::TOWNSHIP), t(w::RANK), t(w::LEAD), t(w::SCORE), t(w::LAST_YEAR), t(w::CHANGE), t(w::GRADE)];
            let widths = vec![
                Constraint::Length(12),
                Constraint::Length(4),
                Constraint::Min(16),
                Constraint::Length(5),
                Constraint::Length(5),
                Constraint::Length(5),
                Constraint::Length(4),
            ];
            let all = app.work.ranking_rows().len();
            list(frame, app, hits, list_area, all, (header, widths), |app, i| {
                let (_, r) = &app.work.ranking_rows()[i];
                let town = app
                    .derived
                    .org_index
                    .get(&r.entry.organization)
                    .map_or(String::new(), |i| app.data.orgs[*i].township.clone());
                Row::new(vec![
                    town,
                    r.rank.to_string(),
                    r.entry.name.clone(),
                    format!("{:.1}", r.entry.score),
                    r.previous.map_or("—".into(), |p| format!("{p:.1}")),
                    r.change.map_or("—".into(), |c| format!("{c:+.1}")),
                    r.entry.national_grade.map_or("", |g| g.label(app.lang)).to_string(),
                ])
            });
            let mut lines = Vec::new();
            match app.selected_ranked() {
                Some((_, r)) => {
                    lines.push(Line::from(Span::styled(r.entry.name.clone(), theme.accent())));
                    lines.push(Line::from(format!(
                        "{} · {} {:.1} · {} {} · {} {}",
                        r.entry.year,
                        t(w::SCORE),
                        r.entry.score,
                        t(w::RESULT),
                        r.entry.result.label(lang),
                        t(w::GRADE),
                        r.entry.national_grade.map_or("—", |g| g.label(lang))
                    )));
                }
                None if app.work.ranking.as_ref().is_none_or(|(y, _)| *y != app.work.rank_year) => {
                    lines.push(Line::from(t(w::RANKING_LOADING)))
                }
                None => lines.push(Line::from(t(w::RANKING_EMPTY))),
            }
            detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
        }
    }
}

/// The organization detail's lines on its work: its latest activities (as
/// many as fit `width` columns, at least one) and its last work report with
/// the review.
pub fn org_work_lines(app: &App, org_id: &RecordId, width: usize) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthStr;
    let lang = app.lang;
    let mut recent = format!("{}: ", w::DETAIL_RECENT.get(lang));
    let held = app.derived.org_activities.get(org_id).map_or(&[][..], |l| l.as_slice());
    let past = held.iter().map(|i| &app.data.activities[*i]).filter(|a| a.date <= app.today);
    for (n, a) in past.enumerate() {
        let item = format!("{}{} {}", if n == 0 { "" } else { "; " }, a.date.format("%y-%m-%d"), a.title);
        if n > 0 && recent.width() + item.width() > width {
            break;
        }
        recent.push_str(&item);
    }
    if recent.ends_with(": ") {
        recent.push_str(w::NONE_YET.get(lang));
    }
    let report = match app.derived.last_work_report.get(org_id) {
        Some(r) => {
            let review = r.review.map_or(w::NOT_REVIEWED.get(lang), |v| v.label(lang));
            format!("{} {} · {review}", r.period.label(lang), r.reported_on)
        }
        None => w::NONE_YET.get(lang).to_string(),
    };
    vec![Line::from(recent), Line::from(format!("{}: {report}", w::DETAIL_WORK_REPORT.get(lang)))]
}

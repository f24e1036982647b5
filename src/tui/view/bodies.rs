//! The body of each tab.

use super::Theme;
use crate::domain::query::OrgRow;
use crate::domain::report::booking_conflicts;
use crate::domain::*;
use crate::tui::app::{App, Mode, ORGS, PEOPLE, TRAININGS, VENUES};
use crate::tui::i18n;
use chrono::{Datelike, Duration};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Gauge, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;
use std::collections::HashSet;

pub fn draw(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    match app.tab {
        ORGS => orgs(frame, app, theme, area),
        PEOPLE => people(frame, app, theme, area),
        VENUES => venues(frame, app, theme, area),
        TRAININGS => trainings(frame, app, theme, area),
        4 => sync(frame, app, theme, area),
        _ => reports(frame, app, theme, area),
    }
}

/// Party status in a list column: the dispatch label is too long for one.
fn party_short(p: Option<PartyStatus>, lang: Lang) -> &'static str {
    match (p, lang) {
        (Some(PartyStatus::Dispatched), Lang::Zh) => "选派",
        (Some(PartyStatus::Dispatched), Lang::En) => "dispatched",
        (other, _) => label(other, lang),
    }
}

fn label<V: Vocabulary>(v: Option<V>, lang: Lang) -> &'static str {
    v.map_or("", |v| v.label(lang))
}

/// Splits into list and detail: side by side when wide, stacked when narrow.
fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= 100 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
        (a, b)
    } else {
        let [a, b] = Layout::vertical([Constraint::Min(5), Constraint::Length(8)]).areas(area);
        (a, b)
    }
}

fn table_state(selected: usize, len: usize) -> TableState {
    let mut s = TableState::default();
    if len > 0 {
        s.select(Some(selected.min(len - 1)));
    }
    s
}

fn orgs(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    let lang = app.lang;
    let title = if app.org_filter.uncovered {
        app.t(i18n::COVERAGE_VIEW).to_string()
    } else {
        app.t(i18n::TAB_ORGS).to_string()
    };
    let filter = if app.filter.text().is_empty() && app.mode != Mode::Filter {
        String::new()
    } else {
        format!("  {}: {}", app.t(i18n::FILTER), app.filter.text())
    };
    let counts = format!(" {} {}/{} ", app.t(i18n::SHOWN), app.org_view.len(), app.data.orgs.len());
    let block = Block::default().borders(Borders::ALL).title(format!("{title}{filter}")).title_bottom(counts);
    app.page = list_area.height.saturating_sub(3) as usize;
    // Only the visible window is turned into rows: 31,000 rows would cost a frame.
    let height = app.page.max(1);
    let sel = app.selected[ORGS];
    let start = sel.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = app.org_view[start.min(app.org_view.len())..]
        .iter()
        .take(height)
        .map(|i| {
            let r: &OrgRow = &app.data.orgs[*i];
            let party_style = if r.is_covered() { Style::default() } else { theme.warn() };
            Row::new(vec![
                Cell::from(r.name.clone()),
                Cell::from(label(r.category, lang)),
                Cell::from(if r.community.is_empty() { r.division.clone() } else { r.community.clone() }),
                Cell::from(Span::styled(party_short(r.party_status, lang), party_style)),
                Cell::from(label(r.lifecycle, lang)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Min(16),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(12),
        Constraint::Length(6),
    ];
    let header = Row::new(vec![
        app.t(i18n::NAME),
        app.t(i18n::CATEGORY),
        app.t(i18n::COMMUNITY),
        app.t(i18n::PARTY),
        app.t(i18n::STATUS),
    ])
    .style(theme.accent());
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = table_state(sel - start, app.org_view.len().saturating_sub(start));
    frame.render_stateful_widget(table, list_area, &mut state);

    let detail = match &app.detail {
        Some((o, conflicts)) => {
            let mut lines = vec![
                Line::from(Span::styled(o.name.clone(), theme.accent())),
                Line::from(format!(
                    "{} · {} · {}",
                    o.category.label(lang),
                    o.legal_status.label(lang),
                    o.lifecycle.label(lang)
                )),
                Line::from(format!("{} {}", o.township, o.community)),
                Line::from(format!("{}: {} {}", app.t(i18n::PHONE), o.head_name, validate::mask_phone(&o.head_phone))),
                Line::from(format!("{}: {}", app.t(i18n::PARTY), o.party_status.label(lang))),
            ];
            if !o.credit_code.is_empty() || !o.filing_number.is_empty() {
                lines.push(Line::from(if o.credit_code.is_empty() {
                    o.filing_number.clone()
                } else {
                    o.credit_code.clone()
                }));
            }
            if let Some(m) = o.members {
                lines.push(Line::from(format!("{m} 人")));
            }
            if !conflicts.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!("⚠ {} ({}) — F7", app.t(i18n::CONFLICTS), conflicts.len()),
                    theme.error(),
                )));
            }
            if o.lifecycle == Lifecycle::Exited {
                lines.push(Line::from(format!(
                    "{} {}",
                    o.exit_date.map(|d| d.to_string()).unwrap_or_default(),
                    o.exit_reason
                )));
            }
            lines
        }
        None => vec![Line::from(if app.org_view.is_empty() { "" } else { app.t(i18n::LOADING) })],
    };
    let hint = if app.org_filter.uncovered { app.t(i18n::ASSIGN_HINT) } else { "" };
    frame.render_widget(
        Paragraph::new(detail)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(app.t(i18n::DETAIL)).title_bottom(hint)),
        detail_area,
    );
}

fn people(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    app.page = list_area.height.saturating_sub(3) as usize;
    let lang = app.lang;
    let org_name = |id: &Option<RecordId>| {
        id.as_ref().and_then(|i| app.data.orgs.iter().find(|r| &r.id == i)).map(|r| r.name.clone()).unwrap_or_default()
    };
    let rows: Vec<Row> = app
        .data
        .people
        .iter()
        .map(|p| {
            Row::new(vec![
                p.name.clone(),
                validate::mask_phone(&p.phone),
                code_list::labels(&p.roles, lang),
                org_name(&p.organization),
            ])
        })
        .collect();
    let header = Row::new(vec![app.t(i18n::NAME), app.t(i18n::PHONE), app.t(i18n::ROLES), app.t(i18n::ORGANIZATION)])
        .style(theme.accent());
    let widths = [Constraint::Length(10), Constraint::Length(12), Constraint::Min(14), Constraint::Min(14)];
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::TAB_PEOPLE)))
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[PEOPLE], app.data.people.len());
    frame.render_stateful_widget(table, list_area, &mut state);

    let mut lines = Vec::new();
    if let Some(p) = app.data.people.get(app.selected[PEOPLE]) {
        lines.push(Line::from(Span::styled(p.name.clone(), theme.accent())));
        for a in app.data.liaisons.iter().filter(|a| a.person == p.id) {
            let active = if a.is_active_on(app.today) { "" } else { " ✕" };
            lines.push(Line::from(format!(
                "{} → {}  {}{active}",
                a.role.label(lang),
                org_name(&Some(a.organization.clone())),
                a.from
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(app.t(i18n::DETAIL))),
        detail_area,
    );
}

fn venues(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let [list_area, week_area] = Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).areas(area);
    app.page = list_area.height.saturating_sub(2) as usize;
    let rows: Vec<Row> = app.data.venues.iter().map(|v| Row::new(vec![v.name.clone()])).collect();
    let table = Table::new(rows, [Constraint::Min(10)])
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::TAB_VENUES)))
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[VENUES], app.data.venues.len());
    frame.render_stateful_widget(table, list_area, &mut state);

    // The week (Monday to Sunday) around today, bookings per day.
    let monday = app.today - Duration::days(app.today.weekday().num_days_from_monday() as i64);
    let clashing: HashSet<RecordId> =
        booking_conflicts(&app.data.bookings).into_iter().flat_map(|(a, b)| [a, b]).collect();
    let mut lines = Vec::new();
    if let Some(v) = app.data.venues.get(app.selected[VENUES]) {
        for d in 0..7 {
            let day = monday + Duration::days(d);
            let mut day_bookings: Vec<&Booking> =
                app.data.bookings.iter().filter(|b| b.venue == v.id && b.date == day).collect();
            day_bookings.sort_by(|a, b| a.start.cmp(&b.start));
            let head = Span::styled(
                format!("{} {}", day.format("%m-%d"), ["一", "二", "三", "四", "五", "六", "日"][d as usize]),
                theme.accent(),
            );
            let mut spans = vec![head];
            for b in day_bookings {
                let text = format!("  {}–{} {} [{}]", b.start, b.end, b.purpose, b.status.label(app.lang));
                let style = if clashing.contains(&b.id) {
                    theme.error().add_modifier(Modifier::BOLD)
                } else if b.status == BookingStatus::Cancelled {
                    theme.dim()
                } else {
                    Style::default()
                };
                spans.push(Span::styled(text, style));
                if clashing.contains(&b.id) {
                    spans.push(Span::styled(format!(" {}", app.t(i18n::CONFLICT_MARK)), theme.error()));
                }
            }
            lines.push(Line::from(spans));
        }
    }
    let title = format!("{} {}", app.t(i18n::WEEK), monday.format("%Y-%m-%d"));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL).title(title)),
        week_area,
    );
}

fn trainings(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    app.page = list_area.height.saturating_sub(2) as usize;
    let rows: Vec<Row> = app
        .data
        .trainings
        .iter()
        .map(|t| Row::new(vec![t.title.clone(), t.format.label(app.lang).to_string()]))
        .collect();
    let table = Table::new(rows, [Constraint::Min(16), Constraint::Length(10)])
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::TAB_TRAININGS)))
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[TRAININGS], app.data.trainings.len());
    frame.render_stateful_widget(table, list_area, &mut state);
    let mut lines = Vec::new();
    if let Some(t) = app.data.trainings.get(app.selected[TRAININGS]) {
        lines.push(Line::from(Span::styled(format!("{} · {}", t.title, t.trainer), theme.accent())));
        for (sid, s) in t.sessions_in_order() {
            let signed = app
                .data
                .attendance
                .iter()
                .filter(|a| &a.session == sid && a.status == AttendanceStatus::Attended)
                .count();
            lines.push(Line::from(format!("{} {}–{}  {:.1}h  ✓{signed}", s.date, s.start, s.end, s.hours())));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(app.t(i18n::SESSIONS))),
        detail_area,
    );
}

fn sync(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let mut lines = vec![Line::from(app.t(i18n::SYNC_NOTE)), Line::from("")];
    lines.push(Line::from(Span::styled(app.t(i18n::PEERS), theme.accent())));
    if app.data.peers.is_empty() {
        lines.push(Line::from(app.t(i18n::NO_PEERS)));
    }
    for p in &app.data.peers {
        let shared: Vec<String> = p
            .grants
            .iter()
            .map(|(k, g)| format!("{k}:{}", if *g == crate::sync::Grant::Write { "rw" } else { "r" }))
            .collect();
        let mut spans =
            vec![Span::raw(format!("{}  {}  {}  ", p.name, p.node_id.short(), p.addr.clone().unwrap_or_default()))];
        spans.push(Span::raw(format!(
            "{}: {}  ",
            app.t(i18n::LAST_SYNC),
            p.last_sync.clone().unwrap_or_else(|| "—".into())
        )));
        spans.push(Span::raw(shared.join(" ")));
        if let Some(e) = &p.last_error {
            spans.push(Span::styled(format!("  ⚠ {e}"), theme.error()));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(app.t(i18n::DOCUMENTS), theme.accent())));
    for d in &app.data.documents {
        lines.push(Line::from(format!(
            "{}  {} {}  {}",
            d.id,
            d.records,
            app.t(i18n::RECORDS),
            d.heads.first().map_or("", |h| &h[..8.min(h.len())])
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(app.t(i18n::TAB_SYNC))),
        area,
    );
}

fn reports(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let Some(r) = &app.data.report else {
        frame.render_widget(Paragraph::new(app.t(i18n::LOADING)), area);
        return;
    };
    let [gauge_area, charts, bottom] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(6), Constraint::Length(4)]).areas(area);
    let c = &r.coverage;
    let gauge = Gauge::default()
        .block(Block::default().borders(Borders::ALL).title(format!(
            "{} · {} {}",
            app.t(i18n::COVERAGE),
            c.uncovered.len(),
            app.t(i18n::UNCOVERED)
        )))
        .gauge_style(theme.accent())
        .ratio(c.rate.clamp(0.0, 1.0))
        .label(format!("{:.1}%  ({}/{})", c.rate * 100.0, c.covered, c.active));
    frame.render_widget(gauge, gauge_area);
    let [left, right] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(charts);
    let bars = |items: &[crate::domain::report::Count]| -> Vec<Bar> {
        items
            .iter()
            .map(|c| {
                Bar::default()
                    .value(c.count as u64)
                    .text_value(c.count.to_string())
                    .label(Line::from(c.label.chars().take(4).collect::<String>()))
            })
            .collect()
    };
    let cat = BarChart::default()
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::BY_CATEGORY)))
        .data(BarGroup::default().bars(&bars(&r.by_category)))
        .bar_width(8)
        .bar_gap(1)
        .bar_style(theme.accent());
    frame.render_widget(cat, left);
    let status = BarChart::default()
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::BY_STATUS)))
        .data(BarGroup::default().bars(&bars(&r.by_legal_status)))
        .bar_width(6)
        .bar_gap(1)
        .bar_style(theme.accent());
    frame.render_widget(status, right);
    let rates: Vec<String> = r
        .attendance_rates
        .iter()
        .map(|t| format!("{} {:.0}%", t.title.chars().take(8).collect::<String>(), t.rate * 100.0))
        .collect();
    let lines = vec![
        Line::from(format!(
            "{}: {}   {}: {}",
            app.t(i18n::TOTAL),
            r.total,
            app.t(i18n::BOOKING_CONFLICTS),
            r.booking_conflicts.len()
        )),
        Line::from(format!("{}: {}", app.t(i18n::ATTENDANCE_RATE), rates.join("  "))),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(Block::default().borders(Borders::TOP)),
        bottom,
    );
}

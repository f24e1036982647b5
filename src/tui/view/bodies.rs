//! The body of each tab.

use super::Theme;
use crate::domain::query::OrgRow;
use crate::domain::*;
use crate::tui::app::{App, Hits, Mode, Tab};
use crate::tui::i18n;
use chrono::Duration;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Gauge, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    hits.rows = None;
    match app.tab {
        Tab::Orgs => orgs(frame, app, hits, theme, area),
        Tab::People => people(frame, app, hits, theme, area),
        Tab::Venues => venues(frame, app, hits, theme, area),
        Tab::Trainings => trainings(frame, app, hits, theme, area),
        Tab::Sync => sync(frame, app, hits, theme, area),
        Tab::Activities => super::work::activities(frame, app, hits, theme, area),
        Tab::Projects => super::work::projects(frame, app, hits, theme, area),
        Tab::Reports => super::stats::draw(frame, app, hits, theme, area),
    }
}

/// The head of a text that fits `width` display columns (a bar label: no room for an ellipsis).
pub(super) fn cut(text: &str, width: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            used <= width
        })
        .collect()
}

/// A list row's name, marked "⚠" when the record holds conflicting edits.
pub(super) fn marked(app: &App, id: &RecordId, name: &str) -> String {
    if app.derived.conflicts.contains_key(id) {
        format!("⚠{name}")
    } else {
        name.to_string()
    }
}

/// Party status in a list column: the long labels shortened whole, never cut.
fn party_short(p: Option<PartyStatus>, lang: Lang) -> &'static str {
    match (p, lang) {
        (Some(PartyStatus::Dispatched), Lang::Zh) => "选派",
        (Some(PartyStatus::Dispatched), Lang::En) => "Dispatched",
        (Some(PartyStatus::Own), Lang::En) => "Own",
        (Some(PartyStatus::Joint), Lang::En) => "Joint",
        (other, _) => label(other, lang),
    }
}

/// The display width of a column: its header or its widest label, so no
/// label is cut (CJK counts two columns).
fn label_width<'a>(header: &str, labels: impl Iterator<Item = &'a str>) -> u16 {
    labels.map(UnicodeWidthStr::width).chain([UnicodeWidthStr::width(header)]).max().unwrap_or(4) as u16
}

pub(super) fn label<V: Vocabulary>(v: Option<V>, lang: Lang) -> &'static str {
    v.map_or("", |v| v.label(lang))
}

/// Splits into list and detail: side by side when wide, stacked when narrow.
pub(super) fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= 100 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
        (a, b)
    } else {
        let [a, b] = Layout::vertical([Constraint::Min(5), Constraint::Length(8)]).areas(area);
        (a, b)
    }
}

pub(crate) fn table_state(selected: usize, len: usize) -> TableState {
    let mut s = TableState::default();
    if len > 0 {
        s.select(Some(selected.min(len - 1)));
    }
    s
}

/// The list's title: the tab (or coverage view) and its filter. Typing a
/// filter parks the terminal cursor at the caret inside it.
pub(super) fn list_block(frame: &mut Frame, app: &App, area: Rect, counts: String) -> Block<'static> {
    let base = super::list_title(app);
    let title = match app.filter() {
        Some(f) if !f.text().is_empty() || app.mode == Mode::Filter => {
            let prefix = format!("{base}  {}: ", app.t(i18n::FILTER));
            if app.mode == Mode::Filter {
                let (_, caret) = f.visible(40);
                let x = area.x + 1 + (UnicodeWidthStr::width(prefix.as_str()) + caret) as u16;
                frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(2)), area.y));
            }
            format!("{prefix}{}", f.text())
        }
        _ => base,
    };
    Block::default().borders(Borders::ALL).title(title).title_bottom(counts)
}

/// Rows of a list that fit `area` under a border (and a header): only
/// these are built, so a long list costs nothing per frame. Records where
/// they are for mouse clicks; returns (first index shown, rows shown).
pub(crate) fn window(app: &App, hits: &mut Hits, area: Rect, header: bool, len: usize) -> (usize, usize) {
    let chrome = 2 + u16::from(header);
    let height = area.height.saturating_sub(chrome).max(1) as usize;
    hits.page = height;
    let sel = app.selected[app.tab].min(len.saturating_sub(1));
    let start = sel.saturating_sub(height - 1);
    let shown = height.min(len.saturating_sub(start));
    hits.rows = Some((area.x + 1, area.right().saturating_sub(1), area.y + chrome - 1, shown as u16, start));
    (start, shown)
}

/// "shown n/m", and the order when F11 changed it.
pub(super) fn counts(app: &App, shown: usize, all: usize) -> String {
    let sort = app.sorts.get(app.tab.index()).copied().unwrap_or(0);
    let order = if sort == 0 {
        String::new()
    } else {
        format!("· {} F11: {} ", app.t(i18n::SORTED), app.t(crate::tui::app::SORTS[app.tab.index()][sort]))
    };
    format!(" {} {shown}/{all} {order}", app.t(i18n::SHOWN))
}

/// The conflict line of a detail pane, whole-record conflicts included.
pub(super) fn conflict_line(
    app: &App,
    theme: &Theme,
    conflicts: &[crate::store::FieldConflict],
) -> Option<Line<'static>> {
    (!conflicts.is_empty()).then(|| {
        Line::from(Span::styled(format!("⚠ {} ({}) — F7", app.t(i18n::CONFLICTS), conflicts.len()), theme.error()))
    })
}

fn orgs(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    let lang = app.lang;
    let view = &app.views[Tab::Orgs];
    // Narrower than 72 columns the community and status columns give way to the name.
    let wide = list_area.width >= 72;
    let block = list_block(frame, app, list_area, counts(app, view.len(), app.data.orgs.len()));
    let (start, shown) = window(app, hits, list_area, true, app.views[Tab::Orgs].len());
    let sel = app.selected[Tab::Orgs];
    // A hub holds several federations' rosters: a column says whose each is.
    let feds = &app.derived.roster_federations;
    let fed_w =
        feds.values().map(|n| n.width()).chain([app.t(i18n::FEDERATION_SHORT).width()]).max().unwrap_or(8).min(12);
    let rows: Vec<Row> = app.views[Tab::Orgs][start..start + shown]
        .iter()
        .map(|i| {
            let r: &OrgRow = &app.data.orgs[*i];
            let covered = r.is_work_covered(&app.org_filter.dispatched);
            let party_style = if covered { Style::default() } else { theme.warn() };
            let mut cells = vec![Cell::from(marked(app, &r.id, &r.name))];
            if !feds.is_empty() {
                let name = feds.get(&r.federation).map_or("", String::as_str);
                cells.push(Cell::from(super::network::fit(name, fed_w)));
            }
            cells.push(Cell::from(label(r.category, lang)));
            if wide {
                cells.push(Cell::from(if r.community.is_empty() { r.division.clone() } else { r.community.clone() }));
            }
            cells.push(Cell::from(Span::styled(party_short(r.party_status, lang), party_style)));
            if wide {
                cells.push(Cell::from(label(r.lifecycle, lang)));
            }
            Row::new(cells)
        })
        .collect();
    // Label columns as wide as their widest label; the name takes the rest.
    // Narrower than 72 columns the community and status columns give way.
    let category = label_width(app.t(i18n::CATEGORY), Category::all().iter().map(|c| c.label(lang))).min(16);
    let party = label_width(app.t(i18n::PARTY), PartyStatus::all().iter().map(|p| party_short(Some(*p), lang)));
    let status = label_width(app.t(i18n::STATUS), Lifecycle::all().iter().map(|l| l.label(lang)));
    let mut widths = vec![Constraint::Min(12)];
    let mut heads = vec![app.t(i18n::NAME)];
    if !feds.is_empty() {
        widths.push(Constraint::Length(fed_w as u16));
        heads.push(app.t(i18n::FEDERATION_SHORT));
    }
    widths.push(Constraint::Length(category));
    heads.push(app.t(i18n::CATEGORY));
    if wide {
        widths.push(Constraint::Length(10));
        heads.push(app.t(i18n::COMMUNITY));
    }
    widths.push(Constraint::Length(party));
    heads.push(app.t(i18n::PARTY));
    if wide {
        widths.push(Constraint::Length(status));
        heads.push(app.t(i18n::STATUS));
    }
    let header = Row::new(heads).style(theme.accent());
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = table_state(sel.saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);

    let detail = match &app.detail {
        Some((o, conflicts)) => {
            // Two facts a line, so the recent activities and the last work
            // report fit the six lines of an 80x24 screen.
            let members = o.members.map_or(String::new(), |m| format!(" · {m} 人"));
            let code = if o.credit_code.is_empty() { o.filing_number.as_str() } else { o.credit_code.as_str() };
            let mut lines = vec![
                Line::from(Span::styled(o.name.clone(), theme.accent())),
                // The member count goes on this line: at 80x24 the pane shows six.
                Line::from(format!(
                    "{} · {} · {}{members} · {} {}",
                    o.category.label(lang),
                    o.legal_status.label(lang),
                    o.lifecycle.label(lang),
                    o.township,
                    o.community
                )),
                Line::from(format!(
                    "{}: {} {} · {}: {} {code}",
                    app.t(i18n::PHONE),
                    o.head_name,
                    validate::mask_phone(&o.head_phone),
                    app.t(i18n::PARTY),
                    o.party_status.label(lang)
                )),
            ];
            lines.extend(super::work::org_work_lines(app, &o.id, detail_area.width.saturating_sub(2) as usize));
            lines.extend(conflict_line(app, theme, conflicts));
            if o.lifecycle == Lifecycle::Exited {
                lines.push(Line::from(format!(
                    "{} {}",
                    o.exit_date.map(|d| d.to_string()).unwrap_or_default(),
                    o.exit_reason
                )));
            }
            lines
        }
        None => vec![Line::from(if app.views[Tab::Orgs].is_empty() { "" } else { app.t(i18n::LOADING) })],
    };
    let hint = if app.org_filter.uncovered { app.t(i18n::ASSIGN_HINT) } else { "" };
    frame.render_widget(
        Paragraph::new(detail)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(app.t(i18n::DETAIL)).title_bottom(hint)),
        detail_area,
    );
}

fn people(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    let lang = app.lang;
    let block = list_block(frame, app, list_area, counts(app, app.views[Tab::People].len(), app.data.people.len()));
    let (start, shown) = window(app, hits, list_area, true, app.views[Tab::People].len());
    let rows: Vec<Row> = app.views[Tab::People][start..start + shown]
        .iter()
        .map(|i| {
            let p = &app.data.people[*i];
            Row::new(vec![
                marked(app, &p.id, &p.name),
                validate::mask_phone(&p.phone),
                code_list::labels(&p.roles, lang),
                app.derived.person_org[*i].clone(),
            ])
        })
        .collect();
    let header = Row::new(vec![app.t(i18n::NAME), app.t(i18n::PHONE), app.t(i18n::ROLES), app.t(i18n::ORGANIZATION)])
        .style(theme.accent());
    let widths = [Constraint::Length(10), Constraint::Length(12), Constraint::Min(14), Constraint::Min(14)];
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[Tab::People].saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);

    let mut lines = Vec::new();
    if let Some(p) = app.selected_person() {
        lines.push(Line::from(Span::styled(p.name.clone(), theme.accent())));
        for a in app.data.liaisons.iter().filter(|a| a.person == p.id) {
            let until = a.to.map_or(String::new(), |d| format!("–{d}"));
            let active = if a.is_active_on(app.today) { "" } else { " ✕" };
            lines.push(Line::from(format!(
                "{} → {}  {}{until}{active}",
                a.role.label(lang),
                app.org_name(&a.organization).unwrap_or_default(),
                a.from
            )));
        }
        if let Some((_, cs)) = app.record_conflicts.as_ref().filter(|(id, _)| *id == p.id) {
            lines.extend(conflict_line(app, theme, cs));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(app.t(i18n::DETAIL))),
        detail_area,
    );
}

fn venues(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let [list_area, week_area] = Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).areas(area);
    let block = list_block(frame, app, list_area, counts(app, app.views[Tab::Venues].len(), app.data.venues.len()));
    let (start, shown) = window(app, hits, list_area, false, app.views[Tab::Venues].len());
    let rows: Vec<Row> = app.views[Tab::Venues][start..start + shown]
        .iter()
        .map(|i| {
            let v = &app.data.venues[*i];
            Row::new(vec![marked(app, &v.id, &v.name)])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Min(10)]).block(block).row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[Tab::Venues].saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);

    // The shown week (Monday to Sunday), bookings per day.
    let monday = app.week_monday();
    let clashing = &app.derived.clashing;
    let mut lines = Vec::new();
    if let Some(v) = app.selected_venue() {
        if let Some((_, cs)) = app.record_conflicts.as_ref().filter(|(id, _)| *id == v.id) {
            lines.extend(conflict_line(app, theme, cs));
        }
        for d in 0..7 {
            let day = monday + Duration::days(d);
            let mut day_bookings: Vec<&Booking> =
                app.data.bookings.iter().filter(|b| b.venue == v.id && b.date == day).collect();
            day_bookings.sort_by(|a, b| a.start.cmp(&b.start));
            let head = Span::styled(
                format!("{} {}", day.format("%m-%d"), i18n::WEEKDAYS[d as usize].get(app.lang)),
                theme.accent(),
            );
            let mut spans = vec![head];
            for b in day_bookings {
                let edited = if app.derived.conflicts.contains_key(&b.id) { " ⚠" } else { "" };
                let text = format!("  {}–{} {} [{}]{edited}", b.start, b.end, b.purpose, b.status.label(app.lang));
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
    let title = format!("{} {} (←→)", app.t(i18n::WEEK), monday.format("%Y-%m-%d"));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL).title(title)),
        week_area,
    );
}

fn trainings(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let (list_area, detail_area) = split(area);
    let block =
        list_block(frame, app, list_area, counts(app, app.views[Tab::Trainings].len(), app.data.trainings.len()));
    let (start, shown) = window(app, hits, list_area, false, app.views[Tab::Trainings].len());
    let rows: Vec<Row> = app.views[Tab::Trainings][start..start + shown]
        .iter()
        .map(|i| {
            let t = &app.data.trainings[*i];
            Row::new(vec![marked(app, &t.id, &t.title), t.format.label(app.lang).to_string()])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Min(16), Constraint::Length(10)])
        .block(block)
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[Tab::Trainings].saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);
    let mut lines = Vec::new();
    if let Some(t) = app.selected_training() {
        lines.push(Line::from(Span::styled(format!("{} · {}", t.title, t.trainer), theme.accent())));
        if let Some((_, cs)) = app.record_conflicts.as_ref().filter(|(id, _)| *id == t.id) {
            lines.extend(conflict_line(app, theme, cs));
        }
        for (sid, s) in t.sessions_in_order() {
            let signed = app
                .data
                .attendance
                .iter()
                .filter(|a| &a.session == sid && a.status == AttendanceStatus::Attended)
                .count();
            let place =
                s.venue.as_ref().or(t.venue.as_ref()).and_then(|id| app.data.venues.iter().find(|v| &v.id == id));
            let place = place.map_or(String::new(), |v| format!("  @{}", v.name));
            lines.push(Line::from(format!("{} {}–{}  {:.1}h  ✓{signed}{place}", s.date, s.start, s.end, s.hours())));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(app.t(i18n::SESSIONS))),
        detail_area,
    );
}

fn sync(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    if app.sync_view == crate::tui::app::SyncView::Network {
        return super::network::draw(frame, app, hits, theme, area);
    }
    let mut lines = vec![Line::from(app.t(i18n::SYNC_NOTE))];
    if let (Some(id), Some(status)) = (&app.node_id, &app.sync) {
        lines.push(Line::from(Span::styled(
            format!("{} {id} · {} {}", app.t(i18n::NODE), app.t(i18n::LISTENING_ON), status.addr()),
            theme.dim(),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(app.t(i18n::PEERS), theme.accent())));
    if app.data.peers.is_empty() {
        lines.push(Line::from(app.t(i18n::NO_PEERS)));
    }
    // The chosen row (↑↓): a peer, whose sharing Enter edits, or after
    // the peers a node heard on the LAN, which Enter adds as a peer.
    let unknown = app.lan_unknown();
    let chosen = app.selected[Tab::Sync].min((app.data.peers.len() + unknown.len()).saturating_sub(1));
    for (i, p) in app.data.peers.iter().enumerate() {
        let shared: Vec<String> = p
            .grants
            .iter()
            .map(|(k, g)| format!("{k}:{}", if *g == crate::sync::Grant::Write { "rw" } else { "r" }))
            .collect();
        // Two lines a peer, so an error is not cut off at 80 columns.
        lines.push(Line::from(vec![
            Span::styled(p.name.clone(), if i == chosen { theme.selected() } else { theme.accent() }),
            Span::raw(format!("  {}  {}  {}", p.node_id.short(), p.addr.clone().unwrap_or_default(), shared.join(" "))),
        ]));
        let mut spans = vec![Span::raw(format!(
            "  {}: {}",
            app.t(i18n::LAST_SYNC),
            p.last_sync.clone().unwrap_or_else(|| "—".into())
        ))];
        if let Some(s) = app.lan_sighting(&p.node_id) {
            let at = crate::sync::discovery::best_addr(&s.addrs).map(|a| a.to_string()).unwrap_or_default();
            spans.push(Span::styled(format!("  ◉ {} {at}", app.t(i18n::LAN_FOUND)), theme.accent()));
        }
        if let Some(e) = p.last_error_in(app.lang) {
            spans.push(Span::styled(format!("  ⚠ {e}"), theme.error()));
        }
        lines.push(Line::from(spans));
    }
    if !unknown.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(app.t(i18n::LAN_NODES), theme.accent())));
    }
    for (i, s) in unknown.iter().enumerate() {
        let at = crate::sync::discovery::best_addr(&s.addrs).map(|a| a.to_string()).unwrap_or_default();
        let style = if app.data.peers.len() + i == chosen { theme.selected() } else { theme.dim() };
        let mut spans = vec![Span::styled(format!("○ {}", s.node_id.short()), style), Span::raw(format!("  {at}"))];
        if s.protocol != crate::sync::discovery::PROTOCOL_VERSION {
            spans.push(Span::styled(format!("  ⚠ {}", app.t(i18n::LAN_OTHER_PROTOCOL)), theme.error()));
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
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(app.t(i18n::TAB_SYNC))),
        area,
    );
}

/// The statistics tab's overview.
pub(super) fn reports(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
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
            r.uncovered.len(),
            app.t(i18n::UNCOVERED)
        )))
        .gauge_style(theme.accent())
        .ratio(c.work_rate.unwrap_or(0.0).clamp(0.0, 1.0))
        .label(format!(
            "{} {}  ({}/{}) · {} {}",
            app.t(i18n::WORK_COVERAGE),
            crate::domain::report::percent(c.work_rate),
            c.work_covered,
            c.base,
            app.t(i18n::ORG_COVERAGE),
            crate::domain::report::percent(c.organization_rate)
        ));
    frame.render_widget(gauge, gauge_area);
    // Every bar must fit: the category chart takes the width its bars need
    // (at least 60%), the status chart the rest; bars narrow before any is dropped.
    let (n_cat, n_status) = (r.by_category.0.len().max(1) as u16, r.by_legal_status.0.len().max(1) as u16);
    let status_needs = n_status * 7 + 1;
    let cat_needs = n_cat * 9 + 1;
    let left_width = cat_needs.max(charts.width * 6 / 10).min(charts.width.saturating_sub(status_needs));
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(0)]).areas(charts);
    let bar_width =
        |area: Rect, n: u16, most: u16| ((area.width.saturating_sub(2) + 1) / n).saturating_sub(1).clamp(2, most);
    let lang = app.lang;
    fn bars<K: crate::domain::Vocabulary + Ord + serde::Serialize>(
        items: &crate::domain::report::Counts<K>,
        lang: crate::domain::Lang,
        width: u16,
    ) -> Vec<Bar<'static>> {
        items
            .0
            .iter()
            .map(|(k, n)| {
                Bar::default()
                    .value(*n as u64)
                    .text_value(n.to_string())
                    .label(Line::from(cut(k.label(lang), width as usize)))
            })
            .collect()
    }
    let cat_bar = bar_width(left, n_cat, 8);
    let cat = BarChart::default()
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::BY_CATEGORY)))
        .data(BarGroup::default().bars(&bars(&r.by_category, lang, cat_bar)))
        .bar_width(cat_bar)
        .bar_gap(1)
        .bar_style(theme.accent());
    frame.render_widget(cat, left);
    let status_bar = bar_width(right, n_status, 6);
    let status = BarChart::default()
        .block(Block::default().borders(Borders::ALL).title(app.t(i18n::BY_STATUS)))
        .data(BarGroup::default().bars(&bars(&r.by_legal_status, lang, status_bar)))
        .bar_width(status_bar)
        .bar_gap(1)
        .bar_style(theme.accent());
    frame.render_widget(status, right);
    let rates: Vec<String> = r
        .attendance_rates
        .iter()
        .map(|t| format!("{} {}", t.title.chars().take(8).collect::<String>(), crate::domain::report::percent(t.rate)))
        .collect();
    let lines = vec![
        Line::from(format!(
            "{}: {}   {}: {}",
            app.t(i18n::TOTAL),
            r.base.surviving,
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

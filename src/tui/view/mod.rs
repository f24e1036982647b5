//! Drawing: a pure function of the app state into a frame.

mod bodies;
mod ledger;
pub mod network;
mod popups;
mod stats;
mod work;

pub use popups::list_title;

use super::app::{App, Hits, Tab};
use super::i18n;
use super::keymap;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Colors, or none for poor terminals.
pub struct Theme {
    pub mono: bool,
}

impl Theme {
    pub fn accent(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        }
    }
    pub fn selected(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().bg(Color::Blue).fg(Color::White)
        }
    }
    pub fn error(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::default().fg(Color::Red)
        }
    }
    pub fn warn(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::Yellow)
        }
    }
    pub fn dim(&self) -> Style {
        if self.mono {
            Style::default()
        } else {
            Style::default().fg(Color::DarkGray)
        }
    }
}

/// Splits text into lines of at most `width` display columns (CJK is two),
/// breaking after a space when one is near, else between characters.
pub fn wrap_columns(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(4);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in para.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                // Carry a cut-off word to the next line when it is short.
                let carry = match line.rfind(' ') {
                    Some(at) if UnicodeWidthStr::width(&line[at..]) < width / 3 => line.split_off(at + 1),
                    _ => String::new(),
                };
                lines.push(line.trim_end().to_string());
                used = UnicodeWidthStr::width(carry.as_str());
                line = carry;
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines
}

/// Text cut to `width` display columns (an ellipsis marks the cut) and
/// padded to exactly that width, so columns line up with CJK.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total = UnicodeWidthStr::width(text);
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if total > width && used + w + 1 > width || used + w > width {
            if total > width {
                out.push('…');
                used += 1;
            }
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// The status line's height: an error that does not fit beside the sync
/// state goes wrapped on the lines below (up to four), so it is never cut.
fn status_height(app: &App, width: u16, height: u16) -> u16 {
    match app.messages.last() {
        Some((true, text)) => {
            let beside = UnicodeWidthStr::width(status_prefix(app).as_str()) + UnicodeWidthStr::width(text.as_str());
            if beside <= width as usize && !text.contains('\n') {
                return 1;
            }
            let lines = 1 + wrap_columns(text, width as usize).len() as u16;
            lines.min(5).min(height.saturating_sub(6)).max(1)
        }
        _ => 1,
    }
}

/// Draws the whole screen from the app's state; returns where things
/// landed (tab titles, list rows, a page's rows) for mouse clicks and
/// paging (`App::drawn`).
pub fn draw(frame: &mut Frame, app: &App) -> Hits {
    // A screen without a list (loading, the sync tab) keeps the last page size.
    let mut hits = Hits { page: app.hits.page, ..Hits::default() };
    let hits = &mut hits;
    let theme = Theme { mono: app.monochrome };
    let area = frame.area();
    let [top, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(status_height(app, area.width, area.height)),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, hits, &theme, top);
    if !app.loaded {
        frame.render_widget(Paragraph::new(app.t(i18n::LOADING)), body);
    } else {
        bodies::draw(frame, app, hits, &theme, body);
    }
    draw_status(frame, app, &theme, status);
    draw_footer(frame, app, &theme, footer);
    // The help overlay is two lines shorter than the screen, inside a border.
    hits.overlay_rows = frame.area().height.saturating_sub(4) as usize;
    popups::draw(frame, app, &theme);
    std::mem::take(hits)
}

fn draw_tabs(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    // A list tab holding conflicted records says how many.
    let title = |tab: Tab, name: &str| match app.derived.conflict_counts[tab] {
        n if n > 0 => format!("{} {name} ⚠{n}", tab.index() + 1),
        _ => format!("{} {name}", tab.index() + 1),
    };
    let mut titles: Vec<String> = Tab::ALL.iter().map(|t| title(*t, t.title().get(app.lang))).collect();
    let width: usize = titles.iter().map(|t| UnicodeWidthStr::width(t.as_str()) + 1).sum();
    if width > area.width as usize && app.lang == crate::domain::Lang::En {
        titles = Tab::ALL.iter().map(|t| title(*t, t.short_title())).collect();
    }
    // Where each title lands, for mouse clicks: titles are joined by a one-column divider.
    let mut x = area.x;
    hits.tabs = titles
        .iter()
        .map(|t| {
            let w = UnicodeWidthStr::width(t.as_str()) as u16;
            let range = (x, x + w);
            x += w + 1;
            range
        })
        .collect();
    let tabs = Tabs::new(titles).select(app.tab.index()).highlight_style(theme.selected()).divider("│").padding("", "");
    frame.render_widget(tabs, area);
}

fn federation_name(app: &App) -> String {
    app.data.federation.as_ref().map_or_else(|| app.t(i18n::NO_FEDERATION).to_string(), |f| f.name.clone())
}

/// What precedes the last message on the status line.
fn status_prefix(app: &App) -> String {
    format!(" {}  {}{}  ", federation_name(app), conflict_count_text(app), sync_status_text(app).0)
}

/// "⚠ 冲突 3 (F7) " when any record holds conflicting edits, else nothing.
pub fn conflict_count_text(app: &App) -> String {
    match app.data.conflicted.len() {
        0 => String::new(),
        n => format!("⚠ {} {n} (F7)  ", app.t(i18n::CONFLICT_TOTAL)),
    }
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut spans = vec![Span::styled(format!(" {} ", federation_name(app)), theme.selected()), Span::raw(" ")];
    let conflicts = conflict_count_text(app);
    if !conflicts.is_empty() {
        spans.push(Span::styled(conflicts, theme.warn()));
    }
    let (text, failed) = sync_status_text(app);
    spans.push(Span::styled(text, if failed { theme.error() } else { theme.dim() }));
    match app.messages.last() {
        // An error that does not fit goes on the lines below, wrapped whole.
        Some((true, text)) if area.height > 1 => {
            let mut lines = vec![Line::from(spans)];
            lines.extend(
                wrap_columns(text, area.width as usize).into_iter().map(|l| Line::from(Span::styled(l, theme.error()))),
            );
            frame.render_widget(Paragraph::new(lines), area);
        }
        Some((is_error, text)) => {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(text.replace('\n', " "), if *is_error { theme.error() } else { theme.accent() }));
            frame.render_widget(Paragraph::new(Line::from(spans)), area);
        }
        None => frame.render_widget(Paragraph::new(Line::from(spans)), area),
    }
}

/// The node's state in a few words, and whether it is a failure.
pub fn sync_status_text(app: &App) -> (String, bool) {
    use crate::sync::NodeStatus;
    let port = |addr: &std::net::SocketAddr| format!(" :{}", addr.port());
    match &app.sync {
        None => (app.t(i18n::SYNC_IDLE).to_string(), false),
        Some(NodeStatus::Listening { addr }) => (format!("{}{}", app.t(i18n::SYNC_LISTENING), port(addr)), false),
        Some(NodeStatus::NoPeers { addr }) => {
            (format!("{}{} · {}", app.t(i18n::SYNC_LISTENING), port(addr), app.t(i18n::SYNC_NO_PEERS)), false)
        }
        Some(NodeStatus::Syncing { .. }) => (app.t(i18n::SYNC_RUNNING).to_string(), false),
        Some(NodeStatus::Synced { at, peers_failed, changes_in, .. }) => {
            let mut text = format!("{} {at}", app.t(i18n::SYNC_DONE));
            if *changes_in > 0 {
                text.push_str(&format!(" · {changes_in} {}", app.t(i18n::SYNC_NEW_CHANGES)));
            }
            if *peers_failed > 0 {
                text.push_str(&format!(" · {peers_failed} {}", app.t(i18n::SYNC_FAILED)));
            }
            (text, *peers_failed > 0)
        }
    }
}

/// The keys that work here, from the binding table, as many as fit the
/// width in priority order (whole hints only, never cut mid-way).
pub fn footer_text(app: &App, width: usize) -> String {
    let mut text = String::new();
    for b in keymap::footer(app.scope(), app.tab) {
        let hint = b.help.get(app.lang);
        let sep = if text.is_empty() { 0 } else { 2 };
        if UnicodeWidthStr::width(text.as_str()) + sep + UnicodeWidthStr::width(hint) > width {
            continue;
        }
        if sep > 0 {
            text.push_str("  ");
        }
        text.push_str(hint);
    }
    text
}

fn draw_footer(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    frame.render_widget(Paragraph::new(footer_text(app, area.width as usize)).style(theme.dim()), area);
}

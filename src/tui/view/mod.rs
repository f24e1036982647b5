//! Drawing: a pure function of the app state into a frame.

mod bodies;
mod popups;

pub use popups::list_title;

use super::app::{App, TABS};
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

pub fn draw(frame: &mut Frame, app: &mut App) {
    let theme = Theme { mono: app.monochrome };
    let [top, body, status, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1), Constraint::Length(1)])
            .areas(frame.area());
    draw_tabs(frame, app, &theme, top);
    if !app.loaded {
        frame.render_widget(Paragraph::new(app.t(i18n::LOADING)), body);
    } else {
        bodies::draw(frame, app, &theme, body);
    }
    draw_status(frame, app, &theme, status);
    draw_footer(frame, app, &theme, footer);
    // The help overlay is two lines shorter than the screen, inside a border.
    app.hits.overlay_rows = frame.area().height.saturating_sub(4) as usize;
    popups::draw(frame, app, &theme);
    app.dirty = false;
}

fn draw_tabs(frame: &mut Frame, app: &mut App, theme: &Theme, area: Rect) {
    let titles: Vec<String> = TABS.iter().enumerate().map(|(i, t)| format!("{} {}", i + 1, t.get(app.lang))).collect();
    // Where each title lands, for mouse clicks: titles are joined by a one-column divider.
    let mut x = area.x;
    app.hits.tabs = titles
        .iter()
        .map(|t| {
            let w = UnicodeWidthStr::width(t.as_str()) as u16;
            let range = (x, x + w);
            x += w + 1;
            range
        })
        .collect();
    let tabs = Tabs::new(titles).select(app.tab).highlight_style(theme.selected()).divider("│").padding("", "");
    frame.render_widget(tabs, area);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let fed = app.data.federation.as_ref().map_or_else(|| app.t(i18n::NO_FEDERATION).to_string(), |f| f.name.clone());
    let mut spans = vec![Span::styled(format!(" {fed} "), theme.selected()), Span::raw(" ")];
    let (text, failed) = sync_status_text(app);
    spans.push(Span::styled(text, if failed { theme.error() } else { theme.dim() }));
    if let Some((is_error, text)) = app.messages.last() {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(text.replace('\n', " "), if *is_error { theme.error() } else { theme.accent() }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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

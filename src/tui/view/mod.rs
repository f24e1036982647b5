//! Drawing: a pure function of the app state into a frame.

mod bodies;
mod popups;

use super::app::{App, Mode, TABS};
use super::i18n;
use super::keymap;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use ratatui::Frame;

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
    popups::draw(frame, app, &theme);
    app.dirty = false;
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let titles: Vec<String> = TABS.iter().enumerate().map(|(i, t)| format!("{} {}", i + 1, t.get(app.lang))).collect();
    let tabs = Tabs::new(titles).select(app.tab).highlight_style(theme.selected()).divider("│").padding("", "");
    frame.render_widget(tabs, area);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let fed = app.data.federation.as_ref().map_or_else(|| app.t(i18n::NO_FEDERATION).to_string(), |f| f.name.clone());
    let mut spans = vec![
        Span::styled(format!(" {fed} "), theme.selected()),
        Span::raw(" "),
        Span::styled(app.t(i18n::SYNC_IDLE), theme.dim()),
    ];
    if let Some((is_error, text)) = app.messages.last() {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(text.replace('\n', " "), if *is_error { theme.error() } else { theme.accent() }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let hints: Vec<&str> =
        keymap::footer(app.scope()).map(|b| b.help.get(app.lang)).filter(|h| !h.is_empty()).collect();
    let text = if matches!(app.mode, Mode::Form(_)) { app.t(i18n::FORM_HINT).to_string() } else { hints.join("  ") };
    frame.render_widget(Paragraph::new(text).style(theme.dim()), area);
}

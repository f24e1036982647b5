//! Popups over the body: forms, confirmations, pickers, help, messages.

use super::Theme;
use crate::domain::Vocabulary;
use crate::tui::app::{App, Mode};
use crate::tui::forms::Form;
use crate::tui::i18n;
use crate::tui::keymap::BINDINGS;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    match &app.mode {
        Mode::Filter => {
            // The filter is typed into the list's title; park the cursor there.
            let prefix = format!("{}  {}: ", app.t(i18n::TAB_ORGS), app.t(i18n::FILTER));
            let (_, caret) = app.filter.visible(40);
            let x = 2 + UnicodeWidthStr::width(prefix.as_str()) + caret;
            frame.set_cursor_position(Position::new((x as u16).min(area.width.saturating_sub(1)), 1));
        }
        Mode::Form(form) => draw_form(frame, app, theme, form, None),
        Mode::ConfirmExit(form) => draw_form(frame, app, theme, form, Some(app.t(i18n::CONFIRM_EXIT))),
        Mode::ConfirmQuit(_) => message_box(frame, theme, "hubsync", app.t(i18n::CONFIRM_QUIT)),
        Mode::Help => help(frame, app, theme),
        Mode::Messages => messages(frame, app, theme),
        Mode::Setup { choice } => {
            let items = [app.t(i18n::SETUP_CREATE), app.t(i18n::SETUP_DEMO)];
            picker(frame, theme, app.t(i18n::SETUP_TITLE), app.t(i18n::SETUP_BODY), &items.map(String::from), *choice);
        }
        Mode::Conflicts { choice } => {
            let items: Vec<String> = app
                .conflict_choices()
                .iter()
                .map(|(field, value)| format!("{field}: {}", value.as_str().map_or(value.to_string(), str::to_string)))
                .collect();
            if items.is_empty() {
                message_box(frame, theme, app.t(i18n::CONFLICTS), app.t(i18n::NO_CONFLICTS));
            } else {
                picker(frame, theme, app.t(i18n::CONFLICTS), app.t(i18n::CONFLICT_HINT), &items, *choice);
            }
        }
        Mode::Assign { org, choice } => {
            let name = app.data.orgs.iter().find(|r| &r.id == org).map_or(String::new(), |r| r.name.clone());
            let items: Vec<String> = app
                .liaison_candidates()
                .iter()
                .map(|p| format!("{}  {}", p.name, crate::domain::code_list::labels(&p.roles, app.lang)))
                .collect();
            picker(
                frame,
                theme,
                &format!("{} {name}", app.t(i18n::ASSIGN_TITLE)),
                app.t(i18n::ASSIGN_HINT),
                &items,
                *choice,
            );
        }
        Mode::SignIn { input, choice, .. } => {
            let items: Vec<String> = app.sign_in_matches(input.text()).iter().map(|p| p.name.clone()).collect();
            let popup = centered(area, 50, 16);
            frame.render_widget(Clear, popup);
            let block = Block::default().borders(Borders::ALL).title(app.t(i18n::SIGN_IN));
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            let [search, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            let (shown, caret) = input.visible(search.width.saturating_sub(2) as usize);
            frame.render_widget(Paragraph::new(format!("> {shown}")), search);
            frame.set_cursor_position(Position::new(search.x + 2 + caret as u16, search.y));
            let mut state = ListState::default();
            if !items.is_empty() {
                state.select(Some(*choice));
            }
            let list_widget = List::new(items.into_iter().map(ListItem::new)).highlight_style(theme.selected());
            frame.render_stateful_widget(list_widget, list, &mut state);
        }
        Mode::CancelBooking { choice } => {
            let items: Vec<String> = app
                .venue_conflicts()
                .iter()
                .map(|b| format!("{} {}–{} {} [{}]", b.date, b.start, b.end, b.purpose, b.status.label(app.lang)))
                .collect();
            picker(frame, theme, app.t(i18n::CANCEL_BOOKING), app.t(i18n::CONFLICT_HINT), &items, *choice);
        }
        Mode::Text(text) => {
            // Tall enough for the whole code, so it can be copied.
            let width = 78.min(area.width);
            let per_line = width.saturating_sub(2).max(1) as usize;
            let height = (text.chars().count().div_ceil(per_line) as u16 + 2).min(area.height);
            let popup = centered(area, width, height);
            frame.render_widget(Clear, popup);
            frame.render_widget(
                Paragraph::new(text.as_str()).wrap(Wrap { trim: false }).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(Span::styled(app.t(i18n::INVITE_CODE), theme.accent())),
                ),
                popup,
            );
        }
        Mode::Browse => {}
    }
}

fn draw_form(frame: &mut Frame, app: &App, theme: &Theme, form: &Form, confirm: Option<&str>) {
    let area = frame.area();
    let height = (form.fields.len() as u16 + 4 + u16::from(confirm.is_some())).min(area.height);
    let popup = centered(area, 76, height);
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(app.t(form.title), theme.accent()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let label_width = form.fields.iter().map(|f| UnicodeWidthStr::width(f.label)).max().unwrap_or(8) as u16 + 2;
    let value_width = inner.width.saturating_sub(label_width + 1);
    // Scroll the fields so the focused one is visible on small screens.
    let rows = inner.height.saturating_sub(1 + u16::from(confirm.is_some())) as usize;
    let first = form.focus.saturating_sub(rows.saturating_sub(1));
    for (row, (i, f)) in form.fields.iter().enumerate().skip(first).take(rows).enumerate() {
        let y = inner.y + row as u16;
        let marker = if f.required { "*" } else { " " };
        let label_style = if i == form.focus { theme.selected() } else { Style::default() };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{marker}{}", f.label), label_style)),
            Rect::new(inner.x, y, label_width, 1),
        );
        let (shown, caret) = f.input.visible(value_width as usize);
        let mut spans = vec![Span::raw(shown.clone())];
        if !f.choices.is_empty() {
            spans.push(Span::styled(" ◂▸", theme.dim()));
        }
        if let Some(e) = &f.error {
            spans.push(Span::styled(format!("  ✗ {e}"), theme.error()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), Rect::new(inner.x + label_width, y, value_width, 1));
        if i == form.focus {
            frame.set_cursor_position(Position::new(inner.x + label_width + caret as u16, y));
        }
    }
    let mut y = inner.y + inner.height.saturating_sub(1);
    if let Some(text) = confirm {
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.warn())),
            Rect::new(inner.x, y.saturating_sub(1), inner.width, 1),
        );
    }
    if let Some(m) = &form.message {
        frame.render_widget(
            Paragraph::new(Span::styled(m.replace('\n', " "), theme.error())),
            Rect::new(inner.x, y, inner.width, 1),
        );
    } else {
        y = y.min(inner.y + inner.height);
        frame.render_widget(
            Paragraph::new(Span::styled(app.t(i18n::FORM_HINT), theme.dim())),
            Rect::new(inner.x, y, inner.width, 1),
        );
    }
}

fn message_box(frame: &mut Frame, theme: &Theme, title: &str, text: &str) {
    let popup = centered(frame.area(), 60, 5);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(Span::styled(title.to_string(), theme.accent()))),
        popup,
    );
}

fn picker(frame: &mut Frame, theme: &Theme, title: &str, hint: &str, items: &[String], choice: usize) {
    let popup = centered(frame.area(), 60, (items.len() as u16 + 4).clamp(6, 18));
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title.to_string(), theme.accent()))
        .title_bottom(hint.to_string());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut state = ListState::default();
    if !items.is_empty() {
        state.select(Some(choice.min(items.len() - 1)));
    }
    let list = List::new(items.iter().map(|i| ListItem::new(i.clone())))
        .highlight_style(theme.selected())
        .highlight_symbol("▶ ");
    frame.render_stateful_widget(list, inner, &mut state);
}

fn help(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let popup = centered(area, 70, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let lines: Vec<Line> = BINDINGS
        .iter()
        .filter(|b| !b.help.get(app.lang).is_empty())
        .map(|b| {
            let scope = format!("{:?}", b.scope);
            Line::from(vec![Span::styled(format!("{scope:<7}"), theme.dim()), Span::raw(b.help.get(app.lang))])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(app.t(i18n::HELP_TITLE), theme.accent()))),
        popup,
    );
}

fn messages(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let popup = centered(area, 76, area.height.saturating_sub(4));
    frame.render_widget(Clear, popup);
    let lines: Vec<Line> = app
        .messages
        .iter()
        .rev()
        .map(|(err, text)| Line::from(Span::styled(text.clone(), if *err { theme.error() } else { Style::default() })))
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(app.t(i18n::MESSAGES))),
        popup,
    );
}

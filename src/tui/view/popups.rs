//! Popups over the body: forms, confirmations, pickers, help, messages.

use super::{fit, wrap_columns, Theme};
use crate::tui::app::{App, Mode, Tab};
use crate::tui::forms::{Form, FormKind};
use crate::tui::i18n;
use crate::tui::keymap::{self, help_lines};
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

/// The list title of the current tab (the coverage view names itself).
pub fn list_title(app: &App) -> String {
    match app.tab {
        Tab::Orgs if app.org_filter.uncovered => app.t(i18n::COVERAGE_VIEW).to_string(),
        Tab::Activities | Tab::Projects => super::work::view_title(app),
        Tab::Reports => super::stats::view_title(app),
        tab => app.t(tab.title()).to_string(),
    }
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    draw_mode(frame, app, theme, &app.mode);
}

/// Draws a mode; an overlay first draws what it covers, so a form stays
/// visible (and unchanged) under help or the message history.
fn draw_mode(frame: &mut Frame, app: &App, theme: &Theme, mode: &Mode) {
    let area = frame.area();
    match mode {
        Mode::Browse | Mode::Filter => {}
        Mode::Form(form) => draw_form(frame, app, theme, form),
        Mode::ConfirmExit(form) => {
            draw_form(frame, app, theme, form);
            confirm_exit(frame, app, theme, form);
        }
        Mode::ConfirmQuit(back) => {
            draw_mode(frame, app, theme, back);
            message_box(frame, theme, "hubsync", app.t(i18n::CONFIRM_QUIT));
        }
        Mode::ConfirmDiscard(form) => {
            draw_form(frame, app, theme, form);
            message_box(frame, theme, "hubsync", app.t(i18n::CONFIRM_DISCARD));
        }
        Mode::Help { scroll, back } => {
            draw_mode(frame, app, theme, back);
            help(frame, app, theme, *scroll);
        }
        Mode::Messages { scroll, back } => {
            draw_mode(frame, app, theme, back);
            messages(frame, app, theme, *scroll);
        }
        Mode::Pick(picker) => {
            if let crate::tui::picker::PickFor::Field { form, .. } = &picker.purpose {
                draw_form(frame, app, theme, form);
            }
            pick(frame, app, theme, picker);
        }
        Mode::ImportPreview(preview) => crate::tui::import::render(frame, app, area, preview),
        Mode::Text(text) => {
            // Tall enough for the whole code, so it can be copied.
            let width = 78.min(area.width);
            let per_line = width.saturating_sub(2).max(1) as usize;
            // Each line as wrapped, in display columns (the QR rows and
            // the short code beside them are lines of their own).
            let lines: usize =
                text.lines().map(|l| unicode_width::UnicodeWidthStr::width(l).div_ceil(per_line).max(1)).sum();
            let height = (lines as u16 + 2).min(area.height);
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
    }
}

/// The filtering picker: the search, how many match, and the matches with
/// their detail (beside, or under each when the picker says), the chosen
/// one highlighted and kept in view; its note, wrapped, at the foot.
fn pick(frame: &mut Frame, app: &App, theme: &Theme, picker: &crate::tui::picker::Picker) {
    let area = frame.area();
    let matches = picker.matches();
    let width = 76.min(area.width);
    let note: Vec<String> = picker
        .note
        .iter()
        .flat_map(|n| n.lines())
        .flat_map(|l| wrap_columns(l, width.saturating_sub(2) as usize))
        .collect();
    let per_item: u16 = if picker.two_lines { 2 } else { 1 };
    // As tall as the list and the note need (a search line and borders), at most the screen less four.
    let wanted = picker.items.len() as u16 * per_item + note.len() as u16 + 3;
    let popup = centered(area, width, wanted.min(area.height.saturating_sub(4).clamp(6, 20)).max(6));
    frame.render_widget(Clear, popup);
    let subject = picker.subject.as_ref().map_or(String::new(), |s| format!(" · {s}"));
    let title = format!("{}{subject} · {}/{}", app.t(picker.title), matches.len(), picker.items.len());
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.accent())).title_bottom(
        match picker.hint_unmatched {
            Some(hint) if matches.is_empty() && !picker.input.text().trim().is_empty() => app.t(hint),
            _ => app.t(picker.hint),
        },
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // The note keeps at least one row for the list; what it cannot show is in its first lines.
    let note_rows = (note.len() as u16).min(inner.height.saturating_sub(2));
    let [search, list, foot] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(note_rows)]).areas(inner);
    let (shown, caret) = picker.input.visible(search.width.saturating_sub(2) as usize);
    frame.render_widget(Paragraph::new(format!("> {shown}")), search);
    frame.set_cursor_position(Position::new(search.x + 2 + caret as u16, search.y));
    let text_width = (list.width as usize).saturating_sub(2);
    // The name column as wide as the widest name shown, within reason.
    let name_width =
        picker.items.iter().map(|i| UnicodeWidthStr::width(i.name.as_str())).max().unwrap_or(8).clamp(8, 24);
    // A column of ✓ once anything is done (signed in).
    let marks = picker.items.iter().any(|i| i.checked);
    let detail_width = (list.width as usize).saturating_sub(name_width + 4 + if marks { 2 } else { 0 });
    // Only the rows around the choice are built: a list can hold thousands.
    let rows = (list.height / per_item).max(1) as usize;
    let first = picker.choice.saturating_sub(rows.saturating_sub(1));
    let items: Vec<ListItem> = matches
        .iter()
        .skip(first)
        .take(rows)
        .map(|m| {
            if picker.two_lines {
                ListItem::new(vec![
                    Line::from(fit(&m.name, text_width)),
                    Line::from(Span::styled(fit(&format!("  {}", m.detail), text_width), theme.dim())),
                ])
            } else {
                let mark = match (marks, m.checked) {
                    (false, _) => "",
                    (true, true) => "✓ ",
                    (true, false) => "  ",
                };
                let line = format!("{mark}{}  {}", fit(&m.name, name_width), fit(&m.detail, detail_width));
                ListItem::new(Span::styled(line, if m.checked { theme.dim() } else { Style::default() }))
            }
        })
        .collect();
    let mut state = ListState::default();
    if !items.is_empty() && !picker.waits_for_search() {
        state.select(Some(picker.choice - first));
    }
    let widget = List::new(items).highlight_style(theme.selected()).highlight_symbol("▶ ");
    frame.render_stateful_widget(widget, list, &mut state);
    let note: Vec<Line> = note.into_iter().map(|l| Line::from(Span::styled(l, theme.dim()))).collect();
    frame.render_widget(Paragraph::new(note), foot);
}

fn confirm_exit(frame: &mut Frame, app: &App, theme: &Theme, form: &Form) {
    let FormKind::ExitOrg(id) = &form.kind else { return };
    let name = app.org_name(id).unwrap_or(id.as_str());
    let popup = centered(frame.area(), 60, 7);
    frame.render_widget(Clear, popup);
    let lines = vec![
        Line::from(app.t(i18n::CONFIRM_EXIT)),
        Line::from(Span::styled(name.to_string(), theme.accent())),
        Line::from(format!("{}  {}  {}", form.value("exit_kind"), form.value("date"), form.value("reason"))),
        Line::from(Span::styled(app.t(i18n::CONFIRM_EXIT_KEYS), theme.warn())),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default().borders(Borders::ALL).title(Span::styled(app.t(i18n::CONFIRM_EXIT_TITLE), theme.accent())),
        ),
        popup,
    );
}

fn draw_form(frame: &mut Frame, app: &App, theme: &Theme, form: &Form) {
    let area = frame.area();
    let width = 76.min(area.width);
    // Errors in full under the fields, wrapped, the focused field's first:
    // a field's row only marks it (✗), since its value takes the width.
    let text_width = width.saturating_sub(2) as usize;
    let label = |f: &crate::tui::forms::FormField| f.label.get(app.lang);
    let focused = form.fields.get(form.focus);
    // One error shared by several fields (a group: the weights) is said once, naming them all.
    let mut shared: Vec<(Vec<&str>, &str)> = Vec::new();
    for f in focused.into_iter().chain(form.fields.iter().enumerate().filter(|(i, _)| *i != form.focus).map(|(_, f)| f))
    {
        let Some(e) = f.error.as_deref() else { continue };
        match shared.iter_mut().find(|(_, same)| *same == e) {
            Some((labels, _)) => labels.push(label(f)),
            None => shared.push((vec![label(f)], e)),
        }
    }
    let errors: Vec<String> = shared
        .iter()
        .map(|(labels, e)| format!("✗ {}", crate::tui::forms::field_error(&labels.join("、"), e)))
        .chain(form.message.iter().cloned())
        .collect();
    let mut panel: Vec<Line> = errors
        .iter()
        .flat_map(|e| wrap_columns(e, text_width))
        .map(|l| Line::from(Span::styled(l, theme.error())))
        .collect();
    if panel.is_empty() {
        panel.push(Line::from(Span::styled(app.t(i18n::FORM_HINT), theme.dim())));
    }
    // At least three fields stay visible; the errors take the rest.
    let min_fields = (form.fields.len() as u16).min(3);
    panel.truncate(area.height.saturating_sub(2 + min_fields).max(1) as usize);
    let height = (form.fields.len() as u16 + 2 + panel.len() as u16).min(area.height);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    let title = match &form.subject {
        Some(s) => format!("{} · {s}", app.t(form.title)),
        None => app.t(form.title).to_string(),
    };
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.accent()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let label_width = form.fields.iter().map(|f| UnicodeWidthStr::width(label(f))).max().unwrap_or(8) as u16 + 2;
    let value_width = inner.width.saturating_sub(label_width + 1);
    // Scroll the fields so the focused one is visible on small screens.
    let rows = inner.height.saturating_sub(panel.len() as u16).max(1) as usize;
    let first = form.focus.saturating_sub(rows.saturating_sub(1));
    for (row, (i, f)) in form.fields.iter().enumerate().skip(first).take(rows).enumerate() {
        let y = inner.y + row as u16;
        let marker = if f.error.is_some() {
            "✗"
        } else if f.required {
            "*"
        } else {
            " "
        };
        let label_style = match (i == form.focus, f.error.is_some()) {
            (true, _) => theme.selected(),
            (false, true) => theme.error(),
            _ => Style::default(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{marker}{}", label(f)), label_style)),
            Rect::new(inner.x, y, label_width, 1),
        );
        let (shown, caret) = f.input.visible(value_width as usize);
        let mut spans = vec![Span::raw(shown.clone())];
        if f.multi && i == form.focus {
            // The pointer Space ticks: the choice and whether it is ticked.
            if let Some(c) = f.choices.get(f.cursor).map(|c| c.get(app.lang)) {
                let mark = if f.ticked(app.lang).contains(&c) { "☑" } else { "☐" };
                spans.push(Span::styled(format!("  ◂{mark} {c}▸ "), theme.accent()));
                spans.push(Span::styled(app.t(i18n::MULTI_HINT), theme.dim()));
            }
        } else if !f.choices.is_empty() {
            spans.push(Span::styled(" ◂▸", theme.dim()));
        }
        if f.pick.is_some() && i == form.focus {
            spans.push(Span::styled(format!("  {}", app.t(i18n::PICK_FIELD_HINT)), theme.dim()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), Rect::new(inner.x + label_width, y, value_width, 1));
        if i == form.focus {
            frame.set_cursor_position(Position::new(inner.x + label_width + caret as u16, y));
        }
    }
    let panel_y = inner.y + rows.min(form.fields.len()) as u16;
    let panel_height = (inner.y + inner.height).saturating_sub(panel_y);
    frame.render_widget(Paragraph::new(panel), Rect::new(inner.x, panel_y, inner.width, panel_height));
}

fn message_box(frame: &mut Frame, theme: &Theme, title: &str, text: &str) {
    // Tall enough for the wrapped text (CJK is two columns a character).
    let lines = (UnicodeWidthStr::width(text) as u16).div_ceil(54) + 1;
    let popup = centered(frame.area(), 60, lines + 3);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(Span::styled(title.to_string(), theme.accent()))),
        popup,
    );
}

fn help(frame: &mut Frame, app: &App, theme: &Theme, scroll: usize) {
    let area = frame.area();
    let popup = centered(area, 76, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let all = help_lines();
    let rows = popup.height.saturating_sub(2) as usize;
    let scroll = scroll.min(all.len().saturating_sub(rows));
    let lines: Vec<Line> = all
        .iter()
        .skip(scroll)
        .take(rows)
        .map(|(scope, b)| match b {
            None => Line::from(Span::styled(format!("— {} —", scope.name().get(app.lang)), theme.accent())),
            Some(b) => {
                let tabs = tab_names(app, b.tabs);
                let mut spans = vec![Span::raw(format!("  {}", b.help.get(app.lang)))];
                if !tabs.is_empty() {
                    spans.push(Span::styled(format!("  ({tabs})"), theme.dim()));
                }
                Line::from(spans)
            }
        })
        .collect();
    let position = format!(" {}–{}/{} ", scroll + 1, (scroll + rows).min(all.len()), all.len());
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(app.t(i18n::HELP_TITLE), theme.accent()))
                .title_bottom(position),
        ),
        popup,
    );
}

/// The tabs a binding is limited to, or nothing when it applies on all.
fn tab_names(app: &App, tabs: u8) -> String {
    if tabs == keymap::ALL || tabs == keymap::LISTS {
        return String::new();
    }
    Tab::ALL.iter().filter(|t| tabs & t.bit() != 0).map(|t| app.t(t.title())).collect::<Vec<_>>().join("/")
}

fn messages(frame: &mut Frame, app: &App, theme: &Theme, scroll: usize) {
    let area = frame.area();
    let popup = centered(area, 76, area.height.saturating_sub(4));
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = app
        .messages
        .iter()
        .rev()
        .skip(scroll)
        .map(|(err, text)| Line::from(Span::styled(text.clone(), if *err { theme.error() } else { Style::default() })))
        .collect();
    if app.messages.is_empty() {
        lines.push(Line::from(app.t(i18n::NO_MESSAGES)));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(Span::styled(app.t(i18n::MESSAGES), theme.accent()))),
        popup,
    );
}

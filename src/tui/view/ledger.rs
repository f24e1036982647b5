//! The projects tab's honours list and 规范化建设 gaps: a list over a
//! detail pane of the selected line.

use super::bodies::marked;
use super::work::{detail, list, record_conflicts};
use super::Theme;
use crate::domain::*;
use crate::tui::app::{App, Hits};
use crate::tui::work_text as w;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Row;
use ratatui::Frame;

pub fn honours(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, list_area: Rect, detail_area: Rect) {
    let lang = app.lang;
    let t = move |x: crate::tui::i18n::T| x.get(lang);
    let header = vec![t(w::YEAR), t(w::LEVEL), t(w::HONOUR_KIND), t(w::HOLDER), t(w::AWARDED_BY)];
    let widths = vec![
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(18),
        Constraint::Min(16),
        Constraint::Min(10),
    ];
    let all = app.derived.honour_lines.len();
    list(frame, app, hits, list_area, all, (header, widths), |app, i| {
        let (at, l) = &app.derived.honour_lines[i];
        let id = &app.data.honours[*at].id;
        Row::new(vec![
            l.year.to_string(),
            l.level.label(app.lang).to_string(),
            l.kind.label(app.lang).to_string(),
            marked(app, id, &l.recipient),
            l.awarded_by.clone(),
        ])
    });
    let mut lines = Vec::new();
    match app.selected_honour() {
        Some((h, l)) => {
            let title = if l.title.is_empty() { format!("{} {}", l.year, l.kind.label(lang)) } else { l.title.clone() };
            lines.push(Line::from(Span::styled(title, theme.accent())));
            let mut holder = format!("{}: {}", t(w::HOLDER), l.recipient);
            if !l.organization.is_empty() && l.organization != l.recipient {
                holder.push_str(&format!(" · {}: {}", t(w::BEHIND), l.organization));
            }
            lines.push(Line::from(holder));
            let date = l.date.map_or(String::new(), |d| format!(" · {d}"));
            lines.push(Line::from(format!(
                "{} · {} · {}: {}{date}",
                l.level.label(lang),
                l.kind.label(lang),
                t(w::AWARDED_BY),
                l.awarded_by
            )));
            lines.extend(record_conflicts(app, theme, &h.id));
        }
        None if all == 0 => lines.push(Line::from(t(w::HONOURS_EMPTY))),
        None => {}
    }
    detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
}

pub fn gaps(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, list_area: Rect, detail_area: Rect) {
    let lang = app.lang;
    let t = move |x: crate::tui::i18n::T| x.get(lang);
    let header = vec![t(w::TOWNSHIP), t(w::LEAD), t(w::GAPS)];
    let widths = vec![Constraint::Length(12), Constraint::Min(16), Constraint::Min(20)];
    let all = if app.gaps_shown() { app.work.gap_rows.len() } else { 0 };
    list(frame, app, hits, list_area, all, (header, widths), |app, i| {
        let r = &app.work.gap_rows[i];
        Row::new(vec![app.gap_township(r).to_string(), r.name.clone(), lacks(r.gaps.as_deref(), app.lang)])
    });
    let mut lines = Vec::new();
    match app.selected_gap() {
        Some((row, town)) => {
            lines.push(Line::from(Span::styled(row.name.clone(), theme.accent())));
            lines.push(Line::from(format!("{}: {}", t(w::GAPS), lacks(row.gaps.as_deref(), lang))));
            lines.push(Line::from(format!(
                "{} {} {} · {} {}",
                app.gap_township(row),
                town.organizations,
                t(w::ORGS_COUNT),
                t(w::CHECKED_OF),
                town.checked
            )));
            let missing: Vec<String> =
                town.missing.iter().filter(|(_, n)| *n > 0).map(|(i, n)| format!("{} {n}", i.label(lang))).collect();
            lines.push(Line::from(format!(
                "{}: {}",
                t(w::GAPS),
                missing.join(if lang == Lang::Zh { "、" } else { ", " })
            )));
        }
        None if !app.gaps_shown() => lines.push(Line::from(t(w::GAPS_LOADING))),
        None => lines.push(Line::from(t(w::GAPS_EMPTY))),
    }
    detail(frame, detail_area, t(crate::tui::i18n::DETAIL), lines);
}

/// The items an organization lacks, or that it has no self-check.
fn lacks(gaps: Option<&[ChecklistItem]>, lang: Lang) -> String {
    match gaps {
        Some(items) => {
            let labels: Vec<&str> = items.iter().map(|i| i.label(lang)).collect();
            labels.join(if lang == Lang::Zh { "、" } else { ", " })
        }
        None => w::UNCHECKED.get(lang).to_string(),
    }
}

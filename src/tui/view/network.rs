//! The sync tab's network view (F6): every federation this node holds, as
//! a tree (province → city → county → …), how each arrives, when a change
//! of it last arrived, its record counts, and those quiet for too long.

use super::Theme;
use crate::domain::{Lang, Level, Vocabulary};
use crate::ops::network::{Arrives, FedRow};
use crate::tui::app::{App, Hits, Tab};
use crate::tui::i18n;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The branch marks before each row's name, from the rows' depths in tree
/// order: `├ ` or `└ ` (the last child) under `│ ` for each ancestor that
/// has later siblings.
pub fn tree_prefixes(depths: &[usize]) -> Vec<String> {
    // Whether the row at `i` is the last child of its parent.
    let last = |i: usize| {
        let d = depths[i];
        depths[i + 1..].iter().find(|e| **e <= d).is_none_or(|e| *e < d)
    };
    let mut open: Vec<bool> = Vec::new(); // per depth: an ancestor with later siblings
    let mut out = Vec::with_capacity(depths.len());
    for (i, &d) in depths.iter().enumerate() {
        open.truncate(d);
        let mut prefix = String::new();
        if d > 0 {
            for k in 1..d {
                prefix.push_str(if open.get(k).copied().unwrap_or(false) { "│ " } else { "  " });
            }
            prefix.push_str(if last(i) { "└ " } else { "├ " });
        }
        open.resize(d + 1, false);
        open[d] = !last(i);
        out.push(prefix);
    }
    out
}

/// `text` cut to `width` display columns, the cut marked with '…'.
pub(crate) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// How a federation arrives; `whole` adds the closing word of the Chinese
/// phrase (经 X 转发), which the table column leaves out for room.
fn arrives(app: &App, a: &Arrives, whole: bool) -> String {
    match a {
        Arrives::Home => app.t(i18n::ARRIVES_HOME).into(),
        Arrives::Direct { peer } => format!("{} {peer}", app.t(i18n::ARRIVES_DIRECT)),
        Arrives::Via { peer } if whole => {
            format!("{} {peer} {}", app.t(i18n::ARRIVES_VIA), app.t(i18n::ARRIVES_VIA_TAIL)).trim_end().to_string()
        }
        Arrives::Via { peer } => format!("{} {peer}", app.t(i18n::ARRIVES_VIA)),
        Arrives::NotRecorded => app.t(i18n::NOT_RECORDED).into(),
    }
}

/// Right-aligned in `width` display columns (numbers under their header).
fn right(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(text.width())))
}

fn stale_mark(row: &FedRow, lang: Lang) -> String {
    match (row.stale, row.days_quiet) {
        (false, _) => String::new(),
        (true, Some(d)) if lang == Lang::Zh => format!("⚠{d}天"),
        (true, Some(d)) => format!("⚠{d}d"),
        (true, None) => "⚠".into(),
    }
}

pub fn draw(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let Some(net) = app.data.network.clone() else {
        frame.render_widget(Paragraph::new(app.t(i18n::LOADING)), area);
        return;
    };
    let lang = app.lang;
    let [list_area, detail_area] = Layout::vertical([Constraint::Min(5), Constraint::Length(5)]).areas(area);
    let stale = net.stale().count();
    let counts = format!(
        " {} {} · {} {stale} ",
        net.federations.len(),
        app.t(i18n::FEDERATIONS_HELD),
        app.t(i18n::STALE_OVER).replace("{n}", &net.stale_days.to_string()),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!("{} · {}", app.t(i18n::NETWORK), app.t(i18n::NETWORK_NOTE)))
        .title_bottom(counts);
    if net.federations.is_empty() {
        frame.render_widget(Paragraph::new(app.t(i18n::NO_NETWORK)).block(block), list_area);
        return;
    }
    let (start, shown) = super::bodies::window(app, hits, list_area, true, net.federations.len());
    let sel = app.selected[Tab::Sync].min(net.federations.len() - 1);
    let level_w =
        Level::all().iter().map(|l| l.label(lang).width()).chain([app.t(i18n::LEVEL).width()]).max().unwrap_or(4);
    let (arrives_w, last_w, count_w, stale_w) = (18, 11, 6, 6);
    // What is left for the tree of names, inside the border and between columns.
    let name_w =
        (list_area.width as usize).saturating_sub(2 + level_w + arrives_w + last_w + 2 * count_w + stale_w + 6).max(8);
    let depths: Vec<usize> = net.federations.iter().map(|r| r.depth).collect();
    let prefixes = tree_prefixes(&depths);
    let rows: Vec<Row> = net.federations[start..start + shown]
        .iter()
        .zip(&prefixes[start..start + shown])
        .map(|(r, prefix)| {
            let name = format!("{prefix}{}", crate::domain::query::short_federation_name(&r.name));
            let style = if r.stale { theme.warn() } else { ratatui::style::Style::default() };
            Row::new(vec![
                Cell::from(fit(&name, name_w)),
                Cell::from(r.level.map_or("", |l| l.label(lang))),
                Cell::from(fit(&arrives(app, &r.arrives, false), arrives_w)),
                Cell::from(r.last_received.map(|t| t.format("%m-%d %H:%M").to_string()).unwrap_or_default()),
                Cell::from(right(&r.orgs.to_string(), count_w)),
                Cell::from(right(&r.records.to_string(), count_w)),
                Cell::from(Span::styled(stale_mark(r, lang), theme.warn())),
            ])
            .style(style)
        })
        .collect();
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(level_w as u16),
        Constraint::Length(arrives_w as u16),
        Constraint::Length(last_w as u16),
        Constraint::Length(count_w as u16),
        Constraint::Length(count_w as u16),
        Constraint::Length(stale_w as u16),
    ];
    let header = Row::new(vec![
        Cell::from(app.t(i18n::FEDERATION)),
        Cell::from(app.t(i18n::LEVEL)),
        Cell::from(app.t(i18n::ARRIVES)),
        Cell::from(app.t(i18n::LAST_RECEIVED)),
        Cell::from(right(app.t(i18n::ORGS_COUNT), count_w)),
        Cell::from(right(app.t(i18n::RECORDS_COUNT), count_w)),
        Cell::from(app.t(i18n::STATUS)),
    ])
    .style(theme.accent());
    let table = Table::new(rows, widths).header(header).block(block).row_highlight_style(theme.selected());
    let mut state = super::bodies::table_state(sel.saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);

    let Some(r) = net.federations.get(sel) else { return };
    let mut lines = vec![Line::from(vec![
        Span::styled(r.name.clone(), theme.accent()),
        Span::styled(format!("  {} · {}", r.division, r.id), theme.dim()),
    ])];
    let when = match (r.last_received, r.days_quiet) {
        (Some(t), Some(d)) => format!("{} ({d} {})", t.format("%Y-%m-%d %H:%M"), app.t(i18n::DAYS_AGO)),
        _ => "—".into(),
    };
    let mut facts = format!(
        "{}: {} · {}: {when}",
        app.t(i18n::ARRIVES),
        arrives(app, &r.arrives, true),
        app.t(i18n::LAST_RECEIVED)
    );
    if let Some(s) = &r.last_session {
        facts.push_str(&format!(" · {}: {s}", app.t(i18n::LAST_SESSION)));
    }
    lines.push(Line::from(facts));
    if r.stale {
        lines.push(Line::from(Span::styled(
            format!(
                "⚠ {}: {}",
                app.t(i18n::STALE),
                app.t(i18n::STALE_OVER).replace("{n}", &net.stale_days.to_string())
            ),
            theme.warn(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL)),
        detail_area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_follow_the_tree() {
        // province; city A (counties a1, a2); city B (county b1)
        let got = tree_prefixes(&[0, 1, 2, 2, 1, 2]);
        assert_eq!(got, vec!["", "├ ", "│ ├ ", "│ └ ", "└ ", "  └ "]);
        // two roots, the second with a child
        assert_eq!(tree_prefixes(&[0, 0, 1]), vec!["", "", "└ "]);
    }

    #[test]
    fn cut_names_keep_to_display_columns() {
        assert_eq!(fit("成都市锦江区", 7), "成都市…");
        assert_eq!(fit("锦江区", 6), "锦江区");
    }
}

//! The statistics tab: the overview (F6 goes on to one line per township,
//! then the liaison load). Every figure is the report's; F12 exports the
//! view shown (the whole workbook from the overview).

use super::bodies::{counts, list_block, split, table_state, window};
use super::Theme;
use crate::domain::report::{decimal, percent, Area, Counts, LiaisonLoad};
use crate::domain::*;
use crate::tui::app::{App, Hits, StatsView};
use crate::tui::i18n::{self, T};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub const VIEW_OVERVIEW: T = T("统计概况", "Overview");
pub const VIEW_TOWNSHIPS: T = T("各乡镇(街道)", "Townships");
pub const VIEW_LIAISONS: T = T("联络员负荷", "Liaison load");
const TOWNSHIP: T = T("乡镇(街道)", "Township");
const SURVIVING: T = T("存续", "Orgs");
const ORG_COV: T = T("组织覆盖", "Org cov.");
const WORK_COV: T = T("工作覆盖", "Work cov.");
const COMMUNITIES: T = T("社区", "Comm.");
const AVG_TARGET: T = T("平均/目标", "Avg/target");
const MEETS: T = T("达标", "Meets");
const YES: T = T("是", "yes");
const NO: T = T("否", "no");
const NAME: T = T("姓名", "Name");
const ROLE: T = T("类型", "Role");
const ASSIGNED: T = T("在岗选派", "Assigned");
const ORGS: T = T("负责组织", "Organizations");
const INSTRUCTOR: T = T("指导员", "Instructor");
const LIAISON: T = T("联络员", "Liaison");
const PEOPLE: T = T("人", "people");
const PER_PERSON: T = T("人均", "average");
const ABOVE_AVERAGE: T = T("▲ 高于平均", "▲ above the average");
const NONE_ASSIGNED: T = T("无在岗选派", "nothing assigned");
const ACTIVE: T = T("活跃", "active");
const DORMANT: T = T("休眠", "dormant");
const EXITED: T = T("已退出(另计)", "exited (apart)");
const NEW_IN_YEAR: T = T("本年新增", "new this year");
const CATEGORY: T = T("类别", "Category");
const LEGAL: T = T("法律状态", "Legal status");
const OWN: T = T("单独", "own");
const JOINT: T = T("联合", "joint");
const ASSIGNMENTS: T = T("在岗选派", "assignments in force");
const DENSITY: T = T("密度", "Density");
const URBAN: T = T("城市", "urban");
const RURAL: T = T("农村", "rural");
const AVERAGE: T = T("平均", "average");
const TARGET: T = T("目标", "target");
const BELOW: T = T("低于自身目标", "below their own target");
const AS_OF: T = T("截至", "as of");

pub fn draw(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    match (app.stats, app.data.report.is_some()) {
        (_, false) | (StatsView::Overview, _) => super::bodies::reports(frame, app, theme, area),
        (StatsView::Townships, true) => townships(frame, app, hits, theme, area),
        (StatsView::Liaisons, true) => liaisons(frame, app, hits, theme, area),
    }
}

/// The list title: the view, F6, and what the whole of it amounts to.
pub fn view_title(app: &App) -> String {
    let t = |x: T| x.get(app.lang);
    let Some(r) = &app.data.report else { return t(i18n::TAB_REPORTS).to_string() };
    match app.stats {
        StatsView::Overview => format!("{} (F6)", t(VIEW_OVERVIEW)),
        StatsView::Townships => format!(
            "{} (F6) · {} {} · {} {}",
            t(VIEW_TOWNSHIPS),
            t(i18n::TOTAL),
            r.total.base.surviving,
            t(AS_OF),
            r.as_of
        ),
        StatsView::Liaisons => format!(
            "{} (F6) · {} {} · {} {}",
            t(VIEW_LIAISONS),
            r.liaison_load.len(),
            t(PEOPLE),
            t(PER_PERSON),
            decimal(app.average_load())
        ),
    }
}

/// A column as wide as its header or its widest value, whichever is wider.
fn column(header: &str, content: usize) -> Constraint {
    Constraint::Length(UnicodeWidthStr::width(header).max(content) as u16)
}

/// "为民服务 9  公益慈善 7 …": every value, zeros and 其他 included.
fn count_line<K: Vocabulary + Ord + serde::Serialize>(title: T, c: &Counts<K>, lang: Lang) -> String {
    // A no-break space keeps each label with its count when the line wraps.
    let items: Vec<String> = c.0.iter().map(|(k, n)| format!("{}\u{a0}{n}", k.label(lang))).collect();
    format!("{}: {}", title.get(lang), items.join("  "))
}

fn meets(app: &App, a: &Area) -> &'static str {
    match a.density.meets_target {
        Some(true) => app.t(YES),
        Some(false) => app.t(NO),
        None => "—",
    }
}

fn townships(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let t = move |x: T| x.get(lang);
    let Some(r) = app.data.report.as_ref() else { return };
    // Beside the list when wide; below it when narrow (80x24), with at least
    // eight lines and whatever the list does not need.
    let (list_area, detail_area) = if area.width >= 100 {
        split(area)
    } else {
        let list = (app.views[app.tab].len() as u16 + 3).clamp(5, area.height.saturating_sub(10).max(5));
        let [a, b] = Layout::vertical([Constraint::Length(list), Constraint::Min(0)]).areas(area);
        (a, b)
    };
    let header = vec![t(TOWNSHIP), t(SURVIVING), t(ORG_COV), t(WORK_COV), t(COMMUNITIES), t(AVG_TARGET), t(MEETS)];
    let widths = vec![
        Constraint::Min(10),
        column(t(SURVIVING), 5),
        column(t(ORG_COV), 6),
        column(t(WORK_COV), 6),
        column(t(COMMUNITIES), 4),
        column(t(AVG_TARGET), 9),
        column(t(MEETS), 3),
    ];
    let all = r.townships.len();
    let shown_len = app.views[app.tab].len();
    let block = list_block(frame, app, list_area, counts(app, shown_len, all));
    let (start, shown) = window(app, hits, list_area, true, shown_len);
    let Some(r) = app.data.report.as_ref() else { return };
    let rows: Vec<Row> = app.views[app.tab][start..start + shown]
        .iter()
        .map(|i| {
            let a = &r.townships[*i];
            let d = &a.density;
            Row::new(vec![
                a.name.clone(),
                a.base.surviving.to_string(),
                percent(a.coverage.organization_rate),
                percent(a.coverage.work_rate),
                d.communities.to_string(),
                format!("{}/{}", decimal(d.average), decimal(d.target)),
                meets(app, a).to_string(),
            ])
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.accent()))
        .block(block)
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[app.tab].saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);

    let mut lines = Vec::new();
    if let Some(a) = app.selected_township() {
        let county = r.counties.iter().find(|c| c.code == a.county).map_or("", |c| c.name.as_str());
        lines.push(Line::from(Span::styled(format!("{} · {county} · {}", a.name, a.code), theme.accent())));
        let b = &a.base;
        lines.push(Line::from(format!(
            "{} {} ({} {} {} {}) · {} {} · {} {}",
            t(i18n::TOTAL),
            b.surviving,
            t(ACTIVE),
            b.active,
            t(DORMANT),
            b.dormant,
            t(EXITED),
            b.exited,
            t(NEW_IN_YEAR),
            b.new_in_year
        )));
        lines.push(Line::from(count_line(CATEGORY, &a.by_category, lang)));
        lines.push(Line::from(count_line(LEGAL, &a.by_legal_status, lang)));
        let c = &a.coverage;
        lines.push(Line::from(format!(
            "{} {} ({} {} {} {}) · {} {} · {} {} ({} {})",
            t(i18n::ORG_COVERAGE),
            percent(c.organization_rate),
            t(OWN),
            c.own,
            t(JOINT),
            c.joint,
            t(i18n::WORK_COVERAGE),
            percent(c.work_rate),
            t(ASSIGNMENTS),
            a.assignments,
            a.liaisons,
            t(PEOPLE)
        )));
        let d = &a.density;
        let style = if d.meets_target == Some(false) { theme.warn() } else { theme.dim() };
        lines.push(Line::from(Span::styled(
            format!(
                "{}: {} {} ({}{} {}{}) · {} {} / {} {} · {} {} · {} {}",
                t(DENSITY),
                t(COMMUNITIES),
                d.communities,
                t(URBAN),
                d.urban,
                t(RURAL),
                d.rural,
                t(AVERAGE),
                decimal(d.average),
                t(TARGET),
                decimal(d.target),
                t(MEETS),
                meets(app, a),
                t(BELOW),
                d.below_target
            ),
            style,
        )));
    }
    let block = Block::default().borders(Borders::ALL).title(t(i18n::DETAIL));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), detail_area);
}

fn role_short(x: &LiaisonLoad) -> T {
    match x.role {
        AssignmentRole::Instructor => INSTRUCTOR,
        AssignmentRole::Liaison => LIAISON,
    }
}

fn liaisons(frame: &mut Frame, app: &App, hits: &mut Hits, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let t = move |x: T| x.get(lang);
    let (list_area, detail_area) = split(area);
    let average = app.average_load();
    let above = |x: &LiaisonLoad| average.is_some_and(|avg| x.organizations as f64 > avg);
    let Some(r) = app.data.report.as_ref() else { return };
    let name_width = r.liaison_load.iter().map(|x| x.name.width()).max().unwrap_or(4).min(12);
    let header = vec![t(NAME), t(ROLE), t(ASSIGNED), t(ORGS)];
    let widths = vec![
        column(t(NAME), name_width),
        column(t(ROLE), t(INSTRUCTOR).width().max(t(LIAISON).width())),
        column(t(ASSIGNED), 4),
        Constraint::Min(10),
    ];
    let all = r.liaison_load.len();
    let shown_len = app.views[app.tab].len();
    let block = list_block(frame, app, list_area, counts(app, shown_len, all));
    let (start, shown) = window(app, hits, list_area, true, shown_len);
    let Some(r) = app.data.report.as_ref() else { return };
    let rows: Vec<Row> = app.views[app.tab][start..start + shown]
        .iter()
        .map(|i| {
            let x = &r.liaison_load[*i];
            let names: Vec<&str> = x.assigned.iter().map(|o| o.name.as_str()).collect();
            let count = if above(x) { format!("▲{}", x.organizations) } else { x.organizations.to_string() };
            Row::new(vec![x.name.clone(), t(role_short(x)).to_string(), count, names.join("、")])
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.accent()))
        .block(block)
        .row_highlight_style(theme.selected());
    let mut state = table_state(app.selected[app.tab].saturating_sub(start), shown);
    frame.render_stateful_widget(table, list_area, &mut state);

    let mut lines = Vec::new();
    if let Some(x) = app.selected_load() {
        let mut head = format!(
            "{} · {} · {} {} ({} {})",
            x.name,
            x.role.label(lang),
            t(ASSIGNED),
            x.organizations,
            t(PER_PERSON),
            decimal(average)
        );
        if above(x) {
            head.push_str(&format!(" · {}", t(ABOVE_AVERAGE)));
        }
        lines.push(Line::from(Span::styled(head, theme.accent())));
        let orgs: Vec<String> = x
            .assigned
            .iter()
            .map(|o| if o.community.is_empty() { o.name.clone() } else { format!("{}({})", o.name, o.community) })
            .collect();
        lines.push(Line::from(if orgs.is_empty() { t(NONE_ASSIGNED).to_string() } else { orgs.join("、") }));
    }
    let block = Block::default().borders(Borders::ALL).title(t(i18n::DETAIL));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), detail_area);
}

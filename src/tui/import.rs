//! Importing a roster from the UI: F9 on the organizations, people or venues
//! tab, F12 on the activities tab (an activity ledger: organizations by name
//! or credit code, volunteers by name) asks for a path (and optionally a sheet and columns to leave out),
//! checks the file with `ops::import` (a dry run), and shows every bad line in
//! a scrollable preview; then Enter imports all (refused while any row is
//! bad), F4 only the valid rows, Esc cancels. The CLI's `import` calls the same action.

use super::app::{App, Effect, Mode};
use super::forms::{Form, FormField, FormKind};
use super::i18n::T;
use super::keymap::Action;
use crate::domain::Lang;
use crate::io::import::ImportOptions;
use crate::ops::import::{Import, Imported, Kind, Mode as ImportMode, Outcome};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub const FORM_TITLE: T = T("导入名册(CSV/XLSX)", "Import a roster (CSV/XLSX)");
pub const FORM_TITLE_ACTIVITIES: T = T("导入活动台账(CSV/XLSX)", "Import activities (CSV/XLSX)");
const FIELD_PATH: T = T("文件路径", "File path");
const FIELD_SHEET: T = T("工作表(可空)", "Sheet (optional)");
const FIELD_IGNORE: T = T("不导入的列(逗号分隔)", "Columns to leave out (comma-separated)");
const PREVIEW_TITLE: T = T("导入预览", "Import preview");
const HINT: T = T(
    "↑↓ PgUp PgDn 滚动 · Enter 全部导入 · F4 只导入有效行 · Esc 取消",
    "↑↓ PgUp PgDn scroll · Enter import all · F4 valid rows only · Esc cancel",
);

/// The checked file waiting for the user's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub cmd: Import,
    pub checked: Imported,
    pub scroll: usize,
}

/// The form asking for the file; `kind` follows the tab it was opened on.
pub fn form(kind: Kind) -> Form {
    let fields = vec![
        FormField::text("path", FIELD_PATH, "", true),
        FormField::text("sheet", FIELD_SHEET, "", false),
        FormField::text("ignore", FIELD_IGNORE, "", false),
    ];
    let title = if kind == Kind::Activities { FORM_TITLE_ACTIVITIES } else { FORM_TITLE };
    Form::new(FormKind::Import(kind), title, fields)
}

/// The dry run a filled-in form asks for, or None with the path marked.
pub fn check_effect(form: &mut Form, kind: Kind, lang: Lang) -> Option<Effect> {
    let path = form.value("path").trim().trim_matches('"').to_string();
    if path.is_empty() {
        let field = form.fields.iter_mut().find(|f| f.key == "path").expect("the form has a path");
        field.error = Some(T("请填写文件路径", "a file path is required").get(lang).to_string());
        return None;
    }
    let sheet = Some(form.value("sheet").trim().to_string()).filter(|s| !s.is_empty());
    let ignore_columns = form
        .value("ignore")
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
    let options = ImportOptions { sheet, ignore_columns };
    Some(Effect::ImportCheck(Box::new(Import { kind, file: path.into(), options, mode: ImportMode::DryRun })))
}

/// Every line the preview shows: the summary, blocking columns, errors, warnings.
pub fn lines(checked: &Imported, lang: Lang) -> Vec<String> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let r = &checked.report;
    let mut out = vec![format!(
        "{}: {}{} · {} {} · {} {}",
        t("格式", "format"),
        r.format,
        if r.sheet.is_empty() { String::new() } else { format!(" 「{}」", r.sheet) },
        r.valid,
        t("行有效", "valid rows"),
        r.invalid_lines.len(),
        t("行有错", "rows with errors"),
    )];
    for c in &r.unmapped {
        out.push(format!(
            "{} 「{}」 ({} {}) — {}",
            t("✗ 无对应字段的列", "✗ column maps to no field"),
            c.header,
            t("示例", "sample"),
            c.sample,
            t("填入“不导入的列”后重新检查", "list it under columns to leave out and check again"),
        ));
    }
    if r.new_people > 0 {
        out.push(format!(
            "{} {} {}",
            t("+ 新增志愿者", "+ new volunteers:"),
            r.new_people,
            t("人(名册中没有的参与者)", "(participants not on record)"),
        ));
    }
    out.extend(r.errors.iter().map(|e| format!("✗ {e}")));
    out.extend(r.warnings.iter().map(|w| format!("! {w}")));
    out
}

/// Keys over the preview.
pub fn on_key(app: &mut App, mut preview: Box<Preview>, action: Option<Action>) -> Vec<Effect> {
    // Scrolling counts wrapped rows; a line of width w takes at most w/40 + 1 rows on a
    // popup at least 40 columns wide, so the last line can always be reached.
    let max: usize = lines(&preview.checked, app.lang).iter().map(|l| l.width() / 40 + 1).sum::<usize>();
    let max = max.saturating_sub(1);
    let page = app.hits.overlay_rows.max(1);
    let apply = |mut cmd: Import, mode| {
        cmd.mode = mode;
        vec![Effect::ImportApply(Box::new(cmd))]
    };
    match action {
        Some(Action::Cancel) => return Vec::new(),
        Some(Action::Confirm) => return apply(preview.cmd.clone(), ImportMode::All),
        Some(Action::ImportValid) => return apply(preview.cmd.clone(), ImportMode::ValidRows),
        Some(Action::Up) => preview.scroll = preview.scroll.saturating_sub(1),
        Some(Action::Down) => preview.scroll = (preview.scroll + 1).min(max),
        Some(Action::PageUp) => preview.scroll = preview.scroll.saturating_sub(page),
        Some(Action::PageDown) => preview.scroll = (preview.scroll + page).min(max),
        _ => {}
    }
    app.mode = Mode::ImportPreview(preview);
    Vec::new()
}

/// The sentence a finished import leaves in the message history, in `lang`.
pub fn outcome_text(done: &Imported, lang: Lang) -> Result<String, String> {
    let r = &done.report;
    let skipped = &r.invalid_lines;
    match done.outcome {
        Outcome::Written(n) if skipped.is_empty() => Ok(lang.pick(format!("已导入 {n} 条"), format!("imported {n}"))),
        Outcome::Written(n) => Ok(lang
            .pick(format!("已导入 {n} 条,跳过第 {skipped:?} 行"), format!("imported {n}; skipped lines {skipped:?}"))),
        Outcome::Checked => Ok(lang.pick("已检查,未写入", "checked; nothing written").into()),
        Outcome::RefusedInvalid => Err(lang.pick(
            format!("{} 行有错,未写入任何数据;可只导入有效行", skipped.len()),
            format!("{} rows with errors: nothing written; import the valid rows instead", skipped.len()),
        )),
        Outcome::RefusedUnmapped => {
            let names: Vec<&str> = r.unmapped.iter().map(|c| c.header.as_str()).collect();
            Err(lang.pick(
                format!("有数据的列无对应字段: {},未写入", names.join("、")),
                format!("data columns map to no field: {}; nothing written", names.join(", ")),
            ))
        }
    }
}

/// The preview popup: nearly the whole screen, every line wrapped, scrolled.
pub fn render(frame: &mut Frame, app: &App, area: Rect, preview: &Preview) {
    let popup = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    frame.render_widget(Clear, popup);
    let text: Vec<Line> = lines(&preview.checked, app.lang).into_iter().map(Line::from).collect();
    let title = format!("{} — {}", PREVIEW_TITLE.get(app.lang), preview.cmd.file.display());
    let block =
        Block::default().borders(Borders::ALL).title(Span::raw(title)).title_bottom(Span::raw(HINT.get(app.lang)));
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).scroll((preview.scroll as u16, 0)).block(block),
        popup,
    );
}

//! The one key-binding table. Dispatch, the help screen and the footer hints
//! are all read from it. Every action has a key that is not a letter
//! (F-keys, arrows, Enter, Esc, Tab, Ctrl), because an input method
//! swallows letters; letter keys are extras.

use super::i18n::{self, T};
use super::tab::Tab;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere, even in a form.
    Global,
    /// Browsing a list.
    List,
    /// Typing a filter.
    Filter,
    /// Filling in a form.
    Form,
    /// A picker: a list to choose from.
    Popup,
    /// A confirm box or a message: nothing to choose.
    Confirm,
    /// Signing people in to a session.
    SignIn,
    /// The help or message-history overlay.
    Help,
}

impl Scope {
    pub fn name(self) -> T {
        match self {
            Scope::Global => i18n::SCOPE_GLOBAL,
            Scope::List => i18n::SCOPE_LIST,
            Scope::Filter => i18n::SCOPE_FILTER,
            Scope::Form => i18n::SCOPE_FORM,
            Scope::Popup => i18n::SCOPE_POPUP,
            Scope::Confirm => i18n::SCOPE_CONFIRM,
            Scope::SignIn => i18n::SCOPE_SIGN_IN,
            Scope::Help => i18n::SCOPE_HELP,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTab(Tab),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Filter,
    Add,
    /// A record under the selected one: a booking, a session, an invitation.
    AddChild,
    Edit,
    /// Exit an organization, cancel an overlapping booking, end an assignment.
    ExitOrg,
    Coverage,
    /// The bookings of the shown week, to edit one.
    Bookings,
    Conflicts,
    SignIn,
    SyncNow,
    PrevWeek,
    NextWeek,
    /// The venue view back to this week.
    ThisWeek,
    /// The venue view to the week of a typed date.
    GoToDate,
    Refresh,
    ToggleLang,
    Messages,
    Sort,
    Save,
    Cancel,
    NextField,
    PrevField,
    /// ←/→ through a select field's choices.
    Cycle(isize),
    /// Tick a choice of a multi-select.
    Toggle,
    /// Ctrl-C: says which key quits.
    QuitHint,
    /// Open the filtering picker of a form field (a person, an organization).
    Pick,
    /// Import a roster file into the tab's collection.
    Import,
    /// In the import preview: write only the valid rows.
    ImportValid,
    /// Export the tab's ledger or report to a file.
    Export,
    Confirm,
    /// The activities and projects tabs: the next view of the tab's lists.
    View,
    /// The activity list's conditions (organization, type, period, major).
    Conditions,
    /// Report a major activity, or record that the report was taken note of.
    MajorReport,
    /// Log participants of the selected activity.
    Participants,
    /// The projects tab: the federation's evaluation weights and cut-offs.
    Settings,
}

/// Tabs a binding applies to, one bit per tab (`Tab::bit`).
pub const ALL: u8 = 0b1111_1111;
pub const ORGS: u8 = Tab::Orgs.bit();
pub const PEOPLE: u8 = Tab::People.bit();
pub const VENUES: u8 = Tab::Venues.bit();
pub const TRAININGS: u8 = Tab::Trainings.bit();
pub const SYNC: u8 = Tab::Sync.bit();
pub const REPORTS: u8 = Tab::Reports.bit();
pub const LISTS: u8 = ORGS | PEOPLE | VENUES | TRAININGS;
pub const ACTIVITIES: u8 = Tab::Activities.bit();
pub const PROJECTS: u8 = Tab::Projects.bit();
/// The activities and projects tabs.
pub const WORK: u8 = ACTIVITIES | PROJECTS;
/// Tabs with a list to move through and filter (the statistics tab's
/// township and liaison views are lists).
pub const MOVES: u8 = LISTS | WORK | REPORTS;

pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    pub scope: Scope,
    pub tabs: u8,
    pub action: Action,
    pub help: T,
    /// Footer priority: 1 is shown first; 0 never (help only).
    pub footer: u8,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

macro_rules! b {
    ($scope:ident, $tabs:expr, $action:expr, [$($key:expr),+], $zh:literal, $en:literal, $footer:literal) => {
        Binding {
            keys: &[$($key),+],
            scope: Scope::$scope,
            tabs: $tabs,
            action: $action,
            help: T($zh, $en),
            footer: $footer,
        }
    };
}

use KeyCode::{BackTab, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Up, F};

pub const BINDINGS: &[Binding] = &[
    b!(Global, ALL, Action::Help, [(F(1), NONE)], "F1 帮助", "F1 help", 1),
    b!(Global, ALL, Action::Quit, [(F(10), NONE), (KeyCode::Char('q'), CTRL)], "F10 退出", "F10 quit", 3),
    b!(
        Global,
        ALL,
        Action::QuitHint,
        [(KeyCode::Char('c'), CTRL)],
        "Ctrl-C 提示用 F10 退出",
        "Ctrl-C tells F10 quits",
        0
    ),
    b!(Global, ALL, Action::ToggleLang, [(KeyCode::Char('l'), CTRL)], "Ctrl-L 中/英文", "Ctrl-L 中/English", 0),
    b!(Global, ALL, Action::Messages, [(KeyCode::Char('e'), CTRL)], "Ctrl-E 消息记录", "Ctrl-E messages", 0),
    b!(List, ALL, Action::Help, [(KeyCode::Char('?'), NONE)], "? 帮助", "? help", 0),
    b!(List, ALL, Action::NextTab, [(KeyCode::Tab, NONE), (Right, CTRL)], "Tab 下一页", "Tab next tab", 8),
    b!(
        List,
        ALL,
        Action::PrevTab,
        [(BackTab, NONE), (BackTab, SHIFT), (Left, CTRL)],
        "Shift-Tab 上一页",
        "Shift-Tab previous tab",
        0
    ),
    b!(List, ALL, Action::GoTab(Tab::Orgs), [(KeyCode::Char('1'), NONE)], "1–8 直接切换页面", "1–8 go to a tab", 0),
    b!(List, ALL, Action::GoTab(Tab::People), [(KeyCode::Char('2'), NONE)], "", "", 0),
    b!(List, ALL, Action::GoTab(Tab::Venues), [(KeyCode::Char('3'), NONE)], "", "", 0),
    b!(List, ALL, Action::GoTab(Tab::Trainings), [(KeyCode::Char('4'), NONE)], "", "", 0),
    b!(List, ALL, Action::GoTab(Tab::Sync), [(KeyCode::Char('5'), NONE)], "", "", 0),
    b!(List, ALL, Action::GoTab(Tab::Reports), [(KeyCode::Char('6'), NONE)], "", "", 0),
    b!(List, ALL, Action::GoTab(Tab::Activities), [(KeyCode::Char('7'), NONE)], "", "", 0),
    b!(List, ALL, Action::GoTab(Tab::Projects), [(KeyCode::Char('8'), NONE)], "", "", 0),
    b!(List, MOVES | SYNC, Action::Up, [(Up, NONE)], "↑↓ 移动", "↑↓ move", 0),
    b!(List, MOVES | SYNC, Action::Down, [(Down, NONE)], "", "", 0),
    b!(List, MOVES | SYNC, Action::PageUp, [(PageUp, NONE)], "PgUp/PgDn 翻页", "PgUp/PgDn page", 0),
    b!(List, MOVES | SYNC, Action::PageDown, [(PageDown, NONE)], "", "", 0),
    b!(List, MOVES | SYNC, Action::Home, [(Home, NONE)], "Home/End 首尾", "Home/End first/last", 0),
    b!(List, MOVES | SYNC, Action::End, [(End, NONE)], "", "", 0),
    b!(
        List,
        MOVES,
        Action::Filter,
        [(F(3), NONE), (KeyCode::Char('f'), CTRL), (KeyCode::Char('/'), NONE)],
        "F3 筛选",
        "F3 filter",
        3
    ),
    b!(List, LISTS, Action::Edit, [(Enter, NONE), (F(2), NONE)], "Enter 修改", "Enter edit", 2),
    b!(
        List,
        SYNC,
        Action::Edit,
        [(Enter, NONE), (F(2), NONE)],
        "Enter 修改共享(文档、只读/读写、含下级)",
        "Enter edit sharing (documents, read/write, below)",
        2
    ),
    b!(
        List,
        LISTS | SYNC | WORK,
        Action::Add,
        [(F(4), NONE), (KeyCode::Insert, NONE), (KeyCode::Char('n'), CTRL)],
        "F4 新增",
        "F4 add",
        2
    ),
    b!(List, VENUES, Action::AddChild, [(F(12), NONE), (KeyCode::Char('b'), CTRL)], "F12 预约", "F12 book", 3),
    b!(
        List,
        TRAININGS,
        Action::AddChild,
        [(F(12), NONE), (KeyCode::Char('b'), CTRL)],
        "F12 增加课次",
        "F12 add session",
        4
    ),
    b!(List, SYNC, Action::AddChild, [(F(12), NONE), (KeyCode::Char('b'), CTRL)], "F12 邀请码", "F12 invitation", 3),
    b!(List, ORGS, Action::ExitOrg, [(F(8), NONE), (KeyCode::Delete, NONE)], "F8 组织退出", "F8 exit", 5),
    b!(
        List,
        VENUES,
        Action::ExitOrg,
        [(F(8), NONE), (KeyCode::Delete, NONE)],
        "F8 取消冲突预约",
        "F8 cancel overlap",
        5
    ),
    b!(List, PEOPLE, Action::ExitOrg, [(F(8), NONE), (KeyCode::Delete, NONE)], "F8 结束选派", "F8 end assignment", 5),
    b!(List, ORGS, Action::Coverage, [(F(6), NONE)], "F6 未覆盖组织", "F6 uncovered", 4),
    b!(List, VENUES, Action::Bookings, [(F(6), NONE)], "F6 修改预约", "F6 edit a booking", 4),
    b!(List, VENUES, Action::PrevWeek, [(Left, NONE), (PageUp, SHIFT)], "←→ 上/下一周", "←→ previous/next week", 4),
    b!(List, VENUES, Action::NextWeek, [(Right, NONE), (PageDown, SHIFT)], "", "", 0),
    b!(List, VENUES, Action::ThisWeek, [(KeyCode::Char('t'), CTRL)], "Ctrl-T 回到本周", "Ctrl-T this week", 9),
    b!(
        List,
        VENUES,
        Action::GoToDate,
        [(KeyCode::Char('g'), CTRL)],
        "Ctrl-G 转到某日所在周",
        "Ctrl-G go to a date's week",
        9
    ),
    b!(List, LISTS | WORK, Action::Conflicts, [(F(7), NONE)], "F7 冲突", "F7 conflicts", 6),
    b!(List, TRAININGS, Action::SignIn, [(F(9), NONE)], "F9 签到", "F9 sign-in", 3),
    b!(List, ORGS | PEOPLE | VENUES, Action::Import, [(F(9), NONE)], "F9 导入名册", "F9 import a roster", 0),
    b!(
        List,
        ACTIVITIES,
        Action::Import,
        [(F(12), NONE)],
        "F12 导入活动台账(CSV/XLSX)",
        "F12 import activities (CSV/XLSX)",
        0
    ),
    b!(List, SYNC, Action::SyncNow, [(F(9), NONE)], "F9 立即同步", "F9 sync now", 2),
    b!(List, ORGS, Action::Export, [(F(12), NONE)], "F12 导出台账", "F12 export ledger", 6),
    b!(List, REPORTS, Action::Export, [(F(12), NONE)], "F12 导出报表", "F12 export report", 2),
    b!(List, REPORTS, Action::View, [(F(6), NONE)], "F6 概况/乡镇/联络员", "F6 overview/townships/liaisons", 1),
    b!(
        List,
        ACTIVITIES,
        Action::Edit,
        [(Enter, NONE), (F(2), NONE)],
        "Enter 修改/报告/评议",
        "Enter edit/report/review",
        3
    ),
    b!(
        List,
        PROJECTS,
        Action::Edit,
        [(Enter, NONE), (F(2), NONE)],
        "Enter 推进/考核/修改",
        "Enter advance/evaluate/edit",
        3
    ),
    b!(List, WORK, Action::View, [(F(6), NONE)], "F6 切换列表", "F6 next list", 2),
    b!(List, SYNC, Action::View, [(F(6), NONE)], "F6 对等方/联合会网络", "F6 peers/network", 4),
    b!(List, ACTIVITIES, Action::Conditions, [(F(11), NONE)], "F11 筛选条件", "F11 conditions", 4),
    b!(List, ACTIVITIES, Action::MajorReport, [(F(8), NONE)], "F8 重大活动报告", "F8 major report", 5),
    b!(List, ACTIVITIES, Action::Participants, [(F(9), NONE)], "F9 登记参与者", "F9 participants", 4),
    b!(List, PROJECTS, Action::PrevWeek, [(Left, NONE)], "←→ 上/下一年度(排名/缺项)", "←→ year (ranking, gaps)", 5),
    b!(List, PROJECTS, Action::Settings, [(F(11), NONE)], "F11 考核权重与分档", "F11 evaluation weights", 6),
    b!(List, PROJECTS, Action::NextWeek, [(Right, NONE)], "", "", 0),
    b!(List, LISTS, Action::Sort, [(F(11), NONE), (KeyCode::Char('o'), CTRL)], "F11 排序", "F11 sort", 7),
    b!(List, ALL, Action::Refresh, [(F(5), NONE), (KeyCode::Char('r'), CTRL)], "F5 刷新", "F5 refresh", 0),
    b!(Filter, ALL, Action::Confirm, [(Enter, NONE), (Down, NONE)], "Enter 完成筛选", "Enter done", 2),
    b!(Filter, ALL, Action::Cancel, [(Esc, NONE)], "Esc 清除筛选", "Esc clear filter", 2),
    b!(Form, ALL, Action::Save, [(KeyCode::Char('s'), CTRL), (F(2), NONE)], "F2 保存", "F2 save", 2),
    b!(Form, ALL, Action::Cancel, [(Esc, NONE)], "Esc 取消", "Esc cancel", 2),
    b!(
        Form,
        ALL,
        Action::NextField,
        [(KeyCode::Tab, NONE), (Down, NONE), (Enter, NONE)],
        "Tab/↓/Enter 下一字段",
        "Tab/↓/Enter next field",
        3
    ),
    b!(
        Form,
        ALL,
        Action::PrevField,
        [(BackTab, NONE), (BackTab, SHIFT), (Up, NONE)],
        "↑ 上一字段",
        "↑ previous field",
        5
    ),
    b!(Form, ALL, Action::Cycle(-1), [(Left, NONE)], "←→ 选择选项", "←→ choose an option", 4),
    b!(Form, ALL, Action::Cycle(1), [(Right, NONE)], "", "", 0),
    b!(
        Form,
        ALL,
        Action::Pick,
        [(F(6), NONE)],
        "F6 从列表选择(人员/组织字段)",
        "F6 pick from a list (person, organization)",
        0
    ),
    b!(Form, ALL, Action::Toggle, [(KeyCode::Char(' '), NONE)], "空格 勾选多选项", "Space tick a choice", 6),
    b!(Popup, ALL, Action::Confirm, [(Enter, NONE), (F(2), NONE)], "Enter/F2 确认", "Enter/F2 confirm", 2),
    b!(Popup, ALL, Action::Cancel, [(Esc, NONE)], "Esc 返回", "Esc back", 2),
    b!(Popup, ALL, Action::Up, [(Up, NONE)], "↑↓ 选择", "↑↓ choose", 3),
    b!(Popup, ALL, Action::Down, [(Down, NONE)], "", "", 0),
    b!(
        Popup,
        ALL,
        Action::PageUp,
        [(PageUp, NONE)],
        "PgUp/PgDn 翻页 · 输入文字筛选(姓名/拼音首字母)",
        "PgUp/PgDn page · type to filter (name, pinyin initials)",
        0
    ),
    b!(Popup, ALL, Action::PageDown, [(PageDown, NONE)], "", "", 0),
    b!(
        Popup,
        ALL,
        Action::ImportValid,
        [(F(4), NONE)],
        "F4 只导入有效行(导入预览)",
        "F4 import the valid rows (import preview)",
        0
    ),
    b!(Confirm, ALL, Action::Confirm, [(Enter, NONE), (F(2), NONE)], "Enter/F2 确认", "Enter/F2 confirm", 2),
    b!(Confirm, ALL, Action::Cancel, [(Esc, NONE)], "Esc 返回", "Esc back", 2),
    b!(SignIn, ALL, Action::Confirm, [(Enter, NONE)], "Enter 签到/现场登记", "Enter sign in / walk-in", 2),
    b!(SignIn, ALL, Action::Cancel, [(Esc, NONE)], "Esc 结束签到", "Esc end sign-in", 2),
    b!(SignIn, ALL, Action::Up, [(Up, NONE)], "↑↓ 选择人员", "↑↓ choose a person", 3),
    b!(SignIn, ALL, Action::Down, [(Down, NONE)], "", "", 0),
    b!(SignIn, ALL, Action::PageUp, [(PageUp, NONE)], "PgUp/PgDn 翻页", "PgUp/PgDn page", 0),
    b!(SignIn, ALL, Action::PageDown, [(PageDown, NONE)], "", "", 0),
    b!(Help, ALL, Action::Cancel, [(Esc, NONE)], "Esc 关闭", "Esc close", 2),
    b!(Help, ALL, Action::Up, [(Up, NONE)], "↑↓ PgUp PgDn 滚动", "↑↓ PgUp PgDn scroll", 3),
    b!(Help, ALL, Action::Down, [(Down, NONE)], "", "", 0),
    b!(Help, ALL, Action::PageUp, [(PageUp, NONE)], "", "", 0),
    b!(Help, ALL, Action::PageDown, [(PageDown, NONE)], "", "", 0),
    b!(Help, ALL, Action::ToggleLang, [(F(2), NONE)], "F2 中/英文", "F2 中/English", 4),
    b!(Help, ALL, Action::Messages, [(KeyCode::Tab, NONE), (F(3), NONE)], "Tab 帮助/消息记录", "Tab help/messages", 4),
];

fn applies(b: &Binding, scope: Scope, tab: Tab) -> bool {
    b.scope == Scope::Global || (b.scope == scope && b.tabs & tab.bit() != 0)
}

/// The action bound to a key in a scope on a tab (global bindings apply everywhere).
pub fn lookup(scope: Scope, tab: Tab, key: &KeyEvent) -> Option<Action> {
    // Terminals report '?' and Shift-Tab with or without SHIFT: ignore it for characters.
    let mods = match key.code {
        KeyCode::Char(_) => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    BINDINGS
        .iter()
        .filter(|b| applies(b, scope, tab))
        .find(|b| b.keys.iter().any(|(code, m)| *code == key.code && *m == mods))
        .map(|b| b.action)
}

/// The help screen's lines: a scope heading (None) then its bindings.
pub fn help_lines() -> Vec<(Scope, Option<&'static Binding>)> {
    let mut out = Vec::new();
    for scope in [
        Scope::Global,
        Scope::List,
        Scope::Filter,
        Scope::Form,
        Scope::Popup,
        Scope::Confirm,
        Scope::SignIn,
        Scope::Help,
    ] {
        out.push((scope, None));
        out.extend(BINDINGS.iter().filter(|b| b.scope == scope && !b.help.0.is_empty()).map(|b| (scope, Some(b))));
    }
    out
}

/// Footer hints for a scope on a tab, most important first.
pub fn footer(scope: Scope, tab: Tab) -> Vec<&'static Binding> {
    let mut list: Vec<&Binding> = BINDINGS.iter().filter(|b| b.footer > 0 && applies(b, scope, tab)).collect();
    list.sort_by_key(|b| b.footer);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_key_that_is_not_a_plain_letter() {
        for b in BINDINGS.iter().filter(|b| !b.help.0.is_empty()) {
            assert!(
                b.keys.iter().any(|(code, m)| !matches!(code, KeyCode::Char(c) if c.is_alphabetic())
                    || m.contains(KeyModifiers::CONTROL)),
                "{:?} needs a non-letter key",
                b.action
            );
        }
    }

    #[test]
    fn dispatch_uses_scope_tab_then_global() {
        let f4 = KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::List, Tab::Orgs, &f4), Some(Action::Add));
        assert_eq!(lookup(Scope::List, Tab::Reports, &f4), None, "nothing to add on the reports tab");
        assert_eq!(lookup(Scope::Form, Tab::Orgs, &f4), None);
        let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Form, Tab::Orgs, &f1), Some(Action::Help));
        let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Scope::List, Tab::Orgs, &q), Some(Action::Help));
        assert_eq!(lookup(Scope::Form, Tab::Orgs, &q), None, "typing '?' in a form types it");
        let f9 = KeyEvent::new(KeyCode::F(9), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::List, Tab::Trainings, &f9), Some(Action::SignIn));
        assert_eq!(lookup(Scope::List, Tab::Sync, &f9), Some(Action::SyncNow));
    }

    #[test]
    fn no_key_means_two_things_in_one_place() {
        for scope in [Scope::List, Scope::Filter, Scope::Form, Scope::Popup, Scope::Confirm, Scope::SignIn, Scope::Help]
        {
            for tab in Tab::ALL {
                let mut seen = Vec::new();
                for b in BINDINGS.iter().filter(|b| applies(b, scope, tab)) {
                    for k in b.keys {
                        assert!(!seen.contains(k), "{k:?} twice in {scope:?} on tab {tab:?}");
                        seen.push(*k);
                    }
                }
            }
        }
    }
}

//! The one key-binding table. Dispatch, the help screen and the footer hints
//! are all read from it. Every action has a key that is not a letter
//! (F-keys, arrows, Enter, Esc, Tab, Ctrl), because an input method
//! swallows letters; letter keys are extras.

use super::i18n::T;
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
    /// A confirm popup or a picker.
    Popup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTab(usize),
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
    ExitOrg,
    Coverage,
    Conflicts,
    SignIn,
    Refresh,
    ToggleLang,
    Messages,
    Sort,
    Save,
    Cancel,
    NextField,
    PrevField,
    Confirm,
}

pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    pub scope: Scope,
    pub action: Action,
    pub help: T,
    /// Shown in the footer of its scope.
    pub footer: bool,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! b {
    ($scope:ident, $action:expr, [$($key:expr),+], $zh:literal, $en:literal, $footer:literal) => {
        Binding { keys: &[$($key),+], scope: Scope::$scope, action: $action, help: T($zh, $en), footer: $footer }
    };
}

pub const BINDINGS: &[Binding] = &[
    b!(Global, Action::Help, [(KeyCode::F(1), NONE)], "F1 帮助", "F1 help", true),
    b!(
        Global,
        Action::Quit,
        [(KeyCode::F(10), NONE), (KeyCode::Char('q'), CTRL)],
        "F10/Ctrl-Q 退出",
        "F10/Ctrl-Q quit",
        true
    ),
    b!(Global, Action::ToggleLang, [(KeyCode::Char('l'), CTRL)], "Ctrl-L 中/英文", "Ctrl-L 中/English", false),
    b!(Global, Action::Messages, [(KeyCode::Char('e'), CTRL)], "Ctrl-E 消息记录", "Ctrl-E message history", false),
    b!(List, Action::Help, [(KeyCode::Char('?'), NONE)], "? 帮助", "? help", false),
    b!(List, Action::NextTab, [(KeyCode::Tab, NONE), (KeyCode::Right, CTRL)], "Tab 下一页", "Tab next tab", true),
    b!(
        List,
        Action::PrevTab,
        [(KeyCode::BackTab, NONE), (KeyCode::BackTab, KeyModifiers::SHIFT), (KeyCode::Left, CTRL)],
        "Shift-Tab 上一页",
        "Shift-Tab previous tab",
        false
    ),
    b!(List, Action::GoTab(0), [(KeyCode::Char('1'), NONE)], "1–6 直接切换页面", "1–6 go to a tab", false),
    b!(List, Action::GoTab(1), [(KeyCode::Char('2'), NONE)], "", "", false),
    b!(List, Action::GoTab(2), [(KeyCode::Char('3'), NONE)], "", "", false),
    b!(List, Action::GoTab(3), [(KeyCode::Char('4'), NONE)], "", "", false),
    b!(List, Action::GoTab(4), [(KeyCode::Char('5'), NONE)], "", "", false),
    b!(List, Action::GoTab(5), [(KeyCode::Char('6'), NONE)], "", "", false),
    b!(List, Action::Up, [(KeyCode::Up, NONE)], "↑↓ 移动", "↑↓ move", false),
    b!(List, Action::Down, [(KeyCode::Down, NONE)], "", "", false),
    b!(List, Action::PageUp, [(KeyCode::PageUp, NONE)], "PgUp/PgDn 翻页", "PgUp/PgDn page", false),
    b!(List, Action::PageDown, [(KeyCode::PageDown, NONE)], "", "", false),
    b!(List, Action::Home, [(KeyCode::Home, NONE)], "Home/End 首尾", "Home/End first/last", false),
    b!(List, Action::End, [(KeyCode::End, NONE)], "", "", false),
    b!(
        List,
        Action::Filter,
        [(KeyCode::F(3), NONE), (KeyCode::Char('f'), CTRL), (KeyCode::Char('/'), NONE)],
        "F3// 筛选",
        "F3// filter",
        true
    ),
    b!(
        List,
        Action::Add,
        [(KeyCode::F(4), NONE), (KeyCode::Insert, NONE), (KeyCode::Char('n'), CTRL)],
        "F4 新增",
        "F4 add",
        true
    ),
    b!(
        List,
        Action::AddChild,
        [(KeyCode::F(12), NONE), (KeyCode::Char('b'), CTRL)],
        "F12 预约/课次/邀请码",
        "F12 booking/session/invitation",
        false
    ),
    b!(List, Action::Edit, [(KeyCode::Enter, NONE), (KeyCode::F(2), NONE)], "Enter 修改/打开", "Enter edit/open", true),
    b!(
        List,
        Action::ExitOrg,
        [(KeyCode::F(8), NONE), (KeyCode::Delete, NONE)],
        "F8 组织退出/取消冲突预约",
        "F8 exit organization / cancel an overlap",
        true
    ),
    b!(List, Action::Coverage, [(KeyCode::F(6), NONE)], "F6 未覆盖组织", "F6 uncovered", true),
    b!(List, Action::Conflicts, [(KeyCode::F(7), NONE)], "F7 冲突", "F7 conflicts", true),
    b!(List, Action::SignIn, [(KeyCode::F(9), NONE)], "F9 签到模式/立即同步", "F9 sign-in / sync now", false),
    b!(List, Action::Sort, [(KeyCode::F(11), NONE), (KeyCode::Char('o'), CTRL)], "F11 排序", "F11 sort", false),
    b!(List, Action::Refresh, [(KeyCode::F(5), NONE), (KeyCode::Char('r'), CTRL)], "F5 刷新", "F5 refresh", false),
    b!(Filter, Action::Confirm, [(KeyCode::Enter, NONE), (KeyCode::Down, NONE)], "Enter 完成筛选", "Enter done", true),
    b!(Filter, Action::Cancel, [(KeyCode::Esc, NONE)], "Esc 清除筛选", "Esc clear filter", true),
    b!(
        Form,
        Action::Save,
        [(KeyCode::Char('s'), CTRL), (KeyCode::F(2), NONE)],
        "Ctrl-S/F2 保存",
        "Ctrl-S/F2 save",
        true
    ),
    b!(Form, Action::Cancel, [(KeyCode::Esc, NONE)], "Esc 取消", "Esc cancel", true),
    b!(
        Form,
        Action::NextField,
        [(KeyCode::Tab, NONE), (KeyCode::Down, NONE), (KeyCode::Enter, NONE)],
        "Tab/↓ 下一字段",
        "Tab/↓ next field",
        true
    ),
    b!(
        Form,
        Action::PrevField,
        [(KeyCode::BackTab, NONE), (KeyCode::BackTab, KeyModifiers::SHIFT), (KeyCode::Up, NONE)],
        "Shift-Tab/↑ 上一字段",
        "Shift-Tab/↑ previous field",
        false
    ),
    b!(Popup, Action::Confirm, [(KeyCode::Enter, NONE)], "Enter 确认", "Enter confirm", true),
    b!(Popup, Action::Cancel, [(KeyCode::Esc, NONE)], "Esc 取消", "Esc cancel", true),
    b!(Popup, Action::Up, [(KeyCode::Up, NONE)], "↑↓ 选择", "↑↓ choose", true),
    b!(Popup, Action::Down, [(KeyCode::Down, NONE)], "", "", false),
];

/// The action bound to a key in a scope (global bindings apply everywhere).
pub fn lookup(scope: Scope, key: &KeyEvent) -> Option<Action> {
    // Terminals report '?' and Shift-Tab with or without SHIFT: ignore it for characters.
    let mods = match key.code {
        KeyCode::Char(_) => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    BINDINGS
        .iter()
        .filter(|b| b.scope == scope || b.scope == Scope::Global)
        .find(|b| b.keys.iter().any(|(code, m)| *code == key.code && *m == mods))
        .map(|b| b.action)
}

/// Footer hints for a scope, from the same table.
pub fn footer(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.footer && (b.scope == scope || b.scope == Scope::Global))
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
    fn dispatch_uses_scope_then_global() {
        let f4 = KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::List, &f4), Some(Action::Add));
        assert_eq!(lookup(Scope::Form, &f4), None);
        let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Form, &f1), Some(Action::Help));
        let q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Scope::List, &q), Some(Action::Help));
        assert_eq!(lookup(Scope::Form, &q), None, "typing '?' in a form types it");
    }
}

//! Why a session with a peer failed, as data. The session marks the kinds
//! it knows where they happen (`Marked`); the rest are read off the
//! transport error underneath. Front ends say the kind in the user's
//! language (`SessionError::describe`); the detail, the whole error chain
//! as the session wrote it, is for logs and for kinds with no words of
//! their own.

use crate::domain::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FailureKind {
    /// The peer has no address to call (`peer add --addr`).
    NoAddress,
    /// Its address names no host that resolves.
    Unresolvable,
    /// No connection: the peer is not running, or the network does not reach it.
    Unreachable,
    /// The peer refused this node: it is not (or no longer) in its peer list.
    Refused,
    /// The node at the address is another node than the peer.
    WrongNode,
    /// The peer stopped answering within the read timeout.
    Stalled,
    /// The connection broke during the session.
    ConnectionLost,
    /// Anything else (the peer sent what cannot be read, the store failed,
    /// our side could not connect): the detail says what. A kind a later
    /// version wrote reads as this one.
    #[serde(other)]
    Other,
}

/// An error the session knows the kind of. Shows as its message alone, so
/// marking an error changes no text.
#[derive(Debug)]
pub(super) struct Marked {
    kind: FailureKind,
    message: String,
}

impl std::fmt::Display for Marked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Marked {}

pub(super) fn mark(kind: FailureKind, message: impl Into<String>) -> Marked {
    Marked { kind, message: message.into() }
}

/// One peer's failed session: which peer, what kind of failure, and the
/// whole error as the session wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionError {
    pub peer: String,
    /// HOST:PORT the session called, when the peer has one.
    pub addr: Option<String>,
    pub kind: FailureKind,
    pub detail: String,
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for SessionError {}

impl SessionError {
    /// Reads the kind off a session's error: a mark anywhere in its
    /// context chain first, then a timeout or a broken connection under it.
    pub fn classify(peer: &str, addr: Option<&str>, error: &anyhow::Error) -> SessionError {
        let kind = match error.downcast_ref::<Marked>() {
            Some(marked) => marked.kind,
            None if error.chain().any(|c| c.is::<tokio::time::error::Elapsed>()) => FailureKind::Stalled,
            None if error.chain().any(|c| c.is::<quinn::ConnectionError>()) => FailureKind::ConnectionLost,
            None => FailureKind::Other,
        };
        SessionError { peer: peer.to_string(), addr: addr.map(str::to_string), kind, detail: format!("{error:#}") }
    }

    /// The failure in `lang`, naming the peer: "县联合会: 无法连接 …".
    pub fn describe(&self, lang: Lang) -> String {
        format!("{}: {}", self.peer, self.reason(lang))
    }

    /// The failure in `lang` without the peer's name (a screen that shows
    /// it under the peer); the detail only where the kind has no words of
    /// its own.
    pub fn reason(&self, lang: Lang) -> String {
        let addr = self.addr.as_deref().unwrap_or("-");
        match self.kind {
            FailureKind::NoAddress => {
                lang.pick("没有地址:请用 hubsync peer add --addr 添加", "no address: hubsync peer add --addr").into()
            }
            FailureKind::Unresolvable => lang.pick(format!("无法解析地址 {addr}"), format!("cannot resolve {addr}")),
            FailureKind::Unreachable => lang.pick(
                format!("无法连接 {addr}:对方未运行,或网络不通"),
                format!("cannot reach {addr}: not running, or the network does not reach it"),
            ),
            FailureKind::Refused => {
                lang.pick("拒绝了本节点:本节点不在其对等方列表中", "refused this node: not in its peer list").into()
            }
            FailureKind::WrongNode => lang.pick(
                format!("{addr} 上是另一个节点:地址可能已改给别的节点"),
                format!("another node answers at {addr}: the address may now be another's"),
            ),
            FailureKind::Stalled => lang.pick("停止响应(超时)", "stopped answering (timed out)").into(),
            FailureKind::ConnectionLost => lang.pick("连接中断", "the connection was lost").into(),
            FailureKind::Other => self.detail.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn kind_of(e: anyhow::Error) -> FailureKind {
        SessionError::classify("县联合会", Some("10.0.0.2:4433"), &e).kind
    }

    #[test]
    fn a_mark_is_found_under_later_context_and_changes_no_text() {
        let e =
            Err::<(), _>(mark(FailureKind::Refused, "refused here")).context("outer").context("outermost").unwrap_err();
        assert_eq!(format!("{e:#}"), "outermost: outer: refused here");
        assert_eq!(kind_of(e), FailureKind::Refused);
    }

    #[test]
    fn a_mark_as_context_over_an_io_error_is_found() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such host");
        let e = Err::<(), _>(io).context(mark(FailureKind::Unresolvable, "cannot resolve")).unwrap_err();
        assert_eq!(kind_of(e), FailureKind::Unresolvable);
    }

    #[tokio::test]
    async fn a_timeout_underneath_is_a_stall() {
        let elapsed = tokio::time::timeout(std::time::Duration::ZERO, std::future::pending::<()>()).await.unwrap_err();
        let e = Err::<(), _>(elapsed).context("peer stalled (timeout)").unwrap_err();
        assert_eq!(kind_of(e), FailureKind::Stalled);
    }

    #[test]
    fn a_broken_connection_underneath_is_a_lost_connection() {
        let read = quinn::ReadExactError::ReadError(quinn::ReadError::ConnectionLost(quinn::ConnectionError::TimedOut));
        let e = anyhow::Error::new(read).context("reading a frame");
        assert_eq!(kind_of(e), FailureKind::ConnectionLost);
        assert_eq!(kind_of(anyhow::anyhow!("bad frame")), FailureKind::Other);
    }

    #[test]
    fn each_language_says_it_alone() {
        let e = SessionError::classify("县联合会", Some("10.0.0.2:4433"), &anyhow::anyhow!("bad frame"));
        for kind in [
            FailureKind::NoAddress,
            FailureKind::Unresolvable,
            FailureKind::Unreachable,
            FailureKind::Refused,
            FailureKind::WrongNode,
            FailureKind::Stalled,
            FailureKind::ConnectionLost,
        ] {
            let e = SessionError { kind, ..e.clone() };
            let en = e.describe(Lang::En);
            let zh = e.describe(Lang::Zh);
            assert!(en.starts_with("县联合会: ") && zh.starts_with("县联合会: "), "{kind:?}");
            let han = |s: &str| s.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
            assert_eq!(han(&en), han("县联合会"), "{kind:?}: {en}");
            assert!(han(&zh) > han("县联合会"), "{kind:?}: {zh}");
        }
        assert_eq!(e.describe(Lang::En), "县联合会: bad frame");
    }
}

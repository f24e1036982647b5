//! What an action can fail with. Validation failures name their fields, so
//! a form can mark them; the messages come from the domain's rules and are
//! bilingual, the front ends decide how to show them.

use crate::domain::{Collection, Problem, RecordId};
use crate::store::StoreError;

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    /// The record field (as stored: `name`, `phone`, `from`...).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl std::fmt::Display) -> FieldError {
        FieldError { field: field.to_string(), message: message.to_string() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The command's input did not pass validation.
    #[error("{}", invalid_text(.0))]
    Invalid(Vec<FieldError>),
    /// A reference (id or exact name) matched nothing.
    #[error("找不到{}「{query}」 (no such {}; give its id or exact name)", .kind.label(crate::domain::Lang::Zh), .kind.label(crate::domain::Lang::En))]
    NotFound { kind: Collection, query: String },
    /// A name matched several records.
    #[error("有{}个{}名为「{query}」,请用编号指定: {} (ambiguous name; use an id)", .ids.len(), .kind.label(crate::domain::Lang::Zh), join_ids(.ids))]
    Ambiguous { kind: Collection, query: String, ids: Vec<RecordId> },
    #[error(transparent)]
    Store(StoreError),
    /// A sync with every peer, and no peer has an address to call.
    #[error("没有带地址的对等方 (no peer with an address: hubsync peer add ... --addr HOST:PORT)")]
    NoPeers,
    /// A device action on a node that holds no authors list of its
    /// federation: not the founding device, and none received yet.
    #[error("本节点没有本联合会的作者名单:请在创建联合会的设备上操作,或先与其同步 (no authors list here: use the founding device, or sync with it first)")]
    NoAuthorsList,
    /// A backup file that cannot be used, or a restore target that is not new.
    #[error(transparent)]
    Backup(#[from] super::backup::BackupError),
    /// The node's files (peer list, identity, invitations), a file to read
    /// or write, or the network.
    #[error("{0:#}")]
    Io(anyhow::Error),
}

fn invalid_text(fields: &[FieldError]) -> String {
    let lines: Vec<String> = fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
    format!("记录无效 (invalid record): {}", lines.join("; "))
}

fn join_ids(ids: &[RecordId]) -> String {
    ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

impl OpError {
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> OpError {
        OpError::Invalid(vec![FieldError::new(field, message)])
    }

    /// The fields a form should mark, empty when the error is not about input.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            OpError::Invalid(f) => f.iter().map(|f| f.field.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> OpError {
        match e {
            StoreError::Invalid(problems) => OpError::Invalid(problems.iter().map(field_error).collect()),
            StoreError::DuplicateName { .. } => OpError::Invalid(vec![FieldError::new("name", &e)]),
            other => OpError::Store(other),
        }
    }
}

impl From<anyhow::Error> for OpError {
    fn from(e: anyhow::Error) -> OpError {
        OpError::Io(e)
    }
}

fn field_error(p: &Problem) -> FieldError {
    FieldError::new(p.field, &p.message)
}

/// Collects field errors while a command is checked, so a form learns of
/// every bad field at once instead of one per try.
#[derive(Default)]
pub struct Check(Vec<FieldError>);

impl Check {
    /// The value, or None with the error noted against `field`.
    pub fn take<T, E: std::fmt::Display>(&mut self, field: &str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(FieldError::new(field, e));
                None
            }
        }
    }

    pub fn fail(&mut self, field: &str, message: impl std::fmt::Display) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn done(self) -> Result<(), OpError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(OpError::Invalid(self.0))
        }
    }
}

pub type OpResult<T> = Result<T, OpError>;

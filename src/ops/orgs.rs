//! Organizations (社区社会组织).

use super::{refs, Check, Env, OpResult, Ref};
use crate::domain::{ExitKind, Organization};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exit {
    pub org: Ref,
    pub date: NaiveDate,
    pub reason: String,
    /// 注销, 撤销登记, 取消备案, 自行解散 or 合并; they differ in law.
    #[serde(default)]
    pub kind: Option<ExitKind>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exited {
    pub org: Organization,
}

/// Marks an organization exited (退出机制); the record is kept.
pub fn exit(env: &mut Env, cmd: Exit) -> OpResult<Exited> {
    let org = refs::org(env.store, &cmd.org)?;
    let mut check = Check::default();
    if cmd.reason.trim().is_empty() {
        check.fail("exit_reason", "退出原因不能为空 (a reason is required)");
    }
    check.done()?;
    let org = env.store.atomically(|s| {
        let mut org = s.exit_org(&org.id, cmd.date, &cmd.reason)?;
        if let Some(kind) = cmd.kind {
            org.exit_as(kind, cmd.date, &cmd.reason);
            s.update(&org)?;
        }
        Ok::<_, crate::store::StoreError>(org)
    })?;
    Ok(Exited { org })
}

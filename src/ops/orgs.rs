//! Organizations (社区社会组织).

use super::{refs, Check, Env, OpResult, Ref};
use crate::domain::Organization;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exit {
    pub org: Ref,
    pub date: NaiveDate,
    pub reason: String,
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
    let org = env.store.exit_org(&org.id, cmd.date, &cmd.reason)?;
    Ok(Exited { org })
}

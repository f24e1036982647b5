//! People's personal data: forgetting a person (PIPL art. 47; docs/PRIVACY.md).

use super::{refs, Env, OpResult, Ref};
use crate::domain::RecordId;
pub use crate::store::{ClearedRecord, ForgetPlan};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Forget {
    pub person: Ref,
    /// False: only say what would be cleared, change nothing.
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forgotten {
    pub person: RecordId,
    /// What was cleared (or would be, unconfirmed), and the placeholder name kept.
    pub plan: ForgetPlan,
    /// The plan was carried out.
    pub done: bool,
    /// Peers that hold one of the documents cleared: they get the cleared
    /// data at their next sync, and keep the old values in history.
    pub shared_with: Vec<String>,
}

/// Clears a person's name, phone, notes, Party membership and the personal
/// fields other records hold of them; the record stays, under a
/// placeholder name, so statistics still add up. Unconfirmed, only plans.
pub fn forget(env: &mut Env, cmd: Forget) -> OpResult<Forgotten> {
    let person = refs::person(env.store, &cmd.person)?.id;
    let plan = if cmd.confirmed { env.store.forget_person(&person)? } else { env.store.forget_plan(&person)? };
    let shared_with = crate::sync::Peers::load(env.dir())
        .map(|p| p.peers)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| plan.cleared.iter().any(|c| p.grant_for(&c.doc).is_some()))
        .map(|p| p.name)
        .collect();
    Ok(Forgotten { person, plan, done: cmd.confirmed, shared_with })
}

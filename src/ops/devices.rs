//! This federation's devices: its authors list (sync::authorship), kept in
//! the store. Adding makes another device an owner; revoking refuses its
//! later changes wherever the list reaches (`hubsync device ...`).

use super::{Env, OpError, OpResult};
use crate::sync::authorship::{self, AuthorList, Role};
use crate::sync::{NodeId, Peers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceChange {
    /// Make the device an owner of this federation.
    Add,
    /// Refuse its changes from now on; permanent.
    Revoke,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetDevice {
    /// The device's node id as the user typed it (`hubsync id` on it).
    pub node_id: String,
    pub change: DeviceChange,
}

/// What the list says a device may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceRole {
    Founder,
    Owner,
    /// A peer granted some documents: their grant keys.
    Writer(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub node: NodeId,
    pub role: DeviceRole,
    pub revoked: bool,
}

/// The authors list as it stands after the action, founder first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Devices {
    pub devices: Vec<Device>,
}

/// Adds or revokes a device. Only an owner device of the federation holds
/// a list it may sign (`OpError::NoAuthorsList` elsewhere).
pub fn set_device(env: &mut Env, cmd: SetDevice) -> OpResult<Devices> {
    let node = NodeId::parse(&cmd.node_id).map_err(|e| OpError::invalid("node_id", e))?;
    let peers = Peers::load(env.dir())?;
    // Checked first so the refusal is typed, not set_device's message.
    if authorship::own_list(env.store, &peers).is_none() {
        return Err(OpError::NoAuthorsList);
    }
    let list = authorship::set_device(env.store, node, cmd.change == DeviceChange::Revoke)?;
    env.store.flush()?;
    Ok(devices(&list))
}

/// The list this node holds for its federation: its own (brought up to
/// date with its peers' write grants, which saves it) or the one received.
pub fn list(env: &mut Env) -> OpResult<Devices> {
    let home = env.store.home()?.to_string();
    let peers = Peers::load(env.dir())?;
    let list = authorship::own_list(env.store, &peers)
        .or_else(|| authorship::load(env.store, &home))
        .ok_or(OpError::NoAuthorsList)?;
    env.store.flush()?;
    Ok(devices(&list))
}

fn devices(list: &AuthorList) -> Devices {
    let founder = Device { node: list.founder, role: DeviceRole::Founder, revoked: list.is_revoked(&list.founder) };
    let others = list.entries.iter().map(|(node, e)| Device {
        node: *node,
        role: match e.role {
            Role::Owner => DeviceRole::Owner,
            Role::Writer => DeviceRole::Writer(e.docs.clone()),
        },
        revoked: list.is_revoked(node),
    });
    Devices { devices: std::iter::once(founder).chain(others).collect() }
}

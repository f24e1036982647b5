//! Peers, what is shared with them, and invitations: the node's files
//! (peers.json under its lock, the identity, invitations), not the store,
//! so these run with only the data directory.

use super::{OpError, OpResult};
use crate::domain::Collection;
use crate::store::DocId;
use crate::sync::{self, Grant, Identity, NodeId, Peers};
use std::collections::BTreeMap;
use std::path::Path;

/// Marks a collection as travelling one hop only: a peer that receives it
/// from this federation does not pass it on (docs/SYNC.md). Kept in the
/// store, beside the documents it governs.
pub fn mark_first_hop_only(store: &mut crate::store::Store, collection: &str) -> OpResult<()> {
    let home = store.home()?.clone();
    let mut marked = store.first_hop_only(&home);
    marked.insert(collection.to_string());
    store.set_first_hop_only(&marked)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddPeer {
    pub node_id: NodeId,
    pub name: String,
    /// HOST:PORT where the peer's node listens; none for a peer that only calls us.
    pub addr: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeerAdded {
    pub name: String,
    pub node_id: NodeId,
}

pub fn add(dir: &Path, cmd: AddPeer) -> OpResult<PeerAdded> {
    if let Some(a) = &cmd.addr {
        check_addr("addr", a)?;
    }
    let name = cmd.name.trim().to_string();
    if name.is_empty() {
        return Err(OpError::invalid("name", "名称不能为空 (a name is required)"));
    }
    crate::private_fs::create_dir(dir).map_err(anyhow::Error::from)?;
    let addr = cmd.addr.map(|a| a.trim().to_string());
    Peers::update(dir, |peers| peers.add(cmd.node_id, &name, addr))?;
    Ok(PeerAdded { name, node_id: cmd.node_id })
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeerRemoved {
    pub name: String,
    /// The federation it was pinned to, still reserved unless released.
    pub home: Option<String>,
}

/// Removes a peer (by name or node id); its connections are refused from
/// then on. Its home federation stays reserved unless `release_home`.
pub fn remove(dir: &Path, peer: &str, release_home: bool) -> OpResult<PeerRemoved> {
    let removed =
        Peers::update(dir, |peers| if release_home { peers.remove_releasing_home(peer) } else { peers.remove(peer) })?;
    Ok(PeerRemoved { name: removed.name, home: removed.home.map(|h| h.to_string()) })
}

fn check_addr(field: &str, addr: &str) -> OpResult<()> {
    if addr.trim().contains(':') {
        Ok(())
    } else {
        Err(OpError::invalid(field, format!("地址 '{addr}' 应为 HOST:PORT (address must be HOST:PORT)")))
    }
}

/// The key a grant is stored under, from what the user typed: `all`, a
/// collection, a document id, `tree:<collection>` (our federation and
/// everything below it) or `<federation id>:<collection>` (sync::forward).
pub fn grant_key(doc: &str) -> OpResult<String> {
    let d = doc.trim();
    if d == "all" || d == "*" {
        return Ok("*".into());
    }
    if Collection::from_code(d).is_some() {
        return Ok(d.to_string());
    }
    if let Some((scope, collection)) = d.split_once(':') {
        let collection = if collection == "all" { "*" } else { collection };
        let fed_ok = scope == "tree" || DocId::parse(&format!("{scope}/people")).is_ok();
        if fed_ok && (collection == "*" || Collection::from_code(collection).is_some()) {
            return Ok(format!("{scope}:{collection}"));
        }
        return Err(OpError::invalid("doc", format!("无效的共享范围 '{d}',应为 tree:<类型> 或 <联合会编号>:<类型> (scope must be tree:<collection> or <federation id>:<collection>)")));
    }
    DocId::parse(d).map(|id| id.to_string()).map_err(|e| OpError::invalid("doc", e))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub peer: String,
    /// A grant key (see `grant_key`).
    pub key: String,
    pub grant: Grant,
}

/// Grants a peer a document, a collection or all; returns the peer's name.
pub fn share(dir: &Path, cmd: Share) -> OpResult<String> {
    let name = Peers::update(dir, |peers| {
        let p = peers.find_mut(&cmd.peer)?;
        p.grants.insert(cmd.key.clone(), cmd.grant);
        Ok(p.name.clone())
    })?;
    Ok(name)
}

/// Stops sharing; returns the peer's name.
pub fn unshare(dir: &Path, peer: &str, key: &str) -> OpResult<String> {
    let name = Peers::update(dir, |peers| {
        let p = peers.find_mut(peer)?;
        if p.grants.remove(key).is_none() {
            anyhow::bail!("{key} 未共享给 {} (not shared with that peer)", p.name);
        }
        Ok(p.name.clone())
    })?;
    Ok(name)
}

/// A peer's grants as a sharing screen edits them: each key named is set
/// to a grant or removed (None); keys not named are left alone.
#[derive(Debug, Clone, PartialEq)]
pub struct SetGrants {
    pub peer: String,
    pub grants: Vec<(String, Option<Grant>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GrantsSet {
    pub name: String,
    /// Keys granted or changed, with the grant.
    pub granted: Vec<(String, Grant)>,
    /// Keys no longer shared.
    pub removed: Vec<String>,
}

/// Applies a sharing screen's choices through `share` and `unshare`, only
/// where they differ from what the peer holds. The private document is
/// shared only when its own key is named with a grant ("*" never covers it).
pub fn set_grants(dir: &Path, cmd: SetGrants) -> OpResult<GrantsSet> {
    let peers = Peers::load(dir)?;
    let held = peers
        .peers
        .iter()
        .find(|p| p.node_id.to_string() == cmd.peer || p.name == cmd.peer)
        .map(|p| p.grants.clone())
        .ok_or_else(|| OpError::invalid("peer", format!("找不到对等方 '{}' (no such peer)", cmd.peer)))?;
    let mut done = GrantsSet { name: String::new(), granted: Vec::new(), removed: Vec::new() };
    for (key, want) in cmd.grants {
        let key = grant_key(&key)?;
        match (held.get(&key), want) {
            (Some(h), Some(w)) if *h == w => {}
            (_, Some(w)) => {
                done.name = share(dir, Share { peer: cmd.peer.clone(), key: key.clone(), grant: w })?;
                done.granted.push((key, w));
            }
            (Some(_), None) => {
                done.name = unshare(dir, &cmd.peer, &key)?;
                done.removed.push(key);
            }
            (None, None) => {}
        }
    }
    if done.name.is_empty() {
        done.name = peers
            .peers
            .iter()
            .find(|p| p.node_id.to_string() == cmd.peer || p.name == cmd.peer)
            .map(|p| p.name.clone())
            .unwrap_or_default();
    }
    Ok(done)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    /// HOST:PORT where this node can be reached by the joiner.
    pub addr: String,
    /// Grant keys (see `grant_key`); empty means all.
    pub docs: Vec<String>,
    pub write: bool,
    /// Hours the long code stays valid (a short code: `sync::short::MINUTES`).
    pub hours: i64,
    pub codes: Codes,
}

/// Which codes an invitation is handed out as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// The long code (to paste or scan as a QR code).
    Long,
    /// Ten digits to read aloud over the phone; only one open at a time.
    Short,
    Both,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invited {
    pub code: Option<String>,
    /// `NNNNN-NNNNN`.
    pub short: Option<String>,
    /// The address to give with a short code.
    pub addr: String,
}

/// A one-time invitation; its expiry is made and judged by `clock`, the
/// same clock the serving node is given (`Node::with_clock`).
pub fn invite(dir: &Path, clock: &dyn crate::clock::Clock, cmd: Invite) -> OpResult<Invited> {
    check_addr("addr", &cmd.addr)?;
    let grant = if cmd.write { Grant::Write } else { Grant::Read };
    let docs = if cmd.docs.is_empty() { vec!["all".to_string()] } else { cmd.docs };
    let grants = docs.iter().map(|d| grant_key(d).map(|k| (k, grant))).collect::<OpResult<BTreeMap<_, _>>>()?;
    crate::private_fs::create_dir(dir).map_err(anyhow::Error::from)?;
    let identity = Identity::load_or_create(dir)?;
    let addr = addr_trim(&cmd.addr).to_string();
    let now = sync::short::clock_seconds(clock);
    if cmd.codes == Codes::Long {
        let code = sync::invite::create(dir, identity.node_id, &addr, grants, cmd.hours, now)?;
        return Ok(Invited { code: Some(code), short: None, addr });
    }
    let long = (cmd.codes == Codes::Both).then_some(cmd.hours);
    let (code, digits) = sync::invite::create_short(dir, identity.node_id, &addr, grants, now, long)?;
    Ok(Invited { code: long.map(|_| code), short: Some(sync::short::display(&digits)), addr })
}

fn addr_trim(addr: &str) -> &str {
    addr.trim()
}

//! Known peers and what each may do with which document. Kept in
//! `peers.json` in the data directory, written atomically.

use super::identity::NodeId;
use crate::domain::Collection;
use crate::store::DocId;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Grant {
    /// The peer receives the document; its changes are refused.
    Read,
    /// The peer receives the document and may change it.
    Write,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    pub node_id: NodeId,
    pub name: String,
    #[serde(default)]
    pub addr: Option<String>,
    /// Keyed by document id, collection code ("orgs") or "*" for all of ours.
    #[serde(default)]
    pub grants: BTreeMap<String, Grant>,
    #[serde(default)]
    pub last_sync: Option<String>,
    #[serde(default)]
    pub last_error: Option<String>,
    /// What kind of failure `last_error` was, when this node's own session
    /// knew (`sync::failure`): a screen says it in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<super::FailureKind>,
    /// The federation this peer owns, pinned the first time it claims one
    /// (trust on first use): a later different claim earns no owner rights.
    #[serde(default)]
    pub home: Option<String>,
}

impl Peer {
    /// The last error as a screen shows it: in `lang` when its kind is
    /// known, else as the session wrote it.
    pub fn last_error_in(&self, lang: crate::domain::Lang) -> Option<String> {
        let detail = self.last_error.clone()?;
        Some(match self.last_failure {
            Some(kind) if kind != super::FailureKind::Other => {
                let failure = super::SessionError { peer: self.name.clone(), addr: self.addr.clone(), kind, detail };
                failure.reason(lang)
            }
            _ => detail,
        })
    }

    /// The grant for one of our documents: exact id, then collection, then
    /// "*". The private document (party membership, sensitive under PIPL)
    /// needs a grant naming it: "*" never covers it.
    pub fn grant_for(&self, doc: &DocId) -> Option<Grant> {
        let exact = self.grants.get(doc.as_str()).or_else(|| self.grants.get(doc.collection().code()));
        if doc.collection() == Collection::Private {
            return exact.copied();
        }
        exact.or_else(|| self.grants.get("*")).copied()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Peers {
    pub peers: Vec<Peer>,
    /// Home federations of removed peers. They stay reserved: freed on
    /// removal, the next peer to claim one would own its documents here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<RetiredPin>,
}

/// A removed peer's pinned home (restored if that node is added again).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetiredPin {
    pub node_id: NodeId,
    pub name: String,
    pub home: String,
}

fn path(dir: &Path) -> PathBuf {
    dir.join("peers.json")
}

/// Runs `f` holding an exclusive advisory lock on `peers.lock` in `dir`, so
/// that read-modify-write cycles of `serve`, sessions and commands do not
/// lose each other's updates. Not reentrant: never nest two calls.
pub fn with_lock<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let p = dir.join("peers.lock");
    let lock = crate::private_fs::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&p)
        .with_context(|| format!("无法打开 {} (cannot open)", p.display()))?;
    lock.lock().with_context(|| format!("无法锁定 {} (cannot lock)", p.display()))?;
    // Dropping the file releases the lock, also on error or panic.
    f()
}

impl Peers {
    pub fn load(dir: &Path) -> Result<Peers> {
        let p = path(dir);
        match std::fs::read(&p) {
            Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| {
                format!("对等方列表 {} 已损坏 (peer list unreadable; fix or remove the file)", p.display())
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Peers::default()),
            Err(e) => Err(e).with_context(|| format!("无法读取 {} (cannot read)", p.display())),
        }
    }

    /// Loads, changes and saves the peer list under the lock; saves only if
    /// `f` changed something. This is the only way writers should go.
    pub fn update<T>(dir: &Path, f: impl FnOnce(&mut Peers) -> Result<T>) -> Result<T> {
        Self::update_with(dir, true, f)
    }

    /// The same, saved without fsync (sync status after every session).
    pub fn update_status<T>(dir: &Path, f: impl FnOnce(&mut Peers) -> Result<T>) -> Result<T> {
        Self::update_with(dir, false, f)
    }

    fn update_with<T>(dir: &Path, durable: bool, f: impl FnOnce(&mut Peers) -> Result<T>) -> Result<T> {
        with_lock(dir, || {
            let mut peers = Peers::load(dir)?;
            let before = peers.clone();
            let out = f(&mut peers)?;
            if peers != before {
                peers.write(dir, durable)?;
            }
            Ok(out)
        })
    }

    /// Writes to a temporary file, syncs it and renames it over the old one.
    pub fn save(&self, dir: &Path) -> Result<()> {
        self.write(dir, true)
    }

    /// The same without fsync, for sync-status updates after every session:
    /// still atomic (rename), and a lost "last sync" time costs nothing.
    pub fn save_status(&self, dir: &Path) -> Result<()> {
        self.write(dir, false)
    }

    fn write(&self, dir: &Path, durable: bool) -> Result<()> {
        let p = path(dir);
        crate::private_fs::write_atomic(&p, &serde_json::to_vec_pretty(self)?, durable)
            .with_context(|| format!("无法写入 {} (cannot write)", p.display()))
    }

    pub fn get(&self, id: &NodeId) -> Option<&Peer> {
        self.peers.iter().find(|p| &p.node_id == id)
    }

    /// A peer by name or node id (as typed on the command line).
    pub fn find(&self, text: &str) -> Result<&Peer> {
        if let Some(p) = self.peers.iter().find(|p| p.name == text.trim()) {
            return Ok(p);
        }
        let id = NodeId::parse(text).with_context(|| format!("没有名为「{}」的对等方 (no such peer)", text.trim()))?;
        self.get(&id)
            .with_context(|| format!("对等方 {} 未添加 (unknown peer; add it with `hubsync peer add`)", id.short()))
    }

    pub fn find_mut(&mut self, text: &str) -> Result<&mut Peer> {
        let id = self.find(text)?.node_id;
        Ok(self.peers.iter_mut().find(|p| p.node_id == id).expect("found above"))
    }

    pub fn add(&mut self, node_id: NodeId, name: &str, addr: Option<String>) -> Result<()> {
        let name = &super::text::clean(name, super::text::NAME_CHARS);
        if name.trim().is_empty() {
            bail!("对等方名称不能为空 (a peer needs a name)");
        }
        if self.peers.iter().any(|p| p.name == name.trim() && p.node_id != node_id) {
            bail!("已有名为「{}」的对等方 (a peer with this name exists)", name.trim());
        }
        match self.peers.iter_mut().find(|p| p.node_id == node_id) {
            Some(p) => {
                p.name = name.trim().to_string();
                if addr.is_some() {
                    p.addr = addr;
                }
            }
            None => {
                // A removed node added again gets its pinned home back.
                let home =
                    self.retired.iter().position(|r| r.node_id == node_id).map(|at| self.retired.remove(at).home);
                self.peers.push(Peer {
                    node_id,
                    name: name.trim().to_string(),
                    addr,
                    grants: BTreeMap::new(),
                    last_sync: None,
                    last_error: None,
                    last_failure: None,
                    home,
                })
            }
        }
        Ok(())
    }

    /// Removes a peer; its pinned home stays reserved (`retired`).
    pub fn remove(&mut self, text: &str) -> Result<Peer> {
        let id = self.find(text)?.node_id;
        let at = self.peers.iter().position(|p| p.node_id == id).expect("found above");
        let removed = self.peers.remove(at);
        if let Some(home) = &removed.home {
            self.retired.push(RetiredPin { node_id: id, name: removed.name.clone(), home: home.clone() });
        }
        Ok(removed)
    }

    /// Removes a peer and frees its home federation for the next peer that
    /// claims it (the federation moved to a new computer).
    pub fn remove_releasing_home(&mut self, text: &str) -> Result<Peer> {
        let removed = self.remove(text)?;
        self.retired.retain(|r| r.node_id != removed.node_id);
        Ok(removed)
    }

    /// Federations pinned to peers other than `node`, removed peers'
    /// included (a removed owner's federation is not left for relays to
    /// rewrite).
    pub fn homes_except(&self, node: &NodeId) -> std::collections::BTreeSet<String> {
        let current = self.peers.iter().filter(|p| p.node_id != *node).filter_map(|p| p.home.clone());
        current.chain(self.retired.iter().filter(|r| r.node_id != *node).map(|r| r.home.clone())).collect()
    }

    /// Who holds `home` other than `node`: a peer's name, or a removed
    /// peer's (its federation stays reserved).
    pub fn holder_of(&self, home: &str, node: &NodeId) -> Option<String> {
        let peer = self.peers.iter().find(|p| p.node_id != *node && p.home.as_deref() == Some(home));
        peer.map(|p| p.name.clone())
            .or_else(|| self.retired.iter().find(|r| r.home == home).map(|r| format!("{} (removed)", r.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_persist_and_grants_resolve() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut peers = Peers::load(dir.path()).unwrap();
        let id = NodeId([7; 32]);
        peers.add(id, "成都市联合会", Some("127.0.0.1:4433".into())).unwrap();
        peers.find_mut("成都市联合会").unwrap().grants.insert("orgs".into(), Grant::Read);
        peers.save(dir.path()).unwrap();
        let back = Peers::load(dir.path()).unwrap();
        assert_eq!(back, peers);
        let p = back.find(&id.to_string()).unwrap();
        let doc = DocId::parse("abc/orgs/510104").unwrap();
        assert_eq!(p.grant_for(&doc), Some(Grant::Read));
        assert_eq!(p.grant_for(&DocId::parse("abc/people").unwrap()), None);
        assert_eq!(p.grant_for(&DocId::parse("abc/private").unwrap()), None);
        std::fs::write(dir.path().join("peers.json"), b"{broken").unwrap();
        assert!(Peers::load(dir.path()).unwrap_err().to_string().contains("peers.json"));
    }

    #[test]
    fn the_star_grant_never_covers_the_private_document() {
        let mut p = Peer {
            node_id: NodeId([1; 32]),
            name: "x".into(),
            addr: None,
            grants: [("*".to_string(), Grant::Write)].into(),
            last_sync: None,
            last_error: None,
            last_failure: None,
            home: None,
        };
        let private = DocId::parse("abc/private").unwrap();
        assert_eq!(p.grant_for(&DocId::parse("abc/people").unwrap()), Some(Grant::Write));
        assert_eq!(p.grant_for(&private), None, "* does not reach party membership");
        p.grants.insert("private".into(), Grant::Read);
        assert_eq!(p.grant_for(&private), Some(Grant::Read), "the collection code names it");
        p.grants.remove("private");
        p.grants.insert("abc/private".into(), Grant::Write);
        assert_eq!(p.grant_for(&private), Some(Grant::Write), "so does its document id");
        assert_eq!(p.grant_for(&DocId::parse("other/private").unwrap()), None);
    }

    #[test]
    fn concurrent_updates_are_not_lost() {
        let dir = tempfile::TempDir::new().unwrap();
        let threads: Vec<_> = (0..8u8)
            .map(|i| {
                let d = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    for j in 0..10u8 {
                        Peers::update(&d, |p| p.add(NodeId([i * 10 + j; 32]), &format!("p{i}-{j}"), None)).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(Peers::load(dir.path()).unwrap().peers.len(), 80, "every update kept");
    }
}

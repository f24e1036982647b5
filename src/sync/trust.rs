//! Known peers and what each may do with which document. Kept in
//! `peers.json` in the data directory, written atomically.

use super::identity::NodeId;
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
}

impl Peer {
    /// The grant for one of our documents: exact id, then collection, then "*".
    pub fn grant_for(&self, doc: &DocId) -> Option<Grant> {
        self.grants
            .get(doc.as_str())
            .or_else(|| self.grants.get(doc.collection().code()))
            .or_else(|| self.grants.get("*"))
            .copied()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Peers {
    pub peers: Vec<Peer>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join("peers.json")
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
        // A unique temporary name: a running server updates sync times while
        // a command may be adding a peer.
        let tmp = dir.join(format!("peers.json.{:016x}.tmp", rand::random::<u64>()));
        {
            use std::io::Write;
            let mut f =
                std::fs::File::create(&tmp).with_context(|| format!("无法写入 {} (cannot write)", tmp.display()))?;
            f.write_all(&serde_json::to_vec_pretty(self)?)?;
            if durable {
                f.sync_all()?;
            }
        }
        std::fs::rename(&tmp, &p).with_context(|| format!("无法写入 {} (cannot write)", p.display()))?;
        Ok(())
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
            None => self.peers.push(Peer {
                node_id,
                name: name.trim().to_string(),
                addr,
                grants: BTreeMap::new(),
                last_sync: None,
                last_error: None,
            }),
        }
        Ok(())
    }

    pub fn remove(&mut self, text: &str) -> Result<Peer> {
        let id = self.find(text)?.node_id;
        let at = self.peers.iter().position(|p| p.node_id == id).expect("found above");
        Ok(self.peers.remove(at))
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
        std::fs::write(dir.path().join("peers.json"), b"{broken").unwrap();
        assert!(Peers::load(dir.path()).unwrap_err().to_string().contains("peers.json"));
    }
}

//! Where each document held of another federation came from: the peer
//! whose session last brought it changes, and when (by this node's clock,
//! `Store::set_clock`). `hubsync network` reads it to show how every
//! federation arrives (directly from its owner or through a hub) and which
//! have gone quiet (docs/SYNC.md, "Provenance and staleness").
//!
//! Kept in the `meta` tree under `arrival/<doc id>`, written with the
//! change it describes but not fsynced on its own: it is a report, and a
//! lost one only makes a document look as old as its previous arrival.

use super::{DocId, Result, Store};
use crate::clock::Clock;
use automerge::ReadDoc;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

const PREFIX: &str = "arrival/";

/// The last time a peer brought changes of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    /// The node id of the peer that sent them (a relay, or the owner).
    pub peer: String,
    /// When they were applied, by this node's clock.
    pub at: NaiveDateTime,
    /// How many changes that message carried.
    pub changes: usize,
}

impl Store {
    /// The clock arrivals are stamped with (tests and the simulation set a
    /// fixed or shifted one; a node runs on the system clock).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Records that `peer` brought `changes` changes of `doc` just now.
    pub(super) fn note_arrival(&mut self, peer: &str, doc: &DocId, changes: usize) -> Result<()> {
        let arrival = Arrival { peer: peer.to_string(), at: self.clock.now(), changes };
        let bytes = serde_json::to_vec(&arrival).expect("an arrival serializes");
        self.disk.meta.insert(format!("{PREFIX}{doc}"), bytes)?;
        Ok(())
    }

    /// Every recorded arrival, by document (unreadable entries are skipped:
    /// the document then shows as "not recorded").
    pub fn arrivals(&self) -> BTreeMap<DocId, Arrival> {
        self.disk
            .meta
            .scan_prefix(PREFIX)
            .filter_map(|kv| kv.ok())
            .filter_map(|(k, v)| {
                let id = DocId::parse(std::str::from_utf8(&k).ok()?.strip_prefix(PREFIX)?).ok()?;
                Some((id, serde_json::from_slice(&v).ok()?))
            })
            .collect()
    }

    /// Records in one document (root keys that are not metadata).
    pub fn record_count(&self, doc: &DocId) -> usize {
        self.docs.get(doc).map_or(0, |s| s.doc.keys(automerge::ROOT).filter(|k| !k.starts_with('_')).count())
    }
}

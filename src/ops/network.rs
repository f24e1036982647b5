//! The network as this node sees it: every federation it holds documents
//! of, as a tree (province, cities, counties, ...), with how each arrives
//! (our own, directly from its owner, or through which hub), when a peer
//! last brought changes of it, its record counts, and whether it has gone
//! quiet for longer than the secretary allows (`hubsync network`, the sync
//! tab; docs/SYNC.md, "Provenance and staleness").

use super::{Env, OpError, OpResult};
use crate::domain::{Collection, Federation, Level, RecordId};
use crate::store::{DocId, Store};
use crate::sync::authorship;
use crate::sync::forward::is_below;
use crate::sync::{NodeId, Peer, Peers};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Quiet for more than this many days by default: a month without news
/// of a county is what a city secretary would chase.
pub const DEFAULT_STALE_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkQuery {
    /// A federation is stale after this many days without changes arriving.
    pub stale_days: i64,
}

impl Default for NetworkQuery {
    fn default() -> Self {
        NetworkQuery { stale_days: DEFAULT_STALE_DAYS }
    }
}

/// How a federation's documents reach this node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Arrives {
    /// Our own federation.
    Home,
    /// Last from its owner (the peer pinned to it, or one of its devices).
    Direct { peer: String },
    /// Last through a hub that relays it.
    Via { peer: String },
    /// Held, but no arrival recorded (imported, or held before this
    /// version recorded arrivals).
    NotRecorded,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FedRow {
    pub id: String,
    /// The federation's name from its meta document; its id when we hold none.
    pub name: String,
    pub level: Option<Level>,
    pub division: String,
    /// Depth in the tree (0 for a root).
    pub depth: usize,
    /// The nearest federation held above it.
    pub parent: Option<String>,
    pub arrives: Arrives,
    /// When a peer last brought changes of any of its documents (our clock).
    pub last_received: Option<NaiveDateTime>,
    /// Whole days since then.
    pub days_quiet: Option<i64>,
    /// Not ours, and nothing arrived for longer than the query allows (or never recorded).
    pub stale: bool,
    pub documents: usize,
    pub orgs: usize,
    /// Records in all its documents but the meta one.
    pub records: usize,
    /// For a federation whose owner is a direct peer: that peer's last session.
    pub last_session: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub as_of: NaiveDateTime,
    pub stale_days: i64,
    /// In tree order: each federation followed by those below it.
    pub federations: Vec<FedRow>,
}

impl Network {
    pub fn stale(&self) -> impl Iterator<Item = &FedRow> {
        self.federations.iter().filter(|f| f.stale)
    }
}

pub fn network(env: &mut Env, q: NetworkQuery) -> OpResult<Network> {
    let peers = Peers::load(env.dir())?;
    let now = env.clock.now();
    Ok(build(env.store, &peers.peers, now, q.stale_days))
}

/// The tree from what the store holds (shared with reports that say which
/// federations' data they cover).
pub fn build(store: &Store, peers: &[Peer], now: NaiveDateTime, stale_days: i64) -> Network {
    let home = store.home_id().cloned();
    let arrivals = store.arrivals();
    let mut by_fed: BTreeMap<String, Vec<DocId>> = BTreeMap::new();
    for doc in store.doc_ids(None) {
        by_fed.entry(doc.federation().0).or_default().push(doc);
    }
    let records: BTreeMap<String, Federation> =
        by_fed.keys().filter_map(|f| store.federation_record(&RecordId(f.clone())).map(|r| (f.clone(), r))).collect();
    let mut rows: BTreeMap<String, FedRow> = BTreeMap::new();
    for (fed, docs) in &by_fed {
        let record = records.get(fed);
        let last = docs.iter().filter_map(|d| arrivals.get(d)).max_by_key(|a| a.at);
        let is_home = home.as_ref().is_some_and(|h| h.as_str() == fed);
        let owner = peers.iter().find(|p| p.home.as_deref() == Some(fed.as_str()));
        let arrives = if is_home {
            Arrives::Home
        } else {
            match last {
                None => Arrives::NotRecorded,
                Some(a) => {
                    let peer = peers.iter().find(|p| p.node_id.to_string() == a.peer);
                    let name = peer.map_or_else(|| short(&a.peer), |p| p.name.clone());
                    let list = authorship::load(store, fed);
                    let from_owner = peer.is_some_and(|p| p.home.as_deref() == Some(fed.as_str()))
                        || NodeId::parse(&a.peer)
                            .ok()
                            .zip(list.as_ref())
                            .is_some_and(|(n, l)| l.is_owner(&n, 0) && !l.is_revoked(&n));
                    if from_owner {
                        Arrives::Direct { peer: name }
                    } else {
                        Arrives::Via { peer: name }
                    }
                }
            }
        };
        let last_received = last.map(|a| a.at);
        let days_quiet = last_received.map(|at| (now - at).num_days().max(0));
        let stale = !is_home && days_quiet.is_none_or(|d| d > stale_days);
        let count = |c: Option<Collection>| {
            docs.iter()
                .filter(|d| c.map_or(d.collection() != Collection::Meta, |c| d.collection() == c))
                .map(|d| store.record_count(d))
                .sum()
        };
        rows.insert(
            fed.clone(),
            FedRow {
                id: fed.clone(),
                name: record.map_or_else(|| fed.clone(), |r| r.name.clone()),
                level: record.map(|r| r.level),
                division: record.map(|r| r.division.clone()).unwrap_or_default(),
                depth: 0,
                parent: None,
                arrives,
                last_received,
                days_quiet,
                stale,
                documents: docs.len(),
                orgs: count(Some(Collection::Orgs)),
                records: count(None),
                last_session: owner.and_then(|p| p.last_sync.clone()),
            },
        );
    }
    // Each federation's parent: the deepest held federation it lies below.
    let lookup = |key: &str| records.get(key).cloned().or_else(|| records.values().find(|f| f.name == key).cloned());
    let parents: BTreeMap<String, String> = records
        .values()
        .filter_map(|f| {
            let above: Vec<&Federation> =
                records.values().filter(|t| t.id != f.id && is_below(f, t, &lookup)).collect();
            above
                .iter()
                .max_by_key(|t| above.iter().filter(|u| u.id != t.id && is_below(t, u, &lookup)).count())
                .map(|t| (f.id.0.clone(), t.id.0.clone()))
        })
        .collect();
    let mut children: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for id in rows.keys() {
        children.entry(parents.get(id).cloned()).or_default().push(id.clone());
    }
    for list in children.values_mut() {
        list.sort_by_key(|id| (rows[id].division.clone(), rows[id].name.clone()));
    }
    let mut ordered = Vec::with_capacity(rows.len());
    let mut stack: Vec<(String, usize)> =
        children.get(&None).into_iter().flatten().rev().map(|id| (id.clone(), 0)).collect();
    let mut seen = BTreeSet::new();
    while let Some((id, depth)) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let mut row = rows.remove(&id).expect("every id has a row");
        row.depth = depth;
        row.parent = parents.get(&id).cloned();
        ordered.push(row);
        for child in children.get(&Some(id)).into_iter().flatten().rev() {
            stack.push((child.clone(), depth + 1));
        }
    }
    // A parent cycle (two meta documents naming each other) leaves rows
    // unplaced: they are shown as roots rather than dropped.
    ordered.extend(rows.into_values());
    Network { as_of: now, stale_days, federations: ordered }
}

fn short(node: &str) -> String {
    node.chars().take(8).collect()
}

/// The federations a report or export restricted to `under` covers: the
/// held federation of that id or division and every one below it, or, for
/// a division no held federation has, every held federation inside its
/// area (510100: all of Chengdu's). In tree order, with when each last
/// changed here.
pub fn subtree(net: &Network, under: &str) -> OpResult<Vec<FedRow>> {
    let under = under.trim();
    let held = |r: &FedRow| r.id == under;
    // Not an id held here: it must be a division code (fullwidth digits
    // as an IME types them are folded), else it is named as malformed.
    let folded;
    let under = if net.federations.iter().any(held) {
        under
    } else {
        folded = crate::domain::validate::check_division(under).map_err(|e| {
            OpError::invalid(
                "under",
                format!("「{under}」既不是本节点所持联合会的编号,也不是有效的行政区划代码 (neither a federation id held here nor a valid division code): {}", e.0),
            )
        })?;
        folded.as_str()
    };
    let tops: BTreeSet<&str> = net
        .federations
        .iter()
        .filter(|r| r.id == under || (!r.division.is_empty() && r.division == under))
        .map(|r| r.id.as_str())
        .collect();
    let area = area_of(under);
    let covered: Vec<FedRow> = net
        .federations
        .iter()
        .filter(|r| {
            let mut at: Option<&FedRow> = Some(*r);
            while let Some(row) = at {
                if tops.contains(row.id.as_str()) {
                    return true;
                }
                at = row.parent.as_ref().and_then(|p| net.federations.iter().find(|f| &f.id == p));
            }
            tops.is_empty() && !area.is_empty() && r.division.starts_with(&area)
        })
        .cloned()
        .collect();
    if covered.is_empty() {
        return Err(OpError::invalid(
            "under",
            format!("本节点没有「{under}」及其下级联合会的数据 (no federation held at or below {under}: a federation id or a division code)"),
        ));
    }
    Ok(covered)
}

/// The digits of a division code that name its area: trailing pairs of
/// zeros off a six-digit code (510000 → 51, 510100 → 5101), longer codes
/// as they are.
fn area_of(code: &str) -> String {
    if !code.chars().all(|c| c.is_ascii_digit()) {
        return String::new();
    }
    let mut area = code.to_string();
    while area.len() > 2 && area.len() <= 6 && area.ends_with("00") {
        area.truncate(area.len() - 2);
    }
    area
}

/// The federations at and below `under` (a federation id held here or a
/// division code), in tree order, and which documents are theirs: what a
/// report or an export `--under` covers.
pub struct Scope {
    pub covers: Vec<FedRow>,
    ids: BTreeSet<String>,
}

impl Scope {
    pub fn new(store: &Store, peers: &[Peer], now: NaiveDateTime, under: &str) -> OpResult<Scope> {
        let net = build(store, peers, now, DEFAULT_STALE_DAYS);
        let covers = subtree(&net, under)?;
        let ids = covers.iter().map(|r| r.id.clone()).collect();
        Ok(Scope { covers, ids })
    }

    /// Whether a document belongs to a federation covered.
    pub fn holds(&self, doc: &crate::store::DocId) -> bool {
        self.ids.contains(doc.federation().as_str())
    }
}

/// A report restricted to the federations at and below `under`, with the
/// federations it covers (and when each last changed here).
pub struct ScopedReport {
    pub report: crate::domain::report::Report,
    /// Records a peer broke, left out (as the full report does).
    pub problems: Vec<super::Unreadable>,
    pub covers: Vec<FedRow>,
}

pub fn report_under(
    store: &Store,
    peers: &[Peer],
    now: NaiveDateTime,
    under: &str,
    as_of: chrono::NaiveDate,
) -> OpResult<ScopedReport> {
    let scope = Scope::new(store, peers, now, under)?;
    // Totalled under the top federation covered (the first in tree order).
    let top = store.federation_record(&RecordId(scope.covers[0].id.clone()));
    let (report, problems) = store.report_within(as_of, &|d| scope.holds(d), top);
    let problems = problems.iter().map(super::Unreadable::from).collect();
    Ok(ScopedReport { report, problems, covers: scope.covers })
}

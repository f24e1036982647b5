//! What a node passes on to a peer: its own documents under the peer's
//! grants, the peer's own federation's documents back to it, and, as a hub,
//! documents of other federations it holds under forwarding grants.
//!
//! Grant keys (in `peers.json`, per peer):
//!
//! | key | covers |
//! | --- | --- |
//! | `<doc id>` | that document |
//! | `orgs`, `*` | that collection / every collection of **our** federation |
//! | `tree:orgs`, `tree:*` | that collection / every collection of our federation **and every federation below it** |
//! | `<fed>:orgs`, `<fed>:*` | that collection / every collection of the named federation |
//!
//! The `private` document is covered only by a key naming it (`private`,
//! `tree:private`, `<fed>:private`, its id): no `*` form reaches it, at any
//! hop. A federation's `meta` document travels with any of its documents
//! (a hub must know a federation's name, level and division). An owner can
//! mark collections "first hop only" (`_first_hop_only` in its meta
//! document): a relay never passes those on, except back to their owner.

use super::trust::{Grant, Peer};
use crate::domain::{Collection, Federation, Level, RecordId};
use crate::store::{DocId, Store};
use std::collections::{BTreeSet, HashMap};

/// What a peer may do with one document, seen from this node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// We send it our changes (it is shared with the peer).
    pub send: bool,
    /// We apply the peer's changes (subject to authorship checks).
    pub write: bool,
    /// A federation we hold nothing of, brought by a relay: admitted only
    /// if its record places it below the relay's own federation
    /// (`authorship::Gate::admit`, checked before anything is stored).
    pub new_federation: bool,
}

/// Federations a single session may bring that this node held nothing of:
/// a county relays its townships and communities, a city its counties and
/// theirs; more than this is a flood, and the rest waits for the next session.
pub const MAX_NEW_FEDERATIONS_PER_SESSION: usize = 2_000;

/// The peer as a session sees it.
#[derive(Clone, Debug)]
pub struct PeerView {
    pub peer: Peer,
    /// Its home federation, if the pin gives it owner rights.
    pub home: Option<RecordId>,
    /// Federations whose owner is another of our direct peers: a relay may
    /// not rewrite those (we hear from the owner itself).
    pub owned_elsewhere: BTreeSet<String>,
    /// Its certificate, from the handshake (checks its signatures).
    pub cert: Vec<u8>,
    /// Federations new to us this session has admitted so far.
    pub new_federations: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// Digits of the division code that identify the area of a level
/// (GB/T 2260: 51 province, 5101 city, 510104 county, 9 and 12 digits below).
fn area_digits(level: Level) -> usize {
    match level {
        Level::Province => 2,
        Level::City => 4,
        Level::County => 6,
        Level::Township => 9,
        Level::Community => 12,
    }
}

fn rank(level: Level) -> usize {
    area_digits(level)
}

/// Whether `fed` lies below `top` in the five-level network: its division is
/// inside `top`'s area at a lower level, or its parent chain reaches `top`.
pub fn is_below(fed: &Federation, top: &Federation, lookup: &dyn Fn(&str) -> Option<Federation>) -> bool {
    if fed.id == top.id {
        return false;
    }
    let digits = area_digits(top.level);
    if top.division.len() >= digits
        && rank(fed.level) > rank(top.level)
        && fed.division.starts_with(&top.division[..digits])
    {
        return true;
    }
    // The parent chain: `parent` holds the parent's id or name.
    let mut current = fed.clone();
    for _ in 0..5 {
        let parent = current.parent.trim();
        if parent.is_empty() {
            return false;
        }
        if parent == top.id.as_str() || parent == top.name {
            return true;
        }
        match lookup(parent) {
            Some(p) if p.id != current.id => current = p,
            _ => return false,
        }
    }
    false
}

/// A federation this node holds a record of, named by its id or its name
/// (a record's `parent` may hold either).
pub fn federation_by_key(store: &Store, key: &str) -> Option<Federation> {
    store
        .federation_record(&RecordId(key.to_string()))
        .or_else(|| store.federations().into_iter().find(|f| f.name == key))
}

/// How many parents up `fed`'s chain reaches, as far as this node knows
/// (its own record's `parent`, by id or name); `None` if we hold no record
/// of it. Sessions send meta documents in this order, so a hub checking a
/// new federation's place already holds the federations between.
pub fn depth(store: &Store, fed: &RecordId) -> Option<usize> {
    let lookup = |key: &str| federation_by_key(store, key);
    let mut current = store.federation_record(fed)?;
    let mut depth = 0;
    while depth < 8 {
        match lookup(current.parent.trim()) {
            Some(p) if !current.parent.trim().is_empty() && p.id != current.id => {
                current = p;
                depth += 1;
            }
            _ => break,
        }
    }
    Some(depth)
}

/// Facts about the federations held, read once per decision batch.
pub struct Held<'a> {
    store: &'a Store,
    home: Option<RecordId>,
    home_fed: Option<Federation>,
    below: HashMap<String, bool>,
    first_hop: HashMap<String, BTreeSet<String>>,
    /// Our federation's authors list: its owner devices get everything.
    own_list: Option<super::authorship::AuthorList>,
}

impl<'a> Held<'a> {
    pub fn new(store: &'a Store) -> Held<'a> {
        let home = store.home_id().cloned();
        let home_fed = home.as_ref().and_then(|h| store.federation_record(h));
        // Only when this node is an owner device too: a writer's laptop that
        // holds its federation's list does not treat the owners as peers of
        // its own rank (it would offer what they will not take from it).
        let own_list = home
            .as_ref()
            .and_then(|h| super::authorship::load(store, h.as_str()))
            .filter(|l| store.signer().is_some_and(|s| l.is_owner(&s.node, 0) && !l.is_revoked(&s.node)));
        Held { store, home, home_fed, below: HashMap::new(), first_hop: HashMap::new(), own_list }
    }

    fn is_home(&self, fed: &RecordId) -> bool {
        self.home.as_ref() == Some(fed)
    }

    /// Whether `fed` is below our federation (our own counts as not below).
    fn below(&mut self, fed: &RecordId) -> bool {
        if let Some(b) = self.below.get(fed.as_str()) {
            return *b;
        }
        let store = self.store;
        let b = match (&self.home_fed, store.federation_record(fed)) {
            (Some(top), Some(f)) => {
                let lookup = |key: &str| federation_by_key(store, key);
                is_below(&f, top, &lookup)
            }
            _ => false,
        };
        self.below.insert(fed.0.clone(), b);
        b
    }

    fn first_hop_only(&mut self, fed: &RecordId, collection: Collection) -> bool {
        let store = self.store;
        let marked = self.first_hop.entry(fed.0.clone()).or_insert_with(|| store.first_hop_only(fed));
        marked.contains("*") || marked.contains(collection.code())
    }

    /// The grant a peer holds on a document, through any key form.
    pub fn grant(&mut self, peer: &Peer, doc: &DocId) -> Option<Grant> {
        let fed = doc.federation();
        let c = doc.collection();
        let private = c == Collection::Private;
        let get = |k: &str| peer.grants.get(k).copied();
        let star = |prefix: &str| if private { None } else { get(&format!("{prefix}*")) };
        let exact = get(doc.as_str());
        let named = get(&format!("{fed}:{}", c.code())).or_else(|| star(&format!("{fed}:")));
        let in_tree = self.is_home(&fed) || self.below(&fed);
        let tree = if in_tree { get(&format!("tree:{}", c.code())).or_else(|| star("tree:")) } else { None };
        let own = if self.is_home(&fed) { get(c.code()).or_else(|| star("")) } else { None };
        exact.or(named).or(tree).or(own)
    }

    /// Whether any document of `fed` other than its meta is granted.
    fn any_granted(&mut self, peer: &Peer, fed: &RecordId) -> bool {
        let prefix = format!("{fed}/");
        if peer.grants.keys().any(|k| k.starts_with(&prefix) && !k.ends_with("/meta")) {
            return true;
        }
        Collection::ALL.iter().filter(|c| **c != Collection::Meta).any(|c| {
            let part = (*c == Collection::Orgs).then_some("000000");
            let doc = DocId::new(fed, *c, part);
            self.grant(peer, &doc).is_some() && (self.is_home(fed) || !self.first_hop_only(fed, *c))
        })
    }

    /// What `view`'s peer may do with `doc`.
    pub fn access(&mut self, view: &PeerView, doc: &DocId) -> Option<Access> {
        let fed = doc.federation();
        if view.home.as_ref() == Some(&fed) {
            // The peer's own federation: it is the owner.
            return Some(Access { send: true, write: true, new_federation: false });
        }
        if self.is_home(&fed)
            && self
                .own_list
                .as_ref()
                .is_some_and(|l| l.is_owner(&view.peer.node_id, 0) && !l.is_revoked(&view.peer.node_id))
        {
            // Another device of our own federation (docs/SYNC.md, authors list).
            return Some(Access { send: true, write: true, new_federation: false });
        }
        let mut grant = self.grant(&view.peer, doc);
        if grant.is_none() && doc.collection() == Collection::Meta && self.any_granted(&view.peer, &fed) {
            grant = Some(Grant::Read);
        }
        if self.is_home(&fed) {
            return grant.map(|g| Access { send: true, write: g == Grant::Write, new_federation: false });
        }
        if !self.store.has_doc(&DocId::new(&fed, Collection::Meta, None)) {
            // A federation we hold nothing of comes only through a hub it
            // lies below, meta document first (its record says where it
            // lies); otherwise any admitted peer could make this node store,
            // and pass up, federations it made up.
            let first = doc.collection() == Collection::Meta && view.home.is_some();
            let room = || {
                view.new_federations.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                    < MAX_NEW_FEDERATIONS_PER_SESSION
            };
            return (first && room()).then_some(Access { send: false, write: true, new_federation: true });
        }
        // Another federation's document: a hub passes it on when granted
        // and its owner allows more than one hop.
        let send = grant.is_some() && !self.first_hop_only(&fed, doc.collection());
        // Any peer may relay it to us: every change it brings must be signed
        // by an author the federation's list admits (sync::authorship), or,
        // unsigned, come from the federation itself.
        Some(Access { send, write: true, new_federation: false })
    }
}

/// Whether a session with `peer` would carry `doc` to it: the daemon asks
/// before passing on changes it just received (the peer as pinned, without
/// the handshake's certificate, which `access` does not read).
pub fn would_send(store: &Store, peer: &Peer, doc: &DocId) -> bool {
    let view = PeerView {
        peer: peer.clone(),
        home: peer.home.clone().map(RecordId),
        owned_elsewhere: BTreeSet::new(),
        cert: Vec::new(),
        new_federations: Default::default(),
    };
    Held::new(store).access(&view, doc).is_some_and(|a| a.send)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fed(id: &str, level: Level, division: &str, parent: &str) -> Federation {
        Federation {
            id: RecordId(id.into()),
            name: format!("fed {id}"),
            level,
            division: division.into(),
            parent: parent.into(),
            contact_name: String::new(),
            contact_phone: String::new(),
        }
    }

    #[test]
    fn below_by_division_area_and_by_parent_chain() {
        let province = fed("p", Level::Province, "510000", "");
        let city = fed("c", Level::City, "510100", "");
        let county = fed("k", Level::County, "510104", "");
        let other_city = fed("m", Level::City, "510300", "");
        let township = fed("t", Level::Township, "510104001", "");
        let none = |_: &str| None;
        assert!(is_below(&city, &province, &none));
        assert!(is_below(&county, &city, &none));
        assert!(is_below(&township, &city, &none));
        assert!(!is_below(&county, &other_city, &none), "another city's county");
        assert!(!is_below(&city, &county, &none), "upwards");
        assert!(!is_below(&city, &city, &none), "itself");
        assert!(!is_below(&other_city, &city, &none), "a sibling at the same level");
        // A federation without a division in the area, linked by its parent.
        let odd = fed("x", Level::Community, "", "k");
        let lookup = |k: &str| (k == "k").then(|| fed("k", Level::County, "", "c"));
        assert!(is_below(&odd, &city, &lookup), "x -> k -> c");
        assert!(!is_below(&odd, &other_city, &lookup));
    }
}

//! The sharing policy of a session, seen from this node: what a peer may
//! read and write (sync::forward), what we offer it, the authors lists that
//! travel with the offers, and the gate a peer's changes pass.

use super::authorship::{self, Gate};
use super::forward::{Access, Held, PeerView};
use super::offered::OfferCache;
use super::offers::{Delta, OfferMap};
use super::trust::{Grant, Peer, Peers};
use crate::domain::RecordId;
use crate::store::{DocId, Store};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a peer may do with a document, seen from this node (sync::forward).
pub(super) fn may_share(store: &Store, view: &PeerView, doc: &DocId) -> Option<Access> {
    Held::new(store).access(view, doc)
}

/// The peer as this session sees it: its record, the home it owns, and
/// the federations other direct peers own (in `peers`, the list as this
/// session read it).
pub(super) fn view(peers: &Peers, peer: &Peer, home: Option<RecordId>, cert: Vec<u8>) -> PeerView {
    let owned_elsewhere = peers.homes_except(&peer.node_id);
    PeerView { peer: peer.clone(), home, owned_elsewhere, cert, new_federations: Default::default() }
}

/// Offer keys of authors lists: `~authors/<fed>` -> digest of the list.
pub(super) const LIST_KEY: &str = "~authors/";

/// Our offers to a peer: documents we send it, with their heads, and the
/// digests of the authors lists of their federations. Kept per peer between
/// sessions and checked against what they were computed from (`offered`).
pub(super) fn offers(store: &mut Store, view: &PeerView, peers: &Peers, cache: &OfferCache) -> Arc<OfferMap> {
    let prepare = |store: &mut Store| {
        authorship::remember_cert(store, &view.cert);
        authorship::own_list(store, peers);
    };
    cache.offers(store, view, peers, prepare, |store| compute_offers(store, view))
}

/// The same computed over every document held.
pub(super) fn compute_offers(store: &mut Store, view: &PeerView) -> OfferMap {
    let docs: Vec<DocId> = {
        let mut held = Held::new(store);
        store.doc_ids(None).into_iter().filter(|d| held.access(view, d).is_some_and(|a| a.send)).collect()
    };
    let feds: BTreeSet<String> = docs.iter().map(|d| d.federation().0).collect();
    let mut out: OfferMap =
        docs.into_iter().map(|d| (d.as_str().into(), store.heads_digest(&d).unwrap_or_default().into())).collect();
    for fed in feds {
        if let Some(list) = authorship::load(store, &fed) {
            out.insert(format!("{LIST_KEY}{fed}").into(), list.digest().into());
        }
    }
    out
}

/// The federations whose lists a delta carries.
pub(super) fn lists_in(delta: &Delta) -> Vec<String> {
    delta.set.keys().filter_map(|k| k.strip_prefix(LIST_KEY)).map(str::to_string).collect()
}

/// The lists themselves.
pub(super) fn list_bodies(store: &mut Store, _view: &PeerView, feds: Vec<String>) -> Vec<authorship::AuthorList> {
    feds.iter().filter_map(|f| authorship::load(store, f)).collect()
}

/// Takes in the lists a peer sent; a list that does not check is logged
/// and dropped (the documents of its federation then take only what the
/// list we hold admits). A list travels with the documents it vouches for:
/// one for a federation we hold nothing of and `offered` (the peer's full
/// offers) names no document of is dropped, so that a peer cannot make this
/// node store lists of made-up federations.
pub(super) fn receive_lists(
    store: &mut Store,
    view: &PeerView,
    lists: Vec<authorship::AuthorList>,
    offered: &OfferMap,
) {
    // Most sessions bring no list (offers are deltas): then nothing below
    // is needed, and the sets it builds walk every document held and offered.
    if lists.is_empty() {
        return;
    }
    let home = store.home_id().map(|h| h.0.clone());
    let mut wanted: BTreeSet<String> = store.doc_ids(None).iter().map(|d| d.federation().0).collect();
    wanted.extend(offered.keys().filter_map(|d| DocId::parse(d).ok()).map(|d| d.federation().0));
    for list in lists {
        let fed = list.fed.clone();
        if !wanted.contains(&fed) {
            tracing::warn!(peer = %view.peer.name, federation = %fed, "authors list of a federation neither held nor offered: dropped");
            continue;
        }
        // Its founder is believed, the first time, from the peer pinned as
        // that federation's owner, or from a relay when no direct peer owns it.
        // A device that joined our federation takes its list from the node
        // it joined through (the one it lets write everything).
        let ours = home.as_deref() == Some(fed.as_str());
        let inviter = ours && view.peer.grants.get("*") == Some(&Grant::Write);
        let trusted = view.peer.home.as_deref() == Some(fed.as_str())
            || inviter
            || (!ours && !view.owned_elsewhere.contains(&fed));
        if let Err(e) = authorship::receive(store, &list, trusted) {
            tracing::warn!(peer = %view.peer.name, federation = %fed, "authors list refused: {e}");
        }
    }
}

/// What received changes of `doc` from this peer are checked against.
pub(super) fn gate(store: &mut Store, view: &PeerView, doc: &DocId, access: Access) -> Gate {
    let fed = doc.federation();
    let home = store.home_id().cloned();
    let ours = home.as_ref() == Some(&fed);
    let mut held = Held::new(store);
    let granted = if ours && held.grant(&view.peer, doc) == Some(Grant::Write) {
        [view.peer.node_id].into()
    } else {
        Default::default()
    };
    let direct_writer = access.write && (ours || view.home.as_ref() == Some(&fed));
    Gate {
        vouched_by: view.home.clone().filter(|_| access.new_federation),
        doc: doc.clone(),
        list: authorship::load(store, fed.as_str()),
        peer: view.peer.node_id,
        peer_cert: view.cert.clone(),
        direct_writer,
        granted,
        our_actor: store.actor().clone(),
    }
}

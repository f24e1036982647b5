//! Federation F's roster reaching a store through a relay that holds no
//! write right of F's: a read-only hub passing a county's organizations up.
//! The input is a mutation script over one genuine relayed message and the
//! signature records travelling with it (bytes flipped in either, a record
//! dropped or moved to another change, a record signed by a node F never
//! listed, or raw message bytes). The fuzzer cannot sign, so the properties
//! beyond "no panic" are sharp: every change that enters was made and signed
//! by F's founder; a refused message changes no heads; the untouched message
//! is accepted whole; the store reopens with what it held.
#![no_main]

use automerge::{AutoCommit, ChangeHash};
use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use hubsync::sync::authorship::{self, founded_id, AuthorList, Gate, Signer};
use hubsync_fuzz::{scratch, store_still_serves};
use libfuzzer_sys::fuzz_target;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use tempfile::TempDir;

struct Relayed {
    _dirs: Vec<TempDir>,
    doc: DocId,
    list: AuthorList,
    message: Vec<u8>,
    signatures: Vec<(ChangeHash, Vec<u8>)>,
    genuine: HashSet<ChangeHash>,
    relay: Signer,
    rogue: Signer,
}

/// Built once per process: F's founding node writes three organizations
/// (each change signed as it is committed), and the message it would send a
/// peer holding nothing, as the relay passes it on.
fn relayed() -> &'static Relayed {
    static FIXTURE: OnceLock<Relayed> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (founder_dir, relay_dir, rogue_dir, peer_dir) = (scratch(), scratch(), scratch(), scratch());
        let signer = Signer::load(founder_dir.path()).expect("founder identity");
        let mut founder = Store::open(founder_dir.path()).expect("founder store");
        let fed = Federation {
            id: RecordId::from(founded_id(&signer.node).as_str()),
            name: "锦江区社区社会组织联合会".into(),
            level: Level::County,
            division: "510104".into(),
            parent: "510100".into(),
            contact_name: "王秘书".into(),
            contact_phone: "13800138000".into(),
        };
        founder.init_federation(&fed).expect("federation");
        for (i, name) in ["玉林社区夕阳红舞蹈队", "水井坊社区书画社", "望江社区邻里互助会"].iter().enumerate() {
            let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, "510104001002");
            o.filing_number = format!("JJ-{i}");
            founder.insert(&o).expect("insert");
        }
        let doc = founder.doc_ids(Some(Collection::Orgs)).remove(0);
        // One round trip with an empty peer, so the next message carries the changes.
        let mut peer = Store::open(peer_dir.path()).expect("peer store");
        let first = founder.sync_generate("peer", &doc).unwrap().expect("a first message");
        peer.sync_receive("founder", &doc, &first, false).unwrap();
        let reply = peer.sync_generate("founder", &doc).unwrap().expect("a reply");
        founder.sync_receive("peer", &doc, &reply, false).unwrap();
        let out = founder.sync_generate_signed("peer", &doc, false).unwrap().expect("the changes");
        assert!(out.changes > 0 && !out.signatures.is_empty(), "the relayed message carries signed changes");
        let genuine = all_changes(&founder.export_doc(&doc).unwrap());
        Relayed {
            list: AuthorList::found(fed.id.as_str(), &signer),
            relay: Signer::load(relay_dir.path()).expect("relay identity"),
            rogue: Signer::load(rogue_dir.path()).expect("rogue identity"),
            _dirs: vec![founder_dir, relay_dir, rogue_dir, peer_dir],
            doc,
            message: out.bytes,
            signatures: out.signatures,
            genuine,
        }
    })
}

fn all_changes(saved: &[u8]) -> HashSet<ChangeHash> {
    let mut doc = AutoCommit::load(saved).expect("an exported document loads");
    doc.get_changes(&[]).iter().map(|c| c.hash()).collect()
}

/// Flips bytes of `target` at the positions and with the masks `script`
/// gives (three bytes a patch: position high, low, mask).
fn patch(target: &mut [u8], script: &[u8]) {
    if target.is_empty() {
        return;
    }
    for p in script.chunks_exact(3) {
        let at = (usize::from(p[0]) << 8 | usize::from(p[1])) % target.len();
        target[at] ^= p[2].max(1);
    }
}

fuzz_target!(|input: &[u8]| {
    let fx = relayed();
    let Some((&mode, rest)) = input.split_first() else { return };
    let mut message = fx.message.clone();
    let mut records = fx.signatures.clone();
    let pick = |n: usize| rest.first().map_or(0, |&b| usize::from(b) % n.max(1));
    let script = rest.get(1..).unwrap_or_default();
    let untouched = match mode % 6 {
        0 => {
            patch(&mut message, rest);
            rest.len() < 3
        }
        1 => {
            let i = pick(records.len());
            patch(&mut records[i].1, script);
            script.len() < 3
        }
        2 => {
            records.remove(pick(records.len()));
            false
        }
        3 => {
            let i = pick(records.len());
            records[i].1 = fx.rogue.sign_change(&records[i].0 .0);
            false
        }
        4 => {
            // A record moved onto another change's hash.
            let i = pick(records.len());
            let j = (i + 1 + script.first().map_or(0, |&b| usize::from(b))) % records.len();
            if i == j {
                return;
            }
            records[i].1 = fx.signatures[j].1.clone();
            false
        }
        _ => {
            message = rest.to_vec();
            false
        }
    };

    let dir = scratch();
    let mut store = Store::open(dir.path()).expect("a fresh store opens");
    authorship::save(&mut store, &fx.list).expect("the authors list is kept");
    let gate = Gate {
        doc: fx.doc.clone(),
        list: authorship::load(&store, fx.list.fed.as_str()),
        peer: fx.relay.node,
        peer_cert: fx.relay.cert.clone(),
        direct_writer: false,
        granted: Default::default(),
        our_actor: store.actor().clone(),
        // The relay's federation is the document's own here: no new federation to vouch for.
        vouched_by: None,
    };
    let signatures: HashMap<ChangeHash, Vec<u8>> = records.into_iter().collect();
    let result =
        store.sync_receive_checked("relay", &fx.doc, &message, &signatures, &|h, a, r| gate.check(h, a, r));
    let held = store.doc_heads(&fx.doc);
    match &result {
        Ok(_) => {
            if held.is_some() {
                let mut entered = AutoCommit::load(&store.export_doc(&fx.doc).unwrap()).unwrap();
                for change in entered.get_changes(&[]) {
                    let hash = change.hash();
                    assert!(fx.genuine.contains(&hash), "a change F never made entered through a relay: {hash}");
                    let record = store.signature(&hash).expect("every entered change keeps its signature");
                    gate.check(&hash, change.actor_id(), Some(&record)).expect("its kept signature verifies");
                }
            }
        }
        Err(e) => {
            assert!(e.to_string().contains(fx.doc.as_str()), "the error names the document: {e}");
            assert!(held.as_ref().is_none_or(|h| h.is_empty()), "a refused message left changes behind: {e}");
        }
    }
    if untouched {
        let receipt = result.as_ref().expect("the genuine relayed message is accepted");
        assert!(receipt.changed, "the genuine relayed message brings F's changes");
    }
    store_still_serves(&mut store);
    drop(store);
    let mut reopened = Store::open(dir.path()).expect("the store opens after any relayed message");
    assert_eq!(held.unwrap_or_default(), reopened.doc_heads(&fx.doc).unwrap_or_default());
});

//! Stored state: bytes written in place of a document's base (`\0b`) or as
//! one of its incremental pieces (`\0c` + sequence), as a damaged disk or a
//! half-written piece would leave them. The first input byte chooses which.
//! Property beyond "no panic": the store opens, every other document loads
//! with the heads it had, a damaged document is named and can be dropped for
//! a peer to resend, after which the store serves its user.
#![no_main]

use hubsync::store::Store;
use hubsync_fuzz::{all_heads, filled_store, open_raw, org_doc, scratch, store_still_serves};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&mode, bytes)) = input.split_first() else { return };
    let dir = scratch();
    let (doc_id, before) = {
        let mut store = filled_store(dir.path());
        let doc_id = org_doc(&store);
        let before = all_heads(&mut store);
        (doc_id, before)
    };
    {
        let db = open_raw(&dir.path().join("db"));
        let tree = db.open_tree("docs").unwrap();
        let mut key = doc_id.as_str().as_bytes().to_vec();
        if mode & 1 == 0 {
            key.extend_from_slice(b"\0b");
        } else {
            key.extend_from_slice(b"\0c");
            key.extend_from_slice(&u64::MAX.to_be_bytes());
        }
        tree.insert(key, bytes).unwrap();
        db.flush().unwrap();
    }
    let mut store = Store::open(dir.path()).expect("a damaged value never stops the store from opening");
    assert!(store.federation().is_some(), "the federation document still loads");
    let after = all_heads(&mut store);
    for (doc, heads) in &before {
        if doc != &doc_id {
            let now = after.iter().find(|(d, _)| d == doc).map(|(_, h)| h.clone());
            assert_eq!(now, Some(heads.clone()), "{doc}, untouched on disk, lost its heads");
        }
    }
    if store.damaged().contains_key(&doc_id) {
        store.repair_doc(&doc_id).expect("a damaged document can be dropped for a peer to resend");
    }
    store_still_serves(&mut store);
});

//! One document's sync exchange against a real store: the bytes are a peer's
//! message for the first organization document; the first input byte says
//! whether the peer holds a write grant. Properties beyond "no panic": a
//! refused message changes no heads and its error names the document; a peer
//! without a write grant never changes anything, accepted or not; after any
//! message the store still answers (a fresh exchange starts) and reopens
//! with the heads it held.
#![no_main]

use hubsync::store::Store;
use hubsync_fuzz::{all_heads, filled_store, org_doc, scratch, store_still_serves};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&grant, bytes)) = input.split_first() else { return };
    let may_write = grant & 1 == 1;
    let dir = scratch();
    let mut store = filled_store(dir.path());
    let doc_id = org_doc(&store);
    let before = all_heads(&mut store);
    match store.sync_receive("hostile", &doc_id, bytes, may_write) {
        Ok(_) => {
            if !may_write {
                assert_eq!(before, all_heads(&mut store), "a peer without a write grant changed a document");
            }
            let _ = store.sync_generate("hostile", &doc_id);
            store_still_serves(&mut store);
        }
        Err(e) => {
            assert!(e.to_string().contains(doc_id.as_str()), "the error names the document: {e}");
            assert_eq!(before, all_heads(&mut store), "a refused message changed a document: {e}");
            store.begin_sync("hostile", &doc_id);
            store.sync_generate("hostile", &doc_id).expect("a fresh exchange starts after a refusal");
        }
    }
    let held = all_heads(&mut store);
    drop(store);
    let mut reopened = Store::open(dir.path()).expect("the store opens after any sync message");
    assert_eq!(held, all_heads(&mut reopened), "what was held in memory is what reopens");
    store_still_serves(&mut reopened);
});

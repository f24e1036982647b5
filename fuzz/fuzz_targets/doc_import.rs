//! `doc import`: Automerge bytes merged into a real store. Property beyond
//! "no panic": a refused document changes no document's heads and its error
//! says something; an accepted one leaves a store that serves its lists and
//! report, and reopens from disk with the same heads.
#![no_main]

use hubsync::store::Store;
use hubsync_fuzz::{all_heads, filled_store, scratch, store_still_serves};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let dir = scratch();
    let mut store = filled_store(dir.path());
    let before = all_heads(&mut store);
    match store.import_doc(bytes) {
        Ok(_) => store_still_serves(&mut store),
        Err(e) => {
            assert!(!e.to_string().is_empty(), "a refusal says why");
            assert_eq!(before, all_heads(&mut store), "a refused import changed a document: {e}");
        }
    }
    let held = all_heads(&mut store);
    drop(store);
    let mut reopened = Store::open(dir.path()).expect("the store opens after any import");
    assert_eq!(held, all_heads(&mut reopened), "what was held in memory is what reopens");
    store_still_serves(&mut reopened);
});

//! Hostile bytes, fuzzer style, on stable Rust: the document loader, the sync
//! message handler and the spreadsheet importer take mutations of valid
//! input (bit flips, truncations, splices, repeated chunks) and must answer
//! with a value or an error naming the input: never a panic, never a store
//! that no longer opens, and a refused message changes nothing stored.
//!
//! These run on stable in CI; the coverage-guided fuzzer (fuzz/, nightly)
//! uses the same entry points. Mutations of real input reach far deeper than
//! random bytes. HUBSYNC_FUZZ_CASES sets the case count (CI: a modest default). Inputs
//! worth keeping live in tests/corpus/ and are replayed on every run.

use hubsync::domain::*;
use hubsync::io::import::{plan_orgs, plan_people, plan_venues, Existing};
use hubsync::store::{DocId, Store};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;
use tempfile::TempDir;

#[path = "fixtures/store.rs"]
mod fixture_store;
use fixture_store::filled_store;

fn cases() -> u32 {
    std::env::var("HUBSYNC_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
}

/// Valid inputs to mutate: an organization document's bytes, the first sync
/// message a peer sends for it, and a roster CSV.
struct Seeds {
    doc: Vec<u8>,
    doc_id: DocId,
    sync_first: Vec<u8>,
    sync_reply: Vec<u8>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        let mut store = filled_store(dir.path());
        let doc_id = store.doc_ids(Some(Collection::Orgs)).remove(0);
        let doc = store.export_doc(&doc_id).unwrap();
        let sync_first = store.sync_generate("peer", &doc_id).unwrap().unwrap();
        // The reply an empty peer gives carries its (empty) heads and needs;
        // the answer to it carries the changes themselves.
        let empty = TempDir::new().unwrap();
        let mut other = Store::open(empty.path()).unwrap();
        other.ensure_doc(&doc_id).unwrap();
        other.sync_receive("a", &doc_id, &sync_first, true).unwrap();
        let reply = other.sync_generate("a", &doc_id).unwrap().unwrap();
        store.sync_receive("peer", &doc_id, &reply, true).unwrap();
        let sync_reply = store.sync_generate("peer", &doc_id).unwrap().unwrap();
        Seeds { doc, doc_id, sync_first, sync_reply }
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Set { at: usize, byte: u8 },
    Truncate { at: usize },
    Splice { at: usize, bytes: Vec<u8> },
    Repeat { from: usize, len: usize },
    Remove { from: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), prop_oneof![Just(0u8), Just(0xff), Just(0x7f), Just(0x80), any::<u8>()])
            .prop_map(|(at, byte)| Mutation::Set { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Splice { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(from, len)| Mutation::Repeat { from, len }),
        (any::<usize>(), 1usize..32).prop_map(|(from, len)| Mutation::Remove { from, len }),
    ]
}

fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in mutations {
        if b.is_empty() {
            break;
        }
        let n = b.len();
        match m {
            Mutation::Flip { at, bit } => b[at % n] ^= 1 << bit,
            Mutation::Set { at, byte } => b[at % n] = *byte,
            Mutation::Truncate { at } => b.truncate(at % n),
            Mutation::Splice { at, bytes } => {
                let at = at % n;
                b.splice(at..at, bytes.iter().copied());
            }
            Mutation::Repeat { from, len } => {
                let from = from % n;
                let chunk: Vec<u8> = b[from..(from + len).min(n)].to_vec();
                b.splice(from..from, chunk);
            }
            Mutation::Remove { from, len } => {
                let from = from % n;
                b.drain(from..(from + len).min(n));
            }
        }
    }
    b
}

/// Everything a user does with a store still works: lists, the report, and
/// reopening. Records a hostile input broke are named, not fatal.
fn store_still_serves(store: &mut Store) {
    let _ = store.all_readable::<Organization>();
    let _ = store.scan(Collection::Orgs, &["name", "category"]);
    let _ = store.documents();
    let _ = store.report(chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
}

/// Imported document bytes: merged or refused, the store stays whole.
fn check_import(bytes: &[u8]) {
    let dir = TempDir::new().unwrap();
    let mut store = filled_store(dir.path());
    let before: Vec<_> = store.doc_ids(None).into_iter().map(|d| (d.clone(), store.doc_heads(&d))).collect();
    match store.import_doc(bytes) {
        Ok(_) => store_still_serves(&mut store),
        Err(e) => {
            assert!(!e.to_string().is_empty());
            let after: Vec<_> = before.iter().map(|(d, _)| (d.clone(), store.doc_heads(d))).collect();
            assert_eq!(before, after, "a refused import changed a document: {e}");
        }
    }
    drop(store);
    let mut reopened = Store::open(dir.path()).expect("the store opens after any import");
    store_still_serves(&mut reopened);
}

/// The same bytes as a document's stored state on disk: the store opens,
/// naming what it could not read.
fn check_stored(bytes: &[u8], as_base: bool) {
    let dir = TempDir::new().unwrap();
    let doc_id = seeds().doc_id.clone();
    drop(filled_store(dir.path()));
    {
        let db = open_raw(&dir.path().join("db"));
        let tree = db.open_tree("docs").unwrap();
        let mut key = doc_id.as_str().as_bytes().to_vec();
        if as_base {
            key.extend_from_slice(b"\0b");
        } else {
            key.extend_from_slice(b"\0c");
            key.extend_from_slice(&u64::MAX.to_be_bytes());
        }
        tree.insert(key, bytes).unwrap();
        db.flush().unwrap();
    }
    let mut store = Store::open(dir.path()).expect("a damaged value never stops the store from opening");
    assert!(store.federation().is_some(), "other documents still load");
    if store.damaged().contains_key(&doc_id) {
        store.repair_doc(&doc_id).expect("a damaged document can be dropped for a peer to resend");
    }
    store_still_serves(&mut store);
}

/// The raw database behind a store just closed: sled's flusher thread may
/// hold the lock for a moment (Store::open waits for it the same way).
fn open_raw(path: &Path) -> sled::Db {
    let started = std::time::Instant::now();
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(_) if started.elapsed() < std::time::Duration::from_secs(5) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("cannot open {}: {e}", path.display()),
        }
    }
}

/// A sync message: applied or refused; refused changes nothing stored.
fn check_sync(bytes: &[u8]) {
    let dir = TempDir::new().unwrap();
    let mut store = filled_store(dir.path());
    let doc_id = seeds().doc_id.clone();
    let before = store.doc_heads(&doc_id);
    match store.sync_receive("hostile", &doc_id, bytes, true) {
        Ok(_) => {
            let _ = store.sync_generate("hostile", &doc_id);
            store_still_serves(&mut store);
        }
        Err(e) => {
            assert!(e.to_string().contains(doc_id.as_str()), "the error names the document: {e}");
            assert_eq!(store.doc_heads(&doc_id), before, "a refused message changed the document");
            // The session state was reset: a fresh, honest exchange still works.
            store.begin_sync("hostile", &doc_id);
            let _ = store.sync_generate("hostile", &doc_id).unwrap();
        }
    }
    drop(store);
    let mut reopened = Store::open(dir.path()).expect("the store opens after any sync message");
    store_still_serves(&mut reopened);
}

fn check_csv(bytes: &[u8]) {
    let existing = Existing::default();
    let _ = plan_orgs(bytes, &existing);
    let _ = plan_people(bytes, &existing);
    let _ = plan_venues(bytes, &existing);
}

const ROSTER: &str =
    "组织名称,组织类别,登记状态,统一社会信用代码,行政区划代码,所属社区,负责人,联系电话,成立日期,成员人数\n\
玉林社区夕阳红舞蹈队,文体娱乐,备案,,510104001002,玉林社区,李秀英,138-0013-8000,2019年3月5日,30人\n\
水井坊社区书画社,文体娱乐,登记,51510104MJH200395N,510104002001,水井坊社区,王芳,13911112222,2019/3/5,约50\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_are_merged_or_refused(muts in proptest::collection::vec(mutation(), 1..6)) {
        check_import(&mutate(&seeds().doc, &muts));
    }

    #[test]
    fn mutated_stored_state_never_stops_the_store_opening(
        muts in proptest::collection::vec(mutation(), 1..6),
        as_base in any::<bool>(),
    ) {
        check_stored(&mutate(&seeds().doc, &muts), as_base);
    }

    #[test]
    fn mutated_sync_messages_are_applied_or_refused(
        muts in proptest::collection::vec(mutation(), 1..6),
        reply in any::<bool>(),
    ) {
        let seed = if reply { &seeds().sync_reply } else { &seeds().sync_first };
        check_sync(&mutate(seed, &muts));
    }

    #[test]
    fn mutated_rosters_give_a_plan_or_an_error(muts in proptest::collection::vec(mutation(), 1..8), gbk in any::<bool>()) {
        let seed = if gbk { encoding_rs::GB18030.encode(ROSTER).0.into_owned() } else { ROSTER.as_bytes().to_vec() };
        check_csv(&mutate(&seed, &muts));
    }
}

/// Every input kept in tests/corpus/ goes through every entry point.
#[test]
fn the_corpus_is_handled_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/corpus exists") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        check_import(&bytes);
        check_stored(&bytes, true);
        check_stored(&bytes, false);
        check_sync(&bytes);
        check_csv(&bytes);
        n += 1;
    }
    assert!(n >= 4, "the corpus has its inputs ({n} found in {})", dir.display());
}

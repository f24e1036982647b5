//! Shared harness of the fuzz targets: a small real store (a county
//! federation, three organizations, each edited once) to throw bytes at, and
//! the checks that say a store still serves its user. The same entry points
//! as tests/hostile_bytes.rs, so a crash found here replays there.

use hubsync::domain::*;
use hubsync::io::import::{plan_orgs, Existing, ImportError, ImportPlan};
use hubsync::store::{DocId, Store};
use std::path::Path;
use tempfile::TempDir;

#[path = "../../tests/fixtures/store.rs"]
mod fixture_store;

/// The filled store of tests/fixtures/store.rs in `dir`: built once per
/// process and copied for each run, since building it (a federation, three
/// organizations, six commits, each persisted) took half of every run.
/// The copy also makes a run repeatable: the same record ids every time.
pub fn filled_store(dir: &Path) -> Store {
    static TEMPLATE: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let t = scratch();
        drop(fixture_store::filled_store(t.path()));
        // Wait for sled's flusher to let go before the files are copied.
        drop(open_raw(&t.path().join("db")));
        t
    });
    copy_dir(template.path(), dir);
    Store::open(dir).expect("a copy of the filled store opens")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a scratch directory");
    for entry in std::fs::read_dir(from).expect("the template directory") {
        let entry = entry.expect("a template entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a template file copies");
        }
    }
}

/// A scratch directory, in memory where the system has one: each run opens
/// a fresh sled database and disk syncs would dominate the execution rate.
pub fn scratch() -> TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = TempDir::new_in(shm) {
            return dir;
        }
    }
    TempDir::new().expect("a temporary directory")
}


/// The organization document every target aims at (the first one).
pub fn org_doc(store: &Store) -> DocId {
    store.doc_ids(Some(Collection::Orgs)).remove(0)
}

/// Everything a user does with a store still works: lists, the report,
/// the documents view.
pub fn store_still_serves(store: &mut Store) {
    let _ = store.all_readable::<Organization>();
    let _ = store.scan(Collection::Orgs, &["name", "category"]);
    let _ = store.documents();
    let _ = store.report(chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
}

/// Heads of every document (as digests), to show a refused input changed nothing.
pub fn all_heads(store: &mut Store) -> Vec<(DocId, Option<String>)> {
    let ids = store.doc_ids(None);
    ids.into_iter().map(|d| (d.clone(), store.heads_digest(&d))).collect()
}

/// The raw database behind a store just closed (sled's flusher may hold the
/// lock for a moment, as Store::open also allows for).
pub fn open_raw(path: &Path) -> sled::Db {
    let started = std::time::Instant::now();
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(_) if started.elapsed() < std::time::Duration::from_secs(5) => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(e) => panic!("cannot open {}: {e}", path.display()),
        }
    }
}

/// What a planned organization keeps through an export: the fields the
/// filing ledger writes and the importer reads back.
pub fn org_essentials(o: &Organization) -> (String, String, String) {
    (o.name.clone(), o.credit_code.clone(), o.filing_number.clone())
}

/// Re-exports the records an import accepted as the filing ledger (CSV or
/// XLSX) and plans them again: the same organizations come back.
pub fn assert_round_trip(plan: &ImportPlan<Organization>, existing: &Existing, as_xlsx: bool) {
    if plan.records.is_empty() || plan.blocked() {
        return;
    }
    let orgs: Vec<Organization> = plan.records.iter().map(|(_, o)| o.clone()).collect();
    let sheet = hubsync::io::export::orgs_sheet(&orgs, &EvaluationSettings::default(), Lang::Zh);
    let bytes = if as_xlsx {
        hubsync::io::export::to_xlsx(&sheet).expect("an accepted plan exports as XLSX")
    } else {
        hubsync::io::export::to_csv(&sheet, false)
    };
    let again: Result<ImportPlan<Organization>, ImportError> = plan_orgs(&bytes, existing);
    let again = again.unwrap_or_else(|e| panic!("the exported ledger of an accepted import is refused: {e}"));
    // The ledger is written in its own order (by division, then name), not the file's.
    let mut want: Vec<_> = orgs.iter().map(org_essentials).collect();
    let mut got: Vec<_> = again.records.iter().map(|(_, o)| org_essentials(o)).collect();
    want.sort();
    got.sort();
    assert_eq!(want, got, "accepted organizations do not survive export and re-import: {:?}", again.errors);
}

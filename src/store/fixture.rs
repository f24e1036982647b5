//! A store with its home federation and organizations for the store's unit
//! tests (tests/support holds the integration tests' fixtures).

use super::Store;
use crate::domain::{Category, Federation, LegalStatus, Level, Organization, RecordId};

pub(super) fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let fed = Federation {
        id: RecordId::from("fed0000000000001"),
        name: "锦江区社区社会组织联合会".into(),
        level: Level::County,
        division: "510104".into(),
        parent: String::new(),
        contact_name: "王秘书".into(),
        contact_phone: "028-8765 4321".into(),
    };
    store.init_federation(&fed).unwrap();
    (dir, store)
}

pub(super) fn org(name: &str, division: &str) -> Organization {
    let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, division);
    o.filing_number = format!("JJ-{}", name.len());
    o
}

//! Roster CSV bytes (any encoding, any shape) through the three importers.
//! Property beyond "no panic": planning is a pure function of the bytes (the
//! same plan twice), every error names a line, and the organizations an
//! import accepts come back unchanged from their exported filing ledger.
#![no_main]

use hubsync::io::import::{plan_orgs, plan_people, plan_venues, Existing};
use hubsync_fuzz::assert_round_trip;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let existing = Existing { default_division: "510104".into(), ..Default::default() };
    let first = plan_orgs(bytes, &existing);
    let second = plan_orgs(bytes, &existing);
    match (&first, &second) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.records.len(), b.records.len(), "planning the same bytes twice differs");
            assert_eq!(a.errors.len(), b.errors.len(), "planning the same bytes twice differs");
            assert_round_trip(a, &existing, false);
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("planning the same bytes twice: one accepted, one refused"),
    }
    let _ = plan_people(bytes, &existing);
    let _ = plan_venues(bytes, &existing);
});

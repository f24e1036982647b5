//! Workbook bytes (.xlsx and whatever calamine sniffs) through the workbook
//! reader and the organization importer. Property beyond "no panic": every
//! sheet read keeps its rows in Excel order, and the organizations an import
//! accepts come back unchanged from their exported XLSX ledger.
#![no_main]

use hubsync::io::import::{plan_orgs, Existing};
use hubsync::io::workbook::read_sheets;
use hubsync_fuzz::assert_round_trip;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(tables) = read_sheets(bytes) {
        for t in &tables {
            let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
            assert!(lines.windows(2).all(|w| w[0] < w[1]), "rows out of Excel order: {lines:?}");
        }
    }
    let existing = Existing { default_division: "510104".into(), ..Default::default() };
    if let Ok(plan) = plan_orgs(bytes, &existing) {
        assert_round_trip(&plan, &existing, true);
    }
});

//! The province-scale benchmark: one command prints the whole table.
//!
//!     cargo run --release --example bench            # 31,000 and 1,000 organizations
//!     cargo run --release --example bench -- --quick # 1,000 only, fewer runs
//!     cargo run --release --example bench -- --only backup,edit  # those rows only
//!     cargo run --release --example bench -- --only report       # the report and the workbook (also: conflicts)
//!     cargo run --release --example bench -- --only report-change --orgs 31000 # the report after a change
//!     cargo run --release --example bench -- --only activities --orgs 31000 # a year of activities, one scale
//!     cargo run --release --example bench -- --only ledger       # the funding and cultivation ledger
//!     cargo run --release --example bench -- --only sync --orgs 31000 # the sync rows over QUIC
//!     cargo build --release && cargo run --release --example bench -- --only handover --orgs 31000
//!     cargo run --release --example bench -- --only ui --orgs 31000   # list rows, frames, opening in part
//!
//! Each figure is the median and max of several runs; where a lower bound or a
//! peer exists (bare Automerge load, in-memory sync) it is measured in the same
//! run and reported as a ratio, because machines are noisy.

mod activities;
mod conflicts;
mod handover;
mod ledger;
mod measure;
mod report;
mod sections;
mod sync_mem;
mod sync_quic;
mod ui;

use measure::Table;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args.iter().position(|a| a == "--rss-child").and_then(|i| args.get(i + 1)) {
        sections::rss_child(std::path::Path::new(dir));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 5 };
    let mut scales: Vec<usize> = if quick { vec![1_000] } else { vec![31_000, 1_000] };
    if let Some(n) = args.iter().position(|a| a == "--orgs").and_then(|i| args.get(i + 1)?.parse().ok()) {
        scales = vec![n];
    }
    // `--only backup,edit`: the fixture and those sections alone.
    let only: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').map(str::to_string).collect());
    let mut table = Table::default();
    if let Some(only) = only {
        for &orgs in &scales {
            eprintln!("== {orgs} organizations");
            let fixture = sections::Fixture::build(orgs, &mut table);
            for section in &only {
                match section.as_str() {
                    "backup" => sections::backup_restore(&fixture, runs, &mut table),
                    "edit" => {
                        sections::edit(&fixture, runs, &mut table);
                        sections::edit_after_receive(&fixture, runs, &mut table);
                    }
                    // With the store's opening, which the CLI command adds.
                    "report" => {
                        sections::open_store(&fixture, runs, &mut table);
                        report::report(&fixture, runs, &mut table);
                        report::report_after_change(&fixture, runs, &mut table);
                    }
                    // The rows of a running node's report alone: from scratch, after a change, repeated.
                    "report-change" => report::report_after_change(&fixture, runs, &mut table),
                    "activities" => activities::activities(&fixture, runs, &mut table),
                    "ledger" => ledger::ledger_figures(&fixture, runs, &mut table),
                    "conflicts" => conflicts::conflicted(&fixture, runs, &mut table),
                    "sync" => sync_quic::sync_over_quic(&fixture, runs, &mut table),
                    // The UI opened while `serve` runs: needs the release binary.
                    "handover" => handover::hand_over(&fixture, runs, &mut table),
                    // List rows, filtering, frames, and opening in part with the rows from disk.
                    "ui" => ui::filter_and_frames(&fixture, runs, &mut table),
                    other => {
                        panic!("--only: no section {other} (backup, edit, report, report-change, activities, ledger, conflicts, sync, handover, ui)")
                    }
                }
            }
        }
        table.print();
        return;
    }
    for &orgs in &scales {
        eprintln!("== {orgs} organizations");
        let fixture = sections::Fixture::build(orgs, &mut table);
        // The store as `hubsync demo` leaves it (vacuumed), before the edits below add to it.
        sections::footprint(&fixture, &mut table);
        sections::open_store(&fixture, runs, &mut table);
        sections::edit(&fixture, runs, &mut table);
        sections::edit_after_receive(&fixture, runs, &mut table);
        sections::bulk_insert(&fixture, runs, &mut table);
        sections::backup_restore(&fixture, runs, &mut table);
        ui::filter_and_frames(&fixture, runs, &mut table);
        report::report(&fixture, runs, &mut table);
        report::report_after_change(&fixture, runs, &mut table);
        conflicts::conflicted(&fixture, runs, &mut table);
        sync_mem::sync_in_memory(&fixture, runs, &mut table);
        sync_quic::sync_over_quic(&fixture, runs, &mut table);
        ledger::ledger_figures(&fixture, runs, &mut table);
        sections::disk_after_edits(&fixture, &mut table);
        // Last: it adds a year of activities to the fixture.
        activities::activities(&fixture, runs, &mut table);
    }
    table.print();
}

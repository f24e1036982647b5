//! The report over everything this node holds.

use super::{DocId, Store, StoreError};
use crate::domain::report::work::{WorkFigures, WorkShared};
use crate::domain::report::{ActivityContext, OrgContext, OrgIndex, Report, Shared, WorkContext};
use std::sync::Arc;

/// Months without an activity after which the report lists an organization
/// as quiet (a suggestion to mark it dormant; `activity quiet --months N` asks
/// for another window).
pub use crate::domain::activity_query::QUIET_MONTHS;
use crate::domain::*;

mod cache;
mod parts;

/// The last whole report and what it was computed from, and the records
/// read for it and their parts of the figures, kept per document (cache.rs
/// and parts.rs say how they stay fresh).
#[derive(Default)]
pub(crate) struct ReportMemo {
    last: Option<LastReport>,
    read: cache::ReadCache,
    parts: parts::PartCache,
    /// The last whole report merged, with everything it was merged from:
    /// handed out again, not merged, while that is all equal (an edit to a
    /// field no figure reads).
    merged: Option<(MergeInputs, Arc<Report>)>,
    /// The last whole report's work figures, kept the same way on what they
    /// alone are merged from: an edit that changes the organizations'
    /// figures but not their work parts (a category) merges them not again.
    work: Option<(WorkMergeInputs, Arc<WorkFigures>)>,
}

/// What the work figures are merged from: the date, the work parts, the
/// joins and the activity parts (value stamps in document order, the
/// settled years), and the people, projects and honours (read keys).
#[derive(PartialEq)]
struct WorkMergeInputs {
    /// All but the activity parts: what the figures that read no activity
    /// (`WorkFigures::ledger_from_parts`) are merged from.
    ledger: LedgerMergeInputs,
    activities: Vec<u64>,
}

#[derive(PartialEq)]
struct LedgerMergeInputs {
    as_of: chrono::NaiveDate,
    work: Vec<u64>,
    joins: Vec<u64>,
    years: (Option<i32>, i32),
    others: Vec<(DocId, cache::DocKey)>,
}

/// What a whole report is merged from: the date, the federation it is
/// totalled under, its parts (by value stamps) and the other collections'
/// records (by the documents they were read from).
#[derive(PartialEq)]
struct MergeInputs {
    as_of: chrono::NaiveDate,
    federation: Option<Federation>,
    parts: parts::PartStamps,
    others: Vec<(DocId, cache::DocKey)>,
}

impl MergeInputs {
    /// Whether `Report::from_parts` (all but the work figures) is merged
    /// from the same: date, federation, figures and joins parts, other records.
    fn same_base(&self, other: &MergeInputs) -> bool {
        let (a, b) = (&self.parts, &other.parts);
        self.as_of == other.as_of
            && self.federation == other.federation
            && a.figures == b.figures
            && a.joins == b.joins
            && self.others == other.others
    }
}

impl ReportMemo {
    /// Forgets documents the store no longer holds.
    fn prune(&mut self, store: &Store) {
        self.read.prune(store);
        self.parts.prune(|d| store.docs.contains_key(d));
    }
}

struct LastReport {
    as_of: chrono::NaiveDate,
    home: Option<RecordId>,
    versions: Vec<(DocId, u64, Vec<automerge::ChangeHash>)>,
    /// Handed out shared: a repeated request costs no copy of the report.
    report: Arc<Report>,
}

impl Store {
    /// Computes the report as of `as_of` from every record; records a peer
    /// broke are left out and returned alongside, so the report still appears.
    ///
    /// The last whole report is kept with the date and the document versions
    /// it was computed at: a running node answers a repeated `report` (or the
    /// UI's statistics tab) from memory until a document changes; it is
    /// handed out shared, never copied.
    pub fn report(&self, as_of: chrono::NaiveDate) -> (Arc<Report>, Vec<StoreError>) {
        // A version is drawn from the store's one counter whenever memory's
        // state of a document changes, so equal versions mean equal records
        // (the saved heads are a second check); the home decides whose report
        // it is.
        let versions: Vec<(DocId, u64, Vec<automerge::ChangeHash>)> =
            self.docs.iter().map(|(d, s)| (d.clone(), s.version, s.saved_heads.clone())).collect();
        let home = self.home_id().cloned();
        let mut memo = self.report_memo.lock().unwrap_or_else(|e| e.into_inner());
        let memo = memo.get_or_insert_with(Default::default);
        if let Some(kept) = memo.last.as_ref().filter(|m| m.as_of == as_of && m.home == home && m.versions == versions)
        {
            return (Arc::clone(&kept.report), Vec::new());
        }
        memo.prune(self);
        let (report, problems) = self.report_read(memo, as_of, &|_| true, self.federation(), true);
        // A report with unreadable records is computed again, so that its
        // problems are named each time.
        memo.last = problems.is_empty().then(|| LastReport { as_of, home, versions, report: Arc::clone(&report) });
        (report, problems)
    }

    /// The report over the documents `keep` admits (the federations of a
    /// subtree, ops::network::report_under), totalled under `federation`.
    pub fn report_within(
        &self,
        as_of: chrono::NaiveDate,
        keep: &dyn Fn(&DocId) -> bool,
        federation: Option<Federation>,
    ) -> (Report, Vec<StoreError>) {
        let mut memo = self.report_memo.lock().unwrap_or_else(|e| e.into_inner());
        let memo = memo.get_or_insert_with(Default::default);
        memo.prune(self);
        let (report, problems) = self.report_read(memo, as_of, keep, federation, false);
        // Not kept (`whole` false): the only holder.
        (Arc::try_unwrap(report).unwrap_or_else(|shared| (*shared).clone()), problems)
    }

    /// `report_within` with the records read through the memo's cache
    /// (only the documents that changed since it last read them are read
    /// again) and the figures merged from its parts (only the changed
    /// documents' parts computed again). With `whole`, the merged report
    /// is kept and handed out again while what it is merged from is equal
    /// (`ReportMemo::merged`).
    fn report_read(
        &self,
        memo: &mut ReportMemo,
        as_of: chrono::NaiveDate,
        keep: &dyn Fn(&DocId) -> bool,
        federation: Option<Federation>,
        whole: bool,
    ) -> (Arc<Report>, Vec<StoreError>) {
        let mut problems = Vec::new();
        let cache = &mut memo.read;
        self.refresh_per_doc::<Organization>(cache, keep, &mut problems);
        self.refresh_cached::<Person>(cache, keep, &mut problems);
        self.refresh_cached::<LiaisonAssignment>(cache, keep, &mut problems);
        self.refresh_cached::<Venue>(cache, keep, &mut problems);
        self.refresh_cached::<Booking>(cache, keep, &mut problems);
        self.refresh_cached::<Training>(cache, keep, &mut problems);
        self.refresh_cached::<Attendance>(cache, keep, &mut problems);
        self.refresh_cached::<Project>(cache, keep, &mut problems);
        self.refresh_cached::<Honour>(cache, keep, &mut problems);
        // The subtree's activities only, as every other collection above.
        self.refresh_activity_rows(cache, keep);
        let cache = &memo.read;
        let people = cache.records::<Person>();
        let settings = self.evaluation_settings();
        let parts = memo.parts.parts(
            &cache.doc_spans::<Organization>(),
            &cache.activity_spans(),
            OrgContext::of(cache.records(), as_of, &settings),
            WorkContext { as_of, evaluation: settings, quiet_months: QUIET_MONTHS },
            ActivityContext { as_of, trained: self.trained_pairs(), rule: self.major_rule() },
        );
        let inputs = (whole && problems.is_empty()).then(|| MergeInputs {
            as_of,
            federation: federation.clone(),
            parts: parts.stamps.clone(),
            others: Vec::new(),
        });
        let inputs = inputs.and_then(|mut i| {
            // Every collection the merge reads besides the parts' (organizations, activities).
            for keys in [
                cache.keys::<Person>(),
                cache.keys::<LiaisonAssignment>(),
                cache.keys::<Venue>(),
                cache.keys::<Booking>(),
                cache.keys::<Training>(),
                cache.keys::<Attendance>(),
                cache.keys::<Project>(),
                cache.keys::<Honour>(),
            ] {
                i.others.extend(keys?);
            }
            Some(i)
        });
        if let Some((kept, report)) = &memo.merged {
            if inputs.as_ref() == Some(kept) {
                return (Arc::clone(report), problems);
            }
        }
        let work_inputs = inputs.as_ref().and_then(|i| {
            let mut others = cache.keys::<Person>()?;
            others.extend(cache.keys::<Project>()?);
            others.extend(cache.keys::<Honour>()?);
            let p = &i.parts;
            Some(WorkMergeInputs {
                ledger: LedgerMergeInputs {
                    as_of,
                    work: p.work.clone(),
                    joins: p.joins.clone(),
                    years: p.years,
                    others,
                },
                activities: p.activities.clone(),
            })
        });
        let index = OrgIndex::of(parts.joins.iter().copied());
        let shared = Shared {
            federation: federation.as_ref(),
            people,
            liaisons: cache.records(),
            venues: cache.records(),
            bookings: cache.records(),
            trainings: cache.records(),
            attendance: cache.records(),
            as_of,
        };
        // The figures besides the work figures read no activity and no work
        // part: after an activity change they are the kept report's.
        let same_base = |(kept, _): &&(MergeInputs, Arc<Report>)| inputs.as_ref().is_some_and(|i| i.same_base(kept));
        let mut report = match memo.merged.as_ref().filter(same_base) {
            Some((_, kept)) => (**kept).clone(),
            None => Report::from_parts(&shared, &parts.figures, &index),
        };
        report.work = match memo.work.as_ref() {
            Some((kept, work)) if work_inputs.as_ref() == Some(kept) => Arc::clone(work),
            kept => {
                let work = WorkShared {
                    people,
                    projects: cache.records(),
                    honours: cache.records(),
                    as_of,
                    quiet_months: QUIET_MONTHS,
                };
                // After an activity change the figures that read no activity
                // are the kept ones'.
                let ledger = match kept {
                    Some((k, w)) if work_inputs.as_ref().is_some_and(|i| i.ledger == k.ledger) => Arc::clone(&w.ledger),
                    _ => Arc::new(WorkFigures::ledger_from_parts(&work, &parts.work, &index)),
                };
                Arc::new(WorkFigures::with_activities(&work, &parts.work, parts.activities, &index, ledger))
            }
        };
        let report = Arc::new(report);
        // Kept only when complete, what they were merged from known.
        if whole {
            memo.merged = inputs.map(|i| (i, Arc::clone(&report)));
            memo.work = work_inputs.map(|i| (i, Arc::clone(&report.work)));
        }
        (report, problems)
    }
}

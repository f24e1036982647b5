//! The report's parts kept per document (domain/report/parts.rs): after an
//! edit only the changed document's parts are computed again, the others
//! merged as they are.
//!
//! Freshness: a part is used only while its document's records are those it
//! was computed from (the read cache's key: version and saved heads, and
//! the private document's where the records take fields from it; a
//! document with records that did not decode is never reused) and its
//! context is equal to the one it was computed with: the as-of date, the
//! evaluation settings, the assignments in force (organizations), the quiet
//! window, the trained pairs and the major-activity rule (activities).
//! Contexts are compared by value once per report; each distinct one is
//! given a generation, and a part keeps the generation it was computed at.
//!
//! Each part also carries a value stamp: a part computed again that equals
//! the one it replaces keeps that one's stamp, any other is given a new one
//! (from the one counter, so never reused), as is a work part settled again
//! at other years (`PartCache::parts`). Equal stamps in document order
//! thus mean equal parts, and what is merged from them (the activity parts
//! here, the whole report in report.rs) is kept while they stay equal: an
//! edit to a field no figure reads changes no stamp.

use super::cache::{DocKey, Span};
use crate::domain::activity_query::ActivityRow;
use crate::domain::report::work::WorkFigures;
use crate::domain::report::{ActivityContext, ActivityWork, OrgContext, OrgFigures, OrgJoin, OrgWork, WorkContext};
use crate::domain::Organization;
use crate::store::DocId;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub(crate) struct PartCache {
    /// The last generation or stamp given: one counter, so neither is ever reused.
    last_drawn: u64,
    org_context: Option<(OrgContext, u64)>,
    work_context: Option<(WorkContext, u64)>,
    activity_context: Option<(ActivityContext, u64)>,
    figures: HashMap<DocId, Kept<OrgFigures>>,
    work: HashMap<DocId, Kept<OrgWork>>,
    joins: HashMap<DocId, Kept<Vec<OrgJoin>>>,
    activities: HashMap<DocId, Kept<ActivityWork>>,
    /// The activity parts merged, with the value stamps of the parts it was
    /// merged from in document order: merged again only when one of them
    /// changes, or a document comes or goes.
    merged_activities: Option<(Vec<u64>, ActivityWork)>,
}

struct Kept<P> {
    /// None: computed from records with problems, never reused.
    key: Option<DocKey>,
    generation: u64,
    /// The value stamp (module comment): moves only when the part changes.
    value: u64,
    part: P,
}

/// The parts of one report, in document order.
pub(super) struct Parts<'a> {
    pub figures: Vec<&'a OrgFigures>,
    pub work: Vec<&'a OrgWork>,
    pub joins: Vec<&'a OrgJoin>,
    /// The activity parts, merged.
    pub activities: &'a ActivityWork,
    /// What every part above is, by value stamps in document order.
    pub stamps: PartStamps,
}

/// The value stamps of one report's parts in document order, and the years
/// the work parts were settled to: equal stamps, equal parts.
#[derive(Clone, PartialEq)]
pub(super) struct PartStamps {
    pub figures: Vec<u64>,
    pub work: Vec<u64>,
    pub joins: Vec<u64>,
    pub activities: Vec<u64>,
    pub years: (Option<i32>, i32),
}

impl PartCache {
    /// Forgets documents `exists` no longer admits.
    pub(super) fn prune(&mut self, exists: impl Fn(&DocId) -> bool) {
        self.figures.retain(|d, _| exists(d));
        self.work.retain(|d, _| exists(d));
        self.joins.retain(|d, _| exists(d));
        self.activities.retain(|d, _| exists(d));
    }

    /// The parts of these documents in these contexts, computed again only
    /// where a document or a context changed, the organizations' work parts
    /// settled to the years of them all.
    pub(super) fn parts<'a>(
        &'a mut self,
        orgs: &[Span<'_, Organization>],
        activities: &[Span<'_, ActivityRow>],
        org_context: OrgContext,
        work_context: WorkContext,
        activity_context: ActivityContext,
    ) -> Parts<'a> {
        let next = &mut self.last_drawn;
        let g = generation(&mut self.org_context, org_context, next);
        let ctx = &self.org_context.as_ref().expect("just set").0;
        let replaced = refresh(&mut self.figures, orgs, g, |items| OrgFigures::of(items, ctx));
        stamp(&mut self.figures, replaced, next);
        let replaced = refresh(&mut self.joins, orgs, g, |items| OrgJoin::of(items, ctx.as_of));
        stamp(&mut self.joins, replaced, next);
        let g = generation(&mut self.work_context, work_context, next);
        let ctx = &self.work_context.as_ref().expect("just set").0;
        let replaced = refresh(&mut self.work, orgs, g, |items| OrgWork::of(items, ctx));
        let years = WorkFigures::years(orgs.iter().map(|s| &self.work[s.doc].part), ctx.as_of);
        let recomputed: HashSet<&DocId> = replaced.iter().map(|(d, _)| d).collect();
        for s in orgs {
            if let Some(k) = self.work.get_mut(s.doc) {
                // A part settled again at other years, not computed again,
                // takes a new stamp: one stamp must name one value, or a
                // part recomputed during a subtree report and equal at the
                // subtree's years would pass for unchanged at the whole
                // report's (`tests/report_incremental.rs`).
                if k.part.settle(s.items, ctx, years.0, years.1) && !recomputed.contains(s.doc) {
                    *next += 1;
                    k.value = *next;
                }
            }
        }
        drop(recomputed);
        // Those computed again are compared once settled.
        stamp(&mut self.work, replaced, next);
        let g = generation(&mut self.activity_context, activity_context, next);
        let ctx = &self.activity_context.as_ref().expect("just set").0;
        let replaced = refresh(&mut self.activities, activities, g, |items| ActivityWork::of(items, ctx));
        stamp(&mut self.activities, replaced, next);
        let activity_stamps: Vec<u64> = activities.iter().map(|s| self.activities[s.doc].value).collect();
        if self.merged_activities.as_ref().is_none_or(|(kept, _)| *kept != activity_stamps) {
            let parts: Vec<&ActivityWork> = activities.iter().map(|s| &self.activities[s.doc].part).collect();
            self.merged_activities = Some((activity_stamps.clone(), ActivityWork::merge(&parts)));
        }
        let stamps = PartStamps {
            figures: orgs.iter().map(|s| self.figures[s.doc].value).collect(),
            work: orgs.iter().map(|s| self.work[s.doc].value).collect(),
            joins: orgs.iter().map(|s| self.joins[s.doc].value).collect(),
            activities: activity_stamps,
            years,
        };
        Parts {
            figures: orgs.iter().map(|s| &self.figures[s.doc].part).collect(),
            work: orgs.iter().map(|s| &self.work[s.doc].part).collect(),
            joins: orgs.iter().flat_map(|s| &self.joins[s.doc].part).collect(),
            activities: &self.merged_activities.as_ref().expect("just set").1,
            stamps,
        }
    }
}

/// The generation of `ctx`: the kept one's while equal to it, else a new one.
fn generation<C: PartialEq>(kept: &mut Option<(C, u64)>, ctx: C, last: &mut u64) -> u64 {
    match kept {
        Some((c, g)) if *c == ctx => *g,
        _ => {
            *last += 1;
            *kept = Some((ctx, *last));
            *last
        }
    }
}

/// Computes the part of each span whose kept one is not of its key and
/// generation; returns the parts they replaced (to be given their value
/// stamps by `stamp`).
fn refresh<T, P>(
    kept: &mut HashMap<DocId, Kept<P>>,
    spans: &[Span<'_, T>],
    generation: u64,
    of: impl Fn(&[T]) -> P,
) -> Vec<(DocId, Option<Kept<P>>)> {
    let mut replaced = Vec::new();
    for s in spans {
        let fresh =
            kept.get(s.doc).is_some_and(|k| k.generation == generation && k.key.is_some() && k.key.as_ref() == s.key);
        if !fresh {
            let part = of(s.items);
            let new = Kept { key: s.key.cloned(), generation, value: 0, part };
            replaced.push((s.doc.clone(), kept.insert(s.doc.clone(), new)));
        }
    }
    replaced
}

/// Gives each part computed again the value stamp of the part it replaced
/// where the two are equal, else a new one.
fn stamp<P: PartialEq>(kept: &mut HashMap<DocId, Kept<P>>, replaced: Vec<(DocId, Option<Kept<P>>)>, last: &mut u64) {
    for (doc, old) in replaced {
        let Some(new) = kept.get_mut(&doc) else { continue };
        new.value = match old {
            Some(old) if old.part == new.part => old.value,
            _ => {
                *last += 1;
                *last
            }
        };
    }
}

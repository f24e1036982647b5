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

use super::cache::{DocKey, Span};
use crate::domain::activity_query::ActivityRow;
use crate::domain::report::work::WorkFigures;
use crate::domain::report::{ActivityContext, ActivityWork, OrgContext, OrgFigures, OrgWork, WorkContext};
use crate::domain::Organization;
use crate::store::DocId;
use std::collections::HashMap;

#[derive(Default)]
pub(crate) struct PartCache {
    /// The last generation or stamp given: one counter, so neither is ever reused.
    last_drawn: u64,
    org_context: Option<(OrgContext, u64)>,
    work_context: Option<(WorkContext, u64)>,
    activity_context: Option<(ActivityContext, u64)>,
    figures: HashMap<DocId, Kept<OrgFigures>>,
    work: HashMap<DocId, Kept<OrgWork>>,
    activities: HashMap<DocId, Kept<ActivityWork>>,
    /// The activity parts merged, with the stamps of the parts it was merged
    /// from in document order: merged again only when one of them is
    /// computed again, or a document comes or goes.
    merged_activities: Option<(Vec<u64>, ActivityWork)>,
}

struct Kept<P> {
    /// None: computed from records with problems, never reused.
    key: Option<DocKey>,
    generation: u64,
    /// Drawn from `PartCache::last_drawn` when the part was computed: never reused.
    stamp: u64,
    part: P,
}

/// The parts of one report, in document order.
pub(super) struct Parts<'a> {
    pub figures: Vec<&'a OrgFigures>,
    pub work: Vec<&'a OrgWork>,
    /// The activity parts, merged.
    pub activities: &'a ActivityWork,
}

impl PartCache {
    /// Forgets documents `exists` no longer admits.
    pub(super) fn prune(&mut self, exists: impl Fn(&DocId) -> bool) {
        self.figures.retain(|d, _| exists(d));
        self.work.retain(|d, _| exists(d));
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
        refresh(&mut self.figures, orgs, g, next, |items| OrgFigures::of(items, ctx));
        let g = generation(&mut self.work_context, work_context, next);
        let ctx = &self.work_context.as_ref().expect("just set").0;
        refresh(&mut self.work, orgs, g, next, |items| OrgWork::of(items, ctx));
        let (ranking_year, gaps_year) = WorkFigures::years(orgs.iter().map(|s| &self.work[s.doc].part), ctx.as_of);
        for s in orgs {
            if let Some(k) = self.work.get_mut(s.doc) {
                k.part.settle(s.items, ctx, ranking_year, gaps_year);
            }
        }
        let g = generation(&mut self.activity_context, activity_context, next);
        let ctx = &self.activity_context.as_ref().expect("just set").0;
        refresh(&mut self.activities, activities, g, next, |items| ActivityWork::of(items, ctx));
        let stamps: Vec<u64> = activities.iter().map(|s| self.activities[s.doc].stamp).collect();
        if self.merged_activities.as_ref().is_none_or(|(kept, _)| *kept != stamps) {
            let parts: Vec<&ActivityWork> = activities.iter().map(|s| &self.activities[s.doc].part).collect();
            self.merged_activities = Some((stamps, ActivityWork::merge(&parts)));
        }
        Parts {
            figures: orgs.iter().map(|s| &self.figures[s.doc].part).collect(),
            work: orgs.iter().map(|s| &self.work[s.doc].part).collect(),
            activities: &self.merged_activities.as_ref().expect("just set").1,
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
/// generation, stamped anew.
fn refresh<T, P>(
    kept: &mut HashMap<DocId, Kept<P>>,
    spans: &[Span<'_, T>],
    generation: u64,
    last_drawn: &mut u64,
    of: impl Fn(&[T]) -> P,
) {
    for s in spans {
        let fresh =
            kept.get(s.doc).is_some_and(|k| k.generation == generation && k.key.is_some() && k.key.as_ref() == s.key);
        if !fresh {
            let part = of(s.items);
            *last_drawn += 1;
            kept.insert(s.doc.clone(), Kept { key: s.key.cloned(), generation, stamp: *last_drawn, part });
        }
    }
}

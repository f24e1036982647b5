//! Density against the per-community target (民政部 2017): on average at
//! least 10 organizations per urban community and 5 per rural one. The
//! target is an average over a township or county, not a floor for each
//! community: communities below their own target are advice, not failures.

use super::base::Standing;
use crate::domain::divisions::{township_of, CommunityKind};
use crate::domain::records::{Organization, Venue};
use serde::Serialize;
use std::collections::BTreeMap;

/// One community (村/社区, a 12-digit division code) known from the records.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommunityDensity {
    pub code: String,
    pub name: String,
    pub township: String,
    pub kind: CommunityKind,
    /// Surviving organizations whose division is this community.
    pub organizations: usize,
    pub target: usize,
}

/// Density over a set of communities.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Density {
    pub communities: usize,
    pub urban: usize,
    pub rural: usize,
    /// Surviving organizations placed in these communities (organizations
    /// recorded only at township or county level are in no community).
    pub organizations: usize,
    /// organizations / communities.
    pub average: Option<f64>,
    /// Median of the per-community counts.
    pub median: Option<f64>,
    /// The average target: (10 × urban + 5 × rural) / communities.
    pub target: Option<f64>,
    /// average ≥ target.
    pub meets_target: Option<bool>,
    /// Communities below their own target (advisory).
    pub below_target: usize,
}

impl Density {
    pub fn of<'a>(communities: impl Iterator<Item = &'a CommunityDensity>) -> Density {
        let mut d = Density::default();
        let mut counts = Vec::new();
        let mut targets = 0;
        for c in communities {
            d.communities += 1;
            match c.kind {
                CommunityKind::Urban => d.urban += 1,
                CommunityKind::Rural => d.rural += 1,
            }
            d.organizations += c.organizations;
            d.below_target += (c.organizations < c.target) as usize;
            targets += c.target;
            counts.push(c.organizations);
        }
        counts.sort_unstable();
        let n = counts.len();
        d.average = super::ratio(d.organizations as f64, n as f64);
        d.target = super::ratio(targets as f64, n as f64);
        d.median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(counts[n / 2] as f64),
            _ => Some((counts[n / 2 - 1] + counts[n / 2]) as f64 / 2.0),
        };
        // Compared in whole numbers: average ≥ target ⇔ organizations ≥ Σ targets.
        d.meets_target = (n > 0).then_some(d.organizations >= targets);
        d
    }
}

fn entry<'m>(map: &'m mut BTreeMap<String, CommunityDensity>, code: &str) -> Option<&'m mut CommunityDensity> {
    let kind = CommunityKind::of(code)?;
    if !map.contains_key(code) {
        let c = CommunityDensity {
            code: code.to_string(),
            name: String::new(),
            township: String::new(),
            kind,
            organizations: 0,
            target: kind.target(),
        };
        map.insert(code.to_string(), c);
    }
    map.get_mut(code)
}

/// The communities some of the organizations name (of any standing), with
/// their surviving organizations; name and township the first organization in order gives
/// (empty when none does yet).
pub(super) fn community_counts(orgs: &[Organization], standings: &[Standing]) -> BTreeMap<String, CommunityDensity> {
    let mut map = BTreeMap::new();
    for (o, s) in orgs.iter().zip(standings) {
        if let Some(c) = entry(&mut map, &o.division) {
            if s.is_surviving() {
                c.organizations += 1;
            }
            if c.name.is_empty() {
                c.name = o.community.clone();
            }
            if c.township.is_empty() {
                c.township = o.township.clone();
            }
        }
    }
    map
}

/// Adds the counts of later organizations (`community_counts` of the
/// documents after those already in `into`): names already given stay.
pub(super) fn merge_communities(
    into: &mut BTreeMap<String, CommunityDensity>,
    later: &BTreeMap<String, CommunityDensity>,
) {
    for (code, c) in later {
        match into.get_mut(code) {
            Some(have) => {
                have.organizations += c.organizations;
                if have.name.is_empty() {
                    have.name = c.name.clone();
                }
                if have.township.is_empty() {
                    have.township = c.township.clone();
                }
            }
            None => {
                into.insert(code.clone(), c.clone());
            }
        }
    }
}

/// Every community the records name (organizations, then venues), named by
/// its code (and township code) where no organization names it. A community
/// no record names is unknown to the program and not counted (docs/REPORTS.md).
pub(super) fn finish_communities(
    mut map: BTreeMap<String, CommunityDensity>,
    venues: &[Venue],
) -> Vec<CommunityDensity> {
    for v in venues {
        entry(&mut map, &v.division);
    }
    let mut out: Vec<CommunityDensity> = map.into_values().collect();
    for c in &mut out {
        if c.name.is_empty() {
            c.name = c.code.clone();
        }
        if c.township.is_empty() {
            c.township = township_of(&c.code).unwrap_or_default().to_string();
        }
    }
    out
}

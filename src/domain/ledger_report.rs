//! Figures of the funding and cultivation ledger (issue 12): where the
//! money goes, who is evaluated best, honours for publicity, organizations
//! new and exited per year, standardization gaps. Pure: records in, typed
//! figures out; every figure carries its base and as-of date (docs/REPORTS.md).

use super::enums::*;
use super::evaluation::{Evaluation, EvaluationSettings};
use super::ids::RecordId;
use super::ledger_vocab::*;
use super::projects::{Honour, Project};
use super::records::{Organization, Person};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Urban or rural, read from the division code (GB/T 2260 statistical
/// code): village part 001–199 and 400–499 urban (社区, 居委会-like),
/// 200–399 and 500–599 rural; with a township code only, 001–099 (街道)
/// urban and 100–399 (镇, 乡) rural. A county code alone says nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Urban,
    Rural,
    Unknown,
}

impl Area {
    pub fn of(division: &str) -> Area {
        let part = |r: std::ops::Range<usize>| division.get(r).and_then(|p| p.parse::<u32>().ok());
        if division.len() == 12 {
            return match part(9..12) {
                Some(1..=199 | 400..=499) => Area::Urban,
                Some(200..=399 | 500..=599) => Area::Rural,
                _ => Area::Unknown,
            };
        }
        if division.len() == 9 {
            return match part(6..9) {
                Some(1..=99) => Area::Urban,
                Some(100..=399) => Area::Rural,
                _ => Area::Unknown,
            };
        }
        Area::Unknown
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Area::Urban, Lang::Zh) => "城市",
            (Area::Rural, Lang::Zh) => "农村",
            (Area::Unknown, Lang::Zh) => "未知",
            (Area::Urban, Lang::En) => "urban",
            (Area::Rural, Lang::En) => "rural",
            (Area::Unknown, Lang::En) => "unknown",
        }
    }
}

/// The township (first nine digits) of a division; a county-level code stands for itself.
pub fn township_of(division: &str) -> &str {
    division.get(..9).unwrap_or(division)
}

/// Is the organization on the roster (active or dormant) on `day`?
pub fn survives_on(o: &Organization, day: NaiveDate) -> bool {
    o.lifecycle != Lifecycle::Exited || o.exit_date.is_some_and(|x| x > day)
}

/// Founded by `day` (or no founding date known): one founded later is on
/// no roster of that day yet.
pub fn founded_by(o: &Organization, day: NaiveDate) -> bool {
    o.founded.is_none_or(|f| f <= day)
}

/// A sum of money and how many projects make it up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Funds {
    pub fen: i64,
    pub projects: usize,
}

impl Funds {
    fn add(&mut self, p: &Project) {
        self.fen += p.amount_fen;
        self.projects += 1;
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgFunds {
    pub organization: RecordId,
    pub name: String,
    pub funds: Funds,
}

/// Funds of projects from 立项 on (an application is a request, not money),
/// in the year asked or all years. Each project counts once, for its lead.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Funding {
    pub year: Option<i32>,
    pub total: Funds,
    /// Descending by amount.
    pub by_organization: Vec<OrgFunds>,
    /// A project serving two domains counts in both: this column does not sum to the total.
    pub by_domain: Vec<(ProjectDomain, Funds)>,
    pub by_kind: Vec<(ProjectKind, Funds)>,
    /// By the lead's county (6 digits); leads not on the roster under "".
    pub by_county: Vec<(String, Funds)>,
    pub by_area: Vec<(Area, Funds)>,
    /// Led by a community social organization on the roster.
    pub to_community_orgs: Funds,
    /// to_community_orgs / total; None when there is no money at all.
    pub community_share: Option<f64>,
}

pub fn funding(projects: &[Project], orgs: &[Organization], year: Option<i32>) -> Funding {
    let by_id: HashMap<&RecordId, &Organization> = orgs.iter().map(|o| (&o.id, o)).collect();
    let lead = |id: &RecordId| by_id.get(id).map(|o| Lead { id: &o.id, name: &o.name, division: &o.division });
    funding_by(projects, lead, year)
}

/// What the funding figures read of a lead organization.
#[derive(Clone, Copy)]
pub struct Lead<'a> {
    pub id: &'a RecordId,
    pub name: &'a str,
    pub division: &'a str,
}

/// `funding` with the lead organizations looked up by `org`.
pub fn funding_by<'a>(projects: &[Project], org: impl Fn(&RecordId) -> Option<Lead<'a>>, year: Option<i32>) -> Funding {
    let mut total = Funds::default();
    let mut by_org: HashMap<&RecordId, (Lead<'a>, Funds)> = HashMap::new();
    let mut by_domain: BTreeMap<ProjectDomain, Funds> = BTreeMap::new();
    let mut by_kind: BTreeMap<ProjectKind, Funds> = BTreeMap::new();
    let mut by_county: BTreeMap<String, Funds> = BTreeMap::new();
    let mut by_area: BTreeMap<Area, Funds> = BTreeMap::new();
    let mut community = Funds::default();
    for p in projects.iter().filter(|p| p.status.is_funded() && year.is_none_or(|y| p.year == y)) {
        total.add(p);
        by_kind.entry(p.kind).or_default().add(p);
        for d in &p.domains {
            by_domain.entry(*d).or_default().add(p);
        }
        let lead = p.lead.as_ref().and_then(&org);
        match lead {
            Some(o) => {
                community.add(p);
                by_org.entry(o.id).or_insert((o, Funds::default())).1.add(p);
                by_county.entry(super::validate::county_of(o.division).to_string()).or_default().add(p);
                by_area.entry(Area::of(o.division)).or_default().add(p);
            }
            None => {
                by_county.entry(String::new()).or_default().add(p);
                by_area.entry(Area::Unknown).or_default().add(p);
            }
        }
    }
    let mut by_organization: Vec<OrgFunds> = by_org
        .into_iter()
        .map(|(_, (o, funds))| OrgFunds { organization: o.id.clone(), name: o.name.to_string(), funds })
        .collect();
    // Ties end on the id, not on the hash map's order.
    by_organization.sort_by(|a, b| {
        b.funds
            .fen
            .cmp(&a.funds.fen)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.organization.cmp(&b.organization))
    });
    Funding {
        year,
        community_share: (total.fen > 0).then(|| community.fen as f64 / total.fen as f64),
        total,
        by_organization,
        by_domain: by_domain.into_iter().collect(),
        by_kind: by_kind.into_iter().collect(),
        by_county: by_county.into_iter().collect(),
        by_area: by_area.into_iter().collect(),
        to_community_orgs: community,
    }
}

/// An organization with its evaluation of one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    pub organization: RecordId,
    pub name: String,
    pub division: String,
    pub year: String,
    pub score: f64,
    pub result: EvalResult,
    pub national_grade: Option<NationalGrade>,
}

fn scored(o: &Organization, year: &str, e: &Evaluation, settings: &EvaluationSettings) -> Scored {
    Scored {
        organization: o.id.clone(),
        name: o.name.clone(),
        division: o.division.clone(),
        year: year.to_string(),
        score: e.weighted(settings),
        result: e.effective_result(settings),
        national_grade: e.national_grade,
    }
}

/// Candidates for purchasing and grants ("the main basis"): organizations
/// on the roster on `as_of`, each by its latest evaluation up to that year,
/// best first (ties by name). Never evaluated: not a candidate.
pub fn candidates(orgs: &[Organization], settings: &EvaluationSettings, as_of: NaiveDate) -> Vec<Scored> {
    let last_year = as_of.year().to_string();
    let mut out: Vec<Scored> = orgs
        .iter()
        .filter(|o| survives_on(o, as_of))
        .filter_map(|o| {
            let (year, e) = o.evaluations.range(..=last_year.clone()).next_back()?;
            Some(scored(o, year, e, settings))
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    out
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// 1-based; equal scores share a rank (1, 1, 3).
    pub rank: usize,
    pub entry: Scored,
    /// The score the year before, when evaluated then.
    pub previous: Option<f64>,
    /// score − previous.
    pub change: Option<f64>,
}

/// Evaluation ranking of one year per township, with the change on the year before.
pub fn ranking_by_township<'a>(
    orgs: impl IntoIterator<Item = &'a Organization>,
    settings: &EvaluationSettings,
    year: i32,
) -> BTreeMap<String, Vec<Ranked>> {
    let (this, before) = (year.to_string(), (year - 1).to_string());
    let mut groups: BTreeMap<String, Vec<Ranked>> = BTreeMap::new();
    for o in orgs {
        let Some(e) = o.evaluations.get(&this) else { continue };
        let entry = scored(o, &this, e, settings);
        let previous = o.evaluations.get(&before).map(|p| p.weighted(settings));
        let change = previous.map(|p| ((entry.score - p) * 10.0).round() / 10.0);
        groups.entry(township_of(&o.division).to_string()).or_default().push(Ranked {
            rank: 0,
            entry,
            previous,
            change,
        });
    }
    for list in groups.values_mut() {
        rank(list);
    }
    groups
}

/// One line of the honours list for publicity (公示).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HonourLine {
    pub year: i32,
    pub level: AwardLevel,
    pub kind: HonourKind,
    pub title: String,
    /// The organization, project or person, by name.
    pub recipient: String,
    /// The organization behind it (the lead of a project, a person's organization).
    pub organization: String,
    pub awarded_by: String,
    pub date: Option<NaiveDate>,
}

/// The honours of a year (or all), highest level first, then kind and recipient.
pub fn honours_list(
    honours: &[Honour],
    orgs: &[Organization],
    projects: &[Project],
    people: &[Person],
    year: Option<i32>,
) -> Vec<HonourLine> {
    let org_name: HashMap<&RecordId, &str> = orgs.iter().map(|o| (&o.id, o.name.as_str())).collect();
    honour_lines(honours, |id| org_name.get(id).copied(), projects, people, year).into_iter().map(|(_, l)| l).collect()
}

/// `honours_list` over any lookup of organization names (the TUI holds
/// list rows, not records), each line with its index in `honours`.
pub fn honour_lines<'a>(
    honours: &[Honour],
    org_name: impl Fn(&RecordId) -> Option<&'a str>,
    projects: &[Project],
    people: &[Person],
    year: Option<i32>,
) -> Vec<(usize, HonourLine)> {
    let project: HashMap<&RecordId, &Project> = projects.iter().map(|p| (&p.id, p)).collect();
    let person: HashMap<&RecordId, &Person> = people.iter().map(|p| (&p.id, p)).collect();
    let name_of = |id: Option<&RecordId>| id.and_then(&org_name).map(|n| n.to_string());
    let mut out: Vec<(usize, HonourLine)> = honours
        .iter()
        .enumerate()
        .filter(|(_, h)| year.is_none_or(|y| h.year == y))
        .map(|(i, h)| {
            let (recipient, organization) = match h.kind.recipient() {
                RecipientKind::Organization => (name_of(h.organization.as_ref()), None),
                RecipientKind::Project => {
                    let p = h.project.as_ref().and_then(|i| project.get(i));
                    let lead = p.and_then(|p| name_of(p.lead.as_ref()).or(Some(p.lead_name.clone())));
                    (p.map(|p| p.name.clone()), lead.or_else(|| name_of(h.organization.as_ref())))
                }
                RecipientKind::Person => {
                    let p = h.person.as_ref().and_then(|i| person.get(i));
                    (p.map(|p| p.name.clone()), name_of(p.and_then(|p| p.organization.as_ref())))
                }
            };
            let line = HonourLine {
                year: h.year,
                level: h.level,
                kind: h.kind,
                title: h.title.clone(),
                recipient: recipient.unwrap_or_else(|| h.recipient_name.clone()),
                organization: organization.unwrap_or_default(),
                awarded_by: h.awarded_by.clone(),
                date: h.date,
            };
            (i, line)
        })
        .collect();
    out.sort_by(|(_, a), (_, b)| {
        (std::cmp::Reverse(a.year), a.level, a.kind, &a.recipient).cmp(&(
            std::cmp::Reverse(b.year),
            b.level,
            b.kind,
            &b.recipient,
        ))
    });
    out
}

/// Organizations entering and leaving the roster in one year.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct YearFlow {
    pub year: i32,
    /// Founded that year (or first filed/registered, when the founding date is unknown).
    pub new: usize,
    /// Upgraded from 备案 to 登记 that year (status history).
    pub registered_from_filed: usize,
    pub exited: usize,
    /// Exits by kind; `None` for exits recorded without one.
    pub exits_by_kind: Vec<(Option<ExitKind>, usize)>,
}

/// New, upgraded and exited organizations per year, `from..=to`.
pub fn flows(orgs: &[Organization], from: i32, to: i32) -> Vec<YearFlow> {
    let mut years: BTreeMap<i32, YearFlow> =
        (from..=to).map(|y| (y, YearFlow { year: y, ..Default::default() })).collect();
    let mut kinds: BTreeMap<(i32, Option<ExitKind>), usize> = BTreeMap::new();
    for o in orgs {
        if let Some(f) = o.entry_year().and_then(|y| years.get_mut(&y)) {
            f.new += 1;
        }
        for c in o.status_history.values() {
            if c.from == Some(LegalStatus::Filed) && c.to == LegalStatus::Registered {
                if let Some(f) = years.get_mut(&c.date.year()) {
                    f.registered_from_filed += 1;
                }
            }
        }
        if o.lifecycle == Lifecycle::Exited {
            if let Some(x) = o.exit_date {
                if let Some(f) = years.get_mut(&x.year()) {
                    f.exited += 1;
                    *kinds.entry((x.year(), o.exit_kind)).or_default() += 1;
                }
            }
        }
    }
    for ((year, kind), n) in kinds {
        years.get_mut(&year).expect("counted only for listed years").exits_by_kind.push((kind, n));
    }
    years.into_values().collect()
}

/// The flows of several sets of organizations (`flows` over each, for the
/// same years) added up.
pub fn merge_flows<'a>(parts: impl IntoIterator<Item = &'a [YearFlow]>) -> Vec<YearFlow> {
    let mut years: BTreeMap<i32, (YearFlow, BTreeMap<Option<ExitKind>, usize>)> = BTreeMap::new();
    for part in parts {
        for f in part {
            let (y, kinds) = years
                .entry(f.year)
                .or_insert_with(|| (YearFlow { year: f.year, ..Default::default() }, BTreeMap::new()));
            y.new += f.new;
            y.registered_from_filed += f.registered_from_filed;
            y.exited += f.exited;
            for (k, n) in &f.exits_by_kind {
                *kinds.entry(*k).or_default() += n;
            }
        }
    }
    years
        .into_values()
        .map(|(mut y, kinds)| {
            y.exits_by_kind = kinds.into_iter().collect();
            y
        })
        .collect()
}

/// The rankings of several sets of organizations (`ranking_by_township`
/// over each, in order, for one year) as one ranking of them all: a stable
/// sort of the runs in order is the order one sort of all of them gives.
pub fn merge_ranking<'a>(
    parts: impl IntoIterator<Item = &'a BTreeMap<String, Vec<Ranked>>>,
) -> BTreeMap<String, Vec<Ranked>> {
    let mut groups: BTreeMap<String, Vec<Ranked>> = BTreeMap::new();
    let mut several: std::collections::BTreeSet<String> = Default::default();
    for part in parts {
        for (township, list) in part {
            match groups.get_mut(township) {
                Some(have) => {
                    have.extend(list.iter().cloned());
                    several.insert(township.clone());
                }
                None => {
                    groups.insert(township.clone(), list.clone());
                }
            }
        }
    }
    for township in several {
        if let Some(list) = groups.get_mut(&township) {
            rank(list);
        }
    }
    groups
}

/// Best first (ties by name, then as given), equal scores sharing a rank.
fn rank(list: &mut [Ranked]) {
    list.sort_by(|a, b| b.entry.score.total_cmp(&a.entry.score).then_with(|| a.entry.name.cmp(&b.entry.name)));
    for i in 0..list.len() {
        list[i].rank = if i > 0 && list[i].entry.score == list[i - 1].entry.score { list[i - 1].rank } else { i + 1 };
    }
}

/// The gaps of several sets of organizations (`standardization_gaps` over
/// each, in order, for one year and date) as one computation over them all.
pub fn merge_gaps<'a>(parts: impl IntoIterator<Item = &'a [TownshipGaps]>) -> Vec<TownshipGaps> {
    let mut groups: BTreeMap<&str, TownshipGaps> = BTreeMap::new();
    let mut several: std::collections::BTreeSet<&str> = Default::default();
    for part in parts {
        for g in part {
            match groups.get_mut(g.township.as_str()) {
                Some(have) => {
                    have.organizations += g.organizations;
                    have.checked += g.checked;
                    for ((_, n), (_, m)) in have.missing.iter_mut().zip(&g.missing) {
                        *n += m;
                    }
                    have.with_gaps.extend(g.with_gaps.iter().cloned());
                    have.unchecked.extend(g.unchecked.iter().cloned());
                    several.insert(g.township.as_str());
                }
                None => {
                    groups.insert(g.township.as_str(), g.clone());
                }
            }
        }
    }
    // Each run is by name; stable, so namesakes stay in document order.
    for township in several {
        if let Some(g) = groups.get_mut(township) {
            g.with_gaps.sort_by(|a, b| a.1.cmp(&b.1));
            g.unchecked.sort_by(|a, b| a.1.cmp(&b.1));
        }
    }
    groups.into_values().collect()
}

/// Standardization of one township in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TownshipGaps {
    pub township: String,
    /// Organizations on the roster on the as-of date.
    pub organizations: usize,
    /// Of them, with a checklist for the year.
    pub checked: usize,
    /// Organizations missing each item (of those checked).
    pub missing: Vec<(ChecklistItem, usize)>,
    /// Checked organizations with at least one gap: (id, name, gaps).
    pub with_gaps: Vec<(RecordId, String, Vec<ChecklistItem>)>,
    /// On the roster but no checklist for the year.
    pub unchecked: Vec<(RecordId, String)>,
}

/// Standardization gaps per township for `year`, over organizations on the roster on `as_of`.
pub fn standardization_gaps(orgs: &[Organization], year: i32, as_of: NaiveDate) -> Vec<TownshipGaps> {
    let key = year.to_string();
    let mut groups: BTreeMap<&str, Vec<&Organization>> = BTreeMap::new();
    for o in orgs.iter().filter(|o| founded_by(o, as_of) && survives_on(o, as_of)) {
        groups.entry(township_of(&o.division)).or_default().push(o);
    }
    groups
        .into_iter()
        .map(|(township, mut list)| {
            list.sort_by(|a, b| a.name.cmp(&b.name));
            let mut missing: BTreeMap<ChecklistItem, usize> = ChecklistItem::all().iter().map(|i| (*i, 0)).collect();
            let mut with_gaps = Vec::new();
            let mut unchecked = Vec::new();
            let mut checked = 0;
            for o in &list {
                match o.standardization.get(&key) {
                    Some(c) => {
                        checked += 1;
                        let gaps = c.gaps();
                        for g in &gaps {
                            *missing.get_mut(g).expect("every item listed") += 1;
                        }
                        if !gaps.is_empty() {
                            with_gaps.push((o.id.clone(), o.name.clone(), gaps));
                        }
                    }
                    None => unchecked.push((o.id.clone(), o.name.clone())),
                }
            }
            TownshipGaps {
                township: township.to_string(),
                organizations: list.len(),
                checked,
                missing: missing.into_iter().collect(),
                with_gaps,
                unchecked,
            }
        })
        .collect()
}

/// Organizations carrying each type flag (枢纽型、平台型、品牌型) and
/// federation members by status, on the roster on `as_of`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cultivation {
    pub types: Vec<(OrgType, usize)>,
    pub members: Vec<(MembershipStatus, usize)>,
    /// In an incubation platform on the as-of date, by platform level.
    pub incubating: Vec<(Level, usize)>,
}

pub fn cultivation(
    orgs: &[Organization],
    incubations: &[super::projects::Incubation],
    as_of: NaiveDate,
) -> Cultivation {
    let on_roster: Vec<&Organization> = orgs.iter().filter(|o| survives_on(o, as_of)).collect();
    let types =
        OrgType::all().iter().map(|t| (*t, on_roster.iter().filter(|o| o.org_types.contains(t)).count())).collect();
    let members = MembershipStatus::all()
        .iter()
        .map(|s| (*s, on_roster.iter().filter(|o| o.membership == Some(*s)).count()))
        .collect();
    let mut incubating: BTreeMap<Level, usize> = BTreeMap::new();
    for i in incubations.iter().filter(|i| i.is_in_on(as_of)) {
        *incubating.entry(i.level).or_default() += 1;
    }
    Cultivation { types, members, incubating: incubating.into_iter().collect() }
}

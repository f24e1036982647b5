//! List rows and filters shared by the CLI and the TUI. Rows hold only what
//! a list shows, plus a search key built once per row, so filtering 31,000
//! organizations per keystroke is a scan of short strings.

use super::enums::*;
use super::ids::RecordId;
use super::records::Organization;
use super::validate::fold_width;
use pinyin::ToPinyin;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    pub id: RecordId,
    pub name: String,
    pub category: Option<Category>,
    pub legal_status: Option<LegalStatus>,
    pub lifecycle: Option<Lifecycle>,
    pub party_status: Option<PartyStatus>,
    pub division: String,
    pub township: String,
    pub community: String,
    pub head_name: String,
    pub code: String,
    /// Lower-case name, places, head, codes and the name's pinyin initials.
    pub search_key: String,
    /// The federation whose roster holds it (a hub holds several); empty
    /// when the row was not read from a store.
    pub federation: RecordId,
}

/// The fields `OrgRow::from_fields` expects, in order (for `Store::scan`).
pub const ORG_ROW_FIELDS: [&str; 11] = [
    "name",
    "category",
    "legal_status",
    "lifecycle",
    "party_status",
    "division",
    "township",
    "community",
    "head_name",
    "credit_code",
    "filing_number",
];

/// "阳光志愿队" -> "ygzyd": typing initials is how people search Chinese names
/// when an input method is in the way.
pub fn pinyin_initials(text: &str) -> String {
    text.to_pinyin().flatten().map(|p| p.first_letter()).collect()
}

impl OrgRow {
    /// Builds a row from stored field texts in `ORG_ROW_FIELDS` order.
    pub fn from_fields(id: RecordId, values: &[Option<String>]) -> OrgRow {
        let get = |i: usize| values.get(i).cloned().flatten().unwrap_or_default();
        let name = get(0);
        let code = if get(9).is_empty() { get(10) } else { get(9) };
        let search_key = format!(
            "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
            name.to_lowercase(),
            get(6),
            get(7),
            get(8),
            code.to_lowercase(),
            pinyin_initials(&name)
        );
        OrgRow {
            id,
            category: Category::parse(&get(1)).ok(),
            legal_status: LegalStatus::parse(&get(2)).ok(),
            lifecycle: Lifecycle::parse(&get(3)).ok(),
            party_status: PartyStatus::parse(&get(4)).ok(),
            division: get(5),
            township: get(6),
            community: get(7),
            head_name: get(8),
            code,
            name,
            search_key,
            federation: RecordId::default(),
        }
    }

    pub fn from_org(o: &Organization) -> OrgRow {
        let v = serde_json::to_value(o).unwrap_or_default();
        let values: Vec<Option<String>> =
            ORG_ROW_FIELDS.iter().map(|f| v.get(*f).and_then(|x| x.as_str()).map(str::to_string)).collect();
        OrgRow::from_fields(o.id.clone(), &values)
    }

    /// 党的工作覆盖, the report's rule: an own or joint Party organization,
    /// or an assignment in force (`dispatched`: organizations with one today,
    /// from `report::coverage::dispatched_orgs`). A "dispatched" status alone
    /// covers nothing.
    pub fn is_work_covered(&self, dispatched: &HashSet<RecordId>) -> bool {
        let status = self.party_status.unwrap_or(PartyStatus::Uncovered);
        super::report::CoverageStatus::of_status(status, dispatched.contains(&self.id)).work
    }
}

/// A federation's name without the suffix every federation shares
/// ("成都市锦江区社区社会组织联合会" -> "成都市锦江区"): a list column at a
/// hub names whose roster a record is on. The name itself when nothing
/// would remain.
pub fn short_federation_name(name: &str) -> &str {
    for suffix in ["社区社会组织联合会", "社会组织联合会", "联合会", " Federation", " federation"] {
        if let Some(head) = name.strip_suffix(suffix) {
            if !head.trim().is_empty() {
                return head.trim_end();
            }
        }
    }
    name
}

/// What a list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgFilter {
    pub text: String,
    pub category: Option<Category>,
    pub legal_status: Option<LegalStatus>,
    pub lifecycle: Option<Lifecycle>,
    pub division_prefix: String,
    /// Only surviving (active or dormant) organizations without work
    /// coverage, as the report's list of uncovered organizations.
    pub uncovered: bool,
    /// Organizations with an instructor or liaison assignment in force today.
    pub dispatched: HashSet<RecordId>,
}

impl OrgFilter {
    pub fn matches(&self, row: &OrgRow) -> bool {
        self.matches_with(&fold_width(self.text.trim()).to_lowercase(), row)
    }

    /// `needle` is the folded, lower-cased text (computed once per keystroke).
    fn matches_with(&self, needle: &str, row: &OrgRow) -> bool {
        needle.split_whitespace().all(|w| row.search_key.contains(w))
            && self.category.is_none_or(|c| row.category == Some(c))
            && self.legal_status.is_none_or(|s| row.legal_status == Some(s))
            && self.lifecycle.is_none_or(|l| row.lifecycle == Some(l))
            && row.division.starts_with(&self.division_prefix)
            && (!self.uncovered || (!row.is_work_covered(&self.dispatched) && row.lifecycle != Some(Lifecycle::Exited)))
    }

    /// Indexes of the matching rows, in order.
    pub fn apply(&self, rows: &[OrgRow]) -> Vec<usize> {
        let needle = fold_width(self.text.trim()).to_lowercase();
        rows.iter().enumerate().filter(|(_, r)| self.matches_with(&needle, r)).map(|(i, _)| i).collect()
    }
}

/// How well a search matches a name, best first: 0 the name or its pinyin
/// initials exactly, 1 either starts with it, 2 inside the name, 3 inside
/// the initials, 4 only in `extra` (an organization, roles); None no match.
/// Words after the first (space-separated) must each match somewhere.
/// All texts folded and lower-cased by the caller.
pub fn search_rank(needle: &str, name: &str, initials: &str, extra: &str) -> Option<u8> {
    let mut words = needle.split_whitespace();
    let Some(first) = words.next() else { return Some(0) };
    if !words.all(|w| name.contains(w) || initials.contains(w) || extra.contains(w)) {
        return None;
    }
    if name == first || initials == first {
        Some(0)
    } else if name.starts_with(first) || initials.starts_with(first) {
        Some(1)
    } else if name.contains(first) {
        Some(2)
    } else if initials.contains(first) {
        Some(3)
    } else if extra.contains(first) {
        Some(4)
    } else {
        None
    }
}

/// Which organizations an export takes: a division prefix (a township's
/// 9 digits gives that township its own ledger), a legal status, a lifecycle.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgSelection {
    pub division: Option<String>,
    /// A township by name as ledgers write it (所属街道/乡镇), when no code is given.
    pub township: Option<String>,
    pub legal_status: Option<LegalStatus>,
    pub lifecycle: Option<Lifecycle>,
}

impl OrgSelection {
    /// Reads the flags as typed (labels, codes, aliases); the first bad one is the error.
    pub fn parse(
        division: Option<&str>,
        legal_status: Option<&str>,
        lifecycle: Option<&str>,
    ) -> Result<OrgSelection, String> {
        let (division, township) = match division.map(|d| fold_width(d).trim().to_string()) {
            // A name (春熙路街道) picks the township as the ledger writes it.
            Some(d) if !d.is_ascii() => (None, Some(d)),
            Some(d) if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit()) => {
                return Err(format!(
                    "--division '{d}' 应为行政区划代码或其前缀,或乡镇(街道)名称 (must be division digits or a township's name)"
                ));
            }
            other => (other, None),
        };
        Ok(OrgSelection {
            division,
            township,
            legal_status: legal_status.map(LegalStatus::parse).transpose().map_err(|e| e.to_string())?,
            lifecycle: lifecycle.map(Lifecycle::parse).transpose().map_err(|e| e.to_string())?,
        })
    }

    pub fn is_all(&self) -> bool {
        *self == OrgSelection::default()
    }

    pub fn matches(&self, o: &Organization) -> bool {
        self.division.as_ref().is_none_or(|d| o.division.starts_with(d.as_str()))
            && self
                .township
                .as_ref()
                .is_none_or(|t| super::validate::name_key(&o.township) == super::validate::name_key(t))
            && self.legal_status.is_none_or(|s| o.legal_status == s)
            && self.lifecycle.is_none_or(|l| o.lifecycle == l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, community: &str, status: PartyStatus) -> OrgRow {
        let mut o = Organization::new(name, Category::Charity, LegalStatus::Filed, "510104001002");
        o.community = community.into();
        o.party_status = status;
        o.filing_number = "JJ-0042".into();
        OrgRow::from_org(&o)
    }

    #[test]
    fn a_federation_is_named_without_the_shared_suffix() {
        assert_eq!(short_federation_name("成都市锦江区社区社会组织联合会"), "成都市锦江区");
        assert_eq!(short_federation_name("青羊区社会组织联合会"), "青羊区");
        assert_eq!(short_federation_name("联合会"), "联合会", "nothing would remain");
        assert_eq!(short_federation_name("3fa4c2d19b0e7a65"), "3fa4c2d19b0e7a65", "an id stays an id");
    }

    #[test]
    fn filters_by_text_pinyin_code_and_coverage() {
        let rows = vec![
            row("阳光志愿服务队", "玉林社区", PartyStatus::Own),
            row("夕阳红舞蹈队", "望江社区", PartyStatus::Uncovered),
        ];
        let f = |text: &str| OrgFilter { text: text.into(), ..Default::default() }.apply(&rows);
        assert_eq!(f("阳光"), vec![0]);
        assert_eq!(f("ygzy"), vec![0], "pinyin initials");
        assert_eq!(f("YGZY"), vec![0], "case folded");
        assert_eq!(f("望江"), vec![1], "community");
        assert_eq!(f("jj-0042"), vec![0, 1], "filing number");
        assert_eq!(f("ｙｇ"), vec![0], "full-width input");
        assert_eq!(f(""), vec![0, 1]);
        assert_eq!(f("阳光 玉林"), vec![0], "words are combined");
        assert_eq!(f("阳光 望江"), Vec::<usize>::new());
        let uncovered = OrgFilter { uncovered: true, ..Default::default() };
        assert_eq!(uncovered.apply(&rows), vec![1]);
        // An assignment in force covers the work; a dispatched status alone does not.
        let by_liaison = OrgFilter { uncovered: true, dispatched: [rows[1].id.clone()].into(), ..Default::default() };
        assert_eq!(by_liaison.apply(&rows), Vec::<usize>::new());
        let mut in_name = rows.clone();
        in_name[0].party_status = Some(PartyStatus::Dispatched);
        assert_eq!(uncovered.apply(&in_name), vec![0, 1]);
        assert_eq!(pinyin_initials("锦江区"), "jjq");
    }

    #[test]
    fn exact_initials_and_prefixes_rank_first() {
        let rank = |needle: &str, name: &str, extra: &str| search_rank(needle, name, &pinyin_initials(name), extra);
        assert_eq!(rank("gy", "郭艳", ""), Some(0));
        assert_eq!(rank("gy", "郭玉兰", ""), Some(1));
        assert_eq!(rank("gy", "朱桂英", ""), Some(3));
        assert_eq!(rank("刘", "刘娟", ""), Some(1));
        assert_eq!(rank("娟", "刘娟", ""), Some(2));
        assert_eq!(rank("刘娟 阳光", "刘娟", "阳光社区"), Some(0), "a second word narrows by organization");
        assert_eq!(rank("刘娟 团结", "刘娟", "阳光社区"), None);
        assert_eq!(rank("阳光", "刘娟", "阳光社区"), Some(4));
        assert_eq!(rank("", "刘娟", ""), Some(0));
    }
}

//! What a GB/T 2260 division code says by itself: its county and township,
//! whether a village-level code is an urban community, and the names of
//! the county-level units the program knows.

/// Kind of a village-level unit, read off the last three digits of a
/// 12-digit statistical code (DOMAIN.md): 001–199 社区 and 400–499
/// (居委会-like units) are urban; 200–399 村 and 500–599 (村委会-like) rural.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityKind {
    Urban,
    Rural,
}

impl CommunityKind {
    /// None when the code is not a village-level code or its digits are
    /// outside the ranges the statistical standard uses.
    pub fn of(division: &str) -> Option<CommunityKind> {
        if division.len() != 12 || !division.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match division[9..12].parse::<u32>().ok()? {
            1..=199 | 400..=499 => Some(CommunityKind::Urban),
            200..=399 | 500..=599 => Some(CommunityKind::Rural),
            _ => None,
        }
    }

    /// Organizations per community the Ministry asks for on average
    /// (民政部 2017): 10 in an urban community, 5 in a rural one.
    pub fn target(self) -> usize {
        match self {
            CommunityKind::Urban => 10,
            CommunityKind::Rural => 5,
        }
    }
}

/// The 9-digit township code of a division, when it has one.
pub fn township_of(division: &str) -> Option<&str> {
    (division.len() >= 9).then(|| &division[..9])
}

/// Name of a Sichuan county-level unit the program knows (a selection of
/// the 183; unknown codes have no name and are shown as their code).
pub fn county_name(code: &str) -> Option<&'static str> {
    super::demo::COUNTIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn village_codes_400_to_499_are_urban() {
        assert_eq!(CommunityKind::of("510104001002"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510104001199"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510121100201"), Some(CommunityKind::Rural));
        assert_eq!(CommunityKind::of("510121100399"), Some(CommunityKind::Rural));
        assert_eq!(CommunityKind::of("510104001401"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510104001499"), Some(CommunityKind::Urban));
        assert_eq!(CommunityKind::of("510121100501"), Some(CommunityKind::Rural));
        assert_eq!(CommunityKind::of("510104001000"), None, "000 is the township itself");
        assert_eq!(CommunityKind::of("510104001"), None);
        assert_eq!(township_of("510104001002"), Some("510104001"));
        assert_eq!(township_of("510104"), None);
        assert_eq!(county_name("510104"), Some("锦江区"));
    }
}

//! Document ids: "<federation id>/<collection>[/<county code>]".
//! They arrive from peers too, so parsing is strict.

use crate::domain::{Collection, RecordId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocId(String);

impl DocId {
    pub fn new(federation: &RecordId, collection: Collection, part: Option<&str>) -> DocId {
        match part {
            Some(p) => DocId(format!("{}/{}/{}", federation, collection.code(), p)),
            None => DocId(format!("{}/{}", federation, collection.code())),
        }
    }

    pub fn parse(text: &str) -> Result<DocId, String> {
        let bad = || format!("无效的文档编号 '{text}' (document id must be <federation>/<collection>[/<county>])");
        let parts: Vec<&str> = text.split('/').collect();
        if !(2..=3).contains(&parts.len()) || text.len() > 80 {
            return Err(bad());
        }
        let fed_ok =
            !parts[0].is_empty() && parts[0].len() <= 32 && parts[0].chars().all(|c| c.is_ascii_alphanumeric());
        let collection = Collection::from_code(parts[1]).ok_or_else(bad)?;
        let part_ok = match (collection, parts.get(2)) {
            (Collection::Orgs, Some(p)) => is_county(p),
            (Collection::Activities | Collection::WorkReports, Some(p)) => is_county_year(p),
            (Collection::Projects, Some(p)) => is_year(p),
            (Collection::Orgs | Collection::Activities | Collection::WorkReports | Collection::Projects, None) => false,
            (_, Some(_)) => false,
            (_, None) => true,
        };
        if fed_ok && part_ok {
            Ok(DocId(text.to_string()))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn federation(&self) -> RecordId {
        RecordId(self.0.split('/').next().unwrap_or_default().to_string())
    }

    pub fn collection(&self) -> Collection {
        self.0.split('/').nth(1).and_then(Collection::from_code).unwrap_or(Collection::Meta)
    }

    pub fn part(&self) -> Option<&str> {
        self.0.split('/').nth(2)
    }
}

fn is_county(p: &str) -> bool {
    p.len() == 6 && p.chars().all(|c| c.is_ascii_digit())
}

/// "2025": projects per year.
fn is_year(p: &str) -> bool {
    p.len() == 4 && p.chars().all(|c| c.is_ascii_digit())
}

/// "510104-2025": activities and work reports per county and year.
fn is_county_year(p: &str) -> bool {
    match p.split_once('-') {
        Some((county, year)) => is_county(county) && year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DocId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        DocId::parse(&s)
    }
}

impl From<DocId> for String {
    fn from(d: DocId) -> String {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_well_formed_ids() {
        let fed = RecordId::from("00aa11bb22cc33dd");
        let d = DocId::new(&fed, Collection::Orgs, Some("510104"));
        assert_eq!(d.as_str(), "00aa11bb22cc33dd/orgs/510104");
        assert_eq!(DocId::parse(d.as_str()).unwrap(), d);
        assert_eq!(d.collection(), Collection::Orgs);
        assert_eq!(d.part(), Some("510104"));
        assert_eq!(d.federation(), fed);
        assert!(DocId::parse("00aa/people").is_ok());
        assert!(DocId::parse("00aa/activities/510104-2025").is_ok());
        assert!(DocId::parse("00aa/work_reports/510104-2025").is_ok());
        assert!(DocId::parse("00aa/settings").is_ok());
        for bad in
            ["a/activities", "a/activities/510104", "a/activities/510104-25", "a/orgs/510104-2025", "a/settings/x"]
        {
            assert!(DocId::parse(bad).is_err(), "{bad}");
        }
        assert!(DocId::parse("00aa/projects/2025").is_ok());
        assert!(DocId::parse("00aa/honours").is_ok());
        for bad in ["a/projects", "a/projects/510104", "a/orgs/2025", "a/honours/2025"] {
            assert!(DocId::parse(bad).is_err(), "{bad}");
        }
        for bad in ["", "x", "a/b", "a/orgs", "a/people/510104", "../orgs/510104", "a/orgs/51x104", "a/people/x/y"] {
            assert!(DocId::parse(bad).is_err(), "{bad}");
        }
    }
}

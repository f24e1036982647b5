//! Stable record ids. Records are addressed by id, never by name, so a rename
//! on one peer and an edit on another still meet on the same record.

use rand::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct RecordId(pub String);

impl RecordId {
    /// 64 random bits as 16 lowercase hex digits.
    pub fn random() -> Self {
        Self::from_rng(&mut rand::rng())
    }

    pub fn from_rng<R: Rng + ?Sized>(rng: &mut R) -> Self {
        RecordId(format!("{:016x}", rng.random::<u64>()))
    }

    /// Attendance is unique per (session, person): deriving its id from both
    /// makes two offline sign-ins of one person merge into one record.
    pub fn attendance(session: &RecordId, person: &RecordId) -> Self {
        RecordId(format!("{}.{}", session.0, person.0))
    }

    /// Someone not on record logged at an activity by name: deriving the new
    /// person's id from the activity and the name makes two offline laptops
    /// that log the same walk-in create one person, not two namesakes.
    pub fn walk_in(activity: &RecordId, name_key: &str) -> Self {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{}\u{0}{name_key}", activity.0).as_bytes());
        RecordId(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for RecordId {
    fn from(s: &str) -> Self {
        RecordId(s.to_string())
    }
}

/// Lists of record ids stored as one comma-separated string, like code
/// lists: a concurrent edit is one conflicted field, not two interleaved
/// lists. Parsing also takes the separators people type (，、; and spaces).
pub mod id_list {
    use super::RecordId;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ids: &[RecordId], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&join(ids))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RecordId>, D::Error> {
        Ok(parse(&String::deserialize(d)?))
    }

    pub fn join(ids: &[RecordId]) -> String {
        ids.iter().map(RecordId::as_str).collect::<Vec<_>>().join(",")
    }

    pub fn parse(text: &str) -> Vec<RecordId> {
        let mut out: Vec<RecordId> = Vec::new();
        for part in text.split([',', '，', '、', ';', '；', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            let id = RecordId::from(part);
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

//! A record a read left out because it does not decode (a value a peer
//! broke): named as data, so each front end says it in its language.

use crate::domain::Lang;
use crate::store::StoreError;

/// A record (or a whole document) a list or the report could not read: it
/// is left out and named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The document; empty when the store could not say which.
    pub doc: String,
    /// The record's id, when one record was unreadable.
    pub record: Option<String>,
    /// What the decoder or the store said.
    pub detail: String,
}

impl From<&StoreError> for Unreadable {
    fn from(e: &StoreError) -> Unreadable {
        match e {
            StoreError::Decode { doc, id, detail } => {
                Unreadable { doc: doc.to_string(), record: Some(id.clone()), detail: detail.clone() }
            }
            StoreError::Damaged { doc, detail } => {
                Unreadable { doc: doc.to_string(), record: None, detail: detail.clone() }
            }
            other => Unreadable { doc: String::new(), record: None, detail: other.to_string() },
        }
    }
}

impl Unreadable {
    /// The warning in `lang`: what was left out, and where.
    pub fn describe(&self, lang: Lang) -> String {
        let Unreadable { doc, record, detail } = self;
        match (record, doc.is_empty()) {
            (Some(id), false) => lang.pick(
                format!("记录 {id}(文档 {doc})无法读取,已略过: {detail}"),
                format!("record {id} (document {doc}) is unreadable and left out: {detail}"),
            ),
            (Some(id), true) => lang.pick(
                format!("记录 {id} 无法读取,已略过: {detail}"),
                format!("record {id} is unreadable and left out: {detail}"),
            ),
            (None, false) => lang.pick(
                format!("文档 {doc} 无法读取,已略过: {detail}"),
                format!("document {doc} is unreadable and left out: {detail}"),
            ),
            (None, true) => {
                lang.pick(format!("有数据无法读取,已略过: {detail}"), format!("unreadable, left out: {detail}"))
            }
        }
    }
}

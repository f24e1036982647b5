//! The federation's evaluation settings and lookups for the funding and
//! cultivation ledger (projects, honours, incubations).

use super::records::record_obj;
use super::{codec, DocId, Result, Store, StoreError};
use crate::domain::{Collection, EvaluationSettings, Record, RecordId};

impl Store {
    fn home_settings_doc(&self) -> Result<DocId> {
        Ok(DocId::new(self.home()?, Collection::Settings, None))
    }

    /// The home federation's evaluation weights and cut-offs, or the
    /// defaults (equal weights, 90/75/60). Read from the home document only:
    /// a hub also holds other federations' settings.
    pub fn evaluation_settings(&self) -> EvaluationSettings {
        let Ok(doc_id) = self.home_settings_doc() else { return EvaluationSettings::default() };
        let Some(state) = self.docs.get(&doc_id) else { return EvaluationSettings::default() };
        let Some(obj) = record_obj(&state.doc, EvaluationSettings::ID) else { return EvaluationSettings::default() };
        let mut json = codec::read_object(&state.doc, &obj, 0);
        if let serde_json::Value::Object(m) = &mut json {
            m.insert("id".into(), EvaluationSettings::ID.into());
        }
        serde_json::from_value(json).unwrap_or_default()
    }

    /// Saves the weights and cut-offs; refused unless they add up.
    pub fn set_evaluation_settings(&mut self, settings: &EvaluationSettings) -> Result<()> {
        let doc_id = self.home_settings_doc()?;
        let exists = self.docs.get(&doc_id).is_some_and(|s| record_obj(&s.doc, EvaluationSettings::ID).is_some());
        if exists {
            self.update(settings)?;
        } else {
            self.insert(settings)?;
        }
        Ok(())
    }

    /// A record by id, or NotFound naming its kind.
    pub fn require<R: Record>(&self, id: &RecordId) -> Result<R> {
        self.get::<R>(id)?.ok_or_else(|| StoreError::NotFound {
            kind: R::COLLECTION.label(crate::domain::Lang::Zh),
            id: id.to_string(),
        })
    }
}

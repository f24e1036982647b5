//! How personal data shows outside the store: a person's Debug output masks
//! the phone, so no log line or panic message can carry the number.

use super::records::Person;
use super::validate;

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("phone", &validate::mask_phone(&self.phone))
            .field("party_member", &self.party_member)
            .field("roles", &self.roles)
            .field("organization", &self.organization)
            .field("social_worker_grade", &self.social_worker_grade)
            .field("notes", &self.notes)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_masks_the_phone() {
        let mut p = Person::new("李秀英");
        p.phone = "13812345678".into();
        let shown = format!("{p:?}");
        assert!(shown.contains("138****5678") && !shown.contains("13812345678"), "{shown}");
    }
}

//! Venue bookings (场地预约).

use super::{refs, warnings, Env, FieldError, OpResult, Ref};
use crate::domain::{report::booking_conflicts, Booking, BookingStatus, RecordId};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Booked {
    pub booking: Booking,
    pub venue_name: String,
    /// A confirmed booking that overlaps another confirmed one: saved, but
    /// the secretary should know.
    pub overlaps: bool,
    pub warnings: Vec<FieldError>,
}

/// Saves a new or edited booking and says whether it now overlaps another.
pub fn save(env: &mut Env, booking: Booking, new: bool) -> OpResult<Booked> {
    let problems = if new { env.store.insert(&booking)? } else { env.store.update(&booking)? };
    Ok(outcome(env, booking, warnings(problems)))
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetStatus {
    pub booking: Ref,
    pub status: BookingStatus,
}

/// Confirms or cancels a booking (the record is kept either way).
pub fn set_status(env: &mut Env, cmd: SetStatus) -> OpResult<Booked> {
    let mut booking: Booking = refs::by_id(env.store, &cmd.booking)?;
    booking.status = cmd.status;
    let problems = env.store.update(&booking)?;
    Ok(outcome(env, booking, warnings(problems)))
}

fn outcome(env: &mut Env, booking: Booking, warnings: Vec<FieldError>) -> Booked {
    let venue_name = env.store.get::<crate::domain::Venue>(&booking.venue).ok().flatten().map(|v| v.name);
    let overlaps = booking.status == BookingStatus::Confirmed && {
        let (all, _) = env.store.all_readable::<Booking>();
        booking_conflicts(&all).iter().any(|(x, y)| *x == booking.id || *y == booking.id)
    };
    Booked { venue_name: venue_name.unwrap_or_else(|| booking.venue.to_string()), booking, overlaps, warnings }
}

/// The id a booking is known by, for front ends holding only text.
pub fn id(text: &str) -> RecordId {
    RecordId::from(text.trim())
}

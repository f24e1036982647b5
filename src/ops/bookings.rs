//! Venue bookings (场地预约).

use super::{refs, warnings, Env, FieldError, OpResult, Ref};
use crate::domain::{Booking, BookingStatus, RecordId};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Booked {
    pub booking: Booking,
    pub venue_name: String,
    /// Other live bookings (已申请 or 已确认) of the venue whose time overlaps
    /// this one, in time order: saved all the same, but the secretary should
    /// know, at booking and again at confirming. Empty when this one is cancelled.
    pub overlapping: Vec<Overlap>,
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

/// Another booking a saved one overlaps, with what names it (the front
/// ends word it: `domain::text::booking_line`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Overlap {
    pub booking: Booking,
    /// The booking organization's name, empty when none.
    pub org_name: String,
}

/// The live bookings of the same venue that overlap `booking`.
pub fn overlapping(env: &Env, booking: &Booking) -> Vec<Overlap> {
    if booking.status == BookingStatus::Cancelled {
        return Vec::new();
    }
    let (all, _) = env.store.all_readable::<Booking>();
    let mut found: Vec<Booking> = all
        .into_iter()
        .filter(|o| o.id != booking.id && o.status != BookingStatus::Cancelled && o.overlaps(booking))
        .collect();
    found.sort_by(|a, b| (a.date, &a.start, &a.end).cmp(&(b.date, &b.start, &b.end)));
    found
        .into_iter()
        .map(|b| {
            let org_name = b
                .organization
                .as_ref()
                .and_then(|id| env.store.get::<crate::domain::Organization>(id).ok().flatten())
                .map_or(String::new(), |o| o.name);
            Overlap { booking: b, org_name }
        })
        .collect()
}

fn outcome(env: &mut Env, booking: Booking, warnings: Vec<FieldError>) -> Booked {
    let venue_name = env.store.get::<crate::domain::Venue>(&booking.venue).ok().flatten().map(|v| v.name);
    let overlapping = overlapping(env, &booking);
    Booked { venue_name: venue_name.unwrap_or_else(|| booking.venue.to_string()), booking, overlapping, warnings }
}

/// The id a booking is known by, for front ends holding only text.
pub fn id(text: &str) -> RecordId {
    RecordId::from(text.trim())
}

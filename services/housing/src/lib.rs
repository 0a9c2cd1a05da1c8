//! The housing service owns units (apartments and houses, their rooms and beds), the waiting list
//! with its per-tenant priority rule, placements of households on beds with their agreement, the
//! path to housing autonomy (milestones), exits and the follow-ups 6 and 12 months later.
//!
//! Households are the cases service's: housing refers to them by id and asks the cases service
//! for their members (never keeping a copy of personal data it can ask for). It calls the tenancy
//! service for the tenant's municipalities and pseudonym keys; it never reads another store.

pub mod domain;
pub mod events;
pub mod interface;
mod service;
pub mod store;

pub use interface::*;
pub use service::HousingService;

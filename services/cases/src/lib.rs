//! The cases service owns persons, households, consent, cases ("presa in carico"), encounters,
//! needs, interventions, the per-tenant hash-chained audit log and the events outbox.
//!
//! It depends on the kernel and on the tenancy service's interface (to check territories and
//! desks), never on tenancy's tables.

pub mod audit;
pub mod domain;
pub mod events;
pub mod interface;
pub mod rekey;
pub mod relay;
pub mod reminders;
pub mod seal;
mod service;
pub mod store;

pub use interface::*;
pub use service::CasesService;

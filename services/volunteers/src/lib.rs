//! The volunteers service owns the register of active citizens (albo dei cittadini attivi): their
//! applications, skills, languages, availability and the territories they act in; the tasks
//! operators ask them for, delegations and hours; training courses, sessions, enrolments,
//! attendance and certificates; collaboration pacts (patti di collaborazione).
//!
//! It depends on the kernel and calls the tenancy service through its interface (territories,
//! desks, places, the invitation of an approved volunteer); it never reads another store.

pub mod domain;
pub mod events;
pub mod interface;
mod service;
pub mod store;

pub use interface::*;
pub use service::VolunteersService;

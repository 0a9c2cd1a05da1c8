//! The analytics service: consumes the pseudonymised events of the bus into anonymised facts,
//! answers each tenant's own indicators and breakdowns, and serves the cross-territory dashboard
//! under statistical disclosure control (`sdc`).
//!
//! It stores no direct identifier: only keyed pseudonyms, age bands, sex, country of birth,
//! territory codes, need and intervention codes, and the month (never the day) things happened.

pub mod export;
pub mod interface;
pub mod sdc;
mod service;
pub mod store;

pub use interface::*;
pub use service::{AnalyticsService, INDICATORS, IngestReport};

//! The shared kernel of Sportello: identifiers, the request context every service call carries,
//! the error codes that form part of every service contract, tenant-scoped storage, the cache, and
//! the generic transport that lets a service interface run in-process or over HTTP/JSON.
//!
//! It owns no domain data and must not depend on any service crate.

extern crate self as sportello_kernel;

pub mod bus;
pub mod cache;
pub mod contact;
pub mod context;
pub mod crypto;
pub mod dates;
pub mod db;
pub mod error;
pub mod events;
pub mod ids;
pub mod iso;
pub mod live;
pub mod messages;
pub mod outbox;
pub mod pseudonym;
pub mod rpc;
pub mod secret;
pub mod text;
pub mod time;

pub use context::{Access, Actor, Context, Role};
pub use error::{Error, ErrorCode, ErrorDetail, Reason, ReasonCode, Result};
pub use ids::{TenantId, UserId};
pub use time::{Clock, Zone};

#[doc(hidden)]
pub mod reexport {
    pub use async_trait;
    pub use axum;
    pub use sea_orm;
    pub use sea_orm_migration;
    pub use serde;
    pub use tracing;
    pub use uuid;
}

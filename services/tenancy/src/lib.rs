//! The tenancy service owns tenants, territories (municipalities by ISTAT code), desks, the places
//! diffuse desks visit, global users, their memberships and roles in tenants, and invitations.
//!
//! It depends only on the kernel. Other services never read its tables: they call its interface.

pub mod demo;
pub mod domain;
pub mod interface;
mod service;
pub mod store;

pub use interface::*;
pub use service::{TOKEN_PREFIX, TenancyService, tenant_of_token};

//! GraphQL operations of the volunteers service: the register of active citizens, tasks and
//! hours, training and collaboration pacts. Each part's types, queries and mutations live in its
//! own file and are merged here.

use super::*;

mod pacts;
mod register;

pub use pacts::*;
pub use register::*;

/// The volunteers part of the query root.
#[derive(MergedObject, Default)]
pub struct VolunteersQuery(RegisterQuery, PactsQuery);

/// The volunteers part of the mutation root.
#[derive(MergedObject, Default)]
pub struct VolunteersMutation(RegisterMutation, PactsMutation);

//! GraphQL operations of the volunteers service: the register of active citizens, tasks and
//! hours, training and collaboration pacts. Each part's types, queries and mutations live in its
//! own file and are merged here.

use super::*;

mod pacts;
mod register;
mod tasks;
mod training;

pub use pacts::*;
pub use register::*;
pub use tasks::*;
pub use training::*;

/// The volunteers part of the query root.
#[derive(MergedObject, Default)]
pub struct VolunteersQuery(RegisterQuery, TasksQuery, TrainingQuery, PactsQuery);

/// The volunteers part of the mutation root.
#[derive(MergedObject, Default)]
pub struct VolunteersMutation(
    RegisterMutation,
    TasksMutation,
    TrainingMutation,
    PactsMutation,
);

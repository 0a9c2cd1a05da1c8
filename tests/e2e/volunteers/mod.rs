//! The volunteers service end to end: the register, tasks and hours, training, pacts. Every
//! scenario uses two tenants and checks what the other cannot see.

mod application;
mod indicators;
mod pacts;
mod register;
mod tasks;
mod training;

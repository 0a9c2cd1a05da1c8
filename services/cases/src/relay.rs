//! The relay of this service's outbox: the kernel's generic relay ([`sportello_kernel::outbox`]),
//! run by the process that holds the cases role.

pub use sportello_kernel::outbox::Relay;

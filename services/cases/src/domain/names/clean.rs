//! Unicode hygiene of names: the kernel's one rule for every name the product stores
//! ([`sportello_kernel::text`]).

pub use sportello_kernel::text::*;

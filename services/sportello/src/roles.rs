//! The macro behind the table of services in `lib.rs`: one row per service yields its process
//! role and everything derived from it.

/// Declares the services of the binary once (the table is in `lib.rs`); the process roles, their
/// names, `--roles` and its default, and the services each role calls all come from it.
macro_rules! services {
    ($(
        $(#[$meta:meta])*
        $variant:ident = $name:literal, calls [$($calls:ident),*], bus $bus:literal;
    )*) => {
        /// A role this process plays: the gateway, or one of the services.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Role {
            /// The public GraphQL API; calls every service.
            Gateway,
            $($(#[$meta])* $variant,)*
        }

        impl Role {
            /// Every role, the gateway first, then the services in start-up order (a service
            /// after those it calls).
            pub const ALL: [Role; [$($name),*].len() + 1] = [Role::Gateway, $(Role::$variant),*];
            /// The services, in start-up order.
            pub const SERVICES: [Role; [$($name),*].len()] = [$(Role::$variant),*];
            /// Every role's name, comma-separated: the default of `--roles`.
            pub const ALL_NAMES: &'static str = concat!("gateway" $(, ",", $name)*);

            /// The role's name in `--roles`, in `services.<name>` settings and in `/rpc/<name>`.
            pub fn name(self) -> &'static str {
                match self {
                    Role::Gateway => "gateway",
                    $(Role::$variant => $name,)*
                }
            }

            /// The services this role calls.
            pub fn calls(self) -> &'static [Role] {
                match self {
                    Role::Gateway => &Role::SERVICES,
                    $(Role::$variant => &[$(Role::$calls),*],)*
                }
            }

            /// Whether the service publishes or consumes events on the bus.
            pub fn uses_bus(self) -> bool {
                match self {
                    Role::Gateway => false,
                    $(Role::$variant => $bus,)*
                }
            }
        }
    };
}

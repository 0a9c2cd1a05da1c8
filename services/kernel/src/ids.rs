//! Identifier newtypes. Every id is a UUIDv7, so ids sort by creation time and serve as
//! pagination cursors.

/// Declares an identifier newtype over a UUID that cannot be confused with any other id type.
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            $crate::reexport::serde::Serialize, $crate::reexport::serde::Deserialize,
        )]
        #[serde(crate = "sportello_kernel::reexport::serde", transparent)]
        pub struct $name(pub $crate::reexport::uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self($crate::reexport::uuid::Uuid::now_v7())
            }

            /// The underlying UUID.
            pub fn uuid(&self) -> $crate::reexport::uuid::Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::reexport::uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        impl From<$crate::reexport::uuid::Uuid> for $name {
            fn from(id: $crate::reexport::uuid::Uuid) -> Self {
                Self(id)
            }
        }
    };
}

id_type!(
    /// An isolated customer: a consortium, a district or a single municipality.
    TenantId
);
id_type!(
    /// A global user account; roles come from memberships in tenants.
    UserId
);

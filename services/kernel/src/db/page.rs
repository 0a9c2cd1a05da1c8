//! Pages of a list: a request (`first`, `after`) and its answer, read by [`super::Tx::page`].

use serde::{Deserialize, Serialize};

use crate::Result;

/// A page request: at most `first` items after the cursor `after` (an id; ids sort by creation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Page {
    pub first: u32,
    pub after: Option<uuid::Uuid>,
}

impl Page {
    /// The page size when none is asked for.
    pub const DEFAULT: u32 = 20;
    /// The largest page served.
    pub const MAX: u32 = 100;

    pub fn size(&self) -> u32 {
        match self.first {
            0 => Self::DEFAULT,
            n => Ord::min(n, Self::MAX),
        }
    }
}

/// A page of results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
}

impl<T> Paged<T> {
    /// Converts the items, keeping the paging.
    pub fn try_map<U>(self, f: impl FnMut(T) -> Result<U>) -> Result<Paged<U>> {
        Ok(Paged {
            items: self.items.into_iter().map(f).collect::<Result<_>>()?,
            has_next_page: self.has_next_page,
        })
    }
}

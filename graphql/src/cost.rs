//! What an operation costs before it runs, and the limit on it.
//!
//! Every field costs 1 plus what it selects. A connection (`first`, default [`DEFAULT_PAGE`],
//! at most [`MAX_PAGE`]) costs what one item selects times the page size, so nested pages
//! multiply; a field that reads a person's record, which writes an audit entry, costs
//! [`AUDITED_READ`] more. The limit (`limits.complexity`, default [`DEFAULT_LIMIT`]) is checked
//! after validation and before any resolver runs, with `COMPLEXITY_LIMIT_EXCEEDED` naming the cost
//! and the limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation,
};
use async_graphql::{Response, ServerError, ValidationResult};

/// Items in a page when `first` is absent.
pub const DEFAULT_PAGE: usize = 20;
/// The largest page a connection serves.
pub const MAX_PAGE: usize = 100;
/// Extra cost of reading one person's record (an audit entry each).
pub const AUDITED_READ: usize = 20;
/// The default cost limit: the console's heaviest screen (the case page, 4,128) fits with
/// room to spare, and the cost of reading 100 cases with 100 needs and 100 encounters each
/// (about 40,000) does not.
pub const DEFAULT_LIMIT: usize = 10_000;

/// Cost of a connection field: its page size times what one item selects.
pub fn page(first: Option<i32>, child: usize) -> usize {
    let items = first.map_or(DEFAULT_PAGE, |n| {
        usize::try_from(n).unwrap_or(1).clamp(1, MAX_PAGE)
    });
    1usize.saturating_add(items.saturating_mul(child))
}

/// Cost of a list bounded by a `limit` argument.
pub fn limited(limit: Option<i32>, default: usize, child: usize) -> usize {
    let items = limit.map_or(default, |n| usize::try_from(n).unwrap_or(1).max(1));
    1usize.saturating_add(items.saturating_mul(child))
}

/// Items assumed in a list that has no page (household members, plan goals, a goal's steps).
pub const UNPAGED_LIST: usize = 10;

/// Cost of a list without a page: [`UNPAGED_LIST`] items.
pub fn list(child: usize) -> usize {
    1usize.saturating_add(UNPAGED_LIST.saturating_mul(child))
}

/// Cost of a field that reads one person's record.
pub fn audited(child: usize) -> usize {
    child.saturating_add(1 + AUDITED_READ)
}

/// What the executor learnt about one operation: whether it passed parsing and validation, and
/// its cost.
#[derive(Default)]
pub struct Phase {
    executed: AtomicBool,
    cost: AtomicUsize,
}

impl Phase {
    /// True once the operation passed parsing, validation and the cost limit.
    pub fn executed(&self) -> bool {
        self.executed.load(Ordering::Relaxed)
    }

    pub fn cost(&self) -> usize {
        self.cost.load(Ordering::Relaxed)
    }
}

/// The cost limit, and the phase marker, as an executor extension.
pub struct CostLimit {
    pub limit: usize,
}

impl ExtensionFactory for CostLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostLimitExtension { limit: self.limit })
    }
}

struct CostLimitExtension {
    limit: usize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for CostLimitExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(phase) = ctx.data_opt::<Arc<Phase>>() {
            phase.cost.store(result.complexity, Ordering::Relaxed);
        }
        if result.complexity > self.limit {
            let mut error = ServerError::new(
                format!(
                    "the operation costs {}; the limit is {} (each page multiplies what it selects by its size: ask for smaller pages)",
                    result.complexity, self.limit
                ),
                None,
            );
            let extensions = error.extensions.get_or_insert_with(Default::default);
            extensions.set("code", "COMPLEXITY_LIMIT_EXCEEDED");
            extensions.set("reason", "COMPLEXITY_LIMIT_EXCEEDED");
            return Err(vec![error]);
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(phase) = ctx.data_opt::<Arc<Phase>>() {
            phase.executed.store(true, Ordering::Relaxed);
        }
        next.run(ctx, operation_name).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_multiply_and_clamp() {
        assert_eq!(page(None, 3), 61);
        assert_eq!(page(Some(100), 3), 301);
        assert_eq!(page(Some(10_000), 3), 301);
        assert_eq!(page(Some(-5), 3), 4);
        assert_eq!(page(Some(100), usize::MAX), usize::MAX);
        assert_eq!(audited(4), 25);
        assert_eq!(limited(None, 10, 2), 21);
    }
}

/// The cost of every operation of the web console stays within the default limit.
#[cfg(test)]
mod console {
    use std::sync::Arc;

    use async_graphql::{EmptySubscription, Request, Schema};

    use super::{CostLimit, DEFAULT_LIMIT, Phase};
    use crate::schema::{Mutation, Query};

    /// The GraphQL documents of `web/src/api/operations.ts`, each with the fragments it uses.
    fn console_operations() -> Vec<(String, String)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src/api/operations.ts");
        let source = std::fs::read_to_string(path).expect("read the console's operations");
        let documents: Vec<&str> = source
            .split("graphql(`")
            .skip(1)
            .filter_map(|chunk| chunk.split('`').next())
            .collect();
        let fragments: Vec<(&str, &str)> = documents
            .iter()
            .filter_map(|d| {
                let rest = d.trim().strip_prefix("fragment ")?;
                Some((rest.split_whitespace().next()?, *d))
            })
            .collect();
        documents
            .iter()
            .filter(|d| !d.trim().starts_with("fragment "))
            .map(|d| {
                let name = d.split_whitespace().nth(1).unwrap_or("?");
                let name = name.split(['(', '{']).next().unwrap_or(name).to_owned();
                let mut doc = (*d).to_owned();
                for (fragment, text) in &fragments {
                    if doc.contains(&format!("...{fragment}")) {
                        doc.push_str(text);
                    }
                }
                (name, doc)
            })
            .collect()
    }

    #[tokio::test]
    async fn every_console_operation_fits_the_default_limit() {
        let schema = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
            .extension(CostLimit { limit: usize::MAX })
            .finish();
        let operations = console_operations();
        assert!(
            operations.len() > 40,
            "found {} operations",
            operations.len()
        );
        let mut costs = Vec::new();
        for (name, doc) in operations {
            let phase = Arc::new(Phase::default());
            let response = schema.execute(Request::new(doc).data(phase.clone())).await;
            assert!(
                phase.executed(),
                "{name} did not validate: {:?}",
                response.errors
            );
            costs.push((phase.cost(), name));
        }
        costs.sort();
        for (cost, name) in &costs {
            println!("{cost:>6}  {name}");
        }
        let (heaviest, name) = costs.last().expect("operations");
        assert!(
            *heaviest <= DEFAULT_LIMIT,
            "{name} costs {heaviest}, over the default limit {DEFAULT_LIMIT}"
        );
    }

    /// Many aliases of a page of cases, each with pages of needs and encounters.
    #[tokio::test]
    async fn nested_pages_multiply_past_the_limit() {
        let schema = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
            .extension(CostLimit {
                limit: DEFAULT_LIMIT,
            })
            .finish();
        let one = "cases(first: 100) { nodes { id needs(first: 100) { nodes { id } } encounters(first: 100) { nodes { id } } } }";
        let aliases: String = (0..30).map(|i| format!("a{i}: {one} ")).collect();
        let phase = Arc::new(Phase::default());
        let response = schema
            .execute(Request::new(format!("{{ {aliases} }}")).data(phase.clone()))
            .await;
        assert!(!phase.executed());
        let code = response.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code").cloned());
        assert_eq!(
            code,
            Some(async_graphql::Value::from("COMPLEXITY_LIMIT_EXCEEDED"))
        );
        // Even one alias of it is over the limit.
        let phase = Arc::new(Phase::default());
        schema
            .execute(Request::new(format!("{{ {one} }}")).data(phase.clone()))
            .await;
        assert!(!phase.executed());
    }
}

//! A look at an operation before it runs: its type (a GET may only query), its root fields (which
//! mutations need no CSRF token), and how many aliases it uses (an alias flood is refused).

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};

pub struct Inspection {
    pub operation_type: OperationType,
    /// The operation's name in the document, if it has one.
    pub name: Option<String>,
    pub root_fields: Vec<String>,
    /// True when the root selection uses fragments, so `root_fields` may be incomplete.
    pub root_has_fragments: bool,
    pub aliases: usize,
}

impl Inspection {
    /// A query that selects only introspection fields (`__schema`, `__type`, `__typename`) at its
    /// root: it reads the schema, never data.
    pub fn is_introspection(&self) -> bool {
        self.operation_type == OperationType::Query
            && !self.root_has_fragments
            && !self.root_fields.is_empty()
            && self.root_fields.iter().all(|f| f.starts_with("__"))
    }
}

/// Returns `None` when the document names no operation; execution then reports the precise
/// error.
pub fn inspect(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<Inspection> {
    let (operation, name) = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => (op, None),
        (DocumentOperations::Multiple(ops), Some(name)) => (ops.get(name)?, Some(name.to_owned())),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            let (name, op) = ops.iter().next()?;
            (op, Some(name.to_string()))
        }
        _ => return None,
    };
    let mut aliases = 0;
    for op in doc.operations.iter() {
        aliases += count_aliases(&op.1.node.selection_set.node);
    }
    for fragment in doc.fragments.values() {
        aliases += count_aliases(&fragment.node.selection_set.node);
    }
    let mut root_fields = Vec::new();
    let mut root_has_fragments = false;
    for item in &operation.node.selection_set.node.items {
        match &item.node {
            Selection::Field(field) => root_fields.push(field.node.name.node.to_string()),
            _ => root_has_fragments = true,
        }
    }
    Some(Inspection {
        operation_type: operation.node.ty,
        name,
        root_fields,
        root_has_fragments,
        aliases,
    })
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(inline) => count_aliases(&inline.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn inspect(query: &str, operation_name: Option<&str>) -> Option<Inspection> {
        super::inspect(&parse_query(query).ok()?, operation_name)
    }

    #[test]
    fn counts_aliases_in_operations_fragments_and_inline_fragments() {
        let q = "query Q { a: viewer { b: csrfToken } ...F } fragment F on Query { c: viewer { csrfToken } ... on Query { d: viewer { csrfToken } } }";
        let found = inspect(q, None).map(|i| (i.aliases, i.operation_type));
        assert_eq!(found, Some((4, OperationType::Query)));
    }

    #[test]
    fn picks_the_named_operation() {
        let q = "query A { viewer { csrfToken } } mutation B { logout }";
        let found = inspect(q, Some("B")).map(|i| (i.operation_type, i.root_fields));
        assert_eq!(
            found,
            Some((OperationType::Mutation, vec!["logout".to_owned()]))
        );
        assert!(inspect(q, None).is_none());
        assert!(inspect("{ broken", None).is_none());
    }
}

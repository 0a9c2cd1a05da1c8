//! Checks on an operation before the GraphQL parser and executor see it.
//!
//! - **Nesting**: the parser and the input coercion recurse once per level of `{`, `[` and `(`,
//!   so a few kilobytes of `[[[[…` would overflow a worker's stack. [`nesting`] measures the
//!   deepest nesting of a document with a linear, non-recursive scan of its text (strings, block
//!   strings and comments skipped), and [`json_nesting`] the same for JSON variables; both are
//!   refused above [`MAX_NESTING`] before anything recursive runs.
//! - **Text**: every string in the operation (literal arguments, variable defaults, variables)
//!   is refused when it holds a control character (Unicode category Cc: U+0000–U+001F,
//!   U+007F–U+009F). Tabs and line breaks (U+0009, U+000A, U+000D) are allowed only in the
//!   multi-line fields of [`MULTILINE_FIELDS`]. The error names the innermost argument or input
//!   field. PostgreSQL refuses U+0000 in text while SQLite stores it: refusing here makes both
//!   backends answer alike, before any service runs.
//! - **Integers**: the schema has no `Float` input and every integer input is a GraphQL `Int`
//!   (32-bit signed, GraphQL spec §3.5.1), so an integer outside that range, or a fraction, is
//!   refused wherever it appears, whether or not the field that takes it would run.

use async_graphql::Name;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql_value::{ConstValue, Value as GqlValue};
use serde_json::Value as Json;
use std::collections::HashMap;

/// The deepest nesting of `{`, `[` and `(` a document may have, and of arrays and objects in its
/// variables. The selection depth limit (10 by default) and the console's deepest filter object
/// stay well below it.
pub const MAX_NESTING: usize = 32;

/// Input fields and arguments holding free text over several lines, where tabs and line breaks
/// are allowed.
pub const MULTILINE_FIELDS: &[&str] = &[
    "activities",
    "address",
    "description",
    "feedback",
    "municipalityCommitments",
    "notes",
    "openingHours",
    "outcome",
    "overrideReason",
    "privateKeyPem",
    "proposerCommitments",
    "reason",
    "reopenReason",
    "text",
];

/// Why an operation was refused before it ran.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub reason: sportello_kernel::Reason,
    pub message: String,
    pub field: Option<String>,
}

impl Refusal {
    fn nesting(what: &str, depth: usize) -> Self {
        Self {
            code: "NESTING_LIMIT_EXCEEDED",
            reason: sportello_kernel::Reason::NestingLimitExceeded,
            message: format!(
                "the {what} nests {depth} levels deep or more; the limit is {MAX_NESTING}"
            ),
            field: None,
        }
    }

    fn invalid(field: &str, reason: sportello_kernel::Reason, message: &str) -> Self {
        Self {
            code: "INVALID_INPUT",
            reason,
            message: message.to_owned(),
            field: Some(field.to_owned()),
        }
    }
}

/// The deepest nesting of brackets, braces and parentheses in a GraphQL document, outside
/// strings and comments. Stops counting once `stop_at` is reached. Linear in the text, no
/// recursion.
pub fn nesting(document: &str, stop_at: usize) -> usize {
    let bytes = document.as_bytes();
    let (mut i, mut depth, mut deepest) = (0, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest >= stop_at {
                    return deepest;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The deepest nesting of arrays and objects in a JSON value, without recursion.
pub fn json_nesting(value: &Json) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Json, usize)> = vec![(value, 0)];
    while let Some((value, depth)) = stack.pop() {
        match value {
            Json::Array(items) => {
                deepest = deepest.max(depth + 1);
                stack.extend(items.iter().map(|v| (v, depth + 1)));
            }
            Json::Object(map) => {
                deepest = deepest.max(depth + 1);
                stack.extend(map.values().map(|v| (v, depth + 1)));
            }
            _ => {}
        }
    }
    deepest
}

/// Refuses a document nested deeper than [`MAX_NESTING`]; call it before parsing.
pub fn check_document_nesting(document: &str) -> Result<(), Refusal> {
    let depth = nesting(document, MAX_NESTING + 1);
    if depth > MAX_NESTING {
        return Err(Refusal::nesting("document", depth));
    }
    Ok(())
}

/// Refuses variables nested deeper than [`MAX_NESTING`].
pub fn check_variables_nesting(variables: &Json) -> Result<(), Refusal> {
    let depth = json_nesting(variables);
    // The variables object itself is one level.
    if depth > MAX_NESTING + 1 {
        return Err(Refusal::nesting("variables", depth - 1));
    }
    Ok(())
}

/// Checks every string and integer of a parsed document (arguments and variable defaults) and of
/// its variables. Variables are named after the argument or input field that takes them.
pub fn check_inputs(doc: &ExecutableDocument, variables: &Json) -> Result<(), Refusal> {
    let mut uses: HashMap<Name, String> = HashMap::new();
    for (_, op) in doc.operations.iter() {
        for var in &op.node.variable_definitions {
            if let Some(default) = &var.node.default_value {
                check_const(var.node.name.node.as_str(), &default.node)?;
            }
        }
        check_selection_set(&op.node.selection_set.node, &mut uses)?;
    }
    for fragment in doc.fragments.values() {
        check_selection_set(&fragment.node.selection_set.node, &mut uses)?;
    }
    if let Json::Object(vars) = variables {
        for (name, value) in vars {
            let field = uses
                .get(name.as_str())
                .map_or(name.as_str(), String::as_str);
            check_json(field, value)?;
        }
    }
    Ok(())
}

fn check_selection_set(
    set: &SelectionSet,
    uses: &mut HashMap<Name, String>,
) -> Result<(), Refusal> {
    // Iterative: nesting is already bounded, but the walk need not rely on it.
    let mut stack: Vec<&SelectionSet> = vec![set];
    while let Some(set) = stack.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        check_value(name.node.as_str(), &value.node, uses)?;
                    }
                    for directive in &field.node.directives {
                        for (name, value) in &directive.node.arguments {
                            check_value(name.node.as_str(), &value.node, uses)?;
                        }
                    }
                    stack.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => stack.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    Ok(())
}

fn check_value(
    field: &str,
    value: &GqlValue,
    uses: &mut HashMap<Name, String>,
) -> Result<(), Refusal> {
    let mut stack: Vec<(&str, &GqlValue)> = vec![(field, value)];
    while let Some((field, value)) = stack.pop() {
        match value {
            GqlValue::Variable(name) => {
                uses.entry(name.clone()).or_insert_with(|| field.to_owned());
            }
            GqlValue::String(text) => check_text(field, text)?,
            GqlValue::Number(n) => check_number(field, n)?,
            GqlValue::List(items) => stack.extend(items.iter().map(|v| (field, v))),
            GqlValue::Object(map) => stack.extend(map.iter().map(|(k, v)| (k.as_str(), v))),
            GqlValue::Null | GqlValue::Boolean(_) | GqlValue::Binary(_) | GqlValue::Enum(_) => {}
        }
    }
    Ok(())
}

fn check_const(field: &str, value: &ConstValue) -> Result<(), Refusal> {
    let mut stack: Vec<(&str, &ConstValue)> = vec![(field, value)];
    while let Some((field, value)) = stack.pop() {
        match value {
            ConstValue::String(text) => check_text(field, text)?,
            ConstValue::Number(n) => check_number(field, n)?,
            ConstValue::List(items) => stack.extend(items.iter().map(|v| (field, v))),
            ConstValue::Object(map) => stack.extend(map.iter().map(|(k, v)| (k.as_str(), v))),
            ConstValue::Null
            | ConstValue::Boolean(_)
            | ConstValue::Binary(_)
            | ConstValue::Enum(_) => {}
        }
    }
    Ok(())
}

fn check_json(field: &str, value: &Json) -> Result<(), Refusal> {
    let mut stack: Vec<(&str, &Json)> = vec![(field, value)];
    while let Some((field, value)) = stack.pop() {
        match value {
            Json::String(text) => check_text(field, text)?,
            Json::Number(n) => check_number(field, n)?,
            Json::Array(items) => stack.extend(items.iter().map(|v| (field, v))),
            Json::Object(map) => stack.extend(map.iter().map(|(k, v)| (k.as_str(), v))),
            Json::Null | Json::Bool(_) => {}
        }
    }
    Ok(())
}

/// Refuses control characters; tabs and line breaks only in multi-line fields.
pub fn check_text(field: &str, text: &str) -> Result<(), Refusal> {
    let multiline = MULTILINE_FIELDS.contains(&field);
    let allowed = |c: char| multiline && matches!(c, '\t' | '\n' | '\r');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        let message = if multiline {
            "must not contain control characters other than tabs and line breaks"
        } else {
            "must not contain control characters, tabs or line breaks"
        };
        return Err(Refusal::invalid(
            field,
            sportello_kernel::Reason::ControlCharacters,
            message,
        ));
    }
    Ok(())
}

fn check_number(field: &str, n: &serde_json::Number) -> Result<(), Refusal> {
    let fits = n.as_i64().is_some_and(|i| i32::try_from(i).is_ok());
    if !fits {
        return Err(Refusal::invalid(
            field,
            sportello_kernel::Reason::OutOfRange {
                min: i64::from(i32::MIN),
                max: i64::from(i32::MAX),
            },
            "must be a whole number between -2147483648 and 2147483647",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;
    use serde_json::json;

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting("{ a(x: [[1]]) { b } }", 100), 4);
        assert_eq!(nesting("{ a { b { c(x: {y: [1]}) } } }", 100), 6);
        assert_eq!(nesting("{ a(x: \"[[[[{{{{\") }", 100), 2);
        assert_eq!(nesting("{ a(x: \"\"\"[[[\\\"\"\"[[\"\"\") }", 100), 2);
        assert_eq!(nesting("# [[[[[[\n{ a }", 100), 1);
        assert_eq!(nesting("{ a(x: \"\\\"[[[\") }", 100), 2);
        let deep = format!(
            "{{ __typename(x: {}0{}) }}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(nesting(&deep, MAX_NESTING + 1), MAX_NESTING + 1);
        assert!(check_document_nesting(&deep).is_err());
        let fine = format!("{{ a(x: {}0{}) }}", "[".repeat(30), "]".repeat(30));
        assert!(check_document_nesting(&fine).is_ok());
    }

    #[test]
    fn json_nesting_is_measured_without_recursion() {
        assert_eq!(json_nesting(&json!({"a": [1, {"b": []}]})), 4);
        // serde_json refuses to read JSON deeper than 128 levels; built values can be deeper.
        let mut deep = json!(0);
        for _ in 0..1_000 {
            deep = json!([deep]);
        }
        assert_eq!(json_nesting(&deep), 1_000);
        assert!(check_variables_nesting(&json!({ "v": deep })).is_err());
        assert!(check_variables_nesting(&json!({"a": {"b": [1]}})).is_ok());
    }

    fn check(query: &str, variables: Json) -> Result<(), Refusal> {
        let doc = parse_query(query).expect("parses");
        check_inputs(&doc, &variables)
    }

    #[test]
    fn control_characters_are_refused_naming_the_field() {
        let err = check(
            "{ persons(territoryCode: \"05\\u00002\") { nodes { id } } }",
            json!({}),
        )
        .expect_err("NUL refused");
        assert_eq!(err.field.as_deref(), Some("territoryCode"));
        assert_eq!(err.code, "INVALID_INPUT");
        let err = check(
            "mutation M($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({"i": {"givenNames": "A\u{7}"}}),
        )
        .expect_err("BEL refused");
        assert_eq!(err.field.as_deref(), Some("givenNames"));
        let err = check(
            "mutation M($t: String!) { addGoal(title: $t) { id } }",
            json!({"t": "line\nbreak"}),
        )
        .expect_err("line break refused in a one-line field");
        assert_eq!(err.field.as_deref(), Some("title"));
        assert!(
            check(
                "mutation M($n: String) { addEncounter(input: {notes: $n}) { id } }",
                json!({"n": "first line\n\tsecond line\r\n"}),
            )
            .is_ok()
        );
        let err = check(
            "mutation { addEncounter(input: {notes: \"a\\u0000b\"}) { id } }",
            json!({}),
        )
        .expect_err("NUL refused in notes too");
        assert_eq!(err.field.as_deref(), Some("notes"));
        let err = check("query Q($x: String = \"\\u001b\") { a(x: $x) }", json!({}))
            .expect_err("default values are checked");
        assert_eq!(err.field.as_deref(), Some("x"));
        let err = check("{ a(x: [{y: \"\u{85}\"}]) }", json!({})).expect_err("C1 refused");
        assert_eq!(err.field.as_deref(), Some("y"));
        // Joiners and bidirectional marks are letters' companions, not control characters.
        assert!(check("{ a(x: \"ذبیح\u{200c}الله \u{200f}\") }", json!({})).is_ok());
    }

    #[test]
    fn integers_outside_int_are_refused_wherever_they_are() {
        let err = check("{ a { b(first: 2147483648) } }", json!({})).expect_err("overflow");
        assert_eq!(err.field.as_deref(), Some("first"));
        assert!(check("{ a { b(first: -2147483648) } }", json!({})).is_ok());
        let err = check("query Q($n: Int) { a(first: $n) }", json!({"n": 1e10}))
            .expect_err("overflowing variable");
        assert_eq!(err.field.as_deref(), Some("first"));
        assert!(check("query Q($n: Int) { a(first: $n) }", json!({"n": 7})).is_ok());
    }

    /// The integer rule above holds only while no input takes a `Float`.
    #[test]
    fn no_input_of_the_schema_takes_a_float() {
        use async_graphql::parser::parse_schema;
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        let sdl = crate::sdl();
        let doc = parse_schema(&sdl).expect("the SDL parses");
        let floats = |ty: &str| ty.trim_matches(|c| c == '[' || c == ']' || c == '!') == "Float";
        for def in &doc.definitions {
            let TypeSystemDefinition::Type(ty) = def else {
                continue;
            };
            let name = ty.node.name.node.as_str();
            match &ty.node.kind {
                TypeKind::InputObject(input) => {
                    for f in &input.fields {
                        let t = f.node.ty.node.to_string();
                        assert!(
                            !floats(&t),
                            "{name}.{} takes a Float: update guard.rs",
                            f.node.name.node
                        );
                    }
                }
                TypeKind::Object(object) => {
                    for f in &object.fields {
                        for a in &f.node.arguments {
                            let t = a.node.ty.node.to_string();
                            assert!(
                                !floats(&t),
                                "{name}.{}({}) takes a Float: update guard.rs",
                                f.node.name.node,
                                a.node.name.node
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

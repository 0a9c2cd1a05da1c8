//! Parsed documents kept by their text, so that the operations a console sends again and again
//! are parsed once per process rather than once per request (the parser took about 5% of the
//! server's CPU per case read, docs/benchmarks.md).
//!
//! Only documents that passed the nesting guard and parsed are kept; a document is a pure
//! function of its text, so whoever sent it first, every sender gets the same parse. The cache
//! holds at most [`CAPACITY`] documents of at most [`MAX_TEXT`] bytes each, and is emptied when
//! full: a client sending ever-new documents costs itself parsing, never memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

/// Documents kept at most.
pub const CAPACITY: usize = 512;
/// The longest document text kept, in bytes.
pub const MAX_TEXT: usize = 16 * 1024;

#[derive(Default)]
pub struct Documents {
    parsed: Mutex<HashMap<Arc<str>, Arc<ExecutableDocument>>>,
}

impl Documents {
    /// The document parsed from exactly this text, if kept.
    pub fn get(&self, text: &str) -> Option<Arc<ExecutableDocument>> {
        let parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        parsed.get(text).cloned()
    }

    /// Keeps the document parsed from `text`.
    pub fn keep(&self, text: &str, document: &ExecutableDocument) {
        if text.len() > MAX_TEXT {
            return;
        }
        let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if parsed.len() >= CAPACITY {
            parsed.clear();
        }
        parsed.insert(Arc::from(text), Arc::new(document.clone()));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.parsed.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    #[test]
    fn a_kept_document_is_the_parse_of_exactly_its_text() {
        let documents = Documents::default();
        let text = "{ a b { c } }";
        let doc = parse_query(text).expect("parse");
        documents.keep(text, &doc);
        let kept = documents.get(text).expect("kept");
        assert_eq!(
            format!("{:?}", kept.operations),
            format!("{:?}", doc.operations)
        );
        assert!(
            documents.get("{ a b { c } } ").is_none(),
            "another text is another document"
        );
        assert!(documents.get("{ a }").is_none());
    }

    #[test]
    fn it_never_holds_more_than_its_capacity_nor_long_texts() {
        let documents = Documents::default();
        for i in 0..(CAPACITY + 10) {
            let text = format!("{{ f{i} }}");
            documents.keep(&text, &parse_query(&text).expect("parse"));
            assert!(documents.len() <= CAPACITY);
        }
        let long = format!("{{ {} }}", "x ".repeat(MAX_TEXT));
        documents.keep(&long, &parse_query(&long).expect("parse"));
        assert!(documents.get(&long).is_none());
    }
}

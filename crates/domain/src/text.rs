//! Reading strings written by any client.
//!
//! The Rust side writes plain strings (last writer wins per field). The JS
//! automerge-repo client writes collaborative text objects for the same fields by
//! default. Both must read back as the same `String`, so string fields of the
//! documents are hydrated with [`string`].

use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc};

struct TextOrStr(String);

impl Hydrate for TextOrStr {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Ok(Self(s.to_owned()))
    }

    fn hydrate_text<D: ReadDoc>(doc: &D, obj: &automerge::ObjId) -> Result<Self, HydrateError> {
        Ok(Self(doc.text(obj)?))
    }
}

/// Hydrates a string field stored either as a string or as a text object.
pub fn string<D: ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: Prop<'_>,
) -> Result<String, HydrateError> {
    TextOrStr::hydrate(doc, obj, prop).map(|t| t.0)
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ObjType, ROOT};

    #[test]
    fn a_title_written_as_text_reads_like_one_written_as_a_string() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "plain", "Sweep").unwrap();
        let text = doc.put_object(ROOT, "rich", ObjType::Text).unwrap();
        doc.splice_text(&text, 0, 0, "Sweep").unwrap();
        let plain = super::string(&doc, &ROOT, "plain".into()).unwrap();
        let rich = super::string(&doc, &ROOT, "rich".into()).unwrap();
        assert_eq!(plain, rich);
        assert!(super::string(&doc, &ROOT, "missing".into()).is_err());
    }
}

/// How long the text people type may be. Commands refuse longer text with a message
/// that says the limit, so a pasted essay never becomes a title that pushes a phone's
/// buttons off the screen or a document every device has to load.
pub mod limits {
    use crate::DomainError;
    use crate::problem::{Invalid, Noun};

    /// A task's, plan's or meeting's title.
    pub const TITLE: usize = 200;
    /// A task's description.
    pub const DESCRIPTION: usize = 4_000;
    /// A comment on a task.
    pub const COMMENT: usize = 2_000;
    /// One checklist item.
    pub const CHECKLIST_ITEM: usize = 200;
    /// Checklist items on one task.
    pub const CHECKLIST_ITEMS: usize = 50;

    /// `text` at most `max` characters long, else an error naming `what`.
    pub fn at_most(what: Noun, text: &str, max: usize) -> Result<&str, DomainError> {
        let got = text.chars().count();
        if got > max {
            return Err(Invalid::TooLong { what, max, got }.into());
        }
        Ok(text)
    }
}

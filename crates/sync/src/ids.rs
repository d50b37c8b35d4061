//! Identifiers on the wire: document ids in automerge-repo's form, peer ids, connection ids.

use std::fmt;
use std::str::FromStr;

/// A document id: 16 random bytes, written as automerge-repo writes them
/// (base58check, optionally behind the `automerge:` URL prefix).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

/// Why a string is not a document id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentIdError {
    #[error("document id {0:?} is not base58check text")]
    NotBase58Check(String),
    #[error("document id {0:?} decodes to {1} bytes; a document id is 16 bytes")]
    WrongLength(String, usize),
}

impl DocumentId {
    /// Makes an id from 16 bytes the caller drew at random.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The raw 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:...` URL a JS automerge-repo client uses for this document.
    pub fn url(&self) -> String {
        format!("automerge:{self}")
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = DocumentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.strip_prefix("automerge:").unwrap_or(s);
        let bytes = bs58::decode(text)
            .with_check(None)
            .into_vec()
            .map_err(|_| DocumentIdError::NotBase58Check(s.to_owned()))?;
        let array: [u8; 16] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| DocumentIdError::WrongLength(s.to_owned(), bytes.len()))?;
        Ok(Self(array))
    }
}

/// A peer's id as announced in `join`/`peer` messages.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(String);

impl PeerId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeerId({})", self.0)
    }
}

/// A shell's handle for one transport connection (a WebSocket, a simulated link).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ConnId(pub u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "conn#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_id_round_trips_through_its_text_form() {
        let id = DocumentId::from_bytes([7; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>(), Ok(id));
        assert_eq!(id.url().parse::<DocumentId>(), Ok(id));
    }

    #[test]
    fn document_id_with_a_bad_checksum_is_refused() {
        let mut text = DocumentId::from_bytes([1; 16]).to_string();
        let last = text.pop().map(|c| if c == '2' { '3' } else { '2' });
        text.extend(last);
        assert!(matches!(
            text.parse::<DocumentId>(),
            Err(DocumentIdError::NotBase58Check(_))
        ));
    }

    #[test]
    fn document_id_of_the_wrong_length_is_refused() {
        let text = bs58::encode([1u8; 8]).with_check().into_string();
        assert!(matches!(
            text.parse::<DocumentId>(),
            Err(DocumentIdError::WrongLength(_, 8))
        ));
        assert!("".parse::<DocumentId>().is_err());
        assert!("not base58 0OIl".parse::<DocumentId>().is_err());
    }
}

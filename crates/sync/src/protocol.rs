//! The automerge-repo WebSocket protocol, version "1": one CBOR map per frame.
//!
//! ```
//! use storeops_sync::protocol::{Message, PeerMetadata};
//! use storeops_sync::PeerId;
//!
//! let join = Message::Join {
//!     sender_id: PeerId::new("phone-1"),
//!     supported_protocol_versions: vec!["1".into()],
//!     metadata: PeerMetadata::default(),
//! };
//! let bytes = join.encode();
//! assert_eq!(Message::decode(&bytes).unwrap(), join);
//! assert!(Message::decode(&[0xff, 0x00]).is_err());
//! ```

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use crate::ids::{DocumentId, DocumentIdError, PeerId};

/// The protocol version this engine speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// Metadata a peer announces about itself in `join` and `peer`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    /// Identifies the peer's storage across connections; the key under which
    /// its sync state is persisted. Ephemeral peers have none.
    pub storage_id: Option<String>,
    pub is_ephemeral: bool,
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Join {
        sender_id: PeerId,
        supported_protocol_versions: Vec<String>,
        metadata: PeerMetadata,
    },
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        selected_protocol_version: String,
        metadata: PeerMetadata,
    },
    Leave {
        sender_id: PeerId,
    },
    Error {
        sender_id: Option<PeerId>,
        target_id: Option<PeerId>,
        message: String,
    },
    /// Like `sync`, from a peer that does not have the document yet.
    Request {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    Sync {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        count: u64,
        session_id: String,
        data: Vec<u8>,
    },
    /// A message type automerge-repo defines that this engine does not act on
    /// (`remote-subscription-change`, `remote-heads-changed`): tolerated, ignored.
    Ignored {
        kind: String,
    },
}

/// Why a frame is not a protocol message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("frame is not valid CBOR: {0}")]
    Cbor(String),
    #[error("frame is not a CBOR map")]
    NotAMap,
    #[error("message has no `type` field")]
    MissingType,
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    #[error("`{kind}` message lacks the `{field}` field")]
    MissingField {
        kind: &'static str,
        field: &'static str,
    },
    #[error("field `{0}` has the wrong CBOR type")]
    WrongFieldType(&'static str),
    #[error(transparent)]
    DocumentId(#[from] DocumentIdError),
}

impl From<minicbor::decode::Error> for DecodeError {
    fn from(e: minicbor::decode::Error) -> Self {
        Self::Cbor(e.to_string())
    }
}

/// Message types of automerge-repo that are tolerated and ignored.
const IGNORED_TYPES: &[&str] = &["remote-subscription-change", "remote-heads-changed"];

/// At most this many protocol versions are read from a `join`.
const MAX_VERSIONS: u64 = 16;

#[derive(Default)]
struct Fields<'a> {
    kind: Option<&'a str>,
    sender_id: Option<&'a str>,
    target_id: Option<&'a str>,
    document_id: Option<&'a str>,
    data: Option<&'a [u8]>,
    versions: Option<Vec<String>>,
    selected_version: Option<&'a str>,
    metadata: Option<PeerMetadata>,
    message: Option<&'a str>,
    count: Option<u64>,
    session_id: Option<&'a str>,
}

/// Iterates the entries of a definite or indefinite map, calling `entry` with the
/// decoder positioned at each value.
fn for_each_entry<'b>(
    d: &mut Decoder<'b>,
    mut entry: impl FnMut(&'b str, &mut Decoder<'b>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let len = d.map()?;
    let mut seen = 0u64;
    loop {
        match len {
            Some(n) if seen == n => return Ok(()),
            None if d.datatype()? == Type::Break => {
                d.set_position(d.position() + 1);
                return Ok(());
            }
            _ => {}
        }
        if d.datatype()? == Type::String {
            let key = d.str()?;
            entry(key, d)?;
        } else {
            d.skip()?;
            d.skip()?;
        }
        seen += 1;
    }
}

fn text<'b>(d: &mut Decoder<'b>, field: &'static str) -> Result<&'b str, DecodeError> {
    match d.datatype()? {
        Type::String => Ok(d.str()?),
        _ => Err(DecodeError::WrongFieldType(field)),
    }
}

fn bytes<'b>(d: &mut Decoder<'b>, field: &'static str) -> Result<&'b [u8], DecodeError> {
    if d.datatype()? == Type::Tag {
        // Some encoders tag typed arrays (tag 64, uint8 array); the payload is the same.
        d.tag()?;
    }
    match d.datatype()? {
        Type::Bytes => Ok(d.bytes()?),
        _ => Err(DecodeError::WrongFieldType(field)),
    }
}

fn metadata(d: &mut Decoder<'_>) -> Result<PeerMetadata, DecodeError> {
    if !matches!(d.datatype()?, Type::Map | Type::MapIndef) {
        d.skip()?;
        return Ok(PeerMetadata::default());
    }
    let mut meta = PeerMetadata::default();
    for_each_entry(d, |key, d| {
        match (key, d.datatype()?) {
            ("storageId", Type::String) => meta.storage_id = Some(d.str()?.to_owned()),
            ("isEphemeral", Type::Bool) => meta.is_ephemeral = d.bool()?,
            _ => d.skip()?,
        }
        Ok(())
    })?;
    Ok(meta)
}

fn versions(d: &mut Decoder<'_>) -> Result<Vec<String>, DecodeError> {
    let wrong = DecodeError::WrongFieldType("supportedProtocolVersions");
    if d.datatype()? != Type::Array {
        return Err(wrong);
    }
    let Some(len) = d.array()? else {
        return Err(wrong);
    };
    let mut out = Vec::new();
    for i in 0..len {
        let v = text(d, "supportedProtocolVersions")?;
        if i < MAX_VERSIONS {
            out.push(v.to_owned());
        }
    }
    Ok(out)
}

impl Message {
    /// Decodes one frame. Never panics; every malformed input is an error.
    pub fn decode(frame: &[u8]) -> Result<Self, DecodeError> {
        let mut d = Decoder::new(frame);
        if !matches!(d.datatype()?, Type::Map | Type::MapIndef) {
            return Err(DecodeError::NotAMap);
        }
        let mut f = Fields::default();
        for_each_entry(&mut d, |key, d| {
            match key {
                "type" => f.kind = Some(text(d, "type")?),
                "senderId" => f.sender_id = Some(text(d, "senderId")?),
                "targetId" => f.target_id = Some(text(d, "targetId")?),
                "documentId" => f.document_id = Some(text(d, "documentId")?),
                "data" => f.data = Some(bytes(d, "data")?),
                "supportedProtocolVersions" => f.versions = Some(versions(d)?),
                "selectedProtocolVersion" => {
                    f.selected_version = Some(text(d, "selectedProtocolVersion")?)
                }
                "peerMetadata" => f.metadata = Some(metadata(d)?),
                "message" => f.message = Some(text(d, "message")?),
                "count" => match d.datatype()? {
                    Type::U8 | Type::U16 | Type::U32 | Type::U64 => f.count = Some(d.u64()?),
                    _ => return Err(DecodeError::WrongFieldType("count")),
                },
                "sessionId" => f.session_id = Some(text(d, "sessionId")?),
                _ => d.skip()?,
            }
            Ok(())
        })?;
        Self::from_fields(f)
    }

    fn from_fields(f: Fields<'_>) -> Result<Self, DecodeError> {
        let kind = f.kind.ok_or(DecodeError::MissingType)?;
        fn need<T>(
            v: Option<T>,
            kind: &'static str,
            field: &'static str,
        ) -> Result<T, DecodeError> {
            v.ok_or(DecodeError::MissingField { kind, field })
        }
        let peer = |v: Option<&str>, kind, field| need(v, kind, field).map(PeerId::new);
        let doc = |v: Option<&str>, kind| -> Result<DocumentId, DecodeError> {
            Ok(need(v, kind, "documentId")?.parse()?)
        };
        Ok(match kind {
            "join" => Message::Join {
                sender_id: peer(f.sender_id, "join", "senderId")?,
                supported_protocol_versions: need(f.versions, "join", "supportedProtocolVersions")?,
                metadata: f.metadata.unwrap_or_default(),
            },
            "peer" => Message::Peer {
                sender_id: peer(f.sender_id, "peer", "senderId")?,
                target_id: peer(f.target_id, "peer", "targetId")?,
                selected_protocol_version: need(
                    f.selected_version,
                    "peer",
                    "selectedProtocolVersion",
                )?
                .to_owned(),
                metadata: f.metadata.unwrap_or_default(),
            },
            "leave" => Message::Leave {
                sender_id: peer(f.sender_id, "leave", "senderId")?,
            },
            "error" => Message::Error {
                sender_id: f.sender_id.map(PeerId::new),
                target_id: f.target_id.map(PeerId::new),
                message: f.message.unwrap_or_default().to_owned(),
            },
            "request" => Message::Request {
                sender_id: peer(f.sender_id, "request", "senderId")?,
                target_id: peer(f.target_id, "request", "targetId")?,
                document_id: doc(f.document_id, "request")?,
                data: need(f.data, "request", "data")?.to_vec(),
            },
            "sync" => Message::Sync {
                sender_id: peer(f.sender_id, "sync", "senderId")?,
                target_id: peer(f.target_id, "sync", "targetId")?,
                document_id: doc(f.document_id, "sync")?,
                data: need(f.data, "sync", "data")?.to_vec(),
            },
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: peer(f.sender_id, "doc-unavailable", "senderId")?,
                target_id: peer(f.target_id, "doc-unavailable", "targetId")?,
                document_id: doc(f.document_id, "doc-unavailable")?,
            },
            "ephemeral" => Message::Ephemeral {
                sender_id: peer(f.sender_id, "ephemeral", "senderId")?,
                target_id: peer(f.target_id, "ephemeral", "targetId")?,
                document_id: doc(f.document_id, "ephemeral")?,
                count: f.count.unwrap_or_default(),
                session_id: f.session_id.unwrap_or_default().to_owned(),
                data: need(f.data, "ephemeral", "data")?.to_vec(),
            },
            other if IGNORED_TYPES.contains(&other) => Message::Ignored {
                kind: other.to_owned(),
            },
            other => return Err(DecodeError::UnknownType(other.chars().take(64).collect())),
        })
    }

    /// Encodes the message as automerge-repo does: a CBOR map with string keys,
    /// binary payloads as byte strings.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        // Writing into a Vec cannot fail.
        let _ = self.encode_into(&mut e);
        e.into_writer()
    }

    fn encode_into(
        &self,
        e: &mut Encoder<Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<core::convert::Infallible>> {
        fn meta(
            e: &mut Encoder<Vec<u8>>,
            m: &PeerMetadata,
        ) -> Result<(), minicbor::encode::Error<core::convert::Infallible>> {
            e.str("peerMetadata")?;
            e.map(if m.storage_id.is_some() { 2 } else { 1 })?;
            if let Some(id) = &m.storage_id {
                e.str("storageId")?.str(id)?;
            }
            e.str("isEphemeral")?.bool(m.is_ephemeral)?;
            Ok(())
        }
        match self {
            Message::Join {
                sender_id,
                supported_protocol_versions,
                metadata,
            } => {
                e.map(4)?;
                e.str("type")?.str("join")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("supportedProtocolVersions")?
                    .array(supported_protocol_versions.len() as u64)?;
                for v in supported_protocol_versions {
                    e.str(v)?;
                }
                meta(e, metadata)?;
            }
            Message::Peer {
                sender_id,
                target_id,
                selected_protocol_version,
                metadata,
            } => {
                e.map(5)?;
                e.str("type")?.str("peer")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("selectedProtocolVersion")?
                    .str(selected_protocol_version)?;
                meta(e, metadata)?;
            }
            Message::Leave { sender_id } => {
                e.map(2)?;
                e.str("type")?.str("leave")?;
                e.str("senderId")?.str(sender_id.as_str())?;
            }
            Message::Error {
                sender_id,
                target_id,
                message,
            } => {
                let n = 2 + u64::from(sender_id.is_some()) + u64::from(target_id.is_some());
                e.map(n)?;
                e.str("type")?.str("error")?;
                if let Some(s) = sender_id {
                    e.str("senderId")?.str(s.as_str())?;
                }
                if let Some(t) = target_id {
                    e.str("targetId")?.str(t.as_str())?;
                }
                e.str("message")?.str(message)?;
            }
            Message::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
            | Message::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            } => {
                let kind = if matches!(self, Message::Request { .. }) {
                    "request"
                } else {
                    "sync"
                };
                e.map(5)?;
                e.str("type")?.str(kind)?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("data")?.bytes(data)?;
            }
            Message::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            } => {
                e.map(4)?;
                e.str("type")?.str("doc-unavailable")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
            }
            Message::Ephemeral {
                sender_id,
                target_id,
                document_id,
                count,
                session_id,
                data,
            } => {
                e.map(7)?;
                e.str("type")?.str("ephemeral")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("count")?.u64(*count)?;
                e.str("sessionId")?.str(session_id)?;
                e.str("data")?.bytes(data)?;
            }
            Message::Ignored { kind } => {
                e.map(1)?;
                e.str("type")?.str(kind)?;
            }
        }
        Ok(())
    }

    /// The message's `type` as written on the wire.
    pub fn kind(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Leave { .. } => "leave",
            Message::Error { .. } => "error",
            Message::Request { .. } => "request",
            Message::Sync { .. } => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::Ignored { kind } => kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentId {
        DocumentId::from_bytes(*b"0123456789abcdef")
    }

    fn every_message() -> Vec<Message> {
        let (a, b) = (PeerId::new("a"), PeerId::new("b"));
        vec![
            Message::Join {
                sender_id: a.clone(),
                supported_protocol_versions: vec!["1".into()],
                metadata: PeerMetadata {
                    storage_id: Some("s1".into()),
                    is_ephemeral: false,
                },
            },
            Message::Peer {
                sender_id: b.clone(),
                target_id: a.clone(),
                selected_protocol_version: "1".into(),
                metadata: PeerMetadata::default(),
            },
            Message::Leave {
                sender_id: a.clone(),
            },
            Message::Error {
                sender_id: Some(b.clone()),
                target_id: None,
                message: "nope".into(),
            },
            Message::Request {
                sender_id: a.clone(),
                target_id: b.clone(),
                document_id: doc(),
                data: vec![1, 2, 3],
            },
            Message::Sync {
                sender_id: a.clone(),
                target_id: b.clone(),
                document_id: doc(),
                data: vec![],
            },
            Message::DocUnavailable {
                sender_id: b.clone(),
                target_id: a.clone(),
                document_id: doc(),
            },
            Message::Ephemeral {
                sender_id: a,
                target_id: b,
                document_id: doc(),
                count: 3,
                session_id: "x".into(),
                data: vec![9],
            },
            Message::Ignored {
                kind: "remote-heads-changed".into(),
            },
        ]
    }

    #[test]
    fn every_message_round_trips() {
        for m in every_message() {
            assert_eq!(Message::decode(&m.encode()), Ok(m));
        }
    }

    #[test]
    fn every_truncation_of_every_message_is_an_error_not_a_panic() {
        for m in every_message() {
            let bytes = m.encode();
            for cut in 0..bytes.len() {
                assert!(
                    Message::decode(&bytes[..cut]).is_err(),
                    "{m:?} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A small deterministic generator; the fuzz targets go much further.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..2000usize {
            let frame: Vec<u8> = (0..len % 97)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = Message::decode(&frame);
        }
    }

    #[test]
    fn a_frame_that_is_not_a_map_is_refused() {
        let mut e = Encoder::new(Vec::new());
        e.array(1).unwrap().str("join").unwrap();
        assert_eq!(Message::decode(e.writer()), Err(DecodeError::NotAMap));
    }

    #[test]
    fn an_unknown_type_is_refused_by_name() {
        let mut e = Encoder::new(Vec::new());
        e.map(1)
            .unwrap()
            .str("type")
            .unwrap()
            .str("teleport")
            .unwrap();
        assert_eq!(
            Message::decode(e.writer()),
            Err(DecodeError::UnknownType("teleport".into()))
        );
    }

    #[test]
    fn a_sync_without_a_document_id_names_the_missing_field() {
        let mut e = Encoder::new(Vec::new());
        e.map(4).unwrap();
        e.str("type").unwrap().str("sync").unwrap();
        e.str("senderId").unwrap().str("a").unwrap();
        e.str("targetId").unwrap().str("b").unwrap();
        e.str("data").unwrap().bytes(&[]).unwrap();
        assert_eq!(
            Message::decode(e.writer()),
            Err(DecodeError::MissingField {
                kind: "sync",
                field: "documentId"
            })
        );
    }

    #[test]
    fn a_bad_document_id_is_refused() {
        let mut e = Encoder::new(Vec::new());
        e.map(5).unwrap();
        e.str("type").unwrap().str("sync").unwrap();
        e.str("senderId").unwrap().str("a").unwrap();
        e.str("targetId").unwrap().str("b").unwrap();
        e.str("documentId").unwrap().str("xyz").unwrap();
        e.str("data").unwrap().bytes(&[]).unwrap();
        assert!(matches!(
            Message::decode(e.writer()),
            Err(DecodeError::DocumentId(_))
        ));
    }

    #[test]
    fn indefinite_maps_and_tagged_bytes_from_other_encoders_are_read() {
        let mut e = Encoder::new(Vec::new());
        e.begin_map().unwrap();
        e.str("type").unwrap().str("sync").unwrap();
        e.str("senderId").unwrap().str("a").unwrap();
        e.str("targetId").unwrap().str("b").unwrap();
        e.str("documentId")
            .unwrap()
            .str(&doc().to_string())
            .unwrap();
        e.str("extra")
            .unwrap()
            .array(2)
            .unwrap()
            .u8(1)
            .unwrap()
            .u8(2)
            .unwrap();
        e.str("data").unwrap();
        e.tag(minicbor::data::Tag::new(64))
            .unwrap()
            .bytes(&[5, 6])
            .unwrap();
        e.end().unwrap();
        assert_eq!(
            Message::decode(e.writer()),
            Ok(Message::Sync {
                sender_id: PeerId::new("a"),
                target_id: PeerId::new("b"),
                document_id: doc(),
                data: vec![5, 6]
            })
        );
    }
}

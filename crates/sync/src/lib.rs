//! Sans-IO sync engine for Storeops, speaking the automerge-repo WebSocket
//! protocol (version "1") so JS `@automerge/automerge-repo` clients interoperate.
//!
//! Concepts:
//! - [`protocol::Message`]: the CBOR wire messages (`join`, `peer`, `request`,
//!   `sync`, `doc-unavailable`, `ephemeral`, `error`), decoded without panics.
//! - [`Engine`]: documents in memory, per (document, peer) automerge sync state,
//!   access control per connection ([`Access`] against each document's [`DocMeta`]).
//!   It takes inputs (`connected`, `received`, `loaded`, `change`, `tick`) with the
//!   current time and yields [`Output`]s: frames to send, storage writes, loads.
//!   The shell — the relay or the app — performs them in order.
//!
//! ```
//! use storeops_sync::{Access, ConnId, Engine, Config, Output, PeerId, Role};
//!
//! let mut relay = Engine::new(PeerId::new("relay"), Some("relay-store".into()), Role::Relay, Config::default());
//! let mut phone = Engine::new(PeerId::new("phone"), Some("phone-store".into()), Role::Client, Config::default());
//! relay.connected(ConnId(1), Access::full());
//! phone.connected(ConnId(1), Access::full());
//! // The phone says `join`; the relay answers `peer`.
//! let Some(Output::Send { frame, .. }) = phone.poll_output() else { panic!() };
//! relay.received(ConnId(1), &frame, 0);
//! assert!(matches!(relay.poll_output(), Some(Output::Send { .. })));
//! assert!(relay.is_ready(ConnId(1)));
//! ```

pub mod chunks;
pub mod engine;
pub mod ids;
pub mod packed_state;
pub mod protocol;
pub mod sync_steps;

pub use engine::{
    Access, ChangeError, Config, DocMeta, Engine, Limits, Millis, Output, Principal, Read, Refused,
    Rejection, Role, StorageOp, StoredDoc, Validator, Write, load_chunks,
};
pub use ids::{ConnId, DocumentId, DocumentIdError, PeerId};
pub use sync_steps::{generate_sync_message, receive_sync_message, save_whole};

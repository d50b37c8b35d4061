//! The server side of WebSocket framing (RFC 6455), sans-IO.
//!
//! A [`Decoder`] takes the bytes a connection reads and yields whole messages;
//! [`encode`] and [`encode_close`] write server frames. Nothing here touches a
//! socket, and a decoder that has handed out everything it was given holds no
//! buffer at all, so an idle connection costs a few words.
//!
//! A client frame must be masked, carry no extension bits and use a known
//! opcode; a control frame is short and whole; a data message may arrive in
//! fragments, and the whole message must fit under the decoder's limit.
//! Anything else is a [`FrameError`] naming the close code to answer with,
//! after which the connection must be closed: the decoder does not resume.

/// The `Sec-WebSocket-Accept` value answering a client's `Sec-WebSocket-Key`
/// (RFC 6455 §4.2.2).
pub fn accept_key(client_key: &str) -> String {
    use base64::Engine as _;
    use sha1::Digest as _;
    let mut sha = sha1::Sha1::new();
    sha.update(client_key.trim().as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(sha.finalize())
}

/// The longest payload a control frame (close, ping, pong) may carry.
pub const MAX_CONTROL_PAYLOAD: usize = 125;

/// A frame's opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opcode {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

impl Opcode {
    fn from_bits(bits: u8) -> Result<Self, FrameError> {
        Ok(match bits {
            0x0 => Self::Continuation,
            0x1 => Self::Text,
            0x2 => Self::Binary,
            0x8 => Self::Close,
            0x9 => Self::Ping,
            0xA => Self::Pong,
            other => return Err(FrameError::UnknownOpcode(other)),
        })
    }

    fn is_control(self) -> bool {
        (self as u8) & 0x8 != 0
    }
}

/// A whole message from the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Binary(Vec<u8>),
    Text(String),
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    /// The client is closing, with its status code and reason if it gave one.
    Close(Option<(u16, String)>),
}

/// Why the bytes a client sent are not WebSocket frames this server accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a frame has reserved bits set, but no extension was agreed")]
    ReservedBits,
    #[error("unknown frame opcode {0:#x}")]
    UnknownOpcode(u8),
    #[error("a client frame was not masked")]
    Unmasked,
    #[error("a control frame was fragmented or longer than 125 bytes")]
    BadControlFrame,
    #[error("a continuation frame came with no message to continue")]
    UnexpectedContinuation,
    #[error("a new message started before the last one's final fragment")]
    UnfinishedMessage,
    #[error("a frame length has its most significant bit set")]
    BadLength,
    #[error("a message of at least {size} bytes is over the limit of {limit}")]
    TooBig { size: u64, limit: usize },
    #[error("a text message is not valid UTF-8")]
    InvalidUtf8,
    #[error("a close frame carries a malformed status code or reason")]
    BadClose,
}

impl FrameError {
    /// The status code to close the connection with (RFC 6455 §7.4.1).
    pub fn close_code(&self) -> u16 {
        match self {
            Self::TooBig { .. } => 1009,
            Self::InvalidUtf8 => 1007,
            _ => 1002,
        }
    }
}

/// Turns the bytes read from one client into whole messages.
#[derive(Debug)]
pub struct Decoder {
    limit: usize,
    /// Bytes read and not yet decoded start at `start`.
    buf: Vec<u8>,
    start: usize,
    /// The fragments so far of a data message whose final frame has not come.
    fragments: Option<(Opcode, Vec<u8>)>,
}

/// A client frame's header, parsed.
struct FrameHead {
    fin: bool,
    opcode: Opcode,
    mask: [u8; 4],
    header_len: usize,
    payload_len: usize,
}

impl Decoder {
    /// A decoder accepting messages of at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            buf: Vec::new(),
            start: 0,
            fragments: None,
        }
    }

    /// Takes bytes read from the connection; [`Decoder::next`] decodes them.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole message, `None` when more bytes are needed. After an
    /// error, close the connection with the error's code.
    #[allow(clippy::should_implement_trait)] // fallible, unlike Iterator::next
    pub fn next(&mut self) -> Result<Option<Incoming>, FrameError> {
        loop {
            let Some(header) = self.header()? else {
                self.compact();
                return Ok(None);
            };
            let end = self.start + header.header_len + header.payload_len;
            if self.buf.len() < end {
                self.compact();
                return Ok(None);
            }
            let payload_at = self.start + header.header_len;
            self.start = end;
            let payload = &self.buf[payload_at..end];
            if header.opcode.is_control() {
                let payload = unmasked(payload, header.mask);
                return Ok(Some(match header.opcode {
                    Opcode::Ping => Incoming::Ping(payload),
                    Opcode::Pong => Incoming::Pong(payload),
                    _ => Incoming::Close(parse_close(&payload)?),
                }));
            }
            let (opcode, mut message) = match (header.opcode, self.fragments.take()) {
                (Opcode::Continuation, Some(started)) => started,
                (Opcode::Continuation, None) => return Err(FrameError::UnexpectedContinuation),
                (_, Some(_)) => return Err(FrameError::UnfinishedMessage),
                (opcode, None) => (opcode, Vec::with_capacity(header.payload_len)),
            };
            unmask_into(payload, header.mask, &mut message);
            if !header.fin {
                self.fragments = Some((opcode, message));
                continue;
            }
            return Ok(Some(match opcode {
                Opcode::Text => {
                    Incoming::Text(String::from_utf8(message).map_err(|_| FrameError::InvalidUtf8)?)
                }
                _ => Incoming::Binary(message),
            }));
        }
    }

    /// True when the decoder holds no bytes: nothing partly read.
    pub fn is_idle(&self) -> bool {
        self.buf.capacity() == 0 && self.fragments.is_none()
    }

    /// Parses the header at `start`, checking it against the rules and the
    /// limit before any of its payload is buffered.
    fn header(&self) -> Result<Option<FrameHead>, FrameError> {
        let b = &self.buf[self.start..];
        let (Some(&b0), Some(&b1)) = (b.first(), b.get(1)) else {
            return Ok(None);
        };
        if b0 & 0x70 != 0 {
            return Err(FrameError::ReservedBits);
        }
        let fin = b0 & 0x80 != 0;
        let opcode = Opcode::from_bits(b0 & 0x0F)?;
        if b1 & 0x80 == 0 {
            return Err(FrameError::Unmasked);
        }
        let (len, len_bytes) = match b1 & 0x7F {
            126 => match b.get(2..4) {
                Some(l) => (u64::from(u16::from_be_bytes([l[0], l[1]])), 2),
                None => return Ok(None),
            },
            127 => match b.get(2..10).and_then(|l| <[u8; 8]>::try_from(l).ok()) {
                Some(l) => (u64::from_be_bytes(l), 8),
                None => return Ok(None),
            },
            short => (u64::from(short), 0),
        };
        if len >> 63 != 0 {
            return Err(FrameError::BadLength);
        }
        if opcode.is_control() && (!fin || len > MAX_CONTROL_PAYLOAD as u64) {
            return Err(FrameError::BadControlFrame);
        }
        let so_far = match (&self.fragments, opcode) {
            (Some((_, m)), Opcode::Continuation) => m.len() as u64,
            _ => 0,
        };
        if so_far.saturating_add(len) > self.limit as u64 {
            return Err(FrameError::TooBig {
                size: so_far.saturating_add(len),
                limit: self.limit,
            });
        }
        let mask_at = 2 + len_bytes;
        let Some(mask) = b
            .get(mask_at..mask_at + 4)
            .and_then(|m| <[u8; 4]>::try_from(m).ok())
        else {
            return Ok(None);
        };
        Ok(Some(FrameHead {
            fin,
            opcode,
            mask,
            header_len: mask_at + 4,
            // At most the limit, a usize, so this fits.
            payload_len: len as usize,
        }))
    }

    /// Drops decoded bytes; frees the buffer when nothing is left in it.
    fn compact(&mut self) {
        if self.start == self.buf.len() {
            self.buf = Vec::new();
        } else {
            self.buf.drain(..self.start);
        }
        self.start = 0;
    }
}

/// Appends `payload` unmasked to `out` (each frame has its own mask).
fn unmask_into(payload: &[u8], mask: [u8; 4], out: &mut Vec<u8>) {
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
}

fn unmasked(payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len());
    unmask_into(payload, mask, &mut out);
    out
}

/// A close frame's status code and reason (RFC 6455 §5.5.1, §7.4).
fn parse_close(payload: &[u8]) -> Result<Option<(u16, String)>, FrameError> {
    match payload {
        [] => Ok(None),
        [_] => Err(FrameError::BadClose),
        [hi, lo, reason @ ..] => {
            let code = u16::from_be_bytes([*hi, *lo]);
            let valid = matches!(code, 1000..=1003 | 1007..=1011 | 3000..=4999);
            let reason = std::str::from_utf8(reason).map_err(|_| FrameError::BadClose)?;
            if valid {
                Ok(Some((code, reason.to_owned())))
            } else {
                Err(FrameError::BadClose)
            }
        }
    }
}

/// A server frame's header: final, unmasked, for a payload of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    bytes: [u8; 10],
    len: u8,
}

impl Header {
    pub fn new(opcode: Opcode, payload_len: usize) -> Self {
        let mut bytes = [0u8; 10];
        bytes[0] = 0x80 | opcode as u8;
        let len = match payload_len {
            n if n < 126 => {
                bytes[1] = n as u8;
                2
            }
            n if n <= usize::from(u16::MAX) => {
                bytes[1] = 126;
                bytes[2..4].copy_from_slice(&(n as u16).to_be_bytes());
                4
            }
            n => {
                bytes[1] = 127;
                bytes[2..10].copy_from_slice(&(n as u64).to_be_bytes());
                10
            }
        };
        Self { bytes, len }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// Appends a whole, unmasked server frame to `out`.
pub fn encode(opcode: Opcode, payload: &[u8], out: &mut Vec<u8>) {
    out.reserve(10 + payload.len());
    out.extend_from_slice(Header::new(opcode, payload.len()).as_bytes());
    out.extend_from_slice(payload);
}

/// A close frame's payload: `code`, then as much of `reason` as fits in a
/// control frame, cut at a character boundary.
pub fn close_payload(code: u16, reason: &str) -> Vec<u8> {
    let mut cut = reason.len().min(MAX_CONTROL_PAYLOAD - 2);
    while !reason.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut payload = Vec::with_capacity(2 + cut);
    payload.extend_from_slice(&code.to_be_bytes());
    payload.extend_from_slice(&reason.as_bytes()[..cut]);
    payload
}

/// Appends a frame as a client sends it: masked with `mask`, and final or
/// not. The relay never sends one; tests and tools speak as clients with it.
/// `opcode` is raw so that malformed frames can be written too.
pub fn encode_masked(fin: bool, opcode: u8, payload: &[u8], mask: [u8; 4], out: &mut Vec<u8>) {
    out.push((u8::from(fin) << 7) | opcode);
    match payload.len() {
        n if n < 126 => out.push(0x80 | n as u8),
        n if n <= usize::from(u16::MAX) => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(0x80 | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(&mask);
    unmask_into(payload, mask, out);
}

/// Appends a close frame with `code` and `reason` (see [`close_payload`]).
pub fn encode_close(code: u16, reason: &str, out: &mut Vec<u8>) {
    encode(Opcode::Close, &close_payload(code, reason), out);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn client_frame(fin: bool, opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
        let mut out = Vec::new();
        encode_masked(fin, opcode, payload, mask, &mut out);
        out
    }

    fn binary(payload: &[u8]) -> Vec<u8> {
        client_frame(true, 2, payload, [0x12, 0x34, 0x56, 0x78])
    }

    fn all(decoder: &mut Decoder) -> Result<Vec<Incoming>, FrameError> {
        let mut out = Vec::new();
        while let Some(m) = decoder.next()? {
            out.push(m);
        }
        Ok(out)
    }

    #[test]
    fn the_accept_key_is_the_one_in_the_rfc() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn messages_of_every_length_encoding_decode_whole() {
        let mut d = Decoder::new(1 << 20);
        let sizes = [0, 1, 125, 126, 65_535, 65_536, 200_000];
        for &n in &sizes {
            let payload: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
            d.feed(&binary(&payload));
            assert_eq!(all(&mut d).unwrap(), vec![Incoming::Binary(payload)]);
        }
        assert!(d.is_idle());
    }

    #[test]
    fn bytes_arriving_one_at_a_time_give_the_same_messages() {
        let mut stream = binary(b"first");
        stream.extend(client_frame(true, 9, b"are you there", [1, 2, 3, 4]));
        stream.extend(client_frame(false, 1, "仓库".as_bytes(), [9, 9, 9, 9]));
        stream.extend(client_frame(true, 0, " 盘点".as_bytes(), [7, 0, 7, 0]));
        stream.extend(binary(&[0; 300]));
        let mut d = Decoder::new(1024);
        let mut got = Vec::new();
        for b in &stream {
            d.feed(&[*b]);
            got.extend(all(&mut d).unwrap());
        }
        assert_eq!(
            got,
            vec![
                Incoming::Binary(b"first".to_vec()),
                Incoming::Ping(b"are you there".to_vec()),
                Incoming::Text("仓库 盘点".into()),
                Incoming::Binary(vec![0; 300]),
            ]
        );
        assert!(d.is_idle(), "nothing is kept once everything is decoded");
    }

    #[test]
    fn a_control_frame_between_fragments_is_answered_and_the_message_completes() {
        let mut d = Decoder::new(1024);
        d.feed(&client_frame(false, 2, b"ab", [1, 1, 1, 1]));
        d.feed(&client_frame(true, 10, b"", [0; 4]));
        d.feed(&client_frame(true, 0, b"cd", [2, 2, 2, 2]));
        assert_eq!(
            all(&mut d).unwrap(),
            vec![Incoming::Pong(vec![]), Incoming::Binary(b"abcd".to_vec())]
        );
    }

    #[test]
    fn close_frames_carry_their_code_and_reason() {
        let mut d = Decoder::new(1024);
        let mut payload = 1000u16.to_be_bytes().to_vec();
        payload.extend_from_slice("下班".as_bytes());
        d.feed(&client_frame(true, 8, &payload, [3, 1, 4, 1]));
        d.feed(&client_frame(true, 8, b"", [3, 1, 4, 1]));
        assert_eq!(
            all(&mut d).unwrap(),
            vec![
                Incoming::Close(Some((1000, "下班".into()))),
                Incoming::Close(None)
            ]
        );
    }

    #[test]
    fn every_malformed_frame_is_refused_with_its_close_code() {
        let cases: Vec<(Vec<u8>, FrameError, u16)> = vec![
            (vec![0xC2, 0x80, 0, 0, 0, 0], FrameError::ReservedBits, 1002),
            (
                vec![0x83, 0x80, 0, 0, 0, 0],
                FrameError::UnknownOpcode(3),
                1002,
            ),
            (vec![0x82, 0x01, b'x'], FrameError::Unmasked, 1002),
            (
                client_frame(false, 9, b"", [0; 4]),
                FrameError::BadControlFrame,
                1002,
            ),
            (
                client_frame(true, 9, &[0; 126], [0; 4]),
                FrameError::BadControlFrame,
                1002,
            ),
            (
                client_frame(true, 0, b"x", [0; 4]),
                FrameError::UnexpectedContinuation,
                1002,
            ),
            (
                [
                    client_frame(false, 2, b"x", [0; 4]),
                    client_frame(true, 2, b"y", [0; 4]),
                ]
                .concat(),
                FrameError::UnfinishedMessage,
                1002,
            ),
            (
                vec![0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1],
                FrameError::BadLength,
                1002,
            ),
            (
                client_frame(true, 1, &[0xFF, 0xFE], [0; 4]),
                FrameError::InvalidUtf8,
                1007,
            ),
            (
                client_frame(true, 8, &[3], [0; 4]),
                FrameError::BadClose,
                1002,
            ),
            (
                client_frame(true, 8, &1005u16.to_be_bytes(), [0; 4]),
                FrameError::BadClose,
                1002,
            ),
            (
                client_frame(true, 8, &[0x03, 0xE8, 0xC0], [0; 4]),
                FrameError::BadClose,
                1002,
            ),
        ];
        for (bytes, error, code) in cases {
            let mut d = Decoder::new(64);
            d.feed(&bytes);
            assert_eq!(all(&mut d), Err(error.clone()), "{bytes:02x?}");
            assert_eq!(error.close_code(), code);
        }
    }

    #[test]
    fn a_message_over_the_limit_is_refused_from_its_header_before_it_is_buffered() {
        let mut d = Decoder::new(100);
        // Only the header of a 1 GiB frame: refused at once.
        d.feed(&[0x82, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0]);
        assert!(matches!(
            d.next(),
            Err(FrameError::TooBig {
                size: 1_073_741_824,
                limit: 100
            })
        ));
        // Fragments that only together pass the limit.
        let mut d = Decoder::new(100);
        d.feed(&client_frame(false, 2, &[0; 60], [0; 4]));
        d.feed(&client_frame(true, 0, &[0; 60], [0; 4]));
        assert_eq!(
            all(&mut d),
            Err(FrameError::TooBig {
                size: 120,
                limit: 100
            })
        );
        assert_eq!(FrameError::TooBig { size: 0, limit: 0 }.close_code(), 1009);
    }

    #[test]
    fn server_frames_are_unmasked_and_close_reasons_cut_at_a_character() {
        let mut out = Vec::new();
        encode(Opcode::Binary, b"hi", &mut out);
        assert_eq!(out, [0x82, 2, b'h', b'i']);
        out.clear();
        encode(Opcode::Binary, &[7; 300], &mut out);
        assert_eq!(out[..4], [0x82, 126, 1, 44]);
        assert_eq!(out.len(), 304);
        out.clear();
        encode(Opcode::Binary, &[7; 70_000], &mut out);
        assert_eq!(out[..10], [0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
        out.clear();
        let reason = "这台设备已被停用".repeat(10);
        encode_close(1008, &reason, &mut out);
        assert_eq!(out[0], 0x88);
        let len = usize::from(out[1]);
        assert!(len <= MAX_CONTROL_PAYLOAD);
        assert_eq!(out[2..4], 1008u16.to_be_bytes());
        assert!(std::str::from_utf8(&out[4..]).is_ok());
        assert!(reason.starts_with(std::str::from_utf8(&out[4..]).unwrap()));
    }

    #[test]
    fn random_bytes_never_panic_and_never_buffer_past_the_limit() {
        // A small xorshift generator: the same streams on every run.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2_000 {
            let mut d = Decoder::new(256);
            let len = (next() % 600) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Half the streams start with a plausible header.
            if next() % 2 == 0 && bytes.len() > 1 {
                bytes[0] = 0x80 | [0, 1, 2, 8, 9, 10][(next() % 6) as usize];
                bytes[1] |= 0x80;
            }
            for chunk in bytes.chunks(1 + (next() % 40) as usize) {
                d.feed(chunk);
                match all(&mut d) {
                    Ok(_) => assert!(d.buf.len() <= 256 + 14),
                    Err(_) => break,
                }
            }
        }
    }
}

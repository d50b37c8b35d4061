//! Any bytes from a client, in any split: the decoder never panics, never holds
//! more than one frame past its limit, and a message it yields is re-encoded
//! and decoded to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_websocket::{Decoder, Incoming, encode_masked};

const LIMIT: usize = 4096;

fuzz_target!(|input: &[u8]| {
    let Some((&split, bytes)) = input.split_first() else {
        return;
    };
    let mut decoder = Decoder::new(LIMIT);
    for chunk in bytes.chunks(usize::from(split).max(1)) {
        decoder.feed(chunk);
        loop {
            match decoder.next() {
                Ok(Some(message)) => round_trip(&message),
                Ok(None) => break,
                Err(e) => {
                    assert!(matches!(e.close_code(), 1002 | 1007 | 1009));
                    return;
                }
            }
        }
    }
});

fn round_trip(message: &Incoming) {
    let (opcode, payload): (u8, Vec<u8>) = match message {
        Incoming::Binary(b) => (2, b.clone()),
        Incoming::Text(t) => (1, t.as_bytes().to_vec()),
        Incoming::Ping(p) => (9, p.clone()),
        Incoming::Pong(p) => (10, p.clone()),
        Incoming::Close(None) => (8, vec![]),
        Incoming::Close(Some((code, reason))) => {
            (8, [&code.to_be_bytes()[..], reason.as_bytes()].concat())
        }
    };
    let mut frame = Vec::new();
    encode_masked(true, opcode, &payload, [1, 2, 3, 4], &mut frame);
    let mut again = Decoder::new(LIMIT);
    again.feed(&frame);
    assert_eq!(again.next(), Ok(Some(message.clone())));
    assert!(matches!(again.next(), Ok(None)));
    assert!(again.is_idle());
}

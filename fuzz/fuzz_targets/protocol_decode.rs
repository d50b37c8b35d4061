//! Any frame: decoding never panics, and what decodes re-encodes to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storeops_sync::protocol::Message;

fuzz_target!(|frame: &[u8]| {
    if let Ok(msg) = Message::decode(frame) {
        let again = Message::decode(&msg.encode()).expect("our own encoding decodes");
        assert_eq!(again, msg);
    }
});

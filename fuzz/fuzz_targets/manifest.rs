//! The evidence manifest and seal parsers must never panic, whatever the bytes.
//! Run: `cargo +nightly fuzz run manifest -- -max_total_time=60`
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_integrity::evidence::Manifest;

fuzz_target!(|data: &[u8]| {
    let _ = Manifest::parse(data, "fuzz".as_ref());
    let (a, b) = data.split_at(data.len() / 2);
    let _ = Manifest::parse_verified(a, b, "fuzz".as_ref(), None);
});

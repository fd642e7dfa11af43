//! The signed-baseline parser must never panic, whatever the bytes.
//! Run: `cargo +nightly fuzz run baseline -- -max_total_time=60`
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_integrity::Baseline;

fuzz_target!(|data: &[u8]| {
    let _ = Baseline::from_signed_bytes(data, "fuzz".as_ref(), None);
    let _ = mamori_integrity::Config::from_toml(&String::from_utf8_lossy(data), "fuzz".as_ref());
});

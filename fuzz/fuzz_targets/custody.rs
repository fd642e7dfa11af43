//! The custody-chain checker must never panic, whatever the bytes.
//! Run: `cargo +nightly fuzz run custody -- -max_total_time=60`
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_integrity::evidence::custody::verify_chain;

fuzz_target!(|data: &[u8]| {
    let _ = verify_chain(data, "0");
});

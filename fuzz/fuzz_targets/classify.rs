//! The HTTP classifier (decoding, attack patterns, login rules) on arbitrary requests.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_detect::classify::HttpClassifier;
use mamori_detect::format::clf;
use std::sync::OnceLock;

static CLASSIFIER: OnceLock<HttpClassifier> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let c = CLASSIFIER.get_or_init(|| {
        HttpClassifier::new(&mamori_detect::Config::default()).expect("default config")
    });
    if let Ok(rec) = clf::parse(data) {
        let _ = c.classify(&rec);
    }
    // Also as a bare request target with the same bytes as user agent.
    let line = [
        &b"203.0.113.1 - - [04/Mar/2024:00:00:01 +0000] \"POST "[..],
        data,
        b" HTTP/1.1\" 200 10 \"-\" \"",
        data,
        b"\"",
    ]
    .concat();
    if let Ok(rec) = clf::parse(&line) {
        let _ = c.classify(&rec);
    }
});

//! The whole pipeline (format detection, chunking, parsing, rules, reports) on an
//! arbitrary file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_detect::{Input, ScanOptions, scan};

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    let input = Input {
        name: "fuzz.log".into(),
        open: Box::new(move || Ok(Box::new(std::io::Cursor::new(data)))),
        mtime: None,
    };
    let opts = ScanOptions {
        chunk_bytes: 4096,
        max_line_bytes: 8192,
        ..ScanOptions::default()
    };
    if let Ok(report) = scan(vec![input], &opts, &mut |_, _| {}) {
        let _ = mamori_detect::report::text::render(&report, mamori_core::Lang::En);
        let _ = mamori_detect::report::json::document(&report);
        let _ = mamori_detect::report::html::render(&report, mamori_core::Lang::Ja);
    }
});

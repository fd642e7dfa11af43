//! Library tests of mamori-integrity: one test binary, one module per concern.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod baseline_props;
mod evidence;
mod monitor;
mod scan;

use mamori_integrity::monitor::Context;

pub fn ctx(host: &'static str) -> Context<'static> {
    Context {
        now: time::macros::datetime!(2026-11-25 09:00 UTC),
        host,
        who: "tester",
        progress: None,
    }
}

pub fn write(path: &std::path::Path, content: impl AsRef<[u8]>) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, content).unwrap();
}

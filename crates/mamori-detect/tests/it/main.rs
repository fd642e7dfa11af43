//! Integration tests of mamori-detect: one binary, one module per area.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the right failure

mod formats;
mod robustness;
mod rules;
mod services;
mod web_corpus;

use mamori_detect::{Event, Input, ScanOptions, ScanReport, scan};
use std::io::Cursor;
use std::path::PathBuf;

/// A fixture's path.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// An in-memory input.
pub fn mem(name: &str, data: Vec<u8>) -> Input {
    Input {
        name: name.to_owned(),
        open: Box::new(move || Ok(Box::new(Cursor::new(data)))),
        mtime: Some(1_709_596_800), // 2024-03-05: BSD syslog lines are from 2024
    }
}

/// A file input.
pub fn file(path: PathBuf) -> Input {
    Input {
        name: path.display().to_string(),
        open: Box::new(move || Ok(Box::new(std::fs::File::open(&path)?))),
        mtime: Some(1_709_596_800),
    }
}

/// Options as a JST operator would have them.
pub fn jst() -> ScanOptions {
    ScanOptions {
        utc_offset_secs: 9 * 3600,
        threads: 2,
        ..ScanOptions::default()
    }
}

/// Scans and returns the report and every event.
pub fn run(inputs: Vec<Input>, opts: &ScanOptions) -> (ScanReport, Vec<(Event, String)>) {
    let mut events = Vec::new();
    let report = scan(inputs, opts, &mut |e, f| {
        events.push((e.clone(), f.to_owned()))
    })
    .unwrap();
    (report, events)
}

/// The rule IDs of a report's findings.
pub fn rule_ids(r: &ScanReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule.id).collect()
}

//! The OWASP CRS engine (mamori-crs) on arbitrary request targets, User-Agents and
//! Referers: the installed Debian rule set when present, else the test fixture.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_crs::{Request, RuleSet};
use std::path::Path;
use std::sync::OnceLock;

static CRS: OnceLock<RuleSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let crs = CRS.get_or_init(|| {
        let debian = Path::new("/usr/share/modsecurity-crs/rules");
        let dir = if debian.exists() {
            debian.to_path_buf()
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/mamori-crs/tests/fixtures/crs")
        };
        RuleSet::load_dir(&dir, 2).expect("rules load")
    });
    // Split the input into target, User-Agent and Referer at NUL bytes.
    let mut parts = data.splitn(3, |&b| b == 0);
    let uri = parts.next().unwrap_or(b"");
    let ua = parts.next();
    let referer = parts.next();
    let req = Request {
        method: b"GET",
        uri,
        protocol: b"HTTP/1.1",
        user_agent: ua,
        referer,
    };
    let _ = crs.may_match(&req);
    let ev = crs.evaluate(&req);
    assert_eq!(
        ev.score,
        ev.matches.iter().map(|m| m.severity.score()).sum::<u32>()
    );
});

//! Shared helpers: the installed CRS and request builders.

#![allow(dead_code)]

use mamori_crs::{Request, RuleSet};
use std::path::Path;

/// Debian's `modsecurity-crs` at paranoia level `pl`. CI installs the package
/// (`apt-get install modsecurity-crs`), so there a missing directory is a failure;
/// elsewhere the test says so and passes without checking.
pub fn debian_crs(pl: u8) -> Option<RuleSet> {
    let dir = Path::new("/usr/share/modsecurity-crs/rules");
    if !dir.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install modsecurity-crs (apt-get install modsecurity-crs)"
        );
        eprintln!("skipped: {} is not installed", dir.display());
        return None;
    }
    Some(RuleSet::load_dir(dir, pl).expect("Debian CRS loads"))
}

/// A GET request over HTTP/1.1 with a browser User-Agent.
pub fn get(uri: &str) -> Request<'_> {
    Request {
        method: b"GET",
        uri: uri.as_bytes(),
        protocol: b"HTTP/1.1",
        user_agent: Some(
            b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        ),
        referer: None,
    }
}

//! `@detectSQLi` / `@detectXSS`: libinjection, through `libinjectionrs`, a pure-Rust
//! port that passes the C library's own test files (chosen over the `libinjection`
//! bindings, whose build script clones the C sources from the network). A panic in
//! the port is caught and counts as no detection, so no input can stop a scan.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// The libinjection fingerprint when `s` is SQL injection.
pub fn sqli(s: &[u8]) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| {
        let r = libinjectionrs::detect_sqli(s);
        r.is_injection()
            .then(|| r.fingerprint.map(|f| f.to_string()).unwrap_or_default())
    }))
    .ok()
    .flatten()
}

/// Whether `s` is cross-site scripting by libinjection's HTML5 tokenizer.
pub fn xss(s: &[u8]) -> bool {
    catch_unwind(AssertUnwindSafe(|| {
        libinjectionrs::detect_xss(s).is_injection()
    }))
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn libinjection_verdicts() {
        assert_eq!(super::sqli(b"1' OR '1'='1").as_deref(), Some("s&sos"));
        assert!(super::sqli(b"1 union select 1,2").is_some());
        assert!(super::sqli(b"O'Reilly").is_none());
        assert!(super::sqli(b"Tom & Jerry").is_none());
        assert!(super::xss(b"\"><img src=x onerror=alert(1)>"));
        assert!(!super::xss(b"hello <b>world"));
    }
}

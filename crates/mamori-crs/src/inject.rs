//! `@detectSQLi` / `@detectXSS`: libinjection, through `libinjectionrs`, a pure-Rust
//! port that passes the C library's own test files (chosen over the `libinjection`
//! bindings, whose build script clones the C sources from the network). A panic in
//! the port is caught and counts as no detection, so no input can stop a scan.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Verdicts remembered per thread before the memo starts over (bounded memory).
const MEMO_CAP: usize = 4096;

/// Values longer than this are not remembered (they rarely repeat).
const MEMO_MAX_LEN: usize = 1024;

/// One thread's remembered libinjection verdicts, by input. libinjection is a pure
/// function of its input, and the inputs repeat: every request that reaches the
/// engine hands its User-Agent and Referer to `@detectSQLi` and `@detectXSS`, and a
/// log holds a few hundred distinct ones. The tokenizer costs microseconds per value
/// (a third of the engine's time before this memo); a lookup, tens of nanoseconds.
#[derive(Default)]
struct Memo {
    sqli: FxHashMap<Box<[u8]>, Option<Box<str>>>,
    xss: FxHashMap<Box<[u8]>, bool>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

fn remember<V: Clone>(
    map: impl Fn(&mut Memo) -> &mut FxHashMap<Box<[u8]>, V>,
    s: &[u8],
    compute: impl FnOnce() -> V,
) -> V {
    if s.len() > MEMO_MAX_LEN {
        return compute();
    }
    if let Some(v) = MEMO.with(|m| map(&mut m.borrow_mut()).get(s).cloned()) {
        return v;
    }
    let v = compute();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let map = map(&mut m);
        if map.len() >= MEMO_CAP {
            map.clear();
        }
        map.insert(s.into(), v.clone());
    });
    v
}

/// The libinjection fingerprint when `s` is SQL injection.
pub fn sqli(s: &[u8]) -> Option<String> {
    remember(
        |m| &mut m.sqli,
        s,
        || sqli_uncached(s).map(String::into_boxed_str),
    )
    .map(String::from)
}

fn sqli_uncached(s: &[u8]) -> Option<String> {
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
    remember(|m| &mut m.xss, s, || xss_uncached(s))
}

fn xss_uncached(s: &[u8]) -> bool {
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

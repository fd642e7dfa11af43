//! NCSA Common / Combined Log Format, as written by nginx, Apache, Traefik and most
//! proxies, with or without a virtual-host prefix:
//!
//! ```text
//! 203.0.113.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://ref/" "Mozilla/5.0"
//! example.com:443 203.0.113.7 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 77 "-" "curl/8"
//! ```
//!
//! Trailing fields after the user agent (Traefik's request count, router and duration;
//! nginx `$request_time`) are ignored. Quotes inside quoted fields may be escaped as
//! `\"` (Apache) or `\x22` (nginx).

use super::{HttpRecord, ParseError};
use crate::timefmt;
use memchr::memchr;

/// Parses one line. `Err` says which field was malformed.
pub fn parse(line: &[u8]) -> Result<HttpRecord<'_>, ParseError> {
    let open = memchr(b'[', line).ok_or(ParseError::Field("time"))?;
    let head = &line[..open];
    // The usual time (`10/Oct/2000:13:55:36 -0700`) is 26 bytes: when a `]` follows them
    // and they read as a time, that `]` is the first (a time holds none), which saves a
    // search.
    let usual = open + 1 + USUAL_TIME_LEN;
    let (close, time) = match line.get(usual) {
        Some(b']') if let Some(t) = cached_time(&line[open + 1..usual]) => (usual, t),
        _ => {
            let close =
                open + 1 + memchr(b']', &line[open + 1..]).ok_or(ParseError::Field("time"))?;
            let time = cached_time(&line[open + 1..close]).ok_or(ParseError::Field("time"))?;
            (close, time)
        }
    };

    // head = [vhost] client ident user SP
    let mut toks: [&[u8]; 4] = [b""; 4];
    let mut n = 0;
    for t in head.split(|&c| c == b' ') {
        if t.is_empty() {
            continue;
        }
        if n == 4 {
            return Err(ParseError::Field("user"));
        }
        toks[n] = t;
        n += 1;
    }
    let (vhost, client, user) = match n {
        4 => (Some(toks[0]), toks[1], toks[3]),
        3 => (None, toks[0], toks[2]),
        0 => return Err(ParseError::Field("client")),
        1 => return Err(ParseError::Field("ident")),
        _ => return Err(ParseError::Field("user")),
    };

    let rest = &line[close + 1..];
    let rest = rest
        .strip_prefix(b" \"")
        .ok_or(ParseError::Field("request"))?;
    let (request, rest) = quoted(rest).ok_or(ParseError::Field("request"))?;
    let (method, uri, protocol) = split_request(request);
    // ` 200 1234 "referer" "agent"`: the two short fields read in one pass, without
    // memchr's set-up cost for a few bytes (this parser is the scan's hottest code).
    let (status, rest) = field(rest);
    let status = status
        .and_then(parse_u16)
        .ok_or(ParseError::Field("status"))?;
    let (bytes, rest) = field(rest);
    let bytes = match bytes {
        Some(b"-") | None => 0,
        Some(b) => parse_u64(b).ok_or(ParseError::Field("bytes"))?,
    };
    // Combined: "referer" "user agent" follow; Common stops here.
    let (referer, user_agent) = match rest.trim_ascii_start().strip_prefix(b"\"") {
        Some(r) => {
            let (referer, r) = quoted(r).ok_or(ParseError::Field("referer"))?;
            let ua = match r.trim_ascii_start().strip_prefix(b"\"") {
                Some(u) => quoted(u).ok_or(ParseError::Field("user_agent"))?.0,
                None => b"" as &[u8],
            };
            (referer, ua)
        }
        None => (b"" as &[u8], b"" as &[u8]),
    };
    Ok(HttpRecord {
        time,
        vhost,
        client,
        user: dash_none(user),
        method,
        uri,
        protocol,
        status,
        bytes,
        referer: dash_none(referer).unwrap_or(b""),
        user_agent: dash_none(user_agent).unwrap_or(b""),
    })
}

fn dash_none(b: &[u8]) -> Option<&[u8]> {
    if b.is_empty() || b == b"-" {
        None
    } else {
        Some(b)
    }
}

/// The length of `10/Oct/2000:13:55:36 -0700`.
const USUAL_TIME_LEN: usize = 26;

/// Parses a CLF time, remembering the last usual one per thread: consecutive lines of
/// a busy log share their second. (A fixed-size comparison, compiled inline.)
fn cached_time(b: &[u8]) -> Option<i64> {
    thread_local! {
        static LAST: std::cell::Cell<([u8; USUAL_TIME_LEN], i64)> =
            const { std::cell::Cell::new(([0; USUAL_TIME_LEN], i64::MIN)) };
    }
    let Ok(text) = <[u8; USUAL_TIME_LEN]>::try_from(b) else {
        return timefmt::parse_clf(b);
    };
    let (last, value) = LAST.get();
    if value != i64::MIN && last == text {
        return Some(value);
    }
    let v = timefmt::parse_clf(b)?;
    LAST.set((text, v));
    Some(v)
}

/// Splits `GET /path HTTP/1.1` into its three parts; tolerates garbage requests
/// (scanners send binary TLS hellos), which become a method-less URI.
pub fn split_request(req: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let Some(sp1) = memchr(b' ', req) else {
        return (b"", req, b"");
    };
    let method = &req[..sp1];
    let rest = &req[sp1 + 1..];
    match memchr::memrchr(b' ', rest) {
        Some(sp2) if rest[sp2 + 1..].starts_with(b"HTTP/") => {
            (method, &rest[..sp2], &rest[sp2 + 1..])
        }
        _ => (method, rest, b""),
    }
}

/// Returns the content of a quoted field (the opening quote already consumed) and
/// the rest after the closing quote. Backslash escapes are skipped.
fn quoted(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut from = 0;
    loop {
        let q = from + memchr(b'"', &s[from..])?;
        let mut backslashes = 0;
        while backslashes < q && s[q - 1 - backslashes] == b'\\' {
            backslashes += 1;
        }
        if backslashes % 2 == 0 {
            return Some((&s[..q], &s[q + 1..]));
        }
        from = q + 1;
    }
}

/// The next space-separated field of `s` (spaces before it skipped) and what follows
/// it; `None` at the end of the line.
fn field(s: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let start = s.iter().position(|&c| c != b' ').unwrap_or(s.len());
    let s = &s[start..];
    if s.is_empty() {
        return (None, s);
    }
    let end = s.iter().position(|&c| c == b' ').unwrap_or(s.len());
    (Some(&s[..end]), &s[end..])
}

pub(crate) fn parse_u16(b: &[u8]) -> Option<u16> {
    if b.is_empty() || b.len() > 5 {
        return None;
    }
    let mut v: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    u16::try_from(v).ok()
}

pub(crate) fn parse_u64(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 19 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_line() {
        let r = parse(br#"203.0.113.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a.gif?x=1 HTTP/1.0" 200 2326 "http://ref/" "Mozilla/5.0 (X11)""#).unwrap();
        assert_eq!(r.client, b"203.0.113.7");
        assert_eq!(r.user, Some(&b"alice"[..]));
        assert_eq!(r.method, b"GET");
        assert_eq!(r.uri, b"/a.gif?x=1");
        assert_eq!(r.protocol, b"HTTP/1.0");
        assert_eq!(r.status, 200);
        assert_eq!(r.bytes, 2326);
        assert_eq!(r.referer, b"http://ref/");
        assert_eq!(r.user_agent, b"Mozilla/5.0 (X11)");
        assert_eq!(r.vhost, None);
    }

    #[test]
    fn common_and_vhost_lines() {
        let r =
            parse(br#"2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] "POST /login HTTP/1.1" 302 -"#)
                .unwrap();
        assert_eq!(r.client, b"2001:db8::1");
        assert_eq!(r.user, None);
        assert_eq!(r.bytes, 0);
        assert_eq!(r.user_agent, b"");
        let v = parse(br#"shop.example.com:443 198.51.100.2 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/2.0" 200 5 "-" "curl/8.0""#).unwrap();
        assert_eq!(v.vhost, Some(&b"shop.example.com:443"[..]));
        assert_eq!(v.client, b"198.51.100.2");
        assert_eq!(v.user_agent, b"curl/8.0");
    }

    #[test]
    fn traefik_trailing_fields_and_escaped_quotes() {
        let r = parse(br#"10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /?q=\"x\" HTTP/1.1" 404 19 "-" "Go \"x\"" 7 "router@docker" "http://172.17.0.2:80" 3ms"#).unwrap();
        assert_eq!(r.uri, br#"/?q=\"x\""#);
        assert_eq!(r.status, 404);
        assert_eq!(r.user_agent, br#"Go \"x\""#);
    }

    #[test]
    fn garbage_request_is_kept_as_uri() {
        let r = parse(
            br#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "\x16\x03\x01\x00" 400 157 "-" "-""#,
        )
        .unwrap();
        assert_eq!(r.method, b"");
        assert_eq!(r.status, 400);
    }

    proptest::proptest! {
        #[test]
        fn fields_after_the_request_survive_any_spacing(
            status in 100u16..600,
            bytes in proptest::option::of(0u64..10_000_000_000),
            gaps in proptest::collection::vec(1usize..4, 4),
            referer in "[a-zA-Z0-9/:.?=&%()_;,+-]{0,40}",
            agent in "[ a-zA-Z0-9/:.?=&%()_;,+-]{0,80}",
            combined in proptest::bool::ANY,
        ) {
            let sp = |n: usize| " ".repeat(n);
            let b = bytes.map_or("-".to_owned(), |b| b.to_string());
            let mut line = format!(
                "192.0.2.1 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\"{}{status}{}{b}",
                sp(gaps[0]), sp(gaps[1])
            );
            if combined {
                line += &format!("{}\"{referer}\"{}\"{agent}\"", sp(gaps[2]), sp(gaps[3]));
            }
            let r = parse(line.as_bytes()).unwrap();
            proptest::prop_assert_eq!(r.status, status);
            proptest::prop_assert_eq!(r.bytes, bytes.unwrap_or(0));
            let want = |s: &str| if combined && s != "-" { s.as_bytes().to_vec() } else { Vec::new() };
            proptest::prop_assert_eq!(r.referer.to_vec(), want(&referer));
            proptest::prop_assert_eq!(r.user_agent.to_vec(), want(&agent));
        }
    }

    proptest::proptest! {
        /// The request's parts are the first space's and the last space's (when
        /// `HTTP/…` follows it), whatever the lengths.
        #[test]
        fn requests_split_at_their_first_and_last_space(
            method in "[A-Z]{0,20}",
            target in "/[a-z /?=]{0,40}",
            protocol in proptest::option::of("HTTP/[0-9.]{1,3}"),
        ) {
            let req = match &protocol {
                Some(p) => format!("{method} {target} {p}"),
                None => format!("{method} {target}"),
            };
            let (m, t, p) = split_request(req.as_bytes());
            proptest::prop_assert_eq!(m, method.as_bytes());
            proptest::prop_assert_eq!(t, target.as_bytes());
            proptest::prop_assert_eq!(p, protocol.as_deref().unwrap_or("").as_bytes());
        }

        /// A time stamp with one byte changed, cut short or run long reads as what
        /// precedes the first `]`, as before the usual length was looked at first.
        #[test]
        fn the_time_ends_at_the_first_bracket(
            at in 0usize..30,
            byte in "[\\]0-9 :/+-]",
            len in 18usize..32,
        ) {
            let mut inner = b"10/Oct/2000:13:55:36 -0700".to_vec();
            if let Some(b) = inner.get_mut(at) {
                *b = byte.as_bytes()[0];
            }
            inner.resize(len, b'0');
            let mut line = b"192.0.2.1 - - [".to_vec();
            line.extend_from_slice(&inner);
            line.extend_from_slice(br#"] "GET / HTTP/1.1" 200 1"#);
            let first = inner.split(|&c| c == b']').next().unwrap_or_default();
            let want = match timefmt::parse_clf(first) {
                None => Err(ParseError::Field("time")),
                // What follows an early `]` is no request.
                Some(_) if inner.contains(&b']') => Err(ParseError::Field("request")),
                Some(t) => Ok(t),
            };
            proptest::prop_assert_eq!(parse(&line).map(|r| r.time), want);
        }
    }

    #[test]
    fn odd_time_fields() {
        // A usual-length time that is no time, a `]` inside it, a short one.
        for line in [
            &br#"1.2.3.4 - - [10/Oct/2000:13:55:36 +00000] "GET / HTTP/1.1" 200 1"#[..],
            br#"1.2.3.4 - - [10/Oct/2000:13:55:3] +0000] "GET / HTTP/1.1" 200 1"#,
            br#"1.2.3.4 - - [10/Oct/2000:13:55:36 +000] "GET / HTTP/1.1" 200 1"#,
        ] {
            assert_eq!(parse(line).unwrap_err(), ParseError::Field("time"));
        }
        // The same second twice (the second from the per-thread memory), then another.
        for _ in 0..2 {
            let r = parse(br#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1"#);
            assert_eq!(r.unwrap().time, 971_211_336);
        }
        let r = parse(br#"1.2.3.4 - - [10/Oct/2000:13:55:37 -0700] "GET / HTTP/1.1" 200 1"#);
        assert_eq!(r.unwrap().time, 971_211_337);
    }

    #[test]
    fn malformed_lines_name_the_field() {
        assert_eq!(
            parse(b"hello world").unwrap_err(),
            ParseError::Field("time")
        );
        assert_eq!(
            parse(br#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" abc 1"#)
                .unwrap_err(),
            ParseError::Field("status")
        );
    }
}

//! LTSV (Labeled Tab-separated Values) access logs, widespread in Japan
//! (<http://ltsv.org/>): one `label:value` pair per tab-separated field.
//!
//! ```text
//! time:[04/Mar/2024:00:00:01 +0900]→host:10.0.0.2→forwardedfor:203.0.113.9→req:GET /wp-login.php HTTP/1.1→status:200→size:512→referer:-→ua:curl/8
//! ```
//!
//! (→ stands for a tab.)
//!
//! The labels recommended by ltsv.org are read (`time`, `host`, `forwardedfor`,
//! `user`, `req`, `method`, `uri`, `protocol`, `status`, `size`, `referer`, `ua`,
//! `vhost`) together with the nginx variable names people often use instead
//! (`remote_addr`, `request`, `body_bytes_sent`, `http_user_agent`, …). Times may
//! be CLF (bracketed or not), ISO 8601 or epoch seconds. Unknown labels are ignored.
//!
//! Behind a load balancer `host` is the balancer's private address; then the
//! client is taken from `forwardedfor` (see [`super::effective_client`]).

use super::{HttpRecord, ParseError, clf, effective_client};
use crate::timefmt;
use memchr::memchr;

/// Parses one line.
pub fn parse(line: &[u8]) -> Result<HttpRecord<'_>, ParseError> {
    // An LTSV line has at least one tab and starts with `label:`.
    if memchr(b'\t', line).is_none() {
        return Err(ParseError::NotThisFormat);
    }
    let first_label = line.split(|&c| c == b':').next().unwrap_or_default();
    if first_label.is_empty()
        || !first_label
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-' || *c == b'.')
        || first_label.len() == line.len()
    {
        return Err(ParseError::NotThisFormat);
    }

    let mut time = None;
    let mut host: &[u8] = b"";
    let mut xff: Option<&[u8]> = None;
    let mut user = None;
    let mut req: Option<&[u8]> = None;
    let mut method: Option<&[u8]> = None;
    let mut uri: Option<&[u8]> = None;
    let mut protocol: Option<&[u8]> = None;
    let mut status = None;
    let mut bytes: &[u8] = b"";
    let mut referer: &[u8] = b"";
    let mut ua: &[u8] = b"";
    let mut vhost = None;

    for field in line.split(|&c| c == b'\t') {
        let Some(colon) = memchr(b':', field) else {
            if field.trim_ascii().is_empty() {
                continue;
            }
            return Err(ParseError::NotThisFormat);
        };
        let (label, value) = (&field[..colon], &field[colon + 1..]);
        match label {
            b"time" | b"time_local" | b"time_iso8601" | b"timestamp" => time = Some(value),
            b"host" | b"remote_addr" | b"remote_host" | b"client" => host = value,
            b"forwardedfor" | b"x_forwarded_for" | b"http_x_forwarded_for" | b"xff" => {
                xff = Some(value);
            }
            b"user" | b"remote_user" => user = none_if_dash(value),
            b"req" | b"request" => req = Some(value),
            b"method" | b"request_method" => method = Some(value),
            b"uri" | b"request_uri" => uri = Some(value),
            b"protocol" | b"server_protocol" => protocol = Some(value),
            b"status" => status = Some(value),
            b"size" | b"body_bytes_sent" | b"bytes_sent" => bytes = value,
            b"referer" | b"http_referer" => referer = value,
            b"ua" | b"useragent" | b"user_agent" | b"http_user_agent" => ua = value,
            b"vhost" | b"server_name" | b"http_host" => vhost = none_if_dash(value),
            _ => {}
        }
    }

    let time = time.and_then(parse_time).ok_or(ParseError::Field("time"))?;
    if host.is_empty() || host == b"-" {
        return Err(ParseError::Field("host"));
    }
    let status = status
        .and_then(|s| std::str::from_utf8(s).ok()?.parse::<u16>().ok())
        .ok_or(ParseError::Field("status"))?;
    let (m, u, p) = match req {
        Some(r) => clf::split_request(r),
        None => (b"" as &[u8], b"" as &[u8], b"" as &[u8]),
    };
    let method = method.unwrap_or(m);
    let uri = uri.unwrap_or(u);
    if uri.is_empty() && method.is_empty() {
        return Err(ParseError::Field("req"));
    }
    Ok(HttpRecord {
        time,
        vhost,
        client: effective_client(host, xff),
        user,
        method,
        uri,
        protocol: protocol.unwrap_or(p),
        status,
        bytes: std::str::from_utf8(bytes)
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or(0),
        referer: none_if_dash(referer).unwrap_or(b""),
        user_agent: none_if_dash(ua).unwrap_or(b""),
    })
}

fn none_if_dash(b: &[u8]) -> Option<&[u8]> {
    (!b.is_empty() && b != b"-").then_some(b)
}

fn parse_time(b: &[u8]) -> Option<i64> {
    let inner = b
        .strip_prefix(b"[")
        .and_then(|b| b.strip_suffix(b"]"))
        .unwrap_or(b);
    timefmt::parse_clf(inner)
        .or_else(|| timefmt::parse_iso(inner, 0).map(|(t, _)| t))
        .or_else(|| {
            let s = std::str::from_utf8(inner).ok()?;
            let secs: f64 = s.parse().ok()?;
            (secs.is_finite() && (0.0..1e11).contains(&secs)).then_some(secs as i64)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::rfc3339;
    use proptest::prelude::*;

    // Shapes from ltsv.org's recommended labels and the nginx `log_format ltsv`
    // examples that Japanese hosting guides publish.
    const NGINX: &[u8] = b"time:[04/Mar/2024:09:00:01 +0900]\thost:198.51.100.7\tforwardedfor:-\treq:POST /wp-login.php HTTP/1.1\tstatus:200\tsize:4312\treferer:-\tua:Mozilla/5.0 (X11)\treqtime:0.120\tvhost:example.jp";

    #[test]
    fn reads_the_recommended_labels() {
        let r = parse(NGINX).unwrap();
        assert_eq!(rfc3339(r.time), "2024-03-04T00:00:01Z");
        assert_eq!(r.client, b"198.51.100.7");
        assert_eq!(r.method, b"POST");
        assert_eq!(r.uri, b"/wp-login.php");
        assert_eq!(r.protocol, b"HTTP/1.1");
        assert_eq!(r.status, 200);
        assert_eq!(r.bytes, 4312);
        assert_eq!(r.referer, b"");
        assert_eq!(r.user_agent, b"Mozilla/5.0 (X11)");
        assert_eq!(r.vhost, Some(&b"example.jp"[..]));
    }

    #[test]
    fn separate_method_and_uri_and_iso_time() {
        let line = b"time:2024-03-04T09:00:01+09:00\tremote_addr:203.0.113.5\tmethod:GET\turi:/?id=1%27\tstatus:404\tua:sqlmap/1.7";
        let r = parse(line).unwrap();
        assert_eq!(rfc3339(r.time), "2024-03-04T00:00:01Z");
        assert_eq!((r.method, r.uri), (&b"GET"[..], &b"/?id=1%27"[..]));
        assert_eq!(r.user_agent, b"sqlmap/1.7");
    }

    #[test]
    fn behind_a_load_balancer_the_forwarded_client_counts() {
        let line = b"time:[04/Mar/2024:09:00:01 +0900]\thost:10.0.3.4\tforwardedfor:198.51.100.23, 10.0.0.9\treq:GET / HTTP/1.1\tstatus:200";
        assert_eq!(parse(line).unwrap().client, b"198.51.100.23");
        // A public peer is the client itself: its forwarded-for header is the
        // client's own claim and is not trusted.
        let line = b"time:[04/Mar/2024:09:00:01 +0900]\thost:192.0.2.99\tforwardedfor:198.51.100.23\treq:GET / HTTP/1.1\tstatus:200";
        assert_eq!(parse(line).unwrap().client, b"192.0.2.99");
    }

    #[test]
    fn missing_fields_are_named() {
        let no_time = b"host:1.2.3.4\treq:GET / HTTP/1.1\tstatus:200";
        assert_eq!(parse(no_time).unwrap_err(), ParseError::Field("time"));
        let no_status = b"time:1709510401\thost:1.2.3.4\treq:GET / HTTP/1.1";
        assert_eq!(parse(no_status).unwrap_err(), ParseError::Field("status"));
        let no_host = b"time:1709510401\treq:GET / HTTP/1.1\tstatus:200";
        assert_eq!(parse(no_host).unwrap_err(), ParseError::Field("host"));
    }

    #[test]
    fn other_formats_are_not_ltsv() {
        let clf = br#"1.2.3.4 - - [04/Mar/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "x""#;
        assert_eq!(parse(clf).unwrap_err(), ParseError::NotThisFormat);
        let cloudfront = b"2024-03-04\t00:00:01\tNRT57-C1\t512\t198.51.100.7\tGET";
        assert_eq!(parse(cloudfront).unwrap_err(), ParseError::NotThisFormat);
    }

    proptest! {
        #[test]
        fn never_panics(line in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse(&line);
        }

        #[test]
        fn never_panics_on_labelled_noise(
            fields in proptest::collection::vec(
                ("(time|host|req|status|size|ua|forwardedfor|uri|method)", "[ -~]{0,30}"), 0..8)
        ) {
            let line: Vec<u8> = fields
                .iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect::<Vec<_>>()
                .join("\t")
                .into_bytes();
            let _ = parse(&line);
        }
    }
}

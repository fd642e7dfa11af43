//! W3C Extended Log File Format: Microsoft IIS (the default on Windows servers)
//! and Amazon CloudFront standard logs. Directive lines (`#Software`, `#Version`,
//! `#Date`, `#Fields`, `#Remark`) describe the columns; values are separated by
//! spaces (IIS, which writes spaces inside values as `+`) or tabs (CloudFront).
//!
//! ```text
//! #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
//! 2024-03-04 00:00:01 10.0.0.5 POST /owa/auth.owa - 443 - 203.0.113.7 Mozilla/5.0+(Windows+NT+10.0) - 302 0 0 15
//! ```
//!
//! The column layout comes from the first `#Fields` directive of the file (read
//! when the format is detected, see [`W3cLayout::from_head`]); without one the
//! IIS default layout applies. Times are UTC, as the format prescribes. A file
//! whose `#Fields` changes midway (IIS after a reconfiguration) is parsed with the
//! first layout; lines that do not fit are reported as malformed.

use super::{ParseError, Parsed, effective_client, jsonl::OwnedHttp};
use crate::timefmt;

/// What one column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Date,
    Time,
    Client,
    User,
    Method,
    UriStem,
    UriQuery,
    /// The whole request target (`cs-uri`).
    Uri,
    Status,
    Bytes,
    UserAgent,
    Referer,
    Protocol,
    Forwarded,
    Other,
}

/// The column layout of a W3C log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct W3cLayout {
    columns: Vec<Column>,
}

/// IIS's default field selection (IIS 7 and later).
const IIS_DEFAULT: &str = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

impl Default for W3cLayout {
    fn default() -> Self {
        W3cLayout::from_fields(IIS_DEFAULT)
    }
}

impl W3cLayout {
    /// The layout named by a `#Fields:` directive's value.
    pub fn from_fields(fields: &str) -> Self {
        let columns = fields
            .split_ascii_whitespace()
            .map(|f| match f.to_ascii_lowercase().as_str() {
                "date" => Column::Date,
                "time" => Column::Time,
                "c-ip" => Column::Client,
                "cs-username" => Column::User,
                "cs-method" => Column::Method,
                "cs-uri-stem" => Column::UriStem,
                "cs-uri-query" => Column::UriQuery,
                "cs-uri" => Column::Uri,
                "sc-status" => Column::Status,
                "sc-bytes" => Column::Bytes,
                "cs(user-agent)" => Column::UserAgent,
                "cs(referer)" | "cs(referrer)" => Column::Referer,
                "cs-version" | "cs-protocol-version" => Column::Protocol,
                "cs(x-forwarded-for)" | "x-forwarded-for" => Column::Forwarded,
                _ => Column::Other,
            })
            .collect();
        W3cLayout { columns }
    }

    /// The layout of the first `#Fields` directive in the first bytes of a file.
    pub fn from_head(head: &[u8]) -> Option<Self> {
        head.split(|&c| c == b'\n').find_map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            let rest = l.strip_prefix(b"#Fields:")?;
            Some(W3cLayout::from_fields(std::str::from_utf8(rest).ok()?))
        })
    }

    fn has(&self, c: Column) -> bool {
        self.columns.contains(&c)
    }
}

/// Parses one line with `layout`.
pub fn parse<'a>(line: &'a [u8], layout: &W3cLayout) -> Result<Parsed<'a>, ParseError> {
    if let Some(directive) = line.strip_prefix(b"#") {
        const KNOWN: [&[u8]; 7] = [
            b"Software:",
            b"Version:",
            b"Date:",
            b"Fields:",
            b"Remark:",
            b"Start-Date:",
            b"End-Date:",
        ];
        return if KNOWN.iter().any(|k| directive.starts_with(k)) {
            Ok(Parsed::Skip(None))
        } else {
            Err(ParseError::NotThisFormat)
        };
    }
    if !layout.has(Column::Date) || !layout.has(Column::Time) || !layout.has(Column::Status) {
        return Err(ParseError::NotThisFormat);
    }
    let sep = if memchr::memchr(b'\t', line).is_some() {
        b'\t'
    } else {
        b' '
    };
    let mut date: &[u8] = b"";
    let mut time: &[u8] = b"";
    let mut out = OwnedHttp::default();
    let mut peer: &[u8] = b"";
    let mut forwarded = None;
    let (mut stem, mut query): (&[u8], &[u8]) = (b"", b"");
    let mut n = 0;
    for (i, value) in line.split(|&c| c == sep).enumerate() {
        n = i + 1;
        let Some(&col) = layout.columns.get(i) else {
            return Err(ParseError::Field("fields"));
        };
        let dash = value == b"-";
        match col {
            Column::Date => date = value,
            Column::Time => time = value,
            Column::Client => peer = value,
            Column::User if !dash => out.user = Some(text(value, sep)),
            Column::Method => out.method = text(value, sep),
            Column::UriStem => stem = value,
            Column::UriQuery if !dash => query = value,
            Column::Uri => stem = value,
            Column::Status => {
                out.status = std::str::from_utf8(value)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or(ParseError::Field("sc-status"))?;
            }
            Column::Bytes => {
                out.bytes = std::str::from_utf8(value)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
            }
            Column::UserAgent if !dash => out.user_agent = text(value, sep),
            Column::Referer if !dash => out.referer = text(value, sep),
            Column::Protocol if !dash => out.protocol = text(value, sep),
            Column::Forwarded if !dash => forwarded = Some(value),
            _ => {}
        }
    }
    if n != layout.columns.len() {
        return Err(ParseError::Field("fields"));
    }
    out.time = datetime(date, time).ok_or(ParseError::Field("date"))?;
    if peer.is_empty() || peer == b"-" {
        return Err(ParseError::Field("c-ip"));
    }
    out.client = String::from_utf8_lossy(effective_client(peer, forwarded)).into_owned();
    if stem.is_empty() || stem == b"-" {
        return Err(ParseError::Field("cs-uri-stem"));
    }
    out.uri = String::from_utf8_lossy(stem).into_owned();
    if !query.is_empty() {
        out.uri.push('?');
        out.uri.push_str(&String::from_utf8_lossy(query));
    }
    Ok(Parsed::HttpOwned(Box::new(out)))
}

/// A value as text; IIS writes spaces inside values as `+`.
fn text(value: &[u8], sep: u8) -> String {
    let s = String::from_utf8_lossy(value);
    if sep == b' ' {
        s.replace('+', " ")
    } else {
        s.into_owned()
    }
}

/// `2024-03-04` and `00:00:01` (UTC) as epoch seconds.
fn datetime(date: &[u8], time: &[u8]) -> Option<i64> {
    if date.len() != 10 || time.len() < 8 {
        return None;
    }
    let mut iso = [0u8; 19];
    iso[..10].copy_from_slice(date);
    iso[10] = b'T';
    iso[11..].copy_from_slice(&time[..8]);
    timefmt::parse_iso(&iso, 0).map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::rfc3339;
    use proptest::prelude::*;

    fn http(p: Parsed<'_>) -> OwnedHttp {
        match p {
            Parsed::HttpOwned(h) => *h,
            other => panic!("not an HTTP record: {other:?}"),
        }
    }

    // The header and line shape IIS 10 writes with its default field selection
    // (Microsoft's "W3C Logging" documentation); addresses from RFC 5737.
    const IIS: &str = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2024-03-04 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n";

    #[test]
    fn iis_default_layout() {
        let layout = W3cLayout::from_head(IIS.as_bytes()).unwrap();
        assert_eq!(layout, W3cLayout::default());
        let line = b"2024-03-04 00:00:01 10.0.0.5 POST /owa/auth.owa ReturnUrl=%2fowa 443 taro 203.0.113.7 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 302 0 0 15";
        let r = http(parse(line, &layout).unwrap());
        let r = r.as_record();
        assert_eq!(rfc3339(r.time), "2024-03-04T00:00:01Z");
        assert_eq!(r.client, b"203.0.113.7");
        assert_eq!(r.method, b"POST");
        assert_eq!(r.uri, b"/owa/auth.owa?ReturnUrl=%2fowa");
        assert_eq!(r.user, Some(&b"taro"[..]));
        assert_eq!(r.status, 302);
        assert_eq!(r.user_agent, b"Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
        assert_eq!(r.referer, b"");
        for directive in IIS.lines() {
            assert!(matches!(
                parse(directive.as_bytes(), &layout),
                Ok(Parsed::Skip(None))
            ));
        }
    }

    #[test]
    fn cloudfront_tab_separated() {
        // Column list from AWS's "Standard logging (access logs)" reference.
        let head = b"#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for\n";
        let layout = W3cLayout::from_head(head).unwrap();
        let line = b"2024-03-04\t00:00:01\tNRT57-P1\t512\t198.51.100.7\tGET\td111.cloudfront.net\t/wp-login.php\t404\t-\tMozilla/5.0%20(X11)\t-\t-\tError\tabc==\texample.jp\thttps\t100\t0.001\t-";
        let r = http(parse(line, &layout).unwrap());
        let r = r.as_record();
        assert_eq!(r.client, b"198.51.100.7");
        assert_eq!(r.uri, b"/wp-login.php");
        assert_eq!(r.status, 404);
        assert_eq!(r.bytes, 512);
    }

    #[test]
    fn forwarded_client_behind_a_balancer() {
        let layout = W3cLayout::from_fields(
            "date time c-ip cs-method cs-uri-stem cs-uri-query sc-status X-Forwarded-For",
        );
        let line = b"2024-03-04 00:00:01 10.1.2.3 GET /login - 401 198.51.100.44";
        let r = http(parse(line, &layout).unwrap());
        assert_eq!(r.as_record().client, b"198.51.100.44");
    }

    #[test]
    fn bad_lines_name_the_field() {
        let layout = W3cLayout::default();
        let short = b"2024-03-04 00:00:01 10.0.0.5 GET / - 443";
        assert_eq!(
            parse(short, &layout).unwrap_err(),
            ParseError::Field("fields")
        );
        let bad_status = b"2024-03-04 00:00:01 10.0.0.5 GET / - 443 - 203.0.113.7 ua - abc 0 0 15";
        assert_eq!(
            parse(bad_status, &layout).unwrap_err(),
            ParseError::Field("sc-status")
        );
        let bad_date = b"2024-13-04 00:00:01 10.0.0.5 GET / - 443 - 203.0.113.7 ua - 200 0 0 15";
        assert_eq!(
            parse(bad_date, &layout).unwrap_err(),
            ParseError::Field("date")
        );
        assert_eq!(
            parse(b"# a comment", &layout).unwrap_err(),
            ParseError::NotThisFormat
        );
    }

    proptest! {
        #[test]
        fn never_panics(line in proptest::collection::vec(any::<u8>(), 0..300), fields in "[a-z()-]{0,20}( [a-z()-]{1,20}){0,12}") {
            let _ = parse(&line, &W3cLayout::default());
            let _ = parse(&line, &W3cLayout::from_fields(&fields));
        }
    }
}

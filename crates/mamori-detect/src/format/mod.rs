//! Log formats: detection and one parser per family.
//!
//! Every parser takes one line (bytes, any encoding) and returns a [`Parsed`]:
//! an HTTP access record for the classifiers, a ready [`Event`], or "understood but
//! not security-relevant". Malformed lines give a [`ParseError`] naming the field.

pub mod clf;
pub mod errorlog;
pub mod jsonl;
pub mod sshd;
pub mod syslog;

use crate::event::Event;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use jsonl::JsonFields;
pub use syslog::SyslogContext;

/// One HTTP request as an access log records it. Fields borrow from the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRecord<'a> {
    /// Seconds since the epoch, UTC.
    pub time: i64,
    /// Virtual host (`%v:%p` prefix), when logged.
    pub vhost: Option<&'a [u8]>,
    /// Client address as logged (usually an IP address).
    pub client: &'a [u8],
    /// Authenticated user (`$remote_user`), when logged.
    pub user: Option<&'a [u8]>,
    /// Request method (`GET`); empty for garbage requests.
    pub method: &'a [u8],
    /// Request target, path and query, still percent-encoded.
    pub uri: &'a [u8],
    /// Protocol (`HTTP/1.1`), possibly empty.
    pub protocol: &'a [u8],
    /// Response status.
    pub status: u16,
    /// Response body size.
    pub bytes: u64,
    /// Referer, empty when absent.
    pub referer: &'a [u8],
    /// User agent, empty when absent.
    pub user_agent: &'a [u8],
}

/// What a parser made of one line.
#[derive(Debug)]
pub enum Parsed<'a> {
    /// An HTTP request, to be classified.
    Http(HttpRecord<'a>),
    /// An HTTP request whose fields had to be decoded (JSON).
    HttpOwned(Box<jsonl::OwnedHttp>),
    /// A security-relevant event recognised directly (sshd, error logs).
    Event(Event),
    /// Understood, nothing security-relevant; the line's time when known.
    Skip(Option<i64>),
}

/// Why a line could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// The named field is missing or malformed.
    Field(&'static str),
    /// The line is not in the expected format at all.
    NotThisFormat,
    /// The line is longer than the configured maximum and was cut.
    TooLong,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Field(name) => write!(f, "field `{name}` is missing or malformed"),
            ParseError::NotThisFormat => f.write_str("line does not match the file's format"),
            ParseError::TooLong => f.write_str("line is longer than the maximum line length"),
        }
    }
}

/// The log format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Common / Combined Log Format (nginx, Apache, Traefik; optional vhost prefix).
    Clf,
    /// JSON lines access log (nginx `escape=json`, ECS, Traefik JSON, Caddy …).
    Json,
    /// Syslog: BSD (`/var/log/auth.log`, `secure`), RFC 5424, `journalctl -o short-iso`.
    /// sshd, HAProxy and account changes are recognised by program name.
    Syslog,
    /// Apache HTTP Server `error_log` (2.2 and 2.4), including ModSecurity.
    ApacheError,
    /// nginx `error.log`, including ModSecurity.
    NginxError,
}

impl Format {
    /// All formats, in detection order.
    pub const ALL: [Format; 5] = [
        Format::Clf,
        Format::Json,
        Format::Syslog,
        Format::ApacheError,
        Format::NginxError,
    ];

    /// The name users write in `--log-format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Clf => "clf",
            Format::Json => "json",
            Format::Syslog => "syslog",
            Format::ApacheError => "apache-error",
            Format::NginxError => "nginx-error",
        }
    }

    /// Parses a `--log-format` name; accepts common aliases.
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "clf" | "combined" | "common" | "nginx" | "apache" | "vhost_combined"
            | "vhost-combined" | "traefik" => Format::Clf,
            "json" | "jsonl" | "ndjson" | "ecs" => Format::Json,
            "syslog" | "auth" | "auth.log" | "secure" | "sshd" | "journal" | "journalctl"
            | "rfc5424" | "haproxy" => Format::Syslog,
            "apache-error" | "apache_error" | "error_log" => Format::ApacheError,
            "nginx-error" | "nginx_error" => Format::NginxError,
            _ => return None,
        })
    }
}

/// What a parser needs besides the line: inferred year and offset for BSD syslog,
/// JSON field names.
#[derive(Debug, Clone, Default)]
pub struct ParseContext {
    /// Year and UTC offset for timestamps that lack them.
    pub syslog: SyslogContext,
    /// Field names of JSON access logs.
    pub json: JsonFields,
}

/// Parses one line in `format`.
pub fn parse_line<'a>(
    format: Format,
    line: &'a [u8],
    ctx: &ParseContext,
) -> Result<Parsed<'a>, ParseError> {
    match format {
        Format::Clf => clf::parse(line).map(Parsed::Http),
        Format::Json => jsonl::parse(line, &ctx.json),
        Format::Syslog => syslog::parse(line, &ctx.syslog),
        Format::ApacheError => errorlog::parse_apache(line, &ctx.syslog),
        Format::NginxError => errorlog::parse_nginx(line, &ctx.syslog),
    }
}

/// Guesses the format of a file from its first lines: the format that parses most of
/// them wins; `None` when no format parses any.
pub fn detect(sample: &[u8], ctx: &ParseContext) -> Option<Format> {
    let lines: Vec<&[u8]> = sample
        .split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.trim_ascii().is_empty())
        .take(64)
        .collect();
    let mut best: Option<(Format, usize)> = None;
    for format in Format::ALL {
        let ok = lines
            .iter()
            .filter(|l| parse_line(format, l, ctx).is_ok())
            .count();
        if ok > 0 && best.is_none_or(|(_, n)| ok > n) {
            best = Some((format, ok));
        }
    }
    best.map(|(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_family() {
        let ctx = ParseContext::default();
        let cases: [(&[u8], Format); 6] = [
            (br#"1.2.3.4 - - [04/Mar/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "x""#, Format::Clf),
            (br#"{"time_local":"04/Mar/2024:00:00:01 +0000","remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":"200"}"#, Format::Json),
            (b"Mar  4 00:00:01 web01 sshd[123]: Failed password for root from 1.2.3.4 port 22 ssh2", Format::Syslog),
            (b"2024-03-04T00:00:01+0900 web01 sshd[123]: Accepted publickey for a from 1.2.3.4 port 2 ssh2", Format::Syslog),
            (b"[Mon Mar 04 00:00:01.123456 2024] [auth_basic:error] [pid 1] [client 1.2.3.4:5] AH01617: user bob: authentication failure for \"/admin\": Password Mismatch", Format::ApacheError),
            (b"2024/03/04 00:00:01 [error] 12#12: *5 user \"bob\": password mismatch, client: 1.2.3.4, server: x, request: \"GET /admin/ HTTP/1.1\", host: \"x\"", Format::NginxError),
        ];
        for (line, want) in cases {
            assert_eq!(
                detect(line, &ctx),
                Some(want),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(detect(b"just some text\nmore text\n", &ctx), None);
    }

    #[test]
    fn format_names_roundtrip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("combined"), Some(Format::Clf));
        assert_eq!(Format::from_name("nope"), None);
    }
}

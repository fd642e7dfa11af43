//! Log formats: detection and one parser per family.
//!
//! Every parser takes one line (bytes, any encoding) and returns a [`Parsed`]:
//! an HTTP access record for the classifiers, a ready [`Event`], or "understood but
//! not security-relevant". Malformed lines give a [`ParseError`] naming the field.

pub mod clf;
pub mod errorlog;
pub mod ftp;
pub mod journal;
pub mod jsonl;
pub mod ltsv;
pub mod mail;
pub mod pam;
pub mod sshd;
pub mod syslog;
pub mod w3c;
pub mod webadmin;

use crate::event::Event;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use jsonl::JsonFields;
pub use syslog::SyslogContext;
pub use w3c::W3cLayout;

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
    /// JSON lines access log (nginx `escape=json`, ECS, Traefik JSON, Caddy …), and the
    /// systemd journal's `journalctl -o json` / `json-seq` / `json-sse` export.
    Json,
    /// Syslog: BSD (`/var/log/auth.log`, `secure`, `mail.log`), RFC 5424, `journalctl -o
    /// short`, `short-iso`, `short-iso-precise`, `short-precise`, `short-full`,
    /// `short-unix`, lines without a time stamp from journal readers, Solaris and macOS
    /// variants, and the syslog-like own logs of Dovecot, Exim, vsftpd and ProFTPD.
    /// sshd, PAM, mail and FTP servers, Webmin, HAProxy and account changes are
    /// recognised by program name.
    Syslog,
    /// Apache HTTP Server `error_log` (2.2 and 2.4), including ModSecurity.
    ApacheError,
    /// nginx `error.log`, including ModSecurity.
    NginxError,
    /// LTSV access logs (`label:value` fields separated by tabs).
    Ltsv,
    /// W3C Extended Log File Format: Microsoft IIS, Amazon CloudFront.
    W3c,
}

impl Format {
    /// All formats, in detection order.
    pub const ALL: [Format; 7] = [
        Format::Clf,
        Format::Json,
        Format::Syslog,
        Format::ApacheError,
        Format::NginxError,
        Format::Ltsv,
        Format::W3c,
    ];

    /// The name users write in `--log-format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Clf => "clf",
            Format::Json => "json",
            Format::Syslog => "syslog",
            Format::ApacheError => "apache-error",
            Format::NginxError => "nginx-error",
            Format::Ltsv => "ltsv",
            Format::W3c => "w3c",
        }
    }

    /// Parses a `--log-format` name; accepts common aliases.
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "clf" | "combined" | "common" | "nginx" | "apache" | "vhost_combined"
            | "vhost-combined" | "traefik" => Format::Clf,
            "json" | "jsonl" | "ndjson" | "ecs" => Format::Json,
            "syslog" | "auth" | "auth.log" | "secure" | "sshd" | "journal" | "journalctl"
            | "rfc5424" | "haproxy" | "mail" | "maillog" | "mail.log" | "dovecot" | "postfix"
            | "exim" | "mainlog" | "vsftpd" | "proftpd" | "pure-ftpd" | "ftp" | "webmin" => {
                Format::Syslog
            }
            "apache-error" | "apache_error" | "error_log" => Format::ApacheError,
            "nginx-error" | "nginx_error" => Format::NginxError,
            "ltsv" => Format::Ltsv,
            "w3c" | "iis" | "cloudfront" | "w3c-extended" => Format::W3c,
            _ => return None,
        })
    }
}

/// What a parser needs besides the line: inferred year and offset for BSD syslog,
/// JSON field names, the column layout of a W3C log.
#[derive(Debug, Clone, Default)]
pub struct ParseContext {
    /// Year and UTC offset for timestamps that lack them.
    pub syslog: SyslogContext,
    /// Field names of JSON access logs.
    pub json: JsonFields,
    /// Columns of a W3C extended log (from its `#Fields` directive).
    pub w3c: W3cLayout,
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
        Format::Ltsv => ltsv::parse(line).map(Parsed::Http),
        Format::W3c => w3c::parse(line, &ctx.w3c),
    }
}

/// The text formats whose lines say what they are: a file of one of them may hold lines
/// of the others (`docker logs` of nginx interleaves its access and error logs; a
/// collected or concatenated log mixes syslog lines with a server's own).
const SELF_EVIDENT: [Format; 4] = [
    Format::Clf,
    Format::Syslog,
    Format::ApacheError,
    Format::NginxError,
];

/// Parses one line of a file in `format`, and a line that format does not know in the
/// other self-evident text formats; returns the format that parsed it (or the file's
/// format with its error, so that a bad line is reported as the file's).
pub fn parse_line_mixed<'a>(
    format: Format,
    line: &'a [u8],
    ctx: &ParseContext,
) -> (Format, Result<Parsed<'a>, ParseError>) {
    match parse_line(format, line, ctx) {
        Err(e) if SELF_EVIDENT.contains(&format) => SELF_EVIDENT
            .iter()
            .filter(|&&f| f != format)
            .find_map(|&f| parse_line(f, line, ctx).ok().map(|p| (f, Ok(p))))
            .unwrap_or((format, Err(e))),
        r => (format, r),
    }
}

/// The process a line comes from (host, program, pid) as a key, for the formats whose
/// lines name one: syslog lines and journal entries. See [`syslog::process_key`].
pub fn process_key(format: Format, line: &[u8], ctx: &ParseContext) -> Option<u64> {
    let journal = matches!(line.first(), Some(b'{' | b'\x1e')) || line.starts_with(b"data: {");
    match format {
        Format::Syslog | Format::Json if journal => journal::process_key(line),
        Format::Syslog => syslog::process_key(line, &ctx.syslog),
        _ => None,
    }
}

/// The address to attribute a request to when the server sits behind a load
/// balancer or reverse proxy: if the logged peer is an internal address
/// (loopback, private, link-local, unique-local, shared CGN space) and the request
/// carried `X-Forwarded-For`, the right-most external address in that header (the
/// one the proxy itself appended); otherwise the peer. A public peer's header is the
/// client's own claim and is ignored.
pub fn effective_client<'a>(peer: &'a [u8], forwarded_for: Option<&'a [u8]>) -> &'a [u8] {
    let Some(xff) = forwarded_for else {
        return peer;
    };
    if !parse_ip(peer).is_some_and(is_internal) {
        return peer;
    }
    xff.rsplit(|&c| c == b',')
        .map(<[u8]>::trim_ascii)
        .find(|hop| parse_ip(hop).is_some_and(|ip| !is_internal(ip)))
        .unwrap_or(peer)
}

/// An address as services write it in a message: `1.2.3.4`, `2001:db8::1`,
/// `[2001:db8::1]`, `::ffff:1.2.3.4` (IPv4-mapped, given as IPv4), with stray
/// brackets, quotes or a trailing comma; `None` for host names.
pub(crate) fn ip_token(b: &[u8]) -> Option<std::net::IpAddr> {
    let s = std::str::from_utf8(b).ok()?;
    let s = s.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | '<' | '>' | ',' | ';' | '"'));
    let ip: std::net::IpAddr = match s.parse() {
        Ok(ip) => ip,
        // `Received disconnect from 1.2.3.4: 11: …` (OpenSSH < 7.3): a trailing colon.
        Err(_) => s.strip_suffix(':')?.parse().ok()?,
    };
    Some(ip.to_canonical())
}

fn parse_ip(b: &[u8]) -> Option<std::net::IpAddr> {
    std::str::from_utf8(b).ok()?.parse().ok()
}

fn is_internal(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_loopback()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_internal(v4.into()))
        }
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
        let cases: [(&[u8], Format); 8] = [
            (br#"1.2.3.4 - - [04/Mar/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "x""#, Format::Clf),
            (br#"{"time_local":"04/Mar/2024:00:00:01 +0000","remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":"200"}"#, Format::Json),
            (b"Mar  4 00:00:01 web01 sshd[123]: Failed password for root from 1.2.3.4 port 22 ssh2", Format::Syslog),
            (b"2024-03-04T00:00:01+0900 web01 sshd[123]: Accepted publickey for a from 1.2.3.4 port 2 ssh2", Format::Syslog),
            (b"[Mon Mar 04 00:00:01.123456 2024] [auth_basic:error] [pid 1] [client 1.2.3.4:5] AH01617: user bob: authentication failure for \"/admin\": Password Mismatch", Format::ApacheError),
            (b"2024/03/04 00:00:01 [error] 12#12: *5 user \"bob\": password mismatch, client: 1.2.3.4, server: x, request: \"GET /admin/ HTTP/1.1\", host: \"x\"", Format::NginxError),
            (b"time:[04/Mar/2024:09:00:01 +0900]\thost:198.51.100.7\treq:GET / HTTP/1.1\tstatus:200\tsize:5", Format::Ltsv),
            (b"#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n2024-03-04 00:00:01 10.0.0.5 GET / - 443 - 203.0.113.7 curl/8 - 200 0 0 15", Format::W3c),
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
    fn forwarded_for_only_behind_an_internal_peer() {
        let x = Some(&b"203.0.113.9, 198.51.100.2, 10.0.0.7"[..]);
        assert_eq!(effective_client(b"10.0.0.1", x), b"198.51.100.2");
        assert_eq!(effective_client(b"::1", x), b"198.51.100.2");
        assert_eq!(effective_client(b"100.64.1.1", x), b"198.51.100.2");
        assert_eq!(effective_client(b"192.0.2.1", x), b"192.0.2.1");
        assert_eq!(
            effective_client(b"10.0.0.1", Some(b"10.9.9.9")),
            b"10.0.0.1"
        );
        assert_eq!(effective_client(b"10.0.0.1", Some(b"-")), b"10.0.0.1");
        assert_eq!(effective_client(b"10.0.0.1", None), b"10.0.0.1");
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

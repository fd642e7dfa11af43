//! Syslog in its three common shapes, then dispatch by program name:
//!
//! ```text
//! Mar  4 00:00:01 web01 sshd[2345]: Failed password for root from 203.0.113.9 port 53422 ssh2
//! 2024-03-04T00:00:01.123456+09:00 web01 sshd[2345]: …        (rsyslog high precision, journalctl -o short-iso)
//! <38>1 2024-03-04T00:00:01Z web01 sshd 2345 - - …             (RFC 5424)
//! ```
//!
//! BSD timestamps carry neither year nor offset; [`SyslogContext`] supplies them.

use super::{HttpRecord, ParseError, Parsed, clf, sshd};
use crate::event::{Event, EventKind, Service};
use crate::timefmt;
use memchr::memchr;

/// Year and offset for timestamps that lack them (BSD syslog, error logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyslogContext {
    /// The year of the file's last modification: lines from a later month than
    /// `reference_month` belong to the year before.
    pub reference_year: i64,
    /// The month (1–12) of the file's last modification.
    pub reference_month: u32,
    /// Seconds east of UTC of the machine that wrote the log.
    pub offset_secs: i64,
}

impl Default for SyslogContext {
    fn default() -> Self {
        SyslogContext {
            reference_year: 2024,
            reference_month: 12,
            offset_secs: 0,
        }
    }
}

impl SyslogContext {
    /// Epoch seconds of a BSD timestamp.
    pub fn resolve(&self, month: u32, day: u32, secs_of_day: i64) -> i64 {
        let year = if month > self.reference_month {
            self.reference_year - 1
        } else {
            self.reference_year
        };
        timefmt::days_from_civil(year, month, day) * 86_400 + secs_of_day - self.offset_secs
    }
}

/// The header fields of a syslog line.
#[derive(Debug, PartialEq, Eq)]
pub struct SyslogLine<'a> {
    /// Epoch seconds, UTC.
    pub time: i64,
    /// Host name.
    pub host: &'a [u8],
    /// Program (tag) without the pid.
    pub program: &'a [u8],
    /// The message after `program[pid]: `.
    pub message: &'a [u8],
}

/// Splits a syslog line into its header fields.
pub fn split<'a>(line: &'a [u8], ctx: &SyslogContext) -> Result<SyslogLine<'a>, ParseError> {
    let mut s = line;
    // Optional <PRI>
    if s.first() == Some(&b'<') {
        let end = memchr(b'>', &s[..s.len().min(6)]).ok_or(ParseError::NotThisFormat)?;
        s = &s[end + 1..];
        if let Some(rest) = s.strip_prefix(b"1 ") {
            return split_5424(rest, ctx);
        }
    }
    let (time, rest) = if s.first().is_some_and(u8::is_ascii_digit) {
        let (t, n) = timefmt::parse_iso(s, ctx.offset_secs).ok_or(ParseError::Field("time"))?;
        (t, &s[n..])
    } else {
        let (m, d, secs) = timefmt::parse_bsd(s).ok_or(ParseError::NotThisFormat)?;
        (ctx.resolve(m, d, secs), &s[15..])
    };
    let rest = rest.strip_prefix(b" ").ok_or(ParseError::Field("host"))?;
    let sp = memchr(b' ', rest).ok_or(ParseError::Field("host"))?;
    let host = &rest[..sp];
    let rest = &rest[sp + 1..];
    let colon = memchr(b':', rest).ok_or(ParseError::Field("program"))?;
    let tag = &rest[..colon];
    if tag.contains(&b' ') {
        return Err(ParseError::Field("program"));
    }
    let program = match memchr(b'[', tag) {
        Some(i) => &tag[..i],
        None => tag,
    };
    let message = rest[colon + 1..]
        .strip_prefix(b" ")
        .unwrap_or(&rest[colon + 1..]);
    Ok(SyslogLine {
        time,
        host,
        program,
        message,
    })
}

fn split_5424<'a>(s: &'a [u8], ctx: &SyslogContext) -> Result<SyslogLine<'a>, ParseError> {
    let (time, n) = timefmt::parse_iso(s, ctx.offset_secs).ok_or(ParseError::Field("time"))?;
    let mut parts = s[n..].trim_ascii_start().splitn(5, |&c| c == b' ');
    let host = parts.next().ok_or(ParseError::Field("host"))?;
    let program = parts.next().ok_or(ParseError::Field("program"))?;
    let _procid = parts.next().ok_or(ParseError::Field("procid"))?;
    let _msgid = parts.next().ok_or(ParseError::Field("msgid"))?;
    let rest = parts.next().unwrap_or(b"");
    // Structured data: "-" or one or more [..] blocks.
    let message = if let Some(r) = rest.strip_prefix(b"-") {
        r.strip_prefix(b" ").unwrap_or(r)
    } else if rest.first() == Some(&b'[') {
        skip_structured_data(rest)
    } else {
        rest
    };
    let message = message
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(message);
    Ok(SyslogLine {
        time,
        host,
        program,
        message,
    })
}

fn skip_structured_data(mut s: &[u8]) -> &[u8] {
    while s.first() == Some(&b'[') {
        let mut i = 1;
        let mut in_quotes = false;
        while i < s.len() {
            match s[i] {
                b'\\' => i += 1,
                b'"' => in_quotes = !in_quotes,
                b']' if !in_quotes => break,
                _ => {}
            }
            i += 1;
        }
        s = s.get(i + 1..).unwrap_or(b"");
    }
    s.strip_prefix(b" ").unwrap_or(s)
}

/// Parses a syslog line and recognises the programs Mamori understands.
pub fn parse<'a>(line: &'a [u8], ctx: &SyslogContext) -> Result<Parsed<'a>, ParseError> {
    let l = split(line, ctx)?;
    match l.program {
        b"sshd" | b"sshd-session" | b"sshd-auth" => {
            Ok(sshd::parse(l.time, l.message).map_or(Parsed::Skip(Some(l.time)), Parsed::Event))
        }
        b"haproxy" => match haproxy(l.time, l.message) {
            Some(rec) => Ok(Parsed::Http(rec)),
            None => Ok(Parsed::Skip(Some(l.time))),
        },
        b"useradd" | b"adduser" => {
            Ok(account_change(l.time, l.message).map_or(Parsed::Skip(Some(l.time)), Parsed::Event))
        }
        _ => Ok(Parsed::Skip(Some(l.time))),
    }
}

/// `useradd[1234]: new user: name=sysupd, UID=1006, …` → an `other` event.
fn account_change(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"new user: name=")?;
    let end = rest
        .iter()
        .position(|&c| c == b',' || c == b' ')
        .unwrap_or(rest.len());
    let mut ev = Event::new(time, EventKind::Other, Service::Other);
    ev.user = Some(String::from_utf8_lossy(&rest[..end]).into());
    ev.detail = Some("new local account created (useradd)".into());
    Some(ev)
}

/// HAProxy `option httplog` message:
/// `10.0.1.2:33317 [06/Feb/2009:12:14:14.655] fe be/srv 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {hdrs} "GET / HTTP/1.1"`
fn haproxy(time: i64, msg: &[u8]) -> Option<HttpRecord<'_>> {
    let sp = memchr(b' ', msg)?;
    let addr = &msg[..sp];
    let client = match memchr::memrchr(b':', addr) {
        Some(i) if !addr[..i].contains(&b':') || addr.first() == Some(&b'[') => {
            let host = &addr[..i];
            host.strip_prefix(b"[")
                .and_then(|h| h.strip_suffix(b"]"))
                .unwrap_or(host)
        }
        _ => addr,
    };
    let rest = msg[sp + 1..].strip_prefix(b"[")?;
    let close = memchr(b']', rest)?;
    let mut fields = rest[close + 1..]
        .split(|&c| c == b' ')
        .filter(|t| !t.is_empty());
    let _frontend = fields.next()?;
    let _backend = fields.next()?;
    let _timers = fields.next()?;
    let status = clf::parse_u16(fields.next()?)?;
    let raw_bytes = fields.next()?;
    // HAProxy prefixes the size with `+` when the response was truncated.
    let bytes = clf::parse_u64(raw_bytes.strip_prefix(b"+").unwrap_or(raw_bytes)).unwrap_or(0);
    let q = memchr(b'"', msg)?;
    let req = &msg[q + 1..];
    let req = req.strip_suffix(b"\"").unwrap_or(req);
    let (method, uri, protocol) = clf::split_request(req);
    Some(HttpRecord {
        time,
        vhost: None,
        client,
        user: None,
        method,
        uri,
        protocol,
        status,
        bytes,
        referer: b"",
        user_agent: b"",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::rfc3339;

    fn ctx() -> SyslogContext {
        SyslogContext {
            reference_year: 2024,
            reference_month: 3,
            offset_secs: 9 * 3600,
        }
    }

    #[test]
    fn bsd_header_uses_reference_year_and_offset() {
        let l = split(b"Mar  4 09:00:01 web01 sshd[2345]: hello", &ctx()).unwrap();
        assert_eq!(rfc3339(l.time), "2024-03-04T00:00:01Z");
        assert_eq!(l.host, b"web01");
        assert_eq!(l.program, b"sshd");
        assert_eq!(l.message, b"hello");
        // December lines in a file last written in March are from the year before.
        let d = split(b"Dec 31 09:00:00 web01 cron: x", &ctx()).unwrap();
        assert_eq!(rfc3339(d.time), "2023-12-31T00:00:00Z");
    }

    #[test]
    fn iso_and_5424_headers() {
        let l = split(b"2024-03-04T00:00:01+0000 web01 sshd[1]: x y", &ctx()).unwrap();
        assert_eq!(rfc3339(l.time), "2024-03-04T00:00:01Z");
        assert_eq!(l.message, b"x y");
        let r = split(
            b"<38>1 2024-03-04T00:00:01.5Z web01 sshd 77 - [meta a=\"]\"] Accepted",
            &ctx(),
        )
        .unwrap();
        assert_eq!(r.program, b"sshd");
        assert_eq!(r.message, b"Accepted");
        let r2 = split(
            b"<38>1 2024-03-04T00:00:01Z web01 sshd 77 ID47 - msg",
            &ctx(),
        )
        .unwrap();
        assert_eq!(r2.message, b"msg");
    }

    #[test]
    fn haproxy_httplog_becomes_http_record() {
        let line = b"Feb  6 12:14:14 lb haproxy[14389]: 10.0.1.2:33317 [06/Feb/2024:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 \"GET /index.html?id=1 HTTP/1.1\"";
        match parse(line, &ctx()).unwrap() {
            Parsed::Http(r) => {
                assert_eq!(r.client, b"10.0.1.2");
                assert_eq!(r.status, 200);
                assert_eq!(r.bytes, 2750);
                assert_eq!(r.uri, b"/index.html?id=1");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn useradd_is_an_account_change() {
        match parse(
            b"Mar  4 00:10:00 web01 useradd[99]: new user: name=sysupd, UID=1006, GID=1006",
            &ctx(),
        )
        .unwrap()
        {
            Parsed::Event(e) => {
                assert_eq!(e.kind, EventKind::Other);
                assert_eq!(e.user.as_deref(), Some("sysupd"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn not_syslog() {
        assert!(split(b"hello", &ctx()).is_err());
        assert!(split(b"<1", &ctx()).is_err());
    }
}

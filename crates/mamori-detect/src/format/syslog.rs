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
    if let Some(l) = roundcube_line(s) {
        return Ok(l);
    }
    let iso = s.first().is_some_and(u8::is_ascii_digit);
    let (time, rest) = if iso {
        let (t, n) = timefmt::parse_iso(s, ctx.offset_secs).ok_or(ParseError::Field("time"))?;
        (t, &s[n..])
    } else if let Some(l) = ctime_line(s, ctx) {
        return Ok(l);
    } else {
        let (m, d, secs, mut n) = timefmt::parse_bsd(s).ok_or(ParseError::NotThisFormat)?;
        // `journalctl -o short-precise`: fractional seconds.
        if s.get(n) == Some(&b'.') {
            n += 1;
            while s.get(n).is_some_and(u8::is_ascii_digit) {
                n += 1;
            }
        }
        (ctx.resolve(m, d, secs), &s[n..])
    };
    if iso && rest.starts_with(b": (") {
        // lighttpd's `server.errorlog`: `2024-03-04 10:00:00: (mod_auth.c.525) …`.
        return Ok(SyslogLine {
            time,
            host: b"",
            program: b"lighttpd",
            message: &rest[2..],
        });
    }
    if !rest.starts_with(b" ") {
        return Err(ParseError::Field("host"));
    }
    // `log show --style syslog` (macOS) puts two spaces after the time.
    let rest = rest.trim_ascii_start();
    if iso && rest.starts_with(b"0x") {
        return unified_log(time, rest);
    }
    let sp = memchr(b' ', rest).ok_or(ParseError::Field("host"))?;
    let host = &rest[..sp];
    let rest = &rest[sp + 1..];
    if let Some(tag) = host.strip_suffix(b":") {
        // No host: a program's own log file in syslog layout (Dovecot `log_path`:
        // `Mar 04 09:10:00 imap-login: Info: …`), or a tag in brackets (`[sshd]:`).
        let tag = tag
            .strip_prefix(b"[")
            .and_then(|t| t.strip_suffix(b"]"))
            .unwrap_or(tag);
        return Ok(SyslogLine {
            time,
            host: b"",
            program: memchr(b'[', tag).map_or(tag, |i| &tag[..i]),
            message: rest,
        });
    }
    let colon = memchr(b':', rest);
    let first_sp = memchr(b' ', rest);
    let tag_has_space = match (colon, first_sp) {
        (Some(c), Some(sp)) => sp < c,
        (Some(_), None) => false,
        (None, _) => true,
    };
    if tag_has_space {
        let sp = first_sp.unwrap_or(rest.len());
        // `program[pid] message` without a colon (ProFTPD's own log), or an Exim
        // main log line (`2024-03-04 09:10:00 1qX…-00 <= …`, `… authenticator failed …`).
        let tag = &rest[..sp];
        if let Some(open) = memchr(b'[', tag)
            && tag.ends_with(b"]")
            && tag[open + 1..tag.len() - 1].iter().all(u8::is_ascii_digit)
        {
            return Ok(SyslogLine {
                time,
                host,
                program: &tag[..open],
                message: rest.get(sp + 1..).unwrap_or(b""),
            });
        }
        if iso && is_exim_main(host, rest, true) {
            let message = &s[s.len() - rest.len() - host.len() - 1..];
            return Ok(SyslogLine {
                time,
                host: b"",
                program: b"exim",
                message,
            });
        }
        return Err(ParseError::Field("program"));
    }
    if iso && is_exim_main(host, rest, false) {
        // `2024-03-04 10:06:00 H=(helo) [1.2.3.4]:5 … rejected RCPT …` (a colon early).
        let message = &s[s.len() - rest.len() - host.len() - 1..];
        return Ok(SyslogLine {
            time,
            host: b"",
            program: b"exim",
            message,
        });
    }
    let colon = colon.ok_or(ParseError::Field("program"))?;
    let tag = &rest[..colon];
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

/// A line of Exim's main log: `2024-03-04 09:10:00 [pid] <message id> …`, or an
/// authenticator failure (`dovecot_login authenticator failed for …`).
/// With `deep`, also looks for an authenticator failure in the message.
fn is_exim_main(first: &[u8], rest: &[u8], deep: bool) -> bool {
    let id = |t: &[u8]| {
        // 1qXabc-000123-AB (Exim < 4.97) or 1qXabc-00000000012-ABCD (4.97+).
        (t.len() == 16 || t.len() == 23)
            && t[6] == b'-'
            && t[t.len() - if t.len() == 16 { 3 } else { 5 }] == b'-'
            && t.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    let first = if first.starts_with(b"[") && first.ends_with(b"]") {
        rest.split(|&c| c == b' ').next().unwrap_or(b"")
    } else {
        first
    };
    (deep && id(first))
        || first.starts_with(b"H=")
        || first == b"SMTP"
        || (deep && rest.starts_with(b"no MAIL in SMTP connection from "))
        || (deep
            && (memchr::memmem::find(rest, b" authenticator failed for ").is_some()
                || rest.starts_with(b"authenticator failed for ")))
}

/// Roundcube's own log file (`log_driver = file`, the default: `logs/errors.log`):
/// `[22-Jan-2024 22:28:21 +0900]: <sess> IMAP Error: Login failed for … from …`.
fn roundcube_line(s: &[u8]) -> Option<SyslogLine<'_>> {
    if s.len() < 30 || s[0] != b'[' || s[3] != b'-' || s[7] != b'-' {
        return None;
    }
    let close = memchr(b']', &s[..s.len().min(40)])?;
    // `22-Jan-2024 22:28:21 +0900` is CLF's `22/Jan/2024:22:28:21 +0900` in other dress.
    let mut clf = s[1..close].to_vec();
    if clf.len() < 20 {
        return None;
    }
    clf[2] = b'/';
    clf[6] = b'/';
    clf[11] = b':';
    let time = timefmt::parse_clf(&clf)?;
    let message = s[close + 1..].strip_prefix(b": ")?;
    Some(SyslogLine {
        time,
        host: b"",
        program: b"roundcube",
        message,
    })
}

/// vsftpd's own log (`vsftpd.log`, ctime time): `Mon Mar  4 09:10:00 2024 [pid 1234] [alice] FAIL LOGIN: Client "…"`.
fn ctime_line<'a>(s: &'a [u8], ctx: &SyslogContext) -> Option<SyslogLine<'a>> {
    if s.len() < 26 || s[3] != b' ' || !s[..3].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    if !DAYS.contains(&&s[..3]) {
        return None;
    }
    let (m, d, secs, 15) = timefmt::parse_bsd(&s[4..])? else {
        return None;
    };
    if s[19] != b' ' || s[24] != b' ' {
        return None;
    }
    let year: i64 = std::str::from_utf8(&s[20..24]).ok()?.parse().ok()?;
    let message = &s[25..];
    if !message.starts_with(b"[pid ") {
        return None;
    }
    let time = timefmt::days_from_civil(year, m, d) * 86_400 + secs - ctx.offset_secs;
    Some(SyslogLine {
        time,
        host: b"",
        program: b"vsftpd",
        message,
    })
}

/// macOS `log show` default style after the time:
/// `0x2a3b  Default  0x0  1234  0  sshd-session: (libpam.2.dylib) message`.
fn unified_log(time: i64, rest: &[u8]) -> Result<SyslogLine<'_>, ParseError> {
    let mut r = rest;
    for _ in 0..5 {
        let sp = memchr(b' ', r).ok_or(ParseError::Field("program"))?;
        r = r[sp..].trim_ascii_start();
    }
    let colon = memchr(b':', r).ok_or(ParseError::Field("program"))?;
    let tag = &r[..colon];
    if tag.contains(&b' ') {
        return Err(ParseError::Field("program"));
    }
    let program = match memchr(b'[', tag) {
        Some(i) => &tag[..i],
        None => tag,
    };
    let mut message = r[colon + 1..].trim_ascii_start();
    // `(library) ` and `[subsystem:category] ` before the text.
    for (open, close) in [(b'(', b')'), (b'[', b']')] {
        if message.first() == Some(&open)
            && let Some(end) = memchr(close, message)
        {
            message = message[end + 1..].trim_ascii_start();
        }
    }
    Ok(SyslogLine {
        time,
        host: b"",
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

/// The process a syslog line comes from, as a key: host, program and pid
/// (`host sshd[4242]:`). `None` when the line names no pid. Lines of one sshd
/// process belong to one connection, so an address on one of them is the address
/// of the others (`Disconnecting: Too many authentication failures [preauth]`).
pub fn process_key(line: &[u8], ctx: &SyslogContext) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let l = split(line, ctx).ok()?;
    let range = line.as_ptr_range();
    if !range.contains(&l.program.as_ptr()) {
        return None;
    }
    let after = l.program.as_ptr() as usize - line.as_ptr() as usize + l.program.len();
    let tail = line[after..].strip_prefix(b"[")?;
    let close = memchr(b']', &tail[..tail.len().min(12)])?;
    let pid = &tail[..close];
    if pid.is_empty() || !pid.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (l.host, l.program, pid).hash(&mut h);
    Some(h.finish())
}

/// Parses a syslog line and recognises the programs Mamori understands.
pub fn parse<'a>(line: &'a [u8], ctx: &SyslogContext) -> Result<Parsed<'a>, ParseError> {
    let mut l = split(line, ctx)?;
    // rsyslog's repeated-message reduction: `message repeated 5 times: [ Failed password …]`.
    if let Some(inner) = l.message.strip_prefix(b"message repeated ")
        && let Some(i) = memchr::memmem::find(inner, b" times: [ ")
    {
        let m = &inner[i + 10..];
        l.message = m.strip_suffix(b"]").unwrap_or(m);
    }
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
        _ => Ok(service(&l).map_or(Parsed::Skip(Some(l.time)), Parsed::Event)),
    }
}

/// The services brute-forced next to SSH, by program name, and PAM lines of any
/// program.
fn service(l: &SyslogLine<'_>) -> Option<Event> {
    let (p, m, t) = (l.program, l.message, l.time);
    if m.starts_with(b"pam_") || m.starts_with(b"(pam_") {
        return super::pam::parse_for(t, p, m);
    }
    if memchr::memmem::find(p, b"(pam_").is_some() {
        return super::pam::parse_old(t, p, m);
    }
    if p.starts_with(b"dovecot") {
        return super::mail::dovecot(t, m);
    }
    if p.ends_with(b"-login") || p == b"auth" || p.starts_with(b"auth-worker") {
        return super::mail::dovecot_process(t, p, m);
    }
    if p.starts_with(b"postfix") {
        return super::mail::postfix(t, m);
    }
    if m.starts_with(b"LOGIN FAILED, ") {
        return super::mail::courier(t, p, m);
    }
    if m.starts_with(b"badlogin: ") {
        return super::mail::cyrus(t, m);
    }
    if p.starts_with(b"httpd") || p.starts_with(b"apache") {
        return super::errorlog::apache_message(t, m);
    }
    match p {
        b"sendmail" | b"sm-mta" | b"sm-acceptingconnections" => super::mail::sendmail(t, m),
        b"roundcube" => super::webadmin::roundcube(t, m),
        b"lighttpd" => super::errorlog::lighttpd(t, m),
        b"dropbear" => super::sshd::dropbear(t, m),
        b"exim" | b"exim4" => super::mail::exim(t, m),
        b"vsftpd" => super::ftp::vsftpd(t, m),
        b"proftpd" => super::ftp::proftpd(t, m),
        b"pure-ftpd" | b"pureftpd" => super::ftp::pure_ftpd(t, m),
        b"webmin" | b"usermin" | b"miniserv.pl" | b"perl" => super::webadmin::webmin(t, m),
        _ => None,
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

//! Syslog in its common shapes, then dispatch by program name:
//!
//! ```text
//! Mar  4 00:00:01 web01 sshd[2345]: Failed password for root from 203.0.113.9 port 53422 ssh2
//! 2024-03-04T00:00:01.123456+09:00 web01 sshd[2345]: …        (rsyslog high precision, journalctl -o short-iso[-precise])
//! <38>1 2024-03-04T00:00:01Z web01 sshd 2345 - - …             (RFC 5424)
//! Mar 04 00:00:01.123456 web01 sshd[2345]: …                   (journalctl -o short-precise)
//! Mon 2024-03-04 09:00:01 JST web01 sshd[2345]: …               (journalctl -o short-full, with-unit)
//! 1709510401.123456 web01 sshd[2345]: …                         (journalctl -o short-unix)
//! @400000004c91b044077a9e94 imap-login: Info: …                 (TAI64N: daemontools multilog, s6-log)
//! web01 sshd[2345]: …                                           (no time: journal readers such as fail2ban)
//! ```
//!
//! BSD timestamps carry neither year nor offset; [`SyslogContext`] supplies them.
//! A line without a time stamp is read only when its program is one of the services
//! parsed here ([`is_service_program`]) and it names a pid, so that ordinary text
//! (`Note: this is…`) is not taken for a log line; its events carry no time
//! ([`crate::event::Event::time_unknown`]) until the chunk parser gives them the time of
//! an earlier line. `journalctl -o json` lines go to [`super::journal`].

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
    /// Epoch seconds, UTC; `None` when the line has no time stamp (`host sshd[1]: …`).
    pub time: Option<i64>,
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
    let digit = s.first().is_some_and(u8::is_ascii_digit);
    let iso = digit
        .then(|| timefmt::parse_iso(s, ctx.offset_secs))
        .flatten();
    let (time, rest) = if let Some((t, n)) = iso {
        (t, &s[n..])
    } else if let Some((t, n)) = digit.then(|| timefmt::parse_unix(s)).flatten() {
        // `journalctl -o short-unix`.
        (t, &s[n..])
    } else if let Some((t, n)) = timefmt::parse_tai64n(s) {
        // A TAI64N label (daemontools `multilog t`): `@4000… imap-login: Info: …`.
        (t, &s[n..])
    } else if let Some(l) = ctime_line(s, ctx) {
        return Ok(l);
    } else if let Some((t, n)) = timefmt::parse_short_full(s, ctx.offset_secs) {
        // `journalctl -o short-full` / `with-unit`.
        (t, &s[n..])
    } else {
        let Some((m, d, secs, mut n)) = timefmt::parse_bsd(s) else {
            return untimed(s);
        };
        // `journalctl -o short-precise`: fractional seconds.
        if s.get(n) == Some(&b'.') {
            n += 1;
            while s.get(n).is_some_and(u8::is_ascii_digit) {
                n += 1;
            }
        }
        (ctx.resolve(m, d, secs), &s[n..])
    };
    let iso = iso.is_some();
    let (at, time) = (time, Some(time));
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
        return unified_log(at, rest);
    }
    let sp = memchr(b' ', rest).ok_or(ParseError::Field("host"))?;
    let host = &rest[..sp];
    let rest = &rest[sp + 1..];
    if let Some(tag) = host.strip_prefix(b"[").and_then(|t| t.strip_suffix(b"]"))
        && tag.first().is_some_and(u8::is_ascii_alphabetic)
        && tag
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/'))
    {
        // metalog (Gentoo's syslog daemon): no host, the program in brackets and no
        // colon: `Jun 25 23:53:34 [sshd] User root from 1.2.3.4 not allowed …`. (Exim's
        // `[pid]` after the time is digits.)
        return Ok(SyslogLine {
            time,
            host: b"",
            program: tag,
            message: rest,
        });
    }
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

/// A header without a time stamp: `host prog[pid]: message`, as journal readers
/// print an entry (`_HOSTNAME SYSLOG_IDENTIFIER[_PID]: MESSAGE`: fail2ban's journal
/// backend, `journalctl -o cat` with those fields), or `prog[pid]: message`. Host and
/// program are single words of the characters host names and program names use, and
/// the pid is digits; [`parse`] then reads the line only for a service program.
fn untimed(s: &[u8]) -> Result<SyslogLine<'_>, ParseError> {
    let word = |w: &[u8], extra: &[u8]| {
        !w.is_empty()
            && w.len() <= 255
            && w.iter()
                .all(|c| c.is_ascii_alphanumeric() || b"._-".contains(c) || extra.contains(c))
    };
    let sp = memchr(b' ', s).ok_or(ParseError::NotThisFormat)?;
    let (host, rest) = if s[..sp].ends_with(b":") {
        (&b""[..], s)
    } else {
        (&s[..sp], &s[sp + 1..])
    };
    let sp = memchr(b' ', rest).ok_or(ParseError::NotThisFormat)?;
    let tag = rest[..sp]
        .strip_suffix(b"]:")
        .ok_or(ParseError::NotThisFormat)?;
    let open = memchr(b'[', tag).ok_or(ParseError::NotThisFormat)?;
    let (program, pid) = (&tag[..open], &tag[open + 1..]);
    let pid_ok = (1..=10).contains(&pid.len()) && pid.iter().all(u8::is_ascii_digit);
    if !pid_ok || !word(program, b"/") || !(host.is_empty() || word(host, b":")) {
        return Err(ParseError::NotThisFormat);
    }
    Ok(SyslogLine {
        time: None,
        host,
        program,
        message: &rest[sp + 1..],
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
        time: Some(time),
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
        time: Some(time),
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
        time: Some(time),
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
        time: Some(time),
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

/// The process key and client address of an sshd `Connection from <ip> port <n>` line
/// (see [`sshd::connection_from`]), which gives no event but tells the address of its
/// process's later lines.
pub fn sshd_connection(line: &[u8], ctx: &SyslogContext) -> Option<(u64, std::net::IpAddr)> {
    let l = split(line, ctx).ok()?;
    if !matches!(l.program, b"sshd" | b"sshd-session") {
        return None;
    }
    let ip = sshd::connection_from(l.message)?;
    Some((process_key(line, ctx)?, ip))
}

/// Parses a syslog line and recognises the programs Mamori understands. A
/// `journalctl -o json` line (forced `--log-format journal`) goes to [`super::journal`].
pub fn parse<'a>(line: &'a [u8], ctx: &SyslogContext) -> Result<Parsed<'a>, ParseError> {
    if matches!(line.first(), Some(b'{' | b'\x1e')) || line.starts_with(b"data: {") {
        return super::journal::parse(line);
    }
    let l = split(line, ctx)?;
    if l.time.is_none() && !is_service_program(l.program) {
        // Without a time stamp only the services' own lines are read: the shape
        // `word word[digits]: text` alone is too common in ordinary text.
        return Err(ParseError::NotThisFormat);
    }
    Ok(dispatch(l))
}

/// Whether `program` is one of the services whose messages [`dispatch`] reads (not
/// HAProxy, account changes or PAM lines of any program: a line without a time stamp
/// is read only for these). Kept beside `service`, whose names it lists.
pub fn is_service_program(p: &[u8]) -> bool {
    matches!(
        p,
        b"sshd"
            | b"sshd-session"
            | b"sshd-auth"
            | b"dropbear"
            | b"sendmail"
            | b"sm-mta"
            | b"sm-acceptingconnections"
            | b"roundcube"
            | b"lighttpd"
            | b"exim"
            | b"exim4"
            | b"vsftpd"
            | b"proftpd"
            | b"pure-ftpd"
            | b"pureftpd"
            | b"wu-ftpd"
            | b"webmin"
            | b"usermin"
            | b"miniserv.pl"
            // Courier and Cyrus, whose messages `service` recognises by their text.
            | b"imapd"
            | b"imapd-ssl"
            | b"pop3d"
            | b"pop3d-ssl"
            | b"courier-imapd"
            | b"courier-pop3d"
            | b"imap"
            | b"imaps"
            | b"pop3"
            | b"pop3s"
    ) || p.starts_with(b"dovecot")
        || (p.ends_with(b"-login") && p.len() > 6)
        || p.starts_with(b"postfix/")
        || p.starts_with(b"cyrus/")
        || p.starts_with(b"httpd")
        || p.starts_with(b"apache")
}

/// What a syslog line's message means, by its program: sshd, HAProxy, account
/// changes, then the other services. Also reads the messages of journal entries.
/// A line without a time stamp gives events at time 0 marked
/// [`Event::time_unknown`], and `Skip(None)`.
pub fn dispatch(mut l: SyslogLine<'_>) -> Parsed<'_> {
    // rsyslog's repeated-message reduction: `message repeated 5 times: [ Failed password …]`.
    if let Some(inner) = l.message.strip_prefix(b"message repeated ")
        && let Some(i) = memchr::memmem::find(inner, b" times: [ ")
    {
        let m = &inner[i + 10..];
        l.message = m.strip_suffix(b"]").unwrap_or(m);
    }
    let t = l.time.unwrap_or(0);
    let event = match l.program {
        b"sshd" | b"sshd-session" | b"sshd-auth" => sshd::parse(t, l.message),
        b"haproxy" => {
            return match (l.time, haproxy(t, l.message)) {
                (Some(_), Some(rec)) => Parsed::Http(rec),
                _ => Parsed::Skip(l.time),
            };
        }
        b"useradd" | b"adduser" => account_change(t, l.message),
        _ => service(&l, t),
    };
    match event {
        Some(mut ev) => {
            ev.time_unknown = l.time.is_none();
            Parsed::Event(ev)
        }
        None => Parsed::Skip(l.time),
    }
}

/// The services brute-forced next to SSH, by program name, and PAM lines of any
/// program.
fn service(l: &SyslogLine<'_>, t: i64) -> Option<Event> {
    let (p, m) = (l.program, l.message);
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
        b"wu-ftpd" | b"ftpd" => super::ftp::wu_ftpd(t, m),
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
        assert_eq!(rfc3339(l.time.unwrap()), "2024-03-04T00:00:01Z");
        assert_eq!(l.host, b"web01");
        assert_eq!(l.program, b"sshd");
        assert_eq!(l.message, b"hello");
        // December lines in a file last written in March are from the year before.
        let d = split(b"Dec 31 09:00:00 web01 cron: x", &ctx()).unwrap();
        assert_eq!(rfc3339(d.time.unwrap()), "2023-12-31T00:00:00Z");
    }

    #[test]
    fn iso_and_5424_headers() {
        let l = split(b"2024-03-04T00:00:01+0000 web01 sshd[1]: x y", &ctx()).unwrap();
        assert_eq!(rfc3339(l.time.unwrap()), "2024-03-04T00:00:01Z");
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
    fn metalog_lines_name_their_program_in_brackets() {
        // metalog's own layout (Gentoo; fail2ban gh-267): no host, no colon.
        let l = split(
            b"Jun 25 23:53:34 [sshd] User root from 203.0.113.4 not allowed because not listed in AllowUsers",
            &ctx(),
        )
        .unwrap();
        assert_eq!((l.host, l.program), (&b""[..], &b"sshd"[..]));
        match parse(l.message, &ctx()) {
            Err(_) => {}
            other => panic!("a bare message is not a syslog line: {other:?}"),
        }
        match dispatch(l) {
            Parsed::Event(e) => {
                assert_eq!(e.source, Some("203.0.113.4".parse().unwrap()));
                assert_eq!(e.user.as_deref(), Some("root"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn not_syslog() {
        assert!(split(b"hello", &ctx()).is_err());
        assert!(split(b"<1", &ctx()).is_err());
    }

    #[test]
    fn journalctl_short_headers() {
        let want = "2026-12-06T04:35:30Z";
        for line in [
            &b"2026-12-06T13:35:30+0900 web04 sshd[3001]: x"[..],
            b"2026-12-06T13:35:30.014176+0900 web04 sshd[3001]: x",
            b"Dec 06 13:35:30.014176 web04 sshd[3001]: x",
            b"Sun 2026-12-06 13:35:30 JST web04 sshd[3001]: x",
            b"1796531730.014176 web04 sshd[3001]: x",
        ] {
            let l = split(line, &ctx()).unwrap();
            let c = SyslogContext {
                reference_year: 2026,
                reference_month: 12,
                ..ctx()
            };
            let t = if line.starts_with(b"Dec") {
                split(line, &c).unwrap().time
            } else {
                l.time
            };
            assert_eq!(
                rfc3339(t.unwrap()),
                want,
                "{}",
                String::from_utf8_lossy(line)
            );
            assert_eq!(
                (l.host, l.program, l.message),
                (&b"web04"[..], &b"sshd"[..], &b"x"[..])
            );
        }
    }

    #[test]
    fn untimed_lines_of_services_only() {
        let l = split(b"srv sshd[31602]: Failed password", &ctx()).unwrap();
        assert_eq!(
            (l.time, l.host, l.program),
            (None, &b"srv"[..], &b"sshd"[..])
        );
        let n = split(b"postfix/smtpd[7]: warning: x", &ctx()).unwrap();
        assert_eq!((n.host, n.program), (&b""[..], &b"postfix/smtpd"[..]));
        let ev = |line: &[u8]| match parse(line, &ctx()) {
            Ok(Parsed::Event(e)) => Some(e),
            _ => None,
        };
        let e = ev(b"srv sshd[31602]: Failed password for invalid user ROOT from 194.117.26.69 port 50273 ssh2").unwrap();
        assert!(e.time_unknown);
        assert_eq!(e.time, 0);
        assert_eq!(e.source, Some("194.117.26.69".parse().unwrap()));
        assert!(ev(b"dropbear[1]: Bad password attempt for 'root' from 203.0.113.9:5").is_some());
        assert!(matches!(
            parse(b"srv sshd[1]: Server listening on 0.0.0.0 port 22.", &ctx()),
            Ok(Parsed::Skip(None))
        ));
        // Ordinary text and other programs without a time stamp are not syslog.
        for text in [
            &b"srv kernel[0]: Failed password for root from 203.0.113.9 port 1 ssh2"[..],
            b"srv su[12]: pam_unix(su:auth): authentication failure; logname= uid=1000 euid=0 tty=pts/0 ruser=a rhost=  user=root",
            b"Note: sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2",
            b"srv sshd: Failed password for root from 203.0.113.9 port 1 ssh2",
            b"srv sshd[x]: Failed password for root from 203.0.113.9 port 1 ssh2",
            b"the sshd[1]: daemon said Failed password for root from 203.0.113.9 port 1 ssh2",
            b"srv haproxy[1]: 10.0.1.2:33317 [06/Feb/2024:12:14:14.655] a b/c 1/2/3/4/5 200 1 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"",
            b"1.2.3.4 - - [04/Mar/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5",
        ] {
            assert!(ev(text).is_none(), "{}", String::from_utf8_lossy(text));
        }
        assert!(parse(b"srv kernel[0]: x", &ctx()).is_err());
        assert!(parse(b"Note: sshd[1]: x", &ctx()).is_err());
    }
}

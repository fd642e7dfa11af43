//! Apache and nginx error logs: HTTP authentication failures, probes for files that
//! do not exist or are denied, rate limiting, and ModSecurity.
//!
//! ```text
//! [Mon Mar 04 00:00:01.123456 2024] [auth_basic:error] [pid 1:tid 2] [client 1.2.3.4:5] AH01617: user bob: authentication failure for "/admin": Password Mismatch
//! [Mon Mar 04 00:00:01 2024] [error] [client 1.2.3.4] user bob not found: /admin
//! 2024/03/04 00:00:01 [error] 12#12: *5 user "bob": password mismatch, client: 1.2.3.4, server: x, request: "GET /admin/ HTTP/1.1", host: "x"
//! … ModSecurity: Access denied with code 403 (phase 2). … [id "942100"] [msg "SQL Injection Attack Detected via libinjection"] … [uri "/item"] …
//! ```
//!
//! Probes (Apache 2.4 AH codes of `core`, `mod_cgi`, `mod_authz_core`,
//! `mod_access_compat`, `mod_autoindex`/`mod_dir`, and their 2.2 texts; nginx
//! `ngx_http_static_module`, `ngx_http_index_module`, `ngx_http_access_module`,
//! `ngx_http_limit_req_module`):
//!
//! ```text
//! … [core:info] [pid 1] [client 1.2.3.4:5] AH00128: File does not exist: /var/www/html/.env
//! … [authz_core:error] [pid 1] [client 1.2.3.4:5] AH01630: client denied by server configuration: /var/www/html/.git
//! … [cgi:error] [pid 1] [client 1.2.3.4:5] AH02811: script not found or unable to stat: /usr/lib/cgi-bin/php
//! 2024/03/04 00:00:01 [error] 12#12: *5 open() "/usr/share/nginx/html/.env" failed (2: No such file or directory), client: 1.2.3.4, …
//! 2024/03/04 00:00:01 [error] 12#12: *5 limiting requests, excess: 10.520 by zone "login", client: 1.2.3.4, …
//! ```
//!
//! Digest authentication (`mod_auth_digest` AH01790 user not found, AH01792 password
//! mismatch) counts as an authentication failure like basic authentication.
//!
//! Both formats lack a UTC offset; the file's offset comes from [`SyslogContext`].

use super::{ParseError, Parsed, SyslogContext};
use crate::event::{AttackKind, Event, EventKind, Service};
use crate::timefmt;
use memchr::{memchr, memmem};
use std::net::IpAddr;

/// Parses an Apache `error_log` line.
pub fn parse_apache<'a>(line: &'a [u8], ctx: &SyslogContext) -> Result<Parsed<'a>, ParseError> {
    let rest = line.strip_prefix(b"[").ok_or(ParseError::NotThisFormat)?;
    let close = memchr(b']', rest).ok_or(ParseError::NotThisFormat)?;
    let time = apache_time(&rest[..close], ctx).ok_or(ParseError::Field("time"))?;
    let rest = &rest[close + 1..];
    // The level block must follow: [error] or [module:level].
    let lvl = rest.strip_prefix(b" [").ok_or(ParseError::Field("level"))?;
    memchr(b']', lvl).ok_or(ParseError::Field("level"))?;
    let client = bracket_field(rest, b"[client ").and_then(parse_ip_port);
    Ok(classify(time, rest, client).map_or(Parsed::Skip(Some(time)), Parsed::Event))
}

/// Parses an nginx `error.log` line.
pub fn parse_nginx<'a>(line: &'a [u8], ctx: &SyslogContext) -> Result<Parsed<'a>, ParseError> {
    // 2024/03/04 00:00:01 [level] pid#tid: …
    if line.len() < 21 || line[4] != b'/' || line[7] != b'/' || line[10] != b' ' {
        return Err(ParseError::NotThisFormat);
    }
    let mut iso = [0u8; 19];
    iso.copy_from_slice(&line[..19]);
    iso[4] = b'-';
    iso[7] = b'-';
    let (time, _) = timefmt::parse_iso(&iso, ctx.offset_secs).ok_or(ParseError::Field("time"))?;
    let rest = &line[20..];
    if line[19] != b' ' || !rest.starts_with(b"[") {
        return Err(ParseError::Field("level"));
    }
    memchr(b']', rest).ok_or(ParseError::Field("level"))?;
    let client = memmem::find(rest, b", client: ")
        .map(|i| &rest[i + 10..])
        .and_then(|c| c.split(|&b| b == b',').next())
        .and_then(parse_ip_port);
    Ok(classify(time, rest, client).map_or(Parsed::Skip(Some(time)), Parsed::Event))
}

/// An Apache error-log message after its time, as Apache's `ErrorLog syslog` sends it:
/// `httpd[22034]: [authz_core:error] [pid 22034] [client 192.0.2.1:58585] AH01630: …`.
pub fn apache_message(time: i64, msg: &[u8]) -> Option<Event> {
    if !msg.starts_with(b"[") {
        return None;
    }
    let client = bracket_field(msg, b"[client ").and_then(parse_ip_port);
    classify(time, msg, client)
}

/// lighttpd's error log (`mod_auth.c`, `http_auth.c` before 1.4.46), after the time:
/// `(mod_auth.c.525) password doesn't match for /admin username: bob, IP: 203.0.113.9`,
/// `(mod_auth.c.791) digest: auth failed for  bob : wrong password, IP: 203.0.113.9`,
/// `(http_auth.c.877) get_password failed, IP: 203.0.113.9`.
pub fn lighttpd(time: i64, msg: &[u8]) -> Option<Event> {
    let i = memmem::rfind(msg, b"IP: ")?;
    let ip = super::ip_token(msg[i + 4..].split(|&c| c == b' ' || c == b',').next()?)?;
    let failed = [
        &b"password doesn't match"[..],
        b"auth failed",
        b"get_password failed",
        b"user not found",
    ]
    .iter()
    .any(|n| memmem::find(msg, n).is_some());
    if !failed {
        return None;
    }
    let user = memmem::find(msg, b"username: ")
        .map(|u| &msg[u + 10..])
        .or_else(|| memmem::find(msg, b"auth failed for ").map(|u| &msg[u + 16..]))
        .map(|u| {
            let u = u.trim_ascii_start();
            &u[..u
                .iter()
                .position(|&c| c == b',' || c == b' ')
                .unwrap_or(u.len())]
        })
        .filter(|u| !u.is_empty());
    let path = memmem::find(msg, b"doesn't match for ")
        .map(|p| &msg[p + 18..])
        .and_then(|p| p.split(|&c| c == b' ').next());
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Http);
    ev.source = Some(ip);
    ev.user = user.map(|u| String::from_utf8_lossy(u).into());
    ev.status = 401;
    ev.target = Some(
        path.map(|p| format!("basic-auth {}", String::from_utf8_lossy(p)))
            .unwrap_or_else(|| "basic-auth".to_owned())
            .into(),
    );
    ev.detail = Some("HTTP authentication failure (lighttpd)".into());
    Some(ev)
}

fn classify(time: i64, msg: &[u8], client: Option<IpAddr>) -> Option<Event> {
    if let Some(i) = memmem::find(msg, b"ModSecurity: ") {
        return modsecurity(time, &msg[i..], client);
    }
    if memmem::find(msg, b"ignoring function definition attempt").is_some()
        || memmem::find(msg, b"error importing function definition for").is_some()
    {
        // bash refusing a Shellshock payload that a CGI received in a header
        // (AH01215 carries bash's stderr): CVE-2014-6271 / CVE-2014-7169.
        let mut ev = Event::new(time, EventKind::Attack, Service::Http);
        ev.source = client;
        ev.attack = Some(AttackKind::KnownExploit);
        ev.reference = Some("CVE-2014-6271".into());
        ev.detail = Some("Shellshock function definition in a CGI environment".into());
        return Some(ev);
    }
    let Some(user) = auth_failure_user(msg) else {
        return probe(time, msg, client);
    };
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Http);
    ev.source = client;
    ev.user = Some(String::from_utf8_lossy(user).into());
    ev.status = 401;
    ev.target = Some(
        request_path(msg)
            .map(|p| format!("basic-auth {}", String::from_utf8_lossy(p)))
            .unwrap_or_else(|| "basic-auth".to_owned())
            .into(),
    );
    ev.detail = Some("HTTP authentication failure (error log)".into());
    Some(ev)
}

/// Error-log messages that show a client probing: missing files and scripts,
/// denied paths, forbidden directory listings, rate limiting, malformed requests.
/// Only the traversal Apache refuses (AH10244) carries an attack kind: a malformed
/// request line is as often a TLS handshake sent to the HTTP port as an attack, and
/// stays a plain probe so that it raises no web-attack finding on its own.
fn probe(time: i64, msg: &[u8], client: Option<IpAddr>) -> Option<Event> {
    // (needle, what, attack): the first that occurs wins.
    const PROBES: [(&[u8], &str, Option<AttackKind>); 39] = [
        // mod_auth_digest (2.2 `Digest: …`, 2.4 AH01777–AH01793): a client sending
        // forged or replayed digest credentials.
        // A nonce from the future or of the wrong length is forged; one whose hash no
        // longer matches is as often a browser holding a nonce from before a server
        // restart (no event).
        (
            b" received - user attempted time travel",
            "HTTP digest authentication: invalid nonce",
            None,
        ),
        (
            b" received - length is not ",
            "HTTP digest authentication: invalid nonce",
            None,
        ),
        (
            b"realm mismatch - got ",
            "HTTP digest authentication: realm mismatch",
            None,
        ),
        (
            b"unknown algorithm `",
            "HTTP digest authentication: unknown algorithm",
            None,
        ),
        (
            b"invalid qop `",
            "HTTP digest authentication: invalid qop",
            None,
        ),
        (
            b"uri mismatch - <",
            "HTTP digest authentication: URI mismatch",
            None,
        ),
        // mod_authz_*: an authenticated user refused (AH01631, AH01637).
        (
            b": authorization failure for ",
            "authorization failure",
            None,
        ),
        (b"Authorization of user ", "authorization failure", None),
        // mod_ssl AH02031–AH02033: SNI and Host disagree (virtual-host probing).
        (b"provided via SNI", "SNI and Host header mismatch", None),
        (
            b"No hostname was provided via SNI",
            "no SNI for a name-based virtual host",
            None,
        ),
        (
            b"request failed: erroneous characters after protocol string",
            "malformed request headers",
            None,
        ),
        // Apache 2.2: `script '/var/www/x.php' not found or unable to stat`.
        (b"' not found or unable to stat", "script not found", None),
        (
            b"request failed: error reading the headers",
            "malformed request headers",
            None,
        ),
        // nginx: a client sending garbage instead of a TLS handshake (scanners).
        (
            b"SSL_do_handshake() failed (SSL: error:",
            "TLS handshake failed (malformed ClientHello)",
            None,
        ),
        (b"Cannot map ", "cannot map request to file", None),
        (
            b"request failed: malformed request line",
            "malformed request line",
            None,
        ),
        (b"client sent invalid request", "invalid request", None),
        (
            b"Directory index forbidden by rule: ",
            "directory listing forbidden",
            None,
        ),
        (
            b"attempt to invoke directory as script: ",
            "directory invoked as script",
            None,
        ),
        (b"Primary script unknown", "PHP script not found", None),
        (b"File name too long: ", "file name too long", None),
        (
            b"Invalid method in request ",
            "invalid request method",
            None,
        ),
        (b"request failed: URI too long", "URI too long", None),
        (b"File does not exist: ", "file does not exist", None),
        (
            b"script not found or unable to stat: ",
            "script not found",
            None,
        ),
        (
            b"client denied by server configuration: ",
            "client denied by server configuration",
            None,
        ),
        (
            b"Cannot serve directory ",
            "directory listing forbidden",
            None,
        ),
        (
            b"invalid URI path (",
            "invalid URI path (traversal)",
            Some(AttackKind::PathTraversal),
        ),
        (b"Invalid URI in request ", "invalid URI in request", None),
        (b"\" is not found (", "file not found", None),
        (
            b"\" failed (2: No such file or directory)",
            "file not found",
            None,
        ),
        (b"\" failed (13: Permission denied)", "access denied", None),
        (b"\" failed (20: Not a directory)", "file not found", None),
        (b"directory index of \"", "directory index forbidden", None),
        (
            b"access forbidden by rule",
            "access forbidden by rule",
            None,
        ),
        (
            b"limiting requests, excess: ",
            "rate limited (limit_req)",
            None,
        ),
        (
            b"limiting connections by zone ",
            "rate limited (limit_conn)",
            None,
        ),
        (
            b"client used wrong authentication scheme",
            "wrong authentication scheme",
            None,
        ),
        (
            b"client sent invalid method",
            "invalid request method",
            None,
        ),
    ];
    let (at, what, attack) = PROBES.iter().find_map(|(needle, what, attack)| {
        memmem::find(msg, needle).map(|i| (i + needle.len(), *what, *attack))
    })?;
    let mut ev = Event::new(time, EventKind::Probe, Service::Http);
    ev.source = client;
    ev.attack = attack;
    if attack == Some(AttackKind::PathTraversal) {
        ev.kind = EventKind::Attack;
    }
    // The request path (nginx), else the file the message names (Apache).
    let target = request_path(msg).or_else(|| {
        let rest = &msg[at..];
        let end = memmem::find(rest, b", referer: ")
            .or_else(|| memchr(b'"', rest))
            .or_else(|| memmem::find(rest, b", client: "))
            .unwrap_or(rest.len());
        let t = rest[..end].trim_ascii();
        (!t.is_empty() && !what.starts_with("rate")).then_some(t)
    });
    ev.target = target.map(|t| String::from_utf8_lossy(&t[..t.len().min(200)]).into());
    ev.detail = Some(what.into());
    Some(ev)
}

/// The message text after the server's own header: Apache's `[level] [pid …] [client …]`
/// blocks, an `AH01234: ` code and a `Digest: ` prefix; nginx's `[level] pid#tid: *cid `.
/// Whatever follows may hold client text (a path, a user name), so a message is
/// recognised by how this text *starts*, never by a phrase found further on (a request
/// for `/[client 1.2.3.4] user root not found` is a missing file, not a login failure).
fn message_body(msg: &[u8]) -> &[u8] {
    let mut b = msg.trim_ascii_start();
    while b.first() == Some(&b'[') {
        match memchr(b']', b) {
            Some(i) => b = b[i + 1..].trim_ascii_start(),
            None => break,
        }
    }
    // nginx: `1234#0: *56 `
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = digits(b);
    if n > 0 && b.get(n) == Some(&b'#') {
        let m = n + 1 + digits(&b[n + 1..]);
        if let Some(r) = b[m..].strip_prefix(b": ") {
            b = r;
            if let Some(r) = b.strip_prefix(b"*") {
                let k = digits(r);
                b = r[k..].trim_ascii_start();
            }
        }
    }
    // Apache 2.4: `AH01617: `
    if b.len() > 9
        && b.starts_with(b"AH")
        && b[2..7].iter().all(u8::is_ascii_digit)
        && b[7..].starts_with(b": ")
    {
        b = &b[9..];
    }
    b.strip_prefix(b"Digest: ").unwrap_or(b)
}

/// The user name of an HTTP basic/digest authentication failure, if `msg` is one.
fn auth_failure_user(msg: &[u8]) -> Option<&[u8]> {
    let rest = message_body(msg).strip_prefix(b"user ")?;
    match rest.first()? {
        // Apache mod_auth_digest: user `bob' in realm `x' not found: /uri
        b'`' => {
            let end = memchr(b'\'', &rest[1..])? + 1;
            memmem::find(&rest[end..], b"not found")?;
            Some(&rest[1..end])
        }
        // nginx: user "bob": password mismatch | user "bob" was not found in "…"
        b'"' => {
            let end = memchr(b'"', &rest[1..])? + 1;
            let after = &rest[end + 1..];
            (after.starts_with(b": password mismatch") || after.starts_with(b" was not found in"))
                .then_some(&rest[1..end])
        }
        // Apache: user bob: authentication failure for "/x": Password Mismatch |
        // user bob not found: /x | (digest) user bob: password mismatch: /uri
        _ => [
            &b": authentication failure for"[..],
            b" not found",
            b": password mismatch",
        ]
        .iter()
        .filter_map(|n| memmem::find(rest, n))
        .min()
        .map(|j| &rest[..j]),
    }
}

fn request_path(msg: &[u8]) -> Option<&[u8]> {
    if let Some(i) = memmem::find(msg, b"request: \"") {
        let req = &msg[i + 10..];
        let req = &req[..memchr(b'"', req)?];
        return Some(super::clf::split_request(req).1);
    }
    let i = memmem::find(msg, b"failure for \"")?;
    let p = &msg[i + 13..];
    Some(&p[..memchr(b'"', p)?])
}

fn modsecurity(time: i64, msg: &[u8], client: Option<IpAddr>) -> Option<Event> {
    let blocked = msg.starts_with(b"ModSecurity: Access denied");
    let warning = msg.starts_with(b"ModSecurity: Warning");
    if !blocked && !warning {
        return None;
    }
    let id = bracket_field(msg, b"[id \"").map(|v| v.strip_suffix(b"\"").unwrap_or(v));
    let rule_msg = bracket_field(msg, b"[msg \"").map(|v| v.strip_suffix(b"\"").unwrap_or(v));
    let attack = crs_kind(id, msg);
    let mut ev = Event::new(time, EventKind::Attack, Service::Http);
    ev.attack = Some(attack);
    ev.source = client;
    ev.status = if blocked { 403 } else { 0 };
    ev.target = bracket_field(msg, b"[uri \"")
        .map(|v| String::from_utf8_lossy(v.strip_suffix(b"\"").unwrap_or(v)).into());
    ev.detail = Some(
        format!(
            "ModSecurity {} rule {}: {}",
            if blocked { "blocked" } else { "warning" },
            String::from_utf8_lossy(id.unwrap_or(b"?")),
            String::from_utf8_lossy(rule_msg.unwrap_or(b""))
        )
        .into(),
    );
    Some(ev)
}

/// Maps an OWASP Core Rule Set id (or `attack-*` tag) to an attack kind.
fn crs_kind(id: Option<&[u8]>, msg: &[u8]) -> AttackKind {
    let id: u32 = id
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    match id / 1000 {
        930 => return AttackKind::PathTraversal,
        931 => return AttackKind::FileInclusion,
        932 | 933 => return AttackKind::CommandInjection,
        941 => return AttackKind::Xss,
        942 => return AttackKind::Sqli,
        944 => return AttackKind::Jndi,
        913 => return AttackKind::Scanner,
        _ => {}
    }
    for (tag, kind) in [
        (&b"attack-sqli"[..], AttackKind::Sqli),
        (b"attack-xss", AttackKind::Xss),
        (b"attack-lfi", AttackKind::PathTraversal),
        (b"attack-rfi", AttackKind::FileInclusion),
        (b"attack-rce", AttackKind::CommandInjection),
        (b"attack-injection-php", AttackKind::CommandInjection),
        (b"attack-injection-java", AttackKind::Jndi),
        (b"attack-reputation-scanner", AttackKind::Scanner),
    ] {
        if memmem::find(msg, tag).is_some() {
            return kind;
        }
    }
    AttackKind::WafBlock
}

/// The value after `prefix` up to the closing `]`.
fn bracket_field<'a>(s: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let i = memmem::find(s, prefix)?;
    let rest = &s[i + prefix.len()..];
    Some(&rest[..memchr(b']', rest)?])
}

/// `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443` or a bare IPv6 address.
fn parse_ip_port(b: &[u8]) -> Option<IpAddr> {
    let s = std::str::from_utf8(b).ok()?.trim();
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(v6) = s.strip_prefix('[') {
        return v6.split(']').next()?.parse().ok();
    }
    s.rsplit_once(':')?.0.parse().ok()
}

/// `Mon Mar 04 00:00:01.123456 2024` (Apache 2.4) or `Mon Mar 04 00:00:01 2024` (2.2).
fn apache_time(b: &[u8], ctx: &SyslogContext) -> Option<i64> {
    let parts: Vec<&[u8]> = b.split(|&c| c == b' ').filter(|p| !p.is_empty()).collect();
    let [_, mon, day, clock, year] = parts.as_slice() else {
        return None;
    };
    let month = timefmt::month_from_abbr(mon)?;
    let day: u32 = std::str::from_utf8(day).ok()?.parse().ok()?;
    let year: i64 = std::str::from_utf8(year).ok()?.parse().ok()?;
    let iso = format!(
        "{year:04}-{month:02}-{day:02}T{}",
        std::str::from_utf8(clock.get(..8)?).ok()?
    );
    timefmt::parse_iso(iso.as_bytes(), ctx.offset_secs).map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::rfc3339;

    fn ev(p: Parsed<'_>) -> Event {
        match p {
            Parsed::Event(e) => e,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    #[test]
    fn apache_auth_failures() {
        let ctx = SyslogContext::default();
        let e = ev(parse_apache(b"[Mon Mar 04 00:00:01.123456 2024] [auth_basic:error] [pid 1:tid 2] [client 1.2.3.4:5] AH01617: user bob: authentication failure for \"/admin\": Password Mismatch", &ctx).unwrap());
        assert_eq!(e.kind, EventKind::AuthFailure);
        assert_eq!(e.user.as_deref(), Some("bob"));
        assert_eq!(e.source, Some("1.2.3.4".parse().unwrap()));
        assert_eq!(e.target.as_deref(), Some("basic-auth /admin"));
        assert_eq!(rfc3339(e.time), "2024-03-04T00:00:01Z");
        let e2 = ev(parse_apache(
            b"[Mon Mar 04 00:00:01 2024] [error] [client 1.2.3.4] user eve not found: /admin",
            &ctx,
        )
        .unwrap());
        assert_eq!(e2.user.as_deref(), Some("eve"));
        assert!(matches!(
            parse_apache(b"[Mon Mar 04 00:00:01 2024] [notice] Apache configured -- resuming normal operations", &ctx).unwrap(),
            Parsed::Skip(Some(_))
        ));
    }

    #[test]
    fn nginx_auth_failure_and_modsecurity() {
        let ctx = SyslogContext::default();
        let e = ev(parse_nginx(b"2024/03/04 00:00:01 [error] 12#12: *5 user \"bob\": password mismatch, client: 1.2.3.4, server: x, request: \"GET /admin/ HTTP/1.1\", host: \"x\"", &ctx).unwrap());
        assert_eq!(e.user.as_deref(), Some("bob"));
        assert_eq!(e.target.as_deref(), Some("basic-auth /admin/"));
        let m = ev(parse_nginx(b"2024/03/04 00:00:01 [error] 1#1: *9 [client 5.6.7.8] ModSecurity: Access denied with code 403 (phase 2). Matched [file \"x\"] [line \"1\"] [id \"942100\"] [msg \"SQL Injection Attack Detected via libinjection\"] [uri \"/item\"] [unique_id \"1\"], client: 5.6.7.8, server: x, request: \"GET /item?id=1' HTTP/1.1\", host: \"x\"", &ctx).unwrap());
        assert_eq!(m.kind, EventKind::Attack);
        assert_eq!(m.attack, Some(AttackKind::Sqli));
        assert_eq!(m.source, Some("5.6.7.8".parse().unwrap()));
        assert_eq!(m.target.as_deref(), Some("/item"));
        assert!(m.detail.as_deref().unwrap().contains("blocked"));
    }

    #[test]
    fn not_error_logs() {
        let ctx = SyslogContext::default();
        assert!(parse_apache(b"hello", &ctx).is_err());
        assert!(parse_nginx(b"2024-03-04 00:00:01 x", &ctx).is_err());
    }
}

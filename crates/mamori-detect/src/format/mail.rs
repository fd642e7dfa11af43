//! Mail servers' login messages: Dovecot (IMAP/POP3), Postfix SMTP AUTH (SASL) and
//! Exim authenticators.
//!
//! ```text
//! dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=203.0.113.9, lip=192.0.2.1, TLS, session=<…>
//! dovecot: pop3-login: Aborted login (auth failed, 3 attempts in 12 secs): user=<info>, method=PLAIN, rip=203.0.113.9, …
//! dovecot: auth: passwd-file(alice,203.0.113.9): unknown user
//! postfix/smtpd[1]: warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6
//! exim: dovecot_login authenticator failed for (User) [203.0.113.9]: 535 Incorrect authentication data (set_id=alice)
//! ```
//!
//! Dovecot logs one summary per connection (`… (auth failed, N attempts …)`), and with
//! `auth_verbose = yes` one `auth:` line per attempt; the per-attempt lines are marked
//! [`Event::restated`] so that both together count once.
//! Texts: Dovecot 2.2–2.3 `src/login-common/client-common.c` (`client_get_log_str`,
//! disconnect reasons) and `src/auth/auth-request.c`; Postfix 3 `smtpd_sasl_glue.c`;
//! Exim 4 `smtp_in.c` (`authenticator failed for`).

use super::ip_token;
use crate::event::{AttackKind, Event, EventKind, Service};
use memchr::memmem;
use std::net::IpAddr;

/// A Dovecot message (after the syslog tag): `imap-login: …`, `auth: …`,
/// `auth-worker(123): …`, with or without a `Info: ` level.
pub fn dovecot(time: i64, msg: &[u8]) -> Option<Event> {
    let colon = memmem::find(msg, b": ")?;
    dovecot_process(time, &msg[..colon], &msg[colon + 2..])
}

/// A Dovecot message whose process (`imap-login`, `auth`, `auth-worker(12)`) is
/// already split off: Dovecot's own log file (`log_path`) names it in the tag.
pub fn dovecot_process(time: i64, process: &[u8], rest: &[u8]) -> Option<Event> {
    let rest = strip_level(rest);
    if process.ends_with(b"-login") {
        return dovecot_login(time, process, rest);
    }
    if process.starts_with(b"auth") {
        return dovecot_auth(time, rest);
    }
    None
}

fn strip_level(s: &[u8]) -> &[u8] {
    for l in [
        &b"Info: "[..],
        b"Warning: ",
        b"Error: ",
        b"Fatal: ",
        b"Debug: ",
    ] {
        if let Some(r) = s.strip_prefix(l) {
            return r;
        }
    }
    s
}

/// `imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x>, …, rip=IP, …`
fn dovecot_login(time: i64, process: &[u8], rest: &[u8]) -> Option<Event> {
    let proto = process.strip_suffix(b"-login").unwrap_or(process);
    let target = "dovecot";
    let ip = kv(rest, b"rip=").and_then(ip_token);
    let user = kv(rest, b"user=<").map(|u| u.strip_suffix(b">").unwrap_or(u));
    let user = user.filter(|u| !u.is_empty());
    let proto_s = String::from_utf8_lossy(proto).to_ascii_uppercase();
    let mut ev = if rest.starts_with(b"Login: ") {
        let mut ev = Event::new(time, EventKind::AuthSuccess, Service::Mail);
        ev.detail = Some(format!("{proto_s} login").into());
        ev
    } else if memmem::find(rest, b"(auth failed, ").is_some() {
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
        let n = memmem::find(rest, b"(auth failed, ")
            .map(|i| &rest[i + 14..])
            .and_then(|r| r.split(|&c| c == b' ').next())
            .unwrap_or(b"?");
        ev.detail = Some(
            format!(
                "{proto_s} login failed ({} attempts)",
                String::from_utf8_lossy(n)
            )
            .into(),
        );
        ev
    } else if memmem::find(rest, b"(no auth attempts").is_some()
        || memmem::find(rest, b"(disconnected before auth was ready").is_some()
    {
        let mut ev = Event::new(time, EventKind::Probe, Service::Mail);
        ev.attack = Some(AttackKind::ServiceScan);
        ev.detail = Some(format!("{proto_s} connection without login").into());
        ev
    } else if memmem::find(rest, b"(tried to use disabled plaintext auth)").is_some()
        || memmem::find(rest, b"(tried to use disallowed plaintext auth)").is_some()
    {
        let mut ev = Event::new(time, EventKind::Probe, Service::Mail);
        ev.attack = Some(AttackKind::ServiceScan);
        ev.detail = Some(format!("{proto_s} plaintext login refused").into());
        ev
    } else {
        return None;
    };
    ev.source = ip;
    ev.user = user.map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some(target.into());
    Some(ev)
}

/// `passwd-file(alice,203.0.113.9): unknown user`,
/// `pam(alice,203.0.113.9,<sess>): pam_authenticate() failed: Authentication failure (password mismatch?)`,
/// `sql(alice,203.0.113.9,<sess>): Password mismatch`.
fn dovecot_auth(time: i64, rest: &[u8]) -> Option<Event> {
    let open = memchr::memchr(b'(', rest)?;
    let close = memmem::find(&rest[open..], b"): ")? + open;
    let args = &rest[open + 1..close];
    let text = &rest[close + 3..];
    let unknown = text.starts_with(b"unknown user");
    let mismatch = memmem::find(text, b"assword mismatch").is_some()
        || text.starts_with(b"pam_authenticate() failed")
        || text.starts_with(b"Invalid password");
    if !unknown && !mismatch {
        return None;
    }
    let mut parts = args.split(|&c| c == b',');
    let user = parts.next().filter(|u| !u.is_empty() && *u != b"?");
    let ip = parts.next().and_then(ip_token);
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = ip;
    ev.user = user.map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some("dovecot".into());
    ev.restated = true;
    if unknown {
        ev.attack = Some(AttackKind::UserEnumeration);
        ev.detail = Some("dovecot auth: unknown user".into());
    } else {
        ev.detail = Some("dovecot auth: password mismatch".into());
    }
    Some(ev)
}

/// A Postfix `smtpd` message: SASL failures, successes and AUTH aborts.
pub fn postfix(time: i64, msg: &[u8]) -> Option<Event> {
    if let Some(rest) = msg.strip_prefix(b"warning: ") {
        let i = memmem::find(rest, b": SASL ")?;
        let client = &rest[..i];
        let tail = &rest[i + 7..];
        let f = memmem::find(tail, b" authentication failed")?;
        let method = &tail[..f];
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
        ev.source = bracket_ip(client);
        ev.user = kv(tail, b"sasl_username=")
            .filter(|u| !u.is_empty())
            .map(|u| String::from_utf8_lossy(u).into());
        ev.target = Some("postfix".into());
        ev.detail = Some(
            format!(
                "SMTP AUTH ({}) failed",
                String::from_utf8_lossy(&method[..method.len().min(20)])
            )
            .into(),
        );
        return Some(ev);
    }
    if let Some(i) = memmem::find(msg, b": client=") {
        // `4F2B…: client=host[IP], sasl_method=PLAIN, sasl_username=alice`
        let rest = &msg[i + 9..];
        let user = kv(rest, b"sasl_username=")?;
        let mut ev = Event::new(time, EventKind::AuthSuccess, Service::Mail);
        ev.source = bracket_ip(rest.split(|&c| c == b',').next()?);
        ev.user = Some(String::from_utf8_lossy(user).into());
        ev.target = Some("postfix".into());
        ev.detail = Some("SMTP AUTH login".into());
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"lost connection after AUTH from ") {
        let mut ev = Event::new(time, EventKind::Probe, Service::Mail);
        ev.attack = Some(AttackKind::ServiceScan);
        ev.source = bracket_ip(rest);
        ev.target = Some("postfix".into());
        ev.detail = Some("SMTP connection dropped during AUTH".into());
        return Some(ev);
    }
    None
}

/// An Exim message: `<driver> authenticator failed for [H=](helo) [IP]:port …: 535 Incorrect authentication data (set_id=alice)`.
pub fn exim(time: i64, msg: &[u8]) -> Option<Event> {
    let i = memmem::find(msg, b" authenticator failed for ")?;
    let rest = &msg[i + 26..];
    let open = memchr::memchr(b'[', rest)?;
    let close = memchr::memchr(b']', &rest[open..])? + open;
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = ip_token(&rest[open + 1..close]);
    ev.user = kv(rest, b"(set_id=")
        .map(|u| u.strip_suffix(b")").unwrap_or(u))
        .filter(|u| !u.is_empty())
        .map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some("exim".into());
    let driver = msg[..i].rsplit(|&c| c == b' ').next().unwrap_or(b"");
    ev.detail = Some(
        format!(
            "SMTP AUTH failed (exim {})",
            String::from_utf8_lossy(&driver[..driver.len().min(30)])
        )
        .into(),
    );
    Some(ev)
}

/// `host[1.2.3.4]` or `host[1.2.3.4]:587` → the address.
fn bracket_ip(s: &[u8]) -> Option<IpAddr> {
    let open = memchr::memchr(b'[', s)?;
    let close = memchr::memchr(b']', &s[open..])? + open;
    ip_token(&s[open + 1..close])
}

/// The value after `key` up to `,` or a space.
fn kv<'a>(s: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let i = memmem::find(s, key)?;
    let v = &s[i + key.len()..];
    Some(
        &v[..v
            .iter()
            .position(|&c| c == b',' || c == b' ')
            .unwrap_or(v.len())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_summary_and_auth_lines() {
        let e = dovecot(1, b"imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=203.0.113.9, lip=192.0.2.1, TLS, session=<abc>").unwrap();
        assert_eq!(e.kind, EventKind::AuthFailure);
        assert!(!e.restated);
        assert_eq!(e.user.as_deref(), Some("alice"));
        assert_eq!(e.source, Some("203.0.113.9".parse().unwrap()));
        let a = dovecot(1, b"pop3-login: Info: Aborted login (auth failed, 3 attempts in 12 secs): user=<info@example.jp>, method=PLAIN, rip=203.0.113.9, lip=192.0.2.1, session=<x>").unwrap();
        assert_eq!(a.user.as_deref(), Some("info@example.jp"));
        let u = dovecot(1, b"auth: passwd-file(admin,203.0.113.9): unknown user").unwrap();
        assert!(u.restated);
        assert_eq!(u.attack, Some(AttackKind::UserEnumeration));
        assert_eq!(u.user.as_deref(), Some("admin"));
        let ok = dovecot(1, b"imap-login: Login: user=<alice>, method=PLAIN, rip=198.51.100.7, lip=192.0.2.1, mpid=1, TLS, session=<x>").unwrap();
        assert_eq!(ok.kind, EventKind::AuthSuccess);
        assert!(
            dovecot(
                1,
                b"imap(alice)<123><abc>: Disconnected: Logged out in=50 out=500"
            )
            .is_none()
        );
    }

    #[test]
    fn postfix_and_exim() {
        let p = postfix(
            1,
            b"warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
        )
        .unwrap();
        assert_eq!(p.kind, EventKind::AuthFailure);
        assert_eq!(p.source, Some("203.0.113.9".parse().unwrap()));
        assert_eq!(p.user, None);
        let u = postfix(1, b"warning: mail.example[203.0.113.9]: SASL PLAIN authentication failed: authentication failure, sasl_username=bob@example.jp").unwrap();
        assert_eq!(u.user.as_deref(), Some("bob@example.jp"));
        let x = exim(1, b"dovecot_login authenticator failed for H=(User) [203.0.113.9]:51234 I=[192.0.2.1]:587: 535 Incorrect authentication data (set_id=carol@example.jp)").unwrap();
        assert_eq!(x.source, Some("203.0.113.9".parse().unwrap()));
        assert_eq!(x.user.as_deref(), Some("carol@example.jp"));
        assert!(postfix(1, b"connect from unknown[203.0.113.9]").is_none());
    }
}

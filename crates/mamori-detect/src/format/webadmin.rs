//! Web administration panels that log logins through syslog: Webmin and Usermin
//! (`miniserv.pl`, "Log failed logins to syslog").
//!
//! ```text
//! webmin[1234]: Invalid login as root from 203.0.113.9
//! webmin[1234]: Non-existent login as admin from 203.0.113.9
//! webmin[1234]: Successful login as root from 198.51.100.7
//! ```
//!
//! Texts: Webmin `miniserv.pl` (`syslog("crit", "%s", …"Invalid login as $authuser from $acpthost")`,
//! `Non-existent login as`, `Successful login as`).

use super::ip_token;
use crate::event::{AttackKind, Event, EventKind, Service};
use memchr::memmem;

/// A Webmin/Usermin login message.
pub fn webmin(time: i64, msg: &[u8]) -> Option<Event> {
    let (kind, attack, rest, detail) = if let Some(r) = msg.strip_prefix(b"Invalid login as ") {
        (EventKind::AuthFailure, None, r, "Webmin login failed")
    } else if let Some(r) = msg.strip_prefix(b"Non-existent login as ") {
        (
            EventKind::AuthFailure,
            Some(AttackKind::UserEnumeration),
            r,
            "Webmin login failed: no such user",
        )
    } else if let Some(r) = msg.strip_prefix(b"Successful login as ") {
        (EventKind::AuthSuccess, None, r, "Webmin login")
    } else {
        return None;
    };
    let i = memmem::rfind(rest, b" from ")?;
    let mut ev = Event::new(time, kind, Service::WebAdmin);
    ev.user = Some(String::from_utf8_lossy(&rest[..i]).into());
    ev.source = ip_token(rest[i + 6..].split(|&c| c == b' ').next()?);
    ev.attack = attack;
    ev.target = Some("webmin".into());
    ev.detail = Some(detail.into());
    Some(ev)
}

/// Roundcube webmail with `log_driver = syslog` (`rcmail::login` and the IMAP
/// backend `rcube_imap_generic`):
///
/// ```text
/// roundcube[21296]: <crk9n97i> IMAP Error: Login failed for alice from 203.0.113.9. AUTHENTICATE PLAIN: Authentication failed. in …/rcube_imap.php on line 193 (POST /?_task=login&_action=login)
/// roundcube: FAILED login for alice from 203.0.113.9
/// roundcube: Failed login for alice from 203.0.113.9 in session 1z506z6r (error: 0)
/// ```
///
/// Behind a proxy Roundcube writes `from <proxy> from <client>`: the last address of
/// that chain is the client.
pub fn roundcube(time: i64, msg: &[u8]) -> Option<Event> {
    let msg = match msg.strip_prefix(b"<") {
        Some(r) => r[memchr::memchr(b'>', r)? + 1..].trim_ascii_start(),
        None => msg,
    };
    let rest = msg
        .strip_prefix(b"IMAP Error: Login failed for ")
        .or_else(|| msg.strip_prefix(b"FAILED login for "))
        .or_else(|| msg.strip_prefix(b"Failed login for "))?;
    let first = memmem::find(rest, b" from ")?;
    let mut ip = None;
    let mut at = first;
    while let Some(tail) = rest[at..].strip_prefix(b" from ") {
        let len = tail
            .iter()
            .position(|c| !(c.is_ascii_hexdigit() || *c == b'.' || *c == b':'))
            .unwrap_or(tail.len());
        let tok = &tail[..len];
        match ip_token(tok.strip_suffix(b".").unwrap_or(tok)) {
            Some(a) => ip = Some(a),
            None => break,
        }
        at += 6 + len;
        // `from 127.0.0.1. from 1.2.3.4`: a period may end the proxy's address.
        if rest[at..].starts_with(b".") {
            at += 1;
        }
    }
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = Some(ip?);
    ev.user = Some(String::from_utf8_lossy(&rest[..first]).into());
    ev.target = Some("roundcube".into());
    ev.detail = Some("webmail login failed (Roundcube)".into());
    Some(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webmin_lines() {
        let e = webmin(1, b"Invalid login as root from 203.0.113.9").unwrap();
        assert_eq!(e.kind, EventKind::AuthFailure);
        assert_eq!(e.service, Service::WebAdmin);
        assert_eq!(e.user.as_deref(), Some("root"));
        assert_eq!(e.source, Some("203.0.113.9".parse().unwrap()));
        let n = webmin(1, b"Non-existent login as admin from 203.0.113.9").unwrap();
        assert_eq!(n.attack, Some(AttackKind::UserEnumeration));
        assert_eq!(
            webmin(1, b"Successful login as root from 198.51.100.7")
                .unwrap()
                .kind,
            EventKind::AuthSuccess
        );
        assert!(webmin(1, b"Webmin starting").is_none());
    }
}

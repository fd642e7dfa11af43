//! OpenSSH `sshd` messages (OpenSSH 7–9, with PAM) → events.
//!
//! ```text
//! Failed password for root from 203.0.113.9 port 53422 ssh2
//! Failed password for invalid user admin from 203.0.113.9 port 53422 ssh2
//! Invalid user admin from 203.0.113.9 port 53422
//! Accepted password for carol from 198.51.100.7 port 51234 ssh2
//! Accepted publickey for deploy from 198.51.100.7 port 51234 ssh2: ED25519 SHA256:…
//! ```
//!
//! Redundant lines (the PAM summaries, `maximum authentication attempts exceeded`,
//! preauth disconnects) are skipped so that one guess counts once.

use crate::event::{AttackKind, Event, EventKind, Service};
use memchr::memmem;
use std::net::IpAddr;

/// Recognises one sshd message; `None` when it is not security-relevant.
pub fn parse(time: i64, msg: &[u8]) -> Option<Event> {
    if let Some(rest) = msg.strip_prefix(b"Failed ") {
        let (method, rest) = split_word(rest)?;
        if method == b"publickey" || method == b"none" {
            // A client offering keys one by one: routine, not a guess.
            return None;
        }
        let rest = rest.strip_prefix(b"for ")?;
        let (invalid, rest) = match rest.strip_prefix(b"invalid user ") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (user, ip) = user_from(rest)?;
        let mut ev = event(time, EventKind::AuthFailure, user, ip);
        ev.detail = Some(if invalid {
            format!(
                "failed {} for invalid user",
                String::from_utf8_lossy(method)
            )
            .into()
        } else {
            format!("failed {}", String::from_utf8_lossy(method)).into()
        });
        if invalid {
            ev.attack = Some(AttackKind::UserEnumeration);
        }
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"Invalid user ") {
        let (user, ip) = user_from(rest)?;
        let mut ev = event(time, EventKind::Probe, user, ip);
        ev.attack = Some(AttackKind::UserEnumeration);
        ev.detail = Some("invalid user".into());
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"Accepted ") {
        let (method, rest) = split_word(rest)?;
        let rest = rest.strip_prefix(b"for ")?;
        let (user, ip) = user_from(rest)?;
        let mut ev = event(time, EventKind::AuthSuccess, user, ip);
        ev.detail = Some(format!("accepted {}", String::from_utf8_lossy(method)).into());
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"ROOT LOGIN REFUSED FROM ") {
        let ip = parse_ip(rest.split(|&c| c == b' ').next()?)?;
        let mut ev = event(time, EventKind::AuthFailure, b"root", ip);
        ev.detail = Some("root login refused".into());
        return Some(ev);
    }
    None
}

fn event(time: i64, kind: EventKind, user: &[u8], ip: IpAddr) -> Event {
    let mut ev = Event::new(time, kind, Service::Ssh);
    ev.user = Some(String::from_utf8_lossy(user).into());
    ev.source = Some(ip);
    ev.target = Some("sshd".into());
    ev
}

fn split_word(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = memchr::memchr(b' ', s)?;
    Some((&s[..i], &s[i + 1..]))
}

/// `USER from IP port N …` — the user name may itself contain spaces, so the
/// *last* ` from ` wins.
fn user_from(s: &[u8]) -> Option<(&[u8], IpAddr)> {
    let i = memmem::rfind(s, b" from ")?;
    let user = &s[..i];
    let rest = &s[i + 6..];
    let ip = parse_ip(rest.split(|&c| c == b' ').next()?)?;
    Some((user, ip))
}

fn parse_ip(b: &[u8]) -> Option<IpAddr> {
    std::str::from_utf8(b).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_and_accepted() {
        let f = parse(
            1,
            b"Failed password for root from 203.0.113.9 port 53422 ssh2",
        )
        .unwrap();
        assert_eq!(f.kind, EventKind::AuthFailure);
        assert_eq!(f.user.as_deref(), Some("root"));
        assert_eq!(f.source, Some("203.0.113.9".parse().unwrap()));
        let i = parse(
            1,
            b"Failed password for invalid user admin from 2001:db8::5 port 1 ssh2",
        )
        .unwrap();
        assert_eq!(i.user.as_deref(), Some("admin"));
        assert_eq!(i.attack, Some(AttackKind::UserEnumeration));
        let a = parse(
            1,
            b"Accepted publickey for deploy from 198.51.100.7 port 51234 ssh2: ED25519 SHA256:abc",
        )
        .unwrap();
        assert_eq!(a.kind, EventKind::AuthSuccess);
        assert_eq!(a.detail.as_deref(), Some("accepted publickey"));
        let k = parse(
            1,
            b"Failed keyboard-interactive/pam for invalid user x from 1.2.3.4 port 2 ssh2",
        )
        .unwrap();
        assert_eq!(k.kind, EventKind::AuthFailure);
    }

    #[test]
    fn invalid_user_probe_and_noise() {
        let p = parse(1, b"Invalid user oracle from 1.2.3.4 port 5").unwrap();
        assert_eq!(p.kind, EventKind::Probe);
        assert_eq!(p.user.as_deref(), Some("oracle"));
        assert!(parse(1, b"Connection closed by 1.2.3.4 port 5 [preauth]").is_none());
        assert!(parse(1, b"Failed publickey for git from 1.2.3.4 port 5 ssh2").is_none());
        assert!(parse(1, b"Failed password for root from notanip port 5 ssh2").is_none());
        assert!(
            parse(
                1,
                b"pam_unix(sshd:auth): authentication failure; rhost=1.2.3.4 user=root"
            )
            .is_none()
        );
    }

    #[test]
    fn user_names_with_spaces() {
        let e = parse(1, b"Invalid user a from b from 1.2.3.4 port 5").unwrap();
        assert_eq!(e.user.as_deref(), Some("a from b"));
    }
}

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

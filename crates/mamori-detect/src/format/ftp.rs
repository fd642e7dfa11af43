//! FTP servers' login messages: vsftpd, ProFTPD, Pure-FTPd and WU-FTPD.
//!
//! ```text
//! vsftpd[1]: [pid 1234] [alice] FAIL LOGIN: Client "203.0.113.9"
//! proftpd[1]: ftp.example.jp (203.0.113.9[203.0.113.9]) - USER alice (Login failed): Incorrect password
//! proftpd[1]: ftp.example.jp (203.0.113.9[203.0.113.9]) - USER admin: no such user found from 203.0.113.9 [203.0.113.9] to 192.0.2.1:21
//! pure-ftpd: (?@203.0.113.9) [WARNING] Authentication failed for user [admin]
//! wu-ftpd[1]: failed login from scan.example [203.0.113.9]
//! ```
//!
//! Texts: vsftpd 3 `logging.c` (`FAIL LOGIN`/`OK LOGIN`, `Client "…"`), ProFTPD 1.3
//! `modules/mod_auth.c` (`(Login failed)`, `no such user found`, `Login successful`,
//! `Maximum login attempts`), Pure-FTPd 1.0 `src/log_*.c` / `messages_en.h`
//! (`Authentication failed for user [%s]`, `%s is now logged in`), WU-FTPD 2.6
//! `src/ftpd.c` (`failed login from %s`, `repeated login failures from %s`, the remote
//! host written `name [address]`).

use super::ip_token;
use crate::event::{AttackKind, Event, EventKind, Service};
use memchr::memmem;

/// A vsftpd message (syslog or its own `vsftpd.log` after the time).
pub fn vsftpd(time: i64, msg: &[u8]) -> Option<Event> {
    // The user name in brackets before it is the client's to choose and may carry a
    // `FAIL LOGIN: Client "<ip>"` of its own: vsftpd's is the last.
    let fail = memmem::rfind(msg, b"FAIL LOGIN: Client \"");
    let ok = memmem::rfind(msg, b"OK LOGIN: Client \"");
    let (kind, i) = match (fail, ok) {
        (Some(f), o) if o.is_none_or(|o| f > o) => (EventKind::AuthFailure, f),
        (_, Some(o)) => (EventKind::AuthSuccess, o),
        _ => return None,
    };
    let client = &msg[i..];
    let q = memchr::memchr(b'"', client)?;
    let addr = &client[q + 1..];
    let addr = &addr[..memchr::memchr(b'"', addr)?];
    // The user is the last `[…]` before the message that is not `[pid N]`.
    let head = &msg[..i];
    let user = head
        .split(|&c| c == b'[')
        .filter_map(|p| p.split(|&c| c == b']').next())
        .rfind(|p| !p.starts_with(b"pid ") && !p.is_empty());
    let mut ev = Event::new(time, kind, Service::Ftp);
    ev.source = ip_token(addr);
    ev.user = user.map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some("vsftpd".into());
    ev.detail = Some(if kind == EventKind::AuthFailure {
        "FTP login failed".into()
    } else {
        "FTP login".into()
    });
    Some(ev)
}

/// A ProFTPD message: `host (IP[IP]) - USER x (Login failed): …` (syslog) or
/// `host (IP[IP]): USER x (Login failed): …` (its own log).
pub fn proftpd(time: i64, msg: &[u8]) -> Option<Event> {
    let u = memmem::find(msg, b"USER ");
    let (kind, user, detail, attack) = if let Some(u) = u {
        let rest = &msg[u + 5..];
        if let Some(j) = memmem::find(rest, b" (Login failed)") {
            (EventKind::AuthFailure, &rest[..j], "FTP login failed", None)
        } else if let Some(j) = memmem::find(rest, b": no such user found") {
            (
                EventKind::AuthFailure,
                &rest[..j],
                "FTP login failed: no such user",
                Some(AttackKind::UserEnumeration),
            )
        } else if let Some(j) = memmem::find(rest, b": Login successful") {
            (EventKind::AuthSuccess, &rest[..j], "FTP login", None)
        } else {
            return None;
        }
    } else if memmem::find(msg, b"PAM(").is_some()
        && memmem::find(msg, b"Authentication failure").is_some()
    {
        (
            EventKind::AuthFailure,
            &b""[..],
            "FTP PAM authentication failure",
            None,
        )
    } else if memmem::find(msg, b"Maximum login attempts").is_some() {
        (
            EventKind::AuthFailure,
            &b""[..],
            "FTP maximum login attempts exceeded",
            None,
        )
    } else if memmem::find(msg, b"SECURITY VIOLATION: Root login attempted").is_some()
        || memmem::find(msg, b"SECURITY VIOLATION: root login attempted").is_some()
    {
        (
            EventKind::AuthFailure,
            &b"root"[..],
            "FTP root login refused",
            None,
        )
    } else {
        return None;
    };
    let mut ev = Event::new(time, kind, Service::Ftp);
    // `(203.0.113.9[203.0.113.9])`: the address in brackets (the first may be a name).
    ev.source = memmem::find(msg, b" (").and_then(|o| {
        let r = &msg[o + 2..];
        let open = memchr::memchr(b'[', r)?;
        let close = memchr::memchr(b']', &r[open..])? + open;
        ip_token(&r[open + 1..close])
    });
    if !user.is_empty() {
        ev.user = Some(String::from_utf8_lossy(user).into());
    }
    ev.restated = u.is_none() && kind == EventKind::AuthFailure;
    ev.attack = attack;
    ev.target = Some("proftpd".into());
    ev.detail = Some(detail.into());
    Some(ev)
}

/// A Pure-FTPd message: `(?@IP) [WARNING] Authentication failed for user [x]`.
pub fn pure_ftpd(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"(")?;
    let close = memchr::memchr(b')', rest)?;
    let who = &rest[..close];
    let host = &who[memchr::memrchr(b'@', who).map_or(0, |i| i + 1)..];
    let text = rest[close + 1..].trim_ascii_start();
    let mut ev = if let Some(i) = memmem::find(text, b"Authentication failed for user [") {
        let u = &text[i + 32..];
        let u = &u[..memchr::memchr(b']', u).unwrap_or(u.len())];
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Ftp);
        ev.user = Some(String::from_utf8_lossy(u).into());
        ev.detail = Some("FTP login failed".into());
        ev
    } else if let Some(i) = memmem::find(text, b" is now logged in") {
        let head = &text[..i];
        let u = head.rsplit(|&c| c == b' ').next().unwrap_or(head);
        let mut ev = Event::new(time, EventKind::AuthSuccess, Service::Ftp);
        ev.user = Some(String::from_utf8_lossy(u).into());
        ev.detail = Some("FTP login".into());
        ev
    } else {
        return None;
    };
    ev.source = ip_token(host);
    ev.target = Some("pure-ftpd".into());
    Some(ev)
}

/// A WU-FTPD message: `failed login from host [IP]`, or `repeated login failures from
/// host [IP]` (its summary after several, marked restated).
pub fn wu_ftpd(time: i64, msg: &[u8]) -> Option<Event> {
    let (rest, restated) = if let Some(r) = msg.strip_prefix(b"failed login from ") {
        (r, false)
    } else {
        (msg.strip_prefix(b"repeated login failures from ")?, true)
    };
    // `name [address]`; without a resolved name the address alone.
    let addr = match (memchr::memrchr(b'[', rest), memchr::memrchr(b']', rest)) {
        (Some(open), Some(close)) if open < close => &rest[open + 1..close],
        _ => rest.split(|&c| c == b' ').next().unwrap_or(rest),
    };
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Ftp);
    ev.source = Some(ip_token(addr)?);
    ev.restated = restated;
    ev.target = Some("wu-ftpd".into());
    ev.detail = Some("FTP login failed".into());
    Some(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vsftpd_lines() {
        let e = vsftpd(
            1,
            b"[pid 1234] [alice] FAIL LOGIN: Client \"::ffff:203.0.113.9\"",
        )
        .unwrap();
        assert_eq!(e.kind, EventKind::AuthFailure);
        assert_eq!(e.user.as_deref(), Some("alice"));
        assert_eq!(e.source, Some("203.0.113.9".parse().unwrap()));
        let ok = vsftpd(1, b"[alice] OK LOGIN: Client \"198.51.100.7\"").unwrap();
        assert_eq!(ok.kind, EventKind::AuthSuccess);
        assert!(vsftpd(1, b"[pid 1234] CONNECT: Client \"203.0.113.9\"").is_none());
        // A user name cannot choose the address nor the outcome.
        let forged = vsftpd(
            1,
            b"[pid 1] [x] FAIL LOGIN: Client \"192.0.2.1\"] OK LOGIN: Client \"203.0.113.9\"",
        )
        .unwrap();
        assert_eq!(forged.kind, EventKind::AuthSuccess);
        assert_eq!(forged.source, Some("203.0.113.9".parse().unwrap()));
    }

    #[test]
    fn proftpd_and_pure_ftpd_lines() {
        let e = proftpd(1, b"ftp.example.jp (203.0.113.9[203.0.113.9]) - USER alice (Login failed): Incorrect password").unwrap();
        assert_eq!(e.user.as_deref(), Some("alice"));
        assert_eq!(e.source, Some("203.0.113.9".parse().unwrap()));
        let n = proftpd(1, b"ftp.example.jp (scan.example[203.0.113.9]) - USER admin: no such user found from scan.example [203.0.113.9] to 192.0.2.1:21").unwrap();
        assert_eq!(n.user.as_deref(), Some("admin"));
        assert_eq!(n.source, Some("203.0.113.9".parse().unwrap()));
        let p = pure_ftpd(
            1,
            b"(?@203.0.113.9) [WARNING] Authentication failed for user [admin]",
        )
        .unwrap();
        assert_eq!(p.kind, EventKind::AuthFailure);
        assert_eq!(p.user.as_deref(), Some("admin"));
        assert_eq!(p.source, Some("203.0.113.9".parse().unwrap()));
        let s = pure_ftpd(1, b"(?@198.51.100.7) [INFO] alice is now logged in").unwrap();
        assert_eq!(s.kind, EventKind::AuthSuccess);
        assert_eq!(s.user.as_deref(), Some("alice"));
        let w = wu_ftpd(1, b"failed login from hj-145.example.net [203.0.113.9]").unwrap();
        assert_eq!(
            (w.kind, w.source),
            (EventKind::AuthFailure, Some("203.0.113.9".parse().unwrap()))
        );
        assert!(
            wu_ftpd(1, b"repeated login failures from 203.0.113.9")
                .unwrap()
                .restated
        );
        assert!(wu_ftpd(1, b"failed login from example.net").is_none());
        assert!(wu_ftpd(1, b"FTP LOGIN FROM 203.0.113.9 [203.0.113.9], alice").is_none());
        assert!(
            pure_ftpd(
                1,
                b"(?@198.51.100.7) [INFO] New connection from 198.51.100.7"
            )
            .is_none()
        );
    }
}

//! PAM module messages (Linux-PAM `pam_unix`, `pam_sss`, `pam_ldap` …) that any
//! program logs through syslog:
//!
//! ```text
//! pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root
//! pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=alice rhost=203.0.113.9  user=alice
//! pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=::ffff:203.0.113.9
//! ```
//!
//! The text is `pam_unix`'s `_unix_verify_password` / `pam_syslog` format (Linux-PAM
//! `modules/pam_unix/support.c`). Only remote logins count: a line without `rhost`
//! (`sudo`, `su`, a console login) is local and skipped. The PAM service name in
//! parentheses says which [`Service`] the attempt was against.

use super::ip_token;
use crate::event::{Event, EventKind, Service};
use memchr::memmem;
use std::net::IpAddr;

/// The service and login target (as the program's own lines name it) of a PAM
/// service name.
pub fn service_of(pam_service: &[u8]) -> (Service, &'static str) {
    match pam_service {
        b"sshd" | b"ssh" => (Service::Ssh, "sshd"),
        b"dovecot" | b"imap" | b"pop3" | b"pop" | b"imaps" | b"pop3s" | b"sieve" => {
            (Service::Mail, "dovecot")
        }
        b"smtp" | b"postfix" => (Service::Mail, "postfix"),
        b"exim" | b"exim4" => (Service::Mail, "exim"),
        b"vsftpd" => (Service::Ftp, "vsftpd"),
        b"proftpd" => (Service::Ftp, "proftpd"),
        b"pure-ftpd" | b"pureftpd" | b"ftp" => (Service::Ftp, "ftp"),
        b"webmin" | b"usermin" => (Service::WebAdmin, "webmin"),
        _ => (Service::Other, "pam"),
    }
}

/// `pam_xxx(service:auth): authentication failure; … rhost=IP … user=U`.
pub fn parse(time: i64, msg: &[u8]) -> Option<Event> {
    parse_for(time, b"", msg)
}

/// A PAM module's message logged by `program`: `pam_xxx(service:auth): …`, and the
/// forms that leave the service to the program's name: `pam_unix(auth): …`,
/// `pam_unix: …` and Linux-PAM 0.7x's `(pam_unix) authentication failure; …`.
pub fn parse_for(time: i64, program: &[u8], msg: &[u8]) -> Option<Event> {
    if let Some(rest) = msg.strip_prefix(b"(pam_") {
        let close = memchr::memchr(b')', &rest[..rest.len().min(24)])?;
        let rest = rest[close + 1..].strip_prefix(b" ")?;
        return failure(time, program, &msg[..close + 6], rest);
    }
    if !msg.starts_with(b"pam_") {
        return None;
    }
    let end = memchr::memchr2(b'(', b':', &msg[..msg.len().min(24)])?;
    if msg[end] == b':' {
        // `pam_unix: authentication failure; …`
        let rest = msg[end + 1..].strip_prefix(b" ")?;
        return failure(time, program, &msg[..end], rest);
    }
    let close = memchr::memchr(b')', &msg[end..])? + end;
    let inner = &msg[end + 1..close];
    let (service, facility) = match memchr::memchr(b':', inner) {
        Some(colon) => (&inner[..colon], &inner[colon + 1..]),
        None => (program, inner),
    };
    if facility != b"auth" {
        return None;
    }
    let rest = msg[close + 1..].strip_prefix(b": ")?;
    failure(time, service, &msg[..close + 1], rest)
}

/// The message of a PAM module logging as `program(pam_unix)[pid]: …` (Linux-PAM
/// before 0.99, e.g. `sshd(pam_unix)[1234]: authentication failure; …`).
pub fn parse_old(time: i64, program: &[u8], msg: &[u8]) -> Option<Event> {
    let open = memchr::memchr(b'(', program)?;
    failure(time, &program[..open], program, msg)
}

fn failure(time: i64, pam_service: &[u8], module: &[u8], rest: &[u8]) -> Option<Event> {
    let (service, target) = service_of(pam_service);
    if service == Service::Ssh && rest.starts_with(b"check pass; user unknown") {
        // An unknown user tried sshd; `Invalid user … from …` names the address.
        let mut ev = Event::new(time, EventKind::AuthFailure, service);
        ev.attack = Some(crate::event::AttackKind::UserEnumeration);
        ev.target = Some(target.into());
        ev.restated = true;
        ev.detail = Some("PAM: user unknown".into());
        return Some(ev);
    }
    if !rest.starts_with(b"authentication failure;") {
        return None;
    }
    // Only remote logins: `rhost=` empty means sudo, su or a console.
    if field(rest, b"rhost=").is_none_or(<[u8]>::is_empty) {
        return None;
    }
    let (user, ip) = rhost_user(rest);
    let mut ev = Event::new(time, EventKind::AuthFailure, service);
    ev.source = ip;
    ev.user = user
        .or_else(|| field(rest, b"ruser="))
        .filter(|u| !u.is_empty())
        .map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some(if service == Service::Other {
        format!("pam {}", String::from_utf8_lossy(pam_service)).into()
    } else {
        target.into()
    });
    // sshd logs every failure itself (`Failed password …`): PAM's line is the same guess.
    ev.restated = service == Service::Ssh;
    ev.detail = Some(
        format!(
            "{}: authentication failure",
            String::from_utf8_lossy(module)
        )
        .into(),
    );
    Some(ev)
}

/// The `user=` and `rhost=` fields of a PAM summary (`rhost` may be empty, a host
/// name or an address; only an address is returned).
pub fn rhost_user(s: &[u8]) -> (Option<&[u8]>, Option<IpAddr>) {
    let user = field(s, b" user=").filter(|u| !u.is_empty());
    // PAM writes `… ruser=%s rhost=%s  user=%s`: the remote user before the address and
    // the account name after it may both be the client's to choose and carry a fake
    // `rhost=` (fail2ban's pam-generic and dovecot test logs have both). The address is
    // the last `rhost=` before the first ` user=` that follows an `rhost=`.
    let first = memmem::find(s, b"rhost=");
    let end = first
        .and_then(|f| memmem::find(&s[f..], b" user=").map(|u| f + u))
        .unwrap_or(s.len());
    let ip = memmem::rfind(&s[..end], b"rhost=").and_then(|i| {
        let v = &s[i + 6..end];
        ip_token(&v[..memchr::memchr(b' ', v).unwrap_or(v.len())])
    });
    (user, ip)
}

/// The value after `name` up to the next space.
fn field<'a>(s: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let i = memmem::find(s, name)?;
    let v = &s[i + name.len()..];
    Some(&v[..memchr::memchr(b' ', v).unwrap_or(v.len())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_name_cannot_choose_the_address() {
        // The account name is the client's to choose and PAM writes it last.
        let e = parse(1, b"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=x rhost=192.0.2.1").unwrap();
        assert_eq!(e.source, Some("203.0.113.9".parse().unwrap()));
        // A remote user name (before the address) with one of its own.
        for line in [
            &b"pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=rhost=192.0.2.1 rhost=203.0.113.9"[..],
            b"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=a rhost=192.0.2.1 rhost=203.0.113.9  user=x rhost=192.0.2.2",
        ] {
            let e = parse(1, line).unwrap();
            assert_eq!(e.source, Some("203.0.113.9".parse().unwrap()));
        }
    }

    #[test]
    fn remote_failures_by_service() {
        let e = parse(1, b"pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=alice rhost=203.0.113.9  user=alice").unwrap();
        assert_eq!(e.service, Service::Mail);
        assert_eq!(e.user.as_deref(), Some("alice"));
        assert!(!e.restated);
        let v = parse(1, b"pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=::ffff:203.0.113.9").unwrap();
        assert_eq!(v.service, Service::Ftp);
        assert_eq!(v.source, Some("203.0.113.9".parse().unwrap()));
        assert_eq!(v.user.as_deref(), Some("bob"));
        let s = parse(1, b"pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::1 user=root").unwrap();
        assert_eq!(s.service, Service::Ssh);
        assert!(s.restated);
    }

    #[test]
    fn local_and_other_lines_are_not_failures() {
        assert!(parse(1, b"pam_unix(sudo:auth): authentication failure; logname=carol uid=1000 euid=0 tty=/dev/pts/0 ruser=carol rhost=  user=carol").is_none());
        assert!(
            parse(
                1,
                b"pam_unix(sshd:session): session opened for user carol(uid=1000) by (uid=0)"
            )
            .is_none()
        );
        assert!(parse(1, b"pam_unix(cron:auth): check pass; user unknown").is_none());
        assert!(parse(1, b"pam_unix(cron:session): session closed for user root").is_none());
    }
}

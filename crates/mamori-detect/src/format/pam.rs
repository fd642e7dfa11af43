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
    let open = memchr::memchr(b'(', msg)?;
    if !msg.starts_with(b"pam_") || open > 24 {
        return None;
    }
    let close = memchr::memchr(b')', &msg[open..])? + open;
    let inner = &msg[open + 1..close];
    let colon = memchr::memchr(b':', inner)?;
    if &inner[colon + 1..] != b"auth" {
        return None;
    }
    let rest = msg[close + 1..].strip_prefix(b": ")?;
    if !rest.starts_with(b"authentication failure;") {
        return None;
    }
    let (user, ip) = rhost_user(rest);
    let ip = ip?;
    let (service, target) = service_of(&inner[..colon]);
    let mut ev = Event::new(time, EventKind::AuthFailure, service);
    ev.source = Some(ip);
    ev.user = user
        .or_else(|| field(rest, b"ruser="))
        .filter(|u| !u.is_empty())
        .map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some(if service == Service::Other {
        format!("pam {}", String::from_utf8_lossy(&inner[..colon])).into()
    } else {
        target.into()
    });
    // sshd logs every failure itself (`Failed password …`): PAM's line is the same guess.
    ev.restated = service == Service::Ssh;
    ev.detail = Some(
        format!(
            "{}: authentication failure",
            String::from_utf8_lossy(&msg[..close + 1])
        )
        .into(),
    );
    Some(ev)
}

/// The `user=` and `rhost=` fields of a PAM summary (`rhost` may be empty, a host
/// name or an address; only an address is returned).
pub fn rhost_user(s: &[u8]) -> (Option<&[u8]>, Option<IpAddr>) {
    let user = field(s, b" user=").filter(|u| !u.is_empty());
    let ip = field(s, b"rhost=").and_then(ip_token);
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
        assert!(parse(1, b"pam_unix(sshd:auth): check pass; user unknown").is_none());
        assert!(parse(1, b"pam_unix(cron:session): session closed for user root").is_none());
    }
}

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
    // Dovecot 1.x repeats its name: `dovecot: auth(default): pam(…): …`.
    let msg = msg.strip_prefix(b"dovecot: ").unwrap_or(msg);
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
    // The user name comes first and is the client's to choose: the address is the
    // last `rip=` (what follows it, `lip=` and `session=`, the server writes).
    let ip = kv_last(rest, b"rip=").and_then(ip_token);
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
    } else if memmem::find(rest, b"(proxy dest auth failed)").is_some() {
        // A Dovecot proxy whose backend refused the credentials.
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
        ev.detail = Some(format!("{proto_s} login failed (proxy backend)").into());
        ev
    } else if memmem::find(rest, b"(client didn't finish SASL auth").is_some()
        || (memmem::find(rest, b"Too many invalid commands").is_some()
            && memmem::find(rest, b"(no auth attempts").is_some())
    {
        // A client that began a login and left, or sent commands the protocol does not
        // have. A connection without any login attempt (`no auth attempts`,
        // `disconnected before auth was ready`) is no event: idle and mobile mail
        // clients and TLS mismatches write it all day (fail2ban, too, reports it only in
        // its `aggressive` mode, warning of false positives).
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
    // Dovecot 2.3 auth workers: `conn unix:auth-worker (uid=143): auth-worker<13247>: sql(…): …`.
    let rest = match rest.strip_prefix(b"conn ") {
        Some(r) => &r[memmem::find(r, b">: ")? + 3..],
        None => rest,
    };
    let open = memchr::memchr(b'(', rest)?;
    let close = memmem::find(&rest[open..], b"): ")? + open;
    let args = &rest[open + 1..close];
    let text = &rest[close + 3..];
    let unknown = text.starts_with(b"unknown user");
    let mismatch = memmem::find(text, b"assword mismatch").is_some()
        || text.starts_with(b"invalid credentials")
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
        // Not the client's guess: the server lost its SASL backend (no event), or the
        // client asked for a mechanism this server does not offer (a probe, not a
        // failed password).
        let reason = tail[f..]
            .strip_prefix(b" authentication failed: ")
            .unwrap_or(b"");
        if reason.starts_with(b"Connection lost to authentication server") {
            return None;
        }
        let kind = if reason.starts_with(b"Invalid authentication mechanism") {
            EventKind::Probe
        } else {
            EventKind::AuthFailure
        };
        let mut ev = Event::new(time, kind, Service::Mail);
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
    for (needle, what) in [
        (
            &b"too many errors after AUTH from "[..],
            "SMTP errors during AUTH",
        ),
        (
            b"too many errors after ",
            "SMTP client with too many errors",
        ),
        (
            b"improper command pipelining after ",
            "SMTP command pipelining (spam bot)",
        ),
        (b"Relay access denied", "SMTP relay attempt refused"),
    ] {
        if memmem::find(msg, needle).is_some() {
            let ip = memmem::find(msg, b" from ").and_then(|i| bracket_ip(&msg[i..]));
            return Some(smtp_probe(time, ip, "postfix", what));
        }
    }
    if let Some(rest) = msg.strip_prefix(b"lost connection after AUTH from ") {
        return Some(smtp_probe(
            time,
            bracket_ip(rest),
            "postfix",
            "SMTP connection dropped during AUTH",
        ));
    }
    if let Some(i) = memmem::find(msg, b"reject: ") {
        return postfix_reject(time, &msg[i + 8..]);
    }
    if let Some(rest) = msg.strip_prefix(b"disconnect from ")
        && let Some(auth) = kv(rest, b" auth=")
        && let Some((ok, tried)) = split_at_byte(auth, b'/')
        && ok != tried
    {
        // Postfix ≥ 3.0 sums up a session: `disconnect from host[ip] ehlo=1 auth=0/1 …`,
        // AUTH commands that succeeded / were tried. The failures themselves have their
        // own `SASL … authentication failed` line.
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
        ev.source = bracket_ip(rest);
        ev.target = Some("postfix".into());
        ev.restated = true;
        ev.detail = Some(
            format!(
                "SMTP session with failed AUTH (auth={})",
                String::from_utf8_lossy(auth)
            )
            .into(),
        );
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"lost connection after ")
        && let Some(i) = memmem::find(rest, b" from ")
        && matches!(
            &rest[..i],
            b"CONNECT" | b"EHLO" | b"HELO" | b"STARTTLS" | b"UNKNOWN"
        )
    {
        // Connect-and-drop before any mail: scanners and banner grabbers.
        return Some(smtp_probe(
            time,
            bracket_ip(&rest[i..]),
            "postfix",
            "SMTP connection dropped before any mail",
        ));
    }
    // postscreen (Postfix ≥ 2.8): a client failing the pre-greeting tests.
    for needle in [
        &b"PREGREET "[..],
        b"HANGUP after ",
        b"COMMAND TIME LIMIT from ",
        b"COMMAND COUNT LIMIT from ",
        b"COMMAND LENGTH LIMIT from ",
        b"COMMAND PIPELINING from ",
        b"NON-SMTP COMMAND from ",
        b"BARE NEWLINE from ",
    ] {
        if msg.starts_with(needle) {
            let at = memmem::find(msg, b" from ")?;
            let what = String::from_utf8_lossy(needle).trim_end().to_owned();
            let what = what.strip_suffix(" from").unwrap_or(&what).to_owned();
            return Some(smtp_probe(
                time,
                bracket_ip(&msg[at..]),
                "postfix",
                &format!("postscreen: {what}"),
            ));
        }
    }
    None
}

/// `RCPT from host[ip]: 550 5.1.1 <x>: Recipient address rejected: User unknown …`
/// after `NOQUEUE: reject: ` (also `milter-reject:` and with a queue id): the server
/// refused a command. An unknown recipient or `VRFY` is a probe of which addresses
/// exist; the rest (relay, HELO, sender, client host, DNSBL) is a client the
/// server's policy keeps out.
fn postfix_reject(time: i64, rest: &[u8]) -> Option<Event> {
    let (verb, tail) = split_at_byte(rest, b' ')?;
    let tail = tail.strip_prefix(b"from ")?;
    let colon = memmem::find(tail, b": ")?;
    let ip = bracket_ip(&tail[..colon]);
    let text = &tail[colon + 2..];
    let verb_s = String::from_utf8_lossy(&verb[..verb.len().min(10)]).into_owned();
    let reason = text
        .split(|&c| c == b';')
        .next()
        .map(|r| String::from_utf8_lossy(&r[..r.len().min(120)]).into_owned())
        .unwrap_or_default();
    let mut ev = smtp_probe(
        time,
        ip,
        "postfix",
        &format!("SMTP {verb_s} rejected: {reason}"),
    );
    if verb == b"VRFY"
        || memmem::find(text, b"User unknown").is_some()
        || memmem::find(text, b"Recipient address rejected").is_some()
    {
        ev.attack = Some(AttackKind::UserEnumeration);
    }
    Some(ev)
}

/// A probe of a mail server by `ip`.
fn smtp_probe(time: i64, ip: Option<IpAddr>, target: &str, what: &str) -> Event {
    let mut ev = Event::new(time, EventKind::Probe, Service::Mail);
    ev.attack = Some(AttackKind::ServiceScan);
    ev.source = ip;
    ev.target = Some(target.into());
    ev.detail = Some(what.into());
    ev
}

/// An Exim message: `<driver> authenticator failed for [H=](helo) [IP]:port …: 535 Incorrect authentication data (set_id=alice)`.
pub fn exim(time: i64, msg: &[u8]) -> Option<Event> {
    // (needle, what, user enumeration): Exim 4 `smtp_in.c`, `acl.c`, `verify.c`.
    const PROBES: [(&[u8], &str, bool); 10] = [
        (b"relay not permitted", "SMTP relay attempt refused", false),
        (
            b"AUTH command used when not advertised",
            "SMTP AUTH without TLS/advertisement (password-guessing bot)",
            false,
        ),
        (
            b"SMTP protocol synchronization error",
            "SMTP protocol synchronization error (bot)",
            false,
        ),
        (
            b"dropped: too many ",
            "SMTP connection dropped: too many bad commands",
            false,
        ),
        (
            b"closed by DROP in ACL",
            "SMTP connection dropped by ACL",
            false,
        ),
        (
            b"no MAIL in SMTP connection from ",
            "SMTP connection without mail (probe)",
            false,
        ),
        (b"sender verify fail", "sender verification failed", false),
        (b"Sender verify failed", "sender verification failed", false),
        (
            b": Unknown user",
            "SMTP recipient probe (unknown user)",
            true,
        ),
        (b": Unrouteable address", "SMTP unrouteable address", false),
    ];
    if memmem::find(msg, b" authenticator failed for ").is_none()
        && let Some((what, enumeration)) = PROBES
            .iter()
            .find(|(n, _, _)| memmem::find(msg, n).is_some())
            .map(|&(_, w, e)| (w, e))
    {
        // `SMTP protocol error in "<command>" H=…`: the command is the client's and may
        // carry an ` H=(x) [ip]` of its own; the server's comes last.
        let echoes_command = msg.starts_with(b"SMTP protocol error in ")
            || msg.starts_with(b"SMTP syntax error in ");
        let host = match memmem::rfind(msg, b" H=") {
            Some(h) if echoes_command => &msg[h..],
            _ => msg,
        };
        let mut ev = smtp_probe(time, exim_host_ip(host), "exim", what);
        if enumeration {
            ev.attack = Some(AttackKind::UserEnumeration);
        }
        return Some(ev);
    }
    let i = memmem::find(msg, b" authenticator failed for ")?;
    let rest = &msg[i + 26..];
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = exim_host_ip(rest);
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

/// The client address in an Exim line: the first `[ip]` that is not the HELO name
/// in parentheses (`(helo) [ip]`, `([10.0.0.1]) [ip]`) nor the local interface
/// (`I=[ip]`).
fn exim_host_ip(s: &[u8]) -> Option<IpAddr> {
    let mut from = 0;
    while let Some(o) = memchr::memchr(b'[', &s[from..]) {
        let open = from + o;
        let close = memchr::memchr(b']', &s[open..])? + open;
        from = close;
        let inside_parens = open > 0 && s[open - 1] == b'(';
        let interface = s[..open].ends_with(b"I=");
        if !inside_parens
            && !interface
            && let Some(ip) = ip_token(&s[open + 1..close])
        {
            return Some(ip);
        }
    }
    None
}

/// Courier (`imapd`, `pop3d`, `imapd-ssl`, `courierpop3login` …):
/// `LOGIN FAILED, user=alice@example.jp, ip=[::ffff:203.0.113.9]`.
pub fn courier(time: i64, program: &[u8], msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"LOGIN FAILED, ")?;
    // After the client-chosen user name: the last `ip=[`.
    let ip = kv_last(rest, b"ip=[").and_then(|v| ip_token(v.strip_suffix(b"]").unwrap_or(v)))?;
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = Some(ip);
    ev.user = kv(rest, b"user=")
        .filter(|u| !u.is_empty())
        .map(|u| String::from_utf8_lossy(u).into());
    ev.target = Some("courier".into());
    ev.detail = Some(format!("{} login failed", String::from_utf8_lossy(program)).into());
    Some(ev)
}

/// Cyrus IMAP (`imap`, `imaps`, `pop3`, `cyrus/imap` …):
/// `badlogin: host [203.0.113.9] plaintext alice SASL(-13): authentication failure: checkpass failed`.
pub fn cyrus(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"badlogin: ")?;
    let open = memchr::memchr(b'[', rest)?;
    let close = memchr::memchr(b']', &rest[open..])? + open;
    let ip = ip_token(&rest[open + 1..close])?;
    let mut words = rest[close + 1..].trim_ascii_start().split(|&c| c == b' ');
    let _mech = words.next();
    let user = words
        .next()
        .filter(|u| !u.is_empty() && !u.starts_with(b"["));
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = Some(ip);
    ev.user = user.map(|u| String::from_utf8_lossy(u).into());
    if memmem::find(rest, b"user not found").is_some() {
        ev.attack = Some(AttackKind::UserEnumeration);
    }
    ev.target = Some("cyrus".into());
    ev.detail = Some("IMAP/POP3 login failed (Cyrus)".into());
    Some(ev)
}

/// Sendmail (`sendmail`, `sm-mta`): SMTP AUTH failures from Cyrus SASL and the
/// AUTH rate limit:
///
/// ```text
/// 06I02CNi016764: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=alice, relay=host [203.0.113.9]
/// s1GNXHYB005133: [203.0.113.9]: possible SMTP attack: command=AUTH, count=5
/// ```
pub fn sendmail(time: i64, msg: &[u8]) -> Option<Event> {
    if let Some(i) = memmem::find(msg, b": possible SMTP attack: command=") {
        let mut ev = smtp_probe(time, bracket_ip(&msg[..i]), "sendmail", "");
        let cmd = kv(&msg[i..], b"command=").unwrap_or(b"?");
        if cmd == b"AUTH" {
            ev.kind = EventKind::AuthFailure;
            ev.attack = Some(AttackKind::CredentialStuffing);
        }
        ev.detail = Some(
            format!(
                "possible SMTP attack (too many {} commands)",
                String::from_utf8_lossy(&cmd[..cmd.len().min(10)])
            )
            .into(),
        );
        return Some(ev);
    }
    let i = memmem::find(msg, b"AUTH failure (")?;
    let rest = &msg[i..];
    let relay = &rest[memmem::rfind(rest, b"relay=")?..];
    let mut ev = Event::new(time, EventKind::AuthFailure, Service::Mail);
    ev.source = bracket_ip(relay);
    ev.user = kv(rest, b"user=")
        .map(|u| u.strip_suffix(b",").unwrap_or(u))
        .filter(|u| !u.is_empty())
        .map(|u| String::from_utf8_lossy(u).into());
    if memmem::find(rest, b"user not found").is_some() {
        ev.attack = Some(AttackKind::UserEnumeration);
    }
    ev.target = Some("sendmail".into());
    ev.detail = Some("SMTP AUTH failed (sendmail)".into());
    Some(ev)
}

/// `host[1.2.3.4]` or `host[1.2.3.4]:587` → the address.
fn bracket_ip(s: &[u8]) -> Option<IpAddr> {
    let open = memchr::memchr(b'[', s)?;
    let close = memchr::memchr(b']', &s[open..])? + open;
    ip_token(&s[open + 1..close])
}

/// `s` split at the first `b` (which is dropped).
fn split_at_byte(s: &[u8], b: u8) -> Option<(&[u8], &[u8])> {
    let i = memchr::memchr(b, s)?;
    Some((&s[..i], &s[i + 1..]))
}

/// The value after `key` up to `,` or a space.
fn kv<'a>(s: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    value_at(s, memmem::find(s, key)? + key.len())
}

/// [`kv`] for a key that follows a client-chosen field, which may contain the key too.
fn kv_last<'a>(s: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    value_at(s, memmem::rfind(s, key)? + key.len())
}

/// The value starting at `at`, up to the next comma or space.
fn value_at(s: &[u8], at: usize) -> Option<&[u8]> {
    let v = &s[at..];
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
    fn an_smtp_command_cannot_choose_the_address() {
        // Exim echoes the command it refused; fail2ban's exim test log has this one.
        let e = exim(
            0,
            br#"SMTP protocol error in "aUtH lOgIn" H=(test) [192.0.2.1]" H=(roxzgj) [203.0.113.6] AUTH command used when not advertised"#,
        )
        .unwrap();
        assert_eq!(e.source, Some("203.0.113.6".parse().unwrap()));
    }

    #[test]
    fn a_user_name_cannot_choose_the_address() {
        let d = dovecot_login(
            0,
            b"imap-login",
            b"Disconnected (auth failed, 1 attempts in 2 secs): user=<a, rip=192.0.2.1>, method=PLAIN, rip=203.0.113.24, lip=192.0.2.25, TLS, session=<oP0k>",
        )
        .unwrap();
        assert_eq!(d.source, Some("203.0.113.24".parse().unwrap()));
        let c = courier(
            0,
            b"imapd",
            b"LOGIN FAILED, user=a, ip=[192.0.2.1], ip=[::ffff:203.0.113.9]",
        )
        .unwrap();
        assert_eq!(c.source, Some("203.0.113.9".parse().unwrap()));
    }

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

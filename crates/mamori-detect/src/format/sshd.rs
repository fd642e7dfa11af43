//! OpenSSH `sshd` messages (OpenSSH 5–10, with and without PAM) → events.
//!
//! The texts are those of OpenSSH's `auth.c` (`auth_log`, `getpwnamallow`,
//! `allowed_user`, `auth_root_allowed`, `auth_maxtries_exceeded`), `auth2.c`,
//! `auth-pam.c` (`sshpam_query`), `sshd.c` / `sshd-session.c`, `packet.c`
//! (`sshpkt_fmt_connection_id`, `ssh_packet_disconnect`), `kex.c`
//! (`kex_exchange_identification`) and `canohost.c` / `auth.c` (reverse DNS checks):
//!
//! ```text
//! Failed password for root from 203.0.113.9 port 53422 ssh2              → auth failure
//! Failed password for invalid user admin from 203.0.113.9 port 53422 ssh2 → auth failure (unknown user)
//! Invalid user admin from 203.0.113.9 port 53422                         → probe (user enumeration)
//! Accepted publickey for deploy from 198.51.100.7 port 51234 ssh2: ED25519 SHA256:… → success
//! Did not receive identification string from 203.0.113.9 port 41000      → probe (pre-auth scan)
//! Unable to negotiate with 203.0.113.9 port 41000: no matching key exchange method found. … → probe
//! ```
//!
//! Lines that restate an attempt another sshd line already records (the PAM
//! summaries, `maximum authentication attempts exceeded`, `Disconnecting
//! authenticating user …`, `ROOT LOGIN REFUSED`) become events marked
//! [`Event::restated`], so that one guess counts once in the rules.

use crate::event::{AttackKind, Event, EventKind, Service, Step};
use memchr::memmem;
use std::net::IpAddr;

/// Recognises one sshd message; `None` when it is not security-relevant.
pub fn parse(time: i64, msg: &[u8]) -> Option<Event> {
    let msg = strip_solaris_id(msg);
    // `error: `, `fatal: ` prefixes carry no meaning of their own here.
    let msg = msg
        .strip_prefix(b"error: ")
        .or_else(|| msg.strip_prefix(b"fatal: "))
        .unwrap_or(msg);
    let first = *msg.first()?;
    match first {
        b'F' => failed(time, msg),
        b'A' => accepted(time, msg),
        b'I' => invalid_user(time, msg),
        b'i' => invalid_user(time, msg).or_else(|| input_userauth(time, msg)),
        _ => other(time, msg),
    }
}

/// The `ssh-audit` patch's first line of a connection (see [`connection_from`]).
const AUDIT_VERSION: &[u8] = b"SSH: Server;Ltype: Version;Remote: ";

/// Whether `msg` may be a line that names its process's client without being an event
/// (`Connection from …`, the `ssh-audit` patch's version line): a cheap test before
/// [`connection_from`].
pub fn names_client(msg: &[u8]) -> bool {
    msg.starts_with(b"Connection from ") || msg.starts_with(AUDIT_VERSION)
}

/// The client address of `Connection from <ip> port <n>[ on <ip> port <n>]` (sshd's
/// first line of a connection at `LogLevel VERBOSE`). Not an event; the chunk parser
/// remembers it as its process's address, for later lines that name none
/// (`fatal: Unable to negotiate a key exchange method [preauth]`).
pub fn connection_from(msg: &[u8]) -> Option<IpAddr> {
    if let Some(rest) = msg.strip_prefix(AUDIT_VERSION) {
        // The audit lines of sshd builds with the `ssh-audit` logging patch (fail2ban's
        // `ddos` mode reads them): `SSH: Server;Ltype: Version;Remote: 192.0.2.1-1780;…`,
        // the first line of a connection.
        let remote = &rest[..memchr::memchr(b';', rest)?];
        return parse_ip(&remote[..memchr::memrchr(b'-', remote)?]);
    }
    let (ip, rest) = split_word(msg.strip_prefix(b"Connection from ")?)?;
    rest.starts_with(b"port ").then_some(())?;
    parse_ip(ip)
}

/// Solaris and illumos prefix messages with a message id: `[ID 800047 auth.info] `.
fn strip_solaris_id(msg: &[u8]) -> &[u8] {
    if let Some(rest) = msg.strip_prefix(b"[ID ")
        && let Some(end) = memchr::memchr(b']', rest)
    {
        let r = &rest[end + 1..];
        return r.strip_prefix(b" ").unwrap_or(r);
    }
    msg
}

/// `Failed <method> for [invalid user ]<user> from <ip> port <n> ssh2`.
fn failed(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"Failed ")?;
    let (method, rest) = split_word(rest)?;
    let rest = rest.strip_prefix(b"for ")?;
    let (invalid, rest) = match rest.strip_prefix(b"invalid user ") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (user, ip) = user_from(rest)?;
    let method_s = String::from_utf8_lossy(method);
    // A client offering its keys one by one, or probing with `none`, is not guessing
    // a password; for an unknown user it is a probe of which accounts exist.
    let key_or_none = method == b"publickey" || method == b"none" || method == b"hostbased";
    let mut ev = if key_or_none && invalid {
        let mut ev = event(time, EventKind::Probe, user, Some(ip));
        ev.attack = Some(AttackKind::UserEnumeration);
        ev
    } else {
        let mut ev = event(time, EventKind::AuthFailure, user, Some(ip));
        if invalid {
            ev.attack = Some(AttackKind::UserEnumeration);
        }
        // Key offers are not guesses; `keyboard-interactive/pam` failures are
        // already logged by PAM's `error: PAM: … for … from …`.
        ev.restated = key_or_none || method.ends_with(b"/pam");
        ev
    };
    ev.detail = Some(if invalid {
        format!("failed {method_s} for invalid user").into()
    } else {
        format!("failed {method_s}").into()
    });
    Some(ev)
}

fn accepted(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"Accepted ")?;
    let (method, rest) = split_word(rest)?;
    let rest = rest.strip_prefix(b"for ")?;
    let (user, ip) = user_from(rest)?;
    let mut ev = event(time, EventKind::AuthSuccess, user, Some(ip));
    ev.detail = Some(format!("accepted {}", String::from_utf8_lossy(method)).into());
    Some(ev)
}

/// `Invalid user <user> from <ip> port <n>` (OpenSSH ≥ 3.x; `Illegal user` before).
fn invalid_user(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg
        .strip_prefix(b"Invalid user ")
        .or_else(|| msg.strip_prefix(b"Illegal user "))
        .or_else(|| msg.strip_prefix(b"invalid user "))?;
    let (user, ip) = user_from(rest)?;
    let mut ev = event(time, EventKind::Probe, user, Some(ip));
    ev.attack = Some(AttackKind::UserEnumeration);
    ev.detail = Some("invalid user".into());
    Some(ev)
}

/// `input_userauth_request: invalid user <user> [preauth]`: no address, but the
/// account name tried.
fn input_userauth(time: i64, msg: &[u8]) -> Option<Event> {
    let rest = msg.strip_prefix(b"input_userauth_request: invalid user ")?;
    let user = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
    let mut ev = event(time, EventKind::Probe, user, None);
    ev.attack = Some(AttackKind::UserEnumeration);
    ev.detail = Some("invalid user".into());
    ev.restated = true;
    Some(ev)
}

fn other(time: i64, msg: &[u8]) -> Option<Event> {
    let preauth = msg.ends_with(b"[preauth]");
    // PAM, through sshd: `error: PAM: Authentication failure for [illegal user ]x from host[ via ip]`.
    if let Some(rest) = msg.strip_prefix(b"PAM: ") {
        return pam_error(time, rest);
    }
    if msg.starts_with(b"pam_") {
        return super::pam::parse(time, msg);
    }
    if let Some(rest) = msg.strip_prefix(b"PAM ") {
        // `PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root`
        if memmem::find(rest, b"more authentication failure").is_some() {
            let (user, ip) = super::pam::rhost_user(rest);
            let mut ev = event(time, EventKind::AuthFailure, user.unwrap_or(b""), ip);
            if user.is_none() {
                ev.user = None;
            }
            ev.restated = true;
            ev.detail = Some("PAM: more authentication failures".into());
            return Some(ev);
        }
        return None;
    }
    if let Some(rest) = msg.strip_prefix(b"maximum authentication attempts exceeded for ") {
        let (invalid, rest) = match rest.strip_prefix(b"invalid user ") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (user, ip) = user_from(rest)?;
        let mut ev = event(time, EventKind::AuthFailure, user, Some(ip));
        if invalid {
            ev.attack = Some(AttackKind::UserEnumeration);
        }
        ev.restated = true;
        ev.step = Step::Outcome;
        ev.detail = Some("maximum authentication attempts exceeded".into());
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"ROOT LOGIN REFUSED FROM ") {
        let ip = parse_ip(rest.split(|&c| c == b' ').next()?)?;
        let mut ev = event(time, EventKind::AuthFailure, b"root", Some(ip));
        // The password was right but root may not log in; `Failed … for root` follows.
        ev.restated = true;
        ev.detail = Some("root login refused (PermitRootLogin)".into());
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"User ") {
        return not_allowed(time, rest);
    }
    // Connection-level messages with `authenticating user`/`invalid user`
    // (packet.c `sshpkt_fmt_connection_id`).
    for prefix in [
        &b"Connection closed by "[..],
        b"Connection reset by ",
        b"Disconnected from ",
        b"Disconnecting ",
        b"Timeout before authentication for ",
        b"ssh_dispatch_run_fatal: Connection from ",
        b"banner exchange: Connection from ",
        b"Read error from remote host ",
    ] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            return connection(time, prefix, rest, preauth);
        }
    }
    if let Some(rest) = msg.strip_prefix(b"Disconnecting: Too many authentication failures") {
        // OpenSSH < 7.5: `Disconnecting: Too many authentication failures for root [preauth]`.
        let user = rest
            .strip_prefix(b" for ")
            .map(|u| u.strip_suffix(b" [preauth]").unwrap_or(u));
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Ssh);
        ev.user = user.map(|u| String::from_utf8_lossy(u).into());
        ev.target = Some("sshd".into());
        ev.restated = true;
        ev.step = Step::Outcome;
        ev.detail = Some("disconnected: too many authentication failures".into());
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"drop connection #") {
        // MaxStartups / PerSourcePenalties (OpenSSH 8.x, 9.8+):
        // `drop connection #3 from [1.2.3.4]:5 on [10.0.0.1]:22 past MaxStartups`.
        let open = memchr::memchr(b'[', rest)?;
        let close = memchr::memchr(b']', &rest[open..])? + open;
        let ip = parse_ip(&rest[open + 1..close]);
        return Some(scan(
            time,
            ip,
            "connection dropped (MaxStartups or penalty)",
        ));
    }
    if let Some(rest) = msg.strip_prefix(b"srclimit_penalise: ") {
        // OpenSSH 9.8+: `srclimit_penalise: ipv4: new 1.2.3.4/32 deferred penalty of 5 seconds for reason: …`.
        let i = memmem::find(rest, b" new ").or_else(|| memmem::find(rest, b" extended "))?;
        let tok = rest[i..].trim_ascii_start();
        let tok = &tok[memchr::memchr(b' ', tok)? + 1..];
        let addr = tok.split(|&c| c == b'/' || c == b' ').next()?;
        return Some(scan(
            time,
            parse_ip(addr),
            "source penalised (PerSourcePenalties)",
        ));
    }
    if preauth
        && !msg.starts_with(b"Unable to negotiate with ")
        && (memmem::find(msg, b"no matching ").is_some()
            || msg.starts_with(b"Unable to negotiate a key exchange"))
    {
        return Some(scan(time, None, "key exchange negotiation failed"));
    }
    if preauth && msg.starts_with(b"Read from socket failed: ") {
        // OpenSSH < 7.x: `fatal: Read from socket failed: Connection reset by peer
        // [preauth]`, a client gone before authenticating (now `Connection reset by <ip>
        // port <n> [preauth]`). The address is its process's.
        let mut ev = scan(time, None, "connection reset before authentication");
        ev.step = Step::Close;
        return Some(ev);
    }
    if let Some(rest) = msg.strip_prefix(b"Received disconnect from ") {
        return received_disconnect(time, rest, preauth);
    }
    if let Some(rest) = msg.strip_prefix(b"Did not receive identification string from ") {
        let ip = parse_ip(rest.split(|&c| c == b' ').next()?);
        return Some(scan(time, ip, "no SSH identification string (port scan)"));
    }
    if let Some(rest) = msg.strip_prefix(b"Bad protocol version identification ") {
        let i = memmem::rfind(rest, b" from ")?;
        let ip = parse_ip(rest[i + 6..].split(|&c| c == b' ').next()?);
        return Some(scan(time, ip, "bad protocol version identification"));
    }
    if let Some(rest) = msg.strip_prefix(b"Protocol major versions differ for ") {
        let ip = parse_ip(rest.split(|&c| c == b' ').next()?);
        return Some(scan(time, ip, "protocol major versions differ"));
    }
    if let Some(rest) = msg.strip_prefix(b"Unable to negotiate with ") {
        let ip = parse_ip(rest.split(|&c| c == b' ').next()?);
        let what = if memmem::find(rest, b"key exchange").is_some() {
            "no matching key exchange method"
        } else if memmem::find(rest, b"host key").is_some() {
            "no matching host key type"
        } else if memmem::find(rest, b"cipher").is_some() {
            "no matching cipher"
        } else {
            "key exchange negotiation failed"
        };
        return Some(scan(time, ip, what));
    }
    if let Some(rest) = msg.strip_prefix(b"kex_exchange_identification: ") {
        // No address on this line (the next `Connection closed by …` has it).
        let mut ev = scan(time, None, "");
        ev.detail = Some(
            format!(
                "kex_exchange_identification: {}",
                String::from_utf8_lossy(&rest[..rest.len().min(80)])
            )
            .into(),
        );
        return Some(ev);
    }
    // `reverse mapping checking getaddrinfo for … failed - POSSIBLE BREAK-IN ATTEMPT!` and
    // `Address <ip> maps to <host>, but this does not map back to the address - POSSIBLE
    // BREAK-IN ATTEMPT!` (UseDNS yes) say only that the client's reverse DNS is missing or
    // inconsistent, which is common for ordinary clients; the attempt itself, if any,
    // is on the process's next lines. No event: fail2ban's sshd filter does not count
    // them either, and newer OpenSSH releases log the same checks without the wording.
    if let Some(rest) = msg.strip_prefix(b"Nasty PTR record ") {
        let i = memmem::find(rest, b" is set up for ")?;
        let ip = parse_ip(rest[i + 15..].split(|&c| c == b',' || c == b' ').next()?);
        return Some(scan(time, ip, "forged PTR record"));
    }
    if let Some(rest) = msg.strip_prefix(b"refused connect from ") {
        // tcpwrappers (libwrap): `refused connect from host (1.2.3.4)`.
        let ip = match (memchr::memrchr(b'(', rest), memchr::memrchr(b')', rest)) {
            (Some(o), Some(c)) if o < c => parse_ip(&rest[o + 1..c]),
            _ => parse_ip(rest.split(|&c| c == b' ').next()?),
        };
        return Some(scan(time, ip, "connection refused by tcpwrappers"));
    }
    None
}

/// `error: PAM: Authentication failure for [illegal user ]x from host[ via ip]`
/// (sshd's own line for keyboard-interactive PAM failures; macOS adds `via`).
fn pam_error(time: i64, rest: &[u8]) -> Option<Event> {
    let i = memmem::find(rest, b" for ")?;
    let what = &rest[..i];
    let lower = what.to_ascii_lowercase();
    if memmem::find(&lower, b"authentication").is_none()
        && memmem::find(&lower, b"user unknown").is_none()
        && memmem::find(&lower, b"unknown user").is_none()
        && memmem::find(&lower, b"user not known").is_none()
        && memmem::find(&lower, b"maximum").is_none()
    {
        return None;
    }
    let rest = &rest[i + 5..];
    let (invalid, rest) = match rest.strip_prefix(b"illegal user ") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let j = memmem::rfind(rest, b" from ")?;
    let user = &rest[..j];
    let host = rest[j + 6..].split(|&c| c == b' ').next()?;
    let ip = parse_ip(host).or_else(|| {
        let v = memmem::find(rest, b" via ")?;
        parse_ip(rest[v + 5..].split(|&c| c == b' ').next()?)
    });
    let mut ev = event(time, EventKind::AuthFailure, user, ip);
    if invalid {
        ev.attack = Some(AttackKind::UserEnumeration);
    }
    ev.detail = Some(format!("PAM: {}", String::from_utf8_lossy(what)).into());
    Some(ev)
}

/// `User <user> from <ip> not allowed because …` (`allowed_user` in auth.c).
fn not_allowed(time: i64, rest: &[u8]) -> Option<Event> {
    let n = memmem::find(rest, b" not allowed because ")?;
    let reason = &rest[n + 21..];
    let head = &rest[..n];
    let (user, ip) = match memmem::rfind(head, b" from ") {
        Some(i) => (&head[..i], parse_ip(&head[i + 6..])),
        None => (head, None),
    };
    let mut ev = event(time, EventKind::Probe, user, ip);
    ev.attack = Some(AttackKind::UserEnumeration);
    ev.detail = Some(
        format!(
            "user not allowed because {}",
            String::from_utf8_lossy(&reason[..reason.len().min(60)])
        )
        .into(),
    );
    Some(ev)
}

/// `Connection closed by [authenticating user x |invalid user x ]<ip> port <n> [preauth]`,
/// `Disconnecting authenticating user x <ip> port <n>: Too many authentication failures [preauth]`,
/// `banner exchange: Connection from <ip> port <n>: invalid format` and the like.
fn connection(time: i64, prefix: &[u8], rest: &[u8], preauth: bool) -> Option<Event> {
    let (who, rest) = if let Some(r) = rest.strip_prefix(b"authenticating user ") {
        (Some(false), r)
    } else if let Some(r) = rest.strip_prefix(b"invalid user ") {
        (Some(true), r)
    } else if let Some(r) = rest.strip_prefix(b"user ") {
        (Some(false), r)
    } else {
        (None, rest)
    };
    let too_many = memmem::find(rest, b"Too many authentication failures").is_some();
    let scan_msg = prefix.starts_with(b"banner") || prefix.starts_with(b"ssh_dispatch");
    let step = if too_many {
        Step::Outcome
    } else if prefix.starts_with(b"Connection ") || prefix.starts_with(b"Disconnected ") {
        Step::Close
    } else {
        Step::Attempt
    };
    match who {
        Some(invalid) => {
            // `<user> <ip> port <n>…`: the user name may contain spaces, the address not.
            let p = memmem::rfind(rest, b" port ")?;
            let head = &rest[..p];
            let sp = memchr::memrchr(b' ', head)?;
            let user = &head[..sp];
            let ip = parse_ip(&head[sp + 1..])?;
            if !preauth && !too_many {
                // A session that ended after login.
                return None;
            }
            // Too many failures: failed guesses; an unknown user closing: a probe.
            let kind = if invalid && !too_many {
                EventKind::Probe
            } else {
                EventKind::AuthFailure
            };
            let mut ev = event(time, kind, user, Some(ip));
            if invalid {
                ev.attack = Some(AttackKind::UserEnumeration);
            }
            ev.restated = true;
            ev.step = step;
            ev.detail = Some(if too_many {
                "disconnected: too many authentication failures".into()
            } else {
                "connection closed before authentication".into()
            });
            Some(ev)
        }
        None => {
            // Without `[preauth]`, `Connection closed/reset by <ip>` (no user) comes
            // before the key exchange: a client that never identified itself.
            // Without a port either (`Connection closed by 192.0.2.5`), it is sshd
            // before 6.x, which wrote that at the end of any connection: no event.
            let before_kex =
                prefix.starts_with(b"Connection ") && memmem::find(rest, b" port ").is_some();
            if !preauth && !scan_msg && !before_kex && !prefix.starts_with(b"Timeout") {
                return None;
            }
            let ip = parse_ip(rest.split(|&c| c == b' ').next()?);
            let what = if scan_msg {
                "SSH handshake failed (invalid banner or packet)"
            } else if prefix.starts_with(b"Timeout") {
                "timeout before authentication"
            } else {
                "disconnected before authentication"
            };
            let mut ev = scan(time, ip, what);
            ev.step = step;
            Some(ev)
        }
    }
}

/// `Received disconnect from <ip> port <n>:11: Bye Bye [preauth]`.
fn received_disconnect(time: i64, rest: &[u8], preauth: bool) -> Option<Event> {
    let ip = parse_ip(rest.split(|&c| c == b' ').next()?);
    let lower = rest.to_ascii_lowercase();
    // A client library's own words (JSch: `3: com.jcraft.jsch.JSchException: Auth
    // fail`) mean failed guesses even where sshd did not add `[preauth]` (OpenSSH < 6.x).
    if memmem::find(&lower, b"auth fail").is_some()
        || memmem::find(&lower, b"auth cancel").is_some()
    {
        let mut ev = Event::new(time, EventKind::AuthFailure, Service::Ssh);
        ev.source = ip;
        ev.target = Some("sshd".into());
        ev.restated = true;
        ev.detail = Some("client gave up: authentication failed".into());
        return Some(ev);
    }
    if !preauth {
        return None;
    }
    let mut ev = scan(time, ip, "client disconnected before authentication");
    ev.step = Step::Close;
    Some(ev)
}

/// Dropbear (`svr-auth.c`, `svr-authpasswd.c`; OpenWrt and embedded devices):
///
/// ```text
/// Bad password attempt for 'root' from 203.0.113.9:5543            → auth failure
/// Login attempt for nonexistent user from ::ffff:203.0.113.9:60495  → auth failure (unknown user)
/// Exit before auth (user 'root', 10 fails): Max auth tries reached - user 'root' from 203.0.113.9:60588 → restated
/// Password auth succeeded for 'root' from 198.51.100.7:51234         → success
/// Pubkey auth succeeded for 'root' with key sha1!! 00:11:… from 198.51.100.7:51234 → success
/// ```
pub fn dropbear(time: i64, msg: &[u8]) -> Option<Event> {
    // Older releases write `bad password attempt`, newer ones `Bad password attempt`.
    let head = msg[..msg.len().min(40)].to_ascii_lowercase();
    let unknown = head.starts_with(b"login attempt for nonexistent user");
    let max_tries =
        head.starts_with(b"exit before auth") && memmem::find(msg, b"Max auth tries").is_some();
    let (kind, detail) = if head.starts_with(b"bad password attempt for '") {
        (EventKind::AuthFailure, "bad password attempt")
    } else if unknown {
        (EventKind::AuthFailure, "login attempt for nonexistent user")
    } else if max_tries {
        (EventKind::AuthFailure, "maximum authentication attempts")
    } else if memmem::find(msg, b" auth succeeded for '").is_some() {
        (EventKind::AuthSuccess, "accepted")
    } else {
        return None;
    };
    let user = quoted(msg);
    let i = memmem::rfind(msg, b" from ")?;
    let addr = msg[i + 6..].split(|&c| c == b' ').next()?;
    // `ip:port`, the address possibly IPv6 (`::ffff:1.2.3.4:60495`).
    let ip = match memchr::memrchr(b':', addr) {
        Some(c) if addr[c + 1..].iter().all(u8::is_ascii_digit) => parse_ip(&addr[..c]),
        _ => parse_ip(addr),
    }?;
    let mut ev = event(time, kind, user.unwrap_or(b""), Some(ip));
    if user.is_none() {
        ev.user = None;
    }
    if unknown {
        ev.attack = Some(AttackKind::UserEnumeration);
    }
    ev.target = Some("dropbear".into());
    ev.restated = max_tries;
    ev.detail = Some(format!("dropbear: {detail}").into());
    Some(ev)
}

/// The first `'…'` in `msg`.
fn quoted(msg: &[u8]) -> Option<&[u8]> {
    let open = memchr::memchr(b'\'', msg)?;
    let close = memchr::memchr(b'\'', &msg[open + 1..])? + open + 1;
    Some(&msg[open + 1..close])
}

/// A pre-authentication probe of the SSH service.
fn scan(time: i64, ip: Option<IpAddr>, what: &str) -> Event {
    let mut ev = Event::new(time, EventKind::Probe, Service::Ssh);
    ev.attack = Some(AttackKind::ServiceScan);
    ev.source = ip;
    ev.target = Some("sshd".into());
    ev.detail = Some(what.into());
    ev
}

fn event(time: i64, kind: EventKind, user: &[u8], ip: Option<IpAddr>) -> Event {
    let mut ev = Event::new(time, kind, Service::Ssh);
    ev.user = Some(String::from_utf8_lossy(user).into());
    ev.source = ip;
    ev.target = Some("sshd".into());
    ev
}

fn split_word(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = memchr::memchr(b' ', s)?;
    Some((&s[..i], &s[i + 1..]))
}

/// `USER from IP port N …`: the last ` from <ip> port` (see below), else the last
/// ` from ` (the user name may itself contain spaces).
fn user_from(s: &[u8]) -> Option<(&[u8], IpAddr)> {
    // sshd writes `for USER from <ip> port <n> ssh2[: key]`. The user name is the
    // client's text and comes first, so a client can put a whole `from 10.0.0.1 port 1
    // ssh2` into it: the peer is the last ` from ` followed by `<ip> port`. What follows
    // the peer is sshd's own (`ssh2: RSA SHA256:…`); a `from` there without `port`
    // (`ssh2: ruser from 1.2.3.4`) is not an address sshd connected with.
    let mut peer = None;
    for i in memmem::find_iter(s, b" from ") {
        let rest = &s[i + 6..];
        let mut words = rest.split(|&c| c == b' ');
        if let (Some(ip), Some(b"port")) = (words.next(), words.next())
            && let Some(ip) = parse_ip(ip)
        {
            peer = Some((&s[..i], ip));
        }
    }
    if peer.is_some() {
        return peer;
    }
    let (user, rest) = match memmem::rfind(s, b" from ") {
        Some(i) => (&s[..i], &s[i + 6..]),
        // An empty user name: `Failed password for invalid user from 1.2.3.4 …`.
        None => (&b""[..], s.strip_prefix(b"from ")?),
    };
    let ip = parse_ip(rest.split(|&c| c == b' ').next()?)?;
    Some((user, ip))
}

fn parse_ip(b: &[u8]) -> Option<IpAddr> {
    super::ip_token(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_from_names_the_client() {
        let ip = |m: &[u8]| connection_from(m);
        let want = Some("192.0.2.3".parse().unwrap());
        assert_eq!(
            ip(b"Connection from 192.0.2.3 port 39678 on 192.168.1.9 port 22"),
            want
        );
        assert_eq!(ip(b"Connection from 192.0.2.3 port 39678"), want);
        assert_eq!(ip(b"Connection from example.com port 39678"), None);
        assert_eq!(ip(b"Connection from 192.0.2.3"), None);
        assert_eq!(ip(b"Connection closed by 192.0.2.3 port 1"), None);
        assert_eq!(
            ip(b"SSH: Server;Ltype: Version;Remote: 192.0.2.3-1780;Protocol: 2.0;Client: libssh2_1.4.3"),
            want
        );
        assert_eq!(
            ip(b"SSH: Server;Ltype: Kex;Remote: 192.0.2.3-1780;Enc: aes128-ctr"),
            None
        );
    }

    fn p(msg: &str) -> Event {
        parse(1, msg.as_bytes()).unwrap_or_else(|| panic!("no event for {msg}"))
    }

    #[test]
    fn failed_and_accepted() {
        let f = p("Failed password for root from 203.0.113.9 port 53422 ssh2");
        assert_eq!(f.kind, EventKind::AuthFailure);
        assert!(!f.restated);
        assert_eq!(f.user.as_deref(), Some("root"));
        assert_eq!(f.source, Some("203.0.113.9".parse().unwrap()));
        let i = p("Failed password for invalid user admin from 2001:db8::5 port 1 ssh2");
        assert_eq!(i.user.as_deref(), Some("admin"));
        assert_eq!(i.attack, Some(AttackKind::UserEnumeration));
        let a = p(
            "Accepted publickey for deploy from 198.51.100.7 port 51234 ssh2: ED25519 SHA256:abc",
        );
        assert_eq!(a.kind, EventKind::AuthSuccess);
        assert_eq!(a.detail.as_deref(), Some("accepted publickey"));
        let k = p("Failed keyboard-interactive/pam for invalid user x from 1.2.3.4 port 2 ssh2");
        assert_eq!(k.kind, EventKind::AuthFailure);
        assert!(k.restated, "PAM's own error line counts the guess");
        let n = p("Failed none for invalid user test from 1.2.3.4 port 2 ssh2");
        assert_eq!(n.kind, EventKind::Probe);
        let k = p("Failed publickey for git from 1.2.3.4 port 5 ssh2: RSA SHA256:x");
        assert_eq!(k.kind, EventKind::AuthFailure);
        assert!(k.restated, "a key offer is not a password guess");
    }

    #[test]
    fn invalid_user_probe_and_noise() {
        let e = p("Invalid user oracle from 1.2.3.4 port 5");
        assert_eq!(e.kind, EventKind::Probe);
        assert_eq!(e.user.as_deref(), Some("oracle"));
        assert!(parse(1, b"Failed password for root from notanip port 5 ssh2").is_none());
        // Reverse-DNS notices: a client's DNS, not an attempt.
        for m in [
            "reverse mapping checking getaddrinfo for x.example [1.2.3.4] failed - POSSIBLE BREAK-IN ATTEMPT!",
            "Address 1.2.3.4 maps to x.example, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!",
        ] {
            assert!(parse(1, m.as_bytes()).is_none(), "{m}");
        }
        assert!(
            parse(
                1,
                b"Received disconnect from 1.2.3.4 port 5:11: disconnected by user"
            )
            .is_none()
        );
        assert!(parse(1, b"Disconnected from user carol 1.2.3.4 port 5").is_none());
        assert!(parse(1, b"Server listening on 0.0.0.0 port 22.").is_none());
        assert!(
            parse(
                1,
                b"pam_unix(sshd:session): session opened for user deploy(uid=1002) by (uid=0)"
            )
            .is_none()
        );
    }

    #[test]
    fn user_names_with_spaces() {
        let e = p("Invalid user a from b from 1.2.3.4 port 5");
        assert_eq!(e.user.as_deref(), Some("a from b"));
    }

    #[test]
    fn restated_summaries() {
        for m in [
            "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
            "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
            "error: maximum authentication attempts exceeded for root from 1.2.3.4 port 5 ssh2 [preauth]",
            "Disconnecting authenticating user root 1.2.3.4 port 5: Too many authentication failures [preauth]",
            "Connection closed by authenticating user root 1.2.3.4 port 5 [preauth]",
            "ROOT LOGIN REFUSED FROM 1.2.3.4 port 5",
        ] {
            let e = p(m);
            assert_eq!(e.kind, EventKind::AuthFailure, "{m}");
            assert!(e.restated, "{m}");
            assert_eq!(e.source, Some("1.2.3.4".parse().unwrap()), "{m}");
            assert_eq!(e.user.as_deref(), Some("root"), "{m}");
        }
    }

    #[test]
    fn pre_auth_scans() {
        for m in [
            "Did not receive identification string from 1.2.3.4 port 5",
            "banner exchange: Connection from 1.2.3.4 port 5: invalid format",
            "Bad protocol version identification 'GET / HTTP/1.1' from 1.2.3.4 port 5",
            "Unable to negotiate with 1.2.3.4 port 5: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]",
            "Received disconnect from 1.2.3.4 port 5:11: Bye Bye [preauth]",
            "Connection closed by 1.2.3.4 port 5 [preauth]",
            "refused connect from scanner.example (1.2.3.4)",
        ] {
            let e = p(m);
            assert_eq!(e.kind, EventKind::Probe, "{m}");
            assert_eq!(e.attack, Some(AttackKind::ServiceScan), "{m}");
            assert_eq!(e.source, Some("1.2.3.4".parse().unwrap()), "{m}");
        }
        let k = p("error: kex_exchange_identification: Connection closed by remote host");
        assert_eq!(k.kind, EventKind::Probe);
        assert_eq!(k.source, None);
    }

    #[test]
    fn pam_errors_solaris_and_not_allowed() {
        let e = p("error: PAM: Authentication failure for illegal user admin from 1.2.3.4");
        assert_eq!(e.kind, EventKind::AuthFailure);
        assert!(!e.restated);
        assert_eq!(e.user.as_deref(), Some("admin"));
        let m = p("error: PAM: authentication error for root from 1.2.3.4 via 10.0.0.5");
        assert_eq!(m.source, Some("1.2.3.4".parse().unwrap()));
        let s = p("[ID 800047 auth.info] Failed password for bob from 1.2.3.4 port 5 ssh2");
        assert_eq!(s.user.as_deref(), Some("bob"));
        let n = p("User root from 1.2.3.4 not allowed because not listed in AllowUsers");
        assert_eq!(n.kind, EventKind::Probe);
        assert_eq!(n.user.as_deref(), Some("root"));
        assert_eq!(n.source, Some("1.2.3.4".parse().unwrap()));
    }
}

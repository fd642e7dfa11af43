//! sshd's whole message catalogue, the services brute-forced next to SSH, and the
//! web servers' error logs: each labelled fixture line becomes the right event, the
//! rules name the right service, and no parser panics.

use super::*;
use mamori_detect::format::{Format, ParseContext, Parsed, parse_line};
use mamori_detect::{EventKind, Service};
use proptest::prelude::*;
use std::collections::HashMap;

/// `(kind, service, source)` by line, from a fixture's `.labels` sidecar.
fn labels(name: &str) -> HashMap<u64, (String, String, Option<String>)> {
    let text = std::fs::read_to_string(fixture(&format!("{name}.labels"))).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let src = (f[3] != "-").then(|| f[3].to_owned());
            (
                f[0].parse().unwrap(),
                (f[1].to_owned(), f[2].to_owned(), src),
            )
        })
        .collect()
}

const LABELLED: [&str; 31] = [
    "auth-openssh10.log",
    "secure-openssh6.log",
    "auth-openssh.log",
    "secure-solaris.log",
    "system-macos.log",
    "log-show-macos.log",
    "authlog-openbsd.log",
    "syslog-rfc5424.log",
    "journal-short-precise.log",
    "mail.log",
    "dovecot.log",
    "exim-mainlog",
    "vsftpd.log",
    "ftp-syslog.log",
    "proftpd.log",
    "webmin-auth.log",
    "apache-error-probes.log",
    "nginx-error-probes.log",
    "services-more.log",
    "exim-probes.log",
    "apache-error-auth.log",
    "lighttpd-error.log",
    "access-nonhttp.log",
    "roundcube-errors.log",
    "journal-short-iso-precise.log",
    "journal-short-full.log",
    "journal-short-unix.log",
    "journal-json.jsonl",
    "journal-untimed.log",
    "dovecot-multilog.log",
    "docker-nginx.log",
];

#[test]
fn every_labelled_line_gives_its_event_and_nothing_else_does() {
    let mut missed = Vec::new();
    let mut false_events = Vec::new();
    let (mut total, mut events) = (0, 0);
    for name in LABELLED.into_iter().chain(["apache22-error.log"]) {
        let want = labels(name);
        let (_, ev) = run(vec![file(fixture(name))], &jst());
        total += want.len();
        events += ev.len();
        for (line, (kind, service, source)) in &want {
            let ok = ev.iter().any(|(e, _)| {
                e.line == *line
                    && e.kind.as_str() == kind
                    && e.service.as_str() == service
                    && e.source.map(|s| s.to_string()) == *source
            });
            if !ok {
                missed.push(format!("{name}:{line}"));
            }
        }
        for (e, _) in &ev {
            let right = want
                .get(&e.line)
                .is_some_and(|(k, s, _)| e.kind.as_str() == k && e.service.as_str() == s);
            if !right {
                false_events.push(format!("{name}:{} {:?}", e.line, e.kind));
            }
        }
    }
    // Every line of these fixtures is one the parsers must know; the targets of the
    // issue (recall ≥ 0.90, ≤ 5 % false events) are the floor, not the goal.
    assert!(
        missed.is_empty(),
        "missed {} of {total}: {missed:?}",
        missed.len()
    );
    assert!(
        false_events.is_empty(),
        "{} false of {events} events: {false_events:?}",
        false_events.len()
    );
}

#[test]
fn restated_lines_do_not_count_a_guess_twice() {
    // 6 guesses logged with PAM's line, the summary and the disconnect: 6 failures.
    let (r, ev) = run(vec![file(fixture("auth-openssh.log"))], &jst());
    let from = |ip: &str| {
        ev.iter()
            .filter(|(e, _)| e.source == Some(ip.parse().unwrap()))
            .filter(|(e, _)| e.kind == EventKind::AuthFailure)
            .collect::<Vec<_>>()
    };
    let all = from("198.51.100.23");
    let counted = all.iter().filter(|(e, _)| !e.restated).count();
    assert_eq!(counted, 6, "{all:?}");
    assert!(all.len() > 6);
    // The timeline counts guesses, not lines.
    assert_eq!(
        r.counts.auth_failures as usize,
        ev.iter()
            .filter(|(e, _)| e.kind == EventKind::AuthFailure && !e.restated)
            .count()
    );
}

#[test]
fn a_session_that_logs_in_leaves_no_failure_of_its_own_account() {
    // Shapes from fail2ban's sshd test log (gh-1263, gh-2070) and OpenSSH's `auth.c`:
    // a client offering keys one by one before one is accepted; a PAM stack whose first
    // module fails before the login succeeds. PAM's line before sshd's own record of the
    // guess, and failures of other accounts before a login, stay.
    let log = "\
Nov 28 09:16:03 srv sshd[32307]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA 0e:ff
Nov 28 09:16:03 srv sshd[32307]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: RSA 04:bc
Nov 28 09:16:03 srv sshd[32307]: Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]
Nov 28 09:16:03 srv sshd[32307]: Accepted publickey for git from 192.0.2.1 port 57904 ssh2: DSA 36:48
Mar  7 18:53:20 bar sshd[1556]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.113  user=rda
Mar  7 18:53:20 bar sshd[1556]: Accepted password for rda from 192.0.2.113 port 52100 ssh2
Mar  7 18:53:21 bar sshd[1557]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.23  user=root
Mar  7 18:53:22 bar sshd[1557]: Failed password for root from 198.51.100.23 port 50022 ssh2
Mar  7 18:53:23 bar sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.114  user=root
Mar  7 18:53:24 bar sshd[1558]: Accepted password for known from 192.0.2.114 port 52100 ssh2
Mar  7 18:53:25 bar sshd[1559]: Failed publickey for deploy from 192.0.2.7 port 40000 ssh2: RSA 14:ba
";
    let (_, ev) = run(vec![mem("auth.log", log.as_bytes().to_vec())], &jst());
    let lines: Vec<(u64, EventKind)> = ev.iter().map(|(e, _)| (e.line, e.kind)).collect();
    assert_eq!(
        lines,
        vec![
            (4, EventKind::AuthSuccess),
            (6, EventKind::AuthSuccess),
            (7, EventKind::AuthFailure),
            (8, EventKind::AuthFailure),
            (9, EventKind::AuthFailure),
            (10, EventKind::AuthSuccess),
            // Unsettled at the end of the log: reported as it was.
            (11, EventKind::AuthFailure),
        ],
        "{ev:?}"
    );
    assert!(ev[2].0.restated && !ev[3].0.restated && ev[4].0.restated);
}

#[test]
fn each_sshd_attempt_is_one_event_on_the_line_that_names_its_client() {
    // Message texts of OpenSSH's `auth.c` (`User %s not allowed because account is
    // locked`), `auth2.c` (`input_userauth_request: invalid user %s`), `packet.c`
    // (`Received disconnect`, `Connection closed by`), `kex.c`
    // (`kex_exchange_identification: …`), as OpenSSH 7.x–9.x write them (and
    // `Read from socket failed` of OpenSSH 5.x–6.x with the `ssh-audit` patch's
    // `SSH: Server;Ltype: Version` line); the sessions are the shapes fail2ban's sshd
    // test log attributes (gh-1263, gh-3086).
    let log = "\
Apr 24 01:39:19 host sshd[3719]: User root not allowed because account is locked
Apr 24 01:39:19 host sshd[3719]: input_userauth_request: invalid user root [preauth]
Apr 24 01:39:19 host sshd[3719]: Received disconnect from 198.51.100.34 port 58846:11: Bye Bye [preauth]
Nov 28 09:16:05 srv sshd[32310]: Failed publickey for git from 192.0.2.111 port 57910 ssh2: ECDSA 1e:fe
Nov 28 09:16:05 srv sshd[32310]: Failed publickey for git from 192.0.2.111 port 57910 ssh2: RSA 14:ba
Nov 28 09:16:05 srv sshd[32310]: Disconnecting authenticating user git 192.0.2.111 port 57910: Too many authentication failures [preauth]
Nov 28 09:16:05 srv sshd[32310]: Connection closed by authenticating user git 192.0.2.111 port 57910 [preauth]
Mar  4 09:10:02 web01 sshd[2001]: Failed password for invalid user oracle from 203.0.113.9 port 41000 ssh2
Mar  4 09:10:05 web01 sshd[2001]: Connection closed by invalid user oracle 203.0.113.9 port 41000 [preauth]
Jun  6 04:17:04 host sshd[4242]: Invalid user admin from 192.0.2.68 port 34916
Jun  6 04:17:09 host sshd[4242]: Connection closed by invalid user admin 192.0.2.68 port 34916 [preauth]
Jun  7 04:10:35 host sshd[4243]: error: kex_exchange_identification: Connection closed by remote host
Jun  7 04:10:35 host sshd[4243]: Connection closed by 192.0.2.15 port 35352
Jun  7 04:11:00 host sshd[4244]: Disconnecting: Too many authentication failures for root [preauth]
Nov 24 23:46:39 host sshd[4245]: SSH: Server;Ltype: Version;Remote: 192.0.2.44-1780;Protocol: 2.0;Client: libssh2_1.4.3
Nov 24 23:46:43 host sshd[4245]: fatal: Read from socket failed: Connection reset by peer [preauth]
";
    let (_, ev) = run(vec![mem("auth.log", log.as_bytes().to_vec())], &jst());
    let got: Vec<(u64, EventKind, Option<String>, Option<String>)> = ev
        .iter()
        .map(|(e, _)| {
            (
                e.line,
                e.kind,
                e.source.map(|s| s.to_string()),
                e.user.as_deref().map(str::to_owned),
            )
        })
        .collect();
    let at = |line, kind, ip: &str, user: Option<&str>| {
        (line, kind, Some(ip.to_owned()), user.map(str::to_owned))
    };
    assert_eq!(
        got,
        vec![
            // The refusal, reported where sshd first names the client.
            at(3, EventKind::Probe, "198.51.100.34", Some("root")),
            // The key offers are the attempt `Too many authentication failures` reports.
            at(6, EventKind::AuthFailure, "192.0.2.111", Some("git")),
            // A guess; the close that follows is its end, not a second attempt.
            at(8, EventKind::AuthFailure, "203.0.113.9", Some("oracle")),
            // An unknown user who left without trying a password: both lines tell.
            at(10, EventKind::Probe, "192.0.2.68", Some("admin")),
            at(11, EventKind::Probe, "192.0.2.68", Some("admin")),
            // A broken handshake, reported with the address of the close.
            at(13, EventKind::Probe, "192.0.2.15", None),
            // Line 14 restates failures of a client this log never names: no event.
            // OpenSSH < 7's pre-auth reset, with the address of the audit patch's line.
            at(16, EventKind::Probe, "192.0.2.44", None),
        ],
        "{ev:?}"
    );
    assert!(
        ev[0]
            .0
            .detail
            .as_deref()
            .unwrap()
            .contains("account is locked")
    );
}

/// `n` failures from one address against a service, as the service logs them.
fn brute(line: impl Fn(u32) -> String, n: u32) -> Vec<u8> {
    (0..n)
        .map(|i| line(i) + "\n")
        .collect::<String>()
        .into_bytes()
}

#[test]
fn brute_force_on_mail_and_ftp_names_the_service() {
    let dovecot = brute(
        |i| {
            format!(
                "Mar  4 10:{:02}:{:02} mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<info>, method=PLAIN, rip=203.0.113.20, lip=192.0.2.25, TLS, session=<x{i}>",
                i / 60,
                i % 60
            )
        },
        30,
    );
    let ftp = brute(
        |i| {
            format!(
                "Mar  4 11:{:02}:{:02} ftp1 pure-ftpd: (?@203.0.113.53) [WARNING] Authentication failed for user [admin]",
                i / 60,
                i % 60
            )
        },
        30,
    );
    let (r, _) = run(vec![mem("mail.log", dovecot), mem("ftp.log", ftp)], &jst());
    let bf: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule.id == "MAM-A001")
        .collect();
    assert_eq!(bf.len(), 2, "{:?}", rule_ids(&r));
    let mail = bf.iter().find(|f| f.service == Service::Mail).unwrap();
    assert_eq!(mail.target.as_deref(), Some("dovecot"));
    let ftp = bf.iter().find(|f| f.service == Service::Ftp).unwrap();
    assert_eq!(ftp.target.as_deref(), Some("pure-ftpd"));
    let text = mamori_detect::report::text::render(&r, mamori_core::Lang::Ja);
    assert!(text.contains("対象: dovecot (メール"), "{text}");
    assert!(text.contains("対象: pure-ftpd (FTP)"), "{text}");
    let en = mamori_detect::report::text::render(&r, mamori_core::Lang::En);
    assert!(en.contains("target: dovecot (mail"), "{en}");
}

#[test]
fn spraying_smtp_auth_is_a_mail_finding_and_not_ssh_enumeration() {
    let users = [
        "info",
        "sales",
        "admin",
        "support",
        "office",
        "contact",
        "web",
        "test",
        "user",
        "postmaster",
        "staff",
        "hr",
    ];
    let log = brute(
        |i| {
            format!(
                "Mar  4 12:00:{:02} mx1 postfix/smtpd[4001]: warning: unknown[203.0.113.30]: SASL LOGIN authentication failed: (reason unavailable), sasl_username={}@example.jp",
                i, users[i as usize]
            )
        },
        users.len() as u32,
    );
    let unknown = brute(
        |i| {
            format!(
                "Mar  4 12:01:{:02} mx1 dovecot: auth: passwd-file({}@example.jp,203.0.113.31): unknown user",
                i, users[i as usize]
            )
        },
        users.len() as u32,
    );
    let (r, _) = run(
        vec![mem("mail.log", log), mem("mail2.log", unknown)],
        &jst(),
    );
    let spray = r.findings.iter().find(|f| f.rule.id == "MAM-A002").unwrap();
    assert_eq!(spray.service, Service::Mail);
    assert_eq!(spray.target.as_deref(), Some("postfix"));
    // Unknown mail users are not SSH user enumeration, and restated lines alone
    // (Dovecot's per-attempt auth lines) do not make a brute-force finding.
    assert!(!rule_ids(&r).contains(&"MAM-S001"), "{:?}", rule_ids(&r));
}

fn syslog(line: &str) -> Option<mamori_detect::Event> {
    match parse_line(Format::Syslog, line.as_bytes(), &ParseContext::default()) {
        Ok(Parsed::Event(e)) => Some(e),
        _ => None,
    }
}

proptest! {
    #[test]
    fn catalogue_prefixes_with_arbitrary_tails_never_panic(
        pick in 0usize..20,
        tail in ".{0,120}",
        bytes in proptest::collection::vec(any::<u8>(), 0..80),
    ) {
        const HEADS: [&str; 20] = [
            "sshd[1]: Failed ", "sshd[1]: Invalid user ", "sshd[1]: Connection closed by ",
            "sshd[1]: Disconnecting ", "sshd[1]: error: PAM: ", "sshd[1]: PAM ",
            "sshd[1]: User ", "sshd[1]: Unable to negotiate with ", "sshd[1]: [ID 800047 auth.info] ",
            "sshd[1]: reverse mapping checking getaddrinfo for ", "dovecot: imap-login: ",
            "dovecot: auth: passwd-file(", "postfix/smtpd[1]: warning: ", "exim[1]: x authenticator failed for ",
            "vsftpd[1]: [pid 1] [", "proftpd[1]: h (", "pure-ftpd: (", "webmin[1]: Invalid login as ",
            "x: pam_unix(sshd:auth): authentication failure; ", "sshd[1]: Received disconnect from ",
        ];
        let mut line = format!("Mar  4 09:00:00 h {}{tail}", HEADS[pick]).into_bytes();
        line.extend_from_slice(&bytes);
        let ctx = ParseContext::default();
        for format in [Format::Syslog, Format::ApacheError, Format::NginxError] {
            let _ = parse_line(format, &line, &ctx);
        }
        let mut err = b"[Mon Mar 04 11:00:01 2024] [core:info] [pid 1] [client 1.2.3.4:5] ".to_vec();
        err.extend_from_slice(&line[18..]);
        let _ = parse_line(Format::ApacheError, &err, &ctx);
    }

    #[test]
    fn interleaved_sshd_sessions_keep_every_guess_and_line_order(
        steps in proptest::collection::vec((0u32..4, 0usize..10, 0u8..3), 1..60),
    ) {
        // Lines of OpenSSH 8.x–9.x sessions (the catalogue above), four processes
        // interleaved, some of them reusing a pid with another address.
        const MSGS: [&str; 10] = [
            "Failed password for root from {ip} port 22 ssh2",
            "Invalid user admin from {ip} port 22",
            "Connection closed by authenticating user root {ip} port 22 [preauth]",
            "Connection closed by {ip} port 22",
            "Disconnecting authenticating user root {ip} port 22: Too many authentication failures [preauth]",
            "Failed publickey for git from {ip} port 22 ssh2: RSA SHA256:x",
            "Accepted password for git from {ip} port 22 ssh2",
            "error: kex_exchange_identification: Connection closed by remote host",
            "User root not allowed because account is locked",
            "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user=root",
        ];
        let log: String = steps
            .iter()
            .map(|&(pid, m, ip)| {
                format!("Mar  4 09:00:00 h sshd[{pid}]: {}\n", MSGS[m].replace("{ip}", &format!("192.0.2.{ip}")))
            })
            .collect();
        let (_, ev) = run(vec![mem("auth.log", log.into_bytes())], &jst());
        let lines: Vec<u64> = ev.iter().map(|(e, _)| e.line).collect();
        prop_assert!(lines.is_sorted(), "{:?}", lines);
        prop_assert!(lines.iter().all(|&l| l >= 1 && l <= steps.len() as u64));
        // A guess sshd records itself (`Failed password`, `Invalid user`) is always an
        // event of its own line, whatever the lines around it.
        for (i, &(_, m, _)) in steps.iter().enumerate() {
            if m < 2 {
                prop_assert!(lines.contains(&(i as u64 + 1)), "line {} lost: {:?}", i + 1, steps);
            }
        }
    }

    #[test]
    fn generated_failure_lines_give_their_user_and_address(
        user in "[a-z][a-z0-9._-]{0,15}",
        ip in any::<[u8; 4]>(),
        v6 in any::<[u16; 8]>(),
        use_v6 in any::<bool>(),
        port in 1u16..,
        which in 0usize..10,
    ) {
        let addr: std::net::IpAddr = if use_v6 {
            std::net::Ipv6Addr::from(v6).into()
        } else {
            std::net::Ipv4Addr::from(ip).into()
        };
        let addr = addr.to_canonical();
        let a = addr.to_string();
        let line = match which {
            0 => format!("Mar  4 09:00:00 h sshd[1]: Failed password for {user} from {a} port {port} ssh2"),
            1 => format!("Mar  4 09:00:00 h sshd[1]: Failed password for invalid user {user} from {a} port {port} ssh2"),
            2 => format!("Mar  4 09:00:00 h sshd[1]: Invalid user {user} from {a} port {port}"),
            3 => format!("Mar  4 09:00:00 h sshd[1]: Connection closed by authenticating user {user} {a} port {port} [preauth]"),
            4 => format!("Mar  4 09:00:00 h dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<{user}>, method=PLAIN, rip={a}, lip=192.0.2.1, TLS"),
            5 => format!("Mar  4 09:00:00 h postfix/smtpd[2]: warning: unknown[{a}]: SASL LOGIN authentication failed: (reason unavailable), sasl_username={user}"),
            6 => format!("Mar  4 09:00:00 h exim[3]: login authenticator failed for (x) [{a}]:{port}: 535 Incorrect authentication data (set_id={user})"),
            7 => format!("Mar  4 09:00:00 h vsftpd[4]: [pid 5] [{user}] FAIL LOGIN: Client \"{a}\""),
            8 => format!("Mar  4 09:00:00 h pure-ftpd: (?@{a}) [WARNING] Authentication failed for user [{user}]"),
            _ => format!("Mar  4 09:00:00 h webmin[6]: Invalid login as {user} from {a}"),
        };
        let e = syslog(&line);
        prop_assert!(e.is_some(), "no event: {}", line);
        let e = e.unwrap();
        // The same line as journalctl's other outputs and journal readers print it.
        let (tag, msg) = line[18..].split_once(": ").unwrap_or(("", ""));
        let (program, pid) = tag.split_once('[').map_or((tag, "9"), |(p, r)| (p, r.trim_end_matches(']')));
        let json = format!(
            r#"{{"__REALTIME_TIMESTAMP":"1709510400000000","_HOSTNAME":"h","SYSLOG_IDENTIFIER":{},"_PID":"{pid}","MESSAGE":{}}}"#,
            serde_json::Value::from(program),
            serde_json::Value::from(msg),
        );
        let variants = [
            format!("2024-03-04T09:00:00+0900 h {}", &line[18..]),
            format!("Mon 2024-03-04 09:00:00 JST h {}", &line[18..]),
            format!("1709510400.000001 h {}", &line[18..]),
            format!("h {program}[{pid}]: {msg}"),
        ];
        for v in variants.iter().chain([&json]) {
            let got = match parse_line(Format::Syslog, v.as_bytes(), &ParseContext::default()) {
                Ok(Parsed::Event(e)) => Some(e),
                _ => None,
            };
            prop_assert!(got.is_some(), "no event: {}", v);
            let got = got.unwrap();
            prop_assert_eq!((got.kind, got.source, got.user.clone()), (e.kind, e.source, e.user.clone()), "{}", v);
        }
        prop_assert_eq!(e.user.as_deref(), Some(user.as_str()), "{}", line);
        prop_assert_eq!(e.source, Some(addr), "{}", line);
        prop_assert!(matches!(e.kind, EventKind::AuthFailure | EventKind::Probe));
    }
}

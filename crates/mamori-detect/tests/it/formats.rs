//! Every supported format, from fixtures in the shape real servers write.

use super::*;
use mamori_detect::{AttackKind, EventKind, Format};

fn attacks(events: &[(Event, String)]) -> Vec<(u64, Option<AttackKind>)> {
    events
        .iter()
        .filter(|(e, _)| matches!(e.kind, EventKind::Attack | EventKind::Probe))
        .map(|(e, _)| (e.line, e.attack))
        .collect()
}

#[test]
fn nginx_combined_attacks_with_lines_and_success_hints() {
    let (r, ev) = run(vec![file(fixture("nginx-combined.log"))], &jst());
    assert_eq!(r.files[0].format, Some(Format::Clf));
    assert_eq!(r.files[0].lines, 9);
    assert_eq!(r.files[0].malformed, 1);
    assert_eq!(r.files[0].samples[0].line, 9);
    assert_eq!(
        attacks(&ev),
        vec![
            (3, Some(AttackKind::SensitiveFile)),
            (4, Some(AttackKind::SensitiveFile)),
            (5, Some(AttackKind::Sqli)),
            (6, Some(AttackKind::PathTraversal)),
            (7, Some(AttackKind::Jndi)),
            (8, Some(AttackKind::Webshell)),
        ]
    );
    // The .env answered 200 with a body: exposed. The web shell answered 200: in use.
    let env = ev.iter().find(|(e, _)| e.line == 3).unwrap();
    assert!(env.0.success_hint);
    let jndi = ev.iter().find(|(e, _)| e.line == 7).unwrap();
    assert_eq!(jndi.0.reference.as_deref(), Some("CVE-2021-44228"));
    let log4shell = r.findings.iter().find(|f| f.rule.id == "MAM-W004").unwrap();
    assert_eq!(log4shell.references, vec!["CVE-2021-44228".to_owned()]);
    let shell = r.findings.iter().find(|f| f.rule.id == "MAM-W001").unwrap();
    assert_eq!(shell.severity, mamori_core::Severity::Critical);
    assert_eq!(
        r.findings[0].rule.id, "MAM-W001",
        "the web shell in use is ranked first"
    );
    // Times are converted from +0900 to UTC.
    assert_eq!(
        mamori_detect::timefmt::rfc3339(ev[0].0.time),
        "2024-03-04T00:01:00Z"
    );
}

#[test]
fn apache_vhost_prefix() {
    let (r, ev) = run(vec![file(fixture("apache-vhost.log"))], &jst());
    assert_eq!(r.files[0].format, Some(Format::Clf));
    assert_eq!(r.files[0].malformed, 0);
    let kinds: Vec<_> = ev.iter().map(|(e, _)| e.attack).collect();
    assert_eq!(kinds, vec![Some(AttackKind::AdminProbe)]);
    assert_eq!(ev[0].0.source, Some("192.0.2.99".parse().unwrap()));
}

#[test]
fn auth_log_break_in_is_ranked_first() {
    let (r, ev) = run(vec![file(fixture("auth.log"))], &jst());
    assert_eq!(r.files[0].format, Some(Format::Syslog));
    let ids = rule_ids(&r);
    assert_eq!(ids[0], "MAM-A004", "{ids:?}");
    let top = &r.findings[0];
    assert!(top.succeeded);
    assert_eq!(
        top.sources.keys().next().unwrap().to_string(),
        "203.0.113.50"
    );
    assert_eq!(top.accounts.keys().next().unwrap(), "carol");
    assert!(
        ids.contains(&"MAM-S001"),
        "invalid-user enumeration: {ids:?}"
    );
    assert!(
        ids.contains(&"MAM-H001"),
        "useradd after the break-in: {ids:?}"
    );
    // The legitimate key login is an event but no finding.
    assert!(
        ev.iter()
            .any(|(e, _)| e.kind == EventKind::AuthSuccess && e.user.as_deref() == Some("deploy"))
    );
    assert!(!r.findings.iter().any(|f| f.accounts.contains_key("deploy")));
    // BSD time 09:30:20 JST in 2024 (the file's reference year).
    let success = ev.iter().find(|(e, _)| e.line == 16).unwrap();
    assert_eq!(
        mamori_detect::timefmt::rfc3339(success.0.time),
        "2024-03-04T00:30:20Z"
    );
}

#[test]
fn journal_root_login() {
    let (r, _) = run(vec![file(fixture("journal-short-iso.log"))], &jst());
    assert_eq!(rule_ids(&r), vec!["MAM-S002"]);
    assert_eq!(
        r.findings[0].severity,
        mamori_core::Severity::High,
        "root by password"
    );
}

#[test]
fn json_lines_nginx_and_traefik() {
    let (r, ev) = run(vec![file(fixture("access.jsonl"))], &jst());
    assert_eq!(r.files[0].format, Some(Format::Json));
    assert_eq!(r.files[0].malformed, 0);
    assert_eq!(
        attacks(&ev),
        vec![
            (2, Some(AttackKind::Xss)),
            (3, Some(AttackKind::KnownExploit))
        ]
    );
    // Shellshock in the User-Agent names its CVE.
    let shellshock = ev.iter().find(|(e, _)| e.line == 3).unwrap();
    assert_eq!(shellshock.0.reference.as_deref(), Some("CVE-2014-6271"));
}

#[test]
fn error_logs_auth_failures_and_modsecurity() {
    let (r, ev) = run(
        vec![
            file(fixture("apache-error.log")),
            file(fixture("nginx-error.log")),
        ],
        &jst(),
    );
    assert_eq!(r.files[0].format, Some(Format::ApacheError));
    assert_eq!(r.files[1].format, Some(Format::NginxError));
    let failures: Vec<_> = ev
        .iter()
        .filter(|(e, _)| e.kind == EventKind::AuthFailure)
        .map(|(e, _)| e.user.as_deref().unwrap().to_owned())
        .collect();
    assert_eq!(failures, vec!["admin", "backup", "admin", "root"]);
    let waf = ev
        .iter()
        .find(|(e, _)| e.kind == EventKind::Attack)
        .unwrap();
    assert_eq!(waf.0.attack, Some(AttackKind::Sqli));
    assert_eq!(waf.0.source, Some("203.0.113.141".parse().unwrap()));
}

#[test]
fn forced_format_overrides_detection() {
    let opts = ScanOptions {
        format: Some(Format::Syslog),
        ..jst()
    };
    let (r, _) = run(vec![file(fixture("nginx-combined.log"))], &opts);
    assert_eq!(r.files[0].format, Some(Format::Syslog));
    assert_eq!(
        r.files[0].malformed, 9,
        "every line reported as malformed, none lost silently"
    );
}

#[test]
fn ltsv_behind_a_load_balancer_attributes_the_real_client() {
    let (r, ev) = run(vec![file(fixture("ltsv-behind-lb.log"))], &jst());
    assert_eq!(r.files[0].format, Some(Format::Ltsv));
    assert_eq!(r.files[0].lines, 43);
    assert_eq!(r.files[0].malformed, 1, "the line without status");
    assert_eq!(r.files[0].samples[0].line, 43);
    assert!(r.files[0].samples[0].reason.contains("status"));
    let attacker = "203.0.113.5".parse().unwrap();
    let balancer: std::net::IpAddr = "10.0.0.2".parse().unwrap();
    assert_eq!(r.findings[0].rule.id, "MAM-A004", "{:?}", rule_ids(&r));
    assert!(r.findings[0].sources.contains_key(&attacker));
    assert!(
        ev.iter().all(|(e, _)| e.source != Some(balancer)),
        "the balancer's own address is never blamed"
    );
    assert!(
        !r.findings.iter().any(|f| f
            .sources
            .keys()
            .any(|ip| ip.to_string().starts_with("198.51.100."))),
        "ordinary visitors behind the same balancer are not attackers"
    );
}

#[test]
fn iis_w3c_log_with_directives() {
    let (r, ev) = run(vec![file(fixture("iis-w3c.log"))], &jst());
    assert_eq!(r.files[0].format, Some(Format::W3c));
    assert_eq!(r.files[0].malformed, 1);
    assert_eq!(
        r.files[0].samples[0].line, 11,
        "line numbers count the directive lines"
    );
    let found = attacks(&ev);
    assert!(found.contains(&(7, Some(AttackKind::Sqli))), "{found:?}");
    assert!(
        found.contains(&(8, Some(AttackKind::SensitiveFile))),
        "{found:?}"
    );
    // The IIS double-decoding exploit is traversal to cmd.exe: either name fits.
    assert!(
        found.contains(&(9, Some(AttackKind::PathTraversal)))
            || found.contains(&(9, Some(AttackKind::CommandInjection))),
        "{found:?}"
    );
    assert!(
        found.contains(&(10, Some(AttackKind::Webshell))),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(l, _)| *l <= 6),
        "directives and ordinary pages are not attacks: {found:?}"
    );
    // W3C times are UTC.
    let sqli = ev.iter().find(|(e, _)| e.line == 7).unwrap();
    assert_eq!(
        mamori_detect::timefmt::rfc3339(sqli.0.time),
        "2024-03-04T00:01:00Z"
    );
    assert_eq!(sqli.0.source, Some("203.0.113.77".parse().unwrap()));
}

#[test]
fn journal_exports_are_detected_and_read() {
    for (name, format, first) in [
        ("journal-json.jsonl", Format::Json, "2026-12-06T04:35:30Z"),
        (
            "journal-short-full.log",
            Format::Syslog,
            "2026-12-06T04:35:30Z",
        ),
        (
            "journal-short-unix.log",
            Format::Syslog,
            "2026-12-06T04:35:30Z",
        ),
        (
            "journal-short-iso-precise.log",
            Format::Syslog,
            "2026-12-06T04:35:30Z",
        ),
    ] {
        let (r, ev) = run(vec![file(fixture(name))], &jst());
        assert_eq!(r.files[0].format, Some(format), "{name}");
        assert_eq!(r.files[0].malformed, 0, "{name}: {:?}", r.files[0].samples);
        assert_eq!(r.files[0].parsed, 10, "{name}");
        let t = mamori_detect::timefmt::rfc3339(ev[0].0.time);
        assert_eq!(t, first, "{name}");
        assert!(ev.iter().all(|(e, _)| !e.time_unknown), "{name}");
    }
    // `--log-format journal` on a JSON export, and json-seq framing.
    let text = std::fs::read_to_string(fixture("journal-json.jsonl")).unwrap();
    let seq: String = text.lines().map(|l| format!("\x1e{l}\n")).collect();
    let forced = ScanOptions {
        format: Format::from_name("journal"),
        ..jst()
    };
    let (_, a) = run(vec![file(fixture("journal-json.jsonl"))], &forced);
    let (_, b) = run(vec![mem("seq.json", seq.into_bytes())], &jst());
    let lines = |v: &[(Event, String)]| v.iter().map(|(e, _)| e.line).collect::<Vec<_>>();
    assert_eq!(lines(&a), lines(&b));
    assert_eq!(lines(&a), vec![1, 2, 3, 5, 6, 7, 8, 9, 10]);
}

/// `n` failed sshd logins from one address, without time stamps.
fn untimed_brute(n: u32) -> String {
    (0..n)
        .map(|i| {
            format!(
                "srv sshd[{}]: Failed password for invalid user u{i} from 203.0.113.66 port {} ssh2\n",
                4000 + i,
                40000 + i
            )
        })
        .collect()
}

#[test]
fn lines_without_time_stamps_say_so() {
    let (r, ev) = run(
        vec![mem("journal.log", untimed_brute(40).into_bytes())],
        &jst(),
    );
    assert_eq!(ev.len(), 40);
    assert!(ev.iter().all(|(e, _)| e.time_unknown && e.time == 0));
    assert_eq!(r.files[0].time_range, None);
    assert!(r.timeline.is_empty(), "no fake hour on the timeline");
    assert_eq!(r.counts.auth_failures, 40);
    let line = mamori_detect::report::json::event_line(&ev[0].0, "journal.log");
    assert!(line.contains(r#""time":null"#), "{line}");
    let f = r.findings.first().expect("a brute-force finding");
    assert_eq!(f.time_range(), None);
    let doc = mamori_detect::report::json::document(&r);
    assert!(doc["findings"][0]["first_seen"].is_null(), "{doc}");
    assert!(doc["findings"][0]["evidence"][0]["time"].is_null());
    let en = mamori_detect::report::text::render(&r, mamori_core::Lang::En);
    assert!(
        en.contains("unknown (the log lines carry no time stamp)"),
        "{en}"
    );
    assert!(!en.contains("1970"), "{en}");
    let html = mamori_detect::report::html::render(&r, mamori_core::Lang::Ja);
    assert!(html.contains("ログの行に時刻がない"));
    assert!(!html.contains("1970"));
}

#[test]
fn lines_without_time_stamps_take_the_last_time_before_them() {
    // One timed line, then enough untimed lines to fill several chunks: every event,
    // also those at the start of a later chunk, carries the timed line's time.
    let mut log = "Mar  4 09:00:00 srv sshd[3999]: Accepted publickey for deploy from 192.0.2.10 port 1 ssh2\n".to_owned();
    log.push_str(&untimed_brute(200));
    log.push_str(
        "Mar  4 09:30:00 srv CRON[5001]: (root) CMD (command -v debian-sa1 > /dev/null)\n",
    );
    log.push_str(&untimed_brute(3));
    let opts = ScanOptions {
        chunk_bytes: 4096,
        ..jst()
    };
    let (r, ev) = run(vec![mem("auth.log", log.into_bytes())], &opts);
    assert_eq!(ev.len(), 204);
    let t0 = ev[0].0.time;
    assert_eq!(mamori_detect::timefmt::rfc3339(t0), "2024-03-04T00:00:00Z");
    assert!(ev.iter().all(|(e, _)| !e.time_unknown));
    assert!(ev[..201].iter().all(|(e, _)| e.time == t0));
    assert!(ev[201..].iter().all(|(e, _)| e.time == t0 + 1800));
    assert!(r.findings.iter().all(|f| f.time_range().is_some()));
}

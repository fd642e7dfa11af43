//! Each rule on a scenario built the way the attack really looks, and the benign
//! traffic next to it that must not become a finding.

use super::*;
use mamori_core::Severity;

/// One combined-format line at `t` seconds after 2024-03-04T00:00:00Z.
fn line(ip: &str, user: &str, t: u32, req: &str, status: u16) -> String {
    let (h, m, s) = (t / 3600, (t / 60) % 60, t % 60);
    format!(
        "{ip} - {user} [04/Mar/2024:{h:02}:{m:02}:{s:02} +0000] \"{req} HTTP/1.1\" {status} 100 \"-\" \"Mozilla/5.0\"\n"
    )
}

fn scan_str(s: String) -> ScanReport {
    run(vec![mem("access.log", s.into_bytes())], &jst()).0
}

/// Office users behind one NAT address: a few typos, each followed by a success.
fn office(n: u32) -> String {
    (0..n)
        .flat_map(|i| {
            let t = 600 + i * 97;
            let mut v = Vec::new();
            if i % 5 == 0 {
                v.push(line("192.0.2.10", "-", t, "POST /login", 200));
            }
            v.push(line("192.0.2.10", "-", t + 8, "POST /login", 302));
            v
        })
        .collect()
}

#[test]
fn brute_force_then_success_is_critical_and_first() {
    let mut log: String = (0..150)
        .map(|i| line("203.0.113.7", "-", 100 + i * 3, "POST /wp-login.php", 200))
        .collect();
    log.push_str(&line("203.0.113.7", "-", 560, "POST /wp-login.php", 302));
    log.push_str(&office(200));
    let r = scan_str(log);
    assert_eq!(r.findings[0].rule.id, "MAM-A004");
    assert_eq!(r.findings[0].severity, Severity::Critical);
    assert!(rule_ids(&r).contains(&"MAM-A001"));
    assert!(
        !r.findings
            .iter()
            .any(|f| f.sources.contains_key(&"192.0.2.10".parse().unwrap())),
        "office NAT with typos is not an attacker"
    );
}

#[test]
fn brute_force_threshold_is_configurable() {
    let log: String = (0..8)
        .map(|i| line("203.0.113.8", "-", i * 5, "POST /login", 200))
        .collect();
    assert!(
        scan_str(log.clone()).findings.is_empty(),
        "8 failures stay under the default of 20"
    );
    let mut opts = jst();
    opts.config =
        mamori_detect::Config::from_toml("[thresholds]\nbrute_force_failures = 5\n").unwrap();
    let (r, _) = run(vec![mem("a.log", log.into_bytes())], &opts);
    assert_eq!(rule_ids(&r), vec!["MAM-A001"]);
}

#[test]
fn password_spraying_over_basic_auth() {
    let users = [
        "admin", "info", "sales", "support", "test", "guest", "root", "office", "web", "backup",
        "dev", "ops",
    ];
    let log: String = users
        .iter()
        .enumerate()
        .map(|(i, u)| line("203.0.113.11", u, 10 + i as u32 * 2, "GET /admin/", 401))
        .collect();
    let r = scan_str(log);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id == "MAM-A002")
        .expect("spraying");
    assert_eq!(f.accounts.len(), users.len());
}

#[test]
fn credential_stuffing_under_per_ip_thresholds() {
    // 300 addresses, 1–3 attempts each with different leaked e-mail addresses,
    // spread over two hours: every address stays far below any per-IP limit.
    let mut log = String::new();
    let mut t = 0u32;
    for ip in 0..300u32 {
        for k in 0..(1 + ip % 3) {
            t += 7;
            let addr = format!("198.18.{}.{}", ip / 250, ip % 250 + 1);
            let user = format!("user{ip}_{k}@example.jp");
            log.push_str(&line(
                &addr,
                &user,
                t,
                "GET /members/",
                if ip == 151 && k == 1 { 200 } else { 401 },
            ));
        }
    }
    log.push_str(&office(100));
    let mut lines: Vec<&str> = log.lines().collect();
    lines.sort_by_key(|l| l.split('[').nth(1).map(str::to_owned));
    let r = scan_str(lines.join("\n"));
    let stuffing = r
        .findings
        .iter()
        .find(|f| f.rule.id == "MAM-A003")
        .expect("stuffing found");
    assert!(stuffing.sources.len() >= 290, "{}", stuffing.sources.len());
    let success = r
        .findings
        .iter()
        .find(|f| f.rule.id == "MAM-A007")
        .expect("success during stuffing");
    assert_eq!(success.severity, Severity::Critical);
    assert!(success.accounts.contains_key("user151_1@example.jp"));
    assert!(
        !r.findings.iter().any(|f| f.rule.id == "MAM-A001"),
        "no per-IP brute force fired"
    );
}

#[test]
fn normal_traffic_makes_no_finding() {
    let mut log = office(300);
    for i in 0..500u32 {
        log.push_str(&line(
            "198.51.100.4",
            "-",
            30_000 + i,
            &format!("GET /products/{i}?utm_source=mail"),
            200,
        ));
        log.push_str(&line(
            "198.51.100.5",
            "-",
            30_000 + i,
            "GET /search?q=union+jack+and+drop+earrings",
            200,
        ));
    }
    let mut lines: Vec<&str> = log.lines().collect();
    lines.sort_by_key(|l| l.split('[').nth(1).map(str::to_owned));
    let r = scan_str(lines.join("\n"));
    assert!(r.findings.is_empty(), "{:?}", rule_ids(&r));
    assert_eq!(
        mamori_detect::report::advise(&r.findings).verdict,
        mamori_detect::report::Verdict::Clean
    );
}

#[test]
fn probes_need_several_paths_unless_something_leaked() {
    let two = line("203.0.113.20", "-", 1, "GET /phpmyadmin/", 404)
        + &line("203.0.113.20", "-", 2, "GET /pma/", 404);
    assert!(scan_str(two).findings.is_empty());
    let leak = line("203.0.113.21", "-", 1, "GET /.env", 200);
    let r = scan_str(leak);
    assert_eq!(rule_ids(&r), vec!["MAM-W008"]);
    assert_eq!(r.findings[0].severity, Severity::High);
}

#[test]
fn every_rule_is_documented() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
    let want = mamori_detect::rules::catalog_markdown();
    if std::env::var_os("MAMORI_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let doc = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        doc, want,
        "docs/rules.md is stale: rerun with MAMORI_BLESS=1"
    );
    let ids: std::collections::HashSet<_> = mamori_detect::rules::catalog()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        ids.len(),
        mamori_detect::rules::catalog().len(),
        "rule IDs are unique"
    );
}

/// Where to report comes from the reporting guideline in mamori-core: the same rules a
/// draft report prefilled from this scan's JSON would get.
#[test]
fn referrals_follow_the_reporting_guideline() {
    use mamori_detect::report::{Body, Fit, referrals};
    let fits = |r: &ScanReport| -> Vec<(Body, Fit)> {
        referrals(&r.findings)
            .iter()
            .map(|x| (x.body, x.fit))
            .collect()
    };
    // A break-in: a login after 150 failures.
    let mut log: String = (0..150)
        .map(|i| line("203.0.113.7", "-", 100 + i * 3, "POST /wp-login.php", 200))
        .collect();
    log.push_str(&line("203.0.113.7", "-", 560, "POST /wp-login.php", 302));
    let r = scan_str(log);
    assert_eq!(
        fits(&r),
        vec![
            (Body::Police, Fit::Recommended),
            (Body::Ipa, Fit::Recommended),
            (Body::JpcertCc, Fit::Recommended)
        ]
    );
    let police = &referrals(&r.findings)[0];
    assert_eq!(
        police.reason,
        mamori_core::guideline::rule("P5").unwrap().reason
    );
    assert!(
        !police.urgent,
        "a break-in is not one of the few tell-the-police-now cases"
    );

    // Failed guessing only: an attempt, no crime; IPA takes it if the operator wishes.
    let r = scan_str(
        (0..150)
            .map(|i| line("203.0.113.8", "-", 100 + i * 3, "POST /wp-login.php", 200))
            .collect(),
    );
    assert!(!r.findings.is_empty());
    assert_eq!(fits(&r), vec![(Body::Ipa, Fit::Possible)]);

    // Probes only: nothing to report.
    let probes: String = [
        "/phpmyadmin/",
        "/pma/",
        "/wp-admin/setup-config.php",
        "/.git/config",
        "/admin/",
        "/manager/html",
    ]
    .iter()
    .enumerate()
    .map(|(i, p)| line("203.0.113.9", "-", 10 + i as u32, &format!("GET {p}"), 404))
    .collect();
    let r = scan_str(probes);
    assert!(!r.findings.is_empty(), "the probes must be found");
    assert!(referrals(&r.findings).is_empty());
}

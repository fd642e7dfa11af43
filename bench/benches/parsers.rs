//! Micro-benchmarks of `mamori scan`'s per-line work: each parser on a typical line,
//! and the HTTP classifier on ordinary and hostile requests.
//!
//! `cargo bench -p mamori-bench --bench parsers` (figures in BENCHMARKS.md).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mamori_detect::classify::HttpClassifier;
use mamori_detect::format::{Format, ParseContext, clf, parse_line};
use std::hint::black_box;

const COMBINED: &[u8] = br#"198.51.100.20 - - [04/Mar/2024:09:00:00 +0900] "GET /products/1042-amber-anchor?utm_source=google&utm_medium=cpc HTTP/2.0" 200 51200 "https://www.google.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36""#;
const ATTACK: &[u8] = br#"203.0.113.77 - - [04/Mar/2024:09:02:00 +0900] "GET /products?id=-1%20UNION%20ALL%20SELECT%20table_name,2,3%20FROM%20information_schema.tables-- HTTP/1.1" 500 177 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)""#;
const JAPANESE: &[u8] = br#"198.51.100.21 - - [04/Mar/2024:09:00:01 +0900] "GET /search?q=%E6%9D%B1%E4%BA%AC+%E3%83%A9%E3%83%BC%E3%83%A1%E3%83%B3&page=2 HTTP/2.0" 200 48211 "https://shop.example.jp/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1""#;
const EXPLOIT: &[u8] = br#"203.0.113.78 - - [04/Mar/2024:09:02:01 +0900] "GET /cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd HTTP/1.1" 400 226 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)""#;
const SSHD: &[u8] = b"Mar  4 09:30:00 web01 sshd[2200]: Failed password for invalid user oracle from 203.0.113.50 port 52000 ssh2";
const JSON: &[u8] = br#"{"time_local":"04/Mar/2024:09:50:00 +0900","remote_addr":"198.51.100.30","remote_user":"","request":"GET /index.html HTTP/1.1","status":"200","body_bytes_sent":"512","http_referer":"","http_user_agent":"Mozilla/5.0"}"#;

fn parsers(c: &mut Criterion) {
    let ctx = ParseContext::default();
    let mut g = c.benchmark_group("parse_line");
    for (name, format, line) in [
        ("combined", Format::Clf, COMBINED),
        ("syslog_sshd", Format::Syslog, SSHD),
        ("json", Format::Json, JSON),
    ] {
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| parse_line(format, black_box(line), &ctx).is_ok())
        });
    }
    g.finish();
}

fn classifier(c: &mut Criterion) {
    let cls = HttpClassifier::new(&mamori_detect::Config::default()).expect("default config");
    let mut g = c.benchmark_group("parse_and_classify");
    for (name, line) in [
        ("ordinary", COMBINED),
        ("ordinary_japanese_query", JAPANESE),
        ("sqli", ATTACK),
        ("known_exploit", EXPLOIT),
    ] {
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let rec = clf::parse(black_box(line)).expect("valid line");
                cls.classify(&rec)
            })
        });
    }
    // The lines above repeat, as a site's pages and assets do, so after the first
    // iteration they take the classifier's clean-target memory. Requests it has not seen
    // (100,000 distinct targets, more than it keeps) take the automata every time.
    let text = String::from_utf8_lossy(COMBINED).into_owned();
    let fresh: Vec<Vec<u8>> = (0..100_000)
        .map(|i| {
            text.replace("1042-amber", &format!("{i}-amber"))
                .into_bytes()
        })
        .collect();
    g.throughput(Throughput::Bytes(COMBINED.len() as u64));
    let mut i = 0;
    g.bench_function("ordinary_first_seen", |b| {
        b.iter(|| {
            i = (i + 1) % fresh.len();
            let rec = clf::parse(black_box(&fresh[i])).expect("valid line");
            cls.classify(&rec)
        })
    });
    g.finish();
}

criterion_group!(benches, parsers, classifier);
criterion_main!(benches);

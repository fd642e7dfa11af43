//! The OWASP CRS engine (mamori-crs) on access-log requests: the pre-filter on an
//! ordinary request, the full evaluation on attack and benign requests, and the
//! whole classifier with CRS on. Uses Debian's rule set (`apt-get install
//! modsecurity-crs`), else the test fixture.
//!
//! `cargo bench -p mamori-bench --bench crs`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mamori_crs::{Request, RuleSet};
use mamori_detect::classify::HttpClassifier;
use mamori_detect::format::{HttpRecord, clf};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

const ORDINARY: &[u8] = br#"198.51.100.20 - - [04/Mar/2024:09:00:00 +0900] "GET /products/1042-amber-anchor?utm_source=google&utm_medium=cpc HTTP/2.0" 200 51200 "https://www.google.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36""#;
const LOOKALIKE: &[u8] = br#"198.51.100.21 - - [04/Mar/2024:09:00:01 +0900] "GET /search?q=O%27Reilly+%26+Sons HTTP/1.1" 200 8100 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36""#;
const ATTACK: &[u8] = br#"203.0.113.77 - - [04/Mar/2024:09:02:00 +0900] "GET /index.php?page=..%2F..%2Fetc%2Fpasswd&cmd=%3Bcat%20%2Fetc%2Fshadow HTTP/1.1" 404 177 "-" "Mozilla/5.0""#;

fn rules() -> RuleSet {
    let debian = Path::new("/usr/share/modsecurity-crs/rules");
    let dir = if debian.exists() {
        debian.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/mamori-crs/tests/fixtures/crs")
    };
    RuleSet::load_dir(&dir, 1).expect("CRS loads")
}

fn request<'a>(rec: &'a HttpRecord<'a>) -> Request<'a> {
    Request {
        method: rec.method,
        uri: rec.uri,
        protocol: rec.protocol,
        user_agent: Some(rec.user_agent),
        referer: (!rec.referer.is_empty()).then_some(rec.referer),
    }
}

fn engine(c: &mut Criterion) {
    let crs = rules();
    let mut g = c.benchmark_group("crs");
    for (name, line) in [
        ("ordinary", ORDINARY),
        ("lookalike", LOOKALIKE),
        ("attack", ATTACK),
    ] {
        let rec = clf::parse(line).expect("valid line");
        let req = request(&rec);
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_function(format!("prefilter_{name}"), |b| {
            b.iter(|| crs.may_match(black_box(&req)))
        });
        g.bench_function(format!("evaluate_{name}"), |b| {
            b.iter(|| crs.evaluate(black_box(&req)))
        });
    }
    g.finish();

    let cfg = mamori_detect::Config {
        crs: Some(mamori_detect::config::Crs(Arc::new(crs))),
        ..mamori_detect::Config::default()
    };
    let cls = HttpClassifier::new(&cfg).expect("config");
    let mut g = c.benchmark_group("parse_and_classify_crs");
    for (name, line) in [
        ("ordinary", ORDINARY),
        ("lookalike", LOOKALIKE),
        ("attack", ATTACK),
    ] {
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let rec = clf::parse(black_box(line)).expect("valid line");
                cls.classify(&rec)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);

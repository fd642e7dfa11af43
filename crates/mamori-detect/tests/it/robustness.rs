//! Bad input: never fatal, always reported with file and line; nothing accepted is lost.

use super::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

fn combined(ip: &str, t: u32, req: &str, status: u16) -> String {
    format!(
        "{ip} - - [04/Mar/2024:00:{:02}:{:02} +0000] \"{req} HTTP/1.1\" {status} 10 \"-\" \"Mozilla/5.0\"\n",
        t / 60,
        t % 60
    )
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn probes(n: u32) -> String {
    (0..n)
        .map(|i| combined("203.0.113.9", i, &format!("GET /.git/{i}"), 404))
        .collect()
}

#[test]
fn gzip_is_read_like_plain_text() {
    let text = probes(50);
    let (plain, _) = run(vec![mem("a.log", text.clone().into_bytes())], &jst());
    let (zipped, _) = run(vec![mem("a.log.gz", gz(text.as_bytes()))], &jst());
    assert_eq!(plain.files[0].lines, 50);
    assert_eq!(zipped.files[0].lines, 50);
    assert_eq!(rule_ids(&plain), rule_ids(&zipped));
}

#[test]
fn truncated_gzip_names_the_offset_and_keeps_results() {
    // Large enough that several chunks are parsed before the cut.
    let text: String = (0..40_000)
        .map(|i| combined("203.0.113.9", i % 3600, "GET /.git/config", 404))
        .collect();
    let z = gz(text.as_bytes());
    let cut = z[..z.len() * 3 / 4].to_vec();
    let opts = ScanOptions {
        chunk_bytes: 64 * 1024,
        ..jst()
    };
    let (r, ev) = run(vec![mem("old.log.gz", cut)], &opts);
    let err = r.files[0].error.as_deref().unwrap();
    assert!(
        err.contains("truncated gzip") && err.contains("offset"),
        "{err}"
    );
    assert!(
        r.files[0].lines > 10_000,
        "lines before the cut are kept: {}",
        r.files[0].lines
    );
    assert!(!ev.is_empty());
    assert!(r.had_errors());
}

#[test]
fn invalid_utf8_nul_and_huge_lines() {
    let mut data = Vec::new();
    data.extend_from_slice(combined("203.0.113.1", 1, "GET /.env", 200).as_bytes());
    data.extend_from_slice(b"203.0.113.2 - - [04/Mar/2024:00:00:02 +0000] \"GET /\xff\xfe\x00/../../etc/passwd HTTP/1.1\" 404 1 \"-\" \"\xc3\x28\"\n");
    data.extend_from_slice(b"\x00\x00\x00 binary junk \xff\n");
    data.extend(std::iter::repeat_n(b'A', 2 << 20));
    data.push(b'\n');
    data.extend_from_slice(combined("203.0.113.3", 5, "GET /.git/HEAD", 200).as_bytes());
    let opts = ScanOptions {
        chunk_bytes: 64 * 1024,
        max_line_bytes: 1 << 20,
        ..jst()
    };
    let (r, ev) = run(vec![mem("bad.log", data)], &opts);
    let f = &r.files[0];
    assert_eq!(f.lines, 5);
    assert_eq!(f.malformed, 2, "{:?}", f.samples);
    assert_eq!(
        f.samples.iter().map(|s| s.line).collect::<Vec<_>>(),
        vec![3, 4]
    );
    assert!(f.samples[1].reason.contains("longer than"));
    let lines: Vec<u64> = ev.iter().map(|(e, _)| e.line).collect();
    assert_eq!(
        lines,
        vec![1, 2, 5],
        "events around the bad lines keep their line numbers"
    );
}

#[test]
fn unreadable_input_is_named_and_the_rest_scanned() {
    let missing = Input {
        name: "/nonexistent/access.log".into(),
        open: Box::new(|| {
            Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "permission denied",
            ))
        }),
        mtime: None,
    };
    let (r, ev) = run(vec![missing, mem("ok.log", probes(3).into_bytes())], &jst());
    assert!(
        r.files[0]
            .error
            .as_deref()
            .unwrap()
            .contains("permission denied")
    );
    assert_eq!(r.files[1].lines, 3);
    assert_eq!(ev.len(), 3);
}

#[test]
fn files_are_merged_in_time_order() {
    // Two rotated files given newest first, and a third overlapping in time.
    let new: String = (100..110)
        .map(|i| combined("203.0.113.5", i, "GET /.env", 404))
        .collect();
    let old: String = (0..10)
        .map(|i| combined("203.0.113.5", i, "GET /.env", 404))
        .collect();
    let mid: String = (5..105)
        .step_by(10)
        .map(|i| combined("203.0.113.6", i, "GET /.git/config", 404))
        .collect();
    let (_, ev) = run(
        vec![
            mem("access.log", new.into_bytes()),
            mem("access.log.1", old.into_bytes()),
            mem("other.log", mid.into_bytes()),
        ],
        &jst(),
    );
    let times: Vec<i64> = ev.iter().map(|(e, _)| e.time).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    assert_eq!(ev.len(), 30);
    assert_eq!(ev[0].1, "access.log.1");
}

#[test]
fn unrecognised_format_is_reported() {
    let (r, _) = run(
        vec![mem(
            "notes.txt",
            b"dear diary\ntoday nothing happened\n".to_vec(),
        )],
        &jst(),
    );
    assert!(r.files[0].unrecognised);
    assert!(
        r.files[0]
            .error
            .as_deref()
            .unwrap()
            .contains("not recognised")
    );
}

#[test]
fn empty_input_is_clean() {
    let (r, ev) = run(vec![mem("empty.log", Vec::new())], &jst());
    assert!(r.findings.is_empty());
    assert!(ev.is_empty());
    assert!(r.files[0].error.is_none());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4000)) {
        let (r, _) = run(vec![mem("fuzz.log", data)], &jst());
        proptest::prop_assert_eq!(r.files.len(), 1);
    }
}

//! Cross-check: mamori-vuln's CVSS scores (RustSec's `cvss` crate) against the PyPI `cvss`
//! library (`tools/cvss/scores.py`, pinned in `tools/cvss/requirements.txt`) on every CVSS
//! 3.1 base vector, 500 seeded random CVSS 4.0 base vectors covering every metric value,
//! and a list of edge cases — including broken vectors both must refuse.
//!
//! `MAMORI_CVSS_PY` names the virtualenv's python (`.ci/run` sets it); without it the test
//! is skipped, unless `MAMORI_REQUIRE_VALIDATORS` is set, which makes it a failure.

use mamori_vuln::cvss::{CvssV3, CvssV4, score_text};
use std::io::Write;
use std::process::{Command, Stdio};

const V3: [(&str, &[&str]); 8] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["H", "L", "N"]),
    ("I", &["H", "L", "N"]),
    ("A", &["H", "L", "N"]),
];

const V4: [(&str, &[&str]); 11] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
];

/// Hand-picked: the extremes, scope changed, metrics out of order, and broken vectors.
const EDGE: &[&str] = &[
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N",
    "CVSS:3.1/A:H/I:H/C:H/S:C/UI:N/PR:L/AC:L/AV:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
    "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:L",
    "CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N",
    // Broken: both refuse.
    "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
    "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/XX:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H",
    "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
    "CVSS:4.0/AV:N/AC:L/AT:X/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SA:N",
    "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "",
];

/// splitmix64: a fixed seed gives the same vectors on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn join(prefix: &str, parts: &[(&str, &str)]) -> String {
    let body: Vec<String> = parts.iter().map(|(m, v)| format!("{m}:{v}")).collect();
    format!("{prefix}/{}", body.join("/"))
}

/// Every CVSS 3.1 base vector (4·2·3·2·2·3·3·3 = 2592).
fn all_v3() -> Vec<String> {
    let mut out = vec![Vec::new()];
    for (m, values) in V3 {
        out = out
            .into_iter()
            .flat_map(|p: Vec<(&str, &str)>| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push((m, *v));
                    q
                })
            })
            .collect();
    }
    out.iter().map(|p| join("CVSS:3.1", p)).collect()
}

/// `n` random CVSS 4.0 base vectors; asserts every value of every metric occurs.
fn random_v4(n: usize) -> Vec<String> {
    let mut rng = Rng(0x6d61_6d6f_7269);
    let mut seen: Vec<Vec<&str>> = vec![Vec::new(); V4.len()];
    let out: Vec<String> = (0..n)
        .map(|_| {
            let parts: Vec<(&str, &str)> = V4
                .iter()
                .enumerate()
                .map(|(i, (m, values))| {
                    let v = rng.pick(values);
                    if !seen[i].contains(&v) {
                        seen[i].push(v);
                    }
                    (*m, v)
                })
                .collect();
            join("CVSS:4.0", &parts)
        })
        .collect();
    for (i, (m, values)) in V4.iter().enumerate() {
        assert_eq!(
            seen[i].len(),
            values.len(),
            "{m}: not every value generated"
        );
    }
    out
}

/// Ours: `Ok((score, severity))` or `Err(())` for a refused vector.
fn ours(vector: &str) -> Result<(String, String), ()> {
    if vector.starts_with("CVSS:4") {
        CvssV4::parse(vector)
            .map(|v| (score_text(v.base_score()), v.severity().upper().to_string()))
            .map_err(|_| ())
    } else {
        CvssV3::parse(vector)
            .map(|v| (score_text(v.base_score()), v.severity().upper().to_string()))
            .map_err(|_| ())
    }
}

fn pypi(python: &std::ffi::OsStr, vectors: &[String]) -> Option<Vec<serde_json::Value>> {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/cvss/scores.py");
    let child = Command::new(python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if std::env::var_os("MAMORI_REQUIRE_VALIDATORS").is_some() => {
            panic!("{}: {e} (.ci/run creates it)", python.to_string_lossy())
        }
        Err(_) => {
            eprintln!("SKIPPED: {} not found", python.to_string_lossy());
            return None;
        }
    };
    let mut stdin = child.stdin.take().unwrap();
    // Empty lines are skipped by the script; send a marker for the empty vector instead.
    let input: String = vectors
        .iter()
        .map(|v| {
            if v.is_empty() {
                "-\n".to_string()
            } else {
                format!("{v}\n")
            }
        })
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

#[test]
fn cvss_scores_agree_with_the_pypi_cvss_library() {
    let Some(python) = std::env::var_os("MAMORI_CVSS_PY") else {
        assert!(
            std::env::var_os("MAMORI_REQUIRE_VALIDATORS").is_none(),
            "MAMORI_CVSS_PY is not set (.ci/run creates the virtualenv from tools/cvss/requirements.txt)"
        );
        eprintln!("SKIPPED: MAMORI_CVSS_PY not set");
        return;
    };
    let mut vectors: Vec<String> = EDGE.iter().map(|s| s.to_string()).collect();
    vectors.extend(all_v3());
    vectors.extend(random_v4(500));
    let Some(theirs) = pypi(&python, &vectors) else {
        return;
    };
    assert_eq!(theirs.len(), vectors.len(), "one answer per vector");
    let mut agreed = [0usize; 2]; // scored, refused
    let mut differ = Vec::new();
    for (v, t) in vectors.iter().zip(&theirs) {
        let them = match t.get("error") {
            Some(_) => Err(()),
            None => Ok((
                t["base_score"].as_str().unwrap().to_string(),
                t["severity"].as_str().unwrap().to_string(),
            )),
        };
        let us = ours(v);
        if us == them {
            agreed[usize::from(us.is_err())] += 1;
        } else {
            differ.push(format!("{v:?}: mamori {us:?}, pypi {them:?}"));
        }
    }
    eprintln!(
        "CVSS cross-check: {} vectors, {} scored alike, {} refused by both, {} differ",
        vectors.len(),
        agreed[0],
        agreed[1],
        differ.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert!(agreed[0] >= 2592 + 500, "the generated vectors all score");
    assert!(agreed[1] >= 12, "the broken vectors are refused by both");
}

//! `mamori advisories export` on the demo world (issue 12): every published advisory is
//! written as CSAF 2.0 (both languages) and as CVE JSON 5.1; the embargoed case is not.
//! The documents pass the core's validators (`csaf::check`, `cve::check`).

/// The demo world in `dir`; returns its data directory.
fn demo(dir: &std::path::Path) -> String {
    let d = dir.join("demo").to_string_lossy().into_owned();
    let o = crate::mamori_env(
        &["demo", "--data-dir", &d],
        &[("MAMORI_INSECURE_FAST_HASHING", "1")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    d
}

/// `mamori advisories export --format FORMAT --out OUT` on the data directory `d`.
fn export(d: &str, format: &str, out: &std::path::Path) {
    let o = crate::mamori_env(
        &[
            "advisories",
            "export",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--data-dir",
            d,
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn export_writes_every_published_advisory_and_nothing_under_embargo() {
    let dir = tempfile::tempdir().unwrap();
    let d = demo(dir.path());
    for format in ["csaf", "cve"] {
        let out = dir.path().join(format);
        export(&d, format, &out);
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let expected: Vec<String> = if format == "csaf" {
            vec![
                "JVNVU-99990001.en.json".into(),
                "JVNVU-99990001.ja.json".into(),
            ]
        } else {
            vec!["CVE-2026-99001.json".into()]
        };
        assert_eq!(names, expected, "only the published advisory");
        for n in &names {
            let text = std::fs::read_to_string(out.join(n)).unwrap();
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            let problems = if format == "csaf" {
                mamori_vuln::csaf::check(&doc)
            } else {
                mamori_vuln::cve::check(&doc)
            };
            assert!(problems.is_empty(), "{n}: {problems:?}");
            assert!(
                text.contains("かえでネットワークス"),
                "the silent developer is listed"
            );
            assert!(!text.contains("山田 花子"), "no credit without consent");
        }
    }
}

/// Runs an external validator: `Some(output)`, or `None` (skip) when it is not installed
/// outside CI (`.ci/run` installs both and sets `MAMORI_REQUIRE_VALIDATORS`).
fn external(program: &std::path::Path, args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
    match std::process::Command::new(program).args(args).output() {
        Ok(o) => Some(o),
        Err(e) if std::env::var_os("MAMORI_REQUIRE_VALIDATORS").is_some() => {
            panic!("{}: {e} (.ci/run installs it)", program.display())
        }
        Err(_) => {
            eprintln!("SKIPPED: {} not installed", program.display());
            None
        }
    }
}

/// A validator's command line for `file`: BSI's csaf-validator-lib (presets basic and
/// extended, `tools/csaf/check.mjs`), the PyPI `csaf` package's `csaf validate` (CSAF 2.0,
/// preset basic, no network) or cvelib's `cve validate` (the full CVE JSON 5.1 schema).
fn validator(
    root: &std::path::Path,
    which: &str,
    file: &std::path::Path,
) -> (std::ffi::OsString, Vec<std::ffi::OsString>) {
    let os = |s: &str| std::ffi::OsString::from(s);
    match which {
        "bsi" => (
            os("node"),
            vec![
                root.join("tools/csaf/check.mjs").into_os_string(),
                file.into(),
            ],
        ),
        "csaf-py" => (
            std::env::var_os("MAMORI_CSAF_PY_BIN").unwrap_or_else(|| os("csaf")),
            [
                "validate",
                "--spec-version",
                "v20",
                "--preset",
                "basic",
                "--no-network",
                "-q",
            ]
            .into_iter()
            .map(os)
            .chain([file.into()])
            .collect(),
        ),
        _ => (
            std::env::var_os("MAMORI_CVE_BIN").unwrap_or_else(|| os("cve")),
            ["validate", "-s", "full", "-f"]
                .into_iter()
                .map(os)
                .chain([file.into()])
                .collect(),
        ),
    }
}

/// The same export passes the field's own validators: BSI's csaf-validator-lib and the PyPI
/// `csaf` validator for the CSAF documents, cvelib's `cve validate` for the CVE record —
/// with the demo's CVSS 3.1 score (checked against its vector by both CSAF validators,
/// test 6.1.9) and the CVSS 3.1 and 4.0 metrics of the CVE record. Each validator also
/// refuses a broken copy (no `document.title`; no `cveMetadata.cveId`), so a pass means
/// something.
#[test]
fn export_passes_the_bsi_csaf_validator_and_cvelib() {
    let root = crate::root();
    if !root
        .join("tools/csaf/node_modules/@secvisogram/csaf-validator-lib")
        .exists()
        && std::env::var_os("MAMORI_REQUIRE_VALIDATORS").is_none()
    {
        eprintln!("SKIPPED: npm ci --prefix tools/csaf");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = demo(dir.path());
    let mut files = Vec::new();
    for format in ["csaf", "cve"] {
        let out = dir.path().join(format);
        export(&d, format, &out);
        for e in std::fs::read_dir(&out).unwrap() {
            files.push((format, e.unwrap().path()));
        }
    }
    assert_eq!(
        files.len(),
        3,
        "two CSAF documents (ja, en) and one CVE record"
    );
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    for (format, file) in &files {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let (validators, pointer, key): (&[&str], &str, &str) = if *format == "csaf" {
            assert!(
                doc.pointer("/vulnerabilities/0/scores/0/cvss_v3/baseScore")
                    .is_some(),
                "the demo's CSAF carries the CVSS 3.1 score"
            );
            (&["bsi", "csaf-py"], "/document", "title")
        } else {
            let m = &doc["containers"]["cna"]["metrics"];
            assert!(
                m[0].get("cvssV4_0").is_some() && m[1].get("cvssV3_1").is_some(),
                "the demo's CVE record carries CVSS 4.0 and 3.1 metrics"
            );
            (&["cvelib"], "/cveMetadata", "cveId")
        };
        let mut bad = doc.clone();
        bad.pointer_mut(pointer)
            .and_then(|o| o.as_object_mut())
            .unwrap()
            .remove(key);
        let bad_file = broken.join(file.file_name().unwrap());
        std::fs::write(&bad_file, serde_json::to_string(&bad).unwrap()).unwrap();
        for which in validators {
            let (program, args) = validator(&root, which, file);
            let Some(o) = external(
                std::path::Path::new(&program),
                &args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>(),
            ) else {
                return;
            };
            assert!(
                o.status.success(),
                "{which} {}: {}{}",
                file.display(),
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            let (program, args) = validator(&root, which, &bad_file);
            let o = external(
                std::path::Path::new(&program),
                &args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>(),
            )
            .unwrap();
            assert!(
                !o.status.success(),
                "{which} accepted {} without {pointer}/{key}",
                bad_file.display()
            );
        }
    }
}

//! `mamori advisories export` on the demo world (issue 12): every published advisory is
//! written as CSAF 2.0 (both languages) and as CVE JSON 5.1; the embargoed case is not.
//! The documents pass the core's validators (`csaf::check`, `cve::check`).

#[test]
fn export_writes_every_published_advisory_and_nothing_under_embargo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let d = d.to_str().unwrap();
    let o = crate::mamori_env(
        &["demo", "--data-dir", d],
        &[("MAMORI_INSECURE_FAST_HASHING", "1")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for format in ["csaf", "cve"] {
        let out = dir.path().join(format);
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

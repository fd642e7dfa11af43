//! `mamori import cases` and `mamori stats yearly`, as an operator runs them: the seed's
//! 平成22年 table from the fixture through the normal import path, on SQLite and
//! PostgreSQL; all-or-nothing imports; the de-duplication review.

use crate::support::psql;
use crate::{mamori, root};

fn run(args: &[&str]) -> (bool, String, String) {
    let o = mamori(args, None);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn fixture() -> String {
    root()
        .join("fixtures/stats/h22-npa.jsonl")
        .to_str()
        .unwrap()
        .to_string()
}

/// The figures of the seed's table, exactly as a reader checks them.
fn assert_seed_table(db: &[&str]) {
    let mut args = vec!["stats", "yearly", "--year", "2010", "--format", "text"];
    args.extend_from_slice(db);
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    for line in [
        "2010年（平成22年）",
        "認知件数: 1,885件（前年比 -910件）",
        "検挙件数: 1,601件（前年比 -933件）",
        "検挙事件数: 104件（前年比 +9件）",
        "フィッシングサイトにより入手: 1,411件（構成比 88%",
        "不正に金を得るため: 1,455件（構成比 91%",
        "2009年（平成21年） |",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    let mut args = vec!["stats", "yearly", "--year", "2010", "--format", "json"];
    args.extend_from_slice(db);
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fig = |unit: &str| {
        v["headline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["unit"] == unit)
            .unwrap()
            .clone()
    };
    assert_eq!(fig("recognized")["count"], 1885);
    assert_eq!(fig("recognized")["change"], -910);
    assert_eq!(fig("cleared")["change"], -933);
    assert_eq!(fig("cleared_cases")["count"], 104);
    assert_eq!(fig("cleared_cases")["previous"], 95);
}

#[test]
fn h22_fixture_through_import_reproduces_the_seed_table_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    let (ok, out, err) = run(&["import", "cases", "--data-dir", d, &fixture()]);
    assert!(ok, "{err}");
    assert!(out.contains("4,680件を取り込みました"), "{out}");
    assert_seed_table(&["--data-dir", d]);
    // CSV of one table, and the HTML document with its charts.
    let (ok, out, _) = run(&[
        "stats",
        "yearly",
        "--year",
        "2010",
        "--format",
        "csv",
        "--table",
        "method",
        "--data-dir",
        d,
    ]);
    assert!(ok);
    assert!(
        out.lines().any(|l| l.starts_with("method,phishing_site,フィッシングサイトにより入手,cleared,検挙件数,2010,1411,2130,-719,88")),
        "{out}"
    );
    let (ok, out, _) = run(&[
        "stats",
        "yearly",
        "--year",
        "2010",
        "--format",
        "html",
        "--data-dir",
        d,
    ]);
    assert!(ok);
    assert!(
        out.starts_with("<!doctype html>") && out.contains("<svg") && out.contains("@media print")
    );
    assert!(out.contains("1,885") && out.contains("88%"));
    // Importing the same file again is refused as a whole: the ids are taken.
    let (ok, _, err) = run(&["import", "cases", "--data-dir", d, &fixture()]);
    assert!(!ok);
    assert!(err.contains("h22-npa.jsonl: 15行目 項目 id"), "{err}");
    assert!(err.contains("何も取り込みませんでした"), "{err}");
    assert_seed_table(&["--data-dir", d]);
}

#[test]
fn h22_fixture_through_import_reproduces_the_seed_table_on_postgres() {
    let name = format!("mamori_cli_stats_{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    psql(&format!("CREATE DATABASE {name}"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let (ok, _, err) = run(&[
        "import",
        "cases",
        "--data-dir",
        d,
        "--database-url",
        &url,
        &fixture(),
    ]);
    assert!(ok, "{err}");
    assert_seed_table(&["--data-dir", d, "--database-url", &url]);
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

#[test]
fn a_bad_file_loads_nothing_unless_partial_and_names_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    let f = dir.path().join("cases.csv");
    std::fs::write(
        &f,
        "id,body,date,methods,reporter,indicators\n\
         a1,police,2010-03-01,phishing_site,org-1,http://x.example\n\
         a2,ipa,2010-03-02,,org-1,http://x.example\n\
         a3,ipa,2010-13-02,,,\n\
         a4,jpcert_cc,2010-03-09,,org-9,http://x.example\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let (ok, _, err) = run(&["import", "cases", "--data-dir", d, f, "--lang", "en"]);
    assert!(!ok);
    assert!(err.contains("cases.csv: line 4, field date"), "{err}");
    let (_, out, _) = run(&[
        "stats",
        "yearly",
        "--year",
        "2010",
        "--data-dir",
        d,
        "--k",
        "0",
        "--lang",
        "en",
    ]);
    assert!(
        !out.contains("reports received: 3"),
        "nothing loaded: {out}"
    );
    let (_, out, err) = run(&[
        "import",
        "cases",
        "--data-dir",
        d,
        f,
        "--partial",
        "--lang",
        "en",
    ]);
    assert!(
        out.contains("imported 3 records (1 rows rejected)"),
        "{out}{err}"
    );
    assert!(
        out.contains("1 merged automatically, 2 waiting for review"),
        "{out}"
    );
    let (_, out, _) = run(&[
        "stats",
        "yearly",
        "--year",
        "2010",
        "--data-dir",
        d,
        "--k",
        "0",
        "--lang",
        "en",
    ]);
    assert!(out.contains("reports received: 3"), "{out}");
    assert!(
        out.contains("incidents (de-duplicated): 2"),
        "a1 and a2 are one incident: {out}"
    );
    // The review queue: the reviewer confirms one uncertain link; then undoes it.
    let (_, out, _) = run(&["stats", "links", "--status", "proposed", "--data-dir", d]);
    assert_eq!(out.lines().count(), 2, "{out}");
    let (ok, _, err) = run(&["stats", "link", "confirm", "a1", "a4", "--data-dir", d]);
    assert!(ok, "{err}");
    let (_, out, _) = run(&[
        "stats",
        "yearly",
        "--year",
        "2010",
        "--data-dir",
        d,
        "--k",
        "0",
        "--lang",
        "en",
    ]);
    assert!(out.contains("incidents (de-duplicated): 1"), "{out}");
    let (ok, _, _) = run(&["stats", "link", "undo", "a1", "a4", "--data-dir", d]);
    assert!(ok);
    let (ok, _, err) = run(&["stats", "link", "undo", "a1", "a4", "--data-dir", d]);
    assert!(!ok && err.contains("E-STATS-LINK"), "{err}");
    let (_, out, _) = run(&[
        "stats",
        "yearly",
        "--year",
        "2010",
        "--data-dir",
        d,
        "--k",
        "0",
        "--lang",
        "en",
    ]);
    assert!(out.contains("incidents (de-duplicated): 2"), "{out}");
    // Every decision is in the audit log, which still verifies.
    let (ok, out, err) = run(&["audit", "verify", "--data-dir", d]);
    assert!(ok, "{out}{err}");
}

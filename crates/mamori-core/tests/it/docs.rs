//! `docs/taxonomy.md` is generated from the code and data and must stay current.

#[test]
fn taxonomy_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/taxonomy.md");
    let want = mamori_core::taxonomy_markdown();
    if std::env::var_os("MAMORI_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let doc = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        doc == want,
        "docs/taxonomy.md is stale: rerun with MAMORI_BLESS=1 cargo test -p mamori-core --test it taxonomy_doc_is_current"
    );
}

#[test]
fn taxonomy_doc_covers_every_code_and_rule() {
    use mamori_core::guideline::rules;
    use mamori_core::taxonomy::{dimensions, jpcert_catalog, rsit_catalog};
    let doc = mamori_core::taxonomy_markdown();
    for d in dimensions() {
        for (code, t) in d.values {
            assert!(doc.contains(&format!("`{code}`")), "{code}");
            assert!(doc.contains(t.ja) && doc.contains(t.en), "{code} labels");
        }
    }
    for k in jpcert_catalog() {
        assert!(doc.contains(&format!("| `{}` |", k.code)));
    }
    for (class, kind, _) in rsit_catalog() {
        assert!(doc.contains(&format!("| `{class}` | `{kind}` |")));
    }
    for r in rules() {
        assert!(doc.contains(&format!("| {} |", r.id)), "rule {}", r.id);
    }
    for q in mamori_core::intake::questions() {
        assert!(doc.contains(&format!("### `{}`", q.id)));
    }
}

//! The JSON report follows the committed schema `schemas/integrity-check.schema.json`.
//!
//! A small validator for the subset of JSON Schema the file uses (type, required, enum,
//! properties, items, oneOf, $ref into $defs, pattern-free).

use crate::support::{Env, write};
use serde_json::Value;

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/integrity-check.schema.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn validate(root: &Value, s: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(root, &root["$defs"][name], v, at, errs);
    }
    if let Some(alts) = s.get("oneOf").and_then(Value::as_array) {
        let ok = alts.iter().filter(|a| {
            let mut e = Vec::new();
            validate(root, a, v, at, &mut e);
            e.is_empty()
        });
        if ok.count() != 1 {
            errs.push(format!("{at}: matches not exactly one of oneOf"));
        }
        return;
    }
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => errs.push(format!("{at}: not {t}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)) => {
            errs.push(format!("{at}: not any of {ts:?}"))
        }
        _ => {}
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{at}: {v} not in enum"));
    }
    if let (Some(req), Some(obj)) = (s.get("required").and_then(Value::as_array), v.as_object()) {
        for r in req {
            if !obj.contains_key(r.as_str().unwrap()) {
                errs.push(format!("{at}: missing {r}"));
            }
        }
    }
    if let (Some(props), Some(obj)) = (
        s.get("properties").and_then(Value::as_object),
        v.as_object(),
    ) {
        for (k, sub) in props {
            if let Some(x) = obj.get(k) {
                validate(root, sub, x, &format!("{at}.{k}"), errs);
            }
        }
        if s.get("additionalProperties") == Some(&Value::Bool(false)) {
            for k in obj.keys().filter(|k| !props.contains_key(*k)) {
                errs.push(format!("{at}: unexpected {k}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(root, items, x, &format!("{at}[{i}]"), errs);
        }
    }
}

fn errors(report: &Value) -> Vec<String> {
    let s = schema();
    let mut errs = Vec::new();
    validate(&s, &s, report, "$", &mut errs);
    errs
}

#[test]
fn the_validator_rejects_a_report_missing_changes() {
    let errs = errors(&serde_json::json!({"tool": "x"}));
    assert!(
        errs.iter().any(|e| e.contains("missing \"changes\"")),
        "{errs:?}"
    );
    let errs = errors(&serde_json::json!({"changes": [{"path": "/a", "change": "edited"}]}));
    assert!(errs.iter().any(|e| e.contains("not in enum")), "{errs:?}");
}

#[test]
fn check_json_follows_the_committed_schema() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let www = env.path("www");
    write(&www.join("a.html"), "<p>a</p>");
    write(&www.join(std::ffi::OsStr::from_bytes(b"b\xff.js")), "1");
    write(&www.join("gone.txt"), "x");
    let init = env.run("integrity", ["init".as_ref(), www.as_os_str()]);
    assert_eq!(init.code, 0, "{init:?}");
    write(
        &www.join("a.html"),
        "<script src=\"https://evil.example/x.js\"></script>",
    );
    write(&www.join(std::ffi::OsStr::from_bytes(b"b\xff.js")), "2");
    std::fs::remove_file(www.join("gone.txt")).unwrap();
    write(&www.join("new.php"), "<?php ?>");
    let run = env.run("integrity", ["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert!(report["changes"].as_array().unwrap().len() >= 4);
    assert_eq!(errors(&report), Vec::<String>::new());

    // the refused-baseline report too
    let b = env.data().join("integrity/baseline.json");
    let t = std::fs::read_to_string(&b)
        .unwrap()
        .replacen("\"size\":", "\"size\":1", 1);
    std::fs::write(&b, t).unwrap();
    let refused = env.run("integrity", ["check", "--format", "json"]);
    assert_eq!(refused.code, 3);
    assert_eq!(errors(&refused.json()), Vec::<String>::new());
}

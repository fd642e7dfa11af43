//! The questionnaire, validation, classification and scan prefill.

use mamori_core::intake::*;
use mamori_core::taxonomy::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::HashSet;

fn answers(pairs: &[(&str, &[&str])]) -> Answers {
    let mut a = Answers::default();
    for (id, vals) in pairs {
        a.set(id, vals.iter().map(|v| v.to_string()).collect());
    }
    a
}

fn error_ids(a: &Answers) -> Vec<String> {
    match a.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.question).collect(),
    }
}

#[test]
fn questions_have_stable_unique_ids_and_both_languages() {
    let mut ids = HashSet::new();
    for q in questions() {
        assert!(ids.insert(q.id), "duplicate question {}", q.id);
        assert!(q.id.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(!q.text.ja.is_empty() && !q.text.en.is_empty() && q.text.ja != q.text.en);
        assert!(!q.help.ja.is_empty() && !q.help.en.is_empty());
        let choice = matches!(
            q.kind,
            QuestionKind::One | QuestionKind::Many | QuestionKind::YesNo
        );
        assert_eq!(choice, !q.options.is_empty(), "{}: options vs kind", q.id);
        let mut cids = HashSet::new();
        for c in q.options {
            assert!(cids.insert(c.id), "{}: duplicate choice {}", q.id, c.id);
            assert!(!c.text.ja.is_empty() && !c.text.en.is_empty());
        }
        assert_eq!(question(q.id), Some(q));
    }
    assert_eq!(question("nope"), None);
    // The form starts with what happened and ends with the free description.
    assert_eq!(questions()[0].id, "what_happened");
    assert_eq!(questions().last().unwrap().id, "description");
    // The brief's questions are all asked.
    for id in [
        "what_happened",
        "discovered_at",
        "how_discovered",
        "systems",
        "after_access",
        "money_lost",
        "money_moving_now",
        "data_leaked",
        "ongoing",
        "attack_source_known",
        "wants_prosecution",
        "org_type",
        "sector",
        "motive",
        "description",
    ] {
        assert!(question(id).is_some(), "{id}");
    }
    assert!(
        question("ongoing")
            .unwrap()
            .choice("phishing_site_up")
            .is_some()
    );
    assert!(
        question("ongoing")
            .unwrap()
            .choice("site_still_altered")
            .is_some()
    );
}

#[test]
fn choice_ids_that_name_taxonomy_values_use_their_codes() {
    for c in question("org_type").unwrap().options {
        assert!(AdminType::parse(c.id).is_some(), "org_type {}", c.id);
    }
    for c in question("sector").unwrap().options {
        assert!(Sector::parse(c.id).is_some(), "sector {}", c.id);
    }
    for c in question("motive").unwrap().options {
        assert!(Motive::parse(c.id).is_some(), "motive {}", c.id);
    }
    for c in question("how_discovered").unwrap().options {
        assert!(
            c.id == "told_by_police" || Discovery::parse(c.id).is_some(),
            "how_discovered {}",
            c.id
        );
    }
}

#[test]
fn valid_answers_pass() {
    let a = answers(&[
        ("what_happened", &["unauthorized_login", "scans"]),
        ("discovered_at", &["2026-03-01T09:30"]),
        ("started_at", &["2026-02-28T23:10:05+09:00"]),
        ("how_discovered", &["own_monitoring"]),
        ("money_amount", &["120000"]),
        (
            "description",
            &["朝、管理画面に見知らぬログインがあった。\n調べると…"],
        ),
    ]);
    assert_eq!(a.validate(), Ok(()));
}

#[test]
fn unknown_questions_and_choices_are_errors() {
    let a = answers(&[
        ("favourite_colour", &["blue"]),
        ("what_happened", &["aliens"]),
    ]);
    let ids = error_ids(&a);
    assert!(ids.contains(&"favourite_colour".to_string()));
    assert!(ids.contains(&"what_happened".to_string()));
    let e = a.validate().unwrap_err();
    assert!(
        e.iter()
            .all(|e| !e.message.ja.is_empty() && !e.message.en.is_empty())
    );
}

#[test]
fn one_answer_questions_take_one_answer() {
    assert_eq!(
        error_ids(&answers(&[("org_type", &["company", "provider"])])),
        vec!["org_type"]
    );
    assert_eq!(
        error_ids(&answers(&[("money_lost", &["maybe"])])),
        vec!["money_lost"]
    );
    assert_eq!(
        error_ids(&answers(&[("description", &["a", "b"])])),
        vec!["description"]
    );
}

#[test]
fn none_and_unknown_stand_alone() {
    assert_eq!(
        error_ids(&answers(&[("ongoing", &["none", "phishing_site_up"])])),
        vec!["ongoing"]
    );
    assert_eq!(
        error_ids(&answers(&[("what_happened", &["unknown", "scans"])])),
        vec!["what_happened"]
    );
    assert_eq!(
        error_ids(&answers(&[("what_happened", &["scans", "scans"])])),
        vec!["what_happened"]
    );
    assert_eq!(
        error_ids(&answers(&[("ongoing", &["none"])])),
        Vec::<String>::new()
    );
}

#[test]
fn over_long_text_is_an_error_and_the_limit_itself_is_fine() {
    let ok = "あ".repeat(MAX_TEXT_CHARS);
    let long = "あ".repeat(MAX_TEXT_CHARS + 1);
    assert_eq!(
        error_ids(&answers(&[("description", &[ok.as_str()])])),
        Vec::<String>::new()
    );
    assert_eq!(
        error_ids(&answers(&[("description", &[long.as_str()])])),
        vec!["description"]
    );
    let short = "1".repeat(MAX_SHORT_TEXT_CHARS + 1);
    assert_eq!(
        error_ids(&answers(&[("money_amount", &[short.as_str()])])),
        vec!["money_amount"]
    );
    assert_eq!(
        error_ids(&answers(&[("money_amount", &["12\u{0}3"])])),
        vec!["money_amount"]
    );
}

#[test]
fn dates_are_checked() {
    for ok in [
        "2026-03-01",
        "2026-03-01T09:30",
        "2026-03-01 09:30:15",
        "2024-02-29T00:00:00Z",
        "2026-03-01T09:30:00.123+09:00",
    ] {
        assert!(is_date_time(ok), "{ok}");
        assert_eq!(
            error_ids(&answers(&[("discovered_at", &[ok])])),
            Vec::<String>::new()
        );
    }
    for bad in [
        "yesterday",
        "2026-13-01",
        "2025-02-29",
        "2026-03-01T25:00",
        "2026-03-01T09:30+9",
        "2026/03/01",
        "2026-03-01T",
        "２０２６-03-01",
    ] {
        assert!(!is_date_time(bad), "{bad}");
        assert_eq!(
            error_ids(&answers(&[("discovered_at", &[bad])])),
            vec!["discovered_at"]
        );
    }
}

#[test]
fn blank_values_are_unanswered() {
    // A submitted form sends empty text fields; they must not count as answers or errors.
    let mut a = Answers::default();
    a.set("description", vec!["".into()]);
    a.set("discovered_at", vec!["  ".into()]);
    assert!(a.0.is_empty());
    assert!(a.validate().is_ok());
    let mut raw = Answers::default();
    raw.0.insert("description".into(), vec!["".into()]);
    assert!(raw.validate().is_ok());
    assert!(
        raw.missing_for_report()
            .iter()
            .any(|q| q.id == "description")
    );
}

#[test]
fn missing_for_report_lists_required_questions_in_form_order() {
    let empty = Answers::default();
    let missing: Vec<&str> = empty.missing_for_report().iter().map(|q| q.id).collect();
    let required: Vec<&str> = questions()
        .iter()
        .filter(|q| q.required_for_report)
        .map(|q| q.id)
        .collect();
    assert_eq!(missing, required);
    assert!(missing.contains(&"what_happened") && missing.contains(&"description"));
    let a = answers(&[
        ("what_happened", &["unauthorized_login"]),
        ("discovered_at", &["2026-03-01"]),
        ("how_discovered", &["own_monitoring"]),
        ("systems", &["website"]),
        ("reporter_role", &["admin"]),
        ("org_type", &["company"]),
        ("description", &["…"]),
    ]);
    assert!(a.missing_for_report().is_empty());
}

#[test]
fn answers_serialize_as_a_plain_map() {
    let a = answers(&[("what_happened", &["scans"]), ("org_type", &["company"])]);
    let j = serde_json::to_value(&a).unwrap();
    assert_eq!(
        j,
        json!({"org_type": ["company"], "what_happened": ["scans"]})
    );
    let back: Answers = serde_json::from_value(j).unwrap();
    assert_eq!(back, a);
    assert_eq!(a.get("nothing"), &[] as &[String]);
    assert_eq!(a.one("org_type"), Some("company"));
}

#[test]
fn classify_maps_plain_words_onto_the_taxonomy() {
    let a = answers(&[
        ("what_happened", &["unauthorized_login"]),
        ("how_got_in", &["leaked_list"]),
        ("after_access", &["money_transferred", "info_stolen"]),
        ("data_leaked", &["personal_data"]),
        ("motive", &["illicit_gain"]),
        ("sector", &["finance"]),
        ("org_type", &["company"]),
        ("how_discovered", &["told_by_customer"]),
    ]);
    let c = classify(&a);
    assert_eq!(c.version, TAXONOMY_VERSION);
    assert_eq!(c.acts, vec![Act::IdentifierMisuse]);
    assert_eq!(c.methods, vec![Method::CredentialStuffing]);
    assert_eq!(
        c.after,
        vec![AfterAccess::IllegalTransfer, AfterAccess::InformationTheft]
    );
    assert_eq!(
        c.damages,
        vec![
            Damage::MoneyLost,
            Damage::InformationLeaked,
            Damage::AccountTakenOver
        ]
    );
    assert_eq!(c.motives, vec![Motive::IllicitGain]);
    assert_eq!(c.sector, Some(Sector::Finance));
    assert_eq!(c.admin_type, Some(AdminType::Company));
    assert_eq!(c.discovery, Some(Discovery::ToldByCustomer));
    assert_eq!(c.discovery.unwrap().police_view(), Discovery::ReportByAdmin);
}

#[test]
fn classify_attempts_phishing_and_the_police_view() {
    // Failed logins only: an attempt, counted as guessing.
    let c = classify(&answers(&[("what_happened", &["login_attempts"])]));
    assert!(c.acts.is_empty());
    assert_eq!(c.methods, vec![Method::WeakPasswordManagement]);
    assert_eq!(c.damages, vec![Damage::AttemptOnly]);
    assert_eq!(rsit(&c), vec![("intrusion-attempts", "brute-force")]);

    let c = classify(&answers(&[("what_happened", &["scans"])]));
    assert_eq!(c.methods, vec![Method::Reconnaissance]);
    assert_eq!(jpcert_categories(&c), vec!["scan"]);

    let c = classify(&answers(&[
        ("what_happened", &["phishing_site"]),
        ("how_got_in", &["phishing"]),
    ]));
    assert_eq!(c.acts, vec![Act::CodeInputRequest]);
    assert_eq!(jpcert_categories(&c), vec!["phishing_site"]);

    let c = classify(&answers(&[("how_discovered", &["told_by_police"])]));
    assert_eq!(c.discovery, Some(Discovery::PoliceActivity));
    let c = classify(&answers(&[("reporter_role", &["user"])]));
    assert_eq!(c.discovery, Some(Discovery::ReportByUser));

    let c = classify(&answers(&[
        ("what_happened", &["unauthorized_login"]),
        ("other_damage", &["none"]),
    ]));
    assert_eq!(c.damages, vec![Damage::AccountTakenOver]);
    let c = classify(&answers(&[
        ("what_happened", &["ids_list_found"]),
        ("other_damage", &["none"]),
    ]));
    assert_eq!(c.damages, vec![Damage::NoneKnown]);
    assert_eq!(classify(&Answers::default()), Classification::new());
}

fn fixture() -> Value {
    let text = include_str!("../fixtures/scan-examples.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn prefill_from_the_example_logs_scan() {
    let p = prefill_from_scan(&fixture()).unwrap();
    let a = &p.answers;
    assert_eq!(a.validate(), Ok(()), "prefilled answers must validate");
    // The sample logs hold a break-in: a login after many failures, and a web shell.
    assert!(a.has("what_happened", "unauthorized_login"), "{a:?}");
    assert!(a.has("what_happened", "scans"));
    assert!(a.has("systems", "website"));
    assert!(a.has("systems", "server"));
    assert_eq!(a.one("reporter_role"), Some("admin"));
    assert_eq!(a.one("how_discovered"), Some("own_monitoring"));
    assert_eq!(a.one("attack_source_known"), Some("yes"));
    assert_eq!(a.one("started_at"), p.first_seen.as_deref());
    let c = classify(a);
    assert!(c.acts.contains(&Act::IdentifierMisuse));
    // Time range, sources and accounts come from the findings.
    let doc = fixture();
    let findings = doc["findings"].as_array().unwrap();
    let firsts: Vec<&str> = findings
        .iter()
        .map(|f| f["first_seen"].as_str().unwrap())
        .collect();
    let lasts: Vec<&str> = findings
        .iter()
        .map(|f| f["last_seen"].as_str().unwrap())
        .collect();
    assert_eq!(p.first_seen.as_deref(), firsts.iter().min().copied());
    assert_eq!(p.last_seen.as_deref(), lasts.iter().max().copied());
    // (`time_range` is the span of the logs, not of the findings.)
    assert!(p.first_seen.as_deref() >= doc["time_range"]["start"].as_str());
    for f in findings {
        for s in f["sources"].as_array().unwrap() {
            assert!(p.sources.iter().any(|x| x == s.as_str().unwrap()));
        }
        for s in f["accounts"].as_array().unwrap() {
            assert!(p.accounts.iter().any(|x| x == s.as_str().unwrap()));
        }
    }
    let unique: HashSet<&String> = p.sources.iter().collect();
    assert_eq!(unique.len(), p.sources.len());
    assert!(
        p.title
            .contains(doc["verdict_text"]["ja"].as_str().unwrap()),
        "{}",
        p.title
    );
    for f in findings {
        assert!(
            p.summary.contains(f["rule"].as_str().unwrap()),
            "{}",
            p.summary
        );
    }
}

#[test]
fn prefill_rejects_what_is_not_a_scan_document() {
    assert_eq!(
        prefill_from_scan(&json!([])),
        Err(PrefillError::NotAnObject)
    );
    assert_eq!(
        prefill_from_scan(&json!({"x": 1})),
        Err(PrefillError::NoFindings)
    );
    assert_eq!(
        prefill_from_scan(&json!({"schema_version": "2", "findings": []})),
        Err(PrefillError::UnsupportedVersion("2".into()))
    );
    let empty = prefill_from_scan(&json!({"schema_version": "1", "findings": []})).unwrap();
    assert!(empty.answers.0.is_empty());
    assert!(empty.first_seen.is_none() && empty.sources.is_empty());
}

#[test]
fn prefill_skips_malformed_findings() {
    let doc = json!({"findings": [
        {"rule": "MAM-A001", "category": "identifier_misuse", "severity": "high",
         "sources": ["192.0.2.1", 7, "192.0.2.1", "x\ny"], "accounts": "root",
         "first_seen": "not a time", "last_seen": "2026-01-01T00:00:00Z"},
        {"rule": "MAM-Z999", "category": "made_up", "severity": "high"},
        "not an object",
    ]});
    let p = prefill_from_scan(&doc).unwrap();
    assert_eq!(p.sources, vec!["192.0.2.1"]);
    assert!(p.accounts.is_empty());
    assert_eq!(p.first_seen, None);
    assert_eq!(p.last_seen.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert!(p.answers.has("what_happened", "login_attempts"));
    assert_eq!(p.answers.validate(), Ok(()));
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("identifier_misuse"),
            Just("security_hole_attack"),
            Just("reconnaissance"),
            Just("critical"),
            Just("high"),
            Just("MAM-W001"),
            Just("MAM-A004"),
            Just("1"),
            Just("2026-01-01T00:00:00Z"),
            Just("http"),
            Just("ssh"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("findings".to_string()),
            Just("schema_version".to_string()),
            Just("rule".to_string()),
            Just("category".to_string()),
            Just("severity".to_string()),
            Just("succeeded".to_string()),
            Just("sources".to_string()),
            Just("accounts".to_string()),
            Just("first_seen".to_string()),
            Just("last_seen".to_string()),
            Just("title".to_string()),
            Just("service".to_string()),
            Just("verdict_text".to_string()),
            Just("ja".to_string()),
            ".{0,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn prefill_never_panics_and_its_answers_validate(v in arb_json()) {
        if let Ok(p) = prefill_from_scan(&v) {
            prop_assert_eq!(p.answers.validate(), Ok(()));
            let _ = classify(&p.answers);
            let _ = mamori_core::guideline::advise(&p.answers);
        }
        // Wrapped as a findings list too, so the per-finding paths are reached.
        let doc = json!({"schema_version": "1", "findings": [v.clone(), v]});
        let p = prefill_from_scan(&doc).unwrap();
        prop_assert_eq!(p.answers.validate(), Ok(()));
    }

    #[test]
    fn validate_classify_and_advise_never_panic(
        m in prop::collection::btree_map(".{0,16}", prop::collection::vec(".{0,40}", 0..4), 0..6),
        known in prop::collection::vec((0usize..32, 0usize..16), 0..10),
    ) {
        let mut a = Answers(m);
        for (qi, ci) in known {
            let q = &questions()[qi % questions().len()];
            if !q.options.is_empty() {
                let c = q.options[ci % q.options.len()].id.to_string();
                a.0.entry(q.id.to_string()).or_default().push(c);
            }
        }
        let _ = a.validate();
        let _ = a.missing_for_report();
        let c = classify(&a);
        let _ = jpcert_categories(&c);
        let _ = rsit(&c);
        let g = mamori_core::guideline::advise(&a);
        prop_assert_eq!(g.bodies.len(), 3);
    }
}

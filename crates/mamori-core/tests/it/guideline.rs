//! The reporting guideline on hand-checked cases (table-driven), the checklists and the
//! case-work vocabulary.

use mamori_core::guideline::*;
use mamori_core::intake::Answers;
use std::collections::HashSet;

use Fit::{NotNeeded as N, Possible as P, Recommended as R};

struct Case {
    name: &'static str,
    answers: &'static [(&'static str, &'static [&'static str])],
    /// Police, IPA, JPCERT/CC.
    fits: [Fit; 3],
    /// The urgent rule, if any.
    urgent: Option<&'static str>,
    /// Rules that must be among the reasons (per body, by id).
    rules: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "money being transferred now: tell the police at once",
        answers: &[
            ("what_happened", &["unauthorized_login"]),
            ("after_access", &["money_transferred"]),
            ("money_moving_now", &["yes"]),
        ],
        fits: [R, R, N],
        urgent: Some("U1"),
        rules: &["P1", "P2", "P5", "I1", "J8"],
    },
    Case {
        name: "phishing site still up: police and JPCERT/CC now",
        answers: &[
            ("what_happened", &["phishing_site"]),
            ("ongoing", &["phishing_site_up"]),
        ],
        fits: [R, R, R],
        urgent: Some("U3"),
        rules: &["P4", "P6", "I1", "J1"],
    },
    Case {
        name: "ransom demand still going on",
        answers: &[
            ("what_happened", &["ransom"]),
            ("after_access", &["data_encrypted"]),
            ("ongoing", &["extortion_ongoing"]),
        ],
        fits: [R, R, N],
        urgent: Some("U2"),
        rules: &["P3", "I1"],
    },
    Case {
        name: "scans only: nobody needs a report",
        answers: &[("what_happened", &["scans"])],
        fits: [N, N, N],
        urgent: None,
        rules: &["P15", "I5", "J8"],
    },
    Case {
        name: "scans with a known source: JPCERT/CC can contact it",
        answers: &[
            ("what_happened", &["scans"]),
            ("attack_source_known", &["yes"]),
        ],
        fits: [N, N, P],
        urgent: None,
        rules: &["P15", "I5", "J3"],
    },
    Case {
        name: "credential stuffing without success: the plan asks for a police report",
        answers: &[
            ("what_happened", &["login_attempts"]),
            ("how_got_in", &["leaked_list"]),
            ("attack_source_known", &["yes"]),
        ],
        fits: [R, P, R],
        urgent: None,
        rules: &["P9", "I2", "J2"],
    },
    Case {
        name: "failed brute force, no prosecution wanted: an attempt is no crime",
        answers: &[
            ("what_happened", &["login_attempts"]),
            ("wants_prosecution", &["no"]),
        ],
        fits: [N, P, N],
        urgent: None,
        rules: &["P14", "I2", "J8"],
    },
    Case {
        name: "account taken over, no damage, no prosecution wanted: police possible, IPA recommended",
        answers: &[
            ("what_happened", &["unauthorized_login"]),
            ("other_damage", &["none"]),
            ("wants_prosecution", &["no"]),
        ],
        fits: [P, R, N],
        urgent: None,
        rules: &["P5", "P11", "I1"],
    },
    Case {
        name: "account taken over, prosecution wanted",
        answers: &[
            ("what_happened", &["unauthorized_login"]),
            ("wants_prosecution", &["yes"]),
        ],
        fits: [R, R, N],
        urgent: None,
        rules: &["P5", "P7", "P13", "I1"],
    },
    Case {
        name: "site broken into and still defaced",
        answers: &[
            ("what_happened", &["break_in_via_flaw"]),
            ("after_access", &["site_altered", "files_planted"]),
            ("ongoing", &["site_still_altered"]),
            ("wants_prosecution", &["undecided"]),
        ],
        fits: [R, R, P],
        urgent: None,
        rules: &["P5", "P12", "I1", "J5"],
    },
    Case {
        name: "nothing said yet: IPA's consultation desk",
        answers: &[],
        fits: [N, P, N],
        urgent: None,
        rules: &["P16", "I4", "J8"],
    },
    Case {
        name: "DoS with known sources",
        answers: &[
            ("what_happened", &["dos"]),
            ("attack_source_known", &["yes"]),
        ],
        fits: [P, P, R],
        urgent: None,
        rules: &["P10", "I3", "J2", "J7"],
    },
    Case {
        name: "prosecution wanted but nothing concrete: the police judge",
        answers: &[
            ("what_happened", &["other"]),
            ("wants_prosecution", &["yes"]),
        ],
        fits: [P, P, N],
        urgent: None,
        rules: &["P8", "I4"],
    },
    Case {
        name: "a list of stolen passwords found: storing codes is an offence",
        answers: &[("what_happened", &["ids_list_found"])],
        fits: [P, R, N],
        urgent: None,
        rules: &["P6", "I1"],
    },
    Case {
        name: "money lost, no prosecution wanted: money keeps the police recommended",
        answers: &[
            ("what_happened", &["unknown"]),
            ("after_access", &["purchases"]),
            ("wants_prosecution", &["no"]),
        ],
        fits: [R, R, N],
        urgent: None,
        rules: &["P2", "I1"],
    },
    Case {
        name: "server used to attack others",
        answers: &[
            ("what_happened", &["break_in_via_flaw"]),
            ("after_access", &["relay"]),
        ],
        fits: [R, R, P],
        urgent: None,
        rules: &["P5", "I1", "J4"],
    },
    Case {
        name: "attacks on a control system that did not get in",
        answers: &[
            ("what_happened", &["attack_attempts"]),
            ("systems", &["control_system"]),
        ],
        fits: [N, P, P],
        urgent: None,
        rules: &["P14", "I2", "J6"],
    },
    Case {
        name: "the attacker is still inside but no money moves: not a tell-the-police-now case",
        answers: &[
            ("what_happened", &["break_in_via_flaw"]),
            ("ongoing", &["attacker_still_in"]),
        ],
        fits: [R, R, N],
        urgent: None,
        rules: &["P5", "I1"],
    },
];

fn build(pairs: &[(&str, &[&str])]) -> Answers {
    let mut a = Answers::default();
    for (id, vals) in pairs {
        a.set(id, vals.iter().map(|v| v.to_string()).collect());
    }
    a
}

#[test]
fn hand_checked_cases() {
    assert!(CASES.len() >= 12);
    let mut failures = Vec::new();
    for case in CASES {
        let a = build(case.answers);
        assert_eq!(
            a.validate(),
            Ok(()),
            "{}: the case's answers are invalid",
            case.name
        );
        let g = advise(&a);
        let got: Vec<(Body, Fit)> = g.bodies.iter().map(|b| (b.body, b.fit)).collect();
        let want: Vec<(Body, Fit)> = Body::ALL.iter().copied().zip(case.fits).collect();
        if got != want {
            failures.push(format!("{}: fits {got:?}, want {want:?}", case.name));
        }
        let want_urgent = case.urgent.map(|id| rule(id).unwrap().reason);
        if g.urgent != want_urgent {
            failures.push(format!(
                "{}: urgent {:?}, want {:?}",
                case.name, g.urgent, case.urgent
            ));
        }
        let fired: Vec<&str> = g
            .bodies
            .iter()
            .flat_map(|b| b.rules.iter().copied())
            .collect();
        for id in case.rules {
            let r = rule(id).unwrap_or_else(|| panic!("no rule {id}"));
            let b = g.body(r.body.unwrap()).unwrap();
            if !b.rules.contains(id) || !b.reasons.contains(&r.reason) {
                failures.push(format!("{}: rule {id} not among {fired:?}", case.name));
            }
        }
        for b in &g.bodies {
            assert!(
                !b.reasons.is_empty(),
                "{}: {:?} has no reason",
                case.name,
                b.body
            );
            assert_eq!(b.reasons.len(), b.rules.len());
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn bodies_come_in_order_with_stable_codes() {
    let g = advise(&Answers::default());
    let order: Vec<Body> = g.bodies.iter().map(|b| b.body).collect();
    assert_eq!(order, vec![Body::Police, Body::Ipa, Body::JpcertCc]);
    assert_eq!(
        Body::ALL.iter().map(|b| b.code()).collect::<Vec<_>>(),
        vec!["police", "ipa", "jpcert_cc"]
    );
    assert_eq!(Body::parse("jpcert_cc"), Some(Body::JpcertCc));
    let j = serde_json::to_value(&g).unwrap();
    assert_eq!(j["bodies"][0]["body"], "police");
    assert_eq!(j["bodies"][1]["fit"], "possible");
    assert!(j["bodies"][1]["reasons"][0]["ja"].is_string());
    assert!(j["urgent"].is_null());
    for b in Body::ALL {
        assert!(!b.scope().ja.is_empty() && !b.scope().en.is_empty());
    }
}

#[test]
fn rule_table_is_consistent() {
    let mut ids = HashSet::new();
    for r in rules() {
        assert!(ids.insert(r.id), "duplicate rule {}", r.id);
        let prefix = match r.body {
            Some(Body::Police) => 'P',
            Some(Body::Ipa) => 'I',
            Some(Body::JpcertCc) => 'J',
            None => 'U',
        };
        assert!(r.id.starts_with(prefix), "{}", r.id);
        assert_eq!(r.body.is_none(), r.effect == Effect::Urgent, "{}", r.id);
        assert!(!r.reason.ja.is_empty() && !r.reason.en.is_empty() && !r.condition.ja.is_empty());
    }
    // Every body ends with a catch-all, so every body always has a reason.
    for b in Body::ALL {
        let last = rules().iter().rev().find(|r| r.body == Some(*b)).unwrap();
        assert_eq!(last.effect, Effect::Otherwise, "{b:?}");
    }
}

fn ids(items: &[CheckItem]) -> Vec<&'static str> {
    items.iter().map(|i| i.id).collect()
}

#[test]
fn preserve_says_what_to_keep_and_how() {
    let g = advise(&build(&[
        ("what_happened", &["break_in_via_flaw"]),
        ("after_access", &["files_planted", "money_transferred"]),
        ("actions_taken", &["rebooted"]),
    ]));
    let p = ids(&g.preserve);
    for id in [
        "tell_responsible",
        "keep_as_is",
        "login_logs",
        "stop_rotation",
        "hashes",
        "no_reboot",
        "attacked_objects",
        "money_records",
        "evidence_changed",
        "record_recovery",
    ] {
        assert!(p.contains(&id), "{id} missing from {p:?}");
    }
    let hashes = g.preserve.iter().find(|i| i.id == "hashes").unwrap();
    assert!(hashes.text.ja.contains("mamori evidence collect"));
    let keep = g.preserve.iter().find(|i| i.id == "keep_as_is").unwrap();
    assert!(keep.text.ja.contains("時点の状態"));
    // A scan-only case does not talk about money or planted files.
    let scans = advise(&build(&[("what_happened", &["scans"])]));
    let p = ids(&scans.preserve);
    assert!(!p.contains(&"money_records") && !p.contains(&"attacked_objects"));
    assert!(!p.contains(&"evidence_changed"));
}

#[test]
fn prepare_lists_items_only_for_bodies_that_fit() {
    let g = advise(&build(&[
        ("what_happened", &["phishing_site"]),
        ("ongoing", &["phishing_site_up"]),
    ]));
    let p = ids(&g.prepare);
    assert!(p.contains(&"timeline"));
    assert!(p.contains(&"jpcert_phishing"));
    assert!(p.contains(&"ipa_form"));
    assert!(p.contains(&"police_logs"));
    assert!(!p.contains(&"police_damage"), "no money was lost");
    for i in &g.prepare {
        if let Some(b) = i.body {
            assert_ne!(
                g.body(b).unwrap().fit,
                Fit::NotNeeded,
                "{} for a body that does not fit",
                i.id
            );
        }
    }
    let scans = advise(&build(&[("what_happened", &["scans"])]));
    assert!(scans.prepare.iter().all(|i| i.body.is_none()));
    let money = advise(&build(&[("after_access", &["money_transferred"])]));
    assert!(ids(&money.prepare).contains(&"police_damage"));
}

#[test]
fn outcomes_and_reasons_are_typed_per_body() {
    for b in Body::ALL {
        let own: Vec<Outcome> = Outcome::for_body(*b);
        assert!(own.len() >= 6, "{b:?}: {own:?}");
        assert!(own.contains(&Outcome::Referred) && own.contains(&Outcome::Withdrawn));
        let list = closing_checklist(*b);
        assert!(list.len() >= 4);
        let ids: HashSet<&str> = list.iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), list.len());
        assert!(list.iter().all(|i| i.body == Some(*b)));
        assert!(ids.contains("classified") && ids.contains("reporter_told"));
    }
    assert!(Outcome::InvestigationStarted.applies_to(Body::Police));
    assert!(!Outcome::InvestigationStarted.applies_to(Body::Ipa));
    assert!(Outcome::RecordedInStatistics.applies_to(Body::Ipa));
    assert!(Outcome::CoordinationImpossible.applies_to(Body::JpcertCc));
    assert!(!Outcome::SiteTakenDown.applies_to(Body::Police));
    assert_eq!(Outcome::AdviceOnly.text().ja, "助言・防犯指導のみ");
    let codes: Vec<&str> = NotAcceptedReason::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        vec![
            "out_of_scope",
            "not_unauthorized_access",
            "insufficient_information",
            "duplicate",
            "better_handled_elsewhere",
            "withdrawn",
            "other"
        ]
    );
    for r in NotAcceptedReason::ALL {
        assert_eq!(NotAcceptedReason::parse(r.code()), Some(*r));
    }
    for o in Outcome::ALL {
        assert_eq!(Outcome::parse(o.code()), Some(*o));
        assert!(Body::ALL.iter().any(|b| o.applies_to(*b)));
    }
}

//! The engine on the fixture rules (tests/fixtures/crs, cut from CRS 3.3.4), so these
//! run without the Debian package.

use super::common::get;
use mamori_crs::{Request, RuleSet, Severity, Source};
use std::path::Path;

fn fixture(pl: u8) -> RuleSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crs");
    RuleSet::load_dir(&dir, pl).expect("fixture rules load")
}

#[test]
fn loads_and_counts_what_it_skips() {
    let crs = fixture(1);
    let st = crs.stats();
    // 901: 3 of 4 (901318 needs t:sha1); 913: gate + 913100; 942: 4 gates + 942100,
    // 942160, 942430. 911 (method policy) is not loaded: see `load::applies`.
    assert_eq!(st.loaded, 3 + 2 + 7, "{st:?}");
    assert_eq!(st.skipped, 2, "{st:?}");
    assert_eq!(st.ignored_directives, 1);
    let sha1 = st.warnings.iter().find(|w| w.id == Some(901318)).unwrap();
    assert_eq!(sha1.at, "REQUEST-901-INITIALIZATION.conf:27");
    assert!(sha1.message.contains("t:sha1"));
    assert!(
        st.warnings
            .iter()
            .any(|w| w.message.contains("SecFrobnicate"))
    );
    assert_eq!(crs.version(), Some("3.3.4"));
    assert!(RuleSet::load_dir(Path::new("/nonexistent"), 1).is_err());
}

#[test]
fn scores_and_paranoia() {
    let pl1 = fixture(1);
    let ev = pl1.evaluate(&get("/?id=1%27%20or%20sleep(5)%23"));
    let ids: Vec<u32> = ev.matches.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![942100, 942160]);
    assert_eq!(ev.score, 10);
    assert!(ev.attack);
    assert_eq!(ev.top().map(|m| m.id), Some(942100));
    assert!(
        ev.matches[0].data.contains("ARGS:id"),
        "{}",
        ev.matches[0].data
    );
    assert_eq!(ev.matches[0].severity, Severity::Critical);

    let many = get("/?q=a%27%27%27%27%27%27%27%27%27%27%27%27%27b");
    assert!(!pl1.evaluate(&many).matches.iter().any(|m| m.id == 942430));
    let pl2 = fixture(2);
    let ev2 = pl2.evaluate(&many);
    assert!(ev2.matches.iter().any(|m| m.id == 942430), "{ev2:?}");

    let mut put = get("/");
    put.method = b"PUT";
    assert!(pl1.evaluate(&put).matches.is_empty());
    let mut nikto = get("/");
    nikto.user_agent = Some(b"Mozilla/5.00 (Nikto/2.1.6)");
    let ev = pl1.evaluate(&nikto);
    assert_eq!(ev.matches[0].id, 913100);
    assert!(
        ev.matches[0].data.contains("nikto"),
        "{}",
        ev.matches[0].data
    );
    assert!(!pl1.evaluate(&get("/?q=O%27Reilly")).attack);
}

#[test]
fn chains_setvar_and_skip_after() {
    let rules = r#"
SecAction "id:1,phase:1,pass,nolog,setvar:tx.limit=3"
SecRule ARGS:a "@rx ^(\d+)$" "id:2,phase:2,capture,chain,msg:'big a',severity:WARNING"
    SecRule TX:1 "@gt %{tx.limit}" "setvar:tx.seen=+1"
SecRule TX:seen "@eq 1" "id:3,phase:2,pass,nolog,skipAfter:END"
SecRule ARGS "@contains x" "id:4,phase:2,msg:'skipped when seen',severity:CRITICAL"
SecMarker END
SecRule &ARGS "@ge 2" "id:5,phase:2,msg:'two args',severity:NOTICE"
"#;
    let crs = RuleSet::build(
        &[Source {
            name: "REQUEST-920-TEST.conf".into(),
            text: rules.into(),
        }],
        &|_| None,
        1,
    );
    assert_eq!(crs.stats().loaded, 5, "a chain counts once");
    let ids = |uri: &str| -> Vec<u32> {
        crs.evaluate(&get(uri))
            .matches
            .iter()
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(ids("/?a=9&b=x"), vec![2, 5]);
    assert_eq!(ids("/?a=2&b=x"), vec![4, 5]);
    assert_eq!(ids("/?a=2"), Vec::<u32>::new());
    let ev = crs.evaluate(&get("/?a=9&b=x"));
    assert_eq!(ev.score, 3 + 2);
    assert!(ev.attack);
}

#[test]
fn absent_variables_never_match() {
    let rules = r#"
SecRule &REQUEST_HEADERS:Host "@eq 0" "id:1,phase:1,msg:'no host',severity:CRITICAL"
SecRule REQUEST_BODY "!@rx ." "id:2,phase:2,msg:'no body',severity:CRITICAL"
SecRule &REQUEST_HEADERS:User-Agent "@eq 0" "id:3,phase:1,msg:'no UA',severity:CRITICAL"
"#;
    let crs = RuleSet::build(
        &[Source {
            name: "REQUEST-920-TEST.conf".into(),
            text: rules.into(),
        }],
        &|_| None,
        1,
    );
    assert!(crs.evaluate(&get("/")).matches.is_empty());
    let no_ua = Request {
        user_agent: None,
        ..get("/")
    };
    assert_eq!(crs.evaluate(&no_ua).matches[0].id, 3);
}

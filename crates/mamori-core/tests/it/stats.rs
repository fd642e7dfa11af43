//! Statistics: hand-checked aggregation and de-duplication, import errors, the seed's
//! 平成22年 table and a re-identification attempt that must fail.

use mamori_core::Lang;
use mamori_core::guideline::Body;
use mamori_core::stats::dedup::{DedupConfig, Link, LinkReason, LinkStatus, find_links};
use mamori_core::stats::*;
use mamori_core::taxonomy::{Damage, Method, Motive};

fn day(y: i32, m: u8, d: u8) -> Day {
    Day::new(y, m, d).unwrap()
}

fn rec(id: &str, body: Body, d: Day) -> StatRecord {
    StatRecord::new(id, body, d)
}

/// The small world of the hand-checked tests.
fn world() -> Vec<StatRecord> {
    let mut r1 = rec("r1", Body::Police, day(2010, 1, 10));
    r1.recognized = true;
    r1.cleared = true;
    r1.cleared_case = Some("K1".into());
    r1.methods = vec![Method::PhishingSite];
    r1.motives = vec![Motive::IllicitGain];
    r1.prefecture = Some(Prefecture::Tokyo);
    let mut r2 = rec("r2", Body::Police, day(2010, 2, 11));
    r2.recognized = true;
    r2.cleared = true;
    r2.cleared_case = Some("K1".into());
    r2.methods = vec![Method::PhishingSite];
    let mut r3 = rec("r3", Body::Police, day(2010, 5, 1));
    r3.recognized = true;
    let mut r4 = rec("r4", Body::Ipa, day(2010, 1, 12));
    r4.referred_from = Some("r1".into());
    r4.damages = vec![Damage::MoneyLost];
    r4.affected_accounts = 3;
    let mut r5 = rec("r5", Body::JpcertCc, day(2010, 7, 1));
    r5.coordinations = 2;
    r5.reporter = Some("A".into());
    r5.indicators = vec!["http://phish.example/x".into()];
    let mut r6 = rec("r6", Body::Ipa, day(2010, 7, 3));
    r6.reporter = Some("A".into());
    r6.indicators = vec!["http://phish.example/x".into()];
    let mut r7 = rec("r7", Body::JpcertCc, day(2010, 8, 1));
    r7.reporter = Some("B".into());
    r7.indicators = vec!["203.0.113.9".into()];
    let mut r8 = rec("r8", Body::Ipa, day(2010, 8, 20));
    r8.reporter = Some("C".into());
    r8.indicators = vec!["203.0.113.9".into()];
    let mut r9 = rec("r9", Body::Police, day(2009, 6, 1));
    r9.recognized = true;
    r9.cleared = true;
    r9.cleared_case = Some("K0".into());
    vec![r1, r2, r3, r4, r5, r6, r7, r8, r9]
}

fn applied(links: &[Link]) -> Vec<(&str, &str)> {
    links
        .iter()
        .filter(|l| LinkStatus::initial(l.reason).is_applied())
        .map(|l| (l.a.as_str(), l.b.as_str()))
        .collect()
}

#[test]
fn dedup_links_by_referral_reporter_and_indicator() {
    let w = world();
    let links = find_links(&w, &DedupConfig::default());
    assert_eq!(
        links,
        vec![
            Link::new("r1", "r4", LinkReason::Referral),
            Link::new("r5", "r6", LinkReason::SameReporterIndicator),
            Link::new("r7", "r8", LinkReason::SharedIndicator),
        ]
    );
    assert!(LinkReason::Referral.is_certain());
    assert!(
        !LinkReason::SharedIndicator.is_certain(),
        "two victims of one campaign share a URL"
    );
    assert_eq!(
        LinkStatus::initial(LinkReason::SharedIndicator),
        LinkStatus::Proposed
    );
}

#[test]
fn same_reporter_outside_the_window_is_not_linked() {
    let mut a = rec("a", Body::Police, day(2010, 1, 1));
    a.reporter = Some("X".into());
    let mut b = rec("b", Body::Ipa, day(2010, 1, 20));
    b.reporter = Some("X".into());
    let mut c = rec("c", Body::JpcertCc, day(2010, 1, 5));
    c.reporter = Some("X".into());
    let links = find_links(&[a, b, c], &DedupConfig::default());
    assert_eq!(
        links,
        vec![Link::new("a", "c", LinkReason::SameReporterWindow)]
    );
}

#[test]
fn aggregation_counts_each_unit_by_hand() {
    let w = world();
    let links = find_links(&w, &DedupConfig::default());
    let inc = Incidents::new(&w, applied(&links));
    // {r1,r4} {r2} {r3} {r5,r6} {r7} {r8} in 2010, {r9} in 2009.
    assert_eq!(inc.count(), 7);
    let cells = aggregate(&w, &inc);
    let r = yearly_report(&cells, 2010, 0, Vec::new());
    let fig = |u| r.figure(u).unwrap().clone();
    assert_eq!(fig(Unit::Reports).count, Some(8));
    assert_eq!(fig(Unit::Incidents).count, Some(6));
    assert_eq!(fig(Unit::Recognized).count, Some(3));
    assert_eq!(fig(Unit::Recognized).previous, Some(1));
    assert_eq!(fig(Unit::Recognized).change, Some(2));
    assert_eq!(fig(Unit::Cleared).count, Some(2));
    assert_eq!(
        fig(Unit::ClearedCases).count,
        Some(1),
        "r1 and r2 are one cleared case"
    );
    assert_eq!(fig(Unit::Coordinations).count, Some(2));
    assert_eq!(fig(Unit::AffectedAccounts).count, Some(3));
    // Quarters of incidents: Q1 {r1,r4},{r2}; Q2 {r3}; Q3 {r5,r6},{r7},{r8}.
    let inc_col = r
        .trend_units
        .iter()
        .position(|u| *u == Unit::Incidents)
        .unwrap();
    let q: Vec<Option<u64>> = r.quarters.iter().map(|q| q.counts[inc_col]).collect();
    assert_eq!(q, vec![Some(2), Some(1), Some(3), Some(0)]);
    // 手口 by incident: phishing in {r1,r4} and {r2}; the other four have none.
    let m = r.table(Dim::Method).unwrap();
    let col = m
        .columns
        .iter()
        .find(|c| c.unit == Unit::Incidents)
        .unwrap();
    let phishing = col.rows.iter().find(|x| x.code == "phishing_site").unwrap();
    assert_eq!(phishing.count, Some(2));
    assert_eq!(phishing.share_pct, Some(33), "2 of 6, rounded");
    let unspecified = col.rows.iter().find(|x| x.code == UNSPECIFIED).unwrap();
    assert_eq!(unspecified.count, Some(4));
    // The referred IPA report's damage counts for the incident the police hold too.
    let d = r.table(Dim::Damage).unwrap();
    let col = d
        .columns
        .iter()
        .find(|c| c.unit == Unit::Incidents)
        .unwrap();
    assert_eq!(
        col.rows
            .iter()
            .find(|x| x.code == "money_lost")
            .unwrap()
            .count,
        Some(1)
    );
    // By body: incidents count under every body holding a report of them.
    let b = r.table(Dim::Body).unwrap();
    let col = b
        .columns
        .iter()
        .find(|c| c.unit == Unit::Incidents)
        .unwrap();
    let get = |code: &str| col.rows.iter().find(|x| x.code == code).unwrap().count;
    assert_eq!(
        (get("police"), get("ipa"), get("jpcert_cc")),
        (Some(3), Some(3), Some(2))
    );
}

#[test]
fn confirming_and_undoing_a_merge_changes_the_incident_count() {
    let w = world();
    let links = find_links(&w, &DedupConfig::default());
    let mut pairs = applied(&links);
    pairs.push(("r7", "r8")); // a reviewer confirms the uncertain link
    let count = |pairs: &[(&str, &str)]| {
        let cells = aggregate(&w, &Incidents::new(&w, pairs.iter().copied()));
        yearly_report(&cells, 2010, 0, Vec::new())
            .figure(Unit::Incidents)
            .unwrap()
            .count
    };
    assert_eq!(count(&pairs), Some(5));
    pairs.retain(|p| *p != ("r1", "r4")); // the referral merge is undone
    assert_eq!(count(&pairs), Some(6));
}

#[test]
fn incidents_are_dated_by_their_earliest_report() {
    let a = rec("late", Body::Police, day(2011, 1, 3));
    let b = rec("early", Body::Ipa, day(2010, 12, 30));
    let w = vec![a, b];
    let inc = Incidents::new(&w, [("late", "early")]);
    assert_eq!(inc.of(0), 1);
    let cells = aggregate(&w, &inc);
    let y2010 = yearly_report(&cells, 2010, 0, Vec::new());
    let y2011 = yearly_report(&cells, 2011, 0, Vec::new());
    assert_eq!(y2010.figure(Unit::Incidents).unwrap().count, Some(1));
    assert_eq!(y2011.figure(Unit::Incidents).unwrap().count, Some(0));
    assert_eq!(y2011.figure(Unit::Reports).unwrap().count, Some(1));
}

#[test]
fn import_names_line_and_field_of_every_bad_row() {
    let input = "\
# a comment
{\"id\":\"a\",\"body\":\"police\",\"date\":\"2010-01-01\",\"methods\":[\"phishing_site\"]}
{\"id\":\"b\",\"body\":\"police\",\"date\":\"2010-02-30\"}
{\"id\":\"c\",\"body\":\"ipa\",\"date\":\"2010-01-01\",\"methd\":[\"x\"]}
{\"id\":\"d\",\"body\":\"ipa\",\"date\":\"2010-01-01\",\"methods\":[\"magic\"]}
{\"id\":\"a\",\"body\":\"ipa\",\"date\":\"2010-01-01\"}
not json
{\"body\":\"ipa\",\"date\":\"2010-01-01\"}
";
    let p = parse_records(input, Format::sniff(input));
    assert_eq!(p.records.len(), 1);
    let got: Vec<(usize, Option<&str>)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, Some("date")),
            (4, Some("methd")),
            (5, Some("methods")),
            (6, Some("id")),
            (7, None),
            (8, Some("id"))
        ]
    );
    assert_eq!(
        p.errors[0].message(Lang::Ja),
        "3行目 項目 date: 値 \"2010-02-30\" は使えません（a date YYYY-MM-DD）"
    );
    assert_eq!(
        p.errors[3].message(Lang::En),
        "line 6, field id: id already used on line 2"
    );
}

#[test]
fn csv_import_reads_quotes_and_lists() {
    let input = "id,body,date,methods,note,prefecture,cleared,cleared_case\n\
                 x1,police,2010-03-01,phishing_site|spyware,\"free, text with \"\"quotes\"\"\n and a line break\",13,true,K9\n\
                 x2,ipa,2010-03-02,,,東京,,\n\
                 x3,ipa,2010-03-02,,,,no,K1\n";
    let p = parse_records(input, Format::sniff(input));
    assert_eq!(p.records.len(), 2, "{:?}", p.errors);
    let r = &p.records[0].1;
    assert_eq!(r.methods, vec![Method::PhishingSite, Method::Spyware]);
    assert_eq!(
        r.note.as_deref(),
        Some("free, text with \"quotes\"\n and a line break")
    );
    assert_eq!(r.prefecture, Some(Prefecture::Tokyo));
    assert_eq!(p.records[1].1.prefecture, Some(Prefecture::Tokyo));
    assert_eq!(
        p.records[1].0, 4,
        "line numbers count the quoted line break"
    );
    assert_eq!(
        (p.errors[0].line, p.errors[0].field.as_deref()),
        (5, Some("cleared_case"))
    );
}

/// the seed's table, from case-level data.
#[test]
fn h22_fixture_reproduces_the_seed_table() {
    let input = include_str!("../../../../fixtures/stats/h22-npa.jsonl");
    let p = parse_records(input, Format::JsonLines);
    assert!(p.errors.is_empty(), "{:?}", p.errors.first());
    let records: Vec<StatRecord> = p.records.into_iter().map(|(_, r)| r).collect();
    let inc = Incidents::new(
        &records,
        applied(&find_links(&records, &DedupConfig::default())),
    );
    let report = yearly_report(
        &aggregate(&records, &inc),
        2010,
        anonymize::DEFAULT_K,
        Vec::new(),
    );
    let text = render::text(&report, Lang::Ja);
    for line in [
        "不正アクセス行為の発生状況 2010年（平成22年）",
        "認知件数: 1,885件（前年比 -910件）",
        "検挙件数: 1,601件（前年比 -933件）",
        "検挙事件数: 104件（前年比 +9件）",
        "フィッシングサイトにより入手: 1,411件（構成比 88%",
        "不正に金を得るため: 1,455件（構成比 91%",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let m = report.table(Dim::Method).unwrap();
    let cleared = m.columns.iter().find(|c| c.unit == Unit::Cleared).unwrap();
    assert_eq!(cleared.total, Some(1601));
    let ph = cleared
        .rows
        .iter()
        .find(|r| r.code == "phishing_site")
        .unwrap();
    assert_eq!((ph.count, ph.share_pct), (Some(1411), Some(88)));
}

/// What an attacker can work out from one published column: a lone suppressed cell
/// under a published total.
fn recoverable(col: &Column) -> Option<(String, u64)> {
    let hidden: Vec<&Row> = col.rows.iter().filter(|r| r.count.is_none()).collect();
    let total = col.total?;
    if hidden.len() != 1 {
        return None;
    }
    let visible: u64 = col.rows.iter().filter_map(|r| r.count).sum();
    Some((hidden[0].code.clone(), total.saturating_sub(visible)))
}

/// The values the target's hidden cell can take in any fill of the hidden cells of a
/// single-valued column that adds up to the published total (brute force).
fn solutions(col: &Column, target: &str) -> std::collections::BTreeSet<u64> {
    let hidden: Vec<&Row> = col.rows.iter().filter(|r| r.count.is_none()).collect();
    let rest = col.total.unwrap() - col.rows.iter().filter_map(|r| r.count).sum::<u64>();
    let t = hidden.iter().position(|r| r.code == target).unwrap();
    fn fill(
        h: usize,
        rest: u64,
        t: usize,
        cur: &mut Vec<u64>,
        out: &mut std::collections::BTreeSet<u64>,
    ) {
        if cur.len() + 1 == h {
            cur.push(rest);
            out.insert(cur[t]);
            cur.pop();
            return;
        }
        for v in 0..=rest {
            cur.push(v);
            fill(h, rest - v, t, cur, out);
            cur.pop();
        }
    }
    let mut out = std::collections::BTreeSet::new();
    fill(hidden.len(), rest, t, &mut Vec::new(), &mut out);
    out
}

/// a single reporter in a prefecture nobody else reported from, with a 手口 only
/// they had. The attacker knows all that and reads every published table.
#[test]
fn reidentifying_a_single_reporter_from_published_tables_fails() {
    let mut w = Vec::new();
    for i in 0..40u8 {
        let mut r = rec(&format!("n{i}"), Body::Ipa, day(2010, i % 12 + 1, 1));
        r.prefecture =
            Some([Prefecture::Tokyo, Prefecture::Osaka, Prefecture::Aichi][usize::from(i % 3)]);
        r.methods = vec![if i % 2 == 0 {
            Method::PhishingSite
        } else {
            Method::WeakPasswordManagement
        }];
        r.reporter = Some(format!("org-{i}"));
        w.push(r);
    }
    for (i, p) in [
        Prefecture::Shimane,
        Prefecture::Shimane,
        Prefecture::Kochi,
        Prefecture::Kochi,
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = rec(&format!("s{i}"), Body::Ipa, day(2010, 4, 2));
        r.prefecture = Some(p);
        r.methods = vec![Method::PhishingSite];
        w.push(r);
    }
    let mut target = rec("victim-record-77", Body::Ipa, day(2010, 11, 5));
    target.prefecture = Some(Prefecture::Tottori);
    target.methods = vec![Method::Spyware];
    target.reporter = Some("鳥取の小さな病院".into());
    target.indicators = vec!["198.51.100.77".into()];
    target.note = Some("院長のメールが盗み見られた".into());
    w.push(target);

    let inc = Incidents::new(&w, std::iter::empty());
    let report = yearly_report(&aggregate(&w, &inc), 2010, anonymize::DEFAULT_K, Vec::new());

    // Reading the cell directly.
    let pref = report.table(Dim::Prefecture).unwrap();
    let col = pref
        .columns
        .iter()
        .find(|c| c.unit == Unit::Incidents)
        .unwrap();
    let tottori = col.rows.iter().find(|r| r.code == "tottori").unwrap();
    assert_eq!(tottori.count, None, "the lone prefecture is suppressed");
    // Differencing: total minus the visible rows, in every column of every table.
    for t in &report.tables {
        for c in &t.columns {
            assert_eq!(
                recoverable(c),
                None,
                "{:?}/{:?} gives a lone hidden cell away",
                t.dim,
                c.unit
            );
        }
    }
    // Solving the prefecture column: the target's cell is not pinned down.
    assert!(solutions(col, "tottori").len() >= 2);
    let meth = report.table(Dim::Method).unwrap();
    let mcol = meth
        .columns
        .iter()
        .find(|c| c.unit == Unit::Incidents)
        .unwrap();
    assert_eq!(
        mcol.rows
            .iter()
            .find(|r| r.code == "spyware")
            .unwrap()
            .count,
        None
    );
    assert!(solutions(mcol, "spyware").len() >= 2);
    // The quarters: Q4 holds the target with others; no lone hidden quarter either.
    for (u_idx, _) in report.trend_units.iter().enumerate() {
        let hidden = report
            .quarters
            .iter()
            .filter(|q| q.counts[u_idx].is_none())
            .count();
        assert_ne!(hidden, 1);
    }
    // Nothing that identifies the reporter is in any published form.
    let json = serde_json::to_string(&report).unwrap();
    let text = render::text(&report, Lang::Ja);
    let csv = render::csv(&report, Lang::Ja, None);
    for out in [&json, &text, &csv] {
        for secret in [
            "鳥取の小さな病院",
            "198.51.100.77",
            "院長のメール",
            "victim-record-77",
            "org-1",
        ] {
            assert!(!out.contains(secret), "{secret} published");
        }
    }
}

#[test]
fn external_counts_keep_their_own_unit() {
    let csv = "source,unit,category,year,quarter,count\n\
               JPCERT/CC,報告件数,フィッシングサイト,2010,,\"1,234\"\n\
               JPCERT/CC,インシデント件数,合計,2010,5,9\n";
    let (rows, errors) = parse_external(csv);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].count, 1234);
    assert_eq!(rows[0].unit, "報告件数");
    assert_eq!(
        (errors[0].line, errors[0].field.as_deref()),
        (3, Some("quarter"))
    );
    let report = yearly_report(&[], 2010, 3, rows);
    let text = render::text(&report, Lang::Ja);
    assert!(text.contains("合算しません"));
    assert!(text.contains("JPCERT/CC [報告件数] フィッシングサイト 2010: 1,234"));
}

#[test]
fn a_measure_shows_its_before_and_after_trend() {
    let mut w = Vec::new();
    for m in 1..=12u8 {
        let n = if m < 7 { 6 } else { 3 };
        for i in 0..n {
            let mut r = rec(&format!("{m}-{i}"), Body::Ipa, day(2010, m, 1));
            r.methods = vec![Method::PhishingSite];
            w.push(r);
        }
    }
    let cells = aggregate(&w, &Incidents::new(&w, std::iter::empty()));
    let e = effect(
        &cells,
        &Measure {
            name: "注意喚起".into(),
            start: (2010, 7),
            dim: Dim::Method,
            values: vec!["phishing_site".into()],
            unit: Unit::Incidents,
        },
        6,
        3,
    );
    assert_eq!(e.trend.len(), 12);
    assert_eq!((e.mean_before, e.mean_after), (6.0, 3.0));
    assert_eq!(e.relative_change, Some(-0.5));
    assert!(e.trend[6].after && !e.trend[5].after);
}

//! The portal's self-checks: the countermeasure standard's item counts per role, and
//! scoring on a hand-scored answer set.

use mamori_core::portal::selfcheck::{Answer, Answers, list, score};
use mamori_core::portal::standard::STANDARD;

#[test]
fn the_standard_has_27_58_27_24_items_by_role() {
    let counts: Vec<(&str, usize)> = STANDARD.iter().map(|l| (l.id, l.len())).collect();
    assert_eq!(
        counts,
        vec![
            ("user", 27),
            ("admin", 58),
            ("provider", 27),
            ("supplier", 24)
        ]
    );
    // Section sizes as in the notice's table of contents (III).
    let sizes = |id: &str| -> Vec<usize> {
        list(id)
            .unwrap()
            .sections
            .iter()
            .map(|s| s.items.len())
            .collect()
    };
    assert_eq!(sizes("user"), vec![9, 7, 6, 2, 2, 1]);
    assert_eq!(sizes("admin"), vec![7, 10, 8, 18, 4, 6, 4, 1]);
    assert_eq!(sizes("provider"), vec![2, 7, 3, 5, 6, 3, 1]);
    assert_eq!(sizes("supplier"), vec![2, 2, 7, 4, 6, 2, 1]);
    assert_eq!(list("sme").unwrap().len(), 12);
}

#[test]
fn items_are_numbered_in_order_with_a_weight_and_both_languages() {
    for l in mamori_core::portal::selfcheck::all() {
        for (si, s) in l.sections.iter().enumerate() {
            assert_eq!(usize::from(s.no), si + 1, "{} section", l.id);
            for (ii, i) in s.items.iter().enumerate() {
                assert_eq!(usize::from(i.no), ii + 1, "{} ({}) item", l.id, s.no);
                assert!((1..=3).contains(&i.weight), "{} {}-{}", l.id, s.no, i.no);
                assert!(!i.text.ja.is_empty() && !i.text.en.is_empty());
            }
        }
    }
}

fn answers(list: &[(&str, Answer)]) -> Answers {
    list.iter().map(|(k, a)| ((*k).to_string(), *a)).collect()
}

#[test]
fn scores_a_hand_scored_quick_check() {
    use Answer::{No, NotApplicable as Na, Yes};
    let a = answers(&[
        ("1-1", Yes),
        ("1-2", No),
        ("1-3", Yes),
        ("1-4", Na),
        ("1-5", No),
        ("2-1", No),
        // 2-2 left unanswered
        ("2-3", Yes),
        ("3-1", Yes),
        ("3-2", No),
        ("3-3", Na),
        ("3-4", Yes),
    ]);
    let s = score(list("sme").unwrap(), &a);
    let per: Vec<(usize, usize, usize, u32)> = s
        .sections
        .iter()
        .map(|x| (x.yes, x.applicable, x.unanswered, x.percent()))
        .collect();
    // By hand: (1) 2 of 4 applicable; (2) 1 of 3, one unanswered; (3) 2 of 3.
    assert_eq!(per, vec![(2, 4, 0, 50), (1, 3, 1, 33), (2, 3, 0, 66)]);
    assert_eq!(
        (s.total.yes, s.total.applicable, s.total.percent()),
        (5, 10, 50)
    );
    // "No" before unanswered, importance 3 before 2, then the list's order.
    let gaps: Vec<&str> = s.gaps.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(gaps, vec!["1-2", "2-1", "3-2", "1-5", "2-2"]);
    assert!(s.gaps[4].unanswered && !s.gaps[0].unanswered);
}

#[test]
fn nothing_answered_is_all_gaps_and_all_not_applicable_is_full_marks() {
    let l = list("admin").unwrap();
    let s = score(l, &Answers::new());
    assert_eq!(s.gaps.len(), 58);
    assert_eq!(s.total.percent(), 0);
    let na: Answers = l
        .items()
        .map(|(k, _, _)| (k, Answer::NotApplicable))
        .collect();
    let s = score(l, &na);
    assert!(s.gaps.is_empty());
    assert_eq!(s.total.percent(), 100);
}

#[test]
fn form_pairs_outside_the_list_are_ignored() {
    use mamori_core::portal::selfcheck::answers_from_pairs;
    let pairs: Vec<(String, String)> = [
        ("q1-1", "yes"),
        ("q1-2", "maybe"),
        ("q9-9", "yes"),
        ("q2-1", "na"),
        ("csrf", "x"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    let a = answers_from_pairs(list("user").unwrap(), &pairs);
    assert_eq!(
        a,
        answers(&[("1-1", Answer::Yes), ("2-1", Answer::NotApplicable)])
    );
}

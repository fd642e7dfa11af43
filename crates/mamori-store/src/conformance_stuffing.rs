//! Conformance checks of schema 5: the shared credential-stuffing window (bucket
//! counts, distinct accounts by their last bucket, pruning) and the alert that exactly
//! one caller raises. Called by [`crate::conformance::run_all`]; touches no other table.

use crate::*;

fn attempt(bucket: i64, account: i64, failed: bool) -> StuffingAttempt {
    StuffingAttempt {
        bucket,
        account,
        failed,
        unknown: failed,
        breached: bucket % 2 == 0,
    }
}

pub(crate) async fn run(s: &dyn Store) {
    window(s).await;
    alert(s).await;
}

async fn window(s: &dyn Store) {
    let b0 = 177_000_000; // about 2026 in 10-second buckets
    assert_eq!(
        s.stuffing_totals(b0).await.expect("totals"),
        StuffingTotals::default(),
        "an empty window"
    );
    // Three attempts on two accounts in one bucket.
    for (account, failed) in [(-5, true), (7, false), (-5, true)] {
        s.stuffing_record(&attempt(b0, account, failed), b0, i64::MAX)
            .await
            .expect("record");
    }
    let t = s
        .stuffing_record(&attempt(b0 + 1, 9, true), b0, i64::MAX)
        .await
        .expect("record");
    assert_eq!(
        (t.attempts, t.failures, t.unknown, t.breached, t.accounts),
        (4, 3, 3, 3, 3),
        "counts and distinct accounts"
    );
    assert_eq!(t.alert_until_ms, None, "no alert yet");
    assert_eq!(s.stuffing_totals(b0).await.expect("totals"), t);
    // The cap stops the count of accounts, not of attempts.
    let capped = s
        .stuffing_record(&attempt(b0 + 1, 7, false), b0, 2)
        .await
        .expect("record");
    assert_eq!((capped.attempts, capped.accounts), (5, 2), "capped");
    // Account 7 moved to bucket b0 + 1: from there on, accounts 7 and 9.
    let later = s.stuffing_totals(b0 + 1).await.expect("totals");
    assert_eq!((later.attempts, later.accounts), (2, 2), "the later bucket");
    // An attempt stamped earlier does not move an account back.
    s.stuffing_record(&attempt(b0, 9, true), b0, i64::MAX)
        .await
        .expect("record");
    assert_eq!(
        s.stuffing_totals(b0 + 1).await.expect("totals").accounts,
        2,
        "an account never moves back"
    );
    // A new bucket far later: the old ones are gone, and only its attempt counts.
    let fresh = s
        .stuffing_record(&attempt(b0 + 100, -5, true), b0 + 41, i64::MAX)
        .await
        .expect("record");
    assert_eq!((fresh.attempts, fresh.accounts), (1, 1), "the window slid");
    assert_eq!(
        s.stuffing_totals(b0).await.expect("totals").attempts,
        1,
        "buckets before the window were deleted"
    );
    assert_eq!(
        s.stuffing_totals(b0).await.expect("totals").accounts,
        1,
        "accounts before the window were deleted"
    );
}

async fn alert(s: &dyn Store) {
    let now = 1_775_000_000_000; // Unix milliseconds
    let hold = 1_800_000;
    assert_eq!(s.stuffing_alert().await.expect("alert"), None);
    assert!(
        s.stuffing_raise(now + hold, now).await.expect("raise"),
        "the first raise switches it on"
    );
    assert!(
        !s.stuffing_raise(now + hold, now).await.expect("raise"),
        "a second raise at once is no new alert"
    );
    assert!(
        !s.stuffing_raise(now + 10_000 + hold, now + 10_000)
            .await
            .expect("raise"),
        "extending is no new alert"
    );
    assert!(
        !s.stuffing_raise(now + hold, now + 20_000)
            .await
            .expect("raise"),
        "an earlier end"
    );
    assert_eq!(
        s.stuffing_alert().await.expect("alert"),
        Some(now + 10_000 + hold),
        "the end only moves later"
    );
    assert_eq!(
        s.stuffing_totals(0).await.expect("totals").alert_until_ms,
        Some(now + 10_000 + hold),
        "the totals carry the alert"
    );
    let after = now + 10_000 + hold;
    assert!(
        s.stuffing_raise(after + hold, after).await.expect("raise"),
        "once it ended, a raise is a new alert"
    );
}

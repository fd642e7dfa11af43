//! The conformance suite every [`GuardStore`] must pass, written once. The memory
//! store runs it in this crate's tests; the platform's SQL store and a Redis store
//! call [`check_store`] from their own tests.
//!
//! ```
//! let store = mamori_guard::MemoryStore::new();
//! mamori_guard::check_store(&store).unwrap();
//! ```

use crate::account::Account;
use crate::store::{CounterRule, GuardStore, HitDecision, TokenRecord};
use crate::stuffing::{StuffingHit, account_hash};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = datetime!(2030-01-01 00:00 UTC);

fn ensure(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

fn e(err: crate::error::GuardError) -> String {
    err.to_string()
}

/// Runs every check against `store` (which should be empty; keys are prefixed
/// `conformance:`). Returns the first property that does not hold.
pub fn check_store(store: &dyn GuardStore) -> Result<(), String> {
    let rule = CounterRule {
        limit: 50,
        window_secs: Some(60),
        free_attempts: u32::MAX,
        base_delay_ms: 0,
        max_delay_ms: 0,
    };

    // Check-and-increment is atomic: 8 threads × 20 hits pass exactly `limit`.
    let key = "conformance:parallel";
    let allowed = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    (0..20)
                        .filter(|_| {
                            matches!(store.hit(key, &rule, T0), Ok(HitDecision::Allowed { .. }))
                        })
                        .count()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(0))
            .sum::<usize>()
    });
    ensure(
        allowed == 50,
        &format!("parallel hits: {allowed} allowed, limit 50"),
    )?;
    ensure(
        store.peek(key).map_err(e)?.map(|s| s.count) == Some(50),
        "refused hits must not be counted",
    )?;
    // The window ends.
    ensure(
        matches!(
            store
                .hit(key, &rule, T0 + Duration::seconds(60))
                .map_err(e)?,
            HitDecision::Allowed { count: 1 }
        ),
        "a new window starts at one",
    )?;
    // Decrement and clear.
    store.decrement(key).map_err(e)?;
    ensure(
        store.peek(key).map_err(e)?.map(|s| s.count) == Some(0),
        "decrement",
    )?;
    store.clear(key).map_err(e)?;
    ensure(store.peek(key).map_err(e)?.is_none(), "clear")?;

    // Delays are stored and enforced.
    let slow = CounterRule {
        limit: 10,
        window_secs: None,
        free_attempts: 1,
        base_delay_ms: 2_000,
        max_delay_ms: 2_000,
    };
    let k2 = "conformance:delay";
    store.hit(k2, &slow, T0).map_err(e)?;
    store.hit(k2, &slow, T0).map_err(e)?;
    ensure(
        matches!(
            store.hit(k2, &slow, T0 + Duration::seconds(1)).map_err(e)?,
            HitDecision::Delayed { .. }
        ),
        "a delayed hit is refused",
    )?;
    ensure(
        matches!(
            store.hit(k2, &slow, T0 + Duration::seconds(2)).map_err(e)?,
            HitDecision::Allowed { count: 3 }
        ),
        "after the delay the hit passes",
    )?;

    // Single use, also under parallel calls.
    let wins = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    store
                        .use_once("conformance:once", T0, T0 + Duration::hours(1))
                        .unwrap_or(false)
                })
            })
            .collect();
        hs_count(hs)
    });
    ensure(wins == 1, &format!("use_once granted {wins} times"))?;

    // Accounts round-trip.
    let mut acc = Account::new("conformance:user", "テスト 太郎", T0);
    acc.password_phc = Some("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into());
    acc.previous_phcs.push("old".into());
    store.put_account(&acc).map_err(e)?;
    ensure(
        store.account("conformance:user").map_err(e)?.as_ref() == Some(&acc),
        "account round-trip",
    )?;
    ensure(
        store.account_names().map_err(e)?.contains(&acc.user),
        "account listed",
    )?;
    ensure(
        store.account("conformance:nobody").map_err(e)?.is_none(),
        "unknown account",
    )?;

    // Tokens: taken once; dropping by user and purpose.
    let rec = TokenRecord {
        user: "conformance:user".into(),
        expires: T0,
        purpose: "reset".into(),
    };
    store.put_token("conformance:t1", &rec).map_err(e)?;
    store.put_token("conformance:t2", &rec).map_err(e)?;
    ensure(
        store.take_token("conformance:t1").map_err(e)?.as_ref() == Some(&rec),
        "token taken",
    )?;
    ensure(
        store.take_token("conformance:t1").map_err(e)?.is_none(),
        "token taken only once",
    )?;
    store.drop_tokens("conformance:user", "reset").map_err(e)?;
    ensure(
        store.take_token("conformance:t2").map_err(e)?.is_none(),
        "drop_tokens",
    )?;
    check_stuffing(store)
}

/// The stuffing window and alert: counts and distinct accounts survive parallel
/// writers, the window slides, and exactly one racing raise wins.
fn check_stuffing(store: &dyn GuardStore) -> Result<(), String> {
    let hit = |bucket: i64, user: &str, failed: bool| StuffingHit {
        bucket,
        account: account_hash(user),
        failed,
        unknown_user: !failed,
        breached_password: false,
    };
    // The store may already hold a window (a shared test database): work far later.
    let b0 = T0.unix_timestamp() / 10;
    ensure(
        store.stuffing_window(b0).map_err(e)?.stats.attempts == 0,
        "an empty window",
    )?;
    // 8 threads × 25 attempts on 50 accounts, in two buckets.
    let ok = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8)
            .map(|t| {
                s.spawn(move || {
                    (0..25).all(|i| {
                        let user = format!("conformance:acct{}", (t * 25 + i) % 50);
                        store
                            .stuffing_record(
                                &hit(b0 + i64::from(i % 2), &user, t % 2 == 0),
                                b0,
                                u32::MAX,
                            )
                            .is_ok()
                    })
                })
            })
            .collect();
        hs_count(hs)
    });
    ensure(ok == 8, "parallel stuffing_record calls failed")?;
    let w = store.stuffing_window(b0).map_err(e)?;
    ensure(
        w.stats.attempts == 200 && w.stats.failures == 100 && w.stats.unknown == 100,
        &format!("parallel stuffing counts: {:?}", w.stats),
    )?;
    ensure(
        w.stats.distinct_accounts == 50,
        &format!("distinct accounts: {} of 50", w.stats.distinct_accounts),
    )?;
    // The cap bounds the count of distinct accounts, not the attempts.
    let capped = store
        .stuffing_record(&hit(b0 + 1, "conformance:acct0", true), b0, 10)
        .map_err(e)?;
    ensure(
        capped.stats.distinct_accounts == 10 && capped.stats.attempts == 201,
        &format!("capped window: {:?}", capped.stats),
    )?;
    // The window slides: from bucket b0 + 1 on, only what was recorded there, and an
    // account seen in both buckets counts in the later one.
    let later = store
        .stuffing_record(&hit(b0 + 2, "conformance:acct1", true), b0 + 1, u32::MAX)
        .map_err(e)?;
    ensure(
        later.stats.attempts == 98,
        &format!("window from the second bucket: {:?}", later.stats),
    )?;
    ensure(
        later.stats.distinct_accounts == 25,
        &format!(
            "distinct accounts in the later buckets: {}",
            later.stats.distinct_accounts
        ),
    )?;
    ensure(
        store.stuffing_window(b0 + 100).map_err(e)?.stats == Default::default(),
        "a window after the attack is empty",
    )?;

    // The alert: exactly one of racing raises finds it off.
    let now = T0;
    let until = now + Duration::minutes(30);
    let wins = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8)
            .map(|_| s.spawn(move || store.stuffing_raise(until, now).unwrap_or(false)))
            .collect();
        hs_count(hs)
    });
    ensure(wins == 1, &format!("stuffing_raise won {wins} times"))?;
    ensure(
        store.stuffing_alert().map_err(e)? == Some(until),
        "the alert's end is stored",
    )?;
    // Extending does not raise again; an earlier end does not shorten it.
    let later_until = until + Duration::minutes(1);
    ensure(
        !store
            .stuffing_raise(later_until, now + Duration::minutes(1))
            .map_err(e)?,
        "extending an active alert is no new raise",
    )?;
    ensure(
        !store
            .stuffing_raise(until, now + Duration::minutes(2))
            .map_err(e)?,
        "an active alert stays",
    )?;
    ensure(
        store.stuffing_alert().map_err(e)? == Some(later_until),
        "the alert's end only moves later",
    )?;
    ensure(
        store.stuffing_window(b0).map_err(e)?.alert_until == Some(later_until),
        "the window read carries the alert",
    )?;
    // Once it lapsed, the next raise is a new alert.
    ensure(
        store
            .stuffing_raise(later_until + Duration::hours(1), later_until)
            .map_err(e)?,
        "a raise after the end is a new alert",
    )?;
    Ok(())
}

fn hs_count(hs: Vec<std::thread::ScopedJoinHandle<'_, bool>>) -> usize {
    hs.into_iter()
        .filter_map(|h| h.join().ok())
        .filter(|w| *w)
        .count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_store_conforms() {
        crate::check_store(&crate::MemoryStore::new()).unwrap();
    }
}

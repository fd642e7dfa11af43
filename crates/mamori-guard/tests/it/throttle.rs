//! Throttling invariants: limits hold under parallel attempts, refusals cost no
//! hash, attackers cannot lock the owner out, and name variants share one counter.

use crate::common::*;
use mamori_guard::*;
use proptest::prelude::*;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

fn attacker_ip(i: u32) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

#[test]
fn brute_force_on_one_account_stops_at_100_and_owner_keeps_a_way_in() {
    let h = harness();
    h.user("taro");
    // The owner logged in before from home; the browser keeps the device cookie.
    let LoginOutcome::Success(s) = h.login("taro", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    let device = s.new_device_token.unwrap();
    let secret = enrol_totp(&h, "taro");

    // The attacker rotates addresses and waits out every delay.
    let mut verified_guesses = 0;
    let mut locked = false;
    for i in 0..300u32 {
        let before = h.hashes();
        let o = h.login(
            "taro",
            &format!("guess number {i} for taro"),
            &attacker_ip(i),
        );
        match o {
            LoginOutcome::Failed => verified_guesses += 1,
            LoginOutcome::Throttled { retry_after_secs } => {
                assert_eq!(h.hashes(), before, "a throttled attempt costs no hash");
                h.clock.advance(Duration::seconds(retry_after_secs));
                continue;
            }
            LoginOutcome::Locked => {
                assert_eq!(h.hashes(), before, "a locked answer costs no hash");
                locked = true;
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(locked);
    assert_eq!(
        verified_guesses, 100,
        "NIST: at most 100 consecutive failures"
    );

    // The owner, from the known device: still gets in (own counter).
    let mut a = LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1"));
    a.device_token = Some(&device);
    let code = Totp::default().code_at(&secret, h.clock.now());
    a.second_factor = Some(SecondFactor::Totp(&code));
    let LoginOutcome::Success(s) = h.guard.login(&a).unwrap() else {
        panic!()
    };
    assert_eq!(s.failed_attempts, 100, "the owner is told about the attack");

    // The owner from a new phone: the password alone is refused, with TOTP it works.
    assert_eq!(
        h.login("taro", GOOD_PW, "203.0.113.8"),
        LoginOutcome::Locked
    );
    h.clock.advance(Duration::seconds(30));
    let code = Totp::default().code_at(&secret, h.clock.now());
    let mut b = LoginAttempt::new("taro", GOOD_PW, ip("203.0.113.8"));
    b.second_factor = Some(SecondFactor::Totp(&code));
    assert!(is_success(&h.guard.login(&b).unwrap()));
}

#[test]
fn delays_grow_after_free_attempts_and_reset_after_success() {
    let h = harness();
    h.user("taro");
    for _ in 0..3 {
        assert_eq!(
            h.login("taro", "wrong password here!", "198.51.100.1"),
            LoginOutcome::Failed
        );
    }
    assert_eq!(
        h.login("taro", "wrong password here!", "198.51.100.1"),
        LoginOutcome::Failed
    );
    assert_eq!(
        h.login("taro", GOOD_PW, "198.51.100.1"),
        LoginOutcome::Throttled {
            retry_after_secs: 1
        }
    );
    h.clock.advance(Duration::seconds(1));
    assert!(is_success(&h.login("taro", GOOD_PW, "198.51.100.1")));
    // Counter cleared: three free attempts again.
    for _ in 0..3 {
        assert_eq!(
            h.login("taro", "wrong password here!", "198.51.100.1"),
            LoginOutcome::Failed
        );
    }
}

#[test]
fn name_variants_share_one_counter_and_unknown_names_are_counted() {
    let h = harness();
    h.user("taro@example.jp");
    let variants = [
        "taro@example.jp",
        "TARO@EXAMPLE.JP",
        "ｔａｒｏ@example.jp",
        "taro+a@example.jp",
    ];
    for v in variants {
        assert_eq!(
            h.login(v, "wrong password here!", "198.51.100.1"),
            LoginOutcome::Failed
        );
    }
    assert!(matches!(
        h.login("taro+b@example.jp", "x-wrong password", "198.51.100.1"),
        LoginOutcome::Throttled { .. }
    ));
    // An unknown name behaves exactly the same (no enumeration through throttling).
    for _ in 0..4 {
        assert_eq!(
            h.login("ghost@example.jp", "wrong password here!", "198.51.100.2"),
            LoginOutcome::Failed
        );
    }
    assert!(matches!(
        h.login("ghost@example.jp", "x-wrong password", "198.51.100.2"),
        LoginOutcome::Throttled { .. }
    ));
}

#[test]
fn per_address_and_per_network_limits_stop_spraying_without_hashing() {
    let h = harness();
    for i in 0..200 {
        h.user(&format!("user{i}"));
    }
    // Password spraying from one address: one common password over many accounts.
    let mut failed = 0;
    for i in 0..200 {
        match h.login(&format!("user{i}"), "Summer2026!spray", "203.0.113.10") {
            LoginOutcome::Failed => failed += 1,
            LoginOutcome::Throttled { .. } => {}
            o => panic!("{o:?}"),
        }
    }
    assert_eq!(failed, 100, "100 attempts per address per 10 minutes");
    // The same from 250 addresses of one /24 (4 each): the network limit holds.
    let h = harness_with(|c| c.throttle.network.limit = 300);
    let before = h.hashes();
    let mut passed = 0;
    for i in 0..1000u32 {
        let src = format!("203.0.113.{}", i % 250);
        if !matches!(
            h.login(&format!("user{i}"), "Summer2026!spray", &src),
            LoginOutcome::Throttled { .. }
        ) {
            passed += 1;
        }
    }
    assert_eq!(passed, 300);
    assert!(
        h.hashes() - before <= 300,
        "refused attempts computed no hash"
    );
    // IPv6: one /64 is one network.
    let h = harness_with(|c| c.throttle.network.limit = 10);
    for i in 0..20 {
        let src = format!("2001:db8:0:1::{:x}", i + 1);
        let o = h.login(&format!("v6user{i}"), "Summer2026!spray", &src);
        assert_eq!(o == LoginOutcome::Failed, i < 10, "attempt {i}: {o:?}");
    }
}

#[test]
fn parallel_threads_cannot_exceed_the_account_limit() {
    let h = harness_with(|c| {
        c.throttle.account.free_attempts = u32::MAX; // no delays: only the limit
        c.throttle.ip.limit = u32::MAX;
        c.throttle.network.limit = u32::MAX;
    });
    h.user("taro");
    let before = h.hashes();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let g = h.guard.clone();
            std::thread::spawn(move || {
                let mut failed = 0;
                for i in 0..40 {
                    let pw = format!("thread {t} guess {i} xx");
                    let o = g
                        .login(&LoginAttempt::new(
                            "taro",
                            &pw,
                            ip(&format!("10.0.{t}.{i}")),
                        ))
                        .unwrap();
                    if o == LoginOutcome::Failed {
                        failed += 1;
                    } else {
                        assert_eq!(o, LoginOutcome::Locked);
                    }
                }
                failed
            })
        })
        .collect();
    let failed: u32 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(failed, 100);
    assert_eq!(h.hashes() - before, 100);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any interleaving of parallel attempts (each: counted hit, then maybe a success
    /// that clears) never lets more than `limit` attempts through between clears,
    /// and never lets one through before its delay has run.
    #[test]
    fn no_interleaving_exceeds_the_limit(
        limit in 1u32..20,
        free in 0u32..5,
        base_ms in 0i64..3000,
        steps in proptest::collection::vec((0u8..3, 0i64..5000), 1..300),
    ) {
        let rule = CounterRule { limit, window_secs: None, free_attempts: free, base_delay_ms: base_ms, max_delay_ms: 60_000 };
        let store = MemoryStore::new();
        let mut now = OffsetDateTime::UNIX_EPOCH;
        let mut since_clear = 0u32;
        let mut last_allowed: Option<OffsetDateTime> = None;
        let mut count = 0u32;
        for (op, dt) in steps {
            now += Duration::milliseconds(dt);
            match op {
                0 | 1 => match store.hit("acct:x", &rule, now).unwrap() {
                    HitDecision::Allowed { count: c } => {
                        since_clear += 1;
                        count = c;
                        if let Some(t) = last_allowed {
                            prop_assert!(now - t >= rule.delay_after(c - 1), "delay skipped");
                        }
                        last_allowed = Some(now);
                    }
                    HitDecision::Delayed { until } => prop_assert!(until > now),
                    HitDecision::LimitReached { .. } => prop_assert_eq!(count, limit),
                },
                _ => {
                    store.clear("acct:x").unwrap();
                    since_clear = 0;
                    count = 0;
                    last_allowed = None;
                }
            }
            prop_assert!(since_clear <= limit);
        }
    }
}

#[test]
fn stuffing_guard_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Guard>();
    assert_send_sync::<Arc<Guard>>();
}

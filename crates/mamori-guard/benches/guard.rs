//! Criterion benchmarks of mamori-guard's hot paths.
//!
//! * `decision/*`: a refused attempt (account locked, address throttled, step-up
//!   during a stuffing alert). Target ≤ 20 µs; none of them computes a hash.
//! * `verify_default/threads=N`: Argon2id verification at the default cost
//!   (m=19456 KiB, t=2, p=1) on 1 and 2 threads; time per verification.
//!
//! Run: `cargo bench -p mamori-guard --bench guard`

// A benchmark that cannot set itself up should stop loudly.
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mamori_guard::*;
use std::hint::black_box;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::datetime;

const PW: &str = "violet lantern gravel orbit";

fn guard(config: GuardConfig) -> (Guard, Arc<MemoryStore>, ManualClock) {
    let clock = ManualClock::new(datetime!(2026-04-01 09:00 UTC));
    let store = Arc::new(MemoryStore::new());
    let g = Guard::new(
        config,
        store.clone(),
        Arc::new(NullNotifier),
        Arc::new(clock.clone()),
        Arc::new(OsRandom),
    )
    .unwrap();
    (g, store, clock)
}

fn decisions(c: &mut Criterion) {
    // Default (expensive) hashing, so that an accidental hash would show at once.
    let mut cfg = GuardConfig::new("bench-shop", [1; 32]);
    cfg.throttle.ip.limit = u32::MAX;
    cfg.throttle.network.limit = u32::MAX;
    let (g, store, clock) = guard(cfg.clone());
    g.create_account("victim", "victim", PW).unwrap().unwrap();
    let no_delay = CounterRule {
        free_attempts: u32::MAX,
        ..cfg.throttle.account
    };
    while let HitDecision::Allowed { .. } =
        store.hit("acct:victim", &no_delay, clock.now()).unwrap()
    {}
    let src: IpAddr = "203.0.113.5".parse().unwrap();
    let attempt = LoginAttempt::new("victim", "some guess of the attacker", src);
    assert_eq!(g.login(&attempt).unwrap(), LoginOutcome::Locked);
    let hashes = g.hasher().hashes_computed();
    let mut group = c.benchmark_group("decision");
    group.bench_function("account_locked", |b| {
        b.iter(|| black_box(g.login(black_box(&attempt)).unwrap()))
    });
    assert_eq!(g.hasher().hashes_computed(), hashes, "no hash computed");

    // An address over its limit.
    let mut cfg2 = GuardConfig::new("bench-shop", [1; 32]);
    cfg2.throttle.ip.limit = 1;
    let (g2, _, _) = guard(cfg2);
    let a2 = LoginAttempt::new("someone", "guess", src);
    g2.login(&a2).unwrap();
    assert!(matches!(
        g2.login(&a2).unwrap(),
        LoginOutcome::Throttled { .. }
    ));
    group.bench_function("address_throttled", |b| {
        b.iter(|| black_box(g2.login(black_box(&a2)).unwrap()))
    });

    // A stuffing alert: every attempt without a second factor is asked to step up.
    let mut cfg3 = GuardConfig::new("bench-shop", [1; 32]).insecure_fast_hashing();
    cfg3.throttle.ip.limit = u32::MAX;
    cfg3.throttle.network.limit = u32::MAX;
    cfg3.stuffing.min_attempts = 50;
    let (g3, _, _) = guard(cfg3);
    let mut i = 0u32;
    while !g3.under_attack().unwrap() {
        let u = format!("u{i}");
        g3.login(&LoginAttempt::new(&u, "guess", src)).unwrap();
        i += 1;
    }
    let a3 = LoginAttempt::new("anyone", "guess", src);
    assert_eq!(g3.login(&a3).unwrap(), LoginOutcome::StepUpRequired);
    group.bench_function("step_up_during_alert", |b| {
        b.iter(|| black_box(g3.login(black_box(&a3)).unwrap()))
    });
    group.finish();
}

fn verify_default(c: &mut Criterion) {
    let h = PasswordHasher::new(HashParams::default(), None).unwrap();
    let phc = h.hash(PW, &OsRandom).unwrap();
    let mut group = c.benchmark_group("verify_default");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for threads in [1usize, 2] {
        group.throughput(Throughput::Elements(threads as u64));
        group.bench_function(format!("threads={threads}"), |b| {
            // One iteration = one verification on each thread, in parallel.
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| {
                            for _ in 0..iters {
                                black_box(h.verify(PW, &phc, &OsRandom).unwrap());
                            }
                        });
                    }
                });
                start.elapsed()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decisions, verify_default);
criterion_main!(benches);

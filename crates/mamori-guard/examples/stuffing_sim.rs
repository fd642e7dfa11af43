//! A simulated credential-stuffing run: 100,000 attempts against 10,000 accounts
//! from a 1,000-address botnet, with the real users logging in throughout. Prints
//! the legitimate users' success rate and the latency the guard adds for them.
//!
//! Run: `cargo run --profile bench -p mamori-guard --example stuffing_sim`
//!
//! Hashing uses cheap test parameters so that the run takes seconds: Argon2id at the
//! default cost adds the same ~tens of milliseconds to every login with or without
//! the guard (see `benches/guard.rs`), so it is not latency the guard adds.

// An example that cannot set itself up should stop loudly.
#![allow(clippy::unwrap_used)]

use mamori_guard::*;
use std::sync::Arc;
use std::time::Instant;
use time::Duration;
use time::macros::datetime;

const ACCOUNTS: u64 = 10_000;
const WITH_TOTP: u64 = 3_000;
const ATTEMPTS: u64 = 100_000;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let clock = ManualClock::new(datetime!(2026-04-01 09:00 UTC));
    let store = Arc::new(MemoryStore::new());
    let g = Guard::new(
        GuardConfig::new("sim-shop", [3; 32]).insecure_fast_hashing(),
        store.clone(),
        Arc::new(NullNotifier),
        Arc::new(clock.clone()),
        Arc::new(SeededRandom::new(1)),
    )
    .unwrap();
    let secret = |i: u64| format!("totp-secret-of-member-{i}").into_bytes();
    for i in 0..ACCOUNTS {
        let mut acc = Account::new(format!("member{i}"), format!("member{i}"), clock.now());
        acc.password_phc = Some(
            g.hasher()
                .hash(
                    &format!("own passphrase of member {i}"),
                    &SeededRandom::new(i),
                )
                .unwrap(),
        );
        if i < WITH_TOTP {
            acc.totp = Some(TotpEnrollment {
                secret: secret(i),
                last_step: None,
            });
        }
        store.put_account(&acc).unwrap();
    }

    let mut rng = Lcg(2026);
    let (mut attack_tries, mut valid_pairs_tried, mut attack_wins) = (0u64, 0u64, 0u64);
    let (mut legit_tries, mut legit_ok, mut legit_first_try, mut legit_step_up) =
        (0u64, 0u64, 0u64, 0u64);
    let mut legit_wait_s: Vec<f64> = Vec::new();
    let mut legit_code_waits = 0u64;
    let mut legit_cpu_us: Vec<f64> = Vec::new();
    let mut detected_after = None;
    let started = Instant::now();

    for step in 0..ATTEMPTS {
        clock.advance(Duration::milliseconds(50)); // 20 attempts a second, ~83 minutes
        if step % 20 == 10 {
            // A real user at home, with a TOTP app if enrolled.
            let i = rng.next(ACCOUNTS);
            let user = format!("member{i}");
            let pw = format!("own passphrase of member {i}");
            let home = format!("192.0.{}.{}", 2 + (i / 250) % 8, i % 250);
            let totp = (i < WITH_TOTP).then(|| secret(i));
            legit_tries += 1;
            let mut waited = 0i64;
            let mut step_up = false;
            let mut retried_code = false;
            let t = Instant::now();
            let o = loop {
                let code = totp
                    .as_ref()
                    .map(|s| Totp::default().code_at(s, clock.now()));
                let mut a = LoginAttempt::new(&user, &pw, home.parse().unwrap());
                a.second_factor = code.as_deref().map(SecondFactor::Totp);
                a.step_up_passed = step_up;
                match g.login(&a).unwrap() {
                    LoginOutcome::StepUpRequired if !step_up => {
                        legit_step_up += 1;
                        step_up = true; // the site's own extra check (mail link)
                    }
                    LoginOutcome::Throttled { retry_after_secs } if waited < 600 => {
                        waited += retry_after_secs;
                        clock.advance(Duration::seconds(retry_after_secs));
                    }
                    // The code was used a moment ago (same 30 s step): the app shows
                    // the next one; the user waits for it.
                    LoginOutcome::Failed if totp.is_some() && !retried_code => {
                        retried_code = true;
                        legit_code_waits += 1;
                        let wait = 30 - clock.now().unix_timestamp() % 30;
                        waited += wait;
                        clock.advance(Duration::seconds(wait));
                    }
                    other => break other,
                }
            };
            let first = !step_up && waited == 0;
            legit_cpu_us.push(t.elapsed().as_secs_f64() * 1e6);
            legit_wait_s.push(waited as f64);
            if matches!(o, LoginOutcome::Success(_)) {
                legit_ok += 1;
                legit_first_try += u64::from(first);
            } else {
                eprintln!("legitimate login refused: {user} at attempt {step}: {o:?}");
            }
            continue;
        }
        attack_tries += 1;
        let src = format!("100.{}.{}.9", 64 + (step % 1000) / 250, step % 250);
        let (user, pw) = match rng.next(100) {
            0 => {
                let i = rng.next(ACCOUNTS);
                valid_pairs_tried += 1;
                (
                    format!("member{i}"),
                    format!("own passphrase of member {i}"),
                )
            }
            1..=40 => (
                format!("member{}", rng.next(ACCOUNTS)),
                format!("leaked-{}", rng.next(1 << 30)),
            ),
            _ => (
                format!("stranger{}", rng.next(1 << 30)),
                format!("leaked-{}", rng.next(1 << 30)),
            ),
        };
        if matches!(
            g.login(&LoginAttempt::new(&user, &pw, src.parse().unwrap()))
                .unwrap(),
            LoginOutcome::Success(_)
        ) {
            attack_wins += 1;
        }
        if detected_after.is_none() && g.under_attack().unwrap() {
            detected_after = Some(step);
        }
    }

    println!(
        "mamori-guard stuffing simulation ({:.1} s wall)",
        started.elapsed().as_secs_f64()
    );
    println!(
        "  accounts {ACCOUNTS} ({WITH_TOTP} with TOTP), attempts {ATTEMPTS} ({attack_tries} attacker, {legit_tries} legitimate), 1,000 attacker addresses"
    );
    println!(
        "  detected after attempt #{}",
        detected_after.map_or("never".into(), |d| d.to_string())
    );
    println!(
        "  attacker: {valid_pairs_tried} valid leaked pairs tried, {attack_wins} logins obtained"
    );
    println!(
        "  legitimate: success {:.2} % ({legit_ok}/{legit_tries}); first try {:.2} %; asked to step up {:.2} %",
        100.0 * legit_ok as f64 / legit_tries as f64,
        100.0 * legit_first_try as f64 / legit_tries as f64,
        100.0 * legit_step_up as f64 / legit_tries as f64,
    );
    println!(
        "  legitimate logins that reused a TOTP code within its 30 s and waited for the next: {legit_code_waits}"
    );
    println!(
        "  legitimate added latency: wait (throttle or next TOTP code) p99 {:.0} s (max {:.0} s); guard compute p50 {:.1} µs, p99 {:.1} µs (cheap hash included)",
        percentile(&mut legit_wait_s.clone(), 0.99),
        percentile(&mut legit_wait_s, 1.0),
        percentile(&mut legit_cpu_us.clone(), 0.50),
        percentile(&mut legit_cpu_us, 0.99),
    );
}

//! Simulated attacks with the injected clock: credential stuffing and password
//! spraying from 1,000 sources while the real users keep logging in.

use crate::common::*;
use mamori_guard::*;
use std::collections::HashSet;
use time::Duration;

/// A tiny deterministic generator for the simulation's choices.
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

fn source(i: u64) -> String {
    // 1,000 sources spread over 1,000 different /24 networks (a botnet).
    format!("100.{}.{}.7", 64 + (i / 250), i % 250)
}

/// Accounts with their own passwords; the first `with_totp` also have TOTP.
fn population(h: &Harness, n: usize, with_totp: usize) -> Vec<Option<Vec<u8>>> {
    let mut secrets = Vec::new();
    for i in 0..n {
        let user = format!("member{i}");
        let mut acc = Account::new(user.clone(), user.clone(), T0);
        acc.password_phc = Some(
            h.guard
                .hasher()
                .hash(
                    &format!("own passphrase of member {i}"),
                    &SeededRandom::new(i as u64),
                )
                .unwrap(),
        );
        if i < with_totp {
            let secret = format!("totp-secret-of-member-{i}").into_bytes();
            acc.totp = Some(TotpEnrollment {
                secret: secret.clone(),
                last_step: None,
            });
            secrets.push(Some(secret));
        } else {
            secrets.push(None);
        }
        h.store.put_account(&acc).unwrap();
    }
    secrets
}

#[test]
fn credential_stuffing_from_1000_sources_is_detected_and_stopped_while_users_log_in() {
    let h = harness();
    let n_accounts = 2_000;
    let secrets = population(&h, n_accounts, 400);
    let mut rng = Lcg(7);
    let mut attacker_wins_before = 0;
    let mut attacker_wins_after = 0;
    let mut compromised_2fa = 0;
    let mut detected_at: Option<usize> = None;
    let mut legit_ok = 0;
    let mut legit_tries = 0;
    let mut legit_extra_steps = 0;
    let mut seen_users = HashSet::new();

    for step in 0..3_000usize {
        h.clock.advance(Duration::milliseconds(200)); // 5 attempts a second, 10 minutes
        // The attacker: a leaked list from another site; half the names do not exist
        // here, 1 % of the pairs are reused passwords that work.
        let src = source(step as u64 % 1_000);
        let (user, pw) = match rng.next(100) {
            0 => {
                let i = rng.next(n_accounts as u64);
                (
                    format!("member{i}"),
                    format!("own passphrase of member {i}"),
                )
            }
            1..=49 => (
                format!("member{}", rng.next(n_accounts as u64)),
                format!("leaked-{}", rng.next(1 << 30)),
            ),
            _ => (
                format!("stranger{}", rng.next(1 << 30)),
                format!("leaked-{}", rng.next(1 << 30)),
            ),
        };
        let o = h.login(&user, &pw, &src);
        if h.guard.under_attack().unwrap() && detected_at.is_none() {
            detected_at = Some(step);
        }
        if is_success(&o) {
            let i: usize = user.trim_start_matches("member").parse().unwrap();
            if secrets[i].is_some() {
                compromised_2fa += 1;
            }
            if detected_at.is_some() {
                attacker_wins_after += 1;
            } else {
                attacker_wins_before += 1;
            }
        }

        // Every tenth step a real user logs in from home.
        if step % 10 == 5 {
            let i = rng.next(n_accounts as u64) as usize;
            let user = format!("member{i}");
            let pw = format!("own passphrase of member {i}");
            let home = format!("192.0.2.{}", i % 250);
            legit_tries += 1;
            seen_users.insert(i);
            let mut a = LoginAttempt::new(&user, &pw, ip(&home));
            let code = secrets[i]
                .as_ref()
                .map(|s| Totp::default().code_at(s, h.clock.now()));
            if let Some(c) = &code {
                a.second_factor = Some(SecondFactor::Totp(c));
            }
            let mut o = h.guard.login(&a).unwrap();
            if o == LoginOutcome::StepUpRequired {
                // The site shows its own extra check (a mail link); the user passes it.
                legit_extra_steps += 1;
                a.step_up_passed = true;
                o = h.guard.login(&a).unwrap();
            }
            if is_success(&o) {
                legit_ok += 1;
            } else {
                panic!("real user {user} refused at step {step}: {o:?}");
            }
        }
    }

    let detected_at = detected_at.expect("stuffing detected");
    eprintln!(
        "stuffing: detected after {detected_at} attempts; attacker wins before {attacker_wins_before}, after {attacker_wins_after}; \
         real users {legit_ok}/{legit_tries} (extra step {legit_extra_steps})"
    );
    assert!(
        detected_at <= 250,
        "detected within the first 250 attempts, was {detected_at}"
    );
    assert_eq!(attacker_wins_after, 0, "nothing gets through once detected");
    assert_eq!(
        compromised_2fa, 0,
        "accounts with a second factor never fall"
    );
    assert!(attacker_wins_before <= 5, "{attacker_wins_before}");
    assert_eq!(legit_ok, legit_tries, "every real user got in");

    // The police-report trail: the detection event and the attempts, tagged.
    let ev = h.notifier.events();
    let detection = ev
        .iter()
        .find(|e| e.reason.starts_with("stuffing_detected"))
        .expect("detection event");
    assert_eq!(detection.attack, Some(Attack::CredentialStuffing));
    let tagged = ev
        .iter()
        .filter(|e| {
            e.attack == Some(Attack::CredentialStuffing) && e.kind == EventKind::AuthFailure
        })
        .count();
    assert!(
        tagged > 2_000,
        "attempts after detection carry the attack tag: {tagged}"
    );
    let sources: HashSet<_> = ev
        .iter()
        .filter(|e| e.attack == Some(Attack::CredentialStuffing))
        .filter_map(|e| e.source)
        .collect();
    assert!(
        sources.len() >= 900,
        "sources recorded for the report: {}",
        sources.len()
    );
}

#[test]
fn password_spraying_from_1000_sources_gets_nothing() {
    let h = harness();
    population(&h, 1_000, 0);
    // Spraying uses the commonest passwords; the policy never let users pick them.
    let sprayed = ["password", "123456789012345", "qwertyuiop", "P@ssw0rd2026"];
    for pw in sprayed {
        let r = h
            .guard
            .check_password(pw, Some("member1"), None, false, &[])
            .unwrap();
        assert!(r.is_some(), "{pw} would be refused at registration");
    }
    let mut wins = 0;
    for step in 0..4_000u64 {
        h.clock.advance(Duration::milliseconds(150));
        let pw = sprayed[(step / 1_000) as usize];
        if is_success(&h.login(
            &format!("member{}", step % 1_000),
            pw,
            &source(step % 1_000),
        )) {
            wins += 1;
        }
    }
    assert_eq!(wins, 0);
    assert!(
        h.guard.under_attack().unwrap(),
        "spraying raises the site-wide signal"
    );
}

//! The guard: one login decision, composed of throttling, the stuffing signal,
//! password verification, second factors and account hygiene.
//!
//! Architecture invariant: every refusal that comes from a counter is decided before
//! a password hash is computed, so an attacker cannot make the guard burn CPU.

use crate::account::AccountStatus;
use crate::config::GuardConfig;
use crate::corpus::{self, BreachedPasswords};
use crate::env::{Clock, SecureRandom};
use crate::error::GuardError;
use crate::error::Result;
use crate::event::{Attack, AuthEvent, EventKind, Notifier, OwnerNotice};
use crate::outcome::{LoginAttempt, LoginOutcome, SecondFactor};
use crate::password::PasswordHasher;
use crate::store::{GuardStore, HitDecision};
use crate::stuffing::{AlertChange, AttemptSignal, StuffingDetector};
use crate::throttle::{account_key, canonical_ip, device_key, ip_key, net_key};
use crate::webauthn::PasskeyService;
use std::net::IpAddr;
use std::sync::Arc;
use time::OffsetDateTime;

pub(crate) enum FactorCheck {
    Ok,
    Bad,
    Throttled(i64),
}

/// The login guard. Cheap to share: wrap it in an `Arc`.
pub struct Guard {
    pub(crate) config: GuardConfig,
    pub(crate) hasher: PasswordHasher,
    pub(crate) store: Arc<dyn GuardStore>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) rng: Arc<dyn SecureRandom>,
    pub(crate) stuffing: StuffingDetector,
    pub(crate) breached: Option<Arc<dyn BreachedPasswords>>,
    pub(crate) passkeys: std::sync::OnceLock<PasskeyService>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

pub(crate) fn retry_secs(until: Option<OffsetDateTime>, now: OffsetDateTime) -> i64 {
    until.map_or(600, |u| (u - now).whole_seconds().max(1))
}

/// Successful logins kept per account for the owner's usage record.
pub const RECENT_LOGINS: usize = 20;

pub(crate) fn device_digest(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

impl Guard {
    /// A guard over `store`, sending events to `notifier`.
    pub fn new(
        config: GuardConfig,
        store: Arc<dyn GuardStore>,
        notifier: Arc<dyn Notifier>,
        clock: Arc<dyn Clock>,
        rng: Arc<dyn SecureRandom>,
    ) -> Result<Guard> {
        let hasher = PasswordHasher::new(config.hash, config.pepper.clone())?;
        Ok(Guard {
            stuffing: StuffingDetector::new(config.stuffing.clone()),
            config,
            hasher,
            store,
            notifier,
            clock,
            rng,
            breached: None,
            passkeys: std::sync::OnceLock::new(),
        })
    }

    /// Also refuse passwords found in this breach corpus (HIBP range files).
    pub fn with_breached(mut self, corpus: Arc<dyn BreachedPasswords>) -> Self {
        self.breached = Some(corpus);
        self
    }

    /// Enables passkeys.
    pub fn with_passkeys(self, service: PasskeyService) -> Self {
        // A fresh guard has none yet, so this cannot fail.
        let _ = self.passkeys.set(service);
        self
    }

    /// Enables passkeys on a guard already shared (a server learns its public
    /// origin after the guard is built). Refused if they are already enabled.
    pub fn enable_passkeys(&self, service: PasskeyService) -> Result<()> {
        self.passkeys
            .set(service)
            .map_err(|_| GuardError::Config("passkeys are already enabled".into()))
    }

    /// The passkey relying party, if passkeys are enabled.
    pub fn passkey_service(&self) -> Option<&PasskeyService> {
        self.passkeys.get()
    }

    /// Counts the start of a passkey sign-in from `source` against the
    /// per-address limit of logins (its own counter: each start stores a
    /// challenge, so an address cannot flood the server with them); `false` when
    /// the address is over it.
    pub fn passkey_start_allowed(&self, source: IpAddr) -> Result<bool> {
        let key = format!("passkey-start:{}", canonical_ip(source));
        Ok(matches!(
            self.store
                .hit(&key, &self.config.throttle.ip, self.clock.now())?,
            HitDecision::Allowed { .. }
        ))
    }

    /// Whether a login of `acc` comes from a known place: a device token this account
    /// was given at an earlier login, or a network ([`crate::stepup_network`]) it
    /// signed in from within `known_network_days`.
    pub(crate) fn known_place(
        &self,
        acc: &crate::account::Account,
        device_token: Option<&str>,
        ip: IpAddr,
        now: OffsetDateTime,
    ) -> bool {
        let device = device_token
            .map(device_digest)
            .is_some_and(|d| acc.known_devices.contains(&d));
        let since = now - time::Duration::days(self.config.stuffing.known_network_days);
        device || acc.knows_network(&crate::stuffing::stepup_network(ip), since)
    }

    /// The configuration.
    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// The password hasher (same parameters and pepper as logins).
    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    /// Whether the credential-stuffing friction is on now (in the store, so on every
    /// server sharing it).
    pub fn under_attack(&self) -> Result<bool> {
        self.stuffing
            .alert_active(self.store.as_ref(), self.clock.now())
    }

    /// The stuffing detector's current window.
    pub fn stuffing_stats(&self) -> Result<crate::stuffing::StuffingStats> {
        self.stuffing.stats(self.store.as_ref(), self.clock.now())
    }

    /// Emits an event; a failure without a known attack is labelled credential
    /// stuffing while the alert is on.
    pub(crate) fn event(
        &self,
        now: OffsetDateTime,
        kind: EventKind,
        attack: Option<Attack>,
        source: IpAddr,
        user: &str,
        reason: &str,
    ) {
        let attack = attack.or_else(|| {
            // Only a label: a store error here leaves the event unlabelled, while
            // the login path reads the alert with errors passed on.
            (kind == EventKind::AuthFailure
                && self
                    .stuffing
                    .alert_active(self.store.as_ref(), now)
                    .unwrap_or(false))
            .then_some(Attack::CredentialStuffing)
        });
        self.emit(now, kind, attack, source, user, reason);
    }

    /// Emits an event as it is.
    fn emit(
        &self,
        now: OffsetDateTime,
        kind: EventKind,
        attack: Option<Attack>,
        source: IpAddr,
        user: &str,
        reason: &str,
    ) {
        self.notifier.event(&AuthEvent {
            time: now,
            kind,
            attack,
            source: Some(source),
            user: Some(user.to_string()),
            reason: reason.to_string(),
        });
    }

    /// Feeds one attempt to the stuffing window; `true` while the alert is on. The
    /// server whose attempt raised the alert (one, even when several race) reports it.
    pub(crate) fn signal(
        &self,
        now: OffsetDateTime,
        s: AttemptSignal<'_>,
        source: IpAddr,
    ) -> Result<bool> {
        let store = self.store.as_ref();
        let recorded = self.stuffing.record(store, s, now)?;
        if recorded.change == AlertChange::Raised {
            let st = self.stuffing.stats(store, now)?;
            self.notifier.event(&AuthEvent {
                time: now,
                kind: EventKind::AuthFailure,
                attack: Some(Attack::CredentialStuffing),
                source: Some(source),
                user: None,
                reason: format!(
                    "stuffing_detected attempts={} failures={} accounts={} unknown={} breached={}",
                    st.attempts, st.failures, st.distinct_accounts, st.unknown, st.breached
                ),
            });
        }
        Ok(recorded.alert_active)
    }

    /// Whether `password` is on the common list or in the breach corpus.
    fn known_breached(&self, password: &str) -> bool {
        !password.is_empty()
            && (corpus::common_rank(&password.to_lowercase()).is_some()
                || self
                    .breached
                    .as_ref()
                    .is_some_and(|b| b.times_seen(password).ok().flatten().is_some()))
    }

    fn fail(
        &self,
        now: OffsetDateTime,
        ip: IpAddr,
        user: &str,
        known: bool,
        password: &str,
        reason: &str,
    ) -> Result<LoginOutcome> {
        // Only failed attempts that already paid a hash get here, so the range-file
        // read does not give an attacker a cheaper way to load the server.
        let breached = self.known_breached(password);
        let alert = self.signal(
            now,
            AttemptSignal {
                user,
                failed: true,
                unknown_user: !known,
                breached_password: breached,
            },
            ip,
        )?;
        let attack = alert.then_some(Attack::CredentialStuffing);
        self.emit(now, EventKind::AuthFailure, attack, ip, user, reason);
        Ok(LoginOutcome::Failed)
    }

    /// Counts an attempt from `ip` against the per-address and per-network limits.
    /// `Some(until)` (when known) means refused: the event is emitted here.
    pub(crate) fn source_throttled(
        &self,
        ip: IpAddr,
        user: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Option<OffsetDateTime>>> {
        let t = &self.config.throttle;
        for (key, rule) in [(ip_key(ip), &t.ip), (net_key(ip), &t.network)] {
            let until = match self.store.hit(&key, rule, now)? {
                HitDecision::Allowed { .. } => continue,
                HitDecision::Delayed { until } => Some(until),
                HitDecision::LimitReached { until } => until,
            };
            self.event(
                now,
                EventKind::AuthFailure,
                None,
                ip,
                user,
                "throttled_source",
            );
            return Ok(Some(until));
        }
        Ok(None)
    }

    /// Decides one login attempt.
    pub fn login(&self, a: &LoginAttempt<'_>) -> Result<LoginOutcome> {
        let now = self.clock.now();
        let user = self.config.usernames.normalize(a.username);
        let ip = canonical_ip(a.source);
        let t = &self.config.throttle;

        // 1. Per address and network: no hash, no account lookup.
        if let Some(until) = self.source_throttled(ip, &user, now)? {
            return Ok(LoginOutcome::Throttled {
                retry_after_secs: retry_secs(until, now),
            });
        }

        // 2. During a stuffing alert every attempt needs a step up, told before any
        // hash so that the answer does not reveal whether the pair was right. A
        // second factor is one; so is a known device (its cookie) or a network the
        // account signed in from before, which a password-only user can pass
        // without a CAPTCHA, so the alert never locks them out.
        let alert = self.stuffing.alert_active(self.store.as_ref(), now)?;
        let mut account = self.store.account(&user)?;
        let known_place = alert
            && account
                .as_ref()
                .is_some_and(|acc| self.known_place(acc, a.device_token, ip, now));
        if alert && a.second_factor.is_none() && !a.step_up_passed && !known_place {
            self.signal(
                now,
                AttemptSignal {
                    user: &user,
                    failed: true,
                    unknown_user: false,
                    breached_password: false,
                },
                ip,
            )?;
            self.event(
                now,
                EventKind::AuthFailure,
                Some(Attack::CredentialStuffing),
                ip,
                &user,
                "step_up_required",
            );
            return Ok(LoginOutcome::StepUpRequired);
        }

        // 3. Per account (or per account and known device).
        let device = match (a.device_token, &account) {
            (Some(tok), Some(acc)) => {
                let d = device_digest(tok);
                acc.known_devices.contains(&d).then_some(d)
            }
            _ => None,
        };
        let (acct_key, rule) = match &device {
            Some(d) => (device_key(&user, d), &t.known_device),
            None => (account_key(&user), &t.account),
        };
        let mut factor_done = false;
        let mut counted = true;
        match self.store.hit(&acct_key, rule, now)? {
            HitDecision::Allowed { .. } => {}
            denied => {
                counted = false;
                // The owner's way in while the account is under attack: a second
                // factor, checked first (it is cheap and has its own counter).
                let until = match denied {
                    HitDecision::Delayed { until } => Some(until),
                    HitDecision::LimitReached { until } => until,
                    HitDecision::Allowed { .. } => None,
                };
                match (account.as_mut(), &a.second_factor) {
                    (Some(acc), Some(f))
                        if acc.has_second_factor()
                            || matches!(f, SecondFactor::RecoveryCode(_)) =>
                    {
                        match self.check_factor(acc, f, now, ip)? {
                            FactorCheck::Ok => factor_done = true,
                            FactorCheck::Bad => {
                                return self.fail(now, ip, &user, true, "", "second_factor_failed");
                            }
                            FactorCheck::Throttled(s) => {
                                return Ok(LoginOutcome::Throttled {
                                    retry_after_secs: s,
                                });
                            }
                        }
                    }
                    _ => {
                        let limit = matches!(denied, HitDecision::LimitReached { .. });
                        self.event(
                            now,
                            EventKind::AuthFailure,
                            Some(Attack::BruteForce),
                            ip,
                            &user,
                            if limit {
                                "account_locked"
                            } else {
                                "throttled_account"
                            },
                        );
                        self.signal(
                            now,
                            AttemptSignal {
                                user: &user,
                                failed: true,
                                unknown_user: account.is_none(),
                                breached_password: false,
                            },
                            ip,
                        )?;
                        return Ok(if limit && until.is_none() {
                            LoginOutcome::Locked
                        } else {
                            LoginOutcome::Throttled {
                                retry_after_secs: retry_secs(until, now),
                            }
                        });
                    }
                }
            }
        }

        // 4. The password: the only place a hash is computed.
        let Some(mut acc) = account else {
            self.hasher.verify_dummy(a.password);
            return self.fail(now, ip, &user, false, a.password, "unknown_user");
        };
        let Some(phc) = acc.password_phc.clone() else {
            self.hasher.verify_dummy(a.password);
            return self.fail(now, ip, &user, true, a.password, "no_password");
        };
        let verified = self.hasher.verify(a.password, &phc, self.rng.as_ref())?;
        if !verified.is_ok() {
            if factor_done {
                self.store.put_account(&acc)?;
            }
            return self.fail(now, ip, &user, true, a.password, "bad_password");
        }
        if let crate::password::Verified::YesRehashed(new) = &verified {
            acc.password_phc = Some(new.clone());
        }
        if acc.status != AccountStatus::Active {
            self.store.put_account(&acc)?;
            self.event(
                now,
                EventKind::AuthFailure,
                None,
                ip,
                &user,
                "account_disabled",
            );
            return Ok(LoginOutcome::Disabled);
        }

        // NIST SP 800-63B-4: a password known to be compromised must be changed.
        // Checked on each successful password, since breach lists grow.
        if !acc.must_reset && self.known_breached(a.password) {
            acc.must_reset = true;
            self.notifier
                .notify_owner(&user, &OwnerNotice::CredentialsExposed, now);
        }

        // 5. Second factor.
        let needs_factor = acc.has_second_factor() || self.config.require_second_factor || alert;
        let stepped_up = a.step_up_passed || known_place;
        if needs_factor && !factor_done && !(alert && stepped_up && !acc.has_second_factor()) {
            match &a.second_factor {
                None if acc.has_second_factor() => {
                    let grid_challenge = match acc.grid_card.as_mut() {
                        Some(card) => card
                            .challenge(self.rng.as_ref())
                            .map(|c| c.iter().map(|r| r.label()).collect()),
                        None => None,
                    };
                    self.store.put_account(&acc)?;
                    return Ok(LoginOutcome::SecondFactorRequired {
                        methods: acc.factors(),
                        grid_challenge,
                    });
                }
                None => return Ok(LoginOutcome::StepUpRequired),
                Some(f) => match self.check_factor(&mut acc, f, now, ip)? {
                    FactorCheck::Ok => {}
                    FactorCheck::Bad => {
                        self.store.put_account(&acc)?;
                        self.notifier.notify_owner(
                            &user,
                            &OwnerNotice::PasswordRightSecondFactorFailed { source: Some(ip) },
                            now,
                        );
                        return self.fail(now, ip, &user, true, "", "second_factor_failed");
                    }
                    FactorCheck::Throttled(s) => {
                        self.store.put_account(&acc)?;
                        return Ok(LoginOutcome::Throttled {
                            retry_after_secs: s,
                        });
                    }
                },
            }
        }

        // 6. Success.
        self.succeed(
            acc,
            &user,
            ip,
            now,
            Some(&acct_key),
            counted,
            device.is_some(),
        )
    }
}

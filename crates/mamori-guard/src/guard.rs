//! The guard: one login decision, composed of throttling, the stuffing signal,
//! password verification, second factors and account hygiene.
//!
//! Architecture invariant: every refusal that comes from a counter is decided before
//! a password hash is computed, so an attacker cannot make the guard burn CPU.

use crate::account::{Account, AccountStatus, FactorKind, LoginRecord};
use crate::config::GuardConfig;
use crate::corpus::{self, BreachedPasswords};
use crate::env::{Clock, SecureRandom};
use crate::error::Result;
use crate::event::{Attack, AuthEvent, EventKind, Notifier, OwnerNotice};
use crate::gridcard::GridCard;
use crate::password::PasswordHasher;
use crate::store::{GuardStore, HitDecision};
use crate::stuffing::{AlertChange, AttemptSignal, StuffingDetector};
use crate::throttle::{account_key, canonical_ip, device_key, ip_key, net_key};
use crate::webauthn::{PasskeyService, PasskeyVerified};
use mamori_core::Text;
use std::net::IpAddr;
use std::sync::Arc;
use time::OffsetDateTime;

/// A second-factor answer sent with a login.
#[derive(Debug, Clone)]
pub enum SecondFactor<'a> {
    /// A TOTP code.
    Totp(&'a str),
    /// The digits of the grid-card cells asked.
    GridCard(&'a str),
    /// A recovery code.
    RecoveryCode(&'a str),
    /// A finished WebAuthn assertion.
    Passkey(PasskeyVerified),
}

/// One login attempt.
#[derive(Debug, Clone)]
pub struct LoginAttempt<'a> {
    /// The name as typed.
    pub username: &'a str,
    /// The password as typed.
    pub password: &'a str,
    /// The client address.
    pub source: IpAddr,
    /// The device token the browser holds from an earlier login (a cookie).
    pub device_token: Option<&'a str>,
    /// A second-factor answer.
    pub second_factor: Option<SecondFactor<'a>>,
    /// The site verified the client another way (CAPTCHA, mail link) during an alert.
    pub step_up_passed: bool,
}

impl<'a> LoginAttempt<'a> {
    /// A plain name-and-password attempt.
    pub fn new(username: &'a str, password: &'a str, source: IpAddr) -> Self {
        LoginAttempt {
            username,
            password,
            source,
            device_token: None,
            second_factor: None,
            step_up_passed: false,
        }
    }
}

/// A successful login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSuccess {
    /// The normalised name.
    pub user: String,
    /// The previous login, to show the user.
    pub previous_login: Option<LoginRecord>,
    /// A new device token to set as a cookie (when the device was not known).
    pub new_device_token: Option<String>,
    /// The password must be changed now (leak response or admin).
    pub must_change_password: bool,
    /// The grid card was spent; give the user this new one.
    pub new_grid_card: Option<GridCard>,
}

/// The decision on one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in.
    Success(LoginSuccess),
    /// Wrong name, password or second factor (the same answer for all three).
    Failed,
    /// Too many attempts; try again after this many seconds.
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// 100 consecutive failures: only a second factor or a password reset opens the
    /// account now.
    Locked,
    /// The password was right; a second factor is needed.
    SecondFactorRequired {
        /// What the account has.
        methods: Vec<FactorKind>,
        /// Grid-card cells to ask (`C7`, …), when a card is enrolled.
        grid_challenge: Option<Vec<String>>,
    },
    /// An attack is going on: this login needs an extra step (a second factor, or
    /// the site's own check with `step_up_passed`).
    StepUpRequired,
    /// The account is disabled.
    Disabled,
}

impl LoginOutcome {
    /// What to tell the user.
    pub fn text(&self) -> Text {
        match self {
            LoginOutcome::Success(_) => Text::new("ログインしました。", "You are logged in."),
            LoginOutcome::Failed => Text::new(
                "IDまたはパスワードが正しくありません。",
                "The ID or password is incorrect.",
            ),
            LoginOutcome::Throttled { .. } => Text::new(
                "試行回数が多すぎます。しばらく待ってから再度お試しください。",
                "Too many attempts. Please wait and try again.",
            ),
            LoginOutcome::Locked => Text::new(
                "不正なログインが続いたため、このアカウントは二要素認証またはパスワード再設定でのみログインできます。",
                "After repeated failed logins, this account can only be opened with a second factor or a password reset.",
            ),
            LoginOutcome::SecondFactorRequired { .. } => Text::new(
                "二要素認証のコードを入力してください。",
                "Enter your second-factor code.",
            ),
            LoginOutcome::StepUpRequired => Text::new(
                "現在、不正ログインの試みが多発しているため、追加の確認が必要です。",
                "Many unauthorized login attempts are under way; an extra check is required.",
            ),
            LoginOutcome::Disabled => Text::new(
                "このアカウントは無効になっています。管理者に連絡してください。",
                "This account is disabled. Contact the administrator.",
            ),
        }
    }
}

enum FactorCheck {
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
    pub(crate) passkeys: Option<PasskeyService>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn retry_secs(until: Option<OffsetDateTime>, now: OffsetDateTime) -> i64 {
    until.map_or(600, |u| (u - now).whole_seconds().max(1))
}

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
            passkeys: None,
        })
    }

    /// Also refuse passwords found in this breach corpus (HIBP range files).
    pub fn with_breached(mut self, corpus: Arc<dyn BreachedPasswords>) -> Self {
        self.breached = Some(corpus);
        self
    }

    /// Enables passkeys.
    pub fn with_passkeys(mut self, service: PasskeyService) -> Self {
        self.passkeys = Some(service);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// The password hasher (same parameters and pepper as logins).
    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    /// Whether the credential-stuffing friction is on now.
    pub fn under_attack(&self) -> bool {
        self.stuffing.alert_active(self.clock.now())
    }

    /// The stuffing detector's current window.
    pub fn stuffing_stats(&self) -> crate::stuffing::StuffingStats {
        self.stuffing.stats(self.clock.now())
    }

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
            (kind == EventKind::AuthFailure && self.stuffing.alert_active(now))
                .then_some(Attack::CredentialStuffing)
        });
        self.notifier.event(&AuthEvent {
            time: now,
            kind,
            attack,
            source: Some(source),
            user: Some(user.to_string()),
            reason: reason.to_string(),
        });
    }

    fn signal(&self, now: OffsetDateTime, s: AttemptSignal<'_>, source: IpAddr) {
        if self.stuffing.record(s, now) == AlertChange::Raised {
            let st = self.stuffing.stats(now);
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
    }

    fn fail(
        &self,
        now: OffsetDateTime,
        ip: IpAddr,
        user: &str,
        known: bool,
        password: &str,
        reason: &str,
    ) -> LoginOutcome {
        let lower = password.to_lowercase();
        let breached = corpus::common_rank(&lower).is_some();
        self.signal(
            now,
            AttemptSignal {
                user,
                failed: true,
                unknown_user: !known,
                breached_password: breached,
            },
            ip,
        );
        self.event(now, EventKind::AuthFailure, None, ip, user, reason);
        LoginOutcome::Failed
    }

    /// Decides one login attempt.
    pub fn login(&self, a: &LoginAttempt<'_>) -> Result<LoginOutcome> {
        let now = self.clock.now();
        let user = self.config.usernames.normalize(a.username);
        let ip = canonical_ip(a.source);
        let t = &self.config.throttle;

        // 1. Per address and network: no hash, no account lookup.
        for (key, rule) in [(ip_key(ip), &t.ip), (net_key(ip), &t.network)] {
            match self.store.hit(&key, rule, now)? {
                HitDecision::Allowed { .. } => {}
                HitDecision::Delayed { until } => {
                    self.event(
                        now,
                        EventKind::AuthFailure,
                        None,
                        ip,
                        &user,
                        "throttled_source",
                    );
                    return Ok(LoginOutcome::Throttled {
                        retry_after_secs: retry_secs(Some(until), now),
                    });
                }
                HitDecision::LimitReached { until } => {
                    self.event(
                        now,
                        EventKind::AuthFailure,
                        None,
                        ip,
                        &user,
                        "throttled_source",
                    );
                    return Ok(LoginOutcome::Throttled {
                        retry_after_secs: retry_secs(until, now),
                    });
                }
            }
        }

        // 2. During a stuffing alert every attempt needs a step up, told before any
        // hash so that the answer does not reveal whether the pair was right.
        let alert = self.stuffing.alert_active(now);
        if alert && a.second_factor.is_none() && !a.step_up_passed {
            self.signal(
                now,
                AttemptSignal {
                    user: &user,
                    failed: true,
                    unknown_user: false,
                    breached_password: false,
                },
                ip,
            );
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
        let mut account = self.store.account(&user)?;
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
        match self.store.hit(&acct_key, rule, now)? {
            HitDecision::Allowed { .. } => {}
            denied => {
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
                                return Ok(self.fail(
                                    now,
                                    ip,
                                    &user,
                                    true,
                                    "",
                                    "second_factor_failed",
                                ));
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
                        );
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
            return Ok(self.fail(now, ip, &user, false, a.password, "unknown_user"));
        };
        let Some(phc) = acc.password_phc.clone() else {
            self.hasher.verify_dummy(a.password);
            return Ok(self.fail(now, ip, &user, true, a.password, "no_password"));
        };
        let verified = self.hasher.verify(a.password, &phc, self.rng.as_ref())?;
        if !verified.is_ok() {
            if factor_done {
                self.store.put_account(&acc)?;
            }
            return Ok(self.fail(now, ip, &user, true, a.password, "bad_password"));
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

        // 5. Second factor.
        let needs_factor = acc.has_second_factor() || self.config.require_second_factor || alert;
        if needs_factor && !factor_done && !(alert && a.step_up_passed && !acc.has_second_factor())
        {
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
                        return Ok(self.fail(now, ip, &user, true, "", "second_factor_failed"));
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
        self.store.clear(&acct_key)?;
        self.store.decrement(&ip_key(ip))?;
        self.store.decrement(&net_key(ip))?;
        let previous_login = acc.last_login.replace(LoginRecord {
            time: now,
            source: Some(ip),
        });
        let new_device_token = if device.is_none() {
            let token = data_encoding::BASE64URL_NOPAD
                .encode(&crate::env::random_bytes::<32>(self.rng.as_ref()));
            acc.known_devices.insert(0, device_digest(&token));
            acc.known_devices.truncate(self.config.remember_devices);
            if previous_login.is_some() {
                self.notifier.notify_owner(
                    &user,
                    &OwnerNotice::NewDevice { source: Some(ip) },
                    now,
                );
            }
            Some(token)
        } else {
            None
        };
        let mut new_grid_card = None;
        if acc.grid_card.as_ref().is_some_and(|g| g.spent()) {
            let (card, state) =
                crate::gridcard::issue(&self.config.grid_card_key, self.rng.as_ref());
            acc.grid_card = Some(state);
            new_grid_card = Some(card);
            self.notifier
                .notify_owner(&user, &OwnerNotice::GridCardReissued, now);
        }
        self.store.put_account(&acc)?;
        self.signal(
            now,
            AttemptSignal {
                user: &user,
                failed: false,
                unknown_user: false,
                breached_password: false,
            },
            ip,
        );
        self.event(now, EventKind::AuthSuccess, None, ip, &user, "ok");
        Ok(LoginOutcome::Success(LoginSuccess {
            user,
            previous_login,
            new_device_token,
            must_change_password: acc.must_reset,
            new_grid_card,
        }))
    }

    /// Checks only the second factor of `a` (password resets). Saves the account.
    pub(crate) fn verify_factor_only(&self, a: &LoginAttempt<'_>) -> Result<bool> {
        let now = self.clock.now();
        let user = self.config.usernames.normalize(a.username);
        let (Some(mut acc), Some(f)) = (self.store.account(&user)?, a.second_factor.as_ref())
        else {
            return Ok(false);
        };
        let ip = canonical_ip(a.source);
        let ok = matches!(self.check_factor(&mut acc, f, now, ip)?, FactorCheck::Ok);
        self.store.put_account(&acc)?;
        Ok(ok)
    }

    /// Checks a second factor against `acc` (which the caller saves).
    fn check_factor(
        &self,
        acc: &mut Account,
        f: &SecondFactor<'_>,
        now: OffsetDateTime,
        ip: IpAddr,
    ) -> Result<FactorCheck> {
        let key = crate::throttle::mfa_key(&acc.user);
        match self
            .store
            .hit(&key, &self.config.throttle.second_factor, now)?
        {
            HitDecision::Allowed { .. } => {}
            HitDecision::Delayed { until } => {
                return Ok(FactorCheck::Throttled(retry_secs(Some(until), now)));
            }
            HitDecision::LimitReached { until } => {
                return Ok(FactorCheck::Throttled(retry_secs(until, now)));
            }
        }
        let ok = match f {
            SecondFactor::Totp(code) => self.check_totp(acc, code, now, ip)?,
            SecondFactor::GridCard(answer) => acc
                .grid_card
                .as_mut()
                .is_some_and(|g| g.answer(&self.config.grid_card_key, answer)),
            SecondFactor::RecoveryCode(code) => {
                match crate::recovery::find_recovery_code(&acc.recovery_hashes, code) {
                    Some(i)
                        if self
                            .store
                            .use_once(&format!("recovery:{}", acc.recovery_hashes[i]), now)? =>
                    {
                        acc.recovery_hashes.remove(i);
                        true
                    }
                    _ => false,
                }
            }
            SecondFactor::Passkey(v) => v.user() == acc.user,
        };
        if ok {
            self.store.clear(&key)?;
            Ok(FactorCheck::Ok)
        } else {
            Ok(FactorCheck::Bad)
        }
    }

    fn check_totp(
        &self,
        acc: &mut Account,
        code: &str,
        now: OffsetDateTime,
        ip: IpAddr,
    ) -> Result<bool> {
        let Some(en) = acc.totp.as_mut() else {
            return Ok(false);
        };
        let Some(step) = self.config.totp.matching_step(&en.secret, code, now) else {
            return Ok(false);
        };
        let replay = en.last_step.is_some_and(|last| step <= last)
            || !self
                .store
                .use_once(&format!("totp:{}:{step}", acc.user), now)?;
        if replay {
            self.event(
                now,
                EventKind::AuthFailure,
                Some(Attack::OtpReplay),
                ip,
                &acc.user,
                "otp_replay",
            );
            return Ok(false);
        }
        en.last_step = Some(step);
        Ok(true)
    }
}

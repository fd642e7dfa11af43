//! Account hygiene: creating accounts and setting passwords under the policy,
//! disabling long-unused accounts, and the leak response.

use crate::account::{Account, AccountStatus};
use crate::error::{GuardError, Result};
use crate::event::OwnerNotice;
use crate::guard::Guard;
use crate::policy::{PolicyContext, Refusal};
use crate::store::HitDecision;
use crate::throttle::account_key;
use time::Duration;

/// The answer to [`Guard::reauthenticate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reauth {
    /// The password or code was right.
    Verified,
    /// It was not.
    Wrong,
    /// Too many attempts; try again after this many seconds.
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
}

/// The answer to [`Guard::change_password`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// Changed; the owner was notified.
    Done,
    /// The current password was wrong.
    WrongPassword,
    /// Too many attempts.
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// The new password is refused.
    Refused(Refusal),
}

impl Guard {
    /// Checks a candidate password for `user` exactly as [`set_password`](Self::set_password)
    /// would, without storing anything.
    pub fn check_password(
        &self,
        candidate: &str,
        user: Option<&str>,
        display_name: Option<&str>,
        with_second_factor: bool,
        previous: &[String],
    ) -> Result<Option<Refusal>> {
        let ctx = PolicyContext {
            user,
            display_name,
            with_second_factor: with_second_factor || self.config.require_second_factor,
            previous_phcs: previous,
        };
        self.config.policy.check(
            candidate,
            &ctx,
            self.breached.as_deref(),
            Some((&self.hasher, self.rng.as_ref())),
        )
    }

    /// Creates an account with a password that passes the policy. The name is
    /// normalised; an existing account is an error.
    pub fn create_account(
        &self,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<std::result::Result<Account, Refusal>> {
        let user = self.config.usernames.normalize(username);
        if self.store.account(&user)?.is_some() {
            return Err(GuardError::Config(format!("account {user} exists")));
        }
        if let Some(r) =
            self.check_password(password, Some(&user), Some(display_name), false, &[])?
        {
            return Ok(Err(r));
        }
        let mut acc = Account::new(user, display_name, self.clock.now());
        acc.password_phc = Some(self.hasher.hash(password, self.rng.as_ref())?);
        self.store.put_account(&acc)?;
        Ok(Ok(acc))
    }

    /// Sets a new password (after the caller authenticated the user, or from a reset):
    /// policy check including earlier passwords, hash, owner notified, the account's
    /// lock and the leak mark cleared.
    pub fn set_password(
        &self,
        username: &str,
        new_password: &str,
    ) -> Result<std::result::Result<(), Refusal>> {
        let user = self.config.usernames.normalize(username);
        let mut acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        let mut previous = acc.previous_phcs.clone();
        previous.extend(acc.password_phc.clone());
        let second = acc.has_second_factor();
        if let Some(r) = self.check_password(
            new_password,
            Some(&user),
            Some(&acc.display_name),
            second,
            &previous,
        )? {
            return Ok(Err(r));
        }
        if let Some(old) = acc.password_phc.take() {
            acc.previous_phcs.insert(0, old);
            acc.previous_phcs.truncate(self.config.remember_passwords);
        }
        acc.password_phc = Some(self.hasher.hash(new_password, self.rng.as_ref())?);
        acc.must_reset = false;
        self.store.put_account(&acc)?;
        self.store.clear(&account_key(&user))?;
        self.notifier
            .notify_owner(&user, &OwnerNotice::PasswordChanged, self.clock.now());
        Ok(Ok(()))
    }

    /// The user changes the password, proving the current one. Counted on the
    /// account's login counter, so this is no side door for guessing.
    pub fn change_password(
        &self,
        username: &str,
        current: &str,
        new_password: &str,
    ) -> Result<ChangeOutcome> {
        let user = self.config.usernames.normalize(username);
        let now = self.clock.now();
        match self
            .store
            .hit(&account_key(&user), &self.config.throttle.account, now)?
        {
            HitDecision::Allowed { .. } => {}
            HitDecision::Delayed { until } => {
                return Ok(ChangeOutcome::Throttled {
                    retry_after_secs: (until - now).whole_seconds().max(1),
                });
            }
            HitDecision::LimitReached { .. } => {
                return Ok(ChangeOutcome::Throttled {
                    retry_after_secs: 600,
                });
            }
        }
        let acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        let phc = acc.password_phc.unwrap_or_default();
        if phc.is_empty()
            || !self
                .hasher
                .verify(current, &phc, self.rng.as_ref())?
                .is_ok()
        {
            return Ok(ChangeOutcome::WrongPassword);
        }
        Ok(match self.set_password(&user, new_password)? {
            Ok(()) => ChangeOutcome::Done,
            Err(r) => ChangeOutcome::Refused(r),
        })
    }

    /// The signed-in person proves again that they are who they are, before changing
    /// their sign-in factors: a TOTP code (when enrolled; its own counter, each code
    /// once) or the password (counted on the account's login counter, like a
    /// sign-in, so this is no side door for guessing; a success takes its count back).
    pub fn reauthenticate(
        &self,
        username: &str,
        secret: &str,
        source: std::net::IpAddr,
    ) -> Result<Reauth> {
        let user = self.config.usernames.normalize(username);
        let now = self.clock.now();
        let Some(mut acc) = self.store.account(&user)? else {
            return Ok(Reauth::Wrong);
        };
        let code = secret.trim();
        let is_code = (6..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit());
        if acc.totp.is_some() && is_code {
            let ip = crate::throttle::canonical_ip(source);
            let f = crate::outcome::SecondFactor::Totp(code);
            let r = self.check_factor(&mut acc, &f, now, ip)?;
            self.store.put_account(&acc)?;
            return Ok(match r {
                crate::guard::FactorCheck::Ok => Reauth::Verified,
                crate::guard::FactorCheck::Bad => Reauth::Wrong,
                crate::guard::FactorCheck::Throttled(s) => Reauth::Throttled {
                    retry_after_secs: s,
                },
            });
        }
        let key = account_key(&user);
        match self.store.hit(&key, &self.config.throttle.account, now)? {
            HitDecision::Allowed { .. } => {}
            HitDecision::Delayed { until } => {
                return Ok(Reauth::Throttled {
                    retry_after_secs: (until - now).whole_seconds().max(1),
                });
            }
            HitDecision::LimitReached { .. } => {
                return Ok(Reauth::Throttled {
                    retry_after_secs: 600,
                });
            }
        }
        let phc = acc.password_phc.unwrap_or_default();
        if phc.is_empty() || !self.hasher.verify(secret, &phc, self.rng.as_ref())?.is_ok() {
            return Ok(Reauth::Wrong);
        }
        self.store.decrement(&key)?;
        Ok(Reauth::Verified)
    }

    /// Disables accounts whose last login (or creation) is older than the configured
    /// period and notifies their owners. Returns the names disabled.
    pub fn disable_inactive(&self) -> Result<Vec<String>> {
        let Some(days) = self.config.inactive_after_days else {
            return Ok(Vec::new());
        };
        let now = self.clock.now();
        let mut disabled = Vec::new();
        for name in self.store.account_names()? {
            let Some(mut acc) = self.store.account(&name)? else {
                continue;
            };
            if acc.status != AccountStatus::Active {
                continue;
            }
            let last = acc.last_login.as_ref().map_or(acc.created, |l| l.time);
            let idle = now - last;
            if idle >= Duration::days(days) {
                acc.status = AccountStatus::DisabledInactive;
                self.store.put_account(&acc)?;
                self.notifier.notify_owner(
                    &name,
                    &OwnerNotice::DisabledForInactivity {
                        idle_days: idle.whole_days(),
                    },
                    now,
                );
                disabled.push(name);
            }
        }
        Ok(disabled)
    }

    /// Re-enables an account (administrator).
    pub fn enable_account(&self, username: &str) -> Result<()> {
        let user = self.config.usernames.normalize(username);
        let mut acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        acc.status = AccountStatus::Active;
        acc.last_login = None;
        acc.created = self.clock.now();
        self.store.put_account(&acc)
    }

    /// Leak response: marks accounts whose credentials appeared in a leak.
    /// Each must reset its password at the next login, its remembered devices are
    /// forgotten (an attacker's included), and its owner is notified. Unknown names are
    /// skipped. Returns how many accounts were marked.
    pub fn mark_exposed<'a>(&self, users: impl IntoIterator<Item = &'a str>) -> Result<usize> {
        let now = self.clock.now();
        let mut n = 0;
        for raw in users {
            let user = self.config.usernames.normalize(raw);
            let Some(mut acc) = self.store.account(&user)? else {
                continue;
            };
            acc.must_reset = true;
            acc.known_devices.clear();
            self.store.put_account(&acc)?;
            self.notifier
                .notify_owner(&user, &OwnerNotice::CredentialsExposed, now);
            n += 1;
        }
        Ok(n)
    }

    /// The owner's usage record: recent successful logins, newest first.
    pub fn usage_records(&self, username: &str) -> Result<Vec<crate::account::LoginRecord>> {
        let user = self.config.usernames.normalize(username);
        let acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        Ok(acc.recent_logins)
    }

    /// The stored record of an account (for the platform's account page).
    pub fn account(&self, username: &str) -> Result<Option<Account>> {
        self.store
            .account(&self.config.usernames.normalize(username))
    }
}

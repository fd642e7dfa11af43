//! The person's own account pages: change the password (the guard's policy, with
//! reasons), recovery codes (shown once), TOTP enrolment with the pending secret
//! kept server-side and bound to the session; and, for platform administrators,
//! the list of people with enable/disable.

use crate::audit::Event;
use crate::authz::{Caller, Permission, check, check_caller};
use crate::{Actor, Result, ServiceError, Services, codes, secret_hash};
use mamori_guard::{ChangeOutcome, TotpSetup};
use mamori_store::{User, UserId};
use serde_json::json;

/// The password rules a person is held to, for the change-password page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordRules {
    /// The minimum length (shorter with a second factor, NIST SP 800-63B-4).
    pub min_len: usize,
    /// The maximum length.
    pub max_len: usize,
    /// Whether the person has a second factor.
    pub has_second_factor: bool,
    /// Whether the person has a password at all (the first administrator, signed in
    /// by the one-time link, has none until they set one).
    pub has_password: bool,
}

/// The person's second factors, for the account pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorStatus {
    /// An authenticator app is enrolled.
    pub totp: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: usize,
    /// Registered passkeys.
    pub passkeys: usize,
}

impl Services {
    fn self_event(actor: &Actor, action: &'static str, detail: serde_json::Value) -> Event {
        Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action,
            object: format!("user:{}", actor.user.id.0),
            source: actor.source.clone(),
            detail,
        }
    }

    /// The rules the person's next password must meet.
    pub async fn password_rules(&self, actor: &Actor) -> Result<PasswordRules> {
        let email = actor.user.email.clone();
        let (acc, policy, required) = self
            .with_guard(move |g| {
                let c = g.config();
                (g.account(&email), c.policy.clone(), c.require_second_factor)
            })
            .await?;
        let acc = acc?;
        let second = acc.as_ref().is_some_and(|a| a.has_second_factor()) || required;
        Ok(PasswordRules {
            min_len: policy.min_len(second),
            max_len: policy.max_len,
            has_second_factor: second,
            has_password: acc.is_some(),
        })
    }

    /// Changes the person's password, proving the current one (counted like a
    /// sign-in, so no side door for guessing). On success every other session of the
    /// person ends and the owner is notified. A person without a password yet (the
    /// first administrator after the one-time link) sets their first one here, with
    /// no current password to prove; once set, only a change proving it is possible.
    pub async fn change_password(
        &self,
        actor: &Actor,
        session_cookie: &str,
        current: &str,
        new: &str,
    ) -> Result<ChangeOutcome> {
        let (email, c, n) = (
            actor.user.email.clone(),
            current.to_string(),
            new.to_string(),
        );
        let name = actor.user.display_name.clone();
        let outcome = self
            .with_guard(move |g| match g.account(&email)? {
                Some(_) => g.change_password(&email, &c, &n),
                None => Ok(match g.create_account(&email, &name, &n)? {
                    Ok(_) => ChangeOutcome::Done,
                    Err(r) => ChangeOutcome::Refused(r),
                }),
            })
            .await??;
        let (action, detail) = match &outcome {
            ChangeOutcome::Done => {
                // The password just proved (or first set) counts as re-authentication.
                self.store
                    .set_session_reauth(&secret_hash(session_cookie), self.now())
                    .await?;
                let ended = self
                    .store
                    .delete_sessions_of(actor.user.id, Some(&secret_hash(session_cookie)))
                    .await?;
                ("change_password", json!({"other_sessions_ended": ended}))
            }
            ChangeOutcome::WrongPassword => (
                "change_password_failed",
                json!({"reason": "wrong_password"}),
            ),
            ChangeOutcome::Throttled { .. } => {
                ("change_password_failed", json!({"reason": "throttled"}))
            }
            ChangeOutcome::Refused(r) => ("change_password_failed", json!({"reason": r.code()})),
        };
        self.audit(Self::self_event(actor, action, detail)).await?;
        Ok(outcome)
    }

    /// Whether this session's person proved their password or a second factor within
    /// `reauth_window` (sign-in or [`Services::reauthenticate`]); `REAUTH` otherwise.
    /// Asked before adding a passkey, replacing TOTP and issuing recovery codes.
    pub async fn require_recent_auth(&self, session_cookie: &str) -> Result<()> {
        let at = self
            .store
            .session_reauth(&secret_hash(session_cookie))
            .await?;
        match at {
            Some(t) if self.now() - t <= self.cfg.reauth_window => Ok(()),
            _ => Err(ServiceError::Invalid(codes::REAUTH)),
        }
    }

    /// Re-authentication: the password, or a TOTP code when enrolled. `true` and the
    /// session marked when right; audited either way; too many guesses are throttled
    /// like sign-ins (`TOO_MANY`).
    pub async fn reauthenticate(
        &self,
        actor: &Actor,
        session_cookie: &str,
        secret: &str,
    ) -> Result<bool> {
        let (email, s) = (actor.user.email.clone(), secret.to_string());
        let source = actor
            .source
            .parse()
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
        let r = self
            .with_guard(move |g| g.reauthenticate(&email, &s, source))
            .await??;
        let ok = r == mamori_guard::Reauth::Verified;
        if ok {
            self.store
                .set_session_reauth(&secret_hash(session_cookie), self.now())
                .await?;
        }
        let action = if ok {
            "reauthenticate"
        } else {
            "reauthenticate_failed"
        };
        self.audit(Self::self_event(actor, action, json!({})))
            .await?;
        match r {
            mamori_guard::Reauth::Throttled { .. } => Err(ServiceError::Invalid(codes::TOO_MANY)),
            _ => Ok(ok),
        }
    }

    /// The person's second factors.
    pub async fn factor_status(&self, actor: &Actor) -> Result<FactorStatus> {
        let email = actor.user.email.clone();
        let acc = self.with_guard(move |g| g.account(&email)).await??;
        Ok(FactorStatus {
            totp: acc.as_ref().is_some_and(|a| a.totp.is_some()),
            recovery_codes_left: acc.as_ref().map_or(0, |a| a.recovery_hashes.len()),
            passkeys: acc.map_or(0, |a| a.passkeys.len()),
        })
    }

    /// Issues ten new recovery codes (the old ones stop working); returned once and
    /// stored only hashed.
    /// Needs a recent re-authentication of this session ([`Services::reauthenticate`]).
    pub async fn issue_recovery_codes(
        &self,
        actor: &Actor,
        session_cookie: &str,
    ) -> Result<Vec<String>> {
        self.require_recent_auth(session_cookie).await?;
        let email = actor.user.email.clone();
        let codes = self
            .with_guard(move |g| g.issue_recovery_codes(&email))
            .await?
            .map_err(|e| match e {
                mamori_guard::GuardError::NoSuchAccount => {
                    ServiceError::Invalid(codes::NO_PASSWORD)
                }
                e => e.into(),
            })?;
        self.audit(Self::self_event(
            actor,
            "issue_recovery_codes",
            json!({"count": codes.len()}),
        ))
        .await?;
        Ok(codes)
    }

    /// Starts TOTP enrolment: a new secret is kept server-side, bound to this
    /// session (never sent back in a form), and returned for display.
    /// Needs a recent re-authentication of this session (a new authenticator replaces
    /// the old one).
    pub async fn begin_totp(&self, actor: &Actor, session_cookie: &str) -> Result<TotpSetup> {
        self.require_recent_auth(session_cookie).await?;
        let email = actor.user.email.clone();
        let setup = self.with_guard(move |g| g.begin_totp(&email)).await?;
        self.store
            .put_session_totp(
                &secret_hash(session_cookie),
                &setup.secret_base32,
                self.now(),
            )
            .await?;
        Ok(setup)
    }

    /// Confirms TOTP enrolment with the first code from the app, against the secret
    /// this session started. `false` when the code is wrong or nothing is pending.
    pub async fn confirm_totp(
        &self,
        actor: &Actor,
        session_cookie: &str,
        code: &str,
    ) -> Result<bool> {
        let session = secret_hash(session_cookie);
        let Some(secret) = self.store.session_totp(&session).await? else {
            return Ok(false);
        };
        let email = actor.user.email.clone();
        let setup = TotpSetup {
            secret_base32: secret,
            uri: String::new(),
        };
        let code = code.trim().to_string();
        let ok = self
            .with_guard(move |g| g.confirm_totp(&email, &setup, &code))
            .await??;
        if ok {
            self.store.delete_session_totp(&session).await?;
            self.audit(Self::self_event(actor, "enable_totp", json!({})))
                .await?;
        }
        Ok(ok)
    }

    /// Everyone, for the administrators' people list (audited list view).
    pub async fn users_for_admin(&self, actor: &Actor) -> Result<Vec<User>> {
        check(actor, Permission::ManagePlatform)?;
        let all = self.store.users(None).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "list_users",
            object: "users".into(),
            source: actor.source.clone(),
            detail: json!({"count": all.len()}),
            ..Event::default()
        })
        .await?;
        Ok(all)
    }

    /// Enables or disables a person by id (administrators). Disabling ends their
    /// sessions at once; enabling tells them on their home page.
    pub async fn set_user_enabled_by_id(
        &self,
        caller: Caller<'_>,
        id: UserId,
        enabled: bool,
    ) -> Result<User> {
        check_caller(caller, Permission::ManagePlatform)?;
        let u = self.store.user(id).await?.ok_or(ServiceError::NotFound)?;
        if !enabled && caller.person().is_some_and(|a| a.user.id == id) {
            return Err(ServiceError::Invalid(codes::SELF_DISABLE));
        }
        let u = self.set_user_enabled(caller, &u.email, enabled).await?;
        if enabled {
            self.notify(u.id, crate::notices::ACCOUNT_ENABLED, json!({}))
                .await?;
        } else {
            self.store.delete_sessions_of(u.id, None).await?;
        }
        Ok(u)
    }
}

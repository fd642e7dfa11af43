//! Sign-in, sessions, one-time links, API tokens and second factors.

use crate::audit::Event;
use crate::{Actor, Result, ServiceError, Services, codes, secret_hash};
use mamori_guard::{LoginAttempt, LoginOutcome, SecondFactor};
use mamori_store::{ApiToken, LinkPurpose, OneTimeLink, Session, User, UserId};
use serde_json::json;
use std::net::IpAddr;
use time::OffsetDateTime;

/// A new session: the cookie value (give it to the browser only) and its CSRF token.
#[derive(Clone)]
pub struct NewSession {
    /// The cookie value.
    pub cookie: String,
    /// The synchronizer token for forms.
    pub csrf: String,
    /// A new known-device token to keep in a long-lived cookie (the guard issues
    /// one when the browser's token was not known to this account).
    pub device_token: Option<String>,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSession { <redacted> }")
    }
}

/// The result of a sign-in attempt.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in.
    Ok(NewSession),
    /// The password was right; send it again with a TOTP code.
    NeedSecondFactor,
    /// Refused; the guard's outcome says what to show.
    Refused(LoginOutcome),
}

/// An authenticated request's context.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Who.
    pub actor: Actor,
    /// The session's CSRF token (none for API tokens).
    pub csrf: Option<String>,
}

/// A typed code: six to eight digits are a TOTP code, anything longer a recovery code.
fn second_factor(code: &str) -> SecondFactor<'_> {
    let digits = code
        .trim()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .count();
    if digits > 8 {
        SecondFactor::RecoveryCode(code)
    } else {
        SecondFactor::Totp(code)
    }
}

impl Services {
    /// Tells the owner when a sign-in comes from a network (`/24`, `/64`) none of
    /// their last 50 sign-ins came from (R-4.4: a login they may not recognise).
    async fn notice_if_new_place(&self, u: &User, source: IpAddr) -> Result<()> {
        let earlier = self
            .store
            .audit_by_actor_action(u.id, "sign_in", 50)
            .await?;
        if earlier.is_empty() {
            return Ok(());
        }
        let net = mamori_guard::network_of(source);
        let known = earlier.iter().any(|e| {
            e.source
                .parse::<IpAddr>()
                .is_ok_and(|ip| mamori_guard::network_of(ip) == net)
        });
        if !known {
            self.notify(
                u.id,
                crate::notices::NEW_PLACE,
                json!({"source": source.to_string(), "network": net}),
            )
            .await?;
        }
        Ok(())
    }

    /// Signs in with e-mail, password and optionally a TOTP code.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        totp: Option<&str>,
        source: IpAddr,
    ) -> Result<SignIn> {
        self.sign_in_from_device(email, password, totp, source, None)
            .await
    }

    /// Signs in with e-mail, password, optionally a TOTP code, and the known-device
    /// token the browser holds (its cookie): during a credential-stuffing alert a
    /// known device or a network used before is the step-up a password-only person
    /// can pass (see `mamori_guard::Guard::login`).
    pub async fn sign_in_from_device(
        &self,
        email: &str,
        password: &str,
        totp: Option<&str>,
        source: IpAddr,
        device: Option<&str>,
    ) -> Result<SignIn> {
        let user = self.store.user_by_email(email.trim()).await?;
        let (e, p, t, d) = (
            email.trim().to_lowercase(),
            password.to_string(),
            totp.map(str::to_string),
            device.map(str::to_string),
        );
        let outcome = self
            .with_guard(move |g| {
                let mut a = LoginAttempt::new(&e, &p, source);
                if let Some(code) = t.as_deref().filter(|c| !c.is_empty()) {
                    a.second_factor = Some(second_factor(code));
                }
                a.device_token = d.as_deref().filter(|d| !d.is_empty());
                g.login(&a)
            })
            .await??;
        let subject = user.as_ref().map(|u| u.id);
        match (outcome, user) {
            (LoginOutcome::Success(ok), Some(u)) if !u.disabled => {
                let method = match totp.map(second_factor) {
                    Some(SecondFactor::RecoveryCode(_)) => "password+recovery_code",
                    Some(_) => "password+totp",
                    None => "password",
                };
                let mut s = self.signed_in(&u, source, method).await?;
                s.device_token = ok.new_device_token.clone();
                Ok(SignIn::Ok(s))
            }
            (LoginOutcome::SecondFactorRequired { .. }, _) => Ok(SignIn::NeedSecondFactor),
            (other, _) => self.refused(subject, source, other, "password").await,
        }
    }

    /// A successful sign-in: a new session, the new-place notice and the audit entry.
    pub(crate) async fn signed_in(
        &self,
        u: &User,
        source: IpAddr,
        method: &str,
    ) -> Result<NewSession> {
        let s = self.start_session(u).await?;
        // A sign-in that proved the password or a factor counts as a fresh
        // authentication; a one-time link does not.
        if method != "one_time_link" {
            self.store
                .set_session_reauth(&secret_hash(&s.cookie), self.now())
                .await?;
        }
        self.notice_if_new_place(u, source).await?;
        self.audit(Event {
            actor: Some(u.id),
            subject: Some(u.id),
            action: "sign_in",
            object: format!("user:{}", u.id.0),
            source: source.to_string(),
            detail: json!({"method": method}),
        })
        .await?;
        Ok(s)
    }

    /// A refused sign-in, audited (a guard success for a disabled person is refused
    /// as disabled).
    pub(crate) async fn refused(
        &self,
        subject: Option<UserId>,
        source: IpAddr,
        outcome: LoginOutcome,
        method: &str,
    ) -> Result<SignIn> {
        let outcome = match outcome {
            LoginOutcome::Success(_) => LoginOutcome::Disabled,
            o => o,
        };
        self.audit(Event {
            actor: None,
            subject,
            action: "sign_in_failed",
            object: String::new(),
            source: source.to_string(),
            detail: json!({
                "outcome": format!("{outcome:?}").split([' ', '{']).next().unwrap_or(""),
                "method": method,
            }),
        })
        .await?;
        Ok(SignIn::Refused(outcome))
    }

    async fn start_session(&self, u: &User) -> Result<NewSession> {
        let cookie = self.secret();
        let csrf = self.secret();
        let now = self.now();
        self.store
            .insert_session(&Session {
                hash: secret_hash(&cookie),
                user: u.id,
                csrf: csrf.clone(),
                created_at: now,
                last_seen_at: now,
            })
            .await?;
        Ok(NewSession {
            cookie,
            csrf,
            device_token: None,
        })
    }

    /// Resolves a session cookie, enforcing the idle and absolute timeouts.
    pub async fn authenticate_session(&self, cookie: &str, source: &str) -> Result<Authenticated> {
        let hash = secret_hash(cookie);
        let (s, user, org) = self
            .store
            .session_with_person(&hash)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        if now - s.last_seen_at > self.cfg.session_idle
            || now - s.created_at > self.cfg.session_absolute
        {
            self.store.delete_session(&hash).await?;
            return Err(ServiceError::Unauthenticated);
        }
        if user.disabled {
            return Err(ServiceError::Unauthenticated);
        }
        // One write per minute per session at most: the idle timeout is kept to the
        // minute without a database write on every request.
        if now - s.last_seen_at >= time::Duration::minutes(1) {
            self.store.touch_session(&hash, now).await?;
        }
        let pending = self.store.is_pending(user.id).await?;
        Ok(Authenticated {
            actor: Actor {
                user,
                org,
                source: source.to_string(),
                pending,
            },
            csrf: Some(s.csrf),
        })
    }

    /// Resolves an API bearer token.
    pub async fn authenticate_token(&self, token: &str, source: &str) -> Result<Authenticated> {
        let t = self
            .store
            .token(&secret_hash(token))
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if self.now() > t.expires_at {
            return Err(ServiceError::Unauthenticated);
        }
        Ok(Authenticated {
            actor: self.actor(t.user, source).await?,
            csrf: None,
        })
    }

    async fn actor(&self, id: UserId, source: &str) -> Result<Actor> {
        let user = self
            .store
            .user(id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if user.disabled {
            return Err(ServiceError::Unauthenticated);
        }
        let org = self
            .store
            .org(user.org)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let pending = self.store.is_pending(user.id).await?;
        Ok(Actor {
            user,
            org,
            source: source.to_string(),
            pending,
        })
    }

    /// Ends a session.
    pub async fn sign_out(&self, actor: &Actor, cookie: &str) -> Result<()> {
        self.store.delete_session(&secret_hash(cookie)).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "sign_out",
            source: actor.source.clone(),
            ..Event::default()
        })
        .await
    }

    /// Issues a one-time link token (returned once; stored hashed).
    pub(crate) async fn issue_link(&self, user: UserId, purpose: LinkPurpose) -> Result<String> {
        let token = self.secret();
        self.store
            .insert_link(&OneTimeLink {
                hash: secret_hash(&token),
                user,
                purpose,
                expires_at: self.now() + self.cfg.link_ttl,
            })
            .await?;
        Ok(token)
    }

    async fn take_link(&self, token: &str, purpose: LinkPurpose) -> Result<User> {
        let l = self.store.take_link(&secret_hash(token)).await?;
        let l = l.filter(|l| l.purpose == purpose && self.now() <= l.expires_at);
        let l = l.ok_or(ServiceError::Invalid(codes::LINK))?;
        let u = self
            .store
            .user(l.user)
            .await?
            .ok_or(ServiceError::Invalid(codes::LINK))?;
        if u.disabled {
            return Err(ServiceError::Invalid(codes::LINK));
        }
        Ok(u)
    }

    /// Redeems a one-time sign-in link (first administrator). The second value says
    /// whether the person still has to set a password: the link works once, so
    /// without one they could not sign in again after this session.
    pub async fn redeem_login_link(
        &self,
        token: &str,
        source: IpAddr,
    ) -> Result<(NewSession, bool)> {
        let u = self.take_link(token, LinkPurpose::Login).await?;
        let s = self.signed_in(&u, source, "one_time_link").await?;
        let email = u.email.clone();
        let has_password = self
            .with_guard(move |g| g.account(&email))
            .await??
            .is_some();
        Ok((s, !has_password))
    }

    /// Sets a first password with a one-time link. The policy is checked before the
    /// link is spent, so a refused password leaves the link usable.
    pub async fn set_password_with_link(
        &self,
        token: &str,
        password: &str,
        source: IpAddr,
    ) -> Result<()> {
        let refusal = {
            let p = password.to_string();
            self.with_guard(move |g| g.check_password(&p, None, None, false, &[]))
                .await??
        };
        if let Some(r) = refusal {
            return Err(ServiceError::PasswordRefused(r));
        }
        let u = self.take_link(token, LinkPurpose::SetPassword).await?;
        let (email, name, p) = (
            u.email.clone(),
            u.display_name.clone(),
            password.to_string(),
        );
        let result = self
            .with_guard(move |g| match g.account(&email)? {
                Some(_) => g.set_password(&email, &p),
                None => g.create_account(&email, &name, &p).map(|r| r.map(|_| ())),
            })
            .await??;
        if let Err(r) = result {
            return Err(ServiceError::PasswordRefused(r));
        }
        self.audit(Event {
            actor: Some(u.id),
            subject: Some(u.id),
            action: "set_password",
            object: format!("user:{}", u.id.0),
            source: source.to_string(),
            ..Event::default()
        })
        .await
    }

    /// Creates an API token acting as `user` (by e-mail). Returns it once.
    pub async fn create_token(&self, actor: &Actor, email: &str, label: &str) -> Result<String> {
        let u = self
            .store
            .user_by_email(email)
            .await?
            .ok_or(ServiceError::NotFound)?;
        crate::authz::check(actor, crate::Permission::CreateToken(&u))?;
        self.issue_token(&u, label, Some(actor)).await
    }

    /// Creates an API token from the operator's console (`mamori tokens create`).
    pub async fn create_token_as_operator(&self, email: &str, label: &str) -> Result<String> {
        let u = self
            .store
            .user_by_email(email)
            .await?
            .ok_or(ServiceError::NotFound)?;
        self.issue_token(&u, label, None).await
    }

    async fn issue_token(&self, u: &User, label: &str, actor: Option<&Actor>) -> Result<String> {
        let token = format!("mamori_{}", self.secret());
        let now = self.now();
        self.store
            .insert_token(&ApiToken {
                hash: secret_hash(&token),
                user: u.id,
                label: label.to_string(),
                created_at: now,
                expires_at: now + self.cfg.token_ttl,
            })
            .await?;
        self.audit(Event {
            actor: actor.map(|a| a.user.id),
            subject: Some(u.id),
            action: "create_token",
            object: format!("user:{}", u.id.0),
            source: actor
                .map(|a| a.source.clone())
                .unwrap_or_else(|| "console".into()),
            detail: json!({"label": label}),
        })
        .await?;
        Ok(token)
    }

    /// Disables accounts unused for `inactive_after_days`; run daily.
    pub async fn disable_inactive(&self) -> Result<Vec<String>> {
        let names = self.with_guard(|g| g.disable_inactive()).await??;
        for n in &names {
            if let Some(u) = self.store.user_by_email(n).await? {
                self.store.set_user_disabled(u.id, true).await?;
                self.audit(Event {
                    subject: Some(u.id),
                    action: "disable_inactive",
                    object: format!("user:{}", u.id.0),
                    source: "system".into(),
                    ..Event::default()
                })
                .await?;
            }
        }
        Ok(names)
    }

    /// Deletes sessions past their idle or absolute timeout; run periodically.
    pub async fn sweep_sessions(&self) -> Result<u64> {
        let now = self.now();
        let n = self
            .store
            .delete_stale_sessions(now - self.cfg.session_idle, now - self.cfg.session_absolute)
            .await?;
        // Expired throttle windows and lapsed single-use marks of the guard, too.
        self.store.sweep_guard_state(now).await?;
        Ok(n)
    }

    /// The time now, from the injected clock (for pages that show times).
    pub fn clock_now(&self) -> OffsetDateTime {
        self.now()
    }
}

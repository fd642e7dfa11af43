//! Passkeys (WebAuthn) on the platform: a person registers one from their account
//! page and then signs in with it instead of a password (phishing-resistant: the
//! browser binds the answer to this site's origin, R-3.1/R-4.4).
//!
//! Each ceremony has two round trips. Between them the relying party's state is
//! kept server-side as a [`Ceremony`] row under the hash of a secret: the session
//! cookie for a registration (so only the session that started it can finish it),
//! a short-lived cookie for a sign-in. A ceremony is taken when it is finished, so
//! an answer cannot be replayed, and it expires after [`CEREMONY_TTL`].
//!
//! A sign-in starts from the e-mail address. A name without a passkey, or with no
//! account at all, gets a decoy challenge shaped like a real one (webauthn-rs's
//! fake credential ids, keyed with this installation's key), so the form does not
//! tell who has an account or a passkey; it simply cannot succeed.

use crate::audit::Event;
use crate::auth::SignIn;
use crate::{Actor, Result, ServiceError, Services, codes, secret_hash};
use mamori_guard::{GuardError, LoginOutcome, PasskeyService};
use mamori_store::Ceremony;
use serde_json::json;
use std::net::IpAddr;
use time::Duration;
use webauthn_rs::prelude::{
    PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
};

/// How long a started ceremony can be finished (WebAuthn's own timeout).
pub const CEREMONY_TTL: Duration = Duration::minutes(5);

/// The state kept for a sign-in to a name that has no passkey.
const DECOY: &str = "decoy";

fn registration_key(session_cookie: &str) -> String {
    format!("register:{}", secret_hash(session_cookie))
}

fn sign_in_key(secret: &str) -> String {
    format!("sign_in:{}", secret_hash(secret))
}

fn json_err(_: serde_json::Error) -> ServiceError {
    ServiceError::Invalid(codes::PASSKEY)
}

/// A guard refusal of a ceremony is the person's (bad answer), anything else ours.
fn ceremony_err(e: GuardError) -> ServiceError {
    match e {
        GuardError::WebAuthn(_) | GuardError::NoSuchAccount => {
            ServiceError::Invalid(codes::PASSKEY)
        }
        e => e.into(),
    }
}

/// A started passkey sign-in: the challenge for the browser and the secret to keep
/// in a short-lived cookie until the answer comes back.
#[derive(Clone)]
pub struct PasskeySignIn {
    /// `PublicKeyCredentialRequestOptions` wrapped as webauthn-rs sends them (JSON).
    pub challenge: serde_json::Value,
    /// The ceremony's secret (give it to this browser only).
    pub secret: String,
}

impl std::fmt::Debug for PasskeySignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasskeySignIn { <redacted> }")
    }
}

impl Services {
    /// Enables passkeys for the site served at `origin` (its public URL, e.g.
    /// `https://mamori.example.jp`); the relying party id is the origin's host.
    /// Browsers allow WebAuthn only on HTTPS or `http://localhost`, and never with
    /// an IP address as the id: such an origin is refused here.
    pub fn enable_passkeys(&self, origin: &str) -> Result<()> {
        let host = origin
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or(""))
            .unwrap_or("");
        let secure = origin.starts_with("https://") || host == "localhost";
        if host.is_empty() || host.parse::<IpAddr>().is_ok() || !secure {
            return Err(ServiceError::Invalid(codes::PASSKEY_OFF));
        }
        let svc = PasskeyService::new(host, origin.trim_end_matches('/'), "Mamori")?;
        self.guard.enable_passkeys(svc)?;
        Ok(())
    }

    /// The origin passkeys work on, if they are enabled.
    pub fn passkey_origin(&self) -> Option<String> {
        self.guard.passkey_service().map(PasskeyService::origin)
    }

    fn passkeys_on(&self) -> Result<()> {
        self.guard
            .passkey_service()
            .map(|_| ())
            .ok_or(ServiceError::Invalid(codes::PASSKEY_OFF))
    }

    /// The ids (hex) of the person's passkeys.
    pub async fn passkey_ids(&self, actor: &Actor) -> Result<Vec<String>> {
        let email = actor.user.email.clone();
        let acc = self.with_guard(move |g| g.account(&email)).await??;
        Ok(acc
            .as_ref()
            .map(PasskeyService::passkey_ids)
            .unwrap_or_default())
    }

    /// Starts registering a passkey for the signed-in person, bound to this session.
    /// Returns the `CreationChallengeResponse` (JSON) for `navigator.credentials.create`.
    pub async fn begin_passkey_registration(
        &self,
        actor: &Actor,
        session_cookie: &str,
    ) -> Result<serde_json::Value> {
        self.passkeys_on()?;
        // Adding a way in needs a recent password or second factor.
        self.require_recent_auth(session_cookie).await?;
        let email = actor.user.email.clone();
        let (challenge, state) = self
            .with_guard(move |g| g.begin_passkey_registration(&email))
            .await?
            .map_err(|e| match e {
                GuardError::NoSuchAccount => ServiceError::Invalid(codes::NO_PASSWORD),
                e => e.into(),
            })?;
        self.store
            .put_ceremony(
                &registration_key(session_cookie),
                &Ceremony {
                    user: actor.user.email.clone(),
                    state: serde_json::to_string(&state)
                        .map_err(|e| ServiceError::Internal(e.to_string()))?,
                    expires_at: self.now() + CEREMONY_TTL,
                },
            )
            .await?;
        serde_json::to_value(&challenge).map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// Finishes the registration this session started with the browser's answer
    /// (`RegisterPublicKeyCredential` JSON). The owner is told (factor notice) and
    /// it is audited.
    pub async fn finish_passkey_registration(
        &self,
        actor: &Actor,
        session_cookie: &str,
        answer: &str,
    ) -> Result<()> {
        self.passkeys_on()?;
        let c = self
            .store
            .take_ceremony(&registration_key(session_cookie))
            .await?
            .filter(|c| c.expires_at > self.now() && c.user == actor.user.email)
            .ok_or(ServiceError::Invalid(codes::PASSKEY))?;
        let state: PasskeyRegistration = serde_json::from_str(&c.state).map_err(json_err)?;
        let answer: RegisterPublicKeyCredential = serde_json::from_str(answer).map_err(json_err)?;
        let email = actor.user.email.clone();
        self.with_guard(move |g| g.finish_passkey_registration(&email, &answer, &state))
            .await?
            .map_err(ceremony_err)?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "add_passkey",
            object: format!("user:{}", actor.user.id.0),
            source: actor.source.clone(),
            detail: json!({}),
        })
        .await
    }

    /// Removes one of the person's passkeys; `NotFound` if they have no such one.
    pub async fn remove_passkey(&self, actor: &Actor, id: &str) -> Result<()> {
        let (email, key) = (actor.user.email.clone(), id.to_string());
        if !self
            .with_guard(move |g| g.remove_passkey(&email, &key))
            .await??
        {
            return Err(ServiceError::NotFound);
        }
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "remove_passkey",
            object: format!("user:{}", actor.user.id.0),
            source: actor.source.clone(),
            detail: json!({"passkey": id.chars().take(16).collect::<String>()}),
        })
        .await
    }

    /// Starts a passkey sign-in for `email` from `source` (a decoy if it has no
    /// passkey). Starts count against the address's login limit.
    pub async fn begin_passkey_sign_in(
        &self,
        email: &str,
        source: IpAddr,
    ) -> Result<PasskeySignIn> {
        self.passkeys_on()?;
        let name = email.trim().to_lowercase();
        let n = name.clone();
        // One trip to the guard's thread: the address's allowance, then the challenge.
        let started = self
            .with_guard(move |g| {
                g.passkey_start_allowed(source)
                    .map(|ok| ok.then(|| g.begin_passkey_login(&n)))
            })
            .await??
            .ok_or(ServiceError::Invalid(codes::TOO_MANY))?;
        let (challenge, state) = match started {
            Ok((challenge, state)) => (
                serde_json::to_value(&challenge),
                serde_json::to_string(&state).map_err(|e| ServiceError::Internal(e.to_string()))?,
            ),
            Err(GuardError::NoSuchAccount | GuardError::WebAuthn(_)) => {
                let mut nonce = [0u8; 32];
                self.env.rng.fill(&mut nonce);
                let key = blake3::derive_key("mamori passkey decoy v1", &self.cfg.guard_key);
                let decoy = self
                    .guard
                    .passkey_service()
                    .ok_or(ServiceError::Invalid(codes::PASSKEY_OFF))?
                    .decoy_authentication(&name, &key, nonce)?;
                (serde_json::to_value(&decoy), DECOY.to_string())
            }
            Err(e) => return Err(e.into()),
        };
        let secret = self.secret();
        self.store
            .put_ceremony(
                &sign_in_key(&secret),
                &Ceremony {
                    user: name,
                    state,
                    expires_at: self.now() + CEREMONY_TTL,
                },
            )
            .await?;
        Ok(PasskeySignIn {
            challenge: challenge.map_err(|e| ServiceError::Internal(e.to_string()))?,
            secret,
        })
    }

    /// Finishes a passkey sign-in with the browser's answer (`PublicKeyCredential`
    /// JSON). A verified passkey signs the person in without a password (it is a
    /// possession factor with user verification); anything else is refused and
    /// audited like a failed password sign-in.
    pub async fn finish_passkey_sign_in(
        &self,
        secret: &str,
        answer: &str,
        source: IpAddr,
    ) -> Result<SignIn> {
        self.passkeys_on()?;
        let Some(c) = self.store.take_ceremony(&sign_in_key(secret)).await? else {
            return self
                .refused(None, source, LoginOutcome::Failed, "passkey")
                .await;
        };
        let user = self.store.user_by_email(&c.user).await?;
        let subject = user.as_ref().map(|u| u.id);
        let live = c.state != DECOY && c.expires_at > self.now();
        let state = serde_json::from_str::<PasskeyAuthentication>(&c.state)
            .ok()
            .filter(|_| live);
        let answer = serde_json::from_str::<PublicKeyCredential>(answer).ok();
        let (Some(state), Some(answer)) = (state, answer) else {
            return self
                .refused(subject, source, LoginOutcome::Failed, "passkey")
                .await;
        };
        let name = c.user.clone();
        let outcome = self
            .with_guard(move |g| {
                let proof = g.finish_passkey_login(&name, &answer, &state)?;
                g.login_with_passkey(&proof, source, None)
            })
            .await?;
        match (outcome, user) {
            (Ok(LoginOutcome::Success(_)), Some(u)) if !u.disabled => {
                self.signed_in(&u, source, "passkey").await.map(SignIn::Ok)
            }
            (Ok(o), _) => self.refused(subject, source, o, "passkey").await,
            (Err(GuardError::WebAuthn(_) | GuardError::NoSuchAccount), _) => {
                self.refused(subject, source, LoginOutcome::Failed, "passkey")
                    .await
            }
            (Err(e), _) => Err(e.into()),
        }
    }
}

//! Enrolling second factors: TOTP, grid cards, recovery codes and passkeys. Every
//! change notifies the owner.

use crate::account::Account;
use crate::account::TotpEnrollment;
use crate::error::{GuardError, Result};
use crate::event::OwnerNotice;
use crate::event::{Attack, EventKind};
use crate::gridcard::GridCard;
use crate::guard::{FactorCheck, Guard, retry_secs};
use crate::outcome::{LoginAttempt, SecondFactor};
use crate::store::HitDecision;
use crate::throttle::canonical_ip;
use crate::webauthn::PasskeyVerified;
use std::net::IpAddr;
use time::OffsetDateTime;
use webauthn_rs::prelude::{
    CreationChallengeResponse, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, RequestChallengeResponse,
};

/// What the user needs to set up an authenticator app. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSetup {
    /// The secret in base32 (to type by hand).
    pub secret_base32: String,
    /// The `otpauth://` URI (to show as a QR code).
    pub uri: String,
}

impl std::fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSetup { <redacted> }")
    }
}

impl Guard {
    fn modify(
        &self,
        username: &str,
        f: impl FnOnce(&mut crate::Account) -> Result<()>,
    ) -> Result<()> {
        let user = self.config.usernames.normalize(username);
        let mut acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        f(&mut acc)?;
        self.store.put_account(&acc)
    }

    fn factor_changed(&self, username: &str, factor: &str) {
        let user = self.config.usernames.normalize(username);
        self.notifier.notify_owner(
            &user,
            &OwnerNotice::FactorChanged {
                factor: factor.into(),
            },
            self.clock.now(),
        );
    }

    /// A new TOTP secret (160 bits) for `username`; nothing is stored until
    /// [`confirm_totp`](Self::confirm_totp) sees a code from the app.
    pub fn begin_totp(&self, username: &str) -> TotpSetup {
        let secret = crate::env::random_bytes::<20>(self.rng.as_ref());
        let user = self.config.usernames.normalize(username);
        TotpSetup {
            secret_base32: data_encoding::BASE32_NOPAD.encode(&secret),
            uri: self
                .config
                .totp
                .provisioning_uri(&secret, &self.config.service_name, &user),
        }
    }

    /// Stores the TOTP secret if `code` is right for it now. Returns whether it was.
    pub fn confirm_totp(&self, username: &str, setup: &TotpSetup, code: &str) -> Result<bool> {
        let secret = data_encoding::BASE32_NOPAD
            .decode(setup.secret_base32.as_bytes())
            .map_err(|e| GuardError::Config(format!("TOTP secret: {e}")))?;
        let now = self.clock.now();
        let Some(step) = self.config.totp.matching_step(&secret, code, now) else {
            return Ok(false);
        };
        self.modify(username, |acc| {
            acc.totp = Some(TotpEnrollment {
                secret,
                last_step: Some(step),
            });
            Ok(())
        })?;
        self.factor_changed(username, "totp");
        Ok(true)
    }

    /// Issues a new grid card (replacing any old one); print it for the user.
    pub fn issue_grid_card(&self, username: &str) -> Result<GridCard> {
        let (card, state) = crate::gridcard::issue(&self.config.grid_card_key, self.rng.as_ref());
        self.modify(username, |acc| {
            acc.grid_card = Some(state);
            Ok(())
        })?;
        self.factor_changed(username, "grid_card");
        Ok(card)
    }

    /// Issues ten new recovery codes (replacing old ones); show them once.
    pub fn issue_recovery_codes(&self, username: &str) -> Result<Vec<String>> {
        let (codes, digests) = crate::recovery::issue_recovery_codes(self.rng.as_ref());
        self.modify(username, |acc| {
            acc.recovery_hashes = digests;
            Ok(())
        })?;
        self.factor_changed(username, "recovery_codes");
        Ok(codes)
    }

    fn passkeys_enabled(&self) -> Result<&crate::webauthn::PasskeyService> {
        self.passkeys
            .get()
            .ok_or_else(|| GuardError::Config("passkeys are not enabled".into()))
    }

    /// Starts registering a passkey for `username`.
    pub fn begin_passkey_registration(
        &self,
        username: &str,
    ) -> Result<(CreationChallengeResponse, PasskeyRegistration)> {
        let user = self.config.usernames.normalize(username);
        let acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        self.passkeys_enabled()?.start_registration(&acc)
    }

    /// Finishes registering a passkey.
    pub fn finish_passkey_registration(
        &self,
        username: &str,
        reply: &RegisterPublicKeyCredential,
        state: &PasskeyRegistration,
    ) -> Result<()> {
        let svc = self.passkeys_enabled()?;
        self.modify(username, |acc| svc.finish_registration(acc, reply, state))?;
        self.factor_changed(username, "passkey");
        Ok(())
    }

    /// Removes the passkey with id `id` (hex, as [`PasskeyService::passkey_ids`]
    /// gives it); `false` if `username` has no such passkey.
    pub fn remove_passkey(&self, username: &str, id: &str) -> Result<bool> {
        let mut removed = false;
        self.modify(username, |acc| {
            let ids = crate::webauthn::PasskeyService::passkey_ids(acc);
            if let Some(i) = ids.iter().position(|x| x == id) {
                acc.passkeys.remove(i);
                removed = true;
            }
            Ok(())
        })?;
        if removed {
            self.factor_changed(username, "passkey_removed");
        }
        Ok(removed)
    }

    /// Starts a passkey assertion for `username`.
    pub fn begin_passkey_login(
        &self,
        username: &str,
    ) -> Result<(RequestChallengeResponse, PasskeyAuthentication)> {
        let user = self.config.usernames.normalize(username);
        let acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        self.passkeys_enabled()?.start_authentication(&acc)
    }

    /// Verifies a passkey assertion; pass the proof as
    /// [`SecondFactor::Passkey`](crate::SecondFactor::Passkey).
    pub fn finish_passkey_login(
        &self,
        username: &str,
        reply: &PublicKeyCredential,
        state: &PasskeyAuthentication,
    ) -> Result<PasskeyVerified> {
        let svc = self.passkeys_enabled()?;
        let mut proof = None;
        self.modify(username, |acc| {
            proof = Some(svc.finish_authentication(acc, reply, state)?);
            Ok(())
        })?;
        proof.ok_or_else(|| GuardError::WebAuthn("no assertion".into()))
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
    pub(crate) fn check_factor(
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
            SecondFactor::GridCard(answer) => match acc.grid_card.as_mut() {
                Some(g) => {
                    let cells: Vec<String> = g
                        .pending
                        .iter()
                        .flatten()
                        .map(|c| c.index.to_string())
                        .collect();
                    let once = format!("grid:{}:{}", g.serial, cells.join(","));
                    // The cells are marked used atomically in the store as well, so
                    // two parallel requests with a stale copy cannot both pass.
                    g.answer(&self.config.grid_card_key, answer)
                        && self
                            .store
                            .use_once(&once, now, now + time::Duration::days(400))?
                }
                None => false,
            },
            SecondFactor::RecoveryCode(code) => {
                match crate::recovery::find_recovery_code(&acc.recovery_hashes, code) {
                    Some(i)
                        if self.store.use_once(
                            &format!("recovery:{}", acc.recovery_hashes[i]),
                            now,
                            now + time::Duration::days(1),
                        )? =>
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
            || !self.store.use_once(
                &format!("totp:{}:{step}", acc.user),
                now,
                now + time::Duration::hours(1),
            )?;
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

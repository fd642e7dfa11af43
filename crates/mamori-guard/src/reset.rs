//! Password issue and reissue: single-use, short-lived tokens stored
//! only as SHA-256 digests of 256 random bits; the same answer and the same work for
//! names that do not exist; a pluggable identity check; and a reset never bypasses
//! an enrolled second factor. An administrator can start a reset but never choose or
//! see the password (the token goes to the owner's registered channel).

use crate::account::{Account, FactorKind};
use crate::env::random_bytes;
use crate::error::{GuardError, Result};
use crate::event::OwnerNotice;
use crate::guard::Guard;
use crate::outcome::{LoginAttempt, SecondFactor};
use crate::policy::Refusal;
use crate::store::TokenRecord;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use time::Duration;

/// Checks that the requester is the account's owner (knowledge of registered data,
/// a call-back, an eKYC result, a counter clerk's check…). The check must not be a
/// weak "reminder question" (R-3.4 names those as a problem).
pub trait IdentityVerifier: Send + Sync {
    /// Whether `evidence` proves the requester owns `account`.
    fn verify(&self, account: &Account, evidence: &str) -> bool;
}

/// Accepts every request: possession of the registered mailbox or phone, to which
/// the token is delivered, is then the identity check.
#[derive(Debug, Default, Clone, Copy)]
pub struct PossessionOfChannel;

impl IdentityVerifier for PossessionOfChannel {
    fn verify(&self, _account: &Account, _evidence: &str) -> bool {
        true
    }
}

/// Sends a reset token to the owner's registered channel (mail, SMS, post).
pub trait ResetDelivery: Send + Sync {
    /// Delivers `token` for `user`. Never log the token.
    fn deliver(&self, user: &str, token: &str);
}

/// The answer to a completed reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetOutcome {
    /// The password was set.
    Done,
    /// The token is unknown, used or expired.
    InvalidToken,
    /// The account has a second factor: send it with the new password.
    SecondFactorRequired {
        /// What the account has.
        methods: Vec<FactorKind>,
    },
    /// The second factor was wrong.
    SecondFactorFailed,
    /// The new password is refused.
    Refused(Refusal),
}

fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

const PURPOSE: &str = "reset";

impl Guard {
    fn new_reset_token(&self, user: &str) -> Result<(String, String, TokenRecord)> {
        let token = data_encoding::BASE64URL_NOPAD.encode(&random_bytes::<32>(self.rng.as_ref()));
        let digest = token_digest(&token);
        let record = TokenRecord {
            user: user.to_string(),
            expires: self.clock.now() + Duration::seconds(self.config.reset_token_ttl_secs),
            purpose: PURPOSE.into(),
        };
        Ok((token, digest, record))
    }

    /// A user asks for a reset. Always returns `Ok(())` for any name, doing the same
    /// work; when the name exists and `verifier` accepts `evidence`, a token goes to
    /// the owner through `delivery` and older reset tokens are void.
    pub fn request_reset(
        &self,
        username: &str,
        evidence: &str,
        verifier: &dyn IdentityVerifier,
        delivery: &dyn ResetDelivery,
    ) -> Result<()> {
        let user = self.config.usernames.normalize(username);
        let account = self.store.account(&user)?;
        let placeholder = Account::new(user.clone(), "", self.clock.now());
        let (token, digest, record) = self.new_reset_token(&user)?;
        let verified = verifier.verify(account.as_ref().unwrap_or(&placeholder), evidence);
        if account.is_some() && verified {
            self.store.drop_tokens(&user, PURPOSE)?;
            self.store.put_token(&digest, &record)?;
            delivery.deliver(&user, &token);
            self.notifier
                .notify_owner(&user, &OwnerNotice::ResetRequested, self.clock.now());
        }
        Ok(())
    }

    /// An administrator starts a reset for `username`: the owner gets a token; the
    /// administrator sees neither it nor the password. The account must reset.
    pub fn admin_reset(&self, username: &str, delivery: &dyn ResetDelivery) -> Result<()> {
        let user = self.config.usernames.normalize(username);
        let mut acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        acc.must_reset = true;
        self.store.put_account(&acc)?;
        let (token, digest, record) = self.new_reset_token(&user)?;
        self.store.drop_tokens(&user, PURPOSE)?;
        self.store.put_token(&digest, &record)?;
        delivery.deliver(&user, &token);
        self.notifier
            .notify_owner(&user, &OwnerNotice::ResetRequested, self.clock.now());
        Ok(())
    }

    /// Completes a reset with the token, a new password and, when the account has
    /// one, a second factor. The token is used up only when the reset succeeds or
    /// expires; a refused password or a missing factor keeps it for another try.
    pub fn complete_reset(
        &self,
        token: &str,
        new_password: &str,
        second_factor: Option<SecondFactor<'_>>,
        source: IpAddr,
    ) -> Result<ResetOutcome> {
        let now = self.clock.now();
        let digest = token_digest(token);
        let Some(record) = self.store.take_token(&digest)? else {
            return Ok(ResetOutcome::InvalidToken);
        };
        if record.purpose != PURPOSE || now >= record.expires {
            return Ok(ResetOutcome::InvalidToken);
        }
        let Some(acc) = self.store.account(&record.user)? else {
            return Ok(ResetOutcome::InvalidToken);
        };
        let put_back = |outcome: ResetOutcome| -> Result<ResetOutcome> {
            self.store.put_token(&digest, &record)?;
            Ok(outcome)
        };
        // Check the password first, so a refused one does not use up a code.
        let mut previous = acc.previous_phcs.clone();
        previous.extend(acc.password_phc.clone());
        if let Some(r) = self.check_password(
            new_password,
            Some(&acc.user),
            Some(&acc.display_name),
            acc.has_second_factor(),
            &previous,
        )? {
            return put_back(ResetOutcome::Refused(r));
        }
        if acc.has_second_factor() {
            let Some(f) = second_factor else {
                return put_back(ResetOutcome::SecondFactorRequired {
                    methods: acc.factors(),
                });
            };
            let attempt = LoginAttempt {
                username: &acc.user,
                password: "",
                source,
                device_token: None,
                second_factor: Some(f),
                step_up_passed: false,
            };
            if !self.verify_factor_only(&attempt)? {
                return put_back(ResetOutcome::SecondFactorFailed);
            }
        }
        match self.set_password(&acc.user, new_password)? {
            Ok(()) => Ok(ResetOutcome::Done),
            Err(r) => put_back(ResetOutcome::Refused(r)),
        }
    }
}

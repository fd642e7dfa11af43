//! WebAuthn passkeys and security keys (`webauthn-rs`): the registration and
//! authentication ceremonies as an API. The ceremony state goes back to the caller
//! (keep it in the server-side session), so the guard stays stateless between the
//! two round trips. Passkeys are phishing-resistant: an assertion is bound to the
//! site's origin, so a password phished on a look-alike site is not enough.

use crate::account::Account;
use crate::error::{GuardError, Result};
use webauthn_rs::fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator};
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};
use webauthn_rs_proto::{
    AllowCredentials, PublicKeyCredentialRequestOptions, UserVerificationPolicy,
};

/// Proof that a passkey assertion for `user` was verified. Only this module makes
/// one, so a [`SecondFactor::Passkey`](crate::SecondFactor) cannot be forged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyVerified {
    user: String,
}

impl PasskeyVerified {
    /// The account the assertion was for.
    pub fn user(&self) -> &str {
        &self.user
    }
}

/// The relying party.
#[derive(Debug)]
pub struct PasskeyService {
    webauthn: Webauthn,
    rp_id: String,
}

fn err(e: impl std::fmt::Display) -> GuardError {
    GuardError::WebAuthn(e.to_string())
}

/// A stable WebAuthn user handle derived from the account name (no personal data
/// leaves in it: it is a keyed hash).
fn user_handle(user: &str) -> Uuid {
    let h = blake3::derive_key("mamori-guard webauthn user handle v1", user.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    Uuid::from_bytes(b)
}

fn passkeys(acc: &Account) -> Vec<Passkey> {
    acc.passkeys
        .iter()
        .filter_map(|v| serde_json::from_value(v.clone()).ok())
        .collect()
}

impl PasskeyService {
    /// A relying party with id `rp_id` (the site's domain) serving `origin`.
    pub fn new(rp_id: &str, origin: &str, rp_name: &str) -> Result<Self> {
        let origin = Url::parse(origin).map_err(err)?;
        let webauthn = WebauthnBuilder::new(rp_id, &origin)
            .map_err(err)?
            .rp_name(rp_name)
            .build()
            .map_err(err)?;
        Ok(PasskeyService {
            webauthn,
            rp_id: rp_id.to_string(),
        })
    }

    /// The origin the browser must be on (`https://mamori.example.jp`).
    pub fn origin(&self) -> String {
        self.webauthn
            .get_allowed_origins()
            .first()
            .map(|o| o.as_str().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }

    /// The relying party id (the site's domain).
    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    /// A challenge for a name that has no passkey (or does not exist), shaped like
    /// a real one, so that the sign-in form does not tell who has an account or a
    /// passkey. Its credential ids come from webauthn-rs's fake-credential generator
    /// (deterministic per name, keyed with `key`, realistic lengths), so asking twice
    /// gives the same ids and no authenticator holds them: it cannot succeed.
    pub fn decoy_authentication(
        &self,
        user: &str,
        key: &[u8; 32],
        challenge: [u8; 32],
    ) -> Result<RequestChallengeResponse> {
        let ids = WebauthnFakeCredentialGenerator::<FakePasskeyDistribution>::new(key)
            .and_then(|g| g.generate(user.as_bytes()))
            .map_err(err)?;
        Ok(RequestChallengeResponse {
            public_key: PublicKeyCredentialRequestOptions {
                challenge: challenge.to_vec(),
                timeout: Some(
                    u32::try_from(webauthn_rs::DEFAULT_AUTHENTICATOR_TIMEOUT.as_millis())
                        .unwrap_or(u32::MAX),
                ),
                rp_id: self.rp_id.clone(),
                allow_credentials: ids
                    .into_iter()
                    .map(|id| AllowCredentials {
                        type_: "public-key".into(),
                        id,
                        transports: None,
                    })
                    .collect(),
                user_verification: UserVerificationPolicy::Required,
                hints: None,
                extensions: None,
            },
            mediation: None,
        })
    }

    /// Starts registering a passkey: send the challenge to the browser, keep the state.
    pub fn start_registration(
        &self,
        acc: &Account,
    ) -> Result<(CreationChallengeResponse, PasskeyRegistration)> {
        let exclude = passkeys(acc)
            .iter()
            .map(|p| p.cred_id().clone())
            .collect::<Vec<_>>();
        self.webauthn
            .start_passkey_registration(
                user_handle(&acc.user),
                &acc.user,
                &acc.display_name,
                (!exclude.is_empty()).then_some(exclude),
            )
            .map_err(err)
    }

    /// The ids (hex) of `acc`'s passkeys, in the order they were added.
    pub fn passkey_ids(acc: &Account) -> Vec<String> {
        passkeys(acc)
            .iter()
            .map(|p| hex::encode(p.cred_id().as_slice()))
            .collect()
    }

    /// Finishes registration and adds the passkey to `acc` (the caller saves it).
    pub fn finish_registration(
        &self,
        acc: &mut Account,
        reply: &RegisterPublicKeyCredential,
        state: &PasskeyRegistration,
    ) -> Result<()> {
        let pk = self
            .webauthn
            .finish_passkey_registration(reply, state)
            .map_err(err)?;
        acc.passkeys.push(serde_json::to_value(&pk).map_err(err)?);
        Ok(())
    }

    /// Starts an assertion for `acc`'s passkeys.
    pub fn start_authentication(
        &self,
        acc: &Account,
    ) -> Result<(RequestChallengeResponse, PasskeyAuthentication)> {
        let keys = passkeys(acc);
        if keys.is_empty() {
            return Err(GuardError::WebAuthn("no passkey enrolled".into()));
        }
        self.webauthn
            .start_passkey_authentication(&keys)
            .map_err(err)
    }

    /// Verifies the assertion; updates the stored counter in `acc` (the caller saves).
    pub fn finish_authentication(
        &self,
        acc: &mut Account,
        reply: &PublicKeyCredential,
        state: &PasskeyAuthentication,
    ) -> Result<PasskeyVerified> {
        let res = self
            .webauthn
            .finish_passkey_authentication(reply, state)
            .map_err(err)?;
        let mut keys = passkeys(acc);
        for k in &mut keys {
            k.update_credential(&res);
        }
        acc.passkeys = keys
            .iter()
            .filter_map(|k| serde_json::to_value(k).ok())
            .collect();
        Ok(PasskeyVerified {
            user: acc.user.clone(),
        })
    }
}

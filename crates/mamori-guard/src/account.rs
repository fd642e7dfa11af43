//! What the guard keeps per account. Serialisable so that any store can keep it as
//! one JSON document (the SQL store) or a hash (Redis).

use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use time::OffsetDateTime;

/// One login: when and from where (shown to the user at the next login, R-4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRecord {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// From where.
    pub source: Option<IpAddr>,
}

/// A network a successful login came from, and when it was last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownNetwork {
    /// The network as [`crate::stepup_network`] writes it (`192.0.2.0/24`, `2001:db8:1::/48`).
    pub net: String,
    /// The last successful login from it.
    #[serde(with = "time::serde::rfc3339")]
    pub last: OffsetDateTime,
}

/// Whether the account may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Normal.
    #[default]
    Active,
    /// Disabled after a long time without use; an administrator re-enables it.
    DisabledInactive,
    /// Disabled by an administrator.
    DisabledByAdmin,
}

/// An enrolled TOTP authenticator. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrollment {
    /// The shared secret (raw bytes). Stores should encrypt this column at rest.
    pub secret: Vec<u8>,
    /// The last time step accepted; codes of this or an earlier step are replays.
    pub last_step: Option<u64>,
}

/// The guard's record of one account. `Debug` hides hashes, secrets and tokens.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The normalised login name (the key).
    pub user: String,
    /// The name shown to the user; also a context word the password must not contain.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_phc: Option<String>,
    /// Earlier PHC strings, newest first, for refusing reuse.
    pub previous_phcs: Vec<String>,
    /// TOTP authenticator.
    pub totp: Option<TotpEnrollment>,
    /// Recovery codes, as hex SHA-256 digests; a used one is removed.
    pub recovery_hashes: Vec<String>,
    /// The current grid card (乱数表).
    pub grid_card: Option<crate::gridcard::GridCardState>,
    /// WebAuthn passkeys (webauthn-rs `Passkey`, JSON).
    pub passkeys: Vec<serde_json::Value>,
    /// Hashes (hex BLAKE3) of device tokens issued to devices that logged in.
    pub known_devices: Vec<String>,
    /// Status.
    pub status: AccountStatus,
    /// Set by the leak response or an administrator: the next successful
    /// login must change the password.
    pub must_reset: bool,
    /// The last successful login.
    pub last_login: Option<LoginRecord>,
    /// Recent successful logins, newest first (the owner's usage record, R-4.5).
    #[serde(default)]
    pub recent_logins: Vec<LoginRecord>,
    /// Networks (IPv4 /24, IPv6 /48) of successful logins, most recent first: the
    /// step-up a password-only user passes during a stuffing alert.
    #[serde(default)]
    pub known_networks: Vec<KnownNetwork>,
    /// When the account was created (counts as activity for the inactivity rule).
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

impl std::fmt::Debug for TotpEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpEnrollment")
            .field("secret", &"<redacted>")
            .field("last_step", &self.last_step)
            .finish()
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("user", &self.user)
            .field("display_name", &self.display_name)
            .field("has_password", &self.password_phc.is_some())
            .field("factors", &self.factors())
            .field("known_devices", &self.known_devices.len())
            .field("status", &self.status)
            .field("must_reset", &self.must_reset)
            .field("last_login", &self.last_login)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// A new active account with no password yet.
    pub fn new(
        user: impl Into<String>,
        display_name: impl Into<String>,
        created: OffsetDateTime,
    ) -> Self {
        Account {
            user: user.into(),
            display_name: display_name.into(),
            password_phc: None,
            previous_phcs: Vec::new(),
            totp: None,
            recovery_hashes: Vec::new(),
            grid_card: None,
            passkeys: Vec::new(),
            known_devices: Vec::new(),
            status: AccountStatus::Active,
            must_reset: false,
            last_login: None,
            recent_logins: Vec::new(),
            known_networks: Vec::new(),
            created,
        }
    }

    /// The second factors this account can use.
    pub fn factors(&self) -> Vec<FactorKind> {
        let mut f = Vec::new();
        if !self.passkeys.is_empty() {
            f.push(FactorKind::Passkey);
        }
        if self.totp.is_some() {
            f.push(FactorKind::Totp);
        }
        if self.grid_card.is_some() {
            f.push(FactorKind::GridCard);
        }
        if !self.recovery_hashes.is_empty() {
            f.push(FactorKind::RecoveryCode);
        }
        f
    }

    /// Whether `net` saw a successful login of this account since `since`.
    pub fn knows_network(&self, net: &str, since: OffsetDateTime) -> bool {
        self.known_networks
            .iter()
            .any(|k| k.net == net && k.last >= since)
    }

    /// Records a successful login from `net` at `now`: most recent first, entries older
    /// than `since` dropped, at most `max` kept.
    pub fn remember_network(
        &mut self,
        net: String,
        now: OffsetDateTime,
        since: OffsetDateTime,
        max: usize,
    ) {
        self.known_networks
            .retain(|k| k.net != net && k.last >= since);
        self.known_networks
            .insert(0, KnownNetwork { net, last: now });
        self.known_networks.truncate(max);
    }

    /// Whether any second factor is enrolled (recovery codes alone do not count).
    pub fn has_second_factor(&self) -> bool {
        self.factors()
            .iter()
            .any(|f| *f != FactorKind::RecoveryCode)
    }
}

/// A kind of second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// WebAuthn passkey / security key.
    Passkey,
    /// Time-based one-time password (RFC 6238).
    Totp,
    /// 乱数表 grid card (look-up secret).
    GridCard,
    /// Single-use recovery code.
    RecoveryCode,
}

//! The guard's configuration, one typed struct (units in the names).

use crate::password::HashParams;
use crate::policy::PasswordPolicy;
use crate::stuffing::StuffingConfig;
use crate::throttle::ThrottleConfig;
use crate::totp::Totp;
use crate::username::UsernameRules;

/// Everything the guard can be told.
#[derive(Clone)]
pub struct GuardConfig {
    /// The service's name (a context word passwords must not contain; TOTP issuer).
    pub service_name: String,
    /// Argon2id parameters.
    pub hash: HashParams,
    /// Optional pepper for password hashes (secret; keep outside the database).
    pub pepper: Option<Vec<u8>>,
    /// Password rules.
    pub policy: PasswordPolicy,
    /// Throttling.
    pub throttle: ThrottleConfig,
    /// Credential-stuffing detection.
    pub stuffing: StuffingConfig,
    /// Login-name normalisation.
    pub usernames: UsernameRules,
    /// TOTP parameters.
    pub totp: Totp,
    /// Key for grid-card cell digests (secret; keep outside the database).
    pub grid_card_key: [u8; 32],
    /// Require a second factor of every account (sets the 8-character minimum).
    pub require_second_factor: bool,
    /// Disable accounts unused for this many days; `None`: never.
    pub inactive_after_days: Option<i64>,
    /// Lifetime of password-reset tokens.
    pub reset_token_ttl_secs: i64,
    /// Earlier passwords remembered to refuse reuse.
    pub remember_passwords: usize,
    /// Known devices remembered per account.
    pub remember_devices: usize,
}

impl std::fmt::Debug for GuardConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuardConfig")
            .field("service_name", &self.service_name)
            .field("hash", &self.hash)
            .field("pepper", &self.pepper.as_ref().map(|_| "<secret>"))
            .field("policy", &self.policy)
            .field("throttle", &self.throttle)
            .field("stuffing", &self.stuffing)
            .field("require_second_factor", &self.require_second_factor)
            .field("inactive_after_days", &self.inactive_after_days)
            .finish_non_exhaustive()
    }
}

impl GuardConfig {
    /// Production defaults for a service called `service_name`. `grid_card_key` must
    /// come from a secret store.
    pub fn new(service_name: impl Into<String>, grid_card_key: [u8; 32]) -> Self {
        let service_name = service_name.into();
        GuardConfig {
            policy: PasswordPolicy {
                service_words: vec![service_name.clone()],
                ..PasswordPolicy::default()
            },
            service_name,
            hash: HashParams::default(),
            pepper: None,
            throttle: ThrottleConfig::default(),
            stuffing: StuffingConfig::default(),
            usernames: UsernameRules::default(),
            totp: Totp::default(),
            grid_card_key,
            require_second_factor: false,
            inactive_after_days: Some(365),
            reset_token_ttl_secs: 1_800,
            remember_passwords: 5,
            remember_devices: 20,
        }
    }

    /// The same configuration with cheap hashing, for tests and simulations only.
    pub fn insecure_fast_hashing(mut self) -> Self {
        self.hash = HashParams::insecure_for_tests();
        self
    }
}

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
    /// Disable accounts unused for this many days (R-4.5); `None`: never.
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

/// The settings an operator writes in a configuration file (TOML, JSON): everything
/// but the secrets. Missing fields take the defaults.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardSettings {
    /// The service's name.
    pub service_name: String,
    /// Argon2id parameters.
    pub hash: HashParams,
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
    /// Require a second factor of every account.
    pub require_second_factor: bool,
    /// Disable accounts unused for this many days; `null`: never.
    pub inactive_after_days: Option<i64>,
    /// Lifetime of password-reset tokens.
    pub reset_token_ttl_secs: i64,
    /// Earlier passwords remembered to refuse reuse.
    pub remember_passwords: usize,
    /// Known devices remembered per account.
    pub remember_devices: usize,
}

impl Default for GuardSettings {
    fn default() -> Self {
        GuardConfig::new("mamori", [0; 32]).settings()
    }
}

impl GuardConfig {
    /// The configuration from operator settings and the secrets (from a secret store,
    /// never from the settings file).
    pub fn from_settings(
        s: GuardSettings,
        pepper: Option<Vec<u8>>,
        grid_card_key: [u8; 32],
    ) -> Self {
        let mut policy = s.policy;
        if !policy.service_words.iter().any(|w| w == &s.service_name) {
            policy.service_words.push(s.service_name.clone());
        }
        GuardConfig {
            service_name: s.service_name,
            hash: s.hash,
            pepper,
            policy,
            throttle: s.throttle,
            stuffing: s.stuffing,
            usernames: s.usernames,
            totp: s.totp,
            grid_card_key,
            require_second_factor: s.require_second_factor,
            inactive_after_days: s.inactive_after_days,
            reset_token_ttl_secs: s.reset_token_ttl_secs,
            remember_passwords: s.remember_passwords,
            remember_devices: s.remember_devices,
        }
    }

    /// The non-secret part, as settings.
    pub fn settings(&self) -> GuardSettings {
        GuardSettings {
            service_name: self.service_name.clone(),
            hash: self.hash,
            policy: self.policy.clone(),
            throttle: self.throttle.clone(),
            stuffing: self.stuffing.clone(),
            usernames: self.usernames.clone(),
            totp: self.totp,
            require_second_factor: self.require_second_factor,
            inactive_after_days: self.inactive_after_days,
            reset_token_ttl_secs: self.reset_token_ttl_secs,
            remember_passwords: self.remember_passwords,
            remember_devices: self.remember_devices,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_file_overrides_some_fields_and_keeps_defaults() {
        let json = r#"{
            "service_name": "example-bank",
            "hash": { "memory_kib": 65536 },
            "throttle": { "ip": { "limit": 20, "window_secs": 300, "free_attempts": 4294967295, "base_delay_ms": 0, "max_delay_ms": 0 } },
            "require_second_factor": true
        }"#;
        let s: GuardSettings = serde_json::from_str(json).unwrap();
        let c = GuardConfig::from_settings(s, None, [1; 32]);
        assert_eq!(c.hash.memory_kib, 65_536);
        assert_eq!(c.hash.iterations, 2, "default kept");
        assert_eq!(c.throttle.ip.limit, 20);
        assert_eq!(c.throttle.account.limit, 100, "default kept");
        assert!(c.policy.service_words.contains(&"example-bank".to_string()));
        assert!(c.require_second_factor);
        // Secrets are not part of the settings and cannot be set from the file.
        let bad: Result<GuardSettings, _> = serde_json::from_str(r#"{"pepper": "x"}"#);
        assert!(bad.is_err());
        let round = serde_json::to_string(&c.settings()).unwrap();
        assert!(!round.contains("grid_card_key") && !round.contains("pepper"));
    }
}

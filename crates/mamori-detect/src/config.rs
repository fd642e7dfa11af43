//! Scan configuration: which requests are logins, detection thresholds, JSON field
//! names. Read from TOML; every field has a documented default, so an empty file
//! (or none) is a valid configuration. See `docs/scan-config.md` for a full example.

use crate::format::JsonFields;
use serde::Deserialize;
use std::sync::Arc;

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site-specific login endpoints, tried before the built-in ones.
    pub login: Vec<LoginRule>,
    /// Whether the built-in login endpoints (WordPress, common forms and JSON APIs)
    /// are used after the site-specific ones. Default `true`.
    pub default_logins: bool,
    /// Detection thresholds and windows.
    pub thresholds: Thresholds,
    /// Key names of JSON access logs.
    pub json_fields: JsonFields,
    /// UTC offset of logs whose timestamps have none (BSD syslog, error logs), e.g.
    /// `"+09:00"`. Default: the machine's local offset.
    pub timezone: Option<String>,
    /// The OWASP Core Rule Set, when loaded (`mamori scan --crs`): requests the
    /// built-in classifier finds nothing in are evaluated by it. Not read from TOML.
    #[serde(skip)]
    pub crs: Option<Crs>,
}

/// A loaded OWASP Core Rule Set, shared by the scan threads.
#[derive(Debug, Clone)]
pub struct Crs(pub Arc<mamori_crs::RuleSet>);

impl PartialEq for Crs {
    /// The same loaded rule set.
    fn eq(&self, other: &Crs) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            login: Vec::new(),
            default_logins: true,
            thresholds: Thresholds::default(),
            json_fields: JsonFields::default(),
            timezone: None,
            crs: None,
        }
    }
}

/// One login endpoint and how its answers look.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LoginRule {
    /// A name shown in findings (`"members"`).
    pub name: String,
    /// HTTP method; default `POST`.
    #[serde(default = "default_method")]
    pub method: String,
    /// Exact path (query ignored), e.g. `/login`.
    #[serde(default)]
    pub path: Option<String>,
    /// Or a regular expression over the path.
    #[serde(default)]
    pub path_regex: Option<String>,
    /// Statuses that mean the login succeeded (e.g. `[302]`).
    #[serde(default)]
    pub success_status: Vec<u16>,
    /// Statuses that mean it failed (e.g. `[200, 401]`).
    #[serde(default)]
    pub failure_status: Vec<u16>,
    /// Query parameter that carries the user name, when the form uses GET.
    #[serde(default)]
    pub user_param: Option<String>,
}

fn default_method() -> String {
    "POST".to_owned()
}

/// Thresholds and windows. Units are in the names.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Brute force: failed logins from one source against one login target
    /// (or one account) within `brute_force_window_secs`. Default 20.
    pub brute_force_failures: u32,
    /// Default 600 (10 minutes).
    pub brute_force_window_secs: i64,
    /// Password spraying: distinct accounts tried by one source within
    /// `spray_window_secs`. Default 10.
    pub spray_accounts: u32,
    /// Default 3600.
    pub spray_window_secs: i64,
    /// Password spraying: at most this many tries per account on average. Default 3.
    pub spray_max_tries_per_account: f64,
    /// Credential stuffing is judged over sliding windows of this length. Default 3600.
    pub stuffing_window_secs: i64,
    /// … made of buckets of this length. Default 300.
    pub stuffing_bucket_secs: i64,
    /// Distinct sources that failed and never succeeded in the window. Default 20.
    pub stuffing_min_sources: u32,
    /// Failed logins in the window. Default 40.
    pub stuffing_min_failures: u32,
    /// Share of failing sources that never succeed. Default 0.7.
    pub stuffing_min_failing_share: f64,
    /// A successful login preceded by at least this many failures from the same source
    /// within `success_lookback_secs` is "probably a successful attack". Default 5.
    pub success_after_failures: u32,
    /// Default 3600.
    pub success_lookback_secs: i64,
    /// A successful login from a source that sent attacks within this many seconds
    /// before is suspicious. Default 86400.
    pub attacker_memory_secs: i64,
    /// sshd user enumeration: distinct invalid user names from one source within
    /// `enumeration_window_secs`. Default 5.
    pub enumeration_users: u32,
    /// Default 3600.
    pub enumeration_window_secs: i64,
    /// Reconnaissance: distinct probe paths (admin panels, secrets) from one source
    /// before it becomes a finding. Default 3. A probe answered with content
    /// (2xx) is always a finding.
    pub probe_min_paths: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            brute_force_failures: 20,
            brute_force_window_secs: 600,
            spray_accounts: 10,
            spray_window_secs: 3600,
            spray_max_tries_per_account: 3.0,
            stuffing_window_secs: 3600,
            stuffing_bucket_secs: 300,
            stuffing_min_sources: 20,
            stuffing_min_failures: 40,
            stuffing_min_failing_share: 0.7,
            success_after_failures: 5,
            success_lookback_secs: 3600,
            attacker_memory_secs: 86_400,
            enumeration_users: 5,
            enumeration_window_secs: 3600,
            probe_min_paths: 3,
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// TOML syntax or an unknown/mistyped key; the message names line and key.
    #[error("invalid configuration: {0}")]
    Toml(#[from] toml::de::Error),
    /// A login rule's `path_regex` does not compile.
    #[error("login rule `{name}`: invalid path_regex: {source}")]
    Regex {
        /// The rule's name.
        name: String,
        /// The regex error.
        source: regex::Error,
    },
    /// A login rule has neither `path` nor `path_regex`.
    #[error("login rule `{0}` needs `path` or `path_regex`")]
    NoPath(String),
    /// A value is out of range.
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Parses a TOML configuration.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text)?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        for rule in &self.login {
            if rule.path.is_none() && rule.path_regex.is_none() {
                return Err(ConfigError::NoPath(rule.name.clone()));
            }
            if let Some(re) = &rule.path_regex {
                regex::Regex::new(re).map_err(|source| ConfigError::Regex {
                    name: rule.name.clone(),
                    source,
                })?;
            }
        }
        let t = &self.thresholds;
        if t.stuffing_bucket_secs <= 0 || t.stuffing_window_secs < t.stuffing_bucket_secs {
            return Err(ConfigError::Invalid(
                "thresholds.stuffing_bucket_secs must be > 0 and ≤ stuffing_window_secs".into(),
            ));
        }
        for (name, v) in [
            ("brute_force_window_secs", t.brute_force_window_secs),
            ("spray_window_secs", t.spray_window_secs),
            ("success_lookback_secs", t.success_lookback_secs),
            ("enumeration_window_secs", t.enumeration_window_secs),
        ] {
            if v <= 0 {
                return Err(ConfigError::Invalid(format!(
                    "thresholds.{name} must be > 0"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
    }

    #[test]
    fn site_login_and_thresholds() {
        let c = Config::from_toml(
            r#"
            [[login]]
            name = "members"
            path = "/members/login"
            success_status = [302]
            failure_status = [200, 401]

            [thresholds]
            brute_force_failures = 5
            "#,
        )
        .unwrap();
        assert_eq!(c.login[0].method, "POST");
        assert_eq!(c.thresholds.brute_force_failures, 5);
        assert_eq!(c.thresholds.spray_accounts, 10);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = Config::from_toml("[thresholds]\nbrute_force_failure = 5\n").unwrap_err();
        assert!(e.to_string().contains("brute_force_failure"), "{e}");
        let e = Config::from_toml("[[login]]\nname = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("needs `path`"), "{e}");
        let e = Config::from_toml("[[login]]\nname = \"x\"\npath_regex = \"(\"\n").unwrap_err();
        assert!(e.to_string().contains("path_regex"), "{e}");
    }
}

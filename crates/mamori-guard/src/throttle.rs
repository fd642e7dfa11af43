//! Throttling without lockout-DoS.
//!
//! Counters, all checked and incremented atomically in the store *before* any
//! password hash is computed:
//!
//! * per account (`acct:`): a Kanidm-like soft lock — free attempts, then delays that
//!   double up to a cap, and a hard stop after 100 consecutive failures (NIST
//!   SP 800-63B-4 §3.2.2) that only a reset or a second factor lifts. Unknown names
//!   are counted the same way, after normalisation.
//! * per account and known device (`dev:`): a device that logged in before gets its
//!   own counter, so an attacker hammering the account does not lock its owner out.
//! * per IP address and per network (`/24` IPv4, `/64` IPv6), in sliding windows.
//! * per account for second-factor codes (`mfa:`).

use crate::store::CounterRule;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Throttling settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThrottleConfig {
    /// Per account from unknown devices.
    pub account: CounterRule,
    /// Per account from a device that logged in before.
    pub known_device: CounterRule,
    /// Per client address.
    pub ip: CounterRule,
    /// Per network (`/24`, `/64`).
    pub network: CounterRule,
    /// Per account, second-factor codes.
    pub second_factor: CounterRule,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            account: CounterRule {
                limit: 100,
                window_secs: None,
                free_attempts: 3,
                base_delay_ms: 1_000,
                max_delay_ms: 60_000,
            },
            known_device: CounterRule {
                limit: 100,
                window_secs: None,
                free_attempts: 5,
                base_delay_ms: 1_000,
                max_delay_ms: 30_000,
            },
            ip: CounterRule {
                limit: 100,
                window_secs: Some(600),
                free_attempts: u32::MAX,
                base_delay_ms: 0,
                max_delay_ms: 0,
            },
            network: CounterRule {
                limit: 1_000,
                window_secs: Some(600),
                free_attempts: u32::MAX,
                base_delay_ms: 0,
                max_delay_ms: 0,
            },
            second_factor: CounterRule {
                limit: 10,
                window_secs: Some(900),
                free_attempts: 3,
                base_delay_ms: 1_000,
                max_delay_ms: 30_000,
            },
        }
    }
}

/// The network an address belongs to for counting: `/24` for IPv4, `/64` for IPv6
/// (IPv4-mapped IPv6 addresses count as IPv4).
pub fn network_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return network_of(IpAddr::V4(v4));
            }
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The client address as counted (IPv4-mapped addresses unwrapped).
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

pub(crate) fn account_key(user: &str) -> String {
    format!("acct:{user}")
}
pub(crate) fn device_key(user: &str, device_digest: &str) -> String {
    format!("dev:{user}:{device_digest}")
}
pub(crate) fn ip_key(ip: IpAddr) -> String {
    format!("ip:{}", canonical_ip(ip))
}
pub(crate) fn net_key(ip: IpAddr) -> String {
    format!("net:{}", network_of(ip))
}
pub(crate) fn mfa_key(user: &str) -> String {
    format!("mfa:{user}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_24_and_64() {
        assert_eq!(
            network_of("203.0.113.77".parse().unwrap()),
            "203.0.113.0/24"
        );
        assert_eq!(
            network_of("2001:db8:1:2:3:4:5:6".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            network_of("::ffff:198.51.100.9".parse().unwrap()),
            "198.51.100.0/24"
        );
        assert_eq!(
            ip_key("::ffff:198.51.100.9".parse().unwrap()),
            "ip:198.51.100.9"
        );
    }

    #[test]
    fn account_rule_is_nist_100() {
        assert_eq!(ThrottleConfig::default().account.limit, 100);
        assert_eq!(ThrottleConfig::default().account.window_secs, None);
    }
}

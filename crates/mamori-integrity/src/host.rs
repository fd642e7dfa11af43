//! Facts about the machine, recorded in baselines and evidence manifests.

use serde::{Deserialize, Serialize};

/// Host name, operating system and kernel.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HostFacts {
    /// Host name.
    pub hostname: String,
    /// `PRETTY_NAME` from `/etc/os-release`, else `std::env::consts::OS`.
    pub os: String,
    /// Kernel release (`/proc/sys/kernel/osrelease`).
    pub kernel: String,
    /// CPU architecture.
    pub arch: String,
}

impl HostFacts {
    /// Reads the facts of this machine; missing facts are left as `unknown`.
    pub fn gather() -> HostFacts {
        let hostname = hostname::get()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "unknown".to_owned());
        let os = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                    .map(|v| v.trim_matches('"').to_owned())
            })
            .unwrap_or_else(|| std::env::consts::OS.to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|_| "unknown".to_owned());
        HostFacts {
            hostname,
            os,
            kernel,
            arch: std::env::consts::ARCH.to_owned(),
        }
    }
}

/// Formats a time as RFC 3339 (UTC).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

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

/// User and group names by id, from `/etc/passwd` and `/etc/group`, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accounts {
    users: std::collections::HashMap<u32, String>,
    groups: std::collections::HashMap<u32, String>,
}

impl Accounts {
    /// Parses passwd- and group-format text (`name:x:id:…`); bad lines are skipped.
    pub fn parse(passwd: &str, group: &str) -> Accounts {
        let table = |text: &str| {
            text.lines()
                .filter_map(|l| {
                    let mut f = l.split(':');
                    let name = f.next()?;
                    let id = f.nth(1)?.parse().ok()?;
                    (!name.is_empty()).then(|| (id, name.to_owned()))
                })
                .collect()
        };
        Accounts {
            users: table(passwd),
            groups: table(group),
        }
    }

    /// Reads this machine's `/etc/passwd` and `/etc/group` (empty when unreadable).
    pub fn load() -> Accounts {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        Accounts::parse(&read("/etc/passwd"), &read("/etc/group"))
    }

    /// The user name of `uid`.
    pub fn user(&self, uid: u32) -> Option<&str> {
        self.users.get(&uid).map(String::as_str)
    }

    /// The group name of `gid`.
    pub fn group(&self, gid: u32) -> Option<&str> {
        self.groups.get(&gid).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_passwd_and_group_lines() {
        let a = Accounts::parse(
            "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\nbroken\n",
            "root:x:0:\nadm:x:4:syslog\n",
        );
        assert_eq!(a.user(33), Some("www-data"));
        assert_eq!(a.group(4), Some("adm"));
        assert_eq!(a.user(1000), None);
    }
}

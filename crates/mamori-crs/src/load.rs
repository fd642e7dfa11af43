//! Reading a CRS directory: which files apply to an access-log line, and where the
//! rules are installed.

use crate::{RuleSet, Source};
use std::path::{Path, PathBuf};

/// A rule directory that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The directory (or a file in it) cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The directory has no `REQUEST-9xx-*.conf` rule files.
    #[error("no CRS rule files (REQUEST-9xx-*.conf) in {0}")]
    NoRules(PathBuf),
}

/// Where distributions install CRS, in the order they are tried: Debian's and
/// Ubuntu's `modsecurity-crs` package first.
pub const DEFAULT_DIRS: &[&str] = &[
    "/usr/share/modsecurity-crs/rules",
    "/etc/modsecurity/crs/rules",
    "/etc/modsecurity/crs",
    "/usr/share/owasp-modsecurity-crs/rules",
    "/usr/share/owasp-modsecurity-crs",
];

/// The first installed CRS rule directory, if any.
pub fn default_dir() -> Option<PathBuf> {
    DEFAULT_DIRS
        .iter()
        .map(PathBuf::from)
        .find(|d| has_rules(d))
}

fn has_rules(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| applies(&e.file_name().to_string_lossy()))
    })
}

/// Whether a rule file can apply to an access-log line: the request rules, except
/// the application exclusions (903.x, opt-in), IP reputation (910), method
/// enforcement (911: the allowed methods are the site's policy, which a log reader
/// does not know — PUT, PATCH and DELETE are everyday REST calls, and a request the
/// server refused by method is no attack on it), DoS (912), multipart bodies (922)
/// and the blocking evaluation (949, scored here).
pub fn applies(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("REQUEST-9") else {
        return false;
    };
    if !name.ends_with(".conf") {
        return false;
    }
    let num = rest.get(..2).unwrap_or("");
    !(rest.starts_with("03.")
        || rest.starts_with("03-")
        || matches!(num, "10" | "11" | "12" | "22" | "49"))
}

impl RuleSet {
    /// Loads the rules of a CRS directory (or of its `rules/` subdirectory) at
    /// paranoia level `paranoia`.
    pub fn load_dir(dir: &Path, paranoia: u8) -> Result<RuleSet, LoadError> {
        let dir = if has_rules(dir) {
            dir.to_path_buf()
        } else {
            let sub = dir.join("rules");
            if has_rules(&sub) {
                sub
            } else {
                return Err(LoadError::NoRules(dir.to_path_buf()));
            }
        };
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| LoadError::Io { path, source }
        };
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(io(&dir))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| applies(n))
            .collect();
        names.sort();
        let mut sources = Vec::with_capacity(names.len());
        for name in names {
            let path = dir.join(&name);
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            sources.push(Source { name, text });
        }
        let data_dir = dir.clone();
        let data = move |f: &str| -> Option<String> {
            // Data files are named relative to the rule directory; no path escapes.
            if f.contains("..") || f.starts_with('/') {
                return None;
            }
            std::fs::read_to_string(data_dir.join(f)).ok()
        };
        let mut set = RuleSet::build(&sources, &data, paranoia);
        set.dir = Some(dir);
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::applies;

    #[test]
    fn which_files_apply() {
        assert!(applies("REQUEST-942-APPLICATION-ATTACK-SQLI.conf"));
        assert!(applies("REQUEST-901-INITIALIZATION.conf"));
        assert!(applies("REQUEST-913-SCANNER-DETECTION.conf"));
        assert!(!applies("REQUEST-903.9002-WORDPRESS-EXCLUSION-RULES.conf"));
        assert!(!applies("REQUEST-910-IP-REPUTATION.conf"));
        assert!(!applies("REQUEST-911-METHOD-ENFORCEMENT.conf"));
        assert!(!applies("REQUEST-912-DOS-PROTECTION.conf"));
        assert!(!applies("REQUEST-922-MULTIPART-ATTACK.conf"));
        assert!(!applies("REQUEST-949-BLOCKING-EVALUATION.conf"));
        assert!(!applies("RESPONSE-950-DATA-LEAKAGES.conf"));
        assert!(!applies("REQUEST-942-APPLICATION-ATTACK-SQLI.conf.example"));
        assert!(!applies("crs-setup.conf"));
    }
}

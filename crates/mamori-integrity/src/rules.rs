//! Which entries are recorded and which attributes matter where: a readable TOML
//! configuration with built-in defaults for a web server, `/etc`, logs and system binaries.
//!
//! ```
//! use mamori_integrity::{Attr, Config};
//! let rules = Config::builtin().compile().unwrap();
//! let web = rules.rule_for(std::path::Path::new("/var/www/html/index.php"));
//! assert_eq!(web.name, "web-content");
//! assert!(web.attributes.contains(Attr::Inode));
//! let log = rules.rule_for(std::path::Path::new("/var/log/nginx/access.log"));
//! assert!(log.may_grow);
//! ```

use crate::entry::Attr;
use crate::error::{Error, Result};
use crate::hash::HashAlgo;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The built-in configuration, as shipped (`mamori integrity init --print-config` shows it).
pub const DEFAULT_CONFIG_TOML: &str = include_str!("default-config.toml");

/// The integrity configuration (TOML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Content hash algorithm.
    #[serde(default)]
    pub hash: HashAlgo,
    /// Record extended attributes (and thereby POSIX ACLs).
    #[serde(default)]
    pub xattrs: bool,
    /// Follow symbolic links (loops are detected and reported).
    #[serde(default)]
    pub follow_symlinks: bool,
    /// When not empty, only entries matching one of these globs are recorded.
    #[serde(default)]
    pub include: Vec<String>,
    /// Entries matching one of these globs are not recorded (a directory: its whole subtree).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Attributes compared where no rule matches.
    #[serde(default = "default_attributes")]
    pub default_attributes: Vec<Attr>,
    /// Rules, first match wins.
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
}

/// Which attributes matter for the paths matching `paths`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Short name shown in reports.
    pub name: String,
    /// What the rule protects, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Globs on absolute paths (`*` stays within a directory, `**` crosses directories).
    pub paths: Vec<String>,
    /// Attributes compared.
    pub attributes: Vec<Attr>,
    /// The file may grow (append-only, e.g. logs): a larger size is fine as long as the bytes
    /// present at baseline time are unchanged; a smaller size or rewritten history is reported.
    #[serde(default)]
    pub may_grow: bool,
}

fn default_attributes() -> Vec<Attr> {
    vec![
        Attr::Type,
        Attr::Size,
        Attr::Mode,
        Attr::Uid,
        Attr::Gid,
        Attr::Mtime,
        Attr::Target,
        Attr::Xattrs,
        Attr::Hash,
    ]
}

impl Default for Config {
    fn default() -> Config {
        Config::builtin()
    }
}

impl Config {
    /// The built-in configuration.
    pub fn builtin() -> Config {
        #[allow(clippy::expect_used)] // the shipped file is checked by a unit test
        toml::from_str(DEFAULT_CONFIG_TOML).expect("built-in configuration parses")
    }

    /// Parses a configuration file's text (`path` is only used in errors).
    pub fn from_toml(text: &str, path: &Path) -> Result<Config> {
        let cfg: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
        cfg.compile_at(path)?;
        Ok(cfg)
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = fs_err::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::from_toml(&text, path)
    }

    /// Excludes one exact path (and, for a directory, its subtree), e.g. Mamori's own baseline
    /// and keys when they live inside a protected tree. Paths that are not UTF-8 are skipped.
    pub fn exclude_path(&mut self, path: &Path) {
        if let Some(p) = path.to_str() {
            let glob = globset::escape(p);
            if !self.exclude.contains(&glob) {
                self.exclude.push(glob);
            }
        }
    }

    /// Compiles the globs.
    pub fn compile(&self) -> Result<Rules> {
        self.compile_at(Path::new("<config>"))
    }

    fn compile_at(&self, path: &Path) -> Result<Rules> {
        let glob = |g: &str| {
            GlobBuilder::new(g)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| Error::Config {
                    path: PathBuf::from(path),
                    detail: format!("glob {g:?}: {e}"),
                })
        };
        let build = |b: GlobSetBuilder| {
            b.build().map_err(|e| Error::Config {
                path: PathBuf::from(path),
                detail: e.to_string(),
            })
        };
        let set = |globs: &[String]| -> Result<GlobSet> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(glob(g)?);
            }
            build(b)
        };
        let mut all = GlobSetBuilder::new();
        let mut owner = Vec::new();
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, r) in self.rules.iter().enumerate() {
            for g in &r.paths {
                all.add(glob(g)?);
                owner.push(i);
            }
            rules.push(RuleRef {
                name: r.name.clone(),
                attributes: AttrSet::from_iter(r.attributes.iter().copied()),
                may_grow: r.may_grow,
            });
        }
        let any_growth = rules.iter().any(|r| r.may_grow);
        Ok(Rules {
            include: if self.include.is_empty() {
                None
            } else {
                Some(set(&self.include)?)
            },
            exclude: set(&self.exclude)?,
            rule_globs: build(all)?,
            owner,
            rules,
            any_growth,
            fallback: RuleRef {
                name: "default".to_owned(),
                attributes: AttrSet::from_iter(self.default_attributes.iter().copied()),
                may_grow: false,
            },
        })
    }
}

/// A set of attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttrSet(u16);

impl AttrSet {
    /// True when `a` is in the set.
    pub fn contains(self, a: Attr) -> bool {
        self.0 & (1 << a as u16) != 0
    }

    /// Adds `a`.
    pub fn insert(&mut self, a: Attr) {
        self.0 |= 1 << a as u16;
    }

    /// Removes `a`.
    pub fn remove(&mut self, a: Attr) {
        self.0 &= !(1 << a as u16);
    }

    /// The attributes in report order.
    pub fn iter(self) -> impl Iterator<Item = Attr> {
        Attr::ALL.into_iter().filter(move |a| self.contains(*a))
    }
}

impl FromIterator<Attr> for AttrSet {
    fn from_iter<I: IntoIterator<Item = Attr>>(iter: I) -> AttrSet {
        let mut s = AttrSet::default();
        for a in iter {
            s.insert(a);
        }
        s
    }
}

/// The rule that applies to one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    /// The rule's name (`default` when none matched).
    pub name: String,
    /// Attributes compared.
    pub attributes: AttrSet,
    /// Growth allowed.
    pub may_grow: bool,
}

/// A compiled configuration.
#[derive(Debug, Clone)]
pub struct Rules {
    include: Option<GlobSet>,
    exclude: GlobSet,
    /// Every rule's globs in one set (one pass per path); `owner[i]` is glob i's rule.
    rule_globs: GlobSet,
    owner: Vec<usize>,
    rules: Vec<RuleRef>,
    any_growth: bool,
    fallback: RuleRef,
}

impl Rules {
    /// True when `path` (and, for a directory, its subtree) is excluded.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(path)
    }

    /// True when a non-directory at `path` should be recorded.
    pub fn is_included(&self, path: &Path) -> bool {
        self.include.as_ref().is_none_or(|s| s.is_match(path))
    }

    /// The first rule that matches `path`, else the default attributes.
    pub fn rule_for(&self, path: &Path) -> &RuleRef {
        if self.rules.is_empty() {
            return &self.fallback;
        }
        let candidate = globset::Candidate::new(path);
        let mut first = None;
        MATCHES.with(|m| {
            let mut m = m.borrow_mut();
            self.rule_globs.matches_candidate_into(&candidate, &mut m);
            first = m.iter().map(|&g| self.owner[g]).min();
        });
        first.map_or(&self.fallback, |i| &self.rules[i])
    }

    /// True when some rule lets files grow.
    pub fn any_growth(&self) -> bool {
        self.any_growth
    }
}

thread_local! {
    static MATCHES: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Rules {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_config_parses_and_compiles() {
        let cfg = Config::from_toml(DEFAULT_CONFIG_TOML, Path::new("builtin")).unwrap();
        assert_eq!(cfg.hash, HashAlgo::Blake3);
        assert!(cfg.rules.iter().any(|r| r.name == "logs" && r.may_grow));
    }

    #[test]
    fn first_matching_rule_wins_and_globs_work_on_absolute_paths() {
        let rules = Config::builtin().compile().unwrap();
        assert_eq!(
            rules.rule_for(Path::new("/usr/bin/ls")).name,
            "system-binaries"
        );
        assert_eq!(rules.rule_for(Path::new("/etc/passwd")).name, "etc");
        assert_eq!(
            rules.rule_for(Path::new("/home/u/public_html/a.php")).name,
            "web-content"
        );
        assert_eq!(rules.rule_for(Path::new("/opt/app/x")).name, "default");
        assert!(rules.is_excluded(Path::new("/var/log/journal")));
        assert!(rules.is_excluded(Path::new("/var/log/nginx/access.log.1")));
        assert!(!rules.is_excluded(Path::new("/var/log/nginx/access.log")));
    }

    #[test]
    fn an_exact_path_with_glob_characters_is_excluded_literally() {
        let mut cfg = Config::builtin();
        cfg.exclude_path(Path::new("/srv/data[1]/baseline.json"));
        let rules = cfg.compile().unwrap();
        assert!(rules.is_excluded(Path::new("/srv/data[1]/baseline.json")));
        assert!(!rules.is_excluded(Path::new("/srv/data1/baseline.json")));
    }

    #[test]
    fn bad_glob_and_unknown_attribute_are_reported_with_the_file() {
        let err = Config::from_toml("exclude = [\"a[\"]", Path::new("/x.toml")).unwrap_err();
        assert!(err.to_string().contains("/x.toml"), "{err}");
        let err = Config::from_toml(
            "[[rule]]\nname='x'\npaths=['/a']\nattributes=['colour']",
            Path::new("/y.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }
}

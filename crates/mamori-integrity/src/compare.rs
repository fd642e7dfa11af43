//! Comparing a baseline with the trees as they are now: added, removed and changed entries,
//! with exactly which attributes changed, old → new, under the rule that applies to each path.

use crate::entry::{Attr, Entry, EntryKind};
use crate::path::PathBytes;
use crate::rules::{RuleRef, Rules};
use crate::webcontent::WebFinding;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// What happened to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Present now, not in the baseline.
    Added,
    /// In the baseline, gone now.
    Removed,
    /// Present in both, with different attributes.
    Changed,
}

/// One attribute's old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrChange {
    /// The attribute.
    pub attribute: Attr,
    /// Value in the baseline (`null` when it had none).
    pub old: Option<String>,
    /// Value now.
    pub new: Option<String>,
}

/// Red flags that do not need the file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// A setuid or setgid file appeared, or a file became setuid/setgid.
    Setuid,
    /// The entry is writable by everyone (and is not a symlink or a sticky directory).
    WorldWritable,
    /// A symlink now points outside the scanned trees.
    SymlinkLeavesTree,
    /// An append-only file shrank or its earlier content was rewritten.
    HistoryRewritten,
}

/// One added, removed or changed entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The path (exact bytes; UTF-8 names as strings).
    pub path: PathBytes,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// Entry type (now, or in the baseline when removed).
    pub kind: EntryKind,
    /// The rule that judged it.
    pub rule: String,
    /// Names of the attributes that changed (empty for added/removed).
    pub attributes: Vec<Attr>,
    /// Old → new for each changed attribute.
    pub details: Vec<AttrChange>,
    /// Red flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Flag>,
    /// Suspicious markers in new web content.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub web_findings: Vec<WebFinding>,
}

/// Compares `old` and `new` (both sorted by path) under `rules`. `roots` are the scanned trees
/// (to tell whether a symlink target leaves them).
pub fn compare(old: &[Entry], new: &[Entry], rules: &Rules, roots: &[PathBytes]) -> Vec<Change> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let ord = match (old.get(i), new.get(j)) {
            (Some(o), Some(n)) => o.path.cmp(&n.path),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match ord {
            Ordering::Less => {
                out.push(whole(&old[i], ChangeKind::Removed, rules, roots));
                i += 1;
            }
            Ordering::Greater => {
                out.push(whole(&new[j], ChangeKind::Added, rules, roots));
                j += 1;
            }
            Ordering::Equal => {
                if let Some(c) = diff(&old[i], &new[j], rules, roots) {
                    out.push(c);
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn whole(e: &Entry, change: ChangeKind, rules: &Rules, roots: &[PathBytes]) -> Change {
    let rule = rules.rule_for(e.path.as_path());
    let mut flags = Vec::new();
    if change == ChangeKind::Added {
        flags = red_flags(None, e, roots);
    }
    Change {
        path: e.path.clone(),
        change,
        kind: e.kind,
        rule: rule.name.clone(),
        attributes: Vec::new(),
        details: Vec::new(),
        flags,
        web_findings: Vec::new(),
    }
}

/// The attributes of `new` that differ from `old` under `rule`.
pub fn changed_attributes(old: &Entry, new: &Entry, rule: &RuleRef) -> Vec<AttrChange> {
    let grew = rule.may_grow
        && old.kind == EntryKind::File
        && new.kind == EntryKind::File
        && new.size >= old.size;
    rule.attributes
        .iter()
        .filter_map(|attr| {
            let (o, n) = (old.value(attr), new.value(attr));
            let differs = match attr {
                Attr::Size if grew => false,
                // an append-only file: the bytes it had must still be its first bytes
                Attr::Hash if grew => {
                    new.prefix_hash.is_some() && new.prefix_hash != old.hash
                        || new.prefix_hash.is_none() && new.size == old.size && o != n
                }
                Attr::Xattrs if old.xattrs.is_none() || new.xattrs.is_none() => false,
                _ => o != n,
            };
            differs.then_some(AttrChange {
                attribute: attr,
                old: o,
                new: n,
            })
        })
        .collect()
}

/// True when nothing any rule can compare differs (the common case: skip rule matching).
fn identical(old: &Entry, new: &Entry) -> bool {
    old.kind == new.kind
        && old.size == new.size
        && old.mode == new.mode
        && old.uid == new.uid
        && old.gid == new.gid
        && old.mtime_ns == new.mtime_ns
        && old.ctime_ns == new.ctime_ns
        && old.inode == new.inode
        && old.nlink == new.nlink
        && old.target == new.target
        && old.xattrs == new.xattrs
        && old.hash == new.hash
}

fn diff(old: &Entry, new: &Entry, rules: &Rules, roots: &[PathBytes]) -> Option<Change> {
    if identical(old, new) {
        return None;
    }
    let rule = rules.rule_for(new.path.as_path());
    let details = changed_attributes(old, new, rule);
    if details.is_empty() {
        return None;
    }
    let mut flags = red_flags(Some(old), new, roots);
    if rule.may_grow
        && details
            .iter()
            .any(|d| matches!(d.attribute, Attr::Size | Attr::Hash))
    {
        flags.push(Flag::HistoryRewritten);
    }
    Some(Change {
        path: new.path.clone(),
        change: ChangeKind::Changed,
        kind: new.kind,
        rule: rule.name.clone(),
        attributes: details.iter().map(|d| d.attribute).collect(),
        details,
        flags,
        web_findings: Vec::new(),
    })
}

fn red_flags(old: Option<&Entry>, new: &Entry, roots: &[PathBytes]) -> Vec<Flag> {
    let mut flags = Vec::new();
    let suid = |e: &Entry| e.kind == EntryKind::File && e.mode & 0o6000 != 0;
    if suid(new) && !old.is_some_and(suid) {
        flags.push(Flag::Setuid);
    }
    let ww = |e: &Entry| {
        e.mode & 0o002 != 0
            && e.kind != EntryKind::Symlink
            && !(e.kind == EntryKind::Dir && e.mode & 0o1000 != 0)
    };
    if ww(new) && !old.is_some_and(ww) {
        flags.push(Flag::WorldWritable);
    }
    if let Some(t) = &new.target
        && old.is_none_or(|o| o.target.as_ref() != Some(t))
        && leaves_tree(&new.path, t, roots)
    {
        flags.push(Flag::SymlinkLeavesTree);
    }
    flags
}

/// True when symlink `link` → `target` resolves (lexically) outside every root.
fn leaves_tree(link: &PathBytes, target: &PathBytes, roots: &[PathBytes]) -> bool {
    use std::path::{Component, PathBuf};
    let base = link.as_path().parent().unwrap_or(std::path::Path::new("/"));
    let mut resolved = PathBuf::new();
    for c in base.join(target.as_path()).components() {
        match c {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    !roots.iter().any(|r| resolved.starts_with(r.as_path()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Config;

    fn file(path: &str, size: u64, hash: &str) -> Entry {
        Entry {
            path: PathBytes::from_bytes(path.as_bytes().to_vec()),
            kind: EntryKind::File,
            size,
            mode: 0o644,
            uid: 0,
            gid: 0,
            mtime_ns: 1,
            ctime_ns: 1,
            inode: 5,
            dev: 1,
            nlink: 1,
            target: None,
            xattrs: None,
            hash: Some(hash.into()),
            prefix_hash: None,
        }
    }

    fn roots() -> Vec<PathBytes> {
        vec![PathBytes::from_bytes(b"/srv".to_vec())]
    }

    #[test]
    fn added_removed_changed_with_old_and_new_values() {
        let rules = Config::builtin().compile().unwrap();
        let old = [file("/srv/a", 1, "h1"), file("/srv/b", 1, "h1")];
        let mut changed = file("/srv/a", 2, "h2");
        changed.mode = 0o4755;
        let new = [changed, file("/srv/c", 1, "h1")];
        let c = compare(&old, &new, &rules, &roots());
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].change, ChangeKind::Changed);
        assert_eq!(c[0].attributes, vec![Attr::Size, Attr::Mode, Attr::Hash]);
        assert_eq!(c[0].details[1].old.as_deref(), Some("0644"));
        assert_eq!(c[0].details[1].new.as_deref(), Some("4755"));
        assert_eq!(c[0].flags, vec![Flag::Setuid]);
        assert_eq!(c[1].change, ChangeKind::Removed);
        assert_eq!(c[2].change, ChangeKind::Added);
    }

    #[test]
    fn logs_may_grow_but_not_shrink_or_change_history() {
        let rules = Config::builtin().compile().unwrap();
        let old = [file("/var/log/app.log", 10, "p")];
        let mut grown = file("/var/log/app.log", 20, "full");
        grown.mtime_ns = 99;
        grown.prefix_hash = Some("p".into());
        assert!(compare(&old, &[grown.clone()], &rules, &roots()).is_empty());
        grown.prefix_hash = Some("other".into());
        let c = compare(&old, &[grown], &rules, &roots());
        assert_eq!(c[0].attributes, vec![Attr::Hash]);
        assert!(c[0].flags.contains(&Flag::HistoryRewritten));
        let shrunk = file("/var/log/app.log", 5, "x");
        let c = compare(&old, &[shrunk], &rules, &roots());
        assert_eq!(c[0].attributes, vec![Attr::Size, Attr::Hash]);
    }

    #[test]
    fn symlink_retargeted_outside_the_tree_is_flagged() {
        let rules = Config::builtin().compile().unwrap();
        let mut old = file("/srv/l", 3, "");
        old.kind = EntryKind::Symlink;
        old.hash = None;
        old.target = Some(PathBytes::from_bytes(b"a".to_vec()));
        let mut new = old.clone();
        new.target = Some(PathBytes::from_bytes(b"/etc/shadow".to_vec()));
        let c = compare(&[old], &[new], &rules, &roots());
        assert_eq!(c[0].attributes, vec![Attr::Target]);
        assert_eq!(c[0].flags, vec![Flag::SymlinkLeavesTree]);
    }
}

//! Walking trees and hashing their files in parallel.
//!
//! The walk (`lstat` only, symlinks not followed unless asked) feeds a rayon pool that reads
//! link targets, extended attributes and file contents. Memory grows with the number of
//! entries, never with file sizes: contents are streamed in fixed blocks. Hard links are hashed
//! once. Special files (fifo, socket, devices) are recorded but never opened. Problems —
//! permission denied, files that vanish or grow during the scan, symlink loops — become
//! [`Issue`]s naming the path, and the rest of the tree is still scanned.

use crate::entry::{Entry, EntryKind};
use crate::hash::{HashAlgo, hash_reader};
use crate::path::PathBytes;
use crate::rules::Rules;
use mamori_core::Text;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What to record and how.
#[derive(Clone, Copy)]
pub struct ScanOptions<'a> {
    /// Content hash algorithm.
    pub algo: HashAlgo,
    /// Record extended attributes.
    pub xattrs: bool,
    /// Follow symlinks (loops are reported, not followed twice).
    pub follow_symlinks: bool,
    /// Include/exclude globs and rules.
    pub rules: &'a Rules,
    /// Baseline sizes of files under a "may grow" rule: their prefix of that size is hashed too.
    pub prefix_sizes: Option<&'a HashMap<PathBytes, u64>>,
    /// Called once per entry with the number of content bytes read.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl std::fmt::Debug for ScanOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("algo", &self.algo)
            .field("xattrs", &self.xattrs)
            .field("follow_symlinks", &self.follow_symlinks)
            .finish_non_exhaustive()
    }
}

/// A problem met while scanning one path; the scan goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The path concerned.
    pub path: PathBytes,
    /// What happened.
    pub kind: IssueKind,
    /// The system's message.
    pub detail: String,
}

/// Kinds of scan problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Permission denied: the entry or directory could not be read.
    PermissionDenied,
    /// The entry disappeared between listing and reading.
    Vanished,
    /// The file changed (grew, shrank or was rewritten) while it was being read.
    ChangedDuringScan,
    /// Another file (or another type of entry) took the path while it was being read.
    ReplacedDuringScan,
    /// Following symlinks led back to an ancestor directory.
    SymlinkLoop,
    /// A root given to scan does not exist or cannot be read.
    MissingRoot,
    /// Any other read error.
    Unreadable,
}

impl IssueKind {
    /// A description for people.
    pub fn text(self) -> Text {
        match self {
            IssueKind::PermissionDenied => Text::new("権限がなく読めません", "permission denied"),
            IssueKind::Vanished => Text::new("走査中に消えました", "vanished during the scan"),
            IssueKind::ChangedDuringScan => {
                Text::new("読み取り中に変化しました", "changed while being read")
            }
            IssueKind::ReplacedDuringScan => Text::new(
                "読み取り中に別のものに置き換わりました",
                "replaced while being read",
            ),
            IssueKind::SymlinkLoop => Text::new("シンボリックリンクのループ", "symlink loop"),
            IssueKind::MissingRoot => Text::new("対象が存在しません", "scan root is missing"),
            IssueKind::Unreadable => Text::new("読み取りエラー", "read error"),
        }
    }

    fn of_io(e: &std::io::Error) -> IssueKind {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => IssueKind::PermissionDenied,
            std::io::ErrorKind::NotFound => IssueKind::Vanished,
            _ if e.raw_os_error() == Some(libc::ELOOP) => IssueKind::ReplacedDuringScan,
            _ => IssueKind::Unreadable,
        }
    }
}

/// The result of a scan: entries sorted by path, and the problems met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Entries sorted by path bytes.
    pub entries: Vec<Entry>,
    /// Problems, sorted by path.
    pub issues: Vec<Issue>,
}

fn issue(path: &Path, kind: IssueKind, detail: impl Into<String>) -> Issue {
    Issue {
        path: path.into(),
        kind,
        detail: detail.into(),
    }
}

/// Walks `roots` and returns entries with metadata only (no hashes): the first half of [`scan`].
pub fn walk(roots: &[PathBuf], opts: &ScanOptions<'_>) -> Scan {
    let mut out = Scan::default();
    for item in walk_iter(roots, opts) {
        match item {
            Ok(e) => out.entries.push(e),
            Err(i) => out.issues.push(i),
        }
    }
    out.entries.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Walks and hashes `roots` in parallel: directories are listed and files hashed as rayon
/// tasks, so both cores stay busy even on a tree of many small files.
pub fn scan(roots: &[PathBuf], opts: &ScanOptions<'_>) -> Scan {
    let links = HardLinks::default();
    if opts.follow_symlinks {
        // walkdir keeps the ancestor chain needed to detect symlink loops
        let results: Vec<(Option<Entry>, Option<Issue>)> = walk_iter(roots, opts)
            .par_bridge()
            .map(|item| match item {
                Ok(entry) => complete(entry, opts, &links),
                Err(i) => (None, Some(i)),
            })
            .collect();
        return finish(results);
    }
    let out = Mutex::new(Vec::new());
    let push = |r: (Option<Entry>, Option<Issue>)| {
        out.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(r);
    };
    rayon::scope(|s| {
        for root in roots {
            // a root that is a symlink to a directory is followed (like `find -H`); a symlink
            // to anything else, and every symlink below a root, is recorded as a link
            let meta = std::fs::symlink_metadata(root).map(|l| match std::fs::metadata(root) {
                Ok(m) if l.file_type().is_symlink() && m.is_dir() => m,
                _ => l,
            });
            match meta {
                Ok(m) => {
                    let entry = Entry::from_metadata(root.as_path().into(), &m);
                    if entry.kind == EntryKind::Dir {
                        let dir = root.clone();
                        let (push, links) = (&push, &links);
                        s.spawn(move |s| visit(s, dir, opts, links, push));
                        push(complete(entry, opts, links));
                    } else {
                        push(complete(entry, opts, &links));
                    }
                }
                Err(e) => push((
                    None,
                    Some(issue(root, IssueKind::MissingRoot, e.to_string())),
                )),
            }
        }
    });
    finish(
        out.into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    )
}

type Push<'a> = dyn Fn((Option<Entry>, Option<Issue>)) + Sync + 'a;

fn visit<'s>(
    s: &rayon::Scope<'s>,
    dir: PathBuf,
    opts: &'s ScanOptions<'s>,
    links: &'s HardLinks,
    push: &'s Push<'s>,
) {
    let listing = match std::fs::read_dir(&dir) {
        Ok(l) => l,
        Err(e) => return push((None, Some(issue(&dir, IssueKind::of_io(&e), e.to_string())))),
    };
    for item in listing {
        let d = match item {
            Ok(d) => d,
            Err(e) => {
                push((None, Some(issue(&dir, IssueKind::of_io(&e), e.to_string()))));
                continue;
            }
        };
        let path = d.path();
        if opts.rules.is_excluded(&path) {
            continue;
        }
        let meta = match d.metadata() {
            Ok(m) => m,
            Err(e) => {
                push((
                    None,
                    Some(issue(&path, IssueKind::of_io(&e), e.to_string())),
                ));
                continue;
            }
        };
        let entry = Entry::from_metadata(path.as_path().into(), &meta);
        if entry.kind == EntryKind::Dir {
            push(complete(entry, opts, links));
            s.spawn(move |s| visit(s, path, opts, links, push));
        } else if opts.rules.is_included(&path) {
            if entry.kind == EntryKind::File {
                s.spawn(move |_| push(complete(entry, opts, links)));
            } else {
                push(complete(entry, opts, links));
            }
        }
    }
}

/// Reads targets, xattrs and hashes for entries found by [`walk`]: the second half of [`scan`].
/// Entries that vanished in between are dropped and reported.
pub fn hash_entries(entries: Vec<Entry>, opts: &ScanOptions<'_>) -> Scan {
    let links = HardLinks::default();
    let results = entries
        .into_par_iter()
        .map(|e| complete(e, opts, &links))
        .collect();
    finish(results)
}

fn finish(results: Vec<(Option<Entry>, Option<Issue>)>) -> Scan {
    let mut out = Scan::default();
    for (e, i) in results {
        out.entries.extend(e);
        out.issues.extend(i);
    }
    out.entries.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    out.entries.dedup_by(|a, b| a.path == b.path);
    out.issues.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk_iter<'a>(
    roots: &'a [PathBuf],
    opts: &'a ScanOptions<'a>,
) -> impl Iterator<Item = Result<Entry, Issue>> + Send + 'a {
    roots.iter().flat_map(move |root| {
        let rules = opts.rules;
        let start = match std::fs::symlink_metadata(root) {
            Ok(_) => None,
            Err(e) => Some(Err(issue(root, IssueKind::MissingRoot, e.to_string()))),
        };
        let walker = start.is_none().then(|| {
            walkdir::WalkDir::new(root)
                .follow_links(opts.follow_symlinks)
                .into_iter()
                .filter_entry(move |d| d.depth() == 0 || !rules.is_excluded(d.path()))
        });
        start.into_iter().chain(
            walker
                .into_iter()
                .flatten()
                .filter_map(move |item| match item {
                    Ok(d) => {
                        let is_dir = d.file_type().is_dir();
                        if !is_dir && !rules.is_included(d.path()) {
                            return None;
                        }
                        Some(match d.metadata() {
                            Ok(m) => Ok(Entry::from_metadata(d.path().into(), &m)),
                            Err(e) => Err(walk_issue(&e, d.path())),
                        })
                    }
                    Err(e) => Some(Err(walk_issue(&e, e.path().unwrap_or(Path::new("?"))))),
                }),
        )
    })
}

fn walk_issue(e: &walkdir::Error, path: &Path) -> Issue {
    if let Some(anc) = e.loop_ancestor() {
        return issue(
            path,
            IssueKind::SymlinkLoop,
            format!("leads back to {}", anc.display()),
        );
    }
    match e.io_error() {
        Some(io) => issue(path, IssueKind::of_io(io), io.to_string()),
        None => issue(path, IssueKind::Unreadable, e.to_string()),
    }
}

type LinkCell = Arc<OnceLock<Option<String>>>;

#[derive(Default)]
struct HardLinks(Mutex<HashMap<(u64, u64), LinkCell>>);

impl HardLinks {
    fn cell(&self, key: (u64, u64)) -> LinkCell {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(key).or_default().clone()
    }
}

/// Fills target, xattrs and hash of one entry.
fn complete(
    mut entry: Entry,
    opts: &ScanOptions<'_>,
    links: &HardLinks,
) -> (Option<Entry>, Option<Issue>) {
    let path = entry.path.as_path().to_owned();
    let mut problem = None;
    if entry.kind == EntryKind::Symlink {
        match std::fs::read_link(&path) {
            Ok(t) => entry.target = Some(t.into()),
            Err(e) => {
                return (
                    None,
                    Some(issue(&path, IssueKind::of_io(&e), e.to_string())),
                );
            }
        }
    }
    if opts.xattrs {
        entry.xattrs = read_xattrs(&path);
    }
    let mut read = 0;
    if entry.kind == EntryKind::File {
        let prefix = opts
            .prefix_sizes
            .and_then(|m| m.get(&entry.path).copied())
            .filter(|&s| s <= entry.size);
        let result = if entry.nlink > 1 && prefix.is_none() {
            let cell = links.cell((entry.dev, entry.inode));
            let mut fresh = None;
            let hash = cell.get_or_init(|| {
                let r = hash_file(&mut entry, opts.algo, None);
                let h = r.as_ref().ok().map(|(h, _, _)| h.clone());
                fresh = Some(r);
                h
            });
            match fresh {
                Some(r) => r,
                None => match hash {
                    Some(h) => Ok((h.clone(), None, 0)),
                    None => hash_file(&mut entry, opts.algo, None),
                },
            }
        } else {
            hash_file(&mut entry, opts.algo, prefix)
        };
        match result {
            Ok((h, p, n)) => {
                entry.hash = Some(h);
                entry.prefix_hash = p;
                read = n;
            }
            Err(i) if i.kind == IssueKind::Vanished => return (None, Some(i)),
            Err(i) if i.kind == IssueKind::ChangedDuringScan => {
                // keep what was read: the hash of the content as it was at that moment
                problem = Some(i);
            }
            Err(i) => problem = Some(i),
        }
    }
    if let Some(cb) = opts.progress {
        cb(read);
    }
    (Some(entry), problem)
}

/// Hashes a regular file without following a symlink or blocking on a fifo swapped in.
/// Updates the entry's metadata from the open file. Returns (hash, prefix hash, bytes read).
fn hash_file(
    entry: &mut Entry,
    algo: HashAlgo,
    prefix: Option<u64>,
) -> Result<(String, Option<String>, u64), Issue> {
    let path = entry.path.as_path().to_owned();
    let io = |e: std::io::Error| issue(&path, IssueKind::of_io(&e), e.to_string());
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(&path)
        .map_err(io)?;
    let before = f.metadata().map_err(io)?;
    if !before.is_file() || before.ino() != entry.inode {
        return Err(issue(
            &path,
            IssueKind::ReplacedDuringScan,
            format!(
                "inode {} became inode {} ({})",
                entry.inode,
                before.ino(),
                EntryKind::of(&before).name()
            ),
        ));
    }
    let prefix_hash = match prefix {
        Some(n) => {
            let (h, _) = hash_reader(algo, &mut f, Some(n)).map_err(io)?;
            f.seek(SeekFrom::Start(0)).map_err(io)?;
            Some(h)
        }
        None => None,
    };
    let (hash, read) = hash_reader(algo, &mut f, None).map_err(io)?;
    let after = f.metadata().map_err(io)?;
    let moved = after.len() != entry.size
        || read != after.len()
        || after.mtime() != before.mtime()
        || after.mtime_nsec() != before.mtime_nsec();
    if moved {
        let detail = format!(
            "size {} when listed, {} bytes read, {} after reading",
            entry.size,
            read,
            after.len()
        );
        // record what was hashed, so the entry is self-consistent
        entry.size = read;
        entry.mtime_ns = after
            .mtime()
            .saturating_mul(1_000_000_000)
            .saturating_add(after.mtime_nsec());
        entry.hash = Some(hash.clone());
        return Err(Issue {
            path: entry.path.clone(),
            kind: IssueKind::ChangedDuringScan,
            detail: format!("{detail}; hash {hash}"),
        });
    }
    Ok((hash, prefix_hash, read))
}

fn read_xattrs(path: &Path) -> Option<BTreeMap<String, String>> {
    let names = xattr::list(path).ok()?;
    let mut map = BTreeMap::new();
    for name in names {
        if let Ok(Some(v)) = xattr::get(path, &name) {
            map.insert(name.to_string_lossy().into_owned(), hex::encode(v));
        }
    }
    Some(map)
}

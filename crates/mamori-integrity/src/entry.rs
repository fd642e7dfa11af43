//! One file-system entry as recorded in a baseline, and the attributes that can be compared.

use crate::path::PathBytes;
use mamori_core::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

/// The type of an entry. Special files are recorded, never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Regular file (its content is hashed).
    File,
    /// Directory.
    Dir,
    /// Symbolic link (its target is recorded, not followed).
    Symlink,
    /// Named pipe.
    Fifo,
    /// Unix socket.
    Socket,
    /// Character device.
    CharDevice,
    /// Block device.
    BlockDevice,
}

impl EntryKind {
    /// The kind of `meta` (from `lstat`).
    pub fn of(meta: &Metadata) -> EntryKind {
        let t = meta.file_type();
        if t.is_symlink() {
            EntryKind::Symlink
        } else if t.is_dir() {
            EntryKind::Dir
        } else if t.is_fifo() {
            EntryKind::Fifo
        } else if t.is_socket() {
            EntryKind::Socket
        } else if t.is_char_device() {
            EntryKind::CharDevice
        } else if t.is_block_device() {
            EntryKind::BlockDevice
        } else {
            EntryKind::File
        }
    }

    /// A short name (`file`, `dir`, …) as used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::File => "file",
            EntryKind::Dir => "dir",
            EntryKind::Symlink => "symlink",
            EntryKind::Fifo => "fifo",
            EntryKind::Socket => "socket",
            EntryKind::CharDevice => "char_device",
            EntryKind::BlockDevice => "block_device",
        }
    }
}

/// An attribute that a rule can ask to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attr {
    /// Entry type (file, dir, symlink, …).
    Type,
    /// Size in bytes.
    Size,
    /// Permission bits including setuid/setgid/sticky.
    Mode,
    /// Owner user id.
    Uid,
    /// Owner group id.
    Gid,
    /// Modification time.
    Mtime,
    /// Inode change time.
    Ctime,
    /// Inode number (a replaced file gets a new one).
    Inode,
    /// Hard-link count.
    Nlink,
    /// Symbolic link target.
    Target,
    /// Extended attributes, including POSIX ACLs and SELinux labels.
    Xattrs,
    /// Content hash.
    Hash,
}

impl Attr {
    /// Every attribute, in report order.
    pub const ALL: [Attr; 12] = [
        Attr::Type,
        Attr::Size,
        Attr::Mode,
        Attr::Uid,
        Attr::Gid,
        Attr::Mtime,
        Attr::Ctime,
        Attr::Inode,
        Attr::Nlink,
        Attr::Target,
        Attr::Xattrs,
        Attr::Hash,
    ];

    /// The JSON / configuration name.
    pub fn name(self) -> &'static str {
        match self {
            Attr::Type => "type",
            Attr::Size => "size",
            Attr::Mode => "mode",
            Attr::Uid => "uid",
            Attr::Gid => "gid",
            Attr::Mtime => "mtime",
            Attr::Ctime => "ctime",
            Attr::Inode => "inode",
            Attr::Nlink => "nlink",
            Attr::Target => "target",
            Attr::Xattrs => "xattrs",
            Attr::Hash => "hash",
        }
    }

    /// What the attribute is, for people.
    pub fn text(self) -> Text {
        match self {
            Attr::Type => Text::new("種類", "type"),
            Attr::Size => Text::new("サイズ", "size"),
            Attr::Mode => Text::new("パーミッション", "permissions"),
            Attr::Uid => Text::new("所有者", "owner"),
            Attr::Gid => Text::new("グループ", "group"),
            Attr::Mtime => Text::new("更新日時", "modification time"),
            Attr::Ctime => Text::new("属性変更日時", "inode change time"),
            Attr::Inode => Text::new("iノード番号", "inode number"),
            Attr::Nlink => Text::new("ハードリンク数", "link count"),
            Attr::Target => Text::new("リンク先", "symlink target"),
            Attr::Xattrs => Text::new("拡張属性・ACL", "extended attributes / ACLs"),
            Attr::Hash => Text::new("内容（ハッシュ）", "content (hash)"),
        }
    }
}

/// Everything recorded about one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Absolute path, as bytes.
    pub path: PathBytes,
    /// Entry type.
    pub kind: EntryKind,
    /// Size in bytes (for a symlink: the target's length).
    pub size: u64,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    /// Owner user id.
    pub uid: u32,
    /// Owner group id.
    pub gid: u32,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Inode change time, nanoseconds since the Unix epoch.
    pub ctime_ns: i64,
    /// Inode number.
    pub inode: u64,
    /// Device number (not compared: it can change across reboots; used to find hard links).
    #[serde(default)]
    pub dev: u64,
    /// Hard-link count.
    pub nlink: u64,
    /// Symlink target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<PathBytes>,
    /// Extended attributes (name → hex value), when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xattrs: Option<BTreeMap<String, String>>,
    /// Content hash (hex), regular files only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// For files under a "may grow" rule, at check time: the hash of the first `size` bytes of
    /// the baseline's size, so that rewritten history in an append-only log is still caught.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_hash: Option<String>,
}

impl Entry {
    /// An entry from `lstat` metadata (no hash, target or xattrs yet).
    pub fn from_metadata(path: PathBytes, meta: &Metadata) -> Entry {
        Entry {
            path,
            kind: EntryKind::of(meta),
            size: meta.len(),
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            gid: meta.gid(),
            mtime_ns: nanos(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            dev: meta.dev(),
            nlink: meta.nlink(),
            target: None,
            xattrs: None,
            hash: None,
            prefix_hash: None,
        }
    }

    /// The printable value of `attr`, or `None` when the entry has no such attribute.
    pub fn value(&self, attr: Attr) -> Option<String> {
        Some(match attr {
            Attr::Type => self.kind.name().to_owned(),
            Attr::Size => self.size.to_string(),
            Attr::Mode => format!("{:04o}", self.mode),
            Attr::Uid => self.uid.to_string(),
            Attr::Gid => self.gid.to_string(),
            Attr::Mtime => format_ns(self.mtime_ns),
            Attr::Ctime => format_ns(self.ctime_ns),
            Attr::Inode => self.inode.to_string(),
            Attr::Nlink => self.nlink.to_string(),
            Attr::Target => self.target.as_ref()?.display(),
            Attr::Xattrs => {
                let x = self.xattrs.as_ref()?;
                x.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            }
            Attr::Hash => self.hash.clone()?,
        })
    }
}

fn nanos(secs: i64, nsec: i64) -> i64 {
    secs.saturating_mul(1_000_000_000).saturating_add(nsec)
}

/// Formats nanoseconds since the epoch as RFC 3339 (UTC), or the raw number if out of range.
pub fn format_ns(ns: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ns))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ns.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_rfc3339() {
        assert_eq!(
            format_ns(1_700_000_000_500_000_000),
            "2023-11-14T22:13:20.5Z"
        );
    }

    #[test]
    fn attribute_names_are_unique() {
        let mut names: Vec<_> = Attr::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Attr::ALL.len());
    }
}

//! Reading and writing bundles on disk: a directory or a tar archive.
//!
//! A tar bundle is written once from a staging directory; later custody records are appended
//! as new `custody.jsonl` members (the last one is current; every earlier one must be a prefix
//! of it, so nothing can be dropped silently).

use super::manifest::Manifest;
use crate::error::{Error, Result};
use sha2::Digest as _;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The metadata files of a bundle and what its items hash to.
#[derive(Debug, Default)]
pub(crate) struct Contents {
    pub manifest: Option<Vec<u8>>,
    pub sig: Option<Vec<u8>>,
    pub custody: Option<Vec<u8>>,
    /// Every `custody.jsonl` version in a tar, in order.
    pub custody_versions: Vec<Vec<u8>>,
    /// (name, sha256, size) of every file under `items/`.
    pub items: Vec<(String, String, u64)>,
    /// Names that do not belong in a bundle.
    pub unexpected: Vec<String>,
}

const META: [&str; 3] = ["manifest.json", "manifest.sig", "custody.jsonl"];

fn hash(r: &mut dyn Read, path: &Path) -> Result<(String, u64)> {
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        let k = r.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

fn read_small(r: &mut dyn Read, path: &Path) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    r.take(256 * 1024 * 1024)
        .read_to_end(&mut v)
        .map_err(|e| Error::io(path, e))?;
    Ok(v)
}

/// Reads everything needed to verify the bundle, hashing items as it goes.
pub(crate) fn read_all(bundle: &Path, with_items: bool) -> Result<Contents> {
    if super::is_tar(bundle) && bundle.is_file() {
        read_tar(bundle, with_items)
    } else {
        read_dir(bundle, with_items)
    }
}

/// Reads only the metadata files.
pub(crate) fn read_meta(bundle: &Path) -> Result<Contents> {
    read_all(bundle, false)
}

fn read_tar(bundle: &Path, with_items: bool) -> Result<Contents> {
    let f = fs_err::File::open(bundle).map_err(|e| Error::io(bundle, e))?;
    read_tar_from(f, bundle, with_items)
}

/// Reads a tar bundle from any reader (`label` names it in errors).
pub(crate) fn read_tar_from(r: impl Read, label: &Path, with_items: bool) -> Result<Contents> {
    let bundle = label;
    let tar_err = |e: std::io::Error| Error::io(bundle, e);
    let mut ar = tar::Archive::new(r);
    let mut c = Contents::default();
    for entry in ar.entries().map_err(tar_err)? {
        let mut entry = entry.map_err(tar_err)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let regular = entry.header().entry_type().is_file();
        match name.as_str() {
            "manifest.json" if regular => c.manifest = Some(read_small(&mut entry, bundle)?),
            "manifest.sig" if regular => c.sig = Some(read_small(&mut entry, bundle)?),
            "custody.jsonl" if regular => {
                let v = read_small(&mut entry, bundle)?;
                c.custody_versions.push(v.clone());
                c.custody = Some(v);
            }
            "items/" | "items" if entry.header().entry_type().is_dir() => {}
            n if regular && n.starts_with("items/") && !n[6..].contains('/') => {
                if with_items {
                    let (sha, size) = hash(&mut entry, bundle)?;
                    c.items.push((name, sha, size));
                }
            }
            _ => c.unexpected.push(name),
        }
    }
    Ok(c)
}

fn read_dir(bundle: &Path, with_items: bool) -> Result<Contents> {
    let mut c = Contents::default();
    let read = |n: &str| -> Result<Option<Vec<u8>>> {
        let p = bundle.join(n);
        match std::fs::read(&p) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(p, e)),
        }
    };
    c.manifest = read("manifest.json")?;
    c.sig = read("manifest.sig")?;
    c.custody = read("custody.jsonl")?;
    for d in fs_err::read_dir(bundle).map_err(|e| Error::io(bundle, e))? {
        let d = d.map_err(|e| Error::io(bundle, e))?;
        let name = d.file_name().to_string_lossy().into_owned();
        if !META.contains(&name.as_str()) && name != "items" {
            c.unexpected.push(name);
        }
    }
    if !with_items {
        return Ok(c);
    }
    let items = bundle.join("items");
    if items.is_dir() {
        for d in fs_err::read_dir(&items).map_err(|e| Error::io(&items, e))? {
            let d = d.map_err(|e| Error::io(&items, e))?;
            let name = format!("items/{}", d.file_name().to_string_lossy());
            let p = d.path();
            let meta = std::fs::symlink_metadata(&p).map_err(|e| Error::io(&p, e))?;
            if !meta.is_file() {
                c.unexpected.push(name);
                continue;
            }
            let mut f = fs_err::File::open(&p).map_err(|e| Error::io(&p, e))?;
            let (sha, size) = hash(&mut f, &p)?;
            c.items.push((name, sha, size));
        }
    }
    c.items.sort();
    Ok(c)
}

fn header(size: u64, mtime: u64, mode: u32) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(mtime);
    h.set_uid(0);
    h.set_gid(0);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

fn mtime_of(m: &Manifest) -> u64 {
    time::OffsetDateTime::parse(
        &m.collected_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map(|t| u64::try_from(t.unix_timestamp()).unwrap_or(0))
    .unwrap_or(0)
}

/// Packs a staged bundle directory into a tar file (fixed order, owner and times).
pub(crate) fn pack_tar(stage: &Path, out: &Path, manifest: &Manifest) -> Result<()> {
    let tar_err = |e: std::io::Error| Error::io(out, e);
    let f = fs_err::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| Error::io(out, e))?;
    let mut b = tar::Builder::new(f);
    let mtime = mtime_of(manifest);
    let mut names: Vec<String> = META.iter().map(|s| (*s).to_owned()).collect();
    names.extend(manifest.items.iter().map(|i| i.name.clone()));
    for name in names {
        let p = stage.join(&name);
        let mut src = fs_err::File::open(&p).map_err(|e| Error::io(&p, e))?;
        let len = src.metadata().map_err(|e| Error::io(&p, e))?.len();
        let mut h = header(len, mtime, 0o600);
        b.append_data(&mut h, &name, &mut src).map_err(tar_err)?;
    }
    let f = b.into_inner().map_err(tar_err)?;
    f.sync_all().map_err(|e| Error::io(out, e))
}

/// Replaces the custody log of a bundle: a directory file is rewritten atomically; a tar gets
/// a new `custody.jsonl` member appended.
pub(crate) fn write_custody(bundle: &Path, log: &[u8]) -> Result<()> {
    if !(super::is_tar(bundle) && bundle.is_file()) {
        return crate::fsutil::write_atomic(&bundle.join("custody.jsonl"), log);
    }
    let tar_err = |e: std::io::Error| Error::io(bundle, e);
    let mut f = fs_err::OpenOptions::new()
        .read(true)
        .write(true)
        .open(bundle)
        .map_err(|e| Error::io(bundle, e))?;
    let mut end = 0u64;
    let mut mtime = 0u64;
    {
        let mut ar = tar::Archive::new(&mut f);
        for entry in ar.entries().map_err(tar_err)? {
            let entry = entry.map_err(tar_err)?;
            let size = entry.header().entry_size().map_err(tar_err)?;
            end = entry.raw_file_position() + size.div_ceil(512) * 512;
            mtime = mtime.max(entry.header().mtime().unwrap_or(0));
        }
    }
    f.file().set_len(end).map_err(|e| Error::io(bundle, e))?;
    f.seek(SeekFrom::Start(end))
        .map_err(|e| Error::io(bundle, e))?;
    let mut b = tar::Builder::new(f);
    let mut h = header(log.len() as u64, mtime, 0o600);
    b.append_data(&mut h, "custody.jsonl", log)
        .map_err(tar_err)?;
    let f = b.into_inner().map_err(tar_err)?;
    f.sync_all().map_err(|e| Error::io(bundle, e))
}

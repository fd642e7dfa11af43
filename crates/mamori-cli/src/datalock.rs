//! The data directory's lock: `mamori serve` (on SQLite) holds an exclusive
//! `flock` on `<data>/serve.lock`, which also names its process id; `mamori restore`
//! refuses while it is held. The kernel drops the lock when the process ends, even
//! by `kill -9`, so a lock file left behind is recognised as stale and taken over.

use anyhow::Context;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// A held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    /// The pid of a previous holder that is gone (a stale lock file), if any.
    pub stale_pid: Option<u32>,
}

/// The lock file of a data directory.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("serve.lock")
}

/// Takes the lock, or says which process holds it.
pub fn acquire(data_dir: &Path) -> anyhow::Result<Result<DataLock, Option<u32>>> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let p = path(data_dir);
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&p)
        .with_context(|| format!("opening {}", p.display()))?;
    let mut text = String::new();
    let _ = f.read_to_string(&mut text);
    let previous = text.trim().parse::<u32>().ok();
    match rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {}
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => return Ok(Err(previous)),
        Err(e) => {
            return Err(std::io::Error::from(e))
                .with_context(|| format!("locking {}", p.display()));
        }
    }
    f.set_len(0)?;
    f.rewind()?;
    writeln!(f, "{}", std::process::id())?;
    f.flush()?;
    Ok(Ok(DataLock {
        _file: f,
        stale_pid: previous.filter(|p| *p != std::process::id()),
    }))
}

//! Things the `integrity` and `evidence` subcommands share: the data directory, the clock,
//! who is acting, and the progress bar.

use anyhow::Context as _;
use std::io::IsTerminal;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// `--data-dir`, else `$XDG_DATA_HOME/mamori`, else `~/.local/share/mamori`.
pub fn data_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = flag {
        return Ok(d.to_owned());
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return Ok(PathBuf::from(x).join("mamori"));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .context("HOME が未設定です / HOME is not set (give --data-dir)")?;
    Ok(PathBuf::from(home).join(".local/share/mamori"))
}

/// The signing key beside the data (`<data>/keys/integrity.key`, mode 0600).
pub fn key_path(data: &Path) -> PathBuf {
    data.join("keys").join("integrity.key")
}

/// The wall clock: the one place in the program that reads it; every library gets the
/// time from here (`ScanOptions::now`, the service's `Clock`, integrity's `Context`).
#[allow(clippy::disallowed_methods)]
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// `--who`, else the login name from the environment, with the effective uid.
pub fn who(flag: Option<&str>) -> String {
    let uid = std::fs::metadata("/proc/self")
        .map(|m| m.uid().to_string())
        .unwrap_or_else(|_| "?".into());
    let name = flag.map(str::to_owned).or_else(|| {
        ["SUDO_USER", "USER", "LOGNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    });
    match name {
        Some(n) => format!("{n} (uid {uid})"),
        None => format!("uid {uid}"),
    }
}

/// Reads a public key given as `ed25519:<hex>`, bare hex, or a file holding either.
pub fn public_key(arg: &str) -> anyhow::Result<mamori_integrity::seal::VerifyingKey> {
    if let Some(k) = mamori_integrity::seal::parse_public_key(arg) {
        return Ok(k);
    }
    let text = std::fs::read_to_string(arg)
        .with_context(|| format!("{arg}: 公開鍵として読めません / cannot read as a public key"))?;
    mamori_integrity::seal::parse_public_key(&text)
        .with_context(|| format!("{arg}: 公開鍵の形式ではありません / not an ed25519 public key"))
}

/// A spinner on stderr counting entries, only when stderr is a terminal.
pub fn progress(enabled: bool, what: &'static str) -> Option<indicatif::ProgressBar> {
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {human_pos} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(what);
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(pb)
}

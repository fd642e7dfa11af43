//! The crate's error type. Every variant names the path it is about, and has a stable code
//! so that the command line can look up its Japanese and English texts.

use std::path::PathBuf;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, always with the path concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("[MI001] {path}: 入出力エラー / I/O error: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A baseline, manifest or key file is not in the expected format.
    #[error("[MI002] {path}: 形式が正しくありません / malformed file: {detail}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The file was written by a newer, unknown format version.
    #[error(
        "[MI003] {path}: 未対応の形式バージョン {found}（対応: {supported}）/ unsupported format version {found} (supported: {supported})"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// A signature did not verify: the file was changed after it was signed, or signed by another key.
    #[error(
        "[MI004] {path}: 署名が一致しません — 改ざんされた可能性があります / signature does not verify — the file may have been tampered with: {detail}"
    )]
    BadSignature {
        /// The signed file.
        path: PathBuf,
        /// Why it failed.
        detail: String,
    },
    /// The configuration file is invalid.
    #[error("[MI005] {path}: 設定が正しくありません / invalid configuration: {detail}")]
    Config {
        /// The configuration file (or `<built-in>`).
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A path given to scan does not exist or cannot be used as a root.
    #[error("[MI006] {path}: 対象にできません / cannot be scanned: {detail}")]
    Root {
        /// The root.
        path: PathBuf,
        /// Why.
        detail: String,
    },
}

impl Error {
    /// A stable code for the error (`MI` = mamori-integrity).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "MI001",
            Error::Format { .. } => "MI002",
            Error::Version { .. } => "MI003",
            Error::BadSignature { .. } => "MI004",
            Error::Config { .. } => "MI005",
            Error::Root { .. } => "MI006",
        }
    }

    /// True when the error means "something was tampered with" rather than "could not work".
    pub fn is_tampering(&self) -> bool {
        matches!(self, Error::BadSignature { .. })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn format(path: impl Into<PathBuf>, detail: impl Into<String>) -> Error {
        Error::Format {
            path: path.into(),
            detail: detail.into(),
        }
    }
}

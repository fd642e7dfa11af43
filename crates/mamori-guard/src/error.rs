//! Errors of the guard. A user sees [`GuardError::text`]; operators see `Display`.

use mamori_core::Text;

/// Everything that can go wrong inside the guard (not a refused login: that is an
/// outcome, not an error).
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    /// The state store failed.
    #[error("guard state store failed: {0}")]
    Store(String),
    /// Password hashing failed (bad parameters or a corrupt stored hash).
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// A configuration value is out of range.
    #[error("invalid guard configuration: {0}")]
    Config(String),
    /// Reading a breached-password range file failed.
    #[error("cannot read breached-password file {path}: {source}")]
    Corpus {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The WebAuthn ceremony failed.
    #[error("WebAuthn ceremony failed: {0}")]
    WebAuthn(String),
    /// The account does not exist (only for admin operations; logins never say so).
    #[error("no such account")]
    NoSuchAccount,
}

impl GuardError {
    /// A stable code for looking up texts.
    pub fn code(&self) -> &'static str {
        match self {
            GuardError::Store(_) => "guard.store",
            GuardError::Hash(_) => "guard.hash",
            GuardError::Config(_) => "guard.config",
            GuardError::Corpus { .. } => "guard.corpus",
            GuardError::WebAuthn(_) => "guard.webauthn",
            GuardError::NoSuchAccount => "guard.no_such_account",
        }
    }

    /// What a user may be shown (nothing internal).
    pub fn text(&self) -> Text {
        match self {
            GuardError::NoSuchAccount => {
                Text::new("アカウントが見つかりません。", "The account was not found.")
            }
            GuardError::Config(_) => Text::new(
                "ログイン保護の設定に誤りがあります。管理者に連絡してください。",
                "The login protection is misconfigured. Contact the administrator.",
            ),
            _ => Text::new(
                "内部エラーが発生しました。しばらくしてから再度お試しください。",
                "An internal error occurred. Please try again later.",
            ),
        }
    }
}

/// Result with [`GuardError`].
pub type Result<T> = std::result::Result<T, GuardError>;

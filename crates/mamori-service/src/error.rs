//! Errors a caller can show: each has a stable code and Japanese/English text.

use mamori_core::Text;
use mamori_guard::Refusal;
use mamori_store::StoreError;

/// A service failure.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Not signed in, or the session expired.
    #[error("not authenticated")]
    Unauthenticated,
    /// Not allowed, or does not exist (the same answer on purpose).
    #[error("not found or not allowed")]
    NotFound,
    /// The input is not acceptable; the code names why.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// A new password was refused by the policy.
    #[error("password refused")]
    PasswordRefused(Refusal),
    /// The name or e-mail address is taken.
    #[error("already exists")]
    Conflict,
    /// Something broke inside; the message is for the log only.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => ServiceError::Conflict,
            StoreError::NotFound(_) => ServiceError::NotFound,
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<mamori_guard::GuardError> for ServiceError {
    fn from(e: mamori_guard::GuardError) -> Self {
        ServiceError::Internal(e.to_string())
    }
}

impl From<crate::authz::Denied> for ServiceError {
    fn from(_: crate::authz::Denied) -> Self {
        ServiceError::NotFound
    }
}

impl ServiceError {
    /// The stable code (`E-AUTH-001`, …).
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Unauthenticated => "E-AUTH-001",
            ServiceError::NotFound => "E-ACCESS-404",
            ServiceError::Invalid(code) => code,
            ServiceError::PasswordRefused(_) => "E-PASSWORD-001",
            ServiceError::Conflict => "E-CONFLICT-001",
            ServiceError::Internal(_) => "E-INTERNAL-500",
        }
    }

    /// What to tell the user.
    pub fn text(&self) -> Text {
        match self {
            ServiceError::Unauthenticated => Text::new(
                "ログインしてください（セッションの有効期限が切れた可能性があります）。",
                "Please sign in (your session may have expired).",
            ),
            ServiceError::NotFound => Text::new(
                "見つからないか、閲覧する権限がありません。",
                "Not found, or you are not allowed to see it.",
            ),
            ServiceError::Invalid(code) => invalid_text(code),
            ServiceError::PasswordRefused(_) => Text::new(
                "このパスワードは使えません。",
                "This password cannot be used.",
            ),
            ServiceError::Conflict => Text::new(
                "同じ名前またはメールアドレスが既に登録されています。",
                "The same name or e-mail address is already registered.",
            ),
            ServiceError::Internal(_) => Text::new(
                "内部エラーが発生しました。時間をおいて再度お試しください。",
                "An internal error occurred. Please try again later.",
            ),
        }
    }
}

/// Codes of [`ServiceError::Invalid`].
pub mod codes {
    /// Unknown organization kind.
    pub const ORG_KIND: &str = "E-INPUT-ORGKIND";
    /// Unknown role.
    pub const ROLE: &str = "E-INPUT-ROLE";
    /// Empty or too long name.
    pub const NAME: &str = "E-INPUT-NAME";
    /// Not an e-mail address.
    pub const EMAIL: &str = "E-INPUT-EMAIL";
    /// The one-time link is unknown, used or expired.
    pub const LINK: &str = "E-LINK-001";
    /// The CSRF token did not match.
    pub const CSRF: &str = "E-CSRF-001";
    /// The person has no password yet (set one first).
    pub const NO_PASSWORD: &str = "E-ACCOUNT-NOPASS";
    /// An administrator cannot disable or erase their own account here.
    pub const SELF_DISABLE: &str = "E-ACCOUNT-SELF";
    /// The last enabled platform administrator cannot be erased.
    pub const LAST_ADMIN: &str = "E-ACCOUNT-LASTADMIN";
    /// The deletion request is unknown or already carried out.
    pub const DELETION_REQUEST: &str = "E-PRIVACY-REQUEST";
    /// The audit chain is broken: no anchor is written over it.
    pub const CHAIN_BROKEN: &str = "E-AUDIT-BROKEN";
}

fn invalid_text(code: &str) -> Text {
    match code {
        codes::ORG_KIND => Text::new(
            "組織の種別が正しくありません。",
            "Unknown organization kind.",
        ),
        codes::ROLE => Text::new("役割が正しくありません。", "Unknown role."),
        codes::NAME => Text::new(
            "名前を1〜200文字で入力してください。",
            "Enter a name of 1–200 characters.",
        ),
        codes::EMAIL => Text::new(
            "メールアドレスが正しくありません。",
            "Not a valid e-mail address.",
        ),
        codes::LINK => Text::new(
            "このリンクは無効です（使用済みまたは期限切れ）。管理者に再発行を依頼してください。",
            "This link is not valid (used or expired). Ask an administrator for a new one.",
        ),
        codes::CSRF => Text::new(
            "フォームの有効期限が切れました。ページを再読み込みしてやり直してください。",
            "The form expired. Reload the page and try again.",
        ),
        codes::NO_PASSWORD => Text::new(
            "先にパスワードを設定してください。",
            "Set a password first.",
        ),
        codes::SELF_DISABLE => Text::new(
            "自分自身のアカウントはここでは無効化・削除できません。",
            "You cannot disable or erase your own account here.",
        ),
        codes::LAST_ADMIN => Text::new(
            "最後の有効な管理者は削除できません。先に別の管理者を追加してください。",
            "The last enabled administrator cannot be erased. Add another administrator first.",
        ),
        codes::DELETION_REQUEST => Text::new(
            "この削除依頼は見つからないか、既に対応済みです。",
            "This deletion request does not exist or was already carried out.",
        ),
        codes::CHAIN_BROKEN => Text::new(
            "監査ログのハッシュチェーンが壊れています。先に `mamori audit verify` で確認してください。",
            "The audit log's hash chain is broken. Check it with `mamori audit verify` first.",
        ),
        _ => Text::new("入力が正しくありません。", "The input is not valid."),
    }
}

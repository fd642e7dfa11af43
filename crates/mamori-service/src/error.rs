//! Errors a caller can show: each has a stable code and Japanese/English text.

use mamori_core::Text;
use mamori_core::portal::files::FileRefusal;
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
    /// Intake answers that cannot be accepted, one error per question (the code says
    /// whether they are invalid or missing for a 届出).
    #[error("answers not accepted: {code}")]
    InvalidAnswers {
        /// `E-REPORT-ANSWERS` or `E-REPORT-MISSING`.
        code: &'static str,
        /// What is wrong with which question.
        errors: Vec<mamori_core::intake::AnswerError>,
    },
    /// An upload is over a size limit; the code says which.
    #[error("too large: {0}")]
    TooLarge(&'static str),
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
            ServiceError::InvalidAnswers { code, .. } | ServiceError::TooLarge(code) => code,
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
            ServiceError::InvalidAnswers { code, .. } | ServiceError::TooLarge(code) => {
                invalid_text(code)
            }
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
    /// Intake answers are not valid ([`super::ServiceError::InvalidAnswers`]).
    pub const ANSWERS: &str = "E-REPORT-ANSWERS";
    /// A 届出 lacks required answers ([`super::ServiceError::InvalidAnswers`]).
    pub const MISSING: &str = "E-REPORT-MISSING";
    /// Title empty after trimming is allowed; over 200 characters is not.
    pub const TITLE: &str = "E-REPORT-TITLE";
    /// No receiving body was chosen (nothing is sent without a choice).
    pub const NO_BODY: &str = "E-REPORT-NOBODY";
    /// The chosen organization is not that body (or not a receiving body at all).
    pub const BODY_ORG: &str = "E-REPORT-BODYORG";
    /// The platform has no organization for the chosen body yet.
    pub const BODY_MISSING: &str = "E-REPORT-BODYMISSING";
    /// The report is no longer a draft (or not submitted yet) for this action.
    pub const REPORT_STATE: &str = "E-REPORT-STATE";
    /// An anonymous consultation goes to exactly one body.
    pub const ONE_BODY: &str = "E-REPORT-ONEBODY";
    /// The uploaded findings are not JSON.
    pub const SCAN_JSON: &str = "E-SCAN-JSON";
    /// The uploaded JSON is not a `mamori scan` result.
    pub const SCAN_DOC: &str = "E-SCAN-DOC";
    /// The case cannot go to that status from where it is.
    pub const CASE_TRANSITION: &str = "E-CASE-TRANSITION";
    /// The closing checklist is not complete.
    pub const CASE_CHECKLIST: &str = "E-CASE-CHECKLIST";
    /// Unknown checklist item for this body.
    pub const CASE_ITEM: &str = "E-CASE-ITEM";
    /// Unknown outcome, or not one this body uses.
    pub const CASE_OUTCOME: &str = "E-CASE-OUTCOME";
    /// Unknown not-accepted reason.
    pub const CASE_REASON: &str = "E-CASE-REASON";
    /// Someone else changed the case meanwhile; reload.
    pub const CASE_STALE: &str = "E-CASE-STALE";
    /// A message or note is empty or over 20,000 characters.
    pub const TEXT: &str = "E-CASE-TEXT";
    /// The referral target is this body, already holds the report or has an open proposal.
    pub const REFERRAL_TARGET: &str = "E-REFERRAL-TARGET";
    /// The referral was already decided.
    pub const REFERRAL_STATE: &str = "E-REFERRAL-STATE";
    /// An attachment over the per-file limit.
    pub const FILE_TOO_LARGE: &str = "E-ATTACH-FILESIZE";
    /// Attachments of one report over the total limit.
    pub const REPORT_TOO_LARGE: &str = "E-ATTACH-TOTALSIZE";
    /// An empty file or a missing or over-long file name.
    pub const ATTACHMENT: &str = "E-ATTACH-FILE";
    /// A queue filter with an unknown status, act or sector code.
    pub const FILTER: &str = "E-INPUT-FILTER";
    /// A passkey could not be verified (wrong key, expired or replayed ceremony).
    pub const PASSKEY: &str = "E-PASSKEY-FAILED";
    /// Too many attempts from this address for now.
    pub const TOO_MANY: &str = "E-THROTTLED";
    /// Passkeys are not available on this server (no usable public origin).
    pub const PASSKEY_OFF: &str = "E-PASSKEY-OFF";
    /// A JSON API write whose body is not declared `application/json`.
    pub const MEDIA_TYPE: &str = "E-MEDIA-TYPE";
    /// The server is busy with other uploads; retry after a while.
    pub const BUSY: &str = "E-UPLOAD-BUSY";
    /// The person has as many open drafts as allowed.
    pub const DRAFTS: &str = "E-REPORT-DRAFTS";
    /// The action needs the password (or a second factor) again.
    pub const REAUTH: &str = "E-AUTH-REAUTH";
    /// A statistics import with rejected rows (nothing was loaded).
    pub const STATS_IMPORT: &str = "E-STATS-IMPORT";
    /// A de-duplication link that does not exist or is not in a state for the decision.
    pub const STATS_LINK: &str = "E-STATS-LINK";
    /// A report year or k out of range.
    pub const STATS_QUERY: &str = "E-STATS-QUERY";
    /// A publication with k under the default, or of a year with no data.
    pub const STATS_PUBLISH: &str = "E-STATS-PUBLISH";
    /// The portal item is not in a state for this action, or not yours to do it.
    pub const PORTAL_STATE: &str = "E-PORTAL-STATE";
    /// Someone changed the portal item meanwhile; reload.
    pub const PORTAL_STALE: &str = "E-PORTAL-STALE";
    /// The vulnerability case changed meanwhile (optimistic version).
    pub const VULN_STALE: &str = "E-VULN-STALE";
    /// The organization chosen as a website's operator is not a website operator.
    pub const VULN_OPERATOR: &str = "E-VULN-OPERATOR";
    /// The portal item's content no longer passes its checks (fix the draft).
    pub const PORTAL_CONTENT: &str = "E-PORTAL-CONTENT";
    /// A material file of a type the catalog does not list (by name or content).
    pub const PORTAL_FILE_TYPE: &str = "E-PORTAL-FILETYPE";
    /// A material file whose content is not what its name says.
    pub const PORTAL_FILE_MISMATCH: &str = "E-PORTAL-FILEMISMATCH";
    /// A material file over 20 MiB, or empty.
    pub const PORTAL_FILE_SIZE: &str = "E-PORTAL-FILESIZE";
    /// A material with neither a link nor a file cannot go to review.
    pub const PORTAL_NO_LOCATION: &str = "E-PORTAL-NOLOCATION";
    /// Unknown self-check list.
    pub const SELFCHECK_LIST: &str = "E-SELFCHECK-LIST";
}

fn invalid_text(code: &str) -> Text {
    match code {
        codes::STATS_IMPORT => Text::new(
            "取り込めない行があったため、何も取り込みませんでした。各行の理由を確認してください。",
            "Some rows could not be imported, so nothing was loaded; see the reason for each row.",
        ),
        codes::STATS_LINK => Text::new(
            "この統合候補は見つからないか、既に判断済みです。",
            "This link does not exist or was already decided.",
        ),
        codes::STATS_QUERY => Text::new(
            "年（1900〜9999）または k（0〜100）が範囲外です。",
            "The year (1900–9999) or k (0–100) is out of range.",
        ),
        codes::STATS_PUBLISH => Text::new(
            "公表できません。k は 3 以上とし、データのある年を選んでください。",
            "Cannot publish: k must be 3 or more, and the year must have data.",
        ),
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
        codes::ANSWERS => Text::new(
            "回答に誤りがあります。各設問の表示を確認してください。",
            "Some answers are not valid; see the notes at each question.",
        ),
        codes::MISSING => Text::new(
            "届出には未回答の必須項目があります。下書きは保存されています。",
            "A report needs answers that are still missing. The draft is saved.",
        ),
        codes::TITLE => Text::new(
            "件名は200文字以内で入力してください。",
            "Keep the title to 200 characters.",
        ),
        codes::NO_BODY => Text::new(
            "送信先の機関を1つ以上選んでください。選ばれていない機関には何も送られません。",
            "Choose at least one body. Nothing is sent to a body you did not choose.",
        ),
        codes::BODY_ORG => Text::new(
            "選んだ送信先が正しくありません。",
            "The chosen recipient is not that body.",
        ),
        codes::BODY_MISSING => Text::new(
            "選んだ機関はまだこのプラットフォームに登録されていません。管理者に連絡してください。",
            "The chosen body is not registered on this platform yet. Contact the administrator.",
        ),
        codes::REPORT_STATE => Text::new(
            "この届出は現在の状態ではその操作ができません（送信済みなど）。",
            "This report cannot do that in its current state (already sent, for example).",
        ),
        codes::ONE_BODY => Text::new(
            "匿名の相談は1つの機関にだけ送れます。",
            "An anonymous consultation goes to exactly one body.",
        ),
        codes::SCAN_JSON => Text::new(
            "ファイルがJSONではありません。mamori scan --format json の出力を指定してください。",
            "The file is not JSON. Give the output of mamori scan --format json.",
        ),
        codes::SCAN_DOC => Text::new(
            "mamori scan の結果（JSON）ではありません。",
            "This JSON is not a mamori scan result.",
        ),
        codes::CASE_TRANSITION => Text::new(
            "この案件は現在の状態からその状態には進められません。",
            "The case cannot move to that status from its current one.",
        ),
        codes::CASE_CHECKLIST => Text::new(
            "完了前のチェックリストに未完了の項目があります。",
            "The closing checklist is not complete.",
        ),
        codes::CASE_ITEM => Text::new(
            "この機関のチェックリストにない項目です。",
            "Not an item of this body's checklist.",
        ),
        codes::CASE_OUTCOME => Text::new(
            "この機関では使えない結果の種別です。",
            "Not an outcome this body uses.",
        ),
        codes::CASE_REASON => Text::new(
            "不受理の理由を一覧から選んでください。",
            "Choose a reason from the list.",
        ),
        codes::CASE_STALE => Text::new(
            "他の担当者がこの案件を更新しました。再読み込みしてやり直してください。",
            "Someone else changed this case meanwhile. Reload and try again.",
        ),
        codes::TEXT => Text::new(
            "本文を1〜20,000文字で入力してください。",
            "Enter a text of 1–20,000 characters.",
        ),
        codes::REFERRAL_TARGET => Text::new(
            "その機関には引継ぎを提案できません（自機関、既に受理済み、または提案中）。",
            "A referral to that body cannot be proposed (this body, already holding it, or already proposed).",
        ),
        codes::REFERRAL_STATE => Text::new(
            "この引継ぎの提案は既に回答済みです。",
            "This referral proposal has already been answered.",
        ),
        codes::FILE_TOO_LARGE => Text::new(
            "ファイルが大きすぎます（1ファイル25MiBまで）。",
            "The file is too large (25 MiB per file).",
        ),
        codes::REPORT_TOO_LARGE => Text::new(
            "添付ファイルの合計が上限（1件あたり100MiB）を超えます。",
            "The attachments of this report would exceed the limit (100 MiB per report).",
        ),
        codes::ATTACHMENT => Text::new(
            "空のファイル、またはファイル名がない（255文字超）ファイルは添付できません。",
            "Empty files and files without a name (or over 255 characters) cannot be attached.",
        ),
        codes::FILTER => Text::new(
            "絞り込みの条件に不明な値があります。",
            "A filter has an unknown value.",
        ),
        codes::PASSKEY => Text::new(
            "パスキーを確認できませんでした。もう一度お試しいただくか、パスワードでログインしてください。",
            "The passkey could not be verified. Try again, or sign in with your password.",
        ),
        codes::TOO_MANY => Text::new(
            "試行回数が多すぎます。しばらく待ってから再度お試しください。",
            "Too many attempts. Please wait a while and try again.",
        ),
        codes::PASSKEY_OFF => Text::new(
            "このサーバーではパスキーを使えません（公開URL base_url の設定が必要です）。",
            "Passkeys are not available on this server (its public URL, base_url, must be set).",
        ),
        codes::MEDIA_TYPE => Text::new(
            "JSONの本文には Content-Type: application/json を指定してください。",
            "Send a JSON body with Content-Type: application/json.",
        ),
        codes::BUSY => Text::new(
            "ただいま他のアップロードが混み合っています。少し待ってから再度お試しください。",
            "The server is busy with other uploads. Please wait a moment and try again.",
        ),
        codes::DRAFTS => Text::new(
            "作成中の届出が上限に達しています。新しく作る前に、作成中のものを提出するか削除してください。",
            "You have as many draft reports as allowed. Submit or delete a draft before starting a new one.",
        ),
        codes::REAUTH => Text::new(
            "この操作の前に、パスワード（または確認コード）をもう一度入力してください。",
            "Enter your password (or a code) again before this action.",
        ),
        codes::PORTAL_STATE => Text::new(
            "この項目は今の状態ではその操作ができません（自分が書いた項目は、別の編集者が確認して公開します）。",
            "This item cannot do that in its current state (an item you wrote is reviewed and published by another editor).",
        ),
        codes::PORTAL_STALE => Text::new(
            "他の編集者がこの項目を更新しました。再読み込みしてやり直してください。",
            "Another editor changed this item meanwhile. Reload and try again.",
        ),
        codes::VULN_STALE => Text::new(
            "この案件は他の人が更新しました。再読み込みしてやり直してください。",
            "Someone else changed this case meanwhile. Reload and try again.",
        ),
        codes::VULN_OPERATOR => Text::new(
            "運営者として選んだ組織はウェブサイト運営者として登録されていません。",
            "The organization chosen as the operator is not registered as a website operator.",
        ),
        codes::PORTAL_CONTENT => Text::new(
            "内容に直すところがあります（掲載団体の公開が終わった、など）。差し戻して直してください。",
            "The content needs fixing (its publisher was withdrawn, for example). Send it back to be fixed.",
        ),
        codes::PORTAL_FILE_TYPE => FileRefusal::NotAccepted.text(),
        codes::PORTAL_FILE_MISMATCH => FileRefusal::Mismatch.text(),
        codes::PORTAL_FILE_SIZE => Text::new(
            "ファイルが空か、大きすぎます（20MiBまで）。",
            "The file is empty or too large (20 MiB at most).",
        ),
        codes::PORTAL_NO_LOCATION => Text::new(
            "資料の URL を入力するか、ファイルをアップロードしてから確認に回してください。",
            "Enter the material's URL or upload its file before sending it to review.",
        ),
        codes::SELFCHECK_LIST => {
            Text::new("そのセルフチェックはありません。", "No such self-check.")
        }
        _ => Text::new("入力が正しくありません。", "The input is not valid."),
    }
}

//! Personal data: the purposes each kind of data is kept for and how long,
//! the export of everything about a person, and deletion on request.
//!
//! Deletion keeps the audit log: entries are evidence of who saw and changed which
//! confidential report and part of the security control measures the Act on
//! the Protection of Personal Information requires (安全管理措置, Art. 23); they name a
//! person only by an internal number, and once the person's name and e-mail address
//! are replaced by a pseudonym they no longer identify them directly.

use crate::audit::Event;
use crate::authz::{Caller, Permission, check, check_caller};
use crate::{Actor, Result, ServiceError, Services, codes};
use mamori_core::Text;
use mamori_store::{AuditEntry, DeletionRequest, Erasure, Notice, Org, Role, User, UserId};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// One kind of personal data, why it is kept and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Purpose {
    /// Stable key (also the export's section name where there is one).
    pub key: &'static str,
    /// What is kept.
    pub data: Text,
    /// Why.
    pub purpose: Text,
    /// For how long, and what happens on deletion.
    pub retention: Text,
}

/// The declared purposes (shown on `/me/data` and included in every export).
pub const PURPOSES: &[Purpose] = &[
    Purpose {
        key: "person",
        data: Text::new(
            "氏名（表示名）・メールアドレス・所属組織・役割",
            "Name (display name), e-mail address, organization, role",
        ),
        purpose: Text::new(
            "本人の確認、ログイン、権限の判定、誰が対応したかの表示のため",
            "To identify you, let you sign in, decide what you may see, and show who handled what",
        ),
        retention: Text::new(
            "アカウントがある間。削除依頼の実施時に仮名へ置き換えます。",
            "While the account exists. Replaced by a pseudonym when your deletion request is carried out.",
        ),
    },
    Purpose {
        key: "security",
        data: Text::new(
            "パスワードのハッシュ値、二要素認証の設定（パスキーの公開鍵を含む）、回復コードのハッシュ値、直近20回のログイン日時と接続元",
            "Password hash, second-factor settings (including passkey public keys), recovery-code hashes, the time and source of your last 20 sign-ins",
        ),
        purpose: Text::new(
            "ログインの保護、前回ログインの表示、不正なログインの検知のため（パスワードそのものは保存しません）",
            "To protect sign-in, show your previous sign-in and detect misuse (your password itself is never stored)",
        ),
        retention: Text::new(
            "変更するかアカウントを削除するまで。削除時に消去します。",
            "Until you change them or the account is deleted; erased on deletion.",
        ),
    },
    Purpose {
        key: "sessions",
        data: Text::new(
            "ログイン中のセッション（開始・最終利用の日時）",
            "Sessions you are signed in with (start and last use)",
        ),
        purpose: Text::new(
            "ログイン状態の維持と、放置されたセッションの終了のため",
            "To keep you signed in and end sessions left idle",
        ),
        retention: Text::new(
            "ログアウト、30分の無操作、または12時間で終了し削除します。",
            "Deleted at sign-out, after 30 idle minutes or after 12 hours at most.",
        ),
    },
    Purpose {
        key: "api_tokens",
        data: Text::new(
            "APIトークンの用途名と有効期限（トークン自体はハッシュ値のみ）",
            "API tokens' labels and expiry (the tokens themselves only as hashes)",
        ),
        purpose: Text::new(
            "システム間連携での本人の代理アクセスのため",
            "For machines acting on your behalf",
        ),
        retention: Text::new(
            "有効期限（90日）まで。削除時に消去します。",
            "Until they expire (90 days); erased on deletion.",
        ),
    },
    Purpose {
        key: "notices",
        data: Text::new(
            "アカウントに関するお知らせ（パスワード変更、新しい場所からのログインなど）",
            "Notices about your account (password changed, sign-in from a new place, …)",
        ),
        purpose: Text::new(
            "身に覚えのない操作に本人が気付けるようにするため",
            "So that you notice actions you did not take",
        ),
        retention: Text::new("削除時に消去します。", "Erased on deletion."),
    },
    Purpose {
        key: "audit_entries",
        data: Text::new(
            "監査ログ（ログイン、閲覧、変更の記録：日時・操作・対象・接続元）",
            "Audit log (sign-ins, views and changes: time, action, object, source)",
        ),
        purpose: Text::new(
            "機密性の高い届出を誰が見て変更したかを後から証明するため（改ざん防止のハッシュチェーン）。本人の求めに応じて自分の記録を開示します。",
            "To prove afterwards who saw and changed confidential reports (a tamper-evident hash chain). You can see your own records.",
        ),
        retention: Text::new(
            "定期監査とその次の監査まで保存し、削除依頼があっても消去しません。法的根拠：個人情報保護法の安全管理措置（第23条）と不正アクセス対策の行動計画（ログの保存と定期監査）に基づく正当な保存であり、記録は内部番号で本人を指すため、氏名とメールアドレスを仮名に置き換えた後は直接あなたを特定しません。",
            "Kept until the periodic audit and the next one, and not erased on a deletion request. Legal basis: keeping them is a security control measure under the Act on the Protection of Personal Information (Art. 23) and the action plan against unauthorized access (log retention and periodic audit); entries refer to you by an internal number, so once your name and e-mail address are pseudonymized they no longer identify you directly.",
        ),
    },
    Purpose {
        key: "reports",
        data: Text::new(
            "あなたが行った届出・相談とその添付（届出機能）",
            "Reports and consultations you filed, with attachments (the reporting feature)",
        ),
        purpose: Text::new(
            "あなたが選んだ受付機関が対応するため",
            "So that the receiving bodies you chose can handle them",
        ),
        retention: Text::new(
            "事案の対応と記録の保存期間が終わるまで。",
            "Until the case is handled and its record-keeping period ends.",
        ),
    },
    Purpose {
        key: "selfchecks",
        data: Text::new(
            "あなたが保存を選んだセルフチェックの回答と日時（ポータル）",
            "Self-check answers you chose to save, with their times (the portal)",
        ),
        purpose: Text::new(
            "あなたが前回の結果と比べ、対策を続けられるようにするため",
            "So that you can compare with your earlier results and keep improving",
        ),
        retention: Text::new(
            "アカウントを削除するまで。削除のときに消去します。",
            "Until the account is deleted; erased on deletion.",
        ),
    },
];

/// A session as exported: times only, never the cookie or its hash.
#[derive(Debug, Clone, Serialize)]
pub struct SessionMeta {
    /// Sign-in.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last request.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
}

/// An API token as exported: label and times, never the token or its hash.
#[derive(Debug, Clone, Serialize)]
pub struct TokenMeta {
    /// What it is for.
    pub label: String,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The guard's record of the person, as exported (no hashes).
#[derive(Debug, Clone, Serialize)]
pub struct SecurityMeta {
    /// A password is set.
    pub password_set: bool,
    /// Second factors enrolled (`totp`, `recovery_codes`, …).
    pub second_factors: Vec<String>,
    /// Unused recovery codes.
    pub recovery_codes_left: usize,
    /// Recent sign-ins: time and source.
    pub recent_sign_ins: Vec<Value>,
}

/// One declared purpose, as exported.
#[derive(Debug, Clone, Serialize)]
pub struct PurposeOut {
    /// Section.
    pub key: &'static str,
    /// What, why and how long (Japanese).
    pub ja: [&'static str; 3],
    /// What, why and how long (English).
    pub en: [&'static str; 3],
}

/// Everything the platform keeps about one person (`/me/data/export`,
/// `mamori users export`). Later features add their data to [`sections`](Self::sections).
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    /// `mamori-personal-data/1`.
    pub format: &'static str,
    /// When the export was made.
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    /// Why each kind of data is kept, and for how long.
    pub purposes: Vec<PurposeOut>,
    /// The profile.
    pub person: User,
    /// The organization.
    pub organization: Org,
    /// Sign-in protection (no secrets).
    pub security: SecurityMeta,
    /// Open sessions (times only).
    pub sessions: Vec<SessionMeta>,
    /// API tokens (labels and expiry only).
    pub api_tokens: Vec<TokenMeta>,
    /// Notices about the account.
    pub notices: Vec<Notice>,
    /// Deletion requests.
    pub deletion_requests: Vec<DeletionRequest>,
    /// Audit entries by or about the person, oldest first.
    pub audit_entries: Vec<AuditEntry>,
    /// Data of later features, by section name (`reports`, …): each feature adds
    /// its own entry in [`Services::feature_sections`].
    pub sections: BTreeMap<&'static str, Value>,
}

/// A deletion request with the person it is about (administrators' list).
#[derive(Debug, Clone)]
pub struct OpenDeletion {
    /// The request.
    pub request: DeletionRequest,
    /// The person.
    pub user: User,
}

impl Services {
    /// The personal-data sections of features built on the platform: `reports` holds
    /// the reports the person wrote (content and answers) with the messages they sent;
    /// `selfchecks` the portal self-checks they saved (list, answers, time).
    /// Reports of their organization written by others are not their personal data.
    async fn feature_sections(&self, user: &User) -> Result<BTreeMap<&'static str, Value>> {
        let mut reports = Vec::new();
        let mut before = None;
        loop {
            let page = self
                .store
                .reports_of_org(user.org, user.id, before, 200)
                .await?;
            let Some(last) = page.last() else { break };
            before = Some(last.id);
            for summary in page.iter().filter(|r| r.author == Some(user.id)) {
                let Some(report) = self.store.report(summary.id).await? else {
                    continue;
                };
                let own_messages: Vec<_> = self
                    .store
                    .events(summary.id)
                    .await?
                    .into_iter()
                    .filter(|e| e.actor == Some(user.id))
                    .collect();
                reports.push(json!({ "report": report, "own_entries": own_messages }));
            }
        }
        // Saved self-checks are the person's own answers (anonymous ones are never stored).
        let selfchecks: Vec<Value> = self
            .store
            .selfchecks_of(user.id, 1_000_000)
            .await?
            .into_iter()
            .map(|c| {
                let answers: Value = serde_json::from_str(&c.answers).unwrap_or(Value::Null);
                json!({"id": c.id, "list": c.list, "answers": answers, "saved_at": c.at.unix_timestamp()})
            })
            .collect();
        let mut s = BTreeMap::new();
        s.insert("reports", Value::Array(reports));
        s.insert("selfchecks", Value::Array(selfchecks));
        Ok(s)
    }

    async fn collect_personal_data(&self, user: &User) -> Result<PersonalData> {
        let org = self
            .store
            .org(user.org)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let email = user.email.clone();
        let acc = self.with_guard(move |g| g.account(&email)).await??;
        let security = SecurityMeta {
            password_set: acc.as_ref().is_some_and(|a| a.password_phc.is_some()),
            second_factors: acc
                .as_ref()
                .map(|a| a.factors().iter().map(|f| format!("{f:?}").to_lowercase()).collect())
                .unwrap_or_default(),
            recovery_codes_left: acc.as_ref().map_or(0, |a| a.recovery_hashes.len()),
            recent_sign_ins: acc
                .as_ref()
                .map(|a| {
                    a.recent_logins
                        .iter()
                        .map(|l| json!({"time": l.time.unix_timestamp(), "source": l.source.map(|s| s.to_string())}))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let sessions = self
            .store
            .sessions_of(user.id)
            .await?
            .into_iter()
            .map(|s| SessionMeta {
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
            })
            .collect();
        let api_tokens = self
            .store
            .tokens_of(user.id)
            .await?
            .into_iter()
            .map(|t| TokenMeta {
                label: t.label,
                created_at: t.created_at,
                expires_at: t.expires_at,
            })
            .collect();
        let mut audit_entries = self.store.audit_for_user(user.id, 1_000_000).await?;
        audit_entries.reverse();
        Ok(PersonalData {
            format: "mamori-personal-data/1",
            generated_at: self.now(),
            purposes: PURPOSES
                .iter()
                .map(|p| PurposeOut {
                    key: p.key,
                    ja: [p.data.ja, p.purpose.ja, p.retention.ja],
                    en: [p.data.en, p.purpose.en, p.retention.en],
                })
                .collect(),
            person: user.clone(),
            organization: org,
            security,
            sessions,
            api_tokens,
            notices: self.store.notices(user.id, false, 1_000_000).await?,
            deletion_requests: self.store.deletion_requests_of(user.id).await?,
            audit_entries,
            sections: self.feature_sections(user).await?,
        })
    }

    /// The person's own data (audited as `export_personal_data`).
    pub async fn export_my_data(&self, actor: &Actor) -> Result<PersonalData> {
        check(actor, Permission::ViewUser(&actor.user))?;
        let data = self.collect_personal_data(&actor.user).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "export_personal_data",
            object: format!("user:{}", actor.user.id.0),
            source: actor.source.clone(),
            detail: json!({"audit_entries": data.audit_entries.len()}),
        })
        .await?;
        Ok(data)
    }

    /// A person's data for the operator's console (`mamori users export`), audited.
    pub async fn export_personal_data_as_console(&self, email: &str) -> Result<PersonalData> {
        let u = self
            .store
            .user_by_email(email.trim())
            .await?
            .ok_or(ServiceError::NotFound)?;
        let data = self.collect_personal_data(&u).await?;
        self.audit(Event {
            subject: Some(u.id),
            action: "export_personal_data",
            object: format!("user:{}", u.id.0),
            source: "console".into(),
            detail: json!({"audit_entries": data.audit_entries.len()}),
            ..Event::default()
        })
        .await?;
        Ok(data)
    }

    /// The person's deletion requests (for `/me/data`).
    pub async fn my_deletion_requests(&self, actor: &Actor) -> Result<Vec<DeletionRequest>> {
        Ok(self.store.deletion_requests_of(actor.user.id).await?)
    }

    /// The person asks for their data to be deleted; a platform administrator
    /// carries it out. Audited; the person gets a notice.
    pub async fn request_deletion(&self, actor: &Actor, reason: &str) -> Result<DeletionRequest> {
        let reason: String = reason.trim().chars().take(1000).collect();
        if let Some(open) = self
            .store
            .deletion_requests_of(actor.user.id)
            .await?
            .into_iter()
            .find(|r| r.done_at.is_none())
        {
            return Ok(open);
        }
        let r = self
            .store
            .insert_deletion_request(actor.user.id, self.now(), &reason)
            .await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "request_deletion",
            object: format!("deletion_request:{}", r.id),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await?;
        self.notify(
            actor.user.id,
            crate::notices::DELETION_REQUESTED,
            json!({"request": r.id}),
        )
        .await?;
        Ok(r)
    }

    /// Open deletion requests (platform administrators; audited list view).
    pub async fn open_deletion_requests(&self, actor: &Actor) -> Result<Vec<OpenDeletion>> {
        check(actor, Permission::ManagePlatform)?;
        let mut out = Vec::new();
        for request in self.store.deletion_requests(true).await? {
            if let Some(user) = self.store.user(request.user).await? {
                out.push(OpenDeletion { request, user });
            }
        }
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "list_deletion_requests",
            object: "deletion_requests".into(),
            source: actor.source.clone(),
            detail: json!({"count": out.len()}),
            ..Event::default()
        })
        .await?;
        Ok(out)
    }

    /// Carries out a deletion request (platform administrators).
    pub async fn carry_out_deletion(&self, caller: Caller<'_>, request: i64) -> Result<User> {
        check_caller(caller, Permission::ManagePlatform)?;
        let r = self
            .store
            .deletion_requests(true)
            .await?
            .into_iter()
            .find(|r| r.id == request)
            .ok_or(ServiceError::Invalid(codes::DELETION_REQUEST))?;
        self.erase(caller, r.user, Some(r.id)).await
    }

    /// Erases a person's data from the console (`mamori users erase`).
    pub async fn erase_user_as_console(&self, email: &str) -> Result<User> {
        let u = self
            .store
            .user_by_email(email.trim())
            .await?
            .ok_or(ServiceError::NotFound)?;
        self.erase(Caller::Console, u.id, None).await
    }

    /// Disables the account, replaces name and e-mail by a pseudonym, drops
    /// sessions, tokens, links, notices and the guard record; audit entries stay.
    async fn erase(&self, caller: Caller<'_>, id: UserId, request: Option<i64>) -> Result<User> {
        let u = self.store.user(id).await?.ok_or(ServiceError::NotFound)?;
        if caller.person().is_some_and(|a| a.user.id == id) {
            return Err(ServiceError::Invalid(codes::SELF_DISABLE));
        }
        if u.role == Role::PlatformAdmin && !u.disabled {
            let admins = self
                .store
                .users(None)
                .await?
                .into_iter()
                .filter(|x| x.role == Role::PlatformAdmin && !x.disabled)
                .count();
            if admins <= 1 {
                return Err(ServiceError::Invalid(codes::LAST_ADMIN));
            }
        }
        let erasure = Erasure {
            user: id,
            old_email: u.email.clone(),
            pseudonym_email: format!("erased-{}@erased.invalid", id.0),
            pseudonym_name: format!("削除済み利用者 #{}", id.0),
            request,
            at: self.now(),
            by: caller.person().map(|a| a.user.id),
        };
        self.store.erase_user(&erasure).await?;
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            subject: Some(id),
            action: "erase_user",
            object: format!("user:{}", id.0),
            source: caller.source(),
            detail: json!({"request": request}),
        })
        .await?;
        self.store.user(id).await?.ok_or(ServiceError::NotFound)
    }
}

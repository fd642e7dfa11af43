//! Owner notices: what the owner of an account must be told —
//! password changed, a second factor added, the right password with a wrong code,
//! a sign-in from a new place, the account disabled — is stored and shown on the
//! person's home page until they mark it read, besides being logged.

use crate::audit::Event;
use crate::{Actor, Result, Services};
use mamori_core::Text;
use mamori_guard::{AuthEvent, Notifier, OwnerNotice};
use mamori_store::{NewNotice, Notice, Store, UserId};
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::runtime::Handle;

/// Notice kind: a sign-in from a network this person never signed in from.
pub const NEW_PLACE: &str = "new_place";
/// Notice kind: the person asked for their data to be deleted.
pub const DELETION_REQUESTED: &str = "deletion_requested";
/// Notice kind: an administrator disabled or enabled the account.
pub const ACCOUNT_ENABLED: &str = "account_enabled";

/// The guard's notifier in the platform: security events go to the log, owner
/// notices to the log and the `notices` table. Called by the guard on a blocking
/// thread, where `Handle::block_on` is allowed.
#[derive(Debug)]
pub(crate) struct StoreNotifier {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) rt: Handle,
}

impl Notifier for StoreNotifier {
    fn event(&self, event: &AuthEvent) {
        let json = serde_json::to_string(event).unwrap_or_default();
        tracing::info!(target: "mamori::auth", event = %json);
    }

    fn notify_owner(&self, user: &str, notice: &OwnerNotice, at: OffsetDateTime) {
        tracing::info!(target: "mamori::notice", user, ?notice, "owner notice");
        // The platform gives no device cookie, so every sign-in would look like a new
        // device; it tells of a new *place* (network) itself (see `sign_in`).
        if matches!(notice, OwnerNotice::NewDevice { .. }) {
            return;
        }
        let detail = serde_json::to_value(notice).unwrap_or_default();
        let kind = detail
            .get("notice")
            .and_then(|k| k.as_str())
            .unwrap_or("notice")
            .to_string();
        let store = self.store.clone();
        let r = self.rt.block_on(async move {
            match store.user_by_email(user).await? {
                Some(u) => {
                    store
                        .insert_notice(&NewNotice {
                            user: u.id,
                            at,
                            kind,
                            detail: detail.to_string(),
                        })
                        .await
                }
                None => Ok(()),
            }
        });
        if let Err(e) = r {
            tracing::error!(error = %e, "owner notice not stored");
        }
    }
}

/// What to tell the owner about a notice, Japanese first.
pub fn notice_text(n: &Notice) -> Text {
    match n.kind.as_str() {
        NEW_PLACE => Text::new(
            "これまでと異なる場所（ネットワーク）からログインがありました。心当たりがない場合は、すぐにパスワードを変更し管理者に連絡してください。",
            "Your account was signed in from a network it was never used from before. If this was not you, change your password at once and tell your administrator.",
        ),
        DELETION_REQUESTED => Text::new(
            "個人データの削除依頼を受け付けました。管理者が対応すると、アカウントは使えなくなります。",
            "Your request to delete your personal data was received. Once an administrator carries it out, the account can no longer be used.",
        ),
        ACCOUNT_ENABLED => Text::new(
            "管理者がアカウントを有効にしました。",
            "An administrator enabled your account.",
        ),
        crate::vuln_digest::VULN_DIGEST => Text::new(
            "脆弱性関連情報の取扱いについてお知らせがあります。",
            "There are notices about vulnerability cases.",
        ),
        _ => serde_json::from_str::<OwnerNotice>(&n.detail).map_or(
            Text::new(
                "アカウントに関するお知らせがあります。",
                "There is a notice about your account.",
            ),
            |o| o.text(),
        ),
    }
}

impl Services {
    /// Stores a notice of the platform's own (not from the guard).
    pub(crate) async fn notify(
        &self,
        user: UserId,
        kind: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.store
            .insert_notice(&NewNotice {
                user,
                at: self.now(),
                kind: kind.to_string(),
                detail: detail.to_string(),
            })
            .await?;
        Ok(())
    }

    /// The person's unread notices, newest first (shown on the home page).
    pub async fn my_notices(&self, actor: &Actor) -> Result<Vec<Notice>> {
        Ok(self.store.notices(actor.user.id, true, 50).await?)
    }

    /// Marks the person's notices read.
    pub async fn dismiss_notices(&self, actor: &Actor) -> Result<()> {
        self.store.mark_notices_seen(actor.user.id).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "dismiss_notices",
            source: actor.source.clone(),
            ..Event::default()
        })
        .await
    }
}

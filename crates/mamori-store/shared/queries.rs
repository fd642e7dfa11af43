// The `Store` implementation shared by mamori-store-sqlite and
// mamori-store-postgres, included by both (`$N` placeholders, Unix-second times, TEXT enums);
// the including crate defines `Db`, `This`, `BACKEND` and `be`.

include!("intake.rs");
include!("stuffing.rs");
include!("stats.rs");
include!("portal.rs");
include!("vuln.rs");

fn be(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(d.to_string()),
        _ => StoreError::Backend(e.to_string()),
    }
}

fn ts(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

fn from_ts(s: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

type OrgRow = (i64, String, String, Option<i64>, i64);
macro_rules! org_cols { () => { "id, name, kind, parent, created_at" }; }

fn org_row((id, name, kind, parent, created): OrgRow) -> Result<Org> {
    Ok(Org {
        id: OrgId(id),
        name,
        kind: OrgKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("org kind {kind}")))?,
        parent: parent.map(OrgId),
        created_at: from_ts(created)?,
    })
}

type UserRow = (i64, i64, String, String, String, i64, i64);
macro_rules! user_cols { () => { "id, org, email, display_name, role, disabled, created_at" }; }

fn user_row((id, org, email, display_name, role, disabled, created): UserRow) -> Result<User> {
    Ok(User {
        id: UserId(id),
        org: OrgId(org),
        email,
        display_name,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        disabled: disabled != 0,
        created_at: from_ts(created)?,
    })
}

type AuditRow = (i64, i64, Option<i64>, Option<i64>, String, String, String, String, String, String);
macro_rules! audit_cols { () => { "seq, at, actor, subject, action, object, source, detail, prev_hash, hash" }; }

fn audit_row(r: AuditRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.0,
        at: from_ts(r.1)?,
        actor: r.2.map(UserId),
        subject: r.3.map(UserId),
        action: r.4,
        object: r.5,
        source: r.6,
        detail: r.7,
        prev_hash: r.8,
        hash: r.9,
    })
}

#[async_trait]
impl Store for This {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn insert_org(&self, n: &NewOrg) -> Result<Org> {
        let row: OrgRow = sqlx::query_as(concat!("INSERT INTO orgs (name, kind, parent, created_at) VALUES ($1, $2, $3, $4) RETURNING ", org_cols!()))
        .bind(&n.name)
        .bind(n.kind.as_str())
        .bind(n.parent.map(|p| p.0))
        .bind(ts(n.created_at))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        org_row(row)
    }

    async fn org(&self, id: OrgId) -> Result<Option<Org>> {
        let row: Option<OrgRow> = sqlx::query_as(concat!("SELECT ", org_cols!(), " FROM orgs WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        row.map(org_row).transpose()
    }

    async fn org_by_name(&self, name: &str) -> Result<Option<Org>> {
        let row: Option<OrgRow> = sqlx::query_as(concat!("SELECT ", org_cols!(), " FROM orgs WHERE name = $1"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        row.map(org_row).transpose()
    }

    async fn orgs(&self) -> Result<Vec<Org>> {
        let rows: Vec<OrgRow> = sqlx::query_as(concat!("SELECT ", org_cols!(), " FROM orgs ORDER BY id"))
            .fetch_all(&self.pool)
            .await
            .map_err(be)?;
        rows.into_iter().map(org_row).collect()
    }

    async fn insert_user(&self, n: &NewUser) -> Result<User> {
        let row: UserRow = sqlx::query_as(concat!("INSERT INTO users (org, email, display_name, role, disabled, created_at) VALUES ($1, $2, $3, $4, 0, $5) RETURNING ", user_cols!()))
        .bind(n.org.0)
        .bind(n.email.to_lowercase())
        .bind(&n.display_name)
        .bind(n.role.as_str())
        .bind(ts(n.created_at))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        user_row(row)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(concat!("SELECT ", user_cols!(), " FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        row.map(user_row).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as(concat!("SELECT ", user_cols!(), " FROM users WHERE email = $1"))
                .bind(email.to_lowercase())
                .fetch_optional(&self.pool)
                .await
                .map_err(be)?;
        row.map(user_row).transpose()
    }

    async fn users(&self, org: Option<OrgId>) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = match org {
            Some(o) => sqlx::query_as(concat!("SELECT ", user_cols!(), " FROM users WHERE org = $1 ORDER BY id"))
                .bind(o.0)
                .fetch_all(&self.pool)
                .await,
            None => sqlx::query_as(concat!("SELECT ", user_cols!(), " FROM users ORDER BY id"))
                .fetch_all(&self.pool)
                .await,
        }
        .map_err(be)?;
        rows.into_iter().map(user_row).collect()
    }

    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> Result<()> {
        let r = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {}", id.0)));
        }
        Ok(())
    }

    async fn insert_session(&self, s: &Session) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (hash, user_id, csrf, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.hash)
        .bind(s.user.0)
        .bind(&s.csrf)
        .bind(ts(s.created_at))
        .bind(ts(s.last_seen_at))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn session(&self, hash: &str) -> Result<Option<Session>> {
        let row: Option<(String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT hash, user_id, csrf, created_at, last_seen_at FROM sessions WHERE hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        row.map(|(hash, user, csrf, c, l)| {
            Ok(Session { hash, user: UserId(user), csrf, created_at: from_ts(c)?, last_seen_at: from_ts(l)? })
        })
        .transpose()
    }

    async fn session_with_person(&self, hash: &str) -> Result<Option<(Session, User, Org)>> {
        type Row = (String, i64, i64, i64, i64, String, String, String, i64, i64, String, String, Option<i64>, i64);
        let row: Option<Row> = sqlx::query_as(
            "SELECT s.csrf, s.created_at, s.last_seen_at, \
             u.id, u.org, u.email, u.display_name, u.role, u.disabled, u.created_at, \
             o.name, o.kind, o.parent, o.created_at \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org \
             WHERE s.hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        row.map(|r| {
            let user = user_row((r.3, r.4, r.5, r.6, r.7, r.8, r.9))?;
            let org = org_row((r.4, r.10, r.11, r.12, r.13))?;
            let session = Session {
                hash: hash.to_string(),
                user: user.id,
                csrf: r.0,
                created_at: from_ts(r.1)?,
                last_seen_at: from_ts(r.2)?,
            };
            Ok((session, user, org))
        })
        .transpose()
    }

    async fn insert_pending(&self, user: UserId, created_by: Option<UserId>, at: OffsetDateTime) -> Result<()> {
        sqlx::query("INSERT INTO pending_people (user_id, created_by, created_at) VALUES ($1, $2, $3)")
            .bind(user.0)
            .bind(created_by.map(|u| u.0))
            .bind(ts(at))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn is_pending(&self, user: UserId) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM pending_people WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        Ok(row.is_some())
    }

    async fn pending_of_org(&self, org: OrgId) -> Result<Vec<(User, Option<UserId>)>> {
        let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT p.user_id, p.created_by FROM pending_people p JOIN users u ON u.id = p.user_id \
             WHERE u.org = $1 ORDER BY p.created_at, p.user_id",
        )
        .bind(org.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, by) in rows {
            if let Some(u) = self.user(UserId(id)).await? {
                out.push((u, by.map(UserId)));
            }
        }
        Ok(out)
    }

    async fn clear_pending(&self, user: UserId) -> Result<bool> {
        let r = sqlx::query("DELETE FROM pending_people WHERE user_id = $1")
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(r.rows_affected() > 0)
    }

    async fn touch_session(&self, hash: &str, at: OffsetDateTime) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE hash = $2")
            .bind(ts(at))
            .bind(hash)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn set_session_reauth(&self, hash: &str, at: OffsetDateTime) -> Result<()> {
        sqlx::query("UPDATE sessions SET reauth_at = $1 WHERE hash = $2")
            .bind(ts(at))
            .bind(hash)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn session_reauth(&self, hash: &str) -> Result<Option<OffsetDateTime>> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT reauth_at FROM sessions WHERE hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(be)?;
        row.and_then(|(t,)| t).map(from_ts).transpose()
    }

    async fn delete_session(&self, hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE hash = $1")
            .bind(hash)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn delete_stale_sessions(
        &self,
        idle_before: OffsetDateTime,
        started_before: OffsetDateTime,
    ) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(ts(idle_before))
            .bind(ts(started_before))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(r.rows_affected())
    }

    async fn insert_token(&self, t: &ApiToken) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (hash, user_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&t.hash)
        .bind(t.user.0)
        .bind(&t.label)
        .bind(ts(t.created_at))
        .bind(ts(t.expires_at))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn token(&self, hash: &str) -> Result<Option<ApiToken>> {
        let row: Option<(String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT hash, user_id, label, created_at, expires_at FROM api_tokens WHERE hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        row.map(|(hash, user, label, c, e)| {
            Ok(ApiToken { hash, user: UserId(user), label, created_at: from_ts(c)?, expires_at: from_ts(e)? })
        })
        .transpose()
    }

    async fn insert_link(&self, l: &OneTimeLink) -> Result<()> {
        sqlx::query(
            "INSERT INTO one_time_links (hash, user_id, purpose, expires_at, used) VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(&l.hash)
        .bind(l.user.0)
        .bind(l.purpose.as_str())
        .bind(ts(l.expires_at))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn take_link(&self, hash: &str) -> Result<Option<OneTimeLink>> {
        let row: Option<(String, i64, String, i64)> = sqlx::query_as(
            "UPDATE one_time_links SET used = 1 WHERE hash = $1 AND used = 0 \
             RETURNING hash, user_id, purpose, expires_at",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        row.map(|(hash, user, purpose, e)| {
            Ok(OneTimeLink {
                hash,
                user: UserId(user),
                purpose: LinkPurpose::parse(&purpose)
                    .ok_or_else(|| StoreError::Corrupt(format!("link purpose {purpose}")))?,
                expires_at: from_ts(e)?,
            })
        })
        .transpose()
    }

    async fn append_audit(&self, e: &AuditEntry) -> Result<()> {
        let r = sqlx::query(concat!("INSERT INTO audit_log (", audit_cols!(), ") SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE (SELECT COALESCE(MAX(seq), 0) FROM audit_log) = $11"))
        .bind(e.seq)
        .bind(ts(e.at))
        .bind(e.actor.map(|u| u.0))
        .bind(e.subject.map(|u| u.0))
        .bind(&e.action)
        .bind(&e.object)
        .bind(&e.source)
        .bind(&e.detail)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .bind(e.seq - 1)
        .execute(&self.pool)
        .await
        .map_err(be)?;
        if r.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("audit seq {} is not next", e.seq)));
        }
        Ok(())
    }

    async fn last_audit(&self) -> Result<Option<AuditEntry>> {
        let row: Option<AuditRow> =
            sqlx::query_as(concat!("SELECT ", audit_cols!(), " FROM audit_log ORDER BY seq DESC LIMIT 1"))
                .fetch_optional(&self.pool)
                .await
                .map_err(be)?;
        row.map(audit_row).transpose()
    }

    async fn audit_page(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(concat!("SELECT ", audit_cols!(), " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(audit_row).collect()
    }

    async fn audit_for_user(&self, user: UserId, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(concat!("SELECT ", audit_cols!(), " FROM audit_log WHERE actor = $1 OR subject = $2 ORDER BY seq DESC LIMIT $3"))
        .bind(user.0)
        .bind(user.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(audit_row).collect()
    }

    async fn audit_by_actor_action(&self, actor: UserId, action: &str, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(concat!(
            "SELECT ",
            audit_cols!(),
            " FROM audit_log WHERE actor = $1 AND action = $2 ORDER BY seq DESC LIMIT $3"
        ))
        .bind(actor.0)
        .bind(action)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(audit_row).collect()
    }

    async fn guard_account(&self, name: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT json FROM guard_accounts WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        Ok(row.map(|r| r.0))
    }

    async fn put_guard_account(&self, name: &str, json: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO guard_accounts (name, json) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET json = excluded.json",
        )
        .bind(name)
        .bind(json)
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn guard_account_names(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM guard_accounts ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(be)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
    // --- Account pages, personal data, owner notices, shared guard state (schema 3) ---

    async fn sessions_of(&self, user: UserId) -> Result<Vec<Session>> {
        let rows: Vec<(String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT hash, user_id, csrf, created_at, last_seen_at FROM sessions WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter()
            .map(|(hash, user, csrf, c, l)| {
                Ok(Session { hash, user: UserId(user), csrf, created_at: from_ts(c)?, last_seen_at: from_ts(l)? })
            })
            .collect()
    }

    async fn delete_sessions_of(&self, user: UserId, keep: Option<&str>) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND hash <> $2")
            .bind(user.0)
            .bind(keep.unwrap_or(""))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(r.rows_affected())
    }

    async fn tokens_of(&self, user: UserId) -> Result<Vec<ApiToken>> {
        let rows: Vec<(String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT hash, user_id, label, created_at, expires_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter()
            .map(|(hash, user, label, c, e)| {
                Ok(ApiToken { hash, user: UserId(user), label, created_at: from_ts(c)?, expires_at: from_ts(e)? })
            })
            .collect()
    }

    async fn put_session_totp(&self, session: &str, secret: &str, at: OffsetDateTime) -> Result<()> {
        sqlx::query(
            "INSERT INTO session_pending (session_hash, totp_secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (session_hash) DO UPDATE SET totp_secret = excluded.totp_secret, created_at = excluded.created_at",
        )
        .bind(session)
        .bind(secret)
        .bind(ts(at))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn session_totp(&self, session: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT totp_secret FROM session_pending WHERE session_hash = $1")
            .bind(session)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        Ok(row.map(|r| r.0))
    }

    async fn delete_session_totp(&self, session: &str) -> Result<()> {
        sqlx::query("DELETE FROM session_pending WHERE session_hash = $1")
            .bind(session)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn put_ceremony(&self, key: &str, c: &Ceremony) -> Result<()> {
        sqlx::query(
            "INSERT INTO webauthn_ceremonies (key_hash, user_name, state, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key_hash) DO UPDATE SET user_name = excluded.user_name, state = excluded.state, expires_at = excluded.expires_at",
        )
        .bind(key)
        .bind(&c.user)
        .bind(&c.state)
        .bind(ts(c.expires_at))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn take_ceremony(&self, key: &str) -> Result<Option<Ceremony>> {
        let row: Option<(String, String, i64)> = sqlx::query_as(
            "DELETE FROM webauthn_ceremonies WHERE key_hash = $1 RETURNING user_name, state, expires_at",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        row.map(|(user, state, exp)| Ok(Ceremony { user, state, expires_at: from_ts(exp)? }))
            .transpose()
    }

    async fn insert_notice(&self, n: &NewNotice) -> Result<()> {
        sqlx::query("INSERT INTO notices (user_id, at, kind, detail, seen) VALUES ($1, $2, $3, $4, 0)")
            .bind(n.user.0)
            .bind(ts(n.at))
            .bind(&n.kind)
            .bind(&n.detail)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn notices(&self, user: UserId, unseen_only: bool, limit: i64) -> Result<Vec<Notice>> {
        let rows: Vec<(i64, i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, user_id, at, kind, detail, seen FROM notices WHERE user_id = $1 AND seen <= $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(user.0)
        .bind(if unseen_only { 0i64 } else { 1 })
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter()
            .map(|(id, user, at, kind, detail, seen)| {
                Ok(Notice { id, user: UserId(user), at: from_ts(at)?, kind, detail, seen: seen != 0 })
            })
            .collect()
    }

    async fn mark_notices_seen(&self, user: UserId) -> Result<()> {
        sqlx::query("UPDATE notices SET seen = 1 WHERE user_id = $1 AND seen = 0")
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn insert_deletion_request(&self, user: UserId, at: OffsetDateTime, reason: &str) -> Result<DeletionRequest> {
        let row: DeletionRow = sqlx::query_as(concat!(
            "INSERT INTO deletion_requests (user_id, requested_at, reason) VALUES ($1, $2, $3) RETURNING ",
            "id, user_id, requested_at, reason, done_at, done_by"
        ))
        .bind(user.0)
        .bind(ts(at))
        .bind(reason)
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        deletion_row(row)
    }

    async fn deletion_requests(&self, open_only: bool) -> Result<Vec<DeletionRequest>> {
        let sql = if open_only {
            concat!("SELECT id, user_id, requested_at, reason, done_at, done_by", " FROM deletion_requests WHERE done_at IS NULL ORDER BY id")
        } else {
            concat!("SELECT id, user_id, requested_at, reason, done_at, done_by", " FROM deletion_requests ORDER BY id")
        };
        let rows: Vec<DeletionRow> = sqlx::query_as(sql).fetch_all(&self.pool).await.map_err(be)?;
        rows.into_iter().map(deletion_row).collect()
    }

    async fn deletion_requests_of(&self, user: UserId) -> Result<Vec<DeletionRequest>> {
        let rows: Vec<DeletionRow> =
            sqlx::query_as(concat!("SELECT id, user_id, requested_at, reason, done_at, done_by", " FROM deletion_requests WHERE user_id = $1 ORDER BY id"))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await
                .map_err(be)?;
        rows.into_iter().map(deletion_row).collect()
    }

    async fn erase_user(&self, e: &Erasure) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let r = sqlx::query("UPDATE users SET email = $1, display_name = $2, disabled = 1 WHERE id = $3")
            .bind(&e.pseudonym_email)
            .bind(&e.pseudonym_name)
            .bind(e.user.0)
            .execute(&mut *tx)
            .await
            .map_err(be)?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {}", e.user.0)));
        }
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM api_tokens WHERE user_id = $1",
            "DELETE FROM one_time_links WHERE user_id = $1",
            "DELETE FROM notices WHERE user_id = $1",
            "DELETE FROM portal_selfchecks WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(e.user.0).execute(&mut *tx).await.map_err(be)?;
        }
        for sql in [
            "DELETE FROM guard_accounts WHERE name = $1",
            "DELETE FROM guard_tokens WHERE user_name = $1",
        ] {
            sqlx::query(sql).bind(&e.old_email).execute(&mut *tx).await.map_err(be)?;
        }
        sqlx::query("DELETE FROM guard_counters WHERE key = $1 OR key = $2")
            .bind(format!("acct:{}", e.old_email))
            .bind(format!("mfa:{}", e.old_email))
            .execute(&mut *tx)
            .await
            .map_err(be)?;
        sqlx::query("UPDATE deletion_requests SET done_at = $1, done_by = $2 WHERE user_id = $3 AND done_at IS NULL")
            .bind(ts(e.at))
            .bind(e.by.map(|u| u.0))
            .bind(e.user.0)
            .execute(&mut *tx)
            .await
            .map_err(be)?;
        tx.commit().await.map_err(be)?;
        Ok(())
    }

    async fn guard_counter(&self, key: &str) -> Result<Option<StoredCounter>> {
        let row: Option<(String, i64)> = sqlx::query_as("SELECT state, version FROM guard_counters WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        Ok(row.map(|(state, version)| StoredCounter { state, version }))
    }

    async fn cas_guard_counter(
        &self,
        key: &str,
        state: &str,
        expires: Option<OffsetDateTime>,
        expected: Option<i64>,
    ) -> Result<bool> {
        let r = match expected {
            None => sqlx::query(
                "INSERT INTO guard_counters (key, state, expires, version) VALUES ($1, $2, $3, 1) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(state)
            .bind(expires.map(ts))
            .execute(&self.pool)
            .await,
            Some(v) => sqlx::query(
                "UPDATE guard_counters SET state = $1, expires = $2, version = version + 1 WHERE key = $3 AND version = $4",
            )
            .bind(state)
            .bind(expires.map(ts))
            .bind(key)
            .bind(v)
            .execute(&self.pool)
            .await,
        }
        .map_err(be)?;
        Ok(r.rows_affected() == 1)
    }

    async fn delete_guard_counter(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM guard_counters WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn guard_use_once(&self, key: &str, now_ms: i64, keep_until_ms: i64) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO guard_once (key, keep_until_ms) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET keep_until_ms = excluded.keep_until_ms \
             WHERE guard_once.keep_until_ms <= $3",
        )
        .bind(key)
        .bind(keep_until_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(r.rows_affected() == 1)
    }

    async fn put_guard_token(&self, hash: &str, user: &str, purpose: &str, record: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO guard_tokens (hash, user_name, purpose, record) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (hash) DO UPDATE SET user_name = excluded.user_name, purpose = excluded.purpose, record = excluded.record",
        )
        .bind(hash)
        .bind(user)
        .bind(purpose)
        .bind(record)
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn take_guard_token(&self, hash: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("DELETE FROM guard_tokens WHERE hash = $1 RETURNING record")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        Ok(row.map(|r| r.0))
    }

    async fn drop_guard_tokens(&self, user: &str, purpose: &str) -> Result<()> {
        sqlx::query("DELETE FROM guard_tokens WHERE user_name = $1 AND purpose = $2")
            .bind(user)
            .bind(purpose)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    async fn sweep_guard_state(&self, now: OffsetDateTime) -> Result<u64> {
        let a = sqlx::query("DELETE FROM guard_counters WHERE expires IS NOT NULL AND expires <= $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        let b = sqlx::query("DELETE FROM guard_once WHERE keep_until_ms <= $1")
            .bind(ts(now).saturating_mul(1000))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        let c = sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(a.rows_affected() + b.rows_affected() + c.rows_affected())
    }

    // ---- The shared credential-stuffing window: the queries are in stuffing.rs ----

    async fn stuffing_record(&self, a: &StuffingAttempt, first: i64, account_cap: i64) -> Result<StuffingTotals> {
        self.q_stuffing_record(a, first, account_cap).await
    }

    async fn stuffing_totals(&self, first: i64) -> Result<StuffingTotals> {
        self.q_stuffing_totals(first, i64::MAX).await
    }

    async fn stuffing_alert(&self) -> Result<Option<i64>> {
        self.q_stuffing_alert().await
    }

    async fn stuffing_raise(&self, until_ms: i64, now_ms: i64) -> Result<bool> {
        self.q_stuffing_raise(until_ms, now_ms).await
    }

    // ---- Intake and case work: the queries are in intake.rs ----

    async fn insert_report(&self, n: &NewReport) -> Result<Report> {
        self.q_insert_report_with_event(n).await
    }

    async fn report(&self, id: ReportId) -> Result<Option<Report>> {
        let mut c = self.pool.acquire().await.map_err(be)?;
        q_report(&mut c, id).await
    }

    async fn report_by_contact(&self, hash: &str) -> Result<Option<Report>> {
        self.q_report_by_contact(hash).await
    }

    async fn update_draft(&self, id: ReportId, k: &ReportContent, at: OffsetDateTime) -> Result<Report> {
        self.q_update_draft(id, k, at).await
    }

    async fn submit_report(
        &self,
        id: ReportId,
        bodies: &[OrgId],
        actor: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(Report, Vec<Case>)> {
        self.q_submit_report(id, bodies, actor, at).await
    }

    async fn reports_of_org(
        &self,
        org: OrgId,
        drafts_of: UserId,
        before: Option<ReportId>,
        limit: i64,
    ) -> Result<Vec<ReportSummary>> {
        self.q_reports_of_org(org, drafts_of, before, limit).await
    }

    async fn count_drafts(&self, author: UserId) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM reports WHERE author = $1 AND status = 'draft'",
        )
        .bind(author.0)
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        Ok(n)
    }

    async fn cases_of_report(&self, report: ReportId) -> Result<Vec<Case>> {
        self.q_cases_of_report(report).await
    }

    async fn case(&self, id: CaseId) -> Result<Option<Case>> {
        self.q_case(id).await
    }

    async fn update_case(&self, case: &Case, event: &NewEvent) -> Result<Case> {
        self.q_update_case(case, event).await
    }

    async fn insert_event(&self, event: &NewEvent) -> Result<CaseEvent> {
        self.q_insert_event(event).await
    }

    async fn events(&self, report: ReportId) -> Result<Vec<CaseEvent>> {
        self.q_events(report).await
    }

    async fn insert_attachment(&self, a: &NewAttachment, max_total: i64, event: &NewEvent) -> Result<Option<Attachment>> {
        self.q_insert_attachment(a, max_total, event).await
    }

    async fn attachments(&self, report: ReportId) -> Result<Vec<Attachment>> {
        self.q_attachments(report).await
    }

    async fn attachment_bytes(&self, id: AttachmentId) -> Result<Option<(Attachment, Vec<u8>)>> {
        self.q_attachment_bytes(id).await
    }

    async fn insert_referral(&self, r: &NewReferral, event: &NewEvent) -> Result<Referral> {
        self.q_insert_referral(r, event).await
    }

    async fn referral(&self, id: ReferralId) -> Result<Option<Referral>> {
        self.q_referral(id).await
    }

    async fn referrals(&self, report: ReportId) -> Result<Vec<Referral>> {
        self.q_referrals(report).await
    }

    async fn decide_referral(
        &self,
        id: ReferralId,
        consent: bool,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(Referral, Option<Case>)> {
        self.q_decide_referral(id, consent, by, at).await
    }

    async fn case_queue(&self, q: &CaseQuery) -> Result<Vec<QueueRow>> {
        self.q_case_queue(q).await
    }

    async fn import_reports(&self, rows: &[ImportedReport]) -> Result<()> {
        self.q_import_reports(rows).await
    }

    async fn existing_stat_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        self.q_existing_stat_ids(ids).await
    }

    async fn insert_stat_records(&self, records: &[StatRecord], at: OffsetDateTime) -> Result<u64> {
        self.q_insert_stat_records(records, at).await
    }

    async fn stat_records(&self) -> Result<Vec<StatRecord>> {
        self.q_stat_records().await
    }

    async fn add_stat_links(&self, links: &[(Link, LinkStatus)]) -> Result<u64> {
        self.q_add_stat_links(links).await
    }

    async fn stat_links(&self, status: Option<LinkStatus>) -> Result<Vec<StoredLink>> {
        self.q_stat_links(status).await
    }

    async fn decide_stat_link(
        &self,
        a: &str,
        b: &str,
        from: &[LinkStatus],
        to: LinkStatus,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<bool> {
        self.q_decide_stat_link(a, b, from, to, by, at).await
    }

    async fn replace_stat_cells(&self, cells: &[StatCell]) -> Result<()> {
        self.q_replace_stat_cells(cells).await
    }

    async fn stat_cells_for_report(&self, year: i32) -> Result<Vec<StatCell>> {
        self.q_stat_cells_for_report(year).await
    }

    async fn stat_cells_of_dim(&self, dim: StatDim) -> Result<Vec<StatCell>> {
        self.q_stat_cells_of_dim(dim).await
    }

    async fn insert_external_counts(&self, rows: &[ExternalCount], at: OffsetDateTime) -> Result<u64> {
        self.q_insert_external_counts(rows, at).await
    }

    async fn external_counts(&self, years: &[i32]) -> Result<Vec<ExternalCount>> {
        self.q_external_counts(years).await
    }

    async fn insert_stat_publication(&self, p: &NewPublication) -> Result<i64> {
        self.q_insert_stat_publication(p).await
    }

    async fn stat_publications(&self) -> Result<Vec<PublicationInfo>> {
        self.q_stat_publications().await
    }

    async fn latest_stat_publication(&self, year: i32) -> Result<Option<Publication>> {
        self.q_latest_stat_publication(year).await
    }
}

// --- Rows of schema 3 (account pages, personal data) ---

type DeletionRow = (i64, i64, i64, String, Option<i64>, Option<i64>);

fn deletion_row((id, user, at, reason, done_at, done_by): DeletionRow) -> Result<DeletionRequest> {
    Ok(DeletionRequest {
        id,
        user: UserId(user),
        requested_at: from_ts(at)?,
        reason,
        done_at: done_at.map(from_ts).transpose()?,
        done_by: done_by.map(UserId),
    })
}

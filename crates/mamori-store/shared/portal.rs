// The public portal (issue 14): editorial items and saved self-checks, the queries
// behind `PortalStore`, included by `queries.rs` (so by both stores).

macro_rules! portal_cols {
    () => {
        "id, kind, state, payload, author, reviewer, review_note, version, created_at, updated_at, \
         published_at, link_status, link_checked_at"
    };
}

fn portal_from(r: &DbRow) -> Result<PortalItem> {
    let kind: String = col(r, 1)?;
    let state: String = col(r, 2)?;
    Ok(PortalItem {
        id: PortalItemId(col(r, 0)?),
        kind: parse_enum(&kind, "portal kind", PortalKind::parse)?,
        state: parse_enum(&state, "portal state", PortalState::parse)?,
        payload: col(r, 3)?,
        author: col::<Option<i64>>(r, 4)?.map(UserId),
        reviewer: col::<Option<i64>>(r, 5)?.map(UserId),
        review_note: col(r, 6)?,
        version: col(r, 7)?,
        created_at: from_ts(col(r, 8)?)?,
        updated_at: from_ts(col(r, 9)?)?,
        published_at: opt_ts(col(r, 10)?)?,
        link_status: col(r, 11)?,
        link_checked_at: opt_ts(col(r, 12)?)?,
    })
}

type SelfCheckRow = (i64, i64, String, String, i64);

fn selfcheck_from((id, user, list, answers, at): SelfCheckRow) -> Result<SavedSelfCheck> {
    Ok(SavedSelfCheck {
        id,
        user: UserId(user),
        list,
        answers,
        at: from_ts(at)?,
    })
}

type PortalFileRow = (i64, i64, String, String, i64, String, Vec<u8>, Option<i64>, i64);

fn portal_file_from(
    (id, item, name, media_type, size, sha256, bytes, by, at): PortalFileRow,
) -> Result<PortalFile> {
    Ok(PortalFile {
        id,
        item: PortalItemId(item),
        name,
        media_type,
        size,
        sha256,
        bytes,
        uploaded_by: by.map(UserId),
        uploaded_at: from_ts(at)?,
    })
}

#[async_trait]
impl PortalStore for This {
    async fn insert_portal_item(&self, n: &NewPortalItem) -> Result<PortalItem> {
        let r = sqlx::query(concat!(
            "INSERT INTO portal_items (kind, state, payload, author, reviewer, review_note, version, created_at, updated_at, link_status) \
             VALUES ($1, 'draft', $2, $3, NULL, '', 1, $4, $4, 'unchecked') RETURNING ",
            portal_cols!()
        ))
        .bind(n.kind.code())
        .bind(&n.payload)
        .bind(n.author.0)
        .bind(ts(n.at))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        portal_from(&r)
    }

    async fn portal_item(&self, id: PortalItemId) -> Result<Option<PortalItem>> {
        let r = sqlx::query(concat!("SELECT ", portal_cols!(), " FROM portal_items WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        r.as_ref().map(portal_from).transpose()
    }

    async fn update_portal_item(&self, i: &PortalItem, at: OffsetDateTime) -> Result<PortalItem> {
        let r = sqlx::query(concat!(
            "UPDATE portal_items SET state = $1, payload = $2, reviewer = $3, review_note = $4, \
             published_at = $5, version = version + 1, updated_at = $6 \
             WHERE id = $7 AND version = $8 RETURNING ",
            portal_cols!()
        ))
        .bind(i.state.code())
        .bind(&i.payload)
        .bind(i.reviewer.map(|u| u.0))
        .bind(&i.review_note)
        .bind(i.published_at.map(ts))
        .bind(ts(at))
        .bind(i.id.0)
        .bind(i.version)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        match r {
            Some(r) => portal_from(&r),
            None => Err(StoreError::Conflict(format!("portal item {} changed", i.id.0))),
        }
    }

    async fn portal_items(
        &self,
        kind: Option<PortalKind>,
        states: &[PortalState],
        limit: i64,
    ) -> Result<Vec<PortalItem>> {
        // The states are a fixed vocabulary: their codes are safe to inline.
        let list: Vec<String> = states.iter().map(|s| format!("'{}'", s.code())).collect();
        if list.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM portal_items WHERE ($1 = '' OR kind = $1) AND state IN ({}) ORDER BY id DESC LIMIT $2",
            portal_cols!(),
            list.join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(kind.map_or("", |k| k.code()))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(be)?;
        rows.iter().map(portal_from).collect()
    }

    async fn set_portal_link_status(&self, id: PortalItemId, status: &str, at: OffsetDateTime) -> Result<()> {
        let r = sqlx::query("UPDATE portal_items SET link_status = $1, link_checked_at = $2 WHERE id = $3")
            .bind(status)
            .bind(ts(at))
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("portal item {}", id.0)));
        }
        Ok(())
    }

    async fn insert_selfcheck(&self, user: UserId, list: &str, answers: &str, at: OffsetDateTime) -> Result<SavedSelfCheck> {
        let row: SelfCheckRow = sqlx::query_as(
            "INSERT INTO portal_selfchecks (user_id, list, answers, at) VALUES ($1, $2, $3, $4) RETURNING id, user_id, list, answers, at",
        )
        .bind(user.0)
        .bind(list)
        .bind(answers)
        .bind(ts(at))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        selfcheck_from(row)
    }

    async fn selfchecks_of(&self, user: UserId, limit: i64) -> Result<Vec<SavedSelfCheck>> {
        let rows: Vec<SelfCheckRow> = sqlx::query_as(
            "SELECT id, user_id, list, answers, at FROM portal_selfchecks WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(selfcheck_from).collect()
    }

    async fn insert_portal_file(&self, n: &NewPortalFile) -> Result<PortalFile> {
        let size = i64::try_from(n.bytes.len()).map_err(|_| StoreError::Corrupt("file too large".into()))?;
        let row: PortalFileRow = sqlx::query_as(
            "INSERT INTO portal_files (item, name, media_type, size, sha256, bytes, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id, item, name, media_type, size, sha256, bytes, uploaded_by, uploaded_at",
        )
        .bind(n.item.0)
        .bind(&n.name)
        .bind(&n.media_type)
        .bind(size)
        .bind(&n.sha256)
        .bind(&n.bytes)
        .bind(n.uploaded_by.0)
        .bind(ts(n.at))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        portal_file_from(row)
    }

    async fn portal_file(&self, id: i64) -> Result<Option<PortalFile>> {
        let row: Option<PortalFileRow> = sqlx::query_as(
            "SELECT id, item, name, media_type, size, sha256, bytes, uploaded_by, uploaded_at FROM portal_files WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        row.map(portal_file_from).transpose()
    }
}

// Vulnerability coordination (issue 12): cases, their history and the developer list,
// the queries behind `VulnStore`, included by `queries.rs` (so by both stores).

macro_rules! vuln_cols {
    () => {
        "id, kind, stage, publication_at, published, reporter, doc, version, created_at, updated_at, operator_org"
    };
}

fn vuln_from(r: &DbRow) -> Result<VulnCaseRow> {
    Ok(VulnCaseRow {
        id: VulnCaseId(col(r, 0)?),
        kind: col(r, 1)?,
        stage: col(r, 2)?,
        publication_at: opt_ts(col(r, 3)?)?,
        published: col::<i64>(r, 4)? != 0,
        reporter: col::<Option<i64>>(r, 5)?.map(UserId),
        doc: col(r, 6)?,
        version: col(r, 7)?,
        created_at: from_ts(col(r, 8)?)?,
        updated_at: from_ts(col(r, 9)?)?,
        operator_org: col::<Option<i64>>(r, 10)?.map(OrgId),
    })
}

fn outbox_from(r: &DbRow) -> Result<VulnOutboxRow> {
    Ok(VulnOutboxRow {
        id: col(r, 0)?,
        case: VulnCaseId(col(r, 1)?),
        recipient: col(r, 2)?,
        item: col(r, 3)?,
        key: col(r, 4)?,
        created_at: from_ts(col(r, 5)?)?,
        sent_at: opt_ts(col(r, 6)?)?,
    })
}

/// Queues one digest line in `tx`; a `key` queued before is skipped. Returns whether it
/// was new.
async fn queue_outbox(tx: &mut sqlx::Transaction<'_, Db>, case: VulnCaseId, o: &VulnOutboxRow) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO vuln_outbox (case_id, recipient, item, dedup_key, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(case.0)
    .bind(&o.recipient)
    .bind(&o.item)
    .bind(&o.key)
    .bind(ts(o.created_at))
    .execute(&mut **tx)
    .await
    .map_err(be)?;
    Ok(r.rows_affected() == 1)
}

#[async_trait]
impl VulnStore for This {
    async fn insert_vuln_case(&self, n: &VulnCaseRow) -> Result<VulnCaseRow> {
        let r = sqlx::query(concat!(
            "INSERT INTO vuln_cases (kind, stage, publication_at, published, reporter, doc, version, created_at, updated_at, operator_org) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8) RETURNING ",
            vuln_cols!()
        ))
        .bind(&n.kind)
        .bind(&n.stage)
        .bind(n.publication_at.map(ts))
        .bind(i64::from(n.published))
        .bind(n.reporter.map(|u| u.0))
        .bind(&n.doc)
        .bind(ts(n.created_at))
        .bind(n.operator_org.map(|o| o.0))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        vuln_from(&r)
    }

    async fn vuln_case(&self, id: VulnCaseId) -> Result<Option<VulnCaseRow>> {
        let r = sqlx::query(concat!("SELECT ", vuln_cols!(), " FROM vuln_cases WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        r.as_ref().map(vuln_from).transpose()
    }

    async fn update_vuln_case(
        &self,
        c: &VulnCaseRow,
        history: &[VulnHistoryRow],
        outbox: &[VulnOutboxRow],
        at: OffsetDateTime,
    ) -> Result<VulnCaseRow> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let r = sqlx::query(concat!(
            "UPDATE vuln_cases SET stage = $1, publication_at = $2, published = $3, doc = $4, \
             version = version + 1, updated_at = $5, operator_org = $8 WHERE id = $6 AND version = $7 RETURNING ",
            vuln_cols!()
        ))
        .bind(&c.stage)
        .bind(c.publication_at.map(ts))
        .bind(i64::from(c.published))
        .bind(&c.doc)
        .bind(ts(at))
        .bind(c.id.0)
        .bind(c.version)
        .bind(c.operator_org.map(|o| o.0))
        .fetch_optional(&mut *tx)
        .await
        .map_err(be)?;
        let Some(r) = r else {
            return Err(StoreError::Conflict(format!("vulnerability case {} changed", c.id.0)));
        };
        for h in history {
            sqlx::query("INSERT INTO vuln_history (case_id, at, party, clause, command) VALUES ($1, $2, $3, $4, $5)")
                .bind(c.id.0)
                .bind(ts(h.at))
                .bind(&h.party)
                .bind(&h.clause)
                .bind(&h.command)
                .execute(&mut *tx)
                .await
                .map_err(be)?;
        }
        for o in outbox {
            queue_outbox(&mut tx, c.id, o).await?;
        }
        tx.commit().await.map_err(be)?;
        vuln_from(&r)
    }

    async fn vuln_cases(&self, published_only: bool, limit: i64) -> Result<Vec<VulnCaseRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ", vuln_cols!(), " FROM vuln_cases WHERE ($1 = 0 OR published = 1) ORDER BY id DESC LIMIT $2"
        ))
        .bind(i64::from(published_only))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter().map(vuln_from).collect()
    }

    async fn vuln_history(&self, id: VulnCaseId) -> Result<Vec<VulnHistoryRow>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT at, party, clause, command FROM vuln_history WHERE case_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter()
            .map(|(at, party, clause, command)| Ok(VulnHistoryRow { at: from_ts(at)?, party, clause, command }))
            .collect()
    }

    async fn upsert_vuln_developer(&self, row: &VulnRosterRow, at: OffsetDateTime) -> Result<()> {
        sqlx::query(
            "INSERT INTO vuln_roster (developer, org, doc, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (developer) DO UPDATE SET org = excluded.org, doc = excluded.doc, updated_at = excluded.updated_at",
        )
        .bind(&row.developer)
        .bind(row.org.map(|o| o.0))
        .bind(&row.doc)
        .bind(ts(at))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(())
    }

    async fn vuln_roster(&self) -> Result<Vec<VulnRosterRow>> {
        let rows: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT developer, org, doc FROM vuln_roster ORDER BY developer")
                .fetch_all(&self.pool)
                .await
                .map_err(be)?;
        Ok(rows
            .into_iter()
            .map(|(developer, org, doc)| VulnRosterRow { developer, org: org.map(OrgId), doc })
            .collect())
    }

    async fn queue_vuln_outbox(&self, rows: &[VulnOutboxRow]) -> Result<u64> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let mut new = 0;
        for o in rows {
            new += u64::from(queue_outbox(&mut tx, o.case, o).await?);
        }
        tx.commit().await.map_err(be)?;
        Ok(new)
    }

    async fn vuln_outbox_unsent(&self, limit: i64) -> Result<Vec<VulnOutboxRow>> {
        let rows = sqlx::query(
            "SELECT id, case_id, recipient, item, dedup_key, created_at, sent_at FROM vuln_outbox \
             WHERE sent_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter().map(outbox_from).collect()
    }

    async fn deliver_vuln_outbox(&self, ids: &[i64], notices: &[NewNotice], at: OffsetDateTime) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        for id in ids {
            let r = sqlx::query("UPDATE vuln_outbox SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL")
                .bind(ts(at))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(be)?;
            if r.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!("digest line {id} was already delivered")));
            }
        }
        for n in notices {
            sqlx::query("INSERT INTO notices (user_id, at, kind, detail, seen) VALUES ($1, $2, $3, $4, 0)")
                .bind(n.user.0)
                .bind(ts(n.at))
                .bind(&n.kind)
                .bind(&n.detail)
                .execute(&mut *tx)
                .await
                .map_err(be)?;
        }
        tx.commit().await.map_err(be)?;
        Ok(())
    }
}

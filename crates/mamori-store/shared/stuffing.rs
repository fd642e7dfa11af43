// The shared credential-stuffing window (schema 5): the queries behind the `Store`
// methods `stuffing_*`, included by `queries.rs` (so by both stores). Every statement
// is atomic on its own (upserts, single-row updates), so no transaction is held
// across round trips: servers racing on the hot bucket row wait one statement each.

type StuffingRow = (i64, i64, i64, i64, i64, Option<i64>);

fn stuffing_totals_from((attempts, failures, unknown, breached, accounts, alert_until_ms): StuffingRow) -> StuffingTotals {
    StuffingTotals { attempts, failures, unknown, breached, accounts, alert_until_ms }
}

impl This {
    async fn q_stuffing_record(&self, a: &StuffingAttempt, first: i64, account_cap: i64) -> Result<StuffingTotals> {
        let (attempts,): (i64,) = sqlx::query_as(
            "INSERT INTO stuffing_buckets (bucket, attempts, failures, unknown, breached) VALUES ($1, 1, $2, $3, $4) \
             ON CONFLICT (bucket) DO UPDATE SET attempts = stuffing_buckets.attempts + 1, \
             failures = stuffing_buckets.failures + excluded.failures, \
             unknown = stuffing_buckets.unknown + excluded.unknown, \
             breached = stuffing_buckets.breached + excluded.breached \
             RETURNING attempts",
        )
        .bind(a.bucket)
        .bind(i64::from(a.failed))
        .bind(i64::from(a.unknown))
        .bind(i64::from(a.breached))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        if attempts == 1 {
            // The first attempt of a new bucket: forget what left the window (once
            // per bucket, so the tables stay as small as the window).
            for sql in [
                "DELETE FROM stuffing_buckets WHERE bucket < $1",
                "DELETE FROM stuffing_accounts WHERE bucket < $1",
            ] {
                sqlx::query(sql).bind(first).execute(&self.pool).await.map_err(be)?;
            }
        }
        sqlx::query(
            "INSERT INTO stuffing_accounts (account, bucket) VALUES ($1, $2) \
             ON CONFLICT (account) DO UPDATE SET bucket = excluded.bucket \
             WHERE stuffing_accounts.bucket < excluded.bucket",
        )
        .bind(a.account)
        .bind(a.bucket)
        .execute(&self.pool)
        .await
        .map_err(be)?;
        self.q_stuffing_totals(first, account_cap).await
    }

    /// One read: the bucket sums, the distinct accounts (an index range, stopped at
    /// the cap) and the alert's end.
    async fn q_stuffing_totals(&self, first: i64, account_cap: i64) -> Result<StuffingTotals> {
        let row: StuffingRow = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT), CAST(COALESCE(SUM(failures), 0) AS BIGINT), \
             CAST(COALESCE(SUM(unknown), 0) AS BIGINT), CAST(COALESCE(SUM(breached), 0) AS BIGINT), \
             (SELECT COUNT(*) FROM (SELECT 1 FROM stuffing_accounts WHERE bucket >= $1 LIMIT $2) AS seen), \
             (SELECT until_ms FROM stuffing_alert WHERE id = 1) \
             FROM stuffing_buckets WHERE bucket >= $3",
        )
        .bind(first)
        .bind(account_cap.max(0))
        .bind(first)
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        Ok(stuffing_totals_from(row))
    }

    async fn q_stuffing_alert(&self) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT until_ms FROM stuffing_alert WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        Ok(row.map(|r| r.0))
    }

    async fn q_stuffing_raise(&self, until_ms: i64, now_ms: i64) -> Result<bool> {
        // Switch on: only if there is no alert or it ended by `now` (the row lock
        // makes exactly one racing caller see it off).
        let on = sqlx::query(
            "INSERT INTO stuffing_alert (id, until_ms) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET until_ms = excluded.until_ms \
             WHERE stuffing_alert.until_ms <= $2",
        )
        .bind(until_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .map_err(be)?;
        if on.rows_affected() == 1 {
            return Ok(true);
        }
        // Already on: extend it.
        sqlx::query("UPDATE stuffing_alert SET until_ms = $1 WHERE id = 1 AND until_ms < $2")
            .bind(until_ms)
            .bind(until_ms)
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(false)
    }
}

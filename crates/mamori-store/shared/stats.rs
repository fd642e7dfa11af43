// Statistics (issue 13): the queries behind the `Store` methods of the same names,
// included by `queries.rs` (so by both stores). No statement differs between them.

const STAT_BATCH: usize = 500;

fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let p: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", p.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn link_status(s: &str) -> Result<LinkStatus> {
    parse_enum(s, "link status", LinkStatus::parse)
}

type CellRow = (i64, i64, String, String, String, i64);

fn cell_row((year, month, dim, value, unit, count): CellRow) -> Result<StatCell> {
    Ok(StatCell {
        year: i32::try_from(year).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        month: u8::try_from(month).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        dim: parse_enum(&dim, "stat dimension", StatDim::parse)?,
        value,
        unit: parse_enum(&unit, "stat unit", StatUnit::parse)?,
        count: u64::try_from(count).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

impl This {
    async fn q_existing_stat_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(STAT_BATCH) {
            let sql = format!(
                "SELECT id FROM stat_records WHERE id IN ({})",
                (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
            );
            let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            out.extend(q.fetch_all(&self.pool).await.map_err(be)?.into_iter().map(|r| r.0));
        }
        Ok(out)
    }

    async fn q_insert_stat_records(&self, records: &[StatRecord], at: OffsetDateTime) -> Result<u64> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        for chunk in records.chunks(STAT_BATCH) {
            let sql = format!(
                "INSERT INTO stat_records (id, year, record, imported_at) VALUES {}",
                placeholders(chunk.len(), 4)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                let json = serde_json::to_string(r).map_err(|e| StoreError::Backend(e.to_string()))?;
                q = q.bind(r.id.clone()).bind(i64::from(r.date.year)).bind(json).bind(ts(at));
            }
            q.execute(&mut *tx).await.map_err(be)?;
        }
        tx.commit().await.map_err(be)?;
        Ok(records.len() as u64)
    }

    async fn q_stat_records(&self) -> Result<Vec<StatRecord>> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT record FROM stat_records ORDER BY seq")
            .fetch_all(&self.pool)
            .await
            .map_err(be)?;
        rows.into_iter()
            .map(|(j,)| serde_json::from_str(&j).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    async fn q_add_stat_links(&self, links: &[(Link, LinkStatus)]) -> Result<u64> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let mut added = 0;
        for chunk in links.chunks(STAT_BATCH) {
            let sql = format!(
                "INSERT INTO stat_links (a, b, reason, status) VALUES {} ON CONFLICT (a, b) DO NOTHING",
                placeholders(chunk.len(), 4)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (l, s) in chunk {
                q = q.bind(l.a.clone()).bind(l.b.clone()).bind(l.reason.code()).bind(s.code());
            }
            added += q.execute(&mut *tx).await.map_err(be)?.rows_affected();
        }
        tx.commit().await.map_err(be)?;
        Ok(added)
    }

    async fn q_stat_links(&self, status: Option<LinkStatus>) -> Result<Vec<StoredLink>> {
        type LinkRow = (String, String, String, String, Option<i64>, Option<i64>);
        let rows: Vec<LinkRow> = sqlx::query_as(
            "SELECT a, b, reason, status, decided_by, decided_at FROM stat_links \
             WHERE ($1 = '' OR status = $1) ORDER BY a, b",
        )
        .bind(status.map_or("", LinkStatus::code))
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter()
            .map(|(a, b, reason, status, by, at)| {
                Ok(StoredLink {
                    link: Link { a, b, reason: parse_enum(&reason, "link reason", LinkReason::parse)? },
                    status: link_status(&status)?,
                    decided_by: by.map(UserId),
                    decided_at: opt_ts(at)?,
                })
            })
            .collect()
    }

    async fn q_decide_stat_link(
        &self,
        a: &str,
        b: &str,
        from: &[LinkStatus],
        to: LinkStatus,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<bool> {
        let allowed: Vec<&str> = from.iter().map(|s| s.code()).collect();
        let r = sqlx::query(
            "UPDATE stat_links SET status = $1, decided_by = $2, decided_at = $3 \
             WHERE a = $4 AND b = $5 AND (' ' || $6 || ' ') LIKE ('% ' || status || ' %')",
        )
        .bind(to.code())
        .bind(by.map(|u| u.0))
        .bind(ts(at))
        .bind(a)
        .bind(b)
        .bind(allowed.join(" "))
        .execute(&self.pool)
        .await
        .map_err(be)?;
        Ok(r.rows_affected() == 1)
    }

    async fn q_replace_stat_cells(&self, cells: &[StatCell]) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        sqlx::query("DELETE FROM stat_cells").execute(&mut *tx).await.map_err(be)?;
        for chunk in cells.chunks(STAT_BATCH) {
            let sql = format!(
                "INSERT INTO stat_cells (year, month, dim, value, unit, count) VALUES {}",
                placeholders(chunk.len(), 6)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for c in chunk {
                q = q
                    .bind(i64::from(c.year))
                    .bind(i64::from(c.month))
                    .bind(c.dim.code())
                    .bind(c.value.clone())
                    .bind(c.unit.code())
                    .bind(i64::try_from(c.count).unwrap_or(i64::MAX));
            }
            q.execute(&mut *tx).await.map_err(be)?;
        }
        tx.commit().await.map_err(be)?;
        Ok(())
    }

    async fn q_stat_cells_for_report(&self, year: i32) -> Result<Vec<StatCell>> {
        let rows: Vec<CellRow> = sqlx::query_as(
            "SELECT year, month, dim, value, unit, count FROM stat_cells \
             WHERE (year = $1 OR year = $2) AND dim <> 'total' \
             UNION ALL SELECT year, month, dim, value, unit, count FROM stat_cells WHERE dim = 'total'",
        )
        .bind(i64::from(year))
        .bind(i64::from(year) - 1)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(cell_row).collect()
    }

    async fn q_stat_cells_of_dim(&self, dim: StatDim) -> Result<Vec<StatCell>> {
        let rows: Vec<CellRow> = sqlx::query_as(
            "SELECT year, month, dim, value, unit, count FROM stat_cells WHERE dim = $1",
        )
        .bind(dim.code())
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(cell_row).collect()
    }

    async fn q_insert_external_counts(&self, rows: &[ExternalCount], at: OffsetDateTime) -> Result<u64> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        for r in rows {
            sqlx::query(
                "INSERT INTO stat_external (source, unit, category, year, quarter, count, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&r.source)
            .bind(&r.unit)
            .bind(&r.category)
            .bind(i64::from(r.year))
            .bind(r.quarter.map(i64::from))
            .bind(i64::try_from(r.count).unwrap_or(i64::MAX))
            .bind(ts(at))
            .execute(&mut *tx)
            .await
            .map_err(be)?;
        }
        tx.commit().await.map_err(be)?;
        Ok(rows.len() as u64)
    }

    async fn q_external_counts(&self, years: &[i32]) -> Result<Vec<ExternalCount>> {
        type ExtRow = (String, String, String, i64, Option<i64>, i64);
        let rows: Vec<ExtRow> = sqlx::query_as(
            "SELECT source, unit, category, year, quarter, count FROM stat_external ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        let corrupt = |e: std::num::TryFromIntError| StoreError::Corrupt(e.to_string());
        let mut out = Vec::new();
        for (source, unit, category, year, quarter, count) in rows {
            let year = i32::try_from(year).map_err(corrupt)?;
            if !years.is_empty() && !years.contains(&year) {
                continue;
            }
            out.push(ExternalCount {
                source,
                unit,
                category,
                year,
                quarter: quarter.map(u8::try_from).transpose().map_err(corrupt)?,
                count: u64::try_from(count).map_err(corrupt)?,
            });
        }
        Ok(out)
    }
    async fn q_insert_stat_publication(&self, p: &NewPublication) -> Result<i64> {
        let inputs = serde_json::json!({"cells": p.cells, "external": p.external}).to_string();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO stat_published (year, k, inputs, published_by, published_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(i64::from(p.year))
        .bind(i64::try_from(p.k).unwrap_or(i64::MAX))
        .bind(inputs)
        .bind(p.by.0)
        .bind(ts(p.at))
        .fetch_one(&self.pool)
        .await
        .map_err(be)?;
        Ok(id)
    }

    async fn q_stat_publications(&self) -> Result<Vec<PublicationInfo>> {
        let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, year, k, published_by, published_at FROM stat_published ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.into_iter().map(publication_info).collect()
    }

    async fn q_latest_stat_publication(&self, year: i32) -> Result<Option<Publication>> {
        let row: Option<(i64, i64, i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, year, k, published_by, published_at, inputs, \
             (SELECT COUNT(*) FROM stat_published q WHERE q.year = p.year AND q.id <= p.id) \
             FROM stat_published p WHERE year = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        let Some((id, y, k, by, at, inputs, revision)) = row else {
            return Ok(None);
        };
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("stat_published {id}: {e}"));
        let mut inputs: serde_json::Value = serde_json::from_str(&inputs).map_err(corrupt)?;
        Ok(Some(Publication {
            info: publication_info((id, y, k, by, at))?,
            revision: u32::try_from(revision).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            cells: serde_json::from_value(inputs["cells"].take()).map_err(corrupt)?,
            external: serde_json::from_value(inputs["external"].take()).map_err(corrupt)?,
        }))
    }
}

fn publication_info((id, year, k, by, at): (i64, i64, i64, i64, i64)) -> Result<PublicationInfo> {
    let corrupt = |e: std::num::TryFromIntError| StoreError::Corrupt(e.to_string());
    Ok(PublicationInfo {
        id,
        year: i32::try_from(year).map_err(corrupt)?,
        k: u64::try_from(k).map_err(corrupt)?,
        by: UserId(by),
        at: from_ts(at)?,
    })
}

//! # mamori-store-postgres
//!
//! The scale-out [`Store`]: PostgreSQL, so that several `mamori serve` instances
//! share one database. sqlx runtime queries; the schema in `migrations/` is applied
//! at connect under an advisory lock, so instances starting together do not race.
//!
//! ```no_run
//! # async fn f() -> Result<(), mamori_store::StoreError> {
//! let store = mamori_store_postgres::PgStore::connect("postgres://postgres@127.0.0.1/mamori").await?;
//! mamori_store::conformance::run_all(&store).await;
//! # Ok(()) }
//! ```
//!
//! Backups: `pg_dump --format=custom --file=mamori.dump DBNAME`, restored with
//! `pg_restore --clean --if-exists --dbname=DBNAME mamori.dump`.
//!
//! Architecture invariant: SQL stays in the store crates. The queries are one file,
//! `crates/mamori-store/shared/queries.rs`, included by both stores.

pub mod testing;

use async_trait::async_trait;
use mamori_store::*;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Pool, Postgres};
use time::OffsetDateTime;

type Db = Postgres;
type This = PgStore;
const BACKEND: &str = "postgres";

/// The migrations, keyed by version; each runs once, in a transaction. A version
/// missing from the list (a feature branch not merged yet) is simply not run, and a
/// database that already ran a later version still gets an earlier one added later.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_reports.sql")),
    (3, include_str!("../migrations/0003_account.sql")),
    (4, include_str!("../migrations/0004_passkeys.sql")),
    (5, include_str!("../migrations/0005_stuffing.sql")),
    (6, include_str!("../migrations/0006_reauth.sql")),
    (7, include_str!("../migrations/0007_stats.sql")),
    (8, include_str!("../migrations/0008_portal.sql")),
    (9, include_str!("../migrations/0009_vuln.sql")),
    (10, include_str!("../migrations/0010_portal_files.sql")),
    (11, include_str!("../migrations/0011_stats_published.sql")),
    (12, include_str!("../migrations/0012_vuln_operator.sql")),
    (13, include_str!("../migrations/0013_vuln_outbox.sql")),
];

/// A PostgreSQL-backed store.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: Pool<Db>,
}

impl PgStore {
    /// Connects and applies migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect(url)
            .await
            .map_err(be)?;
        let s = PgStore { pool };
        s.migrate().await?;
        Ok(s)
    }

    async fn migrate(&self) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        sqlx::query("SELECT pg_advisory_xact_lock(7243501)")
            .execute(&mut *tx)
            .await
            .map_err(be)?;
        sqlx::query("CREATE TABLE IF NOT EXISTS mamori_migrations (version BIGINT PRIMARY KEY)")
            .execute(&mut *tx)
            .await
            .map_err(be)?;
        for (version, sql) in MIGRATIONS {
            let done: Option<(i64,)> =
                sqlx::query_as("SELECT version FROM mamori_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(be)?;
            if done.is_none() {
                sqlx::raw_sql(*sql).execute(&mut *tx).await.map_err(be)?;
                sqlx::query("INSERT INTO mamori_migrations (version) VALUES ($1)")
                    .bind(version)
                    .execute(&mut *tx)
                    .await
                    .map_err(be)?;
            }
        }
        tx.commit().await.map_err(be)?;
        Ok(())
    }

    /// Runs raw SQL: for tests that play an attacker with database access.
    pub async fn execute_raw(&self, sql: &str) -> Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&self.pool)
            .await
            .map_err(be)?;
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

include!("../../mamori-store/shared/queries.rs");

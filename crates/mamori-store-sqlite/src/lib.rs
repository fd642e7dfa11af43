//! # mamori-store-sqlite
//!
//! The embedded default [`Store`]: one SQLite file in the data directory (WAL
//! journal, `synchronous=FULL` so an acknowledged write survives a crash), sqlx
//! runtime queries, and the schema in `migrations/` applied at open.
//!
//! ```no_run
//! # async fn f() -> Result<(), mamori_store::StoreError> {
//! let store = mamori_store_sqlite::SqliteStore::open("data/mamori.db").await?;
//! mamori_store::conformance::run_all(&store).await;
//! # Ok(()) }
//! ```
//!
//! Architecture invariant: SQL stays in this crate; callers see domain rows only.
//! The query code is kept line-for-line parallel with `mamori-store-postgres`
//! (both use `$N` placeholders), so a change to one is a diff to apply to the other.

use async_trait::async_trait;
use mamori_store::*;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};
use std::str::FromStr;
use time::OffsetDateTime;

type Db = Sqlite;
type This = SqliteStore;
const BACKEND: &str = "sqlite";

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

/// A SQLite-backed store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: Pool<Db>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies migrations.
    pub async fn open(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        Self::with_options(opts).await
    }

    /// A private in-memory database (tests).
    pub async fn memory() -> Result<Self> {
        let opts = SqliteConnectOptions::from_str("sqlite::memory:").map_err(be)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(opts.foreign_keys(true))
            .await
            .map_err(be)?;
        let s = SqliteStore { pool };
        s.migrate().await?;
        Ok(s)
    }

    async fn with_options(opts: SqliteConnectOptions) -> Result<Self> {
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(be)?;
        let s = SqliteStore { pool };
        s.migrate().await?;
        Ok(s)
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::query("CREATE TABLE IF NOT EXISTS mamori_migrations (version BIGINT PRIMARY KEY)")
            .execute(&self.pool)
            .await
            .map_err(be)?;
        for (version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await.map_err(be)?;
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
            tx.commit().await.map_err(be)?;
        }
        Ok(())
    }

    /// Writes a consistent copy of the live database to `dest` (`VACUUM INTO`).
    pub async fn backup_to(&self, dest: &std::path::Path) -> Result<()> {
        let dest = dest
            .to_str()
            .ok_or_else(|| StoreError::Backend("backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(&self.pool)
            .await
            .map_err(be)?;
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

    /// Closes the pool (checkpoints the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

include!("../../mamori-store/shared/queries.rs");

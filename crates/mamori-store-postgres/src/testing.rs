//! A throw-away database per test, for this crate's tests and every crate whose tests
//! run against PostgreSQL (the server at 127.0.0.1:5432, or `MAMORI_TEST_PG`).

use sqlx::Connection;

/// The server the tests use; `MAMORI_TEST_PG` overrides it.
pub fn server() -> String {
    std::env::var("MAMORI_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A uniquely named, empty database; dropped by [`TempDb::drop_db`].
#[derive(Debug)]
pub struct TempDb {
    /// Database name.
    pub name: String,
    /// Connection URL.
    pub url: String,
}

impl TempDb {
    /// Creates the database.
    #[allow(clippy::expect_used)] // a test helper: no server is a failed test
    pub async fn new() -> TempDb {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let name = format!(
            "mamori_test_{}_{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut c = sqlx::PgConnection::connect(&format!("{}/postgres", server()))
            .await
            .expect("postgres test server");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name}"
        )))
        .execute(&mut c)
        .await
        .expect("postgres test server");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut c)
            .await
            .expect("postgres test server");
        TempDb {
            url: format!("{}/{name}", server()),
            name,
        }
    }

    /// Drops the database.
    #[allow(clippy::expect_used)] // a test helper: no server is a failed test
    pub async fn drop_db(self) {
        let mut c = sqlx::PgConnection::connect(&format!("{}/postgres", server()))
            .await
            .expect("postgres test server");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut c)
        .await
        .expect("postgres test server");
    }
}

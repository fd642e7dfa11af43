//! Shared by the platform subcommands (`serve`, `orgs`, `users`, `tokens`, `audit`,
//! `backup`, `restore`, `demo`): where the data lives, the configuration file, and
//! opening the store and the services. The wall clock is read only here.

use anyhow::Context;
use mamori_service::{Clock, Env, ServiceConfig, Services};
use mamori_store::Store;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the platform's data is.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// データディレクトリ / data directory (config `mamori.toml`, SQLite DB, keys)
    #[arg(long, env = "MAMORI_DATA_DIR", default_value = "mamori-data")]
    pub data_dir: PathBuf,
    /// PostgreSQL を使う場合の接続URL / PostgreSQL URL (postgres://…); SQLite in the data dir otherwise
    #[arg(long, env = "MAMORI_DATABASE_URL")]
    pub database_url: Option<String>,
}

/// `mamori.toml` in the data directory. Flags and `MAMORI_*` variables win.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub listen: Option<String>,
    /// PostgreSQL URL.
    pub database_url: Option<String>,
    /// The public URL (for links shown to administrators).
    pub base_url: Option<String>,
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: Option<bool>,
    /// Minutes without activity before a session ends.
    pub session_idle_minutes: Option<i64>,
    /// Days without sign-in before an account is disabled.
    pub inactive_after_days: Option<i64>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (CIDR blocks).
    pub trusted_proxies: Option<Vec<String>>,
}

impl FileConfig {
    /// The public URL for links (the configured one, else the listen address).
    pub fn base_url(&self) -> String {
        self.base_url.clone().unwrap_or_else(|| {
            format!(
                "http://{}",
                self.listen.as_deref().unwrap_or("127.0.0.1:8080")
            )
        })
    }
}

/// The wall clock for the service, read through [`crate::common::now`].
#[derive(Debug)]
pub struct WallClock;

impl Clock for WallClock {
    fn now(&self) -> time::OffsetDateTime {
        crate::common::now()
    }
}

impl DbArgs {
    /// Reads `mamori.toml` if present.
    pub fn file_config(&self) -> anyhow::Result<FileConfig> {
        let p = self.data_dir.join("mamori.toml");
        match std::fs::read_to_string(&p) {
            Ok(s) => toml::from_str(&s).with_context(|| format!("reading {}", p.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
        }
    }

    /// The SQLite file used when no PostgreSQL URL is given.
    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("mamori.db")
    }

    /// The PostgreSQL URL from the flag, the environment or the file.
    pub fn postgres_url(&self, file: &FileConfig) -> Option<String> {
        self.database_url
            .clone()
            .or_else(|| file.database_url.clone())
    }

    /// Opens the store (creating the data directory and SQLite file if needed).
    pub async fn open_store(&self, file: &FileConfig) -> anyhow::Result<Arc<dyn Store>> {
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating data directory {}", self.data_dir.display()))?;
        Ok(match self.postgres_url(file) {
            Some(url) => Arc::new(
                mamori_store_postgres::PgStore::connect(&url)
                    .await
                    .context("connecting to PostgreSQL (check --database-url)")?,
            ),
            None => Arc::new(
                mamori_store_sqlite::SqliteStore::open(self.sqlite_path())
                    .await
                    .with_context(|| format!("opening {}", self.sqlite_path().display()))?,
            ),
        })
    }

    /// Opens the store and builds the services.
    pub async fn services(&self) -> anyhow::Result<(Services, FileConfig)> {
        let file = self.file_config()?;
        let store = self.open_store(&file).await?;
        let mut cfg = ServiceConfig {
            guard_key: guard_key(&self.data_dir)?,
            ..ServiceConfig::default()
        };
        if let Some(m) = file.session_idle_minutes {
            cfg.session_idle = time::Duration::minutes(m);
        }
        if let Some(d) = file.inactive_after_days {
            cfg.inactive_after_days = d;
        }
        if std::env::var("MAMORI_INSECURE_FAST_HASHING").as_deref() == Ok("1") {
            cfg.fast_hashing = true; // tests and demos on slow machines only
        }
        let svc = Services::new(store, cfg, Env::new(Arc::new(WallClock)))?;
        Ok((svc, file))
    }
}

/// The guard's secret key (grid cards), created on first use, readable only by
/// the owner.
fn guard_key(dir: &Path) -> anyhow::Result<[u8; 32]> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let p = dir.join("guard.key");
    if let Ok(s) = std::fs::read_to_string(&p) {
        let mut k = [0u8; 32];
        let bytes = hex_decode(s.trim())
            .with_context(|| format!("{} is not 64 hex digits", p.display()))?;
        if bytes.len() != 32 {
            anyhow::bail!("{} is not 64 hex digits", p.display());
        }
        k.copy_from_slice(&bytes);
        return Ok(k);
    }
    let mut k = [0u8; 32];
    mamori_service::SecureRandom::fill(&mamori_guard::OsRandom, &mut k);
    let hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&p, &hex)?;
    Ok(k)
}

fn hex_decode(s: &str) -> anyhow::Result<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("x"), 16).map_err(Into::into))
        .collect()
}

/// Writes a file only the owner can read.
pub fn write_private(p: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o
        .open(p)
        .with_context(|| format!("creating {}", p.display()))?;
    f.write_all(content.as_bytes())
        .with_context(|| format!("writing {}", p.display()))?;
    Ok(())
}

/// A runtime for the platform commands.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Structured logs to stderr; `RUST_LOG` filters (default `info`). Handlers never
/// log secrets; the guard's events carry none.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

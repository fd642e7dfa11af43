//! `mamori serve`: the platform's web server.

use crate::platform::DbArgs;
use anyhow::Context;
use std::process::ExitCode;

/// `mamori serve` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// 待ち受けアドレス / address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "MAMORI_LISTEN")]
    listen: Option<String>,
    /// 公開URL / public base URL for links [default: http://<listen>]
    #[arg(long, env = "MAMORI_BASE_URL")]
    base_url: Option<String>,
    /// 信頼するリバースプロキシ（CIDR、複数可）：その X-Forwarded-For を採用 / a reverse proxy whose X-Forwarded-For is believed (CIDR; repeatable)
    #[arg(
        long = "trusted-proxy",
        env = "MAMORI_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    trusted_proxy: Vec<String>,
    /// 最初の管理者のメールアドレス / e-mail of the first administrator (first start only)
    #[arg(
        long,
        env = "MAMORI_ADMIN_EMAIL",
        default_value = "admin@mamori.localhost"
    )]
    admin_email: String,
    /// 脆弱性案件のダイジェストを届ける間隔（分、0 で止める）/ minutes between vulnerability-case digest sweeps (0: none)
    #[arg(long, env = "MAMORI_DIGEST_MINUTES", default_value_t = 10)]
    digest_minutes: u64,
    #[command(flatten)]
    mail: crate::vuln::MailArgs,
}

const TEMPLATE: &str = "# mamori serve configuration. Flags and MAMORI_* environment variables win.\n\
# listen = \"127.0.0.1:8080\"\n\
# base_url = \"https://mamori.example.jp\"\n\
# database_url = \"postgres://mamori@db.example.jp/mamori\"  # SQLite in this directory otherwise\n\
# secure_cookies = true   # when served over HTTPS\n\
# session_idle_minutes = 30\n\
# inactive_after_days = 90\n\
# trusted_proxies = [\"10.0.0.0/8\"]   # believe X-Forwarded-For only from these\n";

/// Runs the server until SIGINT or SIGTERM.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    crate::platform::init_tracing();
    crate::platform::runtime()?.block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<ExitCode> {
    // On SQLite the server holds the data directory (`mamori restore` waits for it).
    let file = args.db.file_config()?;
    let _lock = if args.db.postgres_url(&file).is_none() {
        match crate::datalock::acquire(&args.db.data_dir)? {
            Ok(lock) => {
                if let Some(pid) = lock.stale_pid {
                    tracing::warn!(
                        pid,
                        "stale serve.lock of a process that is gone, taken over"
                    );
                }
                Some(lock)
            }
            Err(pid) => anyhow::bail!(
                "another mamori serve (pid {}) holds {} / 別のサーバーが実行中です",
                pid.map_or_else(|| "?".to_string(), |p| p.to_string()),
                args.db.data_dir.display()
            ),
        }
    } else {
        None
    };
    let proxies = if args.trusted_proxy.is_empty() {
        file.trusted_proxies.clone().unwrap_or_default()
    } else {
        args.trusted_proxy.clone()
    };
    let proxies = proxies
        .iter()
        .map(|c| {
            c.parse::<mamori_web::proxy::Cidr>()
                .map_err(anyhow::Error::msg)
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .context("--trusted-proxy")?;
    let (svc, file) = args.db.services().await?;
    let cfg_path = args.db.data_dir.join("mamori.toml");
    if !cfg_path.exists() {
        std::fs::write(&cfg_path, TEMPLATE)
            .with_context(|| format!("writing {}", cfg_path.display()))?;
    }
    let stop = shutdown()?;
    let listen = args
        .listen
        .or(file.listen)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    let base = args
        .base_url
        .or(file.base_url)
        .unwrap_or_else(|| format!("http://{addr}"));
    let secure = file.secure_cookies.unwrap_or(base.starts_with("https://"));
    let origin = passkey_origin(&base);
    match svc.enable_passkeys(&origin) {
        Ok(()) if origin != base.trim_end_matches('/') => {
            println!("パスキーを使うときは / for passkeys, open: {origin}/login")
        }
        Ok(()) => tracing::info!(%origin, "passkeys enabled"),
        Err(_) => tracing::info!(
            %origin,
            "passkeys off: they need an https:// base_url (or http://localhost)"
        ),
    }
    if let Some(token) = svc.bootstrap(&args.admin_email).await? {
        println!("最初の管理者 / first administrator: {}", args.admin_email);
        println!(
            "初回ログイン用リンク（1回限り・24時間有効）/ one-time sign-in link (single use, 24 h):"
        );
        println!("  {base}/link/{token}");
    }
    let disabled = svc.disable_inactive().await?;
    if !disabled.is_empty() {
        tracing::info!(count = disabled.len(), "disabled long-inactive accounts");
    }
    // Housekeeping, hourly: expired sessions are deleted, long-inactive accounts
    // disabled.
    let chores = svc.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match chores.sweep_sessions().await {
                Ok(n) if n > 0 => tracing::info!(count = n, "expired sessions deleted"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "session sweep failed"),
            }
            if let Err(e) = chores.disable_inactive().await {
                tracing::error!(error = %e, "inactive-account check failed");
            }
        }
    });
    // Vulnerability cases: notices and due reminders, one digest per person per sweep.
    if args.digest_minutes > 0 {
        let sweeper = svc.clone();
        let (mail, base) = (args.mail.clone(), base.clone());
        let every = std::time::Duration::from_secs(args.digest_minutes * 60);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match sweeper.vuln_digest().await {
                    Ok(run) => {
                        if let Err(e) = mail.write(&run, &base) {
                            tracing::error!(error = %e, "digest mail not written");
                        }
                        if run.lines > 0 {
                            tracing::info!(
                                digests = run.digests.len(),
                                lines = run.lines,
                                outside = run.outside,
                                "vulnerability digests delivered"
                            );
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "vulnerability digest sweep failed"),
                }
            }
        });
    }
    let store = svc.store().clone();
    if !proxies.is_empty() {
        let list: Vec<String> = proxies.iter().map(ToString::to_string).collect();
        tracing::info!(proxies = %list.join(","), "X-Forwarded-For believed from trusted proxies");
    }
    let state = mamori_web::AppState::new(svc, secure, &base).with_trusted_proxies(proxies);
    println!("listening on http://{addr} (store: {})", store.backend());
    tracing::info!(%addr, store = store.backend(), "mamori serve started");
    mamori_web::serve(listener, state, stop)
        .await
        .context("server failed")?;
    tracing::info!("shut down cleanly");
    Ok(ExitCode::SUCCESS)
}

/// The origin passkeys are registered for: the public base URL, except that a
/// server on a loopback address is reached as `http://localhost:PORT` (browsers
/// refuse an IP address as a WebAuthn site id).
fn passkey_origin(base: &str) -> String {
    let rest = base.strip_prefix("http://").unwrap_or("");
    let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        _ => (rest.trim_end_matches('/'), None),
    };
    let loopback = host
        .trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    match (loopback, port) {
        (true, Some(p)) => format!("http://localhost:{p}"),
        (true, None) => "http://localhost".into(),
        _ => base.trim_end_matches('/').to_string(),
    }
}

/// Installs the SIGINT/SIGTERM handlers now (before the address is announced, so a
/// signal sent right after start is not fatal) and returns the future that ends
/// when one arrives.
fn shutdown() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
        let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {},
                _ = term.recv() => {},
            }
            tracing::info!("shutdown signal received");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutdown signal received");
        })
    }
}

#[cfg(test)]
mod tests {
    use super::passkey_origin;

    #[test]
    fn loopback_servers_use_localhost_for_passkeys() {
        assert_eq!(
            passkey_origin("http://127.0.0.1:8080"),
            "http://localhost:8080"
        );
        assert_eq!(
            passkey_origin("http://[::1]:9000/"),
            "http://localhost:9000"
        );
        assert_eq!(
            passkey_origin("https://mamori.example.jp/"),
            "https://mamori.example.jp"
        );
        assert_eq!(
            passkey_origin("http://192.0.2.7:8080"),
            "http://192.0.2.7:8080",
            "left as is (and refused: no passkeys over plain HTTP on an IP)"
        );
    }
}

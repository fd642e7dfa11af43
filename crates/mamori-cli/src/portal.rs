//! `mamori portal check-links`: checks the link of every published material with a
//! configurable HTTP client (timeout, User-Agent, redirects, proxy) and records each
//! verdict; broken links show on the portal and are listed here.

use crate::platform::DbArgs;
use crate::platform_admin::friendly;
use mamori_service::portal::{LinkProbe, LinkVerdict};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `mamori portal …`.
#[derive(Debug, clap::Subcommand)]
pub enum Portal {
    /// 掲載資料のリンクを確認 / check the links of listed materials
    CheckLinks(CheckLinks),
}

/// The link checker's HTTP client.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientConfig {
    /// 1リンクあたりの待ち時間（秒）/ time allowed per link, seconds
    #[arg(long, default_value_t = 15)]
    pub timeout_secs: u64,
    /// User-Agent ヘッダ / the User-Agent header
    #[arg(long, default_value = concat!("mamori-linkcheck/", env!("CARGO_PKG_VERSION")))]
    pub user_agent: String,
    /// たどるリダイレクトの最大数 / redirects followed at most
    #[arg(long, default_value_t = 5)]
    pub max_redirects: u32,
    /// 経由するプロキシ / proxy to go through (http://host:port)
    #[arg(long, env = "MAMORI_LINKCHECK_PROXY")]
    pub proxy: Option<String>,
}

/// `mamori portal check-links` arguments.
#[derive(Debug, clap::Args)]
pub struct CheckLinks {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    client: ClientConfig,
}

/// A [`LinkProbe`] over `ureq`: `HEAD`, then `GET` where `HEAD` is not allowed;
/// 2xx (after redirects) is fine, anything else is broken.
#[derive(Debug)]
pub struct HttpProbe {
    agent: ureq::Agent,
}

impl HttpProbe {
    /// A client as configured.
    pub fn new(c: &ClientConfig) -> anyhow::Result<Self> {
        let proxy = match &c.proxy {
            Some(p) => Some(ureq::Proxy::new(p)?),
            None => None,
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(c.timeout_secs.max(1))))
            .max_redirects(c.max_redirects)
            .user_agent(c.user_agent.as_str())
            .proxy(proxy)
            .build()
            .into();
        Ok(HttpProbe { agent })
    }
}

impl LinkProbe for HttpProbe {
    fn check(&self, url: &str) -> LinkVerdict {
        let status = match self.agent.head(url).call() {
            Ok(r) if matches!(r.status().as_u16(), 405 | 501) => {
                self.agent.get(url).call().map(|r| r.status().as_u16())
            }
            Ok(r) => Ok(r.status().as_u16()),
            Err(e) => Err(e),
        };
        match status {
            Ok(s) if (200..300).contains(&s) => LinkVerdict::Ok(s),
            Ok(s) => LinkVerdict::Broken(format!("HTTP {s}")),
            Err(e) => LinkVerdict::Broken(e.to_string()),
        }
    }
}

/// Runs a `mamori portal` subcommand.
pub fn run(cmd: Portal) -> anyhow::Result<ExitCode> {
    match cmd {
        Portal::CheckLinks(a) => {
            let probe = Arc::new(HttpProbe::new(&a.client)?);
            crate::platform::runtime()?.block_on(async {
                let (svc, _) = a.db.services().await?;
                let r = svc.check_links(probe).await.map_err(friendly)?;
                println!(
                    "確認したリンク / links checked: {}, 切れているリンク / broken: {}",
                    r.checked,
                    r.broken.len()
                );
                for (id, url, why) in &r.broken {
                    println!("  #{} {url}  {why}", id.0);
                }
                Ok(if r.broken.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::{BufRead, BufReader, Write};

    /// A loopback server answering `HEAD`/`GET` by path: `/ok` 200, `/gone` 404,
    /// `/moved` a redirect to `/ok`, `/nohead` 405 to `HEAD` and 200 to `GET`. It
    /// records the User-Agent it saw.
    fn server() -> (String, std::sync::mpsc::Receiver<String>) {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", l.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                let mut r = BufReader::new(s.try_clone().unwrap());
                let mut first = String::new();
                r.read_line(&mut first).unwrap();
                let mut ua = String::new();
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).unwrap() == 0 || h.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = h.to_ascii_lowercase().strip_prefix("user-agent:") {
                        ua = v.trim().to_string();
                    }
                }
                let _ = tx.send(ua);
                let mut w = s;
                let (method, path) = {
                    let mut p = first.split_whitespace();
                    (
                        p.next().unwrap_or("").to_string(),
                        p.next().unwrap_or("").to_string(),
                    )
                };
                let head = match (method.as_str(), path.as_str()) {
                    (_, "/ok") | ("GET", "/nohead") => "HTTP/1.1 200 OK\r\n".to_string(),
                    (_, "/moved") => "HTTP/1.1 301 Moved\r\nLocation: /ok\r\n".to_string(),
                    ("HEAD", "/nohead") => "HTTP/1.1 405 Method Not Allowed\r\n".to_string(),
                    _ => "HTTP/1.1 404 Not Found\r\n".to_string(),
                };
                let _ = write!(w, "{head}Content-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        (base, rx)
    }

    fn config() -> ClientConfig {
        ClientConfig {
            timeout_secs: 5,
            user_agent: "mamori-test-agent".into(),
            max_redirects: 3,
            proxy: None,
        }
    }

    #[test]
    fn checks_links_on_a_loopback_server() {
        let (base, ua) = server();
        let p = HttpProbe::new(&config()).unwrap();
        assert_eq!(p.check(&format!("{base}/ok")), LinkVerdict::Ok(200));
        assert_eq!(ua.recv().unwrap(), "mamori-test-agent");
        assert_eq!(
            p.check(&format!("{base}/gone")),
            LinkVerdict::Broken("HTTP 404".into())
        );
        assert_eq!(p.check(&format!("{base}/moved")), LinkVerdict::Ok(200));
        assert_eq!(p.check(&format!("{base}/nohead")), LinkVerdict::Ok(200));
        // Nothing listens on a closed loopback port: broken, with the reason.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        assert!(matches!(
            p.check(&format!("http://{closed}/x")),
            LinkVerdict::Broken(_)
        ));
    }

    #[test]
    fn no_redirects_when_configured_so() {
        let (base, _ua) = server();
        let p = HttpProbe::new(&ClientConfig {
            max_redirects: 0,
            ..config()
        })
        .unwrap();
        assert_eq!(
            p.check(&format!("{base}/moved")),
            LinkVerdict::Broken("HTTP 301".into())
        );
    }
}

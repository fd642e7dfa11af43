//! `mamori report submit`: turns a `mamori scan --format json` result into a draft report
//! on a Mamori server (findings, sources, accounts, time range and act type pre-filled),
//! attaches sealed evidence bundles, and prints the draft's id and URL. The reporter then
//! completes it in the browser and chooses the bodies it goes to: nothing is sent to a
//! body from here.
//!
//! Exit status: 0 the draft exists (and every bundle was attached), 2 an error.

use anyhow::{Context as _, anyhow, bail};
use mamori_core::Lang;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `mamori report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// スキャン結果から届出の下書きを作る / create a draft report from a scan result
    #[command(
        after_help = "例 / example:\n  mamori scan /var/log/nginx --format json > findings.json\n  mamori evidence collect --out case.tar /var/log/nginx/access.log\n  MAMORI_TOKEN=… mamori report submit --server https://mamori.example.jp findings.json --evidence case.tar\n\n下書きはブラウザで確認し、送信先（警察・IPA・JPCERT/CC）を選んでから送信します。\nThe draft is completed in the browser, where you choose the bodies it goes to."
    )]
    Submit(SubmitArgs),
}

#[derive(Debug, clap::Args)]
struct SubmitArgs {
    /// Mamori サーバのURL / the Mamori server's URL
    #[arg(long, env = "MAMORI_SERVER")]
    server: String,
    /// APIトークン（mamori tokens create）/ API token (`mamori tokens create`)
    #[arg(long, env = "MAMORI_TOKEN", hide_env_values = true)]
    token: String,
    /// `mamori scan --format json` の出力（- は標準入力）/ scan result (- for stdin)
    findings: PathBuf,
    /// 添付する証拠バンドル（mamori evidence collect --out X.tar）/ evidence bundle to attach (.tar)
    #[arg(long)]
    evidence: Vec<PathBuf>,
    /// 表示言語 / output language: ja (default) or en
    #[arg(long)]
    lang: Option<String>,
}

/// Runs `mamori report`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Sub::Submit(a) => submit(a),
    }
}

fn t(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Largest file read from disk for upload (the server refuses more than its limit anyway).
const MAX_UPLOAD: u64 = 1024 * 1024 * 1024;

fn read_input(p: &Path) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if p.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_UPLOAD)
            .read_to_end(&mut buf)
            .context("標準入力を読めません / cannot read standard input")?;
    } else {
        std::fs::File::open(p)
            .with_context(|| format!("{}: 開けません / cannot open", p.display()))?
            .take(MAX_UPLOAD)
            .read_to_end(&mut buf)
            .with_context(|| format!("{}: 読めません / cannot read", p.display()))?;
    }
    Ok(buf)
}

/// An HTTP answer that is not the expected success, in words a user can act on.
fn http_error(lang: Lang, what: &str, status: u16, body: &str) -> anyhow::Error {
    let server: Option<(String, String)> = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let e = v.get("error")?;
            let code = e.get("code")?.as_str()?.to_string();
            let msg = match lang {
                Lang::Ja => e.get("message_ja"),
                Lang::En => e.get("message"),
            }?
            .as_str()?
            .to_string();
            Some((code, msg))
        });
    let hint = match status {
        401 => t(
            lang,
            "トークンが受け付けられませんでした（誤り・期限切れ・無効化）。`mamori tokens create` で作り直してください。",
            "the token was not accepted (wrong, expired or disabled). Create one with `mamori tokens create`.",
        ),
        404 => t(
            lang,
            "見つからないか、このアカウントには権限がありません（届出ができるのは報告者の役割の利用者です）。",
            "not found, or this account may not do it (only people with the reporter role file reports).",
        ),
        413 => t(
            lang,
            "ファイルが大きすぎます（1ファイル25MiB、1件100MiBまで）。",
            "too large (25 MiB per file, 100 MiB per report).",
        ),
        _ => "",
    };
    match server {
        Some((code, msg)) => anyhow!("{what}: HTTP {status} [{code}] {msg} {hint}"),
        None => anyhow!("{what}: HTTP {status} {hint}"),
    }
}

fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn submit(a: SubmitArgs) -> anyhow::Result<ExitCode> {
    let lang = crate::lang::resolve(a.lang.as_deref())?;
    let server = a.server.trim().trim_end_matches('/').to_string();
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        bail!(
            "{}: {server}",
            t(
                lang,
                "--server は http:// か https:// で始まるURLにしてください",
                "--server must be a URL starting with http:// or https://"
            )
        );
    }
    let token = a.token.trim();
    if token.is_empty() {
        bail!(t(lang, "トークンが空です", "the token is empty"));
    }
    // Checked here first, so that a wrong file never reaches the server.
    let findings = read_input(&a.findings)?;
    let doc: serde_json::Value = serde_json::from_slice(&findings).map_err(|e| {
        anyhow!(
            "{}: {} ({e})",
            a.findings.display(),
            t(
                lang,
                "JSONではありません。`mamori scan … --format json` の出力を指定してください",
                "not JSON. Give the output of `mamori scan … --format json`"
            )
        )
    })?;
    mamori_core::intake::prefill_from_scan(&doc).map_err(|e| {
        anyhow!(
            "{}: {} ({e})",
            a.findings.display(),
            t(
                lang,
                "mamori scan の結果ではありません",
                "not a mamori scan result"
            )
        )
    })?;
    let mut bundles = Vec::new();
    for p in &a.evidence {
        if p.is_dir() {
            bail!(
                "{}: {}",
                p.display(),
                t(
                    lang,
                    "ディレクトリの証拠は送れません。`mamori evidence collect --out 名前.tar …` で tar にしてください",
                    "a directory bundle cannot be uploaded; collect into a tar with `mamori evidence collect --out NAME.tar …`"
                )
            );
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "evidence.tar".into());
        bundles.push((name, read_input(p)?));
    }

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let unreachable = |e: ureq::Error| {
        anyhow!(
            "{} {server}: {e}",
            t(lang, "サーバに接続できません", "cannot reach the server")
        )
    };
    let auth = format!("Bearer {token}");
    // One POST with the token; the status and the answer's text (errors too).
    let post = |url: String, content_type: &str, body: &[u8]| -> anyhow::Result<(u16, String)> {
        let mut res = agent
            .post(url)
            .header("Authorization", &auth)
            .header("Content-Type", content_type)
            .send(body)
            .map_err(unreachable)?;
        let text = res
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_string()
            .map_err(unreachable)?;
        Ok((res.status().as_u16(), text))
    };
    let (status, body) = post(
        format!("{server}/api/v1/reports"),
        "application/json",
        &findings,
    )?;
    if status != 201 {
        return Err(http_error(
            lang,
            t(
                lang,
                "下書きを作れませんでした",
                "the draft was not created",
            ),
            status,
            &body,
        ));
    }
    let created: serde_json::Value = serde_json::from_str(&body)
        .with_context(|| format!("unexpected answer from {server}: {body}"))?;
    let id = created
        .get("id")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| anyhow!("unexpected answer from {server}: {body}"))?;
    let url = created
        .get("url")
        .and_then(serde_json::Value::as_str)
        .map_or_else(|| format!("{server}/reports/{id}"), str::to_string);
    println!(
        "{}",
        t(
            lang,
            "届出の下書きを作成しました。",
            "A draft report was created."
        )
    );
    println!("id: {id}");
    println!("url: {url}");
    let mut failed = false;
    for (name, bytes) in bundles {
        let (status, body) = post(
            format!(
                "{server}/api/v1/reports/{id}/attachments?name={}",
                encode_query(&name)
            ),
            "application/x-tar",
            &bytes,
        )?;
        if status != 201 {
            eprintln!(
                "error: {}",
                http_error(
                    lang,
                    t(
                        lang,
                        "証拠を添付できませんでした",
                        "the evidence was not attached"
                    ),
                    status,
                    &body
                )
            );
            failed = true;
            continue;
        }
        let att: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let verdict = att.get("verdict").and_then(serde_json::Value::as_str);
        let shown = match verdict {
            Some("verified") => t(
                lang,
                "検証済み（収集時から変更なし）",
                "verified (unchanged since collection)",
            ),
            Some("failed") => t(
                lang,
                "検証失敗（収集後に変更あり。ブラウザで詳細を確認）",
                "FAILED verification (changed since collection; see the details in the browser)",
            ),
            _ => t(lang, "添付済み", "attached"),
        };
        println!(
            "{}: {name} sha256 {} — {shown}",
            t(lang, "添付", "attached"),
            att.get("sha256")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?")
        );
        if verdict == Some("failed") {
            failed = true;
        }
    }
    println!(
        "{}",
        t(
            lang,
            "ブラウザで上のURLを開いて内容を確認し、送信先（警察・IPA・JPCERT/CC）を選んで送信してください。まだどこにも送られていません。",
            "Open the URL above in a browser, complete the report and choose the bodies (police, IPA, JPCERT/CC) it goes to. Nothing has been sent to them yet."
        )
    );
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

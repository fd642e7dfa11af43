//! `mamori evidence`: sealed evidence bundles (証拠保全).
//!
//! Exit status of `verify`: 0 the bundle is exactly as collected, 1 something in it changed
//! (each change is named), 2 it could not be read.

use crate::common;
use anyhow::Context as _;
use mamori_core::{Lang, escape_controls, escape_lines};
use mamori_integrity::evidence::{self, CollectRequest};
use mamori_integrity::seal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `mamori evidence`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    /// データ置き場（署名鍵の場所）/ data directory (where the signing key lives)
    #[arg(long, global = true, env = "MAMORI_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// 表示言語 / output language: ja (default) or en
    #[arg(long, global = true)]
    lang: Option<String>,
    /// 署名鍵 / signing key [default: DATA_DIR/keys/integrity.key]
    #[arg(long, global = true)]
    key: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// ログ・ファイル・検査結果を封印して集める / collect files into a sealed bundle
    Collect(CollectArgs),
    /// 収集時から変わっていないか確かめる / prove nothing changed since collection
    #[command(
        after_help = "終了コード / exit status:\n  0  収集時のまま / exactly as collected\n  1  変更あり（内容を表示）/ something changed (each change is named)\n  2  読めなかった / the bundle could not be read"
    )]
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
struct CollectArgs {
    /// 出力先（.tar で終われば tar、そうでなければディレクトリ）/ bundle: a .tar file or a directory
    #[arg(long)]
    out: PathBuf,
    /// 集めるファイルやディレクトリ / files or directories to collect
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// 収集の理由 / why
    #[arg(long)]
    reason: Option<String>,
    /// 収集者 / collector [default: login name and uid]
    #[arg(long)]
    collector: Option<String>,
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// 確かめる証拠 / the bundle
    bundle: PathBuf,
    /// 別に保管した公開鍵 / trusted public key kept elsewhere
    #[arg(long)]
    public_key: Option<String>,
    /// 保管記録に追記しない（読み取り専用媒体など）/ do not append to the custody log
    #[arg(long)]
    read_only: bool,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// 確認者 / who verifies [default: login name and uid]
    #[arg(long)]
    who: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Runs `mamori evidence`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lang = crate::lang::resolve(args.lang.as_deref())?;
    let data = common::data_dir(args.data_dir.as_deref())?;
    let key_path = args.key.clone().unwrap_or_else(|| common::key_path(&data));
    match args.command {
        Sub::Collect(a) => collect(a, &key_path, lang),
        Sub::Verify(a) => verify(a, &key_path, lang),
    }
}

fn collect(a: CollectArgs, key_path: &std::path::Path, lang: Lang) -> anyhow::Result<ExitCode> {
    let (key, created) = seal::read_or_create_key(key_path)?;
    let collector = common::who(a.collector.as_deref());
    let host = mamori_integrity::HostFacts::gather();
    let outcome = evidence::collect(&CollectRequest {
        paths: &a.paths,
        out: &a.out,
        reason: a.reason.as_deref(),
        collector: &collector,
        now: common::now(),
        host,
        key: &key,
    })
    .with_context(|| {
        format!(
            "{}: 証拠を集められませんでした / could not collect",
            a.out.display()
        )
    })?;
    for (p, why) in &outcome.skipped {
        eprintln!(
            "! {}: {}",
            escape_controls(&p.to_string()),
            escape_controls(&why.to_string())
        );
    }
    let pubkey = seal::public_key_string(&key.verifying_key());
    match lang {
        Lang::Ja => {
            println!(
                "{} 件を封印しました: {}",
                outcome.manifest.items.len(),
                a.out.display()
            );
            if created {
                println!(
                    "署名鍵を作りました: {}（パーミッション 0600）",
                    key_path.display()
                );
            }
            println!("公開鍵（別の場所にも保管してください）: {pubkey}");
        }
        Lang::En => {
            println!(
                "Sealed {} item(s): {}",
                outcome.manifest.items.len(),
                a.out.display()
            );
            if created {
                println!("Signing key created: {} (mode 0600)", key_path.display());
            }
            println!("Public key (keep a copy elsewhere): {pubkey}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(a: VerifyArgs, key_path: &std::path::Path, lang: Lang) -> anyhow::Result<ExitCode> {
    let pinned = match &a.public_key {
        Some(k) => Some(common::public_key(k)?),
        None => std::fs::read_to_string(key_path.with_extension("pub"))
            .ok()
            .and_then(|t| seal::parse_public_key(&t)),
    };
    let report = evidence::verify(&a.bundle, pinned.as_ref())?;
    if a.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        // Member names come from the bundle: no terminal escapes reach the screen.
        print!("{}", escape_lines(&report.render(lang)));
    }
    if !a.read_only {
        let who = common::who(a.who.as_deref());
        let detail = if report.ok() {
            format!("verified: ok ({} items)", report.items_checked)
        } else {
            format!("verified: {} problem(s)", report.problems.len())
        };
        let host = mamori_integrity::HostFacts::gather().hostname;
        let at = mamori_integrity::host::rfc3339(common::now());
        // sign the record when this user has a key (who verified, non-repudiably)
        let key = seal::read_key(key_path).ok();
        let ev = evidence::custody::Event {
            at: &at,
            actor: &who,
            host: &host,
            action: "verify",
            detail: &detail,
            key: key.as_ref(),
        };
        if let Err(e) = evidence::append_custody(&a.bundle, &ev) {
            eprintln!(
                "! 保管記録に追記できませんでした / could not append to the custody log: {e}"
            );
        }
    }
    Ok(ExitCode::from(u8::from(!report.ok())))
}

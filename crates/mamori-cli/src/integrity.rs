//! `mamori integrity`: baselines of trees, checks against them, and accepting intended changes.
//!
//! Exit status of `check`: 0 no change, 1 changes found, 2 the check could not run, 3 the
//! baseline failed its signature check (possibly tampered; `"baseline_status": "tampered"`).
//! Paths in the human output have their control characters escaped.

use crate::common;
use anyhow::{Context as _, bail};
use mamori_core::{Lang, Text, escape_controls, escape_lines};
use mamori_integrity::seal::{self, VerifyingKey};
use mamori_integrity::{Baseline, CheckReport, Config, HashAlgo, monitor};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `mamori integrity`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    /// データ置き場 / data directory [default: $XDG_DATA_HOME/mamori or ~/.local/share/mamori]
    #[arg(long, global = true, env = "MAMORI_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// 表示言語 / output language: ja (default) or en
    #[arg(long, global = true)]
    lang: Option<String>,
    /// ベースラインのファイル / baseline file [default: DATA_DIR/integrity/baseline.json]
    #[arg(long, global = true)]
    baseline: Option<PathBuf>,
    /// 署名鍵 / signing key [default: DATA_DIR/keys/integrity.key]
    #[arg(long, global = true)]
    key: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// ベースラインを作る / make a baseline of one or more trees
    Init(InitArgs),
    /// ベースラインと比べる / compare the trees with the baseline
    #[command(
        after_help = "終了コード / exit status:\n  0  変更なし / no change\n  1  変更あり / changes found\n  2  確認できなかった / the check could not run\n  3  ベースラインの署名が一致しない（改ざんの可能性、JSON では \"baseline_status\": \"tampered\"）/ the baseline failed its signature check (possible tampering; \"baseline_status\": \"tampered\" in JSON)"
    )]
    Check(CheckArgs),
    /// 今の状態をすべて取り込む / take every current change into the baseline
    Update(AcceptArgs),
    /// 指定したパスの変更だけ取り込む / take the changes at the given paths into the baseline
    Accept(AcceptArgs),
    /// 既定の設定を表示する / print the built-in configuration (TOML)
    DefaultConfig,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// 監視するディレクトリやファイル / trees to protect
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// 設定ファイル (TOML) / configuration file
    #[arg(long)]
    config: Option<PathBuf>,
    /// ハッシュ / content hash: blake3 (default) or sha256
    #[arg(long)]
    hash: Option<String>,
    /// 拡張属性・ACL も記録 / record extended attributes and ACLs
    #[arg(long)]
    xattrs: bool,
    /// シンボリックリンクをたどる / follow symlinks (loops are reported)
    #[arg(long)]
    follow_symlinks: bool,
    /// 既存のベースラインを上書き / overwrite an existing baseline
    #[arg(long)]
    force: bool,
    /// 進捗を表示しない / no progress bar
    #[arg(long)]
    no_progress: bool,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// 別に保管した公開鍵 (ed25519:HEX またはファイル) / trusted public key kept elsewhere
    #[arg(long)]
    public_key: Option<String>,
    /// 出力形式 / output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// 進捗を表示しない / no progress bar
    #[arg(long)]
    no_progress: bool,
}

#[derive(Debug, clap::Args)]
struct AcceptArgs {
    /// 取り込むパス（配下を含む）/ paths to accept (with everything under them)
    paths: Vec<PathBuf>,
    /// 理由（記録されます）/ why (recorded in the baseline)
    #[arg(long, required = true)]
    reason: String,
    /// 誰が / who [default: login name and uid]
    #[arg(long)]
    who: Option<String>,
    /// 別に保管した公開鍵 / trusted public key kept elsewhere
    #[arg(long)]
    public_key: Option<String>,
    /// 進捗を表示しない / no progress bar
    #[arg(long)]
    no_progress: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

struct Paths {
    baseline: PathBuf,
    key: PathBuf,
}

/// Runs `mamori integrity`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lang = crate::lang::resolve(args.lang.as_deref())?;
    let data = common::data_dir(args.data_dir.as_deref())?;
    let paths = Paths {
        baseline: args
            .baseline
            .clone()
            .unwrap_or_else(|| data.join("integrity").join("baseline.json")),
        key: args.key.clone().unwrap_or_else(|| common::key_path(&data)),
    };
    match args.command {
        Sub::Init(a) => init(a, &paths, lang),
        Sub::Check(a) => check(a, &paths, lang),
        Sub::Update(a) => accept(a, &paths, lang, false),
        Sub::Accept(a) => accept(a, &paths, lang, true),
        Sub::DefaultConfig => {
            print!("{}", mamori_integrity::rules::DEFAULT_CONFIG_TOML);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn say(lang: Lang, t: Text) -> &'static str {
    t.get(lang)
}

fn init(a: InitArgs, paths: &Paths, lang: Lang) -> anyhow::Result<ExitCode> {
    if paths.baseline.exists() && !a.force {
        bail!(
            "{}: ベースラインは既にあります。変更の取り込みは `mamori integrity update --reason …`、作り直しは --force / a baseline already exists: use `update` to take changes in, or --force to start over",
            paths.baseline.display()
        );
    }
    let mut config = match &a.config {
        Some(p) => Config::load(p)?,
        None => Config::builtin(),
    };
    if let Some(h) = &a.hash {
        config.hash = HashAlgo::parse(h)
            .with_context(|| format!("--hash {h:?}: blake3 か sha256 / use blake3 or sha256"))?;
    }
    // Mamori's own files change on every write: never record them, wherever they live.
    for own in [
        &paths.baseline,
        &paths.key,
        &paths.key.with_extension("pub"),
    ] {
        config.exclude_path(&monitor::absolute(own)?);
    }
    config.xattrs |= a.xattrs;
    config.follow_symlinks |= a.follow_symlinks;
    let mut roots = Vec::new();
    for p in &a.paths {
        let abs = monitor::absolute(p)?;
        std::fs::symlink_metadata(&abs)
            .with_context(|| format!("{}: 見つかりません / not found", abs.display()))?;
        roots.push(abs);
    }
    let (key, created) = seal::read_or_create_key(&paths.key)?;
    let host = mamori_integrity::HostFacts::gather().hostname;
    let who = common::who(None);
    let (baseline, issues) = with_progress(!a.no_progress, |progress| {
        let ctx = monitor::Context {
            now: common::now(),
            host: &host,
            who: &who,
            progress,
        };
        monitor::init(&roots, config, &ctx)
    })?;
    baseline.write(&paths.baseline, &key)?;
    for i in &issues {
        eprintln!(
            "! {}: {} ({})",
            escape_controls(&i.path.to_string()),
            i.kind.text().get(lang),
            escape_controls(&i.detail)
        );
    }
    let pubkey = seal::public_key_string(&key.verifying_key());
    match lang {
        Lang::Ja => {
            println!(
                "ベースラインを作りました: {}（{} 件、{}）",
                paths.baseline.display(),
                baseline.entries.len(),
                baseline.config.hash.name()
            );
            if created {
                println!(
                    "署名鍵を作りました: {}（パーミッション 0600）",
                    paths.key.display()
                );
            }
            println!("公開鍵（別の場所にも保管してください）: {pubkey}");
            println!("確認するには: mamori integrity check --public-key {pubkey}");
        }
        Lang::En => {
            println!(
                "Baseline written: {} ({} entries, {})",
                paths.baseline.display(),
                baseline.entries.len(),
                baseline.config.hash.name()
            );
            if created {
                println!("Signing key created: {} (mode 0600)", paths.key.display());
            }
            println!("Public key (keep a copy elsewhere): {pubkey}");
            println!("To check: mamori integrity check --public-key {pubkey}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The key a baseline must be signed by: `--public-key`, else the local key's `.pub` file.
fn trusted_key(flag: Option<&str>, paths: &Paths) -> anyhow::Result<Option<VerifyingKey>> {
    if let Some(f) = flag {
        return common::public_key(f).map(Some);
    }
    let local = paths.key.with_extension("pub");
    Ok(std::fs::read_to_string(&local)
        .ok()
        .and_then(|t| seal::parse_public_key(&t)))
}

enum Loaded {
    Ok(Box<Baseline>, Option<String>),
    Refused(String),
}

fn load(flag: Option<&str>, paths: &Paths) -> anyhow::Result<(Loaded, bool)> {
    let trusted = trusted_key(flag, paths)?;
    if !paths.baseline.exists() {
        bail!(
            "{}: ベースラインがありません。先に `mamori integrity init PATH…` を実行してください / no baseline: run `mamori integrity init PATH…` first",
            paths.baseline.display()
        );
    }
    match Baseline::read(&paths.baseline, trusted.as_ref()) {
        Ok(v) => Ok((
            Loaded::Ok(
                Box::new(v.baseline),
                Some(seal::public_key_string(&v.signer)),
            ),
            trusted.is_some(),
        )),
        Err(e @ mamori_integrity::Error::BadSignature { .. })
        | Err(e @ mamori_integrity::Error::Format { .. }) => {
            Ok((Loaded::Refused(e.to_string()), trusted.is_some()))
        }
        Err(e) => Err(e.into()),
    }
}

fn check(a: CheckArgs, paths: &Paths, lang: Lang) -> anyhow::Result<ExitCode> {
    let host = mamori_integrity::HostFacts::gather().hostname;
    let now = common::now();
    let (loaded, pinned) = load(a.public_key.as_deref(), paths)?;
    let report = match loaded {
        Loaded::Refused(detail) => CheckReport::refused_baseline(
            &paths.baseline.display().to_string(),
            detail,
            mamori_integrity::host::rfc3339(now),
            host,
        ),
        Loaded::Ok(baseline, signer) => {
            let who = common::who(None);
            let (mut report, _) = with_progress(!a.no_progress, |progress| {
                let ctx = monitor::Context {
                    now,
                    host: &host,
                    who: &who,
                    progress,
                };
                monitor::check(&baseline, &ctx)
            })?;
            if let Some(info) = &mut report.baseline {
                info.path = Some(paths.baseline.display().to_string());
                info.signer = signer;
            }
            if !pinned {
                report
                    .warnings
                    .push(mamori_integrity::report::Warning::key_not_pinned());
            }
            report
        }
    };
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Human => print!(
            "{}",
            escape_lines(&report.render_with(lang, &mamori_integrity::host::Accounts::load()))
        ),
    }
    if report.baseline_error.is_some() && matches!(a.format, Format::Json) {
        eprintln!(
            "{}",
            say(
                lang,
                Text::new(
                    "ベースラインの署名が一致しません（改ざんの可能性）",
                    "the baseline's signature does not verify (possible tampering)"
                )
            )
        );
    }
    Ok(check_status(&report))
}

/// The exit status of `check`: 3 for a baseline that failed its signature (it
/// cannot be told apart from "changes found" otherwise), 1 for changes, 0 for none.
fn check_status(report: &CheckReport) -> ExitCode {
    if report.baseline_status == mamori_integrity::report::BaselineStatus::Tampered {
        ExitCode::from(3)
    } else {
        ExitCode::from(u8::from(report.has_findings()))
    }
}

fn accept(a: AcceptArgs, paths: &Paths, lang: Lang, selective: bool) -> anyhow::Result<ExitCode> {
    if selective && a.paths.is_empty() {
        bail!(
            "accept: 取り込むパスを指定してください / give the paths to accept (or use `update`)"
        );
    }
    if !selective && !a.paths.is_empty() {
        bail!(
            "update: パスは指定しません（すべて取り込みます）。一部だけなら `accept` / update takes no paths; use `accept` for some"
        );
    }
    let (loaded, _) = load(a.public_key.as_deref(), paths)?;
    let baseline = match loaded {
        Loaded::Ok(b, _) => *b,
        Loaded::Refused(detail) => bail!(
            "{detail}\n  署名が一致しないベースラインには取り込めません / refusing to update a baseline whose signature fails"
        ),
    };
    let key = seal::read_key(&paths.key)?;
    let host = mamori_integrity::HostFacts::gather().hostname;
    let who = common::who(a.who.as_deref());
    let now = common::now();
    let (report, scan) = with_progress(!a.no_progress, |progress| {
        let ctx = monitor::Context {
            now,
            host: &host,
            who: &who,
            progress,
        };
        monitor::check(&baseline, &ctx)
    })?;
    let only: Option<Vec<PathBuf>> = if selective {
        Some(
            a.paths
                .iter()
                .map(|p| monitor::absolute(p))
                .collect::<Result<_, _>>()?,
        )
    } else {
        None
    };
    let ctx = monitor::Context {
        now,
        host: &host,
        who: &who,
        progress: None,
    };
    let (next, taken) = monitor::accept(&baseline, &report, scan, only.as_deref(), &a.reason, &ctx);
    next.write(&paths.baseline, &key)?;
    for p in &taken {
        println!("  {}", escape_controls(&p.to_string()));
    }
    match lang {
        Lang::Ja => println!(
            "{} 件の変更をベースラインに取り込みました（{}、理由: {}）",
            taken.len(),
            who,
            a.reason
        ),
        Lang::En => println!(
            "Took {} change(s) into the baseline ({}, reason: {})",
            taken.len(),
            who,
            a.reason
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `f` with a spinner on a terminal (unless `enabled` is false), handing it the
/// progress callback for `monitor::Context`, and clears the spinner afterwards.
fn with_progress<R>(enabled: bool, f: impl FnOnce(Option<&(dyn Fn(u64) + Sync)>) -> R) -> R {
    let pb = common::progress(enabled, "");
    let tick = |_: u64| {
        if let Some(pb) = &pb {
            pb.inc(1);
        }
    };
    let r = f(Some(&tick));
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    r
}

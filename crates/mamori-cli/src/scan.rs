//! `mamori scan`: find unauthorized access in server logs.

use anyhow::{Context, bail};
use mamori_core::{Lang, escape_controls};
use mamori_detect::report::{html, json, text};
use mamori_detect::{Config, Format, Input, ScanOptions, scan};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Arguments of `mamori scan`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 = nothing found, 1 = findings, 2 = error.\n\
終了コード: 0 = 検出なし、1 = 検出あり、2 = エラー"
)]
pub struct Args {
    /// Log files, directories (read recursively) or `-` for standard input; `.gz` is
    /// decompressed. ログファイル、ディレクトリ、または標準入力（-）
    #[arg(required_unless_present = "list_rules")]
    pub inputs: Vec<PathBuf>,
    /// Output: `text` (summary for people) or `json` (schema: schemas/scan-findings.schema.json).
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Also write every recognised event as JSON Lines, to FILE or (without FILE) to
    /// standard output instead of the summary.
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true, default_missing_value = "-")]
    pub events: Option<PathBuf>,
    /// Write a self-contained HTML report with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// TOML configuration: login endpoints, thresholds, JSON field names (docs/scan-config.md).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Force the log format instead of detecting it per file: clf (combined, common,
    /// nginx, apache, traefik), json, ltsv, w3c (IIS, CloudFront), syslog (auth.log,
    /// secure, journal, haproxy, mail.log, dovecot, exim, vsftpd, proftpd, webmin),
    /// apache-error, nginx-error.
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<String>,
    /// UTC offset of timestamps that lack one (BSD syslog, error logs), e.g. `+09:00`.
    /// Default: this machine's offset.
    #[arg(long, value_name = "OFFSET")]
    pub timezone: Option<String>,
    /// Parser threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Output language: `ja` (default) or `en`; otherwise taken from LANG.
    #[arg(long)]
    pub lang: Option<String>,
    /// Do not show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// List the detection rules and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Also evaluate requests with the OWASP Core Rule Set from DIR (CRS 3.3/4.x
    /// rules directory). Default: on when Debian's `modsecurity-crs` is installed
    /// (/usr/share/modsecurity-crs/rules). OWASP CRS を使う（既定: インストール済みなら使う）
    #[arg(long, value_name = "DIR", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    pub crs: Option<PathBuf>,
    /// Do not use the OWASP Core Rule Set. CRS を使わない
    #[arg(long, conflicts_with = "crs")]
    pub no_crs: bool,
    /// CRS paranoia level 1–4 (default 1: fewest false positives). CRS のパラノイアレベル
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=4))]
    pub paranoia: Option<u8>,
}

/// Loads the OWASP CRS the arguments ask for: `--crs=DIR`, `--crs` (the installed
/// one, which must exist), nothing (the installed one if any), `--no-crs`.
fn load_crs(args: &Args) -> anyhow::Result<Option<mamori_detect::config::Crs>> {
    if args.no_crs {
        return Ok(None);
    }
    let explicit = args.crs.is_some();
    let dir = match args.crs.as_deref() {
        Some(d) if !d.as_os_str().is_empty() => Some(d.to_path_buf()),
        _ => mamori_crs::default_dir(),
    };
    let Some(dir) = dir else {
        if explicit {
            bail!(
                "OWASP CRS が見つかりません: modsecurity-crs パッケージを入れるか --crs=DIR で指定してください / \
                 OWASP CRS not found: install the modsecurity-crs package or give --crs=DIR"
            );
        }
        return Ok(None);
    };
    let pl = args.paranoia.unwrap_or(1);
    let set = match mamori_crs::RuleSet::load_dir(&dir, pl) {
        Ok(set) => set,
        Err(e) if explicit => return Err(e).context("--crs"),
        Err(e) => {
            eprintln!("CRS を使いません / not using CRS: {e}");
            return Ok(None);
        }
    };
    let st = set.stats();
    let ver = set.version().unwrap_or("?");
    eprintln!(
        "CRS {ver}: {} ルール読込（{} 件スキップ）、パラノイアレベル {pl} / {} rules loaded ({} skipped), paranoia level {pl}",
        st.loaded, st.skipped, st.loaded, st.skipped
    );
    Ok(Some(mamori_detect::config::Crs(Arc::new(set))))
}

fn parse_offset(s: &str) -> anyhow::Result<i64> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return Ok(0);
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => bail!("invalid UTC offset {s:?}: write it like +09:00 or -05:00"),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i64, i64) = (
        h.parse()
            .with_context(|| format!("invalid UTC offset {s:?}"))?,
        m.parse()
            .with_context(|| format!("invalid UTC offset {s:?}"))?,
    );
    if h > 23 || m > 59 {
        bail!("invalid UTC offset {s:?}");
    }
    Ok(sign * (h * 3600 + m * 60))
}

/// Expands directories into the files below them (sorted), keeping explicit files.
fn expand(inputs: &[PathBuf]) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.as_os_str() == "-" {
            out.push((p.clone(), true));
            continue;
        }
        // An explicit file that cannot be read is reported by the scan, which goes on.
        let is_dir = std::fs::metadata(p).is_ok_and(|m| m.is_dir());
        if is_dir {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot list {}", dir.display()))?;
                for e in entries.flatten() {
                    let path = e.path();
                    match e.file_type() {
                        Ok(t) if t.is_dir() => stack.push(path),
                        Ok(t) if t.is_file() => found.push(path),
                        _ => {}
                    }
                }
            }
            found.sort();
            out.extend(found.into_iter().map(|f| (f, false)));
        } else {
            out.push((p.clone(), true));
        }
    }
    Ok(out)
}

fn input_for(path: &Path) -> Input {
    if path.as_os_str() == "-" {
        return Input {
            name: "-".into(),
            open: Box::new(|| Ok(Box::new(std::io::stdin()))),
            mtime: None,
        };
    }
    let mtime = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    let p = path.to_path_buf();
    Input {
        name: path.display().to_string(),
        open: Box::new(move || Ok(Box::new(std::fs::File::open(&p)?))),
        mtime,
    }
}

fn list_rules(lang: Lang) -> ExitCode {
    for m in mamori_detect::rules::catalog() {
        println!(
            "{:<9} {:<24} {:<8} {:<28} {}",
            m.id,
            m.name,
            m.severity.label(lang),
            m.category.label(lang),
            m.title.get(lang)
        );
    }
    ExitCode::SUCCESS
}

/// Runs the scan.
pub fn run(args: Args, local_offset: i64) -> anyhow::Result<ExitCode> {
    let lang = crate::lang::resolve(args.lang.as_deref())?;
    if args.list_rules {
        return Ok(list_rules(lang));
    }
    let config = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Config::from_toml(&text).with_context(|| format!("in {}", p.display()))?
        }
        None => Config::default(),
    };
    let mut config = config;
    config.crs = load_crs(&args)?;
    let format = match &args.log_format {
        Some(f) => Some(Format::from_name(f).with_context(|| {
            format!("unknown --log-format {f:?} (clf, json, ltsv, w3c, syslog, apache-error, nginx-error)")
        })?),
        None => None,
    };
    let utc_offset_secs = match args.timezone.as_deref().or(config.timezone.as_deref()) {
        Some(tz) => parse_offset(tz)?,
        None => local_offset,
    };
    let files = expand(&args.inputs)?;
    let explicit: Vec<bool> = files.iter().map(|f| f.1).collect();
    let total: u64 = files
        .iter()
        .filter_map(|(p, _)| std::fs::metadata(p).ok().map(|m| m.len()))
        .sum();
    let inputs: Vec<Input> = files.iter().map(|(p, _)| input_for(p)).collect();
    let progress = Arc::new(AtomicU64::new(0));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let opts = ScanOptions {
        config,
        format,
        threads,
        now: crate::common::now().unix_timestamp(),
        utc_offset_secs,
        progress: Some(progress.clone()),
        ..ScanOptions::default()
    };

    let show_bar = !args.no_progress && std::io::stderr().is_terminal() && total > 0;
    let done = Arc::new(AtomicBool::new(false));
    let bar_thread = show_bar.then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let (p, d) = (progress.clone(), done.clone());
        std::thread::spawn(move || {
            while !d.load(Ordering::Relaxed) {
                bar.set_position(p.load(Ordering::Relaxed));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            bar.finish_and_clear();
        })
    });

    let events_to_stdout = args.events.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut events_out: Option<Box<dyn Write>> = match &args.events {
        None => None,
        Some(p) if p.as_os_str() == "-" => {
            Some(Box::new(std::io::BufWriter::new(std::io::stdout().lock())))
        }
        Some(p) => Some(Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ))),
    };
    let mut write_error = None;
    let report = scan(inputs, &opts, &mut |ev, file| {
        if let Some(w) = events_out.as_mut()
            && write_error.is_none()
            && let Err(e) = writeln!(w, "{}", json::event_line(ev, file))
        {
            write_error = Some(e);
        }
    });
    done.store(true, Ordering::Relaxed);
    if let Some(t) = bar_thread {
        let _ = t.join();
    }
    let report = report?;
    if let Some(mut w) = events_out {
        w.flush().context("cannot write events")?;
    }
    if let Some(e) = write_error
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e).context("cannot write events");
    }
    if let Some(p) = &args.html {
        std::fs::write(p, html::render(&report, lang))
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    if !events_to_stdout {
        let out = if args.format == "json" {
            let mut s = serde_json::to_string_pretty(&json::document(&report))?;
            s.push('\n');
            s
        } else {
            text::render(&report, lang)
        };
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            return Err(e).context("cannot write the report");
        }
    }
    for f in report
        .files
        .iter()
        .zip(&explicit)
        .filter(|(f, e)| f.error.is_some() && (**e || !f.unrecognised))
    {
        eprintln!(
            "warning: {}: {}",
            escape_controls(&f.0.name),
            escape_controls(f.0.error.as_deref().unwrap_or_default())
        );
    }
    let failed = report
        .files
        .iter()
        .zip(&explicit)
        .any(|(f, explicit)| f.error.is_some() && (*explicit || !f.unrecognised));
    Ok(if failed {
        ExitCode::from(2)
    } else if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+09:00").unwrap(), 9 * 3600);
        assert!(parse_offset("-0530").is_err());
        assert_eq!(parse_offset("-05:30").unwrap(), -(5 * 3600 + 30 * 60));
        assert_eq!(parse_offset("UTC").unwrap(), 0);
        assert!(parse_offset("9").is_err());
    }
}

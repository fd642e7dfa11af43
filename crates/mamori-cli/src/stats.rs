//! `mamori import cases|external` and `mamori stats yearly|links|link|effect`: the
//! statistics from the console (the operator holds the database, so the console may
//! import and review; every action is audited as `console`).

use crate::platform::DbArgs;
use crate::platform_admin::friendly;
use anyhow::Context as _;
use mamori_core::Lang;
use mamori_core::stats::dedup::LinkStatus;
use mamori_core::stats::{Dim, Format, Measure, Unit, anonymize, render};
use mamori_service::authz::Caller;
use mamori_service::stats::LinkDecision;
use std::path::PathBuf;
use std::process::ExitCode;

/// `mamori import …`.
#[derive(Debug, clap::Subcommand)]
pub enum Import {
    /// 事案単位の統計データを取り込む（JSON Lines または CSV。docs/stats-import.md）/ import case-level records (JSON Lines or CSV; docs/stats-import.md)
    Cases {
        #[command(flatten)]
        db: DbArgs,
        /// 取り込むファイル / the file
        file: PathBuf,
        /// 形式 / format: auto, jsonl, csv
        #[arg(long, default_value = "auto")]
        format: String,
        /// 誤りのある行を除いて取り込む（既定: 1行でも誤りがあれば何も取り込まない）/ load the good rows even if some are rejected (default: nothing from a bad file)
        #[arg(long)]
        partial: bool,
        /// 表示言語 / language (ja, en)
        #[arg(long)]
        lang: Option<String>,
    },
    /// 他機関の公表値を取り込む（CSV: source,unit,category,year,quarter,count）/ import other organizations' published figures
    External {
        #[command(flatten)]
        db: DbArgs,
        /// 取り込むファイル / the file
        file: PathBuf,
        /// 表示言語 / language (ja, en)
        #[arg(long)]
        lang: Option<String>,
    },
}

/// `mamori stats …`.
#[derive(Debug, clap::Subcommand)]
pub enum Stats {
    /// 年次報告（不正アクセス禁止法第7条の公表）/ the yearly report (Act Art. 7)
    Yearly {
        #[command(flatten)]
        db: DbArgs,
        /// 年（西暦）/ year
        #[arg(long)]
        year: i32,
        /// 出力形式 / text, json, csv, html
        #[arg(long, default_value = "text")]
        format: String,
        /// k 匿名性の k（既定 3）/ k of the k-anonymity (default 3)
        #[arg(long, default_value_t = anonymize::DEFAULT_K)]
        k: u64,
        /// CSV で一つの区分だけ / CSV: one dimension only (method, motive, …)
        #[arg(long)]
        table: Option<String>,
        /// 表示言語 / language (ja, en)
        #[arg(long)]
        lang: Option<String>,
    },
    /// 重複候補（事案の統合）の一覧 / de-duplication links
    Links {
        #[command(flatten)]
        db: DbArgs,
        /// 状態で絞る / status: auto, proposed, confirmed, rejected, undone
        #[arg(long)]
        status: Option<String>,
    },
    /// 重複候補を判断する / decide a link: confirm, reject, undo
    Link {
        #[command(flatten)]
        db: DbArgs,
        /// confirm, reject, undo
        decision: String,
        /// 記録 ID / record id
        a: String,
        /// 記録 ID / record id
        b: String,
    },
    /// 対策の効果（開始月の前後の推移）/ a measure's effect (trend before and after its start)
    Effect {
        #[command(flatten)]
        db: DbArgs,
        /// 対策名 / name of the measure
        #[arg(long)]
        name: String,
        /// 開始月 YYYY-MM / first month
        #[arg(long)]
        start: String,
        /// 区分 / dimension (method, motive, after, …)
        #[arg(long)]
        dim: String,
        /// 対象の値（カンマ区切り）/ targeted codes, comma-separated
        #[arg(long)]
        values: String,
        /// 単位 / unit (incidents, reports, recognized, cleared)
        #[arg(long, default_value = "incidents")]
        unit: String,
        /// 前後の月数 / months each side
        #[arg(long, default_value_t = 6)]
        months: u8,
        /// 表示言語 / language (ja, en)
        #[arg(long)]
        lang: Option<String>,
    },
}

fn read(file: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
}

/// Runs `mamori import`.
pub fn import(cmd: Import) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        match cmd {
            Import::Cases { db, file, format, partial, lang } => {
                let lang = crate::lang::resolve(lang.as_deref())?;
                let input = read(&file)?;
                let format = match format.as_str() {
                    "auto" => match file.extension().and_then(|e| e.to_str()) {
                        Some("csv") => Format::Csv,
                        Some("jsonl" | "ndjson") => Format::JsonLines,
                        _ => Format::sniff(&input),
                    },
                    "jsonl" | "json" => Format::JsonLines,
                    "csv" => Format::Csv,
                    other => anyhow::bail!("unknown --format {other:?} (auto, jsonl, csv)"),
                };
                let (svc, _) = db.services().await?;
                let out = svc
                    .import_stat_records(Caller::Console, &input, format, partial)
                    .await
                    .map_err(friendly)?;
                for e in &out.rejected {
                    eprintln!("{}: {}", file.display(), e.message(lang));
                }
                let ja = lang == Lang::Ja;
                if !out.rejected.is_empty() && !partial {
                    eprintln!(
                        "{}",
                        if ja {
                            format!("{}行に誤りがあるため、何も取り込みませんでした（誤りのない行だけ取り込むには --partial）。", out.rejected.len())
                        } else {
                            format!("{} rows rejected, so nothing was imported (--partial loads the good rows).", out.rejected.len())
                        }
                    );
                    return Ok(ExitCode::from(1));
                }
                println!(
                    "{}",
                    if ja {
                        format!(
                            "{}件を取り込みました（除外 {}行）。重複の統合: 自動 {}組、確認待ち {}組（mamori stats links --status proposed）。",
                            render::count(out.imported),
                            out.rejected.len(),
                            out.links_auto,
                            out.links_proposed
                        )
                    } else {
                        format!(
                            "imported {} records ({} rows rejected); links: {} merged automatically, {} waiting for review (mamori stats links --status proposed)",
                            render::count(out.imported),
                            out.rejected.len(),
                            out.links_auto,
                            out.links_proposed
                        )
                    }
                );
                Ok(if out.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
            }
            Import::External { db, file, lang } => {
                let lang = crate::lang::resolve(lang.as_deref())?;
                let input = read(&file)?;
                let (svc, _) = db.services().await?;
                let (n, errors) = svc.import_external_counts(Caller::Console, &input).await.map_err(friendly)?;
                for e in &errors {
                    eprintln!("{}: {}", file.display(), e.message(lang));
                }
                if !errors.is_empty() {
                    return Ok(ExitCode::from(1));
                }
                println!("{n} / {}", if lang == Lang::Ja { "件の公表値を取り込みました" } else { "published figures imported" });
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// Runs `mamori stats`.
pub fn stats(cmd: Stats) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        match cmd {
            Stats::Yearly {
                db,
                year,
                format,
                k,
                table,
                lang,
            } => {
                let lang = crate::lang::resolve(lang.as_deref())?;
                let only = match table.as_deref() {
                    None => None,
                    Some(t) => {
                        Some(Dim::parse(t).with_context(|| format!("unknown --table {t:?}"))?)
                    }
                };
                let (svc, _) = db.services().await?;
                let r = svc
                    .yearly_report(Caller::Console, year, k)
                    .await
                    .map_err(friendly)?;
                match format.as_str() {
                    "text" => print!("{}", render::text(&r, lang)),
                    "json" => println!("{}", serde_json::to_string_pretty(&r)?),
                    "csv" => print!("{}", render::csv(&r, lang, only)),
                    "html" => print!("{}", mamori_web::stats_pages::document(&r, lang)),
                    other => anyhow::bail!("unknown --format {other:?} (text, json, csv, html)"),
                }
                Ok(ExitCode::SUCCESS)
            }
            Stats::Links { db, status } => {
                let status = match status.as_deref() {
                    None => None,
                    Some(s) => Some(
                        LinkStatus::parse(s).with_context(|| format!("unknown --status {s:?}"))?,
                    ),
                };
                let (svc, _) = db.services().await?;
                for l in svc
                    .stat_links(Caller::Console, status)
                    .await
                    .map_err(friendly)?
                {
                    println!(
                        "{}\t{}\t{}\t{}",
                        l.link.a,
                        l.link.b,
                        l.link.reason.code(),
                        l.status.code()
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            Stats::Link { db, decision, a, b } => {
                let d = LinkDecision::parse(&decision).with_context(|| {
                    format!("unknown decision {decision:?} (confirm, reject, undo)")
                })?;
                let (svc, _) = db.services().await?;
                svc.decide_stat_link(Caller::Console, &a, &b, d)
                    .await
                    .map_err(friendly)?;
                println!("{a}\t{b}\t{decision}");
                Ok(ExitCode::SUCCESS)
            }
            Stats::Effect {
                db,
                name,
                start,
                dim,
                values,
                unit,
                months,
                lang,
            } => {
                let lang = crate::lang::resolve(lang.as_deref())?;
                let (y, m) = start
                    .split_once('-')
                    .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u8>().ok()?)))
                    .with_context(|| format!("--start {start:?} is not YYYY-MM"))?;
                let measure = Measure {
                    name,
                    start: (y, m),
                    dim: Dim::parse(&dim).with_context(|| format!("unknown --dim {dim:?}"))?,
                    values: values
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    unit: Unit::parse(&unit).with_context(|| format!("unknown --unit {unit:?}"))?,
                };
                let (svc, _) = db.services().await?;
                let e = svc
                    .measure_effect(Caller::Console, &measure, months, anonymize::DEFAULT_K)
                    .await
                    .map_err(friendly)?;
                let ja = lang == Lang::Ja;
                println!(
                    "{} ({} {}-{:02})",
                    e.measure.name,
                    if ja { "開始" } else { "from" },
                    y,
                    m
                );
                for p in &e.trend {
                    println!(
                        "  {}-{:02} {} {}",
                        p.year,
                        p.month,
                        if p.after { "after " } else { "before" },
                        render::opt(p.count)
                    );
                }
                println!(
                    "{}: {:.1} → {:.1}{}",
                    if ja { "月平均" } else { "monthly mean" },
                    e.mean_before,
                    e.mean_after,
                    e.relative_change
                        .map(|c| format!(" ({:+.0}%)", c * 100.0))
                        .unwrap_or_default()
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

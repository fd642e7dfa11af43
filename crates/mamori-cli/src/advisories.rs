//! `mamori advisories export --format csaf|cve --out DIR`: writes every published
//! advisory (issue 12) as CSAF 2.0 (`<id>.ja.json` and `<id>.en.json`) or as CVE JSON 5.1
//! records (`<CVE-id>.json`), the same documents `/advisories/{id}/csaf.json` and
//! `/advisories/{id}/cve.json` serve.

use crate::platform::DbArgs;
use crate::platform_admin::friendly;
use mamori_core::Lang;
use std::process::ExitCode;

/// `mamori advisories …`.
#[derive(Debug, clap::Subcommand)]
pub enum Advisories {
    /// 公表済みの脆弱性情報を書き出す / write every published advisory
    Export(Export),
}

/// The output format.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// CSAF 2.0 csaf_security_advisory (Japanese and English)
    Csaf,
    /// CVE JSON 5.1 records
    Cve,
}

/// `mamori advisories export` arguments.
#[derive(Debug, clap::Args)]
pub struct Export {
    #[command(flatten)]
    db: DbArgs,
    /// 形式 / format
    #[arg(long, value_enum)]
    format: Format,
    /// 書き出し先 / output directory
    #[arg(long)]
    out: std::path::PathBuf,
}

/// A file name from an advisory id (`JVNVU#90000001` → `JVNVU-90000001`).
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Runs a `mamori advisories` subcommand.
pub fn run(cmd: Advisories) -> anyhow::Result<ExitCode> {
    match cmd {
        Advisories::Export(a) => crate::platform::runtime()?.block_on(async {
            let (svc, _) = a.db.services().await?;
            std::fs::create_dir_all(&a.out)?;
            let mut written = 0;
            for (_, adv) in svc.public_advisories().await.map_err(friendly)? {
                match a.format {
                    Format::Csaf => {
                        for (lang, tag) in [(Lang::Ja, "ja"), (Lang::En, "en")] {
                            let doc = svc.advisory_csaf(&adv, lang);
                            let path = a
                                .out
                                .join(format!("{}.{tag}.json", file_stem(&adv.text.id)));
                            std::fs::write(&path, serde_json::to_string_pretty(&doc)?)?;
                            written += 1;
                        }
                    }
                    Format::Cve => {
                        for (id, rec) in svc.advisory_cves(&adv) {
                            let path = a.out.join(format!("{}.json", file_stem(&id)));
                            std::fs::write(&path, serde_json::to_string_pretty(&rec)?)?;
                            written += 1;
                        }
                    }
                }
            }
            println!(
                "書き出したファイル / files written: {written} ({})",
                a.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }),
    }
}

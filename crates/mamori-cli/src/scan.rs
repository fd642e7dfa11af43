//! `mamori scan`: find unauthorized access in server logs.

use std::process::ExitCode;

/// Arguments of `mamori scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Log files, directories or `-` for standard input.
    pub inputs: Vec<std::path::PathBuf>,
    /// Output language: `ja` (default) or `en`.
    #[arg(long)]
    pub lang: Option<String>,
}

/// Runs the scan.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _lang = crate::lang::resolve(args.lang.as_deref())?;
    anyhow::bail!("mamori scan is being built")
}

//! `mamori evidence`: sealed evidence bundles.

use std::process::ExitCode;

/// Arguments of `mamori evidence`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `mamori evidence`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}

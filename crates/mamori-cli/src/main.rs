//! `mamori`: the command-line entry point.
//!
//! Each subcommand lives in its own module and only parses arguments, calls one
//! library crate and renders the result. Errors reach [`report_error`], which prints
//! `error:` / `caused by:` / `hint:` lines and exits with status 2.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod common;
mod evidence;
mod guard;
mod integrity;
mod lang;
mod scan;

/// 守り Mamori — 不正アクセス対策ツール / tools against unauthorized access.
#[derive(Debug, Parser)]
#[command(name = "mamori", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// ログから不正アクセスを見つける / find unauthorized access in server logs
    Scan(scan::Args),
    /// ログイン保護: パスワード検査・ハッシュ・業種別ガイド / login protection: password check, hash, sector guide
    Guard(guard::Args),
    /// ファイルの改ざんを検知する / detect tampering with files and sites
    Integrity(integrity::Args),
    /// 証拠をそのままの形で保全する / keep evidence as it was (sealed bundles)
    Evidence(evidence::Args),
}

fn main() -> ExitCode {
    // The local UTC offset can only be read safely while the process has one thread.
    let local_offset =
        time::UtcOffset::current_local_offset().map_or(0, |o| i64::from(o.whole_seconds()));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan::run(args, local_offset),
        Command::Guard(args) => guard::run(args),
        Command::Integrity(args) => integrity::run(args),
        Command::Evidence(args) => evidence::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => report_error(&err),
    }
}

/// Prints an error chain the way a user can act on it and returns exit status 2.
fn report_error(err: &anyhow::Error) -> ExitCode {
    eprintln!("error: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    ExitCode::from(2)
}

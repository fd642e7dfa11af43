//! `mamori`: the command-line entry point.
//!
//! Each subcommand lives in its own module and only parses arguments, calls one
//! library crate and renders the result. Errors reach [`report_error`], which prints
//! `error:` / `caused by:` / `hint:` lines and exits with status 2.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod advisories;
mod audit_report;
mod common;
mod datalock;
mod demo;
mod demo_portal;
mod demo_vuln;
mod evidence;
mod guard;
mod integrity;
mod lang;
mod platform;
mod platform_admin;
mod portal;
mod report;
mod scan;
mod serve;
mod stats;
mod vuln;

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
    /// 不正アクセス対策プラットフォームを起動 / run the platform (web UI and API)
    Serve(serve::Args),
    /// 組織の管理 / manage organizations
    #[command(subcommand)]
    Orgs(platform_admin::Orgs),
    /// 利用者の管理 / manage people
    #[command(subcommand)]
    Users(platform_admin::Users),
    /// APIトークン / API tokens
    #[command(subcommand)]
    Tokens(platform_admin::Tokens),
    /// 監査ログ / audit log
    #[command(subcommand)]
    Audit(platform_admin::Audit),
    /// データのバックアップ（SQLite）/ back up the data (SQLite)
    Backup(platform_admin::Backup),
    /// バックアップから復元（SQLite。serve 実行中は拒否）/ restore a backup (SQLite; refused while serve runs)
    Restore(platform_admin::Restore),
    /// デモ用のデータを作成 / fill a demo world to explore
    Demo(demo::Args),
    /// 届出: スキャン結果を下書きとしてサーバへ / reports: send a scan result to the server as a draft
    Report(report::Args),
    /// 統計データの取り込み / import statistical records and other organizations' figures
    #[command(subcommand)]
    Import(stats::Import),
    /// 統計・年次報告 / statistics: the yearly report, de-duplication review, effectiveness
    #[command(subcommand)]
    Stats(stats::Stats),
    /// 公開ポータル: 掲載資料のリンク確認 / the public portal: check the listed links
    #[command(subcommand)]
    Portal(portal::Portal),
    /// 脆弱性情報: 公表済みの CSAF / CVE を書き出す / vulnerability advisories: export CSAF or CVE
    #[command(subcommand)]
    Advisories(advisories::Advisories),
    /// 脆弱性関連情報の取扱い: お知らせと期限通知のダイジェスト / vulnerability cases: digests of notices and reminders
    #[command(subcommand)]
    Vuln(vuln::Vuln),
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
        Command::Serve(args) => serve::run(args),
        Command::Orgs(c) => platform_admin::orgs(c),
        Command::Users(c) => platform_admin::users(c),
        Command::Tokens(c) => platform_admin::tokens(c),
        Command::Audit(c) => platform_admin::audit(c),
        Command::Backup(a) => platform_admin::backup(a),
        Command::Restore(a) => platform_admin::restore(a),
        Command::Demo(a) => demo::run(a),
        Command::Report(a) => report::run(a),
        Command::Import(c) => stats::import(c),
        Command::Stats(c) => stats::stats(c),
        Command::Portal(c) => portal::run(c),
        Command::Advisories(c) => advisories::run(c),
        Command::Vuln(c) => vuln::run(c),
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

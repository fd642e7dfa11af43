//! `mamori guard`: check a password against the login policy, hash one, or print
//! the security-level guide for a kind of business. Passwords are read from
//! standard input, never from the command line (which other users can see).

use anyhow::Context;
use mamori_core::Lang;
use mamori_guard::advise::{self, Sector};
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// Arguments of `mamori guard`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: GuardCommand,
    /// Output language: `ja` (default) or `en`.
    #[arg(long, global = true)]
    lang: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum GuardCommand {
    /// パスワードを標準入力から読み、使えるか判定する / check a password read from stdin
    CheckPassword {
        /// The login name (the password must not contain it).
        #[arg(long)]
        user: Option<String>,
        /// The account also uses a second factor (minimum 8 instead of 15).
        #[arg(long)]
        with_second_factor: bool,
        /// A directory of HIBP Pwned Passwords range files (`XXXXX` = SHA-1 prefix).
        #[arg(long)]
        breached_dir: Option<std::path::PathBuf>,
    },
    /// パスワードを標準入力から読み、Argon2id の PHC 文字列を出力する / hash stdin to a PHC string
    Hash,
    /// 業種別の推奨設定を表示する / print the security-level guide for a sector
    Advise {
        /// banking, ec, game, sns, intranet, public (all when omitted).
        #[arg(long)]
        sector: Option<String>,
    },
}

/// Reads the password: all of standard input when it is piped, one line when it is
/// a terminal (the prompt goes to standard error).
fn read_password(lang: Lang) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let mut s = String::new();
    if stdin.is_terminal() {
        eprint!(
            "{}",
            match lang {
                Lang::Ja => "パスワード（入力は画面に表示されます）: ",
                Lang::En => "Password (input is shown on screen): ",
            }
        );
        stdin.read_line(&mut s)
    } else {
        stdin.lock().read_to_string(&mut s)
    }
    .context("cannot read the password from standard input")?;
    Ok(mamori_guard::strip_line_ending(&s).to_string())
}

/// Runs `mamori guard`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lang = crate::lang::resolve(args.lang.as_deref())?;
    match args.command {
        GuardCommand::CheckPassword {
            user,
            with_second_factor,
            breached_dir,
        } => {
            let pw = read_password(lang)?;
            let corpus = breached_dir.map(mamori_guard::HibpRangeDir::new);
            let refusal = mamori_guard::check_candidate(
                &pw,
                user.as_deref(),
                with_second_factor,
                corpus
                    .as_ref()
                    .map(|c| c as &dyn mamori_guard::BreachedPasswords),
            )?;
            match refusal {
                None => {
                    println!(
                        "{}",
                        match lang {
                            Lang::Ja => "使用できます。",
                            Lang::En => "acceptable",
                        }
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(r) => {
                    let head = match lang {
                        Lang::Ja => "使用できません",
                        Lang::En => "refused",
                    };
                    println!("{head}: {}", r.message(lang));
                    Ok(ExitCode::from(1))
                }
            }
        }
        GuardCommand::Hash => {
            let pw = read_password(lang)?;
            anyhow::ensure!(!pw.is_empty(), "the password on standard input is empty");
            println!("{}", mamori_guard::hash_default(&pw, None)?);
            Ok(ExitCode::SUCCESS)
        }
        GuardCommand::Advise { sector } => {
            let sectors = match sector {
                Some(s) => vec![Sector::parse(&s).with_context(|| {
                    format!("unknown sector {s:?} (use banking, ec, game, sns, intranet or public)")
                })?],
                None => Sector::ALL.to_vec(),
            };
            for s in sectors {
                println!("{}", advise::advice(s).render(lang));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

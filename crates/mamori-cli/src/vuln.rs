//! `mamori vuln digest`: one sweep of the vulnerability-case digests (issue 12): due
//! reminders are queued once, every person's unsent notices folded into one digest on
//! their home page (`Services::vuln_digest`). `mamori serve` runs the same sweep on a
//! timer. With `--mail-dir`, each digest is also written as an RFC 5322 message
//! (`*.eml`, UTF-8, Japanese first) for the site's mail system to send, e.g.
//! `for m in DIR/*.eml; do sendmail -t < "$m" && rm "$m"; done`; Mamori itself sends no
//! mail.

use crate::platform::DbArgs;
use crate::platform_admin::friendly;
use anyhow::Context;
use mamori_service::vuln_digest::DigestRun;
use mamori_vuln::digest::Digest;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `mamori vuln …`.
#[derive(Debug, clap::Subcommand)]
pub enum Vuln {
    /// 期限の通知と案件のお知らせをまとめて届ける / deliver the digests of case notices and due reminders once
    Digest(DigestArgs),
}

/// `mamori vuln digest` arguments.
#[derive(Debug, clap::Args)]
pub struct DigestArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    mail: MailArgs,
}

/// Where digests are written as mail (shared with `mamori serve`).
#[derive(Debug, Clone, clap::Args)]
pub struct MailArgs {
    /// ダイジェストをメール（.eml）としても書き出すディレクトリ / also write each digest as a mail (.eml) into this directory
    #[arg(long = "mail-dir", env = "MAMORI_MAIL_DIR")]
    pub dir: Option<PathBuf>,
    /// 差出人アドレス / the From address of those mails
    #[arg(
        long = "mail-from",
        env = "MAMORI_MAIL_FROM",
        default_value = "mamori@localhost"
    )]
    pub from: String,
}

/// Runs a `mamori vuln` subcommand.
pub fn run(cmd: Vuln) -> anyhow::Result<ExitCode> {
    match cmd {
        Vuln::Digest(a) => crate::platform::runtime()?.block_on(async {
            let (svc, file) = a.db.services().await?;
            let run = svc.vuln_digest().await.map_err(friendly)?;
            let mails = a.mail.write(&run, &file.base_url())?;
            println!(
                "ダイジェスト {} 通（お知らせ {} 件、新しい期限通知 {} 件、プラットフォーム外の宛先 {} 件）/ {} digests ({} lines, {} new reminders, {} to parties outside the platform){}",
                run.digests.len(),
                run.lines,
                run.reminders_queued,
                run.outside,
                run.digests.len(),
                run.lines,
                run.reminders_queued,
                run.outside,
                a.mail
                    .dir
                    .as_ref()
                    .map_or(String::new(), |d| format!("; {mails} mails in {}", d.display())),
            );
            Ok(ExitCode::SUCCESS)
        }),
    }
}

impl MailArgs {
    /// Writes each digest of `run` as one mail file; returns how many.
    pub fn write(&self, run: &DigestRun, base: &str) -> anyhow::Result<usize> {
        let (Some(dir), Some(now)) = (&self.dir, run.at) else {
            return Ok(0);
        };
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (n, (to, digest)) in run.digests.iter().enumerate() {
            let path = mail_path(dir, now, n, to);
            std::fs::write(&path, message(&self.from, to, digest, base, now)?)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(run.digests.len())
    }
}

fn mail_path(dir: &Path, now: time::OffsetDateTime, n: usize, to: &str) -> PathBuf {
    let who: String = to
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    dir.join(format!("{}-{n:04}-{who}.eml", now.unix_timestamp()))
}

/// One digest as an RFC 5322 message: UTF-8 text in base64, the subject as an RFC 2047
/// encoded word (Japanese first, then English).
fn message(
    from: &str,
    to: &str,
    d: &Digest,
    base: &str,
    now: time::OffsetDateTime,
) -> anyhow::Result<String> {
    for (what, addr) in [("From", from), ("To", to)] {
        anyhow::ensure!(
            !addr.is_empty() && !addr.chars().any(|c| c.is_control() || c == ','),
            "{what} address {addr:?} cannot head a mail"
        );
    }
    let subject = format!(
        "{} / {}",
        d.subject(mamori_core::Lang::Ja),
        d.subject(mamori_core::Lang::En)
    );
    let date = now
        .format(&time::format_description::well_known::Rfc2822)
        .context("formatting the mail date")?;
    let body = data_encoding::BASE64.encode(d.body(base).as_bytes());
    let mut wrapped = String::new();
    for chunk in body.as_bytes().chunks(76) {
        wrapped.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        wrapped.push_str("\r\n");
    }
    Ok(format!(
        "From: {from}\r\nTo: {to}\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}",
        data_encoding::BASE64.encode(subject.as_bytes()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mamori_vuln::Clause;
    use mamori_vuln::digest::{DigestEntry, DigestItem};
    use time::macros::datetime;

    fn digest() -> Digest {
        Digest::new(vec![DigestEntry {
            case: 12,
            at: datetime!(2026-12-01 01:00 UTC),
            item: DigestItem::Notice {
                clause: Clause::SwDiscoverer1,
                what: None,
            },
        }])
    }

    #[test]
    fn a_digest_mail_decodes_to_the_japanese_then_english_text() {
        let m = message(
            "mamori@ipa.example",
            "psirt@acme.example",
            &digest(),
            "https://mamori.example",
            datetime!(2026-12-06 05:00 UTC),
        )
        .unwrap();
        let (head, body) = m.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("To: psirt@acme.example\r\n"));
        assert!(head.contains("Date: Sun, 06 Dec 2026 05:00:00 +0000"));
        let subject = head
            .lines()
            .find_map(|l| l.strip_prefix("Subject: =?UTF-8?B?"))
            .and_then(|s| s.strip_suffix("?="))
            .unwrap();
        let subject =
            String::from_utf8(data_encoding::BASE64.decode(subject.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            subject,
            "脆弱性関連情報の取扱い: 1 件の案件に 1 件のお知らせ / Vulnerability handling: 1 notice on 1 case"
        );
        let text: String = body.split("\r\n").collect();
        let text =
            String::from_utf8(data_encoding::BASE64.decode(text.as_bytes()).unwrap()).unwrap();
        assert!(text.starts_with("脆弱性関連情報の取扱い"), "{text}");
        assert!(
            text.contains("案件 #12 <https://mamori.example/vuln/12>"),
            "{text}"
        );
        assert!(body.split("\r\n").all(|l| l.len() <= 76));
    }

    #[test]
    fn an_address_with_a_line_break_is_refused() {
        let e = message(
            "mamori@ipa.example",
            "x@example.jp\r\nBcc: all@example.jp",
            &digest(),
            "https://mamori.example",
            datetime!(2026-12-06 05:00 UTC),
        )
        .unwrap_err();
        assert!(e.to_string().contains("To address"), "{e}");
    }
}

//! `mamori demo`: a realistic demo world to explore — the NPA and prefectural
//! police units, IPA, JPCERT/CC, reporting companies, and one person in every
//! role, each with a demo password printed once; and reports in every state
//! (`demo_reports`), some referred between bodies.

use crate::platform::DbArgs;
use crate::platform_admin::friendly;
use anyhow::bail;
use mamori_service::SecureRandom;
use mamori_service::authz::Caller;
use std::process::ExitCode;

/// `mamori demo` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
}

const WORDS: &[&str] = &[
    "kawa", "yama", "umi", "sora", "hoshi", "tsuki", "kaze", "mori", "yuki", "ame", "kumo", "ishi",
    "taki", "nami", "shima", "michi", "tori", "kame", "kitsune", "tanuki", "sugi", "matsu",
];

fn passphrase() -> String {
    let mut b = [0u8; 5];
    mamori_guard::OsRandom.fill(&mut b);
    let words: Vec<&str> = b
        .iter()
        .map(|x| WORDS[usize::from(*x) % WORDS.len()])
        .collect();
    format!("{}-{}", words.join("-"), u16::from(b[0]) * 7 % 100)
}

/// Sets a random passphrase the policy accepts (a word may clash with the
/// person's name or address; then another is drawn).
async fn set_demo_password(svc: &mamori_service::Services, email: &str) -> anyhow::Result<String> {
    let mut last = None;
    for _ in 0..20 {
        let pw = passphrase();
        match svc.set_password_as_console(email, &pw).await {
            Ok(()) => return Ok(pw),
            Err(e @ mamori_service::ServiceError::PasswordRefused(_)) => last = Some(e),
            Err(e) => return Err(friendly(e)),
        }
    }
    Err(friendly(last.unwrap_or(
        mamori_service::ServiceError::Internal("no password".into()),
    )))
}

/// Fills an empty data directory.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    crate::platform::runtime()?.block_on(async {
        let (svc, file) = args.db.services().await?;
        if svc.bootstrap("admin@mamori.localhost").await?.is_none() {
            bail!(
                "{} already holds data; `mamori demo` fills only a new data directory",
                args.db.data_dir.display()
            );
        }
        let c = Caller::Console;
        let npa = svc
            .create_org(c, "警察庁", "police", None)
            .await
            .map_err(friendly)?;
        let tokyo = svc
            .create_org(c, "警視庁", "police_prefectural", Some(npa.id))
            .await
            .map_err(friendly)?;
        let osaka = svc
            .create_org(c, "大阪府警察", "police_prefectural", Some(npa.id))
            .await
            .map_err(friendly)?;
        let ipa = svc
            .create_org(c, "独立行政法人情報処理推進機構（IPA）", "ipa", None)
            .await
            .map_err(friendly)?;
        let jpcert = svc
            .create_org(c, "JPCERT/CC", "jpcert_cc", None)
            .await
            .map_err(friendly)?;
        let sakura = svc
            .create_org(c, "株式会社さくらネット", "access_administrator", None)
            .await
            .map_err(friendly)?;
        let momiji = svc
            .create_org(
                c,
                "もみじ商店（オンラインショップ）",
                "website_operator",
                None,
            )
            .await
            .map_err(friendly)?;
        let hinoki = svc
            .create_org(c, "ひのきソフト株式会社", "product_developer", None)
            .await
            .map_err(friendly)?;
        let indiv = svc
            .create_org(c, "個人の届出者", "individual", None)
            .await
            .map_err(friendly)?;
        let people = [
            (
                npa.id,
                "npa.supervisor@police.example.jp",
                "警察庁 監督者 高橋",
                "body_supervisor",
            ),
            (
                tokyo.id,
                "tokyo.supervisor@police.example.jp",
                "警視庁 監督者 伊藤",
                "body_supervisor",
            ),
            (
                tokyo.id,
                "tokyo.staff@police.example.jp",
                "警視庁 担当 渡辺",
                "body_staff",
            ),
            (
                osaka.id,
                "osaka.staff@police.example.jp",
                "大阪府警 担当 中村",
                "body_staff",
            ),
            (
                ipa.id,
                "coordinator@ipa.example.jp",
                "IPA 調整担当 小林",
                "coordinator",
            ),
            (
                ipa.id,
                "staff@ipa.example.jp",
                "IPA 届出受付 斎藤",
                "body_staff",
            ),
            (
                ipa.id,
                "supervisor@ipa.example.jp",
                "IPA 届出受付責任者 清水",
                "body_supervisor",
            ),
            (
                jpcert.id,
                "staff@jpcert.example.jp",
                "JPCERT/CC インシデント対応 山口",
                "body_staff",
            ),
            (
                jpcert.id,
                "coordinator@jpcert.example.jp",
                "JPCERT/CC 調整担当 加藤",
                "coordinator",
            ),
            (
                sakura.id,
                "security@sakura-net.example.jp",
                "さくらネット 情報セキュリティ担当 山本",
                "reporter",
            ),
            (
                momiji.id,
                "owner@momiji-shop.example.jp",
                "もみじ商店 店主 佐々木",
                "reporter",
            ),
            (
                hinoki.id,
                "psirt@hinoki-soft.example.jp",
                "ひのきソフト PSIRT 松本",
                "developer_contact",
            ),
            (indiv.id, "hanako@example.jp", "山田 花子", "reporter"),
        ];
        println!("デモ用パスワード（この画面でのみ表示）/ demo passwords (shown only now):");
        let admin_pw = set_demo_password(&svc, "admin@mamori.localhost").await?;
        println!("  platform_admin     admin@mamori.localhost  {admin_pw}");
        for (org, email, name, role) in people {
            svc.create_user(c, org, email, name, role)
                .await
                .map_err(friendly)?;
            let pw = set_demo_password(&svc, email).await?;
            println!("  {role:<18} {email}  {pw}");
        }
        let token = crate::demo_reports::fill(&svc, tokyo.id).await?;
        println!("匿名相談の連絡用トークン / contact token of the anonymous consultation: {token}");
        let listen = file.listen.unwrap_or_else(|| "127.0.0.1:8080".into());
        println!(
            "start: mamori serve --data-dir {} (then open http://{listen}/login)",
            args.db.data_dir.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

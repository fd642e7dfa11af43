//! `mamori demo`: a realistic demo world to explore — the NPA and prefectural
//! police units, IPA, JPCERT/CC, reporting companies, and one person in every
//! role, each with a demo password printed once.

use crate::platform::DbArgs;
use crate::platform_admin::friendly;
use anyhow::bail;
use mamori_core::guideline::{Body, closing_checklist};
use mamori_core::intake::Answers;
use mamori_service::SecureRandom;
use mamori_service::authz::{Actor, Caller};
use mamori_service::intake::{DraftInput, SubmitTo};
use mamori_store::{CaseId, ReportId, ReportKind};
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
            (
                ipa.id,
                "intake@ipa.example.jp",
                "IPA 届出受付 鈴木",
                "body_staff",
            ),
            (
                jpcert.id,
                "incident@jpcert.example.jp",
                "JPCERT/CC インシデント対応 木村",
                "body_staff",
            ),
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
        // The portal's two editors sit in the platform operator's organization.
        let platform = svc
            .store()
            .orgs()
            .await?
            .into_iter()
            .find(|o| o.kind == mamori_store::OrgKind::Platform)
            .map(|o| o.id)
            .ok_or_else(|| anyhow::anyhow!("no platform organization"))?;
        for (email, name) in [
            ("editor@mamori.localhost", "ポータル編集 田中"),
            ("editor2@mamori.localhost", "ポータル編集 森"),
        ] {
            svc.create_user(c, platform, email, name, "editor")
                .await
                .map_err(friendly)?;
            let pw = set_demo_password(&svc, email).await?;
            println!("  {:<18} {email}  {pw}", "editor");
        }
        let contact = intake_world(&svc, tokyo.id, osaka.id, jpcert.id).await?;
        crate::demo_portal::portal_world(
            &svc,
            &as_person(&svc, "editor@mamori.localhost").await?,
            &as_person(&svc, "editor2@mamori.localhost").await?,
            &as_person(&svc, "owner@momiji-shop.example.jp").await?,
        )
        .await?;
        crate::demo_vuln::vuln_world(
            &svc,
            hinoki.id,
            as_person(&svc, "hanako@example.jp").await?.user.id,
        )
        .await?;
        println!("匿名相談の連絡番号 / anonymous consultation's contact token: {contact}");
        // Loopback is opened as localhost, where passkeys work too.
        let listen = file.listen.unwrap_or_else(|| "127.0.0.1:8080".into());
        let open = listen.replace("127.0.0.1:", "localhost:");
        println!(
            "start: mamori serve --data-dir {} (then open http://{open}/portal or http://{open}/login)",
            args.db.data_dir.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// The sample logs shipped in `examples/logs/` (a break-in), built into the binary.
const EXAMPLE_LOGS: &[(&str, &[u8])] = &[
    (
        "examples/logs/access.log",
        include_bytes!("../../../examples/logs/access.log"),
    ),
    (
        "examples/logs/auth.log",
        include_bytes!("../../../examples/logs/auth.log"),
    ),
    (
        "examples/logs/error.log",
        include_bytes!("../../../examples/logs/error.log"),
    ),
];

/// `mamori scan --format json examples/logs/`, run in-process: the real scan
/// document a demo report is filed from.
fn example_scan_json(now: i64) -> anyhow::Result<Vec<u8>> {
    use mamori_detect::{Input, ScanOptions, report::json, scan};
    let inputs: Vec<Input> = EXAMPLE_LOGS
        .iter()
        .map(|(name, bytes)| Input {
            name: (*name).to_string(),
            open: Box::new(move || Ok(Box::new(std::io::Cursor::new(*bytes)))),
            mtime: None,
        })
        .collect();
    let opts = ScanOptions {
        now,
        utc_offset_secs: 9 * 3600,
        ..ScanOptions::default()
    };
    let report = scan(inputs, &opts, &mut |_, _| {})?;
    Ok(serde_json::to_vec_pretty(&json::document(&report))?)
}

/// A person of the demo world, signed in through an operator-made API token.
async fn as_person(svc: &mamori_service::Services, email: &str) -> anyhow::Result<Actor> {
    let token = svc
        .create_token_as_operator(email, "demo")
        .await
        .map_err(friendly)?;
    Ok(svc
        .authenticate_token(&token, "demo")
        .await
        .map_err(friendly)?
        .actor)
}

fn answers(list: &[(&str, &[&str])]) -> Answers {
    let mut a = Answers::default();
    for (q, v) in list {
        a.set(q, v.iter().map(|s| (*s).to_string()).collect());
    }
    a
}

/// A draft with these answers, sent to `to`.
async fn file(
    svc: &mamori_service::Services,
    who: &Actor,
    kind: ReportKind,
    title: &str,
    a: Answers,
    to: &[SubmitTo],
) -> anyhow::Result<(ReportId, Vec<mamori_store::Case>)> {
    let input = DraftInput {
        kind: Some(kind),
        title: title.into(),
        answers: a,
    };
    let r = svc.create_draft(who, input).await.map_err(friendly)?;
    let (_, cases) = svc.submit_report(who, r.id, to).await.map_err(friendly)?;
    Ok((r.id, cases))
}

/// Ticks a body's whole closing checklist on a case.
async fn tick_all(
    svc: &mamori_service::Services,
    who: &Actor,
    case: CaseId,
    body: Body,
) -> anyhow::Result<()> {
    for item in closing_checklist(body) {
        svc.tick_checklist(who, case, item.id, true)
            .await
            .map_err(friendly)?;
    }
    Ok(())
}

fn case_at(cases: &[mamori_store::Case], body: mamori_store::OrgId) -> anyhow::Result<CaseId> {
    cases
        .iter()
        .find(|c| c.body == body)
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("no case at org {}", body.0))
}

/// Reports in every state at each body, referrals between bodies (one
/// consented, one declined), messages, notes and attachments — so that every
/// intake and case page has something on it. Returns the anonymous
/// consultation's contact token.
async fn intake_world(
    svc: &mamori_service::Services,
    tokyo: mamori_store::OrgId,
    osaka: mamori_store::OrgId,
    jpcert: mamori_store::OrgId,
) -> anyhow::Result<String> {
    let sakura = as_person(svc, "security@sakura-net.example.jp").await?;
    let momiji = as_person(svc, "owner@momiji-shop.example.jp").await?;
    let hanako = as_person(svc, "hanako@example.jp").await?;
    let ipa = as_person(svc, "intake@ipa.example.jp").await?;
    let jpc = as_person(svc, "incident@jpcert.example.jp").await?;
    let tokyo_staff = as_person(svc, "tokyo.staff@police.example.jp").await?;
    let to_ipa = SubmitTo::body(Body::Ipa);
    let to_jpcert = SubmitTo::body(Body::JpcertCc);
    let police = |org| SubmitTo {
        body: Body::Police,
        org: Some(org),
    };
    let now = svc.clock_now();

    // 1. さくらネット: a break-in found by `mamori scan` (the real scan of
    //    examples/logs), sent to IPA; IPA proposes the police, the reporter
    //    consents, 警視庁 takes it on. In progress at both.
    let scan = example_scan_json(now.unix_timestamp())?;
    let draft = svc
        .create_draft_from_scan(&sakura, &scan)
        .await
        .map_err(friendly)?;
    let mut a = mamori_service::intake::answers_of(&draft);
    for (q, v) in [
        ("discovered_at", "2024-03-04T10:30"),
        ("how_discovered", "own_monitoring"),
        ("systems", "website"),
        ("reporter_role", "admin"),
        ("org_type", "company"),
        ("sector", "it_software"),
        ("wants_prosecution", "yes"),
        ("actions_taken", "logs_saved"),
    ] {
        let mut vals = a.get(q).to_vec();
        if !vals.iter().any(|x| x == v) {
            vals.push(v.into());
        }
        a.set(q, vals);
    }
    a.set(
        "actions_taken",
        vec!["logs_saved".into(), "passwords_changed".into()],
    );
    svc.save_draft(
        &sakura,
        draft.id,
        DraftInput {
            kind: Some(ReportKind::Report),
            title: "管理画面・SSH への不正ログイン（web01）".into(),
            answers: a,
        },
    )
    .await
    .map_err(friendly)?;
    svc.add_attachment(
        &sakura,
        draft.id,
        mamori_service::intake::Upload {
            name: "auth.log".into(),
            bytes: EXAMPLE_LOGS[1].1.to_vec(),
        },
    )
    .await
    .map_err(friendly)?;
    let (_, cases) = svc
        .submit_report(&sakura, draft.id, &[to_ipa])
        .await
        .map_err(friendly)?;
    let c = cases[0].id;
    svc.accept_case(&ipa, c).await.map_err(friendly)?;
    svc.assign_case(&ipa, c, Some(ipa.user.id))
        .await
        .map_err(friendly)?;
    svc.start_case(&ipa, c).await.map_err(friendly)?;
    svc.set_due(&ipa, c, Some(now + time::Duration::days(7)))
        .await
        .map_err(friendly)?;
    svc.add_note(
        &ipa,
        c,
        "root での SSH ログイン成功あり。警察への回付を提案する。",
        false,
    )
    .await
    .map_err(friendly)?;
    svc.message_reporter(&ipa, c, "届出ありがとうございます。ログの保存期間と、侵入後に変更されたファイルの有無を教えてください。")
        .await
        .map_err(friendly)?;
    svc.message_body(
        &sakura,
        draft.id,
        c,
        "ログは 90 日分保存しています。/var/www 以下に見覚えのないファイルはありませんでした。",
    )
    .await
    .map_err(friendly)?;
    svc.tick_checklist(&ipa, c, closing_checklist(Body::Ipa)[0].id, true)
        .await
        .map_err(friendly)?;
    let proposal = svc
        .propose_referral(&ipa, c, police(tokyo), "SSH への侵入が成功しており、犯罪として捜査の対象となるため、警視庁への届出をおすすめします。")
        .await
        .map_err(friendly)?;
    svc.decide_referral(&sakura, draft.id, proposal.id, true)
        .await
        .map_err(friendly)?;
    let view = svc.report_view(&sakura, draft.id).await.map_err(friendly)?;
    let tc = view
        .cases
        .iter()
        .find(|x| x.case.body == tokyo)
        .map(|x| x.case.id)
        .ok_or_else(|| anyhow::anyhow!("no referred case"))?;
    svc.accept_case(&tokyo_staff, tc).await.map_err(friendly)?;
    svc.start_case(&tokyo_staff, tc).await.map_err(friendly)?;
    svc.add_note(
        &tokyo_staff,
        tc,
        "送信元 203.0.113.9 のプロバイダへ照会予定。",
        false,
    )
    .await
    .map_err(friendly)?;

    // 2. さくらネット: a draft from a scan, not sent yet.
    let d2 = svc
        .create_draft_from_scan(&sakura, &scan)
        .await
        .map_err(friendly)?;
    svc.save_draft(
        &sakura,
        d2.id,
        DraftInput {
            kind: Some(ReportKind::Report),
            title: "（下書き）SSH への総当たり攻撃".into(),
            answers: mamori_service::intake::answers_of(&d2),
        },
    )
    .await
    .map_err(friendly)?;

    // 3. もみじ商店: a phishing site imitating the shop, to JPCERT/CC and IPA;
    //    both closed.
    let base =
        |what: &[&'static str], desc: &'static str| -> Vec<(&'static str, Vec<&'static str>)> {
            vec![
                ("what_happened", what.to_vec()),
                ("discovered_at", vec!["2026-03-01"]),
                ("how_discovered", vec!["told_by_customer"]),
                ("systems", vec!["website"]),
                ("reporter_role", vec!["admin"]),
                ("org_type", vec!["company"]),
                ("sector", vec!["ecommerce"]),
                ("description", vec![desc]),
            ]
        };
    let to_answers = |v: Vec<(&str, Vec<&str>)>| -> Answers {
        let list: Vec<(&str, &[&str])> = v.iter().map(|(q, x)| (*q, x.as_slice())).collect();
        answers(&list)
    };
    let mut p = base(
        &["phishing_site"],
        "当店（もみじ商店）をかたる偽サイト momiji-shop-login.example.net がカード情報を入力させています。お客様からの問い合わせで気づきました。",
    );
    p.push(("ongoing", vec!["phishing_site_up"]));
    let (_, cases) = file(
        svc,
        &momiji,
        ReportKind::Report,
        "当店をかたるフィッシングサイト",
        to_answers(p),
        &[to_jpcert, to_ipa],
    )
    .await?;
    let jc = case_at(&cases, jpcert)?;
    svc.accept_case(&jpc, jc).await.map_err(friendly)?;
    svc.start_case(&jpc, jc).await.map_err(friendly)?;
    svc.message_reporter(&jpc, jc, "ホスティング事業者に閉鎖を依頼しました。")
        .await
        .map_err(friendly)?;
    tick_all(svc, &jpc, jc, Body::JpcertCc).await?;
    svc.close_case(
        &jpc,
        jc,
        "site_taken_down",
        "偽サイトの閉鎖を確認しました。",
    )
    .await
    .map_err(friendly)?;
    let ic = cases
        .iter()
        .find(|c| c.body != jpcert)
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("no IPA case"))?;
    svc.accept_case(&ipa, ic).await.map_err(friendly)?;
    tick_all(svc, &ipa, ic, Body::Ipa).await?;
    svc.close_case(&ipa, ic, "recorded_in_statistics", "")
        .await
        .map_err(friendly)?;

    // 4. もみじ商店: money taken through a hijacked account, to 大阪府警察;
    //    just received.
    let mut p = base(
        &["unauthorized_login", "ids_stolen"],
        "管理者アカウントに不正ログインされ、売上金の振込先口座が書き換えられて不正送金されました。",
    );
    p.push(("after_access", vec!["money_transferred"]));
    p.push(("money_lost", vec!["yes"]));
    p.push(("money_amount", vec!["320000"]));
    p.push(("wants_prosecution", vec!["yes"]));
    file(
        svc,
        &momiji,
        ReportKind::Report,
        "管理者アカウントの乗っ取りと不正送金",
        to_answers(p),
        &[police(osaka)],
    )
    .await?;

    // 5. 山田 花子: a consultation IPA does not accept (reason and text told).
    let a = answers(&[
        ("what_happened", &["unauthorized_login"]),
        ("other_damage", &["account_taken_over"]),
        (
            "description",
            &["SNS のアカウントに知らない人がログインし、パスワードを変えられました。"],
        ),
    ]);
    let (_, cases) = file(
        svc,
        &hanako,
        ReportKind::Consultation,
        "SNS アカウントを乗っ取られた",
        a,
        &[to_ipa],
    )
    .await?;
    svc.not_accept_case(
        &ipa,
        cases[0].id,
        "better_handled_elsewhere",
        "個人の SNS アカウントの被害は、お住まいの都道府県警察のサイバー犯罪相談窓口にご相談ください。",
    )
    .await
    .map_err(friendly)?;

    // 6. さくらネット: a defaced page, to IPA (accepted) and JPCERT/CC (received);
    //    IPA proposes the police, the reporter declines.
    let mut p = base(
        &["break_in_via_flaw"],
        "WordPress のプラグインの脆弱性を突かれ、トップページが改ざんされました。復旧済みです。",
    );
    p[3] = ("systems", vec!["website"]);
    p[6] = ("sector", vec!["it_software"]);
    p[2] = ("how_discovered", vec!["own_monitoring"]);
    p.push(("after_access", vec!["site_altered"]));
    p.push(("wants_prosecution", vec!["no"]));
    let (rid, cases) = file(
        svc,
        &sakura,
        ReportKind::Notification,
        "WordPress の脆弱性を突いたページ改ざん",
        to_answers(p),
        &[to_ipa, to_jpcert],
    )
    .await?;
    let ic = cases
        .iter()
        .find(|c| c.body != jpcert)
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("no IPA case"))?;
    svc.accept_case(&ipa, ic).await.map_err(friendly)?;
    let proposal = svc
        .propose_referral(
            &ipa,
            ic,
            police(tokyo),
            "改ざんは犯罪に当たる可能性があります。捜査を望まれる場合は警視庁に引き継ぎます。",
        )
        .await
        .map_err(friendly)?;
    svc.decide_referral(&sakura, rid, proposal.id, false)
        .await
        .map_err(friendly)?;

    // 7. An anonymous consultation to JPCERT/CC, answered.
    let input = DraftInput {
        kind: Some(ReportKind::Consultation),
        title: "大量のログイン試行が続いています".into(),
        answers: answers(&[
            ("what_happened", &["login_attempts"]),
            ("ongoing", &["attacks_continue"]),
            (
                "description",
                &[
                    "海外の複数のアドレスから、会員ページへのログイン試行が一晩で数万回ありました。どこに相談すればよいでしょうか。",
                ],
            ),
        ]),
    };
    let (r, contact) = svc
        .leave_consultation(input, to_jpcert, "demo")
        .await
        .map_err(friendly)?;
    let view_cases = svc.report_view(&jpc, r.id).await.map_err(friendly)?;
    if let Some(own) = view_cases.own_case() {
        svc.message_reporter(&jpc, own.case.id, "送信元のアドレスをお知らせいただければ、管理者への連絡を調整します。ログイン保護（mamori-guard）の導入もご検討ください。")
            .await
            .map_err(friendly)?;
    }
    Ok(contact)
}

//! The demo world's reports (issue 6): one in every state, worked by the bodies through
//! the same service calls the web pages use, some referred between bodies with the
//! reporter's consent, one waiting for consent, and an anonymous consultation.

use crate::platform_admin::friendly;
use anyhow::Context as _;
use mamori_core::guideline::{Body, closing_checklist};
use mamori_core::intake::Answers;
use mamori_service::intake::{DraftInput, SubmitTo};
use mamori_service::{Actor, Services};
use mamori_store::{CaseId, ReportId, ReportKind};

async fn actor(svc: &Services, email: &str) -> anyhow::Result<Actor> {
    let user = svc
        .store()
        .user_by_email(email)
        .await?
        .with_context(|| format!("demo person {email}"))?;
    let org = svc
        .store()
        .org(user.org)
        .await?
        .with_context(|| format!("organization of {email}"))?;
    Ok(Actor {
        user,
        org,
        source: "demo".into(),
    })
}

fn answers(pairs: &[(&str, &[&str])]) -> Answers {
    let mut a = Answers::default();
    for (q, v) in pairs {
        a.set(q, v.iter().map(|s| s.to_string()).collect());
    }
    a
}

/// A complete 届出 about a take-over of an admin login.
fn login_takeover() -> Answers {
    answers(&[
        ("what_happened", &["unauthorized_login"]),
        ("discovered_at", &["2026-03-30T10:15"]),
        ("started_at", &["2026-03-29T23:40"]),
        ("how_discovered", &["own_monitoring"]),
        ("systems", &["website", "server"]),
        ("after_access", &["info_stolen"]),
        ("how_got_in", &["leaked_list"]),
        ("data_leaked", &["suspected"]),
        ("attack_source_known", &["yes"]),
        (
            "actions_taken",
            &["passwords_changed", "logs_saved", "evidence_collected"],
        ),
        ("wants_prosecution", &["yes"]),
        ("reporter_role", &["admin"]),
        ("org_type", &["company"]),
        ("sector", &["it_software"]),
        (
            "description",
            &[
                "3月29日深夜から、海外のIPアドレス 203.0.113.45 からWordPressの管理画面（wp-login.php）へのログイン試行が約4,000回あり、管理者アカウント admin でログインに成功されました。その後、会員情報のエクスポート画面が閲覧されています。パスワードは変更済みで、アクセスログは保全しました。",
            ],
        ),
    ])
}

/// A defaced shop site with a phishing page planted.
fn defacement() -> Answers {
    answers(&[
        ("what_happened", &["break_in_via_flaw", "phishing_site"]),
        ("discovered_at", &["2026-03-28"]),
        ("how_discovered", &["told_by_customer"]),
        ("systems", &["website"]),
        ("after_access", &["site_altered", "files_planted"]),
        ("how_got_in", &["flaw"]),
        ("ongoing", &["phishing_site_up"]),
        ("attack_source_known", &["no"]),
        ("actions_taken", &["isolated", "logs_saved"]),
        ("reporter_role", &["admin"]),
        ("org_type", &["company"]),
        ("sector", &["ecommerce"]),
        (
            "description",
            &[
                "お客様から「カード情報の入力を求める画面が出る」との連絡があり、調べたところ古いプラグインの脆弱性を突かれ、サイト内に偽の決済ページが設置されていました。偽ページは今も外部サーバ phish-pay.example.net にも公開されています。",
            ],
        ),
    ])
}

fn draft(kind: ReportKind, title: &str, a: Answers) -> DraftInput {
    DraftInput {
        kind: Some(kind),
        title: title.into(),
        answers: a,
    }
}

async fn tick_all(svc: &Services, who: &Actor, case: CaseId, body: Body) -> anyhow::Result<()> {
    for item in closing_checklist(body) {
        svc.tick_checklist(who, case, item.id, true)
            .await
            .map_err(friendly)?;
    }
    Ok(())
}

async fn submit(
    svc: &Services,
    who: &Actor,
    title: &str,
    kind: ReportKind,
    a: Answers,
    to: &[SubmitTo],
) -> anyhow::Result<(ReportId, Vec<CaseId>)> {
    let d = svc
        .create_draft(who, draft(kind, title, a))
        .await
        .map_err(friendly)?;
    let (_, cases) = svc.submit_report(who, d.id, to).await.map_err(friendly)?;
    Ok((d.id, cases.into_iter().map(|c| c.id).collect()))
}

/// Files and works the demo reports; returns the anonymous consultation's contact token.
pub async fn fill(svc: &Services, tokyo: mamori_store::OrgId) -> anyhow::Result<String> {
    let sakura = actor(svc, "security@sakura-net.example.jp").await?;
    let momiji = actor(svc, "owner@momiji-shop.example.jp").await?;
    let hanako = actor(svc, "hanako@example.jp").await?;
    let ipa = actor(svc, "staff@ipa.example.jp").await?;
    let jpcert = actor(svc, "staff@jpcert.example.jp").await?;
    let tokyo_staff = actor(svc, "tokyo.staff@police.example.jp").await?;
    let tokyo_chief = actor(svc, "tokyo.supervisor@police.example.jp").await?;

    // 1. A draft, still being written.
    svc.create_draft(
        &sakura,
        draft(
            ReportKind::Report,
            "（下書き）VPN装置へのログイン試行",
            answers(&[("what_happened", &["login_attempts"])]),
        ),
    )
    .await
    .map_err(friendly)?;

    // 2. To IPA and the Tokyo police: IPA works it (in progress), Tokyo has received it.
    let (_, cases) = submit(
        svc,
        &sakura,
        "会員サイト管理画面への不正ログインと会員情報の閲覧",
        ReportKind::Report,
        login_takeover(),
        &[
            SubmitTo::body(Body::Ipa),
            SubmitTo {
                body: Body::Police,
                org: Some(tokyo),
            },
        ],
    )
    .await?;
    let ipa_case = cases[0];
    svc.accept_case(&ipa, ipa_case).await.map_err(friendly)?;
    svc.assign_case(&ipa, ipa_case, Some(ipa.user.id))
        .await
        .map_err(friendly)?;
    svc.start_case(&ipa, ipa_case).await.map_err(friendly)?;
    svc.add_note(
        &ipa,
        ipa_case,
        "同一IPからの試行が他の届出にもある。統計区分: リスト型攻撃。",
        false,
    )
    .await
    .map_err(friendly)?;
    svc.message_reporter(
        &ipa,
        ipa_case,
        "届出を受理しました。ログインに成功した時刻の前後30分のアクセスログをご提出いただけますか。",
    )
    .await
    .map_err(friendly)?;

    // 3. A shop to IPA; IPA proposes JPCERT/CC (phishing page to take down); consent pending.
    let (_, cases) = submit(
        svc,
        &momiji,
        "ショップサイトの改ざんと偽決済ページの設置",
        ReportKind::Report,
        defacement(),
        &[SubmitTo::body(Body::Ipa)],
    )
    .await?;
    svc.accept_case(&ipa, cases[0]).await.map_err(friendly)?;
    svc.propose_referral(
        &ipa,
        cases[0],
        SubmitTo::body(Body::JpcertCc),
        "外部に公開されている偽の決済ページの閉鎖には、JPCERT/CC による調整が適しています。JPCERT/CC への引継ぎに同意いただけますか。",
    )
    .await
    .map_err(friendly)?;

    // 4. A phishing report: IPA → JPCERT/CC with consent; JPCERT/CC works it, IPA closes
    //    its own case as referred.
    let (report, cases) = submit(
        svc,
        &momiji,
        "当店を装うフィッシングメールの報告",
        ReportKind::Notification,
        answers(&[
            ("what_happened", &["phishing_site"]),
            ("ongoing", &["phishing_site_up"]),
            ("sector", &["ecommerce"]),
            (
                "description",
                &["当店を装ったメールで https://momiji-login.example.net/ に誘導されるとお客様から連絡がありました。"],
            ),
        ]),
        &[SubmitTo::body(Body::Ipa)],
    )
    .await?;
    svc.accept_case(&ipa, cases[0]).await.map_err(friendly)?;
    let rf = svc
        .propose_referral(
            &ipa,
            cases[0],
            SubmitTo::body(Body::JpcertCc),
            "フィッシングサイトの閉鎖調整は JPCERT/CC が担当します。",
        )
        .await
        .map_err(friendly)?;
    let rf = svc
        .decide_referral(&momiji, report, rf.id, true)
        .await
        .map_err(friendly)?;
    if let Some(jc) = rf.new_case {
        svc.accept_case(&jpcert, jc).await.map_err(friendly)?;
        svc.start_case(&jpcert, jc).await.map_err(friendly)?;
        svc.message_reporter(&jpcert, jc, "ホスティング事業者に閉鎖を依頼しました。")
            .await
            .map_err(friendly)?;
    }
    tick_all(svc, &ipa, cases[0], Body::Ipa).await?;
    svc.close_case(&ipa, cases[0], "referred", "JPCERT/CC に引き継ぎました。")
        .await
        .map_err(friendly)?;

    // 5. A consultation the Tokyo police did not accept (not unauthorized access).
    let (_, cases) = submit(
        svc,
        &hanako,
        "SNSにログインできなくなった",
        ReportKind::Consultation,
        answers(&[
            ("what_happened", &["unknown"]),
            (
                "description",
                &["昨日からSNSにログインできません。乗っ取られたのでしょうか。"],
            ),
        ]),
        &[SubmitTo {
            body: Body::Police,
            org: Some(tokyo),
        }],
    )
    .await?;
    svc.not_accept_case(
        &tokyo_staff,
        cases[0],
        "not_unauthorized_access",
        "お話を伺った限りではパスワードの失念と考えられます。サービスのパスワード再設定をお試しください。乗っ取りの形跡（身に覚えのない投稿など）があれば改めてご相談ください。",
    )
    .await
    .map_err(friendly)?;

    // 6. Closed by JPCERT/CC with an outcome.
    let (_, cases) = submit(
        svc,
        &sakura,
        "当社サーバを踏み台にした外部への攻撃",
        ReportKind::Notification,
        answers(&[
            ("what_happened", &["break_in_via_other_system"]),
            ("after_access", &["relay"]),
            ("attack_source_known", &["yes"]),
            (
                "description",
                &["当社の検証用サーバが踏み台にされ、198.51.100.23 へのスキャンに使われていました。攻撃元への連絡をお願いしたいです。"],
            ),
        ]),
        &[SubmitTo::body(Body::JpcertCc)],
    )
    .await?;
    svc.accept_case(&jpcert, cases[0]).await.map_err(friendly)?;
    tick_all(svc, &jpcert, cases[0], Body::JpcertCc).await?;
    svc.close_case(
        &jpcert,
        cases[0],
        "coordination_completed",
        "攻撃元のネットワーク管理者に連絡し、通信が止まったことを確認しました。",
    )
    .await
    .map_err(friendly)?;

    // 7. Tokyo police: accepted by the supervisor, assigned to staff, due in a week.
    let (_, cases) = submit(
        svc,
        &sakura,
        "ネットバンキングの不正送金",
        ReportKind::Report,
        {
            let mut a = login_takeover();
            a.set("after_access", vec!["money_transferred".into()]);
            a.set("money_lost", vec!["yes".into()]);
            a.set("money_amount", vec!["1,200,000円".into()]);
            a
        },
        &[SubmitTo {
            body: Body::Police,
            org: Some(tokyo),
        }],
    )
    .await?;
    svc.accept_case(&tokyo_chief, cases[0])
        .await
        .map_err(friendly)?;
    svc.assign_case(&tokyo_chief, cases[0], Some(tokyo_staff.user.id))
        .await
        .map_err(friendly)?;
    let due = crate::common::now() + time::Duration::days(7);
    svc.set_due(&tokyo_chief, cases[0], Some(due))
        .await
        .map_err(friendly)?;

    // 8. An anonymous consultation to JPCERT/CC, answered.
    let (_, token) = svc
        .leave_consultation(
            draft(
                ReportKind::Consultation,
                "偽サイトを見つけました（匿名）",
                answers(&[
                    ("what_happened", &["phishing_site"]),
                    (
                        "description",
                        &["銀行を装ったサイト https://bank-verify.example.org/ を見つけました。"],
                    ),
                ]),
            ),
            SubmitTo::body(Body::JpcertCc),
            "demo",
        )
        .await
        .map_err(friendly)?;
    let q = svc
        .case_queue(&jpcert, &mamori_service::cases::QueueFilter::default())
        .await
        .map_err(friendly)?;
    if let Some(row) = q.rows.first() {
        svc.message_reporter(
            &jpcert,
            row.case.id,
            "情報提供ありがとうございます。確認して対応します。",
        )
        .await
        .map_err(friendly)?;
    }
    Ok(token)
}

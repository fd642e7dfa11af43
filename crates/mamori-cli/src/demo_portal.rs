//! The demo world's public portal: two editors, approved publishers, materials (one
//! past its review date, one product promotion kept apart), alerts (one urgent) — all
//! written by one editor and published by the other — and a reporter's saved
//! self-check.

use crate::platform_admin::friendly;
use mamori_core::portal::catalog::{Alert, Material, Publisher, PublisherKind};
use mamori_core::portal::selfcheck::{Answer, Answers};
use mamori_core::portal::{Audience, Format, MaterialLang, Topic};
use mamori_service::Actor;
use mamori_service::portal::Payload;
use mamori_store::PortalItem;

/// A date `days` from `now` (JST), `YYYY-MM-DD`.
/// The demo's file material.
const FAMILY_RULES: &str = "家族のパスワードのルール / Our family's password rules\n\n\
1. パスワードは長く、サービスごとに別々にする。 / Long, and different for every service.\n\
2. 二段階認証をオンにする。 / Turn on second factors.\n\
3. 更新の通知が来たら、その日のうちに更新する。 / Install updates the day they arrive.\n\
4. SMS やメールのリンクからログインしない。 / Never sign in from a link in a text or mail.\n\
5. おかしいと思ったら、家族に相談する。 / If something looks odd, tell the family.\n";

fn day(now: time::OffsetDateTime, days: i64) -> String {
    mamori_service::portal::today_jst(now + time::Duration::days(days))
}

/// Writes with `author`, sends for review, publishes with `reviewer`.
async fn publish(
    svc: &mamori_service::Services,
    author: &Actor,
    reviewer: &Actor,
    p: Payload,
) -> anyhow::Result<PortalItem> {
    let d = svc
        .create_portal_draft(author, p)
        .await
        .map_err(friendly)?
        .map_err(|e| anyhow::anyhow!("demo content refused: {e:?}"))?;
    let s = svc
        .submit_portal_item(author, d.id, d.version)
        .await
        .map_err(friendly)?;
    svc.review_portal_item(reviewer, s.id, s.version, true, "")
        .await
        .map_err(friendly)
}

#[allow(clippy::too_many_arguments)]
fn material(
    title: &str,
    summary: &str,
    audiences: &[Audience],
    topic: Topic,
    format: Format,
    url: &str,
    publisher: i64,
    review_by: String,
    promotion: bool,
) -> Payload {
    Payload::Material(Material {
        title: title.into(),
        summary: summary.into(),
        audiences: audiences.to_vec(),
        topic: Some(topic),
        format: Some(format),
        language: Some(MaterialLang::Ja),
        url: url.into(),
        file: None,
        terms:
            "出典を明記すれば、非営利の研修・授業で自由に印刷・配布できます。改変はご相談ください。"
                .into(),
        citation: format!("{title}（デモ用の資料）"),
        publisher,
        review_by,
        promotion,
    })
}

/// Fills the portal. `editor`/`reviewer` are the two editors, `reporter` saves a
/// self-check.
pub async fn portal_world(
    svc: &mamori_service::Services,
    editor: &Actor,
    reviewer: &Actor,
    reporter: &Actor,
) -> anyhow::Result<()> {
    let now = svc.clock_now();
    let assoc = publish(
        svc,
        editor,
        reviewer,
        Payload::Publisher(Publisher {
            name: "デモ情報セキュリティ普及協会".into(),
            kind: Some(PublisherKind::Nonprofit),
            url: "https://awareness.example.org/".into(),
            contact: "materials@awareness.example.org".into(),
            criteria_note:
                "運営法人と連絡先を登記と電話で確認。資料ごとに見直し日を設定することに同意。"
                    .into(),
        }),
    )
    .await?;
    let vendor = publish(
        svc,
        editor,
        reviewer,
        Payload::Publisher(Publisher {
            name: "デモセキュリティ製品株式会社".into(),
            kind: Some(PublisherKind::Company),
            url: "https://vendor.example.com/".into(),
            contact: "pr@vendor.example.com".into(),
            criteria_note: "製品の紹介は宣伝として分けて載せることに同意。".into(),
        }),
    )
    .await?;
    let (a, v) = (assoc.id.0, vendor.id.0);
    use Audience::*;
    for m in [
        material(
            "はじめてのパスワード管理",
            "長く、使い回さないパスワードの作り方と、パスワード管理ソフトの使い方を図で説明します。",
            &[General, Children],
            Topic::Passwords,
            Format::Pdf,
            "https://awareness.example.org/passwords.pdf",
            a,
            day(now, 300),
            false,
        ),
        material(
            "二段階認証を設定しよう（動画 3 分）",
            "メールや SNS で確認コードを使う設定を、画面を見ながら一緒に行う短い動画です。",
            &[General],
            Topic::TwoFactor,
            Format::Video,
            "https://awareness.example.org/2fa-video",
            a,
            day(now, 200),
            false,
        ),
        material(
            "中小企業のためのバックアップ入門",
            "ランサムウェアに備え、ネットワークから切り離したバックアップを作る手順です。",
            &[Sme, Executives],
            Topic::Backup,
            Format::Slides,
            "https://awareness.example.org/backup-slides.pdf",
            a,
            day(now, 150),
            false,
        ),
        material(
            "フィッシングメールの見分け方ポスター",
            "職員室や休憩室に貼れる A3 ポスター。よくある偽メールの例つき。",
            &[Children, General, Government],
            Topic::Phishing,
            Format::Poster,
            "https://awareness.example.org/phishing-poster.pdf",
            a,
            // Past its review date, within the grace period: listed, marked stale.
            day(now, -30),
            false,
        ),
        material(
            "被害に遭ったときの届出の準備チェックリスト",
            "警察・IPA・JPCERT/CC に相談する前に、ログや画面の記録など準備するものを確かめられます。",
            &[Sme, Administrators, Government],
            Topic::Incident,
            Format::Checklist,
            "https://awareness.example.org/incident-checklist",
            a,
            day(now, 120),
            false,
        ),
        material(
            "古い更新手順（掲載終了予定）",
            "見直し期限から猶予期間を過ぎたため、公開の一覧には出ない資料の例です。",
            &[Administrators],
            Topic::Updates,
            Format::Web,
            "https://awareness.example.org/old-updates",
            a,
            day(now, -200),
            false,
        ),
        material(
            "デモ社の統合セキュリティ製品のご案内",
            "自社製品の紹介です（宣伝として啓発資料と分けて表示されます）。",
            &[Sme],
            Topic::Malware,
            Format::Web,
            "https://vendor.example.com/product",
            v,
            day(now, 180),
            true,
        ),
    ] {
        publish(svc, editor, reviewer, m).await?;
    }
    // A material that is a file the portal keeps: a one-page plain-text checklist.
    let d = svc
        .create_portal_draft(
            editor,
            material(
                "家族で決めるパスワードのルール（印刷用）",
                "冷蔵庫に貼れる1枚のメモ。家族みんなで守る5つの約束です。",
                &[General, Children],
                Topic::Passwords,
                Format::Checklist,
                "",
                a,
                day(now, 365),
                false,
            ),
        )
        .await
        .map_err(friendly)?
        .map_err(|e| anyhow::anyhow!("demo content refused: {e:?}"))?;
    let mut buf = svc
        .upload_buffer_max(
            "家族のパスワードのルール.txt",
            mamori_core::portal::files::MAX_FILE_BYTES,
        )
        .map_err(friendly)?;
    buf.push(FAMILY_RULES.as_bytes()).map_err(friendly)?;
    let d = svc
        .attach_portal_file(editor, d.id, d.version, buf)
        .await
        .map_err(friendly)?;
    let s = svc
        .submit_portal_item(editor, d.id, d.version)
        .await
        .map_err(friendly)?;
    svc.review_portal_item(reviewer, s.id, s.version, true, "")
        .await
        .map_err(friendly)?;
    for alert in [
        Alert {
                title_ja: "宅配業者をかたる偽 SMS が急増しています".into(),
                title_en: "Surge of fake parcel-delivery texts".into(),
                body_ja: "「不在のため荷物を持ち帰りました」という SMS のリンクを押さないでください。\n\n偽サイトで ID・パスワードやカード番号を入力してしまったら、すぐにパスワードを変え、カード会社に連絡してください。".into(),
                body_en: "Do not follow links in texts saying a parcel could not be delivered.\n\nIf you entered an ID, password or card number on the fake site, change the password at once and call your card company.".into(),
                audiences: vec![Audience::General, Audience::Children],
                urgent: true,
                until: day(now, 30),
            },
            Alert {
                title_ja: "VPN 機器の脆弱性を悪用した侵入に注意".into(),
                title_en: "Intrusions through VPN appliance flaws".into(),
                body_ja: "VPN 機器の更新が公開されています。管理者の方は、更新の適用と、不審なログインがないかの確認をしてください。".into(),
                body_en: "Updates for VPN appliances are out. Administrators should apply them and check for suspicious sign-ins.".into(),
                audiences: vec![Audience::Administrators, Audience::Sme],
                urgent: false,
                until: String::new(),
            },
    ] {
        publish(svc, editor, reviewer, Payload::Alert(alert)).await?;
    }
    // A draft waiting for review, so the editors' pages show the workflow.
    let d = svc
        .create_portal_draft(
            editor,
            material(
                "保護者向け：子どものスマホの設定",
                "フィルタリングと利用時間の設定の仕方。",
                &[Children],
                Topic::Devices,
                Format::Pdf,
                "https://awareness.example.org/parents.pdf",
                a,
                day(now, 365),
                false,
            ),
        )
        .await
        .map_err(friendly)?
        .map_err(|e| anyhow::anyhow!("demo content refused: {e:?}"))?;
    svc.submit_portal_item(editor, d.id, d.version)
        .await
        .map_err(friendly)?;

    // A reporter's saved five-minute check.
    let mut answers = Answers::new();
    for (k, v) in [
        ("1-1", Answer::Yes),
        ("1-2", Answer::Yes),
        ("1-3", Answer::No),
        ("1-4", Answer::No),
        ("1-5", Answer::Yes),
        ("2-1", Answer::No),
        ("2-2", Answer::Yes),
        ("2-3", Answer::Yes),
        ("3-1", Answer::No),
        ("3-2", Answer::Yes),
        ("3-3", Answer::NotApplicable),
        ("3-4", Answer::Yes),
    ] {
        answers.insert(k.into(), v);
    }
    svc.save_selfcheck(reporter, "sme", &answers)
        .await
        .map_err(friendly)?;
    Ok(())
}

//! The public portal's editorial workflow: the four-eyes rule, audit entries, stale
//! materials hidden after the grace period, saved self-checks, the link checker.

use crate::world::{World, sqlite_store};
use mamori_core::portal::catalog::{Alert, Freshness, Material, Publisher, PublisherKind, State};
use mamori_core::portal::selfcheck::{Answer, Answers};
use mamori_core::portal::{Audience, Format, MaterialLang, Topic};
use mamori_service::ServiceError;
use mamori_service::portal::{LinkProbe, LinkVerdict, MaterialFilter, Payload};
use mamori_store::{OrgKind, PortalItem};
use std::sync::Arc;

async fn world() -> World {
    let w = World::new(sqlite_store().await).await;
    let platform = w
        .svc
        .store()
        .orgs()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == OrgKind::Platform)
        .unwrap()
        .id;
    w.person(platform, "editor1@mamori.example", "editor").await;
    w.person(platform, "editor2@mamori.example", "editor").await;
    w
}

fn publisher() -> Payload {
    Payload::Publisher(Publisher {
        name: "情報セキュリティ普及協会".into(),
        kind: Some(PublisherKind::Nonprofit),
        url: "https://example.org/".into(),
        contact: "info@example.org".into(),
        criteria_note: "運営者と連絡先を確認した".into(),
    })
}

fn material(publisher: i64, review_by: &str) -> Payload {
    Payload::Material(Material {
        title: "パスワードの決め方".into(),
        summary: "長く、使い回さないパスワードの作り方。".into(),
        audiences: vec![Audience::General, Audience::Children],
        topic: Some(Topic::Passwords),
        format: Some(Format::Pdf),
        language: Some(MaterialLang::Ja),
        url: "https://example.org/passwords.pdf".into(),
        file: None,
        terms: "非営利の研修で自由に印刷・配布できます。".into(),
        citation: "情報セキュリティ普及協会「パスワードの決め方」".into(),
        publisher,
        review_by: review_by.into(),
        promotion: false,
    })
}

/// Writes, submits and has the other editor publish.
async fn publish(w: &World, author: &str, reviewer: &str, p: Payload) -> PortalItem {
    let a = w.actor(author).await;
    let r = w.actor(reviewer).await;
    let d = w.svc.create_portal_draft(&a, p).await.unwrap().unwrap();
    let s = w.svc.submit_portal_item(&a, d.id, d.version).await.unwrap();
    w.svc
        .review_portal_item(&r, s.id, s.version, true, "")
        .await
        .unwrap()
}

#[tokio::test]
async fn an_editor_cannot_publish_their_own_item_a_second_editor_can() {
    let w = world().await;
    let e1 = w.actor("editor1@mamori.example").await;
    let e2 = w.actor("editor2@mamori.example").await;
    let d = w
        .svc
        .create_portal_draft(&e1, publisher())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.state, State::Draft);
    // Not public while a draft or in review.
    assert!(w.svc.public_publishers().await.unwrap().is_empty());
    // Only the author sends it to review.
    let e = w
        .svc
        .submit_portal_item(&e2, d.id, d.version)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E-PORTAL-STATE");
    let s = w
        .svc
        .submit_portal_item(&e1, d.id, d.version)
        .await
        .unwrap();
    assert_eq!(s.state, State::Review);
    // Four eyes: the author may not publish.
    let e = w
        .svc
        .review_portal_item(&e1, s.id, s.version, true, "")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E-PORTAL-STATE");
    // A stale version is refused.
    let e = w
        .svc
        .review_portal_item(&e2, s.id, d.version, true, "")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E-PORTAL-STALE");
    let p = w
        .svc
        .review_portal_item(&e2, s.id, s.version, true, "")
        .await
        .unwrap();
    assert_eq!((p.state, p.reviewer), (State::Published, Some(e2.user.id)));
    assert_eq!(w.svc.public_publishers().await.unwrap().len(), 1);

    // Neither a reporter nor the platform administrator may edit or review.
    let rep = w.actor("reporter@sakura.example").await;
    assert!(matches!(
        w.svc.create_portal_draft(&rep, publisher()).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        w.svc.editor_items(&rep).await,
        Err(ServiceError::NotFound)
    ));

    // Every change is in the audit log, with who did it.
    let log = w.svc.store().audit_page(0, 10_000).await.unwrap();
    let portal: Vec<(&str, Option<i64>)> = log
        .iter()
        .filter(|e| e.object == format!("portal:{}", d.id.0))
        .map(|e| (e.action.as_str(), e.actor.map(|u| u.0)))
        .collect();
    assert_eq!(
        portal,
        vec![
            ("portal_create", Some(e1.user.id.0)),
            ("access_denied", Some(e2.user.id.0)),
            ("portal_submit", Some(e1.user.id.0)),
            ("access_denied", Some(e1.user.id.0)),
            ("portal_publish", Some(e2.user.id.0)),
        ]
    );
    assert!(
        log.iter()
            .any(|e| e.action == "access_denied" && e.object == "portal:new")
    );
    assert!(w.svc.verify_audit().await.unwrap().first_broken.is_none());
}

#[tokio::test]
async fn a_reviewer_sends_back_with_a_note_and_the_author_fixes_it() {
    let w = world().await;
    let e1 = w.actor("editor1@mamori.example").await;
    let e2 = w.actor("editor2@mamori.example").await;
    let alert = Alert {
        title_ja: "偽の宅配便 SMS に注意".into(),
        title_en: "Beware of fake parcel texts".into(),
        body_ja: "リンクを押さないでください。".into(),
        body_en: "Do not follow the link.".into(),
        audiences: vec![Audience::General],
        urgent: true,
        until: String::new(),
    };
    let d = w
        .svc
        .create_portal_draft(&e1, Payload::Alert(alert.clone()))
        .await
        .unwrap()
        .unwrap();
    let s = w
        .svc
        .submit_portal_item(&e1, d.id, d.version)
        .await
        .unwrap();
    let back = w
        .svc
        .review_portal_item(&e2, s.id, s.version, false, "英語の題を短く")
        .await
        .unwrap();
    assert_eq!(
        (back.state, back.review_note.as_str()),
        (State::Draft, "英語の題を短く")
    );
    let fixed = Alert {
        title_en: "Fake parcel texts".into(),
        ..alert
    };
    let u = w
        .svc
        .update_portal_draft(&e1, back.id, back.version, Payload::Alert(fixed))
        .await
        .unwrap()
        .unwrap();
    let s = w
        .svc
        .submit_portal_item(&e1, u.id, u.version)
        .await
        .unwrap();
    w.svc
        .review_portal_item(&e2, s.id, s.version, true, "")
        .await
        .unwrap();
    let alerts = w.svc.public_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.title_en, "Fake parcel texts");
    assert!(alerts[0].current && alerts[0].alert.urgent);
}

#[tokio::test]
async fn invalid_content_is_refused_field_by_field_and_needs_an_approved_publisher() {
    let w = world().await;
    let e1 = w.actor("editor1@mamori.example").await;
    let bad = Payload::Material(Material {
        url: "javascript:alert(1)".into(),
        ..Material::default()
    });
    let errs = w
        .svc
        .create_portal_draft(&e1, bad)
        .await
        .unwrap()
        .unwrap_err();
    let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
    for f in [
        "title",
        "summary",
        "audiences",
        "topic",
        "url",
        "terms",
        "publisher",
        "review_by",
    ] {
        assert!(fields.contains(&f), "{f}: {fields:?}");
    }
    // A publisher that is only a draft does not count.
    let p = w
        .svc
        .create_portal_draft(&e1, publisher())
        .await
        .unwrap()
        .unwrap();
    let errs = w
        .svc
        .create_portal_draft(&e1, material(p.id.0, "2027-01-01"))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        errs.iter().map(|e| e.field).collect::<Vec<_>>(),
        vec!["publisher"]
    );
}

#[tokio::test]
async fn stale_materials_are_marked_then_hidden_after_the_grace_period() {
    let w = world().await;
    let (a, b) = ("editor1@mamori.example", "editor2@mamori.example");
    let p = publish(&w, a, b, publisher()).await;
    // The clock says 2026-04-01 (JST).
    let fresh = publish(&w, a, b, material(p.id.0, "2026-04-01")).await;
    let stale = publish(&w, a, b, material(p.id.0, "2026-01-05")).await;
    let hidden = publish(&w, a, b, material(p.id.0, "2025-12-31")).await;
    let list = w
        .svc
        .public_materials(&MaterialFilter::default())
        .await
        .unwrap();
    let seen: Vec<(i64, Freshness)> = list.iter().map(|m| (m.id.0, m.freshness)).collect();
    assert_eq!(
        seen,
        vec![
            (stale.id.0, Freshness::Stale),
            (fresh.id.0, Freshness::Current)
        ]
    );
    assert!(matches!(
        w.svc.public_material(hidden.id).await,
        Err(ServiceError::NotFound)
    ));
    // Filters: audience, topic, words.
    let by = |audience, topic, q: &str| MaterialFilter {
        q: q.into(),
        audience,
        topic,
    };
    assert_eq!(
        w.svc
            .public_materials(&by(
                Some(Audience::Children),
                Some(Topic::Passwords),
                "使い回さない"
            ))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        w.svc
            .public_materials(&by(Some(Audience::Executives), None, ""))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        w.svc
            .public_materials(&by(None, Some(Topic::Backup), ""))
            .await
            .unwrap()
            .is_empty()
    );
    // Withdrawing the publisher takes its materials off the portal.
    let e2 = w.actor(b).await;
    let p = w.svc.editor_item(&e2, p.id).await.unwrap().item;
    w.svc
        .withdraw_portal_item(&e2, p.id, p.version)
        .await
        .unwrap();
    assert!(
        w.svc
            .public_materials(&MaterialFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn self_checks_are_kept_only_for_their_owner() {
    let w = world().await;
    let rep = w.actor("reporter@sakura.example").await;
    let mut a = Answers::new();
    a.insert("1-1".into(), Answer::Yes);
    a.insert("1-2".into(), Answer::No);
    let saved = w.svc.save_selfcheck(&rep, "sme", &a).await.unwrap();
    assert_eq!(saved.list, "sme");
    let mine = w.svc.my_selfchecks(&rep).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].1, a);
    let other = w.actor("reporter@momiji.example").await;
    assert!(w.svc.my_selfchecks(&other).await.unwrap().is_empty());
    let e = w.svc.save_selfcheck(&rep, "nope", &a).await.unwrap_err();
    assert_eq!(e.code(), "E-SELFCHECK-LIST");
    let log = w.svc.store().audit_page(0, 10_000).await.unwrap();
    assert!(log.iter().any(|e| e.action == "selfcheck_save"
        && e.actor == Some(rep.user.id)
        && e.detail.contains(r#""list":"sme""#)));
}

struct Stub;
impl LinkProbe for Stub {
    fn check(&self, url: &str) -> LinkVerdict {
        if url.ends_with("gone.pdf") {
            LinkVerdict::Broken("404".into())
        } else {
            LinkVerdict::Ok(200)
        }
    }
}

#[tokio::test]
async fn the_link_checker_records_each_verdict_and_audits_the_run() {
    let w = world().await;
    let (a, b) = ("editor1@mamori.example", "editor2@mamori.example");
    let p = publish(&w, a, b, publisher()).await;
    let ok = publish(&w, a, b, material(p.id.0, "2027-01-01")).await;
    let Payload::Material(mut gone) = material(p.id.0, "2027-01-01") else {
        unreachable!()
    };
    gone.url = "https://example.org/gone.pdf".into();
    let gone = publish(&w, a, b, Payload::Material(gone)).await;
    let r = w.svc.check_links(Arc::new(Stub)).await.unwrap();
    assert_eq!(r.checked, 2);
    assert_eq!(r.broken.len(), 1);
    assert_eq!(r.broken[0].0, gone.id);
    let list = w
        .svc
        .public_materials(&MaterialFilter::default())
        .await
        .unwrap();
    let status = |id| {
        list.iter()
            .find(|m| m.id == id)
            .unwrap()
            .link_status
            .clone()
    };
    assert_eq!(status(ok.id), "ok 200");
    assert_eq!(status(gone.id), "broken 404");
    let log = w.svc.store().audit_page(0, 10_000).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "portal_link_check" && e.actor.is_none())
    );
}

fn upload(w: &World, name: &str, bytes: &[u8]) -> mamori_service::intake::UploadBuffer {
    let mut b = w
        .svc
        .upload_buffer_max(name, mamori_core::portal::files::MAX_FILE_BYTES)
        .unwrap();
    b.push(bytes).unwrap();
    b
}

#[tokio::test]
async fn a_material_file_is_typed_by_content_reviewed_by_a_second_editor_then_public() {
    let w = world().await;
    let e1 = w.actor("editor1@mamori.example").await;
    let e2 = w.actor("editor2@mamori.example").await;
    let p = publish(
        &w,
        "editor1@mamori.example",
        "editor2@mamori.example",
        publisher(),
    )
    .await;
    let mut m = material(p.id.0, "2099-01-01");
    if let Payload::Material(m) = &mut m {
        m.url.clear();
    }
    let d = w.svc.create_portal_draft(&e1, m).await.unwrap().unwrap();
    // Neither a link nor a file: not ready for review.
    assert!(matches!(
        w.svc.submit_portal_item(&e1, d.id, d.version).await,
        Err(ServiceError::Invalid("E-PORTAL-NOLOCATION"))
    ));
    // HTML renamed to .pdf, SVG, and a file by another editor are refused.
    let r = w
        .svc
        .attach_portal_file(&e1, d.id, d.version, upload(&w, "x.pdf", b"<html><script>"))
        .await;
    assert!(
        matches!(r, Err(ServiceError::Invalid("E-PORTAL-FILEMISMATCH"))),
        "{r:?}"
    );
    let r = w
        .svc
        .attach_portal_file(&e1, d.id, d.version, upload(&w, "x.svg", b"<svg/>"))
        .await;
    assert!(
        matches!(r, Err(ServiceError::Invalid("E-PORTAL-FILETYPE"))),
        "{r:?}"
    );
    let pdf = b"%PDF-1.4\n% leaflet\n".to_vec();
    assert!(
        w.svc
            .attach_portal_file(&e2, d.id, d.version, upload(&w, "leaflet.pdf", &pdf))
            .await
            .is_err()
    );
    let d = w
        .svc
        .attach_portal_file(&e1, d.id, d.version, upload(&w, "パスワード.pdf", &pdf))
        .await
        .unwrap();
    let Payload::Material(stored) = Payload::of(&d).unwrap() else {
        panic!("material")
    };
    let meta = stored.file.clone().unwrap();
    assert_eq!(
        (meta.name.as_str(), meta.media_type.as_str(), meta.size),
        ("パスワード.pdf", "application/pdf", pdf.len() as i64)
    );
    // Editing the draft's fields keeps the file.
    let mut again = Payload::Material(Material {
        file: None,
        ..stored.clone()
    });
    if let Payload::Material(m) = &mut again {
        m.title = "パスワードの決め方（印刷用）".into();
    }
    let d = w
        .svc
        .update_portal_draft(&e1, d.id, d.version, again)
        .await
        .unwrap()
        .unwrap();
    // Not public before review; editors may read it.
    assert!(matches!(
        w.svc.public_material_file(d.id).await,
        Err(ServiceError::NotFound)
    ));
    assert_eq!(
        w.svc.editor_material_file(&e2, d.id).await.unwrap().bytes,
        pdf
    );
    let s = w
        .svc
        .submit_portal_item(&e1, d.id, d.version)
        .await
        .unwrap();
    let pubd = w
        .svc
        .review_portal_item(&e2, s.id, s.version, true, "")
        .await
        .unwrap();
    let f = w.svc.public_material_file(pubd.id).await.unwrap();
    assert_eq!((f.bytes, f.media_type.as_str()), (pdf, "application/pdf"));
    // Published: the author can no longer swap the file.
    assert!(
        w.svc
            .attach_portal_file(&e1, pubd.id, pubd.version, upload(&w, "b.pdf", b"%PDF-2"))
            .await
            .is_err()
    );
    let log = w.svc.store().audit_page(0, 10_000).await.unwrap();
    let actions: Vec<&str> = log
        .iter()
        .filter(|e| e.object == format!("portal:{}", d.id.0))
        .map(|e| e.action.as_str())
        .collect();
    for a in [
        "portal_file_refused",
        "portal_file_upload",
        "view_portal_file",
        "portal_publish",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

//! Conformance checks of the portal's rows (issue 14).

use crate::*;
use mamori_core::portal::catalog::{Kind, State};
use time::{Duration, OffsetDateTime};

fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-11-01 09:00 UTC)
}

/// Runs the portal checks (needs no earlier rows; makes its own organization).
pub(crate) async fn run(s: &dyn Store) {
    let org = s
        .insert_org(&NewOrg {
            name: "ポータル編集部".into(),
            kind: OrgKind::Platform,
            parent: None,
            created_at: t0(),
        })
        .await
        .expect("org");
    let mut editors = Vec::new();
    for email in ["editor1@portal.example", "editor2@portal.example"] {
        editors.push(
            s.insert_user(&NewUser {
                org: org.id,
                email: email.into(),
                display_name: email.into(),
                role: Role::Editor,
                created_at: t0(),
            })
            .await
            .expect("editor"),
        );
    }
    let (a, b) = (editors[0].id, editors[1].id);
    let draft = s
        .insert_portal_item(&NewPortalItem {
            kind: Kind::Material,
            payload: r#"{"title":"パスワードの基本"}"#.into(),
            author: a,
            at: t0(),
        })
        .await
        .expect("insert item");
    assert_eq!(draft.state, State::Draft);
    assert_eq!((draft.version, draft.author), (1, Some(a)));
    assert_eq!(draft.link_status, "unchecked");
    assert_eq!(
        s.portal_item(draft.id).await.expect("item"),
        Some(draft.clone())
    );
    assert_eq!(
        s.portal_item(PortalItemId(987_654)).await.expect("none"),
        None
    );

    // Version-checked updates: a stale writer gets Conflict.
    let mut review = draft.clone();
    review.state = State::Review;
    let review = s
        .update_portal_item(&review, t0() + Duration::minutes(1))
        .await
        .expect("to review");
    assert_eq!((review.state, review.version), (State::Review, 2));
    let stale = s.update_portal_item(&draft, t0()).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let mut publish = review.clone();
    publish.state = State::Published;
    publish.reviewer = Some(b);
    publish.published_at = Some(t0() + Duration::minutes(2));
    let published = s
        .update_portal_item(&publish, t0() + Duration::minutes(2))
        .await
        .expect("publish");
    assert_eq!(published.reviewer, Some(b));
    assert_eq!(published.published_at, Some(t0() + Duration::minutes(2)));
    assert_eq!(published.updated_at, t0() + Duration::minutes(2));

    let alert = s
        .insert_portal_item(&NewPortalItem {
            kind: Kind::Alert,
            payload: "{}".into(),
            author: b,
            at: t0(),
        })
        .await
        .expect("alert");
    let public = s
        .portal_items(Some(Kind::Material), &[State::Published], 10)
        .await
        .expect("list");
    assert_eq!(
        public.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![draft.id]
    );
    let all = s
        .portal_items(None, &[State::Draft, State::Published], 10)
        .await
        .expect("list all");
    assert_eq!(
        all.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![alert.id, draft.id],
        "newest first"
    );
    assert!(
        s.portal_items(None, &[], 10)
            .await
            .expect("none")
            .is_empty()
    );

    s.set_portal_link_status(draft.id, "broken 404", t0() + Duration::hours(1))
        .await
        .expect("link status");
    let checked = s.portal_item(draft.id).await.expect("item").expect("some");
    assert_eq!(checked.link_status, "broken 404");
    assert_eq!(checked.link_checked_at, Some(t0() + Duration::hours(1)));
    assert_eq!(
        checked.version, published.version,
        "link checks keep the version"
    );
    assert!(matches!(
        s.set_portal_link_status(PortalItemId(987_654), "ok", t0())
            .await,
        Err(StoreError::NotFound(_))
    ));

    let first = s
        .insert_selfcheck(a, "sme", r#"{"1-1":"yes"}"#, t0())
        .await
        .expect("save");
    let second = s
        .insert_selfcheck(a, "user", "{}", t0() + Duration::days(1))
        .await
        .expect("save again");
    let mine = s.selfchecks_of(a, 10).await.expect("mine");
    assert_eq!(mine, vec![second, first.clone()]);
    assert_eq!(mine[1].answers, r#"{"1-1":"yes"}"#);
    assert!(s.selfchecks_of(b, 10).await.expect("theirs").is_empty());

    // Material files (schema 10): every byte back, with its type and hash; binary
    // content (NUL, high bytes) survives both databases.
    let bytes: Vec<u8> = b"%PDF-1.7\n\0\xff\xfe binary \x89"
        .iter()
        .copied()
        .cycle()
        .take(70_000)
        .collect();
    let file = s
        .insert_portal_file(&NewPortalFile {
            item: draft.id,
            name: "パスワードの基本.pdf".into(),
            media_type: "application/pdf".into(),
            sha256: "ab".repeat(32),
            bytes: bytes.clone(),
            uploaded_by: a,
            at: t0(),
        })
        .await
        .expect("file");
    assert_eq!((file.size, file.item), (70_000, draft.id));
    let back = s.portal_file(file.id).await.expect("read").expect("some");
    assert_eq!(back, file);
    assert_eq!(back.bytes, bytes);
    assert_eq!(back.name, "パスワードの基本.pdf");
    assert_eq!(back.uploaded_by, Some(a));
    assert_eq!(s.portal_file(file.id + 1_000).await.expect("none"), None);
}

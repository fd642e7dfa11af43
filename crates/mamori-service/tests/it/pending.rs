//! Issue 15: platform administrators must not reach report content through accounts
//! they create. A person an administrator adds to an organization that already has a
//! confirmer is pending until that organization confirms them.

use crate::intake::{Intake, full_answers};
use crate::world::{PASSWORD, sqlite_store};
use mamori_core::guideline::Body;
use mamori_service::ServiceError;
use mamori_service::authz::Caller;
use mamori_service::intake::{DraftInput, SubmitTo};
use mamori_store::ReportKind;

#[tokio::test]
async fn an_admin_created_staff_member_cannot_read_a_case_until_confirmed() {
    let t = Intake::new(sqlite_store().await).await;
    let svc = t.svc();
    svc.set_password_as_console("admin@mamori.example", PASSWORD)
        .await
        .unwrap();
    let admin = t.a("admin@mamori.example").await;
    // A report of さくら to IPA: one case.
    let rep = t.a("reporter@sakura.example").await;
    let d = svc
        .create_draft(
            &rep,
            DraftInput {
                kind: Some(ReportKind::Report),
                title: "管理画面への不正ログイン".into(),
                answers: full_answers(),
            },
        )
        .await
        .unwrap();
    let (_, cases) = svc
        .submit_report(&rep, d.id, &[SubmitTo::body(Body::Ipa)])
        .await
        .unwrap();

    // The administrator adds a "staff member" to IPA, which has a supervisor.
    let created = svc
        .create_user(
            Caller::Person(&admin),
            t.ipa,
            "mole@ipa.example",
            "もぐら",
            "body_staff",
        )
        .await
        .unwrap();
    svc.set_password_as_console("mole@ipa.example", PASSWORD)
        .await
        .unwrap();
    let mole = t.a("mole@ipa.example").await;
    assert!(mole.pending, "signs in, but pending");
    assert!(matches!(
        svc.report_view(&mole, d.id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        svc.accept_case(&mole, cases[0].id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(mamori_service::authz::queue_scope(&mole).is_err());
    // The audit log says who created them and that they are pending.
    let log = svc
        .store()
        .audit_by_actor_action(admin.user.id, "create_user", 10)
        .await
        .unwrap();
    let entry = log
        .iter()
        .find(|e| e.subject == Some(created.user.id))
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!(detail["created_by"], "platform_admin");
    assert_eq!(detail["pending"], true);

    // Staff cannot confirm; IPA's supervisor sees the person and who created them.
    let staff = t.a("staff@ipa.example").await;
    assert!(svc.pending_people(&staff).await.is_err());
    assert!(matches!(
        svc.decide_pending(&staff, created.user.id, true).await,
        Err(ServiceError::NotFound)
    ));
    let chief = t.a("chief@ipa.example").await;
    let pending = svc.pending_people(&chief).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].0.id, created.user.id);
    assert_eq!(pending[0].1.as_ref().map(|u| u.id), Some(admin.user.id));
    // Another body's supervisor cannot confirm IPA's people.
    let police_chief = t.a("chief@police.example").await;
    assert!(matches!(
        svc.decide_pending(&police_chief, created.user.id, true)
            .await,
        Err(ServiceError::NotFound)
    ));
    svc.decide_pending(&chief, created.user.id, true)
        .await
        .unwrap();
    let mole = t.a("mole@ipa.example").await;
    assert!(!mole.pending);
    svc.report_view(&mole, d.id).await.unwrap();
    assert_eq!(
        svc.store()
            .audit_by_actor_action(chief.user.id, "confirm_person", 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_first_person_of_an_organization_is_active_and_a_rejected_one_is_disabled() {
    let t = Intake::new(sqlite_store().await).await;
    let svc = t.svc();
    svc.set_password_as_console("admin@mamori.example", PASSWORD)
        .await
        .unwrap();
    let admin = t.a("admin@mamori.example").await;
    let org = svc
        .create_org(
            Caller::Person(&admin),
            "ひまわり工業",
            "access_administrator",
            None,
        )
        .await
        .unwrap();
    let first = svc
        .create_user(
            Caller::Person(&admin),
            org.id,
            "first@himawari.example",
            "一",
            "reporter",
        )
        .await
        .unwrap();
    assert!(!svc.store().is_pending(first.user.id).await.unwrap());
    let second = svc
        .create_user(
            Caller::Person(&admin),
            org.id,
            "second@himawari.example",
            "二",
            "reporter",
        )
        .await
        .unwrap();
    assert!(svc.store().is_pending(second.user.id).await.unwrap());
    svc.set_password_as_console("first@himawari.example", PASSWORD)
        .await
        .unwrap();
    let first = t.a("first@himawari.example").await;
    svc.decide_pending(&first, second.user.id, false)
        .await
        .unwrap();
    let u = svc.store().user(second.user.id).await.unwrap().unwrap();
    assert!(u.disabled, "rejected: disabled");
    assert!(!svc.store().is_pending(u.id).await.unwrap());
}

use crate::world::{World, sqlite_store};
use mamori_service::ServiceError;
use mamori_service::authz::Caller;
use mamori_store::UserId;

#[tokio::test]
async fn reporter_cannot_open_another_organization_or_its_people() {
    let w = World::new(sqlite_store().await).await;
    let sakura = w.actor("reporter@sakura.example").await;
    // Own organization: visible.
    let (org, people) = w.svc.org(&sakura, w.company).await.unwrap();
    assert_eq!(org.name, "株式会社さくら");
    assert_eq!(people.len(), 1);
    // Another organization by id: the same answer as a missing one.
    let denied = w.svc.org(&sakura, w.other_company).await.unwrap_err();
    assert!(matches!(denied, ServiceError::NotFound), "{denied:?}");
    let missing = w
        .svc
        .org(&sakura, mamori_store::OrgId(9999))
        .await
        .unwrap_err();
    assert_eq!(
        denied.code(),
        missing.code(),
        "denial and absence look alike"
    );
    // Another organization's person by id.
    let momiji = w.svc.orgs_for_console().await.unwrap();
    assert_eq!(momiji.len(), 5);
    let other_user = UserId(6); // reporter@momiji.example
    assert!(matches!(
        w.svc.user(&sakura, other_user).await,
        Err(ServiceError::NotFound)
    ));
    // The listing shows only the reporter's own organization.
    let listed: Vec<_> = w
        .svc
        .orgs(&sakura)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(listed, vec!["株式会社さくら".to_string()]);
}

#[tokio::test]
async fn only_admins_manage_the_platform() {
    let w = World::new(sqlite_store().await).await;
    let chief = w.actor("chief@police.example").await;
    let reporter = w.actor("reporter@sakura.example").await;
    for a in [&chief, &reporter] {
        let r = w
            .svc
            .create_org(Caller::Person(a), "偽組織", "ipa", None)
            .await;
        assert!(matches!(r, Err(ServiceError::NotFound)), "{r:?}");
        assert!(w.svc.audit_log(a, 10).await.is_err());
    }
    // A reporter cannot add people, even to their own organization.
    let r = w
        .svc
        .create_user(
            Caller::Person(&reporter),
            w.company,
            "x@sakura.example",
            "x",
            "reporter",
        )
        .await;
    assert!(r.is_err());
    // A supervisor adds staff to their own body, but no administrator and nobody elsewhere.
    let ok = w
        .svc
        .create_user(
            Caller::Person(&chief),
            w.police,
            "new@police.example",
            "新人",
            "body_staff",
        )
        .await;
    assert!(ok.is_ok());
    let admin = w
        .svc
        .create_user(
            Caller::Person(&chief),
            w.police,
            "boss@police.example",
            "x",
            "platform_admin",
        )
        .await;
    assert!(admin.is_err(), "no privilege escalation");
    let elsewhere = w
        .svc
        .create_user(
            Caller::Person(&chief),
            w.company,
            "y@sakura.example",
            "y",
            "body_staff",
        )
        .await;
    assert!(elsewhere.is_err());
}

#[tokio::test]
async fn supervisor_sees_colleagues_staff_sees_only_self() {
    let w = World::new(sqlite_store().await).await;
    let chief = w.actor("chief@police.example").await;
    let staff = w.actor("staff@police.example").await;
    assert_eq!(w.svc.org(&chief, w.police).await.unwrap().1.len(), 2);
    assert_eq!(w.svc.org(&staff, w.police).await.unwrap().1.len(), 1);
    assert!(w.svc.user(&staff, chief.user.id).await.is_err());
    assert!(w.svc.user(&chief, staff.user.id).await.is_ok());
}

#[tokio::test]
async fn denials_are_audited() {
    let w = World::new(sqlite_store().await).await;
    let sakura = w.actor("reporter@sakura.example").await;
    let _ = w.svc.org(&sakura, w.other_company).await;
    w.svc
        .set_password_as_console("admin@mamori.example", crate::world::PASSWORD)
        .await
        .unwrap();
    let admin = w.actor("admin@mamori.example").await;
    let log = w.svc.audit_log(&admin, 50).await.unwrap();
    assert!(
        log.iter().any(|e| e.action == "access_denied"
            && e.actor == Some(sakura.user.id)
            && e.object == format!("org:{}", w.other_company.0)),
        "denied access is in the audit log"
    );
}

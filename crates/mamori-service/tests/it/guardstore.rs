use mamori_service::guardstore::SqlGuardStore;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_guard_store_passes_the_guard_conformance_suite_on_sqlite() {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let gs = SqlGuardStore::new(store, tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || mamori_guard::check_store(&gs))
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_guard_store_passes_the_guard_conformance_suite_on_postgres() {
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let store = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    let gs = SqlGuardStore::new(store.clone(), tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || mamori_guard::check_store(&gs))
        .await
        .unwrap()
        .unwrap();
    store.close().await;
    db.drop_db().await;
}

/// Two `mamori serve` instances, each with its own connection pool, on one fresh
/// PostgreSQL database: the world built through the first, and the second.
async fn two_instances() -> (
    mamori_store_postgres::testing::TempDb,
    crate::world::World,
    mamori_service::Services,
) {
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let connect = || async {
        Arc::new(
            mamori_store_postgres::PgStore::connect(&db.url)
                .await
                .unwrap(),
        )
    };
    let w = crate::world::World::new(connect().await).await;
    let b = crate::world::services(connect().await, &w.clock);
    (db, w, b)
}

/// Two `mamori serve` instances on one PostgreSQL database: failures counted by one
/// slow down guesses sent to the other (the counters are rows, not process memory),
/// and a single-use code spent on one is spent on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_share_the_throttle() {
    use mamori_guard::LoginOutcome;
    use mamori_service::auth::SignIn;
    let (db, w, b) = two_instances().await;
    let a = w.svc.clone();
    let ip = "198.51.100.7".parse().unwrap();
    let guess = |svc: &mamori_service::Services| {
        let svc = svc.clone();
        async move {
            svc.sign_in("reporter@sakura.example", "a wrong guess of mine", None, ip)
                .await
                .unwrap()
        }
    };
    // The account allows three free failures, then delays start; four on A…
    for _ in 0..4 {
        assert!(matches!(
            guess(&a).await,
            SignIn::Refused(LoginOutcome::Failed)
        ));
    }
    // …so B, a different process's memory, must refuse the next guess at once.
    assert!(
        matches!(
            guess(&b).await,
            SignIn::Refused(LoginOutcome::Throttled { .. })
        ),
        "instance B sees instance A's failures"
    );
    let counter = w
        .svc
        .store()
        .guard_counter("acct:reporter@sakura.example")
        .await
        .unwrap()
        .expect("the counter is a row");
    assert!(counter.state.contains("\"count\":4"), "{}", counter.state);

    // Single-use marks (TOTP steps, recovery codes) are shared too.
    let (ga, gb) = (
        SqlGuardStore::new(w.svc.store().clone(), tokio::runtime::Handle::current()),
        SqlGuardStore::new(b.store().clone(), tokio::runtime::Handle::current()),
    );
    let now = time::macros::datetime!(2026-04-01 09:00 UTC);
    let until = now + time::Duration::hours(1);
    let (first, second) = tokio::task::spawn_blocking(move || {
        use mamori_guard::GuardStore;
        (
            ga.use_once("totp:chief@police.example:123", now, until)
                .unwrap(),
            gb.use_once("totp:chief@police.example:123", now, until)
                .unwrap(),
        )
    })
    .await
    .unwrap();
    assert!(first && !second, "a code used on A is spent on B");
    db.drop_db().await;
}

/// Counts the `stuffing_detected` events the platform logs (target `mamori::auth`),
/// from any thread of this test binary.
struct StuffingEvents(std::sync::atomic::AtomicUsize);

struct FindStuffing(bool);

impl tracing::field::Visit for FindStuffing {
    fn record_debug(&mut self, _field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0 |= format!("{value:?}").contains("stuffing_detected");
    }
}

impl tracing::Subscriber for &'static StuffingEvents {
    fn enabled(&self, m: &tracing::Metadata<'_>) -> bool {
        m.target() == "mamori::auth"
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, e: &tracing::Event<'_>) {
        let mut f = FindStuffing(false);
        e.record(&mut f);
        if f.0 {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn stuffing_events() -> &'static StuffingEvents {
    static EVENTS: StuffingEvents = StuffingEvents(std::sync::atomic::AtomicUsize::new(0));
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        tracing::subscriber::set_global_default(&EVENTS).unwrap();
    });
    &EVENTS
}

/// Credential stuffing spread over two `mamori serve` instances on one PostgreSQL
/// database: each sees fewer attempts than the detector needs (100), together they
/// raise the alert; the alert raised through one puts the step-up on sign-ins at the
/// other, and the operator is told once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attack_spread_over_two_instances_raises_one_shared_stuffing_alert() {
    use mamori_guard::LoginOutcome;
    use mamori_service::auth::SignIn;
    use std::sync::atomic::Ordering;
    let events = stuffing_events();
    let (db, w, b) = two_instances().await;
    let a = w.svc.clone();
    // One leaked pair per name, each from its own network: no per-address, network
    // or account limit is ever reached.
    let stuff = |svc: &mamori_service::Services, i: u32| {
        let svc = svc.clone();
        async move {
            let ip = format!("10.{}.{}.7", i / 200, i % 200).parse().unwrap();
            svc.sign_in(
                &format!("leaked{i}@mail.example"),
                "password123 from a leak",
                None,
                ip,
            )
            .await
            .unwrap()
        }
    };
    let before = events.0.load(Ordering::SeqCst);

    // 60 attempts on A: below the 100 attempts the detector needs.
    for i in 0..60 {
        assert!(matches!(
            stuff(&a, i).await,
            SignIn::Refused(LoginOutcome::Failed)
        ));
    }
    let ip = "198.51.100.20".parse().unwrap();
    assert!(
        matches!(
            b.sign_in("reporter@sakura.example", crate::world::PASSWORD, None, ip)
                .await
                .unwrap(),
            SignIn::Ok(_)
        ),
        "half the attack alone puts no friction on sign-ins"
    );

    // 60 more on B: B alone has seen 61 attempts, the shared window 121.
    let mut refused_for_step_up = 0;
    for i in 60..120 {
        match stuff(&b, i).await {
            SignIn::Refused(LoginOutcome::Failed) => {}
            SignIn::Refused(LoginOutcome::StepUpRequired) => refused_for_step_up += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        refused_for_step_up > 0,
        "B asks for the step-up once the shared window fires"
    );

    // The alert raised through B's attempts holds on A: the right password alone is
    // no longer enough there.
    let ip = "198.51.100.21".parse().unwrap();
    assert!(
        matches!(
            a.sign_in("chief@police.example", crate::world::PASSWORD, None, ip)
                .await
                .unwrap(),
            SignIn::Refused(LoginOutcome::StepUpRequired)
        ),
        "instance A applies the alert raised on B"
    );
    assert_eq!(
        events.0.load(Ordering::SeqCst) - before,
        1,
        "the alert is reported once across both instances"
    );
    let alert = w.svc.store().stuffing_alert().await.unwrap();
    assert!(alert.is_some(), "the alert is a row both instances read");

    db.drop_db().await;
}

/// Issue 15: during a stuffing alert a password-only person still signs in from a
/// network they used before or with their known-device cookie, both kept in the
/// guard's account row of the store; everyone else is asked for the step-up.
async fn password_only_people_pass_the_alert_from_known_places(w: &crate::world::World) {
    use mamori_guard::LoginOutcome;
    use mamori_service::auth::SignIn;
    let svc = &w.svc;
    let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
    let pw = crate::world::PASSWORD;
    let SignIn::Ok(first) = svc
        .sign_in("reporter@sakura.example", pw, None, ip("192.0.2.10"))
        .await
        .unwrap()
    else {
        panic!("first sign-in")
    };
    let device = first.device_token.clone().expect("a known-device token");
    // The attack: 150 failed sign-ins on unknown names from 150 networks.
    for i in 0..150u32 {
        let from = ip(&format!("10.{}.{}.7", i / 200, i % 200));
        let r = svc
            .sign_in(
                &format!("leaked{i}@mail.example"),
                "leaked pw 1",
                None,
                from,
            )
            .await
            .unwrap();
        assert!(matches!(
            r,
            SignIn::Refused(LoginOutcome::Failed | LoginOutcome::StepUpRequired)
        ));
    }
    assert!(svc.store().stuffing_alert().await.unwrap().is_some());
    let refused = |r: SignIn| matches!(r, SignIn::Refused(LoginOutcome::StepUpRequired));
    // From the same /24: in, with the password alone.
    assert!(matches!(
        svc.sign_in("reporter@sakura.example", pw, None, ip("192.0.2.99"))
            .await
            .unwrap(),
        SignIn::Ok(_)
    ));
    // From elsewhere: the step-up, unless the browser brings its device cookie.
    assert!(refused(
        svc.sign_in("reporter@sakura.example", pw, None, ip("203.0.113.5"))
            .await
            .unwrap()
    ));
    assert!(matches!(
        svc.sign_in_from_device(
            "reporter@sakura.example",
            pw,
            None,
            ip("203.0.113.5"),
            Some(&device)
        )
        .await
        .unwrap(),
        SignIn::Ok(_)
    ));
    // Someone who never signed in from here: the step-up.
    assert!(refused(
        svc.sign_in("chief@police.example", pw, None, ip("192.0.2.11"))
            .await
            .unwrap()
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alert_step_up_for_known_places_on_sqlite() {
    let w = crate::world::World::new(crate::world::sqlite_store().await).await;
    password_only_people_pass_the_alert_from_known_places(&w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alert_step_up_for_known_places_on_postgres() {
    let (db, w, _b) = two_instances().await;
    password_only_people_pass_the_alert_from_known_places(&w).await;
    db.drop_db().await;
}

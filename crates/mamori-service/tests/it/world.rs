//! A small world: two organizations with people, on a fresh store.

use mamori_guard::ManualClock;
use mamori_service::authz::Caller;
use mamori_service::{Actor, Env, ServiceConfig, Services};
use mamori_store::{OrgId, Store};
use std::sync::Arc;

pub const PASSWORD: &str = "violet lantern gravel orbit";

#[derive(Debug)]
pub struct World {
    pub svc: Services,
    pub clock: ManualClock,
    pub police: OrgId,
    pub company: OrgId,
    pub other_company: OrgId,
}

pub fn services(store: Arc<dyn Store>, clock: &ManualClock) -> Services {
    let cfg = ServiceConfig {
        fast_hashing: true,
        ..ServiceConfig::default()
    };
    Services::new(store, cfg, Env::new(Arc::new(clock.clone()))).unwrap()
}

pub async fn sqlite_store() -> Arc<dyn Store> {
    Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap())
}

impl World {
    pub async fn new(store: Arc<dyn Store>) -> World {
        let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
        let svc = services(store, &clock);
        svc.bootstrap("admin@mamori.example").await.unwrap();
        let c = Caller::Console;
        let npa = svc.create_org(c, "警察庁", "police", None).await.unwrap();
        let police = svc
            .create_org(c, "大阪府警察", "police_prefectural", Some(npa.id))
            .await
            .unwrap()
            .id;
        let company = svc
            .create_org(c, "株式会社さくら", "access_administrator", None)
            .await
            .unwrap()
            .id;
        let other_company = svc
            .create_org(c, "もみじ商事", "access_administrator", None)
            .await
            .unwrap()
            .id;
        let w = World {
            svc,
            clock,
            police,
            company,
            other_company,
        };
        w.person(w.police, "chief@police.example", "body_supervisor")
            .await;
        w.person(w.police, "staff@police.example", "body_staff")
            .await;
        w.person(w.company, "reporter@sakura.example", "reporter")
            .await;
        w.person(w.other_company, "reporter@momiji.example", "reporter")
            .await;
        w
    }

    pub async fn person(&self, org: OrgId, email: &str, role: &str) {
        let name = email.split('@').next().unwrap().to_string();
        self.svc
            .create_user(Caller::Console, org, email, &name, role)
            .await
            .unwrap();
        self.svc
            .set_password_as_console(email, PASSWORD)
            .await
            .unwrap();
    }

    /// Signs in and returns the session's actor.
    pub async fn actor(&self, email: &str) -> Actor {
        self.session(email).await.0
    }

    /// Signs in and returns the session's actor and cookie.
    pub async fn session(&self, email: &str) -> (Actor, String) {
        self.session_from(email, PASSWORD, "198.51.100.7").await
    }

    /// Signs in from `ip` with `password`.
    pub async fn session_from(&self, email: &str, password: &str, ip: &str) -> (Actor, String) {
        let s = match self
            .svc
            .sign_in(email, password, None, ip.parse().unwrap())
            .await
            .unwrap()
        {
            mamori_service::auth::SignIn::Ok(s) => s,
            other => panic!("{email}: {other:?}"),
        };
        let a = self
            .svc
            .authenticate_session(&s.cookie, ip)
            .await
            .unwrap()
            .actor;
        (a, s.cookie)
    }
}

//! Organizations, people, the first administrator and access history.

use crate::audit::Event;
use crate::authz::{Caller, Permission, check, check_caller};
use crate::{Actor, Result, ServiceError, Services, codes};
use mamori_store::{
    AuditEntry, LinkPurpose, NewOrg, NewUser, Org, OrgId, OrgKind, Role, User, UserId,
};
use serde_json::json;

/// A person just created, with the one-time link token to set a password.
#[derive(Debug)]
pub struct CreatedUser {
    /// The person.
    pub user: User,
    /// The set-password token (show once; `/set-password/{token}`).
    pub set_password_token: String,
}

fn check_name(name: &str) -> Result<&str> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 200 {
        return Err(ServiceError::Invalid(codes::NAME));
    }
    Ok(n)
}

fn check_email(email: &str) -> Result<String> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !e.chars().any(char::is_whitespace);
    if ok {
        Ok(e)
    } else {
        Err(ServiceError::Invalid(codes::EMAIL))
    }
}

impl Services {
    /// On an empty store: creates the platform organization and its first
    /// administrator, and returns a one-time sign-in link token. `None` when people
    /// already exist.
    pub async fn bootstrap(&self, admin_email: &str) -> Result<Option<String>> {
        if !self.store.users(None).await?.is_empty() {
            return Ok(None);
        }
        let org = match self.store.org_by_name("Mamori 運営").await? {
            Some(o) => o,
            None => {
                self.create_org(Caller::Console, "Mamori 運営", "platform", None)
                    .await?
            }
        };
        let created = self
            .create_user(
                Caller::Console,
                org.id,
                admin_email,
                "管理者",
                "platform_admin",
            )
            .await?;
        let link = self.issue_link(created.user.id, LinkPurpose::Login).await?;
        Ok(Some(link))
    }

    /// Creates an organization.
    pub async fn create_org(
        &self,
        caller: Caller<'_>,
        name: &str,
        kind: &str,
        parent: Option<OrgId>,
    ) -> Result<Org> {
        check_caller(caller, Permission::ManagePlatform)?;
        let kind = OrgKind::parse(kind).ok_or(ServiceError::Invalid(codes::ORG_KIND))?;
        let name = check_name(name)?;
        if let Some(p) = parent {
            self.store.org(p).await?.ok_or(ServiceError::NotFound)?;
        }
        let org = self
            .store
            .insert_org(&NewOrg {
                name: name.to_string(),
                kind,
                parent,
                created_at: self.now(),
            })
            .await?;
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            action: "create_org",
            object: format!("org:{}", org.id.0),
            source: caller.source(),
            detail: json!({"name": org.name, "kind": kind.as_str()}),
            ..Event::default()
        })
        .await?;
        Ok(org)
    }

    /// Organizations the actor may see (audited list view).
    pub async fn orgs(&self, actor: &Actor) -> Result<Vec<Org>> {
        let all = self.store.orgs().await?;
        let visible: Vec<Org> = all
            .into_iter()
            .filter(|o| check(actor, Permission::ViewOrg(o)).is_ok())
            .collect();
        self.list_viewed(actor, "list_orgs", "orgs", visible.len())
            .await?;
        Ok(visible)
    }

    /// Records that the actor saw a list (R-4.1: every view of protected objects).
    pub(crate) async fn list_viewed(
        &self,
        actor: &Actor,
        action: &'static str,
        object: &str,
        count: usize,
    ) -> Result<()> {
        self.audit(Event {
            actor: Some(actor.user.id),
            action,
            object: object.to_string(),
            source: actor.source.clone(),
            detail: json!({"count": count}),
            ..Event::default()
        })
        .await
    }

    /// The actor's own record (`/api/v1/me`; audited).
    pub async fn me(&self, actor: &Actor) -> Result<User> {
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "view_self",
            object: format!("user:{}", actor.user.id.0),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await?;
        Ok(actor.user.clone())
    }

    /// Organizations, for the console.
    pub async fn orgs_for_console(&self) -> Result<Vec<Org>> {
        Ok(self.store.orgs().await?)
    }

    /// One organization and its people (audited view).
    pub async fn org(&self, actor: &Actor, id: OrgId) -> Result<(Org, Vec<User>)> {
        let org = self.store.org(id).await?.ok_or(ServiceError::NotFound)?;
        if check(actor, Permission::ViewOrg(&org)).is_err() {
            self.denied(actor, &format!("org:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        }
        let people = self.store.users(Some(id)).await?;
        let people = people
            .into_iter()
            .filter(|u| check(actor, Permission::ViewUser(u)).is_ok())
            .collect();
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "view_org",
            object: format!("org:{}", id.0),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await?;
        Ok((org, people))
    }

    /// One person's record (audited view).
    pub async fn user(&self, actor: &Actor, id: UserId) -> Result<User> {
        let u = self.store.user(id).await?.ok_or(ServiceError::NotFound)?;
        if check(actor, Permission::ViewUser(&u)).is_err() {
            self.denied(actor, &format!("user:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        }
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(u.id),
            action: "view_user",
            object: format!("user:{}", id.0),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await?;
        Ok(u)
    }

    pub(crate) async fn denied(&self, actor: &Actor, object: &str) -> Result<()> {
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "access_denied",
            object: object.to_string(),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await
    }

    /// Creates a person; returns the one-time set-password link token.
    pub async fn create_user(
        &self,
        caller: Caller<'_>,
        org: OrgId,
        email: &str,
        display_name: &str,
        role: &str,
    ) -> Result<CreatedUser> {
        let role = Role::parse(role).ok_or(ServiceError::Invalid(codes::ROLE))?;
        let org = self.store.org(org).await?.ok_or(ServiceError::NotFound)?;
        check_caller(caller, Permission::CreateUser(&org, role))?;
        let email = check_email(email)?;
        let display_name = check_name(display_name)?;
        let user = self
            .store
            .insert_user(&NewUser {
                org: org.id,
                email,
                display_name: display_name.to_string(),
                role,
                created_at: self.now(),
            })
            .await?;
        // A platform administrator must not reach report content through accounts
        // they create: in an organization that already has someone to confirm them,
        // the new person is pending until confirmed (authz denies every report and
        // case permission meanwhile). The first person of an organization is active.
        let by_admin = caller.person().is_some_and(Actor::is_admin);
        let pending = by_admin && self.has_confirmer(&org, user.id).await?;
        if pending {
            self.store
                .insert_pending(user.id, caller.person().map(|a| a.user.id), self.now())
                .await?;
        }
        let token = self.issue_link(user.id, LinkPurpose::SetPassword).await?;
        let created_by = match caller.person() {
            None => "console",
            Some(a) if a.is_admin() => "platform_admin",
            Some(_) => "organization",
        };
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            subject: Some(user.id),
            action: "create_user",
            object: format!("user:{}", user.id.0),
            source: caller.source(),
            detail: json!({"org": org.id.0, "role": role.as_str(), "created_by": created_by, "pending": pending}),
        })
        .await?;
        Ok(CreatedUser {
            user,
            set_password_token: token,
        })
    }

    /// Whether `org` has an active, confirmed person (other than `except`) who
    /// confirms people created there ([`crate::authz::is_confirmer`]).
    async fn has_confirmer(&self, org: &mamori_store::Org, except: UserId) -> Result<bool> {
        for p in self.store.users(Some(org.id)).await? {
            if p.id != except
                && !p.disabled
                && crate::authz::is_confirmer(p.role, org)
                && !self.store.is_pending(p.id).await?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The people of the actor's organization waiting for confirmation, with who
    /// created them (audited list view); only for those who may confirm them.
    pub async fn pending_people(&self, actor: &Actor) -> Result<Vec<(User, Option<User>)>> {
        if actor.pending || !crate::authz::is_confirmer(actor.user.role, &actor.org) {
            return Err(ServiceError::NotFound);
        }
        let mut out = Vec::new();
        for (u, by) in self.store.pending_of_org(actor.org.id).await? {
            let by = match by {
                Some(id) => self.store.user(id).await?,
                None => None,
            };
            out.push((u, by));
        }
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "list_pending_people",
            object: format!("org:{}", actor.org.id.0),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await?;
        Ok(out)
    }

    /// Confirms (`true`) or rejects a pending person of the actor's organization.
    /// Rejecting disables the account. Audited; anyone else gets "not found".
    pub async fn decide_pending(&self, actor: &Actor, id: UserId, confirm: bool) -> Result<()> {
        let u = self.store.user(id).await?.ok_or(ServiceError::NotFound)?;
        if !crate::authz::may_confirm(actor, &u) || !self.store.is_pending(u.id).await? {
            self.denied(actor, &format!("user:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        }
        if !confirm {
            self.store.set_user_disabled(u.id, true).await?;
        }
        self.store.clear_pending(u.id).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(u.id),
            action: if confirm {
                "confirm_person"
            } else {
                "reject_person"
            },
            object: format!("user:{}", u.id.0),
            source: actor.source.clone(),
            detail: json!({"org": u.org.0}),
        })
        .await
    }

    /// Enables or disables a person (platform administrators, console). Enabling
    /// also clears the guard's inactivity mark; disabling ends the person's
    /// sessions at their next request.
    pub async fn set_user_enabled(
        &self,
        caller: Caller<'_>,
        email: &str,
        enabled: bool,
    ) -> Result<User> {
        check_caller(caller, Permission::ManagePlatform)?;
        let u = self
            .store
            .user_by_email(email.trim())
            .await?
            .ok_or(ServiceError::NotFound)?;
        self.store.set_user_disabled(u.id, !enabled).await?;
        if enabled {
            let e = u.email.clone();
            match self.with_guard(move |g| g.enable_account(&e)).await? {
                Ok(()) | Err(mamori_guard::GuardError::NoSuchAccount) => {}
                Err(err) => return Err(err.into()),
            }
        }
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            subject: Some(u.id),
            action: if enabled {
                "enable_user"
            } else {
                "disable_user"
            },
            object: format!("user:{}", u.id.0),
            source: caller.source(),
            ..Event::default()
        })
        .await?;
        Ok(User {
            disabled: !enabled,
            ..u
        })
    }

    /// Sets a password directly (console: `mamori demo`); policy still applies.
    pub async fn set_password_as_console(&self, email: &str, password: &str) -> Result<()> {
        let u = self
            .store
            .user_by_email(email)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let (e, n, p) = (
            u.email.clone(),
            u.display_name.clone(),
            password.to_string(),
        );
        let r = self
            .with_guard(move |g| match g.account(&e)? {
                Some(_) => g.set_password(&e, &p),
                None => g.create_account(&e, &n, &p).map(|r| r.map(|_| ())),
            })
            .await??;
        r.map_err(ServiceError::PasswordRefused)?;
        self.audit(Event {
            subject: Some(u.id),
            action: "set_password",
            object: format!("user:{}", u.id.0),
            source: "console".into(),
            ..Event::default()
        })
        .await
    }

    /// The actor's own access history: sign-ins, failures on their name,
    /// views of their record, their own actions; newest first.
    pub async fn my_history(&self, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>> {
        let h = self.store.audit_for_user(actor.user.id, limit).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "view_own_history",
            object: format!("user:{}", actor.user.id.0),
            source: actor.source.clone(),
            detail: json!({"count": h.len()}),
        })
        .await?;
        Ok(h)
    }

    /// The sign-in before the current one, if any.
    pub async fn previous_sign_in(&self, actor: &Actor) -> Result<Option<AuditEntry>> {
        let h = self
            .store
            .audit_by_actor_action(actor.user.id, "sign_in", 2)
            .await?;
        Ok(h.into_iter().nth(1))
    }

    /// The newest audit entries (platform administrators).
    pub async fn audit_log(&self, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>> {
        check(actor, Permission::ManagePlatform)?;
        let last = self.store.last_audit().await?.map_or(0, |e| e.seq);
        let mut page = self.store.audit_page((last - limit).max(0), limit).await?;
        page.reverse();
        self.list_viewed(actor, "view_audit_log", "audit_log", page.len())
            .await?;
        Ok(page)
    }
}

/// Who acted in an audit entry, for showing the log to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
}

impl Services {
    /// The names of the people who acted in `entries` (entries the caller was
    /// allowed to read: [`Self::audit_log`], [`Self::my_history`]); an entry
    /// without an actor is the system's (the console, a failed sign-in on an
    /// unknown name), an erased person is missing from the map.
    pub async fn audit_actors(
        &self,
        entries: &[AuditEntry],
    ) -> Result<std::collections::HashMap<UserId, AuditActor>> {
        let mut out = std::collections::HashMap::new();
        for id in entries.iter().filter_map(|e| e.actor) {
            if out.contains_key(&id) {
                continue;
            }
            if let Some(u) = self.store.user(id).await? {
                out.insert(
                    id,
                    AuditActor {
                        name: u.display_name,
                        email: u.email,
                    },
                );
            }
        }
        Ok(out)
    }

    /// A new one-time sign-in link for an existing, enabled person (console:
    /// `mamori users link`, when the first administrator's link was lost);
    /// audited as `issue_login_link`. Earlier links stay valid until used or
    /// expired.
    pub async fn reissue_login_link(&self, caller: Caller<'_>, email: &str) -> Result<String> {
        check_caller(caller, Permission::ManagePlatform)?;
        let u = self
            .store
            .user_by_email(&email.trim().to_lowercase())
            .await?
            .ok_or(ServiceError::NotFound)?;
        if u.disabled {
            return Err(ServiceError::Invalid(codes::LINK));
        }
        let token = self.issue_link(u.id, LinkPurpose::Login).await?;
        let (actor, source) = match caller {
            Caller::Person(a) => (Some(a.user.id), a.source.clone()),
            Caller::Console => (None, "console".to_string()),
        };
        self.audit(Event {
            actor,
            subject: Some(u.id),
            action: "issue_login_link",
            object: format!("user:{}", u.id.0),
            source,
            detail: json!({"expires_in_secs": self.cfg.link_ttl.whole_seconds()}),
        })
        .await?;
        Ok(token)
    }
}

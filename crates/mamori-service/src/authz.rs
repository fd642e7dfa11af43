//! Authorization, in one place. Every service method that reads or writes a
//! protected object calls [`check`] first with the [`Actor`] and the
//! [`Permission`] it needs; anything not allowed below is denied.
//!
//! | permission | allowed for |
//! |---|---|
//! | `ManagePlatform` (create orgs, audit log, verify) | `platform_admin` |
//! | `ViewOrg(org)` | `platform_admin`; members of `org`; `body_supervisor` of its parent |
//! | `ViewUser(user)` | `platform_admin`; the person; `body_supervisor` of the same org |
//! | `CreateUser(org, role)` | `platform_admin`; `body_supervisor` of `org` for `body_staff` |
//! | `CreateToken(user)` | `platform_admin`; the person |

use mamori_store::{Org, Role, User};

/// Who is acting: an authenticated, enabled person and their organization.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The person.
    pub user: User,
    /// Their organization.
    pub org: Org,
    /// Client address (for the audit log).
    pub source: String,
}

impl Actor {
    /// Whether the person administers the platform.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::PlatformAdmin
    }
}

/// Who is calling a use case: a person, or the operator at the server's console
/// (`mamori users add`, …), who already holds the database and is trusted.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    /// A signed-in person.
    Person(&'a Actor),
    /// The operator's console.
    Console,
}

impl Caller<'_> {
    /// The acting person, if any.
    pub fn person(&self) -> Option<&Actor> {
        match self {
            Caller::Person(a) => Some(a),
            Caller::Console => None,
        }
    }
    /// The client address, or `console`.
    pub fn source(&self) -> String {
        self.person()
            .map_or_else(|| "console".to_string(), |a| a.source.clone())
    }
}

/// [`check`] for a [`Caller`]: the console may do anything.
pub fn check_caller(caller: Caller<'_>, p: Permission<'_>) -> Result<(), Denied> {
    match caller {
        Caller::Person(a) => check(a, p),
        Caller::Console => Ok(()),
    }
}

/// What an action needs.
#[derive(Debug, Clone, Copy)]
pub enum Permission<'a> {
    /// Platform administration.
    ManagePlatform,
    /// Read an organization.
    ViewOrg(&'a Org),
    /// Read a person's record.
    ViewUser(&'a User),
    /// Create a person with a role in an organization.
    CreateUser(&'a Org, Role),
    /// Create an API token acting as a person.
    CreateToken(&'a User),
}

/// The refusal. Deliberately carries nothing: the caller answers "not found or
/// not allowed" the same way so that ids of other organizations leak nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("forbidden")]
pub struct Denied;

/// Decides. Deny by default.
pub fn check(actor: &Actor, p: Permission<'_>) -> Result<(), Denied> {
    if actor.user.disabled {
        return Err(Denied);
    }
    if actor.is_admin() {
        return Ok(());
    }
    let role = actor.user.role;
    let allowed = match p {
        Permission::ManagePlatform => false,
        Permission::ViewOrg(org) => {
            org.id == actor.org.id
                || (role == Role::BodySupervisor && org.parent == Some(actor.org.id))
        }
        Permission::ViewUser(u) => {
            u.id == actor.user.id || (role == Role::BodySupervisor && u.org == actor.org.id)
        }
        Permission::CreateUser(org, new_role) => {
            role == Role::BodySupervisor
                && org.id == actor.org.id
                && actor.org.kind.is_receiving_body()
                && new_role == Role::BodyStaff
        }
        Permission::CreateToken(u) => u.id == actor.user.id,
    };
    if allowed { Ok(()) } else { Err(Denied) }
}

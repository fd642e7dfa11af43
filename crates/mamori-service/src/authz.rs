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
//!
//! Intake and case work (issue 6). Platform administrators get **none** of these:
//! they run the platform but do not read report content (least privilege).
//!
//! | permission | allowed for |
//! |---|---|
//! | `CreateReport` | `reporter` of an organization that is not a receiving body or the platform |
//! | `ViewReport(report, cases)` | a draft: its author only. Submitted or withdrawn: `reporter`s of the reporting organization; `body_supervisor`s of a body holding a case for it; `body_staff` of such a body when that case is unassigned or assigned to them. A body that only got a referral proposal holds no case and sees nothing |
//! | `EditDraft(report)`, `SubmitReport(report)` | the author, while it is a draft |
//! | `ActAsReporter(report)` (messages to bodies, attachments after submission, referral consent) | `reporter`s of the reporting organization, once submitted |
//! | `WorkCase(case)` | `body_supervisor` of the case's body; `body_staff` of it when the case is unassigned or theirs |
//! | `AssignCase(case, person)` | `body_supervisor` of the body: to any enabled staff or supervisor of the body (or nobody); `body_staff`: to themselves, when they may work the case |
//! | queue ([`queue_scope`]) | `body_supervisor`: every case of their body; `body_staff`: unassigned cases and their own |
//! | "my reports" ([`reports_scope`]) | `reporter`: their organization's reports, drafts only their own |
//!
//! Statistics (issue 13):
//!
//! | permission | allowed for |
//! |---|---|
//! | `ViewStatistics` (published, anonymized reports) | `platform_admin`; `body_staff` and `body_supervisor` of a receiving body |
//! | `ManageStatistics` (import records and external counts, review de-duplication links) | `body_supervisor` of a receiving body (not pending) |
//!
//! The public portal (issue 14). Its public pages need no permission at all.
//!
//! | permission | allowed for |
//! |---|---|
//! | `EditPortal` (editor lists, new drafts) | `editor` |
//! | `EditPortalItem(item)` (change, send to review) | the `editor` who wrote it, while a draft |
//! | `ReviewPortalItem(item)` (publish, send back) | any **other** `editor`, while in review (four eyes) |
//! | `WithdrawPortalItem(item)` | `editor`, while published |
//! | `SaveSelfCheck` | anyone signed in |
//!
//! A **pending** person ([`Actor::pending`]: created by a platform administrator and
//! not yet confirmed by their organization, see [`may_confirm`]) gets none of the
//! intake and case permissions, no queue and no report list.
//!
//! History entries ([`may_read_event`]): reporters read only `reporter`-visible entries;
//! bodies holding a case read those, `bodies` entries and the internal entries of their
//! own case. Internal notes therefore never reach a reporter.

use mamori_store::{
    Case, CaseEvent, CaseId, Org, OrgId, PortalItem, QueueScope, Report, ReportStatus, Role, User,
    UserId, Visibility,
};

/// Who is acting: an authenticated, enabled person and their organization.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The person.
    pub user: User,
    /// Their organization.
    pub org: Org,
    /// Client address (for the audit log).
    pub source: String,
    /// Created by a platform administrator (or the console) and not yet confirmed by
    /// their organization: may sign in, but no report or case permission.
    pub pending: bool,
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
    /// File a report, notification or consultation with an account.
    CreateReport,
    /// Read a report (with all of its cases).
    ViewReport(&'a Report, &'a [Case]),
    /// Change a draft (answers, attachments).
    EditDraft(&'a Report),
    /// Send a draft to the chosen bodies.
    SubmitReport(&'a Report),
    /// Act as the reporter on a submitted report (message a body, attach, consent).
    ActAsReporter(&'a Report),
    /// Work a case at a body.
    WorkCase(&'a Case),
    /// Assign a case to a person (or to nobody).
    AssignCase(&'a Case, Option<&'a User>),
    /// Read the published (anonymized) statistics.
    ViewStatistics,
    /// Import statistical records and external counts, review de-duplication links.
    ManageStatistics,
    /// Read the portal's editorial items and write new drafts.
    EditPortal,
    /// Change a portal draft or send it to review.
    EditPortalItem(&'a PortalItem),
    /// Publish an item in review, or send it back (four eyes: never its author).
    ReviewPortalItem(&'a PortalItem),
    /// Take a published item down.
    WithdrawPortalItem(&'a PortalItem),
    /// Keep one's own self-check results.
    SaveSelfCheck,
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
    if actor.pending && touches_reports(p) {
        return Err(Denied);
    }
    if let Some(allowed) = check_stats(actor, p) {
        return if allowed { Ok(()) } else { Err(Denied) };
    }
    if let Some(allowed) = check_intake(actor, p).or_else(|| check_portal(actor, p)) {
        return if allowed { Ok(()) } else { Err(Denied) };
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
        _ => false,
    };
    if allowed { Ok(()) } else { Err(Denied) }
}

/// A reporter of the organization that filed the report.
fn is_reporter_of(actor: &Actor, r: &Report) -> bool {
    actor.user.role == Role::Reporter && r.org.is_some_and(|o| o == actor.org.id)
}

fn is_body_member(actor: &Actor) -> bool {
    matches!(actor.user.role, Role::BodyStaff | Role::BodySupervisor)
        && actor.org.kind.is_receiving_body()
}

/// Whether the actor may work this case (its body; staff only unassigned or their own).
fn works(actor: &Actor, c: &Case) -> bool {
    is_body_member(actor)
        && c.body == actor.org.id
        && (actor.user.role == Role::BodySupervisor
            || c.assignee.is_none_or(|a| a == actor.user.id))
}

/// The intake and case-work permissions; `None` for the others. Administrators are
/// not exempt here.
/// The permissions on report content (denied to pending people, in one place with
/// the queue's and the report list's scope below).
fn touches_reports(p: Permission<'_>) -> bool {
    matches!(
        p,
        Permission::CreateReport
            | Permission::ViewReport(..)
            | Permission::EditDraft(_)
            | Permission::SubmitReport(_)
            | Permission::ActAsReporter(_)
            | Permission::WorkCase(_)
            | Permission::AssignCase(..)
            | Permission::ManageStatistics
    )
}

/// The statistics permissions; `None` for the others. Published figures are anonymized,
/// so platform administrators and body members read them; importing case data and
/// judging which reports are one incident is for a body's supervisors.
fn check_stats(actor: &Actor, p: Permission<'_>) -> Option<bool> {
    Some(match p {
        Permission::ViewStatistics => actor.is_admin() || is_body_member(actor),
        Permission::ManageStatistics => {
            actor.user.role == Role::BodySupervisor && actor.org.kind.is_receiving_body()
        }
        _ => return None,
    })
}

/// Whether `by` may confirm (or reject) `pending`, a person of their organization
/// created by a platform administrator: a body supervisor of a receiving body; in
/// any other organization, a member. Never the pending person, nor a pending one.
pub fn may_confirm(by: &Actor, pending: &User) -> bool {
    !by.user.disabled
        && !by.pending
        && by.user.id != pending.id
        && by.user.org == pending.org
        && is_confirmer(by.user.role, &by.org)
}

/// Whether a person of `role` in `org` confirms people created there by a platform
/// administrator.
pub fn is_confirmer(role: Role, org: &Org) -> bool {
    if org.kind.is_receiving_body() {
        role == Role::BodySupervisor
    } else {
        org.kind != mamori_store::OrgKind::Platform && role != Role::PlatformAdmin
    }
}

fn check_intake(actor: &Actor, p: Permission<'_>) -> Option<bool> {
    let role = actor.user.role;
    Some(match p {
        Permission::CreateReport => {
            role == Role::Reporter
                && !actor.org.kind.is_receiving_body()
                && actor.org.kind != mamori_store::OrgKind::Platform
        }
        Permission::ViewReport(r, cases) => match r.status {
            ReportStatus::Draft => role == Role::Reporter && r.author == Some(actor.user.id),
            ReportStatus::Submitted | ReportStatus::Withdrawn => {
                is_reporter_of(actor, r)
                    || cases.iter().any(|c| c.report == r.id && works(actor, c))
            }
        },
        Permission::EditDraft(r) | Permission::SubmitReport(r) => {
            role == Role::Reporter
                && r.status == ReportStatus::Draft
                && r.author == Some(actor.user.id)
                && is_reporter_of(actor, r)
        }
        Permission::ActAsReporter(r) => {
            is_reporter_of(actor, r) && r.status == ReportStatus::Submitted
        }
        Permission::WorkCase(c) => works(actor, c),
        Permission::AssignCase(c, to) => {
            let target_ok = to.is_none_or(|u| {
                u.org == c.body
                    && !u.disabled
                    && matches!(u.role, Role::BodyStaff | Role::BodySupervisor)
            });
            works(actor, c)
                && target_ok
                && (role == Role::BodySupervisor || to.is_some_and(|u| u.id == actor.user.id))
        }
        _ => return None,
    })
}

/// The portal's permissions (issue 14); `None` for the others. Editors only, and
/// administrators are not exempt: the platform administrator creates editors but does
/// not publish. Anyone signed in (and not pending) may keep self-check results.
fn check_portal(actor: &Actor, p: Permission<'_>) -> Option<bool> {
    use mamori_core::portal::catalog::State;
    let editor = actor.user.role == Role::Editor && !actor.pending;
    Some(match p {
        Permission::EditPortal => editor,
        Permission::EditPortalItem(i) => {
            editor && i.state == State::Draft && i.author == Some(actor.user.id)
        }
        Permission::ReviewPortalItem(i) => {
            editor && i.state == State::Review && i.author != Some(actor.user.id)
        }
        Permission::WithdrawPortalItem(i) => editor && i.state == State::Published,
        Permission::SaveSelfCheck => !actor.pending,
        _ => return None,
    })
}

/// The part of its body's queue the actor may list. Deny for everyone but body staff
/// and supervisors.
pub fn queue_scope(actor: &Actor) -> Result<QueueScope, Denied> {
    if actor.user.disabled || actor.pending || !is_body_member(actor) {
        return Err(Denied);
    }
    Ok(QueueScope {
        body: actor.org.id,
        unassigned_or: (actor.user.role == Role::BodyStaff).then_some(actor.user.id),
    })
}

/// Whose reports the actor may list: (organization, the person whose drafts show).
pub fn reports_scope(actor: &Actor) -> Result<(OrgId, UserId), Denied> {
    if actor.user.disabled || actor.pending || actor.user.role != Role::Reporter {
        return Err(Denied);
    }
    Ok((actor.org.id, actor.user.id))
}

/// Who is reading a report's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader<'a> {
    /// The reporter (with an account, or by an anonymous contact token).
    Reporter,
    /// A body; `own` are the ids of its cases for the report.
    Body {
        /// The body's own cases.
        own: &'a [CaseId],
    },
}

/// Whether a history entry may be shown to `reader`.
pub fn may_read_event(reader: Reader<'_>, e: &CaseEvent) -> bool {
    match (reader, e.visibility) {
        (_, Visibility::Reporter) => true,
        (Reader::Reporter, _) => false,
        (Reader::Body { .. }, Visibility::Bodies) => true,
        (Reader::Body { own }, Visibility::BodyInternal) => {
            e.case.is_some_and(|c| own.contains(&c))
        }
    }
}

/// Vulnerability coordination (issue 12, R-3.5): which party of the handling standard
/// (取扱基準) a person acts as on one case. This is the only mapping; what each party may
/// then do and see is the core's rule (`SoftwareCase::apply`, `mamori_vuln::may_see`).
///
/// | party | who |
/// |---|---|
/// | receiving body (受付機関) | `body_staff`, `body_supervisor` or `coordinator` of an IPA organization |
/// | coordinator (調整機関) | `body_staff`, `body_supervisor` or `coordinator` of a JPCERT/CC organization |
/// | developer (製品開発者) | members of the organization a roster entry (名簿) is linked to |
/// | discoverer (発見者) | the account that filed the report |
/// | website operator (ウェブサイト運営者) | members of the organization the receiving body linked to a website case when it notified the operator (Ⅵ 2.(2)); without a link the receiving body records the operator's mail |
///
/// Pending people are no party at all. `developer_of` is the roster entry linked to the
/// person's organization, if any; `operator_org` is the organization linked to the case as
/// its website operator, if any (website cases only).
pub fn vuln_party(
    actor: &Actor,
    reporter: Option<UserId>,
    developer_of: Option<&str>,
    operator_org: Option<mamori_store::OrgId>,
) -> Option<mamori_vuln::Party> {
    use mamori_store::OrgKind;
    use mamori_vuln::{DeveloperId, Party};
    if actor.user.disabled || actor.pending {
        return None;
    }
    let staff = matches!(
        actor.user.role,
        Role::BodyStaff | Role::BodySupervisor | Role::Coordinator
    );
    match actor.org.kind {
        OrgKind::Ipa if staff => return Some(Party::ReceivingBody),
        OrgKind::JpcertCc if staff => return Some(Party::Coordinator),
        _ => {}
    }
    if reporter == Some(actor.user.id) {
        return Some(Party::Discoverer);
    }
    if operator_org.is_some_and(|o| o == actor.org.id) {
        return Some(Party::SiteOperator);
    }
    developer_of.map(|d| Party::Developer(DeveloperId::new(d)))
}

/// Who may file a vulnerability report (anyone signed in and confirmed), and who may
/// keep the developer list (the coordinator's staff, Ⅴ 一 3.(1)).
pub fn may_file_vuln_report(actor: &Actor) -> bool {
    !actor.user.disabled && !actor.pending
}

/// The coordinator keeps the developer list (名簿, Ⅴ 一 3.(1)).
pub fn may_manage_vuln_roster(actor: &Actor) -> bool {
    vuln_party(actor, None, None, None) == Some(mamori_vuln::Party::Coordinator)
}

//! Typed rows: what the platform stores, with no SQL type in sight.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Organization id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrgId(pub i64);

/// Person id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The stable wire and database name.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),+ } }
            /// Parses the stable name.
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$v),)+ _ => None } }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// What an organization is in the reporting and coordination flows.
    OrgKind {
        /// The platform operator itself (holds the platform administrators).
        Platform = "platform",
        /// National Police Agency (警察庁).
        Police = "police",
        /// A prefectural police unit (都道府県警察); has a parent `Police` org.
        PolicePrefectural = "police_prefectural",
        /// IPA (情報処理推進機構).
        Ipa = "ipa",
        /// JPCERT/CC.
        JpcertCc = "jpcert_cc",
        /// A reporting organization / access administrator (アクセス管理者).
        AccessAdministrator = "access_administrator",
        /// A product developer (製品開発者).
        ProductDeveloper = "product_developer",
        /// A website operator (ウェブサイト運営者).
        WebsiteOperator = "website_operator",
        /// An individual reporting on their own.
        Individual = "individual",
    }
);

impl OrgKind {
    /// A receiving body (受付機関): police, IPA or JPCERT/CC.
    pub fn is_receiving_body(self) -> bool {
        matches!(
            self,
            OrgKind::Police | OrgKind::PolicePrefectural | OrgKind::Ipa | OrgKind::JpcertCc
        )
    }
}

str_enum!(
    /// A person's role. One role per person; the authorization module maps roles
    /// to permissions.
    Role {
        /// Reports incidents for their organization.
        Reporter = "reporter",
        /// Works on cases at a receiving body.
        BodyStaff = "body_staff",
        /// Supervises a receiving body's staff.
        BodySupervisor = "body_supervisor",
        /// Coordinates vulnerability handling (IPA / JPCERT/CC).
        Coordinator = "coordinator",
        /// The contact person of a product developer.
        DeveloperContact = "developer_contact",
        /// Administers the platform.
        PlatformAdmin = "platform_admin",
        /// Edits the public portal (materials, alerts, publishers); a second editor
        /// publishes what one wrote.
        Editor = "editor",
    }
);

/// A new organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    /// Display name, unique.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Parent (a prefectural police unit's NPA).
    pub parent: Option<OrgId>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    /// Id.
    pub id: OrgId,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Parent organization.
    pub parent: Option<OrgId>,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A new person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Organization.
    pub org: OrgId,
    /// E-mail address (the login name), stored lower-cased.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Organization.
    pub org: OrgId,
    /// E-mail address, lower-cased.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Disabled by an administrator or for inactivity.
    pub disabled: bool,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A browser session. The cookie holds a random value; the store keeps its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// BLAKE3 hex of the cookie value.
    pub hash: String,
    /// The person.
    pub user: UserId,
    /// The synchronizer CSRF token bound to this session.
    pub csrf: String,
    /// Start (for the absolute timeout).
    pub created_at: OffsetDateTime,
    /// Last request (for the idle timeout).
    pub last_seen_at: OffsetDateTime,
}

/// An API token (bearer), stored as a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// BLAKE3 hex of the token.
    pub hash: String,
    /// The person the token acts as.
    pub user: UserId,
    /// What it is for.
    pub label: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// What a one-time link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Signs the person in once (first administrator).
    Login,
    /// Lets the person set a password.
    SetPassword,
}

impl LinkPurpose {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Login => "login",
            LinkPurpose::SetPassword => "set_password",
        }
    }
    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "login" => Some(LinkPurpose::Login),
            "set_password" => Some(LinkPurpose::SetPassword),
            _ => None,
        }
    }
}

/// A single-use link, stored as a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeLink {
    /// BLAKE3 hex of the token in the link.
    pub hash: String,
    /// The person.
    pub user: UserId,
    /// What it does.
    pub purpose: LinkPurpose,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// One audit-log entry. `hash = BLAKE3(prev_hash || canonical JSON of the rest)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who acted (none for anonymous failures and the system).
    pub actor: Option<UserId>,
    /// The person the entry is about (the login name's owner, a viewed profile).
    pub subject: Option<UserId>,
    /// What happened (`sign_in`, `view_org`, `create_user`, …).
    pub action: String,
    /// The object (`org:3`, `user:7`), or empty.
    pub object: String,
    /// Where from (client address), or empty.
    pub source: String,
    /// Extra facts as a JSON object (never secrets).
    pub detail: String,
    /// The previous entry's hash (64 zeros for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

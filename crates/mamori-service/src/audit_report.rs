//! The periodic audit report (R-4.1 定期監査): from the audit log, per day and per
//! person and organization — sign-ins, failed sign-ins, denials, views of
//! protected objects — and every administrative action, for a reviewer to read.

use crate::audit::Event;
use crate::{Result, Services};
use mamori_store::{AuditEntry, OrgId, UserId};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime};

/// Actions counted as administration.
pub const ADMIN_ACTIONS: &[&str] = &[
    "create_org",
    "create_user",
    "enable_user",
    "disable_user",
    "disable_inactive",
    "erase_user",
    "create_token",
    "set_password",
    "export_personal_data",
    "audit_report",
];

/// Counts of one day, person or organization.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Successful sign-ins.
    pub sign_ins: u64,
    /// Failed sign-ins (on the person's name, or anonymous).
    pub failures: u64,
    /// Refused accesses.
    pub denials: u64,
    /// Views and lists of protected objects.
    pub views: u64,
    /// Administrative actions.
    pub admin_actions: u64,
}

/// What kind of entry this is for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `sign_in`.
    SignIn,
    /// `sign_in_failed`.
    Failure,
    /// `access_denied`.
    Denial,
    /// `view_*`, `list_*`.
    View,
    /// See [`ADMIN_ACTIONS`].
    Admin,
    /// Anything else (the person's own settings, sign-out, …).
    Other,
}

/// Classifies an action.
pub fn kind(action: &str) -> Kind {
    match action {
        "sign_in" => Kind::SignIn,
        "sign_in_failed" => Kind::Failure,
        "access_denied" => Kind::Denial,
        a if a.starts_with("view_") || a.starts_with("list_") => Kind::View,
        a if ADMIN_ACTIONS.contains(&a) => Kind::Admin,
        _ => Kind::Other,
    }
}

impl Counts {
    fn add(&mut self, k: Kind) {
        match k {
            Kind::SignIn => self.sign_ins += 1,
            Kind::Failure => self.failures += 1,
            Kind::Denial => self.denials += 1,
            Kind::View => self.views += 1,
            Kind::Admin => self.admin_actions += 1,
            Kind::Other => {}
        }
    }
}

/// One person's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct PersonLine {
    /// Id.
    pub user: UserId,
    /// E-mail (as it is now; a pseudonym after erasure).
    pub email: String,
    /// Organization name.
    pub org: String,
    /// The counts.
    pub counts: Counts,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// From (inclusive).
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// To (exclusive).
    #[serde(with = "time::serde::rfc3339")]
    pub until: OffsetDateTime,
    /// Entries in the period.
    pub entries: u64,
    /// Totals.
    pub totals: Counts,
    /// Per day (UTC+9, the operators' day), every day of the period.
    pub days: BTreeMap<Date, Counts>,
    /// Per person who acted or was acted on, by id.
    pub people: Vec<PersonLine>,
    /// Per organization, by name.
    pub orgs: BTreeMap<String, Counts>,
    /// Every administrative action, oldest first.
    pub admin_actions: Vec<AuditEntry>,
    /// Whether the whole chain verified when the report was made.
    pub chain_intact: bool,
}

fn jst_date(t: OffsetDateTime) -> Date {
    t.to_offset(time::macros::offset!(+9)).date()
}

impl Services {
    /// Builds the report over `[since, until)` (console: `mamori audit report`;
    /// itself audited).
    pub async fn audit_report(
        &self,
        since: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<AuditReport> {
        let chain_intact = self.verify_audit().await?.first_broken.is_none();
        let users: HashMap<UserId, mamori_store::User> = self
            .store
            .users(None)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let orgs: HashMap<OrgId, String> = self
            .store
            .orgs()
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mut r = AuditReport {
            since,
            until,
            entries: 0,
            totals: Counts::default(),
            days: BTreeMap::new(),
            people: Vec::new(),
            orgs: BTreeMap::new(),
            admin_actions: Vec::new(),
            chain_intact,
        };
        // Every day of the period appears, quiet ones too (at most ~3 years of rows).
        if until > since {
            let last = jst_date(until - time::Duration::nanoseconds(1));
            let mut d = jst_date(since);
            for _ in 0..1100 {
                r.days.insert(d, Counts::default());
                match d.next_day() {
                    Some(n) if n <= last => d = n,
                    _ => break,
                }
            }
        }
        let mut people: BTreeMap<UserId, Counts> = BTreeMap::new();
        let mut after = 0;
        loop {
            let page = self.store.audit_page(after, 1000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for e in page.into_iter().filter(|e| e.at >= since && e.at < until) {
                let k = kind(&e.action);
                r.entries += 1;
                r.totals.add(k);
                r.days.entry(jst_date(e.at)).or_default().add(k);
                // A failure is about the name tried; everything else about who acted.
                let who = if k == Kind::Failure {
                    e.subject
                } else {
                    e.actor.or(e.subject)
                };
                if let Some(u) = who {
                    people.entry(u).or_default().add(k);
                    if let Some(org) = users.get(&u).and_then(|u| orgs.get(&u.org)) {
                        r.orgs.entry(org.clone()).or_default().add(k);
                    }
                }
                if k == Kind::Admin {
                    r.admin_actions.push(e);
                }
            }
        }
        r.people = people
            .into_iter()
            .map(|(id, counts)| {
                let u = users.get(&id);
                PersonLine {
                    user: id,
                    email: u.map_or_else(|| format!("#{}", id.0), |u| u.email.clone()),
                    org: u
                        .and_then(|u| orgs.get(&u.org))
                        .cloned()
                        .unwrap_or_default(),
                    counts,
                }
            })
            .collect();
        self.audit(Event {
            action: "audit_report",
            object: "audit_log".into(),
            source: "console".into(),
            detail: json!({"since": since.unix_timestamp(), "until": until.unix_timestamp(), "entries": r.entries}),
            ..Event::default()
        })
        .await?;
        Ok(r)
    }
}

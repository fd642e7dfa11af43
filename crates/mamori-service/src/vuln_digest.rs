//! Digests of vulnerability cases (issue 12: "digests instead of a mail per event";
//! reminders before deadlines, Ⅴ 一 3.(5), 4.(2), Ⅵ 3.(2)).
//!
//! Each notice the core gives with a command is queued in `vuln_outbox` in the command's
//! own transaction (`vuln_store_change`). [`Services::vuln_digest`] (run by `mamori vuln
//! digest` and by `mamori serve` on a timer):
//!
//! 1. queues every reminder that is due (`schedule::due`, `website::due_web`), each
//!    deadline once ever (`Reminder::once_key`);
//! 2. resolves each unsent line's party to the people who act as that party on that case
//!    — by [`authz::vuln_party`], the same rule that lets them open the case page;
//! 3. folds each person's lines, across all their cases, into one `vuln_digest` notice
//!    (shown on their home page) and marks the lines sent, in one transaction.
//!
//! A line whose party has nobody on the platform (a developer reached by mail, a
//! government body, an analyst) is marked sent and counted as `outside`: the coordinator
//! or receiving body reaches them as before. A digest names the case, the clause and the
//! kind of event only, never the details (see `mamori_vuln::digest`).

use crate::audit::Event;
use crate::authz::{self, Actor};
use crate::vuln::WEBSITE;
use crate::{Result, ServiceError, Services};
use mamori_store::{NewNotice, OrgKind, UserId, VulnCaseId, VulnOutboxRow};
use mamori_vuln::digest::{Digest, DigestEntry, DigestItem};
use mamori_vuln::{Party, ReminderPolicy};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Notice kind: a digest of vulnerability-case notices (`detail` is the `Digest` JSON).
pub const VULN_DIGEST: &str = "vuln_digest";

/// Lines delivered per sweep at most; the next sweep goes on.
const SWEEP_LINES: i64 = 10_000;

/// What one sweep did.
#[derive(Debug, Clone, Default)]
pub struct DigestRun {
    /// When the sweep ran (the service clock).
    pub at: Option<time::OffsetDateTime>,
    /// Reminders newly queued.
    pub reminders_queued: u64,
    /// Lines delivered (marked sent).
    pub lines: usize,
    /// Lines whose party has nobody on the platform.
    pub outside: usize,
    /// The digests delivered: the person's e-mail address and their digest.
    pub digests: Vec<(String, Digest)>,
}

/// One line to queue: whom to tell what on a case. `Party::Public` is never told.
pub(crate) fn outbox_rows(
    case: VulnCaseId,
    at: time::OffsetDateTime,
    tells: impl IntoIterator<Item = (Party, DigestItem)>,
) -> Result<Vec<VulnOutboxRow>> {
    tells
        .into_iter()
        .filter(|(to, _)| *to != Party::Public)
        .map(|(to, item)| {
            Ok(VulnOutboxRow {
                id: 0,
                case,
                recipient: to_json(&to)?,
                item: to_json(&item)?,
                key: None,
                created_at: at,
                sent_at: None,
            })
        })
        .collect()
}

/// JSON of a value, as a service error when it cannot be written.
fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| ServiceError::Internal(e.to_string()))
}

impl Services {
    /// Queues notices outside a command's transaction (a new report for the receiving
    /// body, a developer's own report for the coordinator).
    pub(crate) async fn vuln_tell(
        &self,
        case: VulnCaseId,
        tells: impl IntoIterator<Item = (Party, DigestItem)>,
    ) -> Result<()> {
        let rows = outbox_rows(case, self.now(), tells)?;
        self.store.queue_vuln_outbox(&rows).await?;
        Ok(())
    }

    /// One sweep: queue due reminders, then deliver every unsent line as one digest per
    /// person (module docs). Audited with its counts. A concurrent sweep that delivered
    /// the same lines first leaves this one with nothing sent.
    pub async fn vuln_digest(&self) -> Result<DigestRun> {
        let now = self.now();
        let policy = ReminderPolicy::default();
        let mut cases = HashMap::new();
        let mut due = Vec::new();
        for row in self.store.vuln_cases(false, i64::MAX).await? {
            let reminders = if row.kind == WEBSITE {
                let wc = crate::vuln_web::web_case_of(&row)?;
                mamori_vuln::website::due_web(&wc.case, &policy, now)
            } else {
                mamori_vuln::due(&crate::vuln::case_of(&row)?.case, &policy, now)
            };
            for r in reminders {
                let mut line =
                    outbox_rows(row.id, now, [(r.to.clone(), DigestItem::of_reminder(&r))])?;
                for l in &mut line {
                    l.key = Some(format!("{}|{}", row.id.0, r.once_key()));
                }
                due.extend(line);
            }
            cases.insert(row.id, (row.reporter, row.operator_org));
        }
        let reminders_queued = self.store.queue_vuln_outbox(&due).await?;

        let lines = self.store.vuln_outbox_unsent(SWEEP_LINES).await?;
        let (_, dev_orgs) = self.vuln_roster_full().await?;
        let people = self.vuln_people(&cases, &dev_orgs).await?;
        let mut per_person: BTreeMap<UserId, Vec<DigestEntry>> = BTreeMap::new();
        let mut outside = 0;
        for line in &lines {
            let party: Party = serde_json::from_str(&line.recipient)
                .map_err(|e| ServiceError::Internal(format!("outbox {}: {e}", line.id)))?;
            let item: DigestItem = serde_json::from_str(&line.item)
                .map_err(|e| ServiceError::Internal(format!("outbox {}: {e}", line.id)))?;
            let (reporter, operator_org) = cases.get(&line.case).copied().unwrap_or_default();
            let mut told = false;
            for a in &people {
                let dev = dev_orgs.get(&a.org.id).map(String::as_str);
                if authz::vuln_party(a, reporter, dev, operator_org).as_ref() == Some(&party) {
                    per_person.entry(a.user.id).or_default().push(DigestEntry {
                        case: line.case.0,
                        at: line.created_at,
                        item: item.clone(),
                    });
                    told = true;
                }
            }
            outside += usize::from(!told);
        }
        let email: HashMap<UserId, &str> = people
            .iter()
            .map(|a| (a.user.id, a.user.email.as_str()))
            .collect();
        let digests: Vec<(UserId, Digest)> = per_person
            .into_iter()
            .map(|(u, entries)| (u, Digest::new(entries)))
            .collect();
        let notices = digests
            .iter()
            .map(|(u, d)| {
                Ok(NewNotice {
                    user: *u,
                    at: now,
                    kind: VULN_DIGEST.into(),
                    detail: to_json(d)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
        match self.store.deliver_vuln_outbox(&ids, &notices, now).await {
            Err(mamori_store::StoreError::Conflict(_)) => {
                return Ok(DigestRun {
                    at: Some(now),
                    reminders_queued,
                    ..DigestRun::default()
                });
            }
            r => r?,
        }
        self.audit(Event {
            action: "vuln_digest",
            source: "digest".into(),
            detail: json!({
                "reminders_queued": reminders_queued,
                "lines": lines.len(),
                "outside": outside,
                "people": digests.len(),
            }),
            ..Event::default()
        })
        .await?;
        Ok(DigestRun {
            at: Some(now),
            reminders_queued,
            lines: lines.len(),
            outside,
            digests: digests
                .into_iter()
                .map(|(u, d)| (email.get(&u).copied().unwrap_or_default().to_string(), d))
                .collect(),
        })
    }

    /// Everyone who may act as a party on some case: staff of receiving bodies and
    /// coordinators, members of developer-list and website-operator organizations, and
    /// the discoverers; as actors, so that `authz::vuln_party` decides.
    async fn vuln_people(
        &self,
        cases: &HashMap<VulnCaseId, (Option<UserId>, Option<mamori_store::OrgId>)>,
        dev_orgs: &BTreeMap<mamori_store::OrgId, String>,
    ) -> Result<Vec<Actor>> {
        let reporters: BTreeSet<UserId> = cases.values().filter_map(|c| c.0).collect();
        let operators: BTreeSet<_> = cases.values().filter_map(|c| c.1).collect();
        let orgs: HashMap<_, _> = self
            .store
            .orgs()
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let mut out = Vec::new();
        for user in self.store.users(None).await? {
            let Some(org) = orgs.get(&user.org) else {
                continue;
            };
            let candidate = matches!(org.kind, OrgKind::Ipa | OrgKind::JpcertCc)
                || dev_orgs.contains_key(&org.id)
                || operators.contains(&org.id)
                || reporters.contains(&user.id);
            if !candidate || user.disabled {
                continue;
            }
            let pending = self.store.is_pending(user.id).await?;
            out.push(Actor {
                user,
                org: org.clone(),
                source: "digest".into(),
                pending,
            });
        }
        Ok(out)
    }
}

//! Vulnerability coordination on the platform (issue 12, R-3.5), over the pure core
//! `mamori-vuln`. This module only wires: it maps a person to a party of the handling
//! standard (取扱基準) with [`authz::vuln_party`], reads the clock once, runs the core's
//! `SoftwareCase::apply` (which decides whether the party may give the command, per
//! clause), stores the case and its history in one transaction (optimistic version), and
//! audits every change (with the clause carried out) and every view of confidential
//! content (with the fields shown). What a caller sees is cut down by
//! `mamori_vuln::may_see`: the discoverer's identity never reaches a developer without
//! consent (Ⅴ 一 2.(4)).
//!
//! The public advisory pages and the export read only cases that are published and on or
//! after their date (`public_advisory`, Ⅴ 一 3.(9)); anything else answers "not found".

use crate::audit::Event;
use crate::authz::{self, Actor};
use crate::{Result, ServiceError, Services};
use mamori_core::Lang;
use mamori_store::{VulnCaseId, VulnCaseRow, VulnHistoryRow, VulnOutboxRow, VulnRosterRow};
use mamori_vuln::csaf::CsafPublisher;
use mamori_vuln::cve::Cna;
use mamori_vuln::digest::DigestItem;
use mamori_vuln::{
    Advisory, Command, Developer, Field, Party, Reminder, ReminderPolicy, Report, Roster,
    SoftwareCase, VulnError,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The publisher named in CSAF documents.
pub fn csaf_publisher() -> CsafPublisher {
    CsafPublisher {
        category: "coordinator".into(),
        name: "JPCERT/CC".into(),
        namespace: "https://jvn.jp".into(),
    }
}

/// The CNA named in CVE records (JPCERT/CC's CNA identity).
pub fn cve_cna() -> Cna {
    Cna {
        org_id: "5a3a2bd5-9c39-4c9e-8a3c-7d0c1b1d6f0e".into(),
        short_name: "jpcert".into(),
    }
}

/// A stored case, read back.
#[derive(Debug, Clone)]
pub struct VulnCase {
    /// Id.
    pub id: VulnCaseId,
    /// Version for the next change.
    pub version: i64,
    /// The case.
    pub case: SoftwareCase,
    /// The discoverer's account.
    pub reporter: Option<mamori_store::UserId>,
}

/// A case as one party may see it: every confidential part is `None` unless `may_see`
/// allows it.
#[derive(Debug, Clone)]
pub struct VulnView {
    /// Id.
    pub id: VulnCaseId,
    /// Version for the next change.
    pub version: i64,
    /// The party the viewer acts as.
    pub party: Party,
    /// The stage's name.
    pub stage: Option<mamori_vuln::Stage>,
    /// The discoverer's identity.
    pub identity: Option<mamori_vuln::Discoverer>,
    /// The consent given (shown to whoever may see the identity).
    pub consent: Option<mamori_vuln::IdentityConsent>,
    /// The product.
    pub target: Option<mamori_vuln::Target>,
    /// 脆弱性情報.
    pub nature: Option<String>,
    /// 検証方法.
    pub verification: Option<String>,
    /// 攻撃方法.
    pub attack: Option<String>,
    /// The developers' threads the viewer may see.
    pub developers: Vec<mamori_vuln::developer::DeveloperThread>,
    /// The publication date with its basis.
    pub publication: Option<mamori_vuln::software::PublicationDate>,
    /// Date change requests (coordinator and the asking developer).
    pub date_changes: Vec<(usize, mamori_vuln::software::DateChangeRequest)>,
    /// The advisory text, once written (parties who may see the nature).
    pub advisory: Option<mamori_vuln::AdvisoryText>,
    /// The history (receiving body and coordinator).
    pub history: Vec<mamori_vuln::software::HistoryEntry>,
    /// The developer list, for the coordinator.
    pub roster: Roster,
    /// Reminders due for this party on this case.
    pub reminders: Vec<Reminder>,
}

/// One developer on the public unreachable list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreachableEntry {
    /// The developer's name on the list (名簿).
    pub name: String,
    /// Its products concerned, over all the cases it is listed on.
    pub products: Vec<String>,
    /// Listed since.
    pub since: time::OffsetDateTime,
}

/// One line of a party's case list.
#[derive(Debug, Clone)]
pub struct VulnSummary {
    /// Id.
    pub id: VulnCaseId,
    /// The product, if the party may see it.
    pub product: Option<String>,
    /// The stage's name.
    pub stage: String,
    /// The publication date.
    pub publication_at: Option<time::OffsetDateTime>,
    /// Number of developers on the case.
    pub developers: usize,
    /// A website case (Ⅵ), not a product.
    pub website: bool,
}

pub(crate) fn object(id: VulnCaseId) -> String {
    format!("vuln_case:{}", id.0)
}

fn row_of(
    case: &SoftwareCase,
    reporter: Option<mamori_store::UserId>,
    now: time::OffsetDateTime,
) -> Result<VulnCaseRow> {
    Ok(VulnCaseRow {
        id: VulnCaseId(0),
        kind: "software".into(),
        stage: case.stage.name().into(),
        publication_at: case.publication_date(),
        published: matches!(case.stage, mamori_vuln::Stage::Published { .. }),
        reporter,
        doc: serde_json::to_string(case).map_err(|e| ServiceError::Internal(e.to_string()))?,
        version: 0,
        created_at: now,
        updated_at: now,
        operator_org: None,
    })
}

/// The digest line telling that `clause` was carried out (a new report, a website step).
pub(crate) fn clause_notice(clause: mamori_vuln::Clause) -> DigestItem {
    DigestItem::Notice { clause, what: None }
}

/// The stored kind of a website case (Ⅵ); everything else is a software case (Ⅴ).
pub(crate) const WEBSITE: &str = "website";

pub(crate) fn case_of(row: &VulnCaseRow) -> Result<VulnCase> {
    if row.kind == WEBSITE {
        // A website case is read by `vuln_web`; asked for here, it is not one of these.
        return Err(ServiceError::NotFound);
    }
    Ok(VulnCase {
        id: row.id,
        version: row.version,
        case: serde_json::from_str(&row.doc)
            .map_err(|e| ServiceError::Internal(format!("vuln case {}: {e}", row.id.0)))?,
        reporter: row.reporter,
    })
}

impl Services {
    /// The developer list (名簿) and which organization acts as which developer.
    pub(crate) async fn vuln_roster_full(
        &self,
    ) -> Result<(Roster, BTreeMap<mamori_store::OrgId, String>)> {
        let mut roster = Roster::new();
        let mut orgs = BTreeMap::new();
        for r in self.store.vuln_roster().await? {
            let d: Developer = serde_json::from_str(&r.doc)
                .map_err(|e| ServiceError::Internal(format!("roster {}: {e}", r.developer)))?;
            if let Some(o) = r.org {
                orgs.insert(o, r.developer.clone());
            }
            roster
                .upsert(d)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
        }
        Ok((roster, orgs))
    }

    pub(crate) async fn vuln_audit(
        &self,
        actor: &Actor,
        action: &'static str,
        id: VulnCaseId,
        detail: Value,
    ) -> Result<()> {
        self.audit(Event {
            actor: Some(actor.user.id),
            action,
            object: object(id),
            source: actor.source.clone(),
            detail,
            ..Event::default()
        })
        .await
    }

    /// A discoverer files a report with the receiving body (Ⅴ 一 1.(1)). Completeness is
    /// checked when the receiving body accepts; the form asks for every required item.
    pub async fn vuln_submit(
        &self,
        actor: &Actor,
        report: Report,
    ) -> Result<std::result::Result<VulnCaseId, VulnError>> {
        if !authz::may_file_vuln_report(actor) {
            self.denied(actor, "vuln_case:new").await?;
            return Err(ServiceError::NotFound);
        }
        let now = self.now();
        if matches!(report.target, mamori_vuln::Target::Website { .. }) {
            return self.vuln_web_submit(actor, report, now).await;
        }
        let case = match SoftwareCase::submit(report, now) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        let row = self
            .store
            .insert_vuln_case(&row_of(&case, Some(actor.user.id), now)?)
            .await?;
        self.vuln_audit(
            actor,
            "vuln_submit",
            row.id,
            json!({"clause": mamori_vuln::Clause::SwDiscoverer1.code()}),
        )
        .await?;
        self.vuln_tell(
            row.id,
            [(
                Party::ReceivingBody,
                clause_notice(mamori_vuln::Clause::SwDiscoverer1),
            )],
        )
        .await?;
        Ok(Ok(row.id))
    }

    /// Loads a case and the party the person acts as on it; "not found" (audited) when
    /// they are no party to it.
    async fn vuln_load(&self, actor: &Actor, id: VulnCaseId) -> Result<(VulnCase, Party, Roster)> {
        let row = self
            .store
            .vuln_case(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let vc = case_of(&row)?;
        let (roster, orgs) = self.vuln_roster_full().await?;
        let dev = orgs.get(&actor.org.id).map(String::as_str);
        let Some(party) = authz::vuln_party(actor, vc.reporter, dev, None) else {
            self.denied(actor, &object(id)).await?;
            return Err(ServiceError::NotFound);
        };
        if mamori_vuln::may_see(&vc.case, &party, Field::Stage, self.now()).is_err() {
            self.denied(actor, &object(id)).await?;
            return Err(ServiceError::NotFound);
        }
        Ok((vc, party, roster))
    }

    /// The case as the person's party may see it; the view and the fields shown are
    /// audited.
    pub async fn vuln_view(&self, actor: &Actor, id: VulnCaseId) -> Result<VulnView> {
        let (vc, party, roster) = self.vuln_load(actor, id).await?;
        let now = self.now();
        let c = &vc.case;
        let ok = |f: Field| mamori_vuln::may_see(c, &party, f, now).is_ok();
        let mut shown = Vec::new();
        let mut mark = |name: &str, yes: bool| {
            if yes {
                shown.push(name.to_string());
            }
            yes
        };
        let identity =
            mark("identity", ok(Field::DiscovererIdentity)).then(|| c.report.discoverer.clone());
        let consent = identity.as_ref().map(|_| c.report.consent.clone());
        let target = mark("target", ok(Field::Target)).then(|| c.report.target.clone());
        let nature = mark("nature", ok(Field::Nature)).then(|| c.report.info.nature.clone());
        let verification = mark("verification", ok(Field::VerificationMethod))
            .then(|| c.report.info.verification.clone());
        let attack = if mark("attack", ok(Field::AttackMethod)) {
            c.report.info.attack.clone()
        } else {
            None
        };
        let developers: Vec<_> = c
            .developers
            .values()
            .filter(|t| ok(Field::DeveloperResult(t.developer.clone())))
            .cloned()
            .collect();
        let publication = mark("publication_date", ok(Field::PublicationDate))
            .then(|| c.publication.clone())
            .flatten();
        let date_changes = c
            .date_changes
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                party == Party::Coordinator || party == Party::Developer(r.developer.clone())
            })
            .map(|(i, r)| (i, r.clone()))
            .collect();
        let history = if mark("history", ok(Field::History)) {
            c.history.clone()
        } else {
            Vec::new()
        };
        let advisory = nature.as_ref().and(c.advisory.clone());
        let roster = if party == Party::Coordinator {
            roster
        } else {
            Roster::new()
        };
        let reminders = mamori_vuln::due(c, &ReminderPolicy::default(), now)
            .into_iter()
            .filter(|r| r.to == party)
            .collect();
        self.vuln_audit(
            actor,
            "vuln_view",
            id,
            json!({"party": party.to_string(), "fields": shown, "developers": developers.len()}),
        )
        .await?;
        Ok(VulnView {
            id,
            version: vc.version,
            stage: Some(c.stage.clone()),
            party,
            identity,
            consent,
            target,
            nature,
            verification,
            attack,
            developers,
            publication,
            date_changes,
            advisory,
            history,
            roster,
            reminders,
        })
    }

    /// Applies commands as the person's party, in order, as one change: the core decides
    /// per clause; on the first refusal nothing is stored and the error names the clause.
    /// Every applied command is audited with its clause and kept in the history table.
    pub async fn vuln_apply(
        &self,
        actor: &Actor,
        id: VulnCaseId,
        version: i64,
        commands: Vec<Command>,
    ) -> Result<std::result::Result<i64, VulnError>> {
        let (mut vc, party, roster) = self.vuln_load(actor, id).await?;
        if vc.version != version {
            return Err(ServiceError::Invalid(crate::codes::VULN_STALE));
        }
        let now = self.now();
        let mut history = Vec::new();
        let mut audits = Vec::new();
        let mut tells = Vec::new();
        for cmd in commands {
            let json =
                serde_json::to_string(&cmd).map_err(|e| ServiceError::Internal(e.to_string()))?;
            match vc.case.apply(&roster, &party, now, cmd) {
                Ok(applied) => {
                    history.push(VulnHistoryRow {
                        at: now,
                        party: party.to_string(),
                        clause: applied.clause.code().into(),
                        command: json.clone(),
                    });
                    let notices: Vec<String> =
                        applied.notices.iter().map(|n| n.to.to_string()).collect();
                    audits.push(json!({
                        "party": party.to_string(),
                        "clause": applied.clause.code(),
                        "command": serde_json::from_str::<Value>(&json).unwrap_or(Value::Null),
                        "notify": notices,
                    }));
                    tells.extend(applied.notices.into_iter().map(|n| {
                        let item = DigestItem::Notice {
                            clause: applied.clause,
                            what: Some(n.what),
                        };
                        (n.to, item)
                    }));
                }
                Err(e) => {
                    self.vuln_audit(
                        actor,
                        "vuln_refused",
                        id,
                        json!({"party": party.to_string(), "clause": e.clause().code(), "error": e.code()}),
                    )
                    .await?;
                    return Ok(Err(e));
                }
            }
        }
        let row = row_of(&vc.case, vc.reporter, now)?;
        let outbox = crate::vuln_digest::outbox_rows(id, now, tells)?;
        self.vuln_store_change(actor, (id, version), row, (&history, &outbox), audits, now)
            .await
            .map(Ok)
    }

    /// Stores an applied change (the case row at `version`, its history rows and the
    /// notices it gave, in one transaction), then audits each command; a concurrent
    /// change is `VULN_STALE`.
    pub(crate) async fn vuln_store_change(
        &self,
        actor: &Actor,
        (id, version): (VulnCaseId, i64),
        mut row: VulnCaseRow,
        (history, outbox): (&[VulnHistoryRow], &[VulnOutboxRow]),
        audits: Vec<Value>,
        now: time::OffsetDateTime,
    ) -> Result<i64> {
        row.id = id;
        row.version = version;
        let row = match self
            .store
            .update_vuln_case(&row, history, outbox, now)
            .await
        {
            Err(mamori_store::StoreError::Conflict(_)) => {
                return Err(ServiceError::Invalid(crate::codes::VULN_STALE));
            }
            r => r?,
        };
        for a in audits {
            self.vuln_audit(actor, "vuln_command", id, a).await?;
        }
        Ok(row.version)
    }

    /// The cases the person is a party to and may see, newest first (audited as a list
    /// view).
    pub async fn vuln_cases(&self, actor: &Actor) -> Result<Vec<(Party, VulnSummary)>> {
        let (_, orgs) = self.vuln_roster_full().await?;
        let dev = orgs.get(&actor.org.id).map(String::as_str);
        let now = self.now();
        let mut out = Vec::new();
        for row in self.store.vuln_cases(false, 1000).await? {
            if row.kind == WEBSITE {
                if let Some(line) = self.vuln_web_summary(actor, &row)? {
                    out.push(line);
                }
                continue;
            }
            let vc = case_of(&row)?;
            let Some(party) = authz::vuln_party(actor, vc.reporter, dev, None) else {
                continue;
            };
            let c = &vc.case;
            if mamori_vuln::may_see(c, &party, Field::Stage, now).is_err() {
                continue;
            }
            let product = match (
                &c.report.target,
                mamori_vuln::may_see(c, &party, Field::Target, now),
            ) {
                (mamori_vuln::Target::Product { name, version, .. }, Ok(())) => {
                    Some(format!("{name} {version}"))
                }
                (mamori_vuln::Target::Website { name, .. }, Ok(())) => Some(name.clone()),
                _ => None,
            };
            out.push((
                party,
                VulnSummary {
                    id: row.id,
                    product,
                    stage: c.stage.name().into(),
                    publication_at: c.publication_date(),
                    developers: c.developers.len(),
                    website: false,
                },
            ));
        }
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "vuln_list",
            object: "vuln_case:*".into(),
            source: actor.source.clone(),
            detail: json!({"count": out.len()}),
            ..Event::default()
        })
        .await?;
        Ok(out)
    }

    /// The draft advisory as CSAF 2.0 for one party of the case: made from
    /// `advisory_for` (only what that party may see; a developer gets its own line), so
    /// `TLP:RED` before publication (Ⅴ 一 3.(9)). Anyone who is no party gets "not found",
    /// like the embargoed public advisory; the download is audited as a view.
    pub async fn vuln_csaf_draft(
        &self,
        actor: &Actor,
        id: VulnCaseId,
        lang: Lang,
    ) -> Result<std::result::Result<Value, VulnError>> {
        let (vc, party, roster) = self.vuln_load(actor, id).await?;
        let now = self.now();
        let adv = match mamori_vuln::advisory_for(&vc.case, &roster, &party, now) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let doc = mamori_vuln::csaf::security_advisory(&adv, &csaf_publisher(), lang, now);
        let tlp = doc
            .pointer("/document/distribution/tlp/label")
            .cloned()
            .unwrap_or(Value::Null);
        self.vuln_audit(
            actor,
            "vuln_view",
            id,
            json!({"party": party.to_string(), "format": "csaf", "tlp": tlp, "developers": adv.developers.len()}),
        )
        .await?;
        Ok(Ok(doc))
    }

    /// The developer list, for the coordinator.
    pub async fn vuln_roster(&self, actor: &Actor) -> Result<Roster> {
        if !authz::may_manage_vuln_roster(actor) {
            self.denied(actor, "vuln_roster").await?;
            return Err(ServiceError::NotFound);
        }
        Ok(self.vuln_roster_full().await?.0)
    }

    /// The coordinator adds or changes a developer on the list (Ⅴ 一 3.(1)), optionally
    /// linked to the organization whose members act as it. `None` actor: the console.
    pub async fn vuln_upsert_developer(
        &self,
        actor: Option<&Actor>,
        developer: Developer,
        org: Option<mamori_store::OrgId>,
    ) -> Result<std::result::Result<(), VulnError>> {
        if let Some(a) = actor
            && !authz::may_manage_vuln_roster(a)
        {
            self.denied(a, "vuln_roster").await?;
            return Err(ServiceError::NotFound);
        }
        let mut check = Roster::new();
        if let Err(e) = check.upsert(developer.clone()) {
            return Ok(Err(e));
        }
        let now = self.now();
        self.store
            .upsert_vuln_developer(
                &VulnRosterRow {
                    developer: developer.id.0.clone(),
                    org,
                    doc: serde_json::to_string(&developer)
                        .map_err(|e| ServiceError::Internal(e.to_string()))?,
                },
                now,
            )
            .await?;
        self.audit(Event {
            actor: actor.map(|a| a.user.id),
            action: "vuln_roster_upsert",
            object: format!("vuln_developer:{}", developer.id),
            source: actor.map_or_else(|| "console".into(), |a| a.source.clone()),
            detail: json!({"clause": "sw_coordinator_1", "org": org.map(|o| o.0)}),
            ..Event::default()
        })
        .await?;
        Ok(Ok(()))
    }

    /// Every published advisory whose date has come, newest first (public; no audit: it
    /// is public information).
    pub async fn public_advisories(&self) -> Result<Vec<(VulnCaseId, Advisory)>> {
        let roster = self.vuln_roster_full().await?.0;
        let now = self.now();
        let mut out = Vec::new();
        for row in self.store.vuln_cases(true, 1000).await? {
            if row.kind == WEBSITE {
                continue; // never public (Ⅵ 1.(4)); never marked published either
            }
            let vc = case_of(&row)?;
            if let Ok(a) = mamori_vuln::public_advisory(&vc.case, &roster, now) {
                out.push((row.id, a));
            }
        }
        Ok(out)
    }

    /// The public list of unreachable developers (連絡不能開発者一覧): every developer the
    /// coordinator listed on some case and has not reached since, once, with the products
    /// of all those cases and the earliest listing; by name. Nothing else of any case.
    pub async fn public_unreachable(&self) -> Result<Vec<UnreachableEntry>> {
        let (roster, _) = self.vuln_roster_full().await?;
        let mut by: BTreeMap<mamori_vuln::DeveloperId, UnreachableEntry> = BTreeMap::new();
        for row in self.store.vuln_cases(false, i64::MAX).await? {
            if row.kind == WEBSITE {
                continue;
            }
            let vc = case_of(&row)?;
            for (dev, products, since) in vc.case.listed_unreachable() {
                let e = by.entry(dev.clone()).or_insert_with(|| UnreachableEntry {
                    name: roster.name(dev),
                    products: Vec::new(),
                    since,
                });
                e.since = e.since.min(since);
                for p in products {
                    if !e.products.contains(p) {
                        e.products.push(p.clone());
                    }
                }
            }
        }
        let mut out: Vec<UnreachableEntry> = by.into_values().collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Report counts by stage for the receiving body's periodic publication of the
    /// report situation (Ⅴ 一 2.(8), Ⅵ 2.(7)): software and website cases by stage,
    /// counts only, no case content (public).
    pub async fn vuln_statistics(&self) -> Result<mamori_vuln::stats::Statistics> {
        let rows = self.store.vuln_cases(false, i64::MAX).await?;
        let (web, sw): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r.kind == WEBSITE);
        let software = sw.into_iter().map(case_of).collect::<Result<Vec<_>>>()?;
        let website = web
            .into_iter()
            .map(crate::vuln_web::web_case_of)
            .collect::<Result<Vec<_>>>()?;
        Ok(mamori_vuln::stats::statistics(
            software.iter().map(|c| &c.case),
            website.iter().map(|c| &c.case),
        ))
    }

    /// One public advisory by its id (`JVNVU#…`) or the case number; "not found" for
    /// anything not public yet (an embargoed case gives the same answer as none).
    pub async fn public_advisory(&self, key: &str) -> Result<(VulnCaseId, Advisory)> {
        self.public_advisories()
            .await?
            .into_iter()
            .find(|(id, a)| a.text.id == key || id.0.to_string() == key)
            .ok_or(ServiceError::NotFound)
    }

    /// The CSAF 2.0 security advisory of a public advisory.
    pub fn advisory_csaf(&self, adv: &Advisory, lang: Lang) -> Value {
        mamori_vuln::csaf::security_advisory(adv, &csaf_publisher(), lang, self.now())
    }

    /// The CVE JSON 5.1 records of a public advisory, one per CVE id.
    pub fn advisory_cves(&self, adv: &Advisory) -> Vec<(String, Value)> {
        adv.text
            .cve_ids
            .iter()
            .filter_map(|id| {
                mamori_vuln::cve::record(adv, id, &cve_cna())
                    .ok()
                    .map(|r| (id.clone(), r))
            })
            .collect()
    }

    /// The operator's console stores a case built elsewhere (the demo world, a case
    /// migrated from another system); audited as a console import.
    pub async fn vuln_import_case(
        &self,
        case: &SoftwareCase,
        reporter: Option<mamori_store::UserId>,
    ) -> Result<VulnCaseId> {
        let (id, commands) = self.vuln_store_new(case, reporter).await?;
        self.audit(Event {
            actor: None,
            action: "vuln_import",
            object: object(id),
            source: "console".into(),
            detail: json!({"stage": case.stage.name(), "commands": commands}),
            ..Event::default()
        })
        .await?;
        Ok(id)
    }

    /// Stores a new software case with the history it already carries (one transaction
    /// for the history); returns its id and the number of history rows.
    pub(crate) async fn vuln_store_new(
        &self,
        case: &SoftwareCase,
        reporter: Option<mamori_store::UserId>,
    ) -> Result<(VulnCaseId, usize)> {
        let now = self.now();
        let row = self
            .store
            .insert_vuln_case(&row_of(case, reporter, now)?)
            .await?;
        let history: Vec<VulnHistoryRow> = case
            .history
            .iter()
            .map(|h| VulnHistoryRow {
                at: h.at,
                party: h.by.to_string(),
                clause: h.clause.code().into(),
                command: serde_json::to_string(&h.command).unwrap_or_default(),
            })
            .collect();
        let row = self
            .store
            .update_vuln_case(&row, &history, &[], now)
            .await?;
        Ok((row.id, history.len()))
    }

    /// Reminders due for the person's party across its cases (`schedule::due`).
    pub async fn vuln_reminders(&self, actor: &Actor) -> Result<Vec<(VulnCaseId, Reminder)>> {
        let (_, orgs) = self.vuln_roster_full().await?;
        let dev = orgs.get(&actor.org.id).map(String::as_str);
        let now = self.now();
        let mut out = Vec::new();
        for row in self.store.vuln_cases(false, 1000).await? {
            if row.kind == WEBSITE {
                out.extend(self.vuln_web_reminders(actor, &row, now)?);
                continue;
            }
            let vc = case_of(&row)?;
            let Some(party) = authz::vuln_party(actor, vc.reporter, dev, None) else {
                continue;
            };
            for r in mamori_vuln::due(&vc.case, &ReminderPolicy::default(), now) {
                if r.to == party {
                    out.push((row.id, r));
                }
            }
        }
        Ok(out)
    }
}

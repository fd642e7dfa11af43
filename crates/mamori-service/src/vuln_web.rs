//! The website flow Ⅵ on the platform (issue 12, R-3.5), over `mamori_vuln::WebsiteCase`:
//! a website report is stored as kind `website` in the same case table as the product
//! flow; the party a person acts as comes from [`authz::vuln_party`] only (the website
//! operator is the organization the receiving body linked when it notified the operator,
//! Ⅵ 2.(2)); every command runs through `WebsiteCase::apply` (the core decides per clause,
//! the history names the clause); every field shown is cut by `may_see_web` and the view is
//! audited with the fields shown. Nothing of a website case is ever public (Ⅵ 1.(4), 3.(3)):
//! it is never marked published and the public pages never read it.

use crate::authz::{self, Actor};
use crate::vuln::{VulnSummary, WEBSITE, object};
use crate::{Result, ServiceError, Services};
use mamori_store::{OrgId, OrgKind, VulnCaseId, VulnCaseRow, VulnHistoryRow};
use mamori_vuln::website::Leak;
use mamori_vuln::{
    Discoverer, IdentityConsent, Party, Reminder, ReminderPolicy, Report, Target, VulnError,
    WebCommand, WebField, WebStage, WebsiteCase, may_see_web,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// A stored website case, read back.
#[derive(Debug, Clone)]
pub struct WebCase {
    /// Id.
    pub id: VulnCaseId,
    /// Version for the next change.
    pub version: i64,
    /// The case.
    pub case: WebsiteCase,
    /// The discoverer's account.
    pub reporter: Option<mamori_store::UserId>,
    /// The organization acting as the website operator, once linked (Ⅵ 2.(2)).
    pub operator_org: Option<OrgId>,
}

/// A website case as one party may see it: every part is `None` (or empty) unless
/// `may_see_web` allows it.
#[derive(Debug, Clone)]
pub struct WebView {
    /// Id.
    pub id: VulnCaseId,
    /// Version for the next change.
    pub version: i64,
    /// The party the viewer acts as.
    pub party: Party,
    /// Where the case is.
    pub stage: Option<WebStage>,
    /// The discoverer's identity (Ⅵ 2.(4)).
    pub identity: Option<Discoverer>,
    /// The consent given (to whoever may see the identity).
    pub consent: Option<IdentityConsent>,
    /// The website's name and URL.
    pub site: Option<(String, String)>,
    /// 脆弱性情報 (Ⅱ 2(1)).
    pub nature: Option<String>,
    /// 検証方法.
    pub verification: Option<String>,
    /// 攻撃方法.
    pub attack: Option<String>,
    /// How much the operator has been told (receiving body).
    pub disclosure: Option<mamori_vuln::Disclosure>,
    /// The operator's contact window (receiving body and operator).
    pub operator_contact: Option<String>,
    /// The organization linked as the operator (receiving body).
    pub operator_org: Option<String>,
    /// The operator's verification result.
    pub vulnerable: Option<bool>,
    /// The operator's statements.
    pub statements: Vec<String>,
    /// A personal-data leak (Ⅵ 3.(4)), to the receiving body and the operator.
    pub leak: Option<Leak>,
    /// Analysts asked (Ⅵ 2.(5)), to the receiving body.
    pub analysts: Vec<String>,
    /// (time, party, clause, command name), to the receiving body.
    pub history: Vec<(String, Party, mamori_vuln::Clause, String)>,
    /// Reminders due for this party (`website::due_web`).
    pub reminders: Vec<Reminder>,
}

/// Reads a stored website case.
pub(crate) fn web_case_of(row: &VulnCaseRow) -> Result<WebCase> {
    if row.kind != WEBSITE {
        return Err(ServiceError::NotFound);
    }
    Ok(WebCase {
        id: row.id,
        version: row.version,
        case: serde_json::from_str(&row.doc)
            .map_err(|e| ServiceError::Internal(format!("website case {}: {e}", row.id.0)))?,
        reporter: row.reporter,
        operator_org: row.operator_org,
    })
}

fn web_row_of(
    case: &WebsiteCase,
    reporter: Option<mamori_store::UserId>,
    operator_org: Option<OrgId>,
    now: OffsetDateTime,
) -> Result<VulnCaseRow> {
    Ok(VulnCaseRow {
        id: VulnCaseId(0),
        kind: WEBSITE.into(),
        stage: case.stage.name().into(),
        publication_at: None,
        // Never public (Ⅵ 1.(4), 3.(3)).
        published: false,
        reporter,
        doc: serde_json::to_string(case).map_err(|e| ServiceError::Internal(e.to_string()))?,
        version: 0,
        created_at: now,
        updated_at: now,
        operator_org,
    })
}

fn command_name(c: &WebCommand) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.get("command").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default()
}

/// Whether a person is a party to a website case at all, and which: `vuln_party` decides,
/// then the core must let that party see the stage.
fn party_on(actor: &Actor, wc: &WebCase) -> Option<Party> {
    let party = authz::vuln_party(actor, wc.reporter, None, wc.operator_org)?;
    may_see_web(&wc.case, &party, WebField::Stage)
        .is_ok()
        .then_some(party)
}

impl Services {
    /// A discoverer files a website report (Ⅵ 1.(1)(2)); called by `vuln_submit` for a
    /// `Target::Website`.
    pub(crate) async fn vuln_web_submit(
        &self,
        actor: &Actor,
        report: Report,
        now: OffsetDateTime,
    ) -> Result<std::result::Result<VulnCaseId, VulnError>> {
        let case = match WebsiteCase::submit(report, now) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        let row = self
            .store
            .insert_vuln_case(&web_row_of(&case, Some(actor.user.id), None, now)?)
            .await?;
        self.vuln_audit(
            actor,
            "vuln_submit",
            row.id,
            json!({"clause": mamori_vuln::Clause::WebDiscoverer2.code(), "kind": WEBSITE}),
        )
        .await?;
        let item = crate::vuln::clause_notice(mamori_vuln::Clause::WebDiscoverer2);
        self.vuln_tell(row.id, [(Party::ReceivingBody, item)])
            .await?;
        Ok(Ok(row.id))
    }

    /// Whether a stored case is a website case; "not found" when there is no such case.
    /// Says nothing about its content: the view that follows checks the party.
    pub async fn vuln_is_website(&self, id: VulnCaseId) -> Result<bool> {
        let row = self
            .store
            .vuln_case(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(row.kind == WEBSITE)
    }

    async fn vuln_web_load(&self, actor: &Actor, id: VulnCaseId) -> Result<(WebCase, Party)> {
        let row = self
            .store
            .vuln_case(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let wc = web_case_of(&row)?;
        let Some(party) = party_on(actor, &wc) else {
            self.denied(actor, &object(id)).await?;
            return Err(ServiceError::NotFound);
        };
        Ok((wc, party))
    }

    /// A website case as the person's party may see it (`may_see_web` per field); the view
    /// and the fields shown are audited.
    pub async fn vuln_web_view(&self, actor: &Actor, id: VulnCaseId) -> Result<WebView> {
        let (wc, party) = self.vuln_web_load(actor, id).await?;
        let now = self.now();
        let c = &wc.case;
        let mut shown: Vec<&str> = Vec::new();
        let mut ok = |name: &'static str, f: WebField| {
            let yes = may_see_web(c, &party, f).is_ok();
            if yes {
                shown.push(name);
            }
            yes
        };
        let stage = ok("stage", WebField::Stage).then(|| c.stage.clone());
        let identity =
            ok("identity", WebField::DiscovererIdentity).then(|| c.report.discoverer.clone());
        let consent = identity.as_ref().map(|_| c.report.consent.clone());
        let site = match (&c.report.target, ok("url", WebField::Url)) {
            (Target::Website { name, url }, true) => Some((name.clone(), url.clone())),
            _ => None,
        };
        let nature = ok("nature", WebField::Nature).then(|| c.report.info.nature.clone());
        let verification = ok("verification", WebField::VerificationMethod)
            .then(|| c.report.info.verification.clone());
        let attack = if ok("attack", WebField::AttackMethod) {
            c.report.info.attack.clone()
        } else {
            None
        };
        let result = ok("operator_result", WebField::OperatorResult);
        let history_ok = ok("history", WebField::History);
        let rb = party == Party::ReceivingBody;
        let operator_side = rb || party == Party::SiteOperator;
        let operator_org = match (rb, wc.operator_org) {
            (true, Some(o)) => self.store.org(o).await?.map(|o| o.name),
            _ => None,
        };
        let reminders = mamori_vuln::website::due_web(c, &ReminderPolicy::default(), now)
            .into_iter()
            .filter(|r| r.to == party)
            .collect();
        self.vuln_audit(
            actor,
            "vuln_view",
            id,
            json!({"party": party.to_string(), "kind": WEBSITE, "fields": shown}),
        )
        .await?;
        Ok(WebView {
            id,
            version: wc.version,
            party: party.clone(),
            stage,
            identity,
            consent,
            site,
            nature,
            verification,
            attack,
            disclosure: rb.then_some(c.disclosure),
            operator_contact: operator_side.then(|| c.operator_contact.clone()).flatten(),
            operator_org,
            vulnerable: if result { c.vulnerable } else { None },
            statements: if result {
                c.operator_statements.clone()
            } else {
                Vec::new()
            },
            leak: if operator_side && result {
                c.leak.clone()
            } else {
                None
            },
            analysts: if rb { c.analysts.clone() } else { Vec::new() },
            history: if history_ok {
                c.history
                    .iter()
                    .map(|(at, by, clause, cmd)| {
                        (at.clone(), by.clone(), *clause, command_name(cmd))
                    })
                    .collect()
            } else {
                Vec::new()
            },
            reminders,
        })
    }

    /// The organizations the receiving body may link as a website's operator.
    pub async fn vuln_operator_orgs(&self, actor: &Actor) -> Result<Vec<(OrgId, String)>> {
        if authz::vuln_party(actor, None, None, None) != Some(Party::ReceivingBody) {
            self.denied(actor, "vuln_operator_orgs").await?;
            return Err(ServiceError::NotFound);
        }
        Ok(self
            .store
            .orgs()
            .await?
            .into_iter()
            .filter(|o| o.kind == OrgKind::WebsiteOperator)
            .map(|o| (o.id, o.name))
            .collect())
    }

    /// Applies website commands as the person's party, in order, as one change (the core
    /// decides per clause; on the first refusal nothing is stored). `link_operator`: with
    /// the receiving body's `NotifyOperator` (Ⅵ 2.(2)), the website-operator organization
    /// whose members then act as the operator on this case. Every applied command is
    /// audited with its clause and kept in the history table.
    pub async fn vuln_web_apply(
        &self,
        actor: &Actor,
        id: VulnCaseId,
        version: i64,
        commands: Vec<WebCommand>,
        link_operator: Option<OrgId>,
    ) -> Result<std::result::Result<i64, VulnError>> {
        let (mut wc, party) = self.vuln_web_load(actor, id).await?;
        if wc.version != version {
            return Err(ServiceError::Invalid(crate::codes::VULN_STALE));
        }
        let mut operator_org = wc.operator_org;
        if let Some(o) = link_operator {
            let notifying = commands
                .iter()
                .any(|c| matches!(c, WebCommand::NotifyOperator { .. }));
            let is_operator = self
                .store
                .org(o)
                .await?
                .is_some_and(|org| org.kind == OrgKind::WebsiteOperator);
            if party != Party::ReceivingBody || !notifying || !is_operator {
                return Err(ServiceError::Invalid(crate::codes::VULN_OPERATOR));
            }
            operator_org = Some(o);
        }
        let now = self.now();
        let mut history = Vec::new();
        let mut audits = Vec::new();
        let mut tells = Vec::new();
        for cmd in commands {
            let cmd_json =
                serde_json::to_string(&cmd).map_err(|e| ServiceError::Internal(e.to_string()))?;
            match wc.case.apply(&party, now, cmd) {
                Ok((clause, tell)) => {
                    history.push(VulnHistoryRow {
                        at: now,
                        party: party.to_string(),
                        clause: clause.code().into(),
                        command: cmd_json.clone(),
                    });
                    let told: Vec<String> = tell.iter().map(ToString::to_string).collect();
                    tells.extend(
                        tell.into_iter()
                            .map(|to| (to, crate::vuln::clause_notice(clause))),
                    );
                    audits.push(json!({
                        "party": party.to_string(),
                        "kind": WEBSITE,
                        "clause": clause.code(),
                        "command": serde_json::from_str::<Value>(&cmd_json).unwrap_or(Value::Null),
                        "notify": told,
                        "operator_org": operator_org.map(|o| o.0),
                    }));
                }
                Err(e) => {
                    self.vuln_audit(
                        actor,
                        "vuln_refused",
                        id,
                        json!({"party": party.to_string(), "kind": WEBSITE, "clause": e.clause().code(), "error": e.code()}),
                    )
                    .await?;
                    return Ok(Err(e));
                }
            }
        }
        let row = web_row_of(&wc.case, wc.reporter, operator_org, now)?;
        let outbox = crate::vuln_digest::outbox_rows(id, now, tells)?;
        self.vuln_store_change(actor, (id, version), row, (&history, &outbox), audits, now)
            .await
            .map(Ok)
    }

    /// The list line of a website case for this person, if they are a party to it.
    pub(crate) fn vuln_web_summary(
        &self,
        actor: &Actor,
        row: &VulnCaseRow,
    ) -> Result<Option<(Party, VulnSummary)>> {
        let wc = web_case_of(row)?;
        let Some(party) = party_on(actor, &wc) else {
            return Ok(None);
        };
        let site = match (
            &wc.case.report.target,
            may_see_web(&wc.case, &party, WebField::Url),
        ) {
            (Target::Website { name, .. }, Ok(())) => Some(name.clone()),
            _ => None,
        };
        Ok(Some((
            party,
            VulnSummary {
                id: row.id,
                product: site,
                stage: wc.case.stage.name().into(),
                publication_at: None,
                developers: 0,
                website: true,
            },
        )))
    }

    /// The reminders of a website case addressed to this person's party (`due_web`).
    pub(crate) fn vuln_web_reminders(
        &self,
        actor: &Actor,
        row: &VulnCaseRow,
        now: OffsetDateTime,
    ) -> Result<Vec<(VulnCaseId, Reminder)>> {
        let wc = web_case_of(row)?;
        let Some(party) = party_on(actor, &wc) else {
            return Ok(Vec::new());
        };
        Ok(
            mamori_vuln::website::due_web(&wc.case, &ReminderPolicy::default(), now)
                .into_iter()
                .filter(|r| r.to == party)
                .map(|r| (row.id, r))
                .collect(),
        )
    }
}

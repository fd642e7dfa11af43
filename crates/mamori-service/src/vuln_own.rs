//! Flow Ⅴ 二 on the platform: a developer reports a vulnerability in its own product
//! together with the countermeasure it made (Ⅴ 二 (1)); the case goes straight to the
//! coordinator, who sets the date after hearing the developer and publishes (Ⅴ 二 (2),
//! `Clause::Own2`) on the same case page as flow 一.
//!
//! The person must act as a developer on the list (`authz::vuln_party`: a member of the
//! organization a roster entry is linked to). The case is stored without a reporter
//! account: nobody on it is a discoverer, and the reporting developer acts as that
//! developer (`Party::Developer`) on its own case.

use crate::authz::{self, Actor};
use crate::{Result, ServiceError, Services};
use mamori_store::VulnCaseId;
use mamori_vuln::{Countermeasure, Party, SoftwareCase, VulnError, VulnerabilityInfo};
use serde_json::json;

impl Services {
    /// A developer's own-product report (Ⅴ 二 (1)): product and version, the
    /// vulnerability information and the countermeasure. "Not found" (audited) for anyone
    /// who does not act as a developer on the list.
    pub async fn vuln_own_product(
        &self,
        actor: &Actor,
        product: (String, String),
        info: VulnerabilityInfo,
        countermeasure: Countermeasure,
    ) -> Result<std::result::Result<VulnCaseId, VulnError>> {
        let (roster, orgs) = self.vuln_roster_full().await?;
        let dev = orgs.get(&actor.org.id).map(String::as_str);
        let Some(Party::Developer(developer)) = authz::vuln_party(actor, None, dev, None) else {
            self.denied(actor, "vuln_case:own").await?;
            return Err(ServiceError::NotFound);
        };
        let now = self.now();
        let case = match SoftwareCase::own_product(
            &roster,
            &developer,
            product,
            info,
            countermeasure,
            now,
        ) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        let (id, _) = self.vuln_store_new(&case, None).await?;
        self.vuln_audit(
            actor,
            "vuln_submit",
            id,
            json!({"clause": mamori_vuln::Clause::Own1.code(), "developer": developer.0}),
        )
        .await?;
        let item = crate::vuln::clause_notice(mamori_vuln::Clause::Own1);
        self.vuln_tell(id, [(Party::Coordinator, item)]).await?;
        Ok(Ok(id))
    }

    /// Whether the person acts as a developer on the list (for showing the Ⅴ 二 form).
    pub async fn vuln_is_developer(&self, actor: &Actor) -> Result<bool> {
        let (_, orgs) = self.vuln_roster_full().await?;
        let dev = orgs.get(&actor.org.id).map(String::as_str);
        Ok(matches!(
            authz::vuln_party(actor, None, dev, None),
            Some(Party::Developer(_))
        ))
    }
}

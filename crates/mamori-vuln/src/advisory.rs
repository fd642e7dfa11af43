//! The advisory: what is published on the date (Ⅴ 一 3.(6), 2.(7); Ⅴ 二 (2)) in the shape
//! of a JVN page, Japanese and English — the vulnerability information (Ⅱ 2(1) only: never
//! the verification or attack method), every notified developer's verification result and
//! status with "no report" (報告なし) where it gave none, and the discoverer credited only
//! if they agreed (Ⅴ 一 2.(4)).
//!
//! The same [`Advisory`] model feeds the CSAF document and the CVE record. Before the date
//! it exists only as an embargoed draft for the parties ([`Advisory::embargoed`]).

use crate::clause::Clause;
use crate::cvss::{CvssV3, CvssV4};
use crate::developer::{Countermeasure, DeveloperStatus, Novelty};
use crate::error::VulnError;
use crate::party::DeveloperId;
use crate::roster::Roster;
use crate::software::{Flow, SoftwareCase, Stage};
use mamori_core::Text;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The advisory's own words, written by the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisoryText {
    /// The advisory id, e.g. `JVNVU#12345678`.
    pub id: String,
    /// Title in Japanese.
    pub title_ja: String,
    /// Title in English.
    pub title_en: String,
    /// 脆弱性情報 (Ⅱ 2(1)) in Japanese: the nature and features.
    pub overview_ja: String,
    /// The same in English (a CVE record requires English).
    pub overview_en: String,
    /// The advisory's public URL.
    pub url: String,
    /// CVE ids assigned.
    pub cve_ids: Vec<String>,
    /// CWE id such as `CWE-287`, if known.
    pub cwe: Option<String>,
    /// The CVSS 3.1 base vector, if scored (valid by construction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v3: Option<CvssV3>,
    /// The CVSS 4.0 base vector, if scored (valid by construction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v4: Option<CvssV4>,
}

impl AdvisoryText {
    /// Checks that both languages are there and the id and URL are set.
    pub fn check(&self) -> Result<(), VulnError> {
        let filled = [
            &self.id,
            &self.title_ja,
            &self.title_en,
            &self.overview_ja,
            &self.overview_en,
            &self.url,
        ]
        .iter()
        .all(|s| !s.trim().is_empty());
        if !filled {
            return Err(VulnError::Condition {
                clause: Clause::SwCoordinator6,
                what: "the advisory has an id, a URL, and title and overview in Japanese and English",
            });
        }
        if !self.cve_ids.iter().all(|c| valid_cve_id(c)) {
            return Err(VulnError::Condition {
                clause: Clause::SwCoordinator6,
                what: "a CVE id looks like CVE-YYYY-NNNN",
            });
        }
        Ok(())
    }
}

/// `CVE-` + four-digit year + `-` + four or more digits.
pub fn valid_cve_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, num)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.bytes().all(|b| b.is_ascii_digit())
}

/// A developer's result as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedResult {
    /// 該当製品あり.
    Affected,
    /// 該当製品あり・修正済み.
    Fixed,
    /// 該当製品なし (the developer said so).
    NotAffected,
    /// 調査中 (the developer said it is investigating).
    Investigating,
    /// 報告なし: notified but gave no verification result (Ⅴ 一 3.(6) なお).
    NoReport,
    /// 連絡不能: the coordinator could not reach it.
    Unreachable,
}

impl PublishedResult {
    /// From a developer status. Silence maps to [`PublishedResult::NoReport`], never to
    /// "not affected".
    pub fn from_status(s: DeveloperStatus) -> PublishedResult {
        match s {
            DeveloperStatus::Affected => PublishedResult::Affected,
            DeveloperStatus::Fixed => PublishedResult::Fixed,
            DeveloperStatus::NotAffected => PublishedResult::NotAffected,
            DeveloperStatus::Investigating => PublishedResult::Investigating,
            DeveloperStatus::Unreachable => PublishedResult::Unreachable,
            DeveloperStatus::NotContacted
            | DeveloperStatus::Notified
            | DeveloperStatus::Acknowledged => PublishedResult::NoReport,
        }
    }

    /// The label on the page.
    pub fn text(self) -> Text {
        match self {
            PublishedResult::Affected => Text::new("該当製品あり", "Vulnerable"),
            PublishedResult::Fixed => Text::new("該当製品あり（修正済み）", "Vulnerable, fixed"),
            PublishedResult::NotAffected => Text::new("該当製品なし", "Not vulnerable"),
            PublishedResult::Investigating => Text::new("調査中", "Under investigation"),
            PublishedResult::NoReport => Text::new("報告なし", "No report"),
            PublishedResult::Unreachable => Text::new("連絡不能", "Unreachable"),
        }
    }
}

/// One developer's line in the advisory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeveloperEntry {
    /// Id (for product ids in CSAF).
    pub id: DeveloperId,
    /// Published name (from the developer list).
    pub name: String,
    /// Its products concerned.
    pub products: Vec<String>,
    /// The verification result or "no report".
    pub result: PublishedResult,
    /// New or known, if said.
    pub novelty: Option<Novelty>,
    /// Its statement, if any.
    pub statement: Option<String>,
    /// Its status report (対応状況); `None` is published as "no report".
    pub status_report: Option<String>,
    /// Its countermeasures.
    pub countermeasures: Vec<Countermeasure>,
    /// When it last changed (the page shows it with the zone).
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

impl DeveloperEntry {
    /// Gave no verification result (検証結果の報告なし).
    pub fn no_verification_report(&self) -> bool {
        matches!(
            self.result,
            PublishedResult::NoReport | PublishedResult::Unreachable
        )
    }

    /// Gave no status report (対応状況の報告なし).
    pub fn no_status_report(&self) -> bool {
        self.status_report.is_none() && self.countermeasures.is_empty()
    }
}

/// The advisory model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    /// The text.
    pub text: AdvisoryText,
    /// Ⅴ 一 or Ⅴ 二.
    pub flow: Flow,
    /// The publication date.
    #[serde(with = "time::serde::rfc3339")]
    pub publication_date: OffsetDateTime,
    /// When it was actually published (`None` in an embargoed draft).
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    /// A draft for the parties under embargo, not for the public.
    pub embargoed: bool,
    /// Every developer notified or found unreachable, in id order.
    pub developers: Vec<DeveloperEntry>,
    /// The discoverer's credit, only with consent.
    pub credit: Option<String>,
}

fn entries(case: &SoftwareCase, roster: &Roster) -> Vec<DeveloperEntry> {
    case.developers
        .values()
        .filter(|t| t.status != DeveloperStatus::NotContacted)
        .map(|t| DeveloperEntry {
            id: t.developer.clone(),
            name: roster.name(&t.developer),
            products: t.products.clone(),
            result: PublishedResult::from_status(t.status),
            novelty: t.novelty,
            statement: t.statement.clone(),
            status_report: t.status_report.clone(),
            countermeasures: t.countermeasures.clone(),
            updated_at: t.answered_at.or(t.notified_at),
        })
        .collect()
}

/// The advisory as of `now`: public once published and the date has come, otherwise an
/// embargoed draft for the parties (the caller checks the viewer with
/// [`crate::may_see`]). The draft credits the discoverer only if they agreed to both
/// being named to developers and publicly; the public advisory only if they agreed to a
/// public credit.
pub fn advisory(
    case: &SoftwareCase,
    roster: &Roster,
    now: OffsetDateTime,
) -> Result<Advisory, VulnError> {
    let text = case.advisory.clone().ok_or(VulnError::Condition {
        clause: Clause::SwCoordinator6,
        what: "the advisory text is not written yet",
    })?;
    let date = case.publication_date().ok_or(VulnError::Condition {
        clause: Clause::SwCoordinator3,
        what: "the publication date is not set yet",
    })?;
    if matches!(
        case.stage,
        Stage::Cancelled { .. } | Stage::Stopped { .. } | Stage::Refused { .. }
    ) {
        return Err(VulnError::WrongStage {
            clause: Clause::SwCoordinator6,
            action: "make an advisory",
            stage: case.stage.name(),
        });
    }
    let developers = entries(case, roster);
    if developers.is_empty() {
        return Err(VulnError::Condition {
            clause: Clause::SwCoordinator6,
            what: "no developer has been notified yet",
        });
    }
    let public = case.is_public(now);
    let consent = &case.report.consent;
    let credit = match (case.flow, public) {
        (Flow::OwnProduct, _) => None,
        (Flow::ThirdParty, true) => consent.public_credit.clone(),
        (Flow::ThirdParty, false) => consent
            .public_credit
            .clone()
            .filter(|_| consent.to_developers),
    };
    let published_at = match case.stage {
        Stage::Published { at } if public => Some(at),
        _ => None,
    };
    Ok(Advisory {
        text,
        flow: case.flow,
        publication_date: date,
        published_at,
        embargoed: !public,
        developers,
        credit,
    })
}

/// The public advisory page's model: only once published and on or after the date
/// (Ⅴ 一 3.(6)(9)); before that [`VulnError::BeforePublicationDate`].
pub fn public_advisory(
    case: &SoftwareCase,
    roster: &Roster,
    now: OffsetDateTime,
) -> Result<Advisory, VulnError> {
    if !case.is_public(now) {
        return Err(match case.publication_date() {
            Some(date) => VulnError::BeforePublicationDate {
                clause: Clause::SwCoordinator9,
                date,
            },
            None => VulnError::Condition {
                clause: Clause::SwCoordinator9,
                what: "not published",
            },
        });
    }
    advisory(case, roster, now)
}

/// The advisory as `viewer` may see it at `now`: the draft under embargo cut down by
/// [`crate::may_see`] — a developer sees its own line only, not the other developers'
/// results (Ⅴ 一 3.(9), 4.(4)), and the credit only under the discoverer's consent
/// (Ⅴ 一 2.(4)). This is what the API hands a party as its TLP:RED CSAF draft.
pub fn advisory_for(
    case: &SoftwareCase,
    roster: &Roster,
    viewer: &crate::Party,
    now: OffsetDateTime,
) -> Result<Advisory, VulnError> {
    use crate::visibility::{Field, may_see};
    may_see(case, viewer, Field::Nature, now)?;
    let mut adv = advisory(case, roster, now)?;
    adv.developers
        .retain(|d| may_see(case, viewer, Field::DeveloperResult(d.id.clone()), now).is_ok());
    if may_see(case, viewer, Field::Credit, now).is_err() {
        adv.credit = None;
    }
    if adv.developers.is_empty() {
        return Err(VulnError::NotPermitted {
            clause: Clause::SwCoordinator9,
            party: viewer.clone(),
            action: "see any developer's result",
        });
    }
    Ok(adv)
}

//! The developer list (製品開発者の名簿, Ⅴ 一 3.(1)): each developer's contact window
//! (窓口, set up with the coordinator, Ⅴ 一 4.(1)), PGP key and registration kind.

use crate::clause::Clause;
use crate::error::VulnError;
use crate::party::DeveloperId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a developer is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    /// 一般登録: the developer registered its window in advance (Ⅴ 一 4.(1)).
    General,
    /// 個別登録: added by the coordinator for a case (Ⅴ 一 3.(2) 名簿に記載のない製品開発者).
    Individual,
}

/// One developer on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Developer {
    /// Stable id.
    pub id: DeveloperId,
    /// The name published in advisories.
    pub name: String,
    /// The contact window (窓口): an address the coordinator writes to.
    pub contact_window: String,
    /// ASCII-armoured OpenPGP public key of the window, for encrypted mail.
    pub pgp_key: Option<String>,
    /// General or individual registration.
    pub registration: Registration,
    /// Products the developer makes (helps the coordinator find who is concerned).
    pub products: Vec<String>,
}

/// The developer list the coordinator keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Roster {
    developers: BTreeMap<DeveloperId, Developer>,
}

impl Roster {
    /// An empty list.
    pub fn new() -> Roster {
        Roster::default()
    }

    /// Adds or updates a developer (Ⅴ 一 3.(1), and 3.(2) for one found for a case).
    /// A developer needs a contact window to be notified at all.
    pub fn upsert(&mut self, developer: Developer) -> Result<(), VulnError> {
        if developer.contact_window.trim().is_empty() {
            return Err(VulnError::Condition {
                clause: Clause::SwCoordinator1,
                what: "a developer on the list needs a contact window (窓口)",
            });
        }
        self.developers.insert(developer.id.clone(), developer);
        Ok(())
    }

    /// The developer with this id.
    pub fn get(&self, id: &DeveloperId) -> Option<&Developer> {
        self.developers.get(id)
    }

    /// Every developer, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Developer> {
        self.developers.values()
    }

    /// Developers whose product list mentions `product` (case-insensitive substring):
    /// the coordinator's first guess at who is concerned (Ⅴ 一 3.(2)).
    pub fn concerned(&self, product: &str) -> Vec<&Developer> {
        let p = product.to_lowercase();
        self.developers
            .values()
            .filter(|d| {
                d.products.iter().any(|x| {
                    let x = x.to_lowercase();
                    !x.is_empty() && (x.contains(&p) || p.contains(&x))
                })
            })
            .collect()
    }

    /// The developer's published name, or its id when it is not on the list.
    pub fn name(&self, id: &DeveloperId) -> String {
        self.get(id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.0.clone())
    }
}

//! The mappings to JPCERT/CC's report categories and ENISA RSIT, read once from the data
//! files `data/jpcert.toml` and `data/rsit.toml` (compiled in; no I/O).

use super::Classification;
use crate::Text;
use serde::Deserialize;
use std::sync::LazyLock;

/// Which taxonomy values trigger a category (their codes, per dimension).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    /// [`super::Act`] codes.
    #[serde(default)]
    pub acts: Vec<String>,
    /// [`super::Method`] codes.
    #[serde(default)]
    pub methods: Vec<String>,
    /// [`super::AfterAccess`] codes.
    #[serde(default)]
    pub after: Vec<String>,
    /// [`super::Damage`] codes.
    #[serde(default)]
    pub damages: Vec<String>,
}

impl Triggers {
    /// Whether the case carries one of these values.
    pub fn matches(&self, c: &Classification) -> bool {
        c.acts
            .iter()
            .any(|v| self.acts.iter().any(|t| t == v.code()))
            || c.methods
                .iter()
                .any(|v| self.methods.iter().any(|t| t == v.code()))
            || c.after
                .iter()
                .any(|v| self.after.iter().any(|t| t == v.code()))
            || c.damages
                .iter()
                .any(|v| self.damages.iter().any(|t| t == v.code()))
    }
}

/// One JPCERT/CC report category with the taxonomy values counted under it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpcertCategory {
    /// Stable code (`phishing_site`, …).
    pub code: String,
    ja: String,
    en: String,
    /// The values counted under it.
    #[serde(default)]
    pub when: Triggers,
}

impl JpcertCategory {
    /// Both labels.
    pub fn text(&'static self) -> Text {
        Text::new(&self.ja, &self.en)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JpcertData {
    pub(crate) version: String,
    pub(crate) category: Vec<JpcertCategory>,
    pub(crate) other: JpcertCategory,
}

/// One ENISA RSIT (class, type) with the taxonomy values that map to it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RsitType {
    /// RSIT class (`intrusions`, …).
    pub class: String,
    /// RSIT type (`unprivileged-account-compromise`, …).
    #[serde(rename = "type")]
    pub kind: String,
    ja: String,
    en: String,
    /// Only for cases without any act under the Act (attempts).
    #[serde(default)]
    pub only_without_acts: bool,
    /// The values counted under it.
    #[serde(default)]
    pub when: Triggers,
}

impl RsitType {
    /// Both labels.
    pub fn text(&'static self) -> Text {
        Text::new(&self.ja, &self.en)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RsitFallback {
    pub(crate) class: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) ja: String,
    pub(crate) en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RsitData {
    pub(crate) version: String,
    pub(crate) fallback: RsitFallback,
    #[serde(rename = "type")]
    pub(crate) types: Vec<RsitType>,
}

pub(crate) static JPCERT: LazyLock<JpcertData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/jpcert.toml"))
        .expect("data/jpcert.toml is valid (checked by the taxonomy tests)")
});

pub(crate) static RSIT: LazyLock<RsitData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/rsit.toml"))
        .expect("data/rsit.toml is valid (checked by the taxonomy tests)")
});

/// The JPCERT/CC categories, `other` (その他) last.
pub fn jpcert_catalog() -> Vec<&'static JpcertCategory> {
    let d: &'static JpcertData = &JPCERT;
    d.category.iter().chain(std::iter::once(&d.other)).collect()
}

/// The category with this code.
pub fn jpcert_category(code: &str) -> Option<&'static JpcertCategory> {
    jpcert_catalog().into_iter().find(|c| c.code == code)
}

/// The JPCERT/CC report categories a case counts under (never empty: `other` when nothing else).
pub fn jpcert_categories(c: &Classification) -> Vec<&'static str> {
    let d: &'static JpcertData = &JPCERT;
    let mut out: Vec<&'static str> = d
        .category
        .iter()
        .filter(|k| k.when.matches(c))
        .map(|k| k.code.as_str())
        .collect();
    if out.is_empty() {
        out.push(d.other.code.as_str());
    }
    out
}

/// The RSIT types with their triggers, in data order (without the fallback).
pub fn rsit_types() -> &'static [RsitType] {
    let d: &'static RsitData = &RSIT;
    &d.types
}

/// The RSIT types, in data order, and the fallback last.
pub fn rsit_catalog() -> Vec<(&'static str, &'static str, Text)> {
    let d: &'static RsitData = &RSIT;
    d.types
        .iter()
        .map(|t| (t.class.as_str(), t.kind.as_str(), t.text()))
        .chain(std::iter::once((
            d.fallback.class.as_str(),
            d.fallback.kind.as_str(),
            Text::new(&d.fallback.ja, &d.fallback.en),
        )))
        .collect()
}

/// The ENISA RSIT (class, type) pairs a case maps to (never empty: (other, undetermined)).
pub fn rsit(c: &Classification) -> Vec<(&'static str, &'static str)> {
    let d: &'static RsitData = &RSIT;
    let no_acts = c.acts.is_empty();
    let mut out: Vec<(&'static str, &'static str)> = d
        .types
        .iter()
        .filter(|t| (!t.only_without_acts || no_acts) && t.when.matches(c))
        .map(|t| (t.class.as_str(), t.kind.as_str()))
        .collect();
    if out.is_empty() {
        out.push((d.fallback.class.as_str(), d.fallback.kind.as_str()));
    }
    out
}

/// The versions the data files declare: (file, version); each must equal [`super::TAXONOMY_VERSION`].
pub fn data_versions() -> [(&'static str, &'static str); 2] {
    [
        ("data/jpcert.toml", JPCERT.version.as_str()),
        ("data/rsit.toml", RSIT.version.as_str()),
    ]
}

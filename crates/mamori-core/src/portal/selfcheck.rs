//! Self-checks: a [`CheckList`] of numbered items answered yes / no / not
//! applicable, [`score`]d per section, with the gaps ordered by what matters most.
//! Answers are a plain map (`"1-3" → "yes"`), the shape of a url-encoded form, so a
//! result can be computed from a form post and shown without storing anything.

use super::Topic;
use crate::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One item to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Its number within the section.
    pub no: u8,
    /// Importance: 3 stops or limits an intrusion directly, 2 important, 1 supporting.
    pub weight: u8,
    /// What it is about (links a gap to materials).
    pub topic: Topic,
    /// The item, in plain words.
    pub text: Text,
}

/// A numbered section of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Its number within the list (`(1)`, `(2)`, …).
    pub no: u8,
    /// Its title.
    pub title: Text,
    /// Its items, in order.
    pub items: &'static [Item],
}

/// How a list's source numbers its headings and items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// Headings `(n)`, items `n` (the countermeasure standard): `(4)-8`.
    SectionInParens,
    /// Headings `n`, items `(n)` (the NPSC safety guideline): `4-(1)`.
    ItemInParens,
}

/// A whole self-check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckList {
    /// Stable id (`user`, `admin`, `provider`, `supplier`, `sme`).
    pub id: &'static str,
    /// Its title.
    pub title: Text,
    /// Who it is for.
    pub who: Text,
    /// How its source numbers headings and items.
    pub numbering: Numbering,
    /// Its sections.
    pub sections: &'static [Section],
}

impl CheckList {
    /// How many items it has.
    pub fn len(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    /// Whether it has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A heading's number as the source writes it: `(4)` or `4`.
    pub fn section_label(&self, s: &Section) -> String {
        match self.numbering {
            Numbering::SectionInParens => format!("({})", s.no),
            Numbering::ItemInParens => s.no.to_string(),
        }
    }

    /// An item's number as the source writes it: `(4)-8` or `4-(1)`.
    pub fn item_label(&self, s: &Section, i: &Item) -> String {
        self.label_of(s.no, i.no)
    }

    /// [`item_label`](Self::item_label) from the numbers (as a [`Gap`] holds them).
    pub fn label_of(&self, section: u8, item: u8) -> String {
        match self.numbering {
            Numbering::SectionInParens => format!("({section})-{item}"),
            Numbering::ItemInParens => format!("{section}-({item})"),
        }
    }

    /// Every item with its key (`"2-5"`: section 2, item 5), in order.
    pub fn items(&self) -> impl Iterator<Item = (String, &'static Section, &'static Item)> + '_ {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (key(s, i), s, i)))
    }
}

/// The key of an item within its list: `"section-item"`.
pub fn key(s: &Section, i: &Item) -> String {
    format!("{}-{}", s.no, i.no)
}

/// The list with this id (the four role lists of the standard, the NPSC guideline's
/// users' measures and the SME check).
pub fn list(id: &str) -> Option<&'static CheckList> {
    all().iter().copied().find(|l| l.id == id)
}

/// Every self-check: the standard's four role lists, the NPSC guideline's users'
/// measures, then the SME quick check.
pub fn all() -> &'static [&'static CheckList] {
    static ALL: [&CheckList; 6] = [
        &super::standard::SYSTEM_USER,
        &super::standard::SYSTEM_ADMIN,
        &super::standard::NETWORK_PROVIDER,
        &super::standard::SUPPLIER,
        &super::guideline_npsc::NPSC_USER,
        &super::standard::SME_QUICK,
    ];
    &ALL
}

/// One answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Done.
    Yes,
    /// Not done.
    No,
    /// Does not apply here.
    NotApplicable,
}

impl Answer {
    /// The form value (`yes`, `no`, `na`).
    pub fn code(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotApplicable => "na",
        }
    }

    /// Parses a form value.
    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "yes" => Some(Answer::Yes),
            "no" => Some(Answer::No),
            "na" => Some(Answer::NotApplicable),
            _ => None,
        }
    }
}

/// Answers by item key. Unknown keys and values are dropped when read from a form.
pub type Answers = BTreeMap<String, Answer>;

/// Reads the answers of `list` from form pairs (`q1-3=yes`); anything else is ignored.
pub fn answers_from_pairs(list: &CheckList, pairs: &[(String, String)]) -> Answers {
    let mut out = Answers::new();
    for (k, _, _) in list.items() {
        let field = format!("q{k}");
        if let Some(a) = pairs
            .iter()
            .filter(|(n, _)| *n == field)
            .find_map(|(_, v)| Answer::parse(v))
        {
            out.insert(k, a);
        }
    }
    out
}

/// One section's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionScore {
    /// Section number.
    pub no: u8,
    /// Items answered yes.
    pub yes: usize,
    /// Items that apply (all but "not applicable"; unanswered items count as applying).
    pub applicable: usize,
    /// Items not answered.
    pub unanswered: usize,
}

impl SectionScore {
    /// The share done, in whole percent (100 when nothing applies).
    pub fn percent(&self) -> u32 {
        // At most 100 · 58: no overflow.
        (self.yes * 100)
            .checked_div(self.applicable)
            .map_or(100, |p| u32::try_from(p).unwrap_or(100))
    }
}

/// One gap: an item answered "no" or not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The item's key (`"4-8"`).
    pub key: String,
    /// Section number.
    pub section: u8,
    /// Item number.
    pub item: u8,
    /// Importance (3 first).
    pub weight: u8,
    /// Its topic.
    pub topic: Topic,
    /// Whether it was left unanswered (rather than answered "no").
    pub unanswered: bool,
}

/// A whole result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// The list's id.
    pub list: &'static str,
    /// Per section, in order.
    pub sections: Vec<SectionScore>,
    /// All sections together.
    pub total: SectionScore,
    /// The gaps: answered "no" before unanswered, then by importance (3 first),
    /// then in the list's order.
    pub gaps: Vec<Gap>,
}

/// Scores answers against a list.
pub fn score(list: &'static CheckList, answers: &Answers) -> Score {
    let mut sections = Vec::new();
    let mut gaps = Vec::new();
    let mut total = SectionScore {
        no: 0,
        yes: 0,
        applicable: 0,
        unanswered: 0,
    };
    for s in list.sections {
        let mut sc = SectionScore {
            no: s.no,
            yes: 0,
            applicable: 0,
            unanswered: 0,
        };
        for i in s.items {
            let k = key(s, i);
            match answers.get(&k) {
                Some(Answer::NotApplicable) => continue,
                Some(Answer::Yes) => sc.yes += 1,
                a => {
                    let unanswered = a.is_none();
                    if unanswered {
                        sc.unanswered += 1;
                    }
                    gaps.push(Gap {
                        key: k,
                        section: s.no,
                        item: i.no,
                        weight: i.weight,
                        topic: i.topic,
                        unanswered,
                    });
                }
            }
            sc.applicable += 1;
        }
        total.yes += sc.yes;
        total.applicable += sc.applicable;
        total.unanswered += sc.unanswered;
        sections.push(sc);
    }
    // Stable sort: list order within the same rank.
    gaps.sort_by_key(|g| (g.unanswered, std::cmp::Reverse(g.weight)));
    Score {
        list: list.id,
        sections,
        total,
        gaps,
    }
}

/// The item behind a key of `list`.
pub fn item(list: &'static CheckList, key: &str) -> Option<(&'static Section, &'static Item)> {
    let (s, i) = key.split_once('-')?;
    let (s, i): (u8, u8) = (s.parse().ok()?, i.parse().ok()?);
    let sec = list.sections.iter().find(|x| x.no == s)?;
    let it = sec.items.iter().find(|x| x.no == i)?;
    Some((sec, it))
}

//! The portal's editorial content: approved [`Publisher`]s, their [`Material`]s and
//! [`Alert`]s. Each goes draft → review → published (→ withdrawn); a second editor
//! publishes (the four-eyes rule lives in `mamori_service::authz`). A material past its
//! review date is [`Freshness::Stale`] (shown, marked) and after a grace period
//! [`Freshness::Hidden`] (not shown to the public).

use super::{Audience, Format, MaterialLang, Topic};
use crate::Text;
use crate::dimension::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where an item stands in the editorial workflow.
    pub enum State {
        /// Being written; only editors see it.
        Draft = "draft", "下書き", "draft";
        /// Waiting for a second editor.
        Review = "review", "確認待ち", "in review";
        /// Public.
        Published = "published", "公開中", "published";
        /// Taken down.
        Withdrawn = "withdrawn", "公開終了", "withdrawn";
    }
}

coded_enum! {
    /// What kind of item.
    pub enum Kind {
        /// An organization approved to list materials.
        Publisher = "publisher", "掲載団体", "publisher";
        /// An awareness material.
        Material = "material", "教材・資料", "material";
        /// A timely alert.
        Alert = "alert", "注意喚起", "alert";
    }
}

coded_enum! {
    /// What a publisher is (the listing criteria name who may list).
    pub enum PublisherKind {
        /// A ministry, agency or local government.
        PublicBody = "public_body", "国・自治体・公的機関", "public body";
        /// A non-profit or incorporated association.
        Nonprofit = "nonprofit", "非営利団体・公益法人", "non-profit";
        /// An industry or professional association.
        Association = "association", "業界団体・職能団体", "industry association";
        /// A company (its materials are checked for promotion).
        Company = "company", "企業", "company";
    }
}

/// The listing criteria an editor confirms before approving a publisher.
pub const LISTING_CRITERIA: &[Text] = &[
    Text::new(
        "運営者と連絡先が公開され、確認できる",
        "Its operator and contact are public and verified",
    ),
    Text::new(
        "資料の内容に責任を持ち、見直しの日を守る",
        "It takes responsibility for its materials and keeps their review dates",
    ),
    Text::new(
        "啓発資料と自社製品の宣伝を分けて示す",
        "It keeps awareness material apart from promotion of its products",
    ),
];

/// One field's problem, for the form to show in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field.
    pub field: &'static str,
    /// What is wrong.
    pub message: Text,
}

/// A publisher approved to list materials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    /// Name.
    pub name: String,
    /// What kind of organization.
    pub kind: Option<PublisherKind>,
    /// Its site.
    pub url: String,
    /// A contact (mail or page) for questions about its materials.
    pub contact: String,
    /// Why it meets the listing criteria (the editor's note).
    pub criteria_note: String,
}

/// An awareness material.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Title.
    pub title: String,
    /// What it offers, in a few sentences.
    pub summary: String,
    /// For whom.
    pub audiences: Vec<Audience>,
    /// About what.
    pub topic: Option<Topic>,
    /// Format.
    pub format: Option<Format>,
    /// Language.
    pub language: Option<MaterialLang>,
    /// Where it is (may be empty when the material is an uploaded [`file`](Self::file)).
    pub url: String,
    /// The uploaded file, if the material is one (served by the portal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<super::files::MaterialFile>,
    /// Terms of use (may it be copied, printed, changed?).
    pub terms: String,
    /// How to cite it.
    pub citation: String,
    /// The publisher (the id of a published [`Publisher`] item), its owner who keeps it up to date.
    pub publisher: i64,
    /// The date by which the owner reviews it (`YYYY-MM-DD`).
    pub review_by: String,
    /// Product promotion: listed apart from awareness material and marked.
    pub promotion: bool,
}

/// A timely alert, in Japanese and English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Japanese title.
    pub title_ja: String,
    /// English title.
    pub title_en: String,
    /// Japanese text.
    pub body_ja: String,
    /// English text.
    pub body_en: String,
    /// For whom.
    pub audiences: Vec<Audience>,
    /// Shown as a banner on every portal page while it lasts.
    pub urgent: bool,
    /// The last day it is current (`YYYY-MM-DD`); empty for open-ended.
    pub until: String,
}

const MAX_SHORT: usize = 200;
const MAX_LONG: usize = 5_000;

fn text_ok(errs: &mut Vec<FieldError>, field: &'static str, v: &str, max: usize, required: bool) {
    let n = v.chars().count();
    if required && v.trim().is_empty() {
        errs.push(FieldError {
            field,
            message: Text::new("入力してください。", "Required."),
        });
    } else if n > max
        || v.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errs.push(FieldError {
            field,
            message: Text::new(
                "長すぎるか、使えない文字が含まれています。",
                "Too long, or holds characters that are not allowed.",
            ),
        });
    }
}

/// Whether `s` is an absolute `http`/`https` URL without spaces or quotes.
pub fn url_ok(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && s.len() <= 2_000
            && !s.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')
            })
    })
}

fn url_field(errs: &mut Vec<FieldError>, field: &'static str, v: &str, required: bool) {
    if v.is_empty() && !required {
        return;
    }
    if !url_ok(v) {
        errs.push(FieldError {
            field,
            message: Text::new(
                "http:// または https:// で始まる URL を入力してください。",
                "Enter a URL starting with http:// or https://.",
            ),
        });
    }
}

fn need<T>(errs: &mut Vec<FieldError>, field: &'static str, v: &Option<T>) {
    if v.is_none() {
        errs.push(FieldError {
            field,
            message: Text::new("選んでください。", "Choose one."),
        });
    }
}

fn date_field(errs: &mut Vec<FieldError>, field: &'static str, v: &str, required: bool) {
    if v.is_empty() && !required {
        return;
    }
    if day_number(v).is_none() {
        errs.push(FieldError {
            field,
            message: Text::new(
                "日付を YYYY-MM-DD の形で入力してください。",
                "Enter a date as YYYY-MM-DD.",
            ),
        });
    }
}

impl Publisher {
    /// Checks every field; all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        text_ok(&mut e, "name", &self.name, MAX_SHORT, true);
        need(&mut e, "kind", &self.kind);
        url_field(&mut e, "url", &self.url, true);
        text_ok(&mut e, "contact", &self.contact, MAX_SHORT, true);
        text_ok(&mut e, "criteria_note", &self.criteria_note, MAX_LONG, true);
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

impl Material {
    /// Checks every field; all problems at once. Whether `publisher` is a published
    /// publisher is the service's check.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        text_ok(&mut e, "title", &self.title, MAX_SHORT, true);
        text_ok(&mut e, "summary", &self.summary, MAX_LONG, true);
        if self.audiences.is_empty() {
            e.push(FieldError {
                field: "audiences",
                message: Text::new(
                    "対象を1つ以上選んでください。",
                    "Choose at least one audience.",
                ),
            });
        }
        need(&mut e, "topic", &self.topic);
        need(&mut e, "format", &self.format);
        need(&mut e, "language", &self.language);
        // A link or an uploaded file; a draft may get its file after it is written,
        // so the link is optional here and `is_located` is checked before review.
        url_field(&mut e, "url", &self.url, false);
        text_ok(&mut e, "terms", &self.terms, MAX_LONG, true);
        text_ok(&mut e, "citation", &self.citation, MAX_SHORT * 2, false);
        if self.publisher <= 0 {
            e.push(FieldError {
                field: "publisher",
                message: Text::new("掲載団体を選んでください。", "Choose the publisher."),
            });
        }
        date_field(&mut e, "review_by", &self.review_by, true);
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// Whether readers can reach it: a link or an uploaded file. Checked before a
    /// draft goes to review.
    pub fn is_located(&self) -> bool {
        !self.url.is_empty() || self.file.is_some()
    }
}

impl Alert {
    /// Checks every field; all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        text_ok(&mut e, "title_ja", &self.title_ja, MAX_SHORT, true);
        text_ok(&mut e, "title_en", &self.title_en, MAX_SHORT, true);
        text_ok(&mut e, "body_ja", &self.body_ja, MAX_LONG, true);
        text_ok(&mut e, "body_en", &self.body_en, MAX_LONG, true);
        if self.audiences.is_empty() {
            e.push(FieldError {
                field: "audiences",
                message: Text::new(
                    "対象を1つ以上選んでください。",
                    "Choose at least one audience.",
                ),
            });
        }
        date_field(&mut e, "until", &self.until, false);
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// Whether the alert is still current on `today` (`YYYY-MM-DD`).
    pub fn current(&self, today: &str) -> bool {
        match (day_number(&self.until), day_number(today)) {
            (Some(until), Some(t)) => t <= until,
            _ => true,
        }
    }
}

/// Days a material stays listed (marked stale) after its review date.
pub const DEFAULT_GRACE_DAYS: i64 = 90;

/// How current a material is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Within its review date.
    Current,
    /// Past its review date: shown, marked as possibly out of date.
    Stale,
    /// Past the review date and the grace period: not shown to the public.
    Hidden,
}

/// Where a material with review date `review_by` stands on `today` (both
/// `YYYY-MM-DD`), with `grace_days` of grace. An unreadable date is hidden: the
/// portal never shows what it cannot vouch for.
pub fn freshness(review_by: &str, today: &str, grace_days: i64) -> Freshness {
    match (day_number(review_by), day_number(today)) {
        (Some(r), Some(t)) if t <= r => Freshness::Current,
        (Some(r), Some(t)) if t <= r + grace_days => Freshness::Stale,
        _ => Freshness::Hidden,
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date; `None` unless it is a real date.
pub fn day_number(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let p = s.get(r)?;
        if p.bytes().all(|c| c.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_freshness() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01"),
            Some(day_number("2024-02-29").unwrap_or(0) + 1)
        );
        assert_eq!(day_number("2023-02-29"), None);
        assert_eq!(day_number("2026-13-01"), None);
        assert_eq!(day_number("２０２６-01-01"), None);
        assert_eq!(
            freshness("2026-12-05", "2026-12-05", 90),
            Freshness::Current
        );
        assert_eq!(freshness("2026-12-04", "2026-12-05", 90), Freshness::Stale);
        assert_eq!(freshness("2026-09-05", "2026-12-04", 90), Freshness::Stale);
        assert_eq!(freshness("2026-09-05", "2026-12-05", 90), Freshness::Hidden);
        assert_eq!(freshness("soon", "2026-12-05", 90), Freshness::Hidden);
    }

    #[test]
    fn urls() {
        assert!(url_ok("https://www.ipa.go.jp/security/"));
        assert!(url_ok("http://127.0.0.1:8080/x?y=1"));
        assert!(!url_ok("javascript:alert(1)"));
        assert!(!url_ok("https://"));
        assert!(!url_ok("https:///x"));
        assert!(!url_ok("https://a b"));
        assert!(!url_ok("https://a\"onmouseover"));
    }
}

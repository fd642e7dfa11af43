//! The intake questionnaire (届出・相談・通報): plain-word questions a victim company can
//! answer without knowing the law, the answers as a url-encodable map, their validation,
//! [`classify`] onto the unified taxonomy and [`prefill_from_scan`] from `mamori scan` JSON.

mod classify;
mod prefill;
mod questions;

pub use classify::classify;
pub use prefill::{Prefill, PrefillError, ScanFact, answers_from_scan, prefill_from_scan};

use crate::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest accepted free text (characters).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Longest accepted short text (characters).
pub const MAX_SHORT_TEXT_CHARS: usize = 500;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one of the options (radio buttons).
    One,
    /// Any number of the options (check boxes).
    Many,
    /// One line of text.
    ShortText,
    /// Free text.
    LongText,
    /// A date (`YYYY-MM-DD`) or date and time (`YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]`).
    DateTime,
    /// `yes` or `no` (the options carry the labels).
    YesNo,
}

/// One option of a choice question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Stable id: the submitted form value.
    pub id: &'static str,
    /// The label.
    pub text: Text,
}

/// One question of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Question {
    /// Stable id, used as the form field name.
    pub id: &'static str,
    /// The question.
    pub text: Text,
    /// A hint under the question.
    pub help: Text,
    /// How it is answered.
    pub kind: QuestionKind,
    /// The options (empty for text kinds).
    pub options: &'static [Choice],
    /// A 届出 cannot be submitted without it; drafts may skip it.
    pub required_for_report: bool,
}

impl Question {
    /// The option with this id.
    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.options.iter().find(|c| c.id == id)
    }
}

/// Every question, in the order the form asks them.
pub fn questions() -> &'static [Question] {
    questions::QUESTIONS
}

/// The question with this id.
pub fn question(id: &str) -> Option<&'static Question> {
    questions::QUESTIONS.iter().find(|q| q.id == id)
}

/// All answers as lists of strings (choice ids, or one free text), keyed by question id:
/// maps 1:1 to a url-encoded form with repeated keys. Blank values count as unanswered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Vec<String>>);

/// One problem with the answers, for the form to show next to the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerError {
    /// The question id (as submitted).
    pub question: String,
    /// What is wrong, in both languages.
    pub message: Text,
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.question, self.message.en)
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Answers {
    /// The values given for a question (empty when unanswered).
    pub fn get(&self, id: &str) -> &[String] {
        self.0.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Replaces the values of a question; blank values are dropped, and no values left
    /// removes the answer.
    pub fn set(&mut self, id: &str, values: Vec<String>) {
        let values: Vec<String> = values.into_iter().filter(|v| !blank(v)).collect();
        if values.is_empty() {
            self.0.remove(id);
        } else {
            self.0.insert(id.to_string(), values);
        }
    }

    /// The single value of a one-answer question (the first non-blank one).
    pub fn one(&self, id: &str) -> Option<&str> {
        self.get(id).iter().map(String::as_str).find(|v| !blank(v))
    }

    /// Whether `choice` is among the answers to `id`.
    pub fn has(&self, id: &str, choice: &str) -> bool {
        self.get(id).iter().any(|v| v == choice)
    }

    /// Whether the question has a non-blank answer.
    pub fn answered(&self, id: &str) -> bool {
        self.get(id).iter().any(|v| !blank(v))
    }

    /// Checks every answer against its question. Unknown question ids and unknown choice
    /// ids are errors; so are several values for a one-answer question, repeated choices,
    /// `none`/`unknown` together with other choices, malformed dates, control characters
    /// and over-long text (> [`MAX_TEXT_CHARS`], short text > [`MAX_SHORT_TEXT_CHARS`]).
    pub fn validate(&self) -> Result<(), Vec<AnswerError>> {
        let mut errors = Vec::new();
        for (id, values) in &self.0 {
            let mut err = |message: Text| {
                errors.push(AnswerError {
                    question: id.clone(),
                    message,
                })
            };
            let Some(q) = question(id) else {
                err(Text::new("この質問はありません", "no such question"));
                continue;
            };
            let values: Vec<&str> = values
                .iter()
                .map(String::as_str)
                .filter(|v| !blank(v))
                .collect();
            match q.kind {
                QuestionKind::One | QuestionKind::YesNo | QuestionKind::Many => {
                    if q.kind != QuestionKind::Many && values.len() > 1 {
                        err(Text::new("選べるのは一つだけです", "choose only one"));
                    }
                    if values.iter().any(|v| q.choice(v).is_none()) {
                        err(Text::new("選択肢にない値です", "not one of the choices"));
                    }
                    let mut seen: Vec<&str> = Vec::new();
                    for v in &values {
                        if seen.contains(v) {
                            err(Text::new(
                                "同じ選択肢が重複しています",
                                "a choice is repeated",
                            ));
                            break;
                        }
                        seen.push(v);
                    }
                    if q.kind == QuestionKind::Many
                        && values.len() > 1
                        && values.iter().any(|v| *v == "none" || *v == "unknown")
                    {
                        err(Text::new(
                            "「特にない」「分からない」は他の選択肢と同時には選べません",
                            "“none” and “don't know” cannot be combined with other choices",
                        ));
                    }
                }
                QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::DateTime => {
                    if values.len() > 1 {
                        err(Text::new(
                            "回答は一つだけにしてください",
                            "give one answer only",
                        ));
                    }
                    let limit = if q.kind == QuestionKind::LongText {
                        MAX_TEXT_CHARS
                    } else {
                        MAX_SHORT_TEXT_CHARS
                    };
                    for v in &values {
                        if v.chars().count() > limit {
                            err(if q.kind == QuestionKind::LongText {
                                Text::new(
                                    "長すぎます（20,000 文字まで）。ログは添付ファイルにしてください",
                                    "too long (20,000 characters at most); attach logs as files instead",
                                )
                            } else {
                                Text::new(
                                    "長すぎます（500 文字まで）",
                                    "too long (500 characters at most)",
                                )
                            });
                        }
                        let multiline = q.kind == QuestionKind::LongText;
                        if v.chars().any(|c| {
                            c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))
                        }) {
                            err(Text::new(
                                "使えない制御文字が含まれています",
                                "contains control characters",
                            ));
                        }
                        if q.kind == QuestionKind::DateTime && !is_date_time(v) {
                            err(Text::new(
                                "日付の形式が正しくありません（例：2026-03-01 または 2026-03-01T09:30）",
                                "not a valid date (e.g. 2026-03-01 or 2026-03-01T09:30)",
                            ));
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Required-for-report questions not yet answered, in form order.
    pub fn missing_for_report(&self) -> Vec<&'static Question> {
        questions()
            .iter()
            .filter(|q| q.required_for_report && !self.answered(q.id))
            .collect()
    }
}

/// Whether `s` is `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM`,
/// optional `:SS` and fraction, and an optional `Z` or `±HH:MM` offset.
pub fn is_date_time(s: &str) -> bool {
    fn num(b: &[u8], lo: u32, hi: u32) -> bool {
        if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let n = b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        (lo..=hi).contains(&n)
    }
    let b = s.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (y, m) = (&b[0..4], &b[5..7]);
    if !num(y, 1970, 2999) || !num(m, 1, 12) {
        return false;
    }
    let month = u32::from(m[0] - b'0') * 10 + u32::from(m[1] - b'0');
    let year = y.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !num(&b[8..10], 1, days) {
        return false;
    }
    let rest = &b[10..];
    if rest.is_empty() {
        return true;
    }
    if !(rest[0] == b'T' || rest[0] == b't' || rest[0] == b' ') || rest.len() < 6 {
        return false;
    }
    let t = &rest[1..];
    if t[2] != b':' || !num(&t[0..2], 0, 23) || !num(&t[3..5], 0, 59) {
        return false;
    }
    let mut r = &t[5..];
    if r.len() >= 3 && r[0] == b':' {
        if !num(&r[1..3], 0, 60) {
            return false;
        }
        r = &r[3..];
        if r.first() == Some(&b'.') {
            let digits = r[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            r = &r[1 + digits..];
        }
    }
    match r {
        [] | [b'Z'] | [b'z'] => true,
        [s, h1, h2, b':', m1, m2] if *s == b'+' || *s == b'-' => {
            num(&[*h1, *h2], 0, 23) && num(&[*m1, *m2], 0, 59)
        }
        _ => false,
    }
}

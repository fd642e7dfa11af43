//! The password policy (NIST SP 800-63B-4 §3.1.1.2, R-4.3): length in code points,
//! no composition rules, refusal of guessable passwords with the reason shown.

use crate::corpus::{self, BreachedPasswords};
use crate::env::SecureRandom;
use crate::error::Result;
use crate::password::{PasswordHasher, normalize_password, password_length};
use mamori_core::Lang;
use serde::{Deserialize, Serialize};

/// Policy settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordPolicy {
    /// Minimum length when the password is the only factor (NIST: 15).
    pub min_len_single_factor: usize,
    /// Minimum length when a second factor is required (NIST: 8).
    pub min_len_with_second_factor: usize,
    /// Maximum accepted length (NIST: at least 64).
    pub max_len: usize,
    /// Minimum zxcvbn score (0–4).
    pub min_strength_score: u8,
    /// Refuse passwords seen in breaches at least this many times.
    pub breach_threshold: u64,
    /// The service's own names (context words), e.g. `mamori`, `example-bank`.
    pub service_words: Vec<String>,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_len_single_factor: 15,
            min_len_with_second_factor: 8,
            max_len: 128,
            min_strength_score: 3,
            breach_threshold: 1,
            service_words: Vec::new(),
        }
    }
}

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// Shorter than the minimum.
    TooShort {
        /// The minimum.
        min: usize,
        /// The length given (code points).
        actual: usize,
    },
    /// Longer than the maximum.
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// Contains the user id, name or the service's name.
    ContainsContext {
        /// The word found.
        word: String,
    },
    /// In the list of the most common passwords.
    Common {
        /// Frequency rank (1 = most common).
        rank: u32,
    },
    /// Seen in breaches.
    Breached {
        /// Times seen.
        count: u64,
    },
    /// Mostly a well-known Japanese word or name.
    JapaneseWord {
        /// The word found.
        word: String,
    },
    /// A keyboard or kana-order run.
    KeyboardPattern {
        /// The run found.
        pattern: String,
    },
    /// Used before by this account.
    PreviouslyUsed,
    /// Too easy to guess by the strength estimate.
    Weak {
        /// zxcvbn score (0–4).
        score: u8,
    },
}

impl Refusal {
    /// A stable code (`password.too_short`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooShort { .. } => "password.too_short",
            Refusal::TooLong { .. } => "password.too_long",
            Refusal::ContainsContext { .. } => "password.contains_context",
            Refusal::Common { .. } => "password.common",
            Refusal::Breached { .. } => "password.breached",
            Refusal::JapaneseWord { .. } => "password.japanese_word",
            Refusal::KeyboardPattern { .. } => "password.keyboard_pattern",
            Refusal::PreviouslyUsed => "password.previously_used",
            Refusal::Weak { .. } => "password.weak",
        }
    }

    /// The reason for the user, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Refusal::TooShort { min, actual } if ja => {
                format!(
                    "短すぎます（{actual}文字）。{min}文字以上にしてください。長い文（パスフレーズ）がおすすめです。"
                )
            }
            Refusal::TooShort { min, actual } => format!(
                "Too short ({actual} characters). Use at least {min}; a long passphrase is best."
            ),
            Refusal::TooLong { max } if ja => format!("長すぎます。{max}文字以下にしてください。"),
            Refusal::TooLong { max } => format!("Too long. Use at most {max} characters."),
            Refusal::ContainsContext { word } if ja => {
                format!(
                    "ID、氏名、サービス名（「{word}」）を含んでいます。推測されやすいため使えません。"
                )
            }
            Refusal::ContainsContext { word } => format!(
                "It contains your ID, name or the service's name (\"{word}\"), which is easy to guess."
            ),
            Refusal::Common { rank } if ja => format!(
                "よく使われるパスワードの一覧に載っています（{rank}位）。攻撃者が最初に試すため使えません。"
            ),
            Refusal::Common { rank } => format!(
                "It is on the list of the most common passwords (rank {rank}); attackers try these first."
            ),
            Refusal::Breached { count } if ja => format!(
                "過去の漏えいで{count}回見つかったパスワードです。リスト型攻撃に使われるため使えません。"
            ),
            Refusal::Breached { count } => format!(
                "This password appeared {count} times in data breaches; it is used in credential stuffing."
            ),
            Refusal::JapaneseWord { word } if ja => format!(
                "よく使われる日本語の単語（「{word}」）が中心です。辞書攻撃で推測されます。"
            ),
            Refusal::JapaneseWord { word } => format!(
                "It is built around a common Japanese word (\"{word}\"), which dictionary attacks guess."
            ),
            Refusal::KeyboardPattern { pattern } if ja => {
                format!("キーボードや五十音の並び（「{pattern}」）を含んでいます。")
            }
            Refusal::KeyboardPattern { pattern } => {
                format!("It contains a keyboard or kana-order run (\"{pattern}\").")
            }
            Refusal::PreviouslyUsed if ja => {
                "以前に使ったパスワードです。新しいパスワードにしてください。".to_string()
            }
            Refusal::PreviouslyUsed => "You used this password before; choose a new one.".into(),
            Refusal::Weak { score } if ja => format!(
                "推測されやすいパターン（繰り返し、連番、日付、単語の組み合わせなど）です（強度 {score}/4）。単語を増やすなどして長くしてください。"
            ),
            Refusal::Weak { score } => format!(
                "It follows a guessable pattern (repeats, sequences, dates, common words; strength {score}/4). Make it longer, e.g. add words."
            ),
        }
    }
}

/// Who the password is for.
#[derive(Debug, Default, Clone, Copy)]
pub struct PolicyContext<'a> {
    /// The login name.
    pub user: Option<&'a str>,
    /// The display name.
    pub display_name: Option<&'a str>,
    /// Whether the account will also need a second factor (8 instead of 15).
    pub with_second_factor: bool,
    /// Earlier PHC strings of this account.
    pub previous_phcs: &'a [String],
}

/// Replaces common leetspeak and drops digits and symbols at the ends: `P@ssw0rd!1`
/// → `password`.
fn skeleton(lower: &str) -> String {
    let mapped: String = lower
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            c => c,
        })
        .collect();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphabetic());
    // Use the mapped form only where the original had letters around the digits.
    if trimmed.len() < lower.len() {
        trimmed.to_string()
    } else {
        mapped
    }
}

fn letters_only(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).collect()
}

impl PasswordPolicy {
    /// The minimum length for the context.
    pub fn min_len(&self, with_second_factor: bool) -> usize {
        if with_second_factor {
            self.min_len_with_second_factor
        } else {
            self.min_len_single_factor
        }
    }

    /// Checks `candidate`; `Ok(None)` means acceptable. `breached` is an optional HIBP
    /// corpus; `hasher` is needed to compare with previous passwords.
    pub fn check(
        &self,
        candidate: &str,
        ctx: &PolicyContext<'_>,
        breached: Option<&dyn BreachedPasswords>,
        hasher: Option<(&PasswordHasher, &dyn SecureRandom)>,
    ) -> Result<Option<Refusal>> {
        let pw = normalize_password(candidate);
        let len = password_length(&pw);
        let min = self.min_len(ctx.with_second_factor);
        if len < min {
            return Ok(Some(Refusal::TooShort { min, actual: len }));
        }
        if len > self.max_len {
            return Ok(Some(Refusal::TooLong { max: self.max_len }));
        }
        let lower = pw.to_lowercase();
        let mut context: Vec<String> = Vec::new();
        if let Some(u) = ctx.user {
            let u = u.to_lowercase();
            context.extend(u.split(['@', '.', '_', '-', '+']).map(str::to_string));
            context.push(u);
        }
        if let Some(n) = ctx.display_name {
            context.extend(n.to_lowercase().split_whitespace().map(str::to_string));
        }
        context.extend(self.service_words.iter().map(|w| w.to_lowercase()));
        for word in context.iter().filter(|w| w.chars().count() >= 3) {
            if lower.contains(word.as_str()) {
                return Ok(Some(Refusal::ContainsContext { word: word.clone() }));
            }
        }
        let skel = skeleton(&lower);
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        for form in [&lower, &compact, &skel] {
            if let Some(rank) = corpus::common_rank(form) {
                return Ok(Some(Refusal::Common { rank }));
            }
        }
        if let Some(b) = breached
            && let Some(count) = b.times_seen(&pw)?
            && count >= self.breach_threshold
        {
            return Ok(Some(Refusal::Breached { count }));
        }
        if let Some(word) = corpus::japanese_word_in(&lower) {
            // Refused when the word is most of the letters (`sakura2024!`), not when it
            // is one word of a long passphrase.
            let letters = letters_only(&lower).chars().count().max(1);
            if word.chars().count() * 2 >= letters {
                return Ok(Some(Refusal::JapaneseWord { word: word.into() }));
            }
        }
        if let Some(pattern) = corpus::kana_pattern_in(&lower) {
            return Ok(Some(Refusal::KeyboardPattern { pattern }));
        }
        if let Some((h, rng)) = hasher {
            for old in ctx.previous_phcs {
                if h.verify(&pw, old, rng)?.is_ok() {
                    return Ok(Some(Refusal::PreviouslyUsed));
                }
            }
        }
        let mut inputs: Vec<&str> = context.iter().map(String::as_str).collect();
        inputs.extend(corpus::JAPANESE_WORDS.iter().copied());
        let probe: String = pw.chars().take(100).collect();
        let score = u8::from(zxcvbn::zxcvbn(&probe, &inputs).score());
        if score < self.min_strength_score {
            return Ok(Some(Refusal::Weak { score }));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pw: &str, second: bool) -> Option<Refusal> {
        let p = PasswordPolicy {
            service_words: vec!["mamoribank".into()],
            ..PasswordPolicy::default()
        };
        let ctx = PolicyContext {
            user: Some("taro.yamada@example.jp"),
            display_name: Some("Taro Yamada"),
            with_second_factor: second,
            previous_phcs: &[],
        };
        p.check(pw, &ctx, None, None).unwrap()
    }

    #[test]
    fn lengths_follow_nist_800_63b_4() {
        assert_eq!(
            check("kx9!vq2#mw", false),
            Some(Refusal::TooShort {
                min: 15,
                actual: 10
            })
        );
        assert_eq!(check("kx9!vq2#mw", true), None);
        assert!(matches!(
            check("a7#", true),
            Some(Refusal::TooShort { min: 8, .. })
        ));
        // 64 characters are accepted; 129 are not.
        let long = "river otter juggles blue tangerines under quiet moonlight 42 ok";
        assert_eq!(long.chars().count(), 63);
        assert_eq!(check(&format!("{long}!"), false), None);
        assert!(matches!(
            check(&"z9".repeat(65), false),
            Some(Refusal::TooLong { max: 128 })
        ));
    }

    #[test]
    fn lengths_count_code_points_not_bytes() {
        // 15 kana and kanji (45 bytes in UTF-8) are 15 characters.
        let r = check("猫が屋根で昼寝するのを見た午後", false);
        assert!(!matches!(r, Some(Refusal::TooShort { .. })), "{r:?}");
    }

    #[test]
    fn no_composition_rules() {
        // All lower-case letters and spaces: fine when long and unguessable.
        assert_eq!(check("violet lantern gravel orbit sponge", false), None);
    }

    #[test]
    fn common_and_leet_variants_refused() {
        assert!(matches!(
            check("password", true),
            Some(Refusal::Common { rank: 2 })
        ));
        assert!(matches!(
            check("P@ssw0rd", true),
            Some(Refusal::Common { .. })
        ));
        assert!(matches!(
            check("qwertyuiop", true),
            Some(Refusal::Common { .. })
        ));
    }

    #[test]
    fn context_words_refused() {
        assert!(matches!(
            check("yamada-secret-2024-x", false),
            Some(Refusal::ContainsContext { .. })
        ));
        assert!(matches!(
            check("MamoriBank-summer-fun", false),
            Some(Refusal::ContainsContext { .. })
        ));
    }

    #[test]
    fn japanese_words_and_kana_rows_refused() {
        assert!(matches!(
            check("aishiteru1234", true),
            Some(Refusal::JapaneseWord { .. })
        ));
        assert!(matches!(
            check("Doraemon2025!", true),
            Some(Refusal::JapaneseWord { .. })
        ));
        assert!(matches!(
            check("たていすかん123", true),
            Some(Refusal::KeyboardPattern { .. })
        ));
    }

    #[test]
    fn weak_patterns_refused_by_strength() {
        assert!(matches!(
            check("aaaaaaaaaaaaaaaa", false),
            Some(Refusal::Weak { .. })
        ));
        assert!(matches!(
            check("1234567890123456", false),
            Some(Refusal::Common { .. }) | Some(Refusal::Weak { .. })
        ));
    }

    #[test]
    fn every_reason_has_both_languages() {
        let all = [
            Refusal::TooShort { min: 15, actual: 3 },
            Refusal::TooLong { max: 128 },
            Refusal::ContainsContext {
                word: "taro".into(),
            },
            Refusal::Common { rank: 1 },
            Refusal::Breached { count: 3 },
            Refusal::JapaneseWord {
                word: "sakura".into(),
            },
            Refusal::KeyboardPattern {
                pattern: "たていす".into(),
            },
            Refusal::PreviouslyUsed,
            Refusal::Weak { score: 1 },
        ];
        for r in all {
            let ja = r.message(Lang::Ja);
            let en = r.message(Lang::En);
            assert!(ja.chars().any(|c| c as u32 > 0x3000), "{ja}");
            // English text is ASCII apart from the quoted word.
            let quoted = en.split('"').nth(1).unwrap_or("");
            assert!(en.replace(quoted, "").is_ascii(), "{en}");
            assert!(r.code().starts_with("password."));
        }
    }
}

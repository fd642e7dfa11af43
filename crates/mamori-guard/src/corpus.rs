//! Guessable-password corpora: the embedded common-password list, Japanese and romaji
//! words with kana keyboard patterns, and HIBP Pwned Passwords range files.

use crate::error::{GuardError, Result};
use sha1::{Digest, Sha1};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The 10,000 most common passwords, most frequent first. Derived from the `zxcvbn`
/// crate 3.1.1's password list (Dropbox zxcvbn, built from Xato's 10M leaked
/// passwords; MIT licence). See `data/README.md` for the source and how to rebuild.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Romaji and kana words that Japanese users put in passwords: affection, greetings,
/// places, characters, names, "password" itself. Curated for Mamori from public
/// analyses of Japanese leaked-password lists (characters, place names, greetings).
pub const JAPANESE_WORDS: &[&str] = &[
    "aishiteru",
    "aishiteiru",
    "daisuki",
    "suki",
    "sakura",
    "doraemon",
    "pikachu",
    "pokemon",
    "naruto",
    "sasuke",
    "arigatou",
    "arigato",
    "konnichiwa",
    "konbanwa",
    "ohayou",
    "ohayo",
    "sayonara",
    "tokyo",
    "osaka",
    "kyoto",
    "yokohama",
    "nagoya",
    "sapporo",
    "fukuoka",
    "kobe",
    "okinawa",
    "hokkaido",
    "sendai",
    "hiroshima",
    "fujisan",
    "nihon",
    "nippon",
    "japan",
    "anpanman",
    "gundam",
    "onepiece",
    "luffy",
    "totoro",
    "ghibli",
    "hellokitty",
    "kitty",
    "mario",
    "zelda",
    "goku",
    "dragonball",
    "evangelion",
    "yamato",
    "samurai",
    "ninja",
    "sushi",
    "ramen",
    "neko",
    "nekochan",
    "inu",
    "baka",
    "kawaii",
    "genki",
    "himitsu",
    "pasuwado",
    "pasuwaado",
    "pasuwa-do",
    "ichigo",
    "ringo",
    "mikan",
    "hoshi",
    "sora",
    "umi",
    "yume",
    "kokoro",
    "tomodachi",
    "kazoku",
    "shiawase",
    "ganbatte",
    "ganbare",
    "otaku",
    "anime",
    "manga",
    "tanjoubi",
    "yoroshiku",
    "hikari",
    "haruka",
    "hanako",
    "taro",
    "tarou",
    "hiroshi",
    "takashi",
    "yuki",
    "hana",
    "kenji",
    "makoto",
    "daisuke",
    "akira",
    "shinji",
    "yamada",
    "tanaka",
    "suzuki",
    "satou",
    "sato",
    "takahashi",
    "watanabe",
    "nakamura",
    "kobayashi",
    "yoshida",
    "yamamoto",
    "momo",
    "chibi",
    "kuma",
    "usagi",
    "tenshi",
    "akuma",
    "あいしてる",
    "だいすき",
    "さくら",
    "ひみつ",
    "ぱすわーど",
    "パスワード",
    "ありがとう",
    "こんにちは",
    "ドラえもん",
    "ピカチュウ",
    "ナルト",
    "とうきょう",
    "東京",
    "大阪",
    "桜",
];

/// Keyboard and kana-order sequences: JIS kana-input rows (what `qwerty` types in kana
/// mode), the gojūon and iroha orders, and their romaji forms.
pub const KANA_PATTERNS: &[&str] = &[
    "ぬふあうえおやゆよわほへ",
    "たていすかんなにらせ",
    "ちとしはきくまのりれけむ",
    "つさそひこみもねるめろ",
    "あいうえおかきくけこさしすせそたちつてとなにぬねの",
    "いろはにほへとちりぬるを",
    "aiueokakikukekosashisuseso",
    "irohanihoheto",
];

fn common_index() -> &'static HashMap<&'static str, u32> {
    static INDEX: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    INDEX.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .enumerate()
            .map(|(i, w)| (w, u32::try_from(i + 1).unwrap_or(u32::MAX)))
            .collect()
    })
}

/// The frequency rank (1 = most common) of `password` (already lower-cased) in the
/// embedded list, if it is there.
pub fn common_rank(password: &str) -> Option<u32> {
    common_index().get(password).copied()
}

/// How many entries the embedded list has.
pub fn common_len() -> usize {
    common_index().len()
}

/// The Japanese word `password` (lower-cased) contains, longest first.
pub fn japanese_word_in(password: &str) -> Option<&'static str> {
    JAPANESE_WORDS
        .iter()
        .filter(|w| w.chars().count() >= 4 && password.contains(*w))
        .max_by_key(|w| w.chars().count())
        .copied()
}

/// A run of at least four keys of a kana keyboard row or kana order in `password`.
pub fn kana_pattern_in(password: &str) -> Option<String> {
    let chars: Vec<char> = password.chars().collect();
    for row in KANA_PATTERNS {
        let rc: Vec<char> = row.chars().collect();
        for w in rc.windows(4) {
            let s: String = w.iter().collect();
            if chars.windows(4).any(|c| c == w) {
                return Some(s);
            }
        }
    }
    None
}

/// SHA-1 of the password, upper-case hex, as HIBP keys it.
pub fn sha1_hex(password: &str) -> String {
    hex::encode_upper(Sha1::digest(password.as_bytes()))
}

/// A source of breached passwords.
pub trait BreachedPasswords: Send + Sync {
    /// How many times the password was seen in breaches (`None`: never).
    fn times_seen(&self, password: &str) -> Result<Option<u64>>;
}

/// A directory of HIBP Pwned Passwords range files, as the official downloader writes
/// them: one file per 5-hex-digit SHA-1 prefix (`21BD1` or `21BD1.txt`), each line
/// `SUFFIX:COUNT` with the 35 remaining hex digits. Only the file of the password's
/// prefix is read (k-anonymity layout), so a lookup reads about 30 KiB.
#[derive(Debug, Clone)]
pub struct HibpRangeDir {
    dir: PathBuf,
}

impl HibpRangeDir {
    /// Uses the range files in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        HibpRangeDir { dir: dir.into() }
    }

    fn file_for(&self, prefix: &str) -> Option<PathBuf> {
        [
            prefix.to_string(),
            format!("{prefix}.txt"),
            prefix.to_lowercase(),
        ]
        .into_iter()
        .map(|n| self.dir.join(n))
        .find(|p| p.is_file())
    }

    /// Looks up a SHA-1 (40 hex digits) in its range file.
    pub fn lookup_sha1(&self, sha1: &str) -> Result<Option<u64>> {
        let sha1 = sha1.to_ascii_uppercase();
        let (prefix, suffix) = sha1.split_at(5.min(sha1.len()));
        let Some(path) = self.file_for(prefix) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&path).map_err(|source| GuardError::Corpus {
            path: path.clone(),
            source,
        })?;
        Ok(find_suffix(&text, suffix))
    }
}

fn find_suffix(text: &str, suffix: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (s, c) = line.trim().split_once(':')?;
        s.eq_ignore_ascii_case(suffix)
            .then(|| c.trim().parse().unwrap_or(1))
    })
}

impl BreachedPasswords for HibpRangeDir {
    fn times_seen(&self, password: &str) -> Result<Option<u64>> {
        self.lookup_sha1(&sha1_hex(password))
    }
}

/// Whether `dir` looks like a range-file directory (has at least one `XXXXX` file).
pub fn looks_like_range_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut it| {
        it.any(|e| {
            e.ok().is_some_and(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                let stem = n.trim_end_matches(".txt");
                stem.len() == 5 && stem.chars().all(|c| c.is_ascii_hexdigit())
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_has_real_common_passwords_in_rank_order() {
        assert_eq!(common_len(), 10_000);
        assert_eq!(common_rank("123456"), Some(1));
        assert_eq!(common_rank("password"), Some(2));
        assert!(common_rank("qwerty").is_some());
        assert_eq!(common_rank("correct-horse-battery-staple-7"), None);
    }

    #[test]
    fn hibp_range_file_lookup_by_prefix() {
        let dir = tempfile::tempdir().unwrap();
        // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
        std::fs::write(
            dir.path().join("5BAA6"),
            "003D68EB55068C33ACE09247EE4C639306B:3\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:10434004\r\n",
        )
        .unwrap();
        let h = HibpRangeDir::new(dir.path());
        assert!(looks_like_range_dir(dir.path()));
        assert_eq!(h.times_seen("password").unwrap(), Some(10_434_004));
        assert_eq!(h.times_seen("passw0rd-not-there").unwrap(), None);
    }

    #[test]
    fn japanese_words_and_kana_rows_found() {
        assert_eq!(japanese_word_in("ilovesakura2024"), Some("sakura"));
        assert_eq!(japanese_word_in("xaishiteruy"), Some("aishiteru"));
        assert_eq!(
            kana_pattern_in("たていすかん"),
            Some("たていす".to_string())
        );
        assert_eq!(kana_pattern_in("nothing here"), None);
    }
}

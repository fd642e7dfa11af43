//! Bilingual text. Japanese is the first language of every user-facing string.

use serde::{Deserialize, Serialize};

/// The language a user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from a POSIX locale string such as `ja_JP.UTF-8` or `en_US`.
    /// Unset, empty, `C` and `POSIX` mean Japanese, the product's first language.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale.map(str::trim) {
            None | Some("") | Some("C") | Some("POSIX") | Some("C.UTF-8") => Lang::Ja,
            Some(l) if l.to_ascii_lowercase().starts_with("ja") => Lang::Ja,
            Some(_) => Lang::En,
        }
    }

    /// Parses `ja` / `en` (case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" | "日本語" => Some(Lang::Ja),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A static text in both languages. Serializes as `{"ja": …, "en": …}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Text {
    /// Japanese.
    pub ja: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// Builds a bilingual text.
    pub const fn new(ja: &'static str, en: &'static str) -> Text {
        Text { ja, en }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale(Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("de_DE")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::Ja);
        assert_eq!(Lang::from_locale(None), Lang::Ja);
    }

    #[test]
    fn parse_accepts_codes() {
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("ja"), Some(Lang::Ja));
        assert_eq!(Lang::parse("fr"), None);
    }
}

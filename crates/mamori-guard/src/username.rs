//! Login-name normalisation, applied before any counting or lookup so that
//! `Ｔａｒｏ`, `taro` and `TARO+x@example.jp` cannot be used to multiply an attacker's
//! allowance.

use unicode_normalization::UnicodeNormalization;

/// How login names are folded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct UsernameRules {
    /// Strip `+tag` before the `@` of e-mail style names (`user+tag@x` → `user@x`).
    pub strip_plus_alias: bool,
    /// Remove dots in the local part for these domains (e.g. `gmail.com`).
    pub dotless_domains: Vec<String>,
}

impl Default for UsernameRules {
    fn default() -> Self {
        UsernameRules {
            strip_plus_alias: true,
            dotless_domains: Vec::new(),
        }
    }
}

impl UsernameRules {
    /// The canonical form: NFKC (full-width → half-width), trimmed, lower-cased
    /// (Unicode case fold by `to_lowercase`), aliases stripped where configured.
    ///
    /// ```
    /// use mamori_guard::UsernameRules;
    /// let r = UsernameRules::default();
    /// assert_eq!(r.normalize("ＴＡＲＯ+shop@Example.JP "), "taro@example.jp");
    /// ```
    pub fn normalize(&self, raw: &str) -> String {
        let folded: String = raw.nfkc().collect::<String>().trim().to_lowercase();
        let Some((local, domain)) = folded.rsplit_once('@') else {
            return folded;
        };
        let mut local = local.to_string();
        if self.strip_plus_alias
            && let Some((base, _tag)) = local.split_once('+')
            && !base.is_empty()
        {
            local = base.to_string();
        }
        if self
            .dotless_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
        {
            local.retain(|c| c != '.');
        }
        format!("{local}@{domain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold_to_one_name() {
        let r = UsernameRules::default();
        for v in ["taro", "TARO", "Ｔａｒｏ", " taro ", "ｔＡｒＯ"] {
            assert_eq!(r.normalize(v), "taro", "{v}");
        }
    }

    #[test]
    fn plus_alias_is_stripped_only_when_configured() {
        let mut r = UsernameRules::default();
        assert_eq!(r.normalize("a+b@x.jp"), "a@x.jp");
        r.strip_plus_alias = false;
        assert_eq!(r.normalize("a+b@x.jp"), "a+b@x.jp");
    }

    #[test]
    fn dots_removed_for_listed_domains() {
        let r = UsernameRules {
            strip_plus_alias: true,
            dotless_domains: vec!["gmail.com".into()],
        };
        assert_eq!(r.normalize("Ta.Ro+1@GMail.com"), "taro@gmail.com");
        assert_eq!(r.normalize("ta.ro@example.jp"), "ta.ro@example.jp");
    }
}

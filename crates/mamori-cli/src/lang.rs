//! Choosing the user's language: `--lang` wins, then `LC_ALL` / `LC_MESSAGES` / `LANG`.

use mamori_core::Lang;

/// Resolves the language from an explicit flag or the environment's locale.
pub fn resolve(flag: Option<&str>) -> anyhow::Result<Lang> {
    if let Some(f) = flag {
        return Lang::parse(f).ok_or_else(|| {
            anyhow::anyhow!("unknown language {f:?} for --lang (use `ja` or `en`)")
        });
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty());
    Ok(Lang::from_locale(locale.as_deref()))
}

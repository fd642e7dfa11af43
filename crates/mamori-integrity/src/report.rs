//! The check report: JSON (schema `schemas/integrity-check.schema.json`) and a human summary
//! in Japanese or English.

use crate::compare::{Change, ChangeKind, Flag};
use crate::entry::Attr;
use crate::hash::HashAlgo;
use crate::host::Accounts;
use crate::path::PathBytes;
use crate::walk::Issue;
use crate::webcontent::marker_text;
use mamori_core::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// `$schema` of the JSON report.
pub const SCHEMA_ID: &str = "https://mamori.invalid/schemas/integrity-check.schema.json";

/// Result of `mamori integrity check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The JSON Schema this report follows.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// Program and version.
    pub tool: String,
    /// When the check ran (RFC 3339).
    pub checked_at: String,
    /// Host the check ran on.
    pub host: String,
    /// The baseline checked against (absent when it could not be trusted).
    pub baseline: Option<BaselineInfo>,
    /// Whether the baseline could be trusted (`tampered`: its signature or
    /// format failed; `mamori integrity check` then exits with status 3).
    #[serde(default)]
    pub baseline_status: BaselineStatus,
    /// Why the baseline was refused, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_error: Option<String>,
    /// Scanned trees.
    pub roots: Vec<PathBytes>,
    /// Counts.
    pub summary: Summary,
    /// Added, removed and changed entries, sorted by path.
    pub changes: Vec<Change>,
    /// Paths that could not be checked, and why.
    pub issues: Vec<Issue>,
    /// Things to know (e.g. the baseline was made on another host).
    pub warnings: Vec<Warning>,
}

/// Whether the baseline checked against could be trusted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineStatus {
    /// Its signature verified: the changes are measured against it.
    #[default]
    Trusted,
    /// Its signature (or format) failed: the baseline itself may have been
    /// tampered with, and nothing was compared.
    Tampered,
}

/// Facts about the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineInfo {
    /// Its file.
    pub path: Option<String>,
    /// Made at.
    pub created_at: String,
    /// Last written at.
    pub updated_at: String,
    /// Host it was made on.
    pub host: String,
    /// Hash algorithm.
    pub hash: HashAlgo,
    /// Number of entries.
    pub entries: usize,
    /// Public key that signed it (`ed25519:<hex>`).
    pub signer: Option<String>,
}

/// Counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Entries scanned now.
    pub entries_checked: usize,
    /// Added entries.
    pub added: usize,
    /// Removed entries.
    pub removed: usize,
    /// Changed entries.
    pub changed: usize,
    /// Changes with red flags or suspicious web content.
    pub suspicious: usize,
    /// Paths that could not be checked.
    pub issues: usize,
}

/// A warning with a stable code and both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable code.
    pub code: String,
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Warning {
    /// The baseline was made on another host.
    pub fn other_host(baseline_host: &str, this_host: &str) -> Warning {
        Warning {
            code: "other_host".into(),
            ja: format!(
                "ベースラインは別のホスト「{baseline_host}」で作られました（このホスト: {this_host}）"
            ),
            en: format!(
                "the baseline was made on host {baseline_host:?} (this host: {this_host:?})"
            ),
        }
    }

    /// The signature verified, but against the key inside the file only.
    pub fn key_not_pinned() -> Warning {
        Warning {
            code: "key_not_pinned".into(),
            ja: "署名は正しいものの、信頼する公開鍵と照合していません（--public-key で指定してください）".into(),
            en: "the signature is valid, but not checked against a trusted public key (give --public-key)".into(),
        }
    }
}

impl CheckReport {
    /// True when anything changed (or the baseline was refused).
    pub fn has_findings(&self) -> bool {
        !self.changes.is_empty() || self.baseline_error.is_some()
    }

    /// A report for a baseline that failed its signature check: a finding in itself.
    pub fn refused_baseline(path: &str, detail: String, now: String, host: String) -> CheckReport {
        CheckReport {
            schema: SCHEMA_ID.into(),
            tool: crate::monitor::tool_name(),
            checked_at: now,
            host,
            baseline: None,
            baseline_status: BaselineStatus::Tampered,
            baseline_error: Some(format!("{path}: {detail}")),
            roots: Vec::new(),
            summary: Summary::default(),
            changes: Vec::new(),
            issues: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The human summary in `lang` (ids shown as numbers only).
    pub fn render(&self, lang: Lang) -> String {
        self.render_with(lang, &Accounts::default())
    }

    /// The human summary in `lang`, with user and group names next to their ids.
    pub fn render_with(&self, lang: Lang, accounts: &Accounts) -> String {
        let t = |x: Text| x.get(lang);
        let mut s = String::new();
        if let Some(err) = &self.baseline_error {
            let _ = writeln!(
                s,
                "{}\n  {err}\n{}",
                t(Text::new(
                    "‼ ベースラインの署名が一致しません。ベースライン自体が改ざんされた可能性があります。",
                    "‼ The baseline's signature does not verify: the baseline itself may have been tampered with."
                )),
                t(Text::new(
                    "  このベースラインでは確認できません。別に保管した公開鍵とバックアップを確認してください。",
                    "  Nothing was checked against it. Compare with the public key and a copy kept elsewhere."
                ))
            );
            return s;
        }
        for w in &self.warnings {
            let _ = writeln!(s, "! {}", if lang == Lang::Ja { &w.ja } else { &w.en });
        }
        for c in &self.changes {
            render_change(&mut s, c, lang, accounts);
        }
        if !self.issues.is_empty() {
            let _ = writeln!(
                s,
                "{}",
                t(Text::new("確認できなかったもの:", "Could not be checked:"))
            );
            for i in &self.issues {
                let _ = writeln!(s, "  {}: {} ({})", i.path, t(i.kind.text()), i.detail);
            }
        }
        let sm = &self.summary;
        if self.changes.is_empty() {
            let _ = writeln!(
                s,
                "{} ({} {})",
                t(Text::new("✓ 変更はありません", "✓ No changes")),
                sm.entries_checked,
                t(Text::new("件を確認", "entries checked"))
            );
        } else {
            let _ = match lang {
                Lang::Ja => writeln!(
                    s,
                    "✗ 変更あり: 追加 {}、削除 {}、変更 {}（うち不審 {}）／確認 {} 件",
                    sm.added, sm.removed, sm.changed, sm.suspicious, sm.entries_checked
                ),
                Lang::En => writeln!(
                    s,
                    "✗ Changes: {} added, {} removed, {} changed ({} suspicious); {} entries checked",
                    sm.added, sm.removed, sm.changed, sm.suspicious, sm.entries_checked
                ),
            };
            let _ = writeln!(
                s,
                "{}",
                t(Text::new(
                    "  意図した変更なら: mamori integrity accept --reason \"理由\" パス…（すべてなら update --reason …）",
                    "  If these changes were intended: mamori integrity accept --reason \"why\" PATH… (all of them: update --reason …)"
                ))
            );
        }
        s
    }
}

fn short(attr: Attr, v: &Option<String>, accounts: &Accounts) -> String {
    let name = |id: &str| match attr {
        Attr::Uid => id.parse().ok().and_then(|i| accounts.user(i)),
        Attr::Gid => id.parse().ok().and_then(|i| accounts.group(i)),
        _ => None,
    };
    match v {
        None => "-".into(),
        Some(v) if attr == Attr::Hash && v.len() > 16 => format!("{}…", &v[..16]),
        Some(v) => match name(v) {
            Some(n) => format!("{v} ({n})"),
            None => v.clone(),
        },
    }
}

fn render_change(s: &mut String, c: &Change, lang: Lang, accounts: &Accounts) {
    let t = |x: Text| x.get(lang);
    let label = match c.change {
        ChangeKind::Added => Text::new("[追加]", "[added]"),
        ChangeKind::Removed => Text::new("[削除]", "[removed]"),
        ChangeKind::Changed => Text::new("[変更]", "[changed]"),
    };
    let _ = writeln!(
        s,
        "{} {} ({}: {}, {})",
        t(label),
        c.path,
        t(Text::new("規則", "rule")),
        c.rule,
        c.kind.name()
    );
    for d in &c.details {
        let _ = writeln!(
            s,
            "    {}: {} → {}",
            t(d.attribute.text()),
            short(d.attribute, &d.old, accounts),
            short(d.attribute, &d.new, accounts)
        );
    }
    for f in &c.flags {
        let text = match f {
            Flag::Setuid => Text::new("setuid/setgid が付いています", "is setuid/setgid"),
            Flag::WorldWritable => Text::new("誰でも書き込めます", "is world-writable"),
            Flag::SymlinkLeavesTree => Text::new(
                "リンク先が監視対象の外を指しています",
                "symlink now points outside the monitored trees",
            ),
            Flag::HistoryRewritten => Text::new(
                "追記専用のはずのファイルが縮んだか、過去の内容が書き換えられました",
                "append-only file shrank or its earlier content was rewritten",
            ),
        };
        let _ = writeln!(s, "    ⚠ {}", t(text));
    }
    for w in &c.web_findings {
        let line = match lang {
            Lang::Ja => format!("{}行目", w.line),
            Lang::En => format!("line {}", w.line),
        };
        let _ = writeln!(
            s,
            "    ⚠ {} [{}] {line}: {}",
            t(marker_text(&w.marker)),
            w.severity.label(lang),
            w.excerpt
        );
    }
    if !c.web_findings.is_empty() {
        let _ = writeln!(
            s,
            "    → {}",
            t(Text::new(
                "Web ページの改ざん・不正なスクリプトの設置の可能性があります",
                "this looks like defacement or a planted script"
            ))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::AttrChange;
    use crate::entry::EntryKind;

    fn report_with(change: Change) -> CheckReport {
        let mut r = CheckReport::refused_baseline("b", String::new(), "t".into(), "h".into());
        r.baseline_error = None;
        r.baseline_status = BaselineStatus::Trusted;
        r.summary.changed = 1;
        r.changes = vec![change];
        r
    }

    #[test]
    fn owners_are_shown_with_their_names_in_both_languages() {
        let change = Change {
            path: PathBytes::from_bytes(b"/var/www/index.php".to_vec()),
            change: ChangeKind::Changed,
            kind: EntryKind::File,
            rule: "web-content".into(),
            attributes: vec![Attr::Uid],
            details: vec![AttrChange {
                attribute: Attr::Uid,
                old: Some("0".into()),
                new: Some("33".into()),
            }],
            flags: vec![],
            web_findings: vec![],
        };
        let accounts = Accounts::parse("root:x:0:0::/:/bin/sh\nwww-data:x:33:33::/:/bin/sh\n", "");
        let r = report_with(change);
        let en = r.render_with(Lang::En, &accounts);
        assert!(
            en.contains("[changed] /var/www/index.php (rule: web-content, file)"),
            "{en}"
        );
        assert!(en.contains("owner: 0 (root) → 33 (www-data)"), "{en}");
        let ja = r.render_with(Lang::Ja, &accounts);
        assert!(ja.contains("[変更] /var/www/index.php"), "{ja}");
        assert!(ja.contains("所有者: 0 (root) → 33 (www-data)"), "{ja}");
        assert!(r.render(Lang::En).contains("owner: 0 → 33"));
    }
}

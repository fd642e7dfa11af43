//! The verdict and "what to do next" for one operator's scan. Where to report comes from
//! the reporting guideline in `mamori_core::guideline` (通報指針, R-1.2): the findings are
//! turned into intake answers by `mamori_core::intake::answers_from_scan`, the same way a
//! draft report is prefilled from the scan's JSON, so the scan and the platform advise alike.

use crate::finding::Finding;
use mamori_core::guideline::advise as guideline;
pub use mamori_core::guideline::{Body, Fit};
use mamori_core::intake::{ScanFact, answers_from_scan};
use mamori_core::{ActCategory, Severity, Text};

/// The one-line answer to "was there unauthorized access?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing found.
    Clean,
    /// Only reconnaissance (scans, probes).
    Probed,
    /// Attacks that do not appear to have worked.
    Attacked,
    /// Something probably got in.
    LikelyIntrusion,
}

impl Verdict {
    /// The headline.
    pub fn text(self) -> Text {
        match self {
            Verdict::Clean => Text::new(
                "不正アクセスの形跡は見つかりませんでした",
                "No sign of unauthorized access was found",
            ),
            Verdict::Probed => Text::new(
                "下調べ（スキャン）のみ：侵入の形跡はありません",
                "Reconnaissance only: scans and probes, no sign of a break-in",
            ),
            Verdict::Attacked => Text::new(
                "攻撃を受けています（成功の形跡は見つかっていません）",
                "Under attack (no sign that it succeeded)",
            ),
            Verdict::LikelyIntrusion => Text::new(
                "侵入の可能性が高い：すぐに対応してください",
                "Intrusion likely: act now",
            ),
        }
    }

    /// The stable JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Probed => "probed",
            Verdict::Attacked => "attacked",
            Verdict::LikelyIntrusion => "likely_intrusion",
        }
    }
}

/// One recommendation to report somewhere, with the reason.
#[derive(Debug, Clone)]
pub struct Referral {
    /// To whom.
    pub body: Body,
    /// Recommended, or possible if the operator wishes.
    pub fit: Fit,
    /// Why, in both languages: the guideline's first reason for this body.
    pub reason: Text,
    /// The guideline rules behind the advice (`docs/taxonomy.md`).
    pub rules: Vec<&'static str>,
    /// One of the guideline's few "tell the police now" cases (police only).
    pub urgent: bool,
}

/// The guideline's facts for each finding.
pub fn scan_facts(findings: &[Finding]) -> Vec<ScanFact> {
    findings
        .iter()
        .map(|f| ScanFact {
            rule: f.rule.id.to_string(),
            category: f.rule.category,
            severity: f.severity,
            succeeded: f.succeeded,
            service: Some(f.service.as_str().to_string()),
        })
        .collect()
}

/// Where to report, from the reporting guideline: every body that fits, in the
/// guideline's order (police, IPA, JPCERT/CC).
pub fn referrals(findings: &[Finding]) -> Vec<Referral> {
    let g = guideline(&answers_from_scan(&scan_facts(findings)));
    g.bodies
        .iter()
        .filter(|b| b.fit != Fit::NotNeeded)
        .filter_map(|b| {
            Some(Referral {
                body: b.body,
                fit: b.fit,
                reason: *b.reasons.first()?,
                rules: b.rules.clone(),
                urgent: b.body == Body::Police && g.urgent.is_some(),
            })
        })
        .collect()
}

/// The verdict and the steps for the operator.
#[derive(Debug, Clone)]
pub struct Advice {
    /// Headline.
    pub verdict: Verdict,
    /// What to do, in order.
    pub steps: Vec<(String, String)>,
    /// Accounts whose passwords should be changed now.
    pub accounts_to_reset: Vec<String>,
    /// Where to report.
    pub referrals: Vec<Referral>,
}

fn has(findings: &[Finding], pred: impl Fn(&Finding) -> bool) -> bool {
    findings.iter().any(pred)
}

/// Derives the verdict and the advice from the findings.
pub fn advise(findings: &[Finding]) -> Advice {
    let verdict = if has(findings, |f| f.severity == Severity::Critical) {
        Verdict::LikelyIntrusion
    } else if has(findings, |f| {
        f.rule.category != ActCategory::Reconnaissance && f.severity >= Severity::Medium
    }) {
        Verdict::Attacked
    } else if findings.is_empty() {
        Verdict::Clean
    } else {
        Verdict::Probed
    };
    let mut steps = Vec::new();
    // The accounts someone else probably logged in to (the success events of the
    // "login after …" rules), not every account that was tried.
    const TAKEN_OVER: [&str; 3] = ["MAM-A004", "MAM-A006", "MAM-A007"];
    let mut accounts: Vec<String> = Vec::new();
    for f in findings.iter().filter(|f| TAKEN_OVER.contains(&f.rule.id)) {
        for (a, _) in f.accounts_ranked() {
            if !accounts.contains(&a) {
                accounts.push(a);
            }
        }
    }
    accounts.truncate(50);
    let intrusion = verdict == Verdict::LikelyIntrusion;
    if intrusion || verdict == Verdict::Attacked {
        steps.push((
            "証拠を保全する：ログと検出結果を今の状態のまま保存してください（`mamori scan --format json > findings.json`、ログファイルのコピーとハッシュ値の記録）。ログの削除・ローテーションを止めてください。".into(),
            "Preserve evidence: keep the logs and these results as they are now (`mamori scan --format json > findings.json`, copies of the log files with their hashes). Stop log deletion and rotation.".into(),
        ));
    }
    if !accounts.is_empty() {
        steps.push((
            format!("次のアカウントのパスワードを今すぐ変更し、ログイン中のセッションを無効にし、二要素認証を有効にしてください：{}", accounts.join(", ")),
            format!("Change the passwords of these accounts now, end their sessions and enable two-factor authentication: {}", accounts.join(", ")),
        ));
    }
    let unnamed = findings
        .iter()
        .any(|f| TAKEN_OVER.contains(&f.rule.id) && f.accounts.is_empty());
    if unnamed || (intrusion && accounts.is_empty()) {
        steps.push((
            "ログに名前の残らないログイン（フォームや API）が成功しています：証拠の行の時刻と送信元をアプリケーションのログイン履歴と照らして、侵入に使われたアカウントを特定し、パスワード変更とセッションの無効化を行ってください。".into(),
            "A login whose account the access log does not name (a form or an API) succeeded: match the evidence lines' time and source against the application's login history to find the account, then change its password and end its sessions.".into(),
        ));
    }
    let webshell = has(findings, |f| f.rule.id == "MAM-W001" && f.succeeded);
    if webshell {
        steps.push((
            "Web シェルの疑い：該当ファイルを削除せずにサーバーをネットワークから切り離し、改ざんの範囲を調べてください（`mamori integrity`）。".into(),
            "Suspected web shell: isolate the server without deleting the file, then find what else was changed (`mamori integrity`).".into(),
        ));
    }
    if has(findings, |f| f.rule.id == "MAM-W008" && f.succeeded) {
        steps.push((
            "秘密情報の漏えい：応答 200 で取得されたファイル（.env、.git など）を公開領域から外し、含まれていたパスワードや API キーをすべて変更してください。".into(),
            "Secrets exposed: remove the files served with 200 (.env, .git …) from the web root and rotate every password and API key they held.".into(),
        ));
    }
    if has(findings, |f| f.rule.name == "credential-stuffing") {
        steps.push((
            "リスト型攻撃：利用者にパスワードの使い回しをやめるよう知らせ、ログインに二要素認証や試行回数の制限を導入してください（`mamori-guard`）。".into(),
            "Credential stuffing: tell users not to reuse passwords, and add two-factor authentication and attempt limits to the login (`mamori-guard`).".into(),
        ));
    }
    if has(findings, |f| {
        f.rule.category == ActCategory::SecurityHoleAttack && f.succeeded
    }) {
        steps.push((
            "攻撃が届いた可能性のある Web アプリケーションを特定し、更新・修正してください。修正まで WAF で遮断してください。".into(),
            "Find the web application the attacks may have reached and patch it; block the attack with a WAF until then.".into(),
        ));
    }
    if verdict >= Verdict::Probed {
        steps.push((
            "攻撃元のアドレスを一時的に遮断してください（ファイアウォール、fail2ban など）。遮断だけでは根本対策にならない点に注意してください。".into(),
            "Block the attacking addresses for now (firewall, fail2ban …); blocking alone does not fix the weakness.".into(),
        ));
    }
    let referrals = referrals(findings);
    if verdict == Verdict::Clean {
        steps.push((
            "定期的にこの確認を行ってください。ログを 90 日以上保存しておくと、後から調べられます。".into(),
            "Run this check regularly, and keep logs for at least 90 days so that incidents can be examined later.".into(),
        ));
    }
    Advice {
        verdict,
        steps,
        accounts_to_reset: accounts,
        referrals,
    }
}

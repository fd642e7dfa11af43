//! The verdict and "what to do next": a first version of the reporting guideline
//! (通報指針, R-1.2) for one operator's scan. It will move to `mamori-core` when the
//! platform's intake needs the same rules.

use crate::finding::Finding;
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

/// Where a case like this can be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The prefectural police cyber-crime desk (都道府県警察のサイバー犯罪相談窓口).
    Police,
    /// IPA (情報処理推進機構) — 不正アクセス届出.
    Ipa,
    /// JPCERT/CC — incident reports and coordination with attack sources.
    JpcertCc,
}

impl Body {
    /// The body's name.
    pub fn name(self) -> Text {
        match self {
            Body::Police => Text::new(
                "警察（都道府県警察のサイバー犯罪相談窓口）",
                "Police (prefectural cyber-crime desk)",
            ),
            Body::Ipa => Text::new(
                "IPA（情報処理推進機構）不正アクセス届出",
                "IPA (Information-technology Promotion Agency): unauthorized-access report",
            ),
            Body::JpcertCc => Text::new("JPCERT/CC インシデント報告", "JPCERT/CC incident report"),
        }
    }

    /// The stable JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Body::Police => "police",
            Body::Ipa => "ipa",
            Body::JpcertCc => "jpcert_cc",
        }
    }
}

/// One recommendation to report somewhere, with the reason.
#[derive(Debug, Clone)]
pub struct Referral {
    /// To whom.
    pub body: Body,
    /// Why, in both languages.
    pub reason: Text,
    /// Report at once (money or data leaving now, a planted web shell in use).
    pub urgent: bool,
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
    let mut referrals = Vec::new();
    let stuffing = has(findings, |f| f.rule.name == "credential-stuffing");
    if intrusion || stuffing {
        referrals.push(Referral {
            body: Body::Police,
            reason: if intrusion {
                Text::new(
                    "他人の ID・パスワードでのログインやセキュリティ・ホールを突いた侵入は不正アクセス禁止法違反（第3条）の犯罪です。被害の届出・相談をしてください。",
                    "Logging in with someone else's credentials or breaking in through a flaw is a crime under the Unauthorized Access Act (Art. 3): file a report or consult.",
                )
            } else {
                Text::new(
                    "リスト型攻撃（連続自動入力試行攻撃）は、行動計画でアクセス管理者が検知して警察に通報することが求められています。",
                    "The action plan asks access administrators to report credential stuffing to the police.",
                )
            },
            urgent: webshell || has(findings, |f| f.severity == Severity::Critical && f.rule.id == "MAM-A004"),
        });
    }
    if verdict >= Verdict::Attacked {
        referrals.push(Referral {
            body: Body::Ipa,
            reason: Text::new(
                "IPA は被害の有無にかかわらず不正アクセスの届出を受け付けています（コンピュータ不正アクセス対策基準）。届出は対策情報として全体の被害防止に役立ちます。",
                "IPA accepts unauthorized-access reports whether or not there was damage (the countermeasure standard); reports help protect others.",
            ),
            urgent: false,
        });
    }
    if webshell
        || has(findings, |f| {
            f.rule.category == ActCategory::SecurityHoleAttack && f.severity >= Severity::High
        })
        || stuffing
    {
        referrals.push(Referral {
            body: Body::JpcertCc,
            reason: Text::new(
                "攻撃元の管理者への連絡や、改ざんされたサイトの対応などの調整が必要な場合は JPCERT/CC に報告してください。",
                "Report to JPCERT/CC when the attack sources' operators must be contacted or a compromised site needs coordination.",
            ),
            urgent: false,
        });
    }
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

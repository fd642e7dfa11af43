//! What to prepare for each body (R-2.4, plan 3(2)イ(カ)) and what to preserve and how
//! (R-4.7, 情報システム安全対策指針 第2編第4章1, 不正アクセス対策基準 V.2(6)).

use super::{Body, CheckItem, Facts, Fit};
use crate::Text;

const fn item(
    id: &'static str,
    body: Option<Body>,
    ja: &'static str,
    en: &'static str,
) -> CheckItem {
    CheckItem {
        id,
        body,
        text: Text::new(ja, en),
    }
}

/// An item, when it applies in prose (`None`: always), and the condition.
pub(crate) type Conditional = (CheckItem, Option<&'static str>, fn(&Facts) -> bool);

/// Every item [`prepare`] can give, in order; the condition decides which apply.
pub(crate) static PREPARE: &[Conditional] = &[
    (
        item(
            "timeline",
            None,
            "時系列のメモ：いつ・何に気づき・何を確認し・何をしたか（時刻はタイムゾーン付きで）",
            "A timeline: when you noticed what, what you checked and what you did (times with their time zone)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "systems",
            None,
            "被害を受けた機器・システムの一覧、設置環境（自社設置・クラウド・ホスティング）とネットワーク構成図",
            "The affected devices and systems, where they run (on premises, cloud, hosting) and a network diagram",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "contact",
            None,
            "担当者の連絡先（日中に連絡がつく人）",
            "A contact person reachable during the day",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "police_logs",
            Some(Body::Police),
            "不正アクセスを示すログの原本（アクセスログ、認証ログ、操作ログ）と、攻撃元の IP アドレス・時刻",
            "The original logs that show the access (access, authentication and operation logs) with the sources' addresses and times",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "police_accounts",
            Some(Body::Police),
            "不正に使われたアカウントと、その正当な利用者",
            "The accounts that were misused and their rightful users",
        ),
        Some("unauthorized access"),
        |f| f.access,
    ),
    (
        item(
            "police_damage",
            Some(Body::Police),
            "被害の内容と被害額が分かる資料（取引明細、送金記録、購入履歴など）",
            "Records of the damage and the amount (statements, transfer records, purchase history …)",
        ),
        Some("money lost or moving"),
        |f| f.money_lost || f.money_now,
    ),
    (
        item(
            "police_extortion",
            Some(Body::Police),
            "脅迫・身代金要求のメッセージの原文（メールはヘッダー付き）",
            "The threatening or ransom messages as received (mail with headers)",
        ),
        Some("extortion"),
        |f| f.extortion,
    ),
    (
        item(
            "police_intent",
            Some(Body::Police),
            "処罰を求めるかどうかの意思（被害届・告訴）と、組織として届け出る場合は届け出る人の権限（委任状など）",
            "Whether you seek prosecution (damage report or complaint) and, for an organization, the filer's authority (a letter of authorization …)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "police_assistance",
            Some(Body::Police),
            "再発防止の援助を申し出る場合：不正アクセスが行われた際の機器の作動状況・管理状況が分かる資料（制定時の法第6条、現行第9条）",
            "To ask for assistance against recurrence: records of how the computer was operated and managed when the access happened (Art. 6 as enacted, now Art. 9)",
        ),
        Some("unauthorized access"),
        |f| f.access,
    ),
    (
        item(
            "ipa_form",
            Some(Body::Ipa),
            "届出の項目：発見年月日、被害を受けた機器（PC、サーバーの種類、ネットワーク機器など）、設置環境、発見の契機、被害の内容、対策の状況",
            "The report's items: date found, affected devices (PC, kind of server, network device …), where they run, how it was found, the damage, what has been done",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "ipa_cause",
            Some(Body::Ipa),
            "分かる範囲での原因（ID・パスワードの管理不備、古いバージョン・パッチ未適用、設定不備、不明）",
            "The cause as far as known (ID/password management, old versions or missing patches, misconfiguration, unknown)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "ipa_partial",
            Some(Body::Ipa),
            "分からない項目は空欄で構いません。IPA は一部だけの届出も受け付け、後から補えます",
            "Leave unknown items empty: IPA accepts partial reports that can be completed later",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "jpcert_source",
            Some(Body::JpcertCc),
            "攻撃元の IP アドレス・ホスト名・URL と、攻撃の日時（タイムゾーン付き）",
            "The sources' addresses, host names or URLs and the times of the attack (with time zone)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "jpcert_logs",
            Some(Body::JpcertCc),
            "攻撃を示すログの抜粋（該当する行をそのまま）",
            "Excerpts of the logs that show the attack (the lines as they are)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "jpcert_phishing",
            Some(Body::JpcertCc),
            "フィッシングサイトの URL、偽装されているブランド、誘導メール（ヘッダー付き）、画面のスクリーンショット",
            "The phishing site's URL, the brand it imitates, the luring mail (with headers) and screenshots",
        ),
        Some("phishing"),
        |f| f.phishing,
    ),
    (
        item(
            "jpcert_defacement",
            Some(Body::JpcertCc),
            "改ざんされたページの URL と改ざんの内容",
            "The altered pages' URLs and what was changed",
        ),
        Some("site altered or files planted"),
        |f| f.defaced || f.planted,
    ),
    (
        item(
            "jpcert_request",
            Some(Body::JpcertCc),
            "依頼したいこと（攻撃の停止、サイトの閉鎖、情報提供のみ など）",
            "What you ask for (stop the attack, take a site down, information only …)",
        ),
        None,
        |_| true,
    ),
];

/// Every item [`preserve`] can give, in order; the condition decides which apply.
pub(crate) static PRESERVE: &[Conditional] = &[
    (
        item(
            "tell_responsible",
            None,
            "組織の危機管理責任者に直ちに報告する（安全対策指針 第2編第4章1(1)）",
            "Tell your organization's person in charge of incidents at once (NPSC guideline part 2, ch. 4, 1(1))",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "keep_as_is",
            None,
            "ログ、検知結果、攻撃を受けた対象を、攻撃に気づいた時点の状態のまま保存する（安全対策指針 第2編第4章1(2)）。元のファイルは編集・移動せず、コピーを取る",
            "Keep the logs, detection results and attacked objects as they were when you noticed (NPSC guideline part 2, ch. 4, 1(2)): copy them, do not edit or move the originals",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "login_logs",
            None,
            "ログイン時のログ（サーバーの認証ログ、管理画面・VPN・メールのログイン履歴）を保存する",
            "Save the login logs (server authentication logs, admin-panel, VPN and mail sign-in history)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "stop_rotation",
            None,
            "ログのローテーション・自動削除を止める（保存期間が短いと証拠が消えます）",
            "Stop log rotation and automatic deletion (short retention destroys evidence)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "hashes",
            None,
            "保存したファイルの SHA-256 ハッシュ値を記録する。`mamori evidence collect --out case.tar --reason \"…\" ファイル…` がハッシュ値と署名付き目録で封印し、`mamori evidence verify` で変わっていないことを示せます",
            "Record the SHA-256 hash of every saved file. `mamori evidence collect --out case.tar --reason \"…\" FILES…` seals them with hashes and a signed manifest; `mamori evidence verify` shows nothing changed",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "scan_results",
            None,
            "`mamori scan --format json ログ… > findings.json` で検出結果を保存し、証拠に含める",
            "Save the findings with `mamori scan --format json LOGS… > findings.json` and include them in the evidence",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "no_reboot",
            None,
            "再起動・初期化・再インストール・ファイルの削除をしない。止める必要があるときは、電源を切らずにネットワークから切り離す（メモリ上の痕跡が残ります）",
            "Do not reboot, wipe, reinstall or delete files. If you must stop it, disconnect it from the network without powering off (traces in memory survive)",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "attacked_objects",
            None,
            "改ざんされたファイルや置かれた不審なファイル（Web シェルなど）は削除せず、コピーとハッシュ値を取って保存する",
            "Do not delete altered or planted files (web shells …): keep copies with their hashes",
        ),
        Some("unauthorized access, site altered or files planted"),
        |f| f.defaced || f.planted || f.access,
    ),
    (
        item(
            "clock",
            None,
            "サーバーの時刻のずれとタイムゾーンを記録する",
            "Note each server's clock offset and time zone",
        ),
        None,
        |_| true,
    ),
    (
        item(
            "phishing_capture",
            None,
            "フィッシングサイトの URL・画面・HTML と誘導メールを、閉鎖される前に保存する",
            "Save the phishing site's URL, screens and HTML and the luring mail before it is taken down",
        ),
        Some("phishing"),
        |f| f.phishing,
    ),
    (
        item(
            "money_records",
            None,
            "送金・取引の記録と、金融機関とのやり取りを保存する",
            "Keep the transfer and transaction records and your exchanges with the bank",
        ),
        Some("money lost or moving"),
        |f| f.money_lost || f.money_now,
    ),
    (
        item(
            "extortion_messages",
            None,
            "脅迫文・身代金要求のメッセージを消さずに保存する",
            "Keep the threatening or ransom messages; do not delete them",
        ),
        Some("extortion"),
        |f| f.extortion,
    ),
    (
        item(
            "evidence_changed",
            None,
            "既に再起動・復元・削除をした場合は、その日時と内容を記録し、残っている証拠（バックアップ、他のサーバーや機器のログ）を探して保存する",
            "If you already rebooted, restored or deleted, record when and what, and look for the evidence left (backups, logs on other servers and devices)",
        ),
        Some("already rebooted, restored or deleted"),
        |f| f.evidence_changed,
    ),
    (
        item(
            "record_recovery",
            None,
            "復旧作業の経過を記録する（いつ・誰が・何をしたか）。警察等の調査が終わってから復旧する（安全対策指針 第2編第4章1(5)）",
            "Record the recovery work (when, who, what), and recover after the police or others have finished examining (NPSC guideline part 2, ch. 4, 1(5))",
        ),
        None,
        |_| true,
    ),
];

/// The items to prepare: the general ones and those of every body that fits.
pub(crate) fn prepare(f: &Facts, fits: &[(Body, Fit)]) -> Vec<CheckItem> {
    let fits_body = |b: Body| {
        fits.iter()
            .any(|(x, fit)| *x == b && *fit != Fit::NotNeeded)
    };
    PREPARE
        .iter()
        .filter(|(i, _, cond)| i.body.is_none_or(fits_body) && cond(f))
        .map(|(i, _, _)| *i)
        .collect()
}

/// What to preserve and how.
pub(crate) fn preserve(f: &Facts) -> Vec<CheckItem> {
    PRESERVE
        .iter()
        .filter(|(_, _, cond)| cond(f))
        .map(|(i, _, _)| *i)
        .collect()
}

/// Every preparation item with when it applies (`None`: always), for documents.
pub fn preparation_items() -> Vec<(CheckItem, Option<&'static str>)> {
    PREPARE.iter().map(|(i, w, _)| (*i, *w)).collect()
}

/// Every preservation item with when it applies (`None`: always), for documents.
pub fn preservation_items() -> Vec<(CheckItem, Option<&'static str>)> {
    PRESERVE.iter().map(|(i, w, _)| (*i, *w)).collect()
}

//! The portal's fixed texts: the minimum countermeasures for general users with short
//! slogans (in Japanese, English, やさしい日本語 and a children's version with ruby
//! readings), the audiences' entry points, the victim wizard's steps and the curated
//! directory of related portals and windows.

use super::{Audience, Topic};
use crate::Text;
use serde::Serialize;

/// One of the minimum countermeasures (まず最低限これだけ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Minimum {
    /// Stable id.
    pub id: &'static str,
    /// The short slogan.
    pub slogan: Text,
    /// What to do, in a sentence or two.
    pub what: Text,
    /// The same in やさしい日本語 (plain Japanese).
    pub easy: &'static str,
    /// The children's version: `{漢字|かんじ}` marks a ruby reading (see [`ruby`]).
    pub kids: &'static str,
    /// The topic of the materials that say more.
    pub topic: Topic,
}

/// The minimum set for general users: security software, updates, unique
/// passwords, second factors, phishing awareness.
pub const MINIMUM: &[Minimum] = &[
    Minimum {
        id: "security_software",
        slogan: Text::new(
            "入れて、動かす、セキュリティソフト",
            "Install it, keep it running",
        ),
        what: Text::new(
            "パソコンやスマートフォンにセキュリティソフト（ウイルス対策）を入れ、自動更新を有効にしておきましょう。",
            "Install security (anti-malware) software on computers and phones and keep automatic updates on.",
        ),
        easy: "パソコンと スマホに、ウイルスを ふせぐ ソフトを 入れましょう。ソフトは いつも あたらしく しましょう。",
        kids: "パソコンやスマホには、ウイルスを{防|ふせ}ぐソフトを{入|い}れておこう。",
        topic: Topic::Malware,
    },
    Minimum {
        id: "updates",
        slogan: Text::new("更新は、あとでより、今すぐに", "Update now, not later"),
        what: Text::new(
            "OS やアプリの更新のお知らせが来たら、すぐに更新しましょう。古いままだと弱点を突かれます。",
            "When an update for the system or an app arrives, install it right away; old versions have holes attackers use.",
        ),
        easy: "「アップデート」の おしらせが きたら、すぐに アップデート しましょう。",
        kids: "「アップデート」のお{知|し}らせが{来|き}たら、おうちの{人|ひと}といっしょにすぐ{更新|こうしん}しよう。",
        topic: Topic::Updates,
    },
    Minimum {
        id: "passwords",
        slogan: Text::new("パスワード、長く・別々に", "Long, and one per service"),
        what: Text::new(
            "パスワードは長く、推測されにくくし、サービスごとに別々にしましょう。使い回すと、一つ漏れただけで全部乗っ取られます。",
            "Make passwords long and hard to guess, and use a different one for every service: with reuse, one leak opens them all.",
        ),
        easy: "パスワードは ながく しましょう。ほかの サービスと おなじ パスワードは つかわないで ください。",
        kids: "パスワードは{長|なが}くして、ほかの{人|ひと}に{教|おし}えないでね。ゲームとメールで{同|おな}じパスワードを{使|つか}わないようにしよう。",
        topic: Topic::Passwords,
    },
    Minimum {
        id: "two_factor",
        slogan: Text::new(
            "ログインに、もうひとつの鍵",
            "A second key for every sign-in",
        ),
        what: Text::new(
            "メール、ネットバンキング、SNS などでは二段階認証（確認コードや生体認証）を有効にしましょう。パスワードが盗まれても入られにくくなります。",
            "Turn on a second factor (codes, fingerprint or face) for mail, online banking and social media: a stolen password is then not enough.",
        ),
        easy: "ログインの とき、パスワードの ほかに「かくにんコード」も つかう せっていに しましょう。",
        kids: "ログインするときに、パスワードのほかに「{確認|かくにん}コード」も{使|つか}う{設定|せってい}にしよう。",
        topic: Topic::TwoFactor,
    },
    Minimum {
        id: "phishing",
        slogan: Text::new("メールのリンク、押す前に確かめる", "Check before you click"),
        what: Text::new(
            "「アカウントが停止されます」などの急がせるメールや SMS のリンクは押さず、公式アプリやブックマークから確かめましょう。ID・パスワードを入力する前に一呼吸。",
            "Do not follow links in mails or texts that rush you (\"your account will be locked\"); check in the official app or a bookmark instead, and pause before typing an ID and password.",
        ),
        easy: "「いそいで」と いう メールの リンクは おさないで ください。ほんものの アプリで たしかめましょう。",
        kids: "「すぐにクリックして」というメールやメッセージはあやしいよ。{押|お}す{前|まえ}におうちの{人|ひと}や{先生|せんせい}に{聞|き}こう。",
        topic: Topic::Phishing,
    },
];

/// A piece of text with an optional ruby reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ruby<'a> {
    /// The base text.
    pub base: &'a str,
    /// Its reading, if marked.
    pub reading: Option<&'a str>,
}

/// Splits `{漢字|かんじ}` ruby marks out of a text; an unclosed mark stays as text.
pub fn ruby(s: &str) -> Vec<Ruby<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        let Some((base, reading)) = inner.split_once('|') else {
            out.push(Ruby {
                base: &rest[..=close],
                reading: None,
            });
            rest = &rest[close + 1..];
            continue;
        };
        if open > 0 {
            out.push(Ruby {
                base: &rest[..open],
                reading: None,
            });
        }
        out.push(Ruby {
            base,
            reading: Some(reading),
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Ruby {
            base: rest,
            reading: None,
        });
    }
    out
}

/// What an audience's entry page says first.
pub fn audience_intro(a: Audience) -> Text {
    match a {
        Audience::Children => Text::new(
            "インターネットを安全に使うためのお話と、授業やご家庭で使える教材です。",
            "Staying safe online, with materials for classes and families.",
        ),
        Audience::General => Text::new(
            "まず最低限の5つの対策を。文字を大きくするボタンと、やさしい日本語の説明もあります。",
            "Start with the five minimum measures. Larger text and plain Japanese are a click away.",
        ),
        Audience::Executives => Text::new(
            "不正アクセスは経営の問題です。基本の対策、方針に基づく対策、製品やサービスの一生を通じた対策の順に確かめましょう。",
            "Unauthorized access is a management issue: check the baseline, then policy-based measures, then measures across each system's life.",
        ),
        Audience::Sme => Text::new(
            "5分間チェックで自社の弱い所を見つけ、次にやることと使える資料を確かめましょう。",
            "Find your weak spots with the five-minute check, then see what to do next and which materials help.",
        ),
        Audience::Government => Text::new(
            "職員として守ること、システム管理者として確かめることの自己点検と資料です。",
            "Self-checks and materials for staff and for those who run systems.",
        ),
        Audience::Administrators => Text::new(
            "コンピュータ不正アクセス対策基準の管理者向け58項目で点検し、ログの保存と届出の準備を整えましょう。",
            "Check the 58 administrator items of the countermeasure standard, and get logs and reporting ready.",
        ),
    }
}

/// The self-check that suits an audience best.
pub fn audience_check(a: Audience) -> &'static str {
    match a {
        Audience::Children | Audience::General | Audience::Government => "user",
        Audience::Executives | Audience::Sme => "sme",
        Audience::Administrators => "admin",
    }
}

/// One step of the victim wizard: a title and the intake questions it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WizardStep {
    /// The step's heading.
    pub title: Text,
    /// Intake question ids (`mamori_core::intake::question`).
    pub questions: &'static [&'static str],
}

/// The victim wizard: four short steps over the intake questions the
/// reporting guideline looks at most; everything else can follow in the full form.
pub const WIZARD: &[WizardStep] = &[
    WizardStep {
        title: Text::new("何が起きましたか", "What happened?"),
        questions: &["what_happened"],
    },
    WizardStep {
        title: Text::new("お金の被害", "Money"),
        questions: &["money_lost", "money_moving_now"],
    },
    WizardStep {
        title: Text::new(
            "情報と、今も続いていること",
            "Information, and what is still going on",
        ),
        questions: &["data_leaked", "ongoing"],
    },
    WizardStep {
        title: Text::new("あなたの希望", "What you want"),
        questions: &["attack_source_known", "wants_prosecution"],
    },
];

/// One entry of the unified links directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Stable id.
    pub id: &'static str,
    /// Name.
    pub name: Text,
    /// Address.
    pub url: &'static str,
    /// What it holds, and when to go there.
    pub holds: Text,
    /// For whom.
    pub audiences: &'static [Audience],
    /// A window that takes reports or consultations (rather than information only).
    pub window: bool,
}

use Audience::{Administrators, Children, Executives, General, Government, Sme};

/// The curated directory of related portals and windows.
pub const LINKS: &[Link] = &[
    Link {
        id: "npa_cyber",
        name: Text::new(
            "警察庁 サイバー警察局（都道府県警察の相談窓口）",
            "National Police Agency, Cyber Affairs Bureau (prefectural police desks)",
        ),
        url: "https://www.npa.go.jp/bureau/cyber/",
        holds: Text::new(
            "不正アクセスなどの被害の届出・相談の窓口（都道府県警察）の案内と、手口の注意喚起。犯人の処罰を求めるとき、お金の被害があるときはこちら。相談は警察相談専用電話 #9110 でも。",
            "The prefectural police desks for reporting and consulting, and warnings about methods. Go here to seek prosecution or when money was lost; by phone: #9110.",
        ),
        audiences: &[
            Children,
            General,
            Executives,
            Sme,
            Government,
            Administrators,
        ],
        window: true,
    },
    Link {
        id: "ipa_report",
        name: Text::new(
            "IPA 情報セキュリティ（届出・安心相談窓口）",
            "IPA information security (reports, consultation desk)",
        ),
        url: "https://www.ipa.go.jp/security/",
        holds: Text::new(
            "不正アクセスやウイルスの届出の受付（被害の有無を問わない）、情報セキュリティ安心相談窓口、中小企業向けの自社診断や教材。",
            "Reports of unauthorized access and malware (damage or not), the security consultation desk, and self-diagnosis and materials for small businesses.",
        ),
        audiences: &[General, Executives, Sme, Government, Administrators],
        window: true,
    },
    Link {
        id: "jpcert",
        name: Text::new(
            "JPCERT/CC（インシデント報告）",
            "JPCERT/CC (incident reports)",
        ),
        url: "https://www.jpcert.or.jp/",
        holds: Text::new(
            "インシデントの報告受付と、攻撃元や偽サイトの管理者との調整（停止・閉鎖の依頼）。技術的な注意喚起。",
            "Incident reports and coordination with attack sources and fake sites (asking them to stop or close); technical alerts.",
        ),
        audiences: &[Sme, Government, Administrators],
        window: true,
    },
    Link {
        id: "antiphishing",
        name: Text::new("フィッシング対策協議会", "Council of Anti-Phishing Japan"),
        url: "https://www.antiphishing.jp/",
        holds: Text::new(
            "フィッシングの最新の事例と報告の受付。偽メール・偽サイトを見つけたら報告できます。",
            "Current phishing cases and a place to report fake mail and sites.",
        ),
        audiences: &[General, Sme, Administrators],
        window: true,
    },
    Link {
        id: "consumer_188",
        name: Text::new(
            "消費者ホットライン 188（消費者庁）",
            "Consumer hotline 188 (Consumer Affairs Agency)",
        ),
        url: "https://www.caa.go.jp/",
        holds: Text::new(
            "ネット通販や架空請求など、契約やお金のトラブルの相談先（電話 188）。",
            "Consumer trouble with online shopping, fake bills and contracts (phone 188).",
        ),
        audiences: &[General, Children],
        window: true,
    },
    Link {
        id: "nisc",
        name: Text::new(
            "内閣サイバーセキュリティセンター（NISC）",
            "National center of Incident readiness and Strategy for Cybersecurity (NISC)",
        ),
        url: "https://www.nisc.go.jp/",
        holds: Text::new(
            "政府のサイバーセキュリティ政策、普及啓発の資料（ハンドブックなど）。",
            "Government cybersecurity policy and awareness materials (handbooks and more).",
        ),
        audiences: &[General, Executives, Government],
        window: false,
    },
    Link {
        id: "soumu_kokumin",
        name: Text::new(
            "総務省 国民のためのサイバーセキュリティサイト",
            "MIC cybersecurity site for citizens",
        ),
        url: "https://www.soumu.go.jp/main_sosiki/cybersecurity/kokumin/",
        holds: Text::new(
            "インターネットを安全に使うための基礎知識。家庭・学校向けの説明。",
            "Basics of using the internet safely, for homes and schools.",
        ),
        audiences: &[Children, General],
        window: false,
    },
    Link {
        id: "jvn",
        name: Text::new("JVN（脆弱性対策情報ポータル）", "JVN (vulnerability notes)"),
        url: "https://jvn.jp/",
        holds: Text::new(
            "国内で流通する製品の脆弱性とその対策情報。更新が必要な製品を確かめるときに。",
            "Vulnerabilities in products used in Japan and their fixes: check what needs updating.",
        ),
        audiences: &[Administrators, Sme],
        window: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_marks() {
        let r = ruby("ウイルスを{防|ふせ}ぐ{ソフト}");
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[0],
            Ruby {
                base: "ウイルスを",
                reading: None
            }
        );
        assert_eq!(
            r[1],
            Ruby {
                base: "防",
                reading: Some("ふせ")
            }
        );
        assert_eq!(r[2].base, "ぐ{ソフト}");
        assert_eq!(
            ruby("{未完|み"),
            vec![Ruby {
                base: "{未完|み",
                reading: None
            }]
        );
    }

    #[test]
    fn wizard_asks_real_questions() {
        for s in WIZARD {
            for q in s.questions {
                assert!(crate::intake::question(q).is_some(), "{q}");
            }
        }
    }
}

//! The questions, in the order the form asks them. Plain words: a victim company answers
//! without knowing the law; [`super::classify`] does the legal mapping.
//!
//! Ids are stable (form field names, stored answers): never rename one, add new ones.
//! In a `Many` question the choices `none` and `unknown` exclude every other choice.

use super::{Choice, Question, QuestionKind};
use crate::Text;

const fn c(id: &'static str, ja: &'static str, en: &'static str) -> Choice {
    Choice {
        id,
        text: Text::new(ja, en),
    }
}

const YES_NO_UNKNOWN: &[Choice] = &[
    c("yes", "はい", "yes"),
    c("no", "いいえ", "no"),
    c("unknown", "分からない", "don't know"),
];

pub(super) static QUESTIONS: &[Question] = &[
    Question {
        id: "what_happened",
        text: Text::new(
            "何が起きましたか（当てはまるものをすべて）",
            "What happened? (all that apply)",
        ),
        help: Text::new(
            "はっきりしなくても、いちばん近いものを選んでください。法律上の区分はこちらで判断します。",
            "Pick the closest even if you are not sure; the legal categories are worked out for you.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c(
                "unauthorized_login",
                "誰かが他人（社員・利用者）の ID・パスワードで勝手にログインした",
                "someone logged in with another person's (staff or user) ID and password",
            ),
            c(
                "break_in_via_flaw",
                "ソフトウェアの弱点（脆弱性）や設定の不備を突かれて侵入された",
                "someone broke in through a software flaw or a configuration mistake",
            ),
            c(
                "break_in_via_other_system",
                "つながっている別のシステムを経由して、本来入れないシステムに入られた",
                "someone got into a system through another, connected system",
            ),
            c(
                "login_attempts",
                "ログインの試行がたくさんあった（成功は確認していない）",
                "many login attempts (no successful login found)",
            ),
            c(
                "attack_attempts",
                "弱点を突こうとする攻撃が来ている（成功は確認していない）",
                "attacks trying to exploit flaws (no success found)",
            ),
            c(
                "scans",
                "弱点を探すようなアクセス（スキャン）があった",
                "scans probing for weaknesses",
            ),
            c(
                "phishing_site",
                "自社や自社の利用者をかたる偽サイト・偽メール（フィッシング）がある",
                "a fake site or mail pretending to be us asks for IDs and passwords (phishing)",
            ),
            c(
                "ids_stolen",
                "利用者や社員の ID・パスワードが盗まれた",
                "our users' or staff's IDs and passwords were stolen",
            ),
            c(
                "ids_published",
                "自社の ID・パスワードがネット上で公開・販売されている",
                "our IDs and passwords are published or sold online",
            ),
            c(
                "ids_list_found",
                "他人の ID・パスワードを集めたファイル（リスト）が見つかった",
                "a file (list) of other people's IDs and passwords was found",
            ),
            c(
                "dos",
                "大量のアクセスでサイトやサービスが止まった・遅くなった（DoS）",
                "a flood of traffic stopped or slowed the site or service (DoS)",
            ),
            c(
                "ransom",
                "データを暗号化された、または脅迫・身代金の要求を受けた",
                "data was encrypted, or we received threats or a ransom demand",
            ),
            c("other", "その他", "something else"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: true,
    },
    Question {
        id: "discovered_at",
        text: Text::new("いつ気づきましたか", "When did you notice?"),
        help: Text::new(
            "日付だけでも構いません（例：2026-03-01 または 2026-03-01T09:30）。",
            "A date alone is fine (e.g. 2026-03-01 or 2026-03-01T09:30).",
        ),
        kind: QuestionKind::DateTime,
        options: &[],
        required_for_report: true,
    },
    Question {
        id: "started_at",
        text: Text::new(
            "いつ頃から始まったと思いますか",
            "Since when do you think it has been going on?",
        ),
        help: Text::new(
            "ログに残る最初の不審なアクセスの日時など。分からなければ空欄で構いません。",
            "For example the first suspicious entry in the logs. Leave empty if you don't know.",
        ),
        kind: QuestionKind::DateTime,
        options: &[],
        required_for_report: false,
    },
    Question {
        id: "how_discovered",
        text: Text::new("どうやって気づきましたか", "How did you find out?"),
        help: Text::new(
            "いちばん最初のきっかけを選んでください。",
            "Pick what first made you aware.",
        ),
        kind: QuestionKind::One,
        options: &[
            c(
                "own_monitoring",
                "自社の監視・点検・ログの確認で見つけた",
                "our own monitoring, checks or log review",
            ),
            c(
                "told_by_customer",
                "顧客・利用者から連絡があった",
                "a customer or user told us",
            ),
            c(
                "told_by_provider",
                "取引先（クラウド事業者、カード会社など）から連絡があった",
                "a business partner (cloud provider, card company …) told us",
            ),
            c(
                "told_by_external_org",
                "IPA・JPCERT/CC・セキュリティ会社などから連絡があった",
                "IPA, JPCERT/CC or a security firm told us",
            ),
            c(
                "told_by_police",
                "警察から連絡があった",
                "the police told us",
            ),
            c(
                "attacker_contact",
                "犯人から連絡・脅迫があった",
                "the attacker contacted or threatened us",
            ),
            c("other", "その他", "other"),
        ],
        required_for_report: true,
    },
    Question {
        id: "systems",
        text: Text::new(
            "被害を受けた（狙われた）システムはどれですか",
            "Which systems were affected or targeted?",
        ),
        help: Text::new(
            "当てはまるものをすべて選んでください。",
            "Pick all that apply.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c(
                "website",
                "ウェブサイト・ウェブアプリケーション（EC サイトを含む）",
                "website or web application (online shop included)",
            ),
            c(
                "server",
                "サーバー（SSH などで管理しているもの）",
                "server (managed over SSH and the like)",
            ),
            c(
                "mail",
                "メールサーバー・メールアカウント",
                "mail server or mail accounts",
            ),
            c(
                "internal",
                "社内のファイルサーバー・データベース・認証サーバー（AD など）",
                "internal file server, database or directory (AD …)",
            ),
            c("pc", "パソコン・スマートフォン", "PCs or smartphones"),
            c(
                "network_device",
                "ルーター・VPN 装置などのネットワーク機器",
                "network devices (routers, VPN appliances …)",
            ),
            c(
                "nas",
                "NAS（ネットワーク接続ストレージ）",
                "NAS (network storage)",
            ),
            c(
                "cloud_account",
                "クラウドサービス・インターネットサービスのアカウント",
                "cloud or internet-service accounts",
            ),
            c(
                "control_system",
                "工場や設備の制御システム",
                "industrial control systems",
            ),
            c("other", "その他", "other"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: true,
    },
    Question {
        id: "after_access",
        text: Text::new(
            "入られた後、何をされましたか（分かる範囲で）",
            "What was done after the access (as far as you know)?",
        ),
        help: Text::new(
            "当てはまるものをすべて選んでください。",
            "Pick all that apply.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c(
                "money_transferred",
                "お金を勝手に送金・引き出しされた",
                "money was transferred or withdrawn",
            ),
            c(
                "info_stolen",
                "メールや情報を見られた・盗まれた",
                "mail or information was read or taken",
            ),
            c("purchases", "勝手に買い物をされた", "purchases were made"),
            c(
                "game_sns",
                "ゲームや SNS・コミュニティのアカウントを勝手に操作された",
                "game, SNS or community accounts were used",
            ),
            c(
                "crypto_sent",
                "暗号資産（仮想通貨）を勝手に送られた",
                "crypto assets were sent away",
            ),
            c(
                "site_altered",
                "ウェブサイトを書き換えられた・消された",
                "the website was altered or deleted",
            ),
            c(
                "impersonation",
                "本人になりすまして投稿・メール送信をされた",
                "posts or mail were sent in someone's name",
            ),
            c(
                "auction",
                "オークションを勝手に操作された",
                "auctions were manipulated",
            ),
            c(
                "files_planted",
                "不審なファイルやプログラム（Web シェル・ウイルス）を置かれた",
                "suspicious files or programs (web shell, malware) were planted",
            ),
            c(
                "relay",
                "迷惑メールの送信や、他への攻撃の中継に使われた",
                "used to send spam or to attack others",
            ),
            c(
                "data_encrypted",
                "データを暗号化・削除された",
                "data was encrypted or deleted",
            ),
            c("other", "その他", "something else"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: false,
    },
    Question {
        id: "how_got_in",
        text: Text::new(
            "どうやって入られたと思いますか（分かれば）",
            "How do you think they got in (if known)?",
        ),
        help: Text::new(
            "分からなければ「分からない」を選んでください。",
            "Choose “don't know” if you don't know.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c(
                "weak_password",
                "推測しやすいパスワードや、パスワードの管理の甘さ",
                "a guessable password or careless password handling",
            ),
            c(
                "insider",
                "元社員や知人など、パスワードを知り得る人",
                "a former employee, acquaintance or someone who could know the password",
            ),
            c(
                "phishing",
                "偽サイト（フィッシング）で盗まれたパスワード",
                "a password stolen through a phishing site",
            ),
            c(
                "malware",
                "ウイルス・スパイウェアで盗まれたパスワード",
                "a password stolen by malware or spyware",
            ),
            c(
                "leaked_list",
                "他のサイトから漏れた ID・パスワードの使い回し（リスト型攻撃）",
                "IDs and passwords leaked elsewhere and reused (credential stuffing)",
            ),
            c(
                "accomplice",
                "共犯者から入手したもの",
                "obtained from an accomplice",
            ),
            c("bought", "他人から買ったもの", "bought from someone"),
            c(
                "flaw",
                "ソフトウェアの弱点（脆弱性）や設定の不備",
                "a software flaw or configuration mistake",
            ),
            c(
                "targeted_mail",
                "特定の相手を狙ったメール（標的型メール）",
                "mail aimed at us in particular (targeted attack)",
            ),
            c("other", "その他", "other"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: false,
    },
    Question {
        id: "money_lost",
        text: Text::new("お金の被害はありましたか", "Did you lose money?"),
        help: Text::new(
            "不正送金、不正購入、暗号資産の流出などを含みます。",
            "Illegal transfers, fraudulent purchases and lost crypto assets count.",
        ),
        kind: QuestionKind::One,
        options: YES_NO_UNKNOWN,
        required_for_report: false,
    },
    Question {
        id: "money_amount",
        text: Text::new("被害額（分かれば、円）", "Amount lost (if known, in yen)"),
        help: Text::new("おおよそで構いません。", "An estimate is fine."),
        kind: QuestionKind::ShortText,
        options: &[],
        required_for_report: false,
    },
    Question {
        id: "money_moving_now",
        text: Text::new(
            "今まさに、お金が送金・引き出しされていますか",
            "Is money being transferred or withdrawn right now?",
        ),
        help: Text::new(
            "今も続いているなら、すぐに金融機関と警察に連絡すれば止められる可能性があります。",
            "If it is still happening, calling the bank and the police at once may stop it.",
        ),
        kind: QuestionKind::One,
        options: YES_NO_UNKNOWN,
        required_for_report: false,
    },
    Question {
        id: "data_leaked",
        text: Text::new("情報が漏れましたか", "Did information leak?"),
        help: Text::new(
            "顧客の氏名・住所・カード番号などは個人情報です。",
            "Customers' names, addresses and card numbers are personal data.",
        ),
        kind: QuestionKind::One,
        options: &[
            c("personal_data", "個人情報が漏れた", "personal data leaked"),
            c(
                "other_data",
                "個人情報以外の情報が漏れた",
                "other information leaked",
            ),
            c("suspected", "漏れた可能性がある", "it may have leaked"),
            c("no", "漏れていない", "nothing leaked"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: false,
    },
    Question {
        id: "other_damage",
        text: Text::new(
            "ほかにどんな被害がありましたか",
            "What other damage was there?",
        ),
        help: Text::new(
            "当てはまるものをすべて選んでください。",
            "Pick all that apply.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c("service_stopped", "サービスが止まった", "a service stopped"),
            c("data_altered", "データを書き換えられた", "data was altered"),
            c(
                "data_destroyed",
                "データを消された・壊された",
                "data was deleted or destroyed",
            ),
            c(
                "account_taken_over",
                "アカウントを乗っ取られた",
                "accounts were taken over",
            ),
            c("other", "その他", "other"),
            c("none", "特にない", "none"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: false,
    },
    Question {
        id: "ongoing",
        text: Text::new(
            "今も続いていることはありますか",
            "Is any of this still going on?",
        ),
        help: Text::new(
            "当てはまるものをすべて選んでください。",
            "Pick all that apply.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c(
                "site_still_altered",
                "サイトが書き換えられたままになっている",
                "the site is still altered",
            ),
            c(
                "phishing_site_up",
                "偽サイト（フィッシングサイト）がまだ公開されている",
                "the phishing site is still up",
            ),
            c(
                "attacker_still_in",
                "攻撃者がまだ入れる状態、または不審なアクセスが続いている",
                "the attacker can still get in, or suspicious access goes on",
            ),
            c(
                "attacks_continue",
                "攻撃（ログイン試行・DoS など）が続いている",
                "attacks (login attempts, DoS …) continue",
            ),
            c(
                "extortion_ongoing",
                "脅迫や身代金の要求が続いている",
                "threats or ransom demands continue",
            ),
            c("none", "いずれもない", "none of these"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: false,
    },
    Question {
        id: "attack_source_known",
        text: Text::new(
            "攻撃元（IP アドレス、偽サイトの URL、悪用されているサーバー）が分かっていて、その管理者に止めてほしいですか",
            "Do you know where the attack comes from (IP address, phishing URL, abused server) and want its operator asked to stop it?",
        ),
        help: Text::new(
            "攻撃元の管理者への連絡やサイトの閉鎖は JPCERT/CC が調整します。",
            "JPCERT/CC coordinates contacting the source's operator and taking sites down.",
        ),
        kind: QuestionKind::One,
        options: YES_NO_UNKNOWN,
        required_for_report: false,
    },
    Question {
        id: "actions_taken",
        text: Text::new("これまでに何をしましたか", "What have you done so far?"),
        help: Text::new(
            "証拠の残り方が変わるので、再起動や復元をした場合も正直に選んでください。",
            "This changes what evidence is left, so please also say if you rebooted or restored.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c(
                "isolated",
                "ネットワークから切り離した",
                "disconnected it from the network",
            ),
            c(
                "passwords_changed",
                "パスワードを変更した",
                "changed passwords",
            ),
            c("logs_saved", "ログを保存した", "saved the logs"),
            c(
                "evidence_collected",
                "`mamori evidence collect` で証拠をまとめた",
                "sealed the evidence with `mamori evidence collect`",
            ),
            c("rebooted", "再起動した", "rebooted"),
            c(
                "restored",
                "バックアップから復元した・作り直した",
                "restored from backup or rebuilt",
            ),
            c(
                "files_deleted",
                "不審なファイルを削除した",
                "deleted suspicious files",
            ),
            c("none", "まだ何もしていない", "nothing yet"),
        ],
        required_for_report: false,
    },
    Question {
        id: "wants_prosecution",
        text: Text::new(
            "犯人の処罰を求めますか",
            "Do you want the offender prosecuted (処罰を求める)?",
        ),
        help: Text::new(
            "処罰を求める場合は警察に被害の届出をします。求めない場合も、届出は被害の実態を知るのに役立ちます。",
            "To seek prosecution you file with the police. Even if you don't, a report helps everyone see what is happening.",
        ),
        kind: QuestionKind::One,
        options: &[
            c(
                "yes",
                "処罰を求める（被害届を出したい）",
                "yes (I want to file a criminal complaint)",
            ),
            c(
                "undecided",
                "まだ決めていない・相談したい",
                "undecided, I want advice",
            ),
            c("no", "処罰は求めない", "no"),
        ],
        required_for_report: false,
    },
    Question {
        id: "reporter_role",
        text: Text::new("あなたの立場を教えてください", "What is your role?"),
        help: Text::new(
            "サイトやサーバーを運営・管理している側か、サービスを利用している側かを選んでください。",
            "Whether you run the site or server, or use the service.",
        ),
        kind: QuestionKind::One,
        options: &[
            c(
                "admin",
                "システムやサイトを運営・管理している（アクセス管理者）",
                "I run or manage the system or site (access administrator)",
            ),
            c(
                "user",
                "サービスの利用者（利用権者）",
                "I am a user of the service",
            ),
            c(
                "other",
                "その他（委託先・セキュリティ会社など）",
                "other (contractor, security firm …)",
            ),
        ],
        required_for_report: true,
    },
    Question {
        id: "org_type",
        text: Text::new("組織の種類", "Kind of organization"),
        help: Text::new(
            "被害を受けたシステムを管理している組織です。",
            "The organization that runs the affected system.",
        ),
        kind: QuestionKind::One,
        options: &[
            c("company", "一般企業", "company"),
            c("government", "行政機関等", "government body"),
            c("provider", "プロバイダ", "service provider (ISP)"),
            c(
                "university_research",
                "大学・研究機関等",
                "university or research institute",
            ),
            c(
                "other",
                "その他（個人、団体など）",
                "other (individual, association …)",
            ),
        ],
        required_for_report: true,
    },
    Question {
        id: "sector",
        text: Text::new("業種・狙われたサービス", "Sector or targeted service"),
        help: Text::new("いちばん近いものを選んでください。", "Pick the closest."),
        kind: QuestionKind::One,
        options: &[
            c(
                "finance",
                "金融機関・インターネットバンキング",
                "finance and internet banking",
            ),
            c("crypto_exchange", "暗号資産交換業", "crypto-asset exchange"),
            c(
                "ecommerce",
                "インターネットショッピング（EC サイト）",
                "online shopping (e-commerce)",
            ),
            c(
                "game_community",
                "オンラインゲーム・SNS・コミュニティサイト",
                "online games, SNS and community sites",
            ),
            c("email", "電子メールサービス", "e-mail service"),
            c(
                "telecom_provider",
                "通信事業者・プロバイダ・ホスティング・クラウド",
                "telecoms, ISPs, hosting and cloud",
            ),
            c("it_software", "IT・ソフトウェア", "IT and software"),
            c("manufacturing", "製造業", "manufacturing"),
            c(
                "infrastructure",
                "重要インフラ（電力・ガス・水道・交通など）",
                "critical infrastructure (power, gas, water, transport …)",
            ),
            c("healthcare", "医療・福祉", "healthcare and welfare"),
            c("education_research", "教育・研究", "education and research"),
            c("government", "行政", "government"),
            c("retail_services", "小売・サービス", "retail and services"),
            c("other", "その他", "other"),
        ],
        required_for_report: false,
    },
    Question {
        id: "motive",
        text: Text::new(
            "犯人の目的は何だと思いますか（分かれば）",
            "What do you think the offender wanted (if known)?",
        ),
        help: Text::new(
            "分からなければ「分からない」を選んでください。",
            "Choose “don't know” if you don't know.",
        ),
        kind: QuestionKind::Many,
        options: &[
            c("illicit_gain", "お金を得るため", "money"),
            c("obtain_information", "情報を手に入れるため", "information"),
            c("curiosity", "好奇心", "curiosity"),
            c("grudge", "嫌がらせや仕返し", "harassment or revenge"),
            c("showing_off", "自己顕示・技術の誇示", "showing off"),
            c(
                "evade_payment",
                "料金の支払いを免れるため",
                "to avoid paying",
            ),
            c("political", "政治的主張・抗議", "political protest"),
            c("other", "その他", "other"),
            c("unknown", "分からない", "don't know"),
        ],
        required_for_report: false,
    },
    Question {
        id: "description",
        text: Text::new(
            "起きたことを自由に書いてください",
            "Describe what happened in your own words",
        ),
        help: Text::new(
            "いつ、何に気づき、何を確認し、何をしたか。パスワードそのものは書かないでください。",
            "When you noticed what, what you checked and what you did. Do not write passwords here.",
        ),
        kind: QuestionKind::LongText,
        options: &[],
        required_for_report: true,
    },
];

//! The unified taxonomy (統一カテゴリ, R-1.4), version [`TAXONOMY_VERSION`].
//!
//! One case is described once, along independent dimensions, so that it can be counted the
//! police's way (行為類型, 手口, 不正アクセス後の行為, 動機, アクセス管理者, 端緒), JPCERT/CC's
//! way ([`jpcert_categories`]) and ENISA RSIT's way ([`rsit`]). The two mappings are data
//! (`crates/mamori-core/data/*.toml`), so a statistic can be recut without touching code.
//!
//! Legal references: the seed carries the Unauthorized Access Act as enacted (平成11年法律第128号):
//! Art. 3(2)(i)–(iii) define 不正アクセス行為, Art. 4 forbids providing another's code (助長).
//! The 2012 amendment (平成24年法律第12号) moved the definition to Art. 2(4), made providing
//! Art. 5 and added acquisition (Art. 4), storage (Art. 6) and phishing (識別符号の入力を不正に
//! 要求する行為, Art. 7). [`Act::legal_basis`] gives both numberings.
//!
//! Versioning: a case keeps the [`Classification::version`] it was filed under. Codes are never
//! reused with another meaning; a new value or dimension bumps the version (`YYYY.N`).

mod mapping;
mod scan;

pub use mapping::{
    JpcertCategory, RsitType, Triggers, data_versions, jpcert_catalog, jpcert_categories,
    jpcert_category, rsit, rsit_catalog, rsit_types,
};
pub use scan::{ActCategory, Severity};

use crate::Text;
use crate::dimension::coded_enum;
use serde::{Deserialize, Serialize};

/// The version of the taxonomy this build files cases under.
pub const TAXONOMY_VERSION: &str = "2026.1";

coded_enum! {
    /// The act under the Unauthorized Access Act (行為類型). Several may apply to one case.
    pub enum Act {
        /// Entering another person's identification code (password) — 識別符号窃用型.
        IdentifierMisuse = "identifier_misuse", "識別符号窃用型（他人のID・パスワードの無断入力）", "identification-code misuse (another's ID and password entered)";
        /// Entering information or commands that evade the access control — セキュリティ・ホール攻撃型.
        SecurityHoleAttack = "security_hole_attack", "セキュリティ・ホール攻撃型（脆弱性を突く侵入）", "security-hole attack (breaking in through a flaw)";
        /// The same against a computer whose access control sits on another computer (踏み台・経由型).
        SteppingStone = "stepping_stone", "踏み台型（他の電子計算機のアクセス制御を経由した侵入）", "stepping stone (access control on another computer evaded)";
        /// Providing another person's identification code to a third party — 助長行為.
        CodeProvision = "code_provision", "識別符号の提供（不正アクセス助長行為）", "providing another's identification code (facilitation)";
        /// Obtaining another person's identification code for unauthorized access — 識別符号取得.
        CodeAcquisition = "code_acquisition", "識別符号の不正取得", "obtaining another's identification code";
        /// Storing illegally obtained identification codes — 識別符号保管.
        CodeStorage = "code_storage", "識別符号の不正保管", "storing illegally obtained identification codes";
        /// Asking for identification codes under false pretences (phishing) — 識別符号入力不正要求.
        CodeInputRequest = "code_input_request", "識別符号の入力不正要求（フィッシング）", "illegally asking for identification codes (phishing)";
    }
}

impl Act {
    /// The article of the Act: the numbering in force, then the numbering as enacted in 1999
    /// (the seed's text). Acquisition, storage and phishing exist only since the 2012 amendment.
    pub fn legal_basis(self) -> Text {
        match self {
            Act::IdentifierMisuse => Text::new(
                "第2条第4項第1号・第3条（制定時：第3条第2項第1号）",
                "Art. 2(4)(i) and 3 (as enacted: Art. 3(2)(i))",
            ),
            Act::SecurityHoleAttack => Text::new(
                "第2条第4項第2号・第3条（制定時：第3条第2項第2号）",
                "Art. 2(4)(ii) and 3 (as enacted: Art. 3(2)(ii))",
            ),
            Act::SteppingStone => Text::new(
                "第2条第4項第3号・第3条（制定時：第3条第2項第3号）",
                "Art. 2(4)(iii) and 3 (as enacted: Art. 3(2)(iii))",
            ),
            Act::CodeProvision => {
                Text::new("第5条（制定時：第4条）", "Art. 5 (as enacted: Art. 4)")
            }
            Act::CodeAcquisition => Text::new(
                "第4条（平成24年改正で新設）",
                "Art. 4 (added by the 2012 amendment)",
            ),
            Act::CodeStorage => Text::new(
                "第6条（平成24年改正で新設）",
                "Art. 6 (added by the 2012 amendment)",
            ),
            Act::CodeInputRequest => Text::new(
                "第7条（平成24年改正で新設）",
                "Art. 7 (added by the 2012 amendment)",
            ),
        }
    }

    /// Whether this is 不正アクセス行為 itself (Art. 3), as opposed to the acts around it.
    pub fn is_unauthorized_access(self) -> bool {
        matches!(
            self,
            Act::IdentifierMisuse | Act::SecurityHoleAttack | Act::SteppingStone
        )
    }

    /// The act a `mamori scan` category points to; reconnaissance is no act under the Act.
    pub fn from_scan_category(c: ActCategory) -> Option<Act> {
        match c {
            ActCategory::IdentifierMisuse => Some(Act::IdentifierMisuse),
            ActCategory::SecurityHoleAttack => Some(Act::SecurityHoleAttack),
            ActCategory::Reconnaissance => None,
        }
    }
}

impl TryFrom<ActCategory> for Act {
    type Error = ActCategory;
    /// `Reconnaissance` is not an act and comes back as the error.
    fn try_from(c: ActCategory) -> Result<Act, ActCategory> {
        Act::from_scan_category(c).ok_or(c)
    }
}

coded_enum! {
    /// 手口: how the identification code was obtained, as the police count it, plus the
    /// security-hole attack and the attack kinds JPCERT/CC and RSIT count separately.
    pub enum Method {
        /// 利用権者のパスワードの設定・管理の甘さにつけ込んで入手 (guessing included).
        WeakPasswordManagement = "weak_password_management", "利用権者のパスワードの設定・管理の甘さにつけ込んで入手", "exploiting weak password setting or management";
        /// 識別符号を知り得る立場にあった元従業員、知人等によるもの.
        InsiderOrAcquaintance = "insider_or_acquaintance", "識別符号を知り得る立場にあった元従業員、知人等によるもの", "by a former employee, acquaintance or other person who could know the code";
        /// フィッシングサイトにより入手.
        PhishingSite = "phishing_site", "フィッシングサイトにより入手", "obtained through a phishing site";
        /// スパイウェア等のプログラムを使用して入手.
        Spyware = "spyware", "スパイウェア等のプログラムを使用して入手", "obtained with spyware or other programs";
        /// 共犯者等から入手.
        FromAccomplice = "from_accomplice", "共犯者等から入手", "obtained from accomplices";
        /// 他人から購入.
        Bought = "bought", "他人から購入", "bought from others";
        /// Codes leaked elsewhere replayed in bulk (連続自動入力試行攻撃, plan 3(3)イ(ア)).
        CredentialStuffing = "credential_stuffing", "リスト型攻撃（連続自動入力試行攻撃）", "credential stuffing (leaked ID/password lists replayed)";
        /// セキュリティ・ホール攻撃 (a flaw or misconfiguration exploited).
        SecurityHole = "security_hole", "セキュリティ・ホール（脆弱性・設定不備）を突く攻撃", "exploiting a security hole (flaw or misconfiguration)";
        /// Targeted attack mail and similar (JPCERT/CC: 標的型攻撃).
        TargetedAttack = "targeted_attack", "標的型攻撃（標的型メールなど）", "targeted attack (spear-phishing mail and the like)";
        /// Scans and probes (JPCERT/CC: スキャン; IPA: アクセス形跡).
        Reconnaissance = "reconnaissance", "スキャン・探索（下調べ）", "scanning and probing (reconnaissance)";
        /// Denial of service (JPCERT/CC: DoS/DDoS).
        Dos = "dos", "DoS/DDoS 攻撃", "DoS/DDoS attack";
        /// その他.
        Other = "other", "その他", "other";
        /// 不明.
        Unknown = "unknown", "不明", "unknown";
    }
}

coded_enum! {
    /// 不正アクセス後の行為: what was done after the access, as the police count it.
    pub enum AfterAccess {
        /// インターネットバンキングでの不正送金等.
        IllegalTransfer = "illegal_transfer", "インターネットバンキングでの不正送金等", "illegal transfers via internet banking";
        /// メールの盗み見等の情報の不正入手.
        InformationTheft = "information_theft", "メールの盗み見等の情報の不正入手", "reading mail or otherwise obtaining information";
        /// インターネットショッピングでの不正購入.
        ShoppingFraud = "shopping_fraud", "インターネットショッピングでの不正購入", "fraudulent purchases in online shopping";
        /// オンラインゲーム・コミュニティサイトの不正操作.
        GameCommunityManipulation = "game_community_manipulation", "オンラインゲーム・コミュニティサイトの不正操作", "manipulating online-game or community accounts";
        /// 暗号資産（仮想通貨）交換業者等での不正送信.
        CryptoAssetTheft = "crypto_asset_theft", "暗号資産（仮想通貨）交換業者等での不正送信", "illegal sending of crypto assets at exchanges";
        /// ウェブサイト（ホームページ）の改ざん・消去.
        Defacement = "defacement", "ウェブサイト（ホームページ）の改ざん・消去", "website defacement or deletion";
        /// 知人になりすましての情報発信.
        Impersonation = "impersonation", "知人になりすましての情報発信", "posting while impersonating someone";
        /// インターネット・オークションの不正操作.
        AuctionManipulation = "auction_manipulation", "インターネット・オークションの不正操作", "manipulating internet auctions";
        /// 不正ファイルの蔵置 (web shells and other planted files).
        PlantedFiles = "planted_files", "不正ファイルの蔵置", "planting malicious files";
        /// Used to relay spam or attacks on others (IPA: スパムメール中継, 踏み台).
        AttackRelay = "attack_relay", "迷惑メールの中継・他への攻撃の踏み台", "relaying spam or attacks on others";
        /// その他.
        Other = "other", "その他", "other";
    }
}

coded_enum! {
    /// The damage the victim suffered (被害).
    pub enum Damage {
        /// 金銭被害.
        MoneyLost = "money_lost", "金銭被害", "money lost";
        /// 情報の漏えい（個人情報を含む）.
        InformationLeaked = "information_leaked", "情報の漏えい", "information leaked";
        /// データ・サイトの改ざん.
        DataAltered = "data_altered", "データ・サイトの改ざん", "data or site altered";
        /// データの消去・破壊・暗号化.
        DataDestroyed = "data_destroyed", "データの消去・破壊・暗号化", "data deleted, destroyed or encrypted";
        /// サービスの停止.
        ServiceStopped = "service_stopped", "サービスの停止", "service stopped";
        /// アカウントの乗っ取り.
        AccountTakenOver = "account_taken_over", "アカウントの乗っ取り", "account taken over";
        /// 脅迫・身代金の要求.
        Extortion = "extortion", "脅迫・身代金の要求", "extortion or ransom demand";
        /// 未遂（アクセス形跡のみ）: attempts that did not get in.
        AttemptOnly = "attempt_only", "未遂（アクセス形跡のみ）", "attempt only (traces of access attempts)";
        /// 被害は確認されていない.
        NoneKnown = "none_known", "被害は確認されていない", "no damage known";
        /// その他.
        Other = "other", "その他", "other";
    }
}

coded_enum! {
    /// 動機, as the police count it.
    pub enum Motive {
        /// 不正に金を得るため.
        IllicitGain = "illicit_gain", "不正に金を得るため", "to obtain money illegally";
        /// 情報を不正に入手するため.
        ObtainInformation = "obtain_information", "情報を不正に入手するため", "to obtain information illegally";
        /// 好奇心を満たすため.
        Curiosity = "curiosity", "好奇心を満たすため", "curiosity";
        /// 嫌がらせや仕返しのため.
        Grudge = "grudge", "嫌がらせや仕返しのため", "harassment or revenge";
        /// 自己顕示・技術の誇示.
        ShowingOff = "showing_off", "自己顕示・技術の誇示", "showing off";
        /// 料金の支払いを免れるため.
        EvadePayment = "evade_payment", "料金の支払いを免れるため", "to avoid paying charges";
        /// 政治的主張・抗議.
        Political = "political", "政治的主張・抗議", "political protest";
        /// その他.
        Other = "other", "その他", "other";
        /// 不明.
        Unknown = "unknown", "不明", "unknown";
    }
}

coded_enum! {
    /// The targeted service and the victim's sector (標的となったサービス・業種).
    pub enum Sector {
        /// インターネットバンキング・金融機関.
        Finance = "finance", "金融機関・インターネットバンキング", "finance and internet banking";
        /// 暗号資産交換業.
        CryptoExchange = "crypto_exchange", "暗号資産交換業", "crypto-asset exchange";
        /// インターネットショッピング・EC.
        Ecommerce = "ecommerce", "インターネットショッピング（EC サイト）", "online shopping (e-commerce)";
        /// オンラインゲーム・SNS・コミュニティサイト.
        GameCommunity = "game_community", "オンラインゲーム・SNS・コミュニティサイト", "online games, SNS and community sites";
        /// 電子メールサービス.
        Email = "email", "電子メールサービス", "e-mail service";
        /// 通信事業者・プロバイダ・ホスティング・クラウド.
        TelecomProvider = "telecom_provider", "通信事業者・プロバイダ・ホスティング・クラウド", "telecoms, ISPs, hosting and cloud";
        /// IT・ソフトウェア.
        ItSoftware = "it_software", "IT・ソフトウェア", "IT and software";
        /// 製造業.
        Manufacturing = "manufacturing", "製造業", "manufacturing";
        /// 重要インフラ（電力・ガス・水道・交通など）.
        Infrastructure = "infrastructure", "重要インフラ（電力・ガス・水道・交通など）", "critical infrastructure (power, gas, water, transport …)";
        /// 医療・福祉.
        Healthcare = "healthcare", "医療・福祉", "healthcare and welfare";
        /// 教育・研究.
        EducationResearch = "education_research", "教育・研究", "education and research";
        /// 行政.
        Government = "government", "行政", "government";
        /// 小売・サービス（その他の企業）.
        RetailServices = "retail_services", "小売・サービス", "retail and services";
        /// その他.
        Other = "other", "その他", "other";
    }
}

coded_enum! {
    /// 被害を受けたアクセス管理者の種別, as the police count it.
    pub enum AdminType {
        /// 一般企業.
        Company = "company", "一般企業", "company";
        /// 行政機関等.
        Government = "government", "行政機関等", "government body";
        /// プロバイダ.
        Provider = "provider", "プロバイダ", "service provider (ISP)";
        /// 大学・研究機関等.
        UniversityResearch = "university_research", "大学・研究機関等", "university or research institute";
        /// その他（個人を含む）.
        Other = "other", "その他", "other";
    }
}

coded_enum! {
    /// 端緒: how the case came to light. The first three are the police's categories;
    /// the rest say how an access administrator found out ([`Discovery::police_view`]).
    pub enum Discovery {
        /// アクセス管理者からの届出.
        ReportByAdmin = "report_by_admin", "アクセス管理者からの届出", "report by the access administrator";
        /// 利用権者からの届出.
        ReportByUser = "report_by_user", "利用権者からの届出", "report by an authorized user";
        /// 警察活動（アクセスログ解析等）.
        PoliceActivity = "police_activity", "警察活動（アクセスログ解析等）", "police activity (access-log analysis …)";
        /// 自社の監視・点検・ログ確認で発見.
        OwnMonitoring = "own_monitoring", "自組織の監視・点検・ログ確認で発見", "found by own monitoring, inspection or log review";
        /// 顧客・利用者からの連絡.
        ToldByCustomer = "told_by_customer", "顧客・利用者からの連絡", "told by a customer or user";
        /// 取引先（クラウド事業者、カード会社など）からの連絡.
        ToldByProvider = "told_by_provider", "取引先（クラウド事業者、カード会社など）からの連絡", "told by a business partner (cloud provider, card company …)";
        /// 外部機関（IPA、JPCERT/CC、セキュリティ会社など）からの連絡.
        ToldByExternalOrg = "told_by_external_org", "外部機関（IPA、JPCERT/CC、セキュリティ会社など）からの連絡", "told by an outside organization (IPA, JPCERT/CC, a security firm …)";
        /// 犯人からの連絡・脅迫.
        AttackerContact = "attacker_contact", "犯人からの連絡・脅迫", "contact or threat from the attacker";
        /// その他.
        Other = "other", "その他", "other";
    }
}

impl Discovery {
    /// The police's 端緒 category: how the case reached the police when an access
    /// administrator files it after finding out this way.
    pub fn police_view(self) -> Discovery {
        match self {
            Discovery::ReportByUser => Discovery::ReportByUser,
            Discovery::PoliceActivity => Discovery::PoliceActivity,
            Discovery::Other => Discovery::Other,
            _ => Discovery::ReportByAdmin,
        }
    }
}

/// A case described along every dimension, under the taxonomy version it was filed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// [`TAXONOMY_VERSION`] at filing time.
    pub version: String,
    /// Acts under the Act (several may apply).
    pub acts: Vec<Act>,
    /// 手口.
    pub methods: Vec<Method>,
    /// What was done after the access.
    pub after: Vec<AfterAccess>,
    /// Damage.
    pub damages: Vec<Damage>,
    /// 動機.
    pub motives: Vec<Motive>,
    /// Targeted service / sector.
    pub sector: Option<Sector>,
    /// Victim access administrator's type.
    pub admin_type: Option<AdminType>,
    /// 端緒.
    pub discovery: Option<Discovery>,
}

impl Default for Classification {
    fn default() -> Self {
        Classification {
            version: TAXONOMY_VERSION.to_string(),
            acts: Vec::new(),
            methods: Vec::new(),
            after: Vec::new(),
            damages: Vec::new(),
            motives: Vec::new(),
            sector: None,
            admin_type: None,
            discovery: None,
        }
    }
}

impl Classification {
    /// An empty classification under the current version.
    pub fn new() -> Classification {
        Classification::default()
    }

    /// Whether 不正アクセス行為 itself (Art. 3) is part of the case.
    pub fn has_unauthorized_access(&self) -> bool {
        self.acts.iter().any(|a| a.is_unauthorized_access())
    }
}

/// One dimension of the taxonomy, for documents and forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dimension {
    /// The field name in [`Classification`] (`acts`, `sector`, …).
    pub field: &'static str,
    /// The dimension's name.
    pub text: Text,
    /// Every value: (code, labels).
    pub values: Vec<(&'static str, Text)>,
}

fn dim<T: Copy>(
    field: &'static str,
    text: Text,
    all: &[T],
    f: impl Fn(T) -> (&'static str, Text),
) -> Dimension {
    Dimension {
        field,
        text,
        values: all.iter().map(|v| f(*v)).collect(),
    }
}

/// Every dimension with its values, in [`Classification`] order.
pub fn dimensions() -> Vec<Dimension> {
    vec![
        dim("acts", Text::new("行為類型", "act"), Act::ALL, |v| {
            (v.code(), v.text())
        }),
        dim("methods", Text::new("手口", "method"), Method::ALL, |v| {
            (v.code(), v.text())
        }),
        dim(
            "after",
            Text::new("不正アクセス後の行為", "what was done after access"),
            AfterAccess::ALL,
            |v| (v.code(), v.text()),
        ),
        dim("damages", Text::new("被害", "damage"), Damage::ALL, |v| {
            (v.code(), v.text())
        }),
        dim("motives", Text::new("動機", "motive"), Motive::ALL, |v| {
            (v.code(), v.text())
        }),
        dim(
            "sector",
            Text::new("標的となったサービス・業種", "targeted service / sector"),
            Sector::ALL,
            |v| (v.code(), v.text()),
        ),
        dim(
            "admin_type",
            Text::new("アクセス管理者の種別", "access administrator type"),
            AdminType::ALL,
            |v| (v.code(), v.text()),
        ),
        dim(
            "discovery",
            Text::new("端緒（発覚の経緯）", "how it came to light (端緒)"),
            Discovery::ALL,
            |v| (v.code(), v.text()),
        ),
    ]
}

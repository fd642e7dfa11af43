//! The items of METI's コンピュータ不正アクセス対策基準 (平成8年通商産業省告示第362号),
//! section V, by role, **in our own plain words** (not the notice's text) with the
//! notice's numbering: list → section `(n)` → item `n`. Counts per role as in the
//! notice: system user 27, system administrator 58, network service provider 27,
//! hardware/software supplier 24.
//!
//! Each item carries an importance (3: stops or limits an intrusion directly; 2:
//! important; 1: supporting) and a [`Topic`] that links a gap to materials.

use super::Topic::{self, *};
use super::selfcheck::{CheckList, Item, Numbering, Section};
use crate::Text;

const fn i(no: u8, weight: u8, topic: Topic, ja: &'static str, en: &'static str) -> Item {
    Item {
        no,
        weight,
        topic,
        text: Text::new(ja, en),
    }
}

const fn s(no: u8, ja: &'static str, en: &'static str, items: &'static [Item]) -> Section {
    Section {
        no,
        title: Text::new(ja, en),
        items,
    }
}

/// The six "after the fact" items shared (in substance) by three roles.
macro_rules! aftercare {
    ($first_ja:literal, $first_en:literal) => {
        &[
            i(1, 3, Incident, $first_ja, $first_en),
            i(2, 3, Incident, "不正アクセスと分かったら、関係者と協力して被害の状況をつかむことにしている", "Once it is clearly unauthorized access, you work out the damage together with those involved."),
            i(3, 3, Incident, "関係者と協力して、被害が広がらないよう手を打つことにしている", "You act with those involved to stop the damage from spreading."),
            i(4, 2, Incident, "前もって決めた復旧手順に沿って、関係者と協力して復旧することにしている", "You recover along the recovery steps agreed beforehand, together with those involved."),
            i(5, 2, Incident, "原因を調べ、関係者と協力して再発を防ぐ対策をとることにしている", "You find the cause and take measures against a repeat, together with those involved."),
            i(6, 2, Incident, "被害の拡大と再発を防ぐため、必要な情報を IPA（経済産業大臣が指定する届出先）に届け出ることにしている", "To stop spreading and repeats, you report what is needed to IPA (the body METI designates)."),
        ]
    };
}

const AUDIT_JA: &str = "システム監査の結果を受け取り、必要な手直しをしている";
const AUDIT_EN: &str = "You receive the system audit's results and fix what they point out.";

/// V.1 システムユーザ基準 (27 items).
pub static SYSTEM_USER: CheckList = CheckList {
    id: "user",
    title: Text::new("システムを使う人（システムユーザ）", "System users"),
    who: Text::new(
        "パソコンや業務システムを使うすべての人。個人の方もこのリストで確かめられます。",
        "Everyone who uses a computer or a business system; individuals can use this list too.",
    ),
    numbering: Numbering::SectionInParens,
    sections: &[
        s(
            1,
            "ID とパスワードの管理",
            "User IDs and passwords",
            &[
                i(
                    1,
                    3,
                    Passwords,
                    "自分の ID を他の人と共用していない",
                    "You do not share your user ID with anyone.",
                ),
                i(
                    2,
                    3,
                    Passwords,
                    "どの ID にも必ずパスワードを設定している",
                    "Every user ID you have has a password.",
                ),
                i(
                    3,
                    3,
                    Passwords,
                    "ID ごとに違うパスワードを使っている（使い回さない）",
                    "Each of your IDs has its own password (no reuse).",
                ),
                i(
                    4,
                    3,
                    Passwords,
                    "推測されやすいパスワード（名前・誕生日・単純な並び）を使っていない",
                    "None of your passwords is easy to guess (names, birthdays, simple sequences).",
                ),
                i(
                    5,
                    1,
                    Passwords,
                    "必要なときにパスワードを変えている（漏れた疑いがあれば必ず）",
                    "You change a password when needed, and always when it may have leaked.",
                ),
                i(
                    6,
                    2,
                    Passwords,
                    "パスワードを紙や付箋に書いて人目につく所に置いていない",
                    "You do not leave passwords written on paper or notes where others can see them.",
                ),
                i(
                    7,
                    2,
                    Passwords,
                    "パスワードを入力するとき、他の人に見られないようにしている",
                    "Nobody can watch you type a password.",
                ),
                i(
                    8,
                    2,
                    Passwords,
                    "他の人のパスワードを知ってしまったら、すぐ管理者に知らせている",
                    "If you learn someone else's password, you tell the administrator at once.",
                ),
                i(
                    9,
                    1,
                    Passwords,
                    "使わなくなった ID は、すぐ管理者に届け出ている",
                    "You tell the administrator at once when you no longer need an ID.",
                ),
            ],
        ),
        s(
            2,
            "情報の扱い",
            "Handling information",
            &[
                i(
                    1,
                    3,
                    Data,
                    "大事な情報はパスワードや暗号化で守っている",
                    "Important information is protected by a password or encryption.",
                ),
                i(
                    2,
                    2,
                    Phishing,
                    "大事な情報を送るときは、送り先を必要な人に限り、宛先をよく確かめている",
                    "You send important information only to those who need it, after checking the address.",
                ),
                i(
                    3,
                    2,
                    Data,
                    "ファイルごとに、中身の大事さに合わせて見られる人・変えられる人を決めている",
                    "Each file's access rights match how important its content is.",
                ),
                i(
                    4,
                    2,
                    Devices,
                    "機器の保守に必要なファイルを、盗まれたり書き換えられたり消されたりしないよう守っている",
                    "Files needed to maintain computers and network devices are kept safe from theft, change and deletion.",
                ),
                i(
                    5,
                    2,
                    Data,
                    "大事な情報を記録した紙や USB メモリなどを安全な場所にしまっている",
                    "Paper, USB sticks and other media holding important information are kept in a safe place.",
                ),
                i(
                    6,
                    2,
                    Data,
                    "大事な情報を記録した紙や媒体は、読めないようにしてから捨てている",
                    "Paper and media with important information are made unreadable before disposal.",
                ),
                i(
                    7,
                    3,
                    Backup,
                    "こまめにバックアップをとり、安全な場所に保管している",
                    "You back up your files regularly and keep the copies in a safe place.",
                ),
            ],
        ),
        s(
            3,
            "パソコンの使い方",
            "Using your computer",
            &[
                i(
                    1,
                    2,
                    Updates,
                    "パソコンや機器、ソフトの導入・更新・撤去は、管理者の指示に沿って行っている",
                    "You install, update and remove computers, devices and software as the administrator directs.",
                ),
                i(
                    2,
                    3,
                    Devices,
                    "管理者権限（いちばん強い権限）でパソコンを使うのは、必要なときだけにしている",
                    "You use the highest (administrator) rights only when you need them.",
                ),
                i(
                    3,
                    2,
                    Devices,
                    "管理者権限で使うときは、使うパソコン・場所・期間を限っている",
                    "When you do use administrator rights, you limit the computer, place and time.",
                ),
                i(
                    4,
                    2,
                    Logs,
                    "勝手に使われた跡がないか、利用の記録をときどき確かめている",
                    "You look at the usage records now and then for signs that someone else used your computer.",
                ),
                i(
                    5,
                    2,
                    Devices,
                    "席を離れるときは画面をロックするか、ログアウトしている",
                    "You lock the screen or sign out whenever you leave the computer.",
                ),
                i(
                    6,
                    1,
                    Passwords,
                    "パスワードを保存して入力を省く機能は、管理者が認めた範囲でだけ使っている",
                    "You let the computer remember passwords only as far as the administrator allows.",
                ),
            ],
        ),
        s(
            4,
            "異常に気づいたら",
            "When something is wrong",
            &[
                i(
                    1,
                    3,
                    Incident,
                    "システムの様子がおかしいと気づいたら、すぐ管理者に連絡し、指示に従うことにしている",
                    "If a system behaves oddly, you tell the administrator at once and follow their instructions.",
                ),
                i(
                    2,
                    3,
                    Incident,
                    "不正アクセスに気づいたら、すぐ管理者に連絡し、指示に従うことにしている",
                    "If you notice unauthorized access, you tell the administrator at once and follow their instructions.",
                ),
            ],
        ),
        s(
            5,
            "学ぶ・知らせる",
            "Learning and sharing",
            &[
                i(
                    1,
                    1,
                    Education,
                    "管理者が行うセキュリティの教育を受けている",
                    "You take the security training the administrator offers.",
                ),
                i(
                    2,
                    1,
                    Education,
                    "役に立つセキュリティ情報を見つけたら、管理者に伝えている",
                    "You pass useful security information on to the administrator.",
                ),
            ],
        ),
        s(6, "監査", "Audit", &[i(1, 1, Audit, AUDIT_JA, AUDIT_EN)]),
    ],
};

/// V.2 システム管理者基準 (58 items).
pub static SYSTEM_ADMIN: CheckList = CheckList {
    id: "admin",
    title: Text::new(
        "システムを管理する人（システム管理者）",
        "System administrators",
    ),
    who: Text::new(
        "利用者の管理や、機器・ソフト・ネットワークの導入や保守を担当する人。",
        "Whoever manages users and installs and maintains devices, software and networks.",
    ),
    numbering: Numbering::SectionInParens,
    sections: &[
        s(
            1,
            "管理の体制",
            "How administration is organized",
            &[
                i(
                    1,
                    2,
                    Organization,
                    "システムのセキュリティ方針を決め、関係者全員に知らせて守らせている",
                    "A security policy for the system exists, and everyone concerned knows and follows it.",
                ),
                i(
                    2,
                    2,
                    Organization,
                    "管理の体制と手順を決め、関係者全員に知らせている",
                    "Who administers what, and how, is decided and known to everyone concerned.",
                ),
                i(
                    3,
                    3,
                    Incident,
                    "緊急時の連絡網と復旧手順を決め、関係者全員に知らせている",
                    "An emergency contact list and recovery steps exist and are known to everyone concerned.",
                ),
                i(
                    4,
                    1,
                    Organization,
                    "管理の仕事で知った秘密を守っている",
                    "You keep secret what you learn while administering.",
                ),
                i(
                    5,
                    2,
                    Organization,
                    "管理者の権限は、仕事に必要な最小限にしている",
                    "Administrators hold only the rights their work needs.",
                ),
                i(
                    6,
                    1,
                    Organization,
                    "管理者は2人以上（ただし必要最小限の人数）で、担当を定期的に交代している",
                    "There are at least two administrators (no more than needed), and duties rotate regularly.",
                ),
                i(
                    7,
                    3,
                    Organization,
                    "管理者でなくなった人の権限は、すぐ止めている",
                    "When someone stops being an administrator, their rights are removed at once.",
                ),
            ],
        ),
        s(
            2,
            "利用者の管理",
            "Managing users",
            &[
                i(
                    1,
                    2,
                    Organization,
                    "利用者は必要な機器にだけ登録し、権限を必要最小限にしている",
                    "Users are registered only on the machines they need, with the least rights.",
                ),
                i(
                    2,
                    3,
                    Network,
                    "インターネットなど外から使える ID は必要最小限にしている",
                    "As few IDs as possible can be used from outside over the network.",
                ),
                i(
                    3,
                    3,
                    Passwords,
                    "ID は一人に一つ割り当て、必ずパスワードを設定させている",
                    "Each ID belongs to one person and always has a password.",
                ),
                i(
                    4,
                    2,
                    Passwords,
                    "長い間使われていない ID はすぐ止めている",
                    "IDs unused for a long time are disabled promptly.",
                ),
                i(
                    5,
                    2,
                    Passwords,
                    "ID をやめる届出があれば、すぐ登録を消している",
                    "When an ID is given up, it is deleted promptly.",
                ),
                i(
                    6,
                    2,
                    Passwords,
                    "利用者のパスワードを本人以外に知らせていない",
                    "A user's password is told to nobody but that user.",
                ),
                i(
                    7,
                    3,
                    Passwords,
                    "パスワードをときどき点検し、弱いものはすぐ変えさせている",
                    "Passwords are checked now and then, and weak ones are changed at once.",
                ),
                i(
                    8,
                    3,
                    Passwords,
                    "パスワードが他人に知られた（またはその疑いがある）ときは、すぐ変えさせている",
                    "A password that others know, or may know, is changed at once.",
                ),
                i(
                    9,
                    1,
                    Organization,
                    "強い権限（特権）を渡すときは、その人の技術力などを考えている",
                    "Before granting privileged rights you consider the person's skills.",
                ),
                i(
                    10,
                    2,
                    Organization,
                    "要らなくなった特権はすぐ取り上げている",
                    "Privileges no longer needed are withdrawn at once.",
                ),
            ],
        ),
        s(
            3,
            "情報の管理",
            "Managing information",
            &[
                i(
                    1,
                    2,
                    Network,
                    "通信の途中で情報が漏れないしくみを作っている",
                    "Information in transit is protected against leaks.",
                ),
                i(
                    2,
                    3,
                    Network,
                    "通信を盗み見られても中身が分からないよう暗号化している",
                    "Traffic is encrypted so that an eavesdropper cannot read it.",
                ),
                i(
                    3,
                    2,
                    Network,
                    "通信の途中で書き換えられたら気づけるしくみ（改ざん検知）を使っている",
                    "Changes to information in transit are detected (integrity checks).",
                ),
                i(
                    4,
                    2,
                    Devices,
                    "システムの設定ファイルなどに、一般の利用者が触れないようにしている",
                    "Ordinary users cannot reach the system's own files.",
                ),
                i(
                    5,
                    1,
                    Data,
                    "大事な情報は分けて置き、消されたり漏れたりしても被害が小さくなるようにしている",
                    "Important information is spread out so that deletion, change or a leak does less harm.",
                ),
                i(
                    6,
                    2,
                    Data,
                    "大事な情報を記録した紙や媒体を安全な場所にしまっている",
                    "Paper and media holding important information are kept in a safe place.",
                ),
                i(
                    7,
                    2,
                    Data,
                    "大事な情報を記録した紙や媒体は、読めないようにしてから捨てている",
                    "Paper and media with important information are made unreadable before disposal.",
                ),
                i(
                    8,
                    3,
                    Backup,
                    "こまめにバックアップをとり、安全な方法で保管している",
                    "Backups are made regularly and kept safely.",
                ),
            ],
        ),
        s(
            4,
            "機器とネットワークの管理",
            "Devices and networks",
            &[
                i(
                    1,
                    2,
                    Organization,
                    "すべての機器とソフトに、管理の責任者を決めている",
                    "Every device and piece of software has a named person responsible.",
                ),
                i(
                    2,
                    2,
                    Devices,
                    "大事な情報や処理を扱う機器は、許可された人しか入れない場所に置いている",
                    "Machines holding important data or doing important work stand where only authorized people can enter.",
                ),
                i(
                    3,
                    2,
                    Devices,
                    "持ち運べる機器には盗難対策をしている",
                    "Portable devices are protected against theft.",
                ),
                i(
                    4,
                    2,
                    Network,
                    "システムの構成（機器・ソフト・つながり）をいつも把握している",
                    "You always know how the system is made up (devices, software, connections).",
                ),
                i(
                    5,
                    2,
                    Updates,
                    "機器やソフトを入れる前に、セキュリティ機能が方針に合うか確かめている",
                    "Before introducing a device or software, you check its security features against the policy.",
                ),
                i(
                    6,
                    2,
                    Devices,
                    "機器やソフトの設定がシステムに合っているか、ときどき確かめている",
                    "You check now and then that devices and software are configured right for the system.",
                ),
                i(
                    7,
                    1,
                    Updates,
                    "作った会社の連絡先と更新情報がはっきりしている機器・ソフトを使っている",
                    "You use devices and software whose supplier contact and updates are clear.",
                ),
                i(
                    8,
                    3,
                    Updates,
                    "セキュリティ上の問題が直された（更新済みの）機器・ソフトを使っている",
                    "Devices and software in use have their security problems fixed (updated).",
                ),
                i(
                    9,
                    3,
                    Network,
                    "外とつながる機器は、十分なアクセス制御ができるものを使っている",
                    "Devices facing the outside can control access well enough.",
                ),
                i(
                    10,
                    2,
                    Network,
                    "構成を変える前に、セキュリティ上の問題が出ないか確かめている",
                    "Before changing the set-up you check that it causes no security problem.",
                ),
                i(
                    11,
                    3,
                    Network,
                    "外からネット経由で入れる経路とコンピュータを必要最小限にしている",
                    "As few paths and computers as possible can be reached from outside.",
                ),
                i(
                    12,
                    3,
                    Network,
                    "外から管理作業をするときは、認証・暗号化・アクセス制御を設定している",
                    "Remote administration uses authentication, encryption and access control.",
                ),
                i(
                    13,
                    1,
                    Devices,
                    "長く使わない機器はネットワークにつないだままにしていない",
                    "Devices not used for a long time are not left connected.",
                ),
                i(
                    14,
                    2,
                    Data,
                    "機器やソフトを捨てる・返す・譲るときは、情報が漏れないようにしている",
                    "When devices or software are disposed of, returned or passed on, no information leaks.",
                ),
                i(
                    15,
                    2,
                    Malware,
                    "ソフトやシステムファイルが書き換えられていないか、ときどき確かめている",
                    "You check now and then that software and system files have not been altered.",
                ),
                i(
                    16,
                    2,
                    Passwords,
                    "システムのパスワード強化機能（長さ、試行回数の制限など）を最大限使っている",
                    "The system's password-strengthening features (length, attempt limits …) are used to the full.",
                ),
                i(
                    17,
                    1,
                    Network,
                    "ネットワークの混み具合を見張っている",
                    "Network load is monitored.",
                ),
                i(
                    18,
                    2,
                    Network,
                    "使い方に応じてネットワークを分けている",
                    "Networks are separated according to how they are used.",
                ),
            ],
        ),
        s(
            5,
            "記録（ログ）の管理",
            "Logs and records",
            &[
                i(
                    1,
                    3,
                    Logs,
                    "方針に沿って、システムの動きや利用の記録（ログ）をとっている",
                    "System activity and usage records (logs) are kept as the policy says.",
                ),
                i(
                    2,
                    2,
                    Logs,
                    "ログが書き換え・削除・破壊・漏えいされないよう守っている",
                    "Logs are protected against change, deletion, destruction and leaks.",
                ),
                i(
                    3,
                    2,
                    Logs,
                    "ログをときどき分析している",
                    "Logs are analysed now and then.",
                ),
                i(
                    4,
                    2,
                    Logs,
                    "ログを安全な方法で一定の期間保管している",
                    "Logs are kept safely for a set period.",
                ),
            ],
        ),
        s(
            6,
            "起きてしまったら",
            "When it happens",
            aftercare!(
                "異常の連絡を受けたり自分で気づいたりしたら、すぐ原因を調べることにしている",
                "When told of, or noticing, something abnormal, you look for the cause at once."
            ),
        ),
        s(
            7,
            "情報を集め、教える",
            "Information and training",
            &[
                i(
                    1,
                    2,
                    Education,
                    "セキュリティ対策の情報をいつも集めている",
                    "You keep collecting security information.",
                ),
                i(
                    2,
                    3,
                    Updates,
                    "集めた情報を分析し、大事なものにはすぐ対応している",
                    "You analyse what you collect and act on what matters at once.",
                ),
                i(
                    3,
                    1,
                    Education,
                    "利用者が対策をするのに必要な情報を渡している",
                    "Users get the information they need for their own measures.",
                ),
                i(
                    4,
                    2,
                    Education,
                    "利用者にセキュリティの教育をしている",
                    "Users receive security training.",
                ),
            ],
        ),
        s(8, "監査", "Audit", &[i(1, 1, Audit, AUDIT_JA, AUDIT_EN)]),
    ],
};

/// V.3 ネットワークサービス事業者基準 (27 items).
pub static NETWORK_PROVIDER: CheckList = CheckList {
    id: "provider",
    title: Text::new(
        "ネットワークサービスを提供する事業者",
        "Network service providers",
    ),
    who: Text::new(
        "インターネット接続や、ネットワークを通じた情報サービスを提供する事業者。",
        "Businesses offering internet access or information services over a network.",
    ),
    numbering: Numbering::SectionInParens,
    sections: &[
        s(
            1,
            "管理の体制",
            "How the service is organized",
            &[
                i(
                    1,
                    1,
                    Organization,
                    "担当者それぞれの仕事の範囲をはっきりさせている",
                    "Each staff member's scope of work is clear.",
                ),
                i(
                    2,
                    3,
                    Incident,
                    "不正アクセスに気づいたときの連絡網と復旧手順を決め、全員に知らせている",
                    "Contacts and recovery steps for unauthorized access are set and known to all.",
                ),
            ],
        ),
        s(
            2,
            "サービス利用者の管理",
            "Managing service users",
            &[
                i(
                    1,
                    2,
                    Organization,
                    "事業者と利用者の責任の範囲をはっきりさせている",
                    "Where the provider's and the users' responsibilities lie is clear.",
                ),
                i(
                    2,
                    1,
                    Organization,
                    "提供できるセキュリティサービスを利用者に示している",
                    "Users are told which security services the provider offers.",
                ),
                i(
                    3,
                    2,
                    Incident,
                    "利用者との連絡手段を複数用意し、知らせている",
                    "There is more than one way to reach users, and users know them.",
                ),
                i(
                    4,
                    3,
                    Incident,
                    "不正アクセスをした利用者のサービスを止めたり制限したりできる",
                    "Service to a user who commits unauthorized access can be limited or stopped.",
                ),
                i(
                    5,
                    1,
                    Data,
                    "利用者から求められたら、本人の利用記録などを開示している",
                    "Users can have their own usage records on request.",
                ),
                i(
                    6,
                    3,
                    Logs,
                    "利用者に対する不正アクセスを見張るしくみがある",
                    "Unauthorized access against users is monitored.",
                ),
                i(
                    7,
                    2,
                    Logs,
                    "利用者の利用記録（ログ）を残せるしくみがある",
                    "Users' usage can be recorded (logs).",
                ),
            ],
        ),
        s(
            3,
            "情報の管理",
            "Managing information",
            &[
                i(
                    1,
                    3,
                    Data,
                    "利用者の情報を厳重に管理している",
                    "Users' information is strictly protected.",
                ),
                i(
                    2,
                    2,
                    Data,
                    "利用者の情報を公開するときは、本人の了解を得ている",
                    "Users' information is published only with their consent.",
                ),
                i(
                    3,
                    2,
                    Network,
                    "ネットワーク構成などの大事な情報を公開していない",
                    "Important facts such as the network layout are not published.",
                ),
            ],
        ),
        s(
            4,
            "機器の管理",
            "Devices",
            &[
                i(
                    1,
                    2,
                    Devices,
                    "サービス用の機器は、許可された人しか入れない場所に置いている",
                    "Service equipment stands where only authorized people can enter.",
                ),
                i(
                    2,
                    2,
                    Devices,
                    "サービス用の機器をいつでも管理できるしくみがある",
                    "Service equipment can be managed at all times.",
                ),
                i(
                    3,
                    1,
                    Network,
                    "機器を遠隔で管理する回線を複数確保している",
                    "There is more than one line for remote management.",
                ),
                i(
                    4,
                    2,
                    Network,
                    "利用者向けのネットワークを、他の業務のネットワークと分けている",
                    "The network serving users is separate from other business networks.",
                ),
                i(
                    5,
                    1,
                    Network,
                    "あるサービスの情報は、そのサービスの機器にだけ流している",
                    "A service's traffic goes only to the devices of that service.",
                ),
            ],
        ),
        s(
            5,
            "起きてしまったら",
            "When it happens",
            aftercare!(
                "異常の連絡を受けたり自分で気づいたりしたら、すぐ原因を調べることにしている",
                "When told of, or noticing, something abnormal, you look for the cause at once."
            ),
        ),
        s(
            6,
            "情報を集め、教える",
            "Information and training",
            &[
                i(
                    1,
                    2,
                    Education,
                    "セキュリティ対策の情報をいつも集めている",
                    "You keep collecting security information.",
                ),
                i(
                    2,
                    1,
                    Education,
                    "利用者が対策をするのに必要な情報を渡している",
                    "Users get the information they need for their own measures.",
                ),
                i(
                    3,
                    1,
                    Education,
                    "ネットワークの問題と対策を十分に知らせ、必要なら使い方を教えている",
                    "Users hear enough about network security problems and fixes, with training where needed.",
                ),
            ],
        ),
        s(7, "監査", "Audit", &[i(1, 1, Audit, AUDIT_JA, AUDIT_EN)]),
    ],
};

/// V.4 ハードウェア・ソフトウェア供給者基準 (24 items).
pub static SUPPLIER: CheckList = CheckList {
    id: "supplier",
    title: Text::new(
        "機器やソフトを作る・売る事業者",
        "Hardware and software suppliers",
    ),
    who: Text::new(
        "機器やソフトウェア製品を開発・製造・販売する事業者。",
        "Businesses that develop, make or sell hardware and software products.",
    ),
    numbering: Numbering::SectionInParens,
    sections: &[
        s(
            1,
            "管理の体制",
            "How supply is organized",
            &[
                i(
                    1,
                    1,
                    Organization,
                    "担当者それぞれの仕事の範囲をはっきりさせている",
                    "Each staff member's scope of work is clear.",
                ),
                i(
                    2,
                    3,
                    Incident,
                    "不正アクセスに気づいたときの連絡網と復旧手順を決め、全員に知らせている",
                    "Contacts and recovery steps for unauthorized access are set and known to all.",
                ),
            ],
        ),
        s(
            2,
            "開発用の設備",
            "Development equipment",
            &[
                i(
                    1,
                    2,
                    Devices,
                    "開発に使う機器は、許可された人しか入れない場所に置いている",
                    "Development machines stand where only authorized people can enter.",
                ),
                i(
                    2,
                    2,
                    Network,
                    "開発用のネットワークを、他の業務のネットワークと分けている",
                    "The development network is separate from other business networks.",
                ),
            ],
        ),
        s(
            3,
            "開発の管理",
            "Development",
            &[
                i(
                    1,
                    2,
                    Development,
                    "製品にどんなセキュリティ機能をどう入れるか、方針をはっきりさせている",
                    "There is a clear policy for which security features products get, and how.",
                ),
                i(
                    2,
                    3,
                    Development,
                    "製品に、秘密を守る・本人を確かめる・書き換えに気づく機能などを入れている",
                    "Products have features for confidentiality, authentication and tamper detection.",
                ),
                i(
                    3,
                    2,
                    Development,
                    "製品の通信機能に、大事な情報を読み取られないしくみを入れている",
                    "Products' network functions keep important information from being read.",
                ),
                i(
                    4,
                    2,
                    Development,
                    "製品の保守用の機能は、使える人を限っている",
                    "Maintenance functions of products can be used only by authorized people.",
                ),
                i(
                    5,
                    3,
                    Development,
                    "セキュリティの設定をしないと使い始められない作りにしている（初期パスワードのままでは使えない等）",
                    "Products cannot be used until security is set up (no use with a default password, for example).",
                ),
                i(
                    6,
                    3,
                    Development,
                    "開発中に使ったデバッグ機能などは、出荷前に取り除いている",
                    "Debugging and similar functions are removed before shipping.",
                ),
                i(
                    7,
                    2,
                    Development,
                    "セキュリティ機能が仕様どおりに動くか検査している",
                    "Security features are tested against their specification.",
                ),
            ],
        ),
        s(
            4,
            "販売の管理",
            "Sales",
            &[
                i(
                    1,
                    2,
                    Development,
                    "流通の途中で製品が書き換えられないよう手を打っている（署名など）",
                    "Products are protected against tampering on the way to customers (signatures, for example).",
                ),
                i(
                    2,
                    1,
                    Development,
                    "使う上での制限や推奨する設定をはっきり示して販売している",
                    "Products are sold with their limits of use and recommended settings stated.",
                ),
                i(
                    3,
                    2,
                    Development,
                    "製品に供給者の連絡先を示している",
                    "Products state how to contact the supplier.",
                ),
                i(
                    4,
                    3,
                    Updates,
                    "製品にセキュリティの問題が見つかったら、利用者と関係者に知らせ、直す手段を出している",
                    "When a product has a security problem, users and others concerned are told and a fix is provided.",
                ),
            ],
        ),
        s(
            5,
            "起きてしまったら",
            "When it happens",
            aftercare!(
                "製品の開発システムの異常に気づいたら、すぐ原因を調べることにしている",
                "When the product development system behaves abnormally, you look for the cause at once."
            ),
        ),
        s(
            6,
            "情報を集め、教える",
            "Information and training",
            &[
                i(
                    1,
                    2,
                    Development,
                    "製品のセキュリティ対策の情報を集め、開発に生かしている",
                    "You collect security information about your products and use it in development.",
                ),
                i(
                    2,
                    1,
                    Education,
                    "製品の販売を通じて対策の情報を届け、必要なら使い方を教えている",
                    "Customers get security information with the product, and training where needed.",
                ),
            ],
        ),
        s(7, "監査", "Audit", &[i(1, 1, Audit, AUDIT_JA, AUDIT_EN)]),
    ],
};

/// The 5-minute quick check for small businesses, in the spirit of IPA's
/// 「5分でできる！情報セキュリティ自社診断」, written in our own words.
pub static SME_QUICK: CheckList = CheckList {
    id: "sme",
    title: Text::new(
        "中小企業の5分間チェック",
        "Five-minute check for small businesses",
    ),
    who: Text::new(
        "社長・総務の方が5分で答えられる、いちばん大事な12項目です。",
        "The twelve things that matter most, answered by the owner or office manager in five minutes.",
    ),
    numbering: Numbering::SectionInParens,
    sections: &[
        s(
            1,
            "まず基本",
            "The basics",
            &[
                i(
                    1,
                    3,
                    Updates,
                    "パソコン・スマホ・ルーターの OS やソフトを、最新の状態に更新している",
                    "Computers, phones and routers run updated systems and software.",
                ),
                i(
                    2,
                    3,
                    Malware,
                    "すべてのパソコンでウイルス対策ソフトが動き、自動で更新されている",
                    "Every computer runs security software that updates itself.",
                ),
                i(
                    3,
                    3,
                    Passwords,
                    "パスワードは長く、サービスごとに違うものを使っている",
                    "Passwords are long and different for every service.",
                ),
                i(
                    4,
                    3,
                    TwoFactor,
                    "メール・ネットバンキング・クラウドには二段階認証（ワンタイムコードなど）を使っている",
                    "Mail, online banking and cloud services use a second factor (one-time codes or similar).",
                ),
                i(
                    5,
                    2,
                    Data,
                    "共有フォルダやクラウドの共有設定を、必要な人だけに絞っている",
                    "Shared folders and cloud sharing are limited to the people who need them.",
                ),
            ],
        ),
        s(
            2,
            "従業員の備え",
            "Staff",
            &[
                i(
                    1,
                    3,
                    Phishing,
                    "不審なメールやリンク、偽のログイン画面の見分け方を全員が知っている",
                    "Everyone knows how to spot suspicious mail, links and fake sign-in pages.",
                ),
                i(
                    2,
                    2,
                    Devices,
                    "パソコンやスマホ、USB メモリをなくしたときに情報が読まれないよう、画面ロックや暗号化をしている",
                    "Screen locks or encryption keep data unreadable if a computer, phone or USB stick is lost.",
                ),
                i(
                    3,
                    2,
                    Organization,
                    "退職した人や異動した人の ID は、すぐ止めている",
                    "IDs of people who leave or change jobs are disabled at once.",
                ),
            ],
        ),
        s(
            3,
            "会社としての備え",
            "The company",
            &[
                i(
                    1,
                    3,
                    Backup,
                    "大事なデータのバックアップを、ネットワークから切り離した所にも置いている",
                    "Backups of important data are also kept somewhere disconnected from the network.",
                ),
                i(
                    2,
                    3,
                    Incident,
                    "被害に遭ったときの連絡先（社内の担当、警察、IPA、取引先）を一覧にしている",
                    "There is a list of whom to call after an incident (who inside, the police, IPA, partners).",
                ),
                i(
                    3,
                    2,
                    Organization,
                    "情報セキュリティのルールを決め、従業員に伝えている",
                    "Security rules exist and staff know them.",
                ),
                i(
                    4,
                    2,
                    Logs,
                    "サーバーやルーター、クラウドのログ（記録）を残し、いざというとき見られる",
                    "Server, router and cloud logs are kept and can be read when needed.",
                ),
            ],
        ),
    ],
};

/// Every role list of the standard, in the notice's order.
pub static STANDARD: [&CheckList; 4] = [&SYSTEM_USER, &SYSTEM_ADMIN, &NETWORK_PROVIDER, &SUPPLIER];

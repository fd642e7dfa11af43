//! The users' part of the National Public Safety Commission's 情報システム安全対策指針
//! (平成9年国家公安委員会告示第9号, 平成11年同第19号で一部改正), 第2編 II
//! 「ユーザが講ずべき対策」, **in our own plain words** (not the notice's text) with the
//! notice's numbering and grouping: heading `n` → item `(n)`, 8 headings and 21 items.
//! An item whose notice text lists examples (ア, イ, …) is one item here, its examples
//! folded into the words. Scored by the same engine as the countermeasure standard
//! ([`super::selfcheck`]).

use super::Topic::*;
use super::selfcheck::{CheckList, Item, Numbering, Section};
use crate::Text;

const fn i(no: u8, weight: u8, topic: super::Topic, ja: &'static str, en: &'static str) -> Item {
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

/// 第2編 II ユーザが講ずべき対策 (21 items under 8 headings).
pub static NPSC_USER: CheckList = CheckList {
    id: "npsc_user",
    title: Text::new(
        "情報システムを使う人の安全対策（国家公安委員会の指針）",
        "Safety measures for people who use information systems (NPSC guideline)",
    ),
    who: Text::new(
        "情報システム安全対策指針（国家公安委員会告示）の「ユーザが講ずべき対策」を、わかりやすい言葉にしたものです。会社や団体のシステムを使うすべての人に。",
        "The “measures users should take” of the National Public Safety Commission's information system safety guideline, in plain words. For everyone who uses an organization's systems.",
    ),
    numbering: Numbering::ItemInParens,
    sections: &[
        s(
            1,
            "パスワードの管理",
            "Passwords",
            &[
                i(
                    1,
                    3,
                    Passwords,
                    "パスワードをメモに書いて貼ったり、人に教えたりしていない",
                    "You keep your passwords secret: no notes on the screen, never told to anyone.",
                ),
                i(
                    2,
                    3,
                    Passwords,
                    "短いもの・単純なもの・辞書にある言葉・家族の名前や誕生日・前に使ったものをパスワードにしていない",
                    "Your passwords are not short or simple, not dictionary words, not about you (family names, birthdays) and not ones you used before.",
                ),
                i(
                    3,
                    1,
                    Passwords,
                    "組織の決まりに合わせて、パスワードを適切な時期に変えている（漏れたおそれがあるときはすぐ変える）",
                    "You change passwords when your organization's rules say so, and at once when one may have leaked.",
                ),
            ],
        ),
        s(
            2,
            "暗号化",
            "Encryption",
            &[
                i(
                    1,
                    3,
                    Network,
                    "お金のやり取りなど大事な情報を送るときは、暗号化された通信（https など）を使っている",
                    "You send important data, such as anything about payments, only over encrypted connections (https and the like).",
                ),
                i(
                    2,
                    2,
                    Data,
                    "暗号の鍵（秘密鍵・証明書のファイルなど）を、なくしたり漏らしたりしないよう大切に保管している",
                    "You keep encryption keys (private keys, certificate files) safe from loss and leaks.",
                ),
            ],
        ),
        s(
            3,
            "データのやり取り",
            "Exchanging data",
            &[
                i(
                    1,
                    2,
                    Phishing,
                    "データを送ったり受け取ったりする前に、相手が本当に意図した相手かを確かめている",
                    "Before exchanging data, you make sure the other side is really who you mean to deal with.",
                ),
                i(
                    2,
                    1,
                    Data,
                    "大事なデータは、電子署名などで途中で書き換えられていないことを確かめている",
                    "For important data, you check with a digital signature or the like that nothing was changed on the way.",
                ),
            ],
        ),
        s(
            4,
            "端末（パソコンなど）の管理",
            "Your computer",
            &[
                i(
                    1,
                    3,
                    Devices,
                    "席を離れるときは、電源を切る・ログアウトする・パスワード付きの画面ロックをかける、のどれかをしている",
                    "When you leave your desk you switch the computer off, log out, or lock the screen with a password.",
                ),
                i(
                    2,
                    1,
                    Devices,
                    "画面に出た情報を、関係のない人にのぞき見されないようにしている",
                    "You keep what is on your screen out of sight of people it does not concern.",
                ),
                i(
                    3,
                    2,
                    Passwords,
                    "ログインしたときに前回のログイン日時を見て、覚えのないログインがないか確かめている",
                    "When you sign in you look at the time of the previous sign-in, to spot use of your ID by someone else.",
                ),
            ],
        ),
        s(
            5,
            "身分証明書（入館証など）の管理",
            "ID cards and badges",
            &[
                i(
                    1,
                    2,
                    Organization,
                    "入館証や IC カードなどの身分証明書を大切に持ち、なくさないようにしている",
                    "You look after your ID card or badge and do not lose it.",
                ),
                i(
                    2,
                    2,
                    Organization,
                    "身分証明書を、他の人に貸していない",
                    "You never lend your ID card or badge to anyone.",
                ),
                i(
                    3,
                    2,
                    Incident,
                    "身分証明書をなくしたら、すぐに情報セキュリティの責任者に届け出ることにしている",
                    "If you lose it, you tell the person responsible for security at once.",
                ),
            ],
        ),
        s(
            6,
            "攻撃などに気づいたとき",
            "When you notice an attack",
            &[
                i(
                    1,
                    3,
                    Incident,
                    "攻撃や不正アクセスに気づいたら、すぐに組織の危機管理の責任者に知らせることにしている",
                    "When you notice an attack or unauthorized access, you tell your organization's crisis manager at once.",
                ),
                i(
                    2,
                    3,
                    Logs,
                    "調べるのに必要な記録（ログ、画面、やられたファイルなど）を、気づいたときのまま消さずに残すことにしている",
                    "You keep what an investigation needs (logs, screens, the files attacked) as they were when you noticed, without deleting anything.",
                ),
            ],
        ),
        s(
            7,
            "データの管理",
            "Looking after data",
            &[
                i(
                    1,
                    2,
                    Data,
                    "大事なデータが入った紙や記憶媒体を捨てるときは、消去や破砕で読めなくしてから捨てている",
                    "Before throwing away paper or media with important data, you make it unreadable (wipe or shred it).",
                ),
                i(
                    2,
                    2,
                    Data,
                    "大事なデータを保存するときは、暗号化している",
                    "You encrypt important data when you store it.",
                ),
                i(
                    3,
                    2,
                    Data,
                    "USB メモリなど取り外せる記憶媒体は、必要に応じて暗号化や書込み禁止にしている",
                    "Removable media such as USB sticks are encrypted or write-protected where needed.",
                ),
                i(
                    4,
                    2,
                    Devices,
                    "ノートパソコンやスマートフォンなど持ち歩く機器には大事なデータをなるべく入れず、入れるときは暗号化している",
                    "You avoid keeping important data on laptops and phones you carry; when you must, it is encrypted.",
                ),
            ],
        ),
        s(
            8,
            "バックアップ",
            "Backups",
            &[
                i(
                    1,
                    3,
                    Backup,
                    "バックアップを決まった間隔で、できるだけこまめに取っている",
                    "You back up regularly, and as often as you can.",
                ),
                i(
                    2,
                    2,
                    Backup,
                    "バックアップの保存方法と保存期間を決め、元のデータとは別の場所に置いている",
                    "You have decided how and how long backups are kept, and keep them in a different place from the originals.",
                ),
            ],
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::selfcheck::{Answer, Answers, score};

    /// The notice's 第2編 II: items per heading 1–8.
    #[test]
    fn item_count_and_grouping_match_the_guideline() {
        let per: Vec<usize> = NPSC_USER.sections.iter().map(|s| s.items.len()).collect();
        assert_eq!(per, vec![3, 2, 2, 3, 3, 2, 4, 2]);
        assert_eq!(NPSC_USER.len(), 21);
        for (n, s) in NPSC_USER.sections.iter().enumerate() {
            assert_eq!(usize::from(s.no), n + 1);
            for (k, i) in s.items.iter().enumerate() {
                assert_eq!(usize::from(i.no), k + 1);
            }
        }
        assert_eq!(
            NPSC_USER.item_label(&NPSC_USER.sections[6], &NPSC_USER.sections[6].items[3]),
            "7-(4)"
        );
    }

    /// Scored by hand: heading 1 (3 items): yes, no, n/a → 1 / 2. Heading 6 (2): no,
    /// unanswered → 0 / 2. Heading 8 (2): yes, yes → 2 / 2. Everything else
    /// unanswered → 0 of its items. Total applicable 21 − 1 = 20, yes 3. Gaps: the
    /// "no"s first (6-(1) weight 3 and 1-(2) weight 3, in order: 1-(2) then 6-(1)),
    /// then the unanswered, weight 3 first (2-(1), 4-(1), 6-(2)).
    #[test]
    fn scoring_on_a_hand_scored_answer_set() {
        let mut a = Answers::new();
        for (k, v) in [
            ("1-1", Answer::Yes),
            ("1-2", Answer::No),
            ("1-3", Answer::NotApplicable),
            ("6-1", Answer::No),
            ("8-1", Answer::Yes),
            ("8-2", Answer::Yes),
        ] {
            a.insert(k.into(), v);
        }
        let r = score(&NPSC_USER, &a);
        let sec: Vec<(usize, usize)> = r.sections.iter().map(|s| (s.yes, s.applicable)).collect();
        assert_eq!(
            sec,
            vec![
                (1, 2),
                (0, 2),
                (0, 2),
                (0, 3),
                (0, 3),
                (0, 2),
                (0, 4),
                (2, 2)
            ]
        );
        assert_eq!((r.total.yes, r.total.applicable), (3, 20));
        let keys: Vec<&str> = r.gaps.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(&keys[..5], &["1-2", "6-1", "2-1", "4-1", "6-2"]);
        assert_eq!(keys.len(), 20 - 3);
    }
}

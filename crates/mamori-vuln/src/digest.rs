//! Digests instead of a message per event (issue 12, "scale for big cases"): every notice a
//! command gives ([`crate::software::Notice`], or the parties a website command tells) and
//! every reminder that falls due ([`crate::Reminder`]) becomes one [`DigestItem`] queued for
//! its party; the service later folds a person's unsent items, across all their cases,
//! into one [`Digest`]. A case with 200 developers thus gives each developer's staff one
//! digest per sweep, not a stream of mails.
//!
//! An item carries only what its party may already know from the case page: the case
//! number, the clause, the kind of event and its date. Never the vulnerability details or
//! the discoverer's identity (Ⅴ 一 2.(4), Ⅵ 2.(4)): a digest may travel outside the
//! platform; the details stay behind the sign-in.

use crate::clause::Clause;
use crate::jst::format_jst;
use crate::schedule::{Reminder, ReminderKind};
use crate::software::NoticeKind;
use mamori_core::Lang;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What one digest line tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "item")]
pub enum DigestItem {
    /// A command was carried out that this party must be told of.
    Notice {
        /// The clause carried out.
        clause: Clause,
        /// What the standard says to tell (software cases); `None` where the clause says
        /// it all (the website flow).
        what: Option<NoticeKind>,
    },
    /// A deadline is near or passed (`schedule::due`); queued once per deadline.
    Reminder {
        /// Of what.
        kind: ReminderKind,
        /// The deadline.
        #[serde(with = "time::serde::rfc3339")]
        due_at: OffsetDateTime,
        /// The clause behind the deadline.
        clause: Clause,
    },
}

impl DigestItem {
    /// The item of a reminder.
    pub fn of_reminder(r: &Reminder) -> DigestItem {
        DigestItem::Reminder {
            kind: r.kind.clone(),
            due_at: r.due_at,
            clause: r.clause,
        }
    }

    /// The clause the line cites.
    pub fn clause(&self) -> Clause {
        match self {
            DigestItem::Notice { clause, .. } | DigestItem::Reminder { clause, .. } => *clause,
        }
    }

    /// The line in one language, without the case number, e.g. `公表日が設定されました:
    /// 2026-12-20 10:00 JST`.
    pub fn describe(&self, lang: Lang) -> String {
        let t = |ja: &str, en: &str| match lang {
            Lang::Ja => ja.to_string(),
            Lang::En => en.to_string(),
        };
        match self {
            DigestItem::Reminder { kind, due_at, .. } => format!(
                "{}{} {}",
                t("【期限】", "[Due] "),
                kind.describe(lang),
                format_jst(*due_at)
            ),
            DigestItem::Notice { clause, what: None } => clause.text().get(lang).to_string(),
            DigestItem::Notice {
                what: Some(what), ..
            } => notice_text(what, lang),
        }
    }
}

/// What a notice tells, in one language.
pub fn notice_text(what: &NoticeKind, lang: Lang) -> String {
    let t = |ja: &str, en: &str| match lang {
        Lang::Ja => ja.to_string(),
        Lang::En => en.to_string(),
    };
    match what {
        NoticeKind::Accepted => t("届出が受理されました", "The report was accepted"),
        NoticeKind::Refused { reason } => format!(
            "{}{reason}",
            t(
                "届出は受理されませんでした。理由: ",
                "The report was not accepted. Reason: "
            )
        ),
        NoticeKind::Stopped { reason } => format!(
            "{}{}",
            t("取扱いを終了しました。理由: ", "Handling stopped: "),
            reason.text().get(lang)
        ),
        NoticeKind::HandedOver => t(
            "届出が調整機関に通知されました",
            "The report was handed over to the coordinator",
        ),
        NoticeKind::VerificationRequested => t(
            "脆弱性関連情報が通知されました。製品への影響の検証と回答をお願いします",
            "Vulnerability information was sent to you; please verify whether your products are affected and answer",
        ),
        NoticeKind::Answered { developer } => format!(
            "{}: {developer}",
            t("製品開発者が回答しました", "A developer answered")
        ),
        NoticeKind::PublicationDate { date } => format!(
            "{}: {}",
            t("公表日が設定されました", "The publication date is set"),
            format_jst(*date)
        ),
        NoticeKind::DateChangeRequested { developer } => format!(
            "{}: {developer}",
            t(
                "公表日の変更が求められました",
                "A change of the publication date was asked"
            )
        ),
        NoticeKind::DateChangeDeclined => t(
            "公表日の変更依頼は受け入れられませんでした",
            "The date change request was declined",
        ),
        NoticeKind::EarlyNotice => t(
            "公表前の早期通知が行われます",
            "An early notice before publication is given",
        ),
        NoticeKind::Cancelled { ground } => format!(
            "{}: {}",
            t("公表を取りやめました", "Publication was cancelled"),
            ground.clause().text().get(lang)
        ),
        NoticeKind::Published => t("脆弱性情報が公表されました", "The advisory is published"),
    }
}

/// One line of a person's digest: an item on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestEntry {
    /// The case number.
    pub case: i64,
    /// When the item was queued.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What it tells.
    pub item: DigestItem,
}

/// One person's digest: every unsent item of their cases, by case then time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// The lines, sorted by case number, then time.
    pub entries: Vec<DigestEntry>,
}

impl Digest {
    /// A digest of these entries (sorted by case, then time; exact repeats folded).
    pub fn new(mut entries: Vec<DigestEntry>) -> Digest {
        entries.sort_by(|a, b| a.case.cmp(&b.case).then(a.at.cmp(&b.at)));
        entries.dedup_by(|a, b| a.case == b.case && a.item == b.item);
        Digest { entries }
    }

    /// The number of cases the digest touches.
    pub fn cases(&self) -> usize {
        let mut n = 0;
        let mut last = None;
        for e in &self.entries {
            if last != Some(e.case) {
                n += 1;
                last = Some(e.case);
            }
        }
        n
    }

    /// A one-line subject, e.g. `脆弱性関連情報の取扱い: 2 件の案件に 5 件のお知らせ`.
    pub fn subject(&self, lang: Lang) -> String {
        let (items, cases) = (self.entries.len(), self.cases());
        match lang {
            Lang::Ja => format!("脆弱性関連情報の取扱い: {cases} 件の案件に {items} 件のお知らせ"),
            Lang::En => format!(
                "Vulnerability handling: {items} notice{} on {cases} case{}",
                if items == 1 { "" } else { "s" },
                if cases == 1 { "" } else { "s" }
            ),
        }
    }

    /// The plain-text body, Japanese first then English: per case its lines with the
    /// clause cited, and where to read the details (`base` is the site's URL).
    pub fn body(&self, base: &str) -> String {
        let mut out = String::new();
        for lang in [Lang::Ja, Lang::En] {
            out.push_str(&self.subject(lang));
            out.push_str("\n\n");
            let mut last = None;
            for e in &self.entries {
                if last != Some(e.case) {
                    let head = match lang {
                        Lang::Ja => "案件",
                        Lang::En => "Case",
                    };
                    out.push_str(&format!("{head} #{} <{base}/vuln/{}>\n", e.case, e.case));
                    last = Some(e.case);
                }
                out.push_str(&format!(
                    "  - {} ({})\n",
                    e.item.describe(lang),
                    e.item.clause().code()
                ));
            }
            out.push('\n');
        }
        out.push_str(FOOTER);
        out
    }
}

/// Where the details are, and the duty of confidentiality (Ⅴ 一 1.(4), 4.(4)).
const FOOTER: &str = "詳細はサインインして確認してください。公表まで第三者に漏らさないでください（取扱基準）。\n\
     Sign in to read the details. Keep them confidential until publication (handling standard).\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::DeveloperId;
    use time::macros::datetime;

    fn entry(case: i64, at: OffsetDateTime, item: DigestItem) -> DigestEntry {
        DigestEntry { case, at, item }
    }

    #[test]
    fn digest_groups_by_case_then_time_and_cites_the_clause() {
        let d = Digest::new(vec![
            entry(
                7,
                datetime!(2026-12-02 01:00 UTC),
                DigestItem::Notice {
                    clause: Clause::SwCoordinator3,
                    what: Some(NoticeKind::PublicationDate {
                        date: datetime!(2027-01-20 01:00 UTC),
                    }),
                },
            ),
            entry(
                3,
                datetime!(2026-12-03 01:00 UTC),
                DigestItem::Reminder {
                    kind: ReminderKind::VerificationDue(DeveloperId::new("acme")),
                    due_at: datetime!(2026-12-09 01:00 UTC),
                    clause: Clause::SwDeveloper2,
                },
            ),
            entry(
                7,
                datetime!(2026-12-01 01:00 UTC),
                DigestItem::Notice {
                    clause: Clause::SwCoordinator2,
                    what: Some(NoticeKind::VerificationRequested),
                },
            ),
        ]);
        assert_eq!(d.cases(), 2);
        assert_eq!(
            d.subject(Lang::Ja),
            "脆弱性関連情報の取扱い: 2 件の案件に 3 件のお知らせ"
        );
        assert_eq!(
            d.subject(Lang::En),
            "Vulnerability handling: 3 notices on 2 cases"
        );
        let body = d.body("https://mamori.example");
        let ja = body.find("案件 #3").expect("case 3");
        let seven = body.find("案件 #7").expect("case 7");
        assert!(ja < seven, "cases in order:\n{body}");
        // Within case 7 the verification request (earlier) comes before the date.
        let asked = body.find("製品への影響の検証").expect("request");
        let date = body
            .find("公表日が設定されました: 2027-01-20 10:00 JST")
            .expect("date");
        assert!(seven < asked && asked < date, "{body}");
        assert!(body.contains("【期限】検証結果の回答期限: acme 2026-12-09 10:00 JST (V.1.4(2))"));
        assert!(body.contains("<https://mamori.example/vuln/7>"));
        // Japanese first, then English.
        assert!(body.find("Case #3").expect("en") > date);
    }

    #[test]
    fn the_same_item_twice_on_a_case_is_told_once() {
        let item = DigestItem::Notice {
            clause: Clause::SwCoordinator2,
            what: Some(NoticeKind::VerificationRequested),
        };
        let d = Digest::new(vec![
            entry(1, datetime!(2026-12-01 01:00 UTC), item.clone()),
            entry(1, datetime!(2026-12-01 02:00 UTC), item.clone()),
            entry(2, datetime!(2026-12-01 02:00 UTC), item),
        ]);
        assert_eq!(d.entries.len(), 2);
    }

    #[test]
    fn items_round_trip_through_json() {
        let item = DigestItem::of_reminder(&Reminder {
            to: crate::Party::Coordinator,
            kind: ReminderKind::NotifyDeveloper(DeveloperId::new("beta")),
            due_at: datetime!(2026-12-01 01:00 UTC),
            clause: Clause::SwCoordinator2,
        });
        let json = serde_json::to_string(&item).expect("json");
        assert_eq!(
            serde_json::from_str::<DigestItem>(&json).expect("back"),
            item
        );
    }
}

//! `docs/taxonomy.md`, generated from the code and the mapping data so that the document
//! cannot drift (checked by `tests/it/docs.rs`; regenerate with `MAMORI_BLESS=1`).

use crate::Text;
use crate::guideline::{
    Body, Effect, NotAcceptedReason, Outcome, closing_checklist, preparation_items,
    preservation_items, rules,
};
use crate::intake::{QuestionKind, questions};
use crate::taxonomy::{
    Act, TAXONOMY_VERSION, Triggers, dimensions, jpcert_catalog, rsit_catalog, rsit_types,
};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn both(t: Text) -> String {
    format!("{} / {}", cell(t.ja), cell(t.en))
}

fn triggers(t: &Triggers) -> String {
    let mut parts = Vec::new();
    for (name, list) in [
        ("acts", &t.acts),
        ("methods", &t.methods),
        ("after", &t.after),
        ("damages", &t.damages),
    ] {
        if !list.is_empty() {
            let codes: Vec<String> = list.iter().map(|c| format!("`{c}`")).collect();
            parts.push(format!("{name}: {}", codes.join(", ")));
        }
    }
    if parts.is_empty() {
        "—".to_string()
    } else {
        parts.join("; ")
    }
}

/// The whole document.
pub fn taxonomy_markdown() -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Unified taxonomy and reporting guideline / 統一カテゴリと通報指針\n\n\
         Generated from `crates/mamori-core` (the code and `data/*.toml`); regenerate with\n\
         `MAMORI_BLESS=1 cargo test -p mamori-core --test it taxonomy_doc_is_current`.\n\n\
         Taxonomy version **{TAXONOMY_VERSION}**. A case keeps the version it was filed under;\n\
         codes are never reused with another meaning. Requirements: R-1.2, R-1.4, R-2.4, R-4.7\n\
         (`../shared/design/system-map.md`).\n"
    );
    let _ = writeln!(o, "## Contents\n");
    for (anchor, title) in [
        ("dimensions", "Dimensions / 分類の軸"),
        ("jpcertcc-report-categories", "JPCERT/CC report categories"),
        ("enisa-rsit", "ENISA RSIT"),
        ("intake-questions", "Intake questions / 質問票"),
        ("reporting-guideline", "Reporting guideline / 通報指針"),
        ("case-work", "Case work / 事案の処理"),
    ] {
        let _ = writeln!(o, "- [{title}](#{anchor})");
    }
    let _ = writeln!(o, "\n## Dimensions\n");
    let _ = writeln!(
        o,
        "One case is described along every dimension (`mamori_core::taxonomy::Classification`);\n\
         the police's categories (行為類型, 手口, 不正アクセス後の行為, 動機, アクセス管理者, 端緒) are\n\
         values of these dimensions, so the police's statistics are a cut of the same data.\n\
         The seed carries the Unauthorized Access Act as enacted in 1999 (Art. 3(2)(i)–(iii),\n\
         Art. 4); the 2012 amendment renumbered it (definition Art. 2(4), providing Art. 5) and\n\
         added acquisition (Art. 4), storage (Art. 6) and phishing (Art. 7). The act table gives\n\
         both numberings.\n"
    );
    for d in dimensions() {
        let _ = writeln!(o, "### `{}` — {}\n", d.field, both(d.text));
        if d.field == "acts" {
            let _ = writeln!(
                o,
                "| code | 日本語 | English | 条文 / article |\n|---|---|---|---|"
            );
            for a in Act::ALL {
                let _ = writeln!(
                    o,
                    "| `{}` | {} | {} | {} |",
                    a.code(),
                    cell(a.text().ja),
                    cell(a.text().en),
                    both(a.legal_basis())
                );
            }
        } else {
            let _ = writeln!(o, "| code | 日本語 | English |\n|---|---|---|");
            for (code, t) in &d.values {
                let _ = writeln!(o, "| `{code}` | {} | {} |", cell(t.ja), cell(t.en));
            }
        }
        if d.field == "discovery" {
            let _ = writeln!(
                o,
                "\nThe first three are the police's 端緒; `Discovery::police_view` maps the others\n\
                 (how an administrator found out) to `report_by_admin`."
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## JPCERT/CC report categories\n");
    let _ = writeln!(
        o,
        "`taxonomy::jpcert_categories` (data: `crates/mamori-core/data/jpcert.toml`). A case\n\
         counts under every category one of whose values it carries; a case that matches none\n\
         counts under `other` (その他). The values listed for `other` go there on purpose.\n"
    );
    let _ = writeln!(
        o,
        "| code | 日本語 | English | taxonomy values |\n|---|---|---|---|"
    );
    for k in jpcert_catalog() {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            k.code,
            cell(k.text().ja),
            cell(k.text().en),
            triggers(&k.when)
        );
    }
    let _ = writeln!(o, "\n## ENISA RSIT\n");
    let _ = writeln!(
        o,
        "`taxonomy::rsit` (data: `crates/mamori-core/data/rsit.toml`): the (class, type) pairs of\n\
         the ENISA Reference Security Incident Taxonomy. \"attempts only\" types apply only to\n\
         cases without any act under the Act. Nothing matched: (`other`, `undetermined`).\n"
    );
    let _ = writeln!(
        o,
        "| class | type | 日本語 / English | taxonomy values |\n|---|---|---|---|"
    );
    for t in rsit_types() {
        let mut when = triggers(&t.when);
        if t.only_without_acts {
            when.push_str(" (attempts only)");
        }
        let _ = writeln!(
            o,
            "| `{}` | `{}` | {} | {when} |",
            t.class,
            t.kind,
            both(t.text())
        );
    }
    if let Some((class, kind, text)) = rsit_catalog().last() {
        let _ = writeln!(o, "| `{class}` | `{kind}` | {} | fallback |", both(*text));
    }
    let _ = writeln!(o, "\n## Intake questions\n");
    let _ = writeln!(
        o,
        "`intake::questions()`, in the order the form asks them. The answers are a map of\n\
         question id → values (`intake::Answers`); `intake::classify` maps them onto the\n\
         taxonomy. Required: needed before a report (届出) is submitted; drafts may skip them.\n\
         In a multiple-choice question `none` and `unknown` exclude every other choice.\n"
    );
    for q in questions() {
        let kind = match q.kind {
            QuestionKind::One => "one choice",
            QuestionKind::Many => "several choices",
            QuestionKind::ShortText => "short text",
            QuestionKind::LongText => "free text",
            QuestionKind::DateTime => "date / date-time",
            QuestionKind::YesNo => "yes / no",
        };
        let req = if q.required_for_report {
            ", required"
        } else {
            ""
        };
        let _ = writeln!(o, "### `{}` ({kind}{req})\n\n{}\n", q.id, both(q.text));
        for c in q.options {
            let _ = writeln!(o, "- `{}` — {}", c.id, both(c.text));
        }
        if !q.options.is_empty() {
            let _ = writeln!(o);
        }
    }
    let _ = writeln!(o, "## Reporting guideline\n");
    let _ = writeln!(
        o,
        "`guideline::advise` reads the answers and gives, for each body, a fit\n\
         (recommended / possible / not needed) with reasons, whether the case is one of the few\n\
         to tell the police at once, what to prepare per body (R-2.4) and what to preserve and how\n\
         (R-4.7). The reporter chooses where the report goes; nothing is sent without that choice,\n\
         and report content is not published (plan 3(1)ア(イ)).\n\n\
         In short: **police** when there is a crime to investigate (unauthorized access itself,\n\
         money lost, extortion, a live phishing site, credential stuffing the plan asks to report)\n\
         or the victim wants prosecution; a victim who does not want prosecution and lost no money\n\
         is told the police are possible, not needed. **IPA** for any unauthorized access under\n\
         METI's countermeasure standard, damage or not; attempts and unclear cases are possible\n\
         (consultation); scans alone are not reported. **JPCERT/CC** when someone must be\n\
         coordinated with: a phishing site to take down, an attack source to contact, a server of\n\
         the victim's attacking others, a defaced site spreading malware, control systems.\n\
         **Urgent** only when money is moving now, extortion is ongoing or a phishing site is\n\
         still collecting credentials.\n"
    );
    for b in Body::ALL {
        let _ = writeln!(o, "- **{}** — {}", both(b.text()), cell(b.scope().ja));
        let _ = writeln!(o, "  {}", cell(b.scope().en));
    }
    let _ = writeln!(
        o,
        "\nRules are evaluated in this order. Effects: *raise to X* sets the fit to at least X;\n\
         *note* adds its reason when the body already fits; *cap at possible* lowers recommended\n\
         to possible; *otherwise* speaks only when no earlier rule did; *urgent* marks the case\n\
         urgent (the first urgent rule gives the text).\n"
    );
    let _ = writeln!(
        o,
        "| id | body | effect | when | reason |\n|---|---|---|---|---|"
    );
    for r in rules() {
        let body = r.body.map(|b| b.code()).unwrap_or("urgent");
        let effect = match r.effect {
            Effect::Raise(f) => format!("raise to {}", f.code()),
            Effect::Note => "note".into(),
            Effect::CapAtPossible => "cap at possible".into(),
            Effect::Otherwise => "otherwise".into(),
            Effect::Urgent => "urgent".into(),
        };
        let _ = writeln!(
            o,
            "| {} | {body} | {effect} | {} | {} |",
            r.id,
            both(r.condition),
            both(r.reason)
        );
    }
    let _ = writeln!(o, "\n### What to prepare (R-2.4)\n");
    let _ = writeln!(
        o,
        "Given for the bodies that fit, and only when they apply to the case (for example the\n\
         damage records only when money was lost).\n"
    );
    for (i, cond) in preparation_items() {
        let who = i.body.map(|b| b.code()).unwrap_or("all");
        let _ = writeln!(
            o,
            "- `{}` ({who}{}) — {}",
            i.id,
            cond.map(|c| format!(", {c}")).unwrap_or_default(),
            both(i.text)
        );
    }
    let _ = writeln!(o, "\n### What to preserve and how (R-4.7)\n");
    let _ = writeln!(
        o,
        "From the NPSC 情報システム安全対策指針 第2編第4章1 and METI's 不正アクセス対策基準 V.2(6).\n"
    );
    for (i, cond) in preservation_items() {
        let _ = writeln!(
            o,
            "- `{}`{} — {}",
            i.id,
            cond.map(|c| format!(" ({c})")).unwrap_or_default(),
            both(i.text)
        );
    }
    let _ = writeln!(o, "\n## Case work\n");
    let _ = writeln!(
        o,
        "### Not accepted: reasons / 不受理の理由\n\n| code | 日本語 | English |\n|---|---|---|"
    );
    for r in NotAcceptedReason::ALL {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} |",
            r.code(),
            cell(r.text().ja),
            cell(r.text().en)
        );
    }
    let _ = writeln!(
        o,
        "\n### Outcomes / 結果\n\n| code | 日本語 | English | police | ipa | jpcert_cc |\n|---|---|---|---|---|---|"
    );
    for x in Outcome::ALL {
        let m = |b: Body| if x.applies_to(b) { "✓" } else { "" };
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} |",
            x.code(),
            cell(x.text().ja),
            cell(x.text().en),
            m(Body::Police),
            m(Body::Ipa),
            m(Body::JpcertCc)
        );
    }
    let _ = writeln!(o, "\n### Closing checklists / 終結前の確認\n");
    for b in Body::ALL {
        let _ = writeln!(o, "**{}**\n", both(b.text()));
        for i in closing_checklist(*b) {
            let _ = writeln!(o, "- [ ] `{}` — {}", i.id, both(i.text));
        }
        let _ = writeln!(o);
    }
    o
}

//! Intake at scale: fills a store with realistic reports (Japanese descriptions spread over
//! the bodies, statuses, sectors and acts) and measures a body's queue page and full-text
//! searches through the service (authorization and the audit write included), p50/p99.
//!
//! ```text
//! cargo run --release -p mamori-bench --bin intake-scale -- fill  --sqlite /tmp/i.db --reports 1000000
//! cargo run --release -p mamori-bench --bin intake-scale -- query --sqlite /tmp/i.db --runs 200
//! cargo run --release -p mamori-bench --bin intake-scale -- fill  --postgres postgres://postgres@127.0.0.1/mamori_scale --reports 1000000
//! ```
//!
//! The generator is deterministic (a fixed xorshift seed), so both databases hold the same
//! world. Bulk writes go through `Store::import_reports` (1,000 reports per transaction).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark tool: a failure is a crash

use mamori_service::cases::QueueFilter;
use mamori_service::{Actor, Env, ServiceConfig, Services};
use mamori_store::{
    CaseId, CaseStatus, Facets, ImportedCase, ImportedReport, NewOrg, NewReport, NewUser, Org,
    OrgKind, ReportContent, ReportKind, Role, Store, User,
};
use std::sync::Arc;
use std::time::Instant;
use time::{Duration, OffsetDateTime};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn word(&mut self, v: &[&'static str]) -> &'static str {
        v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SERVICES: &[&str] = &[
    "ネットバンキング",
    "ECサイト",
    "会員サイト",
    "社内VPN",
    "メールサーバ",
    "WordPress の管理画面",
    "オンラインゲーム",
    "クラウドストレージ",
    "勤怠管理システム",
    "予約サイト",
    "SSH サーバ",
    "ファイル共有サービス",
];
const PRODUCTS: &[&str] = &[
    "WordPress",
    "Apache Struts",
    "Fortinet FortiOS",
    "Ivanti Connect Secure",
    "Exchange Server",
    "Drupal",
    "phpMyAdmin",
    "Joomla",
    "Citrix ADC",
    "Confluence",
];
const TITLES: &[&str] = &[
    "{svc}への不正ログイン",
    "{svc}の不正利用について",
    "ウェブサイト改ざんの被害",
    "フィッシングサイトの発見（{svc}を装う）",
    "不正送金の疑い",
    "{prod} の脆弱性を突いた侵入",
    "ランサムウェアの感染と情報流出の可能性",
    "リスト型攻撃による大量ログイン試行",
    "退職者アカウントによる不正アクセス",
    "暗号資産の不正送金",
    "踏み台にされた可能性のある通信",
    "顧客情報の漏えいの疑い",
];
const SENTENCES: &[&str] = &[
    "{date}頃から{svc}に対して海外のIPアドレス {ip} から大量のログイン試行がありました。",
    "{n}件のアカウントで第三者によるログインが成功しており、登録情報が閲覧された形跡があります。",
    "利用者から身に覚えのない送金があるとの問い合わせがあり、調査したところ不正送金が{n}件確認されました。被害額は約{amount}円です。",
    "ウェブサイトのトップページが改ざんされ、不審なスクリプトが埋め込まれていました。",
    "{prod} の脆弱性を突かれ、サーバに不正なファイルが設置されていました。",
    "退職した元従業員のアカウント {acct} が退職後も使われていたことが分かりました。",
    "当社を装ったフィッシングサイト {url} が確認され、顧客にSMSで誘導されています。",
    "管理者アカウント {acct} のパスワードが推測されやすいものでした。",
    "アクセスログを確認したところ、{ip} から wp-login.php への POST が{n}回記録されていました。",
    "不正アクセスの後、顧客の氏名・メールアドレス約{n}件が外部に送信された可能性があります。",
    "攻撃元のプロバイダに連絡したいが、連絡先が分かりません。",
    "被害の拡大を防ぐため、該当サーバをネットワークから切り離しました。",
    "ログは{date}から保全しており、証拠として提出できます。",
    "SSH へのブルートフォース攻撃が続いており、一部のアカウントで認証に成功しています。",
    "ランサムウェアによりファイルが暗号化され、身代金を要求するメッセージが表示されました。",
    "オンラインゲームのアカウントが乗っ取られ、アイテムが不正に移転されました。",
    "暗号資産交換業者の口座から約{amount}円相当の暗号資産が外部アドレスに送られました。",
    "当社のサーバが踏み台として悪用され、他社への攻撃に使われた可能性があります。",
    "VPN 機器のファームウェアが古く、認証情報が窃取されたおそれがあります。",
    "メールアカウントに不正ログインされ、取引先に偽の請求書が送られました。",
    "警察への被害届の提出を検討しています。",
    "同様の被害が他社でも起きていないか情報提供をお願いします。",
    "社内調査では侵入経路は特定できていません。",
    "多要素認証を導入していなかったアカウントが狙われました。",
];

fn fill(tmpl: &str, r: &mut Rng) -> String {
    let ip = format!(
        "{}.{}.{}.{}",
        r.pick(&[203, 198, 192, 45, 185, 91]),
        r.below(256),
        r.below(256),
        1 + r.below(254)
    );
    let svc = r.word(SERVICES);
    let prod = r.word(PRODUCTS);
    let acct = r.word(&["admin", "root", "user01", "sales", "info", "tanaka"]);
    tmpl.replace("{svc}", svc)
        .replace("{prod}", prod)
        .replace("{ip}", &ip)
        .replace("{n}", &(1 + r.below(5000)).to_string())
        .replace("{amount}", &((1 + r.below(900)) * 10_000).to_string())
        .replace("{acct}", acct)
        .replace(
            "{url}",
            &format!("https://login-{}.example.net/", r.below(100_000)),
        )
        .replace(
            "{date}",
            &format!("2026年{}月{}日", 1 + r.below(12), 1 + r.below(28)),
        )
}

const ACTS: &[&str] = &[
    "identifier_misuse",
    "identifier_misuse",
    "identifier_misuse",
    "security_hole_attack",
    "security_hole_attack",
    "stepping_stone",
    "code_provision",
    "code_acquisition",
    "code_storage",
    "code_input_request",
    "code_input_request",
];
const METHODS: &[&str] = &[
    "weak_password_management",
    "insider_or_acquaintance",
    "phishing_site",
    "spyware",
    "credential_stuffing",
    "security_hole",
    "targeted_attack",
];
const SECTORS: &[&str] = &[
    "finance",
    "crypto_exchange",
    "ecommerce",
    "ecommerce",
    "game_community",
    "email",
    "telecom_provider",
    "it_software",
    "manufacturing",
    "infrastructure",
    "healthcare",
    "education_research",
    "government",
    "retail_services",
    "retail_services",
    "other",
];

struct World {
    npa: Org,
    prefs: Vec<Org>,
    ipa: Org,
    jpcert: Org,
    reporters: Vec<User>,
    /// Staff per body org id.
    staff: std::collections::HashMap<i64, Vec<User>>,
}

async fn world(s: &dyn Store) -> World {
    let at = time::macros::datetime!(2023-01-01 00:00 UTC);
    let orgs = s.orgs().await.unwrap();
    if let Some(npa) = orgs.iter().find(|o| o.kind == OrgKind::Police).cloned() {
        let users = s.users(None).await.unwrap();
        let mut staff = std::collections::HashMap::new();
        for u in users.iter().filter(|u| u.role == Role::BodyStaff) {
            staff
                .entry(u.org.0)
                .or_insert_with(Vec::new)
                .push(u.clone());
        }
        return World {
            npa,
            prefs: orgs
                .iter()
                .filter(|o| o.kind == OrgKind::PolicePrefectural)
                .cloned()
                .collect(),
            ipa: orgs
                .iter()
                .find(|o| o.kind == OrgKind::Ipa)
                .cloned()
                .unwrap(),
            jpcert: orgs
                .iter()
                .find(|o| o.kind == OrgKind::JpcertCc)
                .cloned()
                .unwrap(),
            reporters: users
                .into_iter()
                .filter(|u| u.role == Role::Reporter)
                .collect(),
            staff,
        };
    }
    let org = |name: String, kind, parent| NewOrg {
        name,
        kind,
        parent,
        created_at: at,
    };
    let npa = s
        .insert_org(&org("警察庁".into(), OrgKind::Police, None))
        .await
        .unwrap();
    let mut prefs = Vec::new();
    for i in 0..47 {
        prefs.push(
            s.insert_org(&org(
                format!("都道府県警察{i:02}"),
                OrgKind::PolicePrefectural,
                Some(npa.id),
            ))
            .await
            .unwrap(),
        );
    }
    let ipa = s
        .insert_org(&org("IPA".into(), OrgKind::Ipa, None))
        .await
        .unwrap();
    let jpcert = s
        .insert_org(&org("JPCERT/CC".into(), OrgKind::JpcertCc, None))
        .await
        .unwrap();
    let mut staff = std::collections::HashMap::new();
    for b in std::iter::once(&npa).chain(&prefs).chain([&ipa, &jpcert]) {
        let mut v = Vec::new();
        for i in 0..10 {
            v.push(
                s.insert_user(&NewUser {
                    org: b.id,
                    email: format!("staff{i}@body{}.example", b.id.0),
                    display_name: format!("担当{i}"),
                    role: Role::BodyStaff,
                    created_at: at,
                })
                .await
                .unwrap(),
            );
        }
        s.insert_user(&NewUser {
            org: b.id,
            email: format!("chief@body{}.example", b.id.0),
            display_name: "責任者".into(),
            role: Role::BodySupervisor,
            created_at: at,
        })
        .await
        .unwrap();
        staff.insert(b.id.0, v);
    }
    let mut reporters = Vec::new();
    for i in 0..500 {
        let o = s
            .insert_org(&org(
                format!("株式会社サンプル{i:03}"),
                OrgKind::AccessAdministrator,
                None,
            ))
            .await
            .unwrap();
        reporters.push(
            s.insert_user(&NewUser {
                org: o.id,
                email: format!("reporter@company{i}.example"),
                display_name: format!("報告者{i}"),
                role: Role::Reporter,
                created_at: at,
            })
            .await
            .unwrap(),
        );
    }
    World {
        npa,
        prefs,
        ipa,
        jpcert,
        reporters,
        staff,
    }
}

fn report(r: &mut Rng, w: &World, i: u64, now: OffsetDateTime) -> ImportedReport {
    let created = time::macros::datetime!(2023-06-01 00:00 UTC)
        + Duration::seconds((i as i64) * 90 + r.below(60) as i64);
    let mut desc = String::new();
    for _ in 0..(3 + r.below(4)) {
        let t = r.word(SENTENCES);
        desc.push_str(&fill(t, r));
    }
    let t = r.word(TITLES);
    let title = fill(t, r);
    let kind = match r.below(10) {
        0 => ReportKind::Consultation,
        1 | 2 => ReportKind::Notification,
        _ => ReportKind::Report,
    };
    let mut acts = vec![r.word(ACTS).to_string()];
    if r.chance(20) {
        let a = r.word(ACTS).to_string();
        if !acts.contains(&a) {
            acts.push(a);
        }
    }
    let sector = r.word(SECTORS).to_string();
    let reporter = r.pick(&w.reporters).clone();
    let answers = serde_json::json!({"description": [desc.clone()], "sector": [sector.clone()]});
    let mut bodies = vec![match r.below(100) {
        0..40 => w.ipa.id,
        40..65 => w.jpcert.id,
        65..70 => w.npa.id,
        // Tokyo-like units get more.
        _ => {
            w.prefs[if r.chance(30) {
                0
            } else {
                r.below(w.prefs.len())
            }]
            .id
        }
    }];
    if r.chance(15) {
        let b = *r.pick(&[w.ipa.id, w.jpcert.id, w.npa.id]);
        if !bodies.contains(&b) {
            bodies.push(b);
        }
    }
    let cases = bodies
        .into_iter()
        .map(|b| {
            let status = match r.below(100) {
                0..10 => CaseStatus::Received,
                10..20 => CaseStatus::Accepted,
                20..40 => CaseStatus::InProgress,
                40..50 => CaseStatus::NotAccepted,
                _ => CaseStatus::Closed,
            };
            let staff = &w.staff[&b.0];
            let open = matches!(status, CaseStatus::Accepted | CaseStatus::InProgress);
            ImportedCase {
                body: b,
                status,
                assignee: (open || status == CaseStatus::Closed).then(|| r.pick(staff).id),
                due_at: (open && r.chance(50))
                    .then(|| now + Duration::days(r.below(60) as i64 - 20)),
            }
        })
        .collect();
    ImportedReport {
        report: NewReport {
            content: ReportContent {
                kind,
                title,
                description: desc,
                answers: answers.to_string(),
                taxonomy_version: "2026.1".into(),
                facets: Facets {
                    acts,
                    methods: vec![r.word(METHODS).to_string()],
                    sector: Some(sector),
                    admin_type: Some("company".into()),
                },
                first_seen: Some(created - Duration::days(3)),
                last_seen: Some(created - Duration::days(1)),
            },
            author: Some(reporter.id),
            org: Some(reporter.org),
            contact_hash: None,
            created_at: created,
        },
        cases,
    }
}

async fn open(args: &[String]) -> Arc<dyn Store> {
    let val = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(p) = val("--sqlite") {
        Arc::new(mamori_store_sqlite::SqliteStore::open(p).await.unwrap())
    } else if let Some(u) = val("--postgres") {
        Arc::new(mamori_store_postgres::PgStore::connect(&u).await.unwrap())
    } else {
        panic!("--sqlite FILE or --postgres URL")
    }
}

fn num(args: &[String], k: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == k)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const NOW: OffsetDateTime = time::macros::datetime!(2026-04-01 09:00 UTC);

#[derive(Debug)]
struct Clock;
impl mamori_service::Clock for Clock {
    fn now(&self) -> OffsetDateTime {
        NOW
    }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cmd = args.get(1).map(String::as_str).unwrap_or("");
    let store = open(&args).await;
    let w = world(store.as_ref()).await;
    match cmd {
        "fill" => {
            let n = num(&args, "--reports", 1_000_000);
            let mut r = Rng(0x9E37_79B9_7F4A_7C15);
            let t0 = Instant::now();
            let batch = 1000;
            let mut i = 0;
            while i < n {
                let rows: Vec<ImportedReport> = (i..(i + batch).min(n))
                    .map(|k| report(&mut r, &w, k, NOW))
                    .collect();
                store.import_reports(&rows).await.unwrap();
                i += batch;
                if i % 50_000 == 0 {
                    eprintln!(
                        "{i} reports, {:.0}/s",
                        i as f64 / t0.elapsed().as_secs_f64()
                    );
                }
            }
            println!(
                "filled {n} reports in {:.1}s ({:.0}/s) on {}",
                t0.elapsed().as_secs_f64(),
                n as f64 / t0.elapsed().as_secs_f64(),
                store.backend()
            );
        }
        "query" => {
            let runs = num(&args, "--runs", 200) as usize;
            let svc = Services::new(
                store.clone(),
                ServiceConfig::default(),
                Env::new(Arc::new(Clock)),
            )
            .unwrap();
            let users = store.users(None).await.unwrap();
            let actor = |org: &Org, role: Role| Actor {
                user: users
                    .iter()
                    .find(|u| u.org == org.id && u.role == role)
                    .unwrap()
                    .clone(),
                org: org.clone(),
                source: "bench".into(),
                pending: false,
            };
            let ipa_chief = actor(&w.ipa, Role::BodySupervisor);
            let ipa_staff = actor(&w.ipa, Role::BodyStaff);
            let pref_chief = actor(&w.prefs[5], Role::BodySupervisor);
            let first = svc
                .case_queue(&ipa_chief, &QueueFilter::default())
                .await
                .unwrap();
            let top = first.rows[0].case.id.0;
            let text = |t: &str| QueueFilter {
                text: Some(t.into()),
                ..QueueFilter::default()
            };
            let extra: Vec<String> = args
                .iter()
                .position(|a| a == "--terms")
                .and_then(|i| args.get(i + 1))
                .map(|t| t.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            let names: Vec<String> = extra.iter().map(|t| format!("search {t}")).collect();
            let mut cases: Vec<(&str, &Actor, QueueFilter)> = vec![
                (
                    "IPA queue, first page (supervisor)",
                    &ipa_chief,
                    QueueFilter::default(),
                ),
                (
                    "IPA queue, a deep page (keyset)",
                    &ipa_chief,
                    QueueFilter {
                        before: Some(CaseId(top / 2)),
                        ..QueueFilter::default()
                    },
                ),
                (
                    "IPA queue, staff scope (unassigned or own)",
                    &ipa_staff,
                    QueueFilter::default(),
                ),
                (
                    "IPA queue, status in_progress",
                    &ipa_chief,
                    QueueFilter {
                        statuses: vec![CaseStatus::InProgress],
                        ..QueueFilter::default()
                    },
                ),
                (
                    "IPA queue, overdue",
                    &ipa_chief,
                    QueueFilter {
                        overdue: true,
                        ..QueueFilter::default()
                    },
                ),
                (
                    "IPA queue, act = stepping_stone",
                    &ipa_chief,
                    QueueFilter {
                        act: mamori_core::taxonomy::Act::parse("stepping_stone"),
                        ..QueueFilter::default()
                    },
                ),
                (
                    "IPA queue, sector = healthcare",
                    &ipa_chief,
                    QueueFilter {
                        sector: mamori_core::taxonomy::Sector::parse("healthcare"),
                        ..QueueFilter::default()
                    },
                ),
                (
                    "prefectural unit queue, first page",
                    &pref_chief,
                    QueueFilter::default(),
                ),
                (
                    "search JA 2 chars 不正 (in most reports)",
                    &ipa_chief,
                    text("不正"),
                ),
                ("search JA 2 chars 送金", &ipa_chief, text("送金")),
                ("search JA 2 chars 身代 (rarer)", &ipa_chief, text("身代")),
                ("search JA 3 chars 改ざん", &ipa_chief, text("改ざん")),
                ("search JA 3 chars 踏み台", &ipa_chief, text("踏み台")),
                (
                    "search JA 5 chars フィッシング",
                    &ipa_chief,
                    text("フィッシング"),
                ),
                ("search latin wordpress", &ipa_chief, text("WordPress")),
                ("search latin vpn", &ipa_chief, text("vpn")),
                (
                    "search latin phrase wp-login.php",
                    &ipa_chief,
                    text("wp-login.php"),
                ),
                (
                    "search rare: an IP address 203.0.113.77",
                    &ipa_chief,
                    text("203.0.113.77"),
                ),
                (
                    "search 2 terms 暗号資産 送金",
                    &ipa_chief,
                    text("暗号資産 送金"),
                ),
                (
                    "search + status: 改ざん, in_progress",
                    &ipa_chief,
                    QueueFilter {
                        text: Some("改ざん".into()),
                        statuses: vec![CaseStatus::InProgress],
                        ..QueueFilter::default()
                    },
                ),
                (
                    "search nothing matches: 該当なし語句",
                    &ipa_chief,
                    text("該当なし語句"),
                ),
                (
                    "search in a prefectural unit: 送金",
                    &pref_chief,
                    text("送金"),
                ),
            ];
            if !extra.is_empty() {
                cases = names
                    .iter()
                    .zip(&extra)
                    .map(|(n, t)| (n.as_str(), &ipa_chief, text(t)))
                    .collect();
            }
            println!(
                "| query ({} backend, {} runs, page of 50, through the service incl. audit write) | p50 ms | p99 ms | rows |",
                store.backend(),
                runs
            );
            println!("|---|---:|---:|---:|");
            for (name, a, f) in cases {
                // Warm the caches once.
                let rows = svc.case_queue(a, &f).await.unwrap().rows.len();
                let mut lat = Vec::with_capacity(runs);
                let budget = Instant::now();
                // At most `runs` runs and about 30 s per query.
                while lat.len() < runs && (lat.len() < 5 || budget.elapsed().as_secs() < 30) {
                    let t = Instant::now();
                    svc.case_queue(a, &f).await.unwrap();
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                let n = lat.len();
                println!(
                    "| {name} | {:.2} | {:.2} | {rows}{} |",
                    pct(&mut lat, 0.5),
                    pct(&mut lat, 0.99),
                    if n < runs {
                        format!(" ({n} runs)")
                    } else {
                        String::new()
                    }
                );
            }
        }
        _ => eprintln!(
            "usage: intake-scale fill|query --sqlite FILE|--postgres URL [--reports N] [--runs N]"
        ),
    }
}

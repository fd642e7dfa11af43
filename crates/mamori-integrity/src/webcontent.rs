//! Web content checks beyond bytes: for HTML/JS/PHP files that changed or appeared, look for
//! what defacement and planted scripts leave behind, so that a report can say "this looks like
//! a planted script", not only "hash differs".
//!
//! The old bytes are not kept, so the new content is scanned for markers: hidden iframes,
//! scripts from other hosts, `eval(base64_decode(`, `gzinflate(`, `str_rot13(`,
//! `assert($_POST`, long base64 blobs, `document.write(unescape(`, packed/obfuscated
//! JavaScript and the names of well-known web shells (c99, r57, WSO, b374k, …).
//!
//! ```
//! use mamori_integrity::webcontent::scan_content;
//! let f = scan_content(b"<?php @eval(base64_decode($_POST['x'])); ?>");
//! assert!(f.iter().any(|f| f.marker == "php-eval-decode"));
//! ```

use mamori_core::{Severity, Text};
use regex::bytes::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// At most this much of a file is scanned.
pub const MAX_SCAN_BYTES: u64 = 8 * 1024 * 1024;

/// One suspicious marker found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebFinding {
    /// Stable marker id, e.g. `hidden-iframe`.
    pub marker: String,
    /// How bad it looks.
    pub severity: Severity,
    /// 1-based line of the first occurrence.
    pub line: usize,
    /// The matched text (shortened, printable).
    pub excerpt: String,
}

struct Marker {
    id: &'static str,
    severity: Severity,
    text: Text,
    pattern: &'static str,
}

const MARKERS: &[Marker] = &[
    Marker {
        id: "hidden-iframe",
        severity: Severity::High,
        text: Text::new(
            "隠された iframe（不正サイトへの誘導）",
            "hidden iframe (drive-by redirect)",
        ),
        pattern: r#"<iframe\b[^>]*(?:width\s*=\s*["']?0*[01]\b|height\s*=\s*["']?0*[01]\b|display\s*:\s*none|visibility\s*:\s*hidden)"#,
    },
    Marker {
        id: "script-ip-host",
        severity: Severity::High,
        text: Text::new(
            "IP アドレスから読み込むスクリプト",
            "script loaded from a bare IP address",
        ),
        pattern: r#"<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"#,
    },
    Marker {
        id: "script-foreign-host",
        severity: Severity::Medium,
        text: Text::new(
            "外部ホストから読み込むスクリプト",
            "script loaded from another host",
        ),
        pattern: r#"<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//[^/"'\s>]+"#,
    },
    Marker {
        id: "php-eval-decode",
        severity: Severity::Critical,
        text: Text::new(
            "難読化コードの実行（eval+デコード）",
            "obfuscated code execution (eval + decode)",
        ),
        pattern: r"\b(?:eval|assert|create_function)\s*\(\s*(?:@\s*)?(?:base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|rawurldecode|hex2bin)\s*\(",
    },
    Marker {
        id: "php-decode-chain",
        severity: Severity::High,
        text: Text::new(
            "多重デコード（gzinflate/str_rot13）",
            "layered decoding (gzinflate/str_rot13)",
        ),
        pattern: r"\b(?:gzinflate|gzuncompress|str_rot13)\s*\(\s*(?:base64_decode|str_rot13|gzinflate)\s*\(",
    },
    Marker {
        id: "php-request-exec",
        severity: Severity::Critical,
        text: Text::new(
            "リクエストの値をそのまま実行（Web シェル）",
            "executes request input (web shell)",
        ),
        pattern: r"\b(?:eval|assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s*\(\s*(?:@\s*)?(?:stripslashes\s*\(\s*)?\$_(?:POST|GET|REQUEST|COOKIE|SERVER)\b",
    },
    Marker {
        id: "php-preg-replace-e",
        severity: Severity::High,
        text: Text::new(
            "preg_replace /e によるコード実行",
            "code execution via preg_replace /e",
        ),
        pattern: r#"preg_replace\s*\(\s*["'][/#@~!|][^"']*[/#@~!|][imsx]*e[imsx]*["']"#,
    },
    Marker {
        id: "web-shell-name",
        severity: Severity::Critical,
        text: Text::new("既知の Web シェルの痕跡", "known web-shell signature"),
        pattern: r"\b(?:c99shell|c99_buff_prepare|r57shell|r57_pwd_hash|WSO\s+\d|Web\s*Shell\s+by\s+oRb|wso_version|b374k|FilesMan|IndoXploit|AnonymousFox|\$sh_id\s*=)",
    },
    Marker {
        id: "js-document-write-unescape",
        severity: Severity::High,
        text: Text::new(
            "document.write(unescape( による埋め込み",
            "document.write(unescape( injection",
        ),
        pattern: r"document\.write\s*\(\s*(?:unescape|atob|decodeURIComponent)\s*\(",
    },
    Marker {
        id: "js-packed",
        severity: Severity::Medium,
        text: Text::new("パックされた JavaScript", "packed JavaScript"),
        pattern: r"eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)",
    },
    Marker {
        id: "js-charcode-eval",
        severity: Severity::High,
        text: Text::new(
            "文字コードから組み立てたコードの実行",
            "eval of code built from character codes",
        ),
        pattern: r"eval\s*\(\s*String\.fromCharCode\s*\(",
    },
    Marker {
        id: "hex-escaped-blob",
        severity: Severity::Medium,
        text: Text::new(
            "長い16進エスケープ列（難読化）",
            "long hex-escaped string (obfuscation)",
        ),
        pattern: r"(?:\\x[0-9a-fA-F]{2}){40,}",
    },
    Marker {
        id: "long-base64-blob",
        severity: Severity::Medium,
        text: Text::new(
            "長い base64 の塊（隠されたコード）",
            "long base64 blob (hidden payload)",
        ),
        pattern: r"[A-Za-z0-9+/]{400,}={0,2}",
    },
];

fn compiled() -> &'static [Regex] {
    static RE: OnceLock<Vec<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        MARKERS
            .iter()
            .filter_map(|m| {
                RegexBuilder::new(m.pattern)
                    .case_insensitive(true)
                    .size_limit(1 << 22)
                    .build()
                    .ok()
            })
            .collect()
    })
}

/// The description of a marker id, for people.
pub fn marker_text(id: &str) -> Text {
    MARKERS
        .iter()
        .find(|m| m.id == id)
        .map_or(Text::new("不審な記述", "suspicious content"), |m| {
            m.text
        })
}

/// True for files whose content is served or run by a web server (HTML, JS, PHP, …).
pub fn is_web_file(path: &Path) -> bool {
    if path.file_name().is_some_and(|n| n == ".htaccess") {
        return true;
    }
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "html"
            | "htm"
            | "shtml"
            | "xhtml"
            | "js"
            | "mjs"
            | "php"
            | "php3"
            | "php4"
            | "php5"
            | "php7"
            | "phtml"
            | "phar"
            | "inc"
            | "asp"
            | "aspx"
            | "jsp"
            | "svg"
    )
}

/// Scans content for markers; at most one finding per marker (the first), most severe first.
pub fn scan_content(content: &[u8]) -> Vec<WebFinding> {
    let mut out = Vec::new();
    let mut foreign_seen = false;
    for (m, re) in MARKERS.iter().zip(compiled()) {
        if m.id == "script-foreign-host" && foreign_seen {
            continue;
        }
        if let Some(hit) = re.find(content) {
            if m.id == "script-ip-host" {
                foreign_seen = true;
            }
            let line = 1 + memchr_count(&content[..hit.start()]);
            let excerpt: String = String::from_utf8_lossy(hit.as_bytes())
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect();
            out.push(WebFinding {
                marker: m.id.to_owned(),
                severity: m.severity,
                line,
                excerpt,
            });
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

/// Reads up to [`MAX_SCAN_BYTES`] of `path` and scans it.
pub fn scan_file(path: &Path) -> std::io::Result<Vec<WebFinding>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_SCAN_BYTES)
        .read_to_end(&mut buf)?;
    Ok(scan_content(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markers(s: &str) -> Vec<String> {
        scan_content(s.as_bytes())
            .into_iter()
            .map(|f| f.marker)
            .collect()
    }

    #[test]
    fn every_marker_compiles() {
        assert_eq!(compiled().len(), MARKERS.len());
    }

    #[test]
    fn defacement_and_shell_markers_are_named() {
        let cases = [
            (
                r#"<iframe src="http://evil.example/x" width="0" height="0"></iframe>"#,
                "hidden-iframe",
            ),
            (r#"<iframe src=x style="display:none">"#, "hidden-iframe"),
            (
                r#"<script src="http://203.0.113.9/x.js"></script>"#,
                "script-ip-host",
            ),
            (
                r#"<script src="https://evil.example/a.js"></script>"#,
                "script-foreign-host",
            ),
            (
                "<?php eval(base64_decode('ZWNobyAx')); ?>",
                "php-eval-decode",
            ),
            (
                "<?php eval(gzinflate(base64_decode($x))); ?>",
                "php-eval-decode",
            ),
            ("$a = gzinflate(str_rot13($b));", "php-decode-chain"),
            ("<?php @assert($_POST['c']); ?>", "php-request-exec"),
            ("<?php system($_GET['cmd']); ?>", "php-request-exec"),
            ("<title>c99shell v1.0</title>", "web-shell-name"),
            ("$default_action = 'FilesMan';", "web-shell-name"),
            ("<!-- b374k shell -->", "web-shell-name"),
            (
                "document.write(unescape('%3Cscript'));",
                "js-document-write-unescape",
            ),
            ("eval(function(p,a,c,k,e,d){return p})", "js-packed"),
            ("eval(String.fromCharCode(97,108))", "js-charcode-eval"),
        ];
        for (content, want) in cases {
            assert!(
                markers(content).iter().any(|m| m == want),
                "{want} not found in {content}"
            );
        }
        assert!(markers(&"QUJD".repeat(200)).contains(&"long-base64-blob".to_owned()));
        assert!(markers(&"\\x41".repeat(50)).contains(&"hex-escaped-blob".to_owned()));
    }

    #[test]
    fn ordinary_pages_are_quiet() {
        let page = r#"<!doctype html><html><head><script src="/js/app.js"></script>
            <iframe src="/map.html" width="600" height="450"></iframe></head>
            <body><?php echo htmlspecialchars($_GET['q']); ?></body></html>"#;
        assert_eq!(markers(page), Vec::<String>::new());
    }

    #[test]
    fn line_numbers_point_at_the_injection() {
        let f = scan_content(b"<html>\n<body>\n<iframe width=0 height=0 src=x>");
        assert_eq!(f[0].line, 3);
    }

    #[test]
    fn web_files_by_extension() {
        assert!(is_web_file(Path::new("/var/www/index.PHP")));
        assert!(is_web_file(Path::new("/var/www/.htaccess")));
        assert!(!is_web_file(Path::new("/var/www/logo.png")));
    }
}

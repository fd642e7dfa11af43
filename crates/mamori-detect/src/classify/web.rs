//! Attack and probe recognition in one HTTP request.
//!
//! Two stages keep the common case cheap: a byte-class and keyword pre-filter over
//! the raw request target (one pass of `aho-corasick` plus a table look-up), and only
//! for the few requests it lets through, decoding ([`super::decode`]) and the
//! per-kind `RegexSet`s. Probe paths (secrets, backups, admin panels, web shells) are
//! matched on the decoded, lower-cased path.

mod exploits;

pub use exploits::{EXPLOITS, Exploit};

use super::decode::normalize;
use crate::event::AttackKind;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use regex::bytes::{Regex as BytesRegex, RegexSet};

/// What the request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebHit {
    /// The kind of attack or probe.
    pub kind: AttackKind,
    /// The decoded payload or path that matched (truncated).
    pub detail: String,
    /// The vulnerability the request exploits (`CVE-2021-44228`), when known.
    pub reference: Option<&'static str>,
}

const SQLI: &[&str] = &[
    r#"\bunion\b[\s(]+(?:all\s+|distinct\s+)?\(?\s*select\s*(?:$|\x1f|[\d'"(@*-]|null\b|0x|[a-z_.]+\s*(?:,|\(|\bfrom\b|--|#))"#,
    r"\bselect\b[^&\x1f]{0,100}\bfrom\b[^&\x1f]{0,100}(?:\bwhere\b|--|#|\binformation_schema\b|\bdual\b|\blimit\b|\)|;)",
    r"\bselect\s*(?:\(|@@|\*\s*from\b|null\b|\d+\s*,|(?:user|version|database|schema|current_user|system_user|session_user|banner)\b)",
    r#"['`)]\s*(?:or|and|\|\||&&|xor|div|rlike|regexp|like)\s*(?:['\d(@-]|not\b|true\b|false\b|null\b|[a-z_]+\s*\(|[a-z_.]+\s*(?:=|<|>|\bis\b|\blike\b)\s*['"\d])"#,
    r#""\s*(?:or|and|\|\||&&|xor)\s*(?:-?\d+\s*(?:=|<|>)|"[^"]*"\s*(?:=|<|>)|\(|not\b|true\b|false\b|[a-z_]+\s*\(|[a-z_.]+\s*(?:=|<|>|\bis\b|\blike\b)\s*['"\d])"#,
    r"\b(?:or|and|xor|having)\s+-?\d+\s*(?:=|<|>|<>|!=|\blike\b|\bbetween\b|\bis\b)\s*(?:-?\d+|cast\s*\(|\(\s*select\b)",
    r"\b(?:or|and)\s+(?:true|false|not\s+\d|null\s+is\s+null|\d+\s+is\s+not\s+null)\s*(?:$|\x1f|--|#|\)|;)",
    r"\b(?:sleep|benchmark|pg_sleep|extractvalue|updatexml|load_file|sys_eval|sys_exec|utl_inaddr\.get_host_address|utl_http\.request|dbms_pipe\.receive_message|dbms_lock\.sleep|randomblob|make_set|geometrycollection|multipoint|json_keys|gtid_subset|name_const|ctxsys\.drithsx\.sn|is_srvrolemember|pg_read_file|lo_import|current_setting|group_concat)\s*\(",
    r#"(?:\b(?:and|or|xor|select|where|union|having|by|when|then|else|not)\b|[=,(+'"|&<>])\s*\(?\s*(?:version|database|user|schema|db_name|user_name|host_name|substring|substr|mid|ascii|ord|hex|char|chr|nchar|len|length|if|iif|count|rand|floor|elt|exp|convert|xmltype|polygon|concat|unicode|cast|coalesce|ifnull|nullif|isnull)\((?:\)|select\b|\d|@@|'|[a-z_]+\s*\(|[a-z_.]+\s*[,)=<>])"#,
    r"\bwaitfor\s+(?:delay|time)\b",
    r"\binformation_schema\b|@@(?:version|datadir|hostname|basedir|servername|tmpdir)|\bsysobjects\b|\bsyscolumns\b|\bsys\.(?:tables|objects|databases)\b|\bpg_(?:catalog|user|shadow|database|tables)\b|\bsqlite_(?:master|schema)\b|\bxp_cmdshell\b|\bmysql\.user\b|\ball_tables\b|\buser_tables\b|\bmsysobjects\b|\bsp_(?:executesql|password|oacreate)\b|\bopenrowset\b|\bdual\b\s*(?:where|--|#|\))",
    r"\bchr\(\d+\)\s*\|\||\bcast\s*\([^)]{0,60}\bas\s+(?:numeric|int|integer|char|varchar|text|signed|unsigned|nvarchar|decimal)\b|\bconvert\s*\(\s*(?:int|varchar|char)\b",
    r#"(?:['"`]|\d['"]?)\s*(?:--(?:\s|$|\x1f|[-+]|[a-z])|#(?:$|\s|\x1f)|;\s*%00)|\)\s*(?:--(?:\s|$|\x1f|[-+])|/\*)"#,
    r"['\d)]\s*;\s*(?:drop|select|insert|update|delete|shutdown|exec|execute|declare|truncate|create|alter|waitfor|if|begin|set|grant|union)\b",
    r"\border\s+by\s+\d+\s*(?:--|#|/\*|$|\x1f|,|\bdesc\b|\basc\b)|\bgroup\s+by\s+\d+\s*(?:--|#|\bhaving\b)",
    r"=\s*-?\d+\s*'\s*(?:$|\x1f|[)\s;]|--|#)",
    r#"=\s*['"]+\s*(?:$|\x1f)"#,
    r"\bconcat(?:_ws)?\s*\([^)]{0,40}0x[0-9a-f]{2,}|\bunhex\s*\(|\bchar\(\d+(?:\s*,\s*\d+)+\)",
    r#"(?:[;'"`)]\s*|\d\s+)(?:insert\s+into|delete\s+from|drop\s+(?:table|database|column|view|procedure|function|user)|truncate\s+table|alter\s+table|create\s+(?:table|user|database|procedure|function)|update\s+[a-z_.`"\[\]]+\s+set)\b|\b(?:insert\s+into\s+[a-z_.`"\[\]]+\s*(?:\(|values\b|select\b)|delete\s+from\s+[a-z_.`"\[\]]+\s*(?:where\b|;|--|#|$|\x1f)|drop\s+(?:table|database)\s+(?:if\s+exists\s+)?[a-z_.`"\[\]]+\s*(?:;|--|#)|update\s+[a-z_.`"\[\]]+\s+set\s+[a-z_.`"\[\]]+\s*=)"#,
    r#"['"]\s*(?:\|\||\+)\s*\(?\s*(?:select|sleep|pg_sleep|chr|char|concat)\b"#,
    r#"\b(?:exec|execute)\s+(?:master\.|xp_|sp_|\(|@)"#,
    r#"['"]\)*\s*(?:;|\)\s*;?)\s*(?:--|#|/\*)"#,
    r#"'\s*(?:=|<>|!=|<|>)\s*'|['"]\s*(?:or|and)\s+['"]?[a-z0-9]+['"]?\s*(?:=|<|>|<>|\blike\b)\s*['"]?[a-z0-9]"#,
    r"\blike\s+['\x22]%|\bprocedure\s+analyse\b|\binto\s+(?:out|dump)file\b|\bload\s+data\s+infile\b|\bdeclare\s+@|\bcollate\s+[a-z0-9_]+",
    r#"(?:^|[=\s(])-?\d+\s*(?:\)|'|")?\s*(?:or|and|xor|&&|\|\|)\s+(?:\d+|'[^']*'|"[^"]*")\s*(?:=|<|>|<>|!=)\s*(?:\d+|'[^']*'|"[^"]*")"#,
    // `or a=a`: a tautology on one-letter names (the regex crate has no back-references).
    r"(?:^|[\s(']|\x1f)(?:or|and)\s+(?:a\s*=\s*a|b\s*=\s*b|c\s*=\s*c|d\s*=\s*d|e\s*=\s*e|f\s*=\s*f|g\s*=\s*g|h\s*=\s*h|i\s*=\s*i|j\s*=\s*j|k\s*=\s*k|l\s*=\s*l|m\s*=\s*m|n\s*=\s*n|o\s*=\s*o|p\s*=\s*p|q\s*=\s*q|r\s*=\s*r|s\s*=\s*s|t\s*=\s*t|u\s*=\s*u|v\s*=\s*v|w\s*=\s*w|x\s*=\s*x|y\s*=\s*y|z\s*=\s*z)\b",
    // `or 1 --`, `or 1/*`, `or (exists …`, `or 'a' = n'a'`.
    r"(?:^|[\s(']|\x1f)or\s+(?:\d+\s*(?:--|#|/\*)|\(\s*exists\b|'[^'\x1f]{0,40}'\s*(?:=|<>|!=|<|>|\blike\b|\bin\b)\s*n?')",
    // sqlmap's boolean probes: `(CASE WHEN 5872=4974 THEN 1 ELSE NULL END)`,
    // `(4912=6276)*6905`.
    r"\bcase\s+when\s+\(?\s*\d+\s*(?:=|<>|<|>)\s*\d+|\(\s*\d+\s*=\s*\d+\s*\)\s*\*\s*\d+|\b(?:iif|elt|make_set)\s*\(\s*\d+\s*=\s*\d+\s*,",
    // Server variables, Oracle packages, MSSQL procedures.
    r"(?:^|[\s,(=]|\x1f)@@[a-z_]{3,}|\bprint\s+@|\bselect\s+@[a-z_]|\butl_(?:http|inaddr|file|smtp|tcp)\b|\bdbms_[a-z_]+\.",
    r"\b(?:exec|execute)\s+(?:xp|sp)\b",
];

const XSS: &[&str] = &[
    r"<\s*/?\s*script\b",
    r"(?:java|vb|live)\s*s\s*c\s*r\s*i\s*p\s*t\s*:|\bj\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:",
    r#"(?:^|[\s"'/;<>(`=]|\x1f)on(?:error|load|mouse[a-z]+|focus[a-z]*|blur|click|dblclick|animation[a-z]+|transition[a-z]+|toggle|pointer[a-z]+|begin|end|repeat|wheel|key[a-z]+|input|change|submit|reset|select|scroll|resize|unload|beforeunload|hashchange|message|pageshow|pagehide|popstate|drag[a-z]*|drop|copy|cut|paste|touch[a-z]+|contextmenu|auxclick|show|invalid|search|afterprint|beforeprint|loadstart|loadend|canplay[a-z]*|play|playing|pause|seeked|seeking|ended|durationchange|timeupdate|volumechange|readystatechange|afterscriptexecute|beforescriptexecute|start|finish|bounce|fullscreenchange|formdata|content[a-z]+|securitypolicyviolation)\s*="#,
    r"<\s*(?:img|svg|iframe|frame|frameset|body|object|embed|details|video|audio|source|track|input|textarea|select|button|form|isindex|keygen|math|style|link|meta|base|marquee|applet|xss|x|a|div|span|p|table|td|image|animate|set|foreignobject|template|noscript|noembed|xmp|plaintext|listing|dialog|picture|html|bgsound|layer|ilayer|portal|title)\b[^>]*?(?:[\s/]|\x1f)(?:on[a-z]+|src|href|xlink:href|formaction|action|data|style|background|dynsrc|lowsrc|srcdoc|attributename|values|from|to|by|poster|code|codebase)\s*=",
    r"<\s*(?:img|svg|iframe|frame|body|object|embed|details|video|audio|math|style|link|meta|base|marquee|applet|xss|isindex|dialog|template|plaintext|xmp|noscript)\b",
    r"document\.(?:cookie|domain|location|write|body|forms)|window\.(?:location|open|name)|\blocation\s*(?:\.href)?\s*=|\.innerhtml\s*=|\bself\[|\btop\[|\bparent\[|\bwindow\[|\bthis\[",
    r"\b(?:alert|prompt|confirm)\s*(?:\(|`|&#|\x1f#)|\b(?:eval|settimeout|setinterval|print)\s*(?:\(\s*(?:\)|['\x22`\d]|document\b|window\b|atob\b|location\b|string\.)|`)|\b(?:alert|prompt|confirm)\s*\.\s*(?:call|apply|bind)\b|\[\s*['\x22](?:alert|prompt|confirm)",
    r"string\.fromcharcode|\batob\s*\(|\bfetch\s*\(|\bimport\s*\(|\bnew\s+image\b|\bxmlhttprequest\b",
    r"\bexpression\s*\(|\burl\s*\(\s*['\x22]?\s*(?:java|vb)script:|-moz-binding|behavior\s*:|\bdata:(?:text/html|image/svg\+xml|application/(?:x-)?javascript)",
    r#"['"]\s*>\s*<|['"]\s*/?>\s*<\s*[a-z/!]|<!--\s*-?->|<!\[cdata\[|<\?xml\b|<!doctype\b"#,
    r"\{\{\s*constructor\.constructor|\$\{\s*alert|ng-(?:app|init|csp|bind-html)\b|\bx-(?:data|init|html)\s*=",
];

const TRAVERSAL: &[&str] = &[
    r"\.\.+[/\\;]",
    r"[/\\]\.\.+(?:$|[?&#;\x1f\s])",
    r"(?:^|[=\s:]|\x1f)\.\.+$|(?:^|[=\s:]|\x1f)\.\.+(?:\x1f|\s)",
    r"(?:^|[^a-z0-9_.-])/*etc/+(?:passwd|shadow|group|gshadow|hosts|issue|motd|hostname|resolv\.conf|crontab|fstab|sudoers|profile|bashrc|environment|networks?|apache2?|httpd|nginx|mysql|php[0-9.]*|ssh|ssl|init\.d|security|sysconfig|master\.passwd|pwd\.db|inetd\.conf|my\.cnf|redhat-release|lsb-release|os-release|debian_version|mtab|inittab|cron|syslog|rc\.d|ld\.so|aliases|exports|samba|vsftpd|proftpd|knockd|lighttpd|tomcat|nsswitch|pam\.d|login\.defs|timezone|machine-id|shells|updatedb\.conf|hosts\.(?:allow|deny)|x11|kubernetes|docker)\b",
    r"/proc/(?:self|\d+|thread-self)/|/proc/(?:version|cpuinfo|meminfo|mounts|net/|sched_debug|cmdline|partitions|modules|stat\b|interrupts|devices|filesystems|loadavg|kallsyms)",
    r"(?:^|[^a-z0-9_.-])/var/(?:log|lib/mysql|mail|spool/cron|run/secrets|www/html/(?:wp-config|\.env|config))|/(?:root|home/[a-z0-9_.-]+)/\.(?:ssh|bash_history|bashrc|profile|aws|docker|kube|mysql_history|viminfo|gnupg)|/usr/local/(?:etc|apache2?/conf|nginx/conf)|/opt/lampp/|/(?:bin|sbin|usr/bin)/(?:sh|bash|id|ls|cat|busybox)\b|/dev/(?:null|zero|random|tcp|shm|fd/)|/(?:tmp|run)/\.?[a-z]+\.(?:sock|pid)",
    r"\b(?:win|boot|system|php|my|desktop)\.ini\b|\b[a-z]:[\\/]+(?:windows|winnt|boot\.ini|inetpub|programdata|xampp|wamp|apache|php|mysql|system32|users\\+[^\\]+\\+(?:appdata|ntuser\.dat)|documents\s+and\s+settings|autoexec\.bat|config\.sys|pagefile\.sys|\$recycle\.bin)|[\\/]windows[\\/]+(?:system32|win\.ini|repair|panther|debug|temp|system\.ini|microsoft\.net)|\\winnt\\|system32[\\/]+(?:drivers|config|inetsrv|cmd)|\\inetpub\\|/inetpub/wwwroot|\bwindows/win\.ini",
    r"(?:^|[/\\=]|\x1f)(?:usr/local/)?(?:apache2?|httpd|nginx|lighttpd|xampp/apache)/(?:logs?/)?(?:access|error)[._-]?log\b|(?:^|[/\\=]|\x1f)logs?/(?:access|error)[._]log\b",
    r"(?:^|[/\\=]|\x1f)web-inf[/\\]+(?:web\.xml|classes|lib|[a-z-]+\.(?:xml|properties))|meta-inf[/\\]+(?:manifest\.mf|context\.xml)",
    r"(?:\.|%2e){2}(?:%2f|%5c|%c0%af|%c1%9c|%u2215|%u2216|%e0%80%af)",
    r"\.{3,}[/\\]|/\.\./|\\\.\.\\",
];

const INCLUSION: &[&str] = &[
    r"\b(?:php|zip|phar|expect|glob|compress\.(?:zlib|bzip2)|data|jar|netdoc|gopher|dict|ogg|rar|ssh2(?:\.[a-z]+)?|ldap|tftp)://",
    r"\bphp://(?:filter|input|fd|memory|temp|stdin)",
    r"\bfile:(?://|/[a-z]|\\\\|[a-z]:)",
    r"\bdata:(?:text/(?:plain|html)|application/x-httpd-php)?[;,](?:base64,)?",
    r"(?:[?&\x1f]|^)(?:page|file|filename|include|inc|path|template|tpl|dir|doc|document|folder|root|pg|style|pdf|lang|language|load|module|view|content|layout|conf|config|cat|action|board|date|detail|download|prefix|show|site|type|mod|name|url|src|source|read|read_file|pagina|p|f|main|home|body|nav|menu|site_path|abspath|base_path|mosconfig_absolute_path|rootpath|dirpath|path_to|include_path|incl|inc_path|lib|library)=\s*(?:https?|ftp|smb)://[^\x1f]*?(?:\?$|\?\x1f|\.(?:txt|php|inc|jpg|gif|png|sh|pl)(?:\?|%00|\x00|$|\x1f))",
    r"(?:[?&\x1f]|^)(?:page|file|filename|include|inc|path|template|tpl|dir|document|folder|root|pg|style|lang|language|load|module|layout|conf|config|incl|lib)=\s*(?:https?|ftp|smb)://",
    r"=\s*(?:https?|ftp)://[^\x1f\s]*\?$|=\s*(?:https?|ftp)://[^\x1f\s]+\.(?:txt|inc|sh)\?",
    r"169\.254\.169\.254|metadata\.google\.internal|\b100\.100\.100\.200\b|/latest/meta-data\b",
    r#"<!entity\b|<!doctype\s+[a-z]+\s*\[|\bsystem\s+['"](?:file|http|php|expect|jar|netdoc)"#,
    r"\\\\[a-z0-9.-]+(?:\.[a-z]{2,}|\d)\\[a-z$]",
];

/// Unix command names that mean nothing else in a query value.
const SHELL_CMDS: &str = r"whoami|uname|wget|curl|ncat|netcat|bash|zsh|ksh|tcsh|dash|busybox|chmod|chown|python[23]?|perl|ruby|nslookup|ifconfig|ipconfig|tftp|telnet|nmap|socat|printenv|hostname|netstat|crontab|useradd|usermod|xxd|md5sum|sha1sum|mkfifo|nohup|systeminfo|tasklist|taskkill|powershell|pwsh|certutil|bitsadmin|wmic|regsvr32|rundll32|mshta|cscript|wscript|netsh|schtasks|icacls|uptime|lsof|getent|passwd|sudo|killall|pkill|chattr|gcc|sleep|ping|/bin/[a-z]+|/usr/bin/[a-z]+|cmd(?:\.exe)?";
/// Short commands, ambiguous after a pipe that follows a word (`fields=name|id`).
const SHORT_CMDS: &str = r"id|ls|ps|env|pwd|nc|sh|php|node|lua|rm|w|ver|vol|dir";
/// Commands that are also English words: only with a shell-like argument.
const WORD_CMDS: &str = r"cat|echo|sleep|ping|dir|type|net|find|head|tail|more|less|sort|grep|awk|sed|dd|tee|kill|timeout|who|set|copy|del|erase|tar|cp|mv|touch|mkdir|cd|export|eval|exec|source|expr|printf|perl|python|ruby|node|base64|od|strings|file|stat|which|start|call";

const COMMAND: &[&str] = &[
    // `;whoami`, `| uname -a`, `$(curl …)`, `` `wget …` ``, `&& bash`, newline, `{cat,…}`.
    r"(?:[;|`\n{]|\$\(|&&|&)\s*(?:(?:/usr)?/s?bin/)?(?:SHELL)(?:$|[\s;|&`)<>'\x22,}\x1f$]|\.exe\b)",
    r"(?:[;`\n{]|\$\(|&&|\|\||&|[^a-z_\s]\s*\|)\s*(?:(?:/usr)?/s?bin/)?(?:SHORT)(?:$|[;|&`)<>'\x22,}\x1f$\n]|\s+[-/\\$.~'\x22%\d]|\s+[a-z]:[\\/]|\s+\|)",
    r"(?:[;|`\n{]|\$\(|&&|&)\s*(?:WORD)(?:\s+(?:-{1,2}[a-z]|/|\\|\$|\.\.?/|~|'|\x22|%|\d|[a-z]:[\\/]|[a-z0-9_.-]+\s*[|;>]|[a-z0-9_-]+\.(?:txt|ini|conf|log|php|sh|py|pl|exe|bat|cmd|ps1|dll|json|xml|cfg)))|(?:[;|`\n]|\$\(|&&|&)\s*(?:dir|set|ver|vol|cd)\s*(?:$|[\x1f&;|`\n])",
    r"\$\{ifs\}|\$ifs\b|\$\{ifs%|\{(?:cat|ls|id|wget|curl|nc|bash|sh|echo|ping|whoami|uname|cp|rm),|/\?\?\?/|\$@|\$\{path:0:1\}|\$\{home:0:1\}|\$\{9\}|\$\{@\}",
    r"/bin/(?:sh|bash|busybox|zsh|dash|ksh|csh|nc)\b|/usr/bin/(?:id|whoami|wget|curl|python[23]?|perl|nc|env|ruby|php)\b|\bcmd(?:\.exe)?\s*/[ck]\b|\bcmd\.exe\b|/dev/(?:tcp|udp)/|\bbash\s+-[ic]\b|\bsh\s+-c\b|\b(?:nc|ncat|netcat)\s+(?:-[a-z]*e\b|-[lvnp]+\s|[\d.]+\s+\d+)|\b(?:python[23]?|perl|ruby|php|node|lua)\s+-[erc]\s|\bbusybox\s+[a-z]",
    r"\b(?:wget|curl|tftp|fetch|lwp-download)\s+(?:-[a-z-]+\s+(?:[^\s-]\S*\s+)?)*(?:https?|ftp|tftp)://|\bcurl\s+-[a-z]*[fosdx]\b|\bwget\s+-[a-z]*[oq]\b|\|\s*(?:ba)?sh\b|\bchmod\s+(?:\+x|[0-7]{3,4})\s|\brm\s+-[rf]{1,2}\s",
    r"\bpowershell(?:\.exe)?\b[^\n]{0,60}\s-(?:e|en|enc|encodedcommand|c|command|nop|noprofile|w|windowstyle|exec|executionpolicy|ep|noni|sta|nologo)\b|\biex\s*\(|\binvoke-(?:expression|webrequest|restmethod|shellcode|mimikatz|command|item)\b|new-object\s+(?:system\.)?net\.(?:webclient|sockets)|\.download(?:string|file|data)\s*\(|\bstart-process\b|\bpowershell(?:\.exe)?\s+[-/$(]|\bpwsh\s+-",
    r"\bcertutil(?:\.exe)?\s+[-/](?:urlcache|decode|encode|f|split|verifyctl)\b|\bbitsadmin(?:\.exe)?\s+/(?:transfer|addfile|create)\b|\bmshta(?:\.exe)?\s+(?:https?|vbscript|javascript):|\bregsvr32(?:\.exe)?\s+/[siun]|\brundll32(?:\.exe)?\s+[a-z]|\bwmic(?:\.exe)?\s+(?:process|os|useraccount|shadowcopy|computersystem|/node)|%comspec%|%systemroot%|%windir%|(?:[;|&`\n]|^)\s*net1?\s+(?:user|localgroup|group|share|view|use|stop|start)\b|\bwhoami\s*/(?:all|priv|groups|user)|\bvssadmin\b|\bschtasks\s+/create|\breg\s+(?:add|query|delete|save)\s+hk|\bcscript\s+[^\s]+\.vbs|\bwscript\.shell\b",
    r">\s*/(?:dev/null|tmp/|var/www|var/tmp)|\b2>&1\b|;\s*exit\s*;|\|\s*(?:tee|nc|base64|xargs)\b|>\s*[a-z]:\\",
    r"<!--\s*#\s*(?:exec|include|echo|printenv|config|fsize|flastmod)\b",
];

/// Code or expression injection into PHP, Java (OGNL, SpEL, EL), templates, Node.js, Python.
const CODE: &[&str] = &[
    r"<\?(?:php\b|=)|<script\s+language\s*=\s*['\x22]?php",
    r#"\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function|call_user_func(?:_array)?|preg_replace|file_put_contents|fputs|fwrite|include|require|include_once|require_once|phpinfo|base64_decode|gzinflate|gzuncompress|str_rot13|unserialize|var_dump|print_r|var_export|highlight_file|show_source|file_get_contents|readfile|fopen|move_uploaded_file|array_map|array_filter|usort|ob_start|putenv)\s*\(\s*(?:['"$`)]|[a-z_]+\s*\(|\d|\x5c)"#,
    r"\b(?:shell_exec|passthru|proc_open|pcntl_exec|create_function|call_user_func(?:_array)?|base64_decode|gzinflate|gzuncompress|str_rot13|phpinfo|file_put_contents|move_uploaded_file|highlight_file|show_source|preg_replace)\s*\(",
    r"\$_(?:get|post|request|cookie|server|files|env|session)\b|\$globals\[",
    r"allow_url_include|auto_prepend_file|auto_append_file|\bsafe_mode\s*=|disable_functions\s*=|open_basedir\s*=|suhosin\.simulation",
    r#"\{\{\s*-?\d+\s*[*+/-]\s*['"]?\d+['"]?\s*\}\}|\$\{\s*-?\d+\s*[*+/-]\s*\d+\s*\}|#\{\s*-?\d+\s*[*+/-]\s*\d+\s*\}|<%=?\s*-?\d+\s*[*+/-]\s*\d+\s*%>|\{\{=\s*\d|@\(\s*\d+\s*[*+]\s*\d+\s*\)|\$\{\{\s*\d+|\{\s*\d+\s*\*\s*\d+\s*\}\}|\[\[\s*\$\{|\{\#?\s*\d+\s*\*\s*\d+\s*\}"#,
    r"\{\{[^}]{0,120}(?:__class__|__globals__|__builtins__|__import__|__subclasses__|__mro__|__init__|__dict__|config\.items|self\.|request\.(?:application|environ|args)|lipsum|cycler|joiner|url_for|get_flashed_messages|popen|subprocess|os\.|range\.constructor|constructor|_self\.env|\|\s*(?:attr|map|join|filter)\b|settings\.secret)",
    r"\b__(?:class|globals|builtins|import|subclasses|mro|init|dict|bases|base|reduce|getattribute)__\b",
    r"\{%\s*(?:import|include|set|for|if|debug|print|extends|block|macro|raw|load|with|autoescape)\b|<#(?:assign|list|if|include|import|macro)\b|freemarker\.template\.utility|\?new\s*\(\)|#set\s*\(\s*\$|\$class\.inspect|#foreach\s*\(|\{php\}|\{\$smarty\.|\{\s*system\s*\(|\{\s*(?:exec|passthru)\s*\(",
    r"[%$#]\{\s*\(?\s*#[a-z_]|#_?memberaccess|@java\.lang\.|#context\[|ognlutil|@ognl\.|#attr\[|#request\[|#parameters\.|#application\[|#session\[|\bognl\b",
    r"\bt\s*\(\s*java\.|new\s+java\.(?:lang|io|util|net|nio)\.|java\.lang\.(?:runtime|processbuilder|system|class|thread)|\.getruntime\s*\(\s*\)|\.forname\s*\(|\.getclass\s*\(\s*\)|\.getmethod\s*\(|\.newinstance\s*\(|\bprocessbuilder\b|\bscriptengine(?:manager)?\b|javax\.script|\.exec\s*\(\s*['\x22]",
    r"\$\{\s*(?:applicationscope|sessionscope|requestscope|pagecontext|facescontext|initparam|header|cookie|param|pagescope)\b|\$\{\s*t\s*\(|\*\{\s*t\s*\(|\$\{\s*(?:new|class|runtime|system)\b|\$\{\s*['\x22][^}]*['\x22]\s*\.\s*(?:getclass|class)\b",
    r#"require\s*\(\s*['"`]child_process|child_process|process\.mainmodule|\.constructor\.constructor\s*\(|\bglobal\.process\b|\bprocess\.(?:env|binding|kill|exit)\b|\bexecsync\s*\(|\bspawnsync\s*\(|\bfunction\s*\(\s*\)\s*\{\s*return\s+(?:process|this)\b|\bthis\.constructor\b|\bnew\s+function\s*\("#,
    r#"__import__\s*\(|\bos\.(?:system|popen|exec[a-z]*|spawn[a-z]*)\s*\(|\bsubprocess\.(?:call|popen|run|check_output|getoutput)|\beval\s*\(\s*compile\s*\(|\bexec\s*\(\s*['"]|\bimportlib\b|\bpickle\.loads\b|\byaml\.load\b"#,
    r"<%=?\s*(?:`|system\b|exec\b|%x|io\.popen|file\.open|open3|kernel\.|runtime)|\bkernel\.(?:system|exec|spawn)|\b%x\(|\bio\.popen\b|\binstance_eval\b|\bclass_eval\b",
    // LDAP filter injection: `*(|(objectclass=*))`, `*)(uid=*))(|(uid=*`.
    r"\(\s*[|&!]\s*\(\s*[a-z][a-z0-9-]*\s*[~<>]?=|\*\s*\)\s*\(\s*[a-z][a-z0-9-]*\s*=\s*\*",
    r"\$\{\s*(?:script|groovy|js|javascript|url|dns)\s*:|\bgroovy\.lang\b|\bexecute\s*\(\s*\)\s*\.text\b|'\s*\.execute\s*\(\s*\)",
];

/// HTTP response splitting and request smuggling carried in the request target.
const PROTOCOL: &[&str] = &[
    r"\n\s*(?:set-cookie|location|content-(?:type|length|disposition)|transfer-encoding|refresh|x-[a-z-]+|access-control-[a-z-]+|host)\s*:",
    r"\shttp/[12](?:\.[01])?\s*\n|\n\s*(?:get|post|put|head|delete|options|trace|connect)\s+/[^\s]*\s+http/",
];

const JNDI: &[&str] = &[
    r"\$\{\s*jndi\s*:",
    r"\bjndi\s*:\s*(?:ldaps?|rmi|dns|iiop|nis|nds|corba|http)\b",
    r"\$\{\s*(?:env|sys|java|main|ctx|docker|k8s|spring|web|bundle|log4j|base64|date|marker|map|sd|jvmrunargs|event|lower|upper)\s*:",
];

/// Triggers of the expensive stage: SQL/script/shell keywords in the raw target. Keep
/// every keyword at least two bytes long: the automaton's SIMD prefilter fingerprints
/// the shortest pattern's length.
const KEYWORDS: &[&str] = &[
    "select",
    "union",
    "sleep",
    "benchmark",
    "waitfor",
    "insert",
    "drop",
    "delete",
    " or ",
    "+or+",
    " and ",
    "+and+",
    "passwd",
    "win.ini",
    "boot.ini",
    "jndi",
    "php:",
    "file:",
    "data:",
    "expect:",
    "phar:",
    "zip:",
    "script",
    "onerror",
    "onload",
    "alert",
    "prompt",
    "etc/",
    "proc/",
    "information_schema",
    "@@",
    "0x",
    "cmd",
    "exec",
    "system",
    "eval",
    "wget",
    "curl",
    "bin/",
    "invokefunction",
    "call_user",
    "classloader",
    "base64",
    "ifs",
    "order+by",
    "order by",
    "concat",
    "chr(",
    "://",
    "&&",
    "allow_url",
    "c:/",
    "?-s",
    "?-d",
    "/var/",
    "/root/",
    "/.ssh",
    "web-inf",
    "sp_",
    "xp_",
    "--",
];

/// Triggers in the path alone (no query string): the payloads that need no special byte.
const PATH_KEYWORDS: &[&str] = &[
    "etc/passwd",
    "etc/shadow",
    "etc/hosts",
    "proc/self",
    "/bin/",
    "win.ini",
    "boot.ini",
    "jndi",
    "invokefunction",
    "classloader",
    "php:",
    "file:",
    "data:",
    "expect:",
    "phar:",
    "zip:",
    "cmd.exe",
    "system32",
    "/etc/",
    "/proc/",
    "/var/log/",
    "/root/",
];

/// Bytes that never appear in ordinary paths and queries of benign traffic: quotes,
/// brackets, shell and template metacharacters, `%` escapes, controls and non-ASCII.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i < 0x20 || i >= 0x7f;
        i += 1;
    }
    let specials = b"%'\"<>();|`${\\*#";
    let mut j = 0;
    while j < specials.len() {
        t[specials[j] as usize] = true;
        j += 1;
    }
    t
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    /// Anywhere in the path.
    Anywhere,
    /// The path ends with the pattern.
    End,
    /// The pattern is followed by the end, `/`, `.` or `~`.
    Segment,
}

/// Probe paths: (pattern, kind, where). Patterns are lower-case.
const PROBES: &[(&str, AttackKind, Where)] = &[
    // Secrets and repositories.
    ("/.env", AttackKind::SensitiveFile, Where::Segment),
    ("/.git", AttackKind::SensitiveFile, Where::Segment),
    ("/.svn", AttackKind::SensitiveFile, Where::Segment),
    ("/.hg", AttackKind::SensitiveFile, Where::Segment),
    ("/.bzr", AttackKind::SensitiveFile, Where::Segment),
    ("/.ds_store", AttackKind::SensitiveFile, Where::Segment),
    ("/.aws/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.ssh/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.docker", AttackKind::SensitiveFile, Where::Segment),
    ("/.htpasswd", AttackKind::SensitiveFile, Where::Segment),
    ("/.htaccess", AttackKind::SensitiveFile, Where::Segment),
    ("/.npmrc", AttackKind::SensitiveFile, Where::Segment),
    ("/.dockerenv", AttackKind::SensitiveFile, Where::Segment),
    ("/.gitignore", AttackKind::SensitiveFile, Where::Segment),
    ("/.gitconfig", AttackKind::SensitiveFile, Where::Segment),
    ("/.envrc", AttackKind::SensitiveFile, Where::Segment),
    ("/.kube/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.pypirc", AttackKind::SensitiveFile, Where::Segment),
    ("/.netrc", AttackKind::SensitiveFile, Where::Segment),
    ("/.s3cfg", AttackKind::SensitiveFile, Where::Segment),
    ("/.boto", AttackKind::SensitiveFile, Where::Segment),
    ("/.azure/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.config/gcloud", AttackKind::SensitiveFile, Where::Segment),
    ("/.yarnrc", AttackKind::SensitiveFile, Where::Segment),
    ("/.user.ini", AttackKind::SensitiveFile, Where::Segment),
    ("/php.ini", AttackKind::SensitiveFile, Where::Segment),
    ("/.bashrc", AttackKind::SensitiveFile, Where::Segment),
    ("/.zsh_history", AttackKind::SensitiveFile, Where::Segment),
    ("/.mysql_history", AttackKind::SensitiveFile, Where::Segment),
    ("/.psql_history", AttackKind::SensitiveFile, Where::Segment),
    ("/.viminfo", AttackKind::SensitiveFile, Where::Segment),
    ("/id_ecdsa", AttackKind::SensitiveFile, Where::Segment),
    ("/id_ed25519", AttackKind::SensitiveFile, Where::Segment),
    (
        "/authorized_keys",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/known_hosts", AttackKind::SensitiveFile, Where::Segment),
    ("/cvs/entries", AttackKind::SensitiveFile, Where::Segment),
    ("/thumbs.db", AttackKind::SensitiveFile, Where::End),
    // Editor, IDE and AI-assistant configuration (tokens, MCP server secrets).
    ("/.cursor", AttackKind::SensitiveFile, Where::Segment),
    ("/.claude", AttackKind::SensitiveFile, Where::Segment),
    ("/.windsurf", AttackKind::SensitiveFile, Where::Segment),
    ("/.codeium", AttackKind::SensitiveFile, Where::Segment),
    ("/.continue", AttackKind::SensitiveFile, Where::Segment),
    ("/.aider", AttackKind::SensitiveFile, Where::Segment),
    ("/.roo", AttackKind::SensitiveFile, Where::Segment),
    ("/.cline", AttackKind::SensitiveFile, Where::Segment),
    ("/.gemini", AttackKind::SensitiveFile, Where::Segment),
    ("/.mcp", AttackKind::SensitiveFile, Where::Segment),
    ("/mcp.json", AttackKind::SensitiveFile, Where::End),
    (
        "/claude_desktop_config.json",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/.ftpconfig", AttackKind::SensitiveFile, Where::Segment),
    (
        "/.remote-sync.json",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    // CI and infrastructure state.
    (
        "/.github/workflows/",
        AttackKind::SensitiveFile,
        Where::Anywhere,
    ),
    ("/.gitlab-ci.yml", AttackKind::SensitiveFile, Where::Segment),
    ("/.travis.yml", AttackKind::SensitiveFile, Where::Segment),
    ("/.circleci/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.drone.yml", AttackKind::SensitiveFile, Where::Segment),
    (
        "/bitbucket-pipelines.yml",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    (
        "/terraform.tfstate",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/.terraform", AttackKind::SensitiveFile, Where::Segment),
    ("/secrets.json", AttackKind::SensitiveFile, Where::Segment),
    ("/secrets.yml", AttackKind::SensitiveFile, Where::Segment),
    ("/appsettings", AttackKind::SensitiveFile, Where::Segment),
    ("/settings.py", AttackKind::SensitiveFile, Where::Segment),
    ("/.flaskenv", AttackKind::SensitiveFile, Where::Segment),
    ("/wp-config", AttackKind::SensitiveFile, Where::Segment),
    ("/phpinfo", AttackKind::SensitiveFile, Where::Segment),
    ("/debug/pprof", AttackKind::SensitiveFile, Where::Segment),
    ("/debug/vars", AttackKind::SensitiveFile, Where::Segment),
    ("/dockerfile", AttackKind::SensitiveFile, Where::End),
    ("/yarn.lock", AttackKind::SensitiveFile, Where::End),
    ("/composer.json", AttackKind::SensitiveFile, Where::End),
    ("/composer.lock", AttackKind::SensitiveFile, Where::End),
    ("/package.json", AttackKind::SensitiveFile, Where::End),
    ("/config.yml", AttackKind::SensitiveFile, Where::End),
    ("/config.yaml", AttackKind::SensitiveFile, Where::End),
    ("/.vscode/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.idea/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.bash_history", AttackKind::SensitiveFile, Where::Segment),
    ("/id_rsa", AttackKind::SensitiveFile, Where::Segment),
    ("/id_dsa", AttackKind::SensitiveFile, Where::Segment),
    ("/wp-config.php", AttackKind::SensitiveFile, Where::Segment),
    (
        "/configuration.php",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/config.php", AttackKind::SensitiveFile, Where::Segment),
    (
        "/localsettings.php",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/web.config", AttackKind::SensitiveFile, Where::Segment),
    ("/web-inf/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/meta-inf/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/phpinfo.php", AttackKind::SensitiveFile, Where::Segment),
    ("/info.php", AttackKind::SensitiveFile, Where::Segment),
    ("/server-status", AttackKind::SensitiveFile, Where::Segment),
    ("/server-info", AttackKind::SensitiveFile, Where::Segment),
    ("/actuator", AttackKind::SensitiveFile, Where::Segment),
    ("/jolokia", AttackKind::SensitiveFile, Where::Segment),
    ("/elmah.axd", AttackKind::SensitiveFile, Where::Segment),
    ("/trace.axd", AttackKind::SensitiveFile, Where::Segment),
    ("/storage/logs/", AttackKind::SensitiveFile, Where::Anywhere),
    (
        "/sftp-config.json",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    (
        "/docker-compose.yml",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    (
        "/docker-compose.yaml",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/database.yml", AttackKind::SensitiveFile, Where::Segment),
    ("/credentials", AttackKind::SensitiveFile, Where::Segment),
    ("/_profiler", AttackKind::SensitiveFile, Where::Segment),
    (
        "/debug/default/view",
        AttackKind::SensitiveFile,
        Where::Anywhere,
    ),
    ("/_ignition/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/telescope/", AttackKind::SensitiveFile, Where::Anywhere),
    (".bak", AttackKind::SensitiveFile, Where::End),
    (".backup", AttackKind::SensitiveFile, Where::End),
    (".old", AttackKind::SensitiveFile, Where::End),
    (".orig", AttackKind::SensitiveFile, Where::End),
    (".save", AttackKind::SensitiveFile, Where::End),
    (".swp", AttackKind::SensitiveFile, Where::End),
    (".sql", AttackKind::SensitiveFile, Where::End),
    (".sql.gz", AttackKind::SensitiveFile, Where::End),
    (".sqlite", AttackKind::SensitiveFile, Where::End),
    (".sqlite3", AttackKind::SensitiveFile, Where::End),
    (".mdb", AttackKind::SensitiveFile, Where::End),
    (".php.bak", AttackKind::SensitiveFile, Where::Anywhere),
    (".pem", AttackKind::SensitiveFile, Where::End),
    (".key", AttackKind::SensitiveFile, Where::End),
    (".php~", AttackKind::SensitiveFile, Where::End),
    // Admin panels, installers, appliance and CMS fingerprints.
    ("/phpmyadmin", AttackKind::AdminProbe, Where::Segment),
    ("/pma/", AttackKind::AdminProbe, Where::Anywhere),
    ("/myadmin/", AttackKind::AdminProbe, Where::Anywhere),
    ("/mysqladmin", AttackKind::AdminProbe, Where::Segment),
    ("/mysql/admin", AttackKind::AdminProbe, Where::Segment),
    ("/dbadmin", AttackKind::AdminProbe, Where::Segment),
    ("/adminer", AttackKind::AdminProbe, Where::Segment),
    (
        "/wp-admin/setup-config.php",
        AttackKind::AdminProbe,
        Where::Segment,
    ),
    (
        "/wp-admin/install.php",
        AttackKind::AdminProbe,
        Where::Segment,
    ),
    (
        "/wp-includes/wlwmanifest.xml",
        AttackKind::AdminProbe,
        Where::Segment,
    ),
    (
        "/wp-content/plugins/wp-file-manager/",
        AttackKind::AdminProbe,
        Where::Anywhere,
    ),
    ("/install.php", AttackKind::AdminProbe, Where::Segment),
    ("/admin.php", AttackKind::AdminProbe, Where::End),
    ("/upload.php", AttackKind::AdminProbe, Where::End),
    ("/test.php", AttackKind::AdminProbe, Where::End),
    ("/i.php", AttackKind::AdminProbe, Where::End),
    ("/login.action", AttackKind::AdminProbe, Where::End),
    ("/setup.php", AttackKind::AdminProbe, Where::Segment),
    ("/manager/html", AttackKind::AdminProbe, Where::Segment),
    ("/solr/admin", AttackKind::AdminProbe, Where::Segment),
    ("/cgi-bin/", AttackKind::AdminProbe, Where::Anywhere),
    ("/hnap1", AttackKind::AdminProbe, Where::Segment),
    ("/boaform/", AttackKind::AdminProbe, Where::Anywhere),
    ("/owa/auth/", AttackKind::AdminProbe, Where::Anywhere),
    ("/ecp/", AttackKind::AdminProbe, Where::Anywhere),
    ("/autodiscover/", AttackKind::AdminProbe, Where::Anywhere),
    ("/remote/fgt_lang", AttackKind::AdminProbe, Where::Segment),
    ("/dana-na/", AttackKind::AdminProbe, Where::Anywhere),
    ("/mifs/", AttackKind::AdminProbe, Where::Anywhere),
    ("/geoserver/", AttackKind::AdminProbe, Where::Anywhere),
    ("/nacos/", AttackKind::AdminProbe, Where::Anywhere),
    ("/struts2-showcase", AttackKind::AdminProbe, Where::Segment),
    ("/administrator/", AttackKind::AdminProbe, Where::Anywhere),
    ("/vendor/phpunit/", AttackKind::AdminProbe, Where::Anywhere),
    ("/console/", AttackKind::AdminProbe, Where::Anywhere),
    ("/jmx-console", AttackKind::AdminProbe, Where::Segment),
    ("/scripttext", AttackKind::AdminProbe, Where::Segment),
    ("/jenkins/script", AttackKind::AdminProbe, Where::Segment),
    ("/web-console", AttackKind::AdminProbe, Where::Segment),
    (
        "/xdebug_session_start",
        AttackKind::AdminProbe,
        Where::Anywhere,
    ),
    // Known web-shell names.
    ("/shell.php", AttackKind::Webshell, Where::Segment),
    ("/cmd.php", AttackKind::Webshell, Where::Segment),
    ("/c99.php", AttackKind::Webshell, Where::Segment),
    ("/r57.php", AttackKind::Webshell, Where::Segment),
    ("/wso.php", AttackKind::Webshell, Where::Segment),
    ("/alfa.php", AttackKind::Webshell, Where::Segment),
    ("/b374k", AttackKind::Webshell, Where::Anywhere),
    ("/webshell", AttackKind::Webshell, Where::Anywhere),
    ("/indoxploit", AttackKind::Webshell, Where::Anywhere),
    ("/priv8.php", AttackKind::Webshell, Where::Segment),
    ("/wso2.php", AttackKind::Webshell, Where::Segment),
    ("/shell.aspx", AttackKind::Webshell, Where::Segment),
    ("/cmd.aspx", AttackKind::Webshell, Where::Segment),
    ("/cmd.asp", AttackKind::Webshell, Where::Segment),
    ("/shell.jsp", AttackKind::Webshell, Where::Segment),
    ("/cmd.jsp", AttackKind::Webshell, Where::Segment),
];

/// Directories where uploaded files land: a script executed there is a web shell.
const UPLOAD_DIRS: &[&str] = &[
    "/uploads/",
    "/upload/",
    "/wp-content/uploads/",
    "/images/",
    "/img/",
    "/files/",
    "/tmp/",
    "/media/",
    "/cache/",
    "/assets/",
    "/static/",
    "/attachments/",
    "/userfiles/",
    // IIS ships only static files here; ProxyLogon/ProxyShell dropped .aspx shells in it.
    "/aspnet_client/",
];
const SCRIPT_EXT: &[&str] = &[
    ".php", ".phtml", ".php5", ".php7", ".phar", ".jsp", ".jspx", ".asp", ".aspx", ".ashx", ".cgi",
];

/// Vulnerability scanners and attack tools that name themselves in the User-Agent.
const SCANNERS: &[&str] = &[
    "sqlmap",
    "nikto",
    "nuclei",
    "zgrab",
    "masscan",
    "nmap",
    "wpscan",
    "acunetix",
    "netsparker",
    "invicti",
    "appscan",
    "burpsuite",
    "burp collaborator",
    "owasp zap",
    "zaproxy",
    "dirbuster",
    "gobuster",
    "feroxbuster",
    "ffuf",
    "fuzz faster",
    "wfuzz",
    "hydra",
    "medusa",
    "havij",
    "w3af",
    "openvas",
    "nessus",
    "qualys",
    "l9scan",
    "leakix",
    "zmeu",
    "morfeus",
    "jorgee",
    "commix",
    "xsstrike",
    "arachni",
    "skipfish",
    "whatweb",
    "joomscan",
    "droopescan",
    "cmsmap",
    "wapiti",
    "webinspect",
    "metasploit",
    "sqlninja",
    "pangolin",
    "bsqlbf",
    "censysinspect",
    "dirb/",
    "(hydra)",
    "fimap",
    "grabber",
    "brutus",
    "xss_scan",
    "struts-pwn",
    "log4j-scan",
    "webshag",
    "sslyze",
];

/// The compiled patterns. Build once, share across threads.
#[derive(Debug)]
pub struct WebClassifier {
    keywords: AhoCorasick,
    dots: memchr::memmem::Finder<'static>,
    xdebug: memchr::memmem::Finder<'static>,
    path_keywords: AhoCorasick,
    header_triggers: AhoCorasick,
    /// [`PROBES`] followed by the path anchors of [`EXPLOITS`] (kind `KnownExploit`).
    probe_table: Vec<(AttackKind, Where)>,
    probes: AhoCorasick,
    scanners: AhoCorasick,
    /// Every kind's patterns in one set (one pass over the text), most severe kind
    /// first; `kinds[i]` is the kind of pattern `i`.
    all: RegexSet,
    kinds: Vec<AttackKind>,
    /// The command patterns again, for the text with shell quoting removed.
    command_squeezed: RegexSet,
    jndi_unwrap: Regex,
    exploit_anchors: AhoCorasick,
    exploit_res: Vec<BytesRegex>,
    /// The key of the clean-target memory's hash ([`CleanTargets`]).
    clean_key: std::hash::RandomState,
}

impl Default for WebClassifier {
    fn default() -> Self {
        Self::new()
    }
}

/// Compiles patterns ASCII-only (`(?-u)`: `\b`, `\s`, `\d` on ASCII) over bytes, which
/// keeps the lazy DFA on non-ASCII input (percent-encoded Japanese queries); Unicode
/// word boundaries would send such input to the much slower PikeVM.
fn ascii<S: AsRef<str>>(p: S) -> String {
    format!("(?-u){}", p.as_ref())
}

fn owned(patterns: &[&str]) -> Vec<String> {
    patterns.iter().map(|p| (*p).to_owned()).collect()
}

fn set<S: AsRef<str>>(patterns: &[S]) -> RegexSet {
    #[allow(clippy::expect_used)]
    RegexSet::new(patterns.iter().map(ascii)).expect("built-in attack patterns compile")
}

/// The command patterns with the command lists filled in.
fn command_patterns() -> Vec<String> {
    COMMAND
        .iter()
        .map(|p| {
            p.replace("SHELL", SHELL_CMDS)
                .replace("SHORT", SHORT_CMDS)
                .replace("WORD", WORD_CMDS)
        })
        .collect()
}

/// Whether an exploit anchor is reached without the injection trigger: no byte of
/// [`SPECIAL`], so it must be found by the path or keyword automata.
fn plain_anchor(a: &str) -> bool {
    a.len() >= 5 && !a.bytes().any(|b| SPECIAL[usize::from(b)])
}

impl WebClassifier {
    /// Compiles the built-in patterns.
    #[allow(clippy::expect_used)]
    pub fn new() -> WebClassifier {
        // Patterns are lower-case and matched against lower-cased input, which keeps
        // the SIMD prefilter available (case-insensitive automata lose it).
        let ci = |pats: &[&str]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(pats.iter().map(|p| p.to_ascii_lowercase()))
                .expect("built-in literal patterns compile")
        };
        // Exploit anchors: those of a path go into the probe automaton (run on every
        // path anyway), those of a query into the keyword automaton.
        let mut probe_pats: Vec<String> = PROBES.iter().map(|p| p.0.to_owned()).collect();
        let mut probe_table: Vec<(AttackKind, Where)> = PROBES.iter().map(|p| (p.1, p.2)).collect();
        let mut keywords: Vec<&str> = KEYWORDS.to_vec();
        for e in EXPLOITS.iter().filter(|e| plain_anchor(e.anchor)) {
            // The probe automaton keeps its start-byte prefilter only while every
            // pattern starts with `/` or `.`: other anchors go to the keywords.
            if e.anchor.starts_with(['/', '.']) && !e.anchor.contains(['?', '=']) {
                probe_pats.push(e.anchor.to_owned());
                probe_table.push((AttackKind::KnownExploit, Where::Anywhere));
            } else if !keywords.contains(&e.anchor) {
                keywords.push(e.anchor);
            }
        }
        // Overlapping search cannot use a prefilter: a full DFA is the fastest walk.
        let probes = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&probe_pats)
            .expect("built-in literal patterns compile");
        let commands = command_patterns();
        // Most severe first: the first kind that matches names the request.
        let groups: [(AttackKind, Vec<String>); 8] = [
            (AttackKind::Jndi, owned(JNDI)),
            (AttackKind::CommandInjection, commands.clone()),
            (AttackKind::CodeInjection, owned(CODE)),
            (AttackKind::FileInclusion, owned(INCLUSION)),
            (AttackKind::Sqli, owned(SQLI)),
            (AttackKind::PathTraversal, owned(TRAVERSAL)),
            (AttackKind::ProtocolAttack, owned(PROTOCOL)),
            (AttackKind::Xss, owned(XSS)),
        ];
        let mut all = Vec::new();
        let mut kinds = Vec::new();
        for (kind, pats) in groups {
            kinds.extend(std::iter::repeat_n(kind, pats.len()));
            all.extend(pats);
        }
        WebClassifier {
            keywords: ci(&keywords),
            dots: memchr::memmem::Finder::new(b"..").into_owned(),
            xdebug: memchr::memmem::Finder::new(b"XDEBUG_SESSION_START").into_owned(),
            path_keywords: ci(PATH_KEYWORDS),
            header_triggers: ci(&["${", "%24%7b", "%24{", "$%7b", "() {", "()%20{", "jndi:"]),
            probe_table,
            probes,
            scanners: ci(SCANNERS),
            all: set(&all),
            kinds,
            command_squeezed: set(&commands),
            jndi_unwrap: Regex::new(r"\$\{(?:lower:|upper:|::-|[a-z]+:[^:}]*:-)([^${}]*)\}")
                .expect("built-in pattern compiles"),
            exploit_anchors: AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(EXPLOITS.iter().map(|e| e.anchor))
                .expect("built-in literal patterns compile"),
            exploit_res: EXPLOITS
                .iter()
                .map(|e| {
                    BytesRegex::new(&ascii(format!("(?m){}", e.pattern))).expect("exploit pattern")
                })
                .collect(),
            clean_key: std::hash::RandomState::new(),
        }
    }

    /// Classifies a request; `None` for ordinary traffic.
    pub fn classify(
        &self,
        method: &[u8],
        uri: &[u8],
        user_agent: &[u8],
        referer: &[u8],
    ) -> Option<WebHit> {
        // Requests repeat (pages, assets, health checks): a request target already
        // found clean is clean again, and skips the automata.
        let hash = self.clean_hash(method, uri);
        let clean = CLEAN.with_borrow(|c| c.contains(hash));
        let mut exploits_checked = false;
        if !clean && let Some(hit) = self.injection(method, uri, &mut exploits_checked) {
            return Some(hit);
        }
        // Log4Shell and Shellshock arrive in headers as often as in the URL.
        let agent = self.user_agent(user_agent);
        for (header, suspicious) in [
            (user_agent, agent.suspicious),
            (referer, self.header_suspicious(referer)),
        ] {
            if suspicious && let Some(hit) = self.injection_in(method, header, true) {
                return Some(hit);
            }
        }
        if !clean {
            if let Some(hit) = self.probe(method, uri, exploits_checked) {
                return Some(hit);
            }
            CLEAN.with_borrow_mut(|c| c.insert(hash));
        }
        if let Some(name) = agent.scanner {
            return Some(WebHit {
                kind: AttackKind::Scanner,
                detail: format!("scanner user agent: {name}"),
                reference: None,
            });
        }
        None
    }

    fn injection(&self, method: &[u8], uri: &[u8], checked: &mut bool) -> Option<WebHit> {
        let triggered = uri.iter().any(|&b| SPECIAL[usize::from(b)])
            || self.dots.find(uri).is_some()
            || match memchr::memchr(b'?', uri) {
                // `;` starts a shell command in a query value (in a path it is a
                // matrix parameter such as `;jsessionid=`).
                Some(q) => {
                    memchr::memchr(b';', &uri[q..]).is_some()
                        || with_lower(uri, |u| {
                            self.keywords.is_match(u) || self.path_keywords.is_match(&u[..q])
                        })
                }
                None => with_lower(uri, |u| self.path_keywords.is_match(u)),
            };
        if !triggered {
            return None;
        }
        *checked = true;
        self.injection_in(method, uri, false)
    }

    /// The clean-target memory's hash of a request target. The method's length comes
    /// first, so that no method and URI hash as another pair whose bytes join the same.
    fn clean_hash(&self, method: &[u8], uri: &[u8]) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = self.clean_key.build_hasher();
        h.write_usize(method.len());
        h.write(method);
        h.write(uri);
        h.finish()
    }

    /// Whether a header may carry an injection (JNDI lookups, Shellshock).
    fn header_suspicious(&self, header: &[u8]) -> bool {
        memchr::memchr3(b'$', b'%', b'{', header).is_some()
            && with_lower(header, |h| self.header_triggers.is_match(h))
    }

    /// What a User-Agent says: the scanner it names, and whether it may carry an
    /// injection. User agents repeat a lot, so answers are cached per thread (bounded).
    fn user_agent(&self, ua: &[u8]) -> Agent {
        thread_local! {
            static CACHE: std::cell::RefCell<hashbrown::HashMap<Box<[u8]>, Agent>> =
                std::cell::RefCell::new(hashbrown::HashMap::new());
        }
        if ua.is_empty() {
            return Agent::default();
        }
        CACHE.with_borrow_mut(|map| {
            if let Some(hit) = map.get(ua) {
                return *hit;
            }
            let agent = Agent {
                scanner: with_lower(ua, |l| self.scanners.find(l))
                    .map(|m| SCANNERS[m.pattern().as_usize()]),
                suspicious: self.header_suspicious(ua),
            };
            if map.len() >= 8192 {
                map.clear();
            }
            map.insert(ua.into(), agent);
            agent
        })
    }

    fn injection_in(&self, method: &[u8], raw: &[u8], header: bool) -> Option<WebHit> {
        let mut text = normalize(raw, 3);
        if text.contains("&#") || text.contains("\u{1f}#") || text.contains("&lt") {
            text = html_entities(&text);
        }
        if let Some(hit) = self.exploit(method, raw, &text, header) {
            return Some(hit);
        }
        if text.contains("${") {
            // ${${lower:j}ndi:…} → ${jndi:…}
            for _ in 0..4 {
                let next = self.jndi_unwrap.replace_all(&text, "$1").into_owned();
                if next == text {
                    break;
                }
                text = next;
            }
        }
        // In headers only the kinds that really arrive there.
        let allowed =
            |k: AttackKind| !header || matches!(k, AttackKind::Jndi | AttackKind::CommandInjection);
        let mut kind = self
            .all
            .matches(text.as_bytes())
            .iter()
            .map(|i| self.kinds[i])
            .find(|k| allowed(*k));
        if !matches!(kind, Some(AttackKind::Jndi | AttackKind::CommandInjection))
            && squeeze_shell(&text).is_some_and(|s| self.command_squeezed.is_match(s.as_bytes()))
        {
            kind = Some(AttackKind::CommandInjection);
        }
        kind.map(|kind| WebHit {
            kind,
            detail: truncate(&shown(&text), 160),
            reference: (kind == AttackKind::Jndi).then_some(LOG4SHELL),
        })
    }

    /// The first row of [`EXPLOITS`] the request matches. `text` is the normalised
    /// form of `raw`; `header` when `raw` is a User-Agent or Referer.
    fn exploit(&self, method: &[u8], raw: &[u8], text: &str, header: bool) -> Option<WebHit> {
        let method = String::from_utf8_lossy(method).to_ascii_lowercase();
        let hay = if header {
            format!("hdr {text}\n")
        } else {
            format!(
                "{method} {}\n{method} {text}\n",
                String::from_utf8_lossy(raw).to_ascii_lowercase()
            )
        };
        let mut candidates = [false; 128];
        let mut any = false;
        for m in self.exploit_anchors.find_overlapping_iter(&hay) {
            if let Some(c) = candidates.get_mut(m.pattern().as_usize()) {
                *c = true;
                any = true;
            }
        }
        if !any {
            return None;
        }
        let i = EXPLOITS.iter().enumerate().position(|(i, e)| {
            candidates.get(i).copied().unwrap_or(false)
                && (!header || e.headers)
                && self.exploit_res[i].is_match(hay.as_bytes())
        })?;
        let e = &EXPLOITS[i];
        Some(WebHit {
            kind: AttackKind::KnownExploit,
            detail: truncate(&format!("{} {}: {}", e.id, e.product, shown(text)), 200),
            reference: Some(e.id),
        })
    }

    fn probe(&self, method: &[u8], uri: &[u8], exploits_checked: bool) -> Option<WebHit> {
        let path_raw = match memchr::memchr(b'?', uri) {
            Some(q) => &uri[..q],
            None => uri,
        };
        let has_query_probe = self.xdebug.find(uri).is_some();
        let decoded;
        let p: &[u8] = if memchr::memchr2(b'%', b'\\', path_raw).is_some() {
            decoded = normalize(path_raw, 2);
            decoded.as_bytes()
        } else {
            path_raw
        };
        let lossy = || String::from_utf8_lossy(p).to_ascii_lowercase();
        let mut exploit_anchor = false;
        let mut best: Option<AttackKind> = with_lower(p, |lower| {
            let mut best = None;
            // One plain pass first: almost every path contains no probe pattern at all.
            if !self.probes.is_match(lower) {
                return None;
            }
            for m in self.probes.find_overlapping_iter(lower) {
                let (kind, place) = self.probe_table[m.pattern().as_usize()];
                if kind == AttackKind::KnownExploit {
                    exploit_anchor = true;
                    continue;
                }
                let ok = match place {
                    Where::Anywhere => true,
                    Where::End => m.end() == p.len(),
                    Where::Segment => {
                        matches!(
                            p.get(m.end()),
                            None | Some(b'/' | b'.' | b'~' | b'_' | b'-')
                        )
                    }
                };
                if ok {
                    best = Some(match best {
                        Some(b) if rank(b) >= rank(kind) => b,
                        _ => kind,
                    });
                }
            }
            best
        });
        if exploit_anchor
            && !exploits_checked
            && let Some(hit) = self.exploit(method, uri, &normalize(uri, 3), false)
        {
            return Some(hit);
        }
        // Script in an upload directory (POST = using it, GET 200 = reaching it).
        let ext = extension(p);
        if SCRIPT_EXT
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e.as_bytes()))
            && UPLOAD_DIRS.iter().any(|d| contains_ci(p, d))
        {
            return Some(WebHit {
                kind: AttackKind::Webshell,
                detail: format!(
                    "{} {}",
                    String::from_utf8_lossy(method),
                    truncate(&lossy(), 160)
                ),
                reference: None,
            });
        }
        if best.is_none() && (has_query_probe || backup_archive(p, ext)) {
            best = Some(if has_query_probe {
                AttackKind::AdminProbe
            } else {
                AttackKind::SensitiveFile
            });
        }
        best.map(|kind| WebHit {
            kind,
            detail: truncate(&lossy(), 160),
            reference: None,
        })
    }
}

/// The reference of JNDI lookups.
const LOG4SHELL: &str = "CVE-2021-44228";

/// The normalised text as shown to people: query separators back to `&`.
fn shown(text: &str) -> String {
    text.replace(super::decode::PARAM_SEP, "&")
}

/// The text with shell quoting and escapes removed (`w'h'o'am'i`, `c\at`, `who$()ami`,
/// `^w^h^o^a^m^i`), or `None` when it has none.
fn squeeze_shell(text: &str) -> Option<String> {
    if !text.contains(['\'', '"', '\\', '^']) && !text.contains("$@") && !text.contains("$()") {
        return None;
    }
    Some(
        text.replace("$@", "")
            .replace("$()", "")
            .replace(['\'', '"', '\\', '^'], ""),
    )
}

/// Decodes HTML character references (`&#106;`, `&#x6a;`, `&lt;` …) that XSS payloads
/// use to hide `javascript:` and tags; a query separator before `#` counts as `&`.
fn html_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['&', super::decode::PARAM_SEP]) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (decoded, used) = entity(after);
        match decoded {
            Some(c) => {
                out.push(c.to_ascii_lowercase());
                rest = &after[used..];
            }
            None => {
                out.push_str(&rest[i..i + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One character reference after its `&`: the character and the bytes used.
fn entity(s: &str) -> (Option<char>, usize) {
    if let Some(num) = s.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let len = digits
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count()
            .min(8);
        if len == 0 {
            return (None, 0);
        }
        let v = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok();
        let mut used = 1 + usize::from(hex) + len;
        if s.as_bytes().get(used) == Some(&b';') {
            used += 1;
        }
        return (v.and_then(char::from_u32), used);
    }
    const NAMED: &[(&str, char)] = &[
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("colon;", ':'),
        ("lpar;", '('),
        ("rpar;", ')'),
        ("tab;", ' '),
        ("newline;", '\n'),
        ("sol;", '/'),
        ("amp;", '&'),
        ("lt", '<'),
        ("gt", '>'),
    ];
    for (name, c) in NAMED {
        if s.starts_with(name) {
            return (Some(*c), name.len());
        }
    }
    (None, 0)
}

/// A User-Agent's verdict, cached per thread ([`WebClassifier::user_agent`]).
#[derive(Clone, Copy, Default)]
struct Agent {
    /// The scanner it names (from [`SCANNERS`]).
    scanner: Option<&'static str>,
    /// It may carry an injection ([`WebClassifier::header_suspicious`]).
    suspicious: bool,
}

/// Per-thread memory of request targets (method and URI) in which neither the injection
/// nor the probe patterns found anything: their verdict depends on nothing else, so a
/// repeat skips them.
///
/// A target is remembered by its hash alone ([`WebClassifier::clean_hash`]): no bytes to
/// compare, so a look-up reads the table's control bytes and one 8-byte slot. The
/// hash is SipHash-1-3 under a random per-process key, a pseudo-random function: whoever
/// sends requests cannot make an attack hash like a remembered clean target (a fast
/// non-cryptographic hash may have collisions that hold under every key), and a chance
/// match of 64 bits comes once in 2^64 / 262,144 look-ups (10^-14 per line).
#[derive(Default)]
struct CleanTargets {
    table: hashbrown::HashTable<u64>,
}

/// Targets remembered per thread before the memory starts again: 4.5 MiB of table at
/// most. The generator's 1 GiB log names about 400,000 distinct targets; a quarter of a
/// million per thread keeps its misses at 5 % of the lines (65,536 left 9 % and cost
/// 5 % more CPU).
const CLEAN_TARGETS_MAX: usize = 1 << 18;

thread_local! {
    static CLEAN: std::cell::RefCell<CleanTargets> = std::cell::RefCell::new(CleanTargets::default());
}

impl CleanTargets {
    fn contains(&self, hash: u64) -> bool {
        self.table.find(hash, |&h| h == hash).is_some()
    }

    /// Remembers a target that [`CleanTargets::contains`] did not know.
    fn insert(&mut self, hash: u64) {
        if self.table.len() >= CLEAN_TARGETS_MAX {
            self.table.clear();
        }
        self.table.insert_unique(hash, hash, |&h| h);
    }
}

/// Runs `f` on an ASCII-lower-cased copy of `b`, on the stack when short (the buffer
/// is sized to the input so that zeroing it costs little).
fn with_lower<R>(b: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    fn run<const N: usize, R>(b: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
        let mut stack = [0u8; N];
        let buf = &mut stack[..b.len()];
        buf.copy_from_slice(b);
        buf.make_ascii_lowercase();
        f(buf)
    }
    match b.len() {
        0..=64 => run::<64, R>(b, f),
        65..=192 => run::<192, R>(b, f),
        193..=512 => run::<512, R>(b, f),
        _ => f(&b.to_ascii_lowercase()),
    }
}

/// The last extension of a path, with its dot (`.php`), or empty.
fn extension(path: &[u8]) -> &[u8] {
    let name = match memchr::memrchr(b'/', path) {
        Some(i) => &path[i + 1..],
        None => path,
    };
    match memchr::memrchr(b'.', name) {
        Some(i) => &name[i..],
        None => b"",
    }
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn rank(k: AttackKind) -> u8 {
    match k {
        AttackKind::Webshell => 3,
        AttackKind::SensitiveFile => 2,
        _ => 1,
    }
}

/// `/backup.zip`, `/www.tar.gz`, `/site.rar`, `/db.sql.gz` …: whole-site archives.
fn backup_archive(path: &[u8], ext: &[u8]) -> bool {
    const EXT: &[&str] = &[
        ".zip", ".tar.gz", ".tgz", ".tar", ".rar", ".7z", ".gz", ".tar.bz2",
    ];
    const LAST: &[&str] = &[".zip", ".gz", ".tgz", ".tar", ".rar", ".7z", ".bz2"];
    if !LAST.iter().any(|e| ext.eq_ignore_ascii_case(e.as_bytes())) {
        return false;
    }
    let path = String::from_utf8_lossy(path).to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "backup",
        "bak",
        "site",
        "www",
        "web",
        "wwwroot",
        "htdocs",
        "public_html",
        "html",
        "db",
        "database",
        "dump",
        "data",
        "old",
        "archive",
        "files",
        "home",
        "root",
        "sql",
        "mysql",
        "release",
        "src",
        "source",
        "code",
    ];
    let Some(name) = path.rsplit('/').next() else {
        return false;
    };
    // `/example.co.jp.zip`, `/www.example.com.tar.gz`: the site named after its domain.
    const TLDS: &[&str] = &[
        ".com", ".net", ".org", ".jp", ".io", ".de", ".uk", ".info", ".biz", ".ru", ".cn", ".xyz",
        ".dev", ".app", ".co", ".fr", ".nl", ".kr", ".tw", ".eu", ".us",
    ];
    let top_level = path.matches('/').count() <= 1;
    if top_level
        && EXT.iter().any(|e| {
            name.strip_suffix(e)
                .is_some_and(|stem| stem.contains('.') && TLDS.iter().any(|t| stem.ends_with(t)))
        })
    {
        return true;
    }
    EXT.iter().any(|e| {
        name.strip_suffix(e).is_some_and(|stem| {
            NAMES.iter().any(|n| {
                stem == *n
                    || stem.starts_with(&format!("{n}_"))
                    || stem.starts_with(&format!("{n}-"))
            })
        })
    })
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests;

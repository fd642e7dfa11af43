#!/usr/bin/env python3
"""Per-line recall of `mamori scan` on fail2ban's own test logs (a public corpus).

  fail2ban_recall.py MAMORI [NAME...]

Debian's fail2ban package ships the logs its filters are tested on
(/usr/lib/python3/dist-packages/fail2ban/tests/files/logs/NAME): real messages of sshd,
dovecot, postfix, exim, the FTP daemons, Apache and nginx, each preceded by a
`# failJSON: {...}` line saying whether fail2ban must match it (`"match": true`) and
the address (`"host"`). Nothing of them is copied into this repository.

For each log the script writes the lines to a temporary file (the failJSON comments
removed, line numbers remembered), runs `MAMORI scan --no-progress --format json
--events=EVENTS FILE`, and counts:

  * recall: lines fail2ban must match that give a mamori event naming the same
    address (any event when failJSON names no host);
  * false events: events on lines fail2ban must *not* match (`"match": false`), as a
    share of all events on labelled lines. Lines without a failJSON are not counted.

Lines that fail2ban only matches as part of a multi-line group or that carry no
address are reported separately. With no NAME, the logs of the services issue 11 names.
"""
import json
import os
import subprocess
import sys
import tempfile

LOGS = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"
DEFAULT = [
    "sshd", "sshd-journal", "dropbear", "pam-generic", "dovecot", "postfix", "exim",
    "courier-auth", "cyrus-imap", "sieve", "vsftpd", "proftpd", "pure-ftpd", "wuftpd",
    "apache-auth", "apache-noscript", "apache-botsearch", "apache-overflows", "apache-nohome",
    "apache-shellshock", "nginx-http-auth", "nginx-botsearch", "nginx-limit-req",
    "nginx-bad-request", "webmin-auth", "roundcube-auth", "sendmail-auth", "lighttpd-auth",
]


def load(name):
    """(lines, labels): the log without failJSON comments; label per new line number."""
    lines, labels, pending = [], {}, None
    with open(os.path.join(LOGS, name), encoding="utf-8", errors="replace") as f:
        for raw in f:
            s = raw.rstrip("\n")
            if s.startswith("# failJSON:"):
                try:
                    pending = json.loads(s[len("# failJSON:"):])
                except ValueError:
                    pending = None
                continue
            if s.startswith("#") or not s.strip():
                continue
            lines.append(s)
            if pending is not None:
                labels[len(lines)] = pending
                pending = None
    return lines, labels


def events(mamori, path):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "events.jsonl")
        r = subprocess.run([mamori, "scan", "--no-progress", "--no-crs", "--format", "json",
                            "--events=" + out, path], capture_output=True, text=True)
        if not os.path.exists(out):
            return [], r.stderr.strip()[:160]
        with open(out) as f:
            return [json.loads(x) for x in f if x.strip()], ""


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mamori, names = sys.argv[1], sys.argv[2:] or DEFAULT
    verbose = os.environ.get("VERBOSE")
    T = {"want": 0, "hit": 0, "neg": 0, "ev": 0, "false": 0}
    for name in names:
        if not os.path.exists(os.path.join(LOGS, name)):
            print("%-20s (no such log)" % name)
            continue
        lines, labels = load(name)
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as t:
            t.write("\n".join(lines) + "\n")
        got, err = events(mamori, t.name)
        os.unlink(t.name)
        by_line = {}
        for e in got:
            by_line.setdefault(e["line"], []).append(e)
        want = {n: l for n, l in labels.items() if l.get("match")}
        neg = {n for n, l in labels.items() if l.get("match") is False}
        hit, missed = 0, []
        for n, l in sorted(want.items()):
            host = l.get("host")
            ok = any(host is None or e.get("source") == host for e in by_line.get(n, []))
            hit += ok
            if not ok:
                missed.append(n)
        ev = sum(len(by_line.get(n, [])) for n in labels)
        false = [n for n in neg if by_line.get(n)]
        T["want"] += len(want)
        T["hit"] += hit
        T["neg"] += len(neg)
        T["ev"] += ev
        T["false"] += sum(len(by_line[n]) for n in false)
        print("%-20s recall %4d/%-4d false %3d/%-4d%s" % (
            name, hit, len(want), len(false), ev, ("  " + err) if err else ""))
        if verbose:
            for n in missed:
                print("   miss %4d  %s  %s" % (n, want[n].get("host"), lines[n - 1][:200]))
            for n in sorted(false):
                print("   FALSE %4d  %s  %s" % (n, [e["kind"] for e in by_line[n]], lines[n - 1][:160]))
    print("TOTAL recall %.3f (%d/%d), false events %.3f (%d/%d)" % (
        T["hit"] / max(T["want"], 1), T["hit"], T["want"],
        T["false"] / max(T["ev"], 1), T["false"], T["ev"]))


if __name__ == "__main__":
    main()

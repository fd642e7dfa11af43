#!/usr/bin/env python3
"""Detection quality of `mamori scan` against the generators' ground truth
(../shared/bench/gen_nginx_log.py, gen_auth_log.py).

  score_scan.py MAMORI LOG            (LOG.truth.json and LOG.labels.tsv beside it)

Runs `MAMORI scan --format json --events=EVENTS LOG` and prints:
  * per campaign type: campaigns detected, campaign IPs flagged / total (recall);
  * flagged IPs that belong to no campaign: false positives, split into benign decoys
    (office NAT, uptime monitor, legitimate users) and other normal traffic;
  * per attack kind, line level: recall of the labelled attack lines, and precision of
    each event kind (share of its events on labelled attack lines; failed logins of
    legitimate users count against it);
  * per attack kind, session level: sshd sessions (one process) with at least one event.
    The generator labels every line of an attacking session; mamori reports each attempt
    once (its PAM restatements and the close after a failed guess are no events of their
    own), so for sshd the session figure is the one to hold at 1.000.
An IP is "flagged" when it is a source of any finding. Background noise (the auth
generator's botnet share) is reported separately: it is real attack traffic.
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

SSHD_PID = re.compile(rb" (\S+) sshd\[(\d+)\]: ")

# generator campaign type -> event "attack"/"kind" values that count as recognising its lines
LINE_KINDS = {
    "sqli": {"sqli"}, "path_traversal": {"path_traversal", "file_inclusion"},
    "scanner": {"scanner", "sensitive_file", "admin_probe", "webshell", "path_traversal", "command_injection",
                "file_inclusion", "sqli", "xss", "jndi"},
    "bruteforce": {"auth_failure", "auth_success"}, "credential_stuffing": {"auth_failure", "auth_success"},
    "password_spraying": {"auth_failure"}, "bruteforce_success": {"auth_failure", "auth_success"},
}


def main():
    mamori, log = sys.argv[1], sys.argv[2]
    truth = json.load(open(log + ".truth.json"))
    with tempfile.TemporaryDirectory() as d:
        ev_path = os.path.join(d, "events.jsonl")
        out = subprocess.run([mamori, "scan", "--no-progress", "--format", "json", "--events=" + ev_path, log],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit("mamori failed: %s" % out.stderr)
        doc = json.loads(out.stdout)
        events = {}
        with open(ev_path) as f:
            for line in f:
                e = json.loads(line)
                events[e["line"]] = e
    flagged = collections.defaultdict(set)  # ip -> rules
    for fd in doc["findings"]:
        for ip in fd["sources"]:
            flagged[ip].add(fd["rule"])
    camps = truth["campaigns"]
    attack_ips = {ip for c in camps for ip in c["ips"]}
    background = set(truth.get("background_ips", []))
    benign = set(truth.get("legit_ips", []))
    for d_ in truth.get("benign_decoys", []):
        benign.update(d_["ips"])
    print("file: %s (%d lines)" % (os.path.basename(log), truth["lines"]))
    print("verdict: %s, findings: %d" % (doc["verdict"], len(doc["findings"])))
    by_type = collections.defaultdict(lambda: [0, 0, 0, 0])
    for c in camps:
        hit = [ip for ip in c["ips"] if ip in flagged]
        t = by_type[c["type"]]
        t[0] += 1
        t[1] += bool(hit)
        t[2] += len(set(hit))
        t[3] += len(set(c["ips"]))
    print("\n| campaign type | campaigns detected | IPs flagged / total | IP recall |")
    print("|---|---|---|---|")
    tot_hit = tot = 0
    for k, (n, det, hit, ips) in sorted(by_type.items()):
        tot_hit += hit
        tot += ips
        print("| %s | %d/%d | %d/%d | %.3f |" % (k, det, n, hit, ips, hit / ips if ips else 0))
    print("| **all** | | %d/%d | %.3f |" % (tot_hit, tot, tot_hit / tot if tot else 0))
    fp = set(flagged) - attack_ips - background
    print("\nfalse-positive IPs (flagged, in no campaign): %d (benign decoys / legitimate users: %d)" % (
        len(fp), len(fp & benign)))
    for ip in sorted(fp)[:10]:
        print("   %s %s" % (ip, sorted(flagged[ip])))
    if background:
        print("background (botnet noise) IPs flagged: %d/%d" % (len(set(flagged) & background), len(background)))
    # line level
    labels = collections.defaultdict(set)
    with open(log + ".labels.tsv") as f:
        next(f)
        for row in f:
            ln, cid, typ = row.rstrip("\n").split("\t")
            labels[typ].add(int(ln))
    labelled = set().union(*labels.values()) if labels else set()
    # An sshd session (one process) is one attempt: mamori reports it once, on the first
    # line that names both the attempt and its client, and not its PAM restatements or
    # the close after a failed guess; the generator labels every line of it.
    session = {}
    with open(log, "rb") as f:
        for ln, raw in enumerate(f, 1):
            if ln in labelled and (m := SSHD_PID.search(raw)):
                session[ln] = (m.group(1), m.group(2))
    print("\n| labelled type | lines | recognised as an event | line recall | sessions | recognised | session recall |")
    print("|---|---|---|---|---|---|---|")
    for typ, lines in sorted(labels.items()):
        if typ in ("benign", "background"):
            continue
        kinds = LINE_KINDS.get(typ)
        hit = {ln for ln in lines if ln in events and (kinds is None or events[ln].get("attack") in kinds
                                                      or events[ln]["kind"] in kinds)}
        # Lines of other programs (logind, sudo after a break-in) belong to no sshd session.
        sessions = {session[ln] for ln in lines if ln in session}
        found = {session[ln] for ln in hit if ln in session}
        print("| %s | %d | %d | %.3f | %d | %d | %s |" % (
            typ, len(lines), len(hit), len(hit) / len(lines), len(sessions), len(found),
            "%.3f" % (len(found) / len(sessions)) if sessions else "—"))
    print("\n| event kind | events | on labelled attack lines | line precision |")
    print("|---|---|---|---|")
    by_kind = collections.defaultdict(list)
    for ln, e in events.items():
        by_kind[e.get("attack") or e["kind"]].append(ln)
    for k, lines in sorted(by_kind.items()):
        if k in ("auth_success", "other"):
            continue  # legitimate logins are events too: no precision to speak of
        ok = sum(1 for ln in lines if ln in labelled)
        print("| %s | %d | %d | %.3f |" % (k, len(lines), ok, ok / len(lines)))
    attack_events = {ln for ln, e in events.items() if e["kind"] in ("attack", "probe")}
    unlabelled = attack_events - labelled
    print("\nattack/probe events on unlabelled (normal-traffic) lines: %d of %d attack/probe events" % (
        len(unlabelled), len(attack_events)))
    for ln in sorted(unlabelled)[:5]:
        print("   line %d: %s" % (ln, events[ln].get("detail")))


if __name__ == "__main__":
    main()

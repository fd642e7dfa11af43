#!/usr/bin/env python3
"""Per-line recall of `mamori scan` on labelled fixtures, independent of the test suite.

  line_recall.py MAMORI FIXTURE...        (each FIXTURE has FIXTURE.labels beside it)

A `.labels` file lists, tab-separated, `line  kind  service  source` for every line
that must become an event (`source` is `-` when the line names no address); every
other line must give no event. For each fixture the script runs
`MAMORI scan --no-progress --format json --events=EVENTS FIXTURE` and counts:

  * recall: labelled lines with an event of the right kind, service and source;
  * false events: events on unlabelled lines, or of the wrong kind or service,
    as a share of all events.
"""
import json
import os
import subprocess
import sys
import tempfile


def labels(path):
    out = {}
    with open(path) as f:
        for raw in f:
            if raw.startswith("#") or not raw.strip():
                continue
            n, kind, service, source = raw.rstrip("\n").split("\t")
            out[int(n)] = (kind, service, None if source == "-" else source)
    return out


def events(mamori, log):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "events.jsonl")
        r = subprocess.run([mamori, "scan", "--no-progress", "--format", "json",
                            "--events=" + path, log], capture_output=True, text=True)
        if r.returncode not in (0, 1) or not os.path.exists(path):
            # An unrecognised file gives no events: every labelled line is missed.
            print("  (%s: %s)" % (os.path.basename(log), r.stderr.strip()[:120]))
            return []
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    mamori, logs = sys.argv[1], sys.argv[2:]
    tot_lab = tot_hit = tot_ev = tot_false = 0
    for log in logs:
        want = labels(log + ".labels")
        got = events(mamori, log)
        by_line = {}
        for e in got:
            by_line.setdefault(e["line"], []).append(e)
        hit, misses = 0, []
        for n, (kind, service, source) in sorted(want.items()):
            ok = any(e["kind"] == kind and e["service"] == service and e.get("source") == source
                     for e in by_line.get(n, []))
            hit += ok
            if not ok:
                misses.append(n)
        false = [e for e in got
                 if e["line"] not in want
                 or e["kind"] != want[e["line"]][0] or e["service"] != want[e["line"]][1]]
        tot_lab += len(want)
        tot_hit += hit
        tot_ev += len(got)
        tot_false += len(false)
        print("%-28s recall %3d/%-3d  false events %d/%d%s%s" % (
            os.path.basename(log), hit, len(want), len(false), len(got),
            "  missed lines %s" % misses if misses else "",
            "  false on lines %s" % [e["line"] for e in false] if false else ""))
    print("TOTAL recall %.3f (%d/%d), false events %.3f (%d/%d)" % (
        tot_hit / max(tot_lab, 1), tot_hit, tot_lab, tot_false / max(tot_ev, 1), tot_false, tot_ev))


if __name__ == "__main__":
    main()

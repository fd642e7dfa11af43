"""Base scores and severities of CVSS 3.x / 4.0 vectors by the PyPI `cvss` library.

Reads one vector per line on stdin and prints one JSON object per line on stdout, in the
same order:
    {"vector": "CVSS:3.1/...", "base_score": "9.8", "severity": "CRITICAL"}
or, for a vector the library refuses,
    {"vector": "...", "error": "..."}
The score is the library's own one-decimal text (Decimal for 3.x, float for 4.0), so the
caller compares digits, not floats. Used by crates/mamori-vuln/tests/it/cvss_pypi.rs.
"""

import json
import sys

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError


def score(vector):
    if vector.startswith("CVSS:4."):
        c = CVSS4(vector)
    else:
        c = CVSS3(vector)
    base = c.scores()[0]
    return {
        "vector": vector,
        "base_score": "{0:.1f}".format(base),
        "severity": c.severities()[0].upper(),
    }


def main():
    for line in sys.stdin:
        vector = line.strip()
        if not vector:
            continue
        try:
            out = score(vector)
        except CVSSError as e:
            out = {"vector": vector, "error": str(e)}
        print(json.dumps(out), flush=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Converts signature-base's IOC lists into one ThreatIntel feed CSV with explicit type and action columns.

    make_signature_base_csv.py <signature-base folder> <out.csv>

Maps the lines as the benchmarks do (tests/ThreatIntel.Benchmarks/PublicData.cs), first field before `;`, `#` lines
and blank lines skipped:

  hash-iocs.txt      -> definition "signature-base hashes":    FileMd5 / FileSha1 / FileSha256 by length (32/40/64), Equals
  c2-iocs.txt        -> definition "signature-base c2":        classified like a maltrail trail (IpAddress/Equals,
                                                               IpAddress/InRange, Url/StartsWith, DomainName/EndsWith)
  filename-iocs.txt  -> definition "signature-base filenames": FilePath / Regex

Severity High. Prints one JSON object with the counts to stdout.
"""

import collections
import csv
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "feeds"))
from make_maltrail_csv import classify  # noqa: E402  (the feeds script's ClassifyTrail)

HASH_TYPES = {32: "FileMd5", 40: "FileSha1", 64: "FileSha256"}
DEFINITIONS = {
    "hash": "signature-base hashes",
    "c2": "signature-base c2",
    "filename": "signature-base filenames",
}


def first_fields(path):
    """The first field (before ';') of every non-blank, non-comment line."""
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            trimmed = line.strip()
            if not trimmed or trimmed.startswith("#"):
                continue
            field = trimmed.split(";", 1)[0].strip()
            if field:
                yield field


def rows(folder, counts):
    for value in first_fields(os.path.join(folder, "hash-iocs.txt")):
        kind = HASH_TYPES.get(len(value))
        if kind is None:
            counts["hash_skipped_length"] += 1
            continue
        counts["hash"] += 1
        yield DEFINITIONS["hash"], kind, value, "Equals"
    for value in first_fields(os.path.join(folder, "c2-iocs.txt")):
        kind, action, written = classify(value)
        counts["c2"] += 1
        yield DEFINITIONS["c2"], kind, written, action
    for pattern in first_fields(os.path.join(folder, "filename-iocs.txt")):
        counts["filename"] += 1
        yield DEFINITIONS["filename"], "FilePath", pattern, "Regex"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, target = sys.argv[1], sys.argv[2]
    counts = collections.Counter()
    by_pair = collections.Counter()
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["definition", "type", "value", "action", "severity", "description", "expiresAt"])
        for definition, kind, value, action in rows(folder, counts):
            by_pair[f"{kind}/{action}"] += 1
            writer.writerow([definition, kind, value, action, "High", "", ""])
    print(json.dumps({**counts, "rows": sum(by_pair.values()), "rows_by_type_action": dict(sorted(by_pair.items()))}, indent=2))


if __name__ == "__main__":
    main()

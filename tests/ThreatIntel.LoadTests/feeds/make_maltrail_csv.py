#!/usr/bin/env python3
"""Converts the maltrail static trails tarball into one ThreatIntel feed CSV.

    make_maltrail_csv.py <maltrail-static-trails.tar.gz> <out.csv>

Every `trails/static/**.txt` file becomes one alert definition named after the file (without `.txt`); when two files
in different folders share a name (ignoring case) both are named `<folder>/<name>`. Every line's text before `#` is a
trail, classified as the benchmarks classify it (tests/ThreatIntel.Benchmarks/PublicData.cs, ClassifyTrail):

  a.b.c.d/nn (an IP, '/', an integer)    -> IpAddress  InRange
  anything else with '/' or '://'        -> Url        StartsWith
  an IPv4 (exactly 3 dots) or IPv6        -> IpAddress  Equals
  ip:port                                -> IpAddress  Equals (port dropped)
  host:port                              -> DomainName EndsWith (port dropped)
  anything else                          -> DomainName EndsWith

IP addresses are recognised as .NET's IPAddress.TryParse does (IPv4 parts may be octal `010` or hex `0x1f`; IPv6 may
be written `[addr]` or `[addr]:port`, which is written out as the bare address). Path-only URL trails (starting with
`/`, e.g. `/365-Stealer/`) have no host, so a Url IOC cannot hold them: they are left out and counted. Everything else
is written, even values the service will reject (push with skipInvalid=true); the service is the judge of validity.

Prints one JSON object with the counts to stdout.
"""

import collections
import csv
import ipaddress
import json
import os
import re
import sys
import tarfile

HOST_PORT = re.compile(r"^(?P<host>[^:/]+):\d{1,5}$")
DOTNET_INT = re.compile(r"^\s*[+-]?\d+\s*$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
IPV4_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")
BRACKETED_V6 = re.compile(r"^\[(?P<addr>[^\]]+)\](?::(?P<port>\d{1,5}))?$")


def dotnet_int(text):
    """int.TryParse with the invariant culture: optional blanks and sign, decimal digits, within Int32."""
    return bool(DOTNET_INT.match(text)) and -(2**31) <= int(text) <= 2**31 - 1


def ipv4_like_dotnet(text):
    """An IPv4 address of four parts as .NET parses it (decimal, octal with a leading 0, or hex with 0x)."""
    parts = text.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not IPV4_PART.match(part):
            return False
        if part[:2] in ("0x", "0X"):
            value = int(part[2:] or "0", 16)
        elif part.startswith("0") and len(part) > 1:
            value = int(part, 8)
        else:
            value = int(part)
        if value > 255:
            return False
    return True


def ipv6_address(text):
    """The bare IPv6 address when `text` is one (optionally bracketed, with a port or a scope id), else None."""
    bracketed = BRACKETED_V6.match(text)
    candidate = bracketed.group("addr") if bracketed else text
    if ":" not in candidate:
        return None
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return None
    return candidate


def is_ip(text):
    """PublicData.IsIp: IPAddress.TryParse succeeds and the value is IPv6 or has exactly three dots."""
    if text.count(".") == 3 and ipv4_like_dotnet(text):
        return True
    return ipv6_address(text) is not None


def classify(value):
    """(type, action, value) as ClassifyTrail returns them; IPv6 in brackets is reduced to the bare address."""
    slash = value.find("/")
    if slash > 0 and is_ip(value[:slash]) and dotnet_int(value[slash + 1:]):
        return "IpAddress", "InRange", value
    if slash >= 0 or "://" in value:
        return "Url", "StartsWith", value
    if is_ip(value):
        return "IpAddress", "Equals", ipv6_address(value) or value
    port = HOST_PORT.match(value)
    if port:
        host = port.group("host")
        return ("IpAddress", "Equals", host) if is_ip(host) else ("DomainName", "EndsWith", host)
    return "DomainName", "EndsWith", value


def trail_files(archive):
    for member in archive:
        if member.isfile() and member.name.endswith(".txt") and "/static/" in "/" + member.name:
            yield member


def definition_names(members):
    """File name without .txt; names two folders share (ignoring case) become <folder>/<name>."""
    by_name = collections.defaultdict(list)
    for member in members:
        by_name[os.path.basename(member.name)[:-4].lower()].append(member)
    names = {}
    for shared in by_name.values():
        for member in shared:
            stem = os.path.basename(member.name)[:-4]
            folder = os.path.basename(os.path.dirname(member.name))
            names[member.name] = stem if len(shared) == 1 else f"{folder}/{stem}"
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, target = sys.argv[1], sys.argv[2]
    counts = collections.Counter()
    by_pair = collections.Counter()
    with_rows = set()
    with tarfile.open(source, "r:gz") as archive:
        members = list(trail_files(archive))
        names = definition_names(members)
        with open(target, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(["definition", "type", "value", "action", "severity", "description", "expiresAt"])
            for member in members:
                counts["files"] += 1
                text = archive.extractfile(member).read().decode("utf-8", errors="replace")
                for line in LINE_BREAK.split(text):
                    value = line.split("#", 1)[0].strip()
                    if not value:
                        continue
                    counts["trails"] += 1
                    if value.startswith("/"):
                        counts["left_out_path_only_urls"] += 1
                        continue
                    kind, action, written = classify(value)
                    by_pair[f"{kind}/{action}"] += 1
                    counts["rows"] += 1
                    with_rows.add(names[member.name])
                    writer.writerow([names[member.name], kind, written, action, "Medium", "", ""])
    summary = {
        "definitions": len(set(names.values())),
        "definitions_with_rows": len(with_rows),
        "renamed_shared_names": sorted(n for n in names.values() if "/" in n),
        **counts,
        "rows_by_type_action": dict(sorted(by_pair.items())),
        "csv_bytes": os.path.getsize(target),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

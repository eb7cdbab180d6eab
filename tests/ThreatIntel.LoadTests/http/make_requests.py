#!/usr/bin/env python3
"""Writes the request bodies and look-up URLs of the HTTP load test (run.sh next to this file). Standard library only.

    make_requests.py --maltrail-csv FILE --signature-base-csv FILE --out DIR [--seed 7] [--batches 8]
                     [--batch-size 1000] [--singles 4000] [--lookups 4000]

Reads the two feed CSVs the database was loaded from (feeds/make_maltrail_csv.py, make_signature_base_csv.py) and
writes, one request per line:

  batch-1pct.jsonl   --batches bodies of --batch-size events, exactly 1 % of them matching (one observable is a real IOC)
  batch-5pct.jsonl   --batches bodies of --batch-size events, exactly 5 % matching; the matching events use a pool of
                     10 devices and 40 IOCs, so that their alerts aggregate (same definition, IOC and device)
  single.jsonl       --singles bodies of one event each, exactly 1 % matching
  iocs.txt           --lookups paths `/api/v1/iocs?type=...&value=...`, half of them stored IOC values (hits), half
                     random values of the same types (misses)
  manifest.json      what was written: the expected `matched` of every body, the mix of types, the checks made

Every event has six observables: a file hash (FileSha256 60 %, FileSha1 25 %, FileMd5 15 %), a FileName, a FilePath
or a ProcessName, an IpAddress, a DomainName and a Url, with the exact IocType names. Random values look real (random
hashes, public IPv4 and some IPv6 addresses, pronounceable domain names on common TLDs, URLs with paths and queries,
Windows paths and file names) and are checked NOT to match anything loaded: no domain or parent domain is a
DomainName IOC, no address is an IpAddress IOC or inside an InRange network, no URL host is the host of a Url IOC, no
FilePath is matched by a signature-base filename regex that Python's `re` can compile (the others are reported; run.sh
verifies the counts against the service itself). A matching event has one observable replaced by an IOC value: a
maltrail domain (itself or a sub-domain), a maltrail IPv4 address, a signature-base hash, a maltrail URL (scheme-less
trail, observed with http://) or a path containing a plain-text signature-base filename pattern.

Deterministic: the same inputs and arguments give byte-identical files.
"""

import argparse
import bisect
import csv
import ipaddress
import json
import os
import random
import re
import sys
import urllib.parse

HASH_LENGTHS = {"FileSha256": 64, "FileSha1": 40, "FileMd5": 32}
SIMPLE_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
SIMPLE_URL_TRAIL = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}/[A-Za-z0-9._/-]{1,120}$")
DOTTED_V4 = re.compile(r"^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")
# PublicData.LiteralPattern: only escapes and characters with no regex meaning, i.e. a plain string once unescaped.
LITERAL_PATTERN = re.compile(r"^(?:\\[\\.\-_$(){}\[\]+ ]|[^\\.*+?()\[\]{}|^$])+$")
UNESCAPE = re.compile(r"\\(.)")

SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vo", "qu", "zen", "bri", "dor", "fa", "gel", "hu", "jin", "kor", "lux",
             "mar", "nex", "ori", "pax", "rin", "sol", "tar", "ul", "vex", "wal", "yor", "zu", "cel", "dan", "ex",
             "fin", "gra", "hol", "ion", "jet", "kin", "lam", "mon", "nor", "ost", "pri", "quo", "ros", "syn", "tri")
WORDS = ("cloud", "data", "cdn", "mail", "portal", "shop", "news", "media", "static", "secure", "login", "update",
         "files", "api", "app", "web", "online", "service", "global", "net", "tech", "soft", "store", "info", "home")
TLDS = ("com", "com", "com", "com", "net", "net", "org", "io", "de", "fr", "nl", "co.uk", "info", "app", "dev",
        "eu", "ch", "se", "it", "es", "pl", "com.au", "ca", "us", "biz")
SUBDOMAINS = ("www", "cdn", "api", "mail", "static", "img", "login", "updates", "assets", "m")
URL_PATHS = ("index.html", "login", "api/v2/items", "static/js/app.js", "images/logo.png", "download/setup.exe",
             "wp-content/uploads/2026/11/doc.pdf", "search", "account/settings", "assets/css/site.css", "feed.xml")
USERS = ("jdoe", "asmith", "mlopez", "kchen", "pnovak", "svc_backup", "administrator", "rkumar", "lmeyer", "tnguyen")
PROCESSES = ("svchost.exe", "explorer.exe", "chrome.exe", "msedge.exe", "outlook.exe", "winword.exe", "excel.exe",
             "teams.exe", "powershell.exe", "cmd.exe", "python.exe", "java.exe", "onedrive.exe", "notepad.exe",
             "code.exe", "slack.exe", "zoom.exe", "firefox.exe", "acrord32.exe", "msiexec.exe", "dllhost.exe",
             "rundll32.exe", "conhost.exe", "taskhostw.exe", "searchindexer.exe", "spoolsv.exe", "lsass.exe")
EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "zip", "exe", "msi", "png", "jpg", "txt", "csv", "log", "dll", "json")
DIRECTORIES = ("C:\\Users\\{u}\\Downloads", "C:\\Users\\{u}\\Documents", "C:\\Users\\{u}\\Desktop",
               "C:\\Users\\{u}\\AppData\\Local\\Microsoft\\Teams", "C:\\Program Files\\{v}", "C:\\Program Files (x86)\\{v}",
               "D:\\Projects\\{v}\\build", "C:\\Users\\{u}\\OneDrive - Contoso\\Reports", "C:\\ProgramData\\{v}\\cache")
VENDORS = ("Contoso", "Fabrikam", "Northwind", "Tailspin", "Litware", "AdventureWorks", "WingTip", "Proseware")


# ----------------------------------------------------------------------------------------------------------------------
# What is loaded: the sets random values are checked against, and the pools matching values come from
# ----------------------------------------------------------------------------------------------------------------------

class Loaded:
    def __init__(self):
        self.domains = set()          # DomainName values (EndsWith: the value or any parent matching one matches)
        self.addresses = set()        # IpAddress Equals values, canonical text
        self.ranges = {4: [], 6: []}  # InRange networks as (first, last) integers
        self.url_hosts = set()        # hosts of Url trails
        self.regexes = []             # compiled filename regexes
        self.regex_failures = 0
        self.match_domains = []
        self.match_addresses = []
        self.match_urls = []
        self.match_hashes = []        # (type, value)
        self.match_literals = []      # (pattern, literal) of plain-text filename regexes
        self.lookup_domains = []

    def finish(self):
        for version in (4, 6):
            merged = []
            for first, last in sorted(self.ranges[version]):
                if merged and first <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            self.ranges[version] = ([m[0] for m in merged], [m[1] for m in merged])
        for pool in (self.match_domains, self.match_addresses, self.match_urls, self.match_hashes,
                     self.match_literals, self.lookup_domains):
            pool.sort()

    def in_range(self, address):
        starts, ends = self.ranges[address.version]
        i = bisect.bisect_right(starts, int(address)) - 1
        return i >= 0 and int(address) <= ends[i]

    def domain_matches(self, domain):
        labels = domain.split(".")
        return any(".".join(labels[i:]) in self.domains for i in range(len(labels)))

    def path_matches(self, path):
        return any(regex.search(path) for regex in self.regexes)


def url_host(trail):
    rest = trail.split("://", 1)[1] if "://" in trail else trail
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    if host.startswith("["):
        return host[1:host.find("]")].lower() if "]" in host else host.lower()
    return host.split(":", 1)[0].lower().rstrip(".")


def load(maltrail_csv, signature_base_csv):
    loaded = Loaded()
    for path in (maltrail_csv, signature_base_csv):
        with open(path, newline="", encoding="utf-8") as lines:
            for row in csv.DictReader(lines):
                kind, action, value = row["type"], row["action"], row["value"]
                if kind == "DomainName":
                    domain = value.strip().lower().rstrip(".")
                    loaded.domains.add(domain)
                    if SIMPLE_DOMAIN.match(domain) and domain.count(".") <= 3:
                        loaded.match_domains.append(domain)
                        loaded.lookup_domains.append(domain)
                elif kind == "IpAddress" and action == "InRange":
                    try:
                        network = ipaddress.ip_network(value.strip(), strict=False)
                    except ValueError:
                        continue
                    loaded.ranges[network.version].append((int(network.network_address), int(network.broadcast_address)))
                elif kind == "IpAddress":
                    try:
                        address = ipaddress.ip_address(value.strip().strip("[]"))
                    except ValueError:
                        continue
                    loaded.addresses.add(str(address))
                    if address.version == 4 and DOTTED_V4.match(value.strip()) and address.is_global:
                        loaded.match_addresses.append(str(address))
                elif kind == "Url":
                    loaded.url_hosts.add(url_host(value))
                    if SIMPLE_URL_TRAIL.match(value):
                        loaded.match_urls.append(value)
                elif kind in HASH_LENGTHS and len(value) == HASH_LENGTHS[kind]:
                    loaded.match_hashes.append((kind, value.lower()))
                elif kind == "FilePath" and action == "Regex":
                    try:
                        loaded.regexes.append(re.compile(value))
                    except (re.error, OverflowError):
                        loaded.regex_failures += 1
                    if LITERAL_PATTERN.match(value):
                        literal = UNESCAPE.sub(r"\1", value)
                        if len(literal) >= 5 and "\\" in literal and re.search(value, "C:\\Users\\x" + literal):
                            loaded.match_literals.append((value, literal))
    loaded.finish()
    return loaded


# ----------------------------------------------------------------------------------------------------------------------
# Random values that look real and match nothing
# ----------------------------------------------------------------------------------------------------------------------

class Values:
    def __init__(self, rng, loaded):
        self.rng = rng
        self.loaded = loaded
        self.rejected = {"domain": 0, "address": 0, "url": 0, "path": 0}
        self.paths = self._path_pool(1500)

    def word(self):
        r = self.rng
        if r.random() < 0.4:
            return r.choice(WORDS) + r.choice(("", "-", "")) + r.choice(SYLLABLES) + (str(r.randint(1, 99)) if r.random() < 0.3 else "")
        return "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 4)))

    def domain(self):
        while True:
            name = self.word() + "." + self.rng.choice(TLDS)
            if self.rng.random() < 0.5:
                name = self.rng.choice(SUBDOMAINS) + "." + name
            if not self.loaded.domain_matches(name) and url_host("x://" + name) not in self.loaded.url_hosts:
                return name
            self.rejected["domain"] += 1

    def address(self):
        r = self.rng
        while True:
            if r.random() < 0.05:
                address = ipaddress.IPv6Address((0x2a00 << 112) | r.getrandbits(108) << 4 | r.randint(1, 15))
            else:
                address = ipaddress.IPv4Address(r.getrandbits(32))
            if not address.is_global or address.is_multicast:
                continue
            if str(address) not in self.loaded.addresses and not self.loaded.in_range(address):
                return str(address)
            self.rejected["address"] += 1

    def url(self):
        r = self.rng
        while True:
            host = self.domain()
            if host not in self.loaded.url_hosts:
                break
            self.rejected["url"] += 1
        path = r.choice(URL_PATHS)
        if r.random() < 0.4:
            path += f"?id={r.getrandbits(40):x}&utm_source={r.choice(WORDS)}"
        return f"{r.choice(('https', 'https', 'https', 'http'))}://{host}/{path}"

    def hash(self, kind):
        return f"{self.rng.getrandbits(HASH_LENGTHS[kind] * 4):0{HASH_LENGTHS[kind]}x}"

    def hash_type(self):
        x = self.rng.random()
        return "FileSha256" if x < 0.6 else "FileSha1" if x < 0.85 else "FileMd5"

    def file_name(self):
        r = self.rng
        if r.random() < 0.35:
            return r.choice(PROCESSES)
        stem = r.choice(("invoice", "report", "setup", "Q4-budget", "scan", "photo", "notes", "contract", "update",
                         "backup", "presentation", "export", "statement", "readme"))
        return f"{stem}_{r.randint(1, 99999)}.{r.choice(EXTENSIONS)}"

    def _path_pool(self, size):
        # A pool of clean paths, each checked against every compiled filename regex once.
        r = self.rng
        pool = []
        while len(pool) < size:
            directory = r.choice(DIRECTORIES).format(u=r.choice(USERS), v=r.choice(VENDORS))
            path = directory + "\\" + self.file_name()
            if self.loaded.path_matches(path):
                self.rejected["path"] += 1
                continue
            pool.append(path)
        return pool

    def path(self):
        return self.rng.choice(self.paths)


# ----------------------------------------------------------------------------------------------------------------------
# Events
# ----------------------------------------------------------------------------------------------------------------------

class Events:
    def __init__(self, rng, values, loaded):
        self.rng = rng
        self.values = values
        self.loaded = loaded
        self.sequence = 0
        self.mix = {}

    def observables(self):
        v, r = self.values, self.rng
        hash_type = v.hash_type()
        third = ("FilePath", v.path()) if r.random() < 0.5 else ("ProcessName", r.choice(PROCESSES))
        return [
            {"type": hash_type, "value": v.hash(hash_type)},
            {"type": "FileName", "value": v.file_name()},
            {"type": third[0], "value": third[1]},
            {"type": "IpAddress", "value": v.address()},
            {"type": "DomainName", "value": v.domain()},
            {"type": "Url", "value": v.url()},
        ]

    def matching_value(self, pick=None):
        """(type, value) of an observed value that matches a loaded IOC; `pick` chooses from a pool when given."""
        r, loaded = self.rng, self.loaded
        choose = pick or r.choice
        x = r.random()
        if x < 0.35:
            domain = choose(loaded.match_domains)
            return "DomainName", (r.choice(SUBDOMAINS) + "." + domain) if r.random() < 0.3 else domain
        if x < 0.60:
            return "IpAddress", choose(loaded.match_addresses)
        if x < 0.85:
            return choose(loaded.match_hashes)
        if x < 0.93:
            return "Url", "http://" + choose(loaded.match_urls)
        _, literal = choose(loaded.match_literals)
        return "FilePath", f"C:\\Users\\{r.choice(USERS)}\\AppData\\Local\\Temp" + literal

    def event(self, device, match=None):
        self.sequence += 1
        observables = self.observables()
        if match is not None:
            kind, value = match
            self.mix[kind] = self.mix.get(kind, 0) + 1
            slot = {"FileSha256": 0, "FileSha1": 0, "FileMd5": 0, "FilePath": 2, "IpAddress": 3, "DomainName": 4,
                    "Url": 5}[kind]
            observables[slot] = {"type": kind, "value": value}
        seconds = self.sequence % 86400
        return {
            "id": f"evt-{self.sequence:08d}",
            "deviceId": device,
            "timestamp": f"2026-12-03T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z",
            "observables": observables,
        }


def dumps(body):
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True)


def batch(events, size, matching, device_pool, match_devices=None, match_pick=None):
    rng = events.rng
    positions = set(rng.sample(range(size), matching))
    items = []
    for i in range(size):
        if i in positions:
            device = rng.choice(match_devices) if match_devices else rng.choice(device_pool)
            items.append(events.event(device, events.matching_value(match_pick)))
        else:
            items.append(events.event(rng.choice(device_pool)))
    return {"events": items}


def lookups(rng, values, loaded, count):
    lines, hits = [], 0
    hashes_by_type = {kind: [v for k, v in loaded.match_hashes if k == kind] for kind in HASH_LENGTHS}
    for i in range(count):
        hit = i % 2 == 0
        x = rng.random()
        if x < 0.3:
            kind, value = ("DomainName", rng.choice(loaded.lookup_domains)) if hit else ("DomainName", values.domain())
        elif x < 0.55:
            kind, value = ("IpAddress", rng.choice(loaded.match_addresses)) if hit else ("IpAddress", values.address())
        elif x < 0.9 or not hit:
            kind = values.hash_type()
            value = rng.choice(hashes_by_type[kind]) if hit else values.hash(kind)
            if hit and rng.random() < 0.3:
                value = value.upper()  # any spelling finds it: the value is normalised first
        else:
            kind, value = "Url", rng.choice(loaded.match_urls)
        hits += hit
        lines.append("/api/v1/iocs?" + urllib.parse.urlencode({"type": kind, "value": value}))
    return lines, hits


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--maltrail-csv", required=True)
    parser.add_argument("--signature-base-csv", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=4000)
    parser.add_argument("--lookups", type=int, default=4000)
    args = parser.parse_args()

    loaded = load(args.maltrail_csv, args.signature_base_csv)
    for name, pool in (("domains", loaded.match_domains), ("addresses", loaded.match_addresses), ("urls", loaded.match_urls),
                       ("hashes", loaded.match_hashes), ("filename literals", loaded.match_literals)):
        if not pool:
            sys.exit(f"no {name} to build matching events from")

    rng = random.Random(args.seed)
    values = Values(rng, loaded)
    events = Events(rng, values, loaded)
    devices = [f"host-{i:05d}" for i in range(5000)]
    os.makedirs(args.out, exist_ok=True)
    manifest = {"seed": args.seed, "batch_size": args.batch_size, "files": {}}

    def write(name, bodies, expected, extra):
        with open(os.path.join(args.out, name), "w", encoding="ascii", newline="\n") as out:
            for body in bodies:
                out.write(dumps(body) + "\n")
        manifest["files"][name] = {"requests": len(bodies), "expected_matched": expected, **extra}

    one_percent = max(1, round(args.batch_size / 100))
    bodies = [batch(events, args.batch_size, one_percent, devices) for _ in range(args.batches)]
    write("batch-1pct.jsonl", bodies, [one_percent] * len(bodies), {"events_per_request": args.batch_size})

    # 5 %: the matching events come from 10 devices and 40 IOCs, so repeats aggregate into open alerts.
    alert_devices = [f"alert-dev-{i:02d}" for i in range(10)]
    pool_rng = random.Random(args.seed + 1)
    pool = {
        "domains": pool_rng.sample(loaded.match_domains, 12),
        "addresses": pool_rng.sample(loaded.match_addresses, 12),
        "hashes": pool_rng.sample(loaded.match_hashes, 12),
        "urls": pool_rng.sample(loaded.match_urls, 2),
        "literals": pool_rng.sample(loaded.match_literals, 2),
    }
    by_list = {id(loaded.match_domains): pool["domains"], id(loaded.match_addresses): pool["addresses"],
               id(loaded.match_hashes): pool["hashes"], id(loaded.match_urls): pool["urls"],
               id(loaded.match_literals): pool["literals"]}
    pick = lambda full: rng.choice(by_list[id(full)])  # noqa: E731
    five_percent = max(1, round(args.batch_size / 20))
    bodies = [batch(events, args.batch_size, five_percent, devices, alert_devices, pick) for _ in range(args.batches)]
    write("batch-5pct.jsonl", bodies, [five_percent] * len(bodies),
          {"events_per_request": args.batch_size, "alert_devices": alert_devices,
           "alert_iocs": sum(len(p) for p in pool.values())})

    matching_singles = set(rng.sample(range(args.singles), max(1, args.singles // 100)))
    singles = [{"events": [events.event(rng.choice(devices), events.matching_value() if i in matching_singles else None)]}
               for i in range(args.singles)]
    write("single.jsonl", singles, [int(i in matching_singles) for i in range(args.singles)], {"events_per_request": 1})

    lines, hits = lookups(rng, values, loaded, args.lookups)
    with open(os.path.join(args.out, "iocs.txt"), "w", encoding="ascii", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
    manifest["files"]["iocs.txt"] = {"requests": len(lines), "hits": hits}

    manifest["matching_mix"] = dict(sorted(events.mix.items()))
    manifest["random_values_rejected_because_they_matched"] = values.rejected
    manifest["loaded"] = {"domains": len(loaded.domains), "addresses": len(loaded.addresses),
                          "ranges_v4": len(loaded.ranges[4][0]), "ranges_v6": len(loaded.ranges[6][0]),
                          "url_hosts": len(loaded.url_hosts), "filename_regexes_checked": len(loaded.regexes),
                          "filename_regexes_python_cannot_compile": loaded.regex_failures}
    with open(os.path.join(args.out, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=1)
    summary = {k: {kk: vv for kk, vv in v.items() if kk != "expected_matched"} for k, v in manifest["files"].items()}
    print(json.dumps({"files": summary, "matching_mix": manifest["matching_mix"],
                      "rejected": values.rejected, "loaded": manifest["loaded"]}, indent=1))


if __name__ == "__main__":
    main()

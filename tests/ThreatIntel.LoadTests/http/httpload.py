#!/usr/bin/env python3
"""Helpers of run.sh (the HTTP load test): readiness, pre-flight checks, running wrk, alert counts, the report.
Standard library only.

    httpload.py wait-ready --url URL [--timeout 300] [--pid PID]
    httpload.py get        --url URL --key KEY --path PATH                       (prints the JSON body)
    httpload.py check      --url URL --key KEY --ceiling-url URL --requests DIR --out FILE
    httpload.py wrk        --name NAME --target service|ceiling --url URL --file FILE --method POST|GET --path PATH
                           --key KEY --threads N --connections N --duration 20s --warmup 5s --pid PID --out DIR
                           [--events-per-request N] [--log FILE] [--half-rate-of RESULT.json] [--metrics-url URL]
    httpload.py alerts     --url URL --key KEY --devices D1,D2,... --out FILE
    httpload.py info       --work DIR [--json] [--append] KEY VALUE         (sets a field of DIR/run-info.json)
    httpload.py report     --work DIR --results FILE

Result files are JSON; every figure of the table is computed from them by `report`.
"""

import argparse
import http.client
import json
import os
import re
import resource
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TICKS = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1
DISTURBED_CORES = 0.25  # other processes' CPU above which a measurement is flagged
LUA = os.path.join(HERE, "wrk", "requests.lua")


# ----------------------------------------------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection."""

    def __init__(self, url, key=None, timeout=120):
        target = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout, self.key = target.hostname, target.port, timeout, key
        self.connection = None

    def request(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        if self.key:
            headers["X-Api-Key"] = self.key
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                return response.status, (json.loads(payload) if payload and payload[:1] in (b"{", b"[") else payload)
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = None


def wait_ready(args):
    began = time.time()
    client = Client(args.url, timeout=5)
    while time.time() - began < args.timeout:
        if args.pid and not os.path.exists(f"/proc/{args.pid}"):
            print(f"process {args.pid} exited", file=sys.stderr)
            return 2
        try:
            status, _ = client.request("GET", "/health/ready")
            if status == 200:
                print(f"{time.time() - began:.1f}")
                return 0
        except (OSError, http.client.HTTPException):
            client.close()
        time.sleep(0.5)
    print(f"not ready within {args.timeout} s", file=sys.stderr)
    return 1


def get(args):
    status, body = Client(args.url, args.key).request("GET", args.path)
    print(json.dumps(body) if not isinstance(body, bytes) else body.decode(errors="replace"))
    return 0 if status == 200 else 1


# ----------------------------------------------------------------------------------------------------------------------
# check: every body gives the expected `matched` (dry run), look-ups find what they should, the ceiling answers
# ----------------------------------------------------------------------------------------------------------------------

def lines(path):
    with open(path, encoding="ascii") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def check(args):
    manifest = json.load(open(os.path.join(args.requests, "manifest.json")))
    service = Client(args.url, args.key)
    failures = []
    report = {}

    for name in ("batch-1pct.jsonl", "batch-5pct.jsonl"):
        expected = manifest["files"][name]["expected_matched"]
        matched, matches = [], []
        for i, body in enumerate(lines(os.path.join(args.requests, name))):
            status, answer = service.request("POST", "/api/v1/events/evaluate?dryRun=true", body)
            if status != 200:
                failures.append(f"{name} body {i}: HTTP {status}: {str(answer)[:300]}")
                continue
            matched.append(answer["matched"])
            matches.append(sum(len(r["matches"]) for r in answer["results"]))
            if answer["evaluated"] != manifest["batch_size"]:
                failures.append(f"{name} body {i}: evaluated {answer['evaluated']}, sent {manifest['batch_size']}")
        report[name] = {"matched_per_body": matched, "expected_per_body": expected, "matches_per_body": matches}
        bad = [i for i, (m, e) in enumerate(zip(matched, expected)) if m != e]
        if bad:
            failures.append(f"{name}: matched {matched}, expected {expected} (bodies {bad})")
        print(f"  {name}: matched events per body {matched} (expected {expected[0]} of {manifest['batch_size']} each); "
              f"IOC matches per body {matches}")

    # The single-event bodies, checked 1,000 events at a time.
    singles = [json.loads(body)["events"][0] for body in lines(os.path.join(args.requests, "single.jsonl"))]
    expected = sum(manifest["files"]["single.jsonl"]["expected_matched"])
    matched = 0
    for start in range(0, len(singles), 1000):
        status, answer = service.request("POST", "/api/v1/events/evaluate?dryRun=true",
                                         json.dumps({"events": singles[start:start + 1000]}))
        if status != 200:
            failures.append(f"single.jsonl events {start}..: HTTP {status}: {str(answer)[:300]}")
            continue
        matched += answer["matched"]
    report["single.jsonl"] = {"matched": matched, "expected": expected, "events": len(singles)}
    print(f"  single.jsonl: {matched} of {len(singles)} events match (expected {expected})")
    if matched != expected:
        failures.append(f"single.jsonl: {matched} events matched, expected {expected}")

    # Look-ups: the even lines are hits, the odd ones misses; two of each per type are checked and timed one by one.
    paths = lines(os.path.join(args.requests, "iocs.txt"))
    chosen = {}
    for i, path in enumerate(paths):
        kind = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["type"][0]
        bucket = chosen.setdefault(kind, {True: [], False: []})[i % 2 == 0]
        if len(bucket) < 2:
            bucket.append(path)
    timings = {}
    wrong = 0
    for kind, buckets in sorted(chosen.items()):
        for hit, selected in buckets.items():
            for path in selected:
                began = time.perf_counter()
                status, answer = service.request("GET", path)
                timings.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
                if status != 200:
                    failures.append(f"{path}: HTTP {status}: {str(answer)[:300]}")
                    continue
                if (answer["totalCount"] > 0) != hit:
                    wrong += 1
                    failures.append(f"{path}: totalCount {answer['totalCount']}, expected {'some' if hit else 'none'}")
    mix = {}
    for path in paths:
        kind = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["type"][0]
        mix[kind] = mix.get(kind, 0) + 1
    report["iocs.txt"] = {"checked": sum(len(t) for t in timings.values()), "unexpected": wrong, "mix": mix,
                          "single_request_ms_by_type": {k: [round(t, 1) for t in v] for k, v in timings.items()}}
    print(f"  iocs.txt: {len(paths)} look-ups, {sum(1 for i in range(len(paths)) if i % 2 == 0)} hits; by type {mix}")
    print("  one look-up at a time, ms by type: " + "; ".join(
        f"{k} {', '.join(f'{t:.0f}' for t in v)}" for k, v in sorted(timings.items())))
    slow = [k for k, v in timings.items() if max(v) > 1000]
    if slow:
        print(f"  WARNING: single look-ups of {', '.join(sorted(slow))} take over a second on an idle service: "
              f"the look-up scenario will time out on them")

    # The ceiling takes the same bodies.
    ceiling = Client(args.ceiling_url)
    body = lines(os.path.join(args.requests, "batch-1pct.jsonl"))[0]
    status, answer = ceiling.request("POST", "/api/v1/events/evaluate", body)
    if status != 200 or answer.get("evaluated") != manifest["batch_size"]:
        failures.append(f"ceiling: HTTP {status}, {str(answer)[:200]}")
    status, answer = ceiling.request("GET", paths[0])  # the ceiling answers any type/value
    if status != 200:
        failures.append(f"ceiling look-up: HTTP {status}")
    print(f"  ceiling: evaluate and look-up answer 200")

    report["failures"] = failures
    with open(args.out, "w") as out:
        json.dump(report, out, indent=1)
    for failure in failures:
        print("  CHECK FAILED: " + failure, file=sys.stderr)
    return 1 if failures else 0


# ----------------------------------------------------------------------------------------------------------------------
# wrk
# ----------------------------------------------------------------------------------------------------------------------

def seconds(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)?", text)
    if not match:
        raise ValueError(f"bad duration {text}")
    value, unit = float(match.group(1)), match.group(2) or "s"
    return value / 1000 if unit == "ms" else value * 60 if unit == "m" else value


def process_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def process_status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def log_size(path):
    if not path or not os.path.exists(path):
        return None, None
    count = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return count, os.path.getsize(path)


def total_cpu():
    """All CPUs' jiffies (guest time is already inside user time) and the idle + iowait part of them."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:9]]
    return sum(fields), fields[3] + fields[4]


def scrape(url, names):
    """The sums of the given Prometheus counters, by name and label set."""
    if not url:
        return {}
    try:
        status, body = Client(url, timeout=10).request("GET", "/metrics")
    except (OSError, http.client.HTTPException):
        return {}
    if status != 200:
        return {}
    text = body.decode(errors="replace") if isinstance(body, bytes) else json.dumps(body)
    values = {}
    for line in text.splitlines():
        for name in names:
            if line.startswith(name):
                key, _, value = line.rpartition(" ")
                try:
                    values[key] = float(value)
                except ValueError:
                    pass
    return values


def run_wrk_once(args, duration, delay_ms):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}", "--timeout", args.timeout,
               "-s", LUA, args.url, "--", args.file, args.method, args.path, args.key]
    if delay_ms:
        command.append(f"{delay_ms:.4f}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"^WRK_RESULT (\{.*\})$", completed.stdout, re.M)
    if completed.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stdout[-2000:]} {completed.stderr[-2000:]}")
    result = json.loads(found.group(1))
    result["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["wrk_output"] = completed.stdout
    result["command"] = " ".join(command)
    return result


def run_wrk(args):
    os.makedirs(args.out, exist_ok=True)
    target_rate = None
    if args.half_rate_of:
        reference = json.load(open(args.half_rate_of))
        target_rate = reference["rps"] / 2
    attempts = []
    for attempt in range(1 + args.retries):
        result = measure_once(args, target_rate)
        attempts.append({k: result[k] for k in ("rps", "p50_us", "p99_us", "other_cores", "errors")})
        if result["other_cores"] <= DISTURBED_CORES or result["errors"] or result["warmup_errors"]:
            break
        if attempt < args.retries:
            print(f"  other processes used {result['other_cores']:.2f} cores: measuring again", file=sys.stderr)
    result["attempts"] = attempts
    with open(os.path.join(args.out, f"{args.name}.{args.target}.json"), "w") as out:
        json.dump(result, out, indent=1)
    if result["errors"] or result["warmup_errors"]:
        print(f"  ERRORS in {args.name} [{args.target}]: {json.dumps({k: result[k] for k in ('requests', 'connect', 'read', 'write', 'timeout', 'status')})}"
              f", warm-up errors {result['warmup_errors']}", file=sys.stderr)
        print(result["wrk_output"], file=sys.stderr)
        return 5
    return 0


def measure_once(args, target_rate):
    """Waits for quiet, warms up (calibrating the pause when pacing), measures; returns the result."""
    settled = settle(args.pid)
    if args.other_pid:
        settle(args.other_pid)
    quiet = settle_machine(args.idle_wait)
    delay_ms = 0.0
    calibration = None
    warmup = None
    if target_rate:
        # wrk paces with a pause before each request of a connection, so a connection sends one request per
        # pause + latency. The pause starts at connections ÷ rate; up to three calibration runs (the warm-up) each
        # measure the rate it gives and take the per-request overhead they show off the pause, until within 3 %.
        delay_ms = args.connections * 1000 / target_rate
        calibration = []
        part = f"{max(2, int(seconds(args.warmup) / 2))}s"
        for _ in range(3):
            warmup = run_wrk_once(args, part, delay_ms)
            achieved = warmup["requests"] / (warmup["duration_us"] / 1e6)
            calibration.append({"delay_ms": round(delay_ms, 3), "rate": round(achieved, 1)})
            if errors_of(warmup) or achieved <= 0 or abs(achieved / target_rate - 1) <= 0.03:
                break
            overhead_ms = args.connections * 1000 / achieved - delay_ms
            delay_ms = max(0.0, args.connections * 1000 / target_rate - overhead_ms)
    elif seconds(args.warmup) > 0:
        warmup = run_wrk_once(args, args.warmup, delay_ms)

    partner0 = process_cpu(args.other_pid) if args.other_pid else None
    cpu0, log0, sys0 = process_cpu(args.pid), log_size(args.log), total_cpu()
    metrics0 = scrape(args.metrics_url, ("threatintel_alerts_raised", "threatintel_events_evaluated"))
    started = time.time()
    result = run_wrk_once(args, args.duration, delay_ms)
    wall = time.time() - started
    cpu1, log1, sys1 = process_cpu(args.pid), log_size(args.log), total_cpu()
    partner1 = process_cpu(args.other_pid) if args.other_pid else None
    metrics1 = scrape(args.metrics_url, ("threatintel_alerts_raised", "threatintel_events_evaluated"))

    jiffies = max(1, sys1[0] - sys0[0])

    def cores(before, after):
        # CPU share in cores: jiffies of the process ÷ jiffies of all CPUs × CPU count. On this VM the kernel counts
        # more jiffies per second under load than the wall clock passes, so CPU seconds ÷ wall seconds overstates.
        return (after - before) * TICKS / jiffies * CPUS if before is not None and after is not None else None

    result.update({
        "name": args.name,
        "target": args.target,
        "threads": args.threads,
        "connections": args.connections,
        "duration": args.duration,
        "events_per_request": args.events_per_request,
        "delay_ms": delay_ms,
        "target_rate": target_rate,
        "calibration": calibration,
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "wall_s": wall,
        "process_cpu_s": (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None,
        "process_cores": cores(cpu0, cpu1),
        "partner_cores": cores(partner0, partner1) or 0.0,
        "wrk_cores": result["wrk_cpu_s"] * TICKS / jiffies * CPUS,
        "machine_busy": 1 - (sys1[1] - sys0[1]) / jiffies,
        "rss_mb": (process_status_kb(args.pid, "VmRSS") or 0) / 1024,
        "hwm_mb": (process_status_kb(args.pid, "VmHWM") or 0) / 1024,
        "log_lines": (log1[0] - log0[0]) if log0[0] is not None else None,
        "log_bytes": (log1[1] - log0[1]) if log0[1] is not None else None,
        "metrics_delta": {k: metrics1[k] - metrics0.get(k, 0) for k in metrics1 if metrics1[k] != metrics0.get(k, 0)},
        "settle_s": settled,
        "machine_quiet_wait_s": quiet,
        "warmup_errors": errors_of(warmup) if warmup else 0,
        "warmup_requests": warmup["requests"] if warmup else 0,
    })
    # What neither the measured process, its idle partner nor wrk used: other processes on the machine.
    result["other_cores"] = max(0.0, result["machine_busy"] * CPUS - (result["process_cores"] or 0)
                                - result["wrk_cores"] - result["partner_cores"])
    result["events_per_s"] = result["rps"] * args.events_per_request
    result["errors"] = errors_of(result)
    pace = f", paced at {delay_ms:.2f} ms per connection for {target_rate:,.0f} req/s" if target_rate else ""
    print(f"  {args.name} [{args.target}] {result['rps']:,.0f} req/s, {result['events_per_s']:,.0f} events/s, "
          f"p50 {result['p50_us'] / 1000:.2f} ms, p99 {result['p99_us'] / 1000:.2f} ms; {args.target} CPU "
          f"{result['process_cores'] or float('nan'):.2f} cores, wrk CPU {result['wrk_cores']:.2f} cores, "
          f"other processes {result['other_cores']:.2f} cores{pace}")
    if result["other_cores"] > DISTURBED_CORES:
        print(f"  WARNING: other processes used {result['other_cores']:.2f} cores during this measurement", file=sys.stderr)
    return result


def settle(pid, limit=60, idle_cores=0.15):
    """Waits until the process uses less than `idle_cores` CPU over half a second (work left over from the previous
    measurement, a GC, an index refresh), at most `limit` seconds. Returns the seconds waited, or None on time-out."""
    began = time.time()
    while time.time() - began < limit:
        before = process_cpu(pid)
        time.sleep(0.5)
        after = process_cpu(pid)
        if before is None or after is None or (after - before) / 0.5 < idle_cores:
            return round(time.time() - began, 1)
    print(f"  note: process {pid} was still busy after {limit} s; measuring anyway", file=sys.stderr)
    return None


def settle_machine(limit, busy_cores=0.25):
    """Waits, at most `limit` seconds, until the whole machine uses less than `busy_cores` over one second: the
    measured processes are idle by then, so what is left is someone else. Returns the seconds waited, None on time-out."""
    began = time.time()
    while True:
        before = total_cpu()
        time.sleep(1)
        after = total_cpu()
        busy = (1 - (after[1] - before[1]) / max(1, after[0] - before[0])) * CPUS
        if busy < busy_cores:
            return round(time.time() - began, 1)
        if time.time() - began >= limit:
            print(f"  note: other processes keep {busy:.2f} cores busy; measuring anyway after {limit} s", file=sys.stderr)
            return None


def errors_of(result):
    """Socket errors, time-outs and statuses >= 400; a run in which no request completed counts as one error too."""
    return sum(result[k] for k in ("connect", "read", "write", "timeout", "status")) + (result["requests"] == 0)


# ----------------------------------------------------------------------------------------------------------------------
# alerts: how many alerts the given devices have, and their occurrences
# ----------------------------------------------------------------------------------------------------------------------

def alerts(args):
    client = Client(args.url, args.key)
    status, page = client.request("GET", "/api/v1/alerts?pageSize=1")
    if status != 200:
        print(f"GET /api/v1/alerts: HTTP {status}: {page}", file=sys.stderr)
        return 1
    summary = {"total_alerts": page["totalCount"], "device_alerts": 0, "device_occurrences": 0, "max_occurrences": 0}
    for device in filter(None, args.devices.split(",")):
        number = 1
        while True:
            query = urllib.parse.urlencode({"deviceId": device, "pageSize": 1000, "page": number})
            status, page = client.request("GET", f"/api/v1/alerts?{query}")
            if status != 200:
                print(f"GET /api/v1/alerts?{query}: HTTP {status}: {page}", file=sys.stderr)
                return 1
            for alert in page["items"]:
                summary["device_alerts"] += 1
                summary["device_occurrences"] += alert["occurrences"]
                summary["max_occurrences"] = max(summary["max_occurrences"], alert["occurrences"])
            if number * 1000 >= page["totalCount"]:
                break
            number += 1
    with open(args.out, "w") as out:
        json.dump(summary, out)
    print(json.dumps(summary))
    return 0


# ----------------------------------------------------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------------------------------------------------

def load_result(work, name, target):
    path = os.path.join(work, "results", f"{name}.{target}.json")
    return json.load(open(path)) if os.path.exists(path) else None


def fmt_int(value):
    return "—" if value is None else f"{value:,.0f}"


def fmt_ms(us):
    return "—" if us is None else f"{us / 1000:.2f}"


def report(args):
    work = args.work
    info = json.load(open(os.path.join(work, "run-info.json")))
    rows = []
    verdicts = []

    def row(scenario, service, ceiling, ratio, ratio_of, goal, passed, note=""):
        errors = service is not None and (service["errors"] or service["warmup_errors"]) \
            or ceiling is not None and (ceiling["errors"] or ceiling["warmup_errors"])
        verdict = "ERRORS" if errors else "—" if passed is None else "PASS" if passed else "FAIL"
        disturbed = [r["other_cores"] for r in (service, ceiling) if r is not None and r.get("other_cores", 0) > DISTURBED_CORES]
        if disturbed:
            note = (note + "; " if note else "") + f"disturbed: other processes used {max(disturbed):.2f} cores"
        verdicts.append(verdict)
        rows.append([
            scenario,
            str(service["connections"]) if service else "—",
            fmt_int(service["rps"]) if service else "—",
            fmt_int(service["events_per_s"]) if service else "—",
            fmt_ms(service["p50_us"]) if service and service["requests"] else "—",
            fmt_ms(service["p99_us"]) if service and service["requests"] else "—",
            fmt_int(ceiling["rps"]) if ceiling else "—",
            fmt_int(ceiling["events_per_s"]) if ceiling else "—",
            "—" if ratio is None else f"{ratio:.2f}× {ratio_of}",
            goal,
            verdict + (f" ({note})" if note else ""),
        ])

    b1 = load_result(work, "batch-1pct", "service")
    b1c = load_result(work, "batch-1pct", "ceiling")
    if b1:
        ratio = b1["events_per_s"] / b1c["events_per_s"] if b1c else None
        row("batch of 1,000 events, 1 % matching, dryRun=false", b1, b1c, ratio, "ceiling",
            "≥ 150,000 events/s and ≥ 0.25× ceiling",
            b1["events_per_s"] >= 150_000 and ratio is not None and ratio >= 0.25)
    s1 = load_result(work, "single", "service")
    s1c = load_result(work, "single", "ceiling")
    if s1:
        ratio = s1["rps"] / s1c["rps"] if s1c else None
        row("single event, 1 % matching, dryRun=false", s1, s1c, ratio, "ceiling", "≥ 0.45× ceiling req/s",
            ratio is not None and ratio >= 0.45)
    sp = load_result(work, "single-paced", "service")
    if sp:
        achieved = sp["rps"] / sp["target_rate"]
        row(f"single event paced at half the rate ({sp['target_rate']:,.0f} req/s offered)", sp, None, achieved,
            "of the offered rate", "p99 ≤ 10 ms", sp["p99_us"] <= 10_000,
            "" if 0.9 <= achieved <= 1.1 else "pacing missed the rate by more than 10 %")
    lk = load_result(work, "lookup", "service")
    lkc = load_result(work, "lookup", "ceiling")
    if lk:
        ratio = lk["rps"] / lkc["rps"] if lkc else None
        row("GET /iocs?type=&value= (50 % hits)", lk, lkc, ratio, "ceiling", "≥ 0.5× ceiling req/s",
            ratio is not None and ratio >= 0.5)
    b5d = load_result(work, "batch-5pct-dryrun", "service")
    b5 = load_result(work, "batch-5pct-alerts", "service")
    if b5d:
        row("batch of 1,000, 5 % matching, dryRun=true (no-alert baseline)", b5d, None, None, "", "(baseline)", None)
    if b5:
        ratio = b5["events_per_s"] / b5d["events_per_s"] if b5d else None
        vs_1pct = f"; {b5['events_per_s'] / b1['events_per_s']:.2f}× the 1 % batch" if b1 else ""
        row("batch of 1,000, 5 % matching, dryRun=false (alerts raised, aggregated)", b5, None, ratio,
            "dryRun=true" + vs_1pct, "≥ 0.7× no-alert figure", ratio is not None and ratio >= 0.7)

    fl = load_result(work, "floor", "service")
    if fl:
        ratio = fl["rps"] / lkc["rps"] if lkc else None
        row("floor: GET /matching/status (API key, rate limiter, MVC, request log; no work)", fl, None, ratio,
            "the ceiling's GET", "(reference)", None)

    header = ["scenario", "conns", "service req/s", "service events/s", "p50 ms", "p99 ms", "ceiling req/s",
              "ceiling events/s", "ratio", "target", "result"]
    table = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    table += ["| " + " | ".join(r) + " |" for r in rows]

    details = ["| scenario | target | requests | service/ceiling CPU (cores) | wrk CPU (cores) | other processes (cores) | "
               "log lines per request | RSS MB | errors |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ("batch-1pct", "single", "single-paced", "lookup", "batch-5pct-dryrun", "batch-5pct-alerts", "floor"):
        for target in ("service", "ceiling"):
            r = load_result(work, name, target)
            if not r:
                continue
            cores = r["process_cores"] if r["process_cores"] is not None else float("nan")
            per_request = (f"{r['log_lines'] / r['requests']:.2f}" if r.get("log_lines") is not None and r["requests"] else "—")
            details.append(f"| {name} | {target} | {r['requests']:,} | {cores:.2f} | {r['wrk_cores']:.2f} | "
                           f"{r.get('other_cores', float('nan')):.2f} | {per_request} | {r['rss_mb']:,.0f} | {r['errors']} |")

    def optional(name):
        path = os.path.join(work, name)
        return json.load(open(path)) if os.path.exists(path) else {}

    alerts_before = optional("alerts-before.json")
    alerts_after = optional("alerts-after.json")
    checked = optional("check.json")
    lines_out = [
        f"# ThreatIntel HTTP load test — {info['started']}",
        "",
        f"Machine: {info['machine']}",
        f"Load average at start {info['loadavg_start']}, at end {info.get('loadavg_end', '?')}; "
        f"other processes using CPU at start: {info.get('busy_at_start', 'none')}",
        f"Service: {info['service']}",
        f"Index: {info['index']}",
        f"wrk: -t{info['threads']}, {info['duration']} per measurement after a {info['warmup']} warm-up (discarded); "
        f"connections per scenario as in the table; service and ceiling measured with the same settings; before the "
        f"first measurement, {info.get('jit_warmup', '0s')} each of single events, batches and look-ups on both (JIT warm-up)",
        "",
        *table,
        "",
        "Ratios: events/s (or requests/s) of the service ÷ the ceiling's in the same run; the paced row shows the rate "
        "achieved ÷ the rate offered; the alerts row divides by the same bodies sent with dryRun=true.",
        "",
    ]
    if alerts_after:
        b5_requests = (b5 or {}).get("requests", 0) + (b5 or {}).get("warmup_requests", 0)
        check = checked.get("batch-5pct.jsonl", {})
        per_body = check.get("matches_per_body") or [0]
        expected = b5_requests * sum(per_body) / len(per_body)
        lines_out += [
            f"Alerts: {alerts_before.get('total_alerts', 0):,} before the 5 % scenario, {alerts_after.get('total_alerts', 0):,} after; "
            f"its 10 devices hold {alerts_after.get('device_alerts', 0):,} alerts with {alerts_after.get('device_occurrences', 0):,} "
            f"occurrences in all (max {alerts_after.get('max_occurrences', 0):,} on one alert) for {b5_requests:,} requests × "
            f"{sum(per_body) / len(per_body):.1f} IOC matches ≈ {expected:,.0f} matches sent (warm-up included).",
            f"Service metrics during the measured 5 % run: {json.dumps((b5 or {}).get('metrics_delta', {}))}",
            "",
        ]
    lookups = checked.get("iocs.txt", {})
    if lookups.get("single_request_ms_by_type"):
        lines_out += [
            "Look-up mix (requests by type): " + json.dumps(lookups.get("mix", {})) + "; one look-up at a time on the idle "
            "service before the load, ms: " + "; ".join(f"{k} {', '.join(f'{t:.0f}' for t in v)}"
                                                         for k, v in sorted(lookups["single_request_ms_by_type"].items())),
            "",
        ]
    lines_out += ["Resources per measurement (CPU in cores: the process's share of all CPU jiffies × CPU count):", "",
                  *details, ""]
    if info.get("notes"):
        lines_out += ["Notes:", ""] + [f"- {n}" for n in info["notes"]] + [""]
    text = "\n".join(lines_out)
    with open(args.results, "w") as out:
        out.write(text)
    print(text)
    return 1 if "ERRORS" in verdicts else 0


def info(args):
    path = os.path.join(args.work, "run-info.json")
    data = json.load(open(path)) if os.path.exists(path) else {}
    value = json.loads(args.value) if args.json else args.value
    if args.append:
        data.setdefault(args.key, []).append(value)
    else:
        data[args.key] = value
    with open(path, "w") as out:
        json.dump(data, out, indent=1)
    return 0


# ----------------------------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("wait-ready")
    p.add_argument("--url", required=True)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--pid", type=int)
    p.set_defaults(func=wait_ready)

    p = sub.add_parser("get")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--path", required=True)
    p.set_defaults(func=get)

    p = sub.add_parser("check")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--ceiling-url", required=True)
    p.add_argument("--requests", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=check)

    p = sub.add_parser("wrk")
    p.add_argument("--name", required=True)
    p.add_argument("--target", required=True, choices=("service", "ceiling"))
    p.add_argument("--url", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--method", required=True, choices=("POST", "GET"))
    p.add_argument("--path", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--duration", required=True)
    p.add_argument("--warmup", required=True)
    p.add_argument("--timeout", default="10s")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--other-pid", type=int, help="also wait for this process to go idle before measuring")
    p.add_argument("--idle-wait", type=float, default=30, help="seconds to wait at most for the machine to go idle")
    p.add_argument("--retries", type=int, default=1, help="measure again (at most this often) when other processes interfered")
    p.add_argument("--out", required=True)
    p.add_argument("--events-per-request", type=int, default=1)
    p.add_argument("--log")
    p.add_argument("--half-rate-of")
    p.add_argument("--metrics-url")
    p.set_defaults(func=run_wrk)

    p = sub.add_parser("alerts")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--devices", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=alerts)

    p = sub.add_parser("info")
    p.add_argument("--work", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--append", action="store_true")
    p.add_argument("key")
    p.add_argument("value")
    p.set_defaults(func=info)

    p = sub.add_parser("report")
    p.add_argument("--work", required=True)
    p.add_argument("--results", required=True)
    p.set_defaults(func=report)

    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Helpers of run.sh: the evaluate probe, the process sampler, waiting for the matching index, and the report.

    loadtools.py probe       --url URL --key KEY --out FILE --stop FILE [--interval-ms 5]
    loadtools.py sample      --pid PID --db FILE --out FILE --stop FILE [--interval-ms 250]
    loadtools.py wait-index  --url URL --key KEY --after-version N --count N [--timeout 600]
    loadtools.py report      --work DIR

Times are Unix epoch seconds (float). The probe and the sampler write one CSV line per request / sample and stop when
the stop file appears (or on SIGTERM).
"""

import argparse
import http.client
import json
import os
import signal
import sys
import time
import urllib.parse

STOP = False


def _on_term(*_):
    global STOP
    STOP = True


def _stopped(stop_file):
    return STOP or os.path.exists(stop_file)


# --------------------------------------------------------------------------------------------------------------------
# probe: POST /api/v1/events/evaluate?dryRun=true with one small non-matching event, over and over, one at a time.
# --------------------------------------------------------------------------------------------------------------------

def probe(args):
    target = urllib.parse.urlsplit(args.url)
    headers = {"X-Api-Key": args.key, "Content-Type": "application/json", "Accept": "application/json"}
    connection = None
    sequence = 0
    with open(args.out, "w", buffering=1) as out:
        out.write("start,latency_ms,status\n")
        while not _stopped(args.stop):
            sequence += 1
            # 192.0.2.0/24 (TEST-NET-1) and *.example.invalid are in no maltrail trail: nothing matches.
            body = json.dumps({"events": [{
                "id": f"probe-{sequence}",
                "deviceId": "load-probe",
                "observables": [
                    {"type": "IpAddress", "value": f"192.0.2.{sequence % 250 + 1}"},
                    {"type": "DomainName", "value": f"host{sequence}.probe.example.invalid"},
                ],
            }]})
            start = time.time()
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=args.timeout)
                connection.request("POST", "/api/v1/events/evaluate?dryRun=true", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                status = str(response.status)
                if response.status == 200 and json.loads(payload).get("matched", 0) != 0:
                    status = "200-unexpected-match"
            except (OSError, http.client.HTTPException, ValueError) as error:
                status = f"ERR-{type(error).__name__}"
                if connection is not None:
                    connection.close()
                connection = None
            latency = (time.perf_counter() - began) * 1000
            out.write(f"{start:.4f},{latency:.3f},{status}\n")
            if status.startswith("ERR"):
                time.sleep(0.2)
            elif args.interval_ms > 0:
                time.sleep(args.interval_ms / 1000)


# --------------------------------------------------------------------------------------------------------------------
# sample: the service's RSS, peak RSS, CPU time, and the SQLite file and WAL sizes.
# --------------------------------------------------------------------------------------------------------------------

def _status_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def sample(args):
    with open(args.out, "w", buffering=1) as out:
        out.write("time,rss_kb,hwm_kb,cpu_s,db_bytes,wal_bytes\n")
        while not _stopped(args.stop):
            try:
                line = (f"{time.time():.3f},{_status_kb(args.pid, 'VmRSS')},{_status_kb(args.pid, 'VmHWM')},"
                        f"{_cpu_seconds(args.pid):.2f},{_size(args.db)},{_size(args.db + '-wal')}\n")
            except OSError:
                break  # the process is gone
            out.write(line)
            time.sleep(args.interval_ms / 1000)


# --------------------------------------------------------------------------------------------------------------------
# wait-index: until /api/v1/matching/status reports a version after N holding the expected IOC count.
# --------------------------------------------------------------------------------------------------------------------

def _get_json(url, key, path):
    target = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Api-Key": key})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def wait_index(args):
    began = time.time()
    last = None
    while time.time() - began < args.timeout:
        try:
            status, body = _get_json(args.url, args.key, "/api/v1/matching/status")
        except (OSError, http.client.HTTPException, ValueError):
            status, body = 0, None
        if status == 200:
            last = body
            if body["version"] > args.after_version and body["iocCount"] == args.count:
                body["observedAt"] = time.time()
                print(json.dumps(body))
                return 0
        time.sleep(0.1)
    print(json.dumps({"timeout": True, "last": last}))
    return 1


# --------------------------------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------------------------------

def _read_csv(path):
    rows = []
    with open(path) as lines:
        header = next(lines).strip().split(",")
        for line in lines:
            values = line.strip().split(",")
            if len(values) == len(header):
                rows.append(dict(zip(header, values)))
    return rows


def _percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def _probe_stats(probes, start, end):
    window = [p for p in probes if start <= float(p["start"]) < end]
    ok = sorted(float(p["latency_ms"]) for p in window if p["status"] == "200")
    errors = [p["status"] for p in window if p["status"] != "200"]
    return {
        "count": len(window),
        "p50": _percentile(ok, 0.50),
        "p99": _percentile(ok, 0.99),
        "max": ok[-1] if ok else float("nan"),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "rate": len(window) / (end - start) if end > start else 0.0,
    }


def _samples_in(samples, start, end):
    return [s for s in samples if start <= float(s["time"]) <= end]


def _first_time(samples, predicate):
    for s in samples:
        if predicate(s):
            return float(s["time"])
    return None


def report(args):
    work = args.work
    phases = {}
    with open(os.path.join(work, "phases.txt")) as f:
        for line in f:
            name, _, value = line.strip().partition("=")
            try:
                phases[name] = float(value)
            except ValueError:
                phases[name] = value
    probes = _read_csv(os.path.join(work, "probe.csv"))
    samples = _read_csv(os.path.join(work, "samples.csv"))

    def ph(name):
        return phases.get(name)

    windows = [
        ("idle, before the first push", ph("idle_start"), ph("push1_start")),
        ("first push (PUT, 1.76 M new IOCs)", ph("push1_start"), ph("push1_end")),
        ("after it, until the new index served", ph("push1_end"), ph("index1_ready")),
        ("re-push of the same file", ph("push2_start"), ph("push2_end")),
        ("after the re-push", ph("push2_end"), ph("probe_stop")),
    ]

    def mb(kb):
        return kb / 1024

    def peak_rss(start, end):
        window = _samples_in(samples, start, end)
        return max((int(s["rss_kb"]) for s in window), default=0)

    def cpu(start, end):
        window = _samples_in(samples, start, end)
        if len(window) < 2:
            return float("nan")
        return float(window[-1]["cpu_s"]) - float(window[0]["cpu_s"])

    print()
    print("=" * 100)
    print("Feed load: maltrail as one CSV sync push (figures of this run)")
    print("=" * 100)
    def verdict(value, limit):
        return f"<= {limit:<6} {'ok' if value <= limit else 'MISSED'}"

    rows = [
        ("first push, seconds (curl time_total)", f"{phases['push1_seconds']:.1f}", verdict(phases["push1_seconds"], 60)),
        ("re-push, seconds", f"{phases['push2_seconds']:.1f}", verdict(phases["push2_seconds"], 20)),
        ("new index served, seconds after the first push's response", f"{phases['index1_ready'] - phases['push1_end']:.1f}", ""),
        ("  its build (buildDurationMs from /matching/status)", f"{phases['index1_build_ms'] / 1000:.1f}", ""),
        ("peak RSS of the service (VmHWM), MB", f"{mb(phases['vmhwm_kb']):.0f}", verdict(mb(phases["vmhwm_kb"]), 2048)),
        ("  peak sampled RSS during the first push, MB", f"{mb(peak_rss(ph('push1_start'), ph('push1_end'))):.0f}", ""),
        ("  peak sampled RSS while the index was rebuilt, MB", f"{mb(peak_rss(ph('push1_end'), ph('index1_ready'))):.0f}", ""),
        ("  peak sampled RSS during the re-push, MB", f"{mb(peak_rss(ph('push2_start'), ph('push2_end'))):.0f}", ""),
        ("  RSS at the end, MB", f"{mb(int(samples[-1]['rss_kb'])) if samples else float('nan'):.0f}", ""),
        ("service CPU seconds during the first push", f"{cpu(ph('push1_start'), ph('push1_end')):.1f}", ""),
        ("service CPU seconds during the re-push", f"{cpu(ph('push2_start'), ph('push2_end')):.1f}", ""),
        ("SQLite file after the run, MB", f"{_size(phases['db']) / 2**20:.0f}", ""),
    ]
    width = max(len(r[0]) for r in rows) + 2
    print(f"load average (1/5/15 min) at the start: {phases.get('loadavg_start')}, at the end: {phases.get('loadavg_end')}"
          f" on {os.cpu_count()} cores (other processes share the machine)")
    print(f"{'measure':<{width}}{'value':>10}   target")
    for name, value, target in rows:
        print(f"{name:<{width}}{value:>10}   {target}")

    print()
    print("evaluate probe (POST /events/evaluate?dryRun=true, 1 event, 2 non-matching observables, one at a time); target p99 <= 100 ms")
    print(f"{'window':<40}{'seconds':>9}{'count':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}  p99 target")
    for name, start, end in windows:
        if start is None or end is None:
            continue
        stats = _probe_stats(probes, start, end)
        print(f"{name:<40}{end - start:>9.1f}{stats['count']:>8}{stats['rate']:>8.0f}{stats['p50']:>9.1f}"
              f"{stats['p99']:>9.1f}{stats['max']:>9.1f}{stats['errors']:>8}  {'ok' if stats['p99'] <= 100 else 'MISSED'}"
              + (f"  {','.join(stats['error_kinds'])}" if stats["errors"] else ""))

    # Where the first push's time went, as seen from outside: the transaction writes the WAL, the commit's
    # checkpoint copies it into the database file.
    push1 = _samples_in(samples, ph("push1_start"), ph("push1_end") + 1)
    if push1:
        wal0 = int(push1[0]["wal_bytes"])
        db0 = int(push1[0]["db_bytes"])
        writing = _first_time(push1, lambda s: int(s["wal_bytes"]) > wal0 + 2**20)
        wal_peak = max(int(s["wal_bytes"]) for s in push1)
        wal_full = _first_time(push1, lambda s: int(s["wal_bytes"]) >= wal_peak)
        checkpoint = _first_time(push1, lambda s: int(s["db_bytes"]) > db0 + 2**20)
        t0 = ph("push1_start")
        print()
        print("first push, timeline from the sampler (seconds after the request started; 250 ms resolution)")
        print(f"  {0.0:7.1f}  request sent (body {phases['csv_bytes'] / 2**20:.0f} MB)")
        if writing:
            print(f"  {writing - t0:7.1f}  WAL starts growing: body read, parsed and planned; the transaction writes")
        if wal_full:
            print(f"  {wal_full - t0:7.1f}  WAL at its peak, {wal_peak / 2**20:.0f} MB: the rows are written (commit)")
        if checkpoint:
            print(f"  {checkpoint - t0:7.1f}  database file grows: the commit's checkpoint copies the WAL into it")
        print(f"  {ph('push1_end') - t0:7.1f}  response received")
        print(f"  {ph('index1_ready') - t0:7.1f}  /matching/status shows the new index")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("probe")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--stop", required=True)
    p.add_argument("--interval-ms", type=float, default=5)
    p.add_argument("--timeout", type=float, default=30)

    s = commands.add_parser("sample")
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--db", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--stop", required=True)
    s.add_argument("--interval-ms", type=float, default=250)

    w = commands.add_parser("wait-index")
    w.add_argument("--url", required=True)
    w.add_argument("--key", required=True)
    w.add_argument("--after-version", type=int, required=True)
    w.add_argument("--count", type=int, required=True)
    w.add_argument("--timeout", type=float, default=600)

    r = commands.add_parser("report")
    r.add_argument("--work", required=True)

    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _on_term)
    handler = {"probe": probe, "sample": sample, "wait-index": wait_index, "report": report}[args.command]
    sys.exit(handler(args) or 0)


if __name__ == "__main__":
    main()

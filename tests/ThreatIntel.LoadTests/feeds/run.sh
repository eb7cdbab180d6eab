#!/usr/bin/env bash
# Feed load measurement: the whole maltrail static trail set pushed as one CSV sync push into SQLite, then pushed again,
# while a probe keeps evaluating events. Prints the figures; see README.md next to this file.
#
#   bash tests/ThreatIntel.LoadTests/feeds/run.sh
#
# Environment: THREATINTEL_DATA (default <repo>/../shared/data), FEED_NAME (maltrail), PROBE_INTERVAL_MS (5),
# IDLE_SECONDS (5), PUSH_TIMEOUT (1800), KEEP_WORK (set to keep the temp directory with the database and logs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
data=${THREATINTEL_DATA:-$repo/../shared/data}
tarball=$data/maltrail/maltrail-static-trails.tar.gz
feed=${FEED_NAME:-maltrail}
probe_interval_ms=${PROBE_INTERVAL_MS:-5}
idle_seconds=${IDLE_SECONDS:-5}
push_timeout=${PUSH_TIMEOUT:-1800}
tools=$here/loadtools.py

for tool in dotnet python3 curl; do
  command -v "$tool" >/dev/null || { echo "run.sh needs $tool on PATH" >&2; exit 1; }
done
[[ -f $tarball ]] || { echo "no maltrail tarball at $tarball (set THREATINTEL_DATA)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/threatintel-feedload.XXXXXX")
phases=$work/phases.txt
svc_pid=""
probe_pid=""
sampler_pid=""

now() { date +%s.%N; }
mark() { echo "$1=$2" >> "$phases"; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
# jget KEY... : reads JSON on stdin, prints the value at that path
jget() { python3 -c 'import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1:]:
    d = d[int(k)] if isinstance(d, list) else d[k]
print(json.dumps(d) if isinstance(d, (dict, list)) else d)' "$@"; }

cleanup() {
  local rc=$?
  touch "$work/stop"
  for pid in $probe_pid $sampler_pid; do kill "$pid" 2>/dev/null || true; done
  if [[ -n $svc_pid ]] && kill -0 "$svc_pid" 2>/dev/null; then
    kill "$svc_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$svc_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$svc_pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  if [[ $rc -eq 0 && -z ${KEEP_WORK:-} ]]; then
    rm -rf "$work"
  else
    echo "work directory kept: $work (service log: $work/service.log)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

alive() {
  if ! kill -0 "$svc_pid" 2>/dev/null; then
    log "THE SERVICE DIED ($1). Last lines of its log:"
    tail -n 40 "$work/service.log" || true
    exit 2
  fi
}

mark loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
log "machine: $(nproc) cores, $(free -m | awk '/^Mem:/ {print $2 " MB RAM, " $7 " MB available"}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "busiest other processes right now (%CPU, RSS MB, command):"
ps -eo pcpu=,rss=,args= --sort=-pcpu | head -5 | awk '{ printf "    %5s%% %7.0f  ", $1, $2 / 1024; $1 = $2 = ""; print substr($0, 1, 100) }'

# 1. Release build
log "building Release: dotnet build -c Release src/ThreatIntel.Api"
if ! dotnet build -c Release "$repo/src/ThreatIntel.Api" -nologo -v q > "$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log"
  exit 1
fi
dll=$(ls -t "$repo"/src/ThreatIntel.Api/bin/Release/*/ThreatIntel.Api.dll | head -n 1)
log "built $dll"

# 2. The CSV
csv=$work/maltrail.csv
log "converting $tarball into one CSV"
python3 "$here/make_maltrail_csv.py" "$tarball" "$csv" | tee "$work/csv-summary.json"
rows=$(jget rows < "$work/csv-summary.json")
mark csv_bytes "$(stat -c %s "$csv")"
log "left out $(jget left_out_path_only_urls < "$work/csv-summary.json") path-only URL trails (no host, not representable as a Url IOC)"

# 3. The service, on a fresh SQLite file
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
key=ti_feedload_$(python3 -c 'import secrets; print(secrets.token_hex(16))')
db=$work/threatintel.db
mark db "$db"
log "starting the service on $url, database $db"
(
  cd "$(dirname "$dll")"
  export ASPNETCORE_URLS=$url ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
    Database__Provider=Sqlite Database__MigrateOnStartup=true ConnectionStrings__ThreatIntel="Data Source=$db" \
    Auth__BootstrapAdminKey=$key Serilog__MinimumLevel__Default=Information \
    RateLimiting__Events__PermitLimit=1000000000 RateLimiting__Reads__PermitLimit=1000000000
  exec dotnet "$dll"
) > "$work/service.log" 2>&1 &
svc_pid=$!
started=$(now)
ready=""
for _ in $(seq 1 600); do
  alive "start-up"
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready" || true) == 200 ]]; then ready=yes; break; fi
  sleep 0.2
done
[[ -n $ready ]] || { log "the service was not ready within 120 s"; tail -n 40 "$work/service.log"; exit 1; }
log "ready after $(python3 -c "print(f'{$(now) - $started:.1f}')") s (pid $svc_pid)"

status_json() { curl -sS --max-time 30 -H "X-Api-Key: $key" "$url/api/v1/matching/status"; }
evaluate() { # evaluate TYPE VALUE -> number of matched events (dry run)
  curl -sS --max-time 30 -H "X-Api-Key: $key" -H 'Content-Type: application/json' -X POST "$url/api/v1/events/evaluate?dryRun=true" \
    -d "{\"events\":[{\"id\":\"check\",\"deviceId\":\"load-check\",\"observables\":[{\"type\":\"$1\",\"value\":\"$2\"}]}]}" | jget matched
}

# 4./6. The sampler (RSS, CPU, file sizes) and the evaluate probe, in the background for the whole run
python3 "$tools" sample --pid "$svc_pid" --db "$db" --out "$work/samples.csv" --stop "$work/stop" &
sampler_pid=$!
mark probe_start "$(now)"
python3 "$tools" probe --url "$url" --key "$key" --out "$work/probe.csv" --stop "$work/stop" --interval-ms "$probe_interval_ms" &
probe_pid=$!
log "probe running (one request at a time, ${probe_interval_ms} ms pause); 2 s warm-up, then ${idle_seconds} s idle baseline"
sleep 2
mark idle_start "$(now)"
sleep "$idle_seconds"

# 5. The pushes
push() { # push NAME : PUT the CSV, record start, end and curl's time_total
  local name=$1 out=$work/$1.json result code seconds
  log "$name: PUT /api/v1/feeds/$feed?skipInvalid=true ($rows rows, $(( $(stat -c %s "$csv") / 1048576 )) MB)"
  mark "${name}_start" "$(now)"
  result=$(curl -sS -o "$out" -w '%{http_code} %{time_total}' --max-time "$push_timeout" -X PUT \
    -H "X-Api-Key: $key" -H 'Content-Type: text/csv' --data-binary @"$csv" \
    "$url/api/v1/feeds/$feed?skipInvalid=true") || true
  mark "${name}_end" "$(now)"
  read -r code seconds <<< "$result"
  mark "${name}_seconds" "${seconds:-0}"
  alive "$name"
  log "$name: HTTP ${code:-none} after ${seconds:-?} s"
  # The summary, with the rejected rows cut to the first five
  python3 - "$out" <<'EOF'
import json, sys
try:
    body = json.load(open(sys.argv[1]))
except ValueError:
    print(open(sys.argv[1]).read()[:2000]); sys.exit()
rejected = body.get("rejected") or []
if len(rejected) > 5:
    body["rejected"] = rejected[:5] + [f"... {len(rejected) - 5} more"]
print(json.dumps(body, indent=2))
EOF
  [[ $code == 200 ]] || { log "$name failed"; tail -n 40 "$work/service.log"; exit 3; }
}

version0=$(status_json | jget version)
push push1
created=$(jget iocsCreated < "$work/push1.json")

# 7. Until the index holding the new content serves
log "waiting for /api/v1/matching/status to show a version after $version0 with $created IOCs"
python3 "$tools" wait-index --url "$url" --key "$key" --after-version "$version0" --count "$created" > "$work/index1.json" \
  || { cat "$work/index1.json"; alive "index rebuild"; log "the new index did not appear"; exit 4; }
mark index1_ready "$(jget observedAt < "$work/index1.json")"
mark index1_build_ms "$(jget buildDurationMs < "$work/index1.json")"
log "index $(jget version < "$work/index1.json") serves $(jget iocCount < "$work/index1.json") IOCs: $(jget counts < "$work/index1.json")"
alive "index rebuild"

# A trail of the push matches now (a sub-domain of a domain trail): the probe's misses are not a broken index.
domain=$(awk -F, '$2 == "DomainName" && $3 ~ /^[a-z0-9.-]+\.[a-z]+$/ { print $3; exit }' "$csv")
log "check: an event with sub.$domain matches $(evaluate DomainName "sub.$domain") event(s) (expected 1)"

sleep 2
version1=$(status_json | jget version)
push push2
changed=$(python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); print(b["iocsCreated"] + b["iocsUpdated"] + b["iocsRemoved"] + b["definitionsCreated"] + b["definitionsUpdated"] + b["definitionsRemoved"])' "$work/push2.json")
sleep 3
version2=$(status_json | jget version)
log "re-push changed $changed rows; index version $version1 -> $version2 (no rebuild expected when nothing changed)"
mark probe_stop "$(now)"

# Stop the probe and the sampler; the peak RSS of the whole run
touch "$work/stop"
wait "$probe_pid" "$sampler_pid" || true
probe_pid=""
sampler_pid=""
alive "end of run"
mark vmhwm_kb "$(awk '/^VmHWM:/ { print $2 }' "/proc/$svc_pid/status")"
mark loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"

# 8. The figures
python3 "$tools" report --work "$work"

echo
echo "service log: warnings and errors $(grep -c '"@l":"\(Warning\|Error\|Fatal\)"' "$work/service.log" || true); matching index builds:"
grep -o '"@m":"Matching index[^"]*"' "$work/service.log" | sed 's/^"@m":/    /' || true
if grep -q '"@l":"\(Warning\|Error\|Fatal\)"' "$work/service.log"; then
  grep '"@l":"\(Warning\|Error\|Fatal\)"' "$work/service.log" | head -n 5 | cut -c1-400
fi
log "done; load average now $(cut -d' ' -f1-3 /proc/loadavg)"

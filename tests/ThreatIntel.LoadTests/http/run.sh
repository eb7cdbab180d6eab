#!/usr/bin/env bash
# End-to-end HTTP load test (issue #7): the Release service with the full maltrail + signature-base index, driven by
# wrk beside a trivial ASP.NET Core ceiling (../Ceiling) measured in the same run. Prints a table and writes it to a
# markdown file. A measurement script, not a test: CI does not run it. See README.md next to this file.
#
#   bash tests/ThreatIntel.LoadTests/http/run.sh        # from anywhere; 9 to 11 minutes once the cache exists
#
# Environment (defaults in brackets): JIT_WARMUP [20s] per request kind and target before the first measurement,
# DURATION [20s] and WARMUP [5s] per measurement, WRK_THREADS [2],
# BATCH_CONNECTIONS [8], SINGLE_CONNECTIONS [32], LOOKUP_CONNECTIONS [32], SCENARIOS [batch,single,paced,alerts,lookup,floor],
# SERVICE_LOG_LEVEL [unset: the service's own default], SEED [7], IDLE_WAIT [30], RETRIES [1], THREATINTEL_DATA [<repo>/../shared/data],
# LOADTEST_CACHE [~/.cache/threatintel-loadtest], RESULTS_DIR [$LOADTEST_CACHE/results], KEEP_WORK [unset].
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
data=${THREATINTEL_DATA:-$repo/../shared/data}
cache=${LOADTEST_CACHE:-$HOME/.cache/threatintel-loadtest}
results_dir=${RESULTS_DIR:-$cache/results}
duration=${DURATION:-20s}
warmup=${WARMUP:-5s}
jit_warmup=${JIT_WARMUP:-20s}
threads=${WRK_THREADS:-2}
batch_connections=${BATCH_CONNECTIONS:-8}
single_connections=${SINGLE_CONNECTIONS:-32}
lookup_connections=${LOOKUP_CONNECTIONS:-32}
scenarios=${SCENARIOS:-batch,single,paced,alerts,lookup,floor}
log_level=${SERVICE_LOG_LEVEL:-}
seed=${SEED:-7}
idle_wait=${IDLE_WAIT:-30}
retries=${RETRIES:-1}
tools=$here/httpload.py
tarball=$data/maltrail/maltrail-static-trails.tar.gz
sigbase=$data/signature-base

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "FAILED: $*" >&2; exit 1; }

for tool in dotnet python3 curl wrk sha256sum; do
  command -v "$tool" >/dev/null || die "run.sh needs $tool on PATH"
done
[[ -f $tarball ]] || die "no maltrail tarball at $tarball (set THREATINTEL_DATA)"
for f in hash-iocs.txt c2-iocs.txt filename-iocs.txt; do [[ -f $sigbase/$f ]] || die "no $sigbase/$f"; done
for c in "$batch_connections" "$single_connections" "$lookup_connections"; do
  (( c >= threads )) || die "connections ($c) must be at least WRK_THREADS ($threads)"
done

mkdir -p "$cache" "$results_dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/threatintel-httpload.XXXXXX")
svc_pid=""
ceiling_pid=""
info() { python3 "$tools" info --work "$work" "$@" > /dev/null; }

stop_pid() { # stop_pid PID : SIGTERM, up to 15 s, then SIGKILL
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  stop_pid "$svc_pid"
  stop_pid "$ceiling_pid"
  wait 2>/dev/null || true
  if [[ $rc -eq 0 && -z ${KEEP_WORK:-} ]]; then
    rm -rf "$work"
  else
    echo "work directory kept: $work (service.log, ceiling.log, results/*.json with the raw wrk output)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
jget() { python3 -c 'import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1:]:
    d = d[int(k)] if isinstance(d, list) else d[k]
print(json.dumps(d) if isinstance(d, (dict, list)) else d)' "$@"; }

busy_processes() { # the processes other than this script's using CPU right now (ps: since they started)
  ps -eo pid=,pcpu=,rss=,args= --sort=-pcpu | awk -v self=$$ '$1 != self && $2 >= 5 {
    printf "%s%s%% %s", sep, $2, substr($4 " " $5 " " $6, 1, 90); sep = "; " }'
}

# ---- machine ---------------------------------------------------------------------------------------------------------
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
machine="$(nproc) cores ($cpu_model), $(free -m | awk '/^Mem:/ { printf "%.1f GiB RAM", $2 / 1024 }'), $(uname -sr), .NET $(dotnet --version) SDK"
loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
busy=$(busy_processes)
log "machine: $machine"
log "load average $loadavg_start; processes using CPU: ${busy:-none}"
if python3 -c "import sys; sys.exit(0 if float('${loadavg_start%% *}') > 0.5 else 1)"; then
  log "WARNING: the machine is not idle (load average ${loadavg_start%% *}); wrk and the service share its $(nproc) cores, so anything else running lowers every figure"
fi
info started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
info machine "$machine"
info loadavg_start "$loadavg_start"
info busy_at_start "${busy:-none}"
info threads "$threads"
info duration "$duration"
info warmup "$warmup"
info jit_warmup "$jit_warmup"

# ---- build -----------------------------------------------------------------------------------------------------------
# Built outside the source tree (--artifacts-path), so that a build here never races an IDE or another build in src/.
build=$cache/build
log "building Release: src/ThreatIntel.Api and tests/ThreatIntel.LoadTests/Ceiling (artifacts in $build)"
for project in "$repo/src/ThreatIntel.Api/ThreatIntel.Api.csproj" "$repo/tests/ThreatIntel.LoadTests/Ceiling/ThreatIntel.LoadTests.Ceiling.csproj"; do
  if ! dotnet build -c Release --artifacts-path "$build" "$project" -nologo -v q > "$work/build.log" 2>&1; then
    tail -n 30 "$work/build.log"
    die "build of $project"
  fi
done
svc_dll=$build/bin/ThreatIntel.Api/release/ThreatIntel.Api.dll
ceiling_dll=$build/bin/ThreatIntel.LoadTests.Ceiling/release/ThreatIntel.LoadTests.Ceiling.dll
[[ -f $svc_dll && -f $ceiling_dll ]] || die "build outputs not found ($svc_dll, $ceiling_dll)"
src_state="commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'), $(git -C "$repo" status --porcelain -- src 2>/dev/null | wc -l) uncommitted change(s) under src/"
log "built ($src_state)"

# ---- the service -----------------------------------------------------------------------------------------------------
admin_key=ti_httpload_$(python3 -c 'import secrets; print(secrets.token_hex(16))')
service_env=(
  ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
  Database__Provider=Sqlite Database__MigrateOnStartup=true
  Auth__BootstrapAdminKey="$admin_key"
  RateLimiting__Reads__PermitLimit=1000000000 RateLimiting__Writes__PermitLimit=1000000000
  RateLimiting__Feeds__PermitLimit=1000000000 RateLimiting__Events__PermitLimit=1000000000
)
start_service() { # start_service DB LOG [extra VAR=value...] : sets svc_pid and svc_url
  local db=$1 logfile=$2 port
  shift 2
  port=$(free_port)
  svc_url=http://127.0.0.1:$port
  (
    cd "$(dirname "$svc_dll")"
    exec env "${service_env[@]}" ASPNETCORE_URLS="$svc_url" ConnectionStrings__ThreatIntel="Data Source=$db" "$@" dotnet "$svc_dll"
  ) > "$logfile" 2>&1 &
  svc_pid=$!
  local waited
  if ! waited=$(python3 "$tools" wait-ready --url "$svc_url" --pid "$svc_pid" --timeout 900); then
    tail -n 40 "$logfile"
    die "the service did not become ready"
  fi
  log "service ready on $svc_url after $waited s (pid $svc_pid)"
}
alive() {
  kill -0 "$svc_pid" 2>/dev/null || { tail -n 40 "$work/service.log"; die "the service died ($1)"; }
  kill -0 "$ceiling_pid" 2>/dev/null || { tail -n 40 "$work/ceiling.log"; die "the ceiling died ($1)"; }
}

# ---- the database: full maltrail + signature-base, cached ------------------------------------------------------------
migrations=$(cd "$repo/src/ThreatIntel.Migrations.Sqlite/Migrations" && ls -- *.cs | grep -v -e '\.Designer\.cs$' -e 'ModelSnapshot' | sort)
data_key=$( {
  sha256sum "$tarball" "$sigbase/hash-iocs.txt" "$sigbase/c2-iocs.txt" "$sigbase/filename-iocs.txt" \
    "$repo/tests/ThreatIntel.LoadTests/feeds/make_maltrail_csv.py" "$here/make_signature_base_csv.py" | cut -d' ' -f1
  echo "$migrations"
} | sha256sum | cut -c1-16)
db_dir=$cache/data-$data_key
if [[ -f $db_dir/threatintel.db && -f $db_dir/ioc-count ]]; then
  log "database from the cache: $db_dir (key: data files, CSV scripts, $(echo "$migrations" | wc -l) migrations)"
else
  log "no cached database for key $data_key: building it (two feed pushes, 2-4 minutes)"
  partial=$db_dir.partial
  rm -rf "$partial"
  mkdir -p "$partial"
  python3 "$repo/tests/ThreatIntel.LoadTests/feeds/make_maltrail_csv.py" "$tarball" "$partial/maltrail.csv" > "$partial/maltrail-csv.json"
  python3 "$here/make_signature_base_csv.py" "$sigbase" "$partial/signature-base.csv" > "$partial/signature-base-csv.json"
  log "CSVs: maltrail $(jget rows < "$partial/maltrail-csv.json") rows, signature-base $(jget rows < "$partial/signature-base-csv.json") rows"
  start_service "$partial/threatintel.db" "$partial/service-load.log"
  created=0
  for feed in maltrail signature-base; do
    log "PUT /api/v1/feeds/$feed?skipInvalid=true"
    code=$(curl -sS -o "$partial/push-$feed.json" -w '%{http_code}' --max-time 1800 -X PUT -H "X-Api-Key: $admin_key" \
      -H 'Content-Type: text/csv' --data-binary @"$partial/$feed.csv" "$svc_url/api/v1/feeds/$feed?skipInvalid=true") || true
    [[ $code == 200 ]] || { head -c 2000 "$partial/push-$feed.json"; die "push of $feed answered HTTP $code"; }
    n=$(jget iocsCreated < "$partial/push-$feed.json")
    log "$feed: $n IOCs created in $(jget definitionsCreated < "$partial/push-$feed.json") definitions, $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1])).get("rejected") or []))' "$partial/push-$feed.json") rows rejected"
    created=$((created + n))
  done
  log "waiting for the matching index to hold all $created IOCs"
  for _ in $(seq 1 600); do
    count=$(python3 "$tools" get --url "$svc_url" --key "$admin_key" --path /api/v1/matching/status 2>/dev/null | jget iocCount 2>/dev/null || echo 0)
    [[ $count == "$created" ]] && break
    sleep 1
  done
  [[ $count == "$created" ]] || die "the index holds $count IOCs, expected $created"
  stop_pid "$svc_pid"
  svc_pid=""
  # One self-contained file: the WAL copied into the database (the service may leave it behind on exit).
  python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
busy, _, _ = c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
c.close()
sys.exit(1 if busy else 0)' "$partial/threatintel.db" || die "could not checkpoint $partial/threatintel.db"
  [[ ! -s $partial/threatintel.db-wal ]] || die "$partial/threatintel.db-wal is not empty after the checkpoint"
  echo "$created" > "$partial/ioc-count"
  rm -rf "$db_dir"
  mv "$partial" "$db_dir"
  log "cached: $db_dir ($(du -sh "$db_dir/threatintel.db" | cut -f1))"
fi
expected_iocs=$(cat "$db_dir/ioc-count")

# ---- the requests, cached --------------------------------------------------------------------------------------------
req_key=$(printf '%s\n' "$data_key" "$seed" "$(sha256sum "$here/make_requests.py" | cut -d' ' -f1)" | sha256sum | cut -c1-16)
requests=$cache/requests-$req_key
if [[ ! -f $requests/manifest.json ]]; then
  log "generating request bodies (seed $seed)"
  rm -rf "$requests.partial"
  python3 "$here/make_requests.py" --maltrail-csv "$db_dir/maltrail.csv" --signature-base-csv "$db_dir/signature-base.csv" \
    --out "$requests.partial" --seed "$seed" > "$work/make-requests.json"
  mv "$requests.partial" "$requests"
fi
log "requests: $requests ($(wc -l < "$requests/batch-1pct.jsonl") + $(wc -l < "$requests/batch-5pct.jsonl") batch bodies, $(wc -l < "$requests/single.jsonl") single-event bodies, $(wc -l < "$requests/iocs.txt") look-ups)"

# ---- start both ------------------------------------------------------------------------------------------------------
cp "$db_dir/threatintel.db" "$work/threatintel.db"
extra_env=()
if [[ -n $log_level ]]; then
  extra_env+=("Serilog__MinimumLevel__Default=$log_level")
  log "service logging: Serilog__MinimumLevel__Default=$log_level (SERVICE_LOG_LEVEL; NOT the shipped default)"
  info --append notes "Service logging overridden: Serilog__MinimumLevel__Default=$log_level (the shipped default is Information, one line per request)."
else
  log "service logging: the shipped defaults (appsettings.json; Serilog at Information, one request-log line per request)"
fi
log "starting the service (Release, $svc_dll) on a copy of the cached database"
start_service "$work/threatintel.db" "$work/service.log" "${extra_env[@]}"
status=$(python3 "$tools" get --url "$svc_url" --key "$admin_key" --path /api/v1/matching/status)
index_count=$(echo "$status" | jget iocCount)
log "matching index: $index_count IOCs (version $(echo "$status" | jget version), built in $(echo "$status" | jget buildDurationMs) ms): $(echo "$status" | jget counts)"
[[ $index_count == "$expected_iocs" ]] || die "the index holds $index_count IOCs, the database was built with $expected_iocs"
info service "Release build of src/ThreatIntel.Api ($src_state), SQLite, server GC as shipped, Serilog level ${log_level:-as shipped (Information)}, rate limits raised"
info index "$index_count IOCs (maltrail + signature-base): $(echo "$status" | jget counts)"

ceiling_port=$(free_port)
ceiling_url=http://127.0.0.1:$ceiling_port
(
  cd "$(dirname "$ceiling_dll")"
  exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$ceiling_url" dotnet "$ceiling_dll"
) > "$work/ceiling.log" 2>&1 &
ceiling_pid=$!
python3 "$tools" wait-ready --url "$ceiling_url" --pid "$ceiling_pid" --timeout 120 > /dev/null || { cat "$work/ceiling.log"; die "the ceiling did not start"; }
log "ceiling ready on $ceiling_url (pid $ceiling_pid)"

# ---- pre-flight: the bodies match what they should ------------------------------------------------------------------
log "checking the request files against the service (dry runs) and the ceiling"
python3 "$tools" check --url "$svc_url" --key "$admin_key" --ceiling-url "$ceiling_url" --requests "$requests" --out "$work/check.json" \
  || die "the request files do not give the expected matches"

# ---- scenarios -------------------------------------------------------------------------------------------------------
results=$work/results
mkdir -p "$results"
failed=()
measure() { # measure NAME TARGET CONNECTIONS FILE METHOD PATH EVENTS_PER_REQUEST [extra args]; FILE relative to the requests
  local name=$1 target=$2 connections=$3 file=$4 method=$5 path=$6 events=$7 url pid
  shift 7
  [[ $file == /* ]] || file=$requests/$file
  local other
  if [[ $target == service ]]; then url=$svc_url pid=$svc_pid other=$ceiling_pid; else url=$ceiling_url pid=$ceiling_pid other=$svc_pid; fi
  local logfile=$work/$target.log
  if ! python3 "$tools" wrk --name "$name" --target "$target" --url "$url" --file "$file" --method "$method" \
      --path "$path" --key "$admin_key" --threads "$threads" --connections "$connections" --duration "$duration" \
      --warmup "$warmup" --pid "$pid" --other-pid "$other" --out "$results" --events-per-request "$events" --log "$logfile" \
      --metrics-url "$svc_url" --idle-wait "$idle_wait" --retries "$retries" "$@"; then
    failed+=("$name/$target")
  fi
  alive "$name/$target"
}
has() { [[ ,$scenarios, == *,$1,* ]]; }
evaluate=/api/v1/events/evaluate

# Tiered compilation keeps re-compiling hot methods with profile-guided optimisation for tens of seconds under load;
# the service has far more of them than the ceiling, so a short warm-up measured its JIT rather than its steady state
# (single events: 4,000 req/s after 15 s of load, 13,000 after 45 s). Every request kind runs first, unmeasured.
if [[ $jit_warmup != 0 && $jit_warmup != 0s ]]; then
  log "JIT warm-up: $jit_warmup each of single events, batches and look-ups, on the service and on the ceiling (discarded)"
  for url in "$svc_url" "$ceiling_url"; do
    for kind in "single.jsonl POST $evaluate?dryRun=true $single_connections" "batch-1pct.jsonl POST $evaluate?dryRun=true $batch_connections" \
        "iocs.txt GET - $lookup_connections"; do
      read -r file method path connections <<< "$kind"
      wrk -t"$threads" -c"$connections" -d"$jit_warmup" -s "$here/wrk/requests.lua" "$url" -- "$requests/$file" "$method" "$path" "$admin_key" \
        > /dev/null 2>&1 || die "the JIT warm-up against $url failed"
    done
  done
  alive "JIT warm-up"
fi

if has batch; then
  log "scenario batch-1pct: POST $evaluate (dryRun=false), 1,000 events per request, 1 % matching, $batch_connections connections"
  measure batch-1pct service "$batch_connections" batch-1pct.jsonl POST "$evaluate" 1000
  measure batch-1pct ceiling "$batch_connections" batch-1pct.jsonl POST "$evaluate" 1000
fi
if has single || has paced; then
  log "scenario single: POST $evaluate (dryRun=false), one event per request, 1 % matching, $single_connections connections"
  measure single service "$single_connections" single.jsonl POST "$evaluate" 1
  has single && measure single ceiling "$single_connections" single.jsonl POST "$evaluate" 1
fi
if has paced; then
  log "scenario single-paced: the same at half the service's single-event rate (wrk delay(), calibrated in the warm-up)"
  measure single-paced service "$single_connections" single.jsonl POST "$evaluate" 1 --half-rate-of "$results/single.service.json"
fi
if has alerts; then
  devices=$(python3 -c 'import json, sys; print(",".join(json.load(open(sys.argv[1]))["files"]["batch-5pct.jsonl"]["alert_devices"]))' "$requests/manifest.json")
  log "scenario batch-5pct: 5 % matching (10 devices x 40 IOCs), first dryRun=true (no alerts), then dryRun=false (alerts)"
  measure batch-5pct-dryrun service "$batch_connections" batch-5pct.jsonl POST "$evaluate?dryRun=true" 1000
  python3 "$tools" alerts --url "$svc_url" --key "$admin_key" --devices "$devices" --out "$work/alerts-before.json" > /dev/null
  measure batch-5pct-alerts service "$batch_connections" batch-5pct.jsonl POST "$evaluate?dryRun=false" 1000
  log "alerts after the alert scenario: $(python3 "$tools" alerts --url "$svc_url" --key "$admin_key" --devices "$devices" --out "$work/alerts-after.json")"
fi

if has lookup; then
  log "scenario lookup: GET /api/v1/iocs?type=&value= (half hits), $lookup_connections connections"
  measure lookup service "$lookup_connections" iocs.txt GET - 1
  measure lookup ceiling "$lookup_connections" iocs.txt GET - 1
fi

if has floor; then
  # Not a target: how fast the service's fixed layers (API key, rate limiter, MVC, request log) answer when the action
  # does nothing but read the index's counts, so that a gap to the ceiling can be told apart from the work itself.
  echo /api/v1/matching/status > "$work/floor.txt"
  log "scenario floor: GET /api/v1/matching/status (the service's own layers around an action that does no work), $lookup_connections connections"
  measure floor service "$lookup_connections" "$work/floor.txt" GET - 1
fi

# ---- report ----------------------------------------------------------------------------------------------------------
info loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
lines=$(wc -l < "$work/service.log")
levels=$(grep -o '"@l":"[A-Za-z]*"' "$work/service.log" | cut -d'"' -f4 | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }' || true)
info --append notes "Service log: $lines lines, $(du -h "$work/service.log" | cut -f1) in all (levels other than Information: ${levels:-none})."
results_file=$results_dir/http-loadtest-$(date -u +%Y%m%dT%H%M%SZ).md
echo
rc=0
python3 "$tools" report --work "$work" --results "$results_file" || rc=$?
echo
log "results written to $results_file"
if (( ${#failed[@]} )); then
  log "SCENARIOS WITH ERRORS (non-2xx responses or socket errors): ${failed[*]}"
  exit 5
fi
exit "$rc"

#!/usr/bin/env bash
# The HTTP load run: Azurite and the local host on free loopback ports (stopped afterwards, whatever
# happens), keys, a user and tokens of its own, then wrk against the hot endpoints at 1, 16 and 64
# connections, and the same for a standard OAuth server doing client credentials (OpenIddict on
# SQLite, bench/AuthFunctions.Reference). Prints one table (requests/s, p50, p99, errors) with the
# ceilings of the same run beside it (raw ES256 signatures per core, Azurite point reads per second),
# the cold starts of the local host and of the Function app's worker (ReadyToRun), and the host's
# working set after each endpoint and after 100,000 logins (magma logins make up any the rows fall short).
#
#   bench/load.sh                    # under 5 minutes from a fresh clone, build included
#   LOAD_DURATION=10s bench/load.sh  # longer points
#   LOAD_CONNECTIONS="16 64" bench/load.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

duration="${LOAD_DURATION:-5s}"
connection_counts="${LOAD_CONNECTIONS:-1 16 64}"

command -v dotnet >/dev/null 2>&1 || { echo "load.sh: the .NET 10 SDK is required." >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "load.sh: Node.js is required for Azurite." >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "load.sh: curl is required." >&2; exit 1; }
if ! command -v wrk >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "load.sh: installing wrk (apt-get install wrk)."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "load.sh: wrk is required: 'sudo apt-get install wrk'." >&2
    exit 1
  fi
fi

if [ ! -f node_modules/azurite/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

work=$(mktemp -d)
azurite_pid=""
host_pid=""
reference_pid=""
cleanup() {
  set +e # every step runs, whatever the one before it returned
  for pid in $reference_pid $host_pid $azurite_pid; do kill "$pid" 2>/dev/null; done
  for pid in $reference_pid $host_pid $azurite_pid; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "load.sh: building the local host and the benchmarks, and publishing the Function app ReadyToRun (Release)."
dotnet build src/AuthFunctions.LocalHost -c Release -nologo -v quiet >/dev/null
dotnet build bench/AuthFunctions.Benchmarks -c Release -nologo -v quiet >/dev/null
dotnet build bench/AuthFunctions.Reference -c Release -nologo -v quiet >/dev/null
dotnet publish src/AuthFunctions.FunctionApp -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/worker" -nologo -v quiet >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true # nothing of the build may idle on the cores we measure

json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

storage_port=$(free_port)
node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$storage_port" \
  --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent >"$work/azurite.log" 2>&1 &
azurite_pid=$!
azurite_up=""
for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$storage_port") 2>/dev/null && { azurite_up=yes; break; }; sleep 0.2; done
[ -n "$azurite_up" ] || { echo "load.sh: Azurite did not start; see below." >&2; cat "$work/azurite.log" >&2; exit 1; }
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$storage_port/devstoreaccount1;"

# The ceilings first, on an idle machine.
ceilings=$(dotnet bench/AuthFunctions.Benchmarks/bin/Release/net10.0/AuthFunctions.Benchmarks.dll ceilings "$storage")
es256=$(awk '/es256_signatures_per_core/ {print $3}' <<<"$ceilings")
point_reads=$(awk '/azurite_point_reads/ {print $3}' <<<"$ceilings")

# The Function app worker's cold start (ReadyToRun), to ready for the host's first invocation: the median of three,
# in tables of their own so that nothing they write is in the host's way.
worker_starts=()
for _ in 1 2 3; do
  worker_starts+=("$(Storage__ConnectionString="$storage" Storage__TablePrefix=workerstart Keys__Store=DevelopmentTable Auth__Issuer=http://127.0.0.1:7071 \
    Bootstrap__SuperUser__Password="worker-start-$RANDOM$RANDOM" Bootstrap__SeedDemoData=false AzureWebJobsStorage="$storage" \
    node bench/load/worker-start.js "$work/worker/AuthFunctions.FunctionApp.dll")")
done
worker_start_ms=$(printf '%s\n' "${worker_starts[@]}" | sort -n | sed -n 2p)

admin_password="load-run-$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
host_port=$(free_port)
base="http://127.0.0.1:$host_port"
start_ns=$(date +%s%N)
AUTHFN_DATA_DIR="$work" \
Storage__ConnectionString="$storage" \
Keys__Store=DevelopmentTable \
Bootstrap__SuperUser__Password="$admin_password" \
Bootstrap__SeedDemoData=false \
Logging__LogLevel__Default=Warning \
ASPNETCORE_URLS="$base" \
  dotnet src/AuthFunctions.LocalHost/bin/Release/net10.0/AuthFunctions.LocalHost.dll >"$work/host.log" 2>&1 &
host_pid=$!

# Cold start: process start to the first token the host issues (the super user's password login).
# Polled by curl alone every 20 ms (a node per poll would cost the start-up its CPU); the answer is read afterwards.
started=""
for _ in $(seq 1 1500); do
  curl -sf -u "admin:$admin_password" -o "$work/first-token.json" "$base/rs/authorise" 2>/dev/null && { started=yes; break; }
  kill -0 "$host_pid" 2>/dev/null || { echo "load.sh: the host did not start; see below." >&2; cat "$work/host.log" >&2; exit 1; }
  sleep 0.02
done
cold_start_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
admin_token=$([ -n "$started" ] && json accessToken <"$work/first-token.json" || true)
[ -n "$admin_token" ] || { echo "load.sh: no token from the host." >&2; exit 1; }

secret=$(curl -sf -X POST "$base/admin/magma-keys" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d '{"name":"load-client","rights":["data","index","introspect"]}' | json secret)
curl -sf -o /dev/null -X POST "$base/admin/users" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d '{"username":"load-user","password":"load-user-passphrase","name":"Load user","rights":["data"]}'
# 256 more keys (the login row where no two logins share a key's read) and 256 live tokens of the load
# client (introspection of distinct tokens, each with its own record).
LOAD_BASE="$base" LOAD_ADMIN_TOKEN="$admin_token" LOAD_SECRET="$secret" node - "$work" <<'JS'
const base = process.env.LOAD_BASE, work = process.argv[2], fs = require("fs");
const post = async (path, body, headers = {}) => {
  const response = await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const inTurn = async (count, make) => {
  const results = [];
  for (let i = 0; i < count; i += 8) results.push(...await Promise.all([...Array(Math.min(8, count - i)).keys()].map(j => make(i + j))));
  return results;
};
(async () => {
  const admin = { Authorization: "Bearer " + process.env.LOAD_ADMIN_TOKEN };
  const keys = await inTurn(256, async i => `load-key-${i} ${(await post("/admin/magma-keys", { name: `load-key-${i}`, rights: ["data"] }, admin)).secret}`);
  fs.writeFileSync(work + "/keys.txt", keys.join("\n") + "\n");
  const tokens = await inTurn(256, async () => (await post("/api/authentication/magma", { magmaName: "load-client", secret: process.env.LOAD_SECRET })).accessToken);
  fs.writeFileSync(work + "/tokens.txt", tokens.join("\n") + "\n");
})().catch(error => { console.error("load.sh: setting up the keys and tokens failed: " + error.message); process.exit(1); });
JS

export LOAD_DIR="$root/bench/load" LOAD_SECRET="$secret" LOAD_KEYS="$work/keys.txt" LOAD_TOKENS="$work/tokens.txt"
LOAD_CLIENT_BASIC=$(printf 'load-client:%s' "$secret" | base64 -w0)
LOAD_USER_BASIC=$(printf 'load-user:load-user-passphrase' | base64 -w0)
export LOAD_CLIENT_BASIC LOAD_USER_BASIC

# CPU time of a process so far, in clock ticks (user + system), and the tick rate.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
ticks_per_second=$(getconf CLK_TCK)
cpu_share() { # pid ticks-before ns-before: % of one core used since then
  echo $(( ($(cpu_ticks "$1") - $2) * 100 * 1000000000 / ticks_per_second / ($(date +%s%N) - $3) ))
}

run_wrk() { # script connections url duration: prints "requests/s p50 p99 errors requests", or stops the run
  local threads=$(( $2 < 2 ? 1 : 2 )) result
  # A 10 s timeout: a slow answer counts in the latency, not as an error.
  result=$(wrk -t "$threads" -c "$2" -d "$4" --timeout 10s --latency -s "$LOAD_DIR/$1" "$3" 2>"$work/wrk.err" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}') || true
  if [ -z "$result" ]; then
    echo "load.sh: wrk gave no result for $1 at $2 connections; see below." >&2
    cat "$work/wrk.err" >&2
    exit 1
  fi
  echo "$result"
}

# label|script|path|whether each request is a login (issues a token)
endpoints=(
  "magma login|magma.lua|/api/authentication/magma|login"
  "magma login, 256 keys|magma-many.lua|/api/authentication/magma|login"
  "client credentials|client-credentials.lua|/oauth2/token|login"
  "introspection|introspect.lua|/oauth2/introspect|"
  "password login|password.lua|/rs/authorise|login"
  "JWKS|get.lua|/.well-known/jwks.json|"
)

rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$host_pid/status" 2>/dev/null || echo 0; }
working_sets=("0 0 $(rss_mb)")
total_requests=0 total_logins=0
count() { # requests errors is-login: adds a run's requests to the totals, and its answered ones to the logins
  local answered=$(( ${1:-0} - ${2:-0} )) # errors include socket errors, which wrk does not count as requests
  total_requests=$(( total_requests + ${1:-0} ))
  [ -z "$3" ] || total_logins=$(( total_logins + (answered > 0 ? answered : 0) ))
}

echo
echo "| endpoint | connections | requests/s | p50 ms | p99 ms | errors | server CPU % | Azurite CPU % |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for entry in "${endpoints[@]}"; do
  IFS='|' read -r label script path login <<<"$entry"
  # Warm-up (JIT tiers, pools), not measured: longer before the first endpoint, which warms the shared path.
  point=$(run_wrk "$script" 16 "$base$path" "$([ "$total_requests" -eq 0 ] && echo 6s || echo 2s)")
  read -r _ _ _ errors requests <<<"$point"
  count "$requests" "$errors" "$login"
  for c in $connection_counts; do
    host_ticks=$(cpu_ticks "$host_pid") azurite_ticks=$(cpu_ticks "$azurite_pid") since=$(date +%s%N)
    point=$(run_wrk "$script" "$c" "$base$path" "$duration")
    read -r rps p50 p99 errors requests <<<"$point"
    echo "| $label | $c | $rps | $p50 | $p99 | $errors | $(cpu_share "$host_pid" "$host_ticks" "$since") | $(cpu_share "$azurite_pid" "$azurite_ticks" "$since") |"
    count "$requests" "$errors" "$login"
    [ "$label/$c" != "magma login/64" ] || magma_rate=$rps
  done
  working_sets+=("$total_requests $total_logins $(rss_mb)")
done

# The working-set budget is read after 100,000 logins. Should the rows issue fewer (short points), magma
# logins at 64 connections make up the rest (not a table row), in steps of at most 5 s, the working set taken
# after each. Errors above 1% stop the run; so does a shortfall left after 40 steps.
makeup_failed() { # why: stops the run with the end of the host's log
  echo "load.sh: $1 while making up 100,000 logins; the host's log ends:" >&2
  tail -n 40 "$work/host.log" >&2
  exit 1
}
for (( step = 0; total_logins < 100000; step++ )); do
  [ "$step" -lt 40 ] || makeup_failed "still $(( 100000 - total_logins )) logins short after 40 steps"
  seconds=$(( (100000 - total_logins) / (${magma_rate:-1000} > 0 ? ${magma_rate:-1000} : 1000) + 1 ))
  seconds=$(( seconds < 5 ? seconds : 5 ))
  point=$(run_wrk magma.lua 64 "$base/api/authentication/magma" "${seconds}s")
  read -r _ _ _ errors requests <<<"$point"
  makeup_errors=$(( ${makeup_errors:-0} + errors ))
  [ $(( errors * 100 )) -le "$requests" ] || makeup_failed "$errors errors in $requests requests"
  count "$requests" "$errors" login
  working_sets+=("$total_requests $total_logins $(rss_mb)")
done
logins_working_set=$(rss_mb) # after the rows (and any make-up), before the host idles through the reference's turn

# The yardstick: a standard OAuth server (OpenIddict, EF Core on SQLite, its defaults) doing client
# credentials on the same machine, started only now so that it idles through none of our rows.
reference_port=$(free_port)
reference_secret=$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')
mkdir -p "$work/reference"
REFERENCE_URL="http://127.0.0.1:$reference_port" REFERENCE_DB="$work/reference/reference.db" \
REFERENCE_CLIENT_ID=load-client REFERENCE_CLIENT_SECRET="$reference_secret" \
  dotnet bench/AuthFunctions.Reference/bin/Release/net10.0/AuthFunctions.Reference.dll >"$work/reference.log" 2>&1 &
reference_pid=$!
LOAD_REFERENCE_BASIC=$(printf 'load-client:%s' "$reference_secret" | base64 -w0)
export LOAD_REFERENCE_BASIC
reference_up=""
for _ in $(seq 1 600); do
  curl -sf -o /dev/null -u "load-client:$reference_secret" -d grant_type=client_credentials "http://127.0.0.1:$reference_port/connect/token" && { reference_up=yes; break; }
  kill -0 "$reference_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$reference_up" ] || { echo "load.sh: the reference server did not start; see below." >&2; cat "$work/reference.log" >&2; exit 1; }
run_wrk reference.lua 16 "http://127.0.0.1:$reference_port/connect/token" 2s >/dev/null # warm-up
for c in $connection_counts; do
  reference_ticks=$(cpu_ticks "$reference_pid") since=$(date +%s%N)
  point=$(run_wrk reference.lua "$c" "http://127.0.0.1:$reference_port/connect/token" "$duration")
  read -r rps p50 p99 errors _ <<<"$point"
  echo "| client credentials, OpenIddict + SQLite (reference) | $c | $rps | $p50 | $p99 | $errors | $(cpu_share "$reference_pid" "$reference_ticks" "$since") | – |"
done

echo
echo "Ceilings in the same run: ES256 $es256 signatures/s on one core ($(nproc) cores here); Azurite $point_reads point reads/s (16 at once)."
echo "Cold start (build excluded): local host to its first token ${cold_start_ms} ms; Function app worker (ReadyToRun) to ready for the host's first invocation ${worker_start_ms} ms (median of ${worker_starts[*]})."
trend=""
for entry in "${working_sets[@]}"; do
  read -r after logins mb <<<"$entry"
  trend+="${trend:+, }$mb MB after $after ($logins)"
done
echo "Working set of the host after $total_logins logins: $logins_working_set MB (${makeup_errors:-0} errors in the logins that made up 100,000). Its trend, after requests (logins) so far: $trend."
echo "Each point: wrk for $duration on 127.0.0.1, $(nproc) cores shared by wrk, the server and Azurite; CPU % is of one core (Azurite runs on one thread, so 100 is its ceiling)."

#!/usr/bin/env bash
# Starts the backend locally: Azurite's table service, then the local host on
# http://127.0.0.1:7071. Ctrl-C or SIGTERM stops both.
#   ./run.sh           keeps what earlier runs stored (users, keys, tenants) in .data
#   ./run.sh --reset   deletes that first and starts afresh (a new super user, new demo secrets)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

reset=false
for arg in "$@"; do
  case "$arg" in
    --reset) reset=true ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg' (try --reset or --help)." >&2; exit 2 ;;
  esac
done

# Is something listening on host:port? (bash's /dev/tcp: no extra tool needed)
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET 10 SDK is required (dotnet not found on PATH)." >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "run.sh: Node.js is required for Azurite (node not found on PATH)." >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "run.sh: npm is required to install Azurite (npm not found on PATH)." >&2; exit 1; }

port="${AZURITE_TABLE_PORT:-10002}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:7071}"

# The host's own port first, before anything is created or printed: the one-time secrets of a first
# start must not scroll past only for the host to fail to bind afterwards.
first_url="${ASPNETCORE_URLS%%;*}"
if [[ "$first_url" =~ ^https?://(\[[^]]+\]|[^:/]+):([0-9]+) ]]; then
  http_host="${BASH_REMATCH[1]}"
  http_port="${BASH_REMATCH[2]}"
  case "$http_host" in '*'|'+'|0.0.0.0|'[::]'|localhost) http_host=127.0.0.1 ;; esac
  http_host="${http_host#[}"; http_host="${http_host%]}"
  if [ "$http_port" != 0 ] && listening "$http_host" "$http_port"; then
    echo "run.sh: port $http_port is taken (is another ./run.sh running?); stop what uses it or set ASPNETCORE_URLS, e.g. ASPNETCORE_URLS=http://127.0.0.1:7072 ./run.sh" >&2
    exit 1
  fi
fi

if listening 127.0.0.1 "$port"; then
  echo "run.sh: port $port is taken; set AZURITE_TABLE_PORT to a free port." >&2
  exit 1
fi

data_dir="${AUTHFN_DATA_DIR:-.data}"
mkdir -p "$data_dir/azurite"
data_dir="$(cd "$data_dir" && pwd)"
export AUTHFN_DATA_DIR="$data_dir"

if [ "$reset" = true ]; then
  echo "run.sh: --reset: deleting the stored data in $data_dir (Azurite's tables, the development signing keys and dev-keys)"
  rm -rf "$data_dir/azurite" "$data_dir/keys" "$data_dir/dev-keys" "$data_dir/azurite.log"
  mkdir -p "$data_dir/azurite"
fi

if [ ! -f node_modules/azurite/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

azurite_pid=""
# SIGINT, not SIGTERM: Azurite saves its tables to disk only when it closes on SIGINT (it writes them
# every few seconds otherwise), so a TERM just after the first start lost the super user it printed.
stop_azurite() {
  if [ -n "$azurite_pid" ] && kill -0 "$azurite_pid" 2>/dev/null; then
    kill -INT "$azurite_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$azurite_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$azurite_pid" 2>/dev/null || true
    wait "$azurite_pid" 2>/dev/null || true
  fi
}
trap stop_azurite EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node node_modules/azurite/dist/src/table/main.js \
  --tableHost 127.0.0.1 --tablePort "$port" \
  --location "$data_dir/azurite" --skipApiVersionCheck --disableTelemetry --silent \
  >"$data_dir/azurite.log" 2>&1 &
azurite_pid=$!

for _ in $(seq 1 150); do
  if listening 127.0.0.1 "$port"; then break; fi
  if ! kill -0 "$azurite_pid" 2>/dev/null; then
    echo "run.sh: Azurite did not start; see $data_dir/azurite.log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "run.sh: Azurite tables on 127.0.0.1:$port (data in $data_dir/azurite)"

export Storage__ConnectionString="${Storage__ConnectionString:-DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$port/devstoreaccount1;}"
echo "run.sh: starting the local host on $ASPNETCORE_URLS (first build takes a moment)"

# In the background and waited for, so that the traps above run on Ctrl-C or SIGTERM.
dotnet run --project src/AuthFunctions.LocalHost -c Release &
host_pid=$!
trap 'kill -TERM "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null; exit 143' TERM
wait "$host_pid"

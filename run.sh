#!/usr/bin/env bash
# Starts the backend locally: Azurite's table service, then the local host on
# http://127.0.0.1:7071. Ctrl-C or SIGTERM stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET 10 SDK is required (dotnet not found on PATH)." >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "run.sh: Node.js is required for Azurite (node not found on PATH)." >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "run.sh: npm is required to install Azurite (npm not found on PATH)." >&2; exit 1; }

port="${AZURITE_TABLE_PORT:-10002}"
data_dir="${AUTHFN_DATA_DIR:-.data}"
mkdir -p "$data_dir/azurite"
data_dir="$(cd "$data_dir" && pwd)"
export AUTHFN_DATA_DIR="$data_dir"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:7071}"

if [ ! -f node_modules/azurite/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "run.sh: port $port is taken; set AZURITE_TABLE_PORT to a free port." >&2
  exit 1
fi

azurite_pid=""
stop_azurite() {
  if [ -n "$azurite_pid" ] && kill -0 "$azurite_pid" 2>/dev/null; then
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
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
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

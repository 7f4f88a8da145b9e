#!/usr/bin/env bash
# Runs the benchmarks against an Azurite of their own on a free loopback port, stopped afterwards.
# Usage: bench/run.sh [BenchmarkDotNet arguments], e.g. bench/run.sh --filter '*Purge*'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -f node_modules/azurite/package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
data=$(mktemp -d)
node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$port" --location "$data" --silent --skipApiVersionCheck &
azurite=$!
trap 'kill "$azurite" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done

export AUTHFN_BENCH_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
dotnet run -c Release --project bench/AuthFunctions.Benchmarks -- "${@:---filter *}"

#!/usr/bin/env bash
# Builds every project with warnings as errors and runs every test suite.
# The last line of output is always "N passed, N failed" (all suites summed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v dotnet >/dev/null 2>&1 || { echo "test.sh: the .NET 10 SDK is required (dotnet not found on PATH)." >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "test.sh: Node.js with npm is required for Azurite (npm not found on PATH)." >&2; exit 1; }

# Azurite, pinned in package-lock.json: storage tests start their own on a free loopback port.
if [ ! -f node_modules/azurite/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The console's browser tests drive Debian's Chromium through Playwright (no browser download).
if [ -z "${AUTHFN_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Chromium for the browser tests (apt-get install chromium)."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || echo "test.sh: apt-get could not install Chromium; the browser tests will fail." >&2
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "test.sh: installing Chromium for the browser tests (sudo apt-get install chromium)."
    { sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || echo "test.sh: apt-get could not install Chromium; the browser tests will fail." >&2
  else
    echo "test.sh: the browser tests need Chromium: run 'sudo apt-get install chromium', or set AUTHFN_CHROMIUM to a Chromium executable." >&2
  fi
fi

build_args=(-c Release -warnaserror -nologo)

dotnet build AuthFunctions.sln "${build_args[@]}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution AuthFunctions.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

count() { grep -E "^[[:space:]]+$1:[[:space:]]+[0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
total=$(count total)
failed=$(count failed)
passed=$(count succeeded)

if [ "$total" -eq 0 ]; then
  echo "test.sh: no test ran." >&2
  status=1
fi
if [ "$status" -eq 0 ] && [ "$failed" -ne 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"

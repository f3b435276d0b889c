#!/usr/bin/env bash
# Runs every test of the solution and ends with one line "N passed, N failed" (CI reads that line).
# Usage: bash scripts/test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")/.."

# The portal's browser tests need Chromium (Debian) and axe-core (npm); installed once, nothing when already there.
if ! bash tests/portal-tools/install.sh; then
  echo "tests/portal-tools/install.sh failed: the portal tests will fail" >&2
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet test Broker.sln --configuration Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$status" -ne 0 ]; then
  failed=1 # the build or the test host failed before any test ran
fi

echo "$passed passed, $failed failed"
exit "$status"

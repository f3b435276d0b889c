#!/usr/bin/env bash
# Installs the OpenAPI linter (@redocly/cli) and validating proxy (@stoplight/prism-cli) that the OpenAPI tests
# run, from the npm registry, into node_modules beside this script, at the versions package-lock.json pins.
# The tools are then in node_modules/.bin. Runs `npm ci` only when they are missing or the lock changed; tests calling it at once take turns.
set -euo pipefail
cd "$(dirname "$0")"
exec 9>.install.lock
flock 9
if [ ! -x node_modules/.bin/redocly ] || [ ! -x node_modules/.bin/prism ] || [ ! -e node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch node_modules/.installed
fi

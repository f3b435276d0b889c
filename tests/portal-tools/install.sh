#!/usr/bin/env bash
# Installs what the portal's browser tests need, from package registries only:
# - Chromium from Debian (apt-get; as root, as CI runs) — Playwright's own browser download is not used;
# - axe-core from npm into node_modules beside this script, at the version package-lock.json pins.
# Idempotent: does nothing when both are there and the lock is unchanged; tests calling it at once take turns.
set -euo pipefail
cd "$(dirname "$0")"
exec 9>.install.lock
flock 9
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "portal tests need /usr/bin/chromium: run as root, or apt-get install chromium" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
if [ ! -e node_modules/axe-core/axe.min.js ] || [ ! -e node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch node_modules/.installed
fi

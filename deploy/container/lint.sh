#!/usr/bin/env bash
# Lints the Dockerfile (or the files given) with dockerfilelint, from the npm registry, installed on first use under
# the repository's ignored .data/tools: hadolint is in neither registry the project's machines reach (Debian, npm).
#
#   deploy/container/lint.sh [Dockerfile ...]    exit 0 when no issue is found; the issues otherwise
set -euo pipefail

container="$(cd "$(dirname "$0")" && pwd)"
linter="$container/../../.data/tools/dockerfilelint-1.8.0/node_modules/.bin/dockerfilelint"
if [ ! -x "$linter" ]; then
  npm install --prefix "${linter%/node_modules/*}" --no-audit --no-fund --loglevel=error dockerfilelint@1.8.0 >/dev/null
fi
[ "$#" -gt 0 ] || set -- "$container/Dockerfile"
exec "$linter" "$@"

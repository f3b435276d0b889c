#!/usr/bin/env bash
# Lints the Dockerfile (or the files given) with dockerfilelint, from the npm registry, installed on first use under
# the repository's ignored .data/tools: hadolint is in neither registry the project's machines reach (Debian, npm).
#
#   deploy/container/lint.sh [Dockerfile ...]    exit 0 when no issue is found; the issues otherwise
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="1.8.0"
tools="$repo/.data/tools/dockerfilelint-$version"
linter="$tools/node_modules/.bin/dockerfilelint"

if [ ! -x "$linter" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "dockerfilelint@$version" >/dev/null
fi

if [ "$#" -eq 0 ]; then
  set -- "$here/Dockerfile"
fi
exec "$linter" "$@"

#!/usr/bin/env bash
# Builds a static app's production files (the web app's `vite build`) and copies them to
# <output-dir>, for a web server to serve. web.Dockerfile runs it in the workspace prune.sh cut out
# for the app, and so does infra/scripts/check-bundles.sh, without Docker. Vite reads the workspace
# packages from their TypeScript (the `source` condition), so nothing else is built first.
#   usage: build-static.sh <directory under services/> <output-dir>
set -euo pipefail
service="$1"
out="$2"
cd "$(dirname "$0")/../.."
pnpm --filter "@todo/${service}" run build
[ -f "services/$service/dist/index.html" ] || { echo "build-static.sh: no services/$service/dist/index.html after the build" >&2; exit 1; }
rm -rf "$out"
cp -a "services/$service/dist" "$out"

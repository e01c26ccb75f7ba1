#!/usr/bin/env bash
# Builds one service's production bundle: compiled code plus its production dependencies only
# (workspace packages included, dev dependencies left out). The Dockerfile runs it in the workspace
# prune.sh cut out for the service, and so does infra/scripts/check-bundles.sh, without Docker.
#   usage: build-bundle.sh <task-api|recurrence-engine> <output-dir>
set -euo pipefail
service="$1"
out="$2"
cd "$(dirname "$0")/../.."
pnpm turbo run build --filter="@todo/${service}..." --output-logs=errors-only
rm -rf "$out"
# --legacy: @dapr/dapr brings its own Express 4 beside our Express 5, which the non-legacy deploy
# refuses to resolve for @todo/service-runtime's peer dependency without injected workspace packages.
pnpm --filter "@todo/${service}" deploy --legacy --prod "$out"

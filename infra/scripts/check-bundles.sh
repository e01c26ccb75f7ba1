#!/usr/bin/env bash
# What the image build does, without Docker: build each service's production bundle with the
# Dockerfiles' own script, then start it as the image would (`node dist/main.js`, NODE_ENV=production)
# and check that it answers /livez. Proves the bundle is complete (no dev dependency needed at run time).
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Like `docker build`, each service's bundle is built in a fresh copy of the sources with its own
# install: `pnpm deploy --legacy --prod` prunes the workspace it runs in.
fresh_copy() {
  mkdir -p "$1"
  git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$1"
  (cd "$1" && pnpm install --frozen-lockfile --prefer-offline >/dev/null)
}

check() {
  local service="$1" port="$2"; shift 2
  echo "== bundle: $service"
  fresh_copy "$work/src-$service"
  (cd "$work/src-$service" && bash infra/docker/build-bundle.sh "$service" "$work/$service" >/dev/null)
  # The runtime image copies exactly this directory; nothing from the workspace is reachable.
  (cd "$work/$service" && env -i PATH="$PATH" HOME="$work" NODE_ENV=production PORT="$port" HOST=127.0.0.1 \
    DATABASE_URL=postgres://check:check@127.0.0.1:1/check EVENT_TRANSPORT=off "$@" \
    node dist/main.js >"$work/$service.log" 2>&1) &
  for _ in $(seq 1 50); do
    if curl -fsS "http://127.0.0.1:$port/livez" >/dev/null 2>&1; then
      echo "   $service bundle starts and answers /livez ($(du -sh "$work/$service" | cut -f1))"
      kill %% 2>/dev/null || true
      wait 2>/dev/null || true
      return 0
    fi
    sleep 0.2
  done
  echo "   $service bundle did not start:" >&2
  cat "$work/$service.log" >&2
  return 1
}

check task-api 18180 JWT_SECRET=bundle-check-secret-that-is-long-enough-0123
check recurrence-engine 18181 APP_API_TOKEN=bundle-check-app-token-0123456789
# The migration Job's command is in the bundle too.
test -f "$work/recurrence-engine/node_modules/@todo/db/dist/bin/migrate.js" && echo "   migrator present"

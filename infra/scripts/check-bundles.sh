#!/usr/bin/env bash
# What the image build does, without Docker: build each service's production bundle through the
# Dockerfile's own stages and scripts (infra/docker/prune.sh, an install from the pruned manifests
# alone, then the pruned sources and infra/docker/build-bundle.sh), then start it as the image would
# (`node dist/main.js`, NODE_ENV=production) and check that it answers /livez. Proves the pruned
# workspace builds and the bundle is complete (no dev dependency needed at run time).
#
# The answer must come from the bundle just started: its port is free before it starts, it is
# still alive when /livez answers, and it is the process listening on that port. Each bundle runs
# in its own process group, which is stopped and checked gone before the next one starts, so no
# run leaves a process behind for a later run to mistake for its own.
#   BUNDLE_CHECK_PORT: a fixed port for both bundles (one after the other); default a free one each.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v ss >/dev/null || { echo "check-bundles needs ss (iproute2) to see who listens" >&2; exit 1; }
work="$(mktemp -d)"
pid="" # the running bundle: leader of its own process group

# The group, or its leader alone if it has not called setsid yet.
group_alive() { kill -0 -- "-$1" 2>/dev/null || kill -0 "$1" 2>/dev/null; }
leads_group() { [ "$(ps -o pgid= -p "$1" | tr -d ' ')" = "$1" ]; }
listener_pids() { ss -Htlnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }
port_in_use() { [ -n "$(ss -Htln "sport = :$1")" ]; }
describe_listeners() {
  local pids
  pids="$(listener_pids "$1" | paste -sd, -)"
  if [ -n "$pids" ]; then ps -o pid=,args= -p "$pids"; else ss -Htln "sport = :$1"; fi
}
free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# TERM to the whole group, KILL if it lingers; then the group must be gone.
stop_bundle() {
  [ -n "$pid" ] || return 0
  local group="$pid"
  pid=""
  kill -TERM -- "-$group" 2>/dev/null || kill -TERM "$group" 2>/dev/null || true
  for _ in $(seq 1 50); do group_alive "$group" || break; sleep 0.1; done
  if group_alive "$group"; then
    echo "   process group $group ignored SIGTERM for 5 s: SIGKILL" >&2
    kill -KILL -- "-$group" 2>/dev/null || kill -KILL "$group" 2>/dev/null || true
    for _ in $(seq 1 20); do group_alive "$group" || break; sleep 0.1; done
  fi
  wait "$group" 2>/dev/null || true
  if group_alive "$group"; then
    echo "   process group $group is still alive after SIGKILL:" >&2
    ps -o pid,pgid,args -g "$group" >&2 || true
    return 1
  fi
}
trap 'stop_bundle || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The Dockerfile's prune, deps and build stages, with copies for its COPY instructions: the install
# sees the pruned manifests only (as the cached layer does), the sources come after. Each service
# gets its own tree, as `pnpm deploy --legacy --prod` prunes the workspace it runs in.
#   usage: build_bundle <service> <output-dir>
build_bundle() {
  local pruned="$work/pruned-$1" tree="$work/src-$1"
  bash infra/docker/prune.sh "$1" "$pruned"
  mkdir -p "$tree"
  cp -a "$pruned/json/." "$tree/"
  (cd "$tree" && pnpm install --frozen-lockfile --prefer-offline >/dev/null)
  cp -a "$pruned/full/." "$tree/"
  (cd "$tree" && bash infra/docker/build-bundle.sh "$1" "$2" >/dev/null)
}

fail() {
  echo "   $service bundle: $*" >&2
  echo "   --- its output:" >&2
  cat "$work/$service.log" >&2 || true
  stop_bundle || true
  return 1
}

check() {
  service="$1"
  shift
  echo "== bundle: $service"
  build_bundle "$service" "$work/$service"

  local port="${BUNDLE_CHECK_PORT:-$(free_port)}"
  if port_in_use "$port"; then
    echo "   $service bundle: port $port is already in use, by:" >&2
    describe_listeners "$port" >&2
    return 1
  fi
  # The runtime image copies exactly this directory; nothing from the workspace is reachable.
  # setsid: the bundle leads a process group of its own, so stopping it stops all it started.
  (cd "$work/$service" && exec setsid env -i PATH="$PATH" HOME="$work" NODE_ENV=production \
    PORT="$port" HOST=127.0.0.1 DATABASE_URL=postgres://check:check@127.0.0.1:1/check \
    EVENT_TRANSPORT=off "$@" node dist/main.js >"$work/$service.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 50); do leads_group "$pid" && break; sleep 0.1; done
  leads_group "$pid" || { fail "pid $pid did not get a process group of its own"; return 1; }

  local answered=""
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { fail "exited before answering /livez"; return 1; }
    if curl -fsS --max-time 2 "http://127.0.0.1:$port/livez" >/dev/null 2>&1; then
      answered=1
      break
    fi
    sleep 0.2
  done
  [ -n "$answered" ] || { fail "did not answer /livez on port $port within 20 s"; return 1; }
  kill -0 "$pid" 2>/dev/null || { fail "/livez answered, but the bundle had exited"; return 1; }
  local listeners
  listeners="$(listener_pids "$port" | paste -sd, -)"
  [ "$listeners" = "$pid" ] || { fail "port $port is held by pid(s) '$listeners', not by the bundle ($pid)"; return 1; }
  echo "   $service bundle (pid $pid) starts and answers /livez on port $port ($(du -sh "$work/$service" | cut -f1))"

  stop_bundle || { echo "   $service bundle: could not stop it" >&2; return 1; }
  if port_in_use "$port"; then
    echo "   port $port is still in use after the bundle stopped" >&2
    return 1
  fi
  echo "   stopped: its process group is gone and port $port is free"
}

check task-api JWT_SECRET=bundle-check-secret-that-is-long-enough-0123
check recurrence-engine APP_API_TOKEN=bundle-check-app-token-0123456789
# Each Deployment's init container runs the migrator from its own service's image (and the
# migration Job from the engine's), so both bundles must carry it.
for service in task-api recurrence-engine; do
  test -f "$work/$service/node_modules/@todo/db/dist/bin/migrate.js" ||
    { echo "   $service bundle: no node_modules/@todo/db/dist/bin/migrate.js (the migrator)" >&2; exit 1; }
done
echo "   migrator present in both bundles"

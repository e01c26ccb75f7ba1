#!/usr/bin/env bash
# What the image builds do, without Docker: build each service's production bundle through the
# Dockerfile's own stages and scripts (infra/docker/prune.sh, an install from the pruned manifests
# alone, then the pruned sources and infra/docker/build-bundle.sh), then start it as the image would
# (`node dist/main.js`, NODE_ENV=production) and check that it answers /livez. Proves the pruned
# workspace builds and the bundle is complete (no dev dependency needed at run time).
# The web app the same way through web.Dockerfile's stages (build-static.sh), served by nginx with
# services/web/nginx.conf as the image serves it (as an unprivileged user, its /tmp paths, port and
# root moved into this run's directory), and asked by check-web-headers.sh for its headers.
#
# The answer must come from the server just started: its port is free before it starts, it is
# still alive when it answers, and it (or its process group: nginx's workers) is what listens on
# that port. Each server runs in its own process group, which is stopped and checked gone before
# the next one starts, so no run leaves a process behind for a later run to mistake for its own.
#   BUNDLE_CHECK_PORT: a fixed port for every server (one after the other); default a free one each.
#   NGINX: the nginx binary to use (default: infra/scripts/nginx-binary.sh finds or fetches one).
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

# The Dockerfiles' prune, deps and build stages, with copies for their COPY instructions: the
# install sees the pruned manifests only (as the cached layer does), the sources come after. Each
# service gets its own tree, as `pnpm deploy --legacy --prod` prunes the workspace it runs in.
#   usage: build_in_pruned_workspace <service> <build script: build-bundle.sh|build-static.sh> <output-dir>
build_in_pruned_workspace() {
  local pruned="$work/pruned-$1" tree="$work/src-$1"
  bash infra/docker/prune.sh "$1" "$pruned"
  mkdir -p "$tree"
  cp -a "$pruned/json/." "$tree/"
  (cd "$tree" && pnpm install --frozen-lockfile --prefer-offline >/dev/null)
  cp -a "$pruned/full/." "$tree/"
  (cd "$tree" && bash "infra/docker/$2" "$1" "$3" >/dev/null)
}

fail() {
  echo "   $service bundle: $*" >&2
  echo "   --- its output:" >&2
  cat "$work/$service.log" >&2 || true
  stop_bundle || true
  return 1
}

# A port no one holds, for the next server.
claim_port() {
  port="${BUNDLE_CHECK_PORT:-$(free_port)}"
  if port_in_use "$port"; then
    echo "   $service bundle: port $port is already in use, by:" >&2
    describe_listeners "$port" >&2
    return 1
  fi
}

# start_server <dir> <command...>: the command in <dir>, as the leader of a process group of its
# own (setsid), so stopping the group stops all it started; its output in $work/$service.log.
start_server() {
  local dir="$1"
  shift
  (cd "$dir" && exec setsid "$@" >"$work/$service.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 50); do leads_group "$pid" && break; sleep 0.1; done
  leads_group "$pid" || { fail "pid $pid did not get a process group of its own"; return 1; }
}

# /livez answers while the server is alive, and what listens on the port is the server's group.
await_livez() {
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
  kill -0 "$pid" 2>/dev/null || { fail "/livez answered, but the server had exited"; return 1; }
  local listeners listener
  listeners="$(listener_pids "$port")"
  [ -n "$listeners" ] || { fail "nothing listens on port $port"; return 1; }
  for listener in $listeners; do
    [ "$(ps -o pgid= -p "$listener" | tr -d ' ')" = "$pid" ] ||
      { fail "port $port is held by pid $listener, outside the server's process group ($pid)"; return 1; }
  done
}

stop_server() {
  stop_bundle || { echo "   $service bundle: could not stop it" >&2; return 1; }
  if port_in_use "$port"; then
    echo "   port $port is still in use after the server stopped" >&2
    return 1
  fi
  echo "   stopped: its process group is gone and port $port is free"
}

check() {
  service="$1"
  shift
  echo "== bundle: $service"
  build_in_pruned_workspace "$service" build-bundle.sh "$work/$service"
  claim_port
  # The runtime image copies exactly this directory; nothing from the workspace is reachable.
  start_server "$work/$service" env -i PATH="$PATH" HOME="$work" NODE_ENV=production \
    PORT="$port" HOST=127.0.0.1 DATABASE_URL=postgres://check:check@127.0.0.1:1/check \
    EVENT_TRANSPORT=off "$@" node dist/main.js
  await_livez
  echo "   $service bundle (pid $pid) starts and answers /livez on port $port ($(du -sh "$work/$service" | cut -f1))"
  stop_server
}

# services/web/nginx.conf with the lines it marks `# check-bundles:` moved into this run: the
# /tmp paths, the listen port (on loopback) and the root. Anything else is the image's own.
#   usage: render_nginx_conf <output> <port> <root> <tmp-dir>
render_nginx_conf() {
  sed -E \
    -e "/# check-bundles: \/tmp\$/ s| /tmp/| $4/|" \
    -e "/# check-bundles: port\$/ s|listen [0-9]+;|listen 127.0.0.1:$2;|" \
    -e "/# check-bundles: root\$/ s|root [^;]+;|root $3;|" \
    services/web/nginx.conf >"$1"
  local moved
  moved="$(grep -c -e " $4/" -e "listen 127.0.0.1:$2;" -e "root $3;" "$1")"
  [ "$moved" = "$(grep -c '# check-bundles: ' services/web/nginx.conf)" ] ||
    { echo "   web: $moved of the lines marked '# check-bundles:' in services/web/nginx.conf could be moved" >&2; return 1; }
  ! grep -E '^[^#]*/tmp/' services/web/nginx.conf | grep -qv '# check-bundles: /tmp$' ||
    { echo "   web: services/web/nginx.conf writes under /tmp on a line not marked '# check-bundles: /tmp'" >&2; return 1; }
}

check_web() {
  service=web
  echo "== static bundle: web"
  local static="$work/web-static" conf="$work/web-nginx.conf" tmp="$work/web-nginx-tmp" nginx
  build_in_pruned_workspace web build-static.sh "$static"
  nginx="$(bash infra/scripts/nginx-binary.sh)"
  claim_port
  mkdir -p "$tmp"
  render_nginx_conf "$conf" "$port" "$static" "$tmp"
  # Unprivileged, as in the image: as root, drop to nobody, who may read the files and write tmp
  # and its log (nginx reopens /dev/stdout and /dev/stderr, so it needs write access to the file).
  local as_user=()
  touch "$work/web.log"
  if [ "$(id -u)" = 0 ]; then
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chmod 711 "$work"
    chmod -R a+rX "$static" "$conf"
    chown nobody "$tmp" "$work/web.log"
  fi
  "${as_user[@]}" "$nginx" -e stderr -t -q -c "$conf" >>"$work/web.log" 2>&1 ||
    { fail "nginx -t rejects the rendered services/web/nginx.conf ($conf)"; return 1; }
  start_server "$work" "${as_user[@]}" "$nginx" -e stderr -c "$conf"
  await_livez
  echo "   web: $($nginx -v 2>&1 | cut -d: -f2 | tr -d ' ') (pid $pid) serves the build on port $port with services/web/nginx.conf"
  bash infra/scripts/check-web-headers.sh "http://127.0.0.1:$port" "$static" ||
    { fail "does not answer as services/web/nginx.conf means it to"; return 1; }
  stop_server
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
check_web

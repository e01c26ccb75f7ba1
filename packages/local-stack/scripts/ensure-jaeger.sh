#!/usr/bin/env bash
# Prints the path of a Jaeger all-in-one binary, getting one if needed:
#   1. $JAEGER if set;
#   2. otherwise build github.com/jaegertracing/jaeger at $JAEGER_VERSION (./cmd/all-in-one) from
#      the Go module proxy into ~/.cache/todo-platform/jaeger-<version>/ (reused by every later
#      run and every clone).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

JAEGER_VERSION="${JAEGER_VERSION:-v1.76.0}"
CACHE_ROOT="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
TARGET="$CACHE_ROOT/jaeger-$JAEGER_VERSION/jaeger-all-in-one"
say() { printf '[jaeger] %s\n' "$*" >&2; }

for candidate in "${JAEGER:-}" "$TARGET"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done

command -v go >/dev/null || { say "Go is required to build Jaeger (none found on PATH)"; exit 1; }
say "building Jaeger $JAEGER_VERSION from source (first run only; several minutes)"
started=$(date +%s)
export GOFLAGS=-modcacherw
export GOMODCACHE="${GOMODCACHE:-$HOME/.cache/go-mod}"
export GOCACHE="${GOCACHE:-$HOME/.cache/go-build}"
module_dir=$(go mod download -json "github.com/jaegertracing/jaeger@$JAEGER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$module_dir" ] || { say "go mod download did not give a module directory"; exit 1; }

# Its go.mod has a replace directive, so `go install ...@version` refuses it: build from a
# writable copy of the module instead (as ensure-daprd.sh does).
work="$CACHE_ROOT/jaeger-src-$JAEGER_VERSION"
rm -rf "$work" && mkdir -p "$work" && cp -R "$module_dir/." "$work/" && chmod -R u+w "$work"
mkdir -p "$(dirname "$TARGET")"
(cd "$work" && CGO_ENABLED=0 go build -trimpath -o "$TARGET.partial" ./cmd/all-in-one)
mv "$TARGET.partial" "$TARGET"
rm -rf "$work"
say "built $TARGET in $(( $(date +%s) - started ))s"
echo "$TARGET"

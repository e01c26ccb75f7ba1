#!/usr/bin/env bash
# Prints the path of a daprd binary that has the Kafka pub/sub component, getting one if needed:
#   1. $DAPRD if set, then `daprd` on PATH, then ~/.dapr/bin/daprd (what `dapr init` leaves);
#   2. otherwise build github.com/dapr/dapr at $DAPR_VERSION from the Go module proxy into
#      ~/.cache/todo-platform/daprd-<version>/daprd (reused by every later run and every clone).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

# v1.18.0: the newest 1.18 release whose whole module graph the Go module proxy serves here
# (v1.18.1-v1.18.3 need durabletask-go and pulsar-client-go versions it refuses).
DAPR_VERSION="${DAPR_VERSION:-v1.18.0}"
CACHE_ROOT="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
TARGET="$CACHE_ROOT/daprd-$DAPR_VERSION/daprd"
say() { printf '[daprd] %s\n' "$*" >&2; }

has_kafka() {
  # A build without the `stablecomponents` tag has no Kafka component; `--help` does not list
  # components, so look for the registration string in the binary itself.
  grep -aq 'pubsub.kafka' "$1" 2>/dev/null
}

for candidate in "${DAPRD:-}" "$(command -v daprd 2>/dev/null || true)" "$HOME/.dapr/bin/daprd" "$TARGET"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && has_kafka "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

command -v go >/dev/null || { say "Go is required to build daprd (none found on PATH)"; exit 1; }
say "building daprd $DAPR_VERSION from source (first run only; several minutes)"
started=$(date +%s)
export GOFLAGS=-modcacherw
export GOMODCACHE="${GOMODCACHE:-$HOME/.cache/go-mod}"
export GOCACHE="${GOCACHE:-$HOME/.cache/go-build}"
say "downloading the github.com/dapr/dapr@$DAPR_VERSION module"
module_dir=$(go mod download -json "github.com/dapr/dapr@$DAPR_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$module_dir" ] || { say "go mod download did not give a module directory"; exit 1; }

# The module's go.mod has replace directives, so `go install ...@version` refuses it: build from a
# writable copy of the module instead.
work="$CACHE_ROOT/dapr-src-$DAPR_VERSION"
rm -rf "$work" && mkdir -p "$work" && cp -R "$module_dir/." "$work/" && chmod -R u+w "$work"
mkdir -p "$(dirname "$TARGET")"
say "compiling ./cmd/daprd with -tags stablecomponents"
(cd "$work" && CGO_ENABLED=0 go build -trimpath -tags stablecomponents -o "$TARGET.partial" ./cmd/daprd)
mv "$TARGET.partial" "$TARGET"
rm -rf "$work"
has_kafka "$TARGET" || { say "the built daprd has no Kafka component"; exit 1; }
say "built $TARGET in $(( $(date +%s) - started ))s"
echo "$TARGET"

#!/usr/bin/env bash
# Prints the path of a daprd binary that has the Kafka pub/sub component, getting one if needed:
#   1. $DAPRD if set, then `daprd` on PATH, then ~/.dapr/bin/daprd (what `dapr init` leaves);
#   2. otherwise build github.com/dapr/dapr at $DAPR_VERSION from the Go module proxy into
#      ~/.cache/todo-platform/daprd-<version>/daprd (reused by every later run and every clone).
# DAPRD_KAFKA_BULK_FIX=1 (a bench option, never the default): only a build with
# ../patches/components-contrib-kafka-bulk-concurrent.patch applied to its Kafka component, cached
# under a name that carries the patch's hash.
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

# v1.18.0: the newest 1.18 release whose whole module graph the Go module proxy serves here
# (v1.18.1-v1.18.3 need durabletask-go and pulsar-client-go versions it refuses).
DAPR_VERSION="${DAPR_VERSION:-v1.18.0}"
CACHE_ROOT="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
TARGET="$CACHE_ROOT/daprd-$DAPR_VERSION/daprd"
say() { printf '[daprd] %s\n' "$*" >&2; }
BULK_FIX_PATCH="$(cd "$(dirname "$0")/.." && pwd)/patches/components-contrib-kafka-bulk-concurrent.patch"
CANDIDATES=("${DAPRD:-}" "$(command -v daprd 2>/dev/null || true)" "$HOME/.dapr/bin/daprd")
if [ "${DAPRD_KAFKA_BULK_FIX:-}" = 1 ]; then
  TARGET="$CACHE_ROOT/daprd-$DAPR_VERSION-kafka-bulk-fix-$(sha256sum "$BULK_FIX_PATCH" | cut -c1-12)/daprd"
  CANDIDATES=()
fi

has_kafka() {
  # A build without the `stablecomponents` tag has no Kafka component; `--help` does not list
  # components, so look for the registration string in the binary itself.
  grep -aq 'pubsub.kafka' "$1" 2>/dev/null
}

for candidate in "${CANDIDATES[@]}" "$TARGET"; do
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
work="$CACHE_ROOT/dapr-src-$DAPR_VERSION${DAPRD_KAFKA_BULK_FIX:+-kafka-bulk-fix}"
rm -rf "$work" && mkdir -p "$work" && cp -R "$module_dir/." "$work/" && chmod -R u+w "$work"
if [ "${DAPRD_KAFKA_BULK_FIX:-}" = 1 ]; then
  contrib_version=$(cd "$work" && go list -m -f '{{.Version}}' github.com/dapr/components-contrib)
  say "patching github.com/dapr/components-contrib@$contrib_version's Kafka consumer"
  contrib_dir=$(go mod download -json "github.com/dapr/components-contrib@$contrib_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$contrib_dir" ] || { say "go mod download did not give the components-contrib directory"; exit 1; }
  cp -R "$contrib_dir/." "$work/components-contrib/" && chmod -R u+w "$work/components-contrib"
  patch -d "$work/components-contrib" -p1 --forward < "$BULK_FIX_PATCH" >&2
  (cd "$work" && go mod edit -replace github.com/dapr/components-contrib=./components-contrib)
fi
mkdir -p "$(dirname "$TARGET")"
say "compiling ./cmd/daprd with -tags stablecomponents"
(cd "$work" && CGO_ENABLED=0 go build -trimpath -tags stablecomponents -o "$TARGET.partial" ./cmd/daprd)
mv "$TARGET.partial" "$TARGET"
rm -rf "$work"
has_kafka "$TARGET" || { say "the built daprd has no Kafka component"; exit 1; }
say "built $TARGET in $(( $(date +%s) - started ))s"
echo "$TARGET"

#!/usr/bin/env bash
# The part of the workspace one service's image needs, as `turbo prune --docker` splits it:
#   <out>/json  package.json files, pruned lockfile and pnpm-workspace.yaml, and the pnpm patches
#               of the dependencies kept (turbo drops the others from the workspace file and the
#               lockfile alike, so a frozen install agrees with them);
#   <out>/full  the same packages with their sources, plus what turbo does not carry over: the
#               root tsconfig every package extends, and the build scripts (build-bundle.sh for a
#               Node service, build-static.sh for the web app).
# The Dockerfiles install from json/ first (a layer that changes only with dependencies), then add
# full/ and run a build script; infra/scripts/check-bundles.sh does the same without Docker.
#   usage: prune.sh <directory under services/> <output-dir>   (turbo must be installed)
set -euo pipefail
service="$1"
out="$2"
cd "$(dirname "$0")/../.."
[ -f "services/$service/package.json" ] || { echo "prune.sh: no service '$service' under services/" >&2; exit 1; }
rm -rf "$out"
if ! log="$(pnpm exec turbo prune "@todo/$service" --docker --out-dir "$out" 2>&1)"; then
  echo "$log" >&2
  exit 1
fi
for patch in $(sed -n 's/^ *[^#].*: *\(infra\/pnpm-patches\/[^ ]*\)$/\1/p' "$out/json/pnpm-workspace.yaml"); do
  [ -f "$out/json/$patch" ] || { echo "prune.sh: turbo prune left out $patch" >&2; exit 1; }
done
cp tsconfig.base.json "$out/full/"
mkdir -p "$out/full/infra/docker"
cp infra/docker/build-bundle.sh infra/docker/build-static.sh "$out/full/infra/docker/"

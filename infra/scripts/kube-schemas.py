#!/usr/bin/env python3
"""Writes standalone, strict JSON Schemas for the Kubernetes kinds this project deploys, from the
OpenAPI document inside the k8s.io/kubernetes Go module, in the file layout kubeconform reads
(`<kind>-<group>-<version>.json`). Offline equivalent of the published kubernetes-json-schema set.

usage: kube-schemas.py <swagger.json> <output-dir>
"""
import json
import sys
from pathlib import Path

KINDS = {
    "Namespace", "ConfigMap", "Secret", "Service", "ServiceAccount", "Deployment", "StatefulSet",
    "Job", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress",
}


def resolve(node, definitions, stack):
    if isinstance(node, list):
        return [resolve(item, definitions, stack) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        if name in stack:  # recursive types (none in the kinds above) stay open
            return {}
        return resolve(definitions[name], definitions, stack | {name})
    out = {key: resolve(value, definitions, stack) for key, value in node.items()}
    if out.get("format") == "int-or-string":
        return {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    # Strict: unknown fields are errors, as `kubectl apply --validate=strict` treats them.
    if "properties" in out and "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


def main(swagger_path, out_dir):
    definitions = json.loads(Path(swagger_path).read_text())["definitions"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            if gvk["kind"] not in KINDS:
                continue
            group = gvk["group"].split(".")[0]
            suffix = f"-{group}-{gvk['version']}" if group else f"-{gvk['version']}"
            schema = resolve(definition, definitions, {name})
            schema["$schema"] = "http://json-schema.org/schema#"
            (out / f"{gvk['kind'].lower()}{suffix}.json").write_text(json.dumps(schema))
            written += 1
    print(f"wrote {written} Kubernetes schemas to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

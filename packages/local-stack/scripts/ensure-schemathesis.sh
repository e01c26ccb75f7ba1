#!/usr/bin/env bash
# Prints the path of a schemathesis CLI (from PyPI, pinned), installed on first use into a virtual
# environment under ~/.cache/todo-platform. Progress goes to stderr.
set -euo pipefail
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}/schemathesis-$VERSION"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  printf '[schemathesis] installing schemathesis %s from PyPI (first run only)\n' "$VERSION" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/schemathesis"

#!/usr/bin/env bash
# Prints the path of a schemathesis CLI (from PyPI, pinned), installed on first use into a virtual
# environment under ~/.cache/todo-platform. Progress goes to stderr.
#
# Hypothesis, which generates every test case, is pinned too: with the same seed, `pnpm fuzz:api`
# then tries the same cases on every machine and every day, not whatever its newest release does.
set -euo pipefail
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
HYPOTHESIS_VERSION="${SCHEMATHESIS_HYPOTHESIS_VERSION:-6.170.17}"
VENV="${TODO_CACHE_DIR:-$HOME/.cache/todo-platform}/schemathesis-$VERSION-hypothesis-$HYPOTHESIS_VERSION"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  printf '[schemathesis] installing schemathesis %s (hypothesis %s) from PyPI (first run only)\n' \
    "$VERSION" "$HYPOTHESIS_VERSION" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  if ! "$VENV/bin/pip" install --quiet "schemathesis==$VERSION" "hypothesis==$HYPOTHESIS_VERSION" >&2; then
    rm -rf "$VENV"
    exit 1
  fi
fi
echo "$VENV/bin/schemathesis"

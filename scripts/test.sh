#!/usr/bin/env bash
# The whole test suite: set-up (idempotent), then every node:test file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec node --test --test-concurrency=2 "$@" $(find dist/test dist/packages -name '*.test.js' | sort)

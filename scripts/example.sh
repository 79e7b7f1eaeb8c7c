#!/usr/bin/env bash
# The main job: set-up (idempotent), then trace the bundled example, a static aarch64 program.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec node dist/tstrace.js "$@" build/fixtures/aarch64/hello

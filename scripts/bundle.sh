#!/usr/bin/env bash
# Bundles the compiled CLI (dist/src/cli/main.js and everything it imports, npm packages
# included) into one module, dist/tstrace.js: Node then resolves, reads and links one file
# instead of about eighty, which is a sixth of tstrace's start-up. koffi and better-sqlite3
# stay outside (native addons, loaded with require at first use), and so does chalk: esbuild
# hoists the builtin imports of a bundled module to the top, and chalk's `import process from
# 'node:process'` would then run at every start and create process.stdout, which makes a piped
# stdout non-blocking for the traced program too (tstrace diff loads chalk when it colours).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
npx --no-install esbuild dist/src/cli/main.js --bundle --platform=node --format=esm --target=node20 \
  --external:koffi --external:better-sqlite3 --external:chalk --outfile=dist/tstrace.js --log-level=warning
# The recorder's store and the readers' read-ahead run on worker threads
# (src/recorder/store-worker.ts, chunk-worker.ts): their modules are bundled beside the CLI,
# where the recorder and the readers look for them.
for w in store-worker chunk-worker; do
  npx --no-install esbuild dist/src/recorder/$w.js --bundle --platform=node --format=esm --target=node20 \
    --external:better-sqlite3 --outfile=dist/$w.js --log-level=warning
done
chmod +x dist/tstrace.js

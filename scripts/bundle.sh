#!/usr/bin/env bash
# Bundles the compiled CLI (dist/src/cli/main.js and everything it imports, npm packages
# included) into one script, dist/tstrace.cjs, which dist/tstrace.js (src/cli/launcher.ts)
# compiles with V8's code cache, dist/tstrace.cjs.cache, made here from a traced run: Node then
# reads one file instead of about eighty, and most functions a run calls come compiled.
# koffi and better-sqlite3 stay outside (native addons, loaded with require at first use).
# chalk is inside: a CommonJS bundle evaluates a module reached by import() only when it is
# first imported (esbuild hoists an ES module bundle's builtin imports to its top instead,
# where chalk's `import process from 'node:process'` would create process.stdout at every
# start and make a piped stdout non-blocking for the traced program too).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rm -f dist/tstrace.cjs.cache
# The script is one function expression of what a CommonJS module gets, plus the URL standing
# for import.meta.url; esbuild escapes every non-ASCII character (its default charset).
npx --no-install esbuild dist/src/cli/main.js --bundle --platform=node --format=cjs --target=node20 \
  --external:koffi --external:better-sqlite3 --define:import.meta.url=__tstraceUrl \
  --banner:js='(function (require, module, exports, __filename, __dirname, __tstraceUrl) {' --footer:js='})' \
  --outfile=dist/tstrace.cjs --log-level=warning
# A script compiled by vm.Script has no module loader: an import() left in it (of a module kept
# outside the bundle) would fail when it runs.
if grep -nE 'import\("[^"]+"\)' dist/tstrace.cjs; then
  echo "bundle.sh: dist/tstrace.cjs imports a module with import(); bundle it or require it" >&2
  exit 1
fi
npx --no-install esbuild dist/src/cli/launcher.js --platform=node --format=esm --target=node20 \
  --outfile=dist/tstrace.js --log-level=warning
chmod +x dist/tstrace.js
# The recorder's store and the readers' read-ahead run on worker threads
# (src/recorder/store-worker.ts, chunk-worker.ts): their modules are bundled beside the CLI,
# where the recorder and the readers look for them.
for w in store-worker chunk-worker; do
  npx --no-install esbuild dist/src/recorder/$w.js --bundle --platform=node --format=esm --target=node20 \
    --external:better-sqlite3 --outfile=dist/$w.js --log-level=warning
done
# The code cache: the bytecode of what tracing the example compiles (of the CLI's help alone
# when the example or the native library is not built yet; scripts/setup.sh builds them first).
if ! TSTRACE_CODE_CACHE=write node dist/tstrace.js -f -o /dev/null build/fixtures/aarch64/hello > /dev/null 2>&1; then
  TSTRACE_CODE_CACHE=write node dist/tstrace.js --help > /dev/null
fi

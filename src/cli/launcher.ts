#!/usr/bin/env node
// dist/tstrace.js: starts the bundled CLI (dist/tstrace.cjs, scripts/bundle.sh) from V8's code
// cache when there is one. Compiling the 2.6 MB bundle and then, lazily, each function the run
// calls was about a third of tstrace's own start-up; the cache (dist/tstrace.cjs.cache, made by
// bundle.sh from a traced run) holds their bytecode. A cache that is missing, was made for
// another bundle or that V8 refuses (another Node version, other V8 flags) only costs that time.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('tstrace.cjs', import.meta.url));
const cacheFile = `${bundle}.cache`;
/** Bytes before the cache proper: the bundle's size and modification time it was made for. */
const HEADER = 16;

/** The bundle's identity, as the cache's header holds it. */
function stamp(): Buffer {
  const st = statSync(bundle);
  const b = Buffer.alloc(HEADER);
  b.writeDoubleLE(st.size, 0);
  b.writeDoubleLE(st.mtimeMs, 8);
  return b;
}

function cachedData(): Buffer | undefined {
  if (process.env['TSTRACE_CODE_CACHE'] === 'off' || process.env['TSTRACE_CODE_CACHE'] === 'write') return undefined;
  try {
    const data = readFileSync(cacheFile);
    return data.length > HEADER && data.subarray(0, HEADER).equals(stamp()) ? data.subarray(HEADER) : undefined;
  } catch {
    return undefined;
  }
}

// esbuild writes ASCII only (non-ASCII characters escaped), so latin1 reads it unchanged and
// faster than utf8. The bundle is a function of what a CommonJS module gets, plus the URL
// that stands for import.meta.url (dist/tstrace.js's, as when the bundle was this module). It
// has no import() (scripts/bundle.sh checks): a script compiled here has no loader for one.
const source = readFileSync(bundle, 'latin1');
const script = new vm.Script(source, {
  filename: bundle,
  cachedData: cachedData(),
});
if (process.env['TSTRACE_CODE_CACHE'] === 'write') {
  // bundle.sh: after a representative run, keep the bytecode of every function it compiled.
  process.on('exit', () => {
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, Buffer.concat([stamp(), script.createCachedData()]));
    renameSync(tmp, cacheFile);
  });
}
type BundleMain = (require: NodeJS.Require, module: { exports: object }, exports: object, filename: string, dirname: string, importMetaUrl: string) => void;
const run = script.runInThisContext() as BundleMain;
const module = { exports: {} };
run(createRequire(bundle), module, module.exports, bundle, fileURLToPath(new URL('.', import.meta.url)), import.meta.url);

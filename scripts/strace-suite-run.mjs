#!/usr/bin/env node
// Runs strace 6.1's own tests (built by scripts/strace-suite.sh into build/strace-suite/strace-6.1)
// through strace's harness (tests/run.sh, init.sh, match_diff/match_grep), once with the real
// strace and once with tstrace in its place ($STRACE is a wrapper that runs dist/tstrace.js),
// and writes each test's outcome for both to a JSON file.
//
// The tests: the generated ones (tests/gen_tests.in) whose traced syscalls are all rows of the
// README's support table. A test's syscalls are its `-e trace=` / `--trace=` / `-eNAME` set,
// taken from its options or, for a test that runs a helper script (`+ioctl.test`), from that
// script; without one the harness traces the test's own name.
//
// Usage: node scripts/strace-suite-run.mjs [--jobs N] [--out FILE] [--filter REGEX]
//          [--tstrace-only] [--native-only] [--fresh-native] [--timeout SECONDS] [--list]
//          [--write-baseline]
// --write-baseline records the tests that passed under tstrace in test/strace-suite-baseline.json
// (the ratchet of test/strace-suite.test.ts); use it after a full run, when the count rose.
// The real strace's outcomes do not change between runs, so they are kept in
// build/strace-suite/native.json and reused unless --fresh-native is given.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suiteDir = join(root, 'build', 'strace-suite');
const testsDir = join(suiteDir, 'strace-6.1', 'tests');
// What a run writes (the wrapper, the logs, the results) lives beside the built suite, not in
// it: several checkouts can then share one build of the suite.
const runDir = join(root, 'build', 'strace-suite-runs');

function usage(msg) {
  process.stderr.write(`strace-suite-run: ${msg}\n`);
  process.exit(2);
}

const opts = {
  jobs: Math.max(1, Math.min(cpus().length, 4)),
  out: join(runDir, 'results.json'),
  filter: null,
  tstraceOnly: false,
  nativeOnly: false,
  freshNative: false,
  timeout: 120,
  list: false,
  writeBaseline: false,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  if (a === '--jobs') opts.jobs = Number(val());
  else if (a === '--out') opts.out = resolve(val());
  else if (a === '--filter') opts.filter = new RegExp(val());
  else if (a === '--tstrace-only') opts.tstraceOnly = true;
  else if (a === '--native-only') opts.nativeOnly = true;
  else if (a === '--fresh-native') opts.freshNative = true;
  else if (a === '--timeout') opts.timeout = Number(val());
  else if (a === '--list') opts.list = true;
  else if (a === '--write-baseline') opts.writeBaseline = true;
  else usage(`unknown option ${a}`);
}
if (!Number.isInteger(opts.jobs) || opts.jobs < 1) usage('--jobs needs a positive integer');
if (!(opts.timeout > 0)) usage('--timeout needs a positive number of seconds');
if (!existsSync(join(testsDir, 'gen_tests.in')) || !existsSync(join(suiteDir, 'strace-6.1', '.tstrace-built'))) {
  usage(`strace's tests are not built in ${testsDir}: run scripts/strace-suite.sh --build-only`);
}

/** The syscall names of the README's support table. */
export function readmeSyscalls(readme) {
  const names = new Set();
  let inside = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('<!-- support-table:begin')) inside = true;
    else if (line.startsWith('<!-- support-table:end')) inside = false;
    else if (inside) {
      const m = /^\| ([a-z0-9_]+) \|/.exec(line);
      if (m && m[1] !== 'syscall') names.add(m[1]);
    }
  }
  return names;
}

/** The traced set named by an option string, or null when it names none. */
function traceSpec(text) {
  const m = /(?:-e\s*trace=|--trace=)(\S+)/.exec(text) ?? /(?:^|\s)-e(?!\s*(?:trace|signal|status|inject|fault|read|write|abbrev|verbose|raw|quiet|kvm|decode|secontext|expand|s=|t=))([a-z_0-9,]+)(?=\s|$)/.exec(text);
  return m ? m[1].replace(/^["']|["']$/g, '') : null;
}

/** Each generated test: name, options, and the syscalls it traces (null: not known). */
function genTests() {
  const out = [];
  for (const raw of readFileSync(join(testsDir, 'gen_tests.in'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, ...rest] = line.split(/\s+/);
    const options = rest.join(' ');
    let spec = traceSpec(options);
    if (spec === null && rest[0]?.startsWith('+')) {
      const script = join(testsDir, rest[0].slice(1));
      if (existsSync(script)) spec = traceSpec(readFileSync(script, 'utf8'));
      if (spec !== null && spec.includes('$')) spec = null;
    }
    let calls;
    if (spec !== null) {
      calls = spec.split(',').filter((s) => s !== '');
      if (calls.some((c) => /^[!%/?@]/.test(c) || c.includes('@'))) calls = null;
    } else {
      calls = [name];
    }
    out.push({ name, options, calls });
  }
  return out;
}

function runOne(name, strace) {
  return new Promise((resolvePromise) => {
    const env = {
      ...process.env,
      STRACE: strace,
      STRACE_ARCH: 'x86_64',
      STRACE_NATIVE_ARCH: 'x86_64',
      SIZEOF_KERNEL_LONG_T: '8',
      SIZEOF_LONG: '8',
      MIPS_ABI: '',
      srcdir: '.',
      TIMEOUT_DURATION: String(opts.timeout),
    };
    delete env.VERBOSE;
    const child = spawn('./run.sh', [`./${name}.gen.test`], { cwd: testsDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => { if (log.length < 200000) log += d; });
    child.stderr.on('data', (d) => { if (log.length < 200000) log += d; });
    child.on('close', (code, signal) => {
      const status = code === 0 ? 'pass' : code === 77 ? 'skip' : 'fail';
      resolvePromise({ status, code: code ?? signal, log });
    });
  });
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const table = readmeSyscalls(readme);
const selected = genTests().filter((t) => t.calls !== null && t.calls.every((c) => table.has(c))
  && existsSync(join(testsDir, `${t.name}.gen.test`)) && (opts.filter === null || opts.filter.test(t.name)));
if (opts.list) {
  for (const t of selected) process.stdout.write(`${t.name}\t${t.calls.join(',')}\n`);
  process.exit(0);
}

const wrapper = join(runDir, 'bin', 'tstrace');
mkdirSync(dirname(wrapper), { recursive: true });
writeFileSync(wrapper, `#!/bin/sh\n# strace's harness calls $STRACE with strace's options: tstrace takes them.\nexec node ${JSON.stringify(join(root, 'dist', 'tstrace.js'))} "$@"\n`);
chmodSync(wrapper, 0o755);
const realStrace = process.env.STRACE_SUITE_NATIVE ?? '/usr/bin/strace';

const nativeCacheFile = join(suiteDir, 'native.json');
const nativeCache = !opts.freshNative && existsSync(nativeCacheFile)
  ? JSON.parse(readFileSync(nativeCacheFile, 'utf8')) : {};

const logDir = join(runDir, 'logs');
mkdirSync(join(logDir, 'native'), { recursive: true });
mkdirSync(join(logDir, 'tstrace'), { recursive: true });

const results = {};
let next = 0;
let done = 0;
const started = Date.now();
async function worker() {
  while (next < selected.length) {
    const t = selected[next++];
    const r = { calls: t.calls };
    if (!opts.tstraceOnly) {
      if (nativeCache[t.name] !== undefined) r.native = nativeCache[t.name];
      else {
        const n = await runOne(t.name, realStrace);
        writeFileSync(join(logDir, 'native', `${t.name}.log`), n.log);
        r.native = n.status;
        nativeCache[t.name] = n.status;
      }
    }
    if (!opts.nativeOnly) {
      const s = await runOne(t.name, wrapper);
      writeFileSync(join(logDir, 'tstrace', `${t.name}.log`), s.log);
      r.tstrace = s.status;
    }
    results[t.name] = r;
    done++;
    if (process.stderr.isTTY) process.stderr.write(`\r${done}/${selected.length} ${t.name}                    `);
  }
}
await Promise.all(Array.from({ length: opts.jobs }, worker));
if (process.stderr.isTTY) process.stderr.write('\n');
if (!opts.tstraceOnly) writeFileSync(nativeCacheFile, JSON.stringify(nativeCache, null, 1) + '\n');

const sorted = Object.fromEntries(Object.keys(results).sort().map((k) => [k, results[k]]));
const count = (side) => Object.values(sorted).filter((r) => r[side] === 'pass').length;
const summary = {
  strace: '6.1 (Debian bookworm source)',
  selected: selected.length,
  native: opts.tstraceOnly ? null : count('native'),
  tstrace: opts.nativeOnly ? null : count('tstrace'),
  both: opts.tstraceOnly || opts.nativeOnly ? null
    : Object.values(sorted).filter((r) => r.native === 'pass' && r.tstrace === 'pass').length,
  seconds: Math.round((Date.now() - started) / 1000),
  logs: logDir,
};
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, JSON.stringify({ summary, tests: sorted }, null, 1) + '\n');
process.stdout.write(`${JSON.stringify(summary)}\n`);
if (opts.writeBaseline) {
  if (opts.filter !== null || opts.nativeOnly) usage('--write-baseline needs a full run (no --filter, no --native-only)');
  const passing = Object.keys(sorted).filter((k) => sorted[k].tstrace === 'pass');
  const baseline = {
    comment: 'strace 6.1 tests (scripts/strace-suite.sh) that pass under tstrace: test/strace-suite.test.ts fails when one of them fails or the count falls. Written by `node scripts/strace-suite-run.mjs --write-baseline`.',
    selected: selected.length,
    native: summary.native,
    tstrace: passing.length,
    passing,
  };
  writeFileSync(join(root, 'test', 'strace-suite-baseline.json'), JSON.stringify(baseline, null, 1) + '\n');
}

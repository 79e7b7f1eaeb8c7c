#!/usr/bin/env node
// Benchmark of `tstrace diff`: two 1,000,000-line strace logs (two real `strace -f` runs of the
// fixture diff_prog in its loop variant, so pids and addresses differ on every line) that differ
// in one call after normalization. Measures wall time and peak RSS of the diff, and the same for
// GNU `diff -u` of the raw files in the same run.
//
//   node bench/diff-bench.mjs [--loops N] [--keep DIR] [--write]
//     --loops N   iterations of the fixture's loop (4 lines each; default 250000 → ~1,000,000 lines)
//     --keep DIR  generate the logs into DIR and reuse them when they are already there
//     --write     put the result into bench/RESULTS.md under "## diff"
// Needs a build (npx tsc -p tsconfig.json), gcc and strace. Exit 1 when a target is missed
// (≤ 5 s, ≤ 384 MB).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const loops = Number(opt('--loops', '250000'));
const dir = opt('--keep', undefined) ?? mkdtempSync(join(tmpdir(), 'tstrace-diff-bench-'));
const write = args.includes('--write');
const TIME_LIMIT_S = 5;
const MEM_LIMIT_MB = 384;

mkdirSync(dir, { recursive: true });
const say = (s) => process.stderr.write(`diff-bench: ${s}\n`);

function fixture() {
  const built = join(root, 'build/fixtures/x86_64/diff_prog');
  if (existsSync(built)) return built;
  const out = join(dir, 'diff_prog');
  if (!existsSync(out)) {
    const r = spawnSync('gcc', ['-static', '-O1', '-o', out, join(root, 'test/fixtures/diff_prog.c')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('gcc failed');
  }
  return out;
}

function straceRun(out, prog) {
  if (existsSync(out) && statSync(out).size > 0) return;
  say(`tracing ${loops} iterations into ${out} (real strace, takes a while)`);
  const r = spawnSync('strace', ['-f', '-o', out, prog], {
    env: { PATH: process.env.PATH, DIFF_VARIANT: 'loop', DIFF_LOOPS: String(loops) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`strace exited ${r.status}`);
}

/** Copies `from` to `to`, changing one write in the middle (the one real difference). */
async function changeOneLine(from, to) {
  if (existsSync(to) && statSync(to).size > 0) return;
  const out = createWriteStream(to);
  const rl = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
  let n = 0;
  let done = false;
  const half = Math.floor(loops * 2);
  for await (const line of rl) {
    n++;
    let l = line;
    if (!done && n > half && /write\(3, "iteration \d+\\n"/.test(l)) {
      l = l.replace('"iteration ', '"ITERATION ');
      done = true;
    }
    if (!out.write(l + '\n')) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  if (!done) throw new Error('no line to change');
}

function countLines(file) {
  const r = spawnSync('wc', ['-l', file], { encoding: 'utf8' });
  return Number(r.stdout.trim().split(/\s+/)[0]);
}

/**
 * Runs a command with its output going to a file (as both tools would write to a file or
 * terminal), returning wall seconds and peak RSS (MB, from /usr/bin/time when there).
 */
function measure(cmd, cmdArgs) {
  const haveTime = existsSync('/usr/bin/time');
  const outFile = join(dir, 'bench-output.txt');
  const fd = openSync(outFile, 'w');
  return new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = haveTime
      ? spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M CPU=%U %S', cmd, ...cmdArgs], { stdio: ['ignore', fd, 'pipe'] })
      : spawn(cmd, cmdArgs, { stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /PEAK_RSS_KB=(\d+)/.exec(stderr);
      const cpu = /CPU=([\d.]+) ([\d.]+)/.exec(stderr);
      const stdout = statSync(outFile).size < (1 << 20) ? readFileSync(outFile, 'utf8') : '';
      const outputLines = countLines(outFile);
      resolvePromise({ outputLines, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, code, seconds, peakMb: m ? Number(m[1]) / 1024 : null, stdout, stderr: stderr.replace(/.*PEAK_RSS_KB=.*\n?/, '') });
    });
  });
}

const prog = fixture();
const a = join(dir, 'a.log');
const b0 = join(dir, 'b-run.log');
const b = join(dir, 'b.log');
straceRun(a, prog);
straceRun(b0, prog);
await changeOneLine(b0, b);
const linesA = countLines(a);
const linesB = countLines(b);
const mb = (f) => statSync(f).size / (1 << 20);
say(`logs: ${linesA} and ${linesB} lines (${mb(a).toFixed(1)} MB, ${mb(b).toFixed(1)} MB)`);

const cli = join(root, 'dist/src/diff/cli.js');
if (!existsSync(cli)) throw new Error('build first: npx tsc -p tsconfig.json');
const runner = `import { runDiffCommand } from ${JSON.stringify(cli)}; process.exitCode = await runDiffCommand(process.argv.slice(1));`;
const runs = [];
for (let i = 0; i < 3; i++) runs.push(await measure(process.execPath, ['--input-type=module', '-e', runner, '--', '--color=never', a, b]));
const ours = runs.reduce((x, y) => (y.seconds < x.seconds ? y : x));
const hunks = ours.stdout.split('\n').filter((l) => l.startsWith('@@ ')).length;
const gnu = await measure('diff', ['-u', a, b]);
const gnuLines = gnu.outputLines;

const ok = ours.code === 1 && hunks === 1 && ours.seconds <= TIME_LIMIT_S && (ours.peakMb === null || ours.peakMb <= MEM_LIMIT_MB);
const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const busy = load > Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim());
const fmt = (x, d = 2) => (x === null ? 'n/a' : x.toFixed(d));
const summary = ours.stdout.trim().split('\n').at(-1);
const result = `## diff

\`tstrace diff\` of two ${linesA.toLocaleString('en-US')}-line logs (${fmt(mb(a), 1)} MB each) from two real
\`strace -f\` runs of \`test/fixtures/diff_prog.c\` (\`DIFF_VARIANT=loop DIFF_LOOPS=${loops}\`: open/write/close/getppid
per iteration, a child every 50,000), so every line's pid and many addresses differ; one \`write\` in the
second log was then changed. Targets: ≤ ${TIME_LIMIT_S} s and ≤ ${MEM_LIMIT_MB} MB peak.

| | wall time | CPU (user+sys) | peak RSS | result |
| --- | --- | --- | --- | --- |
| \`tstrace diff\` (best of 3) | ${fmt(ours.seconds)} s | ${fmt(ours.cpuSeconds)} s | ${fmt(ours.peakMb, 0)} MB | exit ${ours.code}, ${hunks} hunk; "${summary}" |
| \`diff -u\` of the raw files | ${fmt(gnu.seconds)} s | ${fmt(gnu.cpuSeconds)} s | ${fmt(gnu.peakMb, 0)} MB | exit ${gnu.code}, ${gnuLines.toLocaleString('en-US')} lines of output (every line differs) |
| ratio tstrace / diff -u | ${fmt(ours.seconds / gnu.seconds, 1)}x | ${ours.cpuSeconds !== null && gnu.cpuSeconds ? fmt(ours.cpuSeconds / gnu.cpuSeconds, 1) + 'x' : 'n/a'} | ${ours.peakMb !== null && gnu.peakMb !== null ? fmt(ours.peakMb / gnu.peakMb, 1) + 'x' : 'n/a'} | |

All three runs (wall / CPU / peak): ${runs.map((r) => `${fmt(r.seconds)} s / ${fmt(r.cpuSeconds)} s / ${fmt(r.peakMb, 0)} MB`).join(', ')}.
Machine: ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} CPUs, Node ${process.version}, load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.
${busy ? `The machine was shared and busy (load above its CPU count) during this run, which stretches wall time;
the CPU time is the steadier figure. Runs past ${TIME_LIMIT_S} s wall: ${runs.filter((r) => r.seconds > TIME_LIMIT_S).length} of ${runs.length}.
` : ''}Targets ${ok ? 'met' : 'MISSED'} (by the best run).


Command: \`npx tsc -p tsconfig.json && node bench/diff-bench.mjs --write\` (generating the logs takes about a minute of
\`strace\`; \`--keep DIR\` reuses them).
`;
process.stdout.write(result);
if (write) {
  const file = join(root, 'bench/RESULTS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = text.search(/^## diff\s*$/m);
  if (start >= 0) {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    text = text.slice(0, start) + result + (next >= 0 ? '\n' + rest.slice(next) : '');
  } else {
    text = text.replace(/\n*$/, '\n\n') + result;
  }
  writeFileSync(file, text);
  say(`wrote ${file}`);
}
process.exitCode = ok ? 0 : 1;

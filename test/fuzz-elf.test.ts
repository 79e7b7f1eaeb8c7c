// Robustness of the loader: 2,000 mutated headers per architecture (1,000 of the hello fixture,
// 1,000 of Debian's static busybox running `true`; ELF header and program header fields set to
// boundary values, bit flips and random words, program headers swapped, files cut short; a
// fixed seed). Each mutant runs through the loader and kernel inside a worker process
// (test/helpers/elf-fuzz-worker.ts, two workers at a time), and each must end:
//   - refused with one of the documented loader exit codes, or
//   - exited, or killed by a signal (as Linux kills a program whose image is broken), or
//   - stopped in a reported deadlock (the program waits on a futex nothing can wake: Linux and
//     qemu-user wait for ever too; the kernel says so on stderr, and the runner goes on);
// never a host crash (the worker dying of a signal, an assertion), a JavaScript exception, or
// a silent hang (no progress for 15 seconds).
// Then a sample of mutants runs through the CLI and under the oracle, qemu-user (aarch64) or the
// host (x86_64): whenever tstrace runs a mutant to its end, the oracle must end the same way;
// whenever tstrace refuses one, the oracle must not run it to a normal exit either. (Against
// qemu-user, at most a tenth may differ: see the note in the test.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mutate } from './helpers/elf-mutate.js';
import type { FuzzOutcome } from './helpers/elf-fuzz-worker.js';
import {
  describeEnd, fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir,
  repoRoot, run, runQemu, runTstrace, type Arch, type RunResult,
} from './helpers/run.js';

const SEED = 20261205;
const PER_BINARY = 1000;
const WORKERS = 2;
/** No progress on one mutant for this long is a hang (generous: the machine may be loaded). */
const HANG_MS = 15_000;
const LOADER_CODES = new Set([68, 69, 70, 71, 72, 73, 77, 78]);
const DEADLOCK = /^tstrace: every guest task waits for another/m;
const worker = path.join(repoRoot, 'dist', 'test', 'helpers', 'elf-fuzz-worker.js');

interface Subject {
  readonly arch: Arch;
  readonly name: string;
  readonly binary: string;
  /** busybox applet to run (argv[1]); none for hello. */
  readonly applet?: string;
}

type Result = FuzzOutcome | { readonly i: number; readonly kind: 'deadlock' | 'hang' | 'crash'; readonly message: string };

function subjects(arch: Arch): Subject[] {
  const out: Subject[] = [];
  if (fixtureExists(arch, 'hello')) out.push({ arch, name: 'hello', binary: fixturePath(arch, 'hello') });
  const bb = path.join(repoRoot, 'vendor', 'busybox', arch, 'bin', 'busybox');
  if (fs.existsSync(bb)) out.push({ arch, name: 'busybox', binary: bb, applet: 'true' });
  return out;
}

/** Runs mutants [from, to) in worker processes, restarting after a hang or a crash. */
async function runRange(s: Subject, from: number, to: number, scratch: string): Promise<Result[]> {
  const results: Result[] = [];
  let next = from;
  while (next < to) {
    const args = [worker, s.binary, scratch, String(SEED), String(next), String(to), ...(s.applet !== undefined ? [s.applet] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let current = next;
    let buffered = '';
    let stderr = '';
    let ended: Result | undefined;
    let timer: NodeJS.Timeout | undefined;
    const kill = (r: Result): void => {
      if (ended !== undefined) return;
      ended = r;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => kill({ i: current, kind: 'hang', message: `no end after ${HANG_MS} ms` }), HANG_MS);
    };
    arm();
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const o = JSON.parse(line) as { start?: number } & Partial<FuzzOutcome>;
        if (o.start !== undefined) {
          current = o.start;
          stderr = '';
          arm();
        } else results.push(o as FuzzOutcome);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (DEADLOCK.test(stderr)) kill({ i: current, kind: 'deadlock', message: stderr.trim() });
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    if (ended === undefined && (exit.code !== 0 || exit.signal !== null)) {
      ended = { i: current, kind: 'crash', message: `worker ended with ${exit.signal ?? `exit ${exit.code}`}: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}` };
    }
    if (ended === undefined) break;
    results.push(ended);
    next = ended.i + 1;
  }
  return results;
}

function summary(results: readonly Result[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = r.kind === 'refused' || r.kind === 'exited' ? `${r.kind} ${r.code}` : r.kind === 'killed' ? `killed ${r.signal}` : r.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort().map(([k, n]) => `${k}: ${n}`).join(', ');
}

const mutantsOf = new Map<string, Result[]>();

for (const arch of ['aarch64', 'x86_64', 'riscv64'] as const) {
  for (const s of subjects(arch)) {
    test(`fuzz-elf ${arch} ${s.name}: ${PER_BINARY} mutated headers, each ends without a host crash or hang`, { timeout: 300_000 }, async () => {
      const dir = makeTempDir('tstrace-fuzz-elf-');
      try {
        const chunk = Math.ceil(PER_BINARY / WORKERS);
        const parts = await Promise.all(Array.from({ length: WORKERS }, (_, w) =>
          runRange(s, w * chunk, Math.min(PER_BINARY, (w + 1) * chunk), path.join(dir, `mutant-${w}`))));
        const results = parts.flat().sort((a, b) => a.i - b.i);
        mutantsOf.set(`${arch}/${s.name}`, results);
        const what = (r: Result): string => `#${r.i} (${mutate(fs.readFileSync(s.binary), SEED, r.i).what})`;
        assert.equal(results.length, PER_BINARY, `every mutant has an outcome (${summary(results)})`);
        assert.deepEqual(results.map((r) => r.i), Array.from({ length: PER_BINARY }, (_, i) => i));
        const broken = results.filter((r) => r.kind === 'crash' || r.kind === 'hang' || r.kind === 'error');
        assert.deepEqual(broken.map((r) => `${what(r)} ${r.kind}: ${'message' in r ? r.message : ''}`), [], summary(results));
        const badCodes = results.filter((r) => r.kind === 'refused' && !LOADER_CODES.has(r.code));
        assert.deepEqual(badCodes.map((r) => `${what(r)}: ${'message' in r ? r.message : ''}`), []);
        for (const r of results) {
          if (r.kind === 'refused') assert.doesNotMatch(r.message, /\n/, 'a refusal is one line');
        }
        // The mutations must reach both sides of the loader's checks.
        assert.ok(results.some((r) => r.kind === 'refused' && r.code === 77), `some mutants have bad program headers (${summary(results)})`);
        assert.ok(results.some((r) => r.kind === 'refused' && r.code === 78), 'some mutants do not fit');
        assert.ok(results.some((r) => r.kind === 'exited' && r.code === 0), 'some mutants still run');
        assert.ok(results.some((r) => r.kind === 'killed' && r.signal === 11), 'some mutants fault');
      } finally {
        removeTempDir(dir);
      }
    });
  }
}

/** How a run through the CLI or an oracle ended, in one comparable word. */
function endOf(r: RunResult): string {
  return describeEnd(r);
}

// Not riscv64: its sample reaches mutants Linux refuses (more than a page of program headers, a
// PT_LOAD whose p_filesz runs past the end of the file: ENOEXEC or SIGSEGV natively, as tstrace
// refuses them) and qemu-riscv64 runs to exit 0, so qemu is no oracle there.
for (const arch of ['aarch64', 'x86_64'] as const) {
  const oracleArch = hostArch() === 'x86_64' && (arch === 'x86_64' || hasCommand(`qemu-${arch}`));
  test(`fuzz-elf ${arch}: a sample of mutants ends under tstrace as under ${arch === 'x86_64' ? 'the host' : `qemu-${arch}`}`, { skip: !oracleArch, timeout: 300_000 }, () => {
    const dir = makeTempDir('tstrace-fuzz-elf-oracle-');
    try {
      let compared = 0;
      let refusedChecked = 0;
      const mismatches: string[] = [];
      for (const s of subjects(arch)) {
        const results = mutantsOf.get(`${arch}/${s.name}`);
        if (results === undefined) continue;
        const original = fs.readFileSync(s.binary);
        const args = s.applet !== undefined ? [s.applet] : [];
        // Every 40th mutant: deadlocks and hangs are left out (the oracle would wait too).
        for (const r of results.filter((x) => x.i % 40 === 7 && x.kind !== 'deadlock')) {
          const prog = path.join(dir, `${s.name}-${r.i}`);
          fs.writeFileSync(prog, mutate(original, SEED, r.i).bytes, { mode: 0o755 });
          const t = runTstrace(['-o', '/dev/null', prog, ...args], { cwd: dir, timeoutMs: 20_000 });
          const o = arch === 'x86_64' ? runNative(prog, args, dir) : runQemu(arch, prog, args, { cwd: dir, timeoutMs: 20_000 });
          const label = `${s.name} #${r.i} (${mutate(original, SEED, r.i).what}): tstrace ${endOf(t)}, oracle ${endOf(o)} ${o.stderr.trim()}`;
          if (t.status !== null && LOADER_CODES.has(t.status) && t.stderr.startsWith('tstrace: ')) {
            // Refused: the oracle must not run it normally either (a refusal, an error, a fault).
            refusedChecked++;
            assert.ok(o.signal !== null || o.status !== 0 || o.timedOut, label);
          } else {
            compared++;
            if (arch === 'x86_64') assert.equal(endOf(t), endOf(o), label);
            else if (endOf(t) !== endOf(o)) mismatches.push(label);
          }
        }
      }
      assert.ok(compared > 5 && refusedChecked > 5, `compared ${compared} runs, ${refusedChecked} refusals`);
      // qemu-user lays out a segment whose p_memsz overlaps the next one differently from Linux
      // (it kills such a program, Linux maps the later segment over the earlier one): against
      // qemu, a few of these may differ; the host (x86_64) is Linux itself and must agree always.
      assert.ok(mismatches.length * 10 <= compared, `differences from qemu:\n${mismatches.join('\n')}`);
    } finally {
      removeTempDir(dir);
    }
  });
}

/** A mutant run natively: an execve that fails is a refusal (exit 126, as a shell reports it). */
function runNative(prog: string, args: readonly string[], cwd: string): RunResult {
  try {
    return run(prog, args, { cwd, timeoutMs: 20_000 });
  } catch {
    return { status: 126, signal: null, stdout: '', stderr: 'execve failed', timedOut: false, command: prog };
  }
}

// A guest's own ptrace(2): test/fixtures/guest_tracer.c is a small tracer (TRACEME, ATTACH,
// PTRACE_SYSCALL with GETREGSET and GET_SYSCALL_INFO, PEEK/POKE, a software breakpoint,
// TRACECLONE and TRACEEXIT events, the exit events of the threads a non-leader execve ends,
// SINGLESTEP, refusals, NT_FPREGSET). What its tracer observes,
// printed on stdout, must be what it observes natively (the x86_64 build run on this host: a real
// kernel is the oracle), on every architecture, traced by tstrace or not, and with `-f`, where
// tstrace's strace follows the guest tracer and its tracees at once (tracing nests: the guest
// never sees tstrace's strace). Under qemu-user the same program gets ENOSYS.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fixtureExists, fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, run, runQemu, runTstrace, tail, type Arch, type RunResult } from './helpers/run.js';

const ARCHES: readonly Arch[] = ['aarch64', 'x86_64', 'riscv64'];
const SCENARIOS = ['syscalls', 'exec', 'memory', 'attach', 'clone', 'step', 'refused', 'seccomp', 'change', 'fpregs', 'killall', 'exit_group', 'tracer_threads', 'leader_exit', 'group_stop', 'exec_thread', 'exec_thread_kill'] as const;
const TIMEOUT_MS = 60_000;

/** Where tstrace differs from Linux on purpose, as [native line, tstrace line] (none today). */
const BY_DESIGN: readonly (readonly [RegExp, string])[] = [];

/** The same, for one architecture (none today). */
const BY_DESIGN_ON: Partial<Record<Arch, readonly (readonly [RegExp, string])[]>> = {};

/**
 * Where Linux itself differs on an architecture, as the whole output of a scenario: riscv64 has
 * no hardware single-step, so PTRACE_SINGLESTEP is EIO there (arch_has_single_step() is 0).
 */
const LINUX_ON: Partial<Record<Arch, Readonly<Record<string, string>>>> = {
  riscv64: { step: 'SINGLESTEP: EIO\nend: killed by KILL\n' },
};

/** Scenarios of x86_64 and aarch64 only (riscv64 has no such registers in the fixture). */
const TWO_ARCH_SCENARIOS = ['fpset'] as const;

/**
 * Hardware breakpoints and watchpoints: this host is a VM whose kernel accepts DR7 but never
 * arms it (natively the tracee runs through, and no SIGTRAP comes), so the native run cannot be
 * the oracle. What Linux on real hardware reports (SIGTRAP, si_code TRAP_HWBKPT, DR6's slot bit,
 * the PC at the breakpoint's function) is written here instead.
 */
const HW_EXPECTED: Record<'hwbreak' | 'watch', string> = {
  hwbreak: ['arm: 0', 'stop: stopped TRAP', 'si_code TRAP_HWBKPT: yes; hit slot: 0', 'pc at the function: yes', 'disarm: 0',
    'child: in hw_target', 'child: after hw_target', 'end: exited 0', ''].join('\n'),
  watch: ['arm: 0', 'stop: stopped TRAP', 'si_code TRAP_HWBKPT: yes; hit slot: 1', 'disarm: 0', 'child: watched is 42', 'end: exited 0', ''].join('\n'),
};

/** The number of single steps depends on the architecture's instructions: compared on x86_64 only. */
const STEPS = /^steps: (\d+)$/m;

function inTemp(fn: (cwd: string) => RunResult): RunResult {
  const dir = makeTempDir('tstrace-ptrace-');
  try {
    return fn(dir);
  } finally {
    removeTempDir(dir);
  }
}

const nativeCache = new Map<string, RunResult>();
function native(scenario: string): RunResult {
  let r = nativeCache.get(scenario);
  if (r === undefined) {
    r = inTemp((cwd) => run(fixturePath('x86_64', 'guest_tracer'), [scenario], { cwd, timeoutMs: TIMEOUT_MS }));
    nativeCache.set(scenario, r);
  }
  return r;
}

function expected(scenario: string, arch: Arch): string {
  const own = LINUX_ON[arch]?.[scenario];
  if (own !== undefined) return own;
  let out = native(scenario).stdout;
  for (const [re, line] of [...BY_DESIGN, ...(BY_DESIGN_ON[arch] ?? [])]) out = out.replace(re, line);
  if (arch !== 'x86_64') out = out.replace(STEPS, 'steps: N');
  return out;
}

const canCompare = hostArch() === 'x86_64' && fixtureExists('x86_64', 'guest_tracer');

for (const arch of ARCHES) {
  for (const scenario of [...SCENARIOS, ...(arch === 'riscv64' ? [] : TWO_ARCH_SCENARIOS)]) {
    for (const follow of [false, true]) {
      const flags = follow ? ['-f', '-o', '/dev/null'] : ['-o', '/dev/null'];
      test(`guest ptrace ${arch} ${scenario}${follow ? ' (tstrace -f follows tracer and tracees)' : ''}: what the guest tracer sees is what it sees natively`, { skip: !canCompare, timeout: TIMEOUT_MS * 2 }, () => {
        const n = native(scenario);
        assert.equal(n.status, 0, `native run failed:\n${n.stdout}\n${n.stderr}`);
        const r = inTemp((cwd) => runTstrace([...flags, fixturePath(arch, 'guest_tracer'), scenario], { cwd, timeoutMs: TIMEOUT_MS }));
        const ctx = `${r.command}\n--- stderr:\n${tail(r.stderr)}`;
        assert.equal(r.status, 0, ctx);
        let got = r.stdout;
        if (arch !== 'x86_64') {
          const m = STEPS.exec(got);
          if (m !== null) assert.ok(Number(m[1]) > 0, 'some steps were made');
          got = got.replace(STEPS, 'steps: N');
        }
        assert.equal(got, expected(scenario, arch), ctx);
      });
    }
  }
}

for (const arch of ['x86_64', 'aarch64'] as const) {
  for (const scenario of ['hwbreak', 'watch'] as const) {
    test(`guest ptrace ${arch} ${scenario}: a hardware ${scenario === 'watch' ? 'watchpoint' : 'breakpoint'} stops the tracee as Linux does`, { skip: !fixtureExists(arch, 'guest_tracer'), timeout: TIMEOUT_MS }, () => {
      const r = inTemp((cwd) => runTstrace(['-o', '/dev/null', fixturePath(arch, 'guest_tracer'), scenario], { cwd, timeoutMs: TIMEOUT_MS }));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, HW_EXPECTED[scenario], `${r.command}\n--- stderr:\n${tail(r.stderr)}`);
    });
  }
}

test('guest ptrace: the guest tracer\'s calls and its tracee\'s are all in tstrace -f\'s trace', { skip: !fixtureExists('aarch64', 'guest_tracer'), timeout: TIMEOUT_MS }, () => {
  const r = inTemp((cwd) => runTstrace(['-f', fixturePath('aarch64', 'guest_tracer'), 'syscalls'], { cwd, timeoutMs: TIMEOUT_MS }));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n');
  // The tracer's requests (decoded as strace does) and the tracee's own calls, each under its pid.
  assert.ok(lines.some((l) => /^\[pid +\d+\] ptrace\(PTRACE_TRACEME\) += 0$/.test(l)), 'the child\'s PTRACE_TRACEME');
  assert.ok(lines.some((l) => /^\[pid +\d+\] ptrace\(PTRACE_SETOPTIONS, \d+, NULL, PTRACE_O_TRACESYSGOOD\) += 0$/.test(l)), 'the tracer\'s SETOPTIONS');
  assert.ok(lines.some((l) => /^\[pid +\d+\] ptrace\(PTRACE_GETREGSET, \d+, NT_PRSTATUS, \{iov_base=\{regs=\[.*\], sp=0x[0-9a-f]+, pc=0x[0-9a-f]+, pstate=(0|0x[0-9a-f]+)\}, iov_len=272\}\) += 0$/.test(l)), 'its GETREGSET, registers decoded');
  // The tracee stops at getppid's entry for its tracer, so tstrace's line is cut there.
  assert.ok(lines.some((l) => /^\[pid +\d+\] getppid\( <unfinished \.\.\.>$/.test(l)), 'the tracee stopped in getppid for its tracer');
  assert.ok(lines.some((l) => /^\[pid +\d+\] <\.\.\. getppid resumed>\) += \d+$/.test(l)), 'and went on when its tracer resumed it');
  assert.ok(lines.some((l) => /^\[pid +\d+\] <\.\.\. wait4 resumed>\[\{WIFSTOPPED\(s\) && WSTOPSIG\(s\) == SIGTRAP \| 0x80\}\]/.test(l)), 'the tracer collects syscall stops with wait4');
  assert.ok(lines.some((l) => /--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_TRAPPED,/.test(l)), 'each stop sends its tracer SIGCHLD with CLD_TRAPPED');
  assert.match(r.stderr, /\+\+\+ exited with 3 \+\+\+/);
});

test('guest ptrace: under qemu-user the same program is refused (ENOSYS), the reason tstrace exists', { skip: !hasCommand('qemu-aarch64') || !fixtureExists('aarch64', 'guest_tracer'), timeout: TIMEOUT_MS }, () => {
  const q = inTemp((cwd) => runQemu('aarch64', fixturePath('aarch64', 'guest_tracer'), ['syscalls'], { cwd, timeoutMs: TIMEOUT_MS }));
  assert.equal(q.stdout, 'ptrace: ENOSYS\n');
  assert.equal(q.status, 2);
});

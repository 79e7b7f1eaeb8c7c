// The root filesystems' own strace and gdb (Debian bookworm arm64 and trixie riscv64, fetched by
// scripts/fetch-rootfs.sh ARCH) run inside tstrace and trace or debug a child: what qemu-user
// cannot do (under `qemu-ARCH -L ROOT` ptrace fails with ENOSYS, "Function not implemented").
// Both run under `tstrace -f`, so the guest tracer and its tracee are traced as well.
// An architecture's cases skip themselves when its root (with strace and gdb) is not fetched or
// its qemu is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, describeEnd, hasCommand, makeTempDir, removeTempDir, repoRoot, run, runTstrace, tail, type RunResult } from './helpers/run.js';

interface ToolsArch {
  readonly arch: 'aarch64' | 'riscv64';
  /** The software breakpoint gdb plants at main (little-endian): aarch64's `brk #0`; riscv64's
   * `c.ebreak`, as main's first instruction is a compressed one. */
  readonly breakpoint: { readonly insn: number; readonly bytes: number };
  /** Outer-trace lines only this architecture's gdb produces. */
  readonly gdbTrace: readonly RegExp[];
}

const ARCHES: readonly ToolsArch[] = [
  { arch: 'aarch64', breakpoint: { insn: 0xd4200000, bytes: 4 }, gdbTrace: [] },
  {
    arch: 'riscv64',
    breakpoint: { insn: 0x9002, bytes: 2 },
    // gdb learns the FP register width by asking for 33 four-byte slots first: Linux refuses a
    // length that is not a whole number of the set's 8-byte slots, then gives the D set. strace
    // prints the iovec on exit even when the call failed (its base as an address).
    gdbTrace: [
      /^\d+ +ptrace\(PTRACE_GETREGSET, \d+, NT_FPREGSET, \{iov_base=0x[0-9a-f]+, iov_len=132\}\) += -1 EINVAL \(Invalid argument\)$/m,
      /^\d+ +ptrace\(PTRACE_GETREGSET, \d+, NT_FPREGSET, \{iov_base=0x[0-9a-f]+, iov_len=264\}\) += 0$/m,
    ],
  },
];
const TIMEOUT_MS = 240_000;
// gdb starts the program through $SHELL: the root's bash (its /bin/sh, dash, is not fetched).
const ENV = cleanEnv({ PATH: '/usr/bin:/bin', HOME: '/nonexistent', SHELL: '/bin/bash' });

function context(r: RunResult): string {
  return `${r.command}\n--- ${describeEnd(r)}; stdout (tail):\n${tail(r.stdout)}\n--- stderr (tail):\n${tail(r.stderr)}`;
}

/** The bytes of a string as strace prints it (C escapes: \\n, \\t, \\ooo octal, \\xHH). */
function unescape(text: string): number[] {
  const out: number[] = [];
  const named: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, '\\': 92, '"': 34 };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') {
      out.push(text.charCodeAt(i));
      continue;
    }
    const c = text[++i]!;
    if (c in named) out.push(named[c]!);
    else if (c === 'x') {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const oct = /^[0-7]{1,3}/.exec(text.slice(i))![0];
      out.push(parseInt(oct, 8));
      i += oct.length - 1;
    }
  }
  return out;
}

/**
 * The `bytes` bytes at `at` as the first write of `trace` covering them wrote them: a
 * PTRACE_POKEDATA, or a pwrite64 to the tracee's /proc/PID/mem (which gdb uses once it can
 * open it). Little-endian.
 */
function plantedAt(trace: string, at: bigint, bytes: number): number | undefined {
  const writes = /^\d+ +(?:ptrace\(PTRACE_POKEDATA, \d+, 0x([0-9a-f]+), 0x([0-9a-f]+)\) += 0|pwrite64\(\d+, "((?:[^"\\]|\\.)*)", \d+, (\d+)\) += \d+)$/gm;
  for (const m of trace.matchAll(writes)) {
    const addr = BigInt(m[1] !== undefined ? `0x${m[1]}` : m[4]!);
    const data = m[1] !== undefined
      ? Array.from({ length: 8 }, (_, i) => Number((BigInt(`0x${m[2]!}`) >> BigInt(8 * i)) & 0xffn))
      : unescape(m[3]!);
    if (at < addr || at + BigInt(bytes) > addr + BigInt(data.length)) continue;
    // The first write there is the breakpoint (later ones may restore the instruction).
    const off = Number(at - addr);
    return data.slice(off, off + bytes).reduceRight((v, b) => v * 256 + b, 0);
  }
  return undefined;
}

for (const { arch, breakpoint, gdbTrace } of ARCHES) {
  const ROOT = path.join(repoRoot, 'vendor', 'rootfs', arch);
  const TARGET = path.join(repoRoot, 'build', 'fixtures', arch, 'gdb_target');
  const skip = !fs.existsSync(path.join(ROOT, 'usr', 'bin', 'strace')) || !fs.existsSync(path.join(ROOT, 'usr', 'bin', 'gdb'))
    ? `no strace or gdb in ${ROOT}: run scripts/fetch-rootfs.sh ${arch}`
    : !hasCommand(`qemu-${arch}`) ? `no qemu-${arch}` : !fs.existsSync(TARGET) ? `no ${TARGET}: run scripts/build-fixtures.sh` : false;

  test(`rootfs ${arch}: the root's strace -f traces ls inside tstrace; under qemu -L ptrace is not implemented`, { skip, timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
    const dir = makeTempDir('tstrace-rootfs-strace-');
    try {
      // The oracle: qemu-user runs strace, whose first ptrace fails.
      const q = run(`qemu-${arch}`, ['-L', ROOT, path.join(ROOT, 'usr/bin/strace'), '-f', '-o', path.join(dir, 'qemu.log'), '/bin/ls', '/'], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      assert.notEqual(describeEnd(q), 'exit 0', context(q));
      assert.match(q.stderr, /Function not implemented/, context(q));
      assert.doesNotMatch(q.stdout, /^usr$/m, 'ls never ran under qemu');

      const log = path.join(dir, 'LOG');
      const outer = path.join(dir, 'outer.txt');
      const t = runTstrace(['-f', '-o', outer, '--sysroot', ROOT, '/usr/bin/strace', '-f', '-o', log, '/bin/ls', '/'], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      assert.equal(describeEnd(t), 'exit 0', context(t));
      assert.equal(t.stderr, '', 'strace said nothing');
      // ls listed the root's top directory.
      assert.match(t.stdout, /^bin\n(?:.*\n)*usr\n$/, context(t));
      const text = fs.readFileSync(log, 'utf8');
      // strace's own format, with -f's pid column: the child's execve of ls, its reads of the
      // directory and its write of the listing, and its exit.
      assert.match(text, /^(\d+) +execve\("\/bin\/ls", \["\/bin\/ls", "\/"\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) = 0$/m, text.slice(0, 2000));
      assert.match(text, /^\d+ +openat\(AT_FDCWD, "\/", O_RDONLY\|O_NONBLOCK\|O_CLOEXEC\|O_DIRECTORY\) = 3$/m);
      assert.match(text, /^\d+ +getdents64\(3, 0x[0-9a-f]+ \/\* \d+ entries \*\/, 32768\) += \d+$/m);
      assert.match(text, /^\d+ +write\(1, "bin\\n[^"]*usr\\n", \d+\) += \d+$/m);
      assert.match(text, /^\d+ +\+\+\+ exited with 0 \+\+\+$/m);
      // The outer trace shows the guest strace at work: it seized its child and stepped it
      // from syscall to syscall.
      const outerText = fs.readFileSync(outer, 'utf8');
      assert.match(outerText, /^\d+ +ptrace\(PTRACE_SEIZE, \d+, NULL, /m, 'PTRACE_SEIZE in the outer trace');
      assert.match(outerText, /^\d+ +ptrace\(PTRACE_GET_SYSCALL_INFO, \d+, \d+, /m, 'PTRACE_GET_SYSCALL_INFO in the outer trace');
    } finally {
      removeTempDir(dir);
    }
  });

  test(`rootfs ${arch}: the root's strace with --seccomp-bpf and -e inject works inside tstrace (PTRACE_EVENT_SECCOMP stops, a skipped call's injected error)`, { skip, timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
    const dir = makeTempDir('tstrace-rootfs-strace-bpf-');
    try {
      const log = path.join(dir, 'LOG');
      const outer = path.join(dir, 'outer.txt');
      // --seccomp-bpf: the tracee's filter sends only the traced calls to strace.
      const t = runTstrace(['-f', '-o', outer, '--sysroot', ROOT, '/usr/bin/strace', '--seccomp-bpf', '-f', '-o', log, '-e', 'trace=write', '/bin/echo', 'hi'], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      assert.equal(describeEnd(t), 'exit 0', context(t));
      assert.equal(t.stdout, 'hi\n', context(t));
      assert.match(fs.readFileSync(log, 'utf8'), /^\d+ +write\(1, "hi\\n", 3\) += 3$/m);
      const outerText = fs.readFileSync(outer, 'utf8');
      assert.match(outerText, /PTRACE_O_TRACESECCOMP/, 'strace asked for seccomp stops');
      assert.match(outerText, /^\d+ +prctl\(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, \{len=\d+, filter=0x[0-9a-f]+\}\) = 0$/m, 'the tracee installed strace\'s filter');
      assert.match(outerText, /PTRACE_EVENT_SECCOMP<<16/, 'a seccomp stop reached strace');
      // -e inject: strace skips the third openat at its entry stop and sets the error.
      const inj = runTstrace(['-o', '/dev/null', '--sysroot', ROOT, '/usr/bin/strace', '-o', log, '-e', 'trace=openat', '-e', 'inject=openat:error=EACCES:when=1', '/bin/true'], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      // The loader's first openat (its cache) fails; it then searches the library directories.
      assert.equal(describeEnd(inj), 'exit 0', context(inj));
      const lines = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('openat('));
      assert.match(lines[0] ?? '', /^openat\(AT_FDCWD, "[^"]+", O_RDONLY\|O_CLOEXEC\) = -1 EACCES \(Permission denied\) \(INJECTED\)$/, lines.join('\n'));
      assert.ok(lines.slice(1).some((l) => / = 3$/.test(l)), 'a later openat ran');
    } finally {
      removeTempDir(dir);
    }
  });

  test(`rootfs ${arch}: the root's gdb breaks in main, backtraces and continues to a normal exit inside tstrace; under qemu -L it cannot run the program`, { skip, timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
    const gdbArgs = ['-nx', '-batch', '-ex', 'break main', '-ex', 'run', '-ex', 'bt', '-ex', 'info registers pc', '-ex', 'continue', TARGET];
    const dir = makeTempDir('tstrace-rootfs-gdb-');
    try {
      const q = run(`qemu-${arch}`, ['-L', ROOT, path.join(ROOT, 'usr/bin/gdb'), ...gdbArgs], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      assert.doesNotMatch(q.stdout, /^Breakpoint 1, main /m, context(q));
      assert.doesNotMatch(q.stdout, /exited normally/, context(q));

      const outer = path.join(dir, 'outer.txt');
      const t = runTstrace(['-f', '-o', outer, '--sysroot', ROOT, '/usr/bin/gdb', ...gdbArgs], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      assert.equal(describeEnd(t), 'exit 0', context(t));
      const out = t.stdout;
      assert.match(out, /^Breakpoint 1 at 0x[0-9a-f]+: file test\/fixtures\/gdb_target\.c, line \d+\.$/m, context(t));
      assert.match(out, /^Breakpoint 1, main \(argc=1, argv=0x[0-9a-f]+\) at test\/fixtures\/gdb_target\.c:\d+$/m, context(t));
      assert.match(out, /^#0  main \(argc=1, argv=0x[0-9a-f]+\) at test\/fixtures\/gdb_target\.c:\d+$/m, context(t));
      // gdb 13 (bookworm) pads with spaces, gdb 16 (trixie) puts a tab before the symbolic value.
      const pc = /^pc +0x([0-9a-f]+)[ \t]+0x[0-9a-f]+ <main(?:\+\d+)?>$/m.exec(out);
      assert.ok(pc !== null, `info registers pc names main\n${context(t)}`);
      // The program ran to its end after the breakpoint (its output, then gdb's report).
      assert.match(out, /^total 10$/m);
      assert.match(out, /^\[Inferior 1 \(process \d+\) exited normally\]$/m, context(t));
      // What gdb needs and now gets: personality(ADDR_NO_RANDOMIZE) and the hardware debug
      // register counts (no "Unable to determine" or "disabling address space randomization" warnings).
      // riscv64's gdb also needs the FP set's width (no "bfd requires flen 8, but target has flen 4").
      assert.doesNotMatch(t.stderr, /address space randomization|Unable to determine the number of hardware|flen/, context(t));
      const outerText = fs.readFileSync(outer, 'utf8');
      assert.match(outerText, /^\d+ +personality\(PER_LINUX\|ADDR_NO_RANDOMIZE\) += 0 \(PER_LINUX\)$/m);
      // gdb reads and writes the tracee's memory through /proc/PID/mem; the breakpoint it
      // planted there is the arch's breakpoint instruction at main, where the program stopped.
      assert.match(outerText, /^\d+ +openat\(AT_FDCWD, "\/proc\/\d+\/task\/\d+\/mem", O_RDWR\|O_CLOEXEC\) = \d+$/m, outerText.slice(-3000));
      assert.equal(plantedAt(outerText, BigInt(`0x${pc[1]!}`), breakpoint.bytes)?.toString(16), breakpoint.insn.toString(16), 'the breakpoint instruction written at main');
      for (const re of gdbTrace) assert.match(outerText, re);
    } finally {
      removeTempDir(dir);
    }
  });
}

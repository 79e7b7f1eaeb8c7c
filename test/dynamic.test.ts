// Dynamically linked programs (PT_INTERP) and the guest's root filesystem (--sysroot).
//
// Oracles, on the dynamic fixtures (test/fixtures/*_dyn.c, built without -static):
//  - qemu-user: `qemu-aarch64 -L /usr/aarch64-linux-gnu BIN args` against
//    `tstrace -f -o /dev/null BIN args` (Debian's cross sysroot is tstrace's default root for an
//    aarch64 program): the same stdout and the same end; and on x86_64 the native run;
//  - the real strace on the x86_64 builds (natively, with the host's own ld.so and libc):
//    the same syscalls with the same decoding, through the project's diff engine. What is
//    corrected first, and why:
//      * natively the kernel gives the program a vDSO, and ld.so allocates a link_map for it
//        with its first early-malloc mmap (right after brk(NULL)); tstrace gives no vDSO (by
//        design: the C library then makes real syscalls), so that mmap is missing and the
//        next early allocation (the TLS block, just before arch_prctl(ARCH_SET_FS)) is
//        smaller. That first mmap is dropped from strace's trace, the size of the TLS one is
//        masked on both sides;
//      * ld.so probes glibc-hwcaps/x86-64-v2..v4 directories only on a CPU that has those
//        levels: the host's does, the emulated qemu64 model does not; likewise the legacy
//        hwcap subdirectories: on an Intel host with AVX2 or AVX-512 the platform directory is
//        `haswell` or `xeon_phi` where the emulated CPU's is `x86_64` (renamed in strace's
//        trace), and `avx512_1` is probed only there (dropped). Both traces are taken with
//        -s 4096, so that the paths are whole;
//      * clock calls, as in oracle-strace.test.ts (vDSO natively, syscalls here);
//      * threads_dyn is compared with futex calls left out (whether pthread_join has to wait
//        depends on the host's scheduler; tstrace's is deterministic).
// Bad input: the loader missing, not an ELF, of another architecture; a library truncated
// (ld.so's own message and exit 127, or its SIGBUS, as under qemu -L); a root that does not
// exist. Each is one line and its own exit code (README: 79, 85, 86).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffStraceTexts } from '../src/diff/api.js';
import {
  cleanEnv,
  describeEnd,
  fixtureExists,
  fixturePath,
  freshDir,
  hasCommand,
  hostArch,
  javascriptErrorLines,
  makeTempDir,
  removeTempDir,
  repoRoot,
  run,
  runStrace,
  runTstrace,
  tail,
  type Arch,
  type RunResult,
} from './helpers/run.js';

const TIMEOUT_MS = 120_000;
const AARCH64_ROOT = '/usr/aarch64-linux-gnu';
const RISCV64_ROOT = '/usr/riscv64-linux-gnu';
const CLOCK_CALLS = ['clock_gettime', 'clock_getres', 'gettimeofday', 'time'];

interface DynCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly status: number;
  /** Extra strace flags for the strace oracle. */
  readonly straceFlags?: readonly string[];
}

const CASES: readonly DynCase[] = [
  { name: 'hello_dyn', args: [], status: 3 },
  { name: 'hello_dyn', args: ['one', 'two words'], status: 3 },
  { name: 'hello_dyn-nopie', args: ['x'], status: 3 },
  { name: 'dlopen_dyn', args: [], status: 0 },
  { name: 'threads_dyn', args: [], status: 0, straceFlags: ['-e', 'trace=!futex'] },
];

const caseId = (c: DynCase): string => [c.name, ...c.args].join(' ');

function context(r: RunResult): string {
  return `${r.command}\n--- ${describeEnd(r)}; stderr (tail):\n${tail(r.stderr)}`;
}

function need(arch: Arch, name: string): string {
  assert.ok(fixtureExists(arch, name), `missing ${fixturePath(arch, name)}: run scripts/build-fixtures.sh`);
  return fixturePath(arch, name);
}

function inTemp<T>(fn: (dir: string) => T): T {
  const dir = makeTempDir('tstrace-dynamic-');
  try {
    return fn(dir);
  } finally {
    removeTempDir(dir);
  }
}

/** One line on stderr, `tstrace: ...`, the exit code, no JavaScript stack. */
function assertOneLine(r: RunResult, code: number, pattern: RegExp): void {
  assert.equal(describeEnd(r), `exit ${code}`, context(r));
  assert.deepEqual(javascriptErrorLines(r.stderr), [], r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  assert.match(lines[0]!, /^tstrace: /);
  assert.match(lines[0]!, pattern);
}

const noQemuAarch64 = !hasCommand('qemu-aarch64') ? 'no qemu-aarch64' : !fs.existsSync(AARCH64_ROOT) ? `no ${AARCH64_ROOT}` : false;
const noQemuRiscv64 = !hasCommand('qemu-riscv64') ? 'no qemu-riscv64' : !fs.existsSync(RISCV64_ROOT) ? `no ${RISCV64_ROOT}` : false;

// ---- qemu-user and native oracles ----------------------------------------------------------

for (const c of CASES) {
  test(`qemu -L oracle aarch64: ${caseId(c)}`, { skip: noQemuAarch64, timeout: 2 * TIMEOUT_MS }, () => {
    const bin = need('aarch64', c.name);
    inTemp((dir) => {
      const q = run('qemu-aarch64', ['-L', AARCH64_ROOT, bin, ...c.args], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(q), `exit ${c.status}`, context(q));
      const t = runTstrace(['-f', '-o', '/dev/null', bin, ...c.args], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(t), describeEnd(q), context(t));
      assert.equal(t.stdout, q.stdout, 'stdout');
      assert.equal(t.stderr, q.stderr, 'stderr');
    });
  });

  // riscv64's loader and libraries come from Debian's riscv64 cross sysroot, tstrace's default
  // root for a riscv64 program as /usr/aarch64-linux-gnu is for aarch64.
  test(`qemu -L oracle riscv64: ${caseId(c)}`, { skip: noQemuRiscv64 || (!fixtureExists('riscv64', c.name) && `${c.name} not built for riscv64`), timeout: 2 * TIMEOUT_MS }, () => {
    const bin = fixturePath('riscv64', c.name);
    inTemp((dir) => {
      const q = run('qemu-riscv64', ['-L', RISCV64_ROOT, bin, ...c.args], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(q), `exit ${c.status}`, context(q));
      const trace = path.join(dir, 'trace.txt');
      const t = runTstrace(['-f', '-o', trace, bin, ...c.args], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(t), describeEnd(q), context(t));
      assert.equal(t.stdout, q.stdout, 'stdout');
      assert.equal(t.stderr, q.stderr, 'stderr');
      // The loader and libc were opened from the guest's root, named by guest paths.
      assert.match(fs.readFileSync(trace, 'utf8'), /openat\(AT_FDCWD, "\/lib\/(?:riscv64-linux-gnu\/)?libc\.so\.6", O_RDONLY\|O_CLOEXEC\) += 3/);
    });
  });

  test(`native oracle x86_64: ${caseId(c)}`, { skip: hostArch() === 'x86_64' ? false : 'not an x86_64 host', timeout: 2 * TIMEOUT_MS }, () => {
    const bin = need('x86_64', c.name);
    inTemp((dir) => {
      const n = run(bin, c.args, { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(n), `exit ${c.status}`, context(n));
      const t = runTstrace(['-f', '-o', '/dev/null', bin, ...c.args], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(t), describeEnd(n), context(t));
      assert.equal(t.stdout, n.stdout, 'stdout');
    });
  });
}

test('the root can be named: --sysroot and QEMU_LD_PREFIX give the same run as the default', { skip: noQemuAarch64, timeout: 3 * TIMEOUT_MS }, () => {
  const bin = need('aarch64', 'dlopen_dyn');
  inTemp((dir) => {
    const q = run('qemu-aarch64', ['-L', AARCH64_ROOT, bin], { cwd: dir, timeoutMs: TIMEOUT_MS });
    const flag = runTstrace(['-o', '/dev/null', '--sysroot', AARCH64_ROOT, bin], { cwd: dir, timeoutMs: TIMEOUT_MS });
    const env = runTstrace(['-o', '/dev/null', bin], { cwd: dir, timeoutMs: TIMEOUT_MS, env: cleanEnv({ QEMU_LD_PREFIX: AARCH64_ROOT }) });
    for (const t of [flag, env]) {
      assert.equal(describeEnd(t), describeEnd(q), context(t));
      assert.equal(t.stdout, q.stdout);
    }
  });
});

// ---- the real strace -----------------------------------------------------------------------

/** The corrections of this file's header, applied to one trace (`native`: strace's). */
function correct(trace: string, native: boolean): string {
  const anonRw = /^(\d+ +)?mmap\(NULL, (\d+), PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) = 0x[0-9a-f]+$/;
  const lines = trace.split('\n');
  const out: string[] = [];
  let afterFirstBrk = false;
  let seenBrk = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const body = l.replace(/^\d+ +/, '');
    if (native && afterFirstBrk && anonRw.test(l)) {
      afterFirstBrk = false;
      continue; // the vDSO's link_map
    }
    afterFirstBrk = !seenBrk && body.startsWith('brk(NULL)');
    if (body.startsWith('brk(NULL)')) seenBrk = true;
    if (/glibc-hwcaps\/x86-64-v[234]/.test(body)) continue;
    if (native && /\/avx512_1(?:\/|")/.test(body)) continue;
    const next = (lines[i + 1] ?? '').replace(/^\d+ +/, '');
    if (anonRw.test(l) && next.startsWith('arch_prctl(ARCH_SET_FS')) {
      out.push(l.replace(/mmap\(NULL, \d+,/, 'mmap(NULL, N,'));
      continue;
    }
    out.push(native ? l.replace(/\/(?:haswell|xeon_phi)(?=\/|")/g, '/x86_64') : l);
  }
  return out.join('\n');
}

const straceSkip = hostArch() !== 'x86_64' ? 'not an x86_64 host' : !hasCommand('strace') ? 'no strace' : false;

for (const c of CASES) {
  test(`strace oracle x86_64 -f: ${caseId(c)}`, { skip: straceSkip, timeout: 2 * TIMEOUT_MS }, () => {
    const bin = need('x86_64', c.name);
    inTemp((base) => {
      const cwd = path.join(base, 'cwd');
      const a = path.join(base, 'A.txt');
      const b = path.join(base, 'B.txt');
      const flags = ['-f', '-s', '4096', ...(c.straceFlags ?? [])];
      freshDir(cwd);
      const s = runStrace(['-o', a, ...flags], bin, c.args, { cwd, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(s), `exit ${c.status}`, context(s));
      freshDir(cwd);
      const t = runTstrace(['-o', b, ...flags, bin, ...c.args], { cwd, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(t), describeEnd(s), context(t));
      assert.equal(t.stdout, s.stdout, 'guest stdout');
      const want = correct(fs.readFileSync(a, 'utf8'), true);
      const got = correct(fs.readFileSync(b, 'utf8'), false);
      // The trace really is of a dynamic program: the loader opened the C library and mapped it.
      assert.match(got, /openat\(AT_FDCWD, "[^"]*libc\.so\.6", O_RDONLY\|O_CLOEXEC\) = 3/);
      assert.match(got, /MAP_PRIVATE\|MAP_FIXED\|MAP_DENYWRITE, 3, 0x[0-9a-f]+\) = 0x/);
      const d = diffStraceTexts(want, got, { ignore: CLOCK_CALLS });
      assert.ok(d.equal, `traces differ (a = strace, b = tstrace):\n${d.text}`);
    });
  });
}

test('the correction of the vDSO allocation changes only what the header says', () => {
  const native = ['brk(NULL) = 0x1000', 'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f00', 'access("/etc/ld.so.preload", R_OK) = -1 ENOENT',
    'mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f10', 'arch_prctl(ARCH_SET_FS, 0x7f10740) = 0',
    'mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f20'].join('\n');
  const got = correct(native, true).split('\n');
  assert.deepEqual(got, ['brk(NULL) = 0x1000', 'access("/etc/ld.so.preload", R_OK) = -1 ENOENT',
    'mmap(NULL, N, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f10', 'arch_prctl(ARCH_SET_FS, 0x7f10740) = 0',
    'mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f20']);
  // tstrace's side keeps its first allocation.
  assert.equal(correct(native, false).split('\n').length, 6);
});

// ---- what the guest sees of its root ---------------------------------------------------------

/** A root holding copies of the aarch64 loader and C library (real files, not links to the host's). */
function makeRoot(dir: string): string {
  const root = path.join(dir, 'root');
  fs.mkdirSync(path.join(root, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  for (const f of ['ld-linux-aarch64.so.1', 'libc.so.6']) fs.copyFileSync(path.join(AARCH64_ROOT, 'lib', f), path.join(root, 'lib', f));
  return root;
}

test('in a root filesystem the guest and the trace see guest paths only', { skip: noQemuAarch64, timeout: 2 * TIMEOUT_MS }, () => {
  need('aarch64', 'sysroot_view');
  inTemp((dir) => {
    const root = makeRoot(dir);
    fs.copyFileSync(fixturePath('aarch64', 'sysroot_view'), path.join(root, 'bin', 'sysroot_view'));
    fs.chmodSync(path.join(root, 'bin', 'sysroot_view'), 0o755);
    const trace = path.join(dir, 'trace.txt');
    const t = runTstrace(['-y', '-o', trace, '--sysroot', root, '/bin/sysroot_view'], { cwd: dir, timeoutMs: TIMEOUT_MS });
    assert.equal(describeEnd(t), 'exit 0', context(t));
    assert.equal(t.stdout, [
      'exe: /bin/sysroot_view',
      'libc fd: /lib/libc.so.6',
      'libc mapping: /lib/libc.so.6',
      'cwd: /lib',
      'auxv file agrees: yes',
      'vdso: no',
      'cpuinfo starts with: processor',
      ''].join('\n'));
    const text = fs.readFileSync(trace, 'utf8');
    assert.ok(!text.includes(root), `the trace names the host's root:\n${text.split('\n').filter((l) => l.includes(root)).join('\n')}`);
    assert.match(text, /^execve\("\/bin\/sysroot_view", \["\/bin\/sysroot_view"\]/);
    assert.match(text, /openat\(AT_FDCWD<[^>]*>, "\/lib\/libc\.so\.6", O_RDONLY\|O_CLOEXEC\) = 3<\/lib\/libc\.so\.6>/);
    assert.match(text, /readlinkat\(AT_FDCWD<[^>]*>, "\/proc\/self\/exe", "\/bin\/sysroot_view", \d+\) = 17/);
  });
});

test('the interpreter and the program are placed as binfmt_elf places them', { skip: noQemuAarch64, timeout: TIMEOUT_MS }, () => {
  // The first call runs in the loader (-i: its pc), which lies below the stack and the mmap
  // base; the program's brk starts right after the dynamic PIE, at ELF_ET_DYN_BASE.
  const bin = need('aarch64', 'hello_dyn');
  inTemp((dir) => {
    const trace = path.join(dir, 'trace.txt');
    const t = runTstrace(['-i', '-o', trace, bin], { cwd: dir, timeoutMs: TIMEOUT_MS });
    assert.equal(describeEnd(t), 'exit 3', context(t));
    const brk = /^\[([0-9a-f]{16})\] brk\(NULL\)\s+= 0x([0-9a-f]+)$/m.exec(fs.readFileSync(trace, 'utf8'));
    assert.ok(brk, 'brk(NULL) in the trace');
    const pc = BigInt(`0x${brk[1]}`);
    const stackBottom = 0x7fff_ffff_f000n - (8n << 20n);
    assert.ok(pc > 0x7000_0000_0000n && pc < stackBottom - (1n << 30n), `the loader's pc 0x${pc.toString(16)} below the mmap base`);
    // arm64's ELF_ET_DYN_BASE for a 47-bit space, 2^48/3, aligned down to the 64 KiB p_align.
    const base = ((2n * (1n << 47n)) / 3n) & ~0xffffn;
    const end = BigInt(`0x${brk[2]}`);
    assert.ok(end > base && end < base + 0x100000n, `brk 0x${end.toString(16)} right after the program at 0x${base.toString(16)}`);
  });
});

// ---- bad input -------------------------------------------------------------------------------

/** hello_dyn with its PT_INTERP path replaced by another of the same length. */
function withInterpreter(dir: string, interp: string): string {
  const orig = '/lib/ld-linux-aarch64.so.1';
  assert.equal(interp.length, orig.length);
  const bytes = fs.readFileSync(fixturePath('aarch64', 'hello_dyn'));
  const at = bytes.indexOf(Buffer.from(`${orig}\0`));
  assert.ok(at > 0, 'PT_INTERP string in hello_dyn');
  Buffer.from(interp).copy(bytes, at);
  const out = path.join(dir, 'patched');
  fs.writeFileSync(out, bytes, { mode: 0o755 });
  return out;
}

test('bad input: the dynamic loader is missing (exit 79, naming where it was looked for)', { skip: noQemuAarch64 }, () => {
  inTemp((dir) => {
    const root = makeRoot(dir);
    const prog = withInterpreter(dir, '/lib/ld-tstrace-missing.so');
    const r = runTstrace(['--sysroot', root, prog], { cwd: dir });
    assertOneLine(r, 79, /dynamic loader \/lib\/ld-tstrace-missing\.so not found/);
    assert.ok(r.stderr.includes(`looked for ${root}/lib/ld-tstrace-missing.so and /lib/ld-tstrace-missing.so`), r.stderr);
    // Without a named root: Debian's cross sysroot, then the host.
    const d = runTstrace([prog], { cwd: dir });
    assertOneLine(d, 79, /looked for \/usr\/aarch64-linux-gnu\/lib\/ld-tstrace-missing\.so and \/lib\/ld-tstrace-missing\.so/);
  });
});

test('bad input: the dynamic loader is not an ELF, is truncated, or is of another architecture (exit 85)', { skip: noQemuAarch64 }, () => {
  inTemp((dir) => {
    const root = makeRoot(dir);
    const prog = fixturePath('aarch64', 'hello_dyn');
    const loader = path.join(root, 'lib', 'ld-linux-aarch64.so.1');
    fs.writeFileSync(loader, '#!/bin/sh\necho not a loader\n', { mode: 0o755 });
    assertOneLine(runTstrace(['--sysroot', root, prog], { cwd: dir }), 85, /dynamic loader \/lib\/ld-linux-aarch64\.so\.1 .*not an ELF/);
    fs.writeFileSync(loader, fs.readFileSync(path.join(AARCH64_ROOT, 'lib', 'ld-linux-aarch64.so.1')).subarray(0, 300), { mode: 0o755 });
    assertOneLine(runTstrace(['--sysroot', root, prog], { cwd: dir }), 85, /dynamic loader \/lib\/ld-linux-aarch64\.so\.1 .*truncated/);
    const x86Loader = '/lib64/ld-linux-x86-64.so.2';
    if (fs.existsSync(x86Loader)) {
      fs.writeFileSync(loader, fs.readFileSync(x86Loader), { mode: 0o755 });
      assertOneLine(runTstrace(['--sysroot', root, prog], { cwd: dir }), 85, /is x86_64 code, the program is aarch64/);
    }
  });
});

test('bad input: a truncated library ends as under qemu -L (ld.so\'s own message and 127, or SIGBUS)', { skip: noQemuAarch64, timeout: 4 * TIMEOUT_MS }, () => {
  inTemp((dir) => {
    const root = makeRoot(dir);
    const prog = path.join('root', 'bin', 'hello_dyn');
    fs.copyFileSync(fixturePath('aarch64', 'hello_dyn'), path.join(dir, prog));
    fs.chmodSync(path.join(dir, prog), 0o755);
    const libc = fs.readFileSync(path.join(AARCH64_ROOT, 'lib', 'libc.so.6'));
    const ends: string[] = [];
    for (const size of [40, 500, 100_000]) {
      fs.writeFileSync(path.join(root, 'lib', 'libc.so.6'), libc.subarray(0, size));
      const q = run('qemu-aarch64', ['-L', root, prog], { cwd: dir, timeoutMs: TIMEOUT_MS });
      const t = runTstrace(['-o', '/dev/null', '--sysroot', root, prog], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(t), describeEnd(q), `libc.so.6 cut to ${size} bytes\n${context(t)}`);
      // qemu adds its own line for a fatal signal; ld.so's message is the guest's.
      assert.equal(t.stderr, q.stderr.replace(/^qemu: uncaught target signal.*\n/m, ''), `libc.so.6 cut to ${size} bytes`);
      ends.push(describeEnd(t));
    }
    assert.deepEqual(ends, ['exit 127', 'exit 127', 'killed by SIGBUS']);
  });
});

test('bad input: a root filesystem that does not exist (exit 86)', () => {
  inTemp((dir) => {
    const prog = fixturePath('aarch64', 'hello_dyn');
    assertOneLine(runTstrace(['--sysroot', path.join(dir, 'nowhere'), prog], { cwd: dir }), 86, /--sysroot .*nowhere: the root filesystem does not exist/);
    fs.writeFileSync(path.join(dir, 'file'), '');
    assertOneLine(runTstrace(['--sysroot=file', prog], { cwd: dir }), 86, /--sysroot file: the root filesystem is not a directory/);
    assertOneLine(runTstrace([prog], { cwd: dir, env: cleanEnv({ QEMU_LD_PREFIX: path.join(dir, 'nowhere') }) }), 86, /QEMU_LD_PREFIX=.*nowhere: the root filesystem does not exist/);
  });
});

// ---- a guest's execve of a dynamic program ---------------------------------------------------

const BUSYBOX = (arch: Arch): string => path.join(repoRoot, 'vendor', 'busybox', arch, 'bin', 'busybox');

test('a static shell execs a dynamic program (x86_64: as natively; aarch64: as the program alone under qemu -L)', { timeout: 4 * TIMEOUT_MS }, (t) => {
  for (const arch of ['x86_64', 'aarch64'] as const) {
    const busybox = BUSYBOX(arch);
    if (!fs.existsSync(busybox)) {
      t.diagnostic(`no ${busybox} (scripts/fetch-busybox.sh): ${arch} skipped`);
      continue;
    }
    const bin = need(arch, 'hello_dyn');
    inTemp((dir) => {
      const script = `${bin} one; echo status $?`;
      const traceFile = path.join(dir, 'trace.txt');
      const got = runTstrace(['-f', '-o', traceFile, busybox, 'sh', '-c', script], { cwd: dir, timeoutMs: TIMEOUT_MS });
      assert.equal(describeEnd(got), 'exit 0', context(got));
      let want: string;
      if (arch === 'x86_64') {
        if (hostArch() !== 'x86_64') return;
        want = run(busybox, ['sh', '-c', script], { cwd: dir, timeoutMs: TIMEOUT_MS }).stdout;
      } else {
        // qemu-user cannot exec a foreign program from the guest (no binfmt_misc): ENOEXEC.
        if (noQemuAarch64) return;
        want = `${run('qemu-aarch64', ['-L', AARCH64_ROOT, bin, 'one'], { cwd: dir, timeoutMs: TIMEOUT_MS }).stdout}status 3\n`;
      }
      assert.equal(got.stdout, want, arch);
      const trace = fs.readFileSync(traceFile, 'utf8');
      assert.match(trace, new RegExp(`execve\\("${bin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}", \\["${bin.slice(0, 32).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), 'the guest execve in the trace');
      assert.match(trace, /openat\(AT_FDCWD, "[^"]*libc\.so\.6", O_RDONLY\|O_CLOEXEC\) = 3/, 'the exec\'d program\'s loader opens the C library');
    });
  }
});

// ---- -k in a dynamic program --------------------------------------------------------------------

test('-k: the stack of a write in a dynamic program is strace\'s, frame for frame (libc.so.6 by its .dynsym, the program)', { skip: straceSkip, timeout: 2 * TIMEOUT_MS }, () => {
  const bin = need('x86_64', 'hello_dyn');
  inTemp((dir) => {
    const flags = ['-k', '-e', 'trace=write'];
    const s = runStrace(flags, bin, [], { cwd: dir, timeoutMs: TIMEOUT_MS });
    const t = runTstrace([...flags, bin], { cwd: dir, timeoutMs: TIMEOUT_MS });
    const frames = (r: RunResult): string[] => {
      const lines = r.stderr.split('\n');
      const at = lines.findIndex((l) => l.startsWith('write(1, '));
      const out: string[] = [];
      for (let i = at + 1; i < lines.length && lines[i]!.startsWith(' > '); i++) out.push(lines[i]!);
      return out;
    };
    const want = frames(s);
    assert.ok(want.length >= 3 && want.some((l) => l.includes('libc.so.6(')), s.stderr);
    assert.deepEqual(frames(t), want);
  });
});

test('aarch64 -k: frames in the root\'s libc.so.6 are named by the guest path', { skip: noQemuAarch64, timeout: TIMEOUT_MS }, () => {
  const bin = need('aarch64', 'hello_dyn');
  inTemp((dir) => {
    const t = runTstrace(['-k', '-e', 'trace=write', bin], { cwd: dir, timeoutMs: TIMEOUT_MS });
    assert.equal(describeEnd(t), 'exit 3', context(t));
    const frames = t.stderr.split('\n').filter((l) => l.startsWith(' > '));
    assert.match(frames[0]!, /^ > \/lib\/libc\.so\.6\(__write\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$/);
    assert.match(frames.at(-1)!, /\/aarch64\/hello_dyn\(_start\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$/);
  });
});

// Real programs in foreign root filesystems: Debian bookworm's arm64 bash, coreutils, busybox,
// python3 and their libraries (vendor/rootfs/aarch64), and trixie's riscv64 bash, coreutils,
// busybox and python3 (vendor/rootfs/riscv64), fetched by scripts/fetch-rootfs.sh ARCH, run by absolute
// path inside the root (`tstrace -f --sysroot ROOT /bin/bash ...`) and compared with
// `qemu-ARCH -L ROOT ROOT/bin/bash ...`: the same stdout, stderr and exit status. Every
// process is traced (-f), and the trace must show the work: the loader mapping the root's
// libraries (by their guest paths) and each program the shell executed.
//
// A limit of the oracle: qemu-user cannot execute a foreign program from the guest (no
// binfmt_misc here), so under qemu the shell's execve of /usr/bin/sort runs the host's own sort;
// its output is the same, and tstrace's trace shows the root's arm64 sort running instead.
// A case skips itself when its root is not fetched or its qemu is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, describeEnd, hasCommand, makeTempDir, removeTempDir, repoRoot, run, runTstrace, tail, type RunResult } from './helpers/run.js';

type RootArch = 'aarch64' | 'riscv64';
const rootOf = (arch: RootArch): string => path.join(repoRoot, 'vendor', 'rootfs', arch);
const ROOT = rootOf('aarch64');
const TIMEOUT_MS = 180_000;
// A fixed, small environment: PATH of the root's own directories, and a HOME without a
// .bashrc (bash reads it when its stdin is a socket, as the test runner's pipes are).
const ENV = cleanEnv({ PATH: '/usr/bin:/bin', HOME: '/nonexistent' });
const skipFor = (arch: RootArch): string | false => (!fs.existsSync(path.join(rootOf(arch), '.tstrace-rootfs')) ? `no ${rootOf(arch)}: run scripts/fetch-rootfs.sh ${arch}`
  : !hasCommand(`qemu-${arch}`) ? `no qemu-${arch}` : false);

interface Case {
  readonly title: string;
  /** The program inside the root and its arguments. */
  readonly argv: readonly string[];
  /** Files to create in the run's directory first. */
  readonly files?: Readonly<Record<string, string>>;
  /** Trace lines (regular expressions) that must appear. */
  readonly trace: readonly RegExp[];
  readonly stdout?: string;
  /** The reference: qemu-ARCH -L ROOT (default), or a native command given the root's host path. */
  readonly oracle?: 'qemu' | 'native';
  /** The roots it runs in (default aarch64's only: the ls cases' oracle is the host's GNU ls, coreutils 9.1 as bookworm's). */
  readonly arches?: readonly RootArch[];
  readonly native?: (root: string) => [string, string[]];
}

const CASES: readonly Case[] = [
  {
    title: "bash -c 'for i in 1 2 3; do echo $i; done | sort -r | head -2'",
    arches: ['aarch64', 'riscv64'],
    argv: ['/bin/bash', '-c', 'for i in 1 2 3; do echo $i; done | sort -r | head -2'],
    stdout: '3\n2\n',
    trace: [
      /^\d+ +execve\("\/bin\/bash", \["\/bin\/bash", "-c", /m,
      /^\d+ +openat\(AT_FDCWD, "\/lib\/(?:aarch64|riscv64)-linux-gnu\/libtinfo\.so\.6", O_RDONLY\|O_CLOEXEC\) *= 3$/m,
      /^\d+ +execve\("\/usr\/bin\/sort", \["sort", "-r"\], /m,
      /^\d+ +execve\("\/usr\/bin\/head", \["head", "-2"\], /m,
      /^\d+ +write\(1, "3\\n2\\n", 4\) *= 4$/m,
    ],
  },
  {
    title: 'ls -la /usr/bin | wc -l',
    argv: ['/bin/bash', '-c', 'ls -la /usr/bin | wc -l'],
    // Under qemu the shell's execve runs the host's ls, which lists the host's /usr/bin: the
    // reference is the host's ls on the root's directory, counted.
    oracle: 'native',
    native: (root) => ['bash', ['-c', `ls -la ${root}/usr/bin | wc -l`]],
    trace: [
      /^\d+ +execve\("\/usr\/bin\/ls", \["ls", "-la", "\/usr\/bin"\], /m,
      /^\d+ +openat\(AT_FDCWD, "\/usr\/bin", O_RDONLY\|O_NONBLOCK\|O_CLOEXEC\|O_DIRECTORY\) *= 3$/m,
      /^\d+ +execve\("\/usr\/bin\/wc", \["wc", "-l"\], /m,
    ],
  },
  {
    title: 'ls -la /usr/bin',
    argv: ['/bin/ls', '-la', '/usr/bin'],
    // qemu 7.2 does not redirect statx into the root (openat it does): under qemu, ls lists
    // the root's names with the host's sizes and dates. The reference is the host's GNU ls
    // (coreutils 9.1, as the root's) on the root's directory.
    oracle: 'native',
    native: (root) => ['ls', ['-la', `${root}/usr/bin`]],
    trace: [/^\d+ +getdents64\(3, /m, /^\d+ +statx\(AT_FDCWD, "\/usr\/bin\/sha256sum", /m],
  },
  {
    title: 'sha256sum of two files',
    arches: ['aarch64', 'riscv64'],
    argv: ['/usr/bin/sha256sum', 'a.txt', 'b.bin'],
    files: { 'a.txt': 'alpha\nbeta\n', 'b.bin': 'x'.repeat(100_000) },
    trace: [/^\d+ +openat\(AT_FDCWD, "a\.txt", O_RDONLY\) *= 3$/m, /^\d+ +read\(3, "x{32}"\.\.\., \d+\) *= \d+$/m],
  },
  {
    title: 'tar round trip and find -exec',
    arches: ['aarch64', 'riscv64'],
    argv: ['/bin/bash', '-c', 'mkdir -p d/sub && echo alpha > d/a.txt && echo beta > d/sub/b.txt && tar -cf x.tar d && mkdir out'
      + ' && tar -xf x.tar -C out && tar -tf x.tar | sort && cat out/d/sub/b.txt; find d -name "*.txt" -exec cat {} + | sort'],
    stdout: 'd/\nd/a.txt\nd/sub/\nd/sub/b.txt\nbeta\nalpha\nbeta\n',
    trace: [
      /^\d+ +execve\("\/usr\/bin\/tar", \["tar", "-cf", "x\.tar", "d"\], /m,
      /^\d+ +execve\("\/usr\/bin\/tar", \["tar", "-xf", "x\.tar", "-C", "out"\], /m,
      /^\d+ +execve\("\/usr\/bin\/find", \["find", "d", "-name", "\*\.txt", "-exec", "cat", "\{\}", "\+"\], /m,
      /^\d+ +execve\("\/usr\/bin\/cat", \["cat", "d\/(?:sub\/b|a)\.txt", "d\/(?:sub\/b|a)\.txt"\], /m,
    ],
  },
  {
    // Python's start-up translates more guest code than the engine's 8 MB translation buffer
    // holds: before the binding flushed it between runs, Unicorn 2.1.1 crashed the whole tstrace
    // process here about one run in two (translation-buffer.ts).
    title: "python3 -B -c 'import json,hashlib; print(json.dumps(hashlib.sha256(b\"x\").hexdigest()))'",
    arches: ['aarch64', 'riscv64'],
    // -B: no bytecode written into the root, so every run reads the same files.
    argv: ['/usr/bin/python3', '-B', '-c', 'import json,hashlib; print(json.dumps(hashlib.sha256(b"x").hexdigest()))'],
    stdout: '"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"\n',
    // bookworm's python3.11, trixie's python3.13.
    trace: [
      /^\d+ +execve\("\/usr\/bin\/python3", \["\/usr\/bin\/python3", "-B", "-c", /m,
      /^\d+ +openat\(AT_FDCWD, "\/usr\/lib\/python3\.1[13]\/json\/__init__\.py", O_RDONLY\|O_CLOEXEC\) *= 3$/m,
      /^\d+ +openat\(AT_FDCWD, "\/usr\/lib\/python3\.1[13]\/hashlib\.py", O_RDONLY\|O_CLOEXEC\) *= 3$/m,
    ],
  },
  {
    title: "busybox sh -c 'echo one two | tr a-z A-Z; expr 6 \\* 7'",
    arches: ['aarch64', 'riscv64'],
    argv: ['/bin/busybox', 'sh', '-c', 'echo one two | tr a-z A-Z; expr 6 \\* 7'],
    stdout: 'ONE TWO\n42\n',
    trace: [/^\d+ +execve\("\/bin\/busybox", \["\/bin\/busybox", "sh", "-c", /m, /^\d+ +execve\("\/usr\/bin\/tr", \["tr", "a-z", "A-Z"\], /m],
  },
];

function context(r: RunResult): string {
  return `${r.command}\n--- ${describeEnd(r)}; stderr (tail):\n${tail(r.stderr)}`;
}

/** Runs `fn` in a fresh directory holding `files`. */
function inDir<T>(files: Readonly<Record<string, string>>, fn: (dir: string) => T): T {
  const base = makeTempDir('tstrace-rootfs-');
  try {
    const dir = path.join(base, 'cwd');
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return fn(dir);
  } finally {
    removeTempDir(base);
  }
}

for (const c of CASES) for (const arch of c.arches ?? ['aarch64']) {
  const ROOT = rootOf(arch);
  test(`rootfs ${arch} against ${c.oracle === 'native' ? 'the host\'s own command' : 'qemu -L'}: ${c.title}`, { skip: skipFor(arch), timeout: 2 * TIMEOUT_MS + 10_000 }, () => {
    const [prog, ...args] = c.argv as [string, ...string[]];
    const q = inDir(c.files ?? {}, (dir) => {
      if (c.oracle === 'native') {
        const [cmd, nargs] = c.native!(ROOT);
        return run(cmd, nargs, { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      }
      return run(`qemu-${arch}`, ['-L', ROOT, path.join(ROOT, prog), ...args], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
    });
    assert.equal(describeEnd(q), 'exit 0', context(q));
    if (c.stdout !== undefined) assert.equal(q.stdout, c.stdout, 'qemu stdout (the oracle itself)');
    let traceText = '';
    const t = inDir(c.files ?? {}, (dir) => {
      const trace = path.join(dir, '..', 'trace.txt');
      const r = runTstrace(['-f', '-o', trace, '--sysroot', ROOT, prog, ...args], { cwd: dir, timeoutMs: TIMEOUT_MS, env: ENV });
      traceText = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8') : '';
      return r;
    });
    assert.equal(describeEnd(t), describeEnd(q), context(t));
    assert.equal(t.stdout, q.stdout, 'stdout');
    assert.equal(t.stderr, q.stderr, 'stderr');
    for (const re of c.trace) assert.match(traceText, re, `trace line ${re}`);
    // Guest paths only: the root's own location never shows in the trace.
    assert.ok(!traceText.includes(ROOT), 'the trace names the host path of the root');
    // Every process ended, and was traced to its end.
    const starts = traceText.match(/^\d+ +execve\(/gm)?.length ?? 0;
    assert.ok(starts >= 1, 'an execve in the trace');
  });
}

// execve beyond a same-CPU ELF: a program of another architecture (no binfmt_misc: under
// qemu-user this is ENOEXEC, so the oracle is the native run of the x86_64 build), and `#!`
// scripts with busybox sh as the interpreter, good and bad. exec_child prints what its child
// printed and how it ended, so tstrace's run must print what the native one prints.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeEnd, fixtureExists, fixturePath, hostArch, makeTempDir, removeTempDir, run, runTstrace, tail, type Arch } from './helpers/run.js';

const ARCHES: readonly Arch[] = ['aarch64', 'x86_64', 'riscv64'];
const TIMEOUT_MS = 120_000;
const native = hostArch() === 'x86_64' && fixtureExists('x86_64', 'exec_child');
const busybox = (arch: Arch): string => path.resolve('vendor/busybox', arch, 'bin/busybox');
const tmp = makeTempDir('tstrace-exec-other-');
test.after(() => removeTempDir(tmp));

for (const from of ARCHES) {
  for (const to of ARCHES) {
    if (from === to) continue;
    test(`an ${from} program execs an ${to} one: same output as the native run`, { timeout: TIMEOUT_MS, skip: !native || !fixtureExists(from, 'exec_child') ? 'needs the x86_64 host and fixtures' : false }, () => {
      const want = run(fixturePath('x86_64', 'exec_child'), [fixturePath('x86_64', 'exit_status'), '42'], { cwd: tmp });
      const trace = path.join(tmp, `${from}-${to}.trace`);
      const got = runTstrace(['-f', '-o', trace, fixturePath(from, 'exec_child'), fixturePath(to, 'exit_status'), '42'], { cwd: tmp, timeoutMs: TIMEOUT_MS });
      assert.match(want.stdout, /child exited with 42/);
      assert.equal(got.stdout, want.stdout, tail(got.stderr));
      assert.equal(describeEnd(got), describeEnd(want));
      // After the exec, the child's calls are decoded with the new CPU's table.
      const child = fs.readFileSync(trace, 'latin1').split('\n').filter((l) => l.startsWith('1001 '));
      const after = child.slice(child.findIndex((l) => / execve\(/.test(l)) + 1);
      assert.ok(after.some((l) => / exit_group\(42\)/.test(l)), after.join('\n'));
      if (to === 'x86_64') assert.ok(after.some((l) => / arch_prctl\(ARCH_SET_FS, /.test(l)), after.join('\n'));
      else assert.ok(!after.some((l) => / arch_prctl\(/.test(l)), after.join('\n'));
    });
  }
}

/** Scripts in DIR for the interpreter `interp`; returns their names. */
function writeScripts(dir: string, interp: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const put = (name: string, text: string | Buffer): void => fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
  put('good.sh', `#!${interp} sh\necho "script $0 args: $*"\nexit 3\n`);
  // The optional argument is one word, trailing blanks cut; no newline at the end of the file.
  put('arg.sh', `#!  ${interp}\techo  one two \t\n`);
  put('noline.sh', '#!\n');
  put('blank.sh', '#!   \t \n');
  put('long.sh', `#!/${'a'.repeat(300)}\n`);
  put('missing.sh', '#!/nonexistent/interpreter\n');
  put('noexec.sh', `#!${interp} sh\n`);
  fs.chmodSync(path.join(dir, 'noexec.sh'), 0o644);
  // A script whose interpreter is a script: allowed up to Linux's limit, then ELOOP.
  put('level0', `#!${interp} sh\necho "nested $0 $*"\n`);
  for (let i = 1; i <= 6; i++) put(`level${i}`, `#!${path.join(dir, `level${i - 1}`)}\n`);
}

// (-at with a script the shell must open is left out: the guest's /dev/fd/N/NAME is not translated yet.)
const SCRIPTS = [['good.sh', 'a', 'b'], ['-at', 'level4', 'y'], ['arg.sh', 'x'], ['noline.sh'], ['blank.sh'], ['long.sh'], ['missing.sh'], ['noexec.sh'],
  ['level4', 'z'], ['level5', 'z'], ['level6', 'z']];

for (const arch of ARCHES) {
  test(`#! scripts (${arch}): the interpreter runs with Linux's argv; bad lines, missing interpreters and too deep nesting fail as natively`, { timeout: TIMEOUT_MS, skip: !native || !fixtureExists(arch, 'exec_child') || !fs.existsSync(busybox(arch)) ? 'needs the x86_64 host, fixtures and busybox' : false }, () => {
    for (const args of SCRIPTS) {
      // The same directory name natively and under tstrace: $0 and the nested paths appear in the output.
      const dir = path.join(tmp, 'scripts');
      writeScripts(dir, busybox('x86_64'));
      // -at: execveat on the script's directory (the interpreter gets /dev/fd/N/NAME).
      const at = args[0] === '-at' ? args.slice(0, 1) : [];
      const rest = args.slice(at.length);
      const argv = [...at, path.join(dir, rest[0]!), ...rest.slice(1)];
      const want = run(fixturePath('x86_64', 'exec_child'), argv, { cwd: tmp });
      writeScripts(dir, busybox(arch));
      const got = runTstrace(['-f', '-o', path.join(tmp, `script-${arch}.trace`), fixturePath(arch, 'exec_child'), ...argv], { cwd: tmp, timeoutMs: TIMEOUT_MS });
      const shown = (s: string): string => s.replaceAll(busybox('x86_64'), 'BUSYBOX').replaceAll(busybox(arch), 'BUSYBOX');
      assert.equal(shown(got.stdout), shown(want.stdout), `${args.join(' ')}\n${tail(got.stderr)}`);
      assert.equal(describeEnd(got), describeEnd(want));
    }
  });
}

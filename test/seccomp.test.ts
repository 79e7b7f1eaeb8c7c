// seccomp in the emulated kernel: strict mode and classic BPF filters, checked against Linux.
// The fixture's output under tstrace (every arch) equals the native x86_64 run's; the x86_64
// trace's seccomp lines, the trapped call's SIGSYS line and the kill equal the real strace's.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturePath, hasCommand, hostArch, makeTempDir, removeTempDir, run, runStrace, runTstrace, type Arch } from './helpers/run.js';

const native = hostArch() === 'x86_64' ? false : 'needs an x86_64 host for the native run';
const withStrace = native !== false ? native : !hasCommand('strace') ? 'needs strace' : false;

/**
 * The lines the filters decide, with addresses and pids masked; a call another task's line cut
 * in two (`<unfinished ...>`, `<... resumed>`: how the host interleaves them) made whole.
 */
function seccompLines(trace: string): string[] {
  const lines = trace.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const cut = /^(\d+)\s+(.*) <unfinished \.\.\.>$/.exec(lines[i]!);
    if (cut === null) continue;
    const j = lines.findIndex((l, k) => k > i && l.startsWith(`${cut[1]} `) && /^\d+\s+<\.\.\. \w+ resumed>/.test(l));
    if (j < 0) continue;
    // (The resumed line's own padding before ` = ` is dropped: the whole line is past column 40.)
    lines[i] = `${cut[1]} ${cut[2]}${lines[j]!.replace(/^\d+\s+<\.\.\. \w+ resumed>/, '').replace(/^\)\s+=/, ') =')}`;
    lines.splice(j, 1);
  }
  return lines
    .filter((l) => /seccomp\(|--- SIGSYS|killed by SIG|^\S*\s*get(ppid|uid|pid)\(\)/.test(l))
    .map((l) => l.replace(/^(\[pid\s+)?\d+\]?\s+/, '').replace(/0x[0-9a-f]{5,}/g, 'ADDR'));
}

for (const arch of ['x86_64', 'aarch64', 'riscv64'] as Arch[]) {
  test(`seccomp_filter ${arch}: the same checks pass as natively`, { skip: native }, () => {
    const want = run(fixturePath('x86_64', 'seccomp_filter'), [], { cwd: '/tmp' });
    assert.equal(want.status, 0, want.stdout);
    const got = runTstrace(['-f', '-o', '/dev/null', fixturePath(arch, 'seccomp_filter')], { cwd: '/tmp' });
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.status, 0, got.stderr);
  });

  test(`seccomp_strict ${arch}: the write shows, the next call kills with SIGKILL, as natively`, { skip: native }, () => {
    const want = run(fixturePath('x86_64', 'seccomp_strict'), [], { cwd: '/tmp' });
    const got = runTstrace(['-o', '/dev/null', fixturePath(arch, 'seccomp_strict')], { cwd: '/tmp' });
    assert.equal(want.signal, 'SIGKILL');
    assert.equal(got.stdout, want.stdout);
    assert.equal(got.signal, 'SIGKILL', got.stderr);
  });
}

test('seccomp traces: the calls, the trap\'s SIGSYS and the kills as the real strace prints them', { skip: withStrace }, (t) => {
  const dir = makeTempDir();
  t.after(() => removeTempDir(dir));
  for (const name of ['seccomp_filter', 'seccomp_strict']) {
    const a = path.join(dir, `${name}.strace`);
    const b = path.join(dir, `${name}.tstrace`);
    runStrace(['-f', '-o', a], fixturePath('x86_64', name), [], { cwd: dir });
    runTstrace(['-f', '-o', b, fixturePath('x86_64', name)], { cwd: dir });
    // (A filter's kill ends the process without a signal-delivery stop: no `--- SIGSYS` line.)
    const theirs = seccompLines(fs.readFileSync(a, 'latin1'));
    const ours = seccompLines(fs.readFileSync(b, 'latin1'));
    assert.ok(theirs.length >= (name === 'seccomp_filter' ? 14 : 2), `the oracle's lines: ${theirs.join('\n')}`);
    assert.deepEqual(ours, theirs, name);
  }
});

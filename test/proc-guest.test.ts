// No host escape through /proc: the guest's /proc/self is its own process, never tstrace's.
// environ and statm are generated from the guest's state (the environment its execve got, its
// mappings); entries that would show the host process's memory, stack, registers or page
// tables, or change it, do not exist for the guest (natively they do: the native run is the
// check that the fixture itself reads them). mounts stays the system's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath, hostArch, run, runTstrace, type Arch } from './helpers/run.js';

const ENV = { PATH: '/usr/bin:/bin', TSTRACE_PROC_A: '1', TSTRACE_PROC_B: 'two' };
const HIDDEN = ['smaps', 'pagemap', 'stack', 'syscall', 'oom_score_adj'];

function entries(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) m.set(line.slice(0, sp), line.slice(sp + 1));
  }
  return m;
}

test('proc_guest natively: every entry the fixture reads exists on Linux', { skip: hostArch() !== 'x86_64' ? 'needs an x86_64 host' : false }, () => {
  const r = run(fixturePath('x86_64', 'proc_guest'), [], { cwd: '/tmp', env: ENV });
  assert.equal(r.status, 0, r.stderr);
  const e = entries(r.stdout);
  for (const name of ['environ', 'statm', 'smaps', 'stack', 'mounts']) assert.doesNotMatch(e.get(name) ?? 'missing', /^missing/, name);
});

for (const arch of ['x86_64', 'aarch64', 'riscv64'] as Arch[]) {
  test(`proc_guest ${arch} under tstrace: environ and statm are the guest's, the host process's entries are missing`, () => {
    const r = runTstrace(['-o', '/dev/null', fixturePath(arch, 'proc_guest')], { cwd: '/tmp', env: ENV });
    assert.equal(r.status, 0, r.stderr);
    const e = entries(r.stdout);
    // The environment as the program got it: the native run's, when there is one.
    const environ = e.get('environ') ?? '';
    assert.match(environ, /(^|\|)TSTRACE_PROC_A=1\|/);
    assert.match(environ, /(^|\|)TSTRACE_PROC_B=two\|/);
    if (hostArch() === 'x86_64') {
      const native = run(fixturePath('x86_64', 'proc_guest'), [], { cwd: '/tmp', env: ENV });
      assert.equal(environ, entries(native.stdout).get('environ'));
    }
    const statm = (e.get('statm') ?? '').split(' ').map(Number);
    assert.ok(statm.length >= 6 && statm[0]! > 0 && statm[3]! > 0 && statm[3]! < statm[0]!, `statm: ${e.get('statm')}`);
    for (const name of HIDDEN) assert.equal(e.get(name), 'missing ENOENT', name);
    // mem is the guest's memory: it opens, and a read at address 0 (unmapped) fails, as natively.
    assert.equal(e.get('mem'), '');
    assert.match(e.get('mounts') ?? '', /^\S+ \/\S* \S+ /);
  });
}

// Listing /proc shows the guest's processes (the fixture and its child), not the host's, whose
// /proc/N tstrace refuses; natively it shows the machine's (the check that the fixture counts
// what it finds). /proc/self/fd and /proc/self/task list the guest's descriptors and threads,
// not tstrace's. build/fixtures/<arch>/proc_list.
test('proc_list natively: the listing holds the process, its child and others, all readable', { skip: hostArch() !== 'x86_64' ? 'needs an x86_64 host' : false }, () => {
  const r = run(fixturePath('x86_64', 'proc_list'), [], { cwd: '/tmp', env: ENV });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^self 1, child 1, others [1-9][0-9]*, unreadable \d+, self and meminfo 2\nagain: .*\nfd listing: the open descriptors\ntask listing: 1 entries, self 1\n$/);
});

for (const arch of ['x86_64', 'aarch64', 'riscv64'] as Arch[]) {
  test(`proc_list ${arch} under tstrace: /proc lists the guest's processes only`, () => {
    const r = runTstrace(['-f', '-o', '/dev/null', fixturePath(arch, 'proc_list')], { cwd: '/tmp', env: ENV });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'self 1, child 1, others 0, unreadable 0, self and meminfo 2\nagain: same count\n'
      + 'fd listing: the open descriptors\ntask listing: 1 entries, self 1\n');
  });
}

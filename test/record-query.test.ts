// Questions after the fact: the read-only views, every query option, stats, export, and diff
// of recordings, on real recordings of the fixtures.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturePath, makeTempDir, removeTempDir, runTstrace, runStrace, cleanEnv, hasCommand, hostArch } from './helpers/run.js';
import { QueryRecordSchema } from '../schemas/recording.js';
import { syscallsInClass, parseTraceClass } from '../src/tracer/trace-classes.js';
import { SYSCALL_TABLE } from '../src/kernel/syscalls/table.js';

const dir = makeTempDir('tstrace-query-');
const db = path.join(dir, 'files.db');
const threads = path.join(dir, 'threads.db');
let live = '';
test.before(() => {
  const r = runTstrace(['-o', path.join(dir, 'live.txt'), '--record', db, fixturePath('aarch64', 'files')], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  live = fs.readFileSync(path.join(dir, 'live.txt'), 'utf8');
  const t = runTstrace(['record', '-o', threads, '--', fixturePath('x86_64', 'threads')], { cwd: dir });
  assert.equal(t.status, 0, t.stderr);
});
test.after(() => removeTempDir(dir));

function q(args: readonly string[], file = db): string[] {
  const r = runTstrace(['query', file, ...args], { cwd: dir });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const liveCalls = (): string[] => live.split('\n').filter((l) => /^[a-z_0-9]+\(/.test(l) && !l.startsWith('execve('));

test('every view answers: stops, syscalls, tasks, signals, files', () => {
  const [stops] = q(['--sql', 'SELECT count(*) FROM stops']).slice(1);
  const [calls] = q(['--sql', 'SELECT count(*) FROM syscalls']).slice(1);
  // Each syscall has an entry and an exit stop but exit_group; plus the exec event and the exit.
  assert.equal(Number(stops), 2 * Number(calls) - 1 + 2);
  assert.equal(Number(calls), liveCalls().length);
  assert.deepEqual(q(['--sql', 'SELECT tid, pid, parent, ended_how, exit_code, syscalls FROM tasks']), ['tid\tpid\tparent\tended_how\texit_code\tsyscalls', `1000\t1000\tNULL\texited\t0\t${calls}`]);
  const tt = q(['--sql', 'SELECT count(*), count(DISTINCT pid) FROM tasks'], threads);
  assert.deepEqual(tt.slice(1), ['6\t1']);
  // The workers share the CPU in budgeted slices: switches name the next task and how long the last one ran.
  const sw = q(['--sql', 'SELECT count(*), count(units), count(DISTINCT tid), min(units) > 0 FROM schedule'], threads)[1]!.split('\t').map(Number);
  assert.ok(sw[0]! > 6 && sw[1]! > 0 && sw[2] === 6 && sw[3] === 1, sw.join(' '));
  assert.deepEqual(q(['--sql', 'SELECT count(*) FROM signals']).slice(1), ['0']);
  const sig = runTstrace(['record', '-o', 'sig.db', '--', fixturePath('aarch64', 'signals')], { cwd: dir });
  assert.equal(sig.status, 0, sig.stderr);
  const sigs = q(['--sql', 'SELECT name, outside, line FROM signals'], path.join(dir, 'sig.db'));
  assert.ok(sigs.some((l) => /^SIGUSR1\t0\t--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER/.test(l)), sigs.join('\n'));
  const files = q(['--sql', 'SELECT path, uses FROM files ORDER BY path']);
  assert.ok(files.some((l) => /^a\.txt\t\d+$/.test(l)), files.join('\n'));
});

test('--syscall, --task, --failed, --path, --class, --seq, --time select what they say', () => {
  const writes = q(['--syscall', 'write,close']);
  assert.ok(writes.length > 10);
  assert.ok(writes.every((l) => /^(write|close)\(/.test(l)), writes.join('\n'));
  assert.equal(writes.length, liveCalls().filter((l) => /^(write|close)\(/.test(l)).length);
  assert.equal(q(['--task', '1000']).length, liveCalls().length);
  assert.equal(q(['--task', '4242']).length, 0);
  const failed = q(['--failed']);
  assert.equal(failed.length, liveCalls().filter((l) => / = -1 E/.test(l)).length);
  assert.ok(failed.length > 3 && failed.every((l) => / = -1 E[A-Z]+ /.test(l)), failed.join('\n'));
  const aTxt = q(['--path', 'a.txt']);
  assert.ok(aTxt.length >= 2 && aTxt.every((l) => l.includes('"a.txt"')), aTxt.join('\n'));
  assert.ok(q(['--path', '*.txt']).length >= aTxt.length);
  const desc = new Set(syscallsInClass(parseTraceClass('%desc')!));
  const cls = q(['--class', '%desc', '--table']).slice(1).map((l) => l.split('\t')[2]!);
  assert.ok(cls.length > 10 && cls.every((n) => desc.has(n)), cls.join(' '));
  const range = q(['--seq', '10..40', '--table']).slice(1).map((l) => Number(l.split('\t')[0]));
  assert.ok(range.length > 5 && range.every((s) => s >= 10 && s <= 40), range.join(' '));
  assert.equal(q(['--seq', '100000..']).length, 0);
  const all = q(['--time', '0..']).length;
  assert.equal(all, liveCalls().length);
  assert.equal(runTstrace(['query', db, '--seq', 'x..y'], { cwd: dir }).status, 64);
  assert.equal(runTstrace(['query', db, '--class', '%nonsense'], { cwd: dir }).status, 64);
});

test('--json lines follow the schema in schemas/, --table has a header and one row per call', () => {
  const json = q(['--json', '--syscall', 'openat']);
  assert.ok(json.length >= 3);
  for (const l of json) {
    const rec = QueryRecordSchema.parse(JSON.parse(l));
    assert.equal(rec.name, 'openat');
    assert.equal(rec.failed, rec.errno !== null);
    assert.equal(rec.args!.length, 6);
  }
  const table = q(['--table', '--failed']);
  assert.deepEqual(table[0]!.split('\t'), ['seq', 'tid', 'syscall', 'result', 'errno', 'duration_us']);
  assert.ok(table.slice(1).every((l) => /^\d+\t1000\t\w+\t-\d+\tE[A-Z]+\t\d+$/.test(l)), table.join('\n'));
  const sqlJson = q(['--sql', 'SELECT name, count(*) AS n FROM syscalls GROUP BY name ORDER BY name', '--json']).map((l) => JSON.parse(l) as { name: string; n: number });
  assert.ok(sqlJson.some((r) => r.name === 'write' && r.n === writesCount()));
});

const writesCount = (): number => liveCalls().filter((l) => l.startsWith('write(')).length;

test('show is the live trace; its filters select as strace -e does', () => {
  const shown = runTstrace(['show', db], { cwd: dir });
  assert.equal(shown.stdout, live);
  const filtered = runTstrace(['show', '-e', 'trace=openat,close', '-e', 'status=failed', db], { cwd: dir }).stdout.split('\n').filter((l) => l !== '');
  assert.ok(filtered.length >= 2);
  assert.ok(filtered.every((l) => /^(openat|close)\(.* = -1 E/.test(l) || l.startsWith('+++')), filtered.join('\n'));
  const qq = runTstrace(['show', '-qq', '-e', 'trace=none', db], { cwd: dir });
  assert.equal(qq.stdout, '');
  const stamped = runTstrace(['show', '-ttt', '-T', '-e', 'trace=write', db], { cwd: dir }).stdout.split('\n').filter((l) => l.includes(' write('));
  assert.ok(stamped.length > 5 && stamped.every((l) => /^\d{10}\.\d{6} write\(.*<\d+\.\d{6}>$/.test(l)), stamped.slice(0, 3).join('\n'));
  const th = runTstrace(['show', threads], { cwd: dir }).stdout;
  assert.match(th, /^\[pid +1001\] /m);
});

test('stats is strace -c: one row per syscall with the recorded calls and errors', () => {
  const r = runTstrace(['stats', db], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const rows = new Map(r.stdout.split('\n').filter((l) => /^ *\d+\.\d\d /.test(l)).map((l) => {
    const f = l.trim().split(/\s+/);
    return [f[f.length - 1]!, f] as const;
  }));
  const counts = new Map<string, number>();
  // As strace -c: calls that never returned (exit_group) are not counted; the execve is.
  for (const l of liveCalls().filter((c) => !c.endsWith(' = ?'))) counts.set(l.slice(0, l.indexOf('(')), (counts.get(l.slice(0, l.indexOf('('))) ?? 0) + 1);
  for (const [name, n] of counts) assert.equal(Number(rows.get(name)?.[3]), n, name);
  assert.equal(Number(rows.get('execve')?.[3]), 1);
  assert.equal(Number(rows.get('total')![3]), liveCalls().filter((c) => !c.endsWith(' = ?')).length + 1);
});

test('export --perfetto: Chrome trace events, one track per task, one slice per syscall', () => {
  const r = runTstrace(['export', '--perfetto', threads], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const trace = JSON.parse(r.stdout) as { traceEvents: { ph: string; name: string; tid: number; pid: number; dur?: number; ts: number }[] };
  const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  assert.equal(names.length, 6);
  const slices = trace.traceEvents.filter((e) => e.ph === 'X' || e.ph === 'B');
  const [calls] = q(['--sql', 'SELECT count(*) FROM syscalls'], threads).slice(1);
  assert.equal(slices.length, Number(calls));
  assert.ok(slices.every((e) => e.pid === 1000 && e.ts >= 0 && (e.ph === 'B' || e.dur! >= 0)));
  assert.deepEqual([...new Set(slices.map((e) => e.tid))].sort(), [1000, 1001, 1002, 1003, 1004, 1005]);
});

test('diff of recordings: one program twice is equal; two variants differ at the first different stop', () => {
  const rec = (name: string, variant: string) => {
    const r = runTstrace(['record', '-o', name, '--', fixturePath('aarch64', 'diff_prog')], { cwd: dir, env: cleanEnv({ DIFF_VARIANT: variant }) });
    assert.ok(r.status === 0 || r.status === 7, r.stderr);
  };
  rec('base1.db', 'base');
  rec('base2.db', 'base');
  rec('removed.db', 'removed');
  const eq = runTstrace(['diff', 'base1.db', 'base2.db'], { cwd: dir });
  assert.equal(eq.status, 0, eq.stdout + eq.stderr);
  const ne = runTstrace(['diff', 'base1.db', 'removed.db'], { cwd: dir });
  assert.equal(ne.status, 1, ne.stderr);
  assert.match(ne.stdout, /^-getppid\(\) = /m);
  assert.doesNotMatch(ne.stdout, /^[-+](?!getppid|--|\+\+)/m);
  const bad = runTstrace(['diff', 'base1.db', path.join(dir, 'nope.db')], { cwd: dir });
  assert.equal(bad.status, 2);
});

test('diff of an x86_64 recording against the native strace log of the same program is equal', { skip: hostArch() !== 'x86_64' || !hasCommand('strace') }, () => {
  const prog = fixturePath('x86_64', 'hello');
  const r = runTstrace(['record', '-o', 'hello.db', '--', prog], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const s = runStrace(['-f', '-o', path.join(dir, 'native.log')], prog, [], { cwd: dir });
  assert.equal(s.status, 0, s.stderr);
  const d = runTstrace(['diff', 'hello.db', 'native.log'], { cwd: dir });
  assert.equal(d.status, 0, d.stdout + d.stderr);
});

test('every syscall of the kernel\'s table says how it replays', () => {
  const policies = new Set(['apply', 'execute', 'restoreWrites', 'mmap', 'exec']);
  const unknown = Object.entries(SYSCALL_TABLE).filter(([, e]) => !policies.has(e.replay)).map(([n]) => n);
  assert.deepEqual(unknown, []);
  assert.equal(SYSCALL_TABLE['read']!.replay, 'apply');
  assert.equal(SYSCALL_TABLE['brk']!.replay, 'execute');
  assert.equal(SYSCALL_TABLE['mmap']!.replay, 'mmap');
  assert.equal(SYSCALL_TABLE['execve']!.replay, 'exec');
  assert.equal(SYSCALL_TABLE['wait4']!.replay, 'restoreWrites');
});

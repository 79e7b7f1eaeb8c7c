// The files of /proc/PID that describe a guest process, generated from the kernel's own state
// (ids in the guest's pid space, its command line, its mappings), never the host process's.
// Each is written to an anonymous host file (created, then unlinked) that the guest's open
// then opens through /proc/self/fd/N, so reads, seeks and fstat work as on any file.
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel } from '../kernel.js';
import type { Task, ThreadGroup } from '../task.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/address-space.js';

/** The files generated here, by name under /proc/PID (or /proc/PID/task/TID). */
export const GENERATED = new Set(['status', 'stat', 'statm', 'comm', 'cmdline', 'environ', 'maps', 'auxv']);

/**
 * Entries of tstrace's own /proc/PID that the guest may see as its own: they describe the
 * system (mounts, cgroups, namespaces) or limits the guest shares with tstrace. The rest would
 * show the host process (its memory layout, environment, stack, registers, page tables) or
 * change it (oom_score_adj, clear_refs): they do not exist for the guest.
 */
export const HOST_ENTRIES = new Set(['mounts', 'mountinfo', 'mountstats', 'cgroup', 'limits', 'ns', 'net', 'root',
  'fd', 'fdinfo', 'task', 'loginuid', 'sessionid', 'uid_map', 'gid_map', 'setgroups', 'oom_score', 'attr']);

/** The parent pid a process sees (getppid): the first process's is tstrace's own host parent slot. */
export function parentPid(kernel: Kernel, proc: ThreadGroup): number {
  return proc.parent?.pid ?? (proc.pid === kernel.firstPid ? kernel.hostPid : 1);
}

function stateOf(task: Task): [string, string] {
  switch (task.state) {
    case 'blocked': return ['S', 'sleeping'];
    case 'stopped': return ['t', 'tracing stop'];
    case 'zombie': case 'dead': return ['Z', 'zombie'];
    default: return ['R', 'running'];
  }
}

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

function status(kernel: Kernel, task: Task): string {
  const g = task.group;
  const c = g.ids;
  const [st, stName] = stateOf(task);
  let ignored = 0n;
  let caught = 0n;
  g.actions.forEach((a, signo) => {
    if (signo === 0) return;
    if (a.handler === 1n) ignored |= 1n << BigInt(signo - 1);
    else if (a.handler !== 0n) caught |= 1n << BigInt(signo - 1);
  });
  return [
    `Name:\t${g.comm}`,
    `Umask:\t${g.umask.toString(8).padStart(4, '0')}`,
    `State:\t${st} (${stName})`,
    `Tgid:\t${g.pid}`,
    'Ngid:\t0',
    `Pid:\t${task.tid}`,
    `PPid:\t${parentPid(kernel, g)}`,
    // tstrace's own tracer is invisible to the guest; a guest tracer is named by its thread id.
    `TracerPid:\t${task.guestTrace?.tracerTask.tid ?? 0}`,
    `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.fsuid}`,
    `Gid:\t${c.gid}\t${c.egid}\t${c.sgid}\t${c.fsgid}`,
    'FDSize:\t64',
    `Groups:\t${c.groups.join(' ')}${c.groups.length > 0 ? ' ' : ''}`,
    // Each id in every pid namespace from /proc's (the root) down to the process's own.
    `NStgid:\t${g.pidns.chain(g.pid).join('\t')}`,
    `NSpid:\t${g.pidns.chain(task.tid).join('\t')}`,
    `NSpgid:\t${g.pidns.chain(g.pgid).join('\t')}`,
    `NSsid:\t${g.pidns.chain(g.sid).join('\t')}`,
    `Threads:\t${g.live}`,
    `SigPnd:\t${hex16(task.pending)}`,
    `ShdPnd:\t${hex16(g.sharedPending)}`,
    `SigBlk:\t${hex16(task.sigmask)}`,
    `SigIgn:\t${hex16(ignored)}`,
    `SigCgt:\t${hex16(caught)}`,
    '',
  ].join('\n');
}

function stat(kernel: Kernel, task: Task): string {
  const g = task.group;
  const [st] = stateOf(task);
  // proc(5)'s 52 fields; those tstrace does not keep (times, faults, addresses) are 0.
  const f: (string | number)[] = [task.tid, `(${g.comm})`, st, parentPid(kernel, g), g.pgid, g.sid, 0, -1, 0x400000,
    0, 0, 0, 0, 0, 0, 0, 0, 20, 0, g.live, 0, 0, 0, 0, '18446744073709551615'];
  while (f.length < 52) f.push(0);
  return `${f.join(' ')}\n`;
}

/** The auxiliary vector as the process got it: (type, value) pairs of 64-bit words, AT_NULL last. */
function auxv(g: ThreadGroup): string {
  const bytes = Buffer.alloc(g.auxv.length * 16);
  g.auxv.forEach(([k, v], i) => {
    bytes.writeBigUInt64LE(BigInt.asUintN(64, k), i * 16);
    bytes.writeBigUInt64LE(BigInt.asUintN(64, v), i * 16 + 8);
  });
  return bytes.toString('latin1');
}

function maps(kernel: Kernel, g: ThreadGroup): string {
  const lines: string[] = [];
  for (const v of g.mm.regions) {
    const perms = `${(v.prot & PROT_READ) !== 0 ? 'r' : '-'}${(v.prot & PROT_WRITE) !== 0 ? 'w' : '-'}${(v.prot & PROT_EXEC) !== 0 ? 'x' : '-'}${v.shared ? 's' : 'p'}`;
    const file = v.backing.kind === 'file' ? v.backing : undefined;
    const dev = file === undefined ? '00:00' : `${(file.file.dev >> 8n & 0xfffn).toString(16).padStart(2, '0')}:${(file.file.dev & 0xffn).toString(16).padStart(2, '0')}`;
    const head = `${v.start.toString(16).padStart(8, '0')}-${v.end.toString(16).padStart(8, '0')} ${perms} ${(file?.offset ?? 0n).toString(16).padStart(8, '0')} ${dev} ${file?.file.ino ?? 0}`;
    const name = file !== undefined ? kernel.guestPath(file.file.path) : v.label ?? '';
    lines.push(name === '' ? head : `${head.padEnd(72)} ${name}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * statm in pages: size, resident, shared, text, lib, data, dirty. tstrace does not count
 * resident pages, so resident is the size; text is the executable mappings, data the writable
 * private ones.
 */
function statm(g: ThreadGroup): string {
  let size = 0n;
  let text = 0n;
  let data = 0n;
  for (const v of g.mm.regions) {
    const pages = (v.end - v.start) / 4096n;
    size += pages;
    if ((v.prot & PROT_EXEC) !== 0) text += pages;
    else if ((v.prot & PROT_WRITE) !== 0 && !v.shared) data += pages;
  }
  return `${size} ${size} 0 ${text} 0 ${data} 0\n`;
}

/** The contents of /proc/PID[/task/TID]/NAME for a generated NAME. */
export function generate(kernel: Kernel, task: Task, name: string): string {
  const g = task.group;
  switch (name) {
    case 'status': return status(kernel, task);
    case 'stat': return stat(kernel, task);
    case 'comm': return `${g.comm}\n`;
    case 'cmdline': return g.argv.map((a) => `${a}\0`).join('');
    case 'environ': return g.envp.map((e) => `${e}\0`).join('');
    case 'auxv': return auxv(g);
    case 'statm': return statm(g);
    default: return maps(kernel, g);
  }
}

let held: number | undefined;

/**
 * A host path that opens a file holding `text` (valid until the next call: the guest's open
 * happens right after the path is made); `mode` 0o600 lets it be opened for writing.
 */
export function generatedFilePath(text: string, mode = 0o444): string {
  if (held !== undefined) closeSync(held);
  const tmp = join(tmpdir(), `tstrace-proc-${process.pid}`);
  held = openSync(tmp, 'w+', mode);
  unlinkSync(tmp);
  writeSync(held, Buffer.from(text, 'latin1'));
  return `/proc/self/fd/${held}`;
}

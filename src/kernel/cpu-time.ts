// CPU time as the guest sees it: each task counts the host time it spent running guest code
// (user time) and in the kernel's handlers for its calls (system time). A process's time is
// its threads', the ended ones included; a parent that reaps a child with wait4/waitid adds the
// child's own time and its reaped children's to its "children" totals, as Linux does. times,
// getrusage and wait4's rusage answer from these. Nothing here steers the scheduler: the values
// are as non-deterministic as Linux's, and a recording keeps what the guest was told.
import type { Task, ThreadGroup } from './task.js';

/** Nanoseconds of user and system time. */
export interface CpuUsage {
  user: bigint;
  system: bigint;
}

export const noUsage = (): CpuUsage => ({ user: 0n, system: 0n });

function add(into: CpuUsage, from: CpuUsage): void {
  into.user += from.user;
  into.system += from.system;
}

/** A process's own time: its live threads' and the ended ones'. */
export function processUsage(group: ThreadGroup): CpuUsage {
  const total: CpuUsage = { ...group.endedThreadsUsage };
  for (const t of group.tasks) add(total, t.usage);
  return total;
}

/** A thread leaves its process's list: its time stays the process's. */
export function threadGone(task: Task): void {
  add(task.group.endedThreadsUsage, task.usage);
  task.usage = noUsage();
}

/** A reaped child: its time and its own reaped children's become its parent's children's. */
export function childReaped(parent: ThreadGroup, child: ThreadGroup): void {
  add(parent.childrenUsage, processUsage(child));
  add(parent.childrenUsage, child.childrenUsage);
}

/** What wait4/waitid report for a reaped child (Linux: the child's time and its children's). */
export function reapedUsage(child: ThreadGroup): CpuUsage {
  const u = processUsage(child);
  add(u, child.childrenUsage);
  return u;
}

const CLOCK_TICKS_PER_SECOND = 100n; // USER_HZ

/** struct tms: utime, stime, cutime, cstime in clock ticks. */
export function tmsBytes(group: ThreadGroup): Uint8Array {
  const own = processUsage(group);
  const kids = group.childrenUsage;
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  [own.user, own.system, kids.user, kids.system].forEach((ns, i) => {
    dv.setBigInt64(i * 8, (ns * CLOCK_TICKS_PER_SECOND) / 1_000_000_000n, true);
  });
  return b;
}

/** ru_utime and ru_stime: the first 32 bytes of struct rusage (two struct timeval). */
export function rusageTimesBytes(u: CpuUsage): Uint8Array {
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  [u.user, u.system].forEach((ns, i) => {
    dv.setBigInt64(i * 16, ns / 1_000_000_000n, true);
    dv.setBigInt64(i * 16 + 8, (ns % 1_000_000_000n) / 1000n, true);
  });
  return b;
}

/** A whole struct rusage holding only the two times (the rest, Linux's counters, zero). */
export function rusageBytes(u: CpuUsage): Uint8Array {
  const b = new Uint8Array(144);
  b.set(rusageTimesBytes(u), 0);
  return b;
}

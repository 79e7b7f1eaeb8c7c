// CPU time as the guest sees it: each task counts the host time it spent running guest code
// (user time) and in the kernel's handlers for its calls (system time). A process's time is
// its threads', the ended ones included; a parent that reaps a child with wait4/waitid adds the
// child's own time and its reaped children's to its "children" totals, as Linux does. times,
// getrusage and wait4's rusage answer from these. Nothing here steers the scheduler: the values
// are as non-deterministic as Linux's, and a recording keeps what the guest was told.
import { E } from '../abi/errno.js';
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

// ---- CPU-time clock ids -------------------------------------------------------------------

/** User time (`userOnly`), or user and system time. */
const cpuTime = (u: CpuUsage, userOnly: boolean): bigint => (userOnly ? u.user : u.user + u.system);

/** A clock whose value is some CPU time, in ns. */
export type CpuClockReader = () => bigint;

const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const CPUCLOCK_VIRT = 1;
const CPUCLOCK_PERTHREAD = 4;
const CPUCLOCK_FD = 3; // a dynamic clock opened from a file descriptor (PTP and the like)

/**
 * What a clock id names when it is a CPU-time clock: the reader of that time; -errno for a
 * CPU-time id that names nothing (EINVAL); undefined for any other clock. Besides the two
 * fixed ids, Linux encodes "this pid's process or thread clock" in negative ids
 * (clock_getcpuclockid, pthread_getcpuclockid, and glibc's timer_create): ~pid in the bits
 * above the third, bit 2 for a thread, and in the low two bits which time (user and system,
 * user only, or the scheduler's, which here is user and system). Pid 0 is the caller. A timer
 * (`forTimer`) may only count a thread of the caller's own process.
 */
export function cpuClockReader(
  clock: number,
  caller: Task,
  taskById: (tid: number) => Task | undefined,
  forTimer: boolean,
): CpuClockReader | number | undefined {
  let id = clock;
  if (id === CLOCK_PROCESS_CPUTIME_ID) id = -6; // MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED)
  else if (id === CLOCK_THREAD_CPUTIME_ID) id = -2; // MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_SCHED)
  else if (id >= 0) return undefined;
  const which = id & 3;
  const perThread = (id & CPUCLOCK_PERTHREAD) !== 0;
  if (which === CPUCLOCK_FD) return -E.EINVAL;
  const pid = ~(id >> 3);
  const target = pid === 0 ? caller : taskById(pid);
  if (target === undefined) return -E.EINVAL;
  const userOnly = which === CPUCLOCK_VIRT;
  if (perThread) {
    if (forTimer && target.group !== caller.group) return -E.EINVAL;
    return () => cpuTime(target.usage, userOnly);
  }
  // A process clock is named by its leader's id (a pid, not another thread's id).
  const group = pid === 0 ? caller.group : target.group;
  if (pid !== 0 && group.leader !== target) return -E.EINVAL;
  return processCpuClock(group, userOnly);
}

/** A process's user time (`userOnly`: ITIMER_VIRTUAL's clock), or its user and system time. */
export function processCpuClock(group: ThreadGroup, userOnly: boolean): CpuClockReader {
  return () => cpuTime(processUsage(group), userOnly);
}

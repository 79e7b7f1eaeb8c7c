// Which guest task runs next, and how tasks wait.
//
// One task runs at a time. The scheduler keeps the current task on the CPU until it blocks,
// stops or exits, or until its budget of guest code runs out (only while another task could
// run, or a parked task waits on the host); then it passes the CPU round-robin in task-id
// order. Nothing here reads host time to decide who runs: a budget is counted in guest code
// executed, so two runs with the same inputs switch at the same places. Host time enters only
// through deadlines and host descriptors, the inputs a recording must hold.
import { hostSyscall, HOST } from '../../packages/host-syscall/src/index.js';
import { HostMemory } from '../../packages/unicorn-engine-ts/src/index.js';
import type { Task } from './task.js';

/** What a handler returns when its call must wait: the task parks with a Wait. */
export const BLOCKED = -(1n << 61n);

export type WakeReason = 'event' | 'timeout' | 'host';

/** What a parked call waits for, and how it goes on. */
export interface Wait {
  /** For the report when every task waits: `futex 0x4a2f10`, `wait4`, `read fd 0`. */
  readonly what: string;
  /** Runs the call again after a wake: its result, or BLOCKED to wait on. */
  retry(why: WakeReason): bigint;
  /** A host descriptor whose readiness (poll events) ends the wait. */
  readonly hostFd?: number;
  readonly events?: number;
  /** Several host descriptors, any one's readiness ends the wait (poll, select). */
  readonly hostFds?: readonly HostInterest[];
  /** Leaves any queue the wait joined (a signal interrupted it, or the task is exiting). */
  cancel?(): void;
  /** What the call returns when a signal interrupts it (default: restarted, or EINTR). */
  readonly onSignal?: () => bigint;
  /** false: only SIGKILL ends the wait (vfork's); other signals stay pending until it ends. */
  readonly interruptible?: boolean;
}

/** A host descriptor and the poll events a parked call waits for on it. */
export interface HostInterest {
  readonly fd: number;
  readonly events: number;
}

/** Whether a parked call waits on any host descriptor. */
export function waitsOnHost(w: Wait | undefined): boolean {
  return w !== undefined && (w.hostFd !== undefined || (w.hostFds !== undefined && w.hostFds.length > 0));
}

/** The host descriptors a parked call waits on. */
function interestsOf(w: Wait): readonly HostInterest[] {
  if (w.hostFd !== undefined) return [{ fd: w.hostFd, events: w.events ?? 1 }];
  return w.hostFds ?? [];
}

/** Guest code per slice, in bytes of translation blocks entered: a few milliseconds of work. */
export const QUANTUM = 1_000_000n;

const POLLFD_BYTES = 8;
/** Host memory for the pollfd array (descriptors past what it holds wait for a later round). */
const POLL_MEMORY_BYTES = 64 * 1024;

export class Scheduler {
  /** Every task that has not exited, in task-id order. */
  private readonly tasks: Task[] = [];
  private cursor = 0;
  private pollMemory: HostMemory | undefined;
  /** The task that ran last; it keeps the CPU while its budget lasts. */
  current: Task | undefined;
  /** Set when the current task's slice is over (its budget ran out): pass the CPU on. */
  sliceOver = false;

  add(task: Task): void {
    // Task ids only grow, so appending keeps the order.
    this.tasks.push(task);
  }

  /** Puts a task whose id changed (execve from a thread) back in task-id order. */
  renumbered(task: Task): void {
    const i = this.tasks.indexOf(task);
    if (i < 0) return;
    const wasCurrent = this.current === task;
    this.remove(task);
    let j = this.tasks.findIndex((t) => t.tid > task.tid);
    if (j < 0) j = this.tasks.length;
    this.tasks.splice(j, 0, task);
    if (j < this.cursor) this.cursor++;
    if (wasCurrent) this.current = task;
  }

  remove(task: Task): void {
    const i = this.tasks.indexOf(task);
    if (i < 0) return;
    this.tasks.splice(i, 1);
    if (i < this.cursor) this.cursor--;
    if (this.current === task) this.current = undefined;
  }

  get size(): number {
    return this.tasks.length;
  }

  all(): readonly Task[] {
    return this.tasks;
  }

  /** Whether more than one task is runnable (then slices are budgeted). */
  contended(): boolean {
    let n = 0;
    for (const t of this.tasks) if (t.state === 'running' && ++n > 1) return true;
    return false;
  }

  /** Whether a parked task waits on the host (a descriptor or a deadline). */
  hostWaiters(): boolean {
    for (const t of this.tasks) {
      if (t.state === 'blocked' && (t.deadline !== undefined || waitsOnHost(t.syscall?.wait))) return true;
    }
    return false;
  }

  /** The next task to run: the current one while its slice lasts, else round-robin. */
  next(): Task | undefined {
    const cur = this.current;
    if (cur !== undefined && cur.state === 'running' && !this.sliceOver) return cur;
    this.sliceOver = false;
    const n = this.tasks.length;
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % n;
      const t = this.tasks[i]!;
      if (t.state === 'running') {
        this.cursor = (i + 1) % n;
        this.current = t;
        return t;
      }
    }
    this.current = undefined;
    return undefined;
  }

  /** Makes a blocked task runnable again, to retry its call for `why`. */
  wake(task: Task, why: 'event' | 'timeout' | 'signal' | 'host'): void {
    if (task.state !== 'blocked') return;
    task.state = 'running';
    task.wake = why;
    task.deadline = undefined;
  }

  /** Wakes the parked tasks whose deadline has passed. */
  expireDeadlines(now = process.hrtime.bigint()): void {
    for (const t of this.tasks) {
      if (t.state === 'blocked' && t.deadline !== undefined && t.deadline <= now) this.wake(t, 'timeout');
    }
  }

  /**
   * Polls the host descriptors parked tasks wait on, waiting at most `timeoutMs` (-1: until one
   * is ready), and wakes those tasks whose descriptor is ready, in task-id order. Returns
   * whether any task woke.
   */
  pollHost(timeoutMs: number): boolean {
    const owners: Task[] = [];
    const entries: HostInterest[] = [];
    const capacity = POLL_MEMORY_BYTES / POLLFD_BYTES;
    for (const t of this.tasks) {
      const w = t.syscall?.wait;
      if (t.state !== 'blocked' || w === undefined) continue;
      for (const interest of interestsOf(w)) {
        if (entries.length === capacity) break;
        owners.push(t);
        entries.push(interest);
      }
    }
    if (entries.length === 0) {
      if (timeoutMs > 0) hostSyscall(HOST.poll, 0n, 0n, BigInt(timeoutMs));
      return false;
    }
    const mem = (this.pollMemory ??= HostMemory.reserve(POLL_MEMORY_BYTES));
    const n = entries.length;
    const fds = mem.view(0n, POLLFD_BYTES * n);
    const dv = new DataView(fds.buffer, fds.byteOffset, fds.byteLength);
    entries.forEach((e, i) => {
      dv.setInt32(i * POLLFD_BYTES, e.fd, true);
      dv.setInt16(i * POLLFD_BYTES + 4, e.events, true);
      dv.setInt16(i * POLLFD_BYTES + 6, 0, true);
    });
    const r = hostSyscall(HOST.poll, mem.ptr, BigInt(n), BigInt(timeoutMs));
    if (r <= 0n) return false;
    let woke = false;
    owners.forEach((t, i) => {
      if (dv.getInt16(i * POLLFD_BYTES + 6, true) !== 0 && t.state === 'blocked') {
        this.wake(t, 'host');
        woke = true;
      }
    });
    return woke;
  }

  /** The nearest deadline of a parked task, if any. */
  nearestDeadline(): bigint | undefined {
    let d: bigint | undefined;
    for (const t of this.tasks) {
      if (t.state === 'blocked' && t.deadline !== undefined && (d === undefined || t.deadline < d)) d = t.deadline;
    }
    return d;
  }
}


let readyMemory: HostMemory | undefined;

/** Whether host descriptor `fd` is ready for `events` now (poll with no timeout). */
export function hostReady(fd: number, events: number): boolean {
  const mem = (readyMemory ??= HostMemory.reserve(4096));
  const v = mem.view(0n, 8);
  const dv = new DataView(v.buffer, v.byteOffset, 8);
  dv.setInt32(0, fd, true);
  dv.setInt16(4, events, true);
  dv.setInt16(6, 0, true);
  return hostSyscall(HOST.poll, mem.ptr, 1n, 0n) > 0n;
}

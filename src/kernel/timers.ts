// Timers that send a process a signal when they expire: the interval timers of setitimer and
// alarm (ITIMER_REAL) and the POSIX timers of timer_create. Each keeps an absolute deadline on
// its own clock: the host's monotonic clock, or a process's or thread's CPU time (ITIMER_VIRTUAL,
// ITIMER_PROF, timer_create on a CPU-time clock). The kernel asks the queue for the nearest
// host-clock deadline when it waits in the host, and expires the due timers of either kind at
// the end of every slice (while one is armed, slices are budgeted). Like an outside signal, an
// expiry comes from host time: where in the guest's execution it lands is an input a recording
// must hold.
import type { ThreadGroup } from './task.js';
import { SI_KERNEL, type Siginfo } from './ptrace.js';
import { SIG } from '../abi/signals.js';

/** si_code of a POSIX timer's signal. */
export const SI_TIMER = -2;

/**
 * Whether a signal is one a timer sent: a POSIX timer's (SI_TIMER) or an interval timer's
 * (SIGALRM, SIGVTALRM, SIGPROF from the kernel). Replay arms no timers and sends these from
 * the recording instead.
 */
export function sentByTimer(info: Siginfo): boolean {
  if (info.code === SI_TIMER) return true;
  return info.code === SI_KERNEL && (info.signo === SIG.SIGALRM || info.signo === SIG.SIGVTALRM || info.signo === SIG.SIGPROF);
}

/** What a timer counts: ns on some clock that only moves forward. */
export type TimerClock = () => bigint;

/** The host's monotonic clock: host time, for ITIMER_REAL and the wall-clock POSIX timers. */
export const hostClock: TimerClock = () => process.hrtime.bigint();

export class GuestTimer {
  /** When it next expires (host monotonic ns), or undefined while disarmed. */
  deadline: bigint | undefined;
  /** The period after each expiry (0: one-shot). */
  interval = 0n;
  /** Expiries that came while the previous signal was still pending (timer_getoverrun). */
  overrun = 0;

  constructor(
    readonly group: ThreadGroup,
    /** Sends the expiry's signal; false when the previous one is still pending. */
    readonly fire: (timer: GuestTimer) => boolean,
    readonly clock: TimerClock = hostClock,
  ) {}

  /** Arms it `valueNs` from `now` (0: disarms) with `intervalNs` as its period. */
  arm(valueNs: bigint, intervalNs: bigint, now = this.clock()): void {
    this.deadline = valueNs === 0n ? undefined : now + valueNs;
    this.interval = intervalNs;
    this.overrun = 0;
  }

  /** Fires it if `now` is past its deadline; a periodic one is rearmed past `now`. */
  expireAt(now: bigint): void {
    if (this.deadline === undefined || this.deadline > now) return;
    const missed = this.interval > 0n ? (now - this.deadline) / this.interval : 0n;
    if (this.fire(this)) this.overrun = Number(missed);
    else this.overrun += 1 + Number(missed);
    this.deadline = this.interval > 0n ? this.deadline + (missed + 1n) * this.interval : undefined;
  }

  /** Time left before it expires (0: disarmed); an overdue timer shows 1 µs, as Linux's does. */
  left(now = this.clock()): bigint {
    if (this.deadline === undefined) return 0n;
    const l = this.deadline - now;
    return l > 0n ? l : 1000n;
  }
}

/** Every armed timer of every process. */
export class TimerQueue {
  private readonly timers = new Set<GuestTimer>();

  /** Starts watching a timer (armed or not: its deadline is read at each look). */
  add(timer: GuestTimer): void {
    this.timers.add(timer);
  }

  remove(timer: GuestTimer): void {
    this.timers.delete(timer);
  }

  /** Forgets every timer of a process that ended. */
  removeGroup(group: ThreadGroup): void {
    for (const t of this.timers) if (t.group === group) this.timers.delete(t);
  }

  /** Whether any timer is armed (the running task's slice must then be budgeted). */
  anyArmed(): boolean {
    if (this.timers.size === 0) return false; // (the common case, without an iterator)
    for (const t of this.timers) if (t.deadline !== undefined) return true;
    return false;
  }

  /** The nearest deadline on the host's clock (CPU-time timers only advance while a task runs). */
  nearest(): bigint | undefined {
    let d: bigint | undefined;
    for (const t of this.timers) {
      if (t.clock === hostClock && t.deadline !== undefined && (d === undefined || t.deadline < d)) d = t.deadline;
    }
    return d;
  }

  /** Fires the timers that are due, in the order they were armed; periodic ones go on. */
  expire(now = hostClock()): void {
    for (const t of this.timers) if (t.deadline !== undefined) t.expireAt(t.clock === hostClock ? now : t.clock());
  }
}

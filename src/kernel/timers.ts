// Timers that send a process a signal when they expire: the interval timers of setitimer and
// alarm (ITIMER_REAL) and the POSIX timers of timer_create. Each keeps an absolute deadline on
// the host's monotonic clock; the kernel asks for the nearest one when it waits in the host,
// and expires the due ones at the end of every slice. Like an outside signal, an expiry comes
// from host time: where in the guest's execution it lands is an input a recording must hold.
import type { ThreadGroup } from './task.js';

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
  ) {}

  /** Arms it `valueNs` from `now` (0: disarms) with `intervalNs` as its period. */
  arm(valueNs: bigint, intervalNs: bigint, now: bigint): void {
    this.deadline = valueNs === 0n ? undefined : now + valueNs;
    this.interval = intervalNs;
    this.overrun = 0;
  }

  /** Time left before it expires (0: disarmed); an overdue timer shows 1 µs, as Linux's does. */
  left(now: bigint): bigint {
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
    for (const t of this.timers) if (t.deadline !== undefined) return true;
    return false;
  }

  nearest(): bigint | undefined {
    let d: bigint | undefined;
    for (const t of this.timers) if (t.deadline !== undefined && (d === undefined || t.deadline < d)) d = t.deadline;
    return d;
  }

  /** Fires the timers that are due, in the order they were armed; periodic ones go on. */
  expire(now = process.hrtime.bigint()): void {
    for (const t of this.timers) {
      if (t.deadline === undefined || t.deadline > now) continue;
      const missed = t.interval > 0n ? (now - t.deadline) / t.interval : 0n;
      if (t.fire(t)) t.overrun = Number(missed);
      else t.overrun += 1 + Number(missed);
      t.deadline = t.interval > 0n ? t.deadline + (missed + 1n) * t.interval : undefined;
    }
  }
}

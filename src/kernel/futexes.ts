// Futex wait queues. A waiter is keyed by its address space and address, or, in a shared file
// mapping, by the file and offset, so processes that share the memory meet on one queue.
// Wakes take waiters in the order they queued (Linux gives no order; FIFO is deterministic).
import type { AddressSpace } from './memory/address-space.js';
import type { Task } from './task.js';
import type { Kernel } from './kernel.js';

interface Waiter {
  readonly task: Task;
  readonly bitset: number;
  /** Set by a wake: the wait returns 0. */
  woken: boolean;
  key: string;
}

/** Address spaces get a number for keys (WeakMap: a released space leaves no entry behind). */
const spaceIds = new WeakMap<AddressSpace, number>();
let nextSpaceId = 1;

export class Futexes {
  private readonly queues = new Map<string, Waiter[]>();

  constructor(private readonly kernel: Kernel) {}

  /** The queue key of a futex word. */
  key(mm: AddressSpace, addr: bigint): string {
    const v = mm.find(addr);
    if (v !== undefined && v.shared && v.backing.kind === 'file') {
      return `f${v.backing.file.dev}:${v.backing.file.ino}:${v.backing.offset + (addr - v.start)}`;
    }
    let id = spaceIds.get(mm);
    if (id === undefined) spaceIds.set(mm, (id = nextSpaceId++));
    return `m${id}:${addr}`;
  }

  /** Queues a waiter; the caller parks the task. */
  enqueue(task: Task, mm: AddressSpace, addr: bigint, bitset: number): Waiter {
    const key = this.key(mm, addr);
    const w: Waiter = { task, bitset, woken: false, key };
    let q = this.queues.get(key);
    if (q === undefined) this.queues.set(key, (q = []));
    q.push(w);
    return w;
  }

  /** Takes a waiter off its queue (a timeout or a signal ended its wait). */
  dequeue(w: Waiter): void {
    const q = this.queues.get(w.key);
    if (q === undefined) return;
    const i = q.indexOf(w);
    if (i >= 0) q.splice(i, 1);
    if (q.length === 0) this.queues.delete(w.key);
  }

  /** Wakes up to `count` waiters on the word whose bitset meets `bitset`; how many woke. */
  wake(mm: AddressSpace, addr: bigint, count: number, bitset: number): number {
    const key = this.key(mm, addr);
    const q = this.queues.get(key);
    if (q === undefined) return 0;
    let n = 0;
    for (let i = 0; i < q.length && n < count; ) {
      const w = q[i]!;
      if ((w.bitset & bitset) === 0) {
        i++;
        continue;
      }
      q.splice(i, 1);
      w.woken = true;
      this.kernel.scheduler.wake(w.task, 'event');
      n++;
    }
    if (q.length === 0) this.queues.delete(key);
    return n;
  }

  /** Wakes up to `wakeCount` waiters, then moves up to `moveCount` of the rest to `addr2`'s queue. */
  requeue(mm: AddressSpace, addr: bigint, addr2: bigint, wakeCount: number, moveCount: number): number {
    const woken = this.wake(mm, addr, wakeCount, 0xffffffff);
    const from = this.key(mm, addr);
    const to = this.key(mm, addr2);
    const q = this.queues.get(from);
    if (q === undefined || from === to) return woken;
    const moved = q.splice(0, moveCount);
    if (q.length === 0) this.queues.delete(from);
    if (moved.length === 0) return woken;
    let dst = this.queues.get(to);
    if (dst === undefined) this.queues.set(to, (dst = []));
    for (const w of moved) {
      w.key = to;
      dst.push(w);
    }
    return woken + moved.length;
  }
}

export type { Waiter as FutexWaiter };

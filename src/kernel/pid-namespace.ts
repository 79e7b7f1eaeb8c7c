// PID namespaces: a namespace is its parent and a map. The kernel names every task by its id
// in the root namespace (the "global" id: what tstrace's own strace sees, and what every table
// of the kernel is keyed by); a task created in a nested namespace also gets an id there and in
// each namespace between that one and the root, numbered from 1 (the first is the namespace's
// init). Calls translate between the caller's namespace and the global ids: a pid given by the
// guest is looked up in the caller's namespace, a pid returned to it is the id it has there,
// 0 when the caller's namespace cannot see it (as Linux's pid_nr_ns gives).
import type { ThreadGroup } from './task.js';

/** The inode numbers /proc/PID/ns/pid shows (Linux's first pid namespace is 0xEFFFFFFC). */
let nextInode = 0xeffffffc;

export class PidNamespace {
  /** 0 for the root, one more per nesting. */
  readonly level: number;
  /** The namespace's inode number: `pid:[N]` in /proc/PID/ns/pid. */
  readonly inode = nextInode--;
  /** Global id → id here (nested namespaces only). */
  private readonly local = new Map<number, number>();
  /** Id here → global id. */
  private readonly global = new Map<number, number>();
  private next = 1;
  /** The namespace's first process (its pid 1): orphans are reparented to it; its end ends the namespace. */
  init: ThreadGroup | undefined;
  /** Set when its init ended: no process can be created in it any more (fork gives ENOMEM). */
  dead = false;

  constructor(readonly parent: PidNamespace | undefined) {
    this.level = parent === undefined ? 0 : parent.level + 1;
  }

  get isRoot(): boolean {
    return this.parent === undefined;
  }

  /** Gives the task with `globalId` an id here and in every ancestor below the root. */
  enter(globalId: number): void {
    for (let ns: PidNamespace = this; ns.parent !== undefined; ns = ns.parent) {
      const id = ns.next++;
      ns.local.set(globalId, id);
      ns.global.set(id, globalId);
    }
  }

  /** The id the task with `globalId` has here: 0 when it is not in this namespace or below. */
  idOf(globalId: number): number {
    if (this.parent === undefined) return globalId;
    return this.local.get(globalId) ?? 0;
  }

  /** The global id of the task this namespace calls `id`, if there is one. */
  globalOf(id: number): number | undefined {
    if (this.parent === undefined) return id;
    return this.global.get(id);
  }

  /** Whether `ns` is this namespace or one nested in it (its tasks are visible from here). */
  contains(ns: PidNamespace): boolean {
    for (let n: PidNamespace | undefined = ns; n !== undefined; n = n.parent) if (n === this) return true;
    return false;
  }

  /** The ids of `globalId` from the root's down to this namespace's (/proc/PID/status's NSpid line). */
  chain(globalId: number): number[] {
    const ids: number[] = [];
    for (let ns: PidNamespace | undefined = this; ns !== undefined; ns = ns.parent) ids.push(ns.idOf(globalId));
    return ids.reverse();
  }
}

// Task identity by position in the process tree, not by pid.
//
// Two runs of one program get different pids, but the same tree: the first task, its children
// in the order it created them, theirs, and so on. A task's path names that position: "1" is
// the first root, "1.2" the second task "1" created (fork, vfork, clone or clone3, threads
// included), "1.2.1" the first task that one created. Runs pair their tasks by path.

export interface Task {
  /** Creation order in this log, from 0. */
  readonly id: number;
  /** The pid/tid; null for a log's unprefixed first task whose pid never showed. */
  pid: number | null;
  parent: Task | null;
  readonly children: Task[];
  /** The task exited (or was killed); a later line with its pid is a new task (pid reuse). */
  dead: boolean;
  path: string;
}

export class TaskTable {
  readonly tasks: Task[] = [];
  private readonly byPid = new Map<number, Task>();
  private anonymous: Task | null = null;

  /** The task that lines with this pid belong to now, created on first sight. */
  taskFor(pid: number | null): Task {
    if (pid === null) {
      if (this.anonymous === null) this.anonymous = this.create(null);
      return this.anonymous;
    }
    const t = this.byPid.get(pid);
    if (t !== undefined && !t.dead) return t;
    const fresh = this.create(pid);
    this.byPid.set(pid, fresh);
    return fresh;
  }

  /** The current task of a pid, if the log has shown one. */
  lookup(pid: number): Task | undefined {
    return this.byPid.get(pid);
  }

  /** The log's unprefixed first task turns out to be `pid`. */
  bindAnonymous(pid: number): void {
    if (this.anonymous === null) return;
    this.anonymous.pid = pid;
    this.byPid.set(pid, this.anonymous);
  }

  /** A fork-like call of `parent` returned `childPid`. */
  noteChild(parent: Task, childPid: number): void {
    let child = this.byPid.get(childPid);
    // A task already seen without a parent is this child whose lines came before the return
    // (or a -ff file read earlier); one with a parent is an old task whose pid was reused.
    if (child === undefined || child.parent !== null || isAncestorOrSelf(child, parent)) {
      child = this.create(childPid);
      this.byPid.set(childPid, child);
    }
    child.parent = parent;
    parent.children.push(child);
  }

  exited(task: Task): void {
    task.dead = true;
  }

  /** Gives every task its path. Call once the whole log is read. Returns tasks ordered by path. */
  assignPaths(): Task[] {
    const ordered: Task[] = [];
    const visit = (t: Task, path: string): void => {
      t.path = path;
      ordered.push(t);
      t.children.forEach((c, i) => visit(c, `${path}.${i + 1}`));
    };
    let root = 0;
    for (const t of this.tasks) {
      if (t.parent === null) visit(t, String(++root));
    }
    return ordered;
  }

  private create(pid: number | null): Task {
    const t: Task = { id: this.tasks.length, pid, parent: null, children: [], dead: false, path: '' };
    this.tasks.push(t);
    return t;
  }
}

function isAncestorOrSelf(candidate: Task, of: Task): boolean {
  for (let t: Task | null = of; t !== null; t = t.parent) if (t === candidate) return true;
  return false;
}

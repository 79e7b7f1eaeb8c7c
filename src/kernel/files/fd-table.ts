// A process's descriptor table: guest descriptor numbers → open file descriptions, each with
// its own close-on-exec flag.
import type { OpenFile } from './open-file.js';

export interface FdEntry {
  readonly file: OpenFile;
  cloexec: boolean;
}

export class FdTable {
  private readonly entries = new Map<number, FdEntry>();
  /** RLIMIT_NOFILE's soft limit: descriptors are below it. */
  limit = 1024;

  get(fd: number): FdEntry | undefined {
    return this.entries.get(fd);
  }

  /** The lowest free descriptor ≥ min, or -1 when the table is full. */
  lowestFree(min = 0): number {
    for (let fd = min; fd < this.limit; fd++) if (!this.entries.has(fd)) return fd;
    return -1;
  }

  /** Installs file at the lowest free descriptor ≥ min; -1 when full (the caller keeps its reference). */
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    const fd = this.lowestFree(min);
    if (fd >= 0) this.entries.set(fd, { file, cloexec });
    return fd;
  }

  /** Puts file at exactly fd, closing what was there. */
  installAt(fd: number, file: OpenFile, cloexec: boolean): void {
    this.entries.get(fd)?.file.release();
    this.entries.set(fd, { file, cloexec });
  }

  close(fd: number): boolean {
    const e = this.entries.get(fd);
    if (e === undefined) return false;
    this.entries.delete(fd);
    e.file.release();
    return true;
  }

  /** Descriptors in use, ascending. */
  descriptors(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  /** A copy sharing every description (fork). */
  clone(): FdTable {
    const t = new FdTable();
    t.limit = this.limit;
    for (const [fd, e] of this.entries) t.entries.set(fd, { file: e.file.retain(), cloexec: e.cloexec });
    return t;
  }

  closeOnExec(): void {
    for (const [fd, e] of this.entries) if (e.cloexec) this.close(fd);
  }

  closeAll(): void {
    for (const fd of [...this.entries.keys()]) this.close(fd);
  }
}

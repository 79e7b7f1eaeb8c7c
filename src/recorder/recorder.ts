// Writes a run's syscalls and every byte the kernel wrote into guest memory to SQLite, in
// batched transactions. The kernel's two observation points feed it: Kernel.onSyscallExit
// and AddressSpace.writeObserver. (The `tstrace record` command arrives with the recording
// issue; this is the writer it will use.)
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { RecordingMeta } from '../../schemas/recording.js';

const require = createRequire(import.meta.url);

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE syscalls (seq INTEGER PRIMARY KEY, tid INTEGER NOT NULL, nr INTEGER NOT NULL,
                       name TEXT NOT NULL, args TEXT NOT NULL, ret TEXT NOT NULL);
CREATE TABLE memory_writes (seq INTEGER NOT NULL, addr TEXT NOT NULL, data BLOB NOT NULL);
CREATE INDEX memory_writes_seq ON memory_writes(seq);
`;

const BATCH = 4096;

export class Recorder {
  private readonly db: BetterSqlite3.Database;
  private readonly insertSyscall: BetterSqlite3.Statement;
  private readonly insertWrite: BetterSqlite3.Statement;
  private pending: (() => void)[] = [];
  private seq = 0;

  constructor(path: string, meta: RecordingMeta) {
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (const [k, v] of Object.entries(meta)) put.run(k, String(v));
    this.insertSyscall = this.db.prepare('INSERT INTO syscalls (seq, tid, nr, name, args, ret) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertWrite = this.db.prepare('INSERT INTO memory_writes (seq, addr, data) VALUES (?, ?, ?)');
  }

  /** A memory write by the kernel, attributed to the syscall in progress. */
  memoryWrite(addr: bigint, data: Uint8Array): void {
    const seq = this.seq;
    const copy = Buffer.from(data);
    this.queue(() => this.insertWrite.run(seq, `0x${addr.toString(16)}`, copy));
  }

  /** A completed syscall; later memory writes belong to the next one. */
  syscall(tid: number, nr: number, name: string, args: readonly bigint[], ret: bigint): void {
    const seq = this.seq++;
    const argText = args.map((a) => `0x${BigInt.asUintN(64, a).toString(16)}`).join(',');
    this.queue(() => this.insertSyscall.run(seq, tid, nr, name, argText, ret.toString()));
  }

  private queue(row: () => void): void {
    this.pending.push(row);
    if (this.pending.length >= BATCH) this.flush();
  }

  flush(): void {
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => rows.forEach((r) => r()))();
  }

  /** Writes what is pending and closes the file; safe to call twice. */
  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }
}

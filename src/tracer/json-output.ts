// --json FILE: every stop tstrace reacts to as one line of JSON (schemas/trace-json.ts), next
// to the ordinary trace. Written in large chunks, flushed at the end.
import { openSync, writeSync, closeSync } from 'node:fs';
import type { TraceStop } from '../../schemas/trace-json.js';
import { OutputOpenError } from './output.js';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

const FLUSH_BYTES = 1 << 16;

export class JsonStops {
  private readonly fd: number;
  private seq = 0;
  private pending = '';

  constructor(path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new OutputOpenError(`can't open '${path}': ${err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message}`);
    }
  }

  write(stop: WithoutSeq<TraceStop>): void {
    this.pending += JSON.stringify({ seq: ++this.seq, ...stop }) + '\n';
    if (this.pending.length >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    const b = Buffer.from(this.pending, 'utf8');
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off);
    this.pending = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

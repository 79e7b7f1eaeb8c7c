// Where trace lines go, in strace's layout: optional pid prefix and timestamp, "= " aligned at
// column 40, -T durations. Output to a file is buffered; to stderr it is written per line so
// it interleaves with the guest's own output as strace's does.
import { writeSync, openSync, closeSync } from 'node:fs';
import { isPipe } from './options.js';
import { absoluteStamp, relativeStamp, seconds, WallClock, type TimestampStyle } from './timestamps.js';
import { openOutputPipe } from './output-pipe.js';
import { visibleLength } from './colors.js';

const DEFAULT_COLUMN = 40;
const FLUSH_BYTES = 1 << 16;
/** PADS[n]: the spaces that take a line of n characters to the result column, then "= ". */
const PADS: readonly string[] = Array.from({ length: DEFAULT_COLUMN }, (_, n) => ' '.repeat(DEFAULT_COLUMN - n) + '= ');

/** How a trace output is laid out and opened, beyond its path. */
export interface OutputLayout {
  /** -a: the result column (default 40). */
  readonly columns?: number;
  /** -A: append to the file instead of truncating it. */
  readonly append?: boolean;
  /** -r's digits after the second (6 unless given). */
  readonly relativeDigits?: number;
  /** -T's digits after the second (6 unless given). */
  readonly durationDigits?: number;
}

/** The trace's output file cannot be opened (a bad -o). */
export class OutputOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputOpenError';
  }
}

export class TraceOutput {
  /** File output is gathered here and written in large chunks. */
  private readonly buffer = Buffer.allocUnsafe(2 * FLUSH_BYTES);
  private pending = '';
  private lastTime: bigint | undefined;
  /** Characters `begin` wrote on the current, unfinished line. */
  private column = 0;
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private readonly buffered: boolean;
  /** Whether lines carry a timestamp or a -r delta. */
  readonly stamped: boolean;

  private readonly columns: number;
  private readonly relativeDigits: number;
  private readonly durationDigits: number;
  private readonly clock = new WallClock();
  /** What a write error names (the -o path). */
  private readonly name: string;
  /** A write failed (a full disk, a closed pipe): warned once, the rest of the trace is dropped. */
  private failed = false;

  constructor(
    path: string | undefined,
    private readonly timestamps: TimestampStyle,
    private readonly relative: boolean,
    layout: OutputLayout = {},
  ) {
    this.stamped = timestamps.format !== 'none' || relative;
    this.columns = layout.columns ?? DEFAULT_COLUMN;
    this.relativeDigits = layout.relativeDigits ?? 6;
    this.durationDigits = layout.durationDigits ?? 6;
    this.name = path ?? 'stderr';
    if (path === undefined) {
      this.fd = 2;
      this.ownsFd = false;
      this.buffered = false;
    } else if (isPipe(path)) {
      this.fd = openOutputPipe(path.slice(1)).fd;
      this.ownsFd = true;
      this.buffered = true;
    } else {
      try {
        this.fd = openSync(path, layout.append === true ? 'a' : 'w');
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const why = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message;
        throw new OutputOpenError(`can't open '${path}': ${why}`);
      }
      this.ownsFd = true;
      this.buffered = true;
    }
  }

  /**
   * The prefix strace puts before a line: timestamp (or -r delta), '' without -t/-r. A syscall
   * line takes it at the call's entry, so a slow call's time shows on its own line.
   */
  stamp(): string {
    if (!this.stamped) return '';
    const now = process.hrtime.bigint();
    const absolute = absoluteStamp(this.timestamps, this.clock.at(now));
    if (!this.relative) return absolute;
    const prev = this.lastTime ?? now;
    this.lastTime = now;
    return absolute + relativeStamp(now - prev, this.relativeDigits, absolute !== '');
  }

  /** A complete syscall line: `name(args)` padded, `= ret`, optional ` <secs>`. */
  syscall(prefix: string, call: string, ret: string, duration?: bigint, stamp?: string): void {
    const line = this.stamped ? prefix + (stamp ?? this.stamp()) + call : prefix + call;
    this.write(line + resultTail(visibleLength(line), ret, duration, this.columns, this.durationDigits));
  }

  /**
   * The first half of a syscall line (`name(args`), without a newline; `end` writes the rest,
   * or `unfinished` ends it when another task's line must come first.
   */
  begin(prefix: string, text: string): void {
    const head = (this.stamped ? prefix + this.stamp() : prefix) + text;
    this.column = visibleLength(head);
    this.emit(head);
  }

  /** The rest of a line `begin` started: padded to the result column as if it were whole. */
  end(rest: string, ret: string, duration?: bigint): void {
    const tail = rest + resultTail(this.column + visibleLength(rest), ret, duration, this.columns, this.durationDigits);
    this.column = 0;
    this.emit(tail + '\n');
  }

  /** Ends a begun line with `text` as it is (` <detached ...>`). */
  endRaw(text: string): void {
    this.column = 0;
    this.emit(text + '\n');
  }

  /** Ends a begun line that another task interrupts: strace's ` <unfinished ...>`. */
  unfinished(): void {
    this.column = 0;
    this.emit(' <unfinished ...>\n');
  }

  private emit(text: string): void {
    if (!this.buffered) {
      this.writeAll(Buffer.from(text, 'latin1'));
      return;
    }
    this.pending += text;
    if (this.pending.length >= FLUSH_BYTES) this.flush();
  }

  /** Text printed as is, already split into lines (hex dumps, stack traces). */
  raw(text: string): void {
    if (text !== '') this.emit(text);
  }

  /** A line printed as is after the prefix (signals, exits, unfinished halves). */
  plain(prefix: string, text: string): void {
    this.write(prefix + this.stamp() + text);
  }

  private write(line: string): void {
    if (!this.buffered) {
      this.writeAll(Buffer.from(line + '\n', 'latin1'));
      return;
    }
    // Appending to one string is cheap in V8 (a rope); it is flattened once per flush.
    this.pending += line + '\n';
    if (this.pending.length >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const n = this.buffer.length >= this.pending.length ? this.buffer.write(this.pending, 0, 'latin1') : -1;
    if (n >= 0) this.writeAll(this.buffer.subarray(0, n));
    else this.writeAll(Buffer.from(this.pending, 'latin1'));
    this.pending = '';
  }

  /**
   * Writes all of `buf`. A write that fails is warned about once, as strace warns (the program
   * runs on and tstrace still exits with its status), and the trace is not written further.
   */
  private writeAll(buf: Uint8Array): void {
    if (this.failed) return;
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EAGAIN') continue;
        this.failed = true;
        const why = (err.message.split(',')[0] ?? '').replace(/^E[A-Z]+: /, '');
        process.stderr.write(`tstrace: ${this.name}: ${why.charAt(0).toUpperCase()}${why.slice(1)}\n`);
        return;
      }
    }
  }

  close(): void {
    this.flush();
    if (this.ownsFd) closeSync(this.fd);
  }
}

/** What follows a call of `length` characters: padding to the result column, `= ret`, ` <secs>`. */
export function resultTail(length: number, ret: string, duration: bigint | undefined, columns: number = DEFAULT_COLUMN, durationDigits = 6): string {
  const pad = columns === DEFAULT_COLUMN ? PADS[length] : length < columns ? ' '.repeat(columns - length) + '= ' : undefined;
  const tail = (pad ?? ' = ') + ret;
  return duration === undefined ? tail : `${tail} <${seconds(duration, durationDigits)}>`;
}

/** A duration as strace prints -T's: seconds with six decimals. */
export function formatSeconds(ns: bigint): string {
  return seconds(ns, 6);
}

// A recording's stops as strace text again: the stored lines, filtered by strace's -e
// expressions, with the pid prefixes, timestamps and -T durations the options ask for.
import { TraceFilter } from '../tracer/filter.js';
import { SyscallSummary } from '../tracer/summary.js';
import { absoluteStamp, relativeStamp, seconds } from '../tracer/timestamps.js';
import type { TraceOptions } from '../tracer/options.js';
import type { StopRow } from '../../schemas/recording.js';
import type { RecordingReader } from './reader.js';

const CALL_NAME = /^([A-Za-z_0-9]+)\(/;

export class StopRenderer {
  private readonly filter: TraceFilter;
  private readonly live = new Set<number>();
  private readonly entryNs = new Map<number, bigint>();
  private lastNs: bigint | undefined;
  private readonly startMs: number;
  readonly summary: SyscallSummary | undefined;
  /** Whether calls' durations are shown (-T) or counted (-c): entries' times are kept. */
  private readonly timed: boolean;

  constructor(private readonly options: TraceOptions, reader: RecordingReader, private readonly write: (line: string) => void) {
    this.filter = new TraceFilter(options.expressions);
    this.startMs = Date.parse(reader.run.started_at);
    this.summary = options.summary === 'none' ? undefined : new SyscallSummary();
    this.timed = this.summary !== undefined || options.syscallTimes;
  }

  private prefix(tid: number): string {
    if (this.options.followForks && this.options.output !== undefined) return `${String(tid).padEnd(5)} `;
    return this.live.size > 1 ? `[pid ${String(tid).padStart(5)}] ` : '';
  }

  private stamp(ns: bigint): string {
    const o = this.options;
    const absolute = absoluteStamp(o.timestamps, BigInt(this.startMs) * 1_000_000n + ns);
    if (!o.relative) return absolute;
    const prev = this.lastNs ?? ns;
    this.lastNs = ns;
    return absolute + relativeStamp(ns - prev, o.relativeDigits, absolute !== '');
  }

  /** One stop: its lines, if the filters show them. */
  stop(s: StopRow): void {
    if (!this.live.has(s.tid) && s.kind !== 'exit') this.live.add(s.tid);
    if (s.kind === 'syscall-entry') {
      if (this.timed) this.entryNs.set(s.tid, s.wall_ns);
      return;
    }
    const printing = this.options.summary !== 'only';
    if (s.kind === 'syscall-exit' && this.summary !== undefined && s.name !== null) {
      const started = this.entryNs.get(s.tid) ?? s.wall_ns;
      this.summary.count(s.name, s.nr ?? -1, s.result ?? 0n, s.wall_ns - started);
    }
    if (s.kind === 'event' && s.name === 'exec' && s.line !== null) this.summary?.count('execve', -1, 0n, 0n);
    if (s.line !== null && printing) {
      for (const line of s.line.split('\n')) this.line(s, line);
    }
    if (s.kind === 'exit') this.live.delete(s.tid);
  }

  private line(s: StopRow, line: string): void {
    const f = this.filter;
    const o = this.options;
    let tail = '';
    if (line.startsWith('+++ ')) {
      if (line.startsWith('+++ exited') ? o.quiet >= 2 : s.signo !== null && !f.showsSignal(s.signo)) return;
    } else if (line.startsWith('--- ')) {
      if (s.signo !== null && !f.showsSignal(s.signo)) return;
    } else {
      const name = CALL_NAME.exec(line)?.[1];
      if (name === undefined || !f.traces(name)) return;
      const unfinished = / = \?$/.test(line) && s.kind !== 'syscall-exit';
      const result = s.result ?? 0n;
      const status = unfinished ? 'unfinished' : s.kind === 'syscall-exit' && result < 0n && result >= -4095n ? 'failed' : 'successful';
      if (!f.showsStatus(status)) return;
      if (o.syscallTimes && s.kind === 'syscall-exit') tail = ` <${seconds(s.wall_ns - (this.entryNs.get(s.tid) ?? s.wall_ns), o.syscallTimesDigits)}>`;
    }
    this.write(this.prefix(s.tid) + (o.timestamps.format === 'none' && !o.relative ? '' : this.stamp(s.wall_ns)) + line + tail);
  }
}

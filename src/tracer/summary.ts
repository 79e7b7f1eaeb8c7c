// strace -c / -C: per-syscall counts, errors and time, printed as strace's table; -S picks
// the order, -U the columns, -O subtracts a per-call overhead.

interface Row {
  nr: number;
  calls: number;
  errors: number;
  ns: bigint;
  min: bigint;
  max: bigint;
}

type Column = 'time-percent' | 'total-time' | 'min-time' | 'max-time' | 'avg-time' | 'calls' | 'errors' | 'name';

const COLUMN_ALIASES: Readonly<Record<string, Column>> = {
  'time-percent': 'time-percent', percent: 'time-percent',
  'total-time': 'total-time', 'time-total': 'total-time',
  'min-time': 'min-time', 'time-min': 'min-time', shortest: 'min-time',
  'max-time': 'max-time', 'time-max': 'max-time', longest: 'max-time',
  'avg-time': 'avg-time', 'time-avg': 'avg-time',
  calls: 'calls', count: 'calls',
  errors: 'errors', error: 'errors',
  name: 'name', syscall: 'name', 'syscall-name': 'name',
};

type SortKey = 'time' | 'min-time' | 'max-time' | 'avg-time' | 'calls' | 'errors' | 'name' | 'nothing';
const SORT_ALIASES: Readonly<Record<string, SortKey>> = {
  time: 'time', 'time-total': 'time', 'total-time': 'time',
  'min-time': 'min-time', shortest: 'min-time', 'time-min': 'min-time',
  'max-time': 'max-time', longest: 'max-time', 'time-max': 'max-time',
  'avg-time': 'avg-time', 'time-avg': 'avg-time',
  calls: 'calls', count: 'calls', errors: 'errors', error: 'errors',
  name: 'name', syscall: 'name', 'syscall-name': 'name', nothing: 'nothing', none: 'nothing',
};

/** Header text and width of each column; numbers are right-aligned, the name left. */
const COLUMNS: Readonly<Record<Column, { header: string; width: number }>> = {
  'time-percent': { header: '% time', width: 6 },
  'total-time': { header: 'seconds', width: 11 },
  'min-time': { header: 'shortest', width: 8 },
  'max-time': { header: 'longest', width: 8 },
  'avg-time': { header: 'usecs/call', width: 11 },
  calls: { header: 'calls', width: 9 },
  errors: { header: 'errors', width: 9 },
  name: { header: 'syscall', width: 16 },
};

const DEFAULT_COLUMNS: readonly Column[] = ['time-percent', 'total-time', 'avg-time', 'calls', 'errors', 'name'];

export interface SummaryLayout {
  readonly sortBy?: string;
  readonly columns?: readonly string[];
  /** -O: subtracted from each call's time (not below zero). */
  readonly overheadNs?: bigint;
}

export class SyscallSummary {
  private readonly rows = new Map<string, Row>();
  private readonly sortBy: SortKey;
  private readonly columns: readonly Column[];
  private readonly overhead: bigint;

  constructor(layout: SummaryLayout = {}) {
    this.sortBy = SORT_ALIASES[layout.sortBy ?? 'time'] ?? 'time';
    this.columns = layout.columns === undefined ? DEFAULT_COLUMNS : layout.columns.map((c) => COLUMN_ALIASES[c] ?? 'name');
    this.overhead = layout.overheadNs ?? 0n;
  }

  count(name: string, nr: number, ret: bigint, measured: bigint): void {
    const ns = measured > this.overhead ? measured - this.overhead : 0n;
    let r = this.rows.get(name);
    if (r === undefined) this.rows.set(name, (r = { nr, calls: 0, errors: 0, ns: 0n, min: ns, max: ns }));
    r.calls++;
    if (ret < 0n && ret >= -4095n) r.errors++;
    r.ns += ns;
    if (ns < r.min) r.min = ns;
    if (ns > r.max) r.max = ns;
  }

  render(): string {
    const entries = [...this.rows.entries()].sort((a, b) => a[1].nr - b[1].nr);
    const key = this.sortKey();
    if (key !== undefined) entries.sort((a, b) => key(a[0], a[1], b[0], b[1]));
    const totalNs = entries.reduce((s, [, r]) => s + r.ns, 0n);
    const total: Row = {
      nr: -1,
      calls: entries.reduce((s, [, r]) => s + r.calls, 0),
      errors: entries.reduce((s, [, r]) => s + r.errors, 0),
      ns: totalNs,
      min: entries.reduce((m, [, r]) => (r.min < m ? r.min : m), entries[0]?.[1].min ?? 0n),
      max: entries.reduce((m, [, r]) => (r.max > m ? r.max : m), 0n),
    };
    const cols = this.columns;
    const line = (cells: (c: Column) => string): string =>
      cols.map((c, i) => {
        const text = cells(c);
        const { width } = COLUMNS[c];
        if (c !== 'name') return text.padStart(width);
        return i === cols.length - 1 ? text : text.padEnd(width);
      }).join(' ');
    const rule = cols.map((c) => '-'.repeat(COLUMNS[c].width)).join(' ');
    const lines = [line((c) => COLUMNS[c].header), rule];
    const cell = (name: string, r: Row, pct: string) => (c: Column): string => {
      switch (c) {
        case 'time-percent': return pct;
        case 'total-time': return seconds(r.ns);
        case 'min-time': return seconds(r.min);
        case 'max-time': return seconds(r.max);
        case 'avg-time': return (r.calls === 0 ? 0n : r.ns / 1000n / BigInt(r.calls)).toString();
        case 'calls': return String(r.calls);
        case 'errors': return r.errors === 0 ? '' : String(r.errors);
        case 'name': return name;
      }
    };
    for (const [name, r] of entries) {
      const pct = totalNs === 0n ? '0.00' : (Number((r.ns * 10000n) / totalNs) / 100).toFixed(2);
      lines.push(line(cell(name, r, pct)));
    }
    lines.push(rule);
    lines.push(line(cell('total', total, '100.00')));
    return lines.join('\n') + '\n';
  }

  /** Descending by the key (ascending by name); ties keep syscall-number order. */
  private sortKey(): ((an: string, a: Row, bn: string, b: Row) => number) | undefined {
    const desc = (x: bigint | number, y: bigint | number): number => (x === y ? 0 : x > y ? -1 : 1);
    switch (this.sortBy) {
      case 'time': return (_an, a, _bn, b) => desc(a.ns, b.ns);
      case 'min-time': return (_an, a, _bn, b) => desc(a.min, b.min);
      case 'max-time': return (_an, a, _bn, b) => desc(a.max, b.max);
      case 'avg-time': return (_an, a, _bn, b) => desc(a.ns / BigInt(a.calls), b.ns / BigInt(b.calls));
      case 'calls': return (_an, a, _bn, b) => desc(a.calls, b.calls);
      case 'errors': return (_an, a, _bn, b) => desc(a.errors, b.errors);
      case 'name': return (an, _a, bn) => (an < bn ? -1 : an > bn ? 1 : 0);
      case 'nothing': return undefined;
    }
  }
}

function seconds(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${((ns % 1_000_000_000n) / 1000n).toString().padStart(6, '0')}`;
}

// What the recorder hands to the store (src/recorder/store.ts) in one transaction: the
// syscalls as numbers in typed arrays (transferable to the store's worker thread without a
// copy), and the rarer rows as statements with their values.

/** The numeric columns of a `calls` row, in this order; NaN stands for NULL. */
export const CALL_COLUMNS = ['seq', 'tid', 'call', 'args', 'prev', 'entry_ns', 'entry_blocks', 'exit', 'line_id', 'exit_ns', 'exit_blocks', 'exit_prev'] as const;
export const CALL_WIDTH = CALL_COLUMNS.length;
export const C = Object.fromEntries(CALL_COLUMNS.map((c, i) => [c, i])) as { readonly [K in (typeof CALL_COLUMNS)[number]]: number };

/** Rows other than syscalls, each one statement of the store's (`STATEMENTS` in store.ts). */
export type Op =
  | readonly ['line', number, string]
  | readonly ['name', number, number, string]
  | readonly ['argList', number, string]
  | readonly ['other', OtherStopRow]
  | readonly ['write', number, bigint, Uint8Array]
  | readonly ['path', number, number, string]
  | readonly ['schedule', number, number, bigint | null, bigint | null]
  | readonly ['task', number, number, number | null, number]
  | readonly ['taskEnded', number, string, number | null, number | null, number]
  | readonly ['blob', string, number, Uint8Array]
  | readonly ['image', number, number, string, string, string, bigint | null, Uint8Array | null]
  | readonly ['insn', number, number, number | null, string, bigint, bigint | null]
  | readonly ['outside', number, number, number | null, bigint | null, number, number, number, number]
  | readonly ['outsideDelivered', number, number]
  | readonly ['timerSignal', number, number, bigint, number, string]
  | readonly ['echo', number, number];

/** A row of `other_stops`. */
export interface OtherStopRow {
  readonly seq: number;
  readonly tid: number;
  readonly kind: number;
  readonly nr: number | null;
  readonly name: string | null;
  readonly result: bigint | null;
  readonly signo: number | null;
  readonly lineId: number | null;
  readonly wallNs: number;
  readonly prev: number | null;
  readonly blocks: bigint | null;
  readonly raised: string | null;
}

export interface Batch {
  /** New calls (`count` rows of CALL_WIDTH numbers; a NaN `exit` is a call still in flight). */
  readonly calls: Float64Array;
  readonly results: BigInt64Array;
  readonly count: number;
  /** Calls inserted in flight by an earlier batch, now with their exit (same layout). */
  readonly updates: Float64Array;
  readonly updateResults: BigInt64Array;
  readonly updateCount: number;
  /** `raised` of calls and updates: [row index, JSON]; update i is row -1 - i. */
  readonly raised: readonly (readonly [number, string])[];
  /** Other rows, applied before the calls. */
  readonly ops: readonly Op[];
}

export interface RunEnd {
  readonly how: 'exited' | 'killed';
  readonly code?: number | undefined;
  readonly signal?: number | undefined;
}

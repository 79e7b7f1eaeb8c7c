// Rows of a recording (SQLite, schema in recording-v5.sql), as read back: validated at the
// boundary with zod. Integers that can exceed 2^53 (addresses, raw results) are read as bigint.
// The stops themselves (tables `calls` and `other_stops`) are read on the hot path of show and
// replay without zod (src/recorder/stop-reader.ts checks each value's type); their schemas here
// describe the tables and the `stops` view they are read as.
import { z } from 'zod';

export { SCHEMA_VERSION, RECORDING_FORMAT } from './recording-version.js';

export const ArchSchema = z.enum(['aarch64', 'x86_64', 'riscv64']);

const int = z.number().int();
// Read with better-sqlite3's safeIntegers: every integer arrives as a bigint.
const big = z.bigint();

export const MetaRowSchema = z.object({ key: z.string(), value: z.string() });
export type MetaRow = z.infer<typeof MetaRowSchema>;

export const DecodeOptionsSchema = z.object({
  stringLimit: int,
  verbose: z.boolean(),
  xlat: z.enum(['raw', 'abbrev', 'verbose']),
  decodeFds: z.boolean(),
  /** The trace followed clones and forks (every `record` does; `--record` as -f says). */
  follow: z.boolean().default(true),
});

export const RunRowSchema = z.object({
  argv: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  env: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  cwd: z.string(),
  arch: ArchSchema,
  program: z.string(),
  tstrace_version: z.string(),
  unicorn_version: z.string(),
  started_at: z.string(),
  decode_options: z.string().transform((s) => DecodeOptionsSchema.parse(JSON.parse(s))),
  ended_how: z.enum(['exited', 'killed']).nullable(),
  exit_code: int.nullable(),
  exit_signal: int.nullable(),
  complete: z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
});
export type RunRow = z.infer<typeof RunRowSchema>;

export const TaskRowSchema = z.object({
  tid: int,
  pid: int,
  parent: int.nullable(),
  start_seq: int,
  end_seq: int.nullable(),
  ended_how: z.enum(['exited', 'killed']).nullable(),
  exit_code: int.nullable(),
  exit_signal: int.nullable(),
});
export type TaskRow = z.infer<typeof TaskRowSchema>;

export const StopKindSchema = z.enum(['syscall-entry', 'syscall-exit', 'signal', 'event', 'exit']);
export type StopKind = z.infer<typeof StopKindSchema>;

/** Stop kinds as integers in the tables (`stop_kinds`), in this order. */
export const STOP_KIND_IDS: readonly StopKind[] = ['syscall-entry', 'syscall-exit', 'signal', 'event', 'exit'];

/** A row of `calls`: one syscall, its entry and (when recorded) its exit; differences as the SQL says. */
export const CallRowSchema = z.object({
  seq: int.nonnegative(),
  tid: int,
  call: int,
  args: int,
  prev: int.nullable(),
  entry_ns: int,
  entry_blocks: int.nullable(),
  exit: int.positive().nullable(),
  result: big.nullable(),
  line_id: int.nullable(),
  exit_ns: int.nullable(),
  exit_blocks: int.nullable(),
  raised: z.string().nullable(),
  exit_prev: int.nullable(),
});
export type CallRow = z.infer<typeof CallRowSchema>;

/** A row of `other_stops`: a signal, event or exit stop, or a syscall exit without its entry. */
export const OtherStopRowSchema = z.object({
  seq: int.nonnegative(),
  tid: int,
  kind: z.number().int().min(1).max(4),
  nr: int.nullable(),
  name: z.string().nullable(),
  result: big.nullable(),
  signo: int.nullable(),
  line_id: int.nullable(),
  wall_ns: int,
  prev: int.nullable(),
  blocks: int.nullable(),
  raised: z.string().nullable(),
});
export type OtherStopRow = z.infer<typeof OtherStopRowSchema>;

/** A row of the `stops` view (calls give two stops each, other_stops one, with the line's text). */
export const StopRowSchema = z.object({
  seq: int.nonnegative(),
  tid: int,
  kind: StopKindSchema,
  nr: int.nullable(),
  name: z.string().nullable(),
  args: z.string().nullable(),
  result: big.nullable(),
  errno: int.nullable(),
  signo: int.nullable(),
  line: z.string().nullable(),
  wall_ns: big,
  prev_seq: int.nullable(),
  blocks: big.nullable(),
  raised: z.string().nullable(),
});
export type StopRow = z.infer<typeof StopRowSchema>;

export const MemoryWriteRowSchema = z.object({
  seq: int.nonnegative(),
  addr: big,
  data: z.instanceof(Uint8Array),
});
export type MemoryWriteRow = z.infer<typeof MemoryWriteRowSchema>;

export const ScheduleRowSchema = z.object({ after_seq: int, tid: int, units: big.nullable(), executed: big.nullable() });
export type ScheduleRow = z.infer<typeof ScheduleRowSchema>;

/** A time-reading instruction's value (table insn_values). */
export const InsnKindSchema = z.enum(['rdtsc', 'rdtscp', 'cntvct']);
export type InsnKind = z.infer<typeof InsnKindSchema>;
export const InsnValueRowSchema = z.object({
  tid: int,
  ordinal: int.nonnegative(),
  after_seq: int.nullable(),
  kind: InsnKindSchema,
  value: big,
  aux: big.nullable(),
});
export type InsnValueRow = z.infer<typeof InsnValueRowSchema>;

export const OutsideSignalRowSchema = z.object({
  ordinal: int.positive(),
  seq: int.nonnegative(),
  tid: int.nullable(),
  executed: big.nullable(),
  signo: int.min(1).max(64),
  pid: int.nonnegative(),
  sender_pid: int,
  sender_uid: int,
  delivered: int.nullable(),
});
export type OutsideSignalRow = z.infer<typeof OutsideSignalRowSchema>;

export const TimerSignalRowSchema = z.object({
  seq: int.nonnegative(),
  tid: int,
  executed: big,
  target: int,
  siginfo: z.string(),
});
export type TimerSignalRow = z.infer<typeof TimerSignalRowSchema>;

export const PathRowSchema = z.object({ seq: int, tid: int, path: z.string() });
export type PathRow = z.infer<typeof PathRowSchema>;

export const BlobRowSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: int, data: z.instanceof(Uint8Array) });
export type BlobRow = z.infer<typeof BlobRowSchema>;

export const ImageRowSchema = z.object({
  seq: int,
  tid: int,
  role: z.enum(['exec', 'interp', 'mmap', 'script']),
  path: z.string(),
  sha256: z.string(),
  addr: big.nullable(),
  at_random: z.instanceof(Uint8Array).nullable(),
});
export type ImageRow = z.infer<typeof ImageRowSchema>;

/** `tstrace query --json`: one object per line, one per syscall (entry and exit joined) or other stop. */
export const QueryRecordSchema = z.object({
  seq: int,
  tid: int,
  kind: StopKindSchema,
  name: z.string().nullable(),
  nr: z.number().int().nullable(),
  args: z.array(z.string()).nullable(),
  result: z.string().nullable(),
  errno: z.string().nullable(),
  failed: z.boolean(),
  line: z.string().nullable(),
  wall_ns: z.string(),
  duration_ns: z.string().nullable(),
});
export type QueryRecord = z.infer<typeof QueryRecordSchema>;

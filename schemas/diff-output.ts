// `tstrace diff --json`: one JSON object per line. In order: a "task" record for every task
// (then, unless --stat, that task's "hunk" records), "stat" records with --stat, and a final
// "summary".
import { z } from 'zod';

export const DiffTaskStatusSchema = z.enum(['equal', 'different', 'only-a', 'only-b']);

export const DiffTaskRecordSchema = z.object({
  type: z.literal('task'),
  /** Position in the process tree: "1", "1.2", … */
  task: z.string(),
  /** The task's pid in each log; null when that log has no such task or never showed its pid. */
  pidA: z.number().int().nullable(),
  pidB: z.number().int().nullable(),
  status: DiffTaskStatusSchema,
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  /** Events compared on each side (after filters). */
  eventsA: z.number().int().nonnegative(),
  eventsB: z.number().int().nonnegative(),
  /** The aligner gave up on this task (too long and too different); its middle is shown as replaced. */
  gaveUp: z.boolean(),
});
export type DiffTaskRecord = z.infer<typeof DiffTaskRecordSchema>;

export const DiffLineSchema = z.object({
  op: z.enum(['equal', 'removed', 'added']),
  /** The normalized line, in strace's format. */
  text: z.string(),
  /** 1-based line in log A (removed, equal) / log B (added, equal). */
  lineA: z.number().int().positive().optional(),
  lineB: z.number().int().positive().optional(),
  /** The file of a -ff set holding that line. */
  fileA: z.string().optional(),
  fileB: z.string().optional(),
});
export type DiffLine = z.infer<typeof DiffLineSchema>;

export const DiffHunkRecordSchema = z.object({
  type: z.literal('hunk'),
  task: z.string(),
  /** 1-based index into the task's event sequence and the number of events, as in a unified diff. */
  aStart: z.number().int().nonnegative(),
  aCount: z.number().int().nonnegative(),
  bStart: z.number().int().nonnegative(),
  bCount: z.number().int().nonnegative(),
  lines: z.array(DiffLineSchema),
});
export type DiffHunkRecord = z.infer<typeof DiffHunkRecordSchema>;

export const DiffStatRecordSchema = z.object({
  type: z.literal('stat'),
  /** A syscall name, a signal name, "exit", or "(unparsed)". */
  name: z.string(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
});
export type DiffStatRecord = z.infer<typeof DiffStatRecordSchema>;

export const DiffSummaryRecordSchema = z.object({
  type: z.literal('summary'),
  equal: z.boolean(),
  a: z.string(),
  b: z.string(),
  tasks: z.number().int().nonnegative(),
  tasksDifferent: z.number().int().nonnegative(),
  tasksOnlyA: z.number().int().nonnegative(),
  tasksOnlyB: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  eventsA: z.number().int().nonnegative(),
  eventsB: z.number().int().nonnegative(),
});
export type DiffSummaryRecord = z.infer<typeof DiffSummaryRecordSchema>;

export const DiffRecordSchema = z.discriminatedUnion('type', [
  DiffTaskRecordSchema,
  DiffHunkRecordSchema,
  DiffStatRecordSchema,
  DiffSummaryRecordSchema,
]);
export type DiffRecord = z.infer<typeof DiffRecordSchema>;

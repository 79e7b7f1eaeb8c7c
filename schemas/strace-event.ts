// The event model of a syscall log: what one strace-format line (or a joined
// `<unfinished ...>` / `<... resumed>` pair) says. Every input kind of `tstrace diff` — native
// strace logs, tstrace's own output, and later SQLite recordings — is turned into these events.
import { z } from 'zod';

/** How a line was timestamped: -t, -tt, -ttt or -r (strace's own flags). */
export const TimestampKindSchema = z.enum(['clock', 'clock-us', 'epoch', 'relative']);
export type TimestampKind = z.infer<typeof TimestampKindSchema>;

const base = {
  /** 1-based line number in its file where the event starts. */
  line: z.number().int().positive(),
  /** Which file of a `-ff` set (0 for a single log). */
  file: z.number().int().nonnegative(),
  /** The process/thread id the line names; null when the log has no prefix and it is not yet known. */
  pid: z.number().int().nullable(),
  /** The timestamp as printed, when the log has one. */
  time: z.string().optional(),
  timeKind: TimestampKindSchema.optional(),
};

export const SyscallEventSchema = z.object({
  ...base,
  kind: z.literal('syscall'),
  name: z.string(),
  /** The argument text between the parentheses, unfinished and resumed halves joined. */
  args: z.string(),
  /** What follows `= `: "3", "-1 ENOENT (No such file or directory)", "?", "0x5581a000"; null if never returned. */
  ret: z.string().nullable(),
  /** The errno name of a failed call (ENOENT), when printed. */
  errno: z.string().optional(),
  /** `-T` duration in seconds. */
  duration: z.number().optional(),
  /** Line of the `<... NAME resumed>` half, for a call that was split. */
  resumedLine: z.number().int().positive().optional(),
  /** The call was left `<unfinished ...>` and never resumed (the task died or the log ends). */
  unfinished: z.boolean().optional(),
});
export type SyscallEvent = z.infer<typeof SyscallEventSchema>;

export const SignalEventSchema = z.object({
  ...base,
  kind: z.literal('signal'),
  /** SIGCHLD, SIGSEGV, … */
  signal: z.string(),
  /** The siginfo text between the braces, or "" (`--- stopped by SIGSTOP ---` has none). */
  info: z.string(),
  /** `--- stopped by SIG ---` rather than a delivery. */
  stopped: z.boolean().optional(),
});
export type SignalEvent = z.infer<typeof SignalEventSchema>;

export const ExitEventSchema = z.object({
  ...base,
  kind: z.literal('exit'),
  how: z.enum(['exited', 'killed', 'superseded']),
  /** Exit status for `exited`. */
  code: z.number().int().optional(),
  /** Signal name for `killed`. */
  signal: z.string().optional(),
  coreDumped: z.boolean().optional(),
});
export type ExitEvent = z.infer<typeof ExitEventSchema>;

export const NoticeEventSchema = z.object({
  ...base,
  kind: z.literal('notice'),
  /** attached/detached: strace's "Process N attached"; summary: a skipped -c table; other: a line strace printed about itself. */
  notice: z.enum(['attached', 'detached', 'summary', 'other']),
  text: z.string(),
});
export type NoticeEvent = z.infer<typeof NoticeEventSchema>;

export const OpaqueEventSchema = z.object({
  ...base,
  kind: z.literal('opaque'),
  /** The line as it was, less its pid prefix and timestamp. */
  text: z.string(),
  /** Why it could not be parsed. */
  reason: z.string(),
});
export type OpaqueEvent = z.infer<typeof OpaqueEventSchema>;

export const StraceEventSchema = z.discriminatedUnion('kind', [
  SyscallEventSchema,
  SignalEventSchema,
  ExitEventSchema,
  NoticeEventSchema,
  OpaqueEventSchema,
]);
export type StraceEvent = z.infer<typeof StraceEventSchema>;

// `tstrace --json FILE`: one JSON object per line, one per ptrace stop tstrace reacts to, in
// the order they happen. `schemas/trace-json.schema.json` is the same schema as JSON Schema
// (generated from this one: `node dist/schemas/trace-json.js --write`).
import { z } from 'zod';

const base = {
  /** Position of the record in the file, from 1. */
  seq: z.number().int().positive(),
  /** The task that stopped. */
  tid: z.number().int(),
};

/** A hex number as text ("0x1f"): 64-bit values do not fit a JSON number. */
const Hex = z.string().regex(/^0x[0-9a-f]+$/);

export const ExecStopSchema = z.object({
  ...base,
  stop: z.literal('exec'),
  /** The program as the first execve was given it. */
  path: z.string(),
  pc: Hex,
});

export const SyscallEntryStopSchema = z.object({
  ...base,
  stop: z.literal('syscall-entry'),
  /** The syscall number in the guest architecture's numbering. */
  nr: z.number().int(),
  name: z.string(),
  /** The six argument registers. */
  args: z.array(Hex).length(6),
  pc: Hex,
  sp: Hex,
});

export const SyscallExitStopSchema = z.object({
  ...base,
  stop: z.literal('syscall-exit'),
  nr: z.number().int(),
  name: z.string(),
  /** The raw return value as a signed decimal (a negative errno on failure). */
  ret: z.string().regex(/^-?\d+$/),
  /** The errno name of a failure. */
  errno: z.string().optional(),
  /** The decoded call as strace prints it (`write(1, "hi\n", 3) = 3`), when -e trace= shows it. */
  text: z.string().optional(),
  /** -e inject changed the result. */
  injected: z.boolean(),
  /** Wall-clock nanoseconds between the entry and exit stops. */
  durationNs: z.number().int().nonnegative(),
});

export const SignalStopSchema = z.object({
  ...base,
  stop: z.literal('signal'),
  signo: z.number().int().positive(),
  /** SIGCHLD, SIGSEGV, ... */
  signal: z.string(),
  /** The siginfo as strace prints it between the braces. */
  info: z.string(),
});

/** A group-stop: the process got a stop signal and stays stopped until SIGCONT or SIGKILL. */
export const GroupStopSchema = z.object({
  ...base,
  stop: z.literal('group-stop'),
  signo: z.number().int().positive(),
  signal: z.string(),
});

export const ExitStopSchema = z.object({
  ...base,
  stop: z.literal('exit'),
  how: z.enum(['exited', 'killed']),
  code: z.number().int().optional(),
  signal: z.string().optional(),
  core: z.boolean().optional(),
});

export const TraceStopSchema = z.discriminatedUnion('stop', [
  ExecStopSchema, SyscallEntryStopSchema, SyscallExitStopSchema, SignalStopSchema, GroupStopSchema, ExitStopSchema,
]);
export type TraceStop = z.infer<typeof TraceStopSchema>;

/** The JSON Schema of one line. */
export function traceStopJsonSchema(): unknown {
  return z.toJSONSchema(TraceStopSchema);
}

// `node dist/schemas/trace-json.js --write` regenerates the JSON file next to this one.
if (process.argv[1]?.endsWith('trace-json.js') && process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const target = fileURLToPath(new URL('../../schemas/trace-json.schema.json', import.meta.url));
  writeFileSync(target, JSON.stringify(traceStopJsonSchema(), null, 2) + '\n');
}

// Rows of a recording (SQLite), as read back: validated at the boundary with zod.
import { z } from 'zod';

export const RecordingMetaSchema = z.object({
  format: z.literal(1),
  arch: z.enum(['aarch64', 'x86_64', 'riscv64']),
  program: z.string(),
  unicorn: z.string(),
});
export type RecordingMeta = z.infer<typeof RecordingMetaSchema>;

export const SyscallRowSchema = z.object({
  seq: z.number().int().nonnegative(),
  tid: z.number().int(),
  nr: z.number().int(),
  name: z.string(),
  args: z.string(), // six hex numbers, comma separated
  ret: z.string(), // decimal, signed
});
export type SyscallRow = z.infer<typeof SyscallRowSchema>;

export const MemoryWriteRowSchema = z.object({
  seq: z.number().int().nonnegative(),
  addr: z.string(),
  data: z.instanceof(Uint8Array),
});
export type MemoryWriteRow = z.infer<typeof MemoryWriteRowSchema>;

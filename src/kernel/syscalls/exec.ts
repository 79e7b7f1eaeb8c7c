// execve: reads the program path, argv and envp from the guest, then the kernel replaces the image.
import { E } from '../../abi/errno.js';
import { readPath, readU64 } from './guest-memory.js';
import { partial, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);
/** Linux's MAX_ARG_STRLEN and, for the whole of argv + envp, a quarter of an 8 MiB stack. */
const MAX_ARG_STRLEN = 128 * 1024;
const MAX_ARGS_BYTES = 2 * 1024 * 1024;

/** A NULL-terminated array of C strings; -errno when unreadable or too large. */
function readStringArray(ctx: SyscallContext, addr: bigint, budget: { left: number }): string[] | bigint {
  const out: string[] = [];
  if (addr === 0n) return out;
  for (let i = 0; ; i++) {
    const p = readU64(ctx.mm, addr + BigInt(i * 8));
    if (p === null) return err(E.EFAULT);
    if (p === 0n) return out;
    const s = ctx.mm.readCString(p, MAX_ARG_STRLEN);
    if (s === null) return err(E.EFAULT);
    if (s === 'too-long') return err(E.E2BIG);
    budget.left -= s.length + 1 + 8;
    if (budget.left < 0) return err(E.E2BIG);
    out.push(Buffer.from(s.buffer, s.byteOffset, s.length).toString('utf8'));
  }
}

function execve(ctx: SyscallContext): bigint {
  const [pathAddr, argvAddr, envpAddr] = ctx.args as [bigint, bigint, bigint];
  const path = readPath(ctx.mm, pathAddr);
  if (typeof path !== 'string') return path;
  if (path === '') return err(E.ENOENT);
  const budget = { left: MAX_ARGS_BYTES };
  const argv = readStringArray(ctx, argvAddr, budget);
  if (typeof argv === 'bigint') return argv;
  const envp = readStringArray(ctx, envpAddr, budget);
  if (typeof envp === 'bigint') return envp;
  const hostPath = path === '/proc/self/exe' ? ctx.proc.exe : ctx.kernel.resolvePath(ctx.proc, path);
  return ctx.kernel.exec(ctx.task, hostPath, path, argv, envp);
}

export const EXEC_SYSCALLS: SyscallTable = {
  execve: partial(execve, 'static and dynamic executables of the same architecture (no #! scripts), in a single-threaded process', { outsideHook: true }),
};

// execve: reads the program path, argv and envp from the guest, then the kernel replaces the image.
import { E } from '../../abi/errno.js';
import { lstatSync } from 'node:fs';
import { readPath, readU64 } from './guest-memory.js';
import { hostDirFd } from './host-abi.js';
import { byReplay, partial, type SyscallContext, type SyscallTable } from './types.js';

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
  return execAt(ctx, AT_FDCWD, pathAddr, argvAddr, envpAddr, 0);
}

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;

/** execveat: a path relative to a directory descriptor, or (AT_EMPTY_PATH) the descriptor's own file. */
function execveat(ctx: SyscallContext): bigint {
  const [dirfd, pathAddr, argvAddr, envpAddr, flags] = ctx.args as [bigint, bigint, bigint, bigint, bigint];
  const f = Number(BigInt.asUintN(32, flags));
  if ((f & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) return err(E.EINVAL);
  return execAt(ctx, Number(BigInt.asIntN(32, dirfd)), pathAddr, argvAddr, envpAddr, f);
}

function execAt(ctx: SyscallContext, dirfd: number, pathAddr: bigint, argvAddr: bigint, envpAddr: bigint, flags: number): bigint {
  const path = readPath(ctx.mm, pathAddr);
  if (typeof path !== 'string') return path;
  if (path === '' && (flags & AT_EMPTY_PATH) === 0) return err(E.ENOENT);
  let hostPath: string | undefined;
  // Linux names such a program /dev/fd/N[/path] (AT_EXECFN, the script path an interpreter gets).
  let execfn = path;
  if (dirfd !== AT_FDCWD && !path.startsWith('/')) {
    const host = hostDirFd(ctx, dirfd);
    if (host < 0) return err(E.EBADF);
    hostPath = path === '' ? `/proc/self/fd/${host}` : `/proc/self/fd/${host}/${path}`;
    execfn = path === '' ? `/dev/fd/${dirfd}` : `/dev/fd/${dirfd}/${path}`;
  }
  if ((flags & AT_SYMLINK_NOFOLLOW) !== 0) {
    const target = hostPath ?? ctx.kernel.resolvePath(ctx.proc, path);
    try {
      if (path !== '' && lstatSync(target).isSymbolicLink()) return err(E.ELOOP);
    } catch {
      // missing: the exec below says ENOENT
    }
  }
  const budget = { left: MAX_ARGS_BYTES };
  const argv = readStringArray(ctx, argvAddr, budget);
  if (typeof argv === 'bigint') return argv;
  const envp = readStringArray(ctx, envpAddr, budget);
  if (typeof envp === 'bigint') return envp;
  hostPath ??= path === '/proc/self/exe' ? ctx.proc.exe : ctx.kernel.resolvePath(ctx.proc, path);
  return ctx.kernel.exec(ctx.task, hostPath, execfn, argv, envp);
}

export const EXEC_SYSCALLS: SyscallTable = byReplay({
  exec: {
    execve: partial(execve, 'static and dynamic ELF executables of any supported architecture, #! scripts; no set-user-ID, no binfmt_misc', { outsideHook: true }),
    execveat: partial(execveat, 'as execve, relative to a directory descriptor or (AT_EMPTY_PATH) of the descriptor itself; AT_SYMLINK_NOFOLLOW', { outsideHook: true }),
  },
});

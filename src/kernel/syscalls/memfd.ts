// memfd_create: an anonymous file, backed by a host memfd of the same name. It is a regular
// file to every other call (read, write, ftruncate, fstat, mmap), and /proc/self/fd shows it
// as Linux does: `/memfd:NAME (deleted)`.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { OpenFile } from '../files/open-file.js';
import { installFile } from './fs.js';
import { scratchCopy, withScratch } from './host-abi.js';
import { byReplay, asUint, full, type SyscallContext, type SyscallTable } from './types.js';

const MFD_CLOEXEC = 0x1;
/** Linux's limit on the name: NAME_MAX less the "memfd:" prefix. */
const MFD_NAME_MAX = 249;

function memfdCreate(ctx: SyscallContext): bigint {
  const [nameAddr, flagsArg] = ctx.args as [bigint, bigint];
  const flags = asUint(flagsArg);
  const name = ctx.mm.readCString(nameAddr, MFD_NAME_MAX + 1);
  if (name === null) return -BigInt(E.EFAULT);
  if (name === 'too-long') return -BigInt(E.EINVAL);
  const withNul = new Uint8Array(name.length + 1);
  withNul.set(name);
  // The host checks the flags (and the hugetlb size bits) as the guest's Linux would.
  const r = hs(HOST.memfd_create, scratchCopy(withNul), BigInt((flags | MFD_CLOEXEC) >>> 0));
  if (r < 0n) return r;
  const label = `/memfd:${Buffer.from(name).toString('latin1')} (deleted)`;
  return installFile(ctx, new OpenFile(Number(r), label), (flags & MFD_CLOEXEC) !== 0);
}

export const MEMFD_SYSCALLS: SyscallTable = byReplay({
  apply: {
    memfd_create: full(withScratch(memfdCreate)),
  },
});

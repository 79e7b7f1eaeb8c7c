// Pass-through of a call to the host on validated guest pointers: guest memory is host memory,
// so each pointer argument is checked against the guest's mappings and replaced by its host
// address; what the host wrote is reported to the recorder.
import { E } from '../../abi/errno.js';
import { hostSyscall } from '../../../packages/host-syscall/src/index.js';
import { PROT_READ, PROT_WRITE, type AddressSpace } from '../memory/address-space.js';
import type { SyscallContext, SyscallHandler } from './types.js';

/** A pointer argument: its index, its size in bytes, and whether the host reads or writes it. */
export type PointerArg = readonly [index: number, size: number, dir: 'in' | 'out' | 'inout'];

/**
 * Calls host syscall `hostNr` with `args`. NULL pointers go through as NULL (the host answers
 * for them as Linux would); others must be accessible to the guest, or the result is EFAULT.
 */
export function callHost(mm: AddressSpace, hostNr: number, args: readonly bigint[], pointers: readonly PointerArg[]): bigint {
  const a = [...args];
  for (const [i, size, dir] of pointers) {
    if (a[i] === 0n) continue;
    const prot = dir === 'in' ? PROT_READ : dir === 'out' ? PROT_WRITE : PROT_READ | PROT_WRITE;
    const p = mm.hostPointer(a[i]!, size, prot);
    if (p === null || p === 'split') return -BigInt(E.EFAULT);
    a[i] = p;
  }
  const r = hostSyscall(hostNr, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (r >= 0n) for (const [i, size, dir] of pointers) if (dir !== 'in' && args[i] !== 0n && size > 0) mm.committed(args[i]!, size);
  return r;
}

/** A handler passing the guest's arguments straight to the host; pointer sizes may depend on them. */
export function passToHost(hostNr: number, pointers: readonly PointerArg[] | ((args: readonly bigint[]) => readonly PointerArg[])): SyscallHandler {
  return (ctx: SyscallContext) => callHost(ctx.mm, hostNr, ctx.args, typeof pointers === 'function' ? pointers(ctx.args) : pointers);
}

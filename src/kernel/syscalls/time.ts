// Clocks and sleeps, passed to the host (a recording keeps their results for replay).
import { E } from '../../abi/errno.js';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { PROT_READ, PROT_WRITE } from '../memory/address-space.js';
import { full, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);
const TIMESPEC = 16;

/** Each pointer argument: its index, its size, and whether the host reads or writes it. */
type PointerArg = readonly [index: number, size: number, dir: 'in' | 'out' | 'inout'];

function pass(hostNr: number, pointers: readonly PointerArg[]) {
  return (ctx: SyscallContext): bigint => {
    const a = [...ctx.args];
    for (const [i, size, dir] of pointers) {
      if (a[i] === 0n) continue;
      const prot = dir === 'in' ? PROT_READ : dir === 'out' ? PROT_WRITE : PROT_READ | PROT_WRITE;
      const p = ctx.mm.hostPointer(a[i]!, size, prot);
      if (p === null || p === 'split') return err(E.EFAULT);
      a[i] = p;
    }
    const r = hostSyscall(hostNr, a[0], a[1], a[2], a[3], a[4], a[5]);
    for (const [i, size, dir] of pointers) if (dir !== 'in' && ctx.args[i] !== 0n) ctx.mm.committed(ctx.args[i]!, size);
    return r;
  };
}

export const TIME_SYSCALLS: SyscallTable = {
  clock_gettime: full(pass(HOST.clock_gettime, [[1, TIMESPEC, 'out']])),
  clock_getres: full(pass(HOST.clock_getres, [[1, TIMESPEC, 'out']])),
  gettimeofday: full(pass(HOST.gettimeofday, [[0, 16, 'out'], [1, 8, 'out']])),
  time: full(pass(201, [[0, 8, 'out']])),
  nanosleep: full(pass(HOST.nanosleep, [[0, TIMESPEC, 'in'], [1, TIMESPEC, 'out']])),
  clock_nanosleep: full(pass(HOST.clock_nanosleep, [[2, TIMESPEC, 'in'], [3, TIMESPEC, 'out']])),
  getrusage: full(pass(98, [[1, 144, 'out']])),
  times: full(pass(100, [[0, 32, 'out']])),
};

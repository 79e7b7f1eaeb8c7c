// seccomp(2) and prctl's PR_GET_SECCOMP / PR_SET_SECCOMP: strict mode, classic BPF filters
// (checked as Linux checks them; the filters run at each syscall entry, see kernel/seccomp.ts),
// SECCOMP_GET_ACTION_AVAIL and SECCOMP_GET_NOTIF_SIZES. A filter needs no_new_privs or
// CAP_SYS_ADMIN, as on Linux.
import { E } from '../../abi/errno.js';
import { SECCOMP_ACTIONS, parseFilter } from '../seccomp.js';
import { byReplay, asInt, asUint, full, type SyscallContext, type SyscallTable } from './types.js';

const SECCOMP_SET_MODE_STRICT = 0;
const SECCOMP_SET_MODE_FILTER = 1;
const SECCOMP_GET_ACTION_AVAIL = 2;
const SECCOMP_GET_NOTIF_SIZES = 3;
const FILTER_FLAG_TSYNC = 1;
const FILTER_FLAG_LOG = 2;
const FILTER_FLAG_SPEC_ALLOW = 4;
const FILTER_FLAG_NEW_LISTENER = 8;
const FILTER_FLAG_TSYNC_ESRCH = 16;
const FILTER_FLAG_WAIT_KILLABLE_RECV = 32;
const FILTER_FLAGS = FILTER_FLAG_TSYNC | FILTER_FLAG_LOG | FILTER_FLAG_SPEC_ALLOW | FILTER_FLAG_NEW_LISTENER |
  FILTER_FLAG_TSYNC_ESRCH | FILTER_FLAG_WAIT_KILLABLE_RECV;
/** struct sock_fprog: len (u16), then the filter's address (8-aligned). */
const SOCK_FPROG_SIZE = 16;

const err = (e: number): bigint => -BigInt(e);

function setStrict(ctx: SyscallContext): bigint {
  if (ctx.task.seccompMode === 2) return err(E.EINVAL);
  ctx.task.seccompMode = 1;
  return 0n;
}

function setFilter(ctx: SyscallContext, flags: number, fprog: bigint): bigint {
  const { task, mm } = ctx;
  if ((flags & ~FILTER_FLAGS) !== 0) return err(E.EINVAL);
  // Notifications need a listener descriptor tstrace does not offer.
  if ((flags & FILTER_FLAG_NEW_LISTENER) !== 0) return err(E.EINVAL);
  if (task.seccompMode === 1) return err(E.EINVAL);
  if (!task.noNewPrivs && ctx.kernel.creds.euid !== 0) return err(E.EACCES);
  const head = mm.read(fprog, SOCK_FPROG_SIZE);
  if (head === null) return err(E.EFAULT);
  const dv = new DataView(head.buffer, head.byteOffset, SOCK_FPROG_SIZE);
  const len = dv.getUint16(0, true);
  if (len === 0 || len > 4096) return err(E.EINVAL);
  const bytes = mm.read(dv.getBigUint64(8, true), len * 8);
  if (bytes === null) return err(E.EFAULT);
  const filter = parseFilter(bytes, len);
  if (filter === undefined) return err(E.EINVAL);
  const filters = [...task.seccompFilters, filter];
  // TSYNC: every thread of the process gets the caller's filters.
  const threads = (flags & FILTER_FLAG_TSYNC) !== 0 ? ctx.proc.tasks.filter((t) => t.state !== 'zombie' && t.state !== 'dead') : [task];
  for (const t of threads) {
    t.seccompMode = 2;
    t.seccompFilters = filters;
  }
  return 0n;
}

function seccomp(ctx: SyscallContext): bigint {
  const [opArg, flagsArg, uargs] = ctx.args as [bigint, bigint, bigint];
  const op = asUint(opArg);
  const flags = asUint(flagsArg);
  switch (op) {
    case SECCOMP_SET_MODE_STRICT:
      return flags !== 0 || uargs !== 0n ? err(E.EINVAL) : setStrict(ctx);
    case SECCOMP_SET_MODE_FILTER:
      return setFilter(ctx, flags, uargs);
    case SECCOMP_GET_ACTION_AVAIL: {
      if (flags !== 0) return err(E.EINVAL);
      const b = ctx.mm.read(uargs, 4);
      if (b === null) return err(E.EFAULT);
      const action = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
      return SECCOMP_ACTIONS.has(action) ? 0n : err(E.EOPNOTSUPP);
    }
    case SECCOMP_GET_NOTIF_SIZES: {
      if (flags !== 0) return err(E.EINVAL);
      // struct seccomp_notif_sizes: seccomp_notif 80, seccomp_notif_resp 24, seccomp_data 64.
      const out = new Uint8Array(6);
      const dv = new DataView(out.buffer);
      dv.setUint16(0, 80, true);
      dv.setUint16(2, 24, true);
      dv.setUint16(4, 64, true);
      return ctx.mm.write(uargs, out) ? 0n : err(E.EFAULT);
    }
    default:
      return err(E.EINVAL);
  }
}

const PR_GET_SECCOMP = 21;
const PR_SET_SECCOMP = 22;

/** prctl's seccomp options, or undefined for another option. */
export function seccompPrctl(ctx: SyscallContext): bigint | undefined {
  const option = asInt(ctx.args[0]!);
  if (option === PR_GET_SECCOMP) return BigInt(ctx.task.seccompMode);
  if (option !== PR_SET_SECCOMP) return undefined;
  switch (ctx.args[1]!) {
    case 1n: return setStrict(ctx);
    case 2n: return setFilter(ctx, 0, ctx.args[2]!);
    default: return err(E.EINVAL);
  }
}

export const SECCOMP_SYSCALLS: SyscallTable = byReplay({
  execute: {
    // Filters are the kernel's: replay installs them too.
    seccomp: full(seccomp),
  },
});

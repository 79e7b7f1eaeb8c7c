// seccomp(2) as strace 6.1 prints it: the operation, its flags, and its argument (a filter as
// `{len=N, filter=ADDR}`, the action asked about, the notification sizes the kernel wrote).
// With -v a filter's instructions are listed (BPF_STMT/BPF_JUMP), a return's k as its action.
import type { DecodeContext, SyscallDecoder, XlatStyle } from './types.js';
import { printSockFprog } from './bpf-filter.js';
import { xlat } from '../xlat/xlat.js';
import { formatReturn, hex, isError, printEnum, printFlags, printPtr, readInt, struct, u64, uint } from './printers.js';
import type { SyscallTable } from './args.js';

const SECCOMP_OPS = xlat([
  ['SECCOMP_SET_MODE_STRICT', 0], ['SECCOMP_SET_MODE_FILTER', 1], ['SECCOMP_GET_ACTION_AVAIL', 2], ['SECCOMP_GET_NOTIF_SIZES', 3],
]);
const SECCOMP_FILTER_FLAGS = xlat([
  ['SECCOMP_FILTER_FLAG_TSYNC', 1], ['SECCOMP_FILTER_FLAG_LOG', 2], ['SECCOMP_FILTER_FLAG_SPEC_ALLOW', 4],
  ['SECCOMP_FILTER_FLAG_NEW_LISTENER', 8], ['SECCOMP_FILTER_FLAG_TSYNC_ESRCH', 16], ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV', 32],
]);
const SECCOMP_RET_ACTIONS = xlat([
  ['SECCOMP_RET_KILL_PROCESS', 0x80000000], ['SECCOMP_RET_KILL_THREAD', 0], ['SECCOMP_RET_TRAP', 0x30000],
  ['SECCOMP_RET_ERRNO', 0x50000], ['SECCOMP_RET_USER_NOTIF', 0x7fc00000], ['SECCOMP_RET_TRACE', 0x7ff00000],
  ['SECCOMP_RET_LOG', 0x7ffc0000], ['SECCOMP_RET_ALLOW', 0x7fff0000],
]);

const BPF_RET = 6;
const SECCOMP_RET_ACTION_FULL = 0xffff0000;

/** A seccomp filter's k: a return's action by name, with its data (`SECCOMP_RET_ERRNO|0x10`). */
function printSeccompK(style: XlatStyle, code: number, k: number): string {
  if ((code & 7) !== BPF_RET) return hex(k);
  const action = (k & SECCOMP_RET_ACTION_FULL) >>> 0;
  const data = (k & ~SECCOMP_RET_ACTION_FULL) >>> 0;
  return printEnum(style, SECCOMP_RET_ACTIONS, action, 'SECCOMP_RET_???') + (data !== 0 ? `|${hex(data)}` : '');
}

/** struct sock_fprog of a seccomp filter (seccomp(2), prctl(PR_SET_SECCOMP)). */
export function printSeccompFprog(ctx: DecodeContext, addr: bigint): string {
  return printSockFprog(ctx, addr, printSeccompK);
}

const FILTER = 1;
const ACTION_AVAIL = 2;
const NOTIF_SIZES = 3;

const seccomp: SyscallDecoder = {
  enter(ctx) {
    const style = ctx.options.xlat;
    const op = uint(ctx.args[0]!);
    const flags = uint(ctx.args[1]!);
    const arg = ctx.args[2]!;
    const head = `${printEnum(style, SECCOMP_OPS, op, 'SECCOMP_SET_MODE_???')}, `;
    switch (op) {
      case FILTER: {
        const f = printFlags(style, SECCOMP_FILTER_FLAGS, flags, 'SECCOMP_FILTER_FLAG_???');
        return { text: `${head}${f}, ${printSeccompFprog(ctx, arg)}` };
      }
      case ACTION_AVAIL: {
        const b = u64(arg) === 0n ? null : ctx.mem.read(arg, 4);
        const action = b === null ? printPtr(arg) : `[${printEnum(style, SECCOMP_RET_ACTIONS, Number(readInt(b, 0, 4, false)), 'SECCOMP_RET_???')}]`;
        return { text: `${head}${hex(flags)}, ${action}` };
      }
      case NOTIF_SIZES:
        return { text: `${head}${hex(flags)}, `, state: arg };
      default:
        return { text: `${head}${hex(flags)}, ${printPtr(arg)}` };
    }
  },
  exit(ctx, entry) {
    if (entry.state === undefined) return { text: '', ret: formatReturn(ctx, 'dec') };
    const arg = ctx.args[2]!;
    const b = isError(ctx.ret) ? null : ctx.mem.read(arg, 6);
    const text = b === null ? printPtr(arg)
      : struct([`seccomp_notif=${readInt(b, 0, 2, false)}`, `seccomp_notif_resp=${readInt(b, 2, 2, false)}`, `seccomp_data=${readInt(b, 4, 2, false)}`]);
    return { text, ret: formatReturn(ctx, 'dec') };
  },
};

export const SECCOMP_SYSCALLS: SyscallTable = {
  seccomp: { decoder: seccomp },
};

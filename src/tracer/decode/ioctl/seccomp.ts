// The seccomp user-notification ioctls ('!': SECCOMP_IOCTL_NOTIF_*), as strace's seccomp_ioctl.c
// prints them.
import type { DecodeContext, ExitContext } from '../types.js';
import { errnoName } from '../../../abi/errno.js';
import { SECCOMP_IOCTL_ADDFD_FLAGS, SECCOMP_IOCTL_RESP_FLAGS } from '../../xlat/ioctl-seccomp.js';
import { printOFlags } from '../fs.js';
import { AUDIT_ARCHES } from '../ptrace.js';
import { hex, printEnum, printFd, printFlags, printPid, printPtr, struct } from '../printers.js';
import type { IoctlFamily } from './family.js';
import { fetchArg, printIndirect, printPointed, requestTable, sField, uField, type IoctlRequest } from './table.js';

const NOTIF_RECV = 0xc0502100;
const NOTIF_SIZE = 80, NOTIF_RESP_SIZE = 24, NOTIF_ADDFD_SIZE = 24;

/** seccomp_data.nr: the syscall's name when the audit arch is the tracee's own (PRINT_FIELD_SYSCALL_NAME). */
function printSyscallNr(ctx: DecodeContext, nr: bigint, auditArch: number): string {
  const name = auditArch === ctx.arch.ptrace.auditArch ? ctx.arch.syscallNames.get(Number(nr)) : undefined;
  if (name === undefined || ctx.options.xlat === 'raw') return nr.toString();
  return ctx.options.xlat === 'abbrev' ? `__NR_${name}` : `${nr} /* __NR_${name} */`;
}

/** struct seccomp_notif with its struct seccomp_data. */
function showNotif(ctx: DecodeContext, b: Uint8Array): string {
  const arch = Number(uField(b, 20, 4));
  const args = Array.from({ length: 6 }, (_, i) => hex(uField(b, 32 + 8 * i, 8)));
  const data = struct([
    `nr=${printSyscallNr(ctx, uField(b, 16, 4), arch)}`,
    `arch=${printEnum(ctx.options.xlat, AUDIT_ARCHES, arch, 'AUDIT_ARCH_???')}`,
    `instruction_pointer=${printPtr(uField(b, 24, 8))}`,
    `args=[${args.join(', ')}]`,
  ]);
  return struct([`id=${hex(uField(b, 0, 8))}`, `pid=${printPid(ctx, Number(uField(b, 8, 4)))}`,
    `flags=${hex(uField(b, 12, 4))}`, `data=${data}`]);
}

/** An errno as strace's print_err prints a negated one: -ENOSR, or the number. */
function printNegErrno(ctx: DecodeContext, err: bigint): string {
  const name = err < 0n ? errnoName(Number(-err)) : undefined;
  if (name === undefined || ctx.options.xlat === 'raw') return err.toString();
  return ctx.options.xlat === 'abbrev' ? `-${name}` : `${err} /* -${name} */`;
}

function printNotifResp(ctx: DecodeContext, arg: bigint): string {
  return printPointed(ctx, arg, NOTIF_RESP_SIZE, (b) => struct([
    `id=${hex(uField(b, 0, 8))}`, `val=${sField(b, 8, 8)}`, `error=${printNegErrno(ctx, sField(b, 16, 4))}`,
    `flags=${printFlags(ctx.options.xlat, SECCOMP_IOCTL_RESP_FLAGS, uField(b, 20, 4), 'SECCOMP_USER_NOTIF_FLAG_???')}`,
  ]));
}

function printNotifAddfd(ctx: DecodeContext, arg: bigint): string {
  return printPointed(ctx, arg, NOTIF_ADDFD_SIZE, (b) => struct([
    `id=${hex(uField(b, 0, 8))}`,
    `flags=${printFlags(ctx.options.xlat, SECCOMP_IOCTL_ADDFD_FLAGS, uField(b, 8, 4), 'SECCOMP_ADDFD_FLAG_???')}`,
    `srcfd=${printFd(ctx, Number(sField(b, 12, 4)))}`,
    `newfd=${sField(b, 16, 4)}`,
    `newfd_flags=${printOFlags(ctx, uField(b, 20, 4))}`,
  ]));
}

const printId = (ctx: DecodeContext, arg: bigint): string => printIndirect(ctx, arg, 8, (b) => hex(uField(b, 0, 8)));

const REQUESTS = requestTable([0x21], new Map<number, IoctlRequest>([
  [0xc0182101 /* SECCOMP_IOCTL_NOTIF_SEND */, { dir: 'in', print: printNotifResp }],
  [0x40082102 /* SECCOMP_IOCTL_NOTIF_ID_VALID */, { dir: 'in', print: printId }],
  [0x80082102 /* ..._ID_VALID with the old, wrong direction */, { dir: 'in', print: printId }],
  [0x40182103 /* SECCOMP_IOCTL_NOTIF_ADDFD */, { dir: 'in', print: printNotifAddfd }],
]));

/**
 * SECCOMP_IOCTL_NOTIF_RECV's struct is an output, but strace shows it at entry too unless the
 * caller zeroed it (as the kernel requires), then " => " and what the kernel wrote.
 */
export const SECCOMP_IOCTLS: IoctlFamily = {
  types: [0x21],
  requestName(code) {
    return code === 0x80082102 ? 'SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR' : undefined;
  },
  enter(ctx, code, arg) {
    if (code !== NOTIF_RECV) return REQUESTS.enter(ctx, code, arg);
    const b = fetchArg(ctx, arg, NOTIF_SIZE);
    if (typeof b === 'string') return { text: `, ${b}` };
    return { text: b.every((x) => x === 0) ? ', ' : `, ${showNotif(ctx, b)} => `, more: true };
  },
  exit(ctx: ExitContext, code, arg, state) {
    if (code !== NOTIF_RECV) return REQUESTS.exit?.(ctx, code, arg, state) ?? '';
    return printPointed(ctx, arg, NOTIF_SIZE, (b) => showNotif(ctx, b), ctx);
  },
};

// Signal syscalls and the siginfo of `--- SIGCHLD {...} ---` lines (strace's signal.c,
// printsiginfo.c, sigreturn.c).
import type { Siginfo } from '../../kernel/ptrace.js';
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import type { XlatStyle } from './types.js';
import { SIGINFO, STACK_T, TIMESPEC } from '../../abi/structs.js';
import { signalName, siCodeName, SIGRTMAX } from '../../abi/signals.js';
import { errnoName } from '../../abi/errno.js';
import { SA_FLAGS, SA_HANDLER_VALUES, SFD_FLAGS, SIGPROCMASK_HOW, SS_FLAGS } from '../xlat/signal.js';
import { xlat } from '../xlat/xlat.js';
import { atExit, custom, customOut, flags, i32, pid, pidOrGroup, ulong, type SyscallTable } from './args.js';
import {
  formatReturn, hex, int, isError, printClockT, printEnum, printFd, printFlags, printInStruct, printNamed, printPid, printPtr, readInt, readStruct,
  struct, u64, udec,
} from './printers.js';

/** A signal number: `SIGUSR2`, or the decimal when it has no name (strace's printsignal). */
export function printSignalName(style: XlatStyle, n: number): string {
  const name = signalLookup(n);
  if (name === undefined) return String(n);
  return printNamed(style, n, name, 'd');
}

function signalLookup(n: number): string | undefined {
  if (n <= 0 || n > SIGRTMAX) return undefined;
  const name = signalName(n);
  return /^\d+$/.test(name) ? undefined : name;
}

/**
 * A signal set (strace's sprintsigmask_n): `[INT TERM]`, `[]`, or `~[KILL STOP]` when two
 * thirds or more of the bits are set. `bytes` is the sigsetsize (at most 8).
 */
export function formatSigmask(style: XlatStyle, mask: bigint, bytes = 8): string {
  const words = Math.ceil(Math.min(bytes, 8) / 4);
  const nbits = words * 32;
  let m = mask & ((1n << BigInt(nbits)) - 1n);
  let pop = 0;
  for (let i = 0; i < nbits; i++) if ((m >> BigInt(i)) & 1n) pop++;
  let prefix = '';
  if (pop >= Math.floor((nbits * 2) / 3)) {
    m = ~m & ((1n << BigInt(nbits)) - 1n);
    prefix = '~';
  }
  const names: string[] = [];
  for (let i = 0; i < nbits; i++) {
    if (((m >> BigInt(i)) & 1n) === 0n) continue;
    const sig = i + 1;
    const full = signalLookup(sig);
    const short = full === undefined ? undefined : full.replace(/^SIG/, '');
    let s = '';
    if (style !== 'abbrev') s += String(sig);
    if (style === 'verbose') s += ' /* ';
    if (style !== 'raw') {
      if (short !== undefined) s += short;
      else if (style !== 'abbrev') s += String(sig);
    }
    if (style === 'verbose') s += ' */';
    names.push(s);
  }
  return `${prefix}[${names.join(' ')}]`;
}

/** A sigset_t pointer with its size (strace's print_sigset_addr_len). */
export function printSigsetAt(ctx: DecodeContext, addr: bigint, len: bigint, minLen = 8): string {
  const n = u64(len);
  if (n < BigInt(minLen) || n > 8n) return printPtr(addr);
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(addr, Number(n));
  if (b === null) return hex(addr);
  return formatSigmask(ctx.options.xlat, readInt(b, 0, Number(n), false), Number(n));
}

function printSigsetOut(ctx: ExitContext, addr: bigint, len: bigint, minLen = 8): string {
  if (u64(addr) !== 0n && isError(ctx.ret)) return hex(addr);
  return printSigsetAt(ctx, addr, len, minLen);
}

/** struct sigaction as rt_sigaction passes it. */
function printSigaction(ctx: DecodeContext, addr: bigint): string {
  const layout = ctx.arch.structs.sigaction;
  const v = readStruct<'sa_handler' | 'sa_flags' | 'sa_mask'>(ctx, addr, layout);
  if (v === null) return printPtr(addr);
  const style = ctx.options.xlat;
  const handler = u64(v.get('sa_handler'));
  const hname = SA_HANDLER_VALUES.byValue.get(handler);
  const flagsVal = u64(v.get('sa_flags'));
  const fields = [
    `sa_handler=${hname === undefined ? printPtr(handler) : printNamed(style, handler, hname)}`,
    `sa_mask=${formatSigmask(style, v.get('sa_mask'))}`,
    `sa_flags=${printFlags(style, SA_FLAGS, flagsVal, 'SA_???')}`,
  ];
  const restorer = layout.fields.sa_restorer;
  if ((flagsVal & SA_RESTORER) !== 0n && restorer !== undefined) fields.push(`sa_restorer=${printPtr(readInt(v.bytes, restorer.offset, restorer.size, false))}`);
  return struct(fields);
}

const SA_RESTORER = 0x04000000n;

const rtSigaction: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printSignalName(ctx.options.xlat, int(ctx.args[0]!))}, ${printSigaction(ctx, ctx.args[1]!)}, ` }),
  exit: (ctx) => {
    const old = ctx.args[2]!;
    const oldText = u64(old) !== 0n && isError(ctx.ret) ? hex(old) : printSigaction(ctx, old);
    return { text: `${oldText}, ${udec(ctx.args[3]!)}`, ret: formatReturn(ctx, 'dec') };
  },
};

const rtSigprocmask: SyscallDecoder = {
  enter: (ctx) => ({
    text: `${printEnum(ctx.options.xlat, SIGPROCMASK_HOW, BigInt(int(ctx.args[0]!)), 'SIG_???')}, ${printSigsetAt(ctx, ctx.args[1]!, ctx.args[3]!)}, `,
  }),
  exit: (ctx) => ({ text: `${printSigsetOut(ctx, ctx.args[2]!, ctx.args[3]!)}, ${udec(ctx.args[3]!)}`, ret: formatReturn(ctx, 'dec') }),
};

// rt_sigreturn: strace reads the mask the call restores from the frame at the stack pointer.
const rtSigreturn: SyscallDecoder = {
  enter(ctx) {
    const sp = ctx.stackPointer;
    if (sp === undefined) return { text: '' };
    const at = u64(sp + BigInt(ctx.arch.sigframeMaskOffset));
    const b = ctx.mem.read(at, 8);
    return { text: b === null ? hex(at) : `{mask=${formatSigmask(ctx.options.xlat, readInt(b, 0, 8, false))}}` };
  },
  exit: (ctx) => ({ text: '', ret: formatReturn(ctx, 'dec') }),
};

function printStackT(ctx: DecodeContext, addr: bigint): string {
  const v = readStruct(ctx, addr, STACK_T);
  if (v === null) return printPtr(addr);
  return struct([
    `ss_sp=${printPtr(v.get('ss_sp'))}`,
    `ss_flags=${printFlags(ctx.options.xlat, SS_FLAGS, BigInt(v.num('ss_flags') >>> 0), 'SS_???')}`,
    `ss_size=${v.get('ss_size')}`,
  ]);
}

const sigaltstack: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printStackT(ctx, ctx.args[0]!)}, ` }),
  exit: (ctx) => {
    const a = ctx.args[1]!;
    return { text: u64(a) !== 0n && isError(ctx.ret) ? hex(a) : printStackT(ctx, a), ret: formatReturn(ctx, 'dec') };
  },
};

const signum = custom((ctx, v) => printSignalName(ctx.options.xlat, int(v)));
const sigsetIn = (lenIndex: number) => custom((ctx, v) => printSigsetAt(ctx, v, ctx.args[lenIndex]!));
const siginfoIn = custom((ctx, v) => printSiginfoAt(ctx, v));

// rt_sigtimedwait: the set and timeout at entry, the siginfo taken at exit; it returns a signal.
const rtSigtimedwait: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printSigsetAt(ctx, ctx.args[0]!, ctx.args[3]!)}, ` }),
  exit: (ctx) => {
    const info = ctx.args[1]!;
    const infoText = u64(info) === 0n ? 'NULL' : isError(ctx.ret) ? printPtr(info) : printSiginfoAt(ctx, info);
    const ts = ctx.args[2]!;
    const tsText = u64(ts) === 0n ? 'NULL' : printInStruct(ctx, ts, TIMESPEC, (v) => `{tv_sec=${v.get('tv_sec')}, tv_nsec=${v.get('tv_nsec')}}`);
    const ret = isError(ctx.ret) ? formatReturn(ctx, 'dec') : `${formatReturn(ctx, 'dec')} (${printSignalName('abbrev', Number(ctx.ret))})`;
    return { text: `${infoText}, ${tsText}, ${udec(ctx.args[3]!)}`, ret };
  },
};

export const SIGNAL_SYSCALLS: SyscallTable = {
  rt_sigaction: { decoder: rtSigaction },
  rt_sigprocmask: { decoder: rtSigprocmask },
  rt_sigreturn: { decoder: rtSigreturn },
  rt_sigsuspend: { args: [sigsetIn(1), ulong] },
  rt_sigpending: { args: [customOut((ctx, v) => printSigsetOut(ctx, v, ctx.args[1]!, 1)), atExit(ulong)] },
  sigaltstack: { decoder: sigaltstack },
  kill: { args: [pidOrGroup, signum] },
  tkill: { args: [pid, signum] },
  tgkill: { args: [pid, pid, signum] },
  pause: { args: [] },
  rt_sigtimedwait: { decoder: rtSigtimedwait },
  rt_sigqueueinfo: { args: [pid, signum, siginfoIn] },
  signalfd: { args: [i32, sigsetIn(2), ulong], ret: 'fd' },
  signalfd4: { args: [i32, sigsetIn(2), ulong, flags(SFD_FLAGS)], ret: 'fd' },
  rt_tgsigqueueinfo: { args: [pid, pid, signum, siginfoIn] },
};

// ---- siginfo --------------------------------------------------------------------------------------

/**
 * The fields of a siginfo the tracer knows: what PTRACE_GETSIGINFO returns, and those strace
 * prints for some codes (SIGBUS's si_addr_lsb, SIGSEGV's bounds and protection key).
 */
export type SiginfoFields = Siginfo & {
  readonly addrLsb?: number;
  readonly lower?: bigint;
  readonly upper?: bigint;
  readonly pkey?: number;
};

/** si_code names newer than strace 6.1 (it prints their numbers). */
const NEWER_THAN_STRACE = new Set(['SEGV_CPERR']);

/** How a siginfo's syscall number and arch print (SIGSYS): the tracee's own names for its AUDIT_ARCH_*. */
export interface SiginfoArch {
  readonly auditArch: number;
  readonly syscallNames: ReadonlyMap<number, string>;
}

const AUDIT_ARCH_NAMES = xlat([['AUDIT_ARCH_X86_64', 0xc000003e], ['AUDIT_ARCH_AARCH64', 0xc00000b7], ['AUDIT_ARCH_RISCV64', 0xc00000f3]]);

/**
 * The braces of a signal-delivery line, as strace prints them:
 * `{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}`.
 */
export function formatSiginfo(
  info: SiginfoFields, style: XlatStyle = 'abbrev', pidText: (pid: number, withComm: boolean) => string = String, arch?: SiginfoArch,
  fdText: (fd: number) => string = String,
): string {
  if (info.signo === 0) return '{}';
  const f: string[] = [`si_signo=${printSignalName(style, info.signo)}`];
  const known = siCodeName(info.signo, info.code);
  const cname = known !== undefined && NEWER_THAN_STRACE.has(known) ? undefined : known;
  f.push(`si_code=${cname === undefined ? hex(BigInt(info.code >>> 0)) : printNamed(style, BigInt(info.code >>> 0), cname)}`);
  if (info.code === 32767) return struct(f); // SI_NOINFO
  if (info.errno) {
    // print_err: the errno's name, an unknown one as an unsigned number.
    const e = info.errno >>> 0;
    const name = errnoName(e);
    f.push(`si_errno=${name === undefined ? String(e) : printNamed(style, BigInt(e), name, 'u')}`);
  }
  const source = (named = true): void => {
    f.push(`si_pid=${pidText(info.pid ?? 0, named)}`, `si_uid=${info.uid ?? 0}`);
  };
  if (info.code <= 0) {
    switch (info.code) {
      case 0: case -6: source(); break; // SI_USER, SI_TKILL
      case -2: // SI_TIMER
        f.push(`si_timerid=${hex((info.timerid ?? 0) >>> 0)}`, `si_overrun=${info.overrun ?? 0}`);
        f.push(...sigval(info.value ?? 0n));
        break;
      case -5: // SI_SIGIO
        f.push(`si_band=${info.band ?? 0n}`, `si_fd=${fdText(info.fd ?? 0)}`);
        break;
      default:
        source();
        if ((info.value ?? 0n) !== 0n) f.push(...sigval(info.value ?? 0n));
    }
    return struct(f);
  }
  switch (info.signo) {
    case 17: // SIGCHLD: strace -Y names the command of a child that stopped, continued or was
      // trapped (it still exists), not of one that exited or was killed
      source(info.code >= 4 && info.code <= 6);
      f.push(`si_status=${info.code === 1 ? String(info.status ?? 0) : printSignalName(style, info.status ?? 0)}`);
      f.push(`si_utime=${printClockT(info.utime ?? 0n, style)}`, `si_stime=${printClockT(info.stime ?? 0n, style)}`);
      break;
    case 4: case 8: case 7: case 11: case 5: // SIGILL SIGFPE SIGBUS SIGSEGV SIGTRAP
      f.push(`si_addr=${printPtr(info.addr ?? 0n)}`);
      if (info.signo === 7 && (info.code === 4 || info.code === 5)) f.push(`si_addr_lsb=${hex(info.addrLsb ?? 0)}`); // BUS_MCEERR_AR/AO
      if (info.signo === 11 && info.code === 3) f.push(`si_lower=${printPtr(info.lower ?? 0n)}`, `si_upper=${printPtr(info.upper ?? 0n)}`); // SEGV_BNDERR
      if (info.signo === 11 && info.code === 4) f.push(`si_pkey=${(info.pkey ?? 0) >>> 0}`); // SEGV_PKUERR
      break;
    case 29: // SIGIO
      if (info.code >= 1 && info.code <= 6) f.push(`si_band=${info.band ?? 0n}`, `si_fd=${fdText(info.fd ?? 0)}`);
      break;
    case 31: // SIGSYS
    {
      // The number by name when the arch is the tracee's (PRINT_FIELD_SYSCALL_NAME), the arch as AUDIT_ARCH_*.
      const nr = (info.syscall ?? 0) >>> 0;
      const archNo = (info.arch ?? 0) >>> 0;
      const name = arch !== undefined && archNo === arch.auditArch ? arch.syscallNames.get(nr) : undefined;
      f.push(`si_call_addr=${printPtr(info.callAddr ?? 0n)}`, `si_syscall=${name === undefined ? String(nr) : printNamed(style, nr, `__NR_${name}`, 'u')}`,
        `si_arch=${printEnum(style, AUDIT_ARCH_NAMES, archNo, 'AUDIT_ARCH_???')}`);
    }
      break;
    default:
      if ((info.pid ?? 0) !== 0 || (info.uid ?? 0) !== 0) source();
      if ((info.value ?? 0n) !== 0n) f.push(...sigval(info.value ?? 0n));
  }
  return struct(f);
}

function sigval(v: bigint): string[] {
  return [`si_int=${Number(BigInt.asIntN(32, v))}`, `si_ptr=${printPtr(v)}`];
}

/** A siginfo_t in tracee memory (rt_sigqueueinfo, waitid, rt_sigtimedwait). */
export function printSiginfoAt(ctx: DecodeContext, addr: bigint): string {
  const v = readStruct(ctx, addr, SIGINFO);
  if (v === null) return printPtr(addr);
  return formatSiginfo({
    signo: v.num('si_signo'), code: v.num('si_code'), errno: v.num('si_errno'), pid: v.num('si_pid'),
    uid: v.num('si_uid'), addr: v.get('si_addr'), status: v.num('si_status'), utime: v.get('si_utime'),
    stime: v.get('si_stime'), band: v.get('si_band'), fd: v.num('si_fd'), value: v.get('si_value'),
    timerid: v.num('si_tid'), overrun: v.num('si_overrun'), callAddr: v.get('si_call_addr'),
    syscall: v.num('si_syscall'), arch: v.num('si_arch'),
    addrLsb: v.num('si_addr_lsb'), lower: v.get('si_lower'), upper: v.get('si_upper'), pkey: v.num('si_pkey'),
  }, ctx.options.xlat, (pid, withComm) => printPid(ctx, pid, withComm), { auditArch: ctx.arch.ptrace.auditArch, syscallNames: ctx.arch.syscallNames }, (fd) => printFd(ctx, fd));
}


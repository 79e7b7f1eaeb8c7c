// ptrace(2) as strace prints it (strace's ptrace.c): the request, then only the arguments that
// request uses; what the kernel hands back (a peeked word, an event message, a siginfo, a
// register set) at the exit.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import { PTRACE_REQUESTS, PTRACE_OPTIONS, NT_TYPES } from '../xlat/ptrace.js';
import { xlat, type Xlat } from '../xlat/xlat.js';
import type { ArchDescriptor } from '../../arch/types.js';
import { printSignalName, printSiginfoAt } from './signal.js';
import {
  formatReturn, printNamed, struct, hex, int, isError, printEnum, printFlagsOrZero, printPid, printPtr, readInt, u64, udec,
} from './printers.js';
import type { SyscallTable } from './args.js';
import { errnoName } from '../../abi/errno.js';

/** The entry printed every argument: nothing is added at the exit. */
const DONE = 'done';

const requestTables = new WeakMap<ArchDescriptor, Xlat>();
/** The architecture's requests: the common ones and its own. */
function requests(arch: ArchDescriptor): Xlat {
  let t = requestTables.get(arch);
  if (t === undefined) {
    t = xlat([...PTRACE_REQUESTS, ...(arch.ptrace.requests ?? [])]);
    requestTables.set(arch, t);
  }
  return t;
}

/** Requests whose data argument is a signal to deliver on resume. */
const RESUMING = new Set(['PTRACE_CONT', 'PTRACE_DETACH', 'PTRACE_SYSCALL', 'PTRACE_SINGLESTEP', 'PTRACE_SYSEMU', 'PTRACE_SYSEMU_SINGLESTEP', 'PTRACE_SINGLEBLOCK']);
/** Requests whose data is filled in by the kernel: printed at exit. */
const OUTPUT = new Set(['PTRACE_PEEKTEXT', 'PTRACE_PEEKDATA', 'PTRACE_PEEKUSER', 'PTRACE_GETEVENTMSG', 'PTRACE_GETSIGINFO', 'PTRACE_GETREGSET', 'PTRACE_GET_SYSCALL_INFO']);

function requestName(ctx: DecodeContext): string | undefined {
  const r = Number(BigInt.asUintN(32, ctx.args[0]!));
  const row = PTRACE_REQUESTS.find(([, v]) => v === r) ?? ctx.arch.ptrace.requests?.find(([, v]) => v === r);
  return row?.[0];
}

/** struct iovec of a regset request: NT_PRSTATUS's registers decoded when its size is the arch's. */
function printRegsetIov(ctx: DecodeContext, addr: bigint, note: number): string {
  const b = ctx.mem.read(u64(addr), 16);
  if (b === null) return printPtr(addr);
  const base = readInt(b, 0, 8, false);
  const len = readInt(b, 8, 8, false);
  const names = ctx.arch.ptrace.prstatusNames;
  let baseText = printPtr(base);
  if (note === 1 && names !== undefined && len === BigInt(names.length * 8)) {
    const regs = ctx.mem.read(base, names.length * 8);
    if (regs !== null) baseText = formatPrstatus(names, regs);
  }
  return `{iov_base=${baseText}, iov_len=${udec(len)}}`;
}

/** Registers by name; `x[3]`-style names gather into one array field (aarch64's regs=[…]). */
function formatPrstatus(names: readonly string[], bytes: Uint8Array): string {
  const fields: string[] = [];
  let array: { name: string; values: string[] } | undefined;
  names.forEach((name, i) => {
    const v = readInt(bytes, i * 8, 8, false);
    const text = v === 0n ? '0' : hex(v);
    const m = /^(\w+)\[\d+\]$/.exec(name);
    if (m !== null) {
      if (array === undefined || array.name !== m[1]) {
        array = { name: m[1]!, values: [] };
        fields.push('');
      }
      array.values.push(text);
      fields[fields.length - 1] = `${array.name}=[${array.values.join(', ')}]`;
      return;
    }
    array = undefined;
    fields.push(`${name}=${text}`);
  });
  return `{${fields.join(', ')}}`;
}

const SYSCALL_INFO_OPS = xlat([['PTRACE_SYSCALL_INFO_NONE', 0], ['PTRACE_SYSCALL_INFO_ENTRY', 1], ['PTRACE_SYSCALL_INFO_EXIT', 2], ['PTRACE_SYSCALL_INFO_SECCOMP', 3]]);
const AUDIT_ARCHES = xlat([['AUDIT_ARCH_X86_64', 0xc000003e], ['AUDIT_ARCH_AARCH64', 0xc00000b7], ['AUDIT_ARCH_RISCV64', 0xc00000f3]]);

/** Ends of struct ptrace_syscall_info's parts: op+arch, the pointers, the syscall number, an exit, a seccomp stop. */
const PSI_ARCH_END = 8;
const PSI_IP_END = 16;
const PSI_SP_END = 24;
const PSI_NR_END = 32;
const PSI_EXIT_END = 33;
const PSI_SECCOMP_END = 84;

/**
 * struct ptrace_syscall_info as strace prints it (print_ptrace_syscall_info): as many of its
 * fields as the kernel copied (the smaller of the buffer's size and the returned one), the
 * entry's or seccomp stop's arguments as far as they go, an exit's value as an errno name when
 * is_error came too.
 */
function printSyscallInfo(ctx: ExitContext, addr: bigint, sizeArg: bigint): string {
  const fetch = Number([u64(sizeArg), u64(ctx.ret), BigInt(PSI_SECCOMP_END)].reduce((m, v) => (v < m ? v : m)));
  const b = fetch === 0 ? null : ctx.mem.read(u64(addr), fetch);
  if (b === null) return printPtr(addr);
  const style = ctx.options.xlat;
  const op = readInt(b, 0, 1, false);
  const word = (at: number): bigint => readInt(b, at, 8, false);
  const x = (v: bigint): string => (v === 0n ? '0' : hex(v));
  const fields = [`op=${printEnum(style, SYSCALL_INFO_OPS, op, 'PTRACE_SYSCALL_INFO_???')}`];
  if (fetch >= PSI_ARCH_END) fields.push(`arch=${printEnum(style, AUDIT_ARCHES, readInt(b, 4, 4, false), 'AUDIT_ARCH_???')}`);
  if (fetch >= PSI_IP_END) fields.push(`instruction_pointer=${x(word(8))}`);
  if (fetch >= PSI_SP_END) fields.push(`stack_pointer=${x(word(16))}`);
  if (fetch >= PSI_NR_END && (op === 1n || op === 3n)) {
    const nr = word(24);
    const sysName = ctx.arch.syscallNames.get(Number(nr));
    const nrText = sysName === undefined ? udec(nr) : printNamed(style, nr, `__NR_${sysName}`, 'u');
    const inner = [`nr=${nrText}`];
    const nargs = Math.min(6, Math.floor((fetch - PSI_NR_END) / 8));
    if (nargs > 0) inner.push(`args=[${Array.from({ length: nargs }, (_, i) => x(word(32 + 8 * i))).join(', ')}]`);
    if (op === 3n && fetch >= PSI_SECCOMP_END) inner.push(`ret_data=${readInt(b, 80, 4, false)}`);
    fields.push(`${op === 1n ? 'entry' : 'seccomp'}=${struct(inner)}`);
  } else if (fetch >= PSI_NR_END && op === 2n) {
    const rval = readInt(b, 24, 8, true);
    const isErr = fetch >= PSI_EXIT_END ? readInt(b, 32, 1, false) : 0n;
    const name = isErr !== 0n ? errnoName(Number(-rval)) : undefined;
    const inner = [`rval=${name === undefined ? rval.toString() : printNamed(style, rval, `-${name}`, 'd')}`];
    if (fetch >= PSI_EXIT_END) inner.push(`is_error=${isErr}`);
    fields.push(`exit=${struct(inner)}`);
  }
  return struct(fields);
}

/** A PEEKUSER/POKEUSER offset: within u_debugreg as strace names it, else an address. */
function printUserOffset(arch: ArchDescriptor, addr: bigint): string {
  const dbg = arch.ptrace.debugRegOffset;
  const off = u64(addr);
  if (dbg === undefined || off < BigInt(dbg) || off >= BigInt(dbg + 64)) return printPtr(addr);
  const rest = off - BigInt(dbg);
  return `offsetof(struct user, u_debugreg)${rest === 0n ? '' : `+${rest}`}`;
}

const ptrace: SyscallDecoder = {
  enter(ctx) {
    const [reqArg, pidArg, addr, data] = ctx.args as [bigint, bigint, bigint, bigint];
    const req = printEnum(ctx.options.xlat, requests(ctx.arch), BigInt.asUintN(64, reqArg), 'PTRACE_???');
    const name = requestName(ctx);
    if (name === 'PTRACE_TRACEME') return { text: req, state: DONE };
    const pid = printPid(ctx, int(pidArg));
    if (name === 'PTRACE_ATTACH' || name === 'PTRACE_INTERRUPT' || name === 'PTRACE_KILL' || name === 'PTRACE_LISTEN') {
      return { text: `${req}, ${pid}`, state: DONE };
    }
    let addrText: string;
    if (name === 'PTRACE_GETREGSET' || name === 'PTRACE_SETREGSET') addrText = printEnum(ctx.options.xlat, NT_TYPES, BigInt.asUintN(32, addr), 'NT_???');
    else if (name === 'PTRACE_GETSIGMASK' || name === 'PTRACE_SETSIGMASK' || name === 'PTRACE_GET_SYSCALL_INFO') addrText = udec(addr);
    else if (name === 'PTRACE_PEEKUSER' || name === 'PTRACE_POKEUSER') addrText = printUserOffset(ctx.arch, addr);
    else addrText = printPtr(addr);
    const head = `${req}, ${pid}, ${addrText}, `;
    if (name !== undefined && RESUMING.has(name)) return { text: head + printSignalName(ctx.options.xlat, int(data)), state: DONE };
    if (name === 'PTRACE_SEIZE' || name === 'PTRACE_SETOPTIONS') return { text: head + printFlagsOrZero(ctx.options.xlat, PTRACE_OPTIONS, u64(data)), state: DONE };
    if (name === 'PTRACE_SETSIGINFO') return { text: head + printSiginfoAt(ctx, data), state: DONE };
    if (name === 'PTRACE_SETREGSET') return { text: head + printRegsetIov(ctx, data, Number(BigInt.asUintN(32, addr))), state: DONE };
    if (name === 'PTRACE_POKETEXT' || name === 'PTRACE_POKEDATA' || name === 'PTRACE_POKEUSER') return { text: head + printPtr(data), state: DONE };
    if (name !== undefined && OUTPUT.has(name)) return { text: head };
    return { text: head + printPtr(data), state: DONE };
  },
  exit(ctx: ExitContext, entry) {
    if (entry.state === DONE) return { text: '', ret: formatReturn(ctx, 'dec') };
    const name = requestName(ctx);
    const data = ctx.args[3]!;
    let text: string;
    if (isError(ctx.ret) || u64(data) === 0n) text = printPtr(data);
    else if (name === 'PTRACE_GETSIGINFO') text = printSiginfoAt(ctx, data);
    else if (name === 'PTRACE_GETREGSET') text = printRegsetIov(ctx, data, Number(BigInt.asUintN(32, ctx.args[2]!)));
    else if (name === 'PTRACE_GET_SYSCALL_INFO') text = printSyscallInfo(ctx, data, ctx.args[2]!);
    else {
      const b = ctx.mem.read(u64(data), 8);
      const v = b === null ? undefined : readInt(b, 0, 8, false);
      text = v === undefined ? printPtr(data) : name === 'PTRACE_GETEVENTMSG' ? `[${udec(v)}]` : `[${v === 0n ? '0' : hex(v)}]`;
    }
    return { text, ret: formatReturn(ctx, 'dec') };
  },
};

export const PTRACE_SYSCALLS: SyscallTable = {
  ptrace: { decoder: ptrace },
};


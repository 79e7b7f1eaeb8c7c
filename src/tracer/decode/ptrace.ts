// ptrace(2) as strace prints it (strace's ptrace.c): the request, then only the arguments that
// request uses; what the kernel hands back (a peeked word, an event message, a siginfo, a
// register set) at the exit.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import { PTRACE_REQUESTS, PTRACE_OPTIONS, NT_TYPES } from '../xlat/ptrace.js';
import { xlat, type Xlat } from '../xlat/xlat.js';
import type { ArchDescriptor } from '../../arch/types.js';
import { printSignalName, printSiginfoAt, printSigsetAt } from './signal.js';
import {
  formatReturn, printNamed, struct, hex, int, isError, printEnum, printFlagsOrZero, printPid, printPtr, readInt, u64, udec,
} from './printers.js';
import { atExit, custom, customOut, pid, ulong, type SyscallTable } from './args.js';
import { printIovec } from './fs.js';
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
const OUTPUT = new Set(['PTRACE_PEEKTEXT', 'PTRACE_PEEKDATA', 'PTRACE_PEEKUSER', 'PTRACE_GETEVENTMSG', 'PTRACE_GETSIGINFO', 'PTRACE_GET_SYSCALL_INFO',
  'PTRACE_GETSIGMASK', 'PTRACE_PEEKSIGINFO', 'PTRACE_SECCOMP_GET_FILTER']);

function requestName(ctx: DecodeContext): string | undefined {
  const r = Number(BigInt.asUintN(32, ctx.args[0]!));
  const row = PTRACE_REQUESTS.find(([, v]) => v === r) ?? ctx.arch.ptrace.requests?.find(([, v]) => v === r);
  return row?.[0];
}

const NT_PRSTATUS = 1;
const NT_FPREGSET = 2;

/**
 * A register set of `size` bytes at `base` (strace's decode_regset): NT_PRSTATUS's and (where
 * the arch describes it) NT_FPREGSET's fields as far as `size` reaches, `...` when `size` is
 * larger than the set; the address when `size` is 0 or not whole words, when it cannot be read,
 * or for a failed call at its exit.
 */
function printRegset(ctx: DecodeContext, base: bigint, size: bigint, note: number, failed: boolean): string {
  const names = note === NT_PRSTATUS ? ctx.arch.ptrace.prstatusNames : undefined;
  const fp = note === NT_FPREGSET ? ctx.arch.ptrace.fpregsetFields : undefined;
  if ((names === undefined && fp === undefined) || size === 0n || (size & 7n) !== 0n) return printPtr(base);
  if (u64(base) === 0n) return 'NULL';
  if (failed) return hex(base);
  const whole = regsetSize(ctx.arch, note);
  const fetch = size < BigInt(whole) ? Number(size) : whole;
  const b = ctx.mem.read(base, fetch);
  if (b === null) return hex(base);
  let text = names !== undefined ? formatPrstatus(names.slice(0, fetch / 8), b) : formatFpregset(fp!, b);
  if (size > BigInt(whole)) text = `${text.slice(0, -1)}, ...}`;
  return text;
}

/** The size of a whole register set as strace knows it (0: not decoded). */
function regsetSize(arch: ArchDescriptor, note: number): number {
  const names = note === NT_PRSTATUS ? arch.ptrace.prstatusNames : undefined;
  if (names !== undefined) return names.length * 8;
  const fp = note === NT_FPREGSET ? arch.ptrace.fpregsetFields : undefined;
  const last = fp?.[fp.length - 1];
  return last === undefined ? 0 : last.offset + last.bytes * (last.count ?? 1);
}

/** The fields of an FP register set that `b` reaches (an array as far as it goes), in hex. */
function formatFpregset(fields: NonNullable<ArchDescriptor['ptrace']['fpregsetFields']>, b: Uint8Array): string {
  const x = (v: bigint): string => (v === 0n ? '0' : hex(v));
  const out: string[] = [];
  for (const f of fields) {
    if (out.length > 0 && b.length <= f.offset) break;
    if (f.count === undefined) out.push(`${f.name}=${x(readInt(b, f.offset, f.bytes, false))}`);
    else {
      const n = Math.min(f.count, Math.floor((b.length - f.offset) / f.bytes));
      out.push(`${f.name}=[${Array.from({ length: n }, (_, i) => x(readInt(b, f.offset + i * f.bytes, f.bytes, false))).join(', ')}]`);
    }
  }
  return `{${out.join(', ')}}`;
}

/** The iovec of a regset request, or null when it cannot be read. */
function readIov(ctx: DecodeContext, addr: bigint): { base: bigint; len: bigint } | null {
  const b = u64(addr) === 0n ? null : ctx.mem.read(u64(addr), 16);
  return b === null ? null : { base: readInt(b, 0, 8, false), len: readInt(b, 8, 8, false) };
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
export const AUDIT_ARCHES = xlat([['AUDIT_ARCH_X86_64', 0xc000003e], ['AUDIT_ARCH_AARCH64', 0xc00000b7], ['AUDIT_ARCH_RISCV64', 0xc00000f3]]);

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

const PEEKSIGINFO_FLAGS = xlat([['PTRACE_PEEKSIGINFO_SHARED', 1]]);
const SECCOMP_FILTER_FLAGS = xlat([
  ['SECCOMP_FILTER_FLAG_TSYNC', 1], ['SECCOMP_FILTER_FLAG_LOG', 2], ['SECCOMP_FILTER_FLAG_SPEC_ALLOW', 4],
  ['SECCOMP_FILTER_FLAG_NEW_LISTENER', 8], ['SECCOMP_FILTER_FLAG_TSYNC_ESRCH', 16], ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV', 32],
]);
/** struct siginfo's size: PTRACE_PEEKSIGINFO fills an array of them. */
const SIGINFO_SIZE = 128n;
/** struct seccomp_metadata: filter_off, then flags. */
const SECCOMP_METADATA_FLAGS = 8;
const SECCOMP_METADATA_SIZE = 16;

/** PTRACE_PEEKSIGINFO's struct ptrace_peeksiginfo_args: `{off=0, flags=PTRACE_PEEKSIGINFO_SHARED, nr=4}`. */
function printPeeksiginfoArgs(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(u64(addr), 16);
  if (b === null) return hex(addr);
  return struct([`off=${readInt(b, 0, 8, false)}`, `flags=${printFlagsOrZero(ctx.options.xlat, PEEKSIGINFO_FLAGS, readInt(b, 8, 4, false))}`,
    `nr=${readInt(b, 12, 4, false)}`]);
}

/** What an entry left for the exit to finish. */
type PtraceState =
  | typeof DONE
  | { readonly kind: 'getregset'; readonly len: bigint }
  | { readonly kind: 'setregset'; readonly len: bigint }
  | { readonly kind: 'metadata'; readonly size: bigint }
  | { readonly kind: 'out' };

const ptrace: SyscallDecoder = {
  enter(ctx) {
    const [reqArg, pidArg, addr, data] = ctx.args as [bigint, bigint, bigint, bigint];
    const style = ctx.options.xlat;
    const req = printEnum(style, requests(ctx.arch), BigInt.asUintN(64, reqArg), 'PTRACE_???');
    const name = requestName(ctx);
    if (name === 'PTRACE_TRACEME') return { text: req, state: DONE };
    const pid = printPid(ctx, int(pidArg));
    if (name === 'PTRACE_ATTACH' || name === 'PTRACE_INTERRUPT' || name === 'PTRACE_KILL' || name === 'PTRACE_LISTEN') {
      return { text: `${req}, ${pid}`, state: DONE };
    }
    const note = Number(BigInt.asUintN(32, addr));
    // x86_64's GETREGS/SETREGS/GETFPREGS/SETFPREGS: only the registers' address, no addr argument.
    if (name === 'PTRACE_SETREGS' || name === 'PTRACE_SETFPREGS') {
      const set = name === 'PTRACE_SETREGS' ? NT_PRSTATUS : NT_FPREGSET;
      return { text: `${req}, ${pid}, ${printRegset(ctx, data, BigInt(regsetSize(ctx.arch, set)), set, false)}`, state: DONE };
    }
    if (name === 'PTRACE_GETREGS' || name === 'PTRACE_GETFPREGS') return { text: `${req}, ${pid}, `, state: { kind: 'out' } };
    let addrText: string;
    if (name === 'PTRACE_GETREGSET' || name === 'PTRACE_SETREGSET') addrText = printEnum(style, NT_TYPES, BigInt(note), 'NT_???');
    else if (name === 'PTRACE_GETSIGMASK' || name === 'PTRACE_SETSIGMASK' || name === 'PTRACE_GET_SYSCALL_INFO'
      || name === 'PTRACE_SECCOMP_GET_FILTER' || name === 'PTRACE_SECCOMP_GET_METADATA') addrText = udec(addr);
    else if (name === 'PTRACE_PEEKUSER' || name === 'PTRACE_POKEUSER') addrText = printUserOffset(ctx.arch, addr);
    else if (name === 'PTRACE_PEEKSIGINFO') addrText = printPeeksiginfoArgs(ctx, addr);
    else addrText = printPtr(addr);
    const head = `${req}, ${pid}, ${addrText}, `;
    if (name !== undefined && RESUMING.has(name)) return { text: head + printSignalName(style, int(data)), state: DONE };
    if (name === 'PTRACE_SEIZE' || name === 'PTRACE_SETOPTIONS') return { text: head + printFlagsOrZero(style, PTRACE_OPTIONS, u64(data)), state: DONE };
    if (name === 'PTRACE_SETSIGINFO') return { text: head + printSiginfoAt(ctx, data), state: DONE };
    if (name === 'PTRACE_SETSIGMASK') return { text: head + printSigsetAt(ctx, data, addr), state: DONE };
    if (name === 'PTRACE_GETREGSET' || name === 'PTRACE_SETREGSET') {
      const iov = readIov(ctx, data);
      if (iov === null) return { text: head + printPtr(data), state: DONE };
      if (name === 'PTRACE_GETREGSET') return { text: head, state: { kind: 'getregset', len: iov.len } };
      return { text: `${head}{iov_base=${printRegset(ctx, iov.base, iov.len, note, false)}, iov_len=${udec(iov.len)}`, state: { kind: 'setregset', len: iov.len } };
    }
    if (name === 'PTRACE_SECCOMP_GET_METADATA') {
      const size = u64(addr);
      const b = size < 8n || u64(data) === 0n ? null : ctx.mem.read(u64(data), 8);
      if (b === null) return { text: head + printPtr(data), state: DONE };
      return { text: `${head}{filter_off=${readInt(b, 0, 8, false)}`, state: { kind: 'metadata', size } };
    }
    if (name === 'PTRACE_POKETEXT' || name === 'PTRACE_POKEDATA' || name === 'PTRACE_POKEUSER') return { text: head + printPtr(data), state: DONE };
    if (name !== undefined && OUTPUT.has(name) && ctx.options.structs !== false) return { text: head, state: { kind: 'out' } };
    return { text: head + printPtr(data), state: DONE };
  },
  exit(ctx: ExitContext, entry) {
    const state = entry.state as PtraceState | undefined;
    const plain = formatReturn(ctx, 'dec');
    if (state === DONE || state === undefined) return { text: '', ret: plain };
    const name = requestName(ctx);
    const [, , addr, data] = ctx.args as [bigint, bigint, bigint, bigint];
    const failed = isError(ctx.ret);
    const note = Number(BigInt.asUintN(32, addr));
    switch (state.kind) {
      case 'getregset': {
        const iov = readIov(ctx, data);
        if (iov === null) return { text: printPtr(data), ret: plain };
        const lens = iov.len === state.len ? udec(iov.len) : `${udec(state.len)} => ${udec(iov.len)}`;
        return { text: `{iov_base=${printRegset(ctx, iov.base, iov.len, note, failed)}, iov_len=${lens}}`, ret: plain };
      }
      case 'setregset': {
        const iov = readIov(ctx, data);
        const changed = iov !== null && iov.len !== state.len ? ` => ${udec(iov.len)}` : '';
        return { text: `${changed}}`, ret: plain };
      }
      case 'metadata': {
        let text = '';
        if (!failed && state.size > BigInt(SECCOMP_METADATA_FLAGS)) {
          const b = state.size < BigInt(SECCOMP_METADATA_SIZE) ? null : ctx.mem.read(u64(data) + BigInt(SECCOMP_METADATA_FLAGS), 8);
          text = b === null ? ', ???' : `, flags=${printFlagsOrZero(ctx.options.xlat, SECCOMP_FILTER_FLAGS, readInt(b, 0, 8, false))}`;
          if (b !== null && state.size > BigInt(SECCOMP_METADATA_SIZE)) text += ', ...';
        }
        return { text: `${text}}`, ret: plain };
      }
      case 'out':
        break;
    }
    let text: string;
    if (name === 'PTRACE_GETREGS' || name === 'PTRACE_GETFPREGS') {
      const set = name === 'PTRACE_GETREGS' ? NT_PRSTATUS : NT_FPREGSET;
      text = printRegset(ctx, data, BigInt(regsetSize(ctx.arch, set)), set, failed);
    } else if (failed || u64(data) === 0n) text = printPtr(data);
    else if (name === 'PTRACE_GETSIGINFO') text = printSiginfoAt(ctx, data);
    else if (name === 'PTRACE_GETSIGMASK') text = printSigsetAt(ctx, data, addr);
    else if (name === 'PTRACE_PEEKSIGINFO') {
      const items: string[] = [];
      for (let i = 0n; i < u64(ctx.ret); i++) items.push(printSiginfoAt(ctx, u64(data) + i * SIGINFO_SIZE));
      text = `[${items.join(', ')}]`;
    } else if (name === 'PTRACE_SECCOMP_GET_FILTER') text = printPtr(data);
    else if (name === 'PTRACE_GET_SYSCALL_INFO') text = printSyscallInfo(ctx, data, addr);
    else {
      const b = ctx.mem.read(u64(data), 8);
      const v = b === null ? undefined : readInt(b, 0, 8, false);
      text = v === undefined ? printPtr(data) : name === 'PTRACE_GETEVENTMSG' ? `[${udec(v)}]` : `[${v === 0n ? '0' : hex(v)}]`;
    }
    return { text, ret: plain };
  },
};

// process_vm_readv/writev (strace's process_vm.c): the local iovecs show data (readv: what was
// read, at the exit; on failure their addresses only), the remote ones their addresses.
const remoteIov = (ctx: DecodeContext): string => printIovec(ctx, ctx.args[3]!, ctx.args[4]!, -1n, true);

export const PTRACE_SYSCALLS: SyscallTable = {
  ptrace: { decoder: ptrace },
  process_vm_readv: { args: [pid,
    customOut((ctx, v) => (isError(ctx.ret) ? printIovec(ctx, v, ctx.args[2]!, -1n, true) : printIovec(ctx, v, ctx.args[2]!, u64(ctx.ret), false))),
    atExit(ulong), customOut((ctx) => remoteIov(ctx)), atExit(ulong), atExit(ulong)] },
  process_vm_writev: { args: [pid, custom((ctx, v) => printIovec(ctx, v, ctx.args[2]!, -1n, false)), ulong,
    custom((ctx) => remoteIov(ctx)), ulong, ulong] },
};


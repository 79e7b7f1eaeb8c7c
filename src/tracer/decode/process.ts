// Process and thread syscalls (strace's execve.c, clone.c, wait.c, exit.c, resource.c,
// futex.c, affinity.c, uname.c, sysinfo.c).
import type { DecodeContext, DecodeOptions, ExitContext, SyscallDecoder } from './types.js';
import { CLONE_ARGS, RLIMIT, RUSAGE, SYSINFO, TIMESPEC, UTSNAME } from '../../abi/structs.js';
import {
  CLONE, CLONE3_FLAGS, CLONE_FLAGS, FUTEX_BITSET, FUTEX_OPS, FUTEX_WAKE_CMPS, FUTEX_WAKE_OPS, IOPRIO_CLASSES, IOPRIO_WHO,
  PERSONALITY_FLAGS, PERSONALITY_TYPES, PTRACE_EVENTS, P_TYPES, RLIMIT_RESOURCES, RUSAGE_WHO, WAIT_OPTIONS,
} from '../xlat/process.js';
import { custom, customOut, entryOnly, i32, pid, ptr, rawDecoder, ulong, xlong, xval, type SyscallTable } from './args.js';
import {
  dec, formatReturn, hex, int, isError, printArray, printEnum, printFlags, printInStruct, printNamed,
  printOutInt, printOutStruct, printPath, printPid, printPidOrGroup, printPtr, printStringArray, printStringArrayCount, quoteBytes,
  quoteFixedCString, readInt, printDirFd, struct, StructView, u64, uint, varsComment,
} from './printers.js';
import { AT_FLAGS } from '../xlat/fs.js';
import { printSignalName, printSiginfoAt } from './signal.js';

// ---- execve ------------------------------------------------------------------------------------

const execve = entryOnly((ctx) => {
  const [path, argv, envp] = ctx.args;
  const env = ctx.options.verbose ? printStringArray(ctx, envp!) : printStringArrayCount(ctx, envp!);
  return `${printPath(ctx, path!)}, ${printStringArray(ctx, argv!)}, ${env}`;
});

const execveat = entryOnly((ctx) => {
  const [dfd, path, argv, envp, flags] = ctx.args;
  const env = ctx.options.verbose ? printStringArray(ctx, envp!) : printStringArrayCount(ctx, envp!);
  return `${printDirFd(ctx, dfd!)}, ${printPath(ctx, path!)}, ${printStringArray(ctx, argv!)}, ${env}, ` +
    printFlags(ctx.options.xlat, AT_FLAGS, BigInt(uint(flags!)), 'AT_???');
});

/** One argv string given as text, quoted and cut at -s like printstr does. */
function quoteArg(s: string, limit: number): string {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= limit) return quoteBytes(bytes, bytes.length).text;
  return `${quoteBytes(bytes, limit).text}...`;
}

/**
 * The argument text of the execve line the tracer prints for the program it started
 * (`"./prog", ["./prog", "a"], 0x7ffd… /* 20 vars *\/`), identical to the decoder's output for
 * the same call. `envp` is the guest address of the environment array (printed without -v);
 * with -v the `env` strings are printed instead.
 */
export function formatExecveArgs(
  path: string, argv: readonly string[], envCount: number, options: DecodeOptions,
  where: { readonly envp?: bigint; readonly env?: readonly string[] } = {},
): string {
  const limit = options.stringLimit;
  const list = (items: readonly string[]): string => {
    const parts: string[] = [];
    for (let i = 0; i < items.length; i++) {
      if (!options.verbose && i >= limit) { parts.push('...'); break; }
      parts.push(quoteArg(items[i]!, limit));
    }
    return `[${parts.join(', ')}]`;
  };
  const pathBytes = new TextEncoder().encode(path);
  const envText = options.verbose && where.env !== undefined
    ? list(where.env)
    : `${printPtr(where.envp ?? 0n)} ${varsComment(envCount)}`;
  return `${quoteBytes(pathBytes, pathBytes.length).text}, ${list(argv)}, ${envText}`;
}

/** `execve(…)` without the ` = 0`, which the printer aligns like every other line. */
export function formatExecveLine(
  path: string, argv: readonly string[], envCount: number, options: DecodeOptions,
  where: { readonly envp?: bigint; readonly env?: readonly string[] } = {},
): string {
  return `execve(${formatExecveArgs(path, argv, envCount, options, where)})`;
}

// ---- clone / clone3 ----------------------------------------------------------------------------

function printCloneFlags(ctx: DecodeContext, all: bigint): string {
  const flags = all & ~CLONE.CSIGNAL;
  const sig = Number(all & CLONE.CSIGNAL);
  const style = ctx.options.xlat;
  if (flags === 0n) return printSignalName(style, sig);
  const f = printFlags(style, CLONE_FLAGS, flags, 'CLONE_???');
  return sig !== 0 ? `${f}|${printSignalName(style, sig)}` : f;
}

const clone: SyscallDecoder = {
  enter(ctx) {
    const [flagsArg, stack] = ctx.args;
    return { text: `child_stack=${printPtr(stack!)}, flags=${printCloneFlags(ctx, u64(flagsArg!))}` };
  },
  exit(ctx) {
    const flags = u64(ctx.args[0]!) & ~CLONE.CSIGNAL;
    const order = ctx.arch.cloneArgs;
    let text = '';
    if (flags & (CLONE.PARENT_SETTID | CLONE.PIDFD)) {
      const addr = ctx.args[2]!;
      text += `, parent_tid=${printOutInt(ctx, addr, 4)}`;
    }
    if (flags & CLONE.SETTLS) text += `, tls=${printPtr(ctx.args[order.tls]!)}`;
    if (flags & (CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID)) text += `, child_tidptr=${printPtr(ctx.args[order.ctid]!)}`;
    return { text, ret: formatReturn(ctx, 'pid') };
  },
};

const CLONE_ARGS_MIN = 64; // offsetofend(struct clone_args, tls)

function printCloneArgs(ctx: DecodeContext, v: StructView<keyof typeof CLONE_ARGS.fields>, size: number): string {
  const style = ctx.options.xlat;
  const flags = v.get('flags');
  const f: string[] = [`flags=${printFlagsMulti(style, flags)}`];
  if (flags & CLONE.PIDFD) f.push(`pidfd=${printPtr(v.get('pidfd'))}`);
  if (flags & (CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID)) f.push(`child_tid=${printPtr(v.get('child_tid'))}`);
  if (flags & CLONE.PARENT_SETTID) f.push(`parent_tid=${printPtr(v.get('parent_tid'))}`);
  const sig = v.get('exit_signal');
  f.push(`exit_signal=${sig < 0x7fffffffn ? printSignalName(style, Number(sig)) : sig.toString()}`);
  f.push(`stack=${printPtr(v.get('stack'))}`, `stack_size=${hex(v.get('stack_size'))}`);
  if (flags & CLONE.SETTLS) f.push(`tls=${printPtr(v.get('tls'))}`);
  const setTid = v.get('set_tid');
  const setTidSize = v.get('set_tid_size');
  if (setTid !== 0n || setTidSize !== 0n) {
    if (setTid === 0n || setTidSize === 0n || setTidSize > 32n) f.push(`set_tid=${printPtr(setTid)}`);
    else f.push(`set_tid=${printArray(ctx, setTid, Number(setTidSize), 4, (b) => String(readInt(b, 0, 4, true)))}`);
    f.push(`set_tid_size=${setTidSize}`);
  }
  if (size > 80 && (v.get('cgroup') !== 0n || flags & CLONE.INTO_CGROUP)) f.push(`cgroup=${v.get('cgroup')}`);
  return struct(f);
}

/** clone3's flags draw on two tables (strace's printflags_ex with clone_flags and clone3_flags). */
function printFlagsMulti(style: DecodeOptions['xlat'], value: bigint): string {
  if (style === 'raw') return hex(value);
  let rest = value;
  const names: string[] = [];
  for (const table of [CLONE_FLAGS, CLONE3_FLAGS]) {
    for (const [v, n] of table.rows) {
      if (v !== 0n && (rest & v) === v) { names.push(n); rest &= ~v; }
    }
  }
  if (names.length === 0) return value === 0n ? '0' : `${hex(value)} /* CLONE_??? */`;
  let body = names.join('|');
  if (rest !== 0n) body += `|${hex(rest)}`;
  return style === 'verbose' ? `${hex(value)} /* ${body} */` : body;
}

function readCloneArgs(ctx: DecodeContext, addr: bigint, size: number): StructView<keyof typeof CLONE_ARGS.fields> | null {
  const fetch = Math.min(size, CLONE_ARGS.size);
  const b = ctx.mem.read(addr, fetch);
  if (b === null) return null;
  const full = new Uint8Array(CLONE_ARGS.size);
  full.set(b);
  return new StructView(full, CLONE_ARGS);
}

/**
 * The bytes of a clone_args past the struct strace knows (print_nonzero_bytes): nothing when they
 * are all zero, `/* bytes 88..95 *\/ "\x.."` when not, `???` when they cannot be read.
 */
function cloneArgsTail(ctx: DecodeContext, addr: bigint, size: number): string | undefined {
  const end = Math.min(size, 4096);
  if (CLONE_ARGS.size >= end) return undefined;
  const b = ctx.mem.read(addr + BigInt(CLONE_ARGS.size), end - CLONE_ARGS.size);
  if (b === null) return '???';
  if (b.every((x) => x === 0)) return undefined;
  const limit = ctx.options.stringLimit;
  const text = quoteBytes(b, Math.min(b.length, limit), { forceHex: true }).text;
  return `/* bytes ${CLONE_ARGS.size}..${end - 1} */ ${text}${b.length > limit ? '...' : ''}`;
}

const clone3Size = (ctx: DecodeContext): number => Number(u64(ctx.args[1]!) > 0x7fffffffn ? 0x7fffffffn : u64(ctx.args[1]!));

const clone3: SyscallDecoder = {
  enter(ctx) {
    const addr = ctx.args[0]!;
    const size = clone3Size(ctx);
    const v = size < CLONE_ARGS_MIN ? null : readCloneArgs(ctx, addr, size);
    if (v === null) return { text: `${printPtr(addr)}, ${size}`, state: false };
    let text = printCloneArgs(ctx, v, size);
    const tail = cloneArgsTail(ctx, addr, size);
    if (tail !== undefined) text = `${text.slice(0, -1)}, ${tail}}`;
    // The kernel may write back (pidfd, parent_tid) or the tail may change: shown at exit.
    if (v.get('flags') & (CLONE.PIDFD | CLONE.PARENT_SETTID) || size > CLONE_ARGS.size) return { text, state: true };
    return { text: `${text}, ${size}`, state: false };
  },
  exit(ctx, entry) {
    const size = clone3Size(ctx);
    if (entry.state !== true) return { text: '', ret: formatReturn(ctx, 'pid') };
    let changed = '';
    if (!isError(ctx.ret)) {
      const v = readCloneArgs(ctx, ctx.args[0]!, size);
      if (v === null) changed = ` => ${printPtr(ctx.args[0]!)}`;
      else {
        const f: string[] = [];
        const flags = v.get('flags');
        if (flags & CLONE.PIDFD) f.push(`pidfd=${printOutInt(ctx, v.get('pidfd'), 4)}`);
        if (flags & CLONE.PARENT_SETTID) f.push(`parent_tid=${printOutInt(ctx, v.get('parent_tid'), 4)}`);
        const tail = cloneArgsTail(ctx, ctx.args[0]!, size);
        if (tail !== undefined) f.push(tail);
        if (f.length > 0) changed = ` => ${struct(f)}`;
      }
    }
    return { text: `${changed}, ${size}`, ret: formatReturn(ctx, 'pid') };
  },
};

// ---- wait4 -------------------------------------------------------------------------------------

/** A wait status: `[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]` (strace's printstatus). */
export function formatWaitStatus(status: number, style: DecodeOptions['xlat'] = 'abbrev'): string {
  let s = status;
  let out: string;
  const sig = (n: number): string => printSignalName('abbrev', n);
  if ((s & 0xff) === 0x7f) {
    const stop = (s >> 8) & 0xff;
    out = `{WIFSTOPPED(s) && WSTOPSIG(s) == ${sig(stop & 0x7f)}${stop & 0x80 ? ' | 0x80' : ''}}`;
    s &= ~((stop << 8) | 0x7f);
  } else if ((s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f) {
    const term = s & 0x7f;
    out = `{WIFSIGNALED(s) && WTERMSIG(s) == ${sig(term)}${s & 0x80 ? ' && WCOREDUMP(s)' : ''}}`;
    s &= ~(term | 0x80);
  } else if ((s & 0x7f) === 0) {
    out = `{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}`;
    s &= ~(((s >> 8) & 0xff) << 8);
  } else if (s === 0xffff) {
    out = '{WIFCONTINUED(s)}';
    s = 0;
  } else {
    return `[${hex(status >>> 0)}]`;
  }
  if (s !== 0) {
    const event = (s >>> 16) & 0xffff;
    if (event !== 0) {
      out += `|${printEnum(style, PTRACE_EVENTS, event, 'PTRACE_EVENT_???')}<<16`;
      s &= 0xffff;
    }
    if (s !== 0) out += `|${hex(s >>> 0)}`;
  }
  return `[${out}]`;
}


function printRusage(ctx: DecodeContext, v: StructView<keyof typeof RUSAGE.fields>): string {
  const tv = (s: bigint, u: bigint): string => `{tv_sec=${s}, tv_usec=${u}}`;
  const f = [
    `ru_utime=${tv(v.get('ru_utime_sec'), v.get('ru_utime_usec'))}`,
    `ru_stime=${tv(v.get('ru_stime_sec'), v.get('ru_stime_usec'))}`,
  ];
  if (ctx.options.verbose) {
    for (const k of ['ru_maxrss', 'ru_ixrss', 'ru_idrss', 'ru_isrss', 'ru_minflt', 'ru_majflt', 'ru_nswap',
      'ru_inblock', 'ru_oublock', 'ru_msgsnd', 'ru_msgrcv', 'ru_nsignals', 'ru_nvcsw', 'ru_nivcsw'] as const) {
      f.push(`${k}=${v.get(k)}`);
    }
  } else {
    f.push('...');
  }
  return struct(f);
}

const wait4: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printPidOrGroup(ctx, int(ctx.args[0]!))}, ` }),
  exit(ctx) {
    const [, statusAddr, options, ru] = ctx.args;
    const r = BigInt.asIntN(64, ctx.ret);
    let status: string;
    if (r === 0n) status = printPtr(statusAddr!);
    else if (u64(statusAddr!) === 0n) status = 'NULL';
    else if (isError(ctx.ret)) status = hex(statusAddr!);
    else {
      const b = ctx.mem.read(statusAddr!, 4);
      status = b === null ? hex(statusAddr!) : formatWaitStatus(Number(readInt(b, 0, 4, true)), ctx.options.xlat);
    }
    const opts = printFlags(ctx.options.xlat, WAIT_OPTIONS, BigInt(uint(options!)), 'W???');
    const usage = r > 0n ? printOutStruct(ctx, ru!, RUSAGE, (v) => printRusage(ctx, v)) : printPtr(ru!);
    return { text: `${status}, ${opts}, ${usage}`, ret: formatReturn(ctx, 'dec') };
  },
};

// waitid: the siginfo of the child it collected ({} when WNOHANG found none).
const waitid: SyscallDecoder = {
  enter: (ctx) => {
    const idtype = int(ctx.args[0]!);
    const id = int(ctx.args[1]!);
    const idText = idtype === 1 || idtype === 2 ? printPid(ctx, id) : String(id);
    return { text: `${printEnum(ctx.options.xlat, P_TYPES, BigInt(idtype), 'P_???')}, ${idText}, ` };
  },
  exit(ctx) {
    const [, , infop, options, ru] = ctx.args;
    const info = u64(infop!) === 0n ? 'NULL' : isError(ctx.ret) ? printPtr(infop!) : printSiginfoAt(ctx, infop!);
    const opts = printFlags(ctx.options.xlat, WAIT_OPTIONS, BigInt(uint(options!)), 'W???');
    const usage = isError(ctx.ret) ? printPtr(ru!) : printOutStruct(ctx, ru!, RUSAGE, (v) => printRusage(ctx, v));
    return { text: `${info}, ${opts}, ${usage}`, ret: formatReturn(ctx, 'dec') };
  },
};

// ---- resources -----------------------------------------------------------------------------------

/** An rlimit value: `RLIM64_INFINITY`, `8192*1024`, or the number (strace's print_rlim64_t). */
function printRlim(style: DecodeOptions['xlat'], lim: bigint): string {
  let sym: string | undefined;
  if (lim === 0xffffffffffffffffn) sym = 'RLIM64_INFINITY';
  else if (lim > 1024n && lim % 1024n === 0n) sym = `${lim / 1024n}*1024`;
  if (sym === undefined || style === 'raw') return lim.toString();
  return style === 'abbrev' ? sym : `${lim} /* ${sym} */`;
}

function printRlimit(ctx: DecodeContext, v: StructView<'rlim_cur' | 'rlim_max'>): string {
  const style = ctx.options.xlat;
  return struct([`rlim_cur=${printRlim(style, v.get('rlim_cur'))}`, `rlim_max=${printRlim(style, v.get('rlim_max'))}`]);
}

const rlimitIn = custom((ctx, v) => printInStruct(ctx, v, RLIMIT, (s) => printRlimit(ctx, s)));
const rlimitOut = customOut((ctx, v) => printOutStruct(ctx, v, RLIMIT, (s) => printRlimit(ctx, s)));
const resource = xval(RLIMIT_RESOURCES, 'RLIMIT_???');

// ---- uname / sysinfo / affinity -------------------------------------------------------------------

function printUtsname(ctx: ExitContext, v: StructView<keyof typeof UTSNAME.fields>): string {
  const q = (k: keyof typeof UTSNAME.fields): string => `${k}=${quoteFixedCString(v.raw(k))}`;
  if (!ctx.options.verbose) return struct([q('sysname'), q('nodename'), '...']);
  return struct([q('sysname'), q('nodename'), q('release'), q('version'), q('machine'), q('domainname')]);
}

function printSysinfo(v: StructView<keyof typeof SYSINFO.fields>): string {
  return struct([
    `uptime=${v.get('uptime')}`, `loads=[${v.get('loads0')}, ${v.get('loads1')}, ${v.get('loads2')}]`,
    `totalram=${v.get('totalram')}`, `freeram=${v.get('freeram')}`, `sharedram=${v.get('sharedram')}`,
    `bufferram=${v.get('bufferram')}`, `totalswap=${v.get('totalswap')}`, `freeswap=${v.get('freeswap')}`,
    `procs=${v.get('procs')}`, `totalhigh=${v.get('totalhigh')}`, `freehigh=${v.get('freehigh')}`,
    `mem_unit=${v.get('mem_unit')}`,
  ]);
}

/** A CPU set: `[0 1]` listing the set bits of the first `bytes` bytes (strace's print_affinitylist). */
function printCpuSet(ctx: ExitContext, addr: bigint, len: number): string {
  if (isError(ctx.ret)) return printPtr(addr);
  const n = Math.min(Number(u64(ctx.ret)), len);
  const b = ctx.mem.read(addr, n);
  if (b === null) return hex(addr);
  const cpus: string[] = [];
  for (let i = 0; i < n * 8; i++) if (b[i >> 3]! & (1 << (i & 7))) cpus.push(String(i));
  return `[${cpus.join(' ')}]`;
}

const schedGetaffinity: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printPid(ctx, int(ctx.args[0]!))}, ${u64(ctx.args[1]!)}, ` }),
  exit: (ctx) => ({ text: printCpuSet(ctx, ctx.args[2]!, Number(u64(ctx.args[1]!) & 0xffffffn)), ret: formatReturn(ctx, 'dec') }),
};

const schedSetaffinity = entryOnly((ctx) => {
  const len = Number(u64(ctx.args[1]!) & 0xffffffn);
  const addr = ctx.args[2]!;
  const b = u64(addr) === 0n ? null : ctx.mem.read(addr, len);
  let set = printPtr(addr);
  if (b !== null) {
    const cpus: string[] = [];
    for (let i = 0; i < len * 8; i++) if (b[i >> 3]! & (1 << (i & 7))) cpus.push(String(i));
    set = `[${cpus.join(' ')}]`;
  }
  return `${printPid(ctx, int(ctx.args[0]!))}, ${len}, ${set}`;
});

// ---- prctl / arch_prctl ---------------------------------------------------------------------------

/** A personality word: `PER_LINUX|ADDR_NO_RANDOMIZE` (persona, then any flags). */
function printPersonality(ctx: DecodeContext, word: number): string {
  const style = ctx.options.xlat;
  const type = printEnum(style, PERSONALITY_TYPES, word & 0xff, 'PER_???');
  const flags = (word & ~0xff) >>> 0;
  return flags === 0 ? type : `${type}|${printFlags(style, PERSONALITY_FLAGS, flags)}`;
}

/** personality(2) as strace prints it: the query 0xffffffff as a number, the old value in hex with its names. */
const personality: SyscallDecoder = {
  enter(ctx) {
    const word = Number(BigInt.asUintN(32, ctx.args[0]!));
    return { text: word === 0xffffffff ? '0xffffffff' : printPersonality(ctx, word) };
  },
  exit(ctx) {
    if (isError(ctx.ret)) return { text: '', ret: formatReturn(ctx, 'hex') };
    return { text: '', ret: `${hex(ctx.ret)} (${printPersonality(ctx, Number(BigInt.asUintN(32, ctx.ret)))})` };
  },
};

// ---- futex -------------------------------------------------------------------------------------

/** A struct timespec argument (input): `{tv_sec=0, tv_nsec=1000}`. */
export function printTimespecIn(ctx: DecodeContext, addr: bigint): string {
  return printInStruct(ctx, addr, TIMESPEC, (v) => `{tv_sec=${v.get('tv_sec')}, tv_nsec=${v.get('tv_nsec')}}`);
}

const futex = entryOnly((ctx) => {
  const style = ctx.options.xlat;
  const [uaddr, opArg, valArg, timeout, uaddr2, val3Arg] = ctx.args;
  const op = int(opArg!);
  const cmd = op & 127;
  const val = uint(valArg!);
  const val2 = uint(timeout!);
  const val3 = uint(val3Arg!);
  const parts = [printPtr(uaddr!), printEnum(style, FUTEX_OPS, BigInt(op >>> 0), 'FUTEX_???')];
  const bitset = (): string => printEnum(style, FUTEX_BITSET, val3);
  switch (cmd) {
    case 0: parts.push(String(val), printTimespecIn(ctx, timeout!)); break; // WAIT
    case 6: case 13: parts.push(printTimespecIn(ctx, timeout!)); break; // LOCK_PI, LOCK_PI2
    case 9: parts.push(String(val), printTimespecIn(ctx, timeout!), bitset()); break; // WAIT_BITSET
    case 10: parts.push(String(val), bitset()); break; // WAKE_BITSET
    case 3: parts.push(String(val), String(val2), printPtr(uaddr2!)); break; // REQUEUE
    case 4: case 12: parts.push(String(val), String(val2), printPtr(uaddr2!), String(val3)); break; // CMP_REQUEUE(_PI)
    case 5: { // WAKE_OP
      let o = '';
      if ((val3 >>> 28) & 8) o += `${printNamed(style, 8, 'FUTEX_OP_OPARG_SHIFT')}<<28|`;
      // strace's printxval reports "not found" in -X raw too, so the ??? comments appear there.
      const wop = (val3 >>> 28) & 7;
      const wname = style === 'raw' ? undefined : FUTEX_WAKE_OPS.byValue.get(BigInt(wop));
      o += `${wname === undefined ? hex(wop) : printNamed(style, wop, wname)}<<28${wname === undefined ? ' /* FUTEX_OP_??? */' : ''}`;
      o += `|${hex((val3 >>> 12) & 0xfff)}<<12`;
      const cmp = (val3 >>> 24) & 0xf;
      const cname = style === 'raw' ? undefined : FUTEX_WAKE_CMPS.byValue.get(BigInt(cmp));
      o += `|${cname === undefined ? hex(cmp) : printNamed(style, cmp, cname)}<<24${cname === undefined ? ' /* FUTEX_OP_CMP_??? */' : ''}`;
      o += `|${hex(val3 & 0xfff)}`;
      parts.push(String(val), String(val2), printPtr(uaddr2!), o);
      break;
    }
    case 11: parts.push(String(val), printTimespecIn(ctx, timeout!), printPtr(uaddr2!)); break; // WAIT_REQUEUE_PI
    case 2: case 1: parts.push(String(val)); break; // FD, WAKE
    case 7: case 8: break; // UNLOCK_PI, TRYLOCK_PI
    default: parts.push(String(val), printPtr(timeout!), printPtr(uaddr2!), hex(val3));
  }
  return parts.join(', ');
});

// ---- the table ----------------------------------------------------------------------------------

const utsOut = customOut((ctx, v) => printOutStruct(ctx, v, UTSNAME, (s) => printUtsname(ctx, s)));
const sysinfoOut = customOut((ctx, v) => printOutStruct(ctx, v, SYSINFO, printSysinfo));
const rusageOut = customOut((ctx, v) => printOutStruct(ctx, v, RUSAGE, (s) => printRusage(ctx, s)));
const none = { args: [], ret: 'dec' } as const;
/** A call without arguments that returns a process or thread id. */
const pidReturning = { args: [], ret: 'pid' } as const;

// ---- I/O priority ----------------------------------------------------------------------------

/** An I/O priority's class and data (sprint_ioprio): `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`. */
function ioprioValue(ctx: DecodeContext, v: bigint): string {
  const value = Number(BigInt.asUintN(32, v));
  const cls = printEnum(ctx.options.xlat, IOPRIO_CLASSES, value >>> 13, 'IOPRIO_CLASS_???');
  return `IOPRIO_PRIO_VALUE(${cls}, ${value & 0x1fff})`;
}

const ioprioWho = xval(IOPRIO_WHO, 'IOPRIO_WHO_???');
/** `which, who`: the who of a process or a process group as a pid (-Y names it). */
const ioprioTarget = (ctx: DecodeContext): string => {
  const which = uint(ctx.args[0]!);
  const who = int(ctx.args[1]!);
  return `${ioprioWho.print(ctx, ctx.args[0]!)}, ${which === 1 || which === 2 ? printPid(ctx, who) : who}`;
};

const ioprioGet: SyscallDecoder = {
  enter: (ctx) => ({ text: ioprioTarget(ctx) }),
  exit: (ctx) => ({
    text: '',
    ret: isError(ctx.ret) || ctx.options.xlat === 'raw' ? formatReturn(ctx, 'dec') : `${dec(ctx.ret)} (${ioprioValue(ctx, ctx.ret)})`,
  }),
};

/** ioprio_set's priority: the pair, -X raw the int, -X verbose both. */
const ioprioSet = entryOnly((ctx) => {
  const v = ctx.args[2]!;
  const pair = ioprioValue(ctx, v);
  const style = ctx.options.xlat;
  const value = style === 'abbrev' ? pair : style === 'raw' ? String(int(v)) : `${int(v)} /* ${pair} */`;
  return `${ioprioTarget(ctx)}, ${value}`;
});

/** A uid_t or gid_t as strace prints it: -1 for (uid_t)-1, else unsigned. */
function idText(v: bigint): string {
  const u = BigInt.asUintN(32, v);
  return u === 0xffffffffn ? '-1' : u.toString();
}
const id = custom((_ctx, v) => idText(v));

export const PROCESS_SYSCALLS: SyscallTable = {
  personality: { decoder: personality },
  execve: { decoder: execve },
  execveat: { decoder: execveat },
  exit: { args: [i32], ret: 'none' },
  exit_group: { args: [i32], ret: 'none' },
  clone: { decoder: clone },
  clone3: { decoder: clone3 },
  fork: pidReturning,
  vfork: pidReturning,
  wait4: { decoder: wait4 },
  waitid: { decoder: waitid },
  getpid: pidReturning,
  getppid: pidReturning,
  gettid: pidReturning,
  getuid: none,
  geteuid: none,
  getgid: none,
  getegid: none,
  getpgrp: pidReturning,
  setsid: none,
  getpgid: { args: [pid], ret: 'pid' },
  getsid: { args: [pid], ret: 'pid' },
  setpgid: { args: [pid, pid] },
  setuid: { args: [id] },
  setgid: { args: [id] },
  setreuid: { args: [id, id] },
  setregid: { args: [id, id] },
  setresuid: { args: [id, id, id] },
  setresgid: { args: [id, id, id] },
  setfsuid: { args: [id] },
  setfsgid: { args: [id] },
  setgroups: {
    args: [i32, custom((ctx, v) => printArray(ctx, v, Math.max(0, Math.min(int(ctx.args[0]!), 65536)), 4, (b) => idText(readInt(b, 0, 4, false))))],
  },
  uname: { args: [utsOut] },
  // strace prints the address as a number: set_tid_address(0), not NULL.
  set_tid_address: { args: [xlong] },
  set_robust_list: { args: [ptr, ulong] },
  prlimit64: { args: [pid, resource, rlimitIn, rlimitOut] },
  getrlimit: { args: [resource, rlimitOut] },
  setrlimit: { args: [resource, rlimitIn] },
  getrusage: { args: [xval(RUSAGE_WHO, 'RUSAGE_???', 'd'), rusageOut] },
  sysinfo: { args: [sysinfoOut] },
  sched_getaffinity: { decoder: schedGetaffinity },
  sched_setaffinity: { decoder: schedSetaffinity },
  sched_yield: none,
  // strace 6.1 decodes no rseq argument: its four arguments in hex (strace's printargs).
  rseq: { decoder: rawDecoder(4) },
  futex: { decoder: futex },
  ioprio_get: { decoder: ioprioGet },
  ioprio_set: { decoder: ioprioSet },
};


// prctl and arch_prctl (strace's prctl.c): each option's arguments by what they mean, the rest in
// hex as print_prctl_args does; results that carry a value (PR_GET_SECUREBITS, PR_MCE_KILL_GET,
// PR_GET_TAGGED_ADDR_CTRL, ...) with their names after them.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import type { SyscallTable } from './args.js';
import {
  ARCH_PRCTL_CODES, PIDTYPES, PR, PRCTL_OPTIONS, PR_DUMPABLE, PR_FP_MODES, PR_MCE_KILL_OPS, PR_MCE_KILL_POLICIES, PR_MTE_TCF,
  PR_PAC_ALL_KEYS, PR_PAC_ENABLED_KEYS, PR_SCHED_CORE_CMDS, PR_SET_MM_OPS, PR_SET_VMA_OPS, PR_SME_VL_FLAGS, PR_SPEC_CMDS,
  PR_SPEC_GET_FLAGS, PR_SPEC_SET_FLAGS, PR_SVE_VL_FLAGS, PR_SYS_DISPATCH, PR_TAGGED_ADDR_ENABLE, PR_TSC, PR_UNALIGN_FLAGS,
  PR_VL_LEN_MASK, SECCOMP_MODES, SECUREBITS, X86_XFEATURE_BITS, X86_XFEATURES,
} from '../xlat/process.js';
import type { Xlat } from '../xlat/xlat.js';
import {
  dec, formatReturn, hex, int, isError, printCString, printEnum, printFlags, printNamed, printOutInt, printPid, printPtr, readInt, u64, uint,
} from './printers.js';
import { printSignalName } from './signal.js';
import { capabilityPrctlArgs } from './capability.js';
import { printSeccompFprog } from './seccomp.js';

// prctl options that PR (the older table) does not name.
const PR_GET_UNALIGN = 5;
const PR_SET_UNALIGN = 6;
const PR_SET_SECCOMP = 22;
const PR_GET_TSC = 25;
const PR_SET_TSC = 26;
const PR_GET_SECUREBITS = 27;
const PR_SET_SECUREBITS = 28;
const PR_SET_TIMERSLACK = 29;
const PR_MCE_KILL = 33;
const PR_MCE_KILL_GET = 34;
const PR_SET_MM = 35;
const PR_SET_FP_MODE = 45;
const PR_GET_FP_MODE = 46;
const PR_GET_SPECULATION_CTRL = 52;
const PR_SET_SPECULATION_CTRL = 53;
const PR_PAC_RESET_KEYS = 54;
const PR_SET_TAGGED_ADDR_CTRL = 55;
const PR_GET_TAGGED_ADDR_CTRL = 56;
const PR_SET_SYSCALL_USER_DISPATCH = 59;
const PR_PAC_SET_ENABLED_KEYS = 60;
const PR_PAC_GET_ENABLED_KEYS = 61;
const PR_SCHED_CORE = 62;
const PR_SET_VMA = 0x53564d41;

const PR_MCE_KILL_SET = 1n;
const PR_SET_VMA_ANON_NAME = 0n;
const PR_SCHED_CORE_GET = 0;
const SECCOMP_MODE_STRICT = 1n;

/**
 * An SVE/SME vector length word as strace's sprint_sve_val prints it: the flag names, then the
 * length (`PR_SVE_VL_INHERIT|0xea57`, `0xdead`); with -X verbose the raw word first when there
 * are flags. `aux` (a result's comment) gives undefined when there are no flags, or with -X raw.
 */
function printVectorLength(ctx: DecodeContext, option: number, word: bigint, aux: boolean): string | undefined {
  const style = ctx.options.xlat;
  if (style === 'raw') return aux ? undefined : hex(word);
  const vl = word & PR_VL_LEN_MASK;
  const flags = word & ~PR_VL_LEN_MASK;
  if (flags === 0n && aux) return undefined;
  const table = option === PR.SME_SET_VL || option === PR.SME_GET_VL ? PR_SME_VL_FLAGS : PR_SVE_VL_FLAGS;
  const names = flags === 0n ? '' : `${printFlags('abbrev', table, flags)}|`;
  if (!aux && flags !== 0n && style === 'verbose') return `${hex(word)} /* ${names}${hex(vl)} */`;
  return `${names}${hex(vl)}`;
}

const PR_TAGGED_ADDR_ENABLE_BIT = 1n;
const PR_MTE_TCF_MASK = 6n;
const PR_MTE_TAG_SHIFT = 3n;
const PR_MTE_TAG_MASK = 0xffffn << PR_MTE_TAG_SHIFT;

/**
 * A tagged address control word (sprint_tagged_addr_val): `PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_SYNC|0x1<<PR_MTE_TAG_SHIFT`;
 * as an argument -X raw gives the number and -X verbose both; as a result (`result`) the names
 * only, none with -X raw.
 */
function printTaggedAddr(ctx: DecodeContext, word: bigint, result: boolean): string | undefined {
  const style = ctx.options.xlat;
  if (style === 'raw') return result ? undefined : hex(word);
  const enabled = word & PR_TAGGED_ADDR_ENABLE_BIT;
  const tcf = word & PR_MTE_TCF_MASK;
  const tag = word & PR_MTE_TAG_MASK;
  const rest = word & ~(PR_TAGGED_ADDR_ENABLE_BIT | PR_MTE_TCF_MASK | PR_MTE_TAG_MASK);
  let text = `${PR_TAGGED_ADDR_ENABLE.byValue.get(enabled)!}|${PR_MTE_TCF.byValue.get(tcf)!}`;
  if (tag !== 0n) text += `|${hex(tag >> PR_MTE_TAG_SHIFT)}<<PR_MTE_TAG_SHIFT`;
  if (rest !== 0n) text += `|${hex(rest)}`;
  if (result || style === 'abbrev') return text;
  return `${hex(word)} /* ${text} */`;
}

/** A result in hex with its flag names after it (RVAL_HEX | RVAL_STR with sprintflags' auxstr); 0 alone. */
function hexWithFlags(ctx: ExitContext, table: Xlat): string {
  if (isError(ctx.ret) || ctx.ret === 0n) return formatReturn(ctx, 'dec');
  if (ctx.options.xlat === 'raw') return hex(ctx.ret);
  return `${hex(ctx.ret)} (${printFlags('abbrev', table, u64(ctx.ret))})`;
}

/** A result with its name after it when it has one (RVAL_STR with xlookup's auxstr). */
function decWithName(ctx: ExitContext, table: Xlat): string {
  if (isError(ctx.ret)) return formatReturn(ctx, 'dec');
  const name = table.byValue.get(u64(ctx.ret));
  return name === undefined ? dec(ctx.ret) : `${dec(ctx.ret)} (${name})`;
}

/** A pointer to an unsigned int the kernel fills, printed with `show` (`[PR_TSC_ENABLE]`). */
function outUint(ctx: ExitContext, addr: bigint, show: (v: number) => string): string {
  return printOutInt(ctx, addr, 4, (v) => show(Number(BigInt.asUintN(32, v))));
}

export const prctl: SyscallDecoder = {
  enter(ctx) {
    const style = ctx.options.xlat;
    const option = uint(ctx.args[0]!);
    const head = printEnum(style, PRCTL_OPTIONS, option, 'PR_???');
    const a = ctx.args;
    const rest = (first: number): string => a.slice(first, 5).map((x) => `, ${hex(x)}`).join('');
    const flags64 = (table: Xlat, v: bigint, dflt: string): string => printFlags(style, table, u64(v), dflt);
    switch (option) {
      case PR.GET_KEEPCAPS: case PR.GET_SECCOMP: case PR.GET_TIMERSLACK: case PR.GET_TIMING:
      case PR.GET_DUMPABLE: case PR.TASK_PERF_EVENTS_DISABLE: case PR.TASK_PERF_EVENTS_ENABLE:
      case PR_GET_SECUREBITS: case PR_GET_FP_MODE: case PR.SVE_GET_VL: case PR.SME_GET_VL:
        return { text: head };
      case PR.GET_CHILD_SUBREAPER: case PR.GET_ENDIAN: case PR.GET_FPEMU: case PR.GET_FPEXC:
      case PR.GET_NAME: case PR.GET_PDEATHSIG: case PR.GET_TID_ADDRESS: case PR_GET_TSC: case PR_GET_UNALIGN:
        return { text: `${head}, ` };
      case PR.SET_NAME:
        return { text: `${head}, ${printCString(ctx, a[1]!, 15)}` };
      case PR.SET_DUMPABLE:
        return { text: `${head}, ${printEnum(style, PR_DUMPABLE, u64(a[1]!), 'SUID_DUMP_???')}` };
      case PR.SET_PDEATHSIG:
        return { text: `${head}, ${u64(a[1]!) > 128n ? u64(a[1]!).toString() : printSignalName(style, Number(a[1]!))}` };
      case PR.SET_CHILD_SUBREAPER: case PR.SET_ENDIAN: case PR.SET_FPEMU: case PR.SET_FPEXC:
      case PR.SET_KEEPCAPS: case PR.SET_TIMING:
        return { text: `${head}, ${u64(a[1]!)}` };
      case PR.SET_NO_NEW_PRIVS: case PR.SET_THP_DISABLE: case PR.SET_IO_FLUSHER:
        return { text: `${head}, ${u64(a[1]!)}${rest(2)}` };
      case PR.SVE_SET_VL: case PR.SME_SET_VL:
        return { text: `${head}, ${printVectorLength(ctx, option, u64(a[1]!), false)!}` };
      case PR.SET_PTRACER:
        return { text: `${head}, ${int(a[1]!) === -1 ? printNamed(style, -1, 'PR_SET_PTRACER_ANY', 'd') : printPid(ctx, int(a[1]!))}` };
      case PR_SET_TSC:
        return { text: `${head}, ${printEnum(style, PR_TSC, uint(a[1]!), 'PR_TSC_???')}` };
      case PR_SET_UNALIGN:
        return { text: `${head}, ${printFlags(style, PR_UNALIGN_FLAGS, uint(a[1]!), 'PR_UNALIGN_???')}` };
      case PR_SET_SECUREBITS:
        return { text: `${head}, ${flags64(SECUREBITS, a[1]!, 'SECBIT_???')}` };
      case PR_SET_TIMERSLACK:
        return { text: `${head}, ${dec(a[1]!)}` };
      case PR_SET_FP_MODE:
        return { text: `${head}, ${printFlags(style, PR_FP_MODES, uint(a[1]!), 'PR_FP_MODE_???')}` };
      case PR_MCE_KILL: {
        const policy = u64(a[1]!) === PR_MCE_KILL_SET ? printEnum(style, PR_MCE_KILL_POLICIES, u64(a[2]!), 'PR_MCE_KILL_???') : hex(a[2]!);
        return { text: `${head}, ${printEnum(style, PR_MCE_KILL_OPS, u64(a[1]!), 'PR_MCE_KILL_???')}, ${policy}${rest(3)}` };
      }
      case PR_MCE_KILL_GET: case PR_GET_TAGGED_ADDR_CTRL: case PR_PAC_GET_ENABLED_KEYS:
        return { text: `${head}${rest(1)}` };
      case PR_SET_MM:
        return { text: `${head}, ${printEnum(style, PR_SET_MM_OPS, uint(a[1]!), 'PR_SET_MM_???')}${rest(2)}` };
      case PR_SET_SECCOMP: {
        const mode = `${head}, ${printEnum(style, SECCOMP_MODES, u64(a[1]!), 'SECCOMP_MODE_???')}`;
        if (u64(a[1]!) === SECCOMP_MODE_STRICT) return { text: mode };
        if (u64(a[1]!) === 2n) return { text: `${mode}, ${printSeccompFprog(ctx, a[2]!)}` };
        return { text: `${mode}${rest(2)}` };
      }
      case PR_GET_SPECULATION_CTRL:
        return { text: `${head}, ${printEnum(style, PR_SPEC_CMDS, u64(a[1]!), 'PR_SPEC_???')}` };
      case PR_SET_SPECULATION_CTRL: {
        const known = u64(a[1]!) <= 2n;
        const value = known ? printEnum(style, PR_SPEC_SET_FLAGS, u64(a[2]!), 'PR_SPEC_???') : hex(a[2]!);
        return { text: `${head}, ${printEnum(style, PR_SPEC_CMDS, u64(a[1]!), 'PR_SPEC_???')}, ${value}` };
      }
      case PR_PAC_RESET_KEYS:
        return { text: `${head}, ${flags64(PR_PAC_ALL_KEYS, a[1]!, 'PR_PAC_???')}${rest(2)}` };
      case PR_PAC_SET_ENABLED_KEYS:
        return { text: `${head}, ${flags64(PR_PAC_ENABLED_KEYS, a[1]!, 'PR_PAC_???')}, ${flags64(PR_PAC_ENABLED_KEYS, a[2]!, 'PR_PAC_???')}${rest(3)}` };
      case PR_SET_TAGGED_ADDR_CTRL:
        return { text: `${head}, ${printTaggedAddr(ctx, u64(a[1]!), false)!}${rest(2)}` };
      case PR_SET_SYSCALL_USER_DISPATCH:
        return { text: `${head}, ${printEnum(style, PR_SYS_DISPATCH, u64(a[1]!), 'PR_SYS_DISPATCH_???')}, ${hex(a[2]!)}, ${hex(a[3]!)}, ${printPtr(a[4]!)}` };
      case PR_SET_VMA: {
        const op = printEnum(style, PR_SET_VMA_OPS, u64(a[1]!), 'PR_SET_VMA_???');
        if (u64(a[1]!) !== PR_SET_VMA_ANON_NAME) return { text: `${head}, ${op}${rest(2)}` };
        return { text: `${head}, ${op}, ${printPtr(a[2]!)}, ${u64(a[3]!)}, ${printCString(ctx, a[4]!)}` };
      }
      case PR_SCHED_CORE: {
        // The pid type always shows its name as a comment (except with -X raw).
        const pidType = printEnum(style === 'raw' ? 'raw' : 'verbose', PIDTYPES, uint(a[3]!), 'PIDTYPE_???');
        const text = `${head}, ${printEnum(style, PR_SCHED_CORE_CMDS, uint(a[1]!), 'PR_SCHED_CORE_???')}, ` +
          `${printPid(ctx, int(a[2]!))}, ${pidType}, `;
        return uint(a[1]!) === PR_SCHED_CORE_GET ? { text } : { text: `${text}${printPtr(a[4]!)}` };
      }
      default:
        return { text: `${head}${capabilityPrctlArgs(ctx, option) ?? rest(1)}` };
    }
  },
  exit(ctx) {
    const option = uint(ctx.args[0]!);
    const a1 = ctx.args[1]!;
    const failed = isError(ctx.ret);
    const style = ctx.options.xlat;
    const plain = formatReturn(ctx, 'dec');
    switch (option) {
      case PR.GET_CHILD_SUBREAPER: case PR.GET_ENDIAN: case PR.GET_FPEMU: case PR.GET_FPEXC:
        return { text: outUint(ctx, a1, String), ret: plain };
      case PR.GET_NAME:
        return { text: failed ? printPtr(a1) : printCString(ctx, a1, 16), ret: plain };
      case PR.GET_PDEATHSIG:
        return { text: printOutInt(ctx, a1, 4, (v) => printSignalName(style, Number(v))), ret: plain };
      case PR.GET_TID_ADDRESS:
        return { text: printOutInt(ctx, a1, 8, (v) => hex(v)), ret: plain };
      case PR_GET_TSC:
        return { text: outUint(ctx, a1, (v) => printEnum(style, PR_TSC, v, 'PR_TSC_???')), ret: plain };
      case PR_GET_UNALIGN:
        return { text: outUint(ctx, a1, (v) => printFlags(style, PR_UNALIGN_FLAGS, v, 'PR_UNALIGN_???')), ret: plain };
      case PR.SVE_SET_VL: case PR.SME_SET_VL: case PR.SVE_GET_VL: case PR.SME_GET_VL: {
        if (failed || ctx.ret === 0n) break;
        const aux = printVectorLength(ctx, option, u64(ctx.ret), true);
        return { text: '', ret: aux === undefined ? hex(ctx.ret) : `${hex(ctx.ret)} (${aux})` };
      }
      case PR.GET_DUMPABLE:
        return { text: '', ret: decWithName(ctx, PR_DUMPABLE) };
      case PR_MCE_KILL_GET:
        return { text: '', ret: decWithName(ctx, PR_MCE_KILL_POLICIES) };
      case PR_GET_SECUREBITS:
        return { text: '', ret: hexWithFlags(ctx, SECUREBITS) };
      case PR_GET_FP_MODE:
        return { text: '', ret: hexWithFlags(ctx, PR_FP_MODES) };
      case PR_PAC_GET_ENABLED_KEYS:
        return { text: '', ret: hexWithFlags(ctx, PR_PAC_ENABLED_KEYS) };
      case PR_GET_SPECULATION_CTRL:
        if (!failed && u64(a1) <= 2n) return { text: '', ret: hexWithFlags(ctx, PR_SPEC_GET_FLAGS) };
        break;
      case PR_GET_TAGGED_ADDR_CTRL: {
        if (failed) break;
        const aux = printTaggedAddr(ctx, u64(ctx.ret), true);
        return { text: '', ret: aux === undefined ? hex(ctx.ret) : `${hex(ctx.ret)} (${aux})` };
      }
      case PR_SCHED_CORE:
        if (uint(a1) !== PR_SCHED_CORE_GET) break;
        return { text: failed ? printPtr(ctx.args[4]!) : printOutInt(ctx, ctx.args[4]!, 8, (v) => hex(v)), ret: plain };
    }
    return { text: '', ret: plain };
  },
};

const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;
const ARCH_GET_CPUID = 0x1011;
const ARCH_GET_XCOMP_SUPP = 0x1021;
const ARCH_GET_XCOMP_PERM = 0x1022;
const ARCH_REQ_XCOMP_PERM = 0x1023;
const ARCH_GET_XCOMP_GUEST_PERM = 0x1024;
const ARCH_REQ_XCOMP_GUEST_PERM = 0x1025;

/** arch_prctl (x86_64): the code, then its address or value; the XSAVE feature masks and bits by name. */
export const archPrctl: SyscallDecoder = {
  enter(ctx) {
    const code = uint(ctx.args[0]!);
    const head = printEnum(ctx.options.xlat, ARCH_PRCTL_CODES, code, 'ARCH_???');
    switch (code) {
      case ARCH_GET_FS: case ARCH_GET_GS:
      case ARCH_GET_XCOMP_SUPP: case ARCH_GET_XCOMP_PERM: case ARCH_GET_XCOMP_GUEST_PERM:
        return { text: `${head}, ` };
      case ARCH_GET_CPUID:
        return { text: head };
      case ARCH_REQ_XCOMP_PERM: case ARCH_REQ_XCOMP_GUEST_PERM: {
        // The feature number always carries its name as a comment (except with -X raw).
        const style = ctx.options.xlat === 'raw' ? 'raw' : 'verbose';
        return { text: `${head}, ${printEnum(style, X86_XFEATURE_BITS, u64(ctx.args[1]!), 'XFEATURE_???')}` };
      }
      default:
        return { text: `${head}, ${hex(ctx.args[1]!)}` };
    }
  },
  exit(ctx) {
    const code = uint(ctx.args[0]!);
    const addr = ctx.args[1]!;
    switch (code) {
      case ARCH_GET_FS: case ARCH_GET_GS:
        return { text: printOutInt(ctx, addr, 8, (v) => hex(v)), ret: formatReturn(ctx, 'dec') };
      case ARCH_GET_XCOMP_SUPP: case ARCH_GET_XCOMP_PERM: case ARCH_GET_XCOMP_GUEST_PERM: {
        const b = isError(ctx.ret) || u64(addr) === 0n ? null : ctx.mem.read(addr, 8);
        const style = ctx.options.xlat === 'raw' ? 'raw' : 'verbose';
        const text = b === null ? printPtr(addr) : `[${printFlags(style, X86_XFEATURES, u64(readInt(b, 0, 8, false)), 'XFEATURE_MASK_???')}]`;
        return { text, ret: formatReturn(ctx, 'dec') };
      }
      case ARCH_REQ_XCOMP_PERM: case ARCH_REQ_XCOMP_GUEST_PERM:
        if (!isError(ctx.ret) && ctx.ret > 0n) return { text: '', ret: hexWithFlags(ctx, X86_XFEATURES) };
        break;
    }
    return { text: '', ret: formatReturn(ctx, 'dec') };
  },
};

export const PRCTL_SYSCALLS: SyscallTable = {
  prctl: { decoder: prctl },
  arch_prctl: { decoder: archPrctl },
};

// seccomp: a thread's filters, classic BPF programs over struct seccomp_data, run at each
// syscall entry after the tracer's entry stop (as Linux's syscall_trace_enter orders them).
// Every filter runs; the most severe verdict wins. Strict mode allows read, write, exit and
// rt_sigreturn only. Filters are inherited by clone and fork and survive execve.

/** A validated filter: its instructions as code, jt, jf, k. */
export interface SeccompFilter {
  readonly code: Uint16Array;
  readonly jt: Uint8Array;
  readonly jf: Uint8Array;
  readonly k: Uint32Array;
}

export type SeccompMode = 0 | 1 | 2;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
export const SECCOMP_RET_TRAP = 0x00030000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ACTION_FULL = 0xffff0000;
const SECCOMP_RET_DATA = 0x0000ffff;

/** The actions Linux knows, for SECCOMP_GET_ACTION_AVAIL. */
export const SECCOMP_ACTIONS = new Set([SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
  SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW]);

/** sizeof(struct seccomp_data): nr, arch, instruction_pointer, args[6]. */
const DATA_SIZE = 64;
const BPF_MAXINSNS = 4096;
const BPF_MEMWORDS = 16;

// Classic BPF: class, size, mode, op, source.
const LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
const W = 0x00, ABS = 0x20, IMM = 0x00, MEM = 0x60, LEN = 0x80;
const K = 0x00, X = 0x08, A = 0x10;
const JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
const ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
const TAX = 0x00, TXA = 0x80;

/** Whether `code` is an instruction seccomp accepts (Linux's seccomp_check_filter and bpf_check_classic). */
function allowed(code: number, k: number): boolean {
  switch (code) {
    case LD | W | ABS: return k < DATA_SIZE && (k & 3) === 0;
    case LD | W | LEN: case LDX | W | LEN:
    case LD | IMM: case LDX | IMM:
    case MISC | TAX: case MISC | TXA:
    case RET | K: case RET | A:
    case JMP | JA:
      return true;
    case LD | MEM: case LDX | MEM: case ST: case STX:
      return k < BPF_MEMWORDS;
  }
  const cls = code & 7;
  const op = code & 0xf0;
  if (cls === ALU) {
    if ((code & ~0xf8) !== ALU) return false;
    if (op === NEG) return (code & X) === 0;
    if ((op === DIV || op === MOD) && (code & X) === 0 && k === 0) return false;
    return [ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, MOD, XOR].includes(op);
  }
  if (cls === JMP) return (code & ~0xf8) === JMP && [JEQ, JGT, JGE, JSET].includes(op);
  return false;
}

/** A filter from `len` struct sock_filter records, or undefined when Linux refuses it (EINVAL). */
export function parseFilter(bytes: Uint8Array, len: number): SeccompFilter | undefined {
  if (len === 0 || len > BPF_MAXINSNS || bytes.length < len * 8) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len * 8);
  const f: SeccompFilter = { code: new Uint16Array(len), jt: new Uint8Array(len), jf: new Uint8Array(len), k: new Uint32Array(len) };
  for (let i = 0; i < len; i++) {
    f.code[i] = dv.getUint16(i * 8, true);
    f.jt[i] = dv.getUint8(i * 8 + 2);
    f.jf[i] = dv.getUint8(i * 8 + 3);
    f.k[i] = dv.getUint32(i * 8 + 4, true);
    const code = f.code[i]!;
    if (!allowed(code, f.k[i]!)) return undefined;
    // Jumps stay inside the program.
    if ((code & 7) === JMP) {
      const last = code === (JMP | JA) ? i + 1 + f.k[i]! : i + 1 + Math.max(f.jt[i]!, f.jf[i]!);
      if (last >= len) return undefined;
    }
  }
  // The program ends with a return.
  return (f.code[len - 1]! & 7) === RET ? f : undefined;
}

/** struct seccomp_data for a call. */
export function seccompData(nr: number, auditArch: number, pc: bigint, args: readonly bigint[]): DataView {
  const dv = new DataView(new ArrayBuffer(DATA_SIZE));
  dv.setInt32(0, nr, true);
  dv.setUint32(4, auditArch, true);
  dv.setBigUint64(8, BigInt.asUintN(64, pc), true);
  for (let i = 0; i < 6; i++) dv.setBigUint64(16 + i * 8, BigInt.asUintN(64, args[i] ?? 0n), true);
  return dv;
}

/** Runs one filter over the data; its 32-bit verdict. */
function run(f: SeccompFilter, data: DataView): number {
  let a = 0;
  let x = 0;
  const mem = new Uint32Array(BPF_MEMWORDS);
  for (let pc = 0; pc < f.code.length; pc++) {
    const code = f.code[pc]!;
    const k = f.k[pc]!;
    switch (code & 7) {
      case LD:
        if ((code & 0xe0) === ABS) a = data.getUint32(k, true);
        else if ((code & 0xe0) === LEN) a = DATA_SIZE;
        else if ((code & 0xe0) === MEM) a = mem[k]!;
        else a = k;
        break;
      case LDX:
        if ((code & 0xe0) === LEN) x = DATA_SIZE;
        else if ((code & 0xe0) === MEM) x = mem[k]!;
        else x = k;
        break;
      case ST: mem[k] = a; break;
      case STX: mem[k] = x; break;
      case ALU: {
        const v = (code & X) !== 0 ? x : k;
        switch (code & 0xf0) {
          case ADD: a = (a + v) >>> 0; break;
          case SUB: a = (a - v) >>> 0; break;
          case MUL: a = Math.imul(a, v) >>> 0; break;
          case DIV: if (v === 0) return 0; a = Math.floor(a / v) >>> 0; break;
          case MOD: if (v === 0) return 0; a = (a % v) >>> 0; break;
          case OR: a = (a | v) >>> 0; break;
          case AND: a = (a & v) >>> 0; break;
          case XOR: a = (a ^ v) >>> 0; break;
          case LSH: a = v >= 32 ? 0 : (a << v) >>> 0; break;
          case RSH: a = v >= 32 ? 0 : a >>> v; break;
          case NEG: a = (-a) >>> 0; break;
        }
        break;
      }
      case JMP: {
        const op = code & 0xf0;
        if (op === JA) { pc += k; break; }
        const v = (code & X) !== 0 ? x : k;
        const taken = op === JEQ ? a === v : op === JGT ? a > v : op === JGE ? a >= v : (a & v) !== 0;
        pc += taken ? f.jt[pc]! : f.jf[pc]!;
        break;
      }
      case RET: return ((code & 0x18) === A ? a : k) >>> 0;
      case MISC:
        if ((code & 0xf8) === TAX) x = a;
        else a = x;
        break;
    }
  }
  return 0;
}

/** Lower ranks are more severe (Linux compares the actions this way). */
function severity(verdict: number): number {
  const action = (verdict & SECCOMP_RET_ACTION_FULL) >>> 0;
  return action === SECCOMP_RET_KILL_PROCESS ? -1 : action;
}

/** The verdict of every filter over the data: the most severe one (newest first on a tie). */
export function runFilters(filters: readonly SeccompFilter[], data: DataView): number {
  let best = SECCOMP_RET_ALLOW;
  for (let i = filters.length - 1; i >= 0; i--) {
    const v = run(filters[i]!, data);
    if (severity(v) < severity(best)) best = v;
  }
  return best;
}

/** The action part of a verdict, and its data (ERRNO's errno, TRAP's si_errno). */
export const actionOf = (verdict: number): number => (verdict & SECCOMP_RET_ACTION_FULL) >>> 0;
export const dataOf = (verdict: number): number => verdict & SECCOMP_RET_DATA;

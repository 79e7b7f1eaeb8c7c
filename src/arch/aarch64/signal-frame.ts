// arm64 rt signal frames, laid out as Linux's setup_rt_frame builds them and unwound as its
// rt_sigreturn does (arch/arm64/kernel/signal.c; uapi asm/sigcontext.h, asm/ucontext.h):
//
//   higher addresses   interrupted SP (or the top of the alternate stack)
//                      struct frame_record { fp, lr } (16-aligned)     <- X29
//                      struct rt_sigframe (4688 bytes, 16-aligned)     <- SP
//     frame + 0          siginfo_t (128 bytes, written with SA_SIGINFO) <- X1
//     frame + 128        struct ucontext                                <- X2
//                          uc_flags, uc_link, uc_stack, uc_sigmask (+ glibc's 1024-bit padding)
//                          uc_mcontext at +176: fault_address, regs[31], sp, pc, pstate,
//                          __reserved[4096]: fpsimd_context (magic 0x46508001, 528 bytes),
//                          then the null terminator record
//
// The handler returns through X30: sa_restorer with SA_RESTORER, else the kernel's sigreturn
// trampoline (Linux's vDSO sigtramp; here the page the kernel maps, SignalDelivery.trampoline).
// At rt_sigreturn the frame is at SP.
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { GuestMemory, RegisterFile, SignalDelivery, SignalFrameAbi } from '../types.js';

const SA_SIGINFO = 0x4n;
const SA_RESTORER = 0x04000000n;

/** sizeof(struct rt_sigframe). */
const FRAME_SIZE = 4688;
const FRAME_RECORD_SIZE = 16n;

const INFO = 0;
const UC = 128;
// Within struct ucontext.
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16; // stack_t: ss_sp, ss_flags (int, padded), ss_size
const UC_SIGMASK = 40;
const UC_MCONTEXT = 176;
// Within struct sigcontext.
const SC_FAULT_ADDRESS = 0;
const SC_REGS = 8;
const SC_SP = 256;
const SC_PC = 264;
const SC_PSTATE = 272;
const SC_RESERVED = 288;
const RESERVED_SIZE = 4096;

/** Offset of __reserved[] within the frame, where the context records start. */
const RECORDS = UC + UC_MCONTEXT + SC_RESERVED;
const FPSIMD_MAGIC = 0x46508001;
const FPSIMD_SIZE = 528; // head (8), fpsr, fpcr, vregs[32] (16 each)
const ESR_MAGIC = 0x45535201;

/** PSTATE bits user space owns: N, Z, C, V. */
const NZCV = 0xf0000000n;

// Faults that record the faulting address in sigcontext.fault_address.
const SIGBUS = 7, SIGSEGV = 11;

const X = (n: number): number => (n === 29 ? uc.UC_ARM64_REG_X29 : n === 30 ? uc.UC_ARM64_REG_X30 : uc.UC_ARM64_REG_X0 + n);
const Q = (n: number): number => uc.UC_ARM64_REG_Q0 + n;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** The sigreturn trampoline for handlers installed without SA_RESTORER: `mov x8, #139; svc #0`. */
export const AARCH64_SIGRETURN_TRAMPOLINE = Uint8Array.from([
  0x68, 0x11, 0x80, 0xd2, // movz x8, #139 (__NR_rt_sigreturn)
  0x01, 0x00, 0x00, 0xd4, // svc #0
]);

/** Fills an fpsimd_context at `at` from the registers. */
function saveFpsimd(regs: RegisterFile, buf: Uint8Array, dv: DataView, at: number): void {
  dv.setUint32(at, FPSIMD_MAGIC, true);
  dv.setUint32(at + 4, FPSIMD_SIZE, true);
  dv.setUint32(at + 8, Number(regs.read(uc.UC_ARM64_REG_FPSR) & 0xffffffffn), true);
  dv.setUint32(at + 12, Number(regs.read(uc.UC_ARM64_REG_FPCR) & 0xffffffffn), true);
  for (let i = 0; i < 32; i++) buf.set(regs.readBytes(Q(i), 16).subarray(0, 16), at + 16 + 16 * i);
}

/**
 * Walks the __reserved[] records as Linux's parse_user_sigframe does (16-aligned records, each at
 * least a header, within the area, ended by a null record; one fpsimd_context; esr_context
 * ignored; anything else is invalid). Returns the fpsimd_context's offset, or null.
 */
function findFpsimd(dv: DataView): number | null {
  let offset = 0;
  let fpsimd: number | null = null;
  for (;;) {
    if (RESERVED_SIZE - offset < 8 || offset % 16 !== 0) return null;
    const magic = dv.getUint32(RECORDS + offset, true);
    const size = dv.getUint32(RECORDS + offset + 4, true);
    if (RESERVED_SIZE - offset < size) return null;
    if (magic === 0) {
      if (size !== 0) return null;
      return fpsimd;
    }
    if (magic === FPSIMD_MAGIC) {
      if (fpsimd !== null || size !== FPSIMD_SIZE) return null;
      fpsimd = RECORDS + offset;
    } else if (magic !== ESR_MAGIC) {
      return null;
    }
    if (size < 8) return null;
    offset += size;
  }
}

export const AARCH64_SIGNAL_FRAME: SignalFrameAbi = {
  setup(regs: RegisterFile, mem: GuestMemory, d: SignalDelivery): boolean {
    const returnTo = (d.flags & SA_RESTORER) !== 0n ? d.restorer : d.trampoline;
    if (returnTo === undefined) return false;
    const sp = regs.read(uc.UC_ARM64_REG_SP);
    const top = d.altStack !== undefined ? d.altStack.sp + d.altStack.size : sp;
    const record = (top - FRAME_RECORD_SIZE) & ~15n;
    const frame = (record & ~15n) - BigInt(FRAME_SIZE);

    const x = Array.from({ length: 31 }, (_, i) => regs.read(X(i)));
    const pc = regs.read(uc.UC_ARM64_REG_PC);
    const pstate = regs.read(uc.UC_ARM64_REG_NZCV) & NZCV;

    // The frame and the frame record, contiguous: [frame, record + 16).
    const buf = new Uint8Array(Number(record - frame) + 16);
    const dv = new DataView(buf.buffer);
    const rec = Number(record - frame);
    dv.setBigUint64(rec, u64(x[29]!), true);
    dv.setBigUint64(rec + 8, u64(x[30]!), true);

    if ((d.flags & SA_SIGINFO) !== 0n) buf.set(d.siginfo.subarray(0, 128), INFO);
    dv.setBigUint64(UC + UC_FLAGS, 0n, true);
    dv.setBigUint64(UC + UC_LINK, 0n, true);
    dv.setBigUint64(UC + UC_STACK, u64(d.stackInfo.sp), true);
    dv.setInt32(UC + UC_STACK + 8, d.stackInfo.flags, true);
    dv.setBigUint64(UC + UC_STACK + 16, u64(d.stackInfo.size), true);
    dv.setBigUint64(UC + UC_SIGMASK, u64(d.savedMask), true);

    const sc = UC + UC_MCONTEXT;
    const si = new DataView(d.siginfo.buffer, d.siginfo.byteOffset, d.siginfo.byteLength);
    if ((d.signo === SIGSEGV || d.signo === SIGBUS) && si.getInt32(8, true) > 0) {
      dv.setBigUint64(sc + SC_FAULT_ADDRESS, si.getBigUint64(16, true), true);
    }
    x.forEach((v, i) => dv.setBigUint64(sc + SC_REGS + 8 * i, u64(v), true));
    dv.setBigUint64(sc + SC_SP, u64(sp), true);
    dv.setBigUint64(sc + SC_PC, u64(pc), true);
    dv.setBigUint64(sc + SC_PSTATE, pstate, true);
    saveFpsimd(regs, buf, dv, RECORDS);
    // The terminator record (magic 0, size 0) right after: already zero.

    if (!mem.write(frame, buf)) return false;

    regs.write(X(0), BigInt(d.signo));
    if ((d.flags & SA_SIGINFO) !== 0n) {
      regs.write(X(1), frame + BigInt(INFO));
      regs.write(X(2), frame + BigInt(UC));
    }
    regs.write(uc.UC_ARM64_REG_SP, frame);
    regs.write(X(29), record);
    regs.write(X(30), returnTo);
    regs.write(uc.UC_ARM64_REG_PC, d.handler);
    return true;
  },

  restore(regs: RegisterFile, mem: GuestMemory): bigint | null {
    const frame = regs.read(uc.UC_ARM64_REG_SP);
    if ((frame & 15n) !== 0n) return null;
    const b = mem.read(frame, FRAME_SIZE);
    if (b === null) return null;
    const dv = new DataView(b.buffer, b.byteOffset, FRAME_SIZE);
    const fpsimd = findFpsimd(dv);
    if (fpsimd === null) return null;
    const mask = dv.getBigUint64(UC + UC_SIGMASK, true);
    const sc = UC + UC_MCONTEXT;
    const x = Array.from({ length: 31 }, (_, i) => dv.getBigUint64(sc + SC_REGS + 8 * i, true));
    const sp = dv.getBigUint64(sc + SC_SP, true);
    const pc = dv.getBigUint64(sc + SC_PC, true);
    const pstate = dv.getBigUint64(sc + SC_PSTATE, true);
    const fpsr = dv.getUint32(fpsimd + 8, true);
    const fpcr = dv.getUint32(fpsimd + 12, true);
    const vregs = b.slice(fpsimd + 16, fpsimd + 16 + 512);

    x.forEach((v, i) => regs.write(X(i), v));
    regs.write(uc.UC_ARM64_REG_SP, sp);
    regs.write(uc.UC_ARM64_REG_PC, pc);
    regs.write(uc.UC_ARM64_REG_NZCV, pstate & NZCV);
    regs.write(uc.UC_ARM64_REG_FPSR, BigInt(fpsr));
    regs.write(uc.UC_ARM64_REG_FPCR, BigInt(fpcr));
    for (let i = 0; i < 32; i++) regs.writeBytes(Q(i), vregs.slice(16 * i, 16 * i + 16));
    return mask;
  },
};

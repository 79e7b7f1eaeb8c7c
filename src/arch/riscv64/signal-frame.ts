// riscv64 rt signal frames, laid out as Linux's setup_rt_frame builds them and unwound as its
// rt_sigreturn does (arch/riscv/kernel/signal.c; uapi asm/sigcontext.h, asm/ucontext.h,
// asm/ptrace.h):
//
//   higher addresses   interrupted sp (or the top of the alternate stack)
//                      struct rt_sigframe (1088 bytes, 16-aligned)     <- sp
//     frame + 0          siginfo_t (128 bytes, always written)          <- a1
//     frame + 128        struct ucontext                                <- a2
//                          uc_flags, uc_link, uc_stack, uc_sigmask, padding to 1024 bits of mask
//                          uc_mcontext at +176 (16-aligned): sc_regs = user_regs_struct
//                          { pc, x1..x31 }, then union __riscv_fp_state (528 bytes): the
//                          d-extension's f[32] and fcsr, the rest zero (q-extension reserved
//                          words, where newer kernels put an END context header)
//
// riscv has no SA_RESTORER: the handler always returns through ra, which Linux points at the
// vDSO's __vdso_rt_sigreturn; with no vDSO here, at the kernel's trampoline page
// (SignalDelivery.trampoline). At rt_sigreturn the frame is at sp.
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { GuestMemory, RegisterFile, SignalDelivery, SignalFrameAbi } from '../types.js';

/** sizeof(struct rt_sigframe). */
const FRAME_SIZE = 1088;

const INFO = 0;
const UC = 128;
// Within struct ucontext.
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16; // stack_t: ss_sp, ss_flags (int, padded), ss_size
const UC_SIGMASK = 40;
const UC_MCONTEXT = 176;
// Within struct sigcontext.
const SC_REGS = 0; // pc, then x1..x31
const SC_FP = 256;
// Within union __riscv_fp_state.
const FP_F = 0;
const FP_FCSR = 256;
/** The q-extension's reserved words (newer kernels: sc_extdesc.reserved and the END header): must be zero. */
const FP_RESERVED = 516;
const FP_STATE_SIZE = 528;

const SC = UC + UC_MCONTEXT;

/** Unicorn's id of x1..x31 (x0 is hardwired zero). */
const X = (n: number): number => uc.UC_RISCV_REG_X0 + n;
const F = (n: number): number => uc.UC_RISCV_REG_F0 + n;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** `li a7, 139; ecall`: rt_sigreturn, as Linux's vDSO __vdso_rt_sigreturn. */
export const RISCV64_SIGRETURN_TRAMPOLINE = Uint8Array.from([
  0x93, 0x08, 0xb0, 0x08, // addi a7, zero, 139 (__NR_rt_sigreturn)
  0x73, 0x00, 0x00, 0x00, // ecall
]);

/** Linux's on_sig_stack for a downward-growing stack. */
function onStack(sp: bigint, stack: { readonly sp: bigint; readonly size: bigint }): boolean {
  return stack.size !== 0n && sp > stack.sp && sp - stack.sp <= stack.size;
}

export const RISCV64_SIGNAL_FRAME: SignalFrameAbi = {
  setup(regs: RegisterFile, mem: GuestMemory, d: SignalDelivery): boolean {
    const returnTo = d.trampoline;
    if (returnTo === undefined) return false;
    const sp = regs.read(uc.UC_RISCV_REG_SP);
    // On the alternate stack already and the frame would overflow it: Linux gives a bogus
    // address, and the task dies with SIGSEGV.
    if (d.altStack === undefined && onStack(sp, d.stackInfo) && !onStack(sp - BigInt(FRAME_SIZE), d.stackInfo)) return false;
    const top = d.altStack !== undefined ? d.altStack.sp + d.altStack.size : sp;
    const frame = (top - BigInt(FRAME_SIZE)) & ~15n;

    const buf = new Uint8Array(FRAME_SIZE);
    const dv = new DataView(buf.buffer);
    // siginfo and the ucontext pointers are given whether or not SA_SIGINFO is set.
    buf.set(d.siginfo.subarray(0, 128), INFO);
    dv.setBigUint64(UC + UC_FLAGS, 0n, true);
    dv.setBigUint64(UC + UC_LINK, 0n, true);
    dv.setBigUint64(UC + UC_STACK, u64(d.stackInfo.sp), true);
    dv.setInt32(UC + UC_STACK + 8, d.stackInfo.flags, true);
    dv.setBigUint64(UC + UC_STACK + 16, u64(d.stackInfo.size), true);
    dv.setBigUint64(UC + UC_SIGMASK, u64(d.savedMask), true);

    dv.setBigUint64(SC + SC_REGS, u64(regs.read(uc.UC_RISCV_REG_PC)), true);
    for (let n = 1; n < 32; n++) dv.setBigUint64(SC + SC_REGS + 8 * n, u64(regs.read(X(n))), true);
    const fp = SC + SC_FP;
    for (let n = 0; n < 32; n++) dv.setBigUint64(fp + FP_F + 8 * n, u64(regs.read(F(n))), true);
    dv.setUint32(fp + FP_FCSR, Number(regs.read(uc.UC_RISCV_REG_FCSR) & 0xffn), true);

    if (!mem.write(frame, buf)) return false;

    regs.write(X(10), BigInt(d.signo)); // a0
    regs.write(X(11), frame + BigInt(INFO)); // a1
    regs.write(X(12), frame + BigInt(UC)); // a2
    regs.write(uc.UC_RISCV_REG_SP, frame);
    regs.write(uc.UC_RISCV_REG_RA, returnTo);
    regs.write(uc.UC_RISCV_REG_PC, d.handler);
    return true;
  },

  restore(regs: RegisterFile, mem: GuestMemory): bigint | null {
    const frame = regs.read(uc.UC_RISCV_REG_SP);
    const b = mem.read(frame, FRAME_SIZE);
    if (b === null) return null;
    const dv = new DataView(b.buffer, b.byteOffset, FRAME_SIZE);
    const fp = SC + SC_FP;
    // No extension state is supported: the reserved words must be zero (else a bad frame).
    for (let at = fp + FP_RESERVED; at < fp + FP_STATE_SIZE; at += 4) if (dv.getUint32(at, true) !== 0) return null;
    const mask = dv.getBigUint64(UC + UC_SIGMASK, true);
    regs.write(uc.UC_RISCV_REG_PC, dv.getBigUint64(SC + SC_REGS, true));
    for (let n = 1; n < 32; n++) regs.write(X(n), dv.getBigUint64(SC + SC_REGS + 8 * n, true));
    for (let n = 0; n < 32; n++) regs.write(F(n), dv.getBigUint64(fp + FP_F + 8 * n, true));
    regs.write(uc.UC_RISCV_REG_FCSR, BigInt(dv.getUint32(fp + FP_FCSR, true) & 0xff));
    return mask;
  },
};

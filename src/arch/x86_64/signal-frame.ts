// x86_64 rt signal frames, laid out as Linux's x64_setup_rt_frame builds them and unwound as its
// rt_sigreturn does (arch/x86/kernel/signal.c, signal_64.c; uapi asm/sigcontext.h, ucontext.h):
//
//   higher addresses   interrupted RSP
//                      128-byte red zone (skipped; or the top of the alternate stack instead)
//                      fpstate: 512-byte fxsave image, 64-byte aligned     <- sc.fpstate
//                      padding to 16
//   frame + 312        siginfo_t (128 bytes, written with SA_SIGINFO)      <- RSI
//   frame + 8          struct ucontext (304 bytes)                          <- RDX
//   frame              pretcode = sa_restorer                               <- RSP (RSP + 8 is 16-aligned)
//
// The handler's `ret` pops pretcode into RIP, so at rt_sigreturn the frame starts at RSP - 8.
// The FP image is the legacy fxsave format (the emulated qemu64 CPU has no XSAVE, so uc_flags
// carries no UC_FP_XSTATE and the software-reserved bytes hold no FP_XSTATE_MAGIC1).
import * as uc from '../../../packages/unicorn-engine-ts/src/consts.js';
import type { GuestMemory, RegisterFile, SignalDelivery, SignalFrameAbi } from '../types.js';

const SA_SIGINFO = 0x4n;
const SA_RESTORER = 0x04000000n;

const REDZONE = 128n;
/** sizeof(struct rt_sigframe): pretcode, ucontext, siginfo. */
const FRAME_SIZE = 440;
const FPSTATE_SIZE = 512;

// Offsets within the frame.
const PRETCODE = 0;
const UC = 8;
const INFO = 312;
// Within struct ucontext.
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16; // stack_t: ss_sp, ss_flags (int, padded), ss_size
const UC_MCONTEXT = 40; // struct sigcontext, 256 bytes
const UC_SIGMASK = 296;

/** uc_flags: UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (no UC_FP_XSTATE without XSAVE). */
const FRAME_UC_FLAGS = 0x2n | 0x4n;

/** struct sigcontext's general registers, in its order (8 bytes each from offset 0). */
const SC_GPRS: readonly number[] = [
  uc.UC_X86_REG_R8, uc.UC_X86_REG_R9, uc.UC_X86_REG_R10, uc.UC_X86_REG_R11,
  uc.UC_X86_REG_R12, uc.UC_X86_REG_R13, uc.UC_X86_REG_R14, uc.UC_X86_REG_R15,
  uc.UC_X86_REG_RDI, uc.UC_X86_REG_RSI, uc.UC_X86_REG_RBP, uc.UC_X86_REG_RBX,
  uc.UC_X86_REG_RDX, uc.UC_X86_REG_RAX, uc.UC_X86_REG_RCX, uc.UC_X86_REG_RSP,
  uc.UC_X86_REG_RIP,
];
const SC_EFLAGS = 136;
const SC_CS = 144; // then gs, fs, ss (u16 each)
const SC_GS = 146;
const SC_FS = 148;
const SC_SS = 150;
const SC_ERR = 152;
const SC_TRAPNO = 160;
const SC_OLDMASK = 168;
const SC_CR2 = 176;
const SC_FPSTATE = 184;

const USER_CS = 0x33n;
const USER_DS = 0x2bn;

// EFLAGS bits.
const CF = 0x1n, PF = 0x4n, AF = 0x10n, ZF = 0x40n, SF = 0x80n, TF = 0x100n, DF = 0x400n, OF = 0x800n;
const RF = 0x10000n, AC = 0x40000n;
/**
 * What rt_sigreturn takes from the frame's eflags (Linux's FIX_EFLAGS), except TF: a trap flag
 * set from a handler would make the emulated CPU raise #DB after every instruction, which this
 * kernel reports as SIGILL rather than Linux's SIGTRAP, so it is left as it is.
 */
const FIX_EFLAGS = AC | OF | DF | SF | ZF | AF | PF | CF | RF;
/** Cleared on handler entry (handle_signal): DF per the ABI, RF and TF. */
const HANDLER_CLEARS = DF | RF | TF;

// struct _fpstate_64 (the fxsave image).
const FX_CWD = 0;
const FX_SWD = 2;
const FX_TWD = 4; // abridged tag: one bit per physical register, 1 = valid
const FX_FOP = 6;
const FX_RIP = 8;
const FX_RDP = 16;
const FX_MXCSR = 24;
const FX_MXCSR_MASK = 28;
const FX_ST = 32; // ST0..ST7, 16 bytes each (10 used)
const FX_XMM = 160; // XMM0..XMM15, 16 bytes each
/** MXCSR bits the emulated CPU accepts (its MXCSR_MASK); others make FXRSTOR fault. */
const MXCSR_MASK = 0xffff;
/** The FPU state a handler starts with (Linux's fpu__clear_user_states: the init state). */
const INIT_FCW = 0x37fn;
const INIT_MXCSR = 0x1f80n;

const XMM = (n: number): number => uc.UC_X86_REG_XMM0 + n;
const ST = (n: number): number => uc.UC_X86_REG_ST0 + n;

// Faults whose sigcontext carries a trap number (Linux's thread.trap_nr / error_code / cr2).
const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11;
const TRAP_FOR_SIGNAL: ReadonlyMap<number, number> = new Map([
  [SIGFPE, 0], // #DE
  [SIGTRAP, 3], // #BP (int3)
  [SIGILL, 6], // #UD
  [SIGBUS, 17], // #AC
  [SIGSEGV, 14], // #PF
]);
const SEGV_ACCERR = 2;
const PF_PROT = 1n, PF_USER = 4n;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** The x87/SSE state as an fxsave image, from the registers Unicorn exposes. */
export function saveFxstate(regs: RegisterFile, out: DataView, at: number): void {
  out.setUint16(at + FX_CWD, Number(regs.read(uc.UC_X86_REG_FPCW) & 0xffffn), true);
  out.setUint16(at + FX_SWD, Number(regs.read(uc.UC_X86_REG_FPSW) & 0xffffn), true);
  // Full tag word (2 bits per physical register, 3 = empty) to fxsave's abridged one.
  const tag = Number(regs.read(uc.UC_X86_REG_FPTAG) & 0xffffn);
  let abridged = 0;
  for (let i = 0; i < 8; i++) if (((tag >> (2 * i)) & 3) !== 3) abridged |= 1 << i;
  out.setUint8(at + FX_TWD, abridged);
  out.setUint16(at + FX_FOP, Number(regs.read(uc.UC_X86_REG_FOP) & 0x7ffn), true);
  out.setBigUint64(at + FX_RIP, u64(regs.read(uc.UC_X86_REG_FIP)), true);
  out.setBigUint64(at + FX_RDP, u64(regs.read(uc.UC_X86_REG_FDP)), true);
  out.setUint32(at + FX_MXCSR, Number(regs.read(uc.UC_X86_REG_MXCSR) & 0xffffffffn), true);
  out.setUint32(at + FX_MXCSR_MASK, MXCSR_MASK, true);
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < 8; i++) bytes.set(regs.readBytes(ST(i), 10).subarray(0, 10), at + FX_ST + 16 * i);
  for (let i = 0; i < 16; i++) bytes.set(regs.readBytes(XMM(i), 16).subarray(0, 16), at + FX_XMM + 16 * i);
}

/** Loads an fxsave image into the registers; false when FXRSTOR would fault (reserved MXCSR bits). */
export function restoreFxstate(regs: RegisterFile, image: Uint8Array): boolean {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const mxcsr = dv.getUint32(FX_MXCSR, true);
  if ((mxcsr & ~MXCSR_MASK) !== 0) return false;
  regs.write(uc.UC_X86_REG_FPCW, BigInt(dv.getUint16(FX_CWD, true)));
  // The status word carries TOP, which ST(i) are relative to: it goes first.
  regs.write(uc.UC_X86_REG_FPSW, BigInt(dv.getUint16(FX_SWD, true)));
  const abridged = dv.getUint8(FX_TWD);
  let tag = 0;
  for (let i = 0; i < 8; i++) if ((abridged & (1 << i)) === 0) tag |= 3 << (2 * i);
  regs.write(uc.UC_X86_REG_FPTAG, BigInt(tag));
  regs.write(uc.UC_X86_REG_FOP, BigInt(dv.getUint16(FX_FOP, true) & 0x7ff));
  regs.write(uc.UC_X86_REG_FIP, dv.getBigUint64(FX_RIP, true));
  regs.write(uc.UC_X86_REG_FDP, dv.getBigUint64(FX_RDP, true));
  regs.write(uc.UC_X86_REG_MXCSR, BigInt(mxcsr));
  for (let i = 0; i < 8; i++) regs.writeBytes(ST(i), image.slice(FX_ST + 16 * i, FX_ST + 16 * i + 10));
  for (let i = 0; i < 16; i++) regs.writeBytes(XMM(i), image.slice(FX_XMM + 16 * i, FX_XMM + 16 * i + 16));
  return true;
}

/** The FPU init state (what a handler starts with, and what a NULL sc.fpstate restores). */
function resetFpu(regs: RegisterFile): void {
  regs.write(uc.UC_X86_REG_FPCW, INIT_FCW);
  regs.write(uc.UC_X86_REG_FPSW, 0n);
  regs.write(uc.UC_X86_REG_FPTAG, 0xffffn);
  regs.write(uc.UC_X86_REG_FOP, 0n);
  regs.write(uc.UC_X86_REG_FIP, 0n);
  regs.write(uc.UC_X86_REG_FDP, 0n);
  regs.write(uc.UC_X86_REG_MXCSR, INIT_MXCSR);
  const zero = new Uint8Array(16);
  for (let i = 0; i < 8; i++) regs.writeBytes(ST(i), zero.subarray(0, 10));
  for (let i = 0; i < 16; i++) regs.writeBytes(XMM(i), zero);
}

/** Whether [lo, hi) lies on the alternate stack [sp, sp+size) (Linux's __on_sig_stack for a frame). */
function onStack(addr: bigint, stack: { readonly sp: bigint; readonly size: bigint }): boolean {
  return addr > stack.sp && addr - stack.sp <= stack.size;
}

export const X86_64_SIGNAL_FRAME: SignalFrameAbi = {
  setup(regs: RegisterFile, mem: GuestMemory, d: SignalDelivery): boolean {
    // x86-64 has no kernel-provided return path: glibc always passes SA_RESTORER.
    if ((d.flags & SA_RESTORER) === 0n) return false;
    const rsp = regs.read(uc.UC_X86_REG_RSP);
    const top = d.altStack !== undefined ? d.altStack.sp + d.altStack.size : rsp - REDZONE;
    const fp = (top - BigInt(FPSTATE_SIZE)) & ~63n;
    const frame = ((fp - BigInt(FRAME_SIZE)) & ~15n) - 8n;
    // Overflowing the alternate stack (entering it, or already on it) is a bad frame.
    if (d.altStack !== undefined && !onStack(frame, d.altStack)) return false;
    const SS_ONSTACK = 1;
    if (d.altStack === undefined && (d.stackInfo.flags & SS_ONSTACK) !== 0 && !onStack(frame, d.stackInfo)) return false;

    const buf = new Uint8Array(Number(fp - frame) + FPSTATE_SIZE);
    const dv = new DataView(buf.buffer);
    dv.setBigUint64(PRETCODE, u64(d.restorer), true);

    const ucOff = UC;
    dv.setBigUint64(ucOff + UC_FLAGS, FRAME_UC_FLAGS, true);
    dv.setBigUint64(ucOff + UC_LINK, 0n, true);
    dv.setBigUint64(ucOff + UC_STACK, u64(d.stackInfo.sp), true);
    dv.setInt32(ucOff + UC_STACK + 8, d.stackInfo.flags, true);
    dv.setBigUint64(ucOff + UC_STACK + 16, u64(d.stackInfo.size), true);

    const sc = ucOff + UC_MCONTEXT;
    SC_GPRS.forEach((id, i) => dv.setBigUint64(sc + 8 * i, u64(regs.read(id)), true));
    const eflags = regs.read(uc.UC_X86_REG_EFLAGS);
    dv.setBigUint64(sc + SC_EFLAGS, u64(eflags), true);
    dv.setUint16(sc + SC_CS, Number(USER_CS), true);
    dv.setUint16(sc + SC_GS, 0, true);
    dv.setUint16(sc + SC_FS, 0, true);
    dv.setUint16(sc + SC_SS, Number(USER_DS), true);
    // A CPU fault records its trap number, and a page fault its error code and address.
    const si = new DataView(d.siginfo.buffer, d.siginfo.byteOffset, d.siginfo.byteLength);
    const code = si.getInt32(8, true);
    const trapno = code > 0 ? TRAP_FOR_SIGNAL.get(d.signo) : undefined;
    if (trapno !== undefined) {
      dv.setBigUint64(sc + SC_TRAPNO, BigInt(trapno), true);
      if (d.signo === SIGSEGV) {
        dv.setBigUint64(sc + SC_ERR, PF_USER | (code === SEGV_ACCERR ? PF_PROT : 0n), true);
        dv.setBigUint64(sc + SC_CR2, si.getBigUint64(16, true), true);
      }
    }
    dv.setBigUint64(sc + SC_OLDMASK, u64(d.savedMask), true);
    dv.setBigUint64(sc + SC_FPSTATE, u64(fp), true);
    dv.setBigUint64(ucOff + UC_SIGMASK, u64(d.savedMask), true);

    if ((d.flags & SA_SIGINFO) !== 0n) buf.set(d.siginfo.subarray(0, 128), INFO);
    saveFxstate(regs, dv, Number(fp - frame));

    if (!mem.write(frame, buf)) return false;

    regs.write(uc.UC_X86_REG_RDI, BigInt(d.signo));
    regs.write(uc.UC_X86_REG_RSI, frame + BigInt(INFO));
    regs.write(uc.UC_X86_REG_RDX, frame + BigInt(UC));
    regs.write(uc.UC_X86_REG_RAX, 0n);
    regs.write(uc.UC_X86_REG_RSP, frame);
    regs.write(uc.UC_X86_REG_RIP, d.handler);
    regs.write(uc.UC_X86_REG_EFLAGS, eflags & ~HANDLER_CLEARS);
    resetFpu(regs);
    return true;
  },

  restore(regs: RegisterFile, mem: GuestMemory): bigint | null {
    // The handler's `ret` popped pretcode: the frame starts one word below the stack pointer.
    const frame = u64(regs.read(uc.UC_X86_REG_RSP) - 8n);
    const b = mem.read(frame, FRAME_SIZE);
    if (b === null) return null;
    const dv = new DataView(b.buffer, b.byteOffset, FRAME_SIZE);
    const mask = dv.getBigUint64(UC + UC_SIGMASK, true);
    const sc = UC + UC_MCONTEXT;
    const fp = dv.getBigUint64(sc + SC_FPSTATE, true);
    let image: Uint8Array | null = null;
    if (fp !== 0n) {
      // FXRSTOR needs a 16-byte aligned, readable image.
      if ((fp & 15n) !== 0n) return null;
      image = mem.read(fp, FPSTATE_SIZE);
      if (image === null) return null;
      image = image.slice();
    }
    const gprs = SC_GPRS.map((_, i) => dv.getBigUint64(sc + 8 * i, true));
    const saved = dv.getBigUint64(sc + SC_EFLAGS, true);
    if (image !== null) {
      if (!restoreFxstate(regs, image)) return null;
    } else {
      resetFpu(regs);
    }
    SC_GPRS.forEach((id, i) => regs.write(id, gprs[i]!));
    const eflags = regs.read(uc.UC_X86_REG_EFLAGS);
    regs.write(uc.UC_X86_REG_EFLAGS, (eflags & ~FIX_EFLAGS) | (saved & FIX_EFLAGS));
    return mask;
  },
};

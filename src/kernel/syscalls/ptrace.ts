// ptrace(2) for guest tracers: a guest strace or debugger traces other guest tasks. The stops
// it sees are the kernel's (Kernel.traceStops), the same machinery tstrace's own strace uses,
// through a separate link, so a task can be traced by both and the guest never sees tstrace.
import { E } from '../../abi/errno.js';
import { SIG } from '../../abi/signals.js';
import type { PtraceRegister } from '../../arch/types.js';
import { encodeSiginfo } from '../kernel.js';
import { GuestTraceLink, PTRACE_EVENT, PTRACE_O, waitStatus, type ResumeMode, type Siginfo } from '../ptrace.js';
import type { Task } from '../task.js';
import { debugState, rearm, setDebugWords } from '../hwdebug.js';
import { byReplay, asInt, full, partial, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);

const REQ = {
  TRACEME: 0, PEEKTEXT: 1, PEEKDATA: 2, PEEKUSER: 3, POKETEXT: 4, POKEDATA: 5, POKEUSER: 6, CONT: 7, KILL: 8,
  SINGLESTEP: 9, GETREGS: 12, SETREGS: 13, GETFPREGS: 14, SETFPREGS: 15, ATTACH: 16, DETACH: 17, SYSCALL: 24, SETOPTIONS: 0x4200,
  GETEVENTMSG: 0x4201, GETSIGINFO: 0x4202, SETSIGINFO: 0x4203, GETREGSET: 0x4204, SETREGSET: 0x4205, SEIZE: 0x4206,
  INTERRUPT: 0x4207, LISTEN: 0x4208, GET_SYSCALL_INFO: 0x420e,
} as const;

const NT_PRSTATUS = 1;
const NT_FPREGSET = 2;
const NT_ARM_TLS = 0x401;
const NT_ARM_HW_BREAK = 0x402;
const NT_ARM_HW_WATCH = 0x403;
const NT_ARM_SYSTEM_CALL = 0x404;
/** struct user_hwdebug_state: dbg_info, pad, then 16 slots of (addr, ctrl, pad). */
const HWDEBUG_SLOTS = 16;
const HWDEBUG_STATE_SIZE = 8 + HWDEBUG_SLOTS * 16;
/** Options a tracer may set (all of Linux's but SUSPEND_SECCOMP, which needs CAP_SYS_ADMIN). */
const SETTABLE_OPTIONS = PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACEFORK | PTRACE_O.TRACEVFORK | PTRACE_O.TRACECLONE
  | PTRACE_O.TRACEEXEC | PTRACE_O.TRACEVFORKDONE | PTRACE_O.TRACEEXIT | PTRACE_O.TRACESECCOMP | PTRACE_O.EXITKILL;

/** Whether a tracee is stopped at a syscall's entry: its entry stop, or a seccomp filter's stop. */
function atCallEntry(t: Task): boolean {
  const l = t.guestTrace;
  if (t.syscall === undefined || l === undefined) return false;
  return l.stopKind === 'syscall-enter' || atSeccompStop(t);
}

/** Whether a tracee is at its PTRACE_EVENT_SECCOMP stop (a call a filter sent to its tracer). */
function atSeccompStop(t: Task): boolean {
  const l = t.guestTrace;
  return t.syscall !== undefined && l?.stopKind === 'event' && ((l.lastStop ?? 0) >>> 16) === PTRACE_EVENT.SECCOMP;
}
const CLD_TRAPPED = 4;

/** Starts tracing `tracee` for the calling thread. */
function link(ctx: SyscallContext, tracee: Task, tracer: Task): GuestTraceLink {
  const kernel = ctx.kernel;
  const l: GuestTraceLink = new GuestTraceLink(tracer, {
    // Shared by the tracees this one's clones add (inheritGuestTrace): each reports on its own link.
    notify: (task, status) => {
      if (task.guestTrace !== undefined) task.guestTrace.report = task.guestTrace.lastStop = status;
      kernel.childChanged(tracer.group);
      if ((status & 0xff) === 0x7f && tracer.group.termination === undefined) {
        kernel.sendProcessSignal(tracer.group, { signo: SIG.SIGCHLD, code: CLD_TRAPPED, pid: task.tid, uid: kernel.creds.uid, status: (status >> 8) & 0xff, utime: 0n, stime: 0n });
      }
    },
  });
  tracee.guestTrace = l;
  tracer.group.tracees.add(tracee);
  return l;
}

/** The caller's stopped tracee `pid`, or -ESRCH (not traced by this thread, or running). */
function stoppedTracee(ctx: SyscallContext, pid: number): Task | bigint {
  const t = tracedBy(ctx, pid);
  if (typeof t === 'bigint') return t;
  // A listening tracee is stopped but not in ptrace-stop: Linux cannot freeze it for a request.
  return t.state === 'stopped' && !t.guestTrace!.listening ? t : err(E.ESRCH);
}

function tracedBy(ctx: SyscallContext, pid: number): Task | bigint {
  const t = ctx.kernel.taskSeenBy(ctx.proc, pid);
  // Requests come from the thread that attached; others get ESRCH, as on Linux.
  if (t === undefined || t.guestTrace?.tracerTask !== ctx.task || t.state === 'dead') return err(E.ESRCH);
  // A zombie leader, or any task that has ended: gone for ptrace.
  if (t.state === 'zombie') return err(E.ESRCH);
  return t;
}

function putWord(ctx: SyscallContext, addr: bigint, value: bigint): bigint {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return ctx.mm.write(addr, b) ? 0n : err(E.EFAULT);
}

// ---- registers ------------------------------------------------------------------------

function readRegs(ctx: SyscallContext, t: Task): Uint8Array {
  const regs = t.group.arch.ptrace.regs;
  const out = new Uint8Array(regs.length * 8);
  const dv = new DataView(out.buffer);
  regs.forEach((r, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, readReg(ctx, t, r)), true));
  return out;
}

function readReg(ctx: SyscallContext, t: Task, r: PtraceRegister): bigint {
  if ('value' in r) return r.value;
  const arch = t.group.arch;
  const atEntry = atCallEntry(t);
  if ('origNr' in r) return atEntry || (t.syscall !== undefined && t.guestTrace?.stopKind === 'syscall-exit') ? BigInt(t.syscall!.nr) : -1n;
  ctx.kernel.activate(t);
  if (r.reg === arch.regs.ret && atEntry && arch.ptrace.entryReturnIsEnosys) return -BigInt(E.ENOSYS);
  return t.group.cpu.registers.read(r.reg);
}

function writeRegs(ctx: SyscallContext, t: Task, bytes: Uint8Array): void {
  const arch = t.group.arch;
  const regs = arch.ptrace.regs;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  ctx.kernel.activate(t);
  const cpu = t.group.cpu;
  for (let i = 0; i < regs.length && (i + 1) * 8 <= bytes.length; i++) {
    const r = regs[i]!;
    const value = dv.getBigUint64(i * 8, true);
    if ('reg' in r) cpu.registers.write(r.reg, value);
    else if ('origNr' in r) changeCall(ctx, t, value);
  }
  // riscv64 reads the call's number from its register again after the entry stop.
  if (arch.ptrace.syscallChange === 'nr-register') changeCall(ctx, t, cpu.registers.read(arch.regs.nr));
}

/**
 * A tracer wrote the call's number (x86_64's orig_rax, aarch64's NT_ARM_SYSTEM_CALL, riscv64's
 * a7): at an entry or seccomp stop the call becomes that one (-1: skipped); elsewhere it
 * changes nothing.
 */
function changeCall(ctx: SyscallContext, t: Task, value: bigint): void {
  if (atCallEntry(t)) ctx.kernel.retargetGuestCall(t, Number(BigInt.asIntN(32, value)));
}

/** The FP register set (NT_FPREGSET) as the arch lays it out. */
function fpRegs(ctx: SyscallContext, t: Task): Uint8Array | undefined {
  const fp = t.group.arch.ptrace.fpRegs;
  if (fp === undefined) return undefined;
  ctx.kernel.activate(t);
  const regs = t.group.cpu.registers;
  if (!('fields' in fp)) return fp.read(regs);
  const out = new Uint8Array(fp.size);
  const dv = new DataView(out.buffer);
  for (const f of fp.fields) {
    if (f.bytes > 8) out.set(regs.readBytes(f.reg, f.bytes).subarray(0, f.bytes), f.offset);
    else if (f.bytes === 8) dv.setBigUint64(f.offset, BigInt.asUintN(64, regs.read(f.reg)), true);
    else dv.setUint32(f.offset, Number(BigInt.asUintN(32, regs.read(f.reg))), true);
  }
  return out;
}

function regset(ctx: SyscallContext, t: Task, type: number): Uint8Array | bigint {
  if (type === NT_PRSTATUS) return readRegs(ctx, t);
  if (type === NT_FPREGSET) return fpRegs(ctx, t) ?? err(E.EINVAL);
  if (type === NT_ARM_TLS && t.group.arch.ptrace.tlsRegset) {
    ctx.kernel.activate(t);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, t.group.cpu.registers.read(t.group.arch.tls), true);
    return b;
  }
  if (type === NT_ARM_SYSTEM_CALL && t.group.arch.ptrace.syscallChange === 'system-call-regset') {
    // The call's number while it is in one (-1 outside, as after Linux's NO_SYSCALL).
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, t.syscall?.nr ?? -1, true);
    return b;
  }
  const sets = t.group.arch.ptrace.hwDebug?.regsets;
  if ((type === NT_ARM_HW_BREAK || type === NT_ARM_HW_WATCH) && sets !== undefined) {
    // dbg_info: the debug architecture << 8 | the slot count; then each slot's address and control.
    const watch = type === NT_ARM_HW_WATCH;
    const count = watch ? sets.watchpoints : sets.breakpoints;
    const words = debugState(t)!.words;
    const first = watch ? sets.breakpoints : 0;
    const b = new Uint8Array(HWDEBUG_STATE_SIZE);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, (sets.debugArch << 8) | count, true);
    for (let i = 0; i < count; i++) {
      dv.setBigUint64(8 + 16 * i, words[2 * (first + i)]!, true);
      dv.setUint32(16 + 16 * i, Number(words[2 * (first + i) + 1]!), true);
    }
    return b;
  }
  return err(E.EINVAL);
}

/** SETREGSET of `type` with `src` (cut to the set's size). */
function setRegset(ctx: SyscallContext, t: Task, type: number, src: Uint8Array): bigint {
  if (type === NT_PRSTATUS) {
    writeRegs(ctx, t, src);
    return 0n;
  }
  const fp = t.group.arch.ptrace.fpRegs;
  if (type === NT_FPREGSET && fp !== undefined && !('fields' in fp)) return setFpImage(ctx, t, src);
  if (type === NT_FPREGSET && fp !== undefined && 'fields' in fp) {
    // Only whole registers: a cut set writes the fields it holds entirely.
    ctx.kernel.activate(t);
    const regs = t.group.cpu.registers;
    const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
    for (const f of fp.fields) {
      if (f.offset + f.bytes > src.length) continue;
      if (f.bytes > 8) regs.writeBytes(f.reg, src.slice(f.offset, f.offset + f.bytes));
      else if (f.bytes === 8) regs.write(f.reg, dv.getBigUint64(f.offset, true));
      else regs.write(f.reg, BigInt(dv.getUint32(f.offset, true)));
    }
    return 0n;
  }
  if (type === NT_ARM_TLS && t.group.arch.ptrace.tlsRegset && src.length >= 8) {
    ctx.kernel.activate(t);
    t.group.cpu.registers.write(t.group.arch.tls, new DataView(src.buffer, src.byteOffset, 8).getBigUint64(0, true));
    return 0n;
  }
  if (type === NT_ARM_SYSTEM_CALL && t.group.arch.ptrace.syscallChange === 'system-call-regset' && src.length >= 4) {
    changeCall(ctx, t, BigInt(new DataView(src.buffer, src.byteOffset, 4).getInt32(0, true)));
    return 0n;
  }
  const sets = t.group.arch.ptrace.hwDebug?.regsets;
  if ((type === NT_ARM_HW_BREAK || type === NT_ARM_HW_WATCH) && sets !== undefined) return setHwDebugRegset(t, type === NT_ARM_HW_WATCH, src);
  return err(E.EINVAL);
}

/** The x86_64 FP set: whole (Linux refuses a partial write), with valid MXCSR bits. */
function setFpImage(ctx: SyscallContext, t: Task, src: Uint8Array): bigint {
  const fp = t.group.arch.ptrace.fpRegs!;
  if ('fields' in fp || src.length !== fp.size) return err(E.EINVAL);
  ctx.kernel.activate(t);
  return fp.write(t.group.cpu.registers, src) ? 0n : err(E.EINVAL);
}

/**
 * SETREGSET of NT_ARM_HW_BREAK/WATCH: dbg_info is skipped, then (addr, ctrl, pad) per slot, as
 * far as `src` goes; a slot cut after its address sets only that. Linux refuses (EINVAL) a
 * control word it cannot arm; past the slots the hardware has, only disabled ones are accepted.
 */
function setHwDebugRegset(t: Task, watch: boolean, src: Uint8Array): bigint {
  const sets = t.group.arch.ptrace.hwDebug!.regsets!;
  const count = watch ? sets.watchpoints : sets.breakpoints;
  const first = watch ? sets.breakpoints : 0;
  const words = [...debugState(t)!.words];
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < HWDEBUG_SLOTS && 8 + 16 * i < src.length; i++) {
    const at = 8 + 16 * i;
    if (src.length < at + 8) return err(E.EINVAL);
    const addr = dv.getBigUint64(at, true);
    const ctrl = src.length >= at + 12 ? BigInt(dv.getUint32(at + 8, true)) : undefined;
    if (i >= count) {
      if (addr !== 0n || ((ctrl ?? 0n) & 1n) !== 0n) return err(E.ENOSPC);
      continue;
    }
    words[2 * (first + i)] = addr;
    if (ctrl !== undefined) words[2 * (first + i) + 1] = ctrl;
  }
  const r = setDebugWords(t, words);
  return r === 0 ? 0n : err(r);
}

/**
 * The slot size of register set `type` (Linux's regset->size), or undefined when the task's
 * arch has no such set: 8 for the general registers and the thread pointer, 4 for aarch64's
 * debug registers, the arch's for the FP set.
 */
function regsetUnit(t: Task, type: number): number | undefined {
  const p = t.group.arch.ptrace;
  if (type === NT_PRSTATUS) return 8;
  if (type === NT_FPREGSET) return p.fpRegs?.unit;
  if (type === NT_ARM_TLS) return p.tlsRegset ? 8 : undefined;
  if (type === NT_ARM_SYSTEM_CALL) return p.syscallChange === 'system-call-regset' ? 4 : undefined;
  if (type === NT_ARM_HW_BREAK || type === NT_ARM_HW_WATCH) return p.hwDebug?.regsets !== undefined ? 4 : undefined;
  return undefined;
}

/** GETREGSET/SETREGSET: `data` points at a struct iovec. */
function regsetCall(ctx: SyscallContext, t: Task, type: number, iovAddr: bigint, set: boolean): bigint {
  const iov = ctx.mm.read(iovAddr, 16);
  if (iov === null) return err(E.EFAULT);
  const dv = new DataView(iov.buffer, iov.byteOffset, 16);
  const base = dv.getBigUint64(0, true);
  const len = dv.getBigUint64(8, true);
  // Linux checks the length against the set's slots before anything else.
  const unit = regsetUnit(t, type);
  if (unit === undefined || len % BigInt(unit) !== 0n) return err(E.EINVAL);
  const current = regset(ctx, t, type);
  if (typeof current === 'bigint') return current;
  const n = Number(len < BigInt(current.length) ? len : BigInt(current.length));
  if (set) {
    const src = ctx.mm.read(base, n);
    if (src === null) return err(E.EFAULT);
    const r = setRegset(ctx, t, type, src.slice());
    if (r !== 0n) return r;
  } else if (!ctx.mm.write(base, current.subarray(0, n))) return err(E.EFAULT);
  const newLen = new Uint8Array(8);
  new DataView(newLen.buffer).setBigUint64(0, BigInt(n), true);
  return ctx.mm.write(iovAddr + 8n, newLen) ? 0n : err(E.EFAULT);
}

/** PTRACE_GET_SYSCALL_INFO: struct ptrace_syscall_info, cut to `size`; returns its full size. */
function syscallInfo(ctx: SyscallContext, t: Task, size: number, addr: bigint): bigint {
  const arch = t.group.arch;
  const kind = t.guestTrace!.stopKind;
  const call = t.syscall;
  const op = call === undefined ? 0 : kind === 'syscall-enter' ? 1 : kind === 'syscall-exit' ? 2 : atSeccompStop(t) ? 3 : 0;
  ctx.kernel.activate(t);
  const cpu = t.group.cpu;
  const b = new Uint8Array(88);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, op);
  dv.setUint32(4, arch.ptrace.auditArch, true);
  dv.setBigUint64(8, cpu.pc, true);
  dv.setBigUint64(16, cpu.sp, true);
  let full = 24;
  if (op === 1 || op === 3) {
    dv.setBigUint64(24, BigInt(call!.nr), true);
    call!.args.forEach((a, i) => dv.setBigUint64(32 + i * 8, BigInt.asUintN(64, a), true));
    full = 80;
    // The seccomp stop's form adds the filter's data (ret_data).
    if (op === 3) {
      dv.setUint32(80, Number(t.guestTrace!.eventMessage & 0xffffffffn), true);
      full = 84;
    }
  } else if (op === 2) {
    const rval = call!.result ?? 0n;
    dv.setBigInt64(24, rval, true);
    dv.setUint8(32, rval < 0n && rval >= -4095n ? 1 : 0);
    full = 33;
  }
  const n = Math.min(size, full);
  if (n > 0 && !ctx.mm.write(addr, b.subarray(0, n))) return err(E.EFAULT);
  return BigInt(full);
}

// ---- requests -------------------------------------------------------------------------

function resume(t: Task, mode: ResumeMode, signal: number, step = false): bigint {
  if (signal < 0 || signal > 64) return err(E.EIO);
  const l = t.guestTrace!;
  l.resumeMode = mode;
  l.resumeSignal = signal;
  l.singleStep = step;
  // Resumed from its group-stop, the tracee runs although its process stays stopped, as on Linux.
  if (t.jobStop === 'stopped') t.jobStop = undefined;
  t.state = 'running';
  return 0n;
}

/**
 * PTRACE_LISTEN, allowed only for a seized tracee at a PTRACE_EVENT_STOP: it leaves ptrace-stop
 * but stays stopped while its group-stop lasts; the end of the group-stop re-traps it.
 */
function listen(ctx: SyscallContext, t: Task): bigint {
  const l = t.guestTrace!;
  if (!l.seized || (l.stopKind !== 'group-stop' && l.stopKind !== 'event')) return err(E.EIO);
  if (l.stopKind === 'event' && (l.lastStop ?? 0) >>> 16 !== PTRACE_EVENT.STOP) return err(E.EIO);
  l.listening = true;
  // A process no longer stopped (its SIGCONT came first) re-traps at once.
  if (t.group.stopSignal === undefined) ctx.kernel.retrapListening(t);
  return 0n;
}

function traceme(ctx: SyscallContext): bigint {
  const parent = ctx.proc.parent;
  if (ctx.task.guestTrace !== undefined || parent === undefined) return err(E.EPERM);
  const tracer = parent.tasks.find((t) => t.state !== 'zombie' && t.state !== 'dead');
  if (tracer === undefined) return err(E.EPERM);
  link(ctx, ctx.task, tracer);
  return 0n;
}

function attach(ctx: SyscallContext, pid: number, seize: boolean, addr: bigint, data: bigint): bigint {
  if (seize && (addr !== 0n || (Number(BigInt.asUintN(32, data)) & ~SETTABLE_OPTIONS) !== 0)) {
    return addr !== 0n ? err(E.EIO) : err(E.EINVAL);
  }
  const t = ctx.kernel.taskSeenBy(ctx.proc, pid);
  if (t === undefined || t.state === 'dead') return err(E.ESRCH);
  // Not oneself's own process, not twice, not a zombie (a leader that is one is EPERM).
  if (t.group === ctx.proc || t.guestTrace !== undefined || t.state === 'zombie') return err(E.EPERM);
  const l = link(ctx, t, ctx.task);
  if (seize) {
    l.seized = true;
    l.options = Number(data);
  } else {
    // Sent by the kernel, as Linux's ptrace_attach does (SI_KERNEL, no sender).
    ctx.kernel.sendSignal(t, { signo: SIG.SIGSTOP, code: 0x80 /* SI_KERNEL */ });
  }
  return 0n;
}

function detach(ctx: SyscallContext, t: Task, signal: number): bigint {
  if (signal < 0 || signal > 64) return err(E.EIO);
  const info = t.guestTrace!.delivering;
  t.guestTrace = undefined;
  ctx.proc.tracees.delete(t);
  t.state = 'running';
  if (signal !== 0) ctx.kernel.sendSignal(t, info?.signo === signal ? info : { signo: signal, code: 0 });
  return 0n;
}

function ptrace(ctx: SyscallContext): bigint {
  const [reqArg, pidArg, addr, data] = ctx.args as [bigint, bigint, bigint, bigint];
  const req = asInt(reqArg);
  const pid = asInt(pidArg);
  if (req === REQ.TRACEME) return traceme(ctx);
  if (req === REQ.ATTACH || req === REQ.SEIZE) return attach(ctx, pid, req === REQ.SEIZE, addr, data);
  if (req === REQ.KILL || req === REQ.INTERRUPT) {
    const t = tracedBy(ctx, pid);
    if (typeof t === 'bigint') return t;
    if (req === REQ.KILL) {
      ctx.kernel.sendSignal(t, { signo: SIG.SIGKILL, code: 0, pid: ctx.proc.pid, uid: ctx.kernel.creds.uid });
      if (t.state === 'stopped') t.state = 'running';
      return 0n;
    }
    if (!t.guestTrace!.seized) return err(E.EIO);
    if (t.guestTrace!.listening) ctx.kernel.retrapListening(t);
    else if (t.state !== 'stopped') t.guestTrace!.interrupt = true;
    return 0n;
  }
  const t = stoppedTracee(ctx, pid);
  if (typeof t === 'bigint') return t;
  const l = t.guestTrace!;
  const arch = t.group.arch;
  const signal = asInt(data);
  switch (req) {
    case REQ.PEEKTEXT:
    case REQ.PEEKDATA: {
      const b = t.group.mm.peek(addr, 8);
      if (b === null) return err(E.EIO);
      return putWord(ctx, data, new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));
    }
    case REQ.POKETEXT:
    case REQ.POKEDATA: {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, data), true);
      return t.group.mm.poke(addr, b) ? 0n : err(E.EIO);
    }
    case REQ.PEEKUSER:
    case REQ.POKEUSER:
      return userArea(ctx, t, req === REQ.POKEUSER, addr, data);
    case REQ.GETREGS:
    case REQ.SETREGS: {
      if (!arch.ptrace.userArea) return err(E.EIO);
      if (req === REQ.GETREGS) return ctx.mm.write(data, readRegs(ctx, t)) ? 0n : err(E.EFAULT);
      const src = ctx.mm.read(data, arch.ptrace.regs.length * 8);
      if (src === null) return err(E.EFAULT);
      writeRegs(ctx, t, src.slice());
      return 0n;
    }
    case REQ.GETFPREGS:
    case REQ.SETFPREGS: {
      const fp = arch.ptrace.fpRegs;
      if (!arch.ptrace.userArea || fp === undefined) return err(E.EIO);
      if (req === REQ.GETFPREGS) return ctx.mm.write(data, fpRegs(ctx, t)!) ? 0n : err(E.EFAULT);
      const src = ctx.mm.read(data, fp.size);
      if (src === null) return err(E.EFAULT);
      return setFpImage(ctx, t, src.slice());
    }
    case REQ.GETREGSET:
    case REQ.SETREGSET:
      return regsetCall(ctx, t, asInt(addr), data, req === REQ.SETREGSET);
    case REQ.CONT:
      return resume(t, 'cont', signal);
    case REQ.SYSCALL:
      return resume(t, 'syscall', signal);
    case REQ.SINGLESTEP:
      return arch.ptrace.singleStep ? resume(t, 'cont', signal, true) : err(E.EIO);
    case REQ.DETACH:
      return detach(ctx, t, signal);
    case REQ.LISTEN:
      return listen(ctx, t);
    case REQ.SETOPTIONS: {
      const options = Number(BigInt.asUintN(32, data));
      if ((options & ~SETTABLE_OPTIONS) !== 0) return err(E.EINVAL);
      l.options = options;
      return 0n;
    }
    case REQ.GETEVENTMSG:
      return putWord(ctx, data, l.eventMessage);
    case REQ.GETSIGINFO:
      if (l.siginfo === undefined) return err(E.EINVAL);
      return ctx.mm.write(data, encodeSiginfo(l.siginfo)) ? 0n : err(E.EFAULT);
    case REQ.SETSIGINFO: {
      const b = ctx.mm.read(data, 128);
      if (b === null) return err(E.EFAULT);
      if (l.siginfo === undefined) return err(E.EINVAL);
      const dv = new DataView(b.buffer, b.byteOffset, 128);
      const info: Siginfo = { signo: dv.getInt32(0, true), errno: dv.getInt32(4, true), code: dv.getInt32(8, true), pid: dv.getInt32(16, true), uid: dv.getUint32(20, true) };
      l.siginfo = info;
      if (l.delivering !== undefined) l.delivering = info;
      return 0n;
    }
    case REQ.GET_SYSCALL_INFO:
      return syscallInfo(ctx, t, Number(BigInt.asUintN(32, addr)), data);
    default:
      return err(E.EIO);
  }
}

/** PEEKUSER/POKEUSER (x86_64): struct user, registers first; u_debugreg holds DR0–DR7. */
function userArea(ctx: SyscallContext, t: Task, poke: boolean, addr: bigint, data: bigint): bigint {
  const p = t.group.arch.ptrace;
  if (!p.userArea || (addr & 7n) !== 0n || addr < 0n || addr >= 912n) return err(E.EIO);
  const i = Number(addr / 8n);
  const dbg = p.debugRegOffset;
  if (i < p.regs.length) {
    const r = p.regs[i]!;
    if (!poke) return putWord(ctx, data, readReg(ctx, t, r));
    if ('reg' in r) {
      ctx.kernel.activate(t);
      t.group.cpu.registers.write(r.reg, data);
    } else if ('origNr' in r) changeCall(ctx, t, data);
    return 0n;
  }
  const user = p.hwDebug?.user;
  if (dbg !== undefined && user !== undefined && Number(addr) >= dbg && Number(addr) < dbg + 64) {
    const n = (Number(addr) - dbg) / 8;
    const state = debugState(t)!;
    if (!poke) return putWord(ctx, data, user.peek(state.words, n));
    const r = user.poke(state.words, n, data);
    if (r !== 0) return err(r);
    rearm(t);
    return 0n;
  }
  return poke ? 0n : putWord(ctx, data, 0n);
}

/**
 * A new task of a guest tracee whose tracer follows this kind of clone: traced by the same
 * thread with the same options, it stops first (SIGSTOP, or PTRACE_EVENT_STOP when seized).
 */
export function inheritGuestTrace(parent: GuestTraceLink, child: Task): void {
  const l = new GuestTraceLink(parent.tracerTask, parent.tracer);
  l.options = parent.options;
  l.seized = parent.seized;
  l.startStop = parent.seized ? waitStatus.stopped(SIG.SIGTRAP, PTRACE_EVENT.STOP) : waitStatus.stopped(SIG.SIGSTOP);
  child.guestTrace = l;
  parent.tracerTask.group.tracees.add(child);
}

export const PTRACE_SYSCALLS: SyscallTable = byReplay({
  execute: {
    ptrace: partial(ptrace, 'hardware watchpoints slow the whole address space while armed'),
    process_vm_readv: full(processVm(false)),
    process_vm_writev: full(processVm(true)),
  },
});

/** process_vm_readv/writev: copies between the caller's iovecs and another guest process's. */
function processVm(write: boolean): (ctx: SyscallContext) => bigint {
  return (ctx) => {
    const [pidArg, localIov, liovcnt, remoteIov, riovcnt, flags] = ctx.args as [bigint, bigint, bigint, bigint, bigint, bigint];
    if (flags !== 0n) return err(E.EINVAL);
    const target = ctx.kernel.processSeenBy(ctx.proc, asInt(pidArg));
    if (target === undefined || target.termination !== undefined) return err(E.ESRCH);
    const readIovs = (addr: bigint, count: bigint): { base: bigint; len: bigint }[] | null => {
      if (count > 1024n) return null;
      const b = ctx.mm.read(addr, Number(count) * 16);
      if (b === null) return null;
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return Array.from({ length: Number(count) }, (_, i) => ({ base: dv.getBigUint64(i * 16, true), len: dv.getBigUint64(i * 16 + 8, true) }));
    };
    const local = readIovs(localIov, liovcnt);
    const remote = readIovs(remoteIov, riovcnt);
    if (local === null || remote === null) return liovcnt > 1024n || riovcnt > 1024n ? err(E.EINVAL) : err(E.EFAULT);
    let done = 0n;
    let li = 0;
    let lo = 0n;
    for (const r of remote) {
      let ro = 0n;
      while (ro < r.len && li < local.length) {
        const l = local[li]!;
        const n = (l.len - lo < r.len - ro ? l.len - lo : r.len - ro);
        if (n === 0n) { li++; lo = 0n; continue; }
        const len = Number(n > 1n << 20n ? 1n << 20n : n);
        if (write) {
          const b = ctx.mm.read(l.base + lo, len);
          if (b === null) return done > 0n ? done : err(E.EFAULT);
          if (!target.mm.write(r.base + ro, b.slice())) return done > 0n ? done : err(E.EFAULT);
        } else {
          const b = target.mm.read(r.base + ro, len);
          if (b === null) return done > 0n ? done : err(E.EFAULT);
          if (!ctx.mm.write(l.base + lo, b.slice())) return done > 0n ? done : err(E.EFAULT);
        }
        done += BigInt(len);
        lo += BigInt(len);
        ro += BigInt(len);
        if (lo === l.len) { li++; lo = 0n; }
      }
    }
    return done;
  };
}

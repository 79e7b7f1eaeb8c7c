// Emulation of calls into an arch's legacy call page (x86_64's vsyscall page), as Linux's
// emulate_vsyscall does it: the CPU faults fetching from the page; the kernel runs the entry's
// syscall with the argument registers, puts the result in the return register and returns to
// the address on top of the stack. There is no syscall stop for a tracer (Linux has none), and
// a result of -EFAULT, an unknown entry, or an unreadable return address is a SIGSEGV.
import type { CpuFault } from './cpu.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import type { SyscallContext } from './syscalls/types.js';
import { SYSCALL_TABLE } from './syscalls/table.js';
import { readU64 } from './syscalls/guest-memory.js';
import { SIG } from '../abi/signals.js';
import { E } from '../abi/errno.js';

const SI_KERNEL = 0x80;

/** True when `fault` was a call into the legacy page and has been handled (emulated or SIGSEGV). */
export function emulateLegacyCall(kernel: Kernel, task: Task, fault: CpuFault): boolean {
  const { arch, cpu, mm } = task.group;
  const page = arch.legacyCallPage;
  if (page === undefined || fault.signal !== SIG.SIGSEGV) return false;
  const pc = cpu.pc;
  const mask = (1n << BigInt(page.faultAddressBits)) - 1n;
  if (pc < page.base || pc >= page.base + page.size || fault.addr !== (pc & mask)) return false;
  const entry = page.entries.get(pc - page.base);
  const handler = entry === undefined ? undefined : SYSCALL_TABLE[entry.syscall]?.handler;
  const sp = cpu.sp;
  const ret = readU64(mm, sp);
  if (entry === undefined || handler === undefined || ret === null) {
    kernel.sendSignal(task, { signo: SIG.SIGSEGV, code: SI_KERNEL, addr: 0n });
    return true;
  }
  const args = arch.regs.args.slice(0, entry.args).map((r) => cpu.registers.read(r));
  while (args.length < 6) args.push(0n);
  const ctx: SyscallContext = {
    kernel, task, proc: task.group, mm, arch, args,
    block: () => -BigInt(E.ENOSYS),
    reportEvent: () => undefined,
  };
  const result = handler(ctx);
  if (result === -BigInt(E.EFAULT)) {
    kernel.sendSignal(task, { signo: SIG.SIGSEGV, code: SI_KERNEL, addr: 0n });
    return true;
  }
  cpu.setReturn(result);
  cpu.pc = ret;
  cpu.sp = sp + 8n;
  return true;
}

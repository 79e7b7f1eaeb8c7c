// The architectures tstrace runs, looked up by ELF machine.
import type { ArchDescriptor } from './types.js';
import { aarch64 } from './aarch64/index.js';
import { x86_64 } from './x86_64/index.js';
import { riscv64 } from './riscv64/index.js';

export const ARCHES: readonly ArchDescriptor[] = [aarch64, x86_64, riscv64];

export function archForMachine(machine: number): ArchDescriptor | undefined {
  return ARCHES.find((a) => a.elfMachine === machine);
}

/** The architecture PTRACE_GET_SYSCALL_INFO names by its AUDIT_ARCH_* value. */
export function archForAudit(auditArch: number): ArchDescriptor | undefined {
  return ARCHES.find((a) => a.ptrace.auditArch === auditArch);
}

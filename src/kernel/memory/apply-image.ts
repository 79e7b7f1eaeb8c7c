// Builds a process image in an address space from the loader's plan: the mappings in order,
// then their bytes (written past the guest's protections, as the kernel's loader does).
import type { ImagePlan, LoadedProgram } from '../../loader/load.js';
import { LoaderError } from '../../loader/elf.js';
import { commitLimit, type AddressSpace } from './address-space.js';

/** Applies `plan` to a fresh `mm`; throws LoaderError ('too-large') when a mapping does not fit. */
export function applyImage(mm: AddressSpace, plan: ImagePlan, path: string): LoadedProgram {
  for (const m of plan.mappings) {
    // A segment's memory past its file is anonymous memory Linux must commit (vm_brk), whatever
    // its protection: more than RAM + swap is refused, and execve ends in SIGSEGV.
    if (m.end - m.start > commitLimit()) {
      throw new LoaderError('too-large', `${path}: image does not fit: the mapping at 0x${m.start.toString(16)} (${(m.end - m.start) >> 20n} MiB) is larger than the host's memory and swap`, true);
    }
    if (!mm.map(m.start, m.end - m.start, m.prot, false, { kind: 'anon' }, m.label)) {
      const mib = (m.end - m.start) >> 20n;
      throw new LoaderError('too-large', `${path}: image does not fit: the mapping at 0x${m.start.toString(16)} (${mib} MiB) exceeds the emulator's memory regions`, true);
    }
  }
  for (const w of plan.writes) mm.hostWrite(w.addr, w.bytes);
  mm.brkStart = plan.brk;
  mm.brkEnd = plan.brk;
  mm.mmapBase = plan.mmapBase;
  return { entry: plan.entry, stackPointer: plan.stackPointer, brk: plan.brk, auxv: plan.auxv };
}

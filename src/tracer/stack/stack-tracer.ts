// -k: after each syscall line, the tracee's call stack, one frame a line, as strace prints it:
// ` > /path/prog(function+0x1c) [0x2c1c]` (the bracket holds the file offset of the address).
// Frames come from the registers at the stop (through ptrace) unwound with the executable's
// .eh_frame; names from its .symtab. The executable is read once per path.
import type { ArchDescriptor } from '../../arch/types.js';
import { PIE_BASE } from '../../loader/segments.js';
import { readElfImageInfo, symbolize, fileOffset, type ElfImageInfo } from './elf-image.js';
import { parseEhFrame, findFde, unwindStep, type Fde } from './cfi.js';

/** A named mapping of the tracee (what strace's -k learns from /proc/PID/maps). */
export interface NamedMapping {
  /** The file's name as the guest sees it (printed in the frame line). */
  readonly name: string;
  /** Where tstrace reads the file. */
  readonly hostPath: string;
  /** Start of the lowest mapping of that file: the image's first page. */
  readonly base: bigint;
}

/** What the stack tracer asks of the kernel (ptrace requests, and the maps of the tracee). */
export interface StackSource {
  ptraceReadRegisters(tid: number, ids: readonly number[]): bigint[] | undefined;
  ptraceReadMemory(tid: number, addr: bigint, len: number): Uint8Array | null;
  /** The named mapping holding `addr` (a dynamic program's images), if any. */
  mappingAt?(tid: number, addr: bigint): NamedMapping | undefined;
}

/** Where a pc's code comes from: the file (as printed), its image and its load bias. */
interface Place {
  readonly path: string;
  readonly image: Image;
  readonly bias: bigint;
}

interface Image {
  readonly info: ElfImageInfo | undefined;
  readonly fdes: readonly Fde[];
}

/** strace's limit on frames per stack. */
const MAX_FRAMES = 256;

export class StackTracer {
  private readonly images = new Map<string, Image>();

  constructor(private readonly source: StackSource, private readonly arch: ArchDescriptor) {}

  /** The frames of task `tid` (stopped) running `exePath`, each line ending in a newline. */
  trace(tid: number, exePath: string): string {
    const exeImage = this.image(exePath);
    const exePlace: Place = { path: exePath, image: exeImage, bias: exeImage.info?.type === 3 ? PIE_BASE : 0n };
    // A dynamic program's code lies in several files: each pc is looked up in the maps.
    const placeOf = (pc: bigint): Place => {
      const m = this.source.mappingAt?.(tid, pc);
      if (m === undefined) return exePlace;
      const image = this.image(m.hostPath);
      const first = image.info?.segments.reduce((lo, seg) => (seg.vaddr < lo ? seg.vaddr : lo), 1n << 64n);
      const bias = image.info?.type === 3 && first !== undefined ? m.base - (first & ~0xfffn) : 0n;
      return { path: m.name, image, bias };
    };
    const dwarf = this.arch.dwarf;
    const frames: [bigint, Place][] = [];
    const pcReg = this.arch.regs.pc;
    if (dwarf === undefined) {
      const pc = this.source.ptraceReadRegisters(tid, [pcReg])?.[0];
      if (pc !== undefined) frames.push([pc, placeOf(pc)]);
    } else {
      const values = this.source.ptraceReadRegisters(tid, [...dwarf.registers, pcReg]);
      if (values !== undefined) {
        let pc: bigint | undefined = values.pop()!;
        let regs: (bigint | undefined)[] = values;
        const read64 = (addr: bigint): bigint | undefined => {
          const b = this.source.ptraceReadMemory(tid, addr, 8);
          return b === null ? undefined : new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
        };
        for (let depth = 0; pc !== undefined && pc !== 0n && depth < MAX_FRAMES; depth++) {
          const place = placeOf(depth === 0 ? pc : pc - 1n);
          frames.push([pc, place]);
          // A caller's pc is a return address: look up the call instruction before it.
          const lookup = (depth === 0 ? pc : pc - 1n) - place.bias;
          const fde = findFde(place.image.fdes, lookup);
          if (fde === undefined) break;
          const next = unwindStep(fde, lookup, regs, dwarf.sp, read64);
          if (next === undefined) break;
          const ret = next[dwarf.returnAddress];
          if (ret === undefined || (next[dwarf.sp] === regs[dwarf.sp] && ret === pc)) break;
          regs = next;
          pc = ret;
        }
      }
    }
    return frames.map(([pc, place], i) => this.frameLine(place.path, place.image, pc, place.bias, i > 0)).join('');
  }

  private frameLine(path: string, image: Image, pc: bigint, bias: bigint, caller: boolean): string {
    const info = image.info;
    const addr = pc - bias;
    if (info === undefined) return ` > ${path}() [0x${pc.toString(16)}]\n`;
    const sym = symbolize(info, addr, caller);
    const off = fileOffset(info, addr);
    const where = sym === undefined ? '' : `${sym.name}+0x${sym.offset.toString(16)}`;
    return ` > ${path}(${where}) [0x${off.toString(16)}]\n`;
  }

  private image(path: string): Image {
    let image = this.images.get(path);
    if (image === undefined) {
      const info = readElfImageInfo(path);
      const eh = info?.ehFrame;
      image = { info, fdes: eh === undefined ? [] : parseEhFrame(eh.bytes, eh.addr) };
      this.images.set(path, image);
    }
    return image;
  }
}

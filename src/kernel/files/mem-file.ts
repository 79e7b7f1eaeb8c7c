// /proc/PID/mem: a guest process's memory as a file. The offset is the address; reads and
// writes reach any mapped page whatever its protection, as a debugger's do on Linux (code
// included: gdb plants breakpoints this way), and stop at the first unmapped page: what came
// before is the result, or EIO when nothing did. Behind the descriptor is an empty host file,
// for fstat and the like; the position is the kernel's own (lseek: SEEK_SET and SEEK_CUR).
import { E } from '../../abi/errno.js';
import { OpenFile } from './open-file.js';
import type { ThreadGroup } from '../task.js';

const PAGE = 4096n;
const SEEK_SET = 0;
const SEEK_CUR = 1;

export class MemFile extends OpenFile {
  /** The next address read or write reaches (unsigned, a 64-bit address). */
  position = 0n;

  constructor(
    hostFd: number,
    /** The process whose memory it is. */
    readonly target: ThreadGroup,
  ) {
    super(hostFd, `/proc/${target.pid}/mem`);
  }

  override hostPath(): string {
    return this.label;
  }

  /** Up to `len` bytes from `addr`, ending at the first page that is not mapped; -errno. */
  read(addr: bigint, len: number): Uint8Array | bigint {
    // A process that has ended has no memory left: end of file, as on Linux.
    if (this.target.termination !== undefined) return new Uint8Array(0);
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const at = BigInt.asUintN(64, addr + BigInt(done));
      const n = Math.min(len - done, Number(PAGE - (at % PAGE)));
      const b = this.target.mm.peek(at, n);
      if (b === null) break;
      out.set(b, done);
      done += n;
    }
    return done === 0 && len > 0 ? -BigInt(E.EIO) : out.subarray(0, done);
  }

  /** Writes `data` at `addr` up to the first page that is not mapped: the count, or -errno. */
  write(addr: bigint, data: Uint8Array): bigint {
    if (this.target.termination !== undefined) return 0n;
    let done = 0;
    while (done < data.length) {
      const at = BigInt.asUintN(64, addr + BigInt(done));
      const n = Math.min(data.length - done, Number(PAGE - (at % PAGE)));
      if (!this.target.mm.poke(at, data.subarray(done, done + n))) break;
      done += n;
    }
    return done === 0 && data.length > 0 ? -BigInt(E.EIO) : BigInt(done);
  }

  /** lseek: the new position (a full 64-bit address, which may read as negative), or -EINVAL. */
  seek(offset: bigint, whence: number): bigint {
    if (whence === SEEK_SET) this.position = BigInt.asUintN(64, offset);
    else if (whence === SEEK_CUR) this.position = BigInt.asUintN(64, this.position + offset);
    else return -BigInt(E.EINVAL);
    return BigInt.asIntN(64, this.position);
  }
}

// -e read=SET / -e write=SET: after a read- or write-like call on a descriptor in SET, its
// data in strace's hex dump layout (16 bytes a line: ` | OFFSET  hex hex ...  ascii |`);
// vectored calls dump each buffer after a ` * N bytes in buffer I` line, stopping at an empty
// buffer; sendmsg/recvmsg dump their msghdr's iovecs, sendmmsg/recvmmsg each handled message's
// (after a ` = N buffers in vector I` line, up to its msg_len). As strace does, a read dumps what it returned (successful calls only), a write
// what it was given (whatever its result).
import type { TraceeMemory } from './decode/types.js';

type Direction = 'read' | 'write';

interface IoShape {
  readonly direction: Direction;
  /** Index of the buffer argument and whether it is an iovec array (count in the next argument). */
  readonly buf: number;
  readonly vector: boolean;
  /** The buffers are a struct msghdr's iovecs, or those of each struct mmsghdr the call handled. */
  readonly msg?: 'msghdr' | 'mmsghdr';
}

const SHAPES: Readonly<Record<string, IoShape>> = {
  read: { direction: 'read', buf: 1, vector: false },
  pread64: { direction: 'read', buf: 1, vector: false },
  recvfrom: { direction: 'read', buf: 1, vector: false },
  readv: { direction: 'read', buf: 1, vector: true },
  preadv: { direction: 'read', buf: 1, vector: true },
  preadv2: { direction: 'read', buf: 1, vector: true },
  write: { direction: 'write', buf: 1, vector: false },
  pwrite64: { direction: 'write', buf: 1, vector: false },
  sendto: { direction: 'write', buf: 1, vector: false },
  writev: { direction: 'write', buf: 1, vector: true },
  pwritev: { direction: 'write', buf: 1, vector: true },
  pwritev2: { direction: 'write', buf: 1, vector: true },
  sendmsg: { direction: 'write', buf: 1, vector: true, msg: 'msghdr' },
  recvmsg: { direction: 'read', buf: 1, vector: true, msg: 'msghdr' },
  sendmmsg: { direction: 'write', buf: 1, vector: true, msg: 'mmsghdr' },
  recvmmsg: { direction: 'read', buf: 1, vector: true, msg: 'mmsghdr' },
};

/** struct msghdr's msg_iov and msg_iovlen, and struct mmsghdr's size and msg_len. */
const MSG_IOV = 16;
const MMSGHDR_SIZE = 64;
const MMSG_LEN = 56;

export class IoDumper {
  constructor(
    private readonly reads: ((fd: number) => boolean) | undefined,
    private readonly writes: ((fd: number) => boolean) | undefined,
  ) {}

  get enabled(): boolean {
    return this.reads !== undefined || this.writes !== undefined;
  }

  /** The dump lines (each ending in a newline) for a finished call, or ''. */
  dump(name: string, args: readonly bigint[], ret: bigint, mem: TraceeMemory, pid = 0): string {
    const shape = SHAPES[name];
    if (shape === undefined) return '';
    const reading = shape.direction === 'read';
    const set = reading ? this.reads : this.writes;
    const fd = Number(BigInt.asIntN(32, args[0] ?? -1n));
    if (set === undefined || fd < 0 || !set(fd)) return '';
    if (reading && (ret < 0n || ret > 0x7fffffffn)) return '';
    const addr = args[shape.buf]!;
    if (shape.msg === 'msghdr') return dumpMsghdr(mem, addr, reading ? Number(ret) : Infinity, pid);
    if (shape.msg === 'mmsghdr') return ret < 0n ? '' : dumpMmsghdrs(mem, addr, Number(ret), pid);
    const count = BigInt.asUintN(64, args[shape.buf + 1]!);
    if (!shape.vector) {
      const n = reading ? ret : count;
      return n > 0n && n <= 0x7fffffffn ? dumpStr(mem, addr, Number(n), pid) : '';
    }
    return dumpIovecs(mem, addr, Number(BigInt.asUintN(32, count)), reading ? Number(ret) : Infinity, pid);
  }
}

/** The iovecs of a struct msghdr, up to `total` bytes. */
function dumpMsghdr(mem: TraceeMemory, addr: bigint, total: number, pid: number): string {
  const m = mem.read(addr, MSG_IOV + 16);
  if (m === null) return '';
  const dv = new DataView(m.buffer, m.byteOffset, m.byteLength);
  return dumpIovecs(mem, dv.getBigUint64(MSG_IOV, true), Number(dv.getBigUint64(MSG_IOV + 8, true)), total, pid);
}

/** The first `count` struct mmsghdr: ` = N buffers in vector I`, then each one's iovecs up to its msg_len. */
function dumpMmsghdrs(mem: TraceeMemory, addr: bigint, count: number, pid: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const m = mem.read(addr + BigInt(i * MMSGHDR_SIZE), MMSGHDR_SIZE);
    if (m === null) break;
    const dv = new DataView(m.buffer, m.byteOffset, m.byteLength);
    const iovlen = dv.getBigUint64(MSG_IOV + 8, true);
    out += ` = ${iovlen} buffers in vector ${i}\n`;
    out += dumpIovecs(mem, dv.getBigUint64(MSG_IOV, true), Number(iovlen), dv.getUint32(MMSG_LEN, true), pid);
  }
  return out;
}

function dumpIovecs(mem: TraceeMemory, addr: bigint, count: number, total: number, pid = 0): string {
  let out = '';
  let left = total;
  const iov = mem.read(addr, count * 16);
  if (iov === null) return '';
  const dv = new DataView(iov.buffer, iov.byteOffset, iov.byteLength);
  for (let i = 0; i < count; i++) {
    const base = dv.getBigUint64(i * 16, true);
    const len = Math.min(Number(dv.getBigUint64(i * 16 + 8, true)), left);
    if (len === 0) break;
    left -= len;
    out += ` * ${len} bytes in buffer ${i}\n` + dumpStr(mem, base, len, pid);
  }
  return out;
}

/**
 * strace's dumpstr: ` | 00000  68 65 ... 6c  6f ...  hello...         |` per 16 bytes. The
 * offset column is 5 hex digits wide, more when the buffer is longer than 1 MiB. The data is
 * fetched 64 KiB at a time: a piece that cannot be read ends the dump, with a line saying so
 * when some was dumped.
 */
export function dumpStr(mem: TraceeMemory, addr: bigint, len: number, pid: number): string {
  const width = len > 0x100000 ? 1 + Math.floor(Math.floor(Math.log2(len - 1)) / 4) : 5;
  const piece = 0x10000;
  let out = '';
  for (let at = 0; at < len; at += piece) {
    const size = Math.min(len - at, piece);
    const where = BigInt.asUintN(64, addr + BigInt(at));
    const bytes = mem.read(where, size);
    if (bytes === null) {
      if (at > 0) out += ` | <Cannot fetch ${size} byte${size === 1 ? '' : 's'} from pid ${pid} @0x${where.toString(16)}>\n`;
      break;
    }
    out += hexRows(bytes, at, width);
  }
  return out;
}

function hexRows(bytes: Uint8Array, start: number, width: number): string {
  let out = '';
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i < row.length) {
        const c = row[i]!;
        hex += c.toString(16).padStart(2, '0') + ' ';
        ascii += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      } else hex += '   ';
      if (i === 7) hex += ' ';
    }
    out += ` | ${(start + off).toString(16).padStart(width, '0')}  ${hex} ${ascii.padEnd(16)} |\n`;
  }
  return out;
}

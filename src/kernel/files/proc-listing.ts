// Listing /proc (getdents64 on /proc itself): the host's entries, less the host's processes,
// plus the guest's processes as the reader's pid namespace numbers them. Without this, `ps`
// saw tstrace's neighbours (whose /proc/PID the kernel refuses) and not one guest process
// ("fatal library error, reap"). The guest entries come after the host's last one; a rewind
// (the host descriptor back at offset 0) lists them again.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { HostMemory } from '../../../packages/unicorn-engine-ts/src/index.js';
import type { OpenFile } from './open-file.js';

const DT_DIR = 4;
const DT_REG = 8;
const DT_LNK = 10;
const SEEK_SET = 0;
const SEEK_CUR = 1;
/** procfs's root directory inode (fs/proc: PROC_ROOT_INO). */
const PROC_ROOT_INO = 1n;
const PROC_SUPER_MAGIC = 0x9fa0n;

interface Listing {
  /** Guest pids still to list, once the host's entries are done. */
  pending: number[] | undefined;
}

const listings = new WeakMap<OpenFile, Listing | null>();
let memory: HostMemory | undefined;

function scratch(): HostMemory {
  return (memory ??= HostMemory.reserve(1 << 16));
}

/** Whether a description is procfs's root directory (checked once per description). */
export function isProcRoot(file: OpenFile): boolean {
  let l = listings.get(file);
  if (l === undefined) {
    const mem = scratch();
    const st = mem.view(0n, 144);
    const dv = new DataView(st.buffer, st.byteOffset, 144);
    let root = false;
    if (hs(HOST.fstat, BigInt(file.hostFd), mem.ptr) === 0n && dv.getBigUint64(8, true) === PROC_ROOT_INO) {
      root = hs(HOST.fstatfs, BigInt(file.hostFd), mem.ptr) === 0n && dv.getBigInt64(0, true) === PROC_SUPER_MAGIC;
    }
    l = root ? { pending: undefined } : null;
    listings.set(file, l);
  }
  return l !== null;
}

/** An entry of struct linux_dirent64 (8-byte aligned record). */
function entry(name: string, ino: bigint, off: bigint, type = DT_DIR): Uint8Array {
  const n = Buffer.from(name, 'latin1');
  const len = (19 + n.length + 1 + 7) & ~7;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, ino, true);
  dv.setBigInt64(8, off, true);
  dv.setUint16(16, len, true);
  b[18] = type;
  b.set(n, 19);
  return b;
}

/**
 * getdents64 on /proc's root: `guestPids` are the processes the reader sees; returns the bytes to
 * give the guest (at most `count`), or a negative errno.
 */
export function listProcRoot(file: OpenFile, count: number, guestPids: () => number[]): Uint8Array | bigint {
  const state = listings.get(file)!;
  const fd = BigInt(file.hostFd);
  if (hs(HOST.lseek, fd, 0n, BigInt(SEEK_CUR)) === 0n) state.pending = undefined;
  const out: Uint8Array[] = [];
  let used = 0;
  const mem = scratch();
  const size = Math.min(count, 1 << 16);
  while (state.pending === undefined) {
    const r = hs(HOST.getdents64, fd, mem.ptr, BigInt(size));
    if (r < 0n) return r;
    if (r === 0n) {
      state.pending = guestPids();
      break;
    }
    const buf = mem.view(0n, Number(r)).slice();
    const dv = new DataView(buf.buffer);
    for (let at = 0; at < buf.length; ) {
      const len = dv.getUint16(at + 16, true);
      const end = buf.indexOf(0, at + 19);
      const name = Buffer.from(buf.subarray(at + 19, end < 0 || end > at + len ? at + len : end)).toString('latin1');
      if (!/^[0-9]+$/.test(name)) {
        out.push(buf.subarray(at, at + len));
        used += len;
      }
      at += len;
    }
    if (used > 0) return Buffer.concat(out, used);
    // Every entry was a host process: read on, the guest must not take it for the end.
  }
  while (state.pending.length > 0) {
    const pid = state.pending[0]!;
    const e = entry(String(pid), 0x10000000n + BigInt(pid), 0x7fffffff00000000n + BigInt(pid));
    if (used + e.length > count) break;
    out.push(e);
    used += e.length;
    state.pending.shift();
  }
  if (used === 0 && state.pending.length > 0) return -22n; // EINVAL: the buffer holds no entry
  return Buffer.concat(out, used);
}

// ---- /proc/PID/fd, fdinfo and task -----------------------------------------------------------

/** A /proc/PID directory whose entries are the guest's: its descriptors or its threads. */
export interface GuestListing {
  readonly type: 'link' | 'file' | 'dir';
  /** The entries (besides . and ..), read at each getdents64. */
  readonly names: () => string[];
}

const guestListings = new WeakMap<OpenFile, GuestListing>();

/** `file`, an open /proc/PID/fd (fdinfo, task) directory of the host, lists `listing`'s entries. */
export function listsGuestEntries(file: OpenFile, listing: GuestListing): void {
  guestListings.set(file, listing);
}

/**
 * getdents64 on such a directory: `.`, `..` and the guest's entries, from the host descriptor's
 * offset (the index of the next entry, so that lseek and rewinddir work); undefined for any
 * other directory.
 */
export function listGuestEntries(file: OpenFile, count: number): Uint8Array | bigint | undefined {
  const listing = guestListings.get(file);
  if (listing === undefined) return undefined;
  const fd = BigInt(file.hostFd);
  const at = hs(HOST.lseek, fd, 0n, BigInt(SEEK_CUR));
  if (at < 0n) return at;
  const names = ['.', '..', ...listing.names()];
  const type = listing.type === 'link' ? DT_LNK : listing.type === 'file' ? DT_REG : DT_DIR;
  const out: Uint8Array[] = [];
  let used = 0;
  let i = Number(at);
  for (; i < names.length; i++) {
    const e = entry(names[i]!, 0x20000000n + BigInt(i), BigInt(i + 1), i < 2 ? DT_DIR : type);
    if (used + e.length > count) break;
    out.push(e);
    used += e.length;
  }
  if (used === 0 && i < names.length) return -22n; // EINVAL: the buffer holds no entry
  hs(HOST.lseek, fd, BigInt(i), BigInt(SEEK_SET));
  return Buffer.concat(out, used);
}

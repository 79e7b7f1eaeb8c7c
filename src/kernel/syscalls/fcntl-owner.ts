// The fcntl commands that belong to an open file description rather than to the host file:
// its owner for SIGIO/SIGURG (F_SETOWN, F_GETOWN, F_SETOWN_EX, F_GETOWN_EX, as ids of the
// caller's pid namespace), the signal it sends (F_SETSIG, F_GETSIG), directory notification
// requests (F_NOTIFY) and leases (F_SETLEASE, F_GETLEASE). They are kept by the kernel: the host
// descriptor is tstrace's, and the host must never signal tstrace for the guest. Nothing is
// delivered from them yet (no SIGIO, no lease breaks, no notifications).
import { fstatSync } from 'node:fs';
import { E } from '../../abi/errno.js';
import type { OpenFile } from '../files/open-file.js';
import { hostSyscall, HOST } from '../../../packages/host-syscall/src/index.js';
import { asInt, type SyscallContext } from './types.js';

export const F_SETOWN = 8;
export const F_GETOWN = 9;
export const F_SETSIG = 10;
export const F_GETSIG = 11;
export const F_SETOWN_EX = 15;
export const F_GETOWN_EX = 16;
export const F_SETLEASE = 1024;
export const F_GETLEASE = 1025;
export const F_NOTIFY = 1026;

/** The commands handled here. */
export const DESCRIPTION_COMMANDS: ReadonlySet<number> = new Set([F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX, F_SETLEASE, F_GETLEASE, F_NOTIFY]);

const F_OWNER_TID = 0;
const F_OWNER_PID = 1;
const F_OWNER_PGRP = 2;
const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;

interface DescriptionState {
  /** The owner: an F_OWNER_* type and a global id (0: none). */
  ownerType: number;
  owner: number;
  signal: number;
  lease: number;
  notify: number;
}

const states = new WeakMap<OpenFile, DescriptionState>();

function stateOf(file: OpenFile): DescriptionState {
  let s = states.get(file);
  if (s === undefined) {
    // Linux starts with PIDTYPE_PID and no pid: F_GETOWN_EX reports {F_OWNER_TID, 0}.
    s = { ownerType: F_OWNER_TID, owner: 0, signal: 0, lease: F_UNLCK, notify: 0 };
    states.set(file, s);
  }
  return s;
}

const err = (e: number): bigint => -BigInt(e);

/** The global id of what the caller names `id` as an owner of this type, or undefined (ESRCH). */
function ownerId(ctx: SyscallContext, type: number, id: number): number | undefined {
  const global = ctx.proc.pidns.globalOf(id);
  if (global === undefined) return undefined;
  const k = ctx.kernel;
  // A process group's id lives on while a member uses it, after its leader was reaped.
  if (type === F_OWNER_PGRP) return k.task(global) !== undefined || [...k.processes()].some((g) => g.pgid === global) ? global : undefined;
  return k.task(global) !== undefined ? global : undefined;
}

/** One of DESCRIPTION_COMMANDS on the description `file` (host descriptor `hostFd`). */
export function descriptionCommand(ctx: SyscallContext, file: OpenFile, cmd: number, arg: bigint): bigint {
  const s = stateOf(file);
  switch (cmd) {
    case F_SETOWN: {
      let who = asInt(arg);
      let type = F_OWNER_PID;
      if (who < 0) {
        if (who === -0x80000000) return err(E.EINVAL);
        type = F_OWNER_PGRP;
        who = -who;
      }
      const id = who === 0 ? 0 : ownerId(ctx, type, who);
      if (id === undefined) return err(E.ESRCH);
      s.ownerType = type;
      s.owner = id;
      return 0n;
    }
    case F_GETOWN: {
      const id = ctx.proc.pidns.idOf(s.owner);
      return BigInt(s.ownerType === F_OWNER_PGRP ? -id : id);
    }
    case F_SETOWN_EX: {
      const b = ctx.mm.read(arg, 8);
      if (b === null) return err(E.EFAULT);
      const dv = new DataView(b.buffer, b.byteOffset, 8);
      const type = dv.getInt32(0, true);
      const who = dv.getInt32(4, true);
      if (type !== F_OWNER_TID && type !== F_OWNER_PID && type !== F_OWNER_PGRP) return err(E.EINVAL);
      const id = who === 0 ? 0 : ownerId(ctx, type, who);
      if (id === undefined) return err(E.ESRCH);
      s.ownerType = type;
      s.owner = id;
      return 0n;
    }
    case F_GETOWN_EX: {
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      dv.setInt32(0, s.ownerType, true);
      dv.setInt32(4, ctx.proc.pidns.idOf(s.owner), true);
      return ctx.mm.write(arg, b) ? 0n : err(E.EFAULT);
    }
    case F_SETSIG: {
      if (arg > 64n) return err(E.EINVAL);
      s.signal = Number(arg);
      return 0n;
    }
    case F_GETSIG:
      return BigInt(s.signal);
    case F_NOTIFY: {
      if (!fstatSync(file.hostFd).isDirectory()) return err(E.ENOTDIR);
      s.notify = asInt(arg);
      return 0n;
    }
    case F_GETLEASE:
      return BigInt(s.lease);
    case F_SETLEASE: {
      const type = asInt(arg);
      if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return err(E.EINVAL);
      const st = fstatSync(file.hostFd);
      if (!st.isFile()) return err(E.EINVAL);
      const creds = ctx.kernel.creds;
      if (st.uid !== creds.euid && creds.euid !== 0) return err(E.EACCES);
      // A read lease needs a descriptor not open for writing (Linux's check_conflicting_open);
      // other openers are not known here.
      const mode = Number(hostSyscall(HOST.fcntl, BigInt(file.hostFd), 3n /* F_GETFL */)) & 3;
      if (type === F_RDLCK && mode !== 0) return err(E.EAGAIN);
      s.lease = type;
      return 0n;
    }
    default:
      return err(E.EINVAL);
  }
}

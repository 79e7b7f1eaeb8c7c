// The SIOC*IF* ioctls on a socket (Linux's dev_ioctl, reached from any socket family): the
// interface queries are passed through to the host's socket; the requests that change an
// interface answer EPERM, as Linux does for a process without CAP_NET_ADMIN. struct ifreq
// (40 bytes) and struct ifconf (16 bytes) have one layout on every 64-bit guest arch here.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { EFAULT, err, outPtr, scratch } from './host-abi.js';
import { PROT_WRITE } from '../memory/address-space.js';
import type { SyscallContext } from './types.js';

const IFREQ_SIZE = 40;
const IFCONF_SIZE = 16;
const SIOCGIFCONF = 0x8912;
/** Queries: the kernel reads the ifreq (its name or index) and writes its answer into it. */
const GET_IFREQ = new Set([0x8910, 0x8913, 0x8915, 0x8917, 0x8919, 0x891b, 0x891d, 0x8921, 0x8927, 0x8929,
  0x8933, 0x8942, 0x8970]);
/** Changes to an interface (SIOCSIF*, SIOCADDMULTI/SIOCDELMULTI). */
const SET_IFREQ = new Set([0x8914, 0x8916, 0x8918, 0x891a, 0x891c, 0x891e, 0x8922, 0x8923, 0x8924, 0x8930,
  0x8931, 0x8932, 0x8937, 0x8943, 0x8971]);
/** The largest ifc_len passed to the host (a guest asking for more gets what fits). */
const IFCONF_MAX = 1 << 20;

/** Whether request is one of the interface ioctls handled here. */
export function isSockIfIoctl(cmd: number): boolean {
  return cmd === SIOCGIFCONF || GET_IFREQ.has(cmd) || SET_IFREQ.has(cmd);
}

/** One interface ioctl on host descriptor hostFd, a socket (the caller checked). */
export function sockIfIoctl(ctx: SyscallContext, hostFd: number, cmd: number, arg: bigint): bigint {
  const mm = ctx.mm;
  const h = BigInt(hostFd);
  if (cmd === SIOCGIFCONF) return ifconf(ctx, h, arg);
  const bytes = mm.read(arg, IFREQ_SIZE);
  if (bytes === null) return EFAULT;
  if (SET_IFREQ.has(cmd)) return err(E.EPERM);
  if (!mm.accessible(arg, BigInt(IFREQ_SIZE), PROT_WRITE)) return EFAULT;
  const out = outPtr(mm, arg, IFREQ_SIZE, IFREQ_SIZE, false);
  if (out.scratch === undefined) return EFAULT;
  out.scratch.set(bytes);
  const r = hs(HOST.ioctl, h, BigInt(cmd), out.ptr);
  if (r < 0n) return r;
  return out.finish() ? r : EFAULT;
}

function ifconf(ctx: SyscallContext, h: bigint, arg: bigint): bigint {
  const mm = ctx.mm;
  const head = mm.read(arg, IFCONF_SIZE);
  if (head === null) return EFAULT;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const len = dv.getInt32(0, true);
  const buf = dv.getBigUint64(8, true);
  const host = scratch.alloc(IFCONF_SIZE);
  if (host === null) return EFAULT;
  const hv = new DataView(host.view.buffer, host.view.byteOffset, IFCONF_SIZE);
  let out: ReturnType<typeof outPtr> | undefined;
  if (buf === 0n) {
    hv.setInt32(0, len, true);
  } else {
    const room = Math.max(0, Math.min(len, IFCONF_MAX));
    out = outPtr(mm, buf, room, room, false);
    hv.setInt32(0, room, true);
    hv.setBigUint64(8, out.ptr, true);
    if (room > 0 && out.scratch === undefined) return EFAULT;
  }
  const r = hs(HOST.ioctl, h, BigInt(SIOCGIFCONF), host.ptr);
  if (r < 0n) return r;
  const got = hv.getInt32(0, true);
  if (out !== undefined && out.scratch !== undefined && !out.finish(out.scratch.subarray(0, Math.max(0, got)))) return EFAULT;
  const lenBytes = new Uint8Array(4);
  new DataView(lenBytes.buffer).setInt32(0, got, true);
  return mm.write(arg, lenBytes) ? r : EFAULT;
}

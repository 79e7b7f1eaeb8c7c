// The SIOC*IF* ioctls on a socket (Linux's dev_ioctl, reached from any socket family): the
// interface queries are passed through to the host's socket; the requests that change an
// interface answer EPERM, as Linux does for a process without CAP_NET_ADMIN.
import { hostSyscall as hs, HOST } from '../../../packages/host-syscall/src/index.js';
import { E } from '../../abi/errno.js';
import { EFAULT, err, outPtr, scratch } from './host-abi.js';
import { PROT_WRITE } from '../memory/address-space.js';
import type { SyscallContext } from './types.js';
import { IFCONF_SIZE, IFREQ_CHANGES, IFREQ_SIZE, SIOCGIFCONF } from '../../abi/interface-ioctls.js';

/** The largest ifc_len passed to the host (a guest asking for more gets what fits). */
const IFCONF_MAX = 1 << 20;

/** One interface ioctl (abi/interface-ioctls.ts) on host descriptor hostFd, a socket (the caller checked). */
export function sockIfIoctl(ctx: SyscallContext, hostFd: number, cmd: number, arg: bigint): bigint {
  const mm = ctx.mm;
  const h = BigInt(hostFd);
  if (cmd === SIOCGIFCONF) return ifconf(ctx, h, arg);
  const bytes = mm.read(arg, IFREQ_SIZE);
  if (bytes === null) return EFAULT;
  if (IFREQ_CHANGES.has(cmd)) return err(E.EPERM);
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

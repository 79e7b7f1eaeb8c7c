// capget, capset and the capability prctls (PR_CAPBSET_READ/DROP, PR_CAP_AMBIENT), with the
// checks and the order of checks of Linux's kernel/capability.c and security/commoncap.c.
import { E } from '../../abi/errno.js';
import {
  CAP_DATA_SIZE, CAP_LAST_CAP, CAP_SETPCAP, CAP_VALID_MASK, CAP_VERSION, PR_CAPBSET_DROP, PR_CAPBSET_READ,
  PR_CAP_AMBIENT, PR_CAP_AMBIENT_OP, capDataCount,
} from '../../abi/capabilities.js';
import type { CapabilitySets } from '../capability-sets.js';
import type { ThreadGroup } from '../task.js';
import { byReplay, asInt, full, partial, type SyscallContext, type SyscallTable } from './types.js';

const err = (e: number): bigint => -BigInt(e);
const has = (set: bigint, cap: number): boolean => ((set >> BigInt(cap)) & 1n) === 1n;
const bit = (cap: number): bigint => 1n << BigInt(cap);
const isSubset = (a: bigint, b: bigint): boolean => (a & ~b) === 0n;

/** The header's version: how many data structs it carries, or an errno after writing back V3. */
function validateHeader(ctx: SyscallContext): { count: 1 | 2 } | { errno: number } {
  const h = ctx.mm.read(ctx.args[0]!, 4);
  if (h === null) return { errno: E.EFAULT };
  const version = new DataView(h.buffer, h.byteOffset).getUint32(0, true);
  const count = capDataCount(version);
  if (count !== undefined) return { count };
  // An unknown version: Linux tells the caller the one it prefers.
  const v3 = new Uint8Array(4);
  new DataView(v3.buffer).setUint32(0, CAP_VERSION.V3, true);
  return ctx.mm.write(ctx.args[0]!, v3) ? { errno: E.EINVAL } : { errno: E.EFAULT };
}

function headerPid(ctx: SyscallContext): number | null {
  const b = ctx.mm.read(ctx.args[0]! + 4n, 4);
  return b === null ? null : new DataView(b.buffer, b.byteOffset).getInt32(0, true);
}

function capget(ctx: SyscallContext): bigint {
  const data = ctx.args[1]!;
  const v = validateHeader(ctx);
  if ('errno' in v) return v.errno === E.EINVAL && data === 0n ? 0n : err(v.errno);
  const pid = headerPid(ctx);
  if (pid === null) return err(E.EFAULT);
  if (pid < 0) return err(E.EINVAL);
  const target: ThreadGroup | undefined = pid === 0 ? ctx.proc : ctx.kernel.processSeenBy(ctx.proc, pid);
  if (target === undefined) return err(E.ESRCH);
  if (data === 0n) return 0n;
  const c = target.caps;
  const out = new Uint8Array(CAP_DATA_SIZE * v.count);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < v.count; i++) {
    const shift = BigInt(32 * i);
    dv.setUint32(i * CAP_DATA_SIZE, Number((c.effective >> shift) & 0xffffffffn), true);
    dv.setUint32(i * CAP_DATA_SIZE + 4, Number((c.permitted >> shift) & 0xffffffffn), true);
    dv.setUint32(i * CAP_DATA_SIZE + 8, Number((c.inheritable >> shift) & 0xffffffffn), true);
  }
  return ctx.mm.write(data, out) ? 0n : err(E.EFAULT);
}

function capset(ctx: SyscallContext): bigint {
  const v = validateHeader(ctx);
  if ('errno' in v) return err(v.errno);
  const pid = headerPid(ctx);
  if (pid === null) return err(E.EFAULT);
  if (pid !== 0 && pid !== ctx.task.tid) return err(E.EPERM);
  const raw = ctx.mm.read(ctx.args[1]!, CAP_DATA_SIZE * v.count);
  if (raw === null) return err(E.EFAULT);
  const dv = new DataView(raw.buffer, raw.byteOffset);
  const word = (field: number): bigint => {
    let x = 0n;
    for (let i = 0; i < v.count; i++) x |= BigInt(dv.getUint32(i * CAP_DATA_SIZE + field, true)) << BigInt(32 * i);
    return x & CAP_VALID_MASK;
  };
  const effective = word(0);
  const permitted = word(4);
  const inheritable = word(8);
  const old = ctx.proc.caps;
  // commoncap's cap_capset: inheritable is capped unless CAP_SETPCAP is effective.
  if (!has(old.effective, CAP_SETPCAP) && !isSubset(inheritable, old.inheritable | old.permitted)) return err(E.EPERM);
  if (!isSubset(inheritable, old.inheritable | old.bounding)) return err(E.EPERM);
  if (!isSubset(permitted, old.permitted)) return err(E.EPERM);
  if (!isSubset(effective, permitted)) return err(E.EPERM);
  const next: CapabilitySets = { ...old, effective, permitted, inheritable, ambient: old.ambient & permitted & inheritable };
  ctx.proc.caps = next;
  return 0n;
}

const capValid = (v: bigint): boolean => v <= BigInt(CAP_LAST_CAP);

/**
 * The capability prctls; undefined for any other option (the caller's prctl handles those).
 * The argument checks are in commoncap's cap_task_prctl order.
 */
export function capabilityPrctl(ctx: SyscallContext): bigint | undefined {
  const [option, a2, a3, a4, a5] = ctx.args as readonly bigint[];
  const caps = ctx.proc.caps;
  switch (asInt(option!)) {
    case PR_CAPBSET_READ:
      if (!capValid(a2!)) return err(E.EINVAL);
      return has(caps.bounding, Number(a2)) ? 1n : 0n;
    case PR_CAPBSET_DROP:
      if (!has(caps.effective, CAP_SETPCAP)) return err(E.EPERM);
      if (!capValid(a2!)) return err(E.EINVAL);
      ctx.proc.caps = { ...caps, bounding: caps.bounding & ~bit(Number(a2)) };
      return 0n;
    case PR_CAP_AMBIENT: {
      if (a2 === BigInt(PR_CAP_AMBIENT_OP.CLEAR_ALL)) {
        if ((a3! | a4! | a5!) !== 0n) return err(E.EINVAL);
        ctx.proc.caps = { ...caps, ambient: 0n };
        return 0n;
      }
      if (!capValid(a3!) || (a4! | a5!) !== 0n) return err(E.EINVAL);
      const cap = Number(a3);
      if (a2 === BigInt(PR_CAP_AMBIENT_OP.IS_SET)) return has(caps.ambient, cap) ? 1n : 0n;
      if (a2 === BigInt(PR_CAP_AMBIENT_OP.RAISE)) {
        if (!has(caps.permitted, cap) || !has(caps.inheritable, cap)) return err(E.EPERM);
        ctx.proc.caps = { ...caps, ambient: caps.ambient | bit(cap) };
        return 0n;
      }
      if (a2 === BigInt(PR_CAP_AMBIENT_OP.LOWER)) {
        ctx.proc.caps = { ...caps, ambient: caps.ambient & ~bit(cap) };
        return 0n;
      }
      return err(E.EINVAL);
    }
    default:
      return undefined;
  }
}

const SETS_NOTE = 'per-process emulated sets, starting as the host\'s; no other call checks them';

export const CAPABILITY_SYSCALLS: SyscallTable = byReplay({
  execute: {
    capget: full(capget),
    capset: partial(capset, SETS_NOTE),
  },
});

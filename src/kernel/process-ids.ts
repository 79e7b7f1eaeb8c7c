// A process's user and group ids: real, effective, saved and file-system, and its supplementary
// groups, with the rules by which setuid, setreuid, setresuid, setfsuid (and the gid calls)
// change them. Linux keeps them per thread; glibc makes every thread of a process change them
// together, so the kernel keeps one set per process, which a fork copies.
//
// They are what the guest sees (get*id, /proc/PID/status, an exec's AT_UID and AT_EUID); host
// files are still opened with tstrace's own ids.
import type { Credentials } from '../loader/load.js';
import type { CapabilitySets } from './capability-sets.js';

export interface ProcessIds {
  uid: number;
  euid: number;
  suid: number;
  fsuid: number;
  gid: number;
  egid: number;
  sgid: number;
  fsgid: number;
  groups: readonly number[];
}

/** uid_t and gid_t: 32 bits; (uid_t)-1 leaves an id as it is. */
export const KEEP = 0xffffffff;

const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

export function initialIds(c: Credentials): ProcessIds {
  return { uid: c.uid, euid: c.euid, suid: c.euid, fsuid: c.euid, gid: c.gid, egid: c.egid, sgid: c.egid, fsgid: c.egid, groups: c.groups };
}

export function copyIds(ids: ProcessIds): ProcessIds {
  return { ...ids };
}

function capable(caps: CapabilitySets, cap: bigint): boolean {
  return (caps.effective & (1n << cap)) !== 0n;
}

type Kind = 'uid' | 'gid';

function fields(kind: Kind): readonly ['uid', 'euid', 'suid', 'fsuid'] | readonly ['gid', 'egid', 'sgid', 'fsgid'] {
  return kind === 'uid' ? (['uid', 'euid', 'suid', 'fsuid'] as const) : (['gid', 'egid', 'sgid', 'fsgid'] as const);
}

/**
 * A uid change's effect on the capability sets (Linux's cap_emulate_setxuid): leaving root in
 * all of real, effective and saved uid drops every capability; an effective uid leaving 0
 * clears the effective set, and one coming back to 0 restores it from the permitted set.
 */
function fixCapabilities(caps: CapabilitySets, before: ProcessIds, after: ProcessIds): void {
  const wasRoot = before.uid === 0 || before.euid === 0 || before.suid === 0;
  const isRoot = after.uid === 0 || after.euid === 0 || after.suid === 0;
  if (wasRoot && !isRoot) {
    caps.permitted = 0n;
    caps.effective = 0n;
    caps.ambient = 0n;
  }
  if (before.euid === 0 && after.euid !== 0) caps.effective = 0n;
  if (before.euid !== 0 && after.euid === 0) caps.effective = caps.permitted;
}

/** Applies `next` (already checked) to `ids`, with its effect on the capability sets. */
function apply(kind: Kind, ids: ProcessIds, caps: CapabilitySets, next: readonly [number, number, number]): void {
  const before = { ...ids };
  const [r, e, s, fs] = fields(kind);
  ids[r] = next[0];
  ids[e] = next[1];
  ids[s] = next[2];
  // The file-system id follows the effective one.
  ids[fs] = next[1];
  if (kind === 'uid') fixCapabilities(caps, before, ids);
}

/** setresuid/setresgid: each id given must be one of the three held, unless privileged. EPERM when not. */
export function setRes(kind: Kind, ids: ProcessIds, caps: CapabilitySets, wanted: readonly [number, number, number]): boolean {
  const [r, e, s] = fields(kind);
  const held = [ids[r], ids[e], ids[s]];
  const privileged = capable(caps, kind === 'uid' ? CAP_SETUID : CAP_SETGID);
  if (!privileged && wanted.some((v) => v !== KEEP && !held.includes(v))) return false;
  apply(kind, ids, caps, [wanted[0] === KEEP ? held[0]! : wanted[0], wanted[1] === KEEP ? held[1]! : wanted[1], wanted[2] === KEEP ? held[2]! : wanted[2]]);
  return true;
}

/**
 * setreuid/setregid: the real id may become the real or effective one, the effective id the
 * real, effective or saved one (anything when privileged); the saved id becomes the new
 * effective one when the real id is set or the effective one becomes other than the old real.
 */
export function setRe(kind: Kind, ids: ProcessIds, caps: CapabilitySets, real: number, effective: number): boolean {
  const [r, e, s] = fields(kind);
  const privileged = capable(caps, kind === 'uid' ? CAP_SETUID : CAP_SETGID);
  if (!privileged) {
    if (real !== KEEP && real !== ids[r] && real !== ids[e]) return false;
    if (effective !== KEEP && effective !== ids[r] && effective !== ids[e] && effective !== ids[s]) return false;
  }
  const nr = real === KEEP ? ids[r] : real;
  const ne = effective === KEEP ? ids[e] : effective;
  const ns = real !== KEEP || (effective !== KEEP && effective !== ids[r]) ? ne : ids[s];
  apply(kind, ids, caps, [nr, ne, ns]);
  return true;
}

/** setuid/setgid: all three ids when privileged, else the effective one, to the real or saved id. */
export function setOne(kind: Kind, ids: ProcessIds, caps: CapabilitySets, id: number): boolean {
  const [r, e, s] = fields(kind);
  if (capable(caps, kind === 'uid' ? CAP_SETUID : CAP_SETGID)) {
    apply(kind, ids, caps, [id, id, id]);
    return true;
  }
  if (id !== ids[r] && id !== ids[s]) return false;
  apply(kind, ids, caps, [ids[r], id, ids[s]]);
  return true;
}

/**
 * setfsuid/setfsgid: returns the old file-system id, and sets the new one when privileged or
 * when it is one of the real, effective, saved or file-system ids (never an error).
 */
export function setFs(kind: Kind, ids: ProcessIds, caps: CapabilitySets, id: number): number {
  const [r, e, s, fs] = fields(kind);
  const old = ids[fs];
  if (id === KEEP) return old;
  if (capable(caps, kind === 'uid' ? CAP_SETUID : CAP_SETGID) || id === ids[r] || id === ids[e] || id === ids[s] || id === ids[fs]) ids[fs] = id;
  return old;
}

/** Whether setgroups is allowed (CAP_SETGID). */
export function maySetGroups(caps: CapabilitySets): boolean {
  return capable(caps, CAP_SETGID);
}

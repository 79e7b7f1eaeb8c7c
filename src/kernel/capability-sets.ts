// A process's capability sets (Linux keeps them in its credentials). The first process gets the
// sets tstrace itself runs with, read once from the host's /proc/self/status, so a guest sees
// what the same program run natively in this place would see (a sandboxed root usually has a
// reduced bounding set). When that file cannot be read: every capability, as plain root has.
import { readFileSync } from 'node:fs';
import { CAP_VALID_MASK } from '../abi/capabilities.js';

export interface CapabilitySets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  bounding: bigint;
  ambient: bigint;
}

let hostSets: CapabilitySets | undefined;

function readHostSets(): CapabilitySets {
  const all: CapabilitySets = { effective: CAP_VALID_MASK, permitted: CAP_VALID_MASK, inheritable: 0n, bounding: CAP_VALID_MASK, ambient: 0n };
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'latin1');
  } catch {
    return all;
  }
  const field = (name: string, dflt: bigint): bigint => {
    const m = new RegExp(`^${name}:\\s*([0-9a-fA-F]+)$`, 'm').exec(status);
    return m === null ? dflt : BigInt(`0x${m[1]!}`) & CAP_VALID_MASK;
  };
  return {
    effective: field('CapEff', all.effective),
    permitted: field('CapPrm', all.permitted),
    inheritable: field('CapInh', all.inheritable),
    bounding: field('CapBnd', all.bounding),
    ambient: field('CapAmb', all.ambient),
  };
}

/** A fresh copy of the first process's sets. */
export function initialCapabilities(): CapabilitySets {
  hostSets ??= readHostSets();
  return { ...hostSets };
}

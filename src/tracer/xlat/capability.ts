// Capability constants as strace names them: single capabilities (prctl), the two 32-bit halves
// of a capability set as `1<<CAP_X` bits (capget/capset data), header versions, PR_CAP_AMBIENT ops.
import { CAPABILITY_NAMES, CAP_VERSION, PR_CAP_AMBIENT_OP } from '../../abi/capabilities.js';
import { xlat, xlatSeq, type Xlat } from './xlat.js';

export const CAPABILITIES: Xlat = xlatSeq(0, CAPABILITY_NAMES);

/** Bits of the low word (capabilities 0-31). */
export const CAP_MASK0: Xlat = xlat(CAPABILITY_NAMES.slice(0, 32).map((n, i) => [`1<<${n}`, 2 ** i] as const));
/** Bits of the high word (capabilities 32 and up, bit n-32). */
export const CAP_MASK1: Xlat = xlat(CAPABILITY_NAMES.slice(32).map((n, i) => [`1<<${n}`, 2 ** i] as const));

export const CAP_VERSIONS: Xlat = xlat([
  ['_LINUX_CAPABILITY_VERSION_1', CAP_VERSION.V1],
  ['_LINUX_CAPABILITY_VERSION_2', CAP_VERSION.V2],
  ['_LINUX_CAPABILITY_VERSION_3', CAP_VERSION.V3],
]);

export const PR_CAP_AMBIENT_OPS: Xlat = xlat([
  ['PR_CAP_AMBIENT_IS_SET', PR_CAP_AMBIENT_OP.IS_SET],
  ['PR_CAP_AMBIENT_RAISE', PR_CAP_AMBIENT_OP.RAISE],
  ['PR_CAP_AMBIENT_LOWER', PR_CAP_AMBIENT_OP.LOWER],
  ['PR_CAP_AMBIENT_CLEAR_ALL', PR_CAP_AMBIENT_OP.CLEAR_ALL],
]);

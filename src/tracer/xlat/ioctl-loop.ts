// Loop device constants (strace's loop_crypt_type_options.in, loop_flags_options.in).
import { xlat } from './xlat.js';

export const LOOP_CRYPT_TYPES = xlat([
  ['LO_CRYPT_NONE', 0], ['LO_CRYPT_XOR', 1], ['LO_CRYPT_DES', 2], ['LO_CRYPT_FISH2', 3],
  ['LO_CRYPT_BLOW', 4], ['LO_CRYPT_CAST128', 5], ['LO_CRYPT_IDEA', 6], ['LO_CRYPT_DUMMY', 9],
  ['LO_CRYPT_SKIPJACK', 10], ['LO_CRYPT_CRYPTOAPI', 0x12],
]);
export const LOOP_FLAGS = xlat([
  ['LO_FLAGS_READ_ONLY', 1], ['LO_FLAGS_USE_AOPS', 2], ['LO_FLAGS_AUTOCLEAR', 4], ['LO_FLAGS_PARTSCAN', 8],
  ['LO_FLAGS_DIRECT_IO', 0x10],
]);

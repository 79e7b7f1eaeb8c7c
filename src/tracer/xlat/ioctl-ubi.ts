// UBI constants (strace's ubi_*.in, values from mtd/ubi-user.h).
import { xlat } from './xlat.js';

export const UBI_VOLUME_TYPES = xlat([['UBI_DYNAMIC_VOLUME', 3], ['UBI_STATIC_VOLUME', 4]]);
export const UBI_VOLUME_FLAGS = xlat([['UBI_VOL_SKIP_CRC_CHECK_FLG', 1]]);
export const UBI_VOLUME_PROPS = xlat([['UBI_VOL_PROP_DIRECT_WRITE', 1]]);
export const UBI_DATA_TYPES = xlat([['UBI_LONGTERM', 1], ['UBI_SHORTTERM', 2], ['UBI_UNKNOWN', 3]]);

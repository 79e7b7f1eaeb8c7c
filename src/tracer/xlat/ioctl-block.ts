// BLKPG operations (strace's blkpg_ops.in).
import { xlatSeq } from './xlat.js';

export const BLKPG_OPS = xlatSeq(1, ['BLKPG_ADD_PARTITION', 'BLKPG_DEL_PARTITION', 'BLKPG_RESIZE_PARTITION']);

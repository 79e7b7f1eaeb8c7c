// NBD flags (strace's nbd_ioctl_flags.in).
import { xlat } from './xlat.js';

export const NBD_FLAGS = xlat([
  ['NBD_FLAG_HAS_FLAGS', 1], ['NBD_FLAG_READ_ONLY', 2], ['NBD_FLAG_SEND_FLUSH', 4], ['NBD_FLAG_SEND_FUA', 8],
  ['NBD_FLAG_ROTATIONAL', 0x10], ['NBD_FLAG_SEND_TRIM', 0x20], ['NBD_FLAG_SEND_WRITE_ZEROES', 0x40],
  ['NBD_FLAG_SEND_DF', 0x80], ['NBD_FLAG_CAN_MULTI_CONN', 0x100], ['NBD_FLAG_SEND_RESIZE', 0x200],
  ['NBD_FLAG_SEND_CACHE', 0x400],
]);

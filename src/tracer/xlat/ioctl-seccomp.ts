// Flag tables of the seccomp user-notification ioctls ('!'), from <linux/seccomp.h>.
import { xlat } from './xlat.js';

export const SECCOMP_IOCTL_RESP_FLAGS = xlat([
  ['SECCOMP_USER_NOTIF_FLAG_CONTINUE', 0x1],
]);
export const SECCOMP_IOCTL_ADDFD_FLAGS = xlat([
  ['SECCOMP_ADDFD_FLAG_SETFD', 0x1], ['SECCOMP_ADDFD_FLAG_SEND', 0x2],
]);

// Namespace types as NS_GET_NSTYPE returns them (strace's setns_types.in).
import { xlat } from './xlat.js';

export const SETNS_TYPES = xlat([['CLONE_NEWTIME', 0x80], ['CLONE_NEWNS', 0x20000], ['CLONE_NEWCGROUP', 0x2000000],
  ['CLONE_NEWUTS', 0x4000000], ['CLONE_NEWIPC', 0x8000000], ['CLONE_NEWUSER', 0x10000000], ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000]]);

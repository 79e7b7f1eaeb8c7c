// Every family of ioctl requests tstrace decodes. A new family is a module in this folder and
// one line here.
import type { IoctlFamily } from './family.js';
import { SOCKET_IOCTLS } from './sock.js';
import { TERMINAL_IOCTLS } from './term.js';

export const IOCTL_FAMILIES: readonly IoctlFamily[] = [
  TERMINAL_IOCTLS,
  SOCKET_IOCTLS,
];

// inotify descriptors ('I'): INOTIFY_IOC_SETNEXTWD takes the next watch descriptor by value.
import { int } from '../printers.js';
import type { IoctlFamily } from './family.js';

const SETNEXTWD = 0x40044900;

export const INOTIFY_IOCTLS: IoctlFamily = {
  types: [0x49],
  enter: (_ctx, code, arg) => (code === SETNEXTWD ? { text: `, ${int(arg)}` } : undefined),
};

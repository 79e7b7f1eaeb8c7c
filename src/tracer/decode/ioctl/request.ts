// The ioctl request itself: its name (strace's ioctlent tables), or _IOC(...) when unnamed.
import type { XlatStyle } from '../types.js';
import { ioctlNames } from '../../xlat/ioctls.js';
import { IOC_DIRS } from '../../xlat/misc.js';
import { hex, printFlags } from '../printers.js';
import { iocDir, iocNr, iocSize, iocType } from './family.js';

/** `_IOC(_IOC_READ, 0x78, 0x3, 0x4)` for a request strace has no name for. */
function iocText(code: number, style: XlatStyle): string {
  const dir = iocDir(code);
  const dirs = style === 'verbose' ? printFlags('abbrev', IOC_DIRS, dir, '') : printFlags('abbrev', IOC_DIRS, dir, '_IOC_???');
  return `_IOC(${dirs}, ${hex(iocType(code))}, ${hex(iocNr(code))}, ${hex(iocSize(code))})`;
}

/**
 * An ioctl request: `TCGETS`, `SNDCTL_TMR_START or TCSETS`, `_IOC(...)`, with -X its number;
 * `decoded` is a name a family made of the number (`EVIOCGBIT(EV_KEY, 96)`), printed first.
 */
export function printIoctlRequest(code: number, style: XlatStyle, decoded?: string): string {
  const names = decoded === undefined ? ioctlNames(code) : [decoded, ...ioctlNames(code)];
  const sym = names.length > 0 ? names.join(' or ') : iocText(code, style);
  switch (style) {
    case 'abbrev': return sym;
    case 'raw': return hex(code >>> 0);
    case 'verbose': return `${hex(code >>> 0)} /* ${sym} */`;
  }
}

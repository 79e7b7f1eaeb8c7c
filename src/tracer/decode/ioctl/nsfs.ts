// Namespace file descriptors (0xb7: NS_GET_USERNS, ...), as strace's nsfs.c prints them.
import { formatReturn, dec, isError } from '../printers.js';
import { xlookup } from '../../xlat/xlat.js';
import { SETNS_TYPES } from '../../xlat/ioctl-nsfs.js';
import type { IoctlFamily } from './family.js';
import { AT_EXIT, NO_ARG, printNum } from './umove.js';

const GET_USERNS = 0xb701, GET_PARENT = 0xb702, GET_NSTYPE = 0xb703, GET_OWNER_UID = 0xb704;

export const NSFS_IOCTLS: IoctlFamily = {
  types: [0xb7],
  enter(_ctx, code) {
    switch (code) {
      case GET_USERNS: case GET_PARENT: case GET_NSTYPE: return NO_ARG;
      case GET_OWNER_UID: return AT_EXIT;
    }
    return undefined;
  },
  exit(ctx, _code, arg) {
    return `, ${printNum(ctx, arg, 4, (v) => (v === 0xffffffffn ? '-1' : v.toString()), ctx)}`;
  },
  ret(ctx, code) {
    if (code === GET_USERNS || code === GET_PARENT) return formatReturn(ctx, 'fd');
    if (code === GET_NSTYPE && !isError(ctx.ret)) {
      const name = xlookup(SETNS_TYPES, ctx.ret);
      return name === undefined ? dec(ctx.ret) : `${dec(ctx.ret)} (${name})`;
    }
    return undefined;
  },
};

// The counter character device ('>'), as strace's counter_ioctl.c prints it.
import { printEnum } from '../printers.js';
import { COUNTER_COMPONENT_TYPES, COUNTER_EVENT_TYPES, COUNTER_SCOPES } from '../../xlat/ioctl-counter.js';
import type { IoctlFamily } from './family.js';
import { NO_ARG, umove } from './umove.js';

const ADD_WATCH = 0x40063e00, ENABLE_EVENTS = 0x3e01, DISABLE_EVENTS = 0x3e02;

export const COUNTER_IOCTLS: IoctlFamily = {
  types: [0x3e],
  enter(ctx, code, arg) {
    if (code === ENABLE_EVENTS || code === DISABLE_EVENTS) return NO_ARG;
    if (code !== ADD_WATCH) return undefined;
    // struct counter_watch: component {type, scope, parent, id}, event, channel; all u8.
    const b = umove(ctx, arg, 6);
    if (typeof b === 'string') return { text: `, ${b}` };
    const style = ctx.options.xlat;
    const component = `{type=${printEnum(style, COUNTER_COMPONENT_TYPES, b[0]!, 'COUNTER_COMPONENT_???')}, ` +
      `scope=${printEnum(style, COUNTER_SCOPES, b[1]!, 'COUNTER_SCOPE_???')}, parent=${b[2]!}, id=${b[3]!}}`;
    return { text: `, {component=${component}, event=${printEnum(style, COUNTER_EVENT_TYPES, b[4]!, 'COUNTER_EVENT_???')}, channel=${b[5]!}}` };
  },
};

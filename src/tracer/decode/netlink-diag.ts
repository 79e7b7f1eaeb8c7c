// NETLINK_SOCK_DIAG (strace 6.1's netlink_sock_diag.c and its per-family files).
import { NLM_GET_FLAGS } from '../xlat/netlink.js';
import { SOCK_DIAG_TYPES } from '../xlat/netlink-families.js';
import { printEnum } from './printers.js';
import type { NetlinkProtocol } from './netlink-types.js';

export const SOCK_DIAG: NetlinkProtocol = {
  type: (style, type) => printEnum(style, SOCK_DIAG_TYPES, type, 'SOCK_DIAG_???'),
  flags: () => NLM_GET_FLAGS,
};

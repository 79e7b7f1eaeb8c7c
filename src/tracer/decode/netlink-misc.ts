// The netlink protocols decoded by their message types (and flags) alone, and the small
// payloads of NETLINK_SELINUX (strace 6.1's netlink.c tables and netlink_selinux.c):
// NETLINK_AUDIT, NETLINK_XFRM, NETLINK_SELINUX, NETLINK_CRYPTO and NETLINK_GENERIC, whose
// families strace learns from the kernel at run time; only the controller's (nlctrl, fixed at
// 0x10) is known here.
import { NLM_DELETE_FLAGS, NLM_GET_FLAGS, NLM_NEW_FLAGS } from '../xlat/netlink.js';
import { AUDIT_TYPES, CRYPTO_TYPES, GENL_FAMILIES, SELINUX_TYPES, XFRM_TYPES } from '../xlat/netlink-families.js';
import type { Xlat } from '../xlat/xlat.js';
import { hexData } from './nlattr.js';
import { hex, printEnum, readInt } from './printers.js';
import type { NetlinkProtocol } from './netlink-types.js';
import type { XlatStyle } from './types.js';

/** A protocol whose types come from one table with a `???` default. */
const named = (table: Xlat, dflt: string) => (style: XlatStyle, type: number): string =>
  printEnum(style, table, type, dflt);

export const AUDIT: NetlinkProtocol = { type: named(AUDIT_TYPES, 'AUDIT_???') };

export const GENERIC: NetlinkProtocol = { type: named(GENL_FAMILIES, 'GENERIC_FAMILY_???') };

/** XFRM_MSG_* by operation: new, delete and get ones take those flags. */
const XFRM_FLAGS = new Map<number, Xlat>([
  [0x10, NLM_NEW_FLAGS], [0x13, NLM_NEW_FLAGS], [0x1e, NLM_NEW_FLAGS], [0x22, NLM_NEW_FLAGS], [0x24, NLM_NEW_FLAGS],
  [0x11, NLM_DELETE_FLAGS], [0x14, NLM_DELETE_FLAGS],
  [0x12, NLM_GET_FLAGS], [0x15, NLM_GET_FLAGS], [0x1f, NLM_GET_FLAGS], [0x23, NLM_GET_FLAGS], [0x25, NLM_GET_FLAGS],
]);
export const XFRM: NetlinkProtocol = { type: named(XFRM_TYPES, 'XFRM_MSG_???'), flags: (t) => XFRM_FLAGS.get(t) };

const CRYPTO_FLAGS = new Map<number, Xlat>([[0x10, NLM_NEW_FLAGS], [0x11, NLM_DELETE_FLAGS], [0x14, NLM_DELETE_FLAGS], [0x13, NLM_GET_FLAGS]]);
export const CRYPTO: NetlinkProtocol = { type: named(CRYPTO_TYPES, 'CRYPTO_MSG_???'), flags: (t) => CRYPTO_FLAGS.get(t) };

const SELNL_MSG_SETENFORCE = 0x10;
const SELNL_MSG_POLICYLOAD = 0x11;
export const SELINUX: NetlinkProtocol = {
  type: named(SELINUX_TYPES, 'SELNL_MSG_???'),
  // struct selnl_msg_setenforce { int val; }, struct selnl_msg_policyload { __u32 seqno; }.
  payload: (ctx, type, _flags, p) => {
    if (type !== SELNL_MSG_SETENFORCE && type !== SELNL_MSG_POLICYLOAD) return undefined;
    if (p.len < 4) return hexData(ctx, p);
    const b = p.read(4);
    if (b === null) return hex(p.addr);
    return type === SELNL_MSG_SETENFORCE ? `{val=${readInt(b, 0, 4, true)}}` : `{seqno=${readInt(b, 0, 4, false)}}`;
  },
};

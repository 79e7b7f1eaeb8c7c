// AF_SMC sock_diag messages (strace 6.1's netlink_smc_diag.c): struct smc_diag_req and
// smc_diag_msg (their socket ids AF_INET's), then SMC_DIAG_* attributes.
import {
  INET_DIAG_SHUTDOWN_FLAGS, SMC_DECL_CODES, SMC_DIAG_ATTRS, SMC_DIAG_EXTENDED_FLAGS, SMC_DIAG_MODES, SMC_LINK_GROUP_ROLES, SMC_STATES,
} from '../xlat/netlink-diag.js';
import { type Body, en, family, fl, num, u64 } from './netlink-body.js';
import { sockidField } from './netlink-inet-diag.js';
import { type NlaTable, type NlaValue, nlaFixed, nlaFlags } from './nlattr.js';
import { hex, printEnum, quoteFixedCString, readInt, struct } from './printers.js';

const AF_INET = 2;

export const SMC_DIAG_REQ: Body = { size: 52, attrs: 'none', fields: [
  { name: 'diag_family', offset: 0, size: 1, print: family },
  { name: 'diag_ext', offset: 3, size: 1, print: fl(SMC_DIAG_EXTENDED_FLAGS, '1<<SMC_DIAG_\\?\\?\\?-1') },
  sockidField(4, AF_INET),
] };

/** struct smc_diag_cursor: reserved, wrap, count. */
const cursor = (b: Uint8Array, at: number): string =>
  struct([`reserved=${readInt(b, at, 2, false)}`, `wrap=${readInt(b, at + 2, 2, false)}`, `count=${readInt(b, at + 4, 4, false)}`]);
const hex2 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

const conninfo = nlaFixed(76, (_env, b) => struct([
  `token=${readInt(b, 0, 4, false)}`, `sndbuf_size=${readInt(b, 4, 4, false)}`, `rmbe_size=${readInt(b, 8, 4, false)}`,
  `peer_rmbe_size=${readInt(b, 12, 4, false)}`, `rx_prod=${cursor(b, 16)}`, `rx_cons=${cursor(b, 24)}`, `tx_prod=${cursor(b, 32)}`,
  `tx_cons=${cursor(b, 40)}`, `rx_prod_flags=${hex2(b[48]!)}`, `rx_conn_state_flags=${hex2(b[49]!)}`, `tx_prod_flags=${hex2(b[50]!)}`,
  `tx_conn_state_flags=${hex2(b[51]!)}`, `tx_prep=${cursor(b, 52)}`, `tx_sent=${cursor(b, 60)}`, `tx_fin=${cursor(b, 68)}`,
]));

/** struct smc_diag_lgrinfo: one struct smc_diag_linkinfo (146 bytes), then the role. */
const lgrinfo = nlaFixed(147, (env, b) => struct([
  `lnk=[${struct([`link_id=${b[0]}`, `ibname=${quoteFixedCString(b.subarray(1, 65))}`, `ibport=${b[65]}`,
    `gid=${quoteFixedCString(b.subarray(66, 106))}`, `peer_gid=${quoteFixedCString(b.subarray(106, 146))}`])}]`,
  `role=${printEnum(env.ctx.options.xlat, SMC_LINK_GROUP_ROLES, b[146]!, 'SMC_???')}`,
]));

const dmbinfo = nlaFixed(40, (_env, b) => struct([
  `linkid=${readInt(b, 0, 4, false)}`, `peer_gid=${hex(readInt(b, 8, 8, false))}`, `my_gid=${hex(readInt(b, 16, 8, false))}`,
  `token=${hex(readInt(b, 24, 8, false))}`, `peer_token=${hex(readInt(b, 32, 8, false))}`,
]));

/** The decline codes are printed verbosely whatever -X says (they come from a kernel-internal header). */
const declCode = (v: bigint): string => {
  const name = SMC_DECL_CODES.byValue.get(v);
  return `${hex(v)} /* ${name ?? 'SMC_CLC_DECL_???'} */`;
};
const fallback = nlaFixed(8, (_env, b) => struct([`reason=${declCode(readInt(b, 0, 4, false))}`, `peer_diagnosis=${declCode(readInt(b, 4, 4, false))}`]));

const MSG_TABLE: NlaTable = {
  names: SMC_DIAG_ATTRS, dflt: 'SMC_DIAG_???',
  values: new Map<number, NlaValue>([
    [1, conninfo], [2, lgrinfo], [3, nlaFlags(INET_DIAG_SHUTDOWN_FLAGS, '???_SHUTDOWN', 1)], [4, dmbinfo], [5, fallback],
  ]),
};

export const SMC_DIAG_MSG: Body = { size: 64, attrs: MSG_TABLE, fields: [
  { name: 'diag_family', offset: 0, size: 1, print: family },
  { name: 'diag_state', offset: 1, size: 1, print: en(SMC_STATES, 'SMC_???') },
  { name: 'diag_fallback', offset: 2, size: 1, print: en(SMC_DIAG_MODES, 'SMC_DIAG_MODE_???') },
  { name: 'diag_shutdown', offset: 3, size: 1, print: num },
  sockidField(4, AF_INET),
  { name: 'diag_uid', offset: 52, size: 4, print: num },
  { name: 'diag_inode', offset: 56, size: 8, print: u64 },
] };

// NETLINK_SOCK_DIAG (strace 6.1's netlink_sock_diag.c and netlink_{unix,netlink,packet,smc,
// inet}_diag.c): every message type takes the get flags; a payload is a request (NLM_F_REQUEST
// set) or a reply of the family its first byte names, each a header struct (a request alone,
// a reply followed by its attributes); a family without a decoder prints as `{family=…,
// data=…}`.
import { NLM_GET_FLAGS } from '../xlat/netlink.js';
import { ADDRESS_FAMILIES, SOCKET_TYPES } from '../xlat/net.js';
import { NETLINK_PROTOCOLS } from '../xlat/netlink.js';
import { SOCK_DIAG_TYPES } from '../xlat/netlink-families.js';
import {
  AF_PACKET_VERSIONS, NETLINK_DIAG_ATTRS, NETLINK_DIAG_SHOW, NETLINK_SOCKET_FLAGS, NETLINK_STATES, PACKET_DIAG_ATTRS,
  PACKET_DIAG_INFO_FLAGS, PACKET_DIAG_SHOW, SK_MEMINFO_INDICES, TCP_STATE_FLAGS, TCP_STATES, UNIX_DIAG_ATTRS, UNIX_DIAG_SHOW,
} from '../xlat/netlink-diag.js';
import { ETHERNET_PROTOCOLS } from '../xlat/rtnl-attrs.js';
import { SOCK_FILTER_SIZE, printSockFilter } from './bpf-filter.js';
import { printDev } from './fs.js';
import { type Body, type BodyField, cookie, en, family, fl, hexNum, num, printBody } from './netlink-body.js';
import { INET_DIAG_MSG, inetDiagReq } from './netlink-inet-diag.js';
import { SMC_DIAG_MSG, SMC_DIAG_REQ } from './netlink-smc-diag.js';
import type { NetlinkProtocol } from './netlink-types.js';
import { NLMSG_DONE } from './netlink-types.js';
import {
  type FieldSpec, type NlaTable, type NlaValue, type Span, hexData, nlaArray, nlaFixed, nlaIndexedArray, nlaInt, nlaString, nlaStruct,
  printIfindex,
} from './nlattr.js';
import { hex, printEnum, printFlags, printNamed, quoteBytes, readInt, struct } from './printers.js';
import type { DecodeContext } from './types.js';

const u32s = (...names: string[]): FieldSpec[] => names.map((n): FieldSpec => [n, 4]);

/** decode_nla_meminfo: the __u32 array indexed by SK_MEMINFO_*. */
export const nlaMeminfo = nlaIndexedArray(4, false, SK_MEMINFO_INDICES, 'SK_MEMINFO_???');
/** decode_nla_uid: -1 as such. */
export const nlaUid: NlaValue = nlaFixed(4, (_env, b) => {
  const v = readInt(b, 0, 4, false);
  return v === 0xffffffffn ? '-1' : v.toString();
});

const field = (name: string, offset: number, size: number, print: BodyField['print']): BodyField => ({ name, offset, size, print });

// ---- AF_UNIX ----------------------------------------------------------------------------------

const UNIX_REQ: Body = { size: 24, attrs: 'none', fields: [
  field('sdiag_family', 0, 1, family), field('sdiag_protocol', 1, 1, num),
  field('udiag_states', 4, 4, fl(TCP_STATE_FLAGS, '1<<TCP_???')), field('udiag_ino', 8, 4, num),
  field('udiag_show', 12, 4, fl(UNIX_DIAG_SHOW, 'UDIAG_SHOW_???')), field('udiag_cookie', 16, 8, cookie),
] };
const UNIX_MSG_TABLE: NlaTable = {
  names: UNIX_DIAG_ATTRS, dflt: 'UNIX_DIAG_???',
  values: new Map<number, NlaValue>([
    [0, nlaString], // UNIX_DIAG_NAME
    // struct unix_diag_vfs: ino, then dev (printed first).
    [1, nlaFixed(8, (env, b) => struct([`udiag_vfs_dev=${printDev(env.ctx, readInt(b, 4, 4, false))}`, `udiag_vfs_ino=${readInt(b, 0, 4, false)}`]))],
    [2, nlaInt(4)], // UNIX_DIAG_PEER
    [3, nlaArray(4, (_env, b) => readInt(b, 0, 4, false).toString())], // UNIX_DIAG_ICONS
    [4, nlaStruct(u32s('udiag_rqueue', 'udiag_wqueue'))], // UNIX_DIAG_RQLEN
    [5, nlaMeminfo], // UNIX_DIAG_MEMINFO
    [6, nlaInt(1)], // UNIX_DIAG_SHUTDOWN
    [7, nlaUid], // UNIX_DIAG_UID
  ]),
};
const UNIX_MSG: Body = { size: 16, attrs: UNIX_MSG_TABLE, fields: [
  field('udiag_family', 0, 1, family), field('udiag_type', 1, 1, en(SOCKET_TYPES, 'SOCK_???')),
  field('udiag_state', 2, 1, en(TCP_STATES, 'TCP_???')), field('udiag_ino', 4, 4, num), field('udiag_cookie', 8, 8, cookie),
] };

// ---- AF_NETLINK -------------------------------------------------------------------------------

const NDIAG_PROTO_ALL = 0xff;
const NETLINK_REQ: Body = { size: 20, attrs: 'none', fields: [
  field('sdiag_family', 0, 1, family),
  field('sdiag_protocol', 1, 1, (ctx, v) => (v === NDIAG_PROTO_ALL ? printNamed(ctx.options.xlat, v, 'NDIAG_PROTO_ALL') : printEnum(ctx.options.xlat, NETLINK_PROTOCOLS, v, 'NETLINK_???'))),
  field('ndiag_ino', 4, 4, num), field('ndiag_show', 8, 4, fl(NETLINK_DIAG_SHOW, 'NDIAG_SHOW_???')), field('ndiag_cookie', 12, 8, cookie),
] };
const NETLINK_MSG_TABLE: NlaTable = {
  names: NETLINK_DIAG_ATTRS, dflt: 'NETLINK_DIAG_???',
  values: new Map<number, NlaValue>([
    [0, nlaMeminfo], // NETLINK_DIAG_MEMINFO
    // NETLINK_DIAG_GROUPS: the group bitmap in the tracee's words (every architecture here is 64-bit).
    [1, nlaArray(8, (_env, b) => `0x${readInt(b, 0, 8, false).toString(16).padStart(16, '0')}`)],
    [2, nlaStruct(u32s('ndr_block_size', 'ndr_block_nr', 'ndr_frame_size', 'ndr_frame_nr'))], // NETLINK_DIAG_RX_RING
    [3, nlaStruct(u32s('ndr_block_size', 'ndr_block_nr', 'ndr_frame_size', 'ndr_frame_nr'))], // NETLINK_DIAG_TX_RING
    [4, nlaFixed(4, (env, b) => printFlags(env.ctx.options.xlat, NETLINK_SOCKET_FLAGS, readInt(b, 0, 4, false), 'NDIAG_FLAG_???') || '0')], // NETLINK_DIAG_FLAGS
  ]),
};
const NETLINK_MSG: Body = { size: 28, attrs: NETLINK_MSG_TABLE, fields: [
  field('ndiag_family', 0, 1, family), field('ndiag_type', 1, 1, en(SOCKET_TYPES, 'SOCK_???')),
  field('ndiag_protocol', 2, 1, en(NETLINK_PROTOCOLS, 'NETLINK_???')), field('ndiag_state', 3, 1, en(NETLINK_STATES, 'NETLINK_???')),
  field('ndiag_portid', 4, 4, num), field('ndiag_dst_portid', 8, 4, num), field('ndiag_dst_group', 12, 4, num),
  field('ndiag_ino', 16, 4, num), field('ndiag_cookie', 20, 8, cookie),
] };

// ---- AF_PACKET --------------------------------------------------------------------------------

const PACKET_REQ: Body = { size: 20, attrs: 'none', fields: [
  field('sdiag_family', 0, 1, family), field('sdiag_protocol', 1, 1, hexNum),
  field('pdiag_ino', 4, 4, num), field('pdiag_show', 8, 4, fl(PACKET_DIAG_SHOW, 'PACKET_SHOW_???')), field('pdiag_cookie', 12, 8, cookie),
] };
const packetRing = nlaStruct(u32s('pdr_block_size', 'pdr_block_nr', 'pdr_frame_size', 'pdr_frame_nr', 'pdr_retire_tmo', 'pdr_sizeof_priv', 'pdr_features'));
/** The socket's filter program: its instructions with -v (the first BPF_MAXINSNS, then `...`), else its address. */
const BPF_MAXINSNS = 4096;
const filterInsns = nlaArray(SOCK_FILTER_SIZE, (env, b) => printSockFilter(env.ctx.options.xlat, b), BPF_MAXINSNS);
const packetFilter: NlaValue = (env, s, t) => {
  const n = Math.floor(s.len / SOCK_FILTER_SIZE);
  if (n === 0 || n > 0xffff) return undefined;
  return env.ctx.options.verbose ? filterInsns(env, s, t) : hex(s.addr);
};

const PACKET_MSG_TABLE: NlaTable = {
  names: PACKET_DIAG_ATTRS, dflt: 'PACKET_DIAG_???',
  values: new Map<number, NlaValue>([
    [0, nlaFixed(24, (env, b) => { // PACKET_DIAG_INFO
      const style = env.ctx.options.xlat;
      return struct([
        `pdi_index=${printIfindex(env.ctx, Number(readInt(b, 0, 4, false)))}`,
        `pdi_version=${printEnum(style, AF_PACKET_VERSIONS, readInt(b, 4, 4, false), 'TPACKET_???')}`,
        `pdi_reserve=${readInt(b, 8, 4, false)}`, `pdi_copy_thresh=${readInt(b, 12, 4, false)}`, `pdi_tstamp=${readInt(b, 16, 4, false)}`,
        `pdi_flags=${printFlags(style, PACKET_DIAG_INFO_FLAGS, readInt(b, 20, 4, false), 'PDI_???') || '0'}`,
      ]);
    })],
    [1, nlaArray(44, (env, b) => { // PACKET_DIAG_MCLIST
      const alen = Math.min(Number(readInt(b, 10, 2, false)), 32);
      return struct([
        `pdmc_index=${printIfindex(env.ctx, Number(readInt(b, 0, 4, false)))}`, `pdmc_count=${readInt(b, 4, 4, false)}`,
        `pdmc_type=${readInt(b, 8, 2, false)}`, `pdmc_alen=${readInt(b, 10, 2, false)}`,
        `pdmc_addr=${quoteBytes(b.subarray(12, 12 + alen), alen, { forceHex: true }).text}`,
      ]);
    })],
    [2, packetRing], [3, packetRing], // PACKET_DIAG_RX_RING, TX_RING
    [4, nlaInt(4)], // PACKET_DIAG_FANOUT
    [5, nlaUid], // PACKET_DIAG_UID
    [6, nlaMeminfo], // PACKET_DIAG_MEMINFO
    [7, packetFilter], // PACKET_DIAG_FILTER
  ]),
};
const PACKET_MSG: Body = { size: 16, attrs: PACKET_MSG_TABLE, fields: [
  field('pdiag_family', 0, 1, family), field('pdiag_type', 1, 1, en(SOCKET_TYPES, 'SOCK_???')),
  field('pdiag_num', 2, 2, en(ETHERNET_PROTOCOLS, 'ETH_P_???')), field('pdiag_ino', 4, 4, num), field('pdiag_cookie', 8, 8, cookie),
] };

/** Request and reply headers by family (strace's diag_decoders). */
const DIAG: ReadonlyMap<number, { req: Body | ((type: number) => Body); msg: Body }> = new Map([
  [1, { req: UNIX_REQ, msg: UNIX_MSG }],
  [2, { req: inetDiagReq, msg: INET_DIAG_MSG }],
  [10, { req: inetDiagReq, msg: INET_DIAG_MSG }],
  [16, { req: NETLINK_REQ, msg: NETLINK_MSG }],
  [17, { req: PACKET_REQ, msg: PACKET_MSG }],
  [43, { req: SMC_DIAG_REQ, msg: SMC_DIAG_MSG }],
]);

const NLM_F_REQUEST = 1;

function printDiag(ctx: DecodeContext, type: number, flags: number, p: Span): string | undefined {
  if (type === NLMSG_DONE) return undefined;
  const f = p.read(1);
  if (f === null) return hex(p.addr);
  const d = p.len > 1 ? DIAG.get(f[0]!) : undefined;
  if (d !== undefined) {
    const body = (flags & NLM_F_REQUEST) === 0 ? d.msg : typeof d.req === 'function' ? d.req(type) : d.req;
    return printBody(ctx, body, f[0]!, p);
  }
  const fam = `family=${printEnum(ctx.options.xlat, ADDRESS_FAMILIES, f[0]!, 'AF_???')}`;
  return p.len > 1 ? `{${fam}, data=${hexData(ctx, p.sub(1))}}` : `{${fam}}`;
}

export const SOCK_DIAG: NetlinkProtocol = {
  type: (style, type) => printEnum(style, SOCK_DIAG_TYPES, type, 'SOCK_DIAG_???'),
  flags: () => NLM_GET_FLAGS,
  payload: printDiag,
};

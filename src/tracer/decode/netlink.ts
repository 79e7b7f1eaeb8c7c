// Netlink messages in the buffers of a netlink socket (strace's netlink.c and
// netlink_route.c), decoded by the socket's protocol: each nlmsghdr with its type and flags as
// the protocol names them (NetlinkProtocol: this file's NETLINK_ROUTE, the others in
// netlink-misc.ts, netlink-diag.ts, nfnetlink.ts; kobject_uevent's buffers in
// netlink-uevent.ts), NLMSG_DONE's int, NLMSG_ERROR's error, the request it quotes and its
// extended-ack attributes, and the route messages' family headers (netlink-body.ts) followed
// by their attributes, printed by the tables of rtnl.ts, rtnl-more.ts and rtnl-stats.ts; a
// piece that cannot be read prints as its address. Also sockaddr_nl.
import { errnoName } from '../../abi/errno.js';
import { ADDRESS_FAMILIES } from '../xlat/net.js';
import {
  ARPHRD_TYPES, IFA_FLAGS, IFF_FLAGS, NLM_ACK_FLAGS, NLM_DELETE_FLAGS, NLM_FLAGS, NLM_GET_FLAGS, NLM_NEW_FLAGS, NLMSG_TYPES,
  RT_PROTOCOLS, RT_SCOPES, RT_TABLES, RTM_FLAGS, RTM_TYPES, RTN_TYPES,
} from '../xlat/netlink.js';
import { FIB_RULE_FLAGS, FR_ACTIONS, IPTOS_FLAGS, NTF_FLAGS, NUD_STATES, RTNH_FLAGS } from '../xlat/rtnl-attrs.js';
import { DCB_COMMANDS, IFLA_STATS_FILTER, RTNL_FAMILIES } from '../xlat/rtnl-more.js';
import { type Xlat, xlookup } from '../xlat/xlat.js';
import { NLMSGERR_ATTRS } from '../xlat/netlink-families.js';
import { type NlaTable, type NlaValue, Span, hexData, nlaByteArray, nlaInt, nlaString, printNlattrs, printRecords } from './nlattr.js';
import { SOCK_DIAG } from './netlink-diag.js';
import { AUDIT, CRYPTO, GENERIC, SELINUX, XFRM } from './netlink-misc.js';
import { NLMSG_DONE, NLMSG_MIN_TYPE, type NetlinkProtocol } from './netlink-types.js';
import { printUevent } from './netlink-uevent.js';
import { NETFILTER } from './nfnetlink.js';
import { hex, printEnum, printNamed, printPid, readInt, struct } from './printers.js';
import { FRA_TABLE, IFA_TABLE, IFLA_TABLE, NDA_TABLE, RTA_TABLE } from './rtnl.js';
import {
  DCB_TABLE, IFAL_TABLE, MDBA_TABLE, NDTA_TABLE, NETCONFA_TABLE, NETNSA_TABLE, NHA_TABLE, TCA_ACT_TABLE, TCA_TABLE, cachereportTable,
} from './rtnl-more.js';
import { IFLA_STATS_TABLE } from './rtnl-stats.js';
import { type Body, en, family, fl, hexNum, ifindex, num, printBody } from './netlink-body.js';
import type { DecodeContext } from './types.js';

const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;

/** `{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}` (fam: the family field as printed), nl_pad first when set. */
export function printSockaddrNl(ctx: DecodeContext, fam: string, b: Uint8Array): string | undefined {
  if (b.length < 12) return undefined;
  // printf's %#08x: 0 bare, else 0x and at least six digits
  const g = Number(readInt(b, 8, 4, false));
  const groups = g === 0 ? '00000000' : `0x${g.toString(16).padStart(6, '0')}`;
  const pad = Number(readInt(b, 2, 2, false));
  return struct([fam, pad !== 0 ? `nl_pad=${hex(pad)}` : undefined, `nl_pid=${printPid(ctx, Number(readInt(b, 4, 4, true)))}`, `nl_groups=${groups}`]);
}

const RTM_DELACTION = 49;

/** The flags table of a route message type beyond the common ones: by its operation (new, del, get). */
function routeFlags(type: number): Xlat | undefined {
  // RTM_DELACTION takes NLM_F_ROOT.
  if (type === RTM_DELACTION) return NLM_GET_FLAGS;
  switch (type & 3) {
    case 0: return NLM_NEW_FLAGS;
    case 1: return NLM_DELETE_FLAGS;
    case 2: return NLM_GET_FLAGS;
  }
  return undefined;
}

function printNlmsgFlags(ctx: DecodeContext, flags: number, type: number, proto: NetlinkProtocol | undefined): string {
  const style = ctx.options.xlat;
  const extra = type < NLMSG_MIN_TYPE ? (type === NLMSG_ERROR ? NLM_ACK_FLAGS : undefined) : proto?.flags?.(type);
  let rest = flags;
  const parts: string[] = [];
  // The kind's table first when its names cover bits (NLM_F_DUMP before the common ones, as strace's printflags_ex).
  for (const table of [NLM_FLAGS, extra]) {
    if (table === undefined) continue;
    for (const [v, name] of table.rows) {
      if (v !== 0n && (BigInt(rest) & v) === v) {
        parts.push(name);
        rest &= ~Number(v);
      }
    }
  }
  if (style === 'raw') return hex(flags);
  if (parts.length === 0) return rest === 0 ? '0' : `0x${rest.toString(16)} /* NLM_F_??? */`;
  const body = parts.join('|') + (rest !== 0 ? `|0x${rest.toString(16)}` : '');
  return style === 'verbose' ? `0x${flags.toString(16)} /* ${body} */` : body;
}

function printNlmsghdr(ctx: DecodeContext, b: Uint8Array, off: number, proto: NetlinkProtocol | undefined): string {
  const style = ctx.options.xlat;
  const type = Number(readInt(b, off + 4, 2, false));
  const typeText = type < NLMSG_MIN_TYPE || proto === undefined ? printEnum(style, NLMSG_TYPES, type, 'NLMSG_???') : proto.type(style, type);
  return struct([
    `nlmsg_len=${readInt(b, off, 4, false)}`, `nlmsg_type=${typeText}`,
    `nlmsg_flags=${printNlmsgFlags(ctx, Number(readInt(b, off + 6, 2, false)), type, proto)}`,
    `nlmsg_seq=${readInt(b, off + 8, 4, false)}`, `nlmsg_pid=${readInt(b, off + 12, 4, true)}`,
  ]);
}

const LINK: Body = { size: 16, attrs: IFLA_TABLE, fields: [
  { name: 'ifi_family', offset: 0, size: 1, print: family },
  { name: 'ifi_type', offset: 2, size: 2, print: en(ARPHRD_TYPES, 'ARPHRD_???') },
  { name: 'ifi_index', offset: 4, size: 4, print: ifindex },
  { name: 'ifi_flags', offset: 8, size: 4, print: fl(IFF_FLAGS, 'IFF_???') },
  { name: 'ifi_change', offset: 12, size: 4, print: hexNum },
] };
const ADDR: Body = { size: 8, attrs: IFA_TABLE, fields: [
  { name: 'ifa_family', offset: 0, size: 1, print: family },
  { name: 'ifa_prefixlen', offset: 1, size: 1, print: num },
  { name: 'ifa_flags', offset: 2, size: 1, print: fl(IFA_FLAGS, 'IFA_F_???') },
  { name: 'ifa_scope', offset: 3, size: 1, print: en(RT_SCOPES, undefined) },
  { name: 'ifa_index', offset: 4, size: 4, print: ifindex },
] };
const ROUTE: Body = { size: 12, attrs: RTA_TABLE, fields: [
  { name: 'rtm_family', offset: 0, size: 1, print: family },
  { name: 'rtm_dst_len', offset: 1, size: 1, print: num },
  { name: 'rtm_src_len', offset: 2, size: 1, print: num },
  { name: 'rtm_tos', offset: 3, size: 1, print: fl(IPTOS_FLAGS, 'IPTOS_TOS_???') },
  { name: 'rtm_table', offset: 4, size: 1, print: en(RT_TABLES, undefined) },
  { name: 'rtm_protocol', offset: 5, size: 1, print: en(RT_PROTOCOLS, 'RTPROT_???') },
  { name: 'rtm_scope', offset: 6, size: 1, print: en(RT_SCOPES, undefined) },
  { name: 'rtm_type', offset: 7, size: 1, print: en(RTN_TYPES, 'RTN_???') },
  { name: 'rtm_flags', offset: 8, size: 4, print: fl(RTM_FLAGS, 'RTM_F_???') },
] };
const NEIGH: Body = { size: 12, attrs: NDA_TABLE, fields: [
  { name: 'ndm_family', offset: 0, size: 1, print: family },
  { name: 'ndm_ifindex', offset: 4, size: 4, print: ifindex },
  { name: 'ndm_state', offset: 8, size: 2, print: fl(NUD_STATES, 'NUD_???') },
  { name: 'ndm_flags', offset: 10, size: 1, print: fl(NTF_FLAGS, 'NTF_???') },
  { name: 'ndm_type', offset: 11, size: 1, print: en(RTN_TYPES, 'RTN_???') },
] };
const RULE: Body = { size: 12, attrs: FRA_TABLE, fields: [
  { name: 'family', offset: 0, size: 1, print: family },
  { name: 'dst_len', offset: 1, size: 1, print: num },
  { name: 'src_len', offset: 2, size: 1, print: num },
  { name: 'tos', offset: 3, size: 1, print: fl(IPTOS_FLAGS, 'IPTOS_TOS_???') },
  { name: 'table', offset: 4, size: 1, print: en(RT_TABLES, 'RT_TABLE_???') },
  { name: 'action', offset: 7, size: 1, print: en(FR_ACTIONS, 'FR_ACT_???') },
  { name: 'flags', offset: 8, size: 4, print: fl(FIB_RULE_FLAGS, 'FIB_RULE_???') },
] };

const TC: Body = { size: 20, attrs: TCA_TABLE, fields: [
  { name: 'tcm_family', offset: 0, size: 1, print: family },
  { name: 'tcm_ifindex', offset: 4, size: 4, print: ifindex },
  { name: 'tcm_handle', offset: 8, size: 4, print: num },
  { name: 'tcm_parent', offset: 12, size: 4, print: num },
  { name: 'tcm_info', offset: 16, size: 4, print: num },
] };
const familyOnly = (name: string, size: number, attrs: Body['attrs'], print = family): Body => ({ size, attrs, fields: [{ name, offset: 0, size: 1, print }] });
const ACTION = familyOnly('tca_family', 4, TCA_ACT_TABLE);
const NEIGHTBL = familyOnly('ndtm_family', 4, NDTA_TABLE);
const NETCONF = familyOnly('ncm_family', 1, NETCONFA_TABLE);
const NSID = familyOnly('rtgen_family', 1, NETNSA_TABLE);
/** RTM_NEWCACHEREPORT's family is RTNL_FAMILY_IPMR or IP6MR, else an AF_*. */
const rtnlFamily = (ctx: DecodeContext, v: number): string =>
  xlookup(RTNL_FAMILIES, v) !== undefined ? printEnum(ctx.options.xlat, RTNL_FAMILIES, v) : printEnum(ctx.options.xlat, ADDRESS_FAMILIES, v, 'RTNL_FAMILY_???');
const CACHEREPORT = familyOnly('rtgen_family', 1, cachereportTable, rtnlFamily);
const ADDRLABEL: Body = { size: 12, attrs: IFAL_TABLE, fields: [
  { name: 'ifal_family', offset: 0, size: 1, print: family },
  { name: 'ifal_prefixlen', offset: 2, size: 1, print: num },
  { name: 'ifal_flags', offset: 3, size: 1, print: num },
  { name: 'ifal_index', offset: 4, size: 4, print: ifindex },
  { name: 'ifal_seq', offset: 8, size: 4, print: num },
] };
const DCB: Body = { size: 4, attrs: DCB_TABLE, fields: [
  { name: 'dcb_family', offset: 0, size: 1, print: family },
  { name: 'cmd', offset: 1, size: 1, print: en(DCB_COMMANDS, 'DCB_CMD_???') },
] };
const MDB: Body = { size: 8, attrs: MDBA_TABLE, fields: [
  { name: 'family', offset: 0, size: 1, print: family },
  { name: 'ifindex', offset: 4, size: 4, print: ifindex },
] };
const STATS: Body = { size: 12, attrs: IFLA_STATS_TABLE, fields: [
  { name: 'family', offset: 0, size: 1, print: family },
  { name: 'pad1', offset: 1, size: 1, print: hexNum, ifSet: true },
  { name: 'pad2', offset: 2, size: 2, print: hexNum, ifSet: true },
  { name: 'ifindex', offset: 4, size: 4, print: ifindex },
  { name: 'filter_mask', offset: 8, size: 4, print: fl(IFLA_STATS_FILTER, '1<<IFLA_STATS_???') },
] };
const NEXTHOP: Body = { size: 8, attrs: NHA_TABLE, fields: [
  { name: 'nh_family', offset: 0, size: 1, print: family },
  { name: 'nh_scope', offset: 1, size: 1, print: en(RT_SCOPES, undefined) },
  { name: 'nh_protocol', offset: 2, size: 1, print: en(RT_PROTOCOLS, 'RTPROT_???') },
  { name: 'resvd', offset: 3, size: 1, print: hexNum, ifSet: true },
  { name: 'nh_flags', offset: 4, size: 4, print: fl(RTNH_FLAGS, 'RTNH_F_???') },
] };

/**
 * The family header of each message type strace 6.1 decodes (its route_decoders, by type):
 * RTM_GETMULTICAST and RTM_GETANYCAST take an ifaddrmsg; RTM_NEWPREFIX and RTM_NEWNDUSEROPT
 * print as a family and bytes.
 */
const BODIES: ReadonlyMap<number, Body> = new Map([
  [16, LINK], [17, LINK], [18, LINK], [19, LINK], [20, ADDR], [21, ADDR], [22, ADDR], [24, ROUTE], [25, ROUTE], [26, ROUTE],
  [28, NEIGH], [29, NEIGH], [30, NEIGH], [32, RULE], [33, RULE], [34, RULE],
  [36, TC], [37, TC], [38, TC], [40, TC], [41, TC], [42, TC], [44, TC], [45, TC], [46, TC], [48, ACTION], [49, ACTION], [50, ACTION],
  [58, ADDR], [62, ADDR], [64, NEIGHTBL], [66, NEIGHTBL], [67, NEIGHTBL], [72, ADDRLABEL], [73, ADDRLABEL], [74, ADDRLABEL],
  [78, DCB], [79, DCB], [80, NETCONF], [81, NETCONF], [82, NETCONF], [84, MDB], [85, MDB], [86, MDB], [88, NSID], [89, NSID], [90, NSID],
  [92, STATS], [94, STATS], [96, CACHEREPORT], [100, TC], [101, TC], [102, TC], [104, NEXTHOP], [105, NEXTHOP], [106, NEXTHOP],
]);
const RTM_GETNEIGH = 30;
const AF_BRIDGE = 7;

/** A route message's payload (strace's decode_netlink_route): its body, then its attributes. */
function printRoutePayload(ctx: DecodeContext, type: number, p: Span): string | undefined {
  if (type < NLMSG_MIN_TYPE) return undefined;
  const famByte = p.read(1);
  if (famByte === null) return hex(p.addr);
  // RTM_GETNEIGH of AF_BRIDGE asks for the bridge's forwarding entries by an ifinfomsg.
  const body = type === RTM_GETNEIGH && famByte[0] === AF_BRIDGE ? LINK : BODIES.get(type);
  if (body === undefined) {
    // A type without a decoder here (strace's decode_family): the family, then the bytes.
    const fam = `family=${family(ctx, famByte[0]!)}`;
    return p.len > 1 ? `{${fam}, data=${hexData(ctx, p.sub(1))}}` : `{${fam}}`;
  }
  return printBody(ctx, body, famByte[0]!, p);
}

const ROUTE_PROTOCOL: NetlinkProtocol = {
  type: (style, type) => printEnum(style, RTM_TYPES, type, 'RTM_???'),
  flags: routeFlags,
  payload: (ctx, type, _flags, p) => printRoutePayload(ctx, type, p),
};

/** The protocols decoded here, by number (strace's nlmsg_types, nlmsg_flags, netlink_decoders). */
const PROTOCOLS: ReadonlyMap<number, NetlinkProtocol> = new Map([
  [0, ROUTE_PROTOCOL], [4, SOCK_DIAG], [6, XFRM], [7, SELINUX], [9, AUDIT], [12, NETFILTER], [16, GENERIC], [21, CRYPTO],
]);
const NETLINK_KOBJECT_UEVENT = 15;

/** struct nlmsgerr's extended-ack attributes (NLMSGERR_ATTR_*). */
const NLMSGERR_TABLE: NlaTable = {
  names: NLMSGERR_ATTRS, dflt: 'NLMSGERR_ATTR_???',
  values: new Map<number, NlaValue>([
    [1, nlaString], // NLMSGERR_ATTR_MSG
    [2, nlaInt(4)], // NLMSGERR_ATTR_OFFS
    [3, nlaByteArray], // NLMSGERR_ATTR_COOKIE
  ]),
};

function printPayload(ctx: DecodeContext, proto: NetlinkProtocol | undefined, type: number, flags: number, p: Span): string {
  if (type === NLMSG_ERROR) {
    const e4 = p.len < 4 + NLMSG_HDRLEN ? null : p.read(4 + NLMSG_HDRLEN);
    if (e4 === null) return p.len < 4 + NLMSG_HDRLEN ? hexData(ctx, p) : hex(p.addr);
    const e = Number(readInt(e4, 0, 4, true));
    const name = e < 0 ? errnoName(-e) : undefined;
    const err = name === undefined ? String(e) : printNamed(ctx.options.xlat, e, `-${name}`, 'd');
    const capped = (flags & 0x100) !== 0;
    const quotedLen = Math.max(NLMSG_HDRLEN, Number(readInt(e4, 4, 4, false)));
    const payload = Math.min(p.len - 4, capped ? NLMSG_HDRLEN : quotedLen);
    const msg = printMessage(ctx, proto, p.sub(4, payload), e4.subarray(4));
    const text = `{error=${err}, msg=${msg}}`;
    return p.len - 4 > payload ? `[${text}, ${printNlattrs({ ctx, family: 0 }, p.sub(4 + payload), NLMSGERR_TABLE)}]` : text;
  }
  if (type >= NLMSG_MIN_TYPE || type === NLMSG_DONE) {
    const decoded = proto?.payload?.(ctx, type, flags, p);
    if (decoded !== undefined) return decoded;
  }
  if (type === NLMSG_DONE && p.len === 4) {
    const v = p.read(4);
    return v === null ? hex(p.addr) : String(readInt(v, 0, 4, true));
  }
  return hexData(ctx, p);
}

/** One message at the start of s (s.len: the bytes left), whose header h could be read: `{hdr}` or `[{hdr}, payload]`. */
function printMessage(ctx: DecodeContext, proto: NetlinkProtocol | undefined, s: Span, h: Uint8Array): string {
  const len = Math.min(Number(readInt(h, 0, 4, false)), s.len);
  const hdr = printNlmsghdr(ctx, h, 0, proto);
  if (len <= NLMSG_HDRLEN) return hdr;
  const type = Number(readInt(h, 4, 2, false));
  const flags = Number(readInt(h, 6, 2, false));
  return `[${hdr}, ${printPayload(ctx, proto, type, flags, s.sub(NLMSG_HDRLEN, len - NLMSG_HDRLEN))}]`;
}

/** The netlink messages in `len` bytes at addr of a socket of `protocol` (strace's decode_netlink). */
export function printNetlinkBuffer(ctx: DecodeContext, protocol: number, addr: bigint, len: number): string {
  if (addr === 0n) return 'NULL';
  if (protocol === NETLINK_KOBJECT_UEVENT) return printUevent(ctx, addr, len);
  const proto = PROTOCOLS.get(protocol);
  const s = Span.read(ctx, addr, Math.min(len, 1 << 20));
  return printRecords(ctx, s, NLMSG_HDRLEN, (h) => Number(readInt(h, 0, 4, false)), (rest, h) => printMessage(ctx, proto, rest, h));
}

// The attribute tables of NETLINK_ROUTE messages (strace 6.1's rtnl_addr.c, rtnl_link.c and
// rtnl_route.c): for each nla_type its name and how its value prints. Types without an entry
// (and values a printer refuses for their size) print as hex bytes, as strace prints them.
// Not decoded here, printed as bytes: the bridge and tun link data (IFLA_INFO_DATA and
// IFLA_INFO_SLAVE_DATA by kind, AF_BRIDGE's IFLA_PROTINFO, IFLA_BRIDGE_MRP/CFM/MST), the SR-IOV
// IFLA_VFINFO_LIST and IFLA_INFO_XSTATS.
import { ADDRESS_FAMILIES } from '../xlat/net.js';
import { IFA_FLAGS, RT_TABLES } from '../xlat/netlink.js';
import {
  ICMP6_MIB_INDICES, IFA_ATTRS, IFLA_ATTRS, IFLA_EVENTS, IFLA_INET6_ATTRS, IFLA_INET_ATTRS, IFLA_INFO_ATTRS,
  IFLA_MCTP_ATTRS, IFLA_PROTO_DOWN_REASON_ATTRS, IFLA_XDP_ATTRS, IN6_ADDR_GEN_MODES, INET6_DEVCONF_INDICES,
  INET6_IF_FLAGS, INET_DEVCONF_INDICES, IPSTATS_MIB_INDICES, LWTUNNEL_ENCAP_TYPES, RTA_ATTRS, RTAX_ATTRS,
  RTEXT_FILTER_FLAGS, RTNH_FLAGS, XDP_ATTACHED_MODES, XDP_FLAGS, BRIDGE_FLAGS, BRIDGE_MODES, BRIDGE_VLAN_INFO_FLAGS,
  IFLA_BRIDGE_ATTRS, IFLA_BRIDGE_VLAN_TUNNEL_ATTRS, IFLA_PORT_ATTRS, IFLA_VF_PORT_ATTRS,
} from '../xlat/rtnl-attrs.js';
import {
  type FieldSpec, type NlaTable, type NlaValue, hexData, nlaCString, nlaFixed, nlaEnum, nlaFamilyAddr, nlaFd, nlaFlags, nlaGrownStruct,
  nlaHex, nlaHwaddr, nlaIfindex, nlaIn6Addr, nlaIndexedArray, nlaInt, nlaNested, nlaString, nlaStruct, printIfindex,
  printInetAddr, printNlattrs,
} from './nlattr.js';
import { hex, printEnum, printFlags, quoteBytes, readInt, struct } from './printers.js';

const u8 = nlaInt(1);
const u16 = nlaInt(2);
const u32 = nlaInt(4);
const u64 = nlaInt(8);
const s32 = nlaInt(4, true);
const AF_INET = 2;
const AF_INET6 = 10;
const AF_BRIDGE = 7;
const AF_MCTP = 45;

// ---------------------------------------------------------------------------------------------
// RTM_*ADDR: struct ifaddrmsg, then IFA_*.

export const IFA_TABLE: NlaTable = {
  names: IFA_ATTRS, dflt: 'IFA_???',
  values: new Map<number, NlaValue>([
    [1, nlaFamilyAddr], // IFA_ADDRESS
    [2, nlaFamilyAddr], // IFA_LOCAL
    [3, nlaString], // IFA_LABEL
    [4, nlaFamilyAddr], // IFA_BROADCAST
    [5, nlaFamilyAddr], // IFA_ANYCAST
    [6, nlaStruct([['ifa_prefered', 4], ['ifa_valid', 4], ['cstamp', 4], ['tstamp', 4]])], // IFA_CACHEINFO
    [7, nlaFamilyAddr], // IFA_MULTICAST
    [8, nlaFlags(IFA_FLAGS, 'IFA_F_???', 4)], // IFA_FLAGS
    [9, u32], // IFA_RT_PRIORITY
    [10, s32], // IFA_TARGET_NETNSID
  ]),
};

// ---------------------------------------------------------------------------------------------
// RTM_*LINK: struct ifinfomsg, then IFLA_*.

const LINK_STATS_FIELDS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped',
  'multicast', 'collisions', 'rx_length_errors', 'rx_over_errors', 'rx_crc_errors', 'rx_frame_errors',
  'rx_fifo_errors', 'rx_missed_errors', 'tx_aborted_errors', 'tx_carrier_errors', 'tx_fifo_errors',
  'tx_heartbeat_errors', 'tx_window_errors', 'rx_compressed', 'tx_compressed', 'rx_nohandler', 'rx_otherhost_dropped',
];
/** struct rtnl_link_stats: 24 __u32 (23 before rx_nohandler). */
const linkStats = nlaGrownStruct(LINK_STATS_FIELDS.slice(0, 24).map((n): FieldSpec => [n, 4]), [23]);
/** struct rtnl_link_stats64: 25 __u64 (24 before rx_otherhost_dropped, 23 before rx_nohandler). */
const linkStats64 = nlaGrownStruct(LINK_STATS_FIELDS.map((n): FieldSpec => [n, 8]), [24, 23]);
/** struct rtnl_link_ifmap, up to its last field (`port`; the struct's tail padding may be absent). */
const linkIfmap = nlaStruct([['mem_start', 8, 'x'], ['mem_end', 8, 'x'], ['base_addr', 8, 'x'], ['irq', 2], ['dma', 1], ['port', 1]]);

const INET_TABLE: NlaTable = {
  names: IFLA_INET_ATTRS, dflt: 'IFLA_INET_???',
  values: new Map([[1, nlaIndexedArray(4, true, INET_DEVCONF_INDICES, 'IPV4_DEVCONF_???')]]), // IFLA_INET_CONF
};

const INET6_TABLE: NlaTable = {
  names: IFLA_INET6_ATTRS, dflt: 'IFLA_INET6_???',
  values: new Map<number, NlaValue>([
    [1, nlaFlags(INET6_IF_FLAGS, 'IF_???', 4)], // IFLA_INET6_FLAGS
    [2, nlaIndexedArray(4, true, INET6_DEVCONF_INDICES, 'DEVCONF_???')], // IFLA_INET6_CONF
    [3, nlaIndexedArray(8, false, IPSTATS_MIB_INDICES, 'IPSTATS_MIB_???')], // IFLA_INET6_STATS
    [5, nlaStruct([['max_reasm_len', 4], ['tstamp', 4], ['reachable_time', 4], ['retrans_time', 4]])], // IFLA_INET6_CACHEINFO
    [6, nlaIndexedArray(8, false, ICMP6_MIB_INDICES, 'ICMP6_MIB_???')], // IFLA_INET6_ICMP6STATS
    [7, nlaIn6Addr], // IFLA_INET6_TOKEN
    [8, nlaEnum(IN6_ADDR_GEN_MODES, 'IN6_ADDR_GEN_MODE_???', 1)], // IFLA_INET6_ADDR_GEN_MODE
    [9, u32], // IFLA_INET6_RA_MTU
  ]),
};

const MCTP_TABLE: NlaTable = { names: IFLA_MCTP_ATTRS, dflt: 'IFLA_MCTP_???', values: new Map([[1, u32]]) };

/** The per-family tables of IFLA_AF_SPEC (and IFLA_PROTINFO's AF_INET6). */
const AF_SPEC_TABLES = new Map<number, NlaTable>([[AF_INET, INET_TABLE], [AF_INET6, INET6_TABLE], [AF_MCTP, MCTP_TABLE]]);

/** IFLA_AF_SPEC: a list keyed by address family, each holding that family's attributes. */
const AF_SPEC_LIST: NlaTable = {
  names: ADDRESS_FAMILIES, dflt: 'AF_???',
  values: (env, p, af) => {
    const table = AF_SPEC_TABLES.get(af);
    return table === undefined ? hexData(env.ctx, p) : printNlattrs(env, p, table);
  },
};
/** AF_BRIDGE's IFLA_AF_SPEC: bridge attributes instead of a per-family list. */
const BRIDGE_VLAN_TUNNEL_TABLE: NlaTable = {
  names: IFLA_BRIDGE_VLAN_TUNNEL_ATTRS, dflt: 'IFLA_BRIDGE_VLAN_TUNNEL_???',
  values: new Map<number, NlaValue>([[1, u32], [2, u16], [3, nlaFlags(BRIDGE_VLAN_INFO_FLAGS, 'BRIDGE_VLAN_INFO_???', 2)]]),
};
/** struct bridge_vlan_info, then any bytes after it in hex. */
const bridgeVlanInfo: NlaValue = (env, s) => {
  if (s.len < 4) return undefined;
  const b = s.read(4);
  if (b === null) return hex(s.addr);
  const text = struct([`flags=${printFlags(env.ctx.options.xlat, BRIDGE_VLAN_INFO_FLAGS, readInt(b, 0, 2, false), 'BRIDGE_VLAN_INFO_???')}`,
    `vid=${readInt(b, 2, 2, false)}`]);
  return s.len > 4 ? `${text}, ${hexData(env.ctx, s.sub(4))}` : text;
};
const BRIDGE_AF_SPEC_TABLE: NlaTable = {
  names: IFLA_BRIDGE_ATTRS, dflt: 'IFLA_BRIDGE_???',
  values: new Map<number, NlaValue>([
    [0, nlaFlags(BRIDGE_FLAGS, 'BRIDGE_FLAGS_???', 2)], // IFLA_BRIDGE_FLAGS
    [1, nlaEnum(BRIDGE_MODES, 'BRIDGE_MODE_???', 2)], // IFLA_BRIDGE_MODE
    [2, bridgeVlanInfo], // IFLA_BRIDGE_VLAN_INFO
    [3, nlaNested(BRIDGE_VLAN_TUNNEL_TABLE)], // IFLA_BRIDGE_VLAN_TUNNEL_INFO
  ]),
};
const afSpec: NlaValue = (env, p) => printNlattrs(env, p, env.family === AF_BRIDGE ? BRIDGE_AF_SPEC_TABLE : AF_SPEC_LIST);
const protinfo: NlaValue = (env, p) => (env.family === AF_INET6 ? printNlattrs(env, p, INET6_TABLE) : hexData(env.ctx, p));

const XDP_TABLE: NlaTable = {
  names: IFLA_XDP_ATTRS, dflt: 'IFLA_XDP_???',
  values: new Map<number, NlaValue>([
    [1, nlaFd], // IFLA_XDP_FD
    [2, nlaEnum(XDP_ATTACHED_MODES, 'XDP_ATTACHED_???', 1)], // IFLA_XDP_ATTACHED
    [3, nlaFixed(4, (env, b) => printFlags(env.ctx.options.xlat, XDP_FLAGS, readInt(b, 0, 4, false), 'XDP_FLAGS_???'))],
    [4, u32], [5, u32], [6, u32], [7, u32], // IFLA_XDP_*PROG_ID
    [8, nlaFd], // IFLA_XDP_EXPECTED_FD
  ]),
};

const LINKINFO_TABLE: NlaTable = {
  names: IFLA_INFO_ATTRS, dflt: 'IFLA_INFO_???',
  values: new Map([[1, nlaCString], [4, nlaCString]]), // IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND
};

const PROTO_DOWN_REASON_TABLE: NlaTable = {
  names: IFLA_PROTO_DOWN_REASON_ATTRS, dflt: 'IFLA_PROTO_DOWN_REASON_???',
  values: new Map([[1, nlaHex(4)], [2, nlaHex(4)]]),
};

/** struct ifla_port_vsi: the manager id, the type id (3 bytes), its version; the padding only when not zero. */
const portVsi: NlaValue = nlaFixed(8, (_env, b) => struct([
  `vsi_mgr_id=${b[0]}`, `vsi_type_id=${quoteBytes(b.subarray(1, 4), 3, { forceHex: true }).text}`, `vsi_type_version=${b[4]}`,
  b[5] !== 0 || b[6] !== 0 || b[7] !== 0 ? `pad=${quoteBytes(b.subarray(5, 8), 3, { forceHex: true }).text}` : undefined,
]));
const PORT_TABLE: NlaTable = {
  names: IFLA_PORT_ATTRS, dflt: 'IFLA_VF_PORT_???',
  values: new Map<number, NlaValue>([[1, u32], [2, nlaString], [3, portVsi], [6, u8], [7, u16]]),
};
const VF_PORTS_TABLE: NlaTable = { names: IFLA_VF_PORT_ATTRS, dflt: 'IFLA_VF_PORT_???', values: new Map([[1, nlaNested(PORT_TABLE)]]) };

const IFLA_ALT_IFNAME = 53;
/** IFLA_PROP_LIST: IFLA_* attributes of which only IFLA_ALT_IFNAME is decoded. */
const PROP_LIST: NlaTable = { names: IFLA_ATTRS, dflt: 'IFLA_???', values: (env, p, t) => (t === IFLA_ALT_IFNAME ? nlaString(env, p, t) : undefined) };

export const IFLA_TABLE: NlaTable = {
  names: IFLA_ATTRS, dflt: 'IFLA_???',
  values: new Map<number, NlaValue>([
    [1, nlaHwaddr], [2, nlaHwaddr], // IFLA_ADDRESS, IFLA_BROADCAST
    [3, nlaString], [4, u32], [5, u32], [6, nlaString], // IFNAME, MTU, LINK, QDISC
    [7, linkStats], [10, u32], [12, protinfo], [13, u32], [14, linkIfmap], [15, u32], // STATS, MASTER, PROTINFO, TXQLEN, MAP, WEIGHT
    [16, u8], [17, u8], [18, nlaNested(LINKINFO_TABLE)], [19, u32], [20, nlaString], [21, u32], // OPERSTATE … NUM_VF
    [23, linkStats64], [24, nlaNested(VF_PORTS_TABLE)], [25, nlaNested(PORT_TABLE)], [26, afSpec], [27, u32], [28, nlaFd], // STATS64, AF_SPEC, GROUP, NET_NS_FD
    [29, nlaFlags(RTEXT_FILTER_FLAGS, 'RTEXT_FILTER_???', 4)], // IFLA_EXT_MASK
    [30, u32], [31, u32], [32, u32], [33, u8], [35, u32], [37, s32], [38, nlaString], [39, u8], [40, u32], [41, u32],
    [43, nlaNested(XDP_TABLE)], [44, nlaEnum(IFLA_EVENTS, 'IFLA_EVENT_???', 4)], [45, s32], [46, s32], [47, u32], [48, u32],
    [49, nlaIfindex], [50, u32], [51, u32], [52, nlaNested(PROP_LIST)], [53, nlaString], [54, nlaHwaddr],
    [55, nlaNested(PROTO_DOWN_REASON_TABLE)], [56, nlaString], [57, nlaString], [58, u32], [59, u32], [60, u32], [61, u32],
  ]),
};

// ---------------------------------------------------------------------------------------------
// RTM_*ROUTE: struct rtmsg, then RTA_*.

const METRICS_TABLE: NlaTable = {
  names: RTAX_ATTRS, dflt: 'RTAX_???',
  values: new Map<number, NlaValue>([...Array.from({ length: 15 }, (_, i): [number, NlaValue] => [i + 1, u32]), [16, nlaString]]),
};

/** RTA_VIA: struct rtvia, a family and an address of it. */
const rtvia: NlaValue = (env, s) => {
  const head = s.len < 2 ? undefined : s.read(2);
  if (head === undefined) return undefined;
  if (head === null) return hex(s.addr);
  const fam = Number(readInt(head, 0, 2, false));
  const fields = [`rtvia_family=${printEnum(env.ctx.options.xlat, ADDRESS_FAMILIES, fam, 'AF_???')}`];
  if (s.len > 2) fields.push(printInetAddr(env.ctx, s.sub(2), fam, 'rtvia_addr'));
  return struct(fields);
};

/** RTA_MULTIPATH: struct rtnexthop entries, each followed by its own RTA_* attributes. */
const multipath: NlaValue = (env, s) => {
  const NH_SIZE = 8;
  if (s.len < NH_SIZE) return undefined;
  const style = env.ctx.options.xlat;
  const parts: string[] = [];
  let at = 0;
  let left = s.len;
  let isList = false;
  for (;;) {
    // Read whole even past the attribute's end, as strace does.
    const nh = s.read(NH_SIZE, at);
    if (nh === null) {
      parts.push(hex(s.addr + BigInt(at)));
      break;
    }
    const nhLen = Number(readInt(nh, 0, 2, false));
    const len = Math.min(left, nhLen);
    if (at === 0 && nhLen < s.len) isList = true;
    const text = struct([`rtnh_len=${nhLen}`, `rtnh_flags=${printFlags(style, RTNH_FLAGS, nh[2]!, 'RTNH_F_???')}`,
      `rtnh_hops=${nh[3]}`, `rtnh_ifindex=${printIfindex(env.ctx, Number(readInt(nh, 4, 4, true)))}`]);
    parts.push(len > NH_SIZE ? `[${text}, ${printNlattrs(env, s.sub(at + NH_SIZE, len - NH_SIZE), RTA_TABLE)}]` : text);
    const step = (len + 3) & ~3;
    // (A zero rtnh_len would make strace print the same entry forever: one is enough.)
    if (step === 0 || step >= left) break;
    at += step;
    left -= step;
  }
  return isList ? `[${parts.join(', ')}]` : parts.join(', ');
};

export const RTA_TABLE: NlaTable = {
  names: RTA_ATTRS, dflt: 'RTA_???',
  values: new Map<number, NlaValue>([
    [1, nlaFamilyAddr], [2, nlaFamilyAddr], [3, nlaIfindex], [4, nlaIfindex], [5, nlaFamilyAddr], // DST SRC IIF OIF GATEWAY
    [6, u32], [7, nlaFamilyAddr], [8, nlaNested(() => METRICS_TABLE)], [9, multipath], [10, u32], [11, u32], // … FLOW
    [12, nlaStruct([['rta_clntref', 4], ['rta_lastuse', 4], ['rta_expires', 4], ['rta_error', 4], ['rta_used', 4],
      ['rta_id', 4, 'x'], ['rta_ts', 4], ['rta_tsage', 4]])], // RTA_CACHEINFO
    [14, u32], [15, nlaEnum(RT_TABLES, undefined, 4)], [16, u32], // MP_ALGO, TABLE, MARK
    [17, nlaStruct([['mfcs_packets', 8], ['mfcs_bytes', 8], ['mfcs_wrong_if', 8]])], // RTA_MFC_STATS
    [18, rtvia], [19, nlaFamilyAddr], [20, u8], [21, nlaEnum(LWTUNNEL_ENCAP_TYPES, 'LWTUNNEL_ENCAP_???', 2)],
    [23, u64], [25, u32], [26, u8], [27, u8], [28, u16], [29, u16],
  ]),
};

/** The attribute table of a route message body group (16: LINK, 20: ADDR, 24: ROUTE). */
export const RTNL_ATTR_TABLES: ReadonlyMap<number, NlaTable> = new Map([[16, IFLA_TABLE], [20, IFA_TABLE], [24, RTA_TABLE]]);

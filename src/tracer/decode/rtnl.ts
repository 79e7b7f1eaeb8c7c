// The attribute tables of NETLINK_ROUTE messages (strace 6.1's rtnl_addr.c, rtnl_link.c,
// rtnl_route.c, rtnl_neigh.c and rtnl_rule.c): for each nla_type its name and how its value prints. Types without an entry
// (and values a printer refuses for their size) print as hex bytes, as strace prints them.
// IFLA_BRIDGE_MRP/CFM/MST print as bytes, as strace prints them.
import { ADDRESS_FAMILIES, INET_PROTOCOLS } from '../xlat/net.js';
import { IFA_FLAGS, RT_PROTOCOLS, RT_TABLES } from '../xlat/netlink.js';
import {
  ICMP6_MIB_INDICES, IFA_ATTRS, IFLA_ATTRS, IFLA_EVENTS, IFLA_INET6_ATTRS, IFLA_INET_ATTRS, IFLA_INFO_ATTRS,
  IFLA_MCTP_ATTRS, IFLA_PROTO_DOWN_REASON_ATTRS, IFLA_XDP_ATTRS, IN6_ADDR_GEN_MODES, INET6_DEVCONF_INDICES,
  INET6_IF_FLAGS, INET_DEVCONF_INDICES, IPSTATS_MIB_INDICES, LWTUNNEL_ENCAP_TYPES, RTA_ATTRS, RTAX_ATTRS,
  RTEXT_FILTER_FLAGS, RTNH_FLAGS, XDP_ATTACHED_MODES, XDP_FLAGS, BRIDGE_FLAGS, BRIDGE_MODES, BRIDGE_VLAN_INFO_FLAGS,
  IFLA_BRIDGE_ATTRS, IFLA_BRIDGE_VLAN_TUNNEL_ATTRS, IFLA_PORT_ATTRS, IFLA_VF_PORT_ATTRS, IFLA_BRPORT_ATTRS, IFLA_TUN_ATTRS,
  TUN_DEVICE_TYPES, ETHERNET_PROTOCOLS, IFLA_BR_ATTRS, BR_BOOLOPT_FLAGS, BRIDGE_QUERIER_ATTRS, IFLA_VFINFO_LIST_ATTRS,
  IFLA_VF_ATTRS, IFLA_VF_STATS_ATTRS, IFLA_VF_VLAN_LIST_ATTRS, IFLA_VF_LINK_STATES, NDA_ATTRS, NFEA_ATTRS, FDB_NOTIFY_FLAGS,
  NTF_EXT_FLAGS, NUD_STATES, NTF_FLAGS, FRA_ATTRS,
} from '../xlat/rtnl-attrs.js';
import {
  type FieldSpec, type NlaEnv, type NlaTable, type NlaValue, hexData, nlaCString, nlaFixed, nlaEnum, nlaFamilyAddr, nlaFd, nlaFlags, nlaGrownStruct,
  nlaHex, nlaHwaddr, nlaIfindex, printHwaddr, nlaIn6Addr, nlaIndexedArray, nlaInt, nlaNested, nlaString, nlaStruct, printIfindex,
  printInetAddr, printNlattrs,
} from './nlattr.js';
import { hex, printClockT, printEnum, printFlags, quoteBytes, readInt, struct } from './printers.js';

const u8 = nlaInt(1);
const u16 = nlaInt(2);
const u32 = nlaInt(4);
const u64 = nlaInt(8);
const s32 = nlaInt(4, true);
const AF_INET = 2;
const AF_INET6 = 10;
const AF_BRIDGE = 7;
const AF_MCTP = 45;
const ARPHRD_ETHER = 1;
/** A type no ARPHRD_* is: the whole address printed. */
const ANY_HWADDR = 0xffffffff;

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
export const linkStats64 = nlaGrownStruct(LINK_STATS_FIELDS.map((n): FieldSpec => [n, 8]), [24, 23]);
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
const protinfo: NlaValue = (env, p) => {
  if (env.family === AF_INET6) return printNlattrs(env, p, INET6_TABLE);
  return env.family === AF_BRIDGE ? printNlattrs(env, p, BRPORT_TABLE) : hexData(env.ctx, p);
};

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

/** struct ifla_bridge_id: `{prio=[128, 0], addr=02:00:00:00:00:01}`. */
const bridgeId: NlaValue = nlaFixed(8, (env, b) => struct([`prio=[${b[0]}, ${b[1]}]`, `addr=${printHwaddr(env.ctx.options.xlat, b.subarray(2, 8), ARPHRD_ETHER)}`]));
/** decode_nla_clock_t: up to 8 bytes of ticks. */
export const clockT: NlaValue = (env, s) => {
  if (s.len > 8) return undefined;
  const b = s.read(s.len);
  return b === null ? hex(s.addr) : printClockT(readInt(b, 0, s.len, false), env.ctx.options.xlat);
};

const BRPORT_TABLE: NlaTable = {
  names: IFLA_BRPORT_ATTRS, dflt: 'IFLA_BRPORT_???',
  values: new Map<number, NlaValue>([
    [1, u8], [2, u16], [3, u32], [4, u8], [5, u8], [6, u8], [7, u8], [8, u8], [9, u8], [10, u8], [11, u8], [12, u8],
    [13, bridgeId], [14, bridgeId], [15, u16], [16, u16], [17, u16], [18, u16], [19, u8], [20, u8],
    [21, clockT], [22, clockT], [23, clockT], [25, u8], [27, u8], [28, u8], [29, u8], [30, u8], [31, nlaHex(2)],
    [32, u8], [33, u8], [34, nlaIfindex], [35, u8], [36, u8], [37, u32], [38, u32], [39, u8],
  ]),
};

/** A uid or gid: -1 for the all-ones one (printuid). */
const nlaId: NlaValue = nlaFixed(4, (_env, b) => {
  const v = Number(readInt(b, 0, 4, false));
  return v === 0xffffffff ? '-1' : String(v);
});
const TUN_TABLE: NlaTable = {
  names: IFLA_TUN_ATTRS, dflt: 'IFLA_TUN_???',
  values: new Map<number, NlaValue>([
    [1, nlaId], [2, nlaId], [3, nlaEnum(TUN_DEVICE_TYPES, 'IFF_???', 1)], [4, u8], [5, u8], [6, u8], [7, u8], [8, u32], [9, u32],
  ]),
};

/** IFLA_INFO_KIND and IFLA_INFO_SLAVE_KIND: printed, and remembered (up to a NUL; none when 64 bytes or more, or unreadable) for the data after them. */
function linkKind(which: 'kind' | 'slaveKind'): NlaValue {
  return (env, s, t) => {
    if (env.linkinfo !== undefined) {
      const b = s.len < 64 ? s.read(s.len) : null;
      const nul = b === null ? -1 : b.indexOf(0);
      env.linkinfo[which] = b === null ? '' : new TextDecoder().decode(nul < 0 ? b : b.subarray(0, nul));
    }
    return nlaCString(env, s, t);
  };
}

const QUERIER_TABLE: NlaTable = {
  names: BRIDGE_QUERIER_ATTRS, dflt: 'BRIDGE_QUERIER_???',
  values: new Map<number, NlaValue>([[1, (env, s) => (s.len < 4 ? undefined : printInetAddr(env.ctx, s, AF_INET))], [2, nlaIfindex], [3, clockT],
    [5, nlaIn6Addr], [6, nlaIfindex], [7, clockT]]),
};
/** struct br_boolopt_multi: two sets of 1<<BR_BOOLOPT_* bits. */
const boolopt: NlaValue = nlaFixed(8, (env, b) => {
  const f = (v: bigint): string => printFlags(env.ctx.options.xlat, BR_BOOLOPT_FLAGS, v, '1<<BR_BOOLOPT_???');
  return struct([`optval=${f(readInt(b, 0, 4, false))}`, `optmask=${f(readInt(b, 4, 4, false))}`]);
});
/** decode_nla_ether_proto: a big-endian ETH_P_* number, `htons(ETH_P_8021Q)`. */
const etherProto: NlaValue = (env, s) => {
  if (s.len > 8 || s.len < 2) return undefined;
  const b = s.read(2);
  return b === null ? hex(s.addr) : `htons(${printEnum(env.ctx.options.xlat, ETHERNET_PROTOCOLS, (b[0]! << 8) | b[1]!, 'ETHER_P_???')})`;
};
const BRIDGE_DATA_TABLE: NlaTable = {
  names: IFLA_BR_ATTRS, dflt: 'IFLA_BR_???',
  values: new Map<number, NlaValue>([
    [1, clockT], [2, clockT], [3, clockT], [4, clockT], [5, u32], [6, u16], [7, u8], [8, etherProto], [9, nlaHex(2)],
    [10, bridgeId], [11, bridgeId], [12, u16], [13, u32], [14, u8], [15, u8], [16, clockT], [17, clockT], [18, clockT],
    [19, clockT], [20, (env, s) => nlaHwaddr({ ...env, family: ANY_HWADDR }, s, 20)], [22, u8], [23, u8], [24, u8], [25, u8], [26, u32],
    [27, u32], [28, u32], [29, u32], [30, clockT], [31, clockT], [32, clockT], [33, clockT], [34, clockT], [35, clockT],
    [36, u8], [37, u8], [38, u8], [39, u16], [41, u8], [42, u8], [43, u8], [44, u8], [45, u8], [46, boolopt],
    [47, nlaNested(QUERIER_TABLE)],
  ]),
};

/** IFLA_INFO_DATA of a bridge or a tun device, IFLA_INFO_SLAVE_DATA of a bridge port. */
const linkData: NlaValue = (env, s) => {
  const kind = env.linkinfo?.kind;
  return kind === 'tun' ? printNlattrs(env, s, TUN_TABLE) : kind === 'bridge' ? printNlattrs(env, s, BRIDGE_DATA_TABLE) : undefined;
};
const linkSlaveData: NlaValue = (env, s) => (env.linkinfo?.slaveKind === 'bridge' ? printNlattrs(env, s, BRPORT_TABLE) : undefined);

const linkXstats: NlaValue = (env, s, t) => (env.linkinfo?.kind === 'can' ? CAN_STATS(env, s, t) : undefined);

const LINKINFO_TABLE: NlaTable = {
  names: IFLA_INFO_ATTRS, dflt: 'IFLA_INFO_???',
  values: new Map<number, NlaValue>([[1, linkKind('kind')], [2, linkData], [3, linkXstats], [4, linkKind('slaveKind')], [5, linkSlaveData]]),
};
/** IFLA_LINKINFO: its kinds are known from its own attributes only. */
const linkinfo: NlaValue = (env, s) => printNlattrs({ ...env, linkinfo: { kind: '', slaveKind: '' } }, s, LINKINFO_TABLE);

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

/** A hardware address of any length (PRINT_FIELD_MAC, decode_nla_hwaddr_nofamily): no ARPHRD_* type limits it. */
const anyHwaddr = (env: NlaEnv, b: Uint8Array): string => printHwaddr(env.ctx.options.xlat, b, ANY_HWADDR);
/** A struct of __u32 fields (the SR-IOV settings: `{vf=0, setting=1}`). */
const u32s = (...names: string[]): NlaValue => nlaStruct(names.map((n): FieldSpec => [n, 4]));
/** struct ifla_vf_guid: packed (12 bytes) or with the guid 8-aligned (16), as strace takes either. */
const vfGuid: NlaValue = (_env, s) => {
  if (s.len !== 12 && s.len !== 16) return undefined;
  const b = s.read(s.len);
  return b === null ? hex(s.addr) : struct([`vf=${readInt(b, 0, 4, false)}`, `guid=${hex(readInt(b, s.len - 8, 8, false))}`]);
};
const VF_VLAN_LIST_TABLE: NlaTable = {
  names: IFLA_VF_VLAN_LIST_ATTRS, dflt: 'IFLA_VF_VLAN_INFO_???',
  values: new Map([[1, nlaFixed(16, (env, b) => struct([`vf=${readInt(b, 0, 4, false)}`, `vlan=${readInt(b, 4, 4, false)}`,
    `qos=${readInt(b, 8, 4, false)}`, `vlan_proto=htons(${printEnum(env.ctx.options.xlat, ETHERNET_PROTOCOLS, (b[12]! << 8) | b[13]!, 'ETH_P_???')})`]))]]),
};
const VF_STATS_TABLE: NlaTable = {
  names: IFLA_VF_STATS_ATTRS, dflt: 'IFLA_VF_STATS_???',
  values: new Map([0, 1, 2, 3, 4, 5, 7, 8].map((t): [number, NlaValue] => [t, u64])),
};
const VF_INFO_TABLE: NlaTable = {
  names: IFLA_VF_ATTRS, dflt: 'IFLA_VF_???',
  values: new Map<number, NlaValue>([
    [1, nlaFixed(36, (env, b) => struct([`vf=${readInt(b, 0, 4, false)}`, `mac=${anyHwaddr(env, b.subarray(4, 36))}`]))], // IFLA_VF_MAC
    [2, u32s('vf', 'vlan', 'qos')], [3, u32s('vf', 'rate')], [4, u32s('vf', 'setting')],
    [5, nlaFixed(8, (env, b) => struct([`vf=${readInt(b, 0, 4, false)}`,
      `link_state=${printEnum(env.ctx.options.xlat, IFLA_VF_LINK_STATES, readInt(b, 4, 4, false), 'IFLA_VF_LINK_STATE_???')}`]))],
    [6, u32s('vf', 'min_tx_rate', 'max_tx_rate')], [7, u32s('vf', 'setting')], [8, nlaNested(VF_STATS_TABLE)],
    [9, u32s('vf', 'setting')], [10, vfGuid], [11, vfGuid], [12, nlaNested(VF_VLAN_LIST_TABLE)],
    [13, nlaFixed(32, (env, b) => struct([`broadcast=${anyHwaddr(env, b)}`]))], // IFLA_VF_BROADCAST
  ]),
};
const VFINFO_LIST_TABLE: NlaTable = { names: IFLA_VFINFO_LIST_ATTRS, dflt: 'IFLA_VF_INFO_???', values: new Map([[1, nlaNested(VF_INFO_TABLE)]]) };

/** CAN devices' IFLA_INFO_XSTATS: struct can_device_stats. */
const CAN_STATS = nlaStruct(['bus_error', 'error_warning', 'error_passive', 'bus_off', 'arbitration_lost', 'restarts'].map((n): FieldSpec => [n, 4]));

const IFLA_ALT_IFNAME = 53;
/** IFLA_PROP_LIST: IFLA_* attributes of which only IFLA_ALT_IFNAME is decoded. */
const PROP_LIST: NlaTable = { names: IFLA_ATTRS, dflt: 'IFLA_???', values: (env, p, t) => (t === IFLA_ALT_IFNAME ? nlaString(env, p, t) : undefined) };

export const IFLA_TABLE: NlaTable = {
  names: IFLA_ATTRS, dflt: 'IFLA_???',
  values: new Map<number, NlaValue>([
    [1, nlaHwaddr], [2, nlaHwaddr], // IFLA_ADDRESS, IFLA_BROADCAST
    [3, nlaString], [4, u32], [5, u32], [6, nlaString], // IFNAME, MTU, LINK, QDISC
    [7, linkStats], [10, u32], [12, protinfo], [13, u32], [14, linkIfmap], [15, u32], // STATS, MASTER, PROTINFO, TXQLEN, MAP, WEIGHT
    [16, u8], [17, u8], [18, linkinfo], [19, u32], [20, nlaString], [21, u32], [22, nlaNested(() => VFINFO_LIST_TABLE)], // OPERSTATE … VFINFO_LIST
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

// ---------------------------------------------------------------------------------------------
// RTM_*NEIGH: struct ndmsg, then NDA_*; RTM_*RULE: struct fib_rule_hdr, then FRA_*.

/** decode_nla_ip_proto: an IPPROTO_* of up to 8 bytes. */
const ipProto = nlaEnum(INET_PROTOCOLS, 'IPPROTO_???', 0);
/** A big-endian number printed as the call that makes it: `htons(4789)`, `htobe64(7)`. */
function nlaBigEndian(size: 2 | 8, fn: string): NlaValue {
  return nlaFixed(size, (_env, b) => {
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    return `${fn}(${v})`;
  });
}

export const NDA_TABLE: NlaTable = {
  names: NDA_ATTRS, dflt: 'NDA_???',
  values: new Map<number, NlaValue>([
    [1, nlaFamilyAddr], [2, (env, s, t) => nlaHwaddr({ ...env, family: ANY_HWADDR }, s, t)],
    [3, nlaStruct([['ndm_confirmed', 4], ['ndm_used', 4], ['ndm_updated', 4], ['ndm_refcnt', 4]])], // NDA_CACHEINFO
    [4, u32], [5, u16], [6, nlaBigEndian(2, 'htons')], [7, u32], [8, nlaIfindex], [9, nlaIfindex], [10, u32], [11, u32],
    [12, ipProto], [13, u32],
    [14, nlaNested({ names: NFEA_ATTRS, dflt: 'NFEA_???', values: new Map([[1, nlaFlags(FDB_NOTIFY_FLAGS, 'FDB_NOTIFY_???', 1)]]) })],
    [15, nlaFlags(NTF_EXT_FLAGS, 'NTF_EXT_???', 4)], [16, nlaFlags(NUD_STATES, 'NUD_???', 2)], [17, nlaFlags(NTF_FLAGS, 'NTF_???', 1)],
  ]),
};

const startEnd = nlaStruct([['start', 4], ['end', 4]]);
const portRange = nlaStruct([['start', 2], ['end', 2]]);
export const FRA_TABLE: NlaTable = {
  names: FRA_ATTRS, dflt: 'FRA_???',
  values: new Map<number, NlaValue>([
    [1, nlaFamilyAddr], [2, nlaFamilyAddr], [3, nlaString], [4, u32], [6, u32], [10, u32], [11, u32],
    [12, nlaBigEndian(8, 'htobe64')], [13, u32], [14, u32], [15, nlaEnum(RT_TABLES, undefined, 4)], [16, u32], [17, nlaString],
    [19, u8], [20, startEnd], [21, nlaEnum(RT_PROTOCOLS, 'RTPROT_???', 1)], [22, ipProto], [23, portRange], [24, portRange],
  ]),
};

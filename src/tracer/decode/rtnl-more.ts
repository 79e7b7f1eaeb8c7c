// The attribute tables of the NETLINK_ROUTE messages beyond links, addresses, routes,
// neighbours and rules (strace 6.1's rtnl_tc.c, rtnl_tc_action.c, rtnl_nsid.c,
// rtnl_netconf.c, rtnl_dcb.c, rtnl_addrlabel.c, rtnl_neightbl.c, rtnl_mdb.c, rtnl_nh.c,
// rtnl_cachereport.c): queueing disciplines and their statistics, actions, namespace ids,
// netconf, DCB, address labels, neighbour tables, the bridge's multicast database, nexthops
// and the multicast routing cache reports.
import { ADDRESS_FAMILIES } from '../xlat/net.js';
import { LWTUNNEL_ENCAP_TYPES } from '../xlat/rtnl-attrs.js';
import {
  DCB_ATTRS, IFAL_ATTRS, IP6MRA_CREPORT_ATTRS, IP6MRA_MSG_TYPES, IPMRA_CREPORT_ATTRS, IPMRA_MSG_TYPES, MDB_FLAGS, MDB_STATES,
  MDBA_ATTRS, MDBA_MDB_ATTRS, MDBA_MDB_EATTR_ATTRS, MDBA_MDB_ENTRY_ATTRS, MDBA_ROUTER_ATTRS, MDBA_ROUTER_PATTR_ATTRS,
  MULTICAST_ROUTER_TYPES, NDTA_ATTRS, NDTPA_ATTRS, NETCONFA_ATTRS, NETNSA_ATTRS, NEXTHOP_GRP_TYPES, NHA_ATTRS,
  NHA_RES_BUCKET_ATTRS, NHA_RES_GROUP_ATTRS, TCA_ACT_ATTRS, TCA_ACT_FLAGS, TCA_ACT_HW_STATS, TCA_ATTRS, TCA_STAB_ATTRS,
  TCA_STATS_ATTRS,
} from '../xlat/rtnl-more.js';
import {
  type FieldSpec, type NlaTable, type NlaValue, hexData, nlaArray, nlaEnum, nlaFamilyAddr, nlaFd, nlaFlags,
  nlaIfindex, nlaIn6Addr, nlaInt, nlaNested, nlaString, nlaStruct, printIfindex, printInetAddr, printNlattrs,
} from './nlattr.js';
import { hex, printEnum, printFlags, readInt, struct } from './printers.js';
import { clockT } from './rtnl.js';

const u8 = nlaInt(1);
const u16 = nlaInt(2);
const u32 = nlaInt(4);
const u64 = nlaInt(8);
const s32 = nlaInt(4, true);
const u32s = (...names: string[]): FieldSpec[] => names.map((n): FieldSpec => [n, 4]);

/** A struct then attributes after it (at its aligned size): the struct alone refused when too short. */
function structThenAttrs(size: number, show: NlaValue, table: NlaTable): NlaValue {
  return (env, s, t) => {
    if (s.len < size) return undefined;
    const head = show(env, s.sub(0, size), t) ?? hexData(env.ctx, s.sub(0, size));
    const at = (size + 3) & ~3;
    return s.len > at ? `${head}, ${printNlattrs(env, s.sub(at), table)}` : head;
  };
}

// ---------------------------------------------------------------------------------------------
// Traffic control: struct tcmsg then TCA_*; struct tcamsg then TCA_ACT_*.

const TCA_STATS_TABLE: NlaTable = {
  names: TCA_STATS_ATTRS, dflt: 'TCA_STATS_???',
  values: new Map<number, NlaValue>([
    [1, nlaStruct([['bytes', 8], ['packets', 4]])], // TCA_STATS_BASIC: gnet_stats_basic up to packets
    [2, nlaStruct(u32s('bps', 'pps'))], // TCA_STATS_RATE_EST
    [3, nlaStruct(u32s('qlen', 'backlog', 'drops', 'requeues', 'overlimits'))], // TCA_STATS_QUEUE
    [5, nlaStruct([['bps', 8], ['pps', 8]])], // TCA_STATS_RATE_EST64
    [7, nlaStruct([['bytes', 8], ['packets', 4]])], // TCA_STATS_BASIC_HW
    [8, u64], // TCA_STATS_PKT64
  ]),
};
export const nlaTcStats = nlaNested(TCA_STATS_TABLE);

const TCA_STAB_TABLE: NlaTable = {
  names: TCA_STAB_ATTRS, dflt: 'TCA_STAB_???',
  values: new Map<number, NlaValue>([
    [1, nlaStruct([['cell_log', 1], ['size_log', 1], ['cell_align', 2, 'd'], ['overhead', 4, 'd'], ...u32s('linklayer', 'mpu', 'mtu', 'tsize')])], // TCA_STAB_BASE: tc_sizespec
    [2, nlaArray(2, (_env, b) => String(readInt(b, 0, 2, false)))], // TCA_STAB_DATA
  ]),
};

export const TCA_TABLE: NlaTable = {
  names: TCA_ATTRS, dflt: 'TCA_???',
  values: new Map<number, NlaValue>([
    [1, nlaString], // TCA_KIND
    [3, nlaStruct([['bytes', 8], ...u32s('packets', 'drops', 'overlimits', 'bps', 'pps', 'qlen', 'backlog')])], // TCA_STATS: tc_stats up to backlog
    [5, nlaStruct([['interval', 1, 'd'], ['ewma_log', 1]])], // TCA_RATE: tc_estimator
    [6, u32], // TCA_FCNT
    [7, nlaTcStats], // TCA_STATS2
    [8, nlaNested(TCA_STAB_TABLE)], // TCA_STAB
    [11, u32], // TCA_CHAIN
    [12, u8], // TCA_HW_OFFLOAD
    [13, u32], // TCA_INGRESS_BLOCK
    [14, u32], // TCA_EGRESS_BLOCK
    [15, u32], // TCA_DUMP_FLAGS
  ]),
};

export const TCA_ACT_TABLE: NlaTable = {
  names: TCA_ACT_ATTRS, dflt: 'TCA_ACT_???',
  values: new Map<number, NlaValue>([
    [1, nlaString], // TCA_ACT_KIND
    [3, u32], // TCA_ACT_INDEX
    [4, nlaTcStats], // TCA_ACT_STATS
    [7, nlaFlags(TCA_ACT_FLAGS, 'TCA_ACT_FLAGS_???', 4)], // TCA_ACT_FLAGS
    [8, nlaFlags(TCA_ACT_HW_STATS, 'TCA_ACT_HW_STATS_???', 4)], // TCA_ACT_HW_STATS
    [9, nlaFlags(TCA_ACT_HW_STATS, 'TCA_ACT_HW_STATS_???', 4)], // TCA_ACT_USED_HW_STATS
    [10, u32], // TCA_ACT_IN_HW_COUNT
  ]),
};

// ---------------------------------------------------------------------------------------------
// struct rtgenmsg then NETNSA_*; struct netconfmsg then NETCONFA_*; struct dcbmsg then DCB_ATTR_*;
// struct ifaddrlblmsg then IFAL_*.

export const NETNSA_TABLE: NlaTable = {
  names: NETNSA_ATTRS, dflt: 'NETNSA_???',
  values: new Map<number, NlaValue>([[1, s32], [2, u32], [3, nlaFd], [4, s32], [5, s32]]),
};

export const NETCONFA_TABLE: NlaTable = {
  names: NETCONFA_ATTRS, dflt: 'NETCONFA_???',
  values: new Map<number, NlaValue>([[1, nlaIfindex], [2, s32], [3, s32], [4, s32], [5, s32], [6, s32], [7, s32], [8, s32]]),
};

export const DCB_TABLE: NlaTable = { names: DCB_ATTRS, dflt: 'DCB_ATTR_???', values: new Map() };

export const IFAL_TABLE: NlaTable = {
  names: IFAL_ATTRS, dflt: 'IFAL_???',
  values: new Map<number, NlaValue>([[1, nlaFamilyAddr], [2, u32]]), // IFAL_ADDRESS (of ifal_family), IFAL_LABEL
};

// ---------------------------------------------------------------------------------------------
// struct ndtmsg then NDTA_*.

const NDTPA_TABLE: NlaTable = {
  names: NDTPA_ATTRS, dflt: 'NDTPA_???',
  values: new Map<number, NlaValue>([
    [1, nlaIfindex], [2, u32], [3, u64], [4, u64], [5, u64], [6, u64], [7, u64], [8, u32], [9, u32], [10, u32], [11, u32],
    [12, u64], [13, u64], [14, u32], [15, u64], [16, u32], [17, u32], [19, u64],
  ]),
};

const NDT_STATS_FIELDS: FieldSpec[] = [
  'ndts_allocs', 'ndts_destroys', 'ndts_hash_grows', 'ndts_res_failed', 'ndts_lookups', 'ndts_hits',
  'ndts_rcv_probes_mcast', 'ndts_rcv_probes_ucast', 'ndts_periodic_gc_runs', 'ndts_forced_gc_runs', 'ndts_table_fulls',
].map((n): FieldSpec => [n, 8]);
/** struct ndt_stats: all of it, or exactly the older size without ndts_table_fulls. */
const ndtStats: NlaValue = (env, s, t) => {
  if (s.len >= 88) return nlaStruct(NDT_STATS_FIELDS)(env, s, t);
  return s.len === 80 ? nlaStruct(NDT_STATS_FIELDS.slice(0, 10))(env, s, t) : undefined;
};

export const NDTA_TABLE: NlaTable = {
  names: NDTA_ATTRS, dflt: 'NDTA_???',
  values: new Map<number, NlaValue>([
    [1, nlaString], [2, u32], [3, u32], [4, u32],
    [5, nlaStruct([['ndtc_key_len', 2], ['ndtc_entry_size', 2], ...u32s('ndtc_entries', 'ndtc_last_flush', 'ndtc_last_rand', 'ndtc_hash_rnd'),
      ['ndtc_hash_mask', 4, 'x'], ...u32s('ndtc_hash_chain_gc', 'ndtc_proxy_qlen')])], // NDTA_CONFIG
    [6, nlaNested(NDTPA_TABLE)], // NDTA_PARMS
    [7, ndtStats], // NDTA_STATS
    [8, u64], // NDTA_GC_INTERVAL
  ]),
};

// ---------------------------------------------------------------------------------------------
// struct br_port_msg then MDBA_*.

const MDB_EATTR_TABLE: NlaTable = { names: MDBA_MDB_EATTR_ATTRS, dflt: 'MDBA_MDB_EATTR_???', values: new Map([[1, clockT]]) };

/** struct br_mdb_entry (28 bytes): ifindex, state, flags, vid, then the group address and its family (big-endian). */
const mdbEntry: NlaValue = (env, s) => {
  const b = s.read(28);
  if (b === null) return hex(s.addr);
  const style = env.ctx.options.xlat;
  const proto = (b[24]! << 8) | b[25]!;
  return struct([
    `ifindex=${printIfindex(env.ctx, Number(readInt(b, 0, 4, false)))}`,
    `state=${printEnum(style, MDB_STATES, b[4]!, 'MDB_???')}`,
    `flags=${printFlags(style, MDB_FLAGS, b[5]!, 'MDB_FLAGS_???') || '0'}`,
    `vid=${readInt(b, 6, 2, false)}`,
    `addr={${printInetAddr(env.ctx, s.sub(8, 16), proto, 'u')}, proto=htons(${printEnum(style, ADDRESS_FAMILIES, proto, 'AF_???')})}`,
  ]);
};
const mdbEntryInfo: NlaValue = structThenAttrs(28, mdbEntry, MDB_EATTR_TABLE);

const MDB_ENTRY_TABLE: NlaTable = { names: MDBA_MDB_ENTRY_ATTRS, dflt: 'MDBA_MDB_ENTRY_???', values: new Map([[1, mdbEntryInfo]]) };
const MDB_TABLE: NlaTable = { names: MDBA_MDB_ATTRS, dflt: 'MDBA_MDB_???', values: new Map([[1, nlaNested(MDB_ENTRY_TABLE)]]) };

const ROUTER_PATTR_TABLE: NlaTable = {
  names: MDBA_ROUTER_PATTR_ATTRS, dflt: 'MDBA_ROUTER_PATTR_???',
  values: new Map<number, NlaValue>([
    [1, clockT],
    // decode_multicast_router_type: one byte, whatever the payload's size.
    [2, (env, s) => {
      const b = s.read(1);
      return b === null ? hex(s.addr) : printEnum(env.ctx.options.xlat, MULTICAST_ROUTER_TYPES, b[0]!, 'MDB_RTR_TYPE_???');
    }],
    [3, clockT], [4, clockT],
  ]),
};
const routerPort: NlaValue = structThenAttrs(4, nlaIfindex, ROUTER_PATTR_TABLE);
const ROUTER_TABLE: NlaTable = { names: MDBA_ROUTER_ATTRS, dflt: 'MDBA_ROUTER_???', values: new Map([[1, routerPort]]) };

export const MDBA_TABLE: NlaTable = {
  names: MDBA_ATTRS, dflt: 'MDBA_???',
  values: new Map<number, NlaValue>([[1, nlaNested(MDB_TABLE)], [2, nlaNested(ROUTER_TABLE)]]),
};

// ---------------------------------------------------------------------------------------------
// struct nhmsg then NHA_*.

const RES_GROUP_TABLE: NlaTable = {
  names: NHA_RES_GROUP_ATTRS, dflt: 'NHA_RES_GROUP_???',
  values: new Map<number, NlaValue>([[1, u16], [2, clockT], [3, clockT], [4, clockT]]),
};
const RES_BUCKET_TABLE: NlaTable = {
  names: NHA_RES_BUCKET_ATTRS, dflt: 'NHA_RES_BUCKET_???',
  values: new Map<number, NlaValue>([[1, u16], [2, clockT], [3, u32]]),
};
/** struct nexthop_grp: id, weight, and the reserved fields when not zero. */
const nhGroup = nlaArray(8, (_env, b) => {
  const f = [`id=${readInt(b, 0, 4, false)}`, `weight=${b[4]}`];
  if (b[5] !== 0) f.push(`resvd1=${hex(b[5]!)}`);
  const r2 = readInt(b, 6, 2, false);
  if (r2 !== 0n) f.push(`resvd2=${hex(r2)}`);
  return struct(f);
});

export const NHA_TABLE: NlaTable = {
  names: NHA_ATTRS, dflt: 'NHA_???',
  values: new Map<number, NlaValue>([
    [1, u32], // NHA_ID
    [2, nhGroup], // NHA_GROUP
    [3, nlaEnum(NEXTHOP_GRP_TYPES, 'NEXTHOP_GRP_TYPE_???', 2)], // NHA_GROUP_TYPE
    [4, u32], // NHA_BLACKHOLE
    [5, nlaIfindex], // NHA_OIF
    [6, nlaFamilyAddr], // NHA_GATEWAY (of nh_family)
    [7, nlaEnum(LWTUNNEL_ENCAP_TYPES, 'LWTUNNEL_ENCAP_???', 2)], // NHA_ENCAP_TYPE
    [9, u32], // NHA_GROUPS
    [10, nlaIfindex], // NHA_MASTER
    [11, u32], // NHA_FDB
    [12, nlaNested(RES_GROUP_TABLE)], // NHA_RES_GROUP
    [13, nlaNested(RES_BUCKET_TABLE)], // NHA_RES_BUCKET
  ]),
};

// ---------------------------------------------------------------------------------------------
// RTM_NEWCACHEREPORT: struct rtgenmsg (RTNL_FAMILY_IPMR / IP6MR) then that family's attributes.

const inAddr: NlaValue = (env, s) => (s.len < 4 ? undefined : printInetAddr(env.ctx, s, 2));
const IPMRA_TABLE: NlaTable = {
  names: IPMRA_CREPORT_ATTRS, dflt: 'IPMRA_CREPORT_???',
  values: new Map<number, NlaValue>([
    [1, nlaEnum(IPMRA_MSG_TYPES, 'IGMPMSG_???', 1)], [2, u32], [3, inAddr], [4, inAddr], [6, u32],
  ]),
};
const IP6MRA_TABLE: NlaTable = {
  names: IP6MRA_CREPORT_ATTRS, dflt: 'IP6MRA_CREPORT_???',
  values: new Map<number, NlaValue>([
    [1, nlaEnum(IP6MRA_MSG_TYPES, 'MRT6MSG_???', 1)], [2, u32], [3, nlaIn6Addr], [4, nlaIn6Addr],
  ]),
};
/** The cache report's attributes by its family; another family's as hex bytes. */
export function cachereportTable(family: number): NlaTable | undefined {
  return family === 128 ? IPMRA_TABLE : family === 129 ? IP6MRA_TABLE : undefined;
}


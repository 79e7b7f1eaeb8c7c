// RTM_GETSTATS / RTM_NEWSTATS (strace 6.1's rtnl_stats.c): struct if_stats_msg, then
// IFLA_STATS_*: the 64-bit link counters, the bridge's and the bond's extended statistics
// (for the device or for its port), the offloaded counters and AF_MPLS's per-family ones.
// A struct shorter than its size is refused (hex bytes); bytes after one print in hex.
import { ADDRESS_FAMILIES } from '../xlat/net.js';
import { BRIDGE_VLAN_INFO_FLAGS } from '../xlat/rtnl-attrs.js';
import {
  BOND_3AD_STAT_ATTRS, BOND_XSTATS_ATTRS, BR_MCAST_DIRS, BRIDGE_XSTATS_ATTRS, IFLA_OFFLOAD_XSTATS_ATTRS, IFLA_STATS_ATTRS,
  LINK_XSTATS_TYPES, MPLS_STATS_ATTRS,
} from '../xlat/rtnl-more.js';
import { type NlaEnv, type NlaTable, type NlaValue, hexData, nlaInt, nlaNested, printNlattrs } from './nlattr.js';
import { hex, printEnum, printFlags, readInt, struct } from './printers.js';
import { linkStats64 } from './rtnl.js';

const AF_MPLS = 28;
const u64At = (b: Uint8Array, at: number): string => readInt(b, at, 8, false).toString();

/** A struct of `size` bytes printed by `show`, then any bytes after it in hex; refused when shorter. */
function structThenBytes(size: number, show: (env: NlaEnv, b: Uint8Array) => string): NlaValue {
  return (env, s) => {
    if (s.len < size) return undefined;
    const b = s.read(size);
    if (b === null) return hex(s.addr);
    const text = show(env, b);
    return s.len > size ? `${text}, ${hexData(env.ctx, s.sub(size))}` : text;
  };
}

/** Named __u64 fields one after another. */
const u64Fields = (b: Uint8Array, names: readonly string[]): string[] => names.map((n, i) => `${n}=${u64At(b, i * 8)}`);

/** struct bridge_vlan_xstats. */
const bridgeVlan = structThenBytes(40, (env, b) => {
  const f = u64Fields(b, ['rx_bytes', 'rx_packets', 'tx_bytes', 'tx_packets']);
  f.push(`vid=${readInt(b, 32, 2, false)}`,
    `flags=${printFlags(env.ctx.options.xlat, BRIDGE_VLAN_INFO_FLAGS, readInt(b, 34, 2, false), 'BRIDGE_VLAN_INFO_???') || '0'}`);
  const pad2 = readInt(b, 36, 4, false);
  if (pad2 !== 0n) f.push(`pad2=${hex(pad2)}`);
  return struct(f);
});

/** struct br_mcast_stats: per-direction counters ([BR_MCAST_DIR_RX], [BR_MCAST_DIR_TX]) and two error counts. */
const MCAST_FIELDS: readonly (readonly [string, 'dir' | 'one'])[] = [
  ['igmp_v1queries', 'dir'], ['igmp_v2queries', 'dir'], ['igmp_v3queries', 'dir'], ['igmp_leaves', 'dir'],
  ['igmp_v1reports', 'dir'], ['igmp_v2reports', 'dir'], ['igmp_v3reports', 'dir'], ['igmp_parse_errors', 'one'],
  ['mld_v1queries', 'dir'], ['mld_v2queries', 'dir'], ['mld_leaves', 'dir'], ['mld_v1reports', 'dir'], ['mld_v2reports', 'dir'],
  ['mld_parse_errors', 'one'], ['mcast_bytes', 'dir'], ['mcast_packets', 'dir'],
];
const bridgeMcast = structThenBytes(240, (env, b) => {
  const style = env.ctx.options.xlat;
  let at = 0;
  return struct(MCAST_FIELDS.map(([name, kind]) => {
    if (kind === 'one') {
      at += 8;
      return `${name}=${u64At(b, at - 8)}`;
    }
    const dirs = [0, 1].map((i) => `[${printEnum(style, BR_MCAST_DIRS, i, undefined, 'u')}]=${u64At(b, at + i * 8)}`);
    at += 16;
    return `${name}=[${dirs.join(', ')}]`;
  }));
});

const bridgeStp = structThenBytes(48, (_env, b) => struct(u64Fields(b, ['transition_blk', 'transition_fwd', 'rx_bpdu', 'tx_bpdu', 'rx_tcn', 'tx_tcn'])));

const BRIDGE_TABLE: NlaTable = {
  names: BRIDGE_XSTATS_ATTRS, dflt: 'BRIDGE_XSTATS_???',
  values: new Map<number, NlaValue>([[1, bridgeVlan], [2, bridgeMcast], [4, bridgeStp]]),
};
const u64 = nlaInt(8);
// strace names unknown 3ad statistics BOND_XSTATS_???.
const BOND_3AD_TABLE: NlaTable = {
  names: BOND_3AD_STAT_ATTRS, dflt: 'BOND_XSTATS_???',
  values: new Map<number, NlaValue>([0, 1, 2, 3, 4, 5, 6, 7, 8].map((t) => [t, u64])),
};
const BOND_TABLE: NlaTable = { names: BOND_XSTATS_ATTRS, dflt: 'BOND_XSTATS_???', values: new Map([[1, nlaNested(BOND_3AD_TABLE)]]) };
const XSTATS_TABLE: NlaTable = {
  names: LINK_XSTATS_TYPES, dflt: 'LINK_XSTATS_TYPE_???',
  values: new Map<number, NlaValue>([[1, nlaNested(BRIDGE_TABLE)], [2, nlaNested(BOND_TABLE)]]),
};
const OFFLOAD_TABLE: NlaTable = { names: IFLA_OFFLOAD_XSTATS_ATTRS, dflt: 'IFLA_OFFLOAD_XSTATS_???', values: new Map([[1, linkStats64]]) };

/** struct mpls_link_stats. */
const mplsLink = structThenBytes(72, (_env, b) => struct(u64Fields(b, [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_errors', 'tx_errors', 'rx_dropped', 'tx_dropped', 'rx_noroute',
])));
const MPLS_TABLE: NlaTable = { names: MPLS_STATS_ATTRS, dflt: 'MPLS_STATS_???', values: new Map([[1, mplsLink]]) };
/** IFLA_STATS_AF_SPEC: a list keyed by address family; AF_MPLS's decoded, the others' in hex. */
const AF_SPEC_TABLE: NlaTable = {
  names: ADDRESS_FAMILIES, dflt: 'AF_???',
  values: (env, s, af) => (af === AF_MPLS ? printNlattrs(env, s, MPLS_TABLE) : hexData(env.ctx, s)),
};

export const IFLA_STATS_TABLE: NlaTable = {
  names: IFLA_STATS_ATTRS, dflt: 'IFLA_STATS_???',
  values: new Map<number, NlaValue>([
    [1, linkStats64], // IFLA_STATS_LINK_64
    [2, nlaNested(XSTATS_TABLE)], // IFLA_STATS_LINK_XSTATS
    [3, nlaNested(XSTATS_TABLE)], // IFLA_STATS_LINK_XSTATS_SLAVE
    [4, nlaNested(OFFLOAD_TABLE)], // IFLA_STATS_LINK_OFFLOAD_XSTATS
    [5, nlaNested(AF_SPEC_TABLE)], // IFLA_STATS_AF_SPEC
  ]),
};

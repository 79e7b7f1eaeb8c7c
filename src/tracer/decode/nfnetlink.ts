// NETLINK_NETFILTER (strace 6.1's netlink.c netfilter parts and netlink_netfilter.c): a type is
// a subsystem in its high byte and that subsystem's message in its low byte, printed as
// `NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_NEWTABLE`; below the subsystems' range, nfnetlink's batch
// messages. Payloads: struct nfgenmsg, then attributes whose types nothing names (hex), bytes
// for the batch messages.
import { ADDRESS_FAMILIES } from '../xlat/net.js';
import { NLM_DELETE_FLAGS, NLM_GET_FLAGS, NLM_NEW_FLAGS } from '../xlat/netlink.js';
import {
  NF_ACCT_TYPES, NF_CTHELPER_TYPES, NF_CTNETLINK_EXP_TYPES, NF_CTNETLINK_TYPES, NF_CTTIMEOUT_TYPES, NF_HOOK_TYPES,
  NF_IPSET_TYPES, NF_NFT_COMPAT_TYPES, NF_NFTABLES_TYPES, NF_OSF_TYPES, NF_QUEUE_TYPES, NF_ULOG_TYPES, NFNETLINK_VERSIONS,
  NFNL_MSG_TYPES, NFNL_SUBSYS_IDS,
} from '../xlat/netlink-families.js';
import { type Xlat, xlat } from '../xlat/xlat.js';
import { type NlaTable, type Span, hexData, printNlattrs } from './nlattr.js';
import { hex, printEnum, printNamed, readInt, struct } from './printers.js';
import { NLMSG_DONE, NLMSG_MIN_TYPE, type NetlinkProtocol } from './netlink-types.js';
import type { DecodeContext, XlatStyle } from './types.js';

const NFNL_SUBSYS_NFTABLES = 10;
const NFNL_MSG_BATCH_END = 0x11;

const NEW = NLM_NEW_FLAGS;
const GET = NLM_GET_FLAGS;
const DEL = NLM_DELETE_FLAGS;

/** A subsystem: its message names, their default, and the flags each message takes (by message number). */
interface Subsystem {
  readonly types: Xlat;
  readonly dflt: string;
  readonly flags: readonly (Xlat | undefined)[];
}

const SUBSYSTEMS: readonly (Subsystem | undefined)[] = [
  undefined, // NFNL_SUBSYS_NONE
  { types: NF_CTNETLINK_TYPES, dflt: 'IPCTNL_MSG_CT_???', flags: [NEW, GET, DEL, GET, GET, GET, GET, GET] },
  { types: NF_CTNETLINK_EXP_TYPES, dflt: 'IPCTNL_MSG_EXP_???', flags: [NEW, GET, DEL, GET] },
  { types: NF_QUEUE_TYPES, dflt: 'NFQNL_MSG_???', flags: [] },
  { types: NF_ULOG_TYPES, dflt: 'NFULNL_MSG_???', flags: [] },
  { types: NF_OSF_TYPES, dflt: 'OSF_MSG_???', flags: [] },
  { types: NF_IPSET_TYPES, dflt: 'IPSET_CMD_???', flags: [] },
  { types: NF_ACCT_TYPES, dflt: 'NFNL_MSG_ACCT_???', flags: [NEW, GET, GET, DEL] },
  { types: NF_CTTIMEOUT_TYPES, dflt: 'IPCTNL_MSG_TIMEOUT_???', flags: [NEW, GET, DEL] },
  { types: NF_CTHELPER_TYPES, dflt: 'NFNL_MSG_CTHELPER_???', flags: [NEW, GET, DEL] },
  {
    types: NF_NFTABLES_TYPES, dflt: 'NFT_MSG_???',
    // NEW/GET/DEL per object (table, chain, rule, set, set element), then NEWGEN, GETGEN, TRACE,
    // the objects' NEW/GET/DEL and GETOBJ_RESET, the flowtables' NEW/GET/DEL.
    flags: [NEW, GET, DEL, NEW, GET, DEL, NEW, GET, DEL, NEW, GET, DEL, NEW, GET, DEL, NEW, GET, undefined, NEW, GET, DEL, GET, NEW, GET, DEL],
  },
  { types: NF_NFT_COMPAT_TYPES, dflt: 'NFNL_MSG_COMPAT_???', flags: [GET] },
  { types: NF_HOOK_TYPES, dflt: 'NFT_MSG_HOOK_???', flags: [GET] },
];

function printType(style: XlatStyle, type: number): string {
  const control = NFNL_MSG_TYPES.byValue.get(BigInt(type));
  if (control !== undefined) return printNamed(style, type, control);
  const id = type >> 8;
  const msg = type & 0xff;
  const sub = SUBSYSTEMS[id];
  const msgText = sub === undefined ? hex(msg) : printEnum(style, sub.types, msg, sub.dflt);
  return `${printEnum(style, NFNL_SUBSYS_IDS, id, 'NFNL_SUBSYS_???')}<<8|${msgText}`;
}

/** decode_nlattr without a table: every type as a bare number, every value in hex. */
const UNNAMED: NlaTable = { names: xlat([]), dflt: undefined, values: new Map() };

/** struct nfgenmsg: family, version, res_id (big-endian, but nftables once sent its subsystem id little-endian). */
function printPayload(ctx: DecodeContext, type: number, _flags: number, p: Span): string | undefined {
  if (type === NLMSG_DONE) return undefined;
  if (p.len < 4) return hexData(ctx, p);
  const b = p.read(4);
  if (b === null) return hex(p.addr);
  const style = ctx.options.xlat;
  const raw = Number(readInt(b, 2, 2, false));
  const resId = ((raw & 0xff) << 8) | (raw >> 8);
  const nftables = type >> 8 === NFNL_SUBSYS_NFTABLES;
  const res = nftables && resId === NFNL_SUBSYS_NFTABLES
    ? printNamed(style, raw, 'htons(NFNL_SUBSYS_NFTABLES)')
    : nftables && raw === NFNL_SUBSYS_NFTABLES ? printNamed(style, raw, 'NFNL_SUBSYS_NFTABLES') : `htons(${resId})`;
  const text = struct([
    `nfgen_family=${printEnum(style, ADDRESS_FAMILIES, b[0]!, 'AF_???')}`,
    `version=${printEnum(style, NFNETLINK_VERSIONS, b[1]!, 'NFNETLINK_???')}`,
    `res_id=${res}`,
  ]);
  if (p.len <= 4) return text;
  const rest = p.sub(4);
  const batch = type < NLMSG_MIN_TYPE || type <= NFNL_MSG_BATCH_END;
  return `${text}, ${batch ? hexData(ctx, rest) : printNlattrs({ ctx, family: b[0]! }, rest, UNNAMED)}`;
}

export const NETFILTER: NetlinkProtocol = {
  type: printType,
  flags: (type) => SUBSYSTEMS[type >> 8]?.flags[type & 0xff],
  payload: printPayload,
};

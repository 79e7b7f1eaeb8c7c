// AF_INET / AF_INET6 sock_diag messages (strace 6.1's netlink_inet_diag.c): the requests
// (struct inet_diag_req of TCPDIAG_GETSOCK / DCCPDIAG_GETSOCK, struct inet_diag_req_v2 of the
// others) with their INET_DIAG_REQ_* attributes (a bytecode filter's first operation), the
// replies (struct inet_diag_msg) with INET_DIAG_*; struct inet_diag_sockid, which AF_SMC's
// messages share. INET_DIAG_INFO (tcp_info) and the congestion-control infos print as bytes.
import { ADDRESS_FAMILIES, INET_PROTOCOLS } from '../xlat/net.js';
import {
  INET_DIAG_ATTRS, INET_DIAG_BYTECODES, INET_DIAG_EXTENDED_FLAGS, INET_DIAG_REQ_ATTRS, INET_DIAG_SHUTDOWN_FLAGS,
  SK_MEMINFO_INDICES, TCP_STATE_FLAGS, TCP_STATES,
} from '../xlat/netlink-diag.js';
import { type Body, type BodyField, en, family, fl, num } from './netlink-body.js';
import {
  type NlaTable, type NlaValue, Span, hexData, nlaEnum, nlaFlags, nlaIndexedArray, nlaInt, nlaString, nlaStruct, printIfindex, printInetAddr,
} from './nlattr.js';
import { hex, printEnum, readInt, struct } from './printers.js';
import type { DecodeContext } from './types.js';

const TCPDIAG_GETSOCK = 18;
const DCCPDIAG_GETSOCK = 19;

/** A big-endian port: `htons(80)`. */
const port = (b: Uint8Array, at: number): string => `htons(${(b[at]! << 8) | b[at + 1]!})`;

/** struct inet_diag_sockid (48 bytes) of addresses of family `af`. */
export function printSockid(ctx: DecodeContext, b: Uint8Array, af: number): string {
  const addr = (at: number, name: string): string => printInetAddr(ctx, new Span(b, 0n, at, 16), af, name);
  return struct([
    `idiag_sport=${port(b, 0)}`, `idiag_dport=${port(b, 2)}`, addr(4, 'idiag_src'), addr(20, 'idiag_dst'),
    `idiag_if=${printIfindex(ctx, Number(readInt(b, 36, 4, false)))}`,
    `idiag_cookie=[${readInt(b, 40, 4, false)}, ${readInt(b, 44, 4, false)}]`,
  ]);
}

/** The sockid as a header field (printSockid names its own address fields; its `name=` comes first). */
export const sockidField = (offset: number, af?: number): BodyField => ({
  name: 'id', offset, size: 48, print: (ctx, _v, raw, fam) => printSockid(ctx, raw, af ?? fam),
});

// ---- requests ---------------------------------------------------------------------------------

/** struct inet_diag_bc_op: code, yes, no. */
const bcOp = (style: DecodeContext['options']['xlat'], b: Uint8Array): string =>
  struct([`code=${printEnum(style, INET_DIAG_BYTECODES, b[0]!, 'INET_DIAG_BC_???')}`, `yes=${b[1]}`, `no=${readInt(b, 2, 2, false)}`]);

const BC_S_GE = 2; const BC_S_LE = 3; const BC_D_GE = 4; const BC_D_LE = 5;
const BC_S_COND = 7; const BC_D_COND = 8; const BC_DEV_COND = 9; const BC_MARK_COND = 10;

/** The data after a bytecode operation, by its code. */
function bcData(ctx: DecodeContext, code: number, s: Span): string {
  const style = ctx.options.xlat;
  const fixed = (size: number, show: (b: Uint8Array) => string): string => {
    if (s.len < size) return hexData(ctx, s);
    const b = s.read(size);
    return b === null ? hex(s.addr) : show(b);
  };
  switch (code) {
    case BC_S_COND: case BC_D_COND:
      // struct inet_diag_hostcond: family, prefix_len, port (int), then the address.
      return fixed(8, (b) => {
        const f = [`family=${printEnum(style, ADDRESS_FAMILIES, b[0]!, 'AF_???')}`, `prefix_len=${b[1]}`, `port=${readInt(b, 4, 4, true)}`];
        if (s.len > 8) f.push(printInetAddr(ctx, s.sub(8), b[0]!, 'addr'));
        return struct(f);
      });
    case BC_DEV_COND: return fixed(4, (b) => printIfindex(ctx, Number(readInt(b, 0, 4, false))));
    case BC_S_GE: case BC_S_LE: case BC_D_GE: case BC_D_LE: return fixed(4, (b) => bcOp(style, b));
    case BC_MARK_COND: return fixed(8, (b) => struct([`mark=${readInt(b, 0, 4, false)}`, `mask=${readInt(b, 4, 4, false)}`]));
    default: return hexData(ctx, s);
  }
}

const bytecode: NlaValue = (env, s) => {
  if (s.len < 4) return undefined;
  const b = s.read(4);
  if (b === null) return hex(s.addr);
  const op = bcOp(env.ctx.options.xlat, b);
  return s.len > 4 ? `${op}, ${bcData(env.ctx, b[0]!, s.sub(4))}` : op;
};

const REQ_TABLE: NlaTable = {
  names: INET_DIAG_REQ_ATTRS, dflt: 'INET_DIAG_REQ_???',
  values: new Map<number, NlaValue>([[1, bytecode], [3, nlaEnum(INET_PROTOCOLS, 'IPPROTO_???', 0)]]),
};

const extFlags = fl(INET_DIAG_EXTENDED_FLAGS, '1<<INET_DIAG_\\?\\?\\?-1');
const states = fl(TCP_STATE_FLAGS, '1<<TCP_???');

/** struct inet_diag_req (TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK). */
const REQ_COMPAT: Body = { size: 60, attrs: REQ_TABLE, fields: [
  { name: 'idiag_family', offset: 0, size: 1, print: family }, { name: 'idiag_src_len', offset: 1, size: 1, print: num },
  { name: 'idiag_dst_len', offset: 2, size: 1, print: num }, { name: 'idiag_ext', offset: 3, size: 1, print: extFlags },
  sockidField(4), { name: 'idiag_states', offset: 52, size: 4, print: states }, { name: 'idiag_dbs', offset: 56, size: 4, print: num },
] };
/** struct inet_diag_req_v2. */
const REQ_V2: Body = { size: 56, attrs: REQ_TABLE, fields: [
  { name: 'sdiag_family', offset: 0, size: 1, print: family },
  { name: 'sdiag_protocol', offset: 1, size: 1, print: en(INET_PROTOCOLS, 'IPPROTO_???') },
  { name: 'idiag_ext', offset: 2, size: 1, print: extFlags }, { name: 'idiag_states', offset: 4, size: 4, print: states },
  sockidField(8),
] };
export const inetDiagReq = (type: number): Body => (type === TCPDIAG_GETSOCK || type === DCCPDIAG_GETSOCK ? REQ_COMPAT : REQ_V2);

// ---- replies ----------------------------------------------------------------------------------

const MSG_TABLE: NlaTable = {
  names: INET_DIAG_ATTRS, dflt: 'INET_DIAG_???',
  values: new Map<number, NlaValue>([
    [1, nlaStruct([['idiag_rmem', 4], ['idiag_wmem', 4], ['idiag_fmem', 4], ['idiag_tmem', 4]])], // INET_DIAG_MEMINFO
    [4, nlaString], // INET_DIAG_CONG
    [5, nlaInt(1)], // INET_DIAG_TOS
    [6, nlaInt(1)], // INET_DIAG_TCLASS
    [7, nlaIndexedArray(4, false, SK_MEMINFO_INDICES, 'SK_MEMINFO_???')], // INET_DIAG_SKMEMINFO
    [8, nlaFlags(INET_DIAG_SHUTDOWN_FLAGS, '???_SHUTDOWN', 1)], // INET_DIAG_SHUTDOWN
    [10, nlaEnum(INET_PROTOCOLS, 'IPPROTO_???', 0)], // INET_DIAG_PROTOCOL
    [11, nlaInt(1)], // INET_DIAG_SKV6ONLY
    [15, nlaInt(4)], // INET_DIAG_MARK
    [17, nlaInt(4)], // INET_DIAG_CLASS_ID
    [21, nlaInt(8)], // INET_DIAG_CGROUP_ID
  ]),
};
export const INET_DIAG_MSG: Body = { size: 72, attrs: MSG_TABLE, fields: [
  { name: 'idiag_family', offset: 0, size: 1, print: family }, { name: 'idiag_state', offset: 1, size: 1, print: en(TCP_STATES, 'TCP_???') },
  { name: 'idiag_timer', offset: 2, size: 1, print: num }, { name: 'idiag_retrans', offset: 3, size: 1, print: num },
  sockidField(4),
  { name: 'idiag_expires', offset: 52, size: 4, print: num }, { name: 'idiag_rqueue', offset: 56, size: 4, print: num },
  { name: 'idiag_wqueue', offset: 60, size: 4, print: num }, { name: 'idiag_uid', offset: 64, size: 4, print: num },
  { name: 'idiag_inode', offset: 68, size: 4, print: num },
] };


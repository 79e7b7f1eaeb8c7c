// AF_INET / AF_INET6 sock_diag messages (strace 6.1's netlink_inet_diag.c): the requests
// (struct inet_diag_req of TCPDIAG_GETSOCK / DCCPDIAG_GETSOCK, struct inet_diag_req_v2 of the
// others) with their INET_DIAG_REQ_* attributes (a bytecode filter's first operation), the
// replies (struct inet_diag_msg) with INET_DIAG_*; struct inet_diag_sockid, which AF_SMC's
// messages share. INET_DIAG_INFO (tcp_info) and the congestion-control infos print as bytes.
import { ADDRESS_FAMILIES, INET_PROTOCOLS } from '../xlat/net.js';
import {
  BPF_STORAGE_ATTRS, BPF_STORAGES_ATTRS, INET_DIAG_ATTRS, INET_DIAG_BYTECODES, INET_DIAG_EXTENDED_FLAGS, INET_DIAG_REQ_ATTRS,
  INET_DIAG_SHUTDOWN_FLAGS, INET_ULP_INFO_ATTRS, MPTCP_SUBFLOW_ATTRS, MPTCP_SUBFLOW_FLAGS, SK_MEMINFO_INDICES, TCP_STATE_FLAGS,
  TCP_STATES, TLS_INFO_ATTRS, TLS_INFO_CIPHERS, TLS_INFO_CONFIGS, TLS_INFO_VERSIONS,
} from '../xlat/netlink-diag.js';
import { type Body, type BodyField, en, family, fl, num } from './netlink-body.js';
import {
  type NlaTable, type NlaValue, Span, hexData, nlaArray, nlaEnum, nlaFixed, nlaFlags, nlaHex, nlaIndexedArray, nlaInt, nlaNested, nlaString,
  nlaStruct, printIfindex, printInetAddr,
} from './nlattr.js';
import { printSockaddr } from './net.js';
import { hex, printEnum, printFlags, quoteBytes, readInt, struct } from './printers.js';
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

const u32At = (b: Uint8Array, at: number): string => readInt(b, at, 4, false).toString();

/** struct tcpvegas_info. */
const vegas = nlaFixed(16, (_env, b) => struct([`tcpv_enabled=${u32At(b, 0)}`, `tcpv_rttcnt=${u32At(b, 4)}`, `tcpv_rtt=${u32At(b, 8)}`, `tcpv_minrtt=${u32At(b, 12)}`]));
/** struct tcp_dctcp_info. */
const dctcp = nlaFixed(16, (_env, b) => struct([
  `dctcp_enabled=${readInt(b, 0, 2, false)}`, `dctcp_ce_state=${readInt(b, 2, 2, false)}`, `dctcp_alpha=${u32At(b, 4)}`,
  `dctcp_ab_ecn=${u32At(b, 8)}`, `dctcp_ab_tot=${u32At(b, 12)}`,
]));
/** struct tcp_bbr_info. */
const bbr = nlaFixed(20, (_env, b) => struct([
  `bbr_bw_lo=${hex(readInt(b, 0, 4, false))}`, `bbr_bw_hi=${hex(readInt(b, 4, 4, false))}`, `bbr_min_rtt=${u32At(b, 8)}`,
  `bbr_pacing_gain=${u32At(b, 12)}`, `bbr_cwnd_gain=${u32At(b, 16)}`,
]));

/** The shutdown bits: RCV_SHUTDOWN and SEND_SHUTDOWN are not in Linux's UAPI, so their names go in comments (-X raw: the number). */
const shutdown: NlaValue = (env, s) => {
  if (s.len > 8 || s.len < 1) return undefined;
  const b = s.read(1);
  if (b === null) return hex(s.addr);
  return printFlags(env.ctx.options.xlat === 'raw' ? 'raw' : 'verbose', INET_DIAG_SHUTDOWN_FLAGS, b[0]!, '???_SHUTDOWN') || '0';
};

/** An array of struct sockaddr_storage (128 bytes each). */
const sockaddrs: NlaValue = (env, s) => {
  const count = Math.floor(s.len / 128);
  if (count === 0) return undefined;
  const limit = env.ctx.options.verbose ? Infinity : env.ctx.options.stringLimit;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const e = s.sub(i * 128, 128);
    if (e.read(128) === null) {
      if (i === 0) return hex(s.addr);
      parts.push(`... /* ${hex(e.addr)} */`);
      break;
    }
    if (i >= limit) {
      parts.push('...');
      break;
    }
    parts.push(printSockaddr(env.ctx, e.addr, 128));
  }
  return `[${parts.join(', ')}]`;
};

/** struct tcp_diag_md5sig (100 bytes): family, prefix length, key length, address, then the key's bytes. */
const md5sig = nlaArray(100, (env, b) => {
  const af = b[0]!;
  const keylen = Number(readInt(b, 2, 2, false));
  return struct([
    `tcpm_family=${printEnum(env.ctx.options.xlat, ADDRESS_FAMILIES, af, 'AF_???')}`, `tcpm_prefixlen=${b[1]}`, `tcpm_keylen=${keylen}`,
    printInetAddr(env.ctx, new Span(b, 0n, 4, 16), af, 'tcpm_addr'),
    `tcpm_key=${quoteBytes(b.subarray(20), Math.min(80, keylen), { forceHex: true }).text}`,
  ]);
});

const TLS_TABLE: NlaTable = {
  names: TLS_INFO_ATTRS, dflt: 'TLS_INFO_???',
  values: new Map<number, NlaValue>([
    [1, nlaEnum(TLS_INFO_VERSIONS, 'TLS_???_VERSION', 2)], [2, nlaEnum(TLS_INFO_CIPHERS, 'TLS_CIPHER_???', 2)],
    [3, nlaEnum(TLS_INFO_CONFIGS, 'TLS_CONF_???', 2)], [4, nlaEnum(TLS_INFO_CONFIGS, 'TLS_CONF_???', 2)],
  ]),
};
const MPTCP_TABLE: NlaTable = {
  names: MPTCP_SUBFLOW_ATTRS, dflt: 'MPTCP_SUBFLOW_ATTR_???',
  values: new Map<number, NlaValue>([
    [1, nlaHex(4)], [2, nlaHex(4)], [3, nlaInt(4)], [4, nlaInt(8)], [5, nlaInt(4)], [6, nlaInt(4)], [7, nlaInt(2)],
    [8, nlaFlags(MPTCP_SUBFLOW_FLAGS, 'MPTCP_SUBFLOW_FLAG_???', 4)], [9, nlaInt(1)], [10, nlaInt(1)],
  ]),
};
const ULP_TABLE: NlaTable = {
  names: INET_ULP_INFO_ATTRS, dflt: 'INET_ULP_INFO_???',
  values: new Map<number, NlaValue>([[1, nlaString], [2, nlaNested(TLS_TABLE)], [3, nlaNested(MPTCP_TABLE)]]),
};

/** decode_nla_xint: an integer of 1, 2, 4 or 8 bytes in hex. */
const xint: NlaValue = (env, s, t) => ([1, 2, 4, 8].includes(s.len) ? nlaHex(s.len as 1 | 2 | 4 | 8)(env, s, t) : undefined);
const BPF_STORAGE_TABLE: NlaTable = { names: BPF_STORAGE_ATTRS, dflt: 'SK_DIAG_BPF_STORAGE_???', values: new Map([[2, nlaInt(4)], [3, xint]]) };
const BPF_STORAGES_TABLE: NlaTable = { names: BPF_STORAGES_ATTRS, dflt: 'SK_DIAG_BPF_STORAGE_???', values: new Map([[1, nlaNested(BPF_STORAGE_TABLE)]]) };

const SOCKOPT_BITS = [
  'recverr', 'is_icsk', 'freebind', 'hdrincl', 'mc_loop', 'transparent', 'mc_all', 'nodefrag', 'bind_address_no_port',
  'recverr_rfc4884', 'defer_connect',
];
/**
 * struct inet_diag_sockopt's bits: the set ones (all of them with -v), the unused bits when set,
 * then the payload's bytes after the struct when any is not zero.
 */
const sockopt: NlaValue = (env, s) => {
  if (s.len < 2) return undefined;
  const b = s.read(2);
  if (b === null) return hex(s.addr);
  const all = env.ctx.options.verbose;
  const v = b[0]! | (b[1]! << 8);
  const f: string[] = [];
  SOCKOPT_BITS.forEach((name, i) => {
    const bit = (v >> i) & 1;
    if (all || bit !== 0) f.push(`${name}=${bit}`);
  });
  const unused = v >> 11;
  if (all || unused !== 0) f.push(`unused=${hex(unused)} /* bits 3..8 */`);
  let text = struct(f);
  const total = Math.min(s.len, 4096);
  if (total > 2) {
    const rest = s.read(total - 2, 2);
    if (rest === null) text += ', ???';
    else if (rest.some((x) => x !== 0)) {
      const limit = env.ctx.options.stringLimit;
      const shown = quoteBytes(rest, Math.min(rest.length, limit), { forceHex: true }).text;
      text += `, /* bytes 2..${total - 1} */ ${shown}${rest.length > limit ? '...' : ''}`;
    }
  }
  return text;
};

const MSG_TABLE: NlaTable = {
  names: INET_DIAG_ATTRS, dflt: 'INET_DIAG_???',
  values: new Map<number, NlaValue>([
    [1, nlaStruct([['idiag_rmem', 4], ['idiag_wmem', 4], ['idiag_fmem', 4], ['idiag_tmem', 4]])], // INET_DIAG_MEMINFO
    [3, vegas], // INET_DIAG_VEGASINFO
    [4, nlaString], // INET_DIAG_CONG
    [5, nlaInt(1)], // INET_DIAG_TOS
    [6, nlaInt(1)], // INET_DIAG_TCLASS
    [7, nlaIndexedArray(4, false, SK_MEMINFO_INDICES, 'SK_MEMINFO_???')], // INET_DIAG_SKMEMINFO
    [8, shutdown], // INET_DIAG_SHUTDOWN
    [9, dctcp], // INET_DIAG_DCTCPINFO
    [10, nlaEnum(INET_PROTOCOLS, 'IPPROTO_???', 0)], // INET_DIAG_PROTOCOL
    [11, nlaInt(1)], // INET_DIAG_SKV6ONLY
    [12, sockaddrs], // INET_DIAG_LOCALS
    [13, sockaddrs], // INET_DIAG_PEERS
    [15, nlaInt(4)], // INET_DIAG_MARK
    [16, bbr], // INET_DIAG_BBRINFO
    [17, nlaInt(4)], // INET_DIAG_CLASS_ID
    [18, md5sig], // INET_DIAG_MD5SIG
    [19, nlaNested(ULP_TABLE)], // INET_DIAG_ULP_INFO
    [20, nlaNested(BPF_STORAGES_TABLE)], // INET_DIAG_SK_BPF_STORAGES
    [21, nlaInt(8)], // INET_DIAG_CGROUP_ID
    [22, sockopt], // INET_DIAG_SOCKOPT
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


// The address families of a struct sockaddr that strace's sockaddr.c decodes beyond the family
// (each with the least length it needs): the fields after sa_family, in the -X style asked for.
// Network-order numbers and addresses print as `htons(…)`, `inet_addr(…)`, their raw bytes with
// -X raw, both with -X verbose.
import type { DecodeContext, XlatStyle } from './types.js';
import {
  ADDRESS_FAMILIES, ALG_SOCKADDR_FLAGS, ETHERNET_PROTOCOLS, IEEE802154_ADDRS, IEEE802154_ADDR_TYPES, IEEE802154_PAN_IDS, MCTP_ADDRS, MCTP_NETS,
  NFC_PROTOCOLS, NFC_SAPS, PACKET_TYPES, QRTR_NODES, QRTR_PORTS, RXRPC_SERVICES, SOCKET_TYPES, VSOCK_CIDS, VSOCK_FLAGS, VSOCK_PORTS,
  XDP_SOCKADDR_FLAGS,
} from '../xlat/net.js';
import { ARPHRD_TYPES } from '../xlat/netlink.js';
import type { Xlat } from '../xlat/xlat.js';
import { printHwaddr, printIfindex } from './nlattr.js';
import { hex, printEnum, printFd, printFlags, quoteBytes, readInt, struct } from './printers.js';
import { formatIpv6 } from './net.js';

/** Prints the fields after sa_family of an address of `len` bytes (`b` holds them, from sa_family on). */
export type FamilyPrinter = (ctx: DecodeContext, b: Uint8Array, len: number) => string;

const hexBytes = (b: Uint8Array): string => quoteBytes(b, b.length, { forceHex: true }).text;

/** A value in network order: its bytes with -X raw, `sym` with abbrev, both with verbose. */
function netOrder(style: XlatStyle, bytes: Uint8Array, sym: string): string {
  return style === 'abbrev' ? sym : style === 'raw' ? hexBytes(bytes) : `${hexBytes(bytes)} /* ${sym} */`;
}

/** PRINT_FIELD_XVAL_VERBOSE: the name always as a comment (but with -X raw); no default: the bare number. */
function xvalVerbose(style: XlatStyle, table: Xlat, v: number, dflt?: string): string {
  return printEnum(style === 'raw' ? 'raw' : 'verbose', table, v, dflt);
}

const be16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** sockaddr_in's port and address. */
function inetFields(ctx: DecodeContext, b: Uint8Array): string[] {
  const style = ctx.options.xlat;
  return [
    `sin_port=${netOrder(style, b.subarray(2, 4), `htons(${be16(b, 2)})`)}`,
    `sin_addr=${netOrder(style, b.subarray(4, 8), `inet_addr("${b[4]}.${b[5]}.${b[6]}.${b[7]}")`)}`,
  ];
}

/** SIN6_MIN_LEN: sockaddr_in6 up to sin6_scope_id. */
const SIN6_MIN_LEN = 24;

/** sockaddr_in6's port, flow, address, and the scope (an interface for link-local addresses) when `len` has it. */
function inet6Fields(ctx: DecodeContext, b: Uint8Array, len: number): string[] {
  const style = ctx.options.xlat;
  const a = b.subarray(8, 24);
  const flowHost = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  const text = `"${formatIpv6(a)}"`;
  const addr = style === 'abbrev' ? `inet_pton(AF_INET6, ${text}, &sin6_addr)`
    : style === 'raw' ? `sin6_addr=${hexBytes(a)}` : `sin6_addr=${hexBytes(a)} /* inet_pton(AF_INET6, ${text}) */`;
  const f = [
    `sin6_port=${netOrder(style, b.subarray(2, 4), `htons(${be16(b, 2)})`)}`,
    `sin6_flowinfo=${netOrder(style, b.subarray(4, 8), `htonl(${flowHost})`)}`,
    addr,
  ];
  if (len > SIN6_MIN_LEN && b.length >= 28) {
    const scope = Number(readInt(b, 24, 4, false));
    const linkLocal = (a[0] === 0xfe && (a[1]! & 0xc0) === 0x80) || (a[0] === 0xff && (a[1]! & 0x0f) === 0x2);
    f.push(`sin6_scope_id=${linkLocal ? printIfindex(ctx, scope) : String(scope)}`);
  }
  return f;
}

/** sockaddr_ll (AF_PACKET). */
const packet: FamilyPrinter = (ctx, b, len) => {
  const style = ctx.options.xlat;
  const halen = b[11]!;
  const f = [
    `sll_protocol=${netOrder(style, b.subarray(2, 4), `htons(${printEnum('abbrev', ETHERNET_PROTOCOLS, be16(b, 2), 'ETH_P_???')})`)}`,
    `sll_ifindex=${printIfindex(ctx, Number(readInt(b, 4, 4, true)))}`,
    `sll_hatype=${printEnum(style, ARPHRD_TYPES, readInt(b, 8, 2, false), 'ARPHRD_???')}`,
    `sll_pkttype=${printEnum(style, PACKET_TYPES, b[10]!, 'PACKET_???')}`,
    `sll_halen=${halen}`,
  ];
  if (halen > 0) {
    // sll_addr is 8 bytes; the address length may claim more than the call passed.
    const inBounds = Math.max(0, len - 12);
    const items: string[] = [];
    for (let i = 0; i < halen; i++) {
      if (i >= inBounds || i >= 8) {
        items.push('...');
        break;
      }
      items.push(`0x${b[12 + i]!.toString(16).padStart(2, '0')}`);
    }
    f.push(`sll_addr=[${items.join(', ')}]`);
  }
  return f.join(', ');
};

/** sockaddr_rxrpc: the service, the transport socket's type and length, then the transport address (AF_INET or AF_INET6). */
const rxrpc: FamilyPrinter = (ctx, b, len) => {
  const style = ctx.options.xlat;
  const transportLen = readInt(b, 6, 2, false);
  const f = [
    `srx_service=${xvalVerbose(style, RXRPC_SERVICES, Number(readInt(b, 2, 2, false)), '???_SERVICE')}`,
    `transport_type=${printEnum(style, SOCKET_TYPES, readInt(b, 4, 2, false), 'SOCK_???')}`,
    `transport_len=${transportLen}`,
  ];
  const t = b.subarray(8);
  const effLen = Math.min(Number(transportLen), len - 8);
  const rest = Math.max(0, effLen - 2);
  const family = Number(readInt(t, 0, 2, false));
  const famText = printEnum(style, ADDRESS_FAMILIES, family, 'AF_???');
  const restText = (): string => quoteBytes(t.subarray(2, 2 + rest), rest).text;
  let transport: string;
  if (family === 2) {
    const inner = [`sin_family=${famText}`];
    if (transportLen >= 16n) inner.push(...inetFields(ctx, t));
    else if (rest > 0) inner.push(restText());
    transport = `sin=${struct(inner)}`;
  } else if (family === 10) {
    const inner = [`sin6_family=${famText}`];
    if (transportLen >= BigInt(SIN6_MIN_LEN)) inner.push(...inet6Fields(ctx, t, effLen));
    else if (rest > 0) inner.push(restText());
    transport = `sin6=${struct(inner)}`;
  } else {
    transport = `family=${famText}${rest > 0 ? `, ${restText()}` : ''}`;
  }
  f.push(`transport={${transport}}`);
  return f.join(', ');
};

const IEEE802154_ADDR_NONE = 0;
const IEEE802154_ADDR_SHORT = 2;
const ARPHRD_IEEE802154 = 804;

/** sockaddr_ieee802154: its address by type (none, a short address, or the 8-byte hardware address). */
const ieee802154: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  const type = Number(readInt(b, 4, 4, true));
  const f = [
    `addr_type=${xvalVerbose(style, IEEE802154_ADDR_TYPES, type >>> 0, 'IEEE802154_ADDR_???')}`,
    `pan_id=${xvalVerbose(style, IEEE802154_PAN_IDS, Number(readInt(b, 8, 2, false)))}`,
  ];
  if (type === IEEE802154_ADDR_SHORT) f.push(`short_addr=${xvalVerbose(style, IEEE802154_ADDRS, Number(readInt(b, 10, 2, false)))}`);
  else if (type !== IEEE802154_ADDR_NONE) f.push(`hwaddr=${printHwaddr(style, b.subarray(10, 18), ARPHRD_IEEE802154)}`);
  return `addr=${struct(f)}`;
};

/**
 * A char array that should hold a C string (print_quoted_string with QUOTE_0_TERMINATED and
 * QUOTE_EXPECT_TRAILING_0): up to its NUL within all but its last byte, `...` when none came.
 */
function quoteZ(b: Uint8Array): string {
  const size = Math.max(0, b.length - 1);
  const nul = b.subarray(0, size).indexOf(0);
  const text = quoteBytes(b, nul < 0 ? size : nul).text;
  return nul < 0 ? `${text}...` : text;
}

/** PRINT_FIELD_FLAGS_VERBOSE: the names always as a comment (but with -X raw). */
function flagsVerbose(style: XlatStyle, table: Xlat, v: bigint, dflt: string): string {
  return printFlags(style === 'raw' ? 'raw' : 'verbose', table, v, dflt);
}

const x = (v: bigint | number): string => (BigInt(v) === 0n ? '0' : hex(BigInt(v)));

/** sockaddr_alg: the type and name as strings, the feature and mask flags. */
const alg: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  return [
    `salg_type=${quoteZ(b.subarray(2, 16))}`,
    `salg_feat=${flagsVerbose(style, ALG_SOCKADDR_FLAGS, readInt(b, 16, 4, false), 'CRYPTO_ALG_???')}`,
    `salg_mask=${flagsVerbose(style, ALG_SOCKADDR_FLAGS, readInt(b, 20, 4, false), 'CRYPTO_ALG_???')}`,
    `salg_name=${quoteZ(b.subarray(24))}`,
  ].join(', ');
};

/** sockaddr_nfc, and with the LLCP part (sockaddr_nfc_llcp, 96 bytes) its SAPs and service name. */
const NFC_LLCP_SIZE = 96;
const nfc: FamilyPrinter = (ctx, b, len) => {
  const style = ctx.options.xlat;
  const f = [
    `dev_idx=${printIfindex(ctx, Number(readInt(b, 4, 4, false)))}`,
    `target_idx=${x(readInt(b, 8, 4, false))}`,
    `nfc_protocol=${printEnum(style, NFC_PROTOCOLS, readInt(b, 12, 4, false), 'NFC_PROTO_???')}`,
  ];
  if (len < NFC_LLCP_SIZE) {
    if (len > 16) f.push('...');
    return f.join(', ');
  }
  const nameLen = readInt(b, 88, 8, false);
  const shown = Number(nameLen < 63n ? nameLen : 63n);
  f.push(`dsap=${xvalVerbose(style, NFC_SAPS, b[16]!)}`, `ssap=${xvalVerbose(style, NFC_SAPS, b[17]!)}`,
    `service_name=${quoteBytes(b.subarray(18, 18 + shown), shown).text}`, `service_name_len=${nameLen}`);
  return f.join(', ');
};

/** sockaddr_vm (AF_VSOCK): the reserved field and the padding only when not zero. */
const vsock: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  const f: string[] = [];
  const reserved = readInt(b, 2, 2, false);
  if (reserved !== 0n) f.push(`svm_reserved1=${hex(reserved)}`);
  f.push(`svm_cid=${printEnum(style, VSOCK_CIDS, readInt(b, 8, 4, false))}`, `svm_port=${printEnum(style, VSOCK_PORTS, readInt(b, 4, 4, false))}`,
    `svm_flags=${printFlags(style, VSOCK_FLAGS, b[12]!, 'VMADDR_FLAG_???')}`);
  const zero = b.subarray(13, 16);
  if (zero.some((c) => c !== 0)) f.push(`svm_zero=${hexBytes(zero)}`);
  return f.join(', ');
};

const qrtr: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  return `sq_node=${printEnum(style, QRTR_NODES, readInt(b, 4, 4, false))}, sq_port=${printEnum(style, QRTR_PORTS, readInt(b, 8, 4, false))}`;
};

const XDP_SHARED_UMEM = 1n;
const xdp: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  const flags = readInt(b, 2, 2, false);
  const f = [`sxdp_flags=${printFlags(style, XDP_SOCKADDR_FLAGS, flags, 'XDP_???')}`, `sxdp_ifindex=${printIfindex(ctx, Number(readInt(b, 4, 4, false)))}`,
    `sxdp_queue_id=${readInt(b, 8, 4, false)}`];
  const fd = readInt(b, 12, 4, false);
  if ((flags & XDP_SHARED_UMEM) !== 0n) f.push(`sxdp_shared_umem_fd=${printFd(ctx, Number(BigInt.asIntN(32, fd)))}`);
  else if (fd !== 0n) f.push(`sxdp_shared_umem_fd=${hex(fd)}`);
  return f.join(', ');
};

const mctp: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  const f: string[] = [];
  const pad0 = readInt(b, 2, 2, false);
  if (pad0 !== 0n) f.push(`__smctp_pad0=${hex(pad0)}`);
  f.push(`smctp_network=${printEnum(style, MCTP_NETS, readInt(b, 4, 4, false))}`, `smctp_addr={s_addr=${printEnum(style, MCTP_ADDRS, b[8]!)}}`,
    `smctp_type=${x(b[9]!)}`, `smctp_tag=${x(b[10]!)}`);
  if (b[11] !== 0) f.push(`__smctp_pad1=${hex(b[11]!)}`);
  return f.join(', ');
};

/** printf's %#0Nx: 0 as N zeros, else 0x and the digits padded to N-2. */
const zeroX = (v: number, width: number): string => (v === 0 ? '0'.repeat(width) : `0x${v.toString(16).padStart(width - 2, '0')}`);

// sockaddr_ipx: port and network in network order, the node's six bytes, the type, the pad when set.
const ipx: FamilyPrinter = (ctx, b) => {
  const style = ctx.options.xlat;
  const network = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  const node = Array.from(b.subarray(8, 14), (c) => zeroX(c, 2)).join(', ');
  const f = [`sipx_port=${netOrder(style, b.subarray(2, 4), `htons(${be16(b, 2)})`)}`, `sipx_network=htonl(${hex(network)})`,
    `sipx_node=[${node}]`, `sipx_type=${zeroX(b[14]!, 2)}`];
  if (b[15] !== 0) f.push(`sipx_zero=${hex(b[15]!)}`);
  return f.join(', ');
};

// sockaddr_x25: the address, a C string in 16 bytes.
const x25: FamilyPrinter = (_ctx, b) => {
  const q = quoteBytes(b.subarray(2, 18), 16, { nulTerminated: true });
  return `sx25_addr={x25_addr=${q.sawNul ? q.text : `${quoteBytes(b.subarray(2, 17), 15).text}...`}}`;
};

const AX25_CALL = 7;
const AX25_HEAD = 16;
const AX25_DIGIS = 8;

/** How an AX.25 call sign can show: 'name' (a sane one), 'both' (its bytes and a comment), 'raw' (its bytes). */
function ax25Kind(call: Uint8Array): 'name' | 'both' | 'raw' {
  let kind: 'name' | 'both' = 'name';
  let space = false;
  let chars = false;
  for (let i = 0; i < AX25_CALL - 1; i++) {
    const byte = call[i]!;
    if ((byte & 1) !== 0) kind = 'both';
    const c = byte >> 1;
    if (c === 0x20) space = true;
    else chars = true;
    const sane = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x20;
    if (!sane || (c !== 0x20 && space)) kind = 'both';
    if (c < 0x20 || c > 0x7e || c === 0x2a || c === 0x2f) return 'raw';
  }
  const ssid = call[AX25_CALL - 1]!;
  if ((ssid & ~0x1e) !== 0 || (!chars && ssid !== 0)) kind = 'both';
  return kind;
}

/** An AX.25 call sign as text: its letters (trailing spaces dropped), `-SSID`; `*` for an empty one with SSID 0. */
function ax25Name(call: Uint8Array): string {
  let end = AX25_CALL - 1;
  while (end > 0 && call[end - 1]! >> 1 === 0x20) end--;
  const name = String.fromCharCode(...Array.from(call.subarray(0, end), (c) => c >> 1)) + `-${(call[AX25_CALL - 1]! >> 1) & 0xf}`;
  return name.startsWith('-0') ? '*' : name;
}

function ax25Addr(style: XlatStyle, call: Uint8Array): string {
  let kind = ax25Kind(call);
  if (kind === 'name') kind = style === 'abbrev' ? 'name' : style === 'raw' ? 'raw' : 'both';
  const bytes = `{ax25_call=${hexBytes(call)}}`;
  if (kind === 'raw') return bytes;
  return kind === 'name' ? ax25Name(call) : `${bytes} /* ${ax25Name(call)} */`;
}

// full_sockaddr_ax25: the call sign and digipeater count, then the digipeaters the length holds.
const ax25: FamilyPrinter = (ctx, b, len) => {
  const style = ctx.options.xlat;
  const ndigis = Number(readInt(b, 12, 4, true));
  const head = `sax25_call=${ax25Addr(style, b.subarray(2, 2 + AX25_CALL))}, sax25_ndigis=${ndigis}`;
  if (ndigis === 0 && len <= AX25_HEAD) return head;
  const has = Math.min(Math.floor((len - AX25_HEAD) / AX25_CALL), AX25_DIGIS);
  const want = Math.min(Math.max(ndigis, 0), AX25_DIGIS);
  const f = [`fsa_ax25={${head}}`];
  if (want > 0) {
    const items: string[] = [];
    for (let i = 0; i < Math.min(has, want); i++) items.push(ax25Addr(style, b.subarray(AX25_HEAD + i * AX25_CALL, AX25_HEAD + (i + 1) * AX25_CALL)));
    if (want > has) items.push('...');
    f.push(`fsa_digipeater=[${items.join(', ')}]`);
  }
  if (len > has * AX25_CALL + AX25_HEAD) f.push('...');
  return f.join(', ');
};

/** The decoded families by AF_* number, with the least length each needs. */
export const FAMILY_PRINTERS: ReadonlyMap<number, { readonly minLen: number; readonly print: FamilyPrinter }> = new Map([
  [2, { minLen: 16, print: (ctx: DecodeContext, b: Uint8Array): string => inetFields(ctx, b).join(', ') }],
  [3, { minLen: 16, print: ax25 }],
  [4, { minLen: 16, print: ipx }],
  [9, { minLen: 18, print: x25 }],
  [10, { minLen: SIN6_MIN_LEN, print: (ctx: DecodeContext, b: Uint8Array, len: number): string => inet6Fields(ctx, b, len).join(', ') }],
  [17, { minLen: 20, print: packet }],
  [33, { minLen: 36, print: rxrpc }],
  [36, { minLen: 20, print: ieee802154 }],
  [38, { minLen: 25, print: alg }],
  [39, { minLen: 16, print: nfc }],
  [40, { minLen: 16, print: vsock }],
  [42, { minLen: 12, print: qrtr }],
  [44, { minLen: 16, print: xdp }],
  [45, { minLen: 12, print: mctp }],
]);

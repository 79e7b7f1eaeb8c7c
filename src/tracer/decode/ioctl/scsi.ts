// The SCSI generic ioctls ('"': SG_*), SG_IO's v3 ('S') and v4 ('Q') headers included, as
// strace's scsi.c, sg_io_v3.c and sg_io_v4.c print them.
import type { DecodeContext, ExitContext } from '../types.js';
import {
  BSG_FLAGS, BSG_PROTOCOL, BSG_SUBPROTOCOL, SG_IO_DXFER_DIRECTION, SG_IO_FLAGS, SG_IO_INFO, SG_SCSI_RESET,
} from '../../xlat/ioctl-scsi.js';
import { printIovec } from '../fs.js';
import { hex, printBuffer, printEnum, printFlags, printPtr, struct, u64 } from '../printers.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { fetchArg, printIndirect, printPointed, requestTable, sField, uField, type IoctlRequest } from './table.js';

const SG_IO = 0x2285;
const SG_HDR_V3_SIZE = 88, SG_HDR_V4_SIZE = 160;
const SG_DXFER_TO_DEV = 0xfffffffen, SG_DXFER_FROM_DEV = 0xfffffffdn, SG_DXFER_TO_FROM_DEV = 0xfffffffcn;
const SG_SCSI_RESET_NO_ESCALATE = 0x100n;

/** printnum_int (at exit: the address alone when the call failed). */
const printInt = (ctx: DecodeContext, arg: bigint, exit?: ExitContext): string =>
  printIndirect(ctx, arg, 4, (b) => sField(b, 0, 4).toString(), exit);

function printScsiReset(ctx: DecodeContext, arg: bigint): string {
  return printIndirect(ctx, arg, 4, (b) => {
    const v = uField(b, 0, 4);
    const style = ctx.options.xlat;
    const head = (v & SG_SCSI_RESET_NO_ESCALATE) !== 0n ? `${printEnum(style, SG_SCSI_RESET, SG_SCSI_RESET_NO_ESCALATE)}|` : '';
    return head + printEnum(style, SG_SCSI_RESET, v & ~SG_SCSI_RESET_NO_ESCALATE, 'SG_SCSI_RESET_???');
  });
}

function printScsiId(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  return printPointed(ctx, arg, 32, (b) => struct([
    `host_no=${sField(b, 0, 4)}`, `channel=${sField(b, 4, 4)}`, `scsi_id=${hex(uField(b, 8, 4))}`, `lun=${sField(b, 12, 4)}`,
    `scsi_type=${hex(uField(b, 16, 4))}`, `h_cmd_per_lun=${sField(b, 20, 2)}`, `d_queue_depth=${sField(b, 22, 2)}`,
  ]), exit);
}

function printReqInfo(ctx: DecodeContext, arg: bigint, exit?: ExitContext): string {
  return printPointed(ctx, arg, 24, (b) => struct([
    `req_state=${sField(b, 0, 1)}`, `orphan=${sField(b, 1, 1)}`, `sg_io_owned=${sField(b, 2, 1)}`, `problem=${sField(b, 3, 1)}`,
    `pack_id=${sField(b, 4, 4)}`, `usr_ptr=${printPtr(uField(b, 8, 8))}`, `duration=${uField(b, 16, 4)}`,
  ]), exit);
}

const INT_IN = [0x2283, 0x2271, 0x227e, 0x2279, 0x227b, 0x2287, 0x2275, 0x2201];
const INT_OUT = [0x2203, 0x2289, 0x2270, 0x2288, 0x227a, 0x227d, 0x227c, 0x2272, 0x227f, 0x2205, 0x2282];

const REQUESTS = requestTable([0x22], new Map<number, IoctlRequest>([
  ...INT_IN.map((c) => [c, { dir: 'in', print: printInt }] as const),
  ...INT_OUT.map((c) => [c, { dir: 'out', print: printInt }] as const),
  [0x2284 /* SG_SCSI_RESET */, { dir: 'in', print: printScsiReset }],
  [0x2276 /* SG_GET_SCSI_ID */, { dir: 'out', print: printScsiId }],
  [0x2286 /* SG_GET_REQUEST_TABLE */, { dir: 'out', print: printReqInfo }],
  [0x2204 /* SG_SET_TRANSFORM */, { dir: 'value', print: (_ctx, arg) => hex(arg & 0xffffffffn) }],
  [0x2202 /* SG_GET_TIMEOUT */, { dir: 'none' }],
]));

/** A data buffer of an SG_IO header: hex-quoted bytes, or the strings of its iovecs. */
function sgBuffer(ctx: DecodeContext, addr: bigint, size: bigint, iovecs: bigint): string {
  if (iovecs !== 0n) return printIovec(ctx, addr, iovecs, size, false);
  return printBuffer(ctx, addr, size, { forceHex: true });
}

// ---- SG_IO v3 (struct sg_io_hdr) ------------------------------------------------------------

function v3Request(ctx: DecodeContext, b: Uint8Array): string {
  const dir = uField(b, 4, 4), dxferLen = uField(b, 12, 4), iovecs = uField(b, 10, 2);
  const f = [
    `dxfer_direction=${printEnum(ctx.options.xlat, SG_IO_DXFER_DIRECTION, dir, 'SG_DXFER_???')}`,
    `cmd_len=${uField(b, 8, 1)}`, `cmdp=${sgBuffer(ctx, uField(b, 24, 8), uField(b, 8, 1), 0n)}`,
    `mx_sb_len=${uField(b, 9, 1)}`, `iovec_count=${iovecs}`, `dxfer_len=${dxferLen}`, `timeout=${uField(b, 40, 4)}`,
    `flags=${printFlags(ctx.options.xlat, SG_IO_FLAGS, uField(b, 44, 4), 'SG_FLAG_???')}`,
  ];
  if (dir === SG_DXFER_TO_DEV || dir === SG_DXFER_TO_FROM_DEV) f.push(`dxferp=${sgBuffer(ctx, uField(b, 16, 8), dxferLen, iovecs)}`);
  return f.join(', ');
}

function v3Response(ctx: ExitContext, arg: bigint, entry: Uint8Array): string {
  const b = ctx.mem.read(arg, SG_HDR_V3_SIZE);
  if (b === null) {
    const from = uField(entry, 4, 4) === SG_DXFER_FROM_DEV ? `, dxferp=${printPtr(uField(entry, 16, 8))}` : '';
    return `${from}, sbp=${printPtr(uField(entry, 32, 8))}`;
  }
  if (uField(b, 0, 4) !== 0x53n) return ` => interface_id=${uField(b, 0, 4)}`;
  let text = '';
  const dir = uField(b, 4, 4);
  if (dir === SG_DXFER_FROM_DEV || dir === SG_DXFER_TO_FROM_DEV) {
    let din = uField(b, 12, 4);
    const resid = sField(b, 72, 4);
    if (resid > 0n && resid <= din) din -= resid;
    const buf = `dxferp=${sgBuffer(ctx, uField(b, 16, 8), din, uField(b, 10, 2))}`;
    if (dir === SG_DXFER_FROM_DEV) text += `, ${buf}`;
    else if (din !== 0n) text += ` => ${buf}`;
  }
  const sbLen = uField(b, 67, 1);
  return `${text}, ${[
    `status=${hex(uField(b, 64, 1))}`, `masked_status=${hex(uField(b, 65, 1))}`, `msg_status=${hex(uField(b, 66, 1))}`,
    `sb_len_wr=${sbLen}`, `sbp=${sgBuffer(ctx, uField(b, 32, 8), sbLen, 0n)}`,
    `host_status=${hex(uField(b, 68, 2))}`, `driver_status=${hex(uField(b, 70, 2))}`, `resid=${sField(b, 72, 4)}`,
    `duration=${uField(b, 76, 4)}`, `info=${printFlags(ctx.options.xlat, SG_IO_INFO, uField(b, 80, 4), 'SG_INFO_???')}`,
  ].join(', ')}`;
}

// ---- SG_IO v4 (struct sg_io_v4) -------------------------------------------------------------

function v4Request(ctx: DecodeContext, b: Uint8Array): string {
  const style = ctx.options.xlat;
  return [
    `protocol=${printEnum(style, BSG_PROTOCOL, uField(b, 4, 4), 'BSG_PROTOCOL_???')}`,
    `subprotocol=${printEnum(style, BSG_SUBPROTOCOL, uField(b, 8, 4), 'BSG_SUB_PROTOCOL_???')}`,
    `request_len=${uField(b, 12, 4)}`, `request=${sgBuffer(ctx, uField(b, 16, 8), uField(b, 12, 4), 0n)}`,
    `request_tag=${hex(uField(b, 24, 8))}`, `request_attr=${uField(b, 32, 4)}`, `request_priority=${uField(b, 36, 4)}`,
    `request_extra=${uField(b, 40, 4)}`, `max_response_len=${uField(b, 44, 4)}`,
    `dout_iovec_count=${uField(b, 56, 4)}`, `dout_xfer_len=${uField(b, 60, 4)}`,
    `din_iovec_count=${uField(b, 64, 4)}`, `din_xfer_len=${uField(b, 68, 4)}`,
    `dout_xferp=${sgBuffer(ctx, uField(b, 72, 8), uField(b, 60, 4), uField(b, 56, 4))}`,
    `timeout=${uField(b, 88, 4)}`, `flags=${printFlags(style, BSG_FLAGS, uField(b, 92, 4), 'BSG_FLAG_???')}`,
    `usr_ptr=${hex(uField(b, 96, 8))}`,
  ].join(', ');
}

function v4Response(ctx: ExitContext, arg: bigint, entry: Uint8Array): string {
  const b = ctx.mem.read(arg, SG_HDR_V4_SIZE);
  if (b === null) return `, response=${hex(uField(entry, 48, 8))}, din_xferp=${hex(uField(entry, 80, 8))}`;
  if (uField(b, 0, 4) !== 0x51n) return ` => guard=${uField(b, 0, 4)}`;
  let din = uField(b, 68, 4);
  const resid = sField(b, 136, 4);
  if (resid > 0n && resid <= din) din -= resid;
  return `, ${[
    `response_len=${uField(b, 132, 4)}`, `response=${sgBuffer(ctx, uField(b, 48, 8), uField(b, 132, 4), 0n)}`,
    `din_xferp=${sgBuffer(ctx, uField(b, 80, 8), din, uField(b, 64, 4))}`,
    `driver_status=${hex(uField(b, 108, 4))}`, `transport_status=${hex(uField(b, 112, 4))}`,
    `device_status=${hex(uField(b, 116, 4))}`, `retry_delay=${uField(b, 120, 4)}`,
    `info=${printFlags(ctx.options.xlat, SG_IO_INFO, uField(b, 124, 4), 'SG_INFO_???')}`, `duration=${uField(b, 128, 4)}`,
    `response_len=${uField(b, 132, 4)}`, `din_resid=${sField(b, 136, 4)}`, `dout_resid=${sField(b, 140, 4)}`,
    `generated_tag=${hex(uField(b, 144, 8))}`,
  ].join(', ')}`;
}

/** What SG_IO's exit needs: the header's version and the header as the entry read it. */
interface SgIoState { readonly version: 3 | 4; readonly entry: Uint8Array }

function sgIoEnter(ctx: DecodeContext, arg: bigint): IoctlEntry {
  const iid = fetchArg(ctx, arg, 4);
  if (typeof iid === 'string') return { text: `, ${iid}` };
  const id = uField(iid, 0, 4);
  if (id !== 0x53n && id !== 0x51n) return { text: `, [${id}]` };
  const v3 = id === 0x53n;
  const head = v3 ? "{interface_id='S', " : "{guard='Q', ";
  // The rest of the header is read from its second field on: an unreadable one shows that address.
  const b = ctx.mem.read(arg, v3 ? SG_HDR_V3_SIZE : SG_HDR_V4_SIZE);
  if (b === null) return { text: `, ${head}${hex(u64(arg + 4n))}}` };
  const state: SgIoState = { version: v3 ? 3 : 4, entry: b };
  return { text: `, ${head}${v3 ? v3Request(ctx, b) : v4Request(ctx, b)}`, more: true, state };
}

export const SCSI_IOCTLS: IoctlFamily = {
  types: [0x22],
  enter(ctx, code, arg) {
    return code === SG_IO ? sgIoEnter(ctx, arg) : REQUESTS.enter(ctx, code, arg);
  },
  exit(ctx, code, arg, state) {
    if (code !== SG_IO) return REQUESTS.exit?.(ctx, code, arg, state) ?? '';
    const s = state as SgIoState;
    return `${s.version === 3 ? v3Response(ctx, arg, s.entry) : v4Response(ctx, arg, s.entry)}}`;
  },
};

// The perf_event ioctls ('$': PERF_EVENT_IOC_*), as strace's perf_ioctl.c prints them, with
// PERF_EVENT_IOC_MODIFY_ATTRIBUTES's struct perf_event_attr up to its flag bits (strace's
// abbreviated form; with -v too, where strace goes on: a limit).
import type { DecodeContext, ExitContext } from '../types.js';
import {
  PERF_ATTR_SIZE, PERF_EVENT_READ_FORMAT, PERF_EVENT_SAMPLE_FORMAT, PERF_HW_CACHE_ID, PERF_HW_CACHE_OP_ID,
  PERF_HW_CACHE_OP_RESULT_ID, PERF_HW_ID, PERF_IOCTL_FLAGS, PERF_SW_IDS, PERF_TYPE_ID,
} from '../../xlat/ioctl-perf.js';
import { hex, int, isError, printArray, printCString, printEnum, printFd, printFlags, printPtr, struct, u64 } from '../printers.js';
import type { IoctlFamily } from './family.js';
import { fetchArg, printIndirect, requestTable, uField, type IoctlRequest } from './table.js';

const QUERY_BPF = 0xc008240a;
const PERF_ATTR_SIZE_VER0 = 64n;
/** offsetof(struct perf_event_attr, wakeup_events): what strace reads of it when abbreviating. */
const ATTR_HEAD = 48;
const PERF_TYPE_HARDWARE = 0n, PERF_TYPE_SOFTWARE = 1n, PERF_TYPE_TRACEPOINT = 2n, PERF_TYPE_HW_CACHE = 3n;
const FLAG_BITS = ['disabled', 'inherit', 'pinned', 'exclusive', 'exclude_user', 'exclude_kernel', 'exclude_hv',
  'exclude_idle', 'mmap', 'comm', 'freq', 'inherit_stat', 'enable_on_exec', 'task', 'watermark'];
/** The flag bits after precise_ip (bits 15-16), from bit 17 on. */
const FLAG_BITS_2 = ['mmap_data', 'sample_id_all', 'exclude_host', 'exclude_guest', 'exclude_callchain_kernel',
  'exclude_callchain_user', 'mmap2', 'comm_exec', 'use_clockid', 'context_switch', 'write_backward', 'namespaces',
  'ksymbol', 'bpf_event', 'aux_output', 'cgroup', 'text_poke', 'build_id', 'inherit_thread', 'remove_on_exec', 'sigtrap'];
const PRECISE_IP = ['arbitrary skid', 'constant skid', 'requested to have 0 skid', 'must have 0 skid'];

function printConfig(ctx: DecodeContext, type: bigint, config: bigint): string {
  const style = ctx.options.xlat;
  const high = config >> 32n ? `${hex(config >> 32n)}<<32|` : '';
  switch (type) {
    case PERF_TYPE_HARDWARE: return `${high}${printEnum(style, PERF_HW_ID, config & 0xffffffffn, 'PERF_COUNT_HW_???')}`;
    case PERF_TYPE_SOFTWARE: return printEnum(style, PERF_SW_IDS, config, 'PERF_COUNT_SW_???');
    case PERF_TYPE_TRACEPOINT: return config.toString();
    case PERF_TYPE_HW_CACHE: {
      const mid = (config & 0xffffffffn) >> 24n ? `${hex((config & 0xffffffffn) >> 24n)}<<24|` : '';
      return `${high}${mid}${printEnum(style, PERF_HW_CACHE_OP_RESULT_ID, (config >> 16n) & 0xffn, 'PERF_COUNT_HW_CACHE_RESULT_???')}<<16|`
        + `${printEnum(style, PERF_HW_CACHE_OP_ID, (config >> 8n) & 0xffn, 'PERF_COUNT_HW_CACHE_OP_???')}<<8|`
        + printEnum(style, PERF_HW_CACHE_ID, config & 0xffn, 'PERF_COUNT_HW_CACHE_???');
    }
  }
  return hex(config);
}

/** struct perf_event_attr (fetch_perf_event_attr and print_perf_event_attr, abbreviated). */
function printPerfEventAttr(ctx: DecodeContext, arg: bigint): string {
  const sizeField = ctx.mem.read(arg + 4n, 4);
  if (sizeField === null) return printPtr(arg);
  const attrSize = uField(sizeField, 0, 4);
  if (attrSize !== 0n && attrSize < PERF_ATTR_SIZE_VER0) return printPtr(arg);
  const b = fetchArg(ctx, arg, ATTR_HEAD);
  if (typeof b === 'string') return b;
  const style = ctx.options.xlat;
  const type = uField(b, 0, 4), config = uField(b, 8, 8), flags = uField(b, 40, 8);
  const bit = (n: number): bigint => (flags >> BigInt(n)) & 1n;
  const f = [
    `type=${printEnum(style, PERF_TYPE_ID, type, 'PERF_TYPE_???')}`,
    `size=${printEnum(style, PERF_ATTR_SIZE, attrSize, 'PERF_ATTR_SIZE_???')}`,
    `config=${printConfig(ctx, type, config)}`,
    bit(10) ? `sample_freq=${uField(b, 16, 8)}` : `sample_period=${uField(b, 16, 8)}`,
    `sample_type=${printFlags(style, PERF_EVENT_SAMPLE_FORMAT, uField(b, 24, 8), 'PERF_SAMPLE_???')}`,
    `read_format=${printFlags(style, PERF_EVENT_READ_FORMAT, uField(b, 32, 8), 'PERF_FORMAT_???')}`,
  ];
  FLAG_BITS.forEach((name, i) => { if (bit(i)) f.push(`${name}=1`); });
  const precise = Number((flags >> 15n) & 3n);
  f.push(`precise_ip=${precise} /* ${PRECISE_IP[precise]} */`);
  FLAG_BITS_2.forEach((name, i) => { if (bit(17 + i)) f.push(`${name}=1`); });
  const reserved = flags >> 38n;
  if (reserved !== 0n) f.push(`__reserved_1=${hex(reserved)} /* Bits 63..38 */`);
  if (attrSize !== 0n ? attrSize > BigInt(ATTR_HEAD) : BigInt(ATTR_HEAD) < PERF_ATTR_SIZE_VER0) f.push('...');
  return struct(f);
}

const printU64 = (ctx: DecodeContext, arg: bigint, exit?: ExitContext): string =>
  printIndirect(ctx, arg, 8, (b) => uField(b, 0, 8).toString(), exit);

const REQUESTS = requestTable([0x24], new Map<number, IoctlRequest>([
  ...[0x2400, 0x2401, 0x2403].map((c) => [c, { dir: 'value',
    print: (ctx: DecodeContext, arg: bigint) => printFlags(ctx.options.xlat, PERF_IOCTL_FLAGS, arg & 0xffffffffn, 'PERF_IOC_FLAG_???') }] as const),
  [0x2402 /* PERF_EVENT_IOC_REFRESH */, { dir: 'value', print: (_ctx, arg) => String(int(arg)) }],
  [0x40082404 /* PERF_EVENT_IOC_PERIOD */, { dir: 'in', print: printU64 }],
  [0x2405 /* PERF_EVENT_IOC_SET_OUTPUT */, { dir: 'value', print: (ctx, arg) => printFd(ctx, int(arg)) }],
  [0x40042408 /* PERF_EVENT_IOC_SET_BPF */, { dir: 'value', print: (ctx, arg) => printFd(ctx, int(arg)) }],
  [0x40042409 /* PERF_EVENT_IOC_PAUSE_OUTPUT */, { dir: 'value', print: (_ctx, arg) => u64(arg).toString() }],
  [0x40082406 /* PERF_EVENT_IOC_SET_FILTER */, { dir: 'in', print: (ctx, arg) => printCString(ctx, arg, 4096) }],
  [0x80082407 /* PERF_EVENT_IOC_ID */, { dir: 'out', print: printU64 }],
  [0x4008240b /* PERF_EVENT_IOC_MODIFY_ATTRIBUTES */, { dir: 'in', print: printPerfEventAttr }],
]));

export const PERF_IOCTLS: IoctlFamily = {
  types: [0x24],
  enter(ctx, code, arg) {
    if (code !== QUERY_BPF) return REQUESTS.enter(ctx, code, arg);
    // struct perf_event_query_bpf: ids_len at entry, prog_cnt and the ids at exit.
    const b = fetchArg(ctx, arg, 4);
    if (typeof b === 'string') return { text: `, ${b}` };
    return { text: `, {ids_len=${uField(b, 0, 4)}, `, more: true };
  },
  exit(ctx, code, arg, state) {
    if (code !== QUERY_BPF) return REQUESTS.exit?.(ctx, code, arg, state) ?? '';
    const cnt = isError(ctx.ret) ? null : ctx.mem.read(arg + 4n, 4);
    if (cnt === null) return '...}';
    const n = uField(cnt, 0, 4);
    return `prog_cnt=${n}, ids=${printArray(ctx, arg + 8n, Number(n), 4, (e) => uField(e, 0, 4).toString())}}`;
  },
};

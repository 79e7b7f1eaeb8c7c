// poll, select and epoll (strace's poll.c, desc.c, epoll.c). Their results go after the return
// value: `= 1 ([{fd=7, revents=POLLIN}])`, `= 0 (Timeout)`, `= 2 (in [7], out [8], left {...})`.
import type { DecodeContext, ExitContext, SyscallDecoder } from './types.js';
import { POLLFD, TIMESPEC, TIMEVAL } from '../../abi/structs.js';
import { EPOLL_CREATE_FLAGS, EPOLL_CTL_OPS, EPOLL_EVENTS, POLL_EVENTS } from '../xlat/poll.js';
import { entryOnly, flags, i32, type SyscallTable } from './args.js';
import {
  formatReturn, hex, int, isError, printArray, printEnum, printFd, printFlags, printPtr, readInt, readStruct,
  struct, StructView, u64, uint,
} from './printers.js';
import { printSigsetAt } from './signal.js';
import { printTimespec, printTimeval } from './time.js';

// ---- poll / ppoll ---------------------------------------------------------------------------------

function printPollfds(ctx: DecodeContext, addr: bigint, nfds: number): string {
  return printArray(ctx, addr, nfds, POLLFD.size, (b) => {
    const fdv = Number(readInt(b, 0, 4, true));
    if (fdv < 0) return `{fd=${printFd(ctx, fdv)}}`;
    return `{fd=${printFd(ctx, fdv)}, events=${printFlags(ctx.options.xlat, POLL_EVENTS, readInt(b, 4, 2, false), 'POLL???')}}`;
  });
}

/** The text after a successful poll's return value, or undefined when strace adds none. */
function pollResult(ctx: ExitContext, left: string | undefined): string | undefined {
  if (BigInt.asIntN(64, ctx.ret) === 0n) return 'Timeout';
  const addr = ctx.args[0]!;
  const nfds = uint(ctx.args[1]!);
  if (u64(addr) === 0n || nfds === 0) return undefined;
  const max = ctx.options.verbose ? Infinity : ctx.options.stringLimit;
  const parts: string[] = [];
  let out = '';
  for (let i = 0; i < nfds; i++) {
    const at = u64(addr + BigInt(i * POLLFD.size));
    const b = ctx.mem.read(at, POLLFD.size);
    if (b === null) { parts.push(hex(at)); break; }
    const revents = readInt(b, 6, 2, false);
    if (revents === 0n) continue;
    if (parts.length >= max) { parts.push('...'); break; }
    parts.push(`{fd=${readInt(b, 0, 4, true)}, revents=${printFlags(ctx.options.xlat, POLL_EVENTS, revents)}}`);
  }
  if (parts.length > 0) out = `[${parts.join(', ')}]`;
  if (left !== undefined) out += `${out === '' ? '' : ', '}left ${left}`;
  return out === '' ? undefined : out;
}

function withAux(ctx: ExitContext, aux: string | undefined): string {
  const r = formatReturn(ctx, 'dec');
  return isError(ctx.ret) || aux === undefined ? r : `${r} (${aux})`;
}

const poll: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printPollfds(ctx, ctx.args[0]!, uint(ctx.args[1]!))}, ${uint(ctx.args[1]!)}, ${int(ctx.args[2]!)}` }),
  exit: (ctx) => ({ text: '', ret: isError(ctx.ret) ? formatReturn(ctx, 'dec') : withAux(ctx, pollResult(ctx, undefined)) }),
};

function timespecText(ctx: DecodeContext, addr: bigint): string | undefined {
  if (u64(addr) === 0n) return undefined;
  const v = readStruct(ctx, addr, TIMESPEC);
  return v === null ? hex(addr) : `{tv_sec=${v.get('tv_sec')}, tv_nsec=${v.get('tv_nsec')}}`;
}

const ppoll: SyscallDecoder = {
  enter: (ctx) => ({
    text: `${printPollfds(ctx, ctx.args[0]!, uint(ctx.args[1]!))}, ${uint(ctx.args[1]!)}, ${printTimespec(ctx, ctx.args[2]!)}, ` +
      `${printSigsetAt(ctx, ctx.args[3]!, ctx.args[4]!)}, ${u64(ctx.args[4]!)}`,
  }),
  exit: (ctx) => ({
    text: '',
    ret: isError(ctx.ret) ? formatReturn(ctx, 'dec') : withAux(ctx, pollResult(ctx, timespecText(ctx, ctx.args[2]!))),
  }),
};

// ---- select / pselect6 ----------------------------------------------------------------------------

function fdSetBytes(nfds: number): number {
  return (Math.floor((nfds + 7) / 8) + 7) & ~7;
}

function setBits(b: Uint8Array, nfds: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < nfds; j++) if (b[j >> 3]! & (1 << (j & 7))) out.push(j);
  return out;
}

function selectNfds(v: bigint): number {
  const n = int(v);
  return n < 0 ? 0 : Math.min(n, 1024 * 1024);
}

function printFdSets(ctx: DecodeContext): string {
  const nfds = selectNfds(ctx.args[0]!);
  const size = fdSetBytes(nfds);
  const parts: string[] = [String(int(ctx.args[0]!))];
  for (let i = 1; i <= 3; i++) {
    const addr = ctx.args[i]!;
    if (size === 0 || u64(addr) === 0n) { parts.push(printPtr(addr)); continue; }
    const b = ctx.mem.read(addr, size);
    parts.push(b === null ? hex(addr) : `[${setBits(b, nfds).map((j) => printFd(ctx, j)).join(' ')}]`);
  }
  return parts.join(', ');
}

function selectResult(ctx: ExitContext, left: string | undefined): string | undefined {
  let ready = Number(BigInt.asIntN(64, ctx.ret));
  if (ready === 0) return 'Timeout';
  const nfds = selectNfds(ctx.args[0]!);
  const size = fdSetBytes(nfds);
  let out = '';
  let sep = '';
  const names = ['in', 'out', 'except'];
  for (let i = 0; i < 3 && ready > 0; i++) {
    const addr = ctx.args[i + 1]!;
    if (u64(addr) === 0n || size === 0) continue;
    const b = ctx.mem.read(addr, size);
    if (b === null) continue;
    let first = true;
    for (const j of setBits(b, nfds)) {
      if (first) { out += `${sep}${names[i]} [${j}`; first = false; sep = ', '; }
      else out += ` ${j}`;
      if (--ready === 0) break;
    }
    // strace closes a bracket whenever anything has been written so far.
    if (out !== '') out += ']';
  }
  if (left !== undefined) out += `${sep}left ${left}`;
  return out;
}

const select: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printFdSets(ctx)}, ${printTimeval(ctx, ctx.args[4]!)}` }),
  exit(ctx) {
    if (isError(ctx.ret)) return { text: '', ret: formatReturn(ctx, 'dec') };
    const tv = ctx.args[4]!;
    let left: string | undefined;
    if (u64(tv) !== 0n) {
      const v = readStruct(ctx, tv, TIMEVAL);
      left = v === null ? hex(tv) : `{tv_sec=${v.get('tv_sec')}, tv_usec=${v.get('tv_usec')}}`;
    }
    return { text: '', ret: withAux(ctx, selectResult(ctx, left)) };
  },
};

/** pselect6's sixth argument: a {sigset pointer, size} pair. */
function printSigmaskPair(ctx: DecodeContext, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const b = ctx.mem.read(addr, 16);
  if (b === null) return hex(addr);
  const set = readInt(b, 0, 8, false);
  const size = readInt(b, 8, 8, false);
  return `{sigmask=${printSigsetAt(ctx, set, size)}, sigsetsize=${size}}`;
}

const pselect6: SyscallDecoder = {
  enter: (ctx) => ({ text: `${printFdSets(ctx)}, ${printTimespec(ctx, ctx.args[4]!)}, ${printSigmaskPair(ctx, ctx.args[5]!)}` }),
  exit(ctx) {
    if (isError(ctx.ret)) return { text: '', ret: formatReturn(ctx, 'dec') };
    return { text: '', ret: withAux(ctx, selectResult(ctx, timespecText(ctx, ctx.args[4]!))) };
  },
};

// ---- epoll -------------------------------------------------------------------------------------

function printEpollEvent(ctx: DecodeContext, v: StructView<'events' | 'data'>): string {
  const data = v.get('data');
  return struct([
    `events=${printFlags(ctx.options.xlat, EPOLL_EVENTS, v.get('events'), 'EPOLL???')}`,
    `data={u32=${data & 0xffffffffn}, u64=${data}}`,
  ]);
}

const epollCtl = entryOnly((ctx) => {
  const op = uint(ctx.args[1]!);
  const ev = ctx.args[3]!;
  let evText: string;
  if (op === 2) evText = printPtr(ev);
  else {
    const v = readStruct(ctx, ev, ctx.arch.structs.epollEvent);
    evText = v === null ? printPtr(ev) : printEpollEvent(ctx, v);
  }
  return `${printFd(ctx, int(ctx.args[0]!))}, ${printEnum(ctx.options.xlat, EPOLL_CTL_OPS, op, 'EPOLL_CTL_???')}, ` +
    `${printFd(ctx, int(ctx.args[2]!))}, ${evText}`;
});

function printEpollEvents(ctx: ExitContext): string {
  const addr = ctx.args[1]!;
  if (isError(ctx.ret)) return printPtr(addr);
  const layout = ctx.arch.structs.epollEvent;
  const n = Number(BigInt.asIntN(64, ctx.ret));
  return printArray(ctx, addr, n, layout.size, (b) => printEpollEvent(ctx, new StructView(b, layout)));
}

/** epoll_wait, epoll_pwait (with a signal mask), epoll_pwait2 (a timespec timeout and a mask). */
function epollWait(kind: 'wait' | 'pwait' | 'pwait2'): SyscallDecoder {
  return {
    enter: (ctx) => ({ text: `${printFd(ctx, int(ctx.args[0]!))}, ` }),
    exit(ctx) {
      // strace reads epoll_pwait2's timespec at exit, so a failed call shows its address.
      const timeout = kind !== 'pwait2' ? String(int(ctx.args[3]!))
        : isError(ctx.ret) ? printPtr(ctx.args[3]!) : printTimespec(ctx, ctx.args[3]!);
      let text = `${printEpollEvents(ctx)}, ${int(ctx.args[2]!)}, ${timeout}`;
      // The mask too is read at exit: a failed call shows its address (strace's umoven_or_printaddr).
      const mask = isError(ctx.ret) ? printPtr(ctx.args[4]!) : printSigsetAt(ctx, ctx.args[4]!, ctx.args[5]!);
      if (kind !== 'wait') text += `, ${mask}, ${u64(ctx.args[5]!)}`;
      return { text, ret: formatReturn(ctx, 'dec') };
    },
  };
}

export const POLL_SYSCALLS: SyscallTable = {
  poll: { decoder: poll },
  ppoll: { decoder: ppoll },
  select: { decoder: select },
  pselect6: { decoder: pselect6 },
  epoll_create: { args: [i32], ret: 'fd' },
  epoll_create1: { args: [flags(EPOLL_CREATE_FLAGS, 'EPOLL_???')], ret: 'fd' },
  epoll_ctl: { decoder: epollCtl },
  epoll_wait: { decoder: epollWait('wait') },
  epoll_pwait: { decoder: epollWait('pwait') },
  epoll_pwait2: { decoder: epollWait('pwait2') },
};


// The userfaultfd ioctls (0xaa: UFFDIO_API, UFFDIO_REGISTER, UFFDIO_COPY, ...), printed as
// strace's userfaultfd.c prints them.
import type { DecodeContext, ExitContext } from '../types.js';
import * as X from '../../xlat/ioctl-uffdio.js';
import { hex, isError, printFlags } from '../printers.js';
import type { IoctlEntry, IoctlFamily } from './family.js';
import { fetchArg, uField } from './table.js';
import { ioc } from './umove.js';

const T = 0xaa;
const API = ioc(3, T, 0x3f, 24), REGISTER = ioc(3, T, 0, 32), UNREGISTER = ioc(2, T, 1, 16), WAKE = ioc(2, T, 2, 16);
const COPY = ioc(3, T, 3, 40), ZEROPAGE = ioc(3, T, 4, 32);

const u = (b: Uint8Array, off: number): bigint => uField(b, off, 8);
const range = (b: Uint8Array, off: number): string => `{start=${hex(u(b, off))}, len=${hex(u(b, off + 8))}}`;

function enter(ctx: DecodeContext, code: number, arg: bigint): IoctlEntry | undefined {
  const st = ctx.options.xlat;
  const open = (size: number, show: (b: Uint8Array) => string): IoctlEntry => {
    const b = fetchArg(ctx, arg, size);
    return typeof b === 'string' ? { text: `, ${b}` } : { text: `, ${show(b)}`, more: true, state: size === 24 ? u(b, 8) : undefined };
  };
  switch (code) {
    case API: return open(24, (b) => `{api=${hex(u(b, 0))}, features=${printFlags(st, X.UFFD_API_FEATURES, u(b, 8), 'UFFD_FEATURE_???')}`);
    case COPY:
      return open(40, (b) => `{dst=${hex(u(b, 0))}, src=${hex(u(b, 8))}, len=${hex(u(b, 16))}, mode=${printFlags(st, X.UFFD_COPY_FLAGS, u(b, 24), 'UFFDIO_COPY_???')}`);
    case REGISTER:
      return open(32, (b) => `{range=${range(b, 0)}, mode=${printFlags(st, X.UFFD_REGISTER_MODE_FLAGS, u(b, 16), 'UFFDIO_REGISTER_MODE_???')}`);
    case ZEROPAGE:
      return open(32, (b) => `{range=${range(b, 0)}, mode=${printFlags(st, X.UFFD_ZEROPAGE_FLAGS, u(b, 16), 'UFFDIO_ZEROPAGE_???')}`);
    case UNREGISTER: case WAKE: {
      const b = fetchArg(ctx, arg, 16);
      return { text: `, ${typeof b === 'string' ? b : range(b, 0)}` };
    }
  }
  return undefined;
}

function exit(ctx: ExitContext, code: number, arg: bigint, state: unknown): string {
  const st = ctx.options.xlat;
  const b = isError(ctx.ret) ? null : ctx.mem.read(arg, code === COPY ? 40 : code === API ? 24 : 32);
  if (b === null) return '}';
  switch (code) {
    case API: {
      const features = u(b, 8);
      const changed = state !== features ? ` => features=${printFlags(st, X.UFFD_API_FEATURES, features, 'UFFD_FEATURE_???')}` : '';
      return `${changed}, ioctls=${printFlags(st, X.UFFD_API_FLAGS, u(b, 16), '_UFFDIO_???')}}`;
    }
    case COPY: return `, copy=${hex(u(b, 32))}}`;
    case REGISTER: return `, ioctls=${printFlags(st, X.UFFD_REGISTER_IOCTL_FLAGS, u(b, 24), 'UFFDIO_???')}}`;
    case ZEROPAGE: return `, zeropage=${hex(u(b, 24))}}`;
  }
  return '}';
}

export const UFFDIO_IOCTLS: IoctlFamily = { types: [T], enter, exit };

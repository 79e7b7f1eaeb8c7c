// ioctl(fd, request, arg): the request by name, the argument by the family of its type byte.
// A request no family knows gets its argument in hex, as strace prints it.
import type { EntryText, SyscallDecoder } from '../types.js';
import { formatReturn, hex, int, printFd, uint } from '../printers.js';
import { iocType, type IoctlFamily } from './family.js';
import { IOCTL_FAMILIES } from './families.js';
import { printIoctlRequest } from './request.js';

export { printIoctlRequest };

const byType = new Map<number, IoctlFamily[]>();
for (const family of IOCTL_FAMILIES) {
  for (const type of family.types) {
    const list = byType.get(type);
    if (list === undefined) byType.set(type, [family]);
    else list.push(family);
  }
}

/** The exit's view of what the entry printed. */
interface Decoded { readonly family: IoctlFamily | undefined; readonly more: boolean; readonly state: unknown }

export const ioctl: SyscallDecoder = {
  enter(ctx): EntryText {
    const code = uint(ctx.args[1]!);
    const arg = ctx.args[2]!;
    const families = byType.get(iocType(code)) ?? [];
    let decoded: string | undefined;
    for (const family of families) {
      decoded = ctx.options.xlat === 'raw' ? undefined : family.requestName?.(code, ctx.options.xlat);
      if (decoded !== undefined) break;
    }
    const head = `${printFd(ctx, int(ctx.args[0]!))}, ${printIoctlRequest(code, ctx.options.xlat, decoded)}`;
    for (const family of families) {
      const r = family.enter(ctx, code, arg);
      if (r === undefined) continue;
      const decoded: Decoded = { family, more: r.more === true, state: r.state };
      return { text: `${head}${r.text}`, state: decoded };
    }
    const none: Decoded = { family: undefined, more: false, state: undefined };
    return { text: `${head}, ${hex(arg)}`, state: none };
  },
  exit(ctx, entry) {
    const code = uint(ctx.args[1]!);
    const d = entry.state as Decoded;
    const text = d.more && d.family?.exit !== undefined ? d.family.exit(ctx, code, ctx.args[2]!, d.state) : '';
    return { text, ret: d.family?.ret?.(ctx, code) ?? formatReturn(ctx, 'dec') };
  },
};

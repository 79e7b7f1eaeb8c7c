// NETLINK_KOBJECT_UEVENT buffers (strace 6.1's netlink_kobject_uevent.c): libudev's messages
// start with struct udev_monitor_netlink_header, printed as a struct (its big-endian fields as
// `htonl(0x…)`), then the properties as a string; anything else (the kernel's own
// `action@devpath` events, a header that cannot be read) prints as a string.
import { printBuffer, quoteBytes, readInt, struct } from './printers.js';
import type { DecodeContext } from './types.js';

/** struct udev_monitor_netlink_header: prefix[8], then eight __u32. */
const HEADER_SIZE = 40;
const PREFIX = 'libudev';

export function printUevent(ctx: DecodeContext, addr: bigint, len: number): string {
  const h = len < HEADER_SIZE ? null : ctx.mem.read(addr, HEADER_SIZE);
  const nul = h?.indexOf(0) ?? -1;
  if (h === null || nul < 0 || new TextDecoder().decode(h.subarray(0, nul)) !== PREFIX) return printBuffer(ctx, addr, BigInt(len));
  const be = (at: number): string => {
    const v = readInt(h, at, 4, false);
    const swapped = ((v & 0xffn) << 24n) | ((v & 0xff00n) << 8n) | ((v >> 8n) & 0xff00n) | (v >> 24n);
    return `htonl(0x${swapped.toString(16)})`;
  };
  const u = (at: number): string => readInt(h, at, 4, false).toString();
  const text = struct([
    `prefix=${quoteBytes(h, 8, { nulTerminated: true }).text}`, `magic=${be(8)}`, `header_size=${u(12)}`,
    `properties_off=${u(16)}`, `properties_len=${u(20)}`, `filter_subsystem_hash=${be(24)}`,
    `filter_devtype_hash=${be(28)}`, `filter_tag_bloom_hi=${be(32)}`, `filter_tag_bloom_lo=${be(36)}`,
  ]);
  return len > HEADER_SIZE ? `[${text}, ${printBuffer(ctx, addr + BigInt(HEADER_SIZE), BigInt(len - HEADER_SIZE))}]` : text;
}

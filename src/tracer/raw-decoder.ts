// -e raw=SET: a call printed undecoded, as strace does: every argument in hex, the result in
// hex, or `-1 (errno N)`.
import type { SyscallDecoder } from './decode/types.js';
import { errnoOf, isError } from './decode/printers.js';

function hexArg(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return u === 0n ? '0' : `0x${u.toString(16)}`;
}

const cache = new Map<number, SyscallDecoder>();

export function rawDecoder(argCount: number): SyscallDecoder {
  let d = cache.get(argCount);
  if (d === undefined) {
    d = {
      enter: (ctx) => ({ text: ctx.args.slice(0, argCount).map(hexArg).join(', ') }),
      exit: (ctx) => ({ text: '', ret: isError(ctx.ret) ? `-1 (errno ${errnoOf(ctx.ret)})` : hexArg(ctx.ret) }),
    };
    cache.set(argCount, d);
  }
  return d;
}

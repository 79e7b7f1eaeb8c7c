// Test data for the decoder tests: a tracee memory backed by byte arrays at chosen addresses,
// and a way to run a decoder's entry and exit halves the way the tracer's printer joins them.
import type { ArchDescriptor } from '../src/arch/types.js';
import type { DecodeOptions, TraceeMemory } from '../src/tracer/decode/types.js';
import { decoderFor } from '../src/tracer/decode/registry.js';
import { x86_64 } from '../src/arch/x86_64/index.js';
import { aarch64 } from '../src/arch/aarch64/index.js';
import { riscv64 } from '../src/arch/riscv64/index.js';

export { x86_64, aarch64, riscv64 };

/** Guest memory made of byte arrays placed at addresses; anything else is unreadable. */
export class ByteMemory implements TraceeMemory {
  private readonly regions: { base: bigint; bytes: Uint8Array }[] = [];

  /** Places bytes at addr. */
  put(addr: bigint, bytes: Uint8Array | string | readonly number[]): bigint {
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : Uint8Array.from(bytes);
    this.regions.push({ base: addr, bytes: b });
    return addr;
  }

  /** Places a NUL-terminated string. */
  putCString(addr: bigint, s: string): bigint {
    const b = new TextEncoder().encode(s);
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    return this.put(addr, out);
  }

  /** Places little-endian integers of `size` bytes each. */
  putInts(addr: bigint, size: number, values: readonly (number | bigint)[]): bigint {
    const out = new Uint8Array(size * values.length);
    values.forEach((v, i) => {
      let x = BigInt.asUintN(size * 8, BigInt(v));
      for (let j = 0; j < size; j++) { out[i * size + j] = Number(x & 0xffn); x >>= 8n; }
    });
    return this.put(addr, out);
  }

  /** Builds a struct from [offset, size, value] triples and places it. */
  putStruct(addr: bigint, size: number, fields: readonly (readonly [number, number, number | bigint])[]): bigint {
    const out = new Uint8Array(size);
    for (const [off, sz, v] of fields) {
      let x = BigInt.asUintN(sz * 8, BigInt(v));
      for (let j = 0; j < sz; j++) { out[off + j] = Number(x & 0xffn); x >>= 8n; }
    }
    return this.put(addr, out);
  }

  read(addr: bigint, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const b = this.byteAt(addr + BigInt(i));
      if (b === undefined) return null;
      out[i] = b;
    }
    return out;
  }

  readCString(addr: bigint, max: number): { bytes: Uint8Array; terminated: boolean } | null {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.byteAt(addr + BigInt(i));
      if (b === undefined) return i === 0 ? null : { bytes: Uint8Array.from(out), terminated: false };
      if (b === 0) return { bytes: Uint8Array.from(out), terminated: true };
      out.push(b);
    }
    return { bytes: Uint8Array.from(out), terminated: false };
  }

  private byteAt(a: bigint): number | undefined {
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (a >= r.base && a < r.base + BigInt(r.bytes.length)) return r.bytes[Number(a - r.base)];
    }
    return undefined;
  }
}

export const DEFAULTS: DecodeOptions = { stringLimit: 32, verbose: false, xlat: 'abbrev', decodeFds: false };

export interface Call {
  readonly args: readonly (number | bigint)[];
  /** The raw return register (negative errno for a failure). */
  readonly ret: number | bigint;
  readonly mem?: ByteMemory;
  readonly arch?: ArchDescriptor;
  readonly options?: Partial<DecodeOptions>;
  readonly fds?: Readonly<Record<number, string>>;
  /** Extra context properties beyond the contract (rt_sigreturn's stackPointer). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Runs between entry and exit: the kernel writing its results. */
  readonly kernel?: (mem: ByteMemory) => void;
}

/** The line strace prints for a finished call, without the column padding: `name(args) = ret`. */
export function line(name: string, call: Call): string {
  const mem = call.mem ?? new ByteMemory();
  const args = [...call.args.map((a) => BigInt.asUintN(64, BigInt(a)))];
  while (args.length < 6) args.push(0n);
  const ctx = {
    arch: call.arch ?? x86_64,
    mem,
    options: { ...DEFAULTS, ...call.options },
    args,
    fdPath: (fd: number): string | undefined => call.fds?.[fd],
    ...call.extra,
  };
  const d = decoderFor(name);
  const entry = d.enter(ctx);
  call.kernel?.(mem);
  const exit = d.exit({ ...ctx, ret: BigInt.asUintN(64, BigInt(call.ret)) }, entry);
  return `${name}(${entry.text}${exit.text}) = ${exit.ret}`;
}

/** The entry half alone (what the printer shows before `<unfinished ...>`). */
export function entryText(name: string, call: Omit<Call, 'ret'>): string {
  const mem = call.mem ?? new ByteMemory();
  const args = [...call.args.map((a) => BigInt.asUintN(64, BigInt(a)))];
  while (args.length < 6) args.push(0n);
  return decoderFor(name).enter({
    arch: call.arch ?? x86_64, mem, options: { ...DEFAULTS, ...call.options }, args,
    fdPath: (fd: number) => call.fds?.[fd],
  }).text;
}

export const ENOENT = -2;
export const EBADF = -9;
export const EFAULT = -14;
export const EINVAL = -22;
export const ENOTTY = -25;

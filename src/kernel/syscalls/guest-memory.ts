// Small helpers for handlers that copy values and structs to and from guest memory.
import type { StructLayout } from '../../arch/types.js';
import type { AddressSpace } from '../memory/address-space.js';

/** Reads an unsigned 64-bit value; null on EFAULT. */
export function readU64(mm: AddressSpace, addr: bigint): bigint | null {
  const b = mm.read(addr, 8);
  return b === null ? null : new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

/** Encodes a struct from field values (missing fields are zero). */
export function encodeStruct<F extends string>(layout: StructLayout<F>, values: Partial<Record<F, bigint | number>>): Uint8Array {
  const out = new Uint8Array(layout.size);
  const dv = new DataView(out.buffer);
  for (const name of Object.keys(values) as F[]) {
    const f = layout.fields[name];
    const v = BigInt(values[name]!);
    switch (f.size) {
      case 1: dv.setUint8(f.offset, Number(BigInt.asUintN(8, v))); break;
      case 2: dv.setUint16(f.offset, Number(BigInt.asUintN(16, v)), true); break;
      case 4: dv.setUint32(f.offset, Number(BigInt.asUintN(32, v)), true); break;
      case 8: dv.setBigUint64(f.offset, BigInt.asUintN(64, v), true); break;
      default: throw new Error(`field ${name} of size ${f.size} is not an integer`);
    }
  }
  return out;
}

/** Decodes integer fields of a struct. */
export function decodeStruct<F extends string>(layout: StructLayout<F>, bytes: Uint8Array): Record<F, bigint> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = {} as Record<F, bigint>;
  for (const name of Object.keys(layout.fields) as F[]) {
    const f = layout.fields[name];
    let v: bigint;
    switch (f.size) {
      case 1: v = BigInt(f.signed === true ? dv.getInt8(f.offset) : dv.getUint8(f.offset)); break;
      case 2: v = BigInt(f.signed === true ? dv.getInt16(f.offset, true) : dv.getUint16(f.offset, true)); break;
      case 4: v = BigInt(f.signed === true ? dv.getInt32(f.offset, true) : dv.getUint32(f.offset, true)); break;
      case 8: v = f.signed === true ? dv.getBigInt64(f.offset, true) : dv.getBigUint64(f.offset, true); break;
      default: continue;
    }
    out[name] = v;
  }
  return out;
}

/** Reads a NUL-terminated path (PATH_MAX 4096); a negative errno on failure. */
export function readPath(mm: AddressSpace, addr: bigint): string | bigint {
  const r = mm.readCString(addr, 4096);
  if (r === null) return -14n; // EFAULT
  if (r === 'too-long') return -36n; // ENAMETOOLONG
  return Buffer.from(r.buffer, r.byteOffset, r.length).toString('latin1');
}

// Shared by the binding's tests: guest code as bytes.

/** aarch64 instructions (little-endian 32-bit words) as bytes. */
export function a64(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const dv = new DataView(out.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w, true));
  return out;
}

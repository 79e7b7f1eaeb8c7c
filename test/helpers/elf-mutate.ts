// Deterministic mutations of an ELF64 executable's headers, for the loader's fuzz test: a
// seeded PRNG picks ELF header fields (e_type, e_entry, e_phoff, e_phentsize, e_phnum) and
// program header fields (p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align),
// and sets them to boundary values, bit flips or random words; or swaps two program headers;
// or cuts the file short.

/** xorshift32: the same mutants for the same seed, on every machine. */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
  word64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
}

interface Field {
  readonly at: number;
  readonly size: 2 | 4 | 8;
  readonly name: string;
}

const EHDR_FIELDS: readonly Field[] = [
  { at: 16, size: 2, name: 'e_type' },
  { at: 24, size: 8, name: 'e_entry' },
  { at: 32, size: 8, name: 'e_phoff' },
  { at: 54, size: 2, name: 'e_phentsize' },
  { at: 56, size: 2, name: 'e_phnum' },
];
const PHDR_FIELDS: readonly Field[] = [
  { at: 0, size: 4, name: 'p_type' },
  { at: 4, size: 4, name: 'p_flags' },
  { at: 8, size: 8, name: 'p_offset' },
  { at: 16, size: 8, name: 'p_vaddr' },
  { at: 32, size: 8, name: 'p_filesz' },
  { at: 40, size: 8, name: 'p_memsz' },
  { at: 48, size: 8, name: 'p_align' },
];

/** Values that sit on the edges the loader must check. */
const BOUNDARY = [
  0n, 1n, 2n, 3n, 0xfffn, 0x1000n, 0x1001n, 0x10000n, 0xffffn, 0x7fffn, 0x8000n,
  1n << 32n, (1n << 32n) - 1n, 1n << 40n, (1n << 40n) + 0x123n, 1n << 47n, 0x7fff_ffff_f000n,
  0x7fff_ffff_efffn, 1n << 48n, 1n << 63n, (1n << 64n) - 1n, (1n << 64n) - 0x1000n,
  0x5555_5555_4000n, 0x40_0000n, 0x40_0001n,
];

function readField(b: Buffer, at: number, size: number): bigint {
  return size === 2 ? BigInt(b.readUInt16LE(at)) : size === 4 ? BigInt(b.readUInt32LE(at)) : b.readBigUInt64LE(at);
}

function writeField(b: Buffer, at: number, size: number, v: bigint): void {
  const m = BigInt.asUintN(size * 8, v);
  if (size === 2) b.writeUInt16LE(Number(m), at);
  else if (size === 4) b.writeUInt32LE(Number(m), at);
  else b.writeBigUInt64LE(m, at);
}

function newValue(rng: Prng, old: bigint, size: number): bigint {
  switch (rng.below(6)) {
    case 0: return rng.pick(BOUNDARY);
    case 1: return old ^ (1n << BigInt(rng.below(size * 8)));
    case 2: return old + BigInt(rng.below(0x2000)) - 0x1000n;
    case 3: return old * BigInt(2 + rng.below(1 << 16));
    case 4: return rng.word64();
    default: return old + (BigInt(rng.below(1 << 20)) << BigInt(rng.below(40)));
  }
}

export interface Mutant {
  readonly bytes: Buffer;
  /** What was changed, for a failure message. */
  readonly what: string;
}

/** Mutant number `index` of `original` for `seed`: one to three changes. */
export function mutate(original: Buffer, seed: number, index: number): Mutant {
  const rng = new Prng(seed * 1_000_003 + index * 7919 + 1);
  let b = Buffer.from(original);
  const what: string[] = [];
  const changes = 1 + rng.below(3);
  for (let c = 0; c < changes && b.length >= 64; c++) {
    const phoff = Number(b.readBigUInt64LE(32) & 0xffff_ffffn);
    const phnum = b.readUInt16LE(56);
    const kind = rng.below(20);
    if (kind < 4) {
      const f = rng.pick(EHDR_FIELDS);
      const v = newValue(rng, readField(b, f.at, f.size), f.size);
      writeField(b, f.at, f.size, v);
      what.push(`${f.name}=0x${BigInt.asUintN(f.size * 8, v).toString(16)}`);
    } else if (kind < 17 && phnum > 0 && phoff + phnum * 56 <= b.length) {
      const i = rng.below(phnum);
      const f = rng.pick(PHDR_FIELDS);
      const at = phoff + i * 56 + f.at;
      const v = newValue(rng, readField(b, at, f.size), f.size);
      writeField(b, at, f.size, v);
      what.push(`phdr[${i}].${f.name}=0x${BigInt.asUintN(f.size * 8, v).toString(16)}`);
    } else if (kind < 19 && phnum > 1 && phoff + phnum * 56 <= b.length) {
      const i = rng.below(phnum);
      const j = rng.below(phnum);
      const a = Buffer.from(b.subarray(phoff + i * 56, phoff + i * 56 + 56));
      b.copy(b, phoff + i * 56, phoff + j * 56, phoff + j * 56 + 56);
      a.copy(b, phoff + j * 56);
      what.push(`swap phdr[${i}] phdr[${j}]`);
    } else {
      const cut = rng.below(3) === 0 ? rng.below(Math.min(b.length, 4096)) : rng.below(b.length);
      b = b.subarray(0, cut);
      what.push(`truncate to ${cut}`);
    }
  }
  return { bytes: b, what: what.join(', ') };
}

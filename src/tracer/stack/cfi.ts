// A small .eh_frame (DWARF call frame information) unwinder: finds the FDE covering a pc,
// runs its CIE's and its own CFA instructions up to that pc, and computes the caller's
// registers. Register rules: offset(N), val_offset(N), register(R), same value, undefined;
// CFA = register + offset. Expression rules are not evaluated: the unwind stops there.

export interface Fde {
  readonly start: bigint;
  readonly end: bigint;
  readonly cie: Cie;
  readonly instructions: Uint8Array;
}

interface Cie {
  readonly codeAlign: bigint;
  readonly dataAlign: bigint;
  readonly returnAddress: number;
  readonly fdeEncoding: number;
  readonly instructions: Uint8Array;
}

type Rule = { kind: 'offset' | 'val-offset'; n: bigint } | { kind: 'register'; reg: number } | { kind: 'undefined' };

interface Row {
  cfaReg: number;
  cfaOffset: bigint;
  cfaValid: boolean;
  rules: Map<number, Rule>;
}

class Reader {
  pos: number;
  constructor(readonly b: Uint8Array, pos: number, readonly base: bigint) {
    this.pos = pos;
  }
  private get dv(): DataView {
    return new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
  }
  u8(): number { return this.b[this.pos++]!; }
  u16(): number { const v = this.dv.getUint16(this.pos, true); this.pos += 2; return v; }
  u32(): number { const v = this.dv.getUint32(this.pos, true); this.pos += 4; return v; }
  i32(): number { const v = this.dv.getInt32(this.pos, true); this.pos += 4; return v; }
  u64(): bigint { const v = this.dv.getBigUint64(this.pos, true); this.pos += 8; return v; }
  uleb(): bigint {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      const c = this.u8();
      r |= BigInt(c & 0x7f) << shift;
      shift += 7n;
      if ((c & 0x80) === 0) return r;
    }
  }
  sleb(): bigint {
    let r = 0n;
    let shift = 0n;
    let c: number;
    do {
      c = this.u8();
      r |= BigInt(c & 0x7f) << shift;
      shift += 7n;
    } while ((c & 0x80) !== 0);
    return (c & 0x40) !== 0 ? r - (1n << shift) : r;
  }
  cstr(): string {
    let s = '';
    for (let c = this.u8(); c !== 0; c = this.u8()) s += String.fromCharCode(c);
    return s;
  }
  /** A pointer in DW_EH_PE encoding `enc`. */
  encoded(enc: number): bigint {
    const at = this.base + BigInt(this.pos);
    let v: bigint;
    switch (enc & 0x0f) {
      case 0x00: v = this.u64(); break;
      case 0x01: v = this.uleb(); break;
      case 0x02: v = BigInt(this.u16()); break;
      case 0x03: v = BigInt(this.u32()); break;
      case 0x04: v = this.u64(); break;
      case 0x09: v = this.sleb(); break;
      case 0x0a: v = BigInt(BigInt.asIntN(16, BigInt(this.u16()))); break;
      case 0x0b: v = BigInt(this.i32()); break;
      case 0x0c: v = BigInt.asIntN(64, this.u64()); break;
      default: throw new Error(`pointer encoding ${enc}`);
    }
    if ((enc & 0x70) === 0x10) v += at;
    return BigInt.asUintN(64, v);
  }
}

/** Every FDE of an .eh_frame section at image address `addr`, sorted by start. */
export function parseEhFrame(bytes: Uint8Array, addr: bigint): Fde[] {
  const fdes: Fde[] = [];
  const cies = new Map<number, Cie>();
  let pos = 0;
  while (pos + 4 <= bytes.length) {
    const r = new Reader(bytes, pos, addr);
    let length = r.u32();
    if (length === 0) break;
    if (length === 0xffffffff) length = Number(r.u64());
    const bodyStart = r.pos;
    const end = bodyStart + length;
    const idPos = r.pos;
    const id = r.u32();
    try {
      if (id === 0) cies.set(pos, parseCie(r, end));
      else {
        const cie = cies.get(idPos - id);
        if (cie !== undefined) {
          const start = r.encoded(cie.fdeEncoding);
          const range = r.encoded(cie.fdeEncoding & 0x0f);
          if (cie.fdeEncoding !== 0xff && cieHasZ.has(cie)) r.pos += Number(r.uleb());
          fdes.push({ start, end: start + range, cie, instructions: bytes.subarray(r.pos, end) });
        }
      }
    } catch {
      // An entry this reader cannot follow: skipped.
    }
    pos = end;
  }
  return fdes.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

const cieHasZ = new WeakSet<Cie>();

function parseCie(r: Reader, end: number): Cie {
  const version = r.u8();
  const aug = r.cstr();
  if (aug.includes('eh')) r.u64();
  const codeAlign = r.uleb();
  const dataAlign = r.sleb();
  const returnAddress = version === 1 ? r.u8() : Number(r.uleb());
  let fdeEncoding = 0;
  let augEnd = -1;
  if (aug.startsWith('z')) {
    const len = Number(r.uleb());
    augEnd = r.pos + len;
    for (const c of aug.slice(1)) {
      if (c === 'L') r.u8();
      else if (c === 'R') fdeEncoding = r.u8();
      else if (c === 'P') r.encoded(r.u8() & 0x7f);
    }
    r.pos = augEnd;
  }
  const cie: Cie = { codeAlign, dataAlign, returnAddress, fdeEncoding, instructions: r.b.subarray(r.pos, end) };
  if (augEnd >= 0) cieHasZ.add(cie);
  return cie;
}

export function findFde(fdes: readonly Fde[], pc: bigint): Fde | undefined {
  let lo = 0;
  let hi = fdes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fdes[mid]!;
    if (pc < f.start) hi = mid - 1;
    else if (pc >= f.end) lo = mid + 1;
    else return f;
  }
  return undefined;
}

/** The unwind row at `pc` (undefined: an instruction this unwinder does not follow). */
function rowAt(fde: Fde, pc: bigint): Row | undefined {
  const row: Row = { cfaReg: -1, cfaOffset: 0n, cfaValid: true, rules: new Map() };
  const cie = fde.cie;
  let initial = new Map<number, Rule>();
  const run = (code: Uint8Array, limit: bigint | undefined): boolean => {
    const r = new Reader(code, 0, 0n);
    let loc = fde.start;
    const stack: { rules: Map<number, Rule>; cfaReg: number; cfaOffset: bigint }[] = [];
    while (r.pos < code.length) {
      const op = r.u8();
      const hi2 = op & 0xc0;
      const low = op & 0x3f;
      if (hi2 === 0x40) {
        loc += BigInt(low) * cie.codeAlign;
        if (limit !== undefined && loc > limit) return true;
        continue;
      }
      if (hi2 === 0x80) { row.rules.set(low, { kind: 'offset', n: r.uleb() * cie.dataAlign }); continue; }
      if (hi2 === 0xc0) { restore(low); continue; }
      let advance: bigint | undefined;
      switch (op) {
        case 0x00: break;
        case 0x02: advance = BigInt(r.u8()); break;
        case 0x03: advance = BigInt(r.u16()); break;
        case 0x04: advance = BigInt(r.u32()); break;
        case 0x05: { const reg = Number(r.uleb()); row.rules.set(reg, { kind: 'offset', n: r.uleb() * cie.dataAlign }); break; }
        case 0x06: restore(Number(r.uleb())); break;
        case 0x07: row.rules.set(Number(r.uleb()), { kind: 'undefined' }); break;
        case 0x08: row.rules.delete(Number(r.uleb())); break;
        case 0x09: { const reg = Number(r.uleb()); row.rules.set(reg, { kind: 'register', reg: Number(r.uleb()) }); break; }
        case 0x0a: stack.push({ rules: new Map(row.rules), cfaReg: row.cfaReg, cfaOffset: row.cfaOffset }); break;
        case 0x0b: { const s = stack.pop(); if (s !== undefined) { row.rules = s.rules; row.cfaReg = s.cfaReg; row.cfaOffset = s.cfaOffset; } break; }
        case 0x0c: row.cfaReg = Number(r.uleb()); row.cfaOffset = r.uleb(); row.cfaValid = true; break;
        case 0x0d: row.cfaReg = Number(r.uleb()); break;
        case 0x0e: row.cfaOffset = r.uleb(); break;
        case 0x0f: r.pos += Number(r.uleb()); row.cfaValid = false; break;
        case 0x10: { const reg = Number(r.uleb()); r.pos += Number(r.uleb()); row.rules.set(reg, { kind: 'undefined' }); break; }
        case 0x11: { const reg = Number(r.uleb()); row.rules.set(reg, { kind: 'offset', n: r.sleb() * cie.dataAlign }); break; }
        case 0x12: row.cfaReg = Number(r.uleb()); row.cfaOffset = r.sleb() * cie.dataAlign; row.cfaValid = true; break;
        case 0x13: row.cfaOffset = r.sleb() * cie.dataAlign; break;
        case 0x14: { const reg = Number(r.uleb()); row.rules.set(reg, { kind: 'val-offset', n: r.uleb() * cie.dataAlign }); break; }
        case 0x15: { const reg = Number(r.uleb()); row.rules.set(reg, { kind: 'val-offset', n: r.sleb() * cie.dataAlign }); break; }
        case 0x16: { const reg = Number(r.uleb()); r.pos += Number(r.uleb()); row.rules.set(reg, { kind: 'undefined' }); break; }
        case 0x2d: break; // AArch64 negate_ra_state: return addresses are not signed here
        case 0x2e: r.uleb(); break;
        case 0x2f: { const reg = Number(r.uleb()); row.rules.set(reg, { kind: 'offset', n: -r.uleb() * cie.dataAlign }); break; }
        default: return false;
      }
      if (advance !== undefined) {
        loc += advance * cie.codeAlign;
        if (limit !== undefined && loc > limit) return true;
      }
    }
    return true;
  };
  const restore = (reg: number): void => {
    const rule = initial.get(reg);
    if (rule === undefined) row.rules.delete(reg);
    else row.rules.set(reg, rule);
  };
  if (!run(cie.instructions, undefined)) return undefined;
  initial = new Map(row.rules);
  if (!run(fde.instructions, pc)) return undefined;
  return row.cfaValid && row.cfaReg >= 0 ? row : undefined;
}

/**
 * One unwind step. `regs` holds the current frame's registers by DWARF number (undefined:
 * unknown); returns the caller's, with its pc in `returnAddress`'s slot, or undefined.
 */
export function unwindStep(fde: Fde, pc: bigint, regs: readonly (bigint | undefined)[], sp: number, read64: (addr: bigint) => bigint | undefined): (bigint | undefined)[] | undefined {
  const row = rowAt(fde, pc);
  if (row === undefined) return undefined;
  const base = regs[row.cfaReg];
  if (base === undefined) return undefined;
  const cfa = BigInt.asUintN(64, base + row.cfaOffset);
  const next = [...regs];
  for (const [reg, rule] of row.rules) {
    switch (rule.kind) {
      case 'offset': next[reg] = read64(BigInt.asUintN(64, cfa + rule.n)); break;
      case 'val-offset': next[reg] = BigInt.asUintN(64, cfa + rule.n); break;
      case 'register': next[reg] = regs[rule.reg]; break;
      case 'undefined': next[reg] = undefined; break;
    }
  }
  if (!row.rules.has(fde.cie.returnAddress) && fde.cie.returnAddress === sp) return undefined;
  next[sp] = cfa;
  return next;
}

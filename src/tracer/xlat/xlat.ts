// A named-constant table, strace's xlat: the order of the rows is the order in which flag names
// are printed, and the first row whose value matches wins for an enum.

export type XlatValue = number | bigint;

export interface Xlat {
  /** [value, name] in print order. */
  readonly rows: readonly (readonly [bigint, string])[];
  readonly byValue: ReadonlyMap<bigint, string>;
}

/** Builds a table from [name, value] rows (numbers above 2^53 must be given as bigint). */
export function xlat(rows: readonly (readonly [string, XlatValue])[]): Xlat {
  const out: (readonly [bigint, string])[] = [];
  const byValue = new Map<bigint, string>();
  for (const [name, value] of rows) {
    const v = BigInt(value);
    out.push([v, name]);
    if (!byValue.has(v)) byValue.set(v, name);
  }
  return { rows: out, byValue };
}

/** Builds a table whose values are consecutive from `first` (strace's indexed xlats). */
export function xlatSeq(first: number, names: readonly string[]): Xlat {
  return xlat(names.map((name, i) => [name, first + i] as const));
}

/** The name of `value` in `table`, if any. */
export function xlookup(table: Xlat, value: XlatValue): string | undefined {
  return table.byValue.get(BigInt(value));
}

/** Finds a constant's value by name (for the kernel and tests). */
export function xvalue(table: Xlat, name: string): bigint | undefined {
  for (const [v, n] of table.rows) if (n === name) return v;
  return undefined;
}

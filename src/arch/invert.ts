/** name → number, from a number → name table. */
export function invertNames(names: ReadonlyMap<number, string>): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  for (const [nr, name] of names) if (!out.has(name)) out.set(name, nr);
  return out;
}

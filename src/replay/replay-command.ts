export async function runReplay(argv: readonly string[]): Promise<number> { void argv; return 75; }

// The recording schema's SQL, read from schemas/recording-v5.sql (found above this module,
// from dist/src/recorder/, dist/ or src/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function recordingSchemaSql(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schemas', 'recording-v5.sql');
    if (existsSync(candidate)) return (cached = readFileSync(candidate, 'utf8'));
    const up = dirname(dir);
    if (up === dir) throw new Error('schemas/recording-v5.sql not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

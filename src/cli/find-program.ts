// PROG as strace finds it: a name with a slash is used as it is; a bare name is looked up in
// PATH (execvp's rule: the first regular file with execute permission).
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

export function findProgram(name: string, path = process.env['PATH'] ?? ''): string {
  if (name.includes('/')) return name;
  for (const dir of path.split(':')) {
    const candidate = join(dir === '' ? '.' : dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  // Not found on PATH: the loader reports the name as it was given.
  return name;
}
